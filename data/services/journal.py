"""The monthly journal's writes: draft and submission (after the checks of
``data.domain.journal``), approval and unlocking, comments.

Writes to a territory-month are serialised (``session_scope(serialised=True)`` and the journal
row read ``with_for_update()``): an approval cannot be undone by a save that read the journal
before it, only by an audited unlock. Each write increments ``journal.version``; a page that
saves what it read passes that version (``base_version``) and is told when someone else wrote
the journal meanwhile, rather than silently overwriting it.

A saved journal feeds the territory's indicators (declared stage, interviews, events): its
indicators are recomputed right after the save commits, so that every page shows the new
stage at once. An approval or an unlock changes what may be read, not what is computed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from data.access import Permission, Scope
from data.config import get_config
from data.domain.checks import Report
from data.domain.journal import JournalInput, check_journal
from data.domain.vocabulary import CommentKind, JournalStatus
from data.store import audit
from data.store.engine import session_scope
from data.store.indicator_store import compute
from data.store.models import (
    EventParticipants,
    Journal,
    JournalEvent,
    JournalRubric,
    ReviewComment,
)

MIN_UNLOCK_REASON = 10


class Locked(Exception):
    """The month is approved: it cannot change until a programme lead unlocks it."""


class Conflict(Exception):
    """Someone else wrote the journal since the page read it; the message says what to do."""


CONFLICT_MESSAGE = (
    "Ce journal a été modifié entre-temps par une autre personne : rechargez la page pour "
    "voir la dernière version. Ce que vous avez saisi est encore affiché : copiez-le avant de "
    "recharger si vous voulez le garder."
)


def _journal_row(session, territory_id: str, month: dt.date) -> Journal | None:  # type: ignore[no-untyped-def]
    """The territory-month's journal, locked until the transaction ends."""
    return session.scalars(
        select(Journal)
        .where(Journal.territory_id == territory_id, Journal.month == month)
        .with_for_update()
    ).one_or_none()


def save_journal(
    engine: Engine,
    scope: Scope,
    territory_id: str,
    month: dt.date,
    entry: JournalInput,
    submit: bool,
    today: dt.date | None = None,
    base_version: int | None = None,
) -> Report:
    """Check then save (as a draft, or submitted) a territory's journal for a month.

    Nothing is written when a check fails with an error. One transaction, serialised with
    the other writes of the territory-month. ``base_version``: the version the caller read
    (0: it read no journal); :class:`Conflict` if the journal is no longer at that version.
    None: no check (the command line, scripts).
    """
    scope.require(Permission.WRITE_TERRITORY, territory_id)
    try:
        report = _save_journal(
            engine, scope, territory_id, month, entry, submit, today, base_version
        )
    except IntegrityError:
        # Another first save of this month committed between our read and our insert
        # (PostgreSQL: no row to lock yet). Nothing of ours was written.
        raise Conflict(CONFLICT_MESSAGE) from None
    if not report.has_errors:
        compute(engine, [territory_id], actor=scope.user)
    return report


def _save_journal(
    engine: Engine,
    scope: Scope,
    territory_id: str,
    month: dt.date,
    entry: JournalInput,
    submit: bool,
    today: dt.date | None,
    base_version: int | None,
) -> Report:
    with session_scope(engine, actor=scope.user, serialised=True) as session:
        journal = _journal_row(session, territory_id, month)
        if journal is not None and journal.status == "approved":
            raise Locked(
                "Ce mois est approuvé et verrouillé : demandez à l'équipe de pilotage de le "
                "déverrouiller pour le modifier."
            )
        if base_version is not None and (journal.version if journal else 0) != base_version:
            raise Conflict(CONFLICT_MESSAGE)
        previous = session.scalars(
            select(Journal.declared_stage)
            .where(Journal.territory_id == territory_id, Journal.month < month)
            .order_by(Journal.month.desc())
            .limit(1)
        ).one_or_none()
        config = get_config()
        report = check_journal(
            entry,
            month,
            submit,
            model=config.stage_model_of(territory_id),
            sectors=config.survey.sector_ids,
            previous_stage=previous,
            today=today,
        )
        if report.has_errors:
            return report
        if journal is None:
            journal = Journal(territory_id=territory_id, month=month, version=0)
            session.add(journal)
        journal.version += 1
        journal.declared_stage = entry.declared_stage
        journal.interviews_done = entry.interviews_done
        journal.interviews_planned = entry.interviews_planned
        journal.new_actors = entry.new_actors
        journal.tools_reused = entry.tools_reused
        journal.narrative_strengths = entry.narrative_strengths.strip()
        journal.narrative_difficulties = entry.narrative_difficulties.strip()
        journal.narrative_next_steps = entry.narrative_next_steps.strip()
        journal.narrative_internal = entry.narrative_internal
        journal.status = "submitted" if submit else "draft"
        journal.submitted_at = dt.datetime.now(dt.UTC) if submit else None
        session.flush()
        for old in session.scalars(
            select(JournalRubric).where(JournalRubric.journal_id == journal.id)
        ):
            session.delete(old)
        for old in session.scalars(
            select(JournalEvent).where(JournalEvent.journal_id == journal.id)
        ):
            session.delete(old)
        session.flush()
        for milestone, score in entry.rubric.items():
            session.add(JournalRubric(journal_id=journal.id, milestone_id=milestone, score=score))
        for event in entry.events:
            row = JournalEvent(
                journal_id=journal.id, held_on=event.held_on, kind=event.kind, title=event.title
            )
            session.add(row)
            session.flush()
            for sector, count in event.participants.items():
                if count:
                    session.add(EventParticipants(event_id=row.id, sector=sector, count=count))
    return report


