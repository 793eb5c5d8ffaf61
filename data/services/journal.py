"""The monthly journal: checks before saving, draft and submission, approval and unlocking.

Journal checks produce the same kind of report as a file import (``data.domain.checks``):
an error refuses the save, a warning is shown and the journal is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, select

from data.access import Permission, Scope
from data.config import get_config
from data.domain.checks import CheckResult, Report, Severity
from data.domain.months import add_months, current_month
from data.store import audit
from data.store.engine import session_scope
from data.store.models import (
    EVENT_KINDS,
    SECTORS,
    EventParticipants,
    Journal,
    JournalEvent,
    JournalRubric,
    ReviewComment,
    UserAccount,
)

MIN_UNLOCK_REASON = 10


@dataclass
class EventInput:
    held_on: dt.date
    kind: str
    title: str
    participants: dict[str, int] = field(default_factory=dict)


@dataclass
class JournalInput:
    """What the binôme enters for a month."""

    declared_stage: str
    rubric: dict[str, int] = field(default_factory=dict)
    interviews_done: int = 0
    interviews_planned: int = 0
    new_actors: int = 0
    tools_reused: int = 0
    events: list[EventInput] = field(default_factory=list)
    narrative_strengths: str = ""
    narrative_difficulties: str = ""
    narrative_next_steps: str = ""
    narrative_internal: bool = False


def _error(check_id: str, message: str, hint: str, columns: list[str] | None = None) -> CheckResult:
    return CheckResult(check_id, Severity.ERROR, message, hint, columns=columns or [])


def _warning(
    check_id: str, message: str, hint: str, columns: list[str] | None = None
) -> CheckResult:
    return CheckResult(check_id, Severity.WARNING, message, hint, columns=columns or [])


def check_journal(
    entry: JournalInput,
    month: dt.date,
    submit: bool,
    previous_stage: str | None = None,
    today: dt.date | None = None,
) -> Report:
    """The checks a journal passes before it is saved."""
    config = get_config()
    model = config.stage_model
    report = Report(subject=f"journal de {month:%m/%Y}")
    stages = [s.id for s in model.stages]
    milestones = {m.id for s in model.stages for m in s.milestones}
    if month > current_month() if today is None else month > today.replace(day=1):
        report.add(
            _error(
                "future_month",
                "Ce mois n'a pas commencé : on ne peut pas encore en tenir le journal.",
                "Choisissez le mois en cours ou un mois passé.",
            )
        )
    if entry.declared_stage not in stages:
        report.add(
            _error(
                "unknown_stage",
                f"Étape déclarée inconnue : « {entry.declared_stage} ».",
                "Choisissez une des étapes proposées.",
                ["étape déclarée"],
            )
        )
    elif (
        previous_stage in stages
        and stages.index(entry.declared_stage) - stages.index(previous_stage) > 1
    ):
        report.add(
            _warning(
                "stage_jump",
                "L'étape déclarée saute une étape par rapport au mois précédent "
                f"({model.stage(previous_stage).short_label} → "
                f"{model.stage(entry.declared_stage).short_label}).",
                "Vérifiez l'étape, ou expliquez ce saut dans le récit du mois.",
                ["étape déclarée"],
            )
        )
    for milestone, score in entry.rubric.items():
        if milestone not in milestones:
            report.add(
                _error(
                    "unknown_milestone",
                    f"Jalon inconnu : « {milestone} ».",
                    "Utilisez les jalons de la grille.",
                    [milestone],
                )
            )
        elif not 0 <= score <= 3:
            report.add(
                _error(
                    "milestone_range",
                    f"Le jalon « {milestone} » est noté {score} : la note va de 0 à 3.",
                    "0 pas commencé, 1 en cours, 2 fait, 3 consolidé.",
                    [milestone],
                )
            )
    counts = {
        "entretiens réalisés": entry.interviews_done,
        "entretiens prévus": entry.interviews_planned,
        "nouveaux acteurs": entry.new_actors,
        "outils réutilisés": entry.tools_reused,
    }
    for label, value in counts.items():
        if value < 0:
            report.add(
                _error(
                    "negative_count",
                    f"« {label} » est négatif ({value}).",
                    "Saisissez un nombre positif ou nul.",
                    [label],
                )
            )
    if entry.interviews_done > entry.interviews_planned > 0:
        report.add(
            _warning(
                "interviews_over_plan",
                f"Plus d'entretiens réalisés ({entry.interviews_done}) que prévus "
                f"({entry.interviews_planned}).",
                "Mettez à jour le nombre d'entretiens prévus si le plan a changé.",
                ["entretiens prévus"],
            )
        )
    month_end = add_months(month, 1) - dt.timedelta(days=1)
    for index, event in enumerate(entry.events, start=1):
        where = f"rencontre {index} ({event.title or 'sans titre'})"
        if not month <= event.held_on <= month_end:
            report.add(
                _error(
                    "event_outside_month",
                    f"{where} : la date {event.held_on:%d/%m/%Y} n'est pas dans le mois.",
                    "Saisissez la rencontre dans le journal du mois où elle a eu lieu.",
                    [where],
                )
            )
        if event.kind not in EVENT_KINDS:
            report.add(
                _error(
                    "event_kind",
                    f"{where} : type « {event.kind} » inconnu.",
                    "Choisissez réunion, atelier, entretien ou autre.",
                    [where],
                )
            )
        if not event.title.strip():
            report.add(
                _error("event_title", f"{where} : titre manquant.", "Donnez un titre.", [where])
            )
        unknown = sorted(set(event.participants) - set(SECTORS))
        if unknown:
            report.add(
                _error(
                    "event_sector",
                    f"{where} : secteur(s) inconnu(s) {', '.join(unknown)}.",
                    "Utilisez les six secteurs proposés.",
                    [where],
                )
            )
        if any(v < 0 for v in event.participants.values()):
            report.add(
                _error(
                    "event_negative",
                    f"{where} : un nombre de participants est négatif.",
                    "Saisissez des nombres positifs ou nuls.",
                    [where],
                )
            )
        elif sum(event.participants.values()) == 0:
            report.add(
                _warning(
                    "event_empty",
                    f"{where} : aucun participant saisi.",
                    "Indiquez les participants par secteur, ou retirez la rencontre.",
                    [where],
                )
            )
    if submit:
        missing = [
            label
            for label, text in (
                ("forces", entry.narrative_strengths),
                ("difficultés", entry.narrative_difficulties),
                ("prochaines étapes", entry.narrative_next_steps),
            )
            if not text.strip()
        ]
        if missing:
            report.add(
                _error(
                    "narrative_missing",
                    f"Récit incomplet pour soumettre : {', '.join(missing)}.",
                    "Complétez le récit, ou enregistrez un brouillon.",
                    missing,
                )
            )
    return report


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
        report = check_journal(entry, month, submit, previous, today)
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


def comments(
    engine: Engine, scope: Scope, territory_id: str | None, month: dt.date
) -> pd.DataFrame:
    """Comments on a month, of one territory or (``None``) of all those the scope may read:
    for leads and the territory's binôme, never for funders."""
    scope.require(Permission.READ_COMMENTS, territory_id)
    if territory_id is None:
        territory_id = scope.reach(Permission.READ_COMMENTS)
    query = (
        select(
            ReviewComment.territory_id,
            ReviewComment.created_at,
            UserAccount.display_name.label("author"),
            ReviewComment.body,
        )
        .join(UserAccount, UserAccount.id == ReviewComment.author_id)
        .where(ReviewComment.month == month)
        .order_by(ReviewComment.created_at)
    )
    if territory_id is not None:
        query = query.where(ReviewComment.territory_id == territory_id)
    with engine.connect() as connection:
        return pd.read_sql(query, connection)
