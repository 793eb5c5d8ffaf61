"""Unsaved journal entries: what a user typed on the journal page and has not saved yet.

The page keeps its entry here at each change (:func:`keep_unsaved`), finds it again on the
next visit, after a reload or in a new tab (:func:`unsaved_journal`), and forgets it once the
journal is saved or the user abandons the changes (:func:`discard_unsaved`). One entry per
account, territory and month: the two members of a binôme each keep their own.

These rows are private scratch, not the journal: they are written with Core statements, which
the audit's flush listener does not see, so keeping them neither marks the territory's
indicators stale nor refreshes anyone's pages. Each entry remembers the journal version it
started from (``base_version``), so that the page can tell the user when someone saved the
journal since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, delete, insert, select

from data.access import Permission, Scope
from data.domain.journal import JournalInput, from_payload, to_payload
from data.store.models import UnsavedJournal


@dataclass(frozen=True)
class Unsaved:
    entry: JournalInput
    base_version: int  # the journal's version when the user started (0: no journal yet)
    kept_at: dt.datetime  # UTC


def _key(account_id: int, territory_id: str, month: dt.date) -> ColumnElement[bool]:
    return (
        (UnsavedJournal.account_id == account_id)
        & (UnsavedJournal.territory_id == territory_id)
        & (UnsavedJournal.month == month)
    )


def keep_unsaved(
    engine: Engine,
    scope: Scope,
    account_id: int,
    territory_id: str,
    month: dt.date,
    entry: JournalInput,
    base_version: int,
) -> dt.datetime:
    """Keep ``entry`` as the account's unsaved journal of the territory-month (replacing the
    one kept before); returns when it was kept."""
    scope.require(Permission.WRITE_TERRITORY, territory_id)
    kept_at = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        connection.execute(delete(UnsavedJournal).where(_key(account_id, territory_id, month)))
        connection.execute(
            insert(UnsavedJournal).values(
                account_id=account_id,
                territory_id=territory_id,
                month=month,
                base_version=base_version,
                entry=to_payload(entry),
                kept_at=kept_at,
            )
        )
    return kept_at


def unsaved_journal(
    engine: Engine, scope: Scope, account_id: int, territory_id: str, month: dt.date
) -> Unsaved | None:
    """The account's unsaved journal of the territory-month, if any."""
    scope.require(Permission.WRITE_TERRITORY, territory_id)
    with engine.connect() as connection:
        row = connection.execute(
            select(UnsavedJournal.entry, UnsavedJournal.base_version, UnsavedJournal.kept_at).where(
                _key(account_id, territory_id, month)
            )
        ).one_or_none()
    if row is None:
        return None
    kept_at = row.kept_at if row.kept_at.tzinfo else row.kept_at.replace(tzinfo=dt.UTC)
    return Unsaved(from_payload(row.entry), row.base_version, kept_at)


def discard_unsaved(
    engine: Engine, scope: Scope, account_id: int, territory_id: str, month: dt.date
) -> None:
    """Forget the account's unsaved journal of the territory-month (saved, or abandoned)."""
    scope.require(Permission.WRITE_TERRITORY, territory_id)
    with engine.begin() as connection:
        connection.execute(delete(UnsavedJournal).where(_key(account_id, territory_id, month)))
