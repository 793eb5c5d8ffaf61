"""The monthly journal's writes: draft and submission (after the checks of
``data.domain.journal``), approval and unlocking, comments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from data.access import Permission, Scope
from data.config import get_config
from data.domain.checks import Report
from data.domain.journal import JournalInput, check_journal
from data.store import audit
from data.store.engine import session_scope
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


def save_journal(
    engine: Engine,
    scope: Scope,
    territory_id: str,
    month: dt.date,
    entry: JournalInput,
    submit: bool,
    today: dt.date | None = None,
) -> Report:
    """Check then save (as a draft, or submitted) a territory's journal for a month.

    Nothing is written when a check fails with an error. One transaction.
    """
    scope.require(Permission.WRITE_TERRITORY, territory_id)
    with session_scope(engine, actor=scope.user) as session:
        journal = session.scalars(
            select(Journal).where(Journal.territory_id == territory_id, Journal.month == month)
        ).one_or_none()
        if journal is not None and journal.status == "approved":
            raise Locked(
                "Ce mois est approuvé et verrouillé : demandez à l'équipe de pilotage de le "
                "déverrouiller pour le modifier."
            )
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
            model=config.stage_model,
            sectors=config.survey.sector_ids,
            previous_stage=previous,
            today=today,
        )
        if report.has_errors:
            return report
        if journal is None:
            journal = Journal(territory_id=territory_id, month=month)
            session.add(journal)
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
    journal = session.scalars(
        select(Journal).where(Journal.territory_id == territory_id, Journal.month == month)
    ).one_or_none()
    if journal is None:
        raise ValueError("Pas de journal pour ce mois : rien à approuver.")
    return journal


def approve_month(
    engine: Engine, scope: Scope, user_id: int, territory_id: str, month: dt.date
) -> None:
    """A programme lead approves a submitted month, which locks it."""
    scope.require(Permission.REVIEW_MONTH, territory_id)
    with session_scope(engine, actor=scope.user) as session:
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


def unlock_month(
    engine: Engine, scope: Scope, territory_id: str, month: dt.date, reason: str
) -> None:
    """Unlock an approved month; the reason is required and kept in the audit log."""
    scope.require(Permission.REVIEW_MONTH, territory_id)
    if len(reason.strip()) < MIN_UNLOCK_REASON:
        raise ValueError(
            f"Donnez la raison du déverrouillage (au moins {MIN_UNLOCK_REASON} caractères)."
        )
    with session_scope(engine, actor=scope.user) as session:
        journal = _journal_for_review(session, territory_id, month)
        if journal.status != "approved":
            raise ValueError("Ce mois n'est pas approuvé : il n'y a rien à déverrouiller.")
        journal.status = "submitted"
        journal.approved_by = None
        journal.approved_at = None
        session.flush()
        audit.record(
            session.connection(),
            scope.user,
            "unlock",
            "journal",
            f"{journal.id}",
            territory_id,
            {"month": month.isoformat(), "reason": reason.strip()},
        )


def add_comment(
    engine: Engine, scope: Scope, user_id: int, territory_id: str, month: dt.date, body: str
) -> None:
    scope.require(Permission.REVIEW_MONTH, territory_id)
    if not body.strip():
        raise ValueError("Le commentaire est vide.")
    with session_scope(engine, actor=scope.user) as session:
        session.add(
            ReviewComment(
                territory_id=territory_id, month=month, author_id=user_id, body=body.strip()
            )
        )