def _journal_for_review(session, territory_id: str, month: dt.date) -> Journal:  # type: ignore[no-untyped-def]
    journal = _journal_row(session, territory_id, month)
    if journal is None:
        raise ValueError("Pas de journal pour ce mois : rien à approuver.")
    return journal


def approve_month(
    engine: Engine, scope: Scope, user_id: int, territory_id: str, month: dt.date
) -> None:
    """A programme lead approves a submitted month, which locks it."""
    scope.require(Permission.REVIEW_MONTH, territory_id)
    with session_scope(engine, actor=scope.user, serialised=True) as session:
        journal = _journal_for_review(session, territory_id, month)
        if journal.status == "approved":
            raise ValueError("Ce mois est déjà approuvé.")
        if journal.status != "submitted":
            raise ValueError(
                "Le journal de ce mois est un brouillon : le binôme doit le soumettre."
            )
        journal.status = "approved"
        journal.approved_by = user_id
        journal.approved_at = dt.datetime.now(dt.UTC)
        journal.version += 1


def _reason(reason: str, ask: str) -> str:
    """An unlock's reason, or its request's, stripped; long enough to mean something."""
    if len(reason.strip()) < MIN_UNLOCK_REASON:
        raise ValueError(f"{ask} (au moins {MIN_UNLOCK_REASON} caractères).")
    return reason.strip()


def _approved_journal(session, territory_id: str, month: dt.date) -> Journal:  # type: ignore[no-untyped-def]
    journal = _journal_row(session, territory_id, month)
    if journal is None or journal.status != JournalStatus.APPROVED:
        raise ValueError("Ce mois n'est pas approuvé : il n'y a rien à déverrouiller.")
    return journal


def unlock_month(
    engine: Engine, scope: Scope, territory_id: str, month: dt.date, reason: str
) -> None:
    """Unlock an approved month; the reason is required and kept in the audit log."""
    scope.require(Permission.REVIEW_MONTH, territory_id)
    reason = _reason(reason, "Donnez la raison du déverrouillage")
    with session_scope(engine, actor=scope.user, serialised=True) as session:
        journal = _approved_journal(session, territory_id, month)
        journal.status = "submitted"
        journal.approved_by = None
        journal.approved_at = None
        journal.version += 1
        session.flush()
        audit.record(
            session.connection(),
            scope.user,
            "unlock",
            "journal",
            f"{journal.id}",
            territory_id,
            {"month": month.isoformat(), "reason": reason},
        )


def add_comment(
    engine: Engine, scope: Scope, user_id: int, territory_id: str, month: dt.date, body: str
) -> None:
    """A message on a territory's month, by a lead or the territory's binôme (its thread)."""
    scope.require(Permission.DISCUSS_MONTH, territory_id)
    if not body.strip():
        raise ValueError("Le commentaire est vide.")
    with session_scope(engine, actor=scope.user) as session:
        session.add(
            ReviewComment(
                territory_id=territory_id, month=month, author_id=user_id, body=body.strip()
            )
        )


def request_unlock(
    engine: Engine, scope: Scope, user_id: int, territory_id: str, month: dt.date, reason: str
) -> None:
    """The binôme asks the leads to unlock an approved month, saying why: the request joins
    the month's thread and is an alert for the leads until the month is unlocked."""
    scope.require(Permission.DISCUSS_MONTH, territory_id)
    reason = _reason(reason, "Dites ce que vous voulez modifier")
    with session_scope(engine, actor=scope.user, serialised=True) as session:
        _approved_journal(session, territory_id, month)
        session.add(
            ReviewComment(
                territory_id=territory_id,
                month=month,
                author_id=user_id,
                body=reason,
                kind=CommentKind.UNLOCK_REQUEST,
            )
        )
