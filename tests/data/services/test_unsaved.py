"""Unsaved journal entries: kept per account and territory-month, found again, forgotten, and
never audited (so that they neither stale the indicators nor refresh anyone's pages). On
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from data.access import AccessDenied, Scope
from data.domain.journal import EventInput, JournalInput, from_payload, to_payload
from data.services.unsaved import discard_unsaved, keep_unsaved, unsaved_journal
from data.store.engine import session_scope
from data.store.indicator_store import stale_territories
from data.store.models import AuditLog, UserAccount
from data.store.queries import write_version

MONTH = dt.date(2026, 11, 1)
ROYA = Scope(role="binome", territory_id="roya", user="binome.roya@tec-demo.fr")
FORBACH = Scope(role="binome", territory_id="forbach", user="binome.forbach@tec-demo.fr")
FUNDER = Scope(role="funder", user="financeur@tec-demo.fr")
ENTRY = JournalInput(
    declared_stage="structuration",
    rubric={"charter": 1},
    interviews_done=3,
    events=[
        EventInput(dt.date(2026, 11, 8), "workshop", "Atelier mobilité", {"association": 7}),
        EventInput(None, "other", "", {}),  # a draft's row, not dated or titled yet
    ],
    narrative_strengths="Les élus « sont » venus ; 100 % d'accord.",
)


@pytest.fixture
def accounts(engine: Engine) -> tuple[int, int]:
    """The two members of Roya's binôme."""
    with session_scope(engine, "test") as session:
        people = [
            UserAccount(
                email=f"{who}@roya.fr", display_name=who, role="binome", territory_id="roya"
            )
            for who in ("fdf", "kiif")
        ]
        session.add_all(people)
        session.flush()
        return people[0].id, people[1].id


def test_the_payload_reads_back_as_the_same_entry() -> None:
    assert from_payload(to_payload(ENTRY)) == ENTRY
    assert to_payload(ENTRY)["events"][0]["held_on"] == "2026-11-08"


def test_an_entry_is_kept_per_account_found_again_and_replaced(
    engine: Engine, accounts: tuple[int, int]
) -> None:
    fdf, kiif = accounts
    before = dt.datetime.now(dt.UTC)
    keep_unsaved(engine, ROYA, fdf, "roya", MONTH, ENTRY, base_version=2)
    found = unsaved_journal(engine, ROYA, fdf, "roya", MONTH)
    assert found is not None
    assert (found.entry, found.base_version) == (ENTRY, 2)
    assert before <= found.kept_at <= dt.datetime.now(dt.UTC)
    # The other member of the binôme, another month: nothing kept.
    assert unsaved_journal(engine, ROYA, kiif, "roya", MONTH) is None
    assert unsaved_journal(engine, ROYA, fdf, "roya", dt.date(2026, 10, 1)) is None
    changed = JournalInput(declared_stage="emergence")
    keep_unsaved(engine, ROYA, fdf, "roya", MONTH, changed, base_version=3)
    found = unsaved_journal(engine, ROYA, fdf, "roya", MONTH)
    assert found is not None and (found.entry, found.base_version) == (changed, 3)
    discard_unsaved(engine, ROYA, fdf, "roya", MONTH)
    assert unsaved_journal(engine, ROYA, fdf, "roya", MONTH) is None


def test_keeping_an_entry_is_not_an_audited_write(
    engine: Engine, accounts: tuple[int, int]
) -> None:
    with engine.connect() as connection:
        audited = connection.scalar(select(func.count()).select_from(AuditLog))
    version, stale = write_version(engine), stale_territories(engine)
    keep_unsaved(engine, ROYA, accounts[0], "roya", MONTH, ENTRY, base_version=0)
    discard_unsaved(engine, ROYA, accounts[0], "roya", MONTH)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AuditLog)) == audited
    assert (write_version(engine), stale_territories(engine)) == (version, stale)


@pytest.mark.parametrize("scope", [FORBACH, FUNDER], ids=["other_binome", "funder"])
def test_only_who_may_write_the_territory_keeps_or_reads_an_entry(
    engine: Engine, accounts: tuple[int, int], scope: Scope
) -> None:
    with pytest.raises(AccessDenied):
        keep_unsaved(engine, scope, accounts[0], "roya", MONTH, ENTRY, base_version=0)
    with pytest.raises(AccessDenied):
        unsaved_journal(engine, scope, accounts[0], "roya", MONTH)
