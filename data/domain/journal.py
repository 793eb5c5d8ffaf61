"""The monthly journal's checks: what a binôme's entry must satisfy before it is saved.

Pure: the stage model and the sectors are passed in. The checks produce the same kind of
report as a file import (``data.domain.checks``): an error refuses the save, a warning is
shown and the journal is saved.

A draft is work in progress: what is only incomplete (an event row without its date or its
title, a narrative left empty) is a warning that says what submitting will need; submitting
makes it an error. What can never be stored (an unknown stage, a date in another month, a
negative count) is an error either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any

from data.config import StageModel
from data.domain.checks import CheckResult, Report, Severity
from data.domain.months import add_months, current_month
from data.domain.vocabulary import EventKind


@dataclass
class EventInput:
    held_on: dt.date | None  # None: not entered yet (a draft)
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


def to_payload(entry: JournalInput) -> dict[str, Any]:
    """``entry`` as JSON-ready data (dates in ISO form), read back by :func:`from_payload`."""
    payload = asdict(entry)
    for event in payload["events"]:
        event["held_on"] = event["held_on"].isoformat() if event["held_on"] else None
    return payload


def from_payload(payload: dict[str, Any]) -> JournalInput:
    """The entry :func:`to_payload` wrote."""
    events = [
        EventInput(
            held_on=dt.date.fromisoformat(event["held_on"]) if event["held_on"] else None,
            kind=event["kind"],
            title=event["title"],
            participants=dict(event["participants"]),
        )
        for event in payload["events"]
    ]
    return JournalInput(**{**payload, "rubric": dict(payload["rubric"]), "events": events})


def _error(check_id: str, message: str, hint: str, columns: list[str] | None = None) -> CheckResult:
    return CheckResult(check_id, Severity.ERROR, message, hint, columns=columns or [])


def _warning(
    check_id: str, message: str, hint: str, columns: list[str] | None = None
) -> CheckResult:
    return CheckResult(check_id, Severity.WARNING, message, hint, columns=columns or [])


def _to_complete(
    submit: bool, check_id: str, message: str, hint: str, columns: list[str]
) -> CheckResult:
    """Something missing: an error when submitting, a warning on a draft."""
    if submit:
        return _error(check_id, message, hint, columns)
    return _warning(check_id, message, f"{hint} (nécessaire pour soumettre)", columns)


def check_journal(
    entry: JournalInput,
    month: dt.date,
    submit: bool,
    *,
    model: StageModel,
    sectors: Collection[str],
    previous_stage: str | None = None,
    today: dt.date | None = None,
) -> Report:
    """The checks ``entry`` passes before it is saved as ``month``'s journal (``submit``:
    submitted rather than a draft), against the programme's stage ``model`` and ``sectors``
    (ids); ``previous_stage`` is the stage declared the month before, ``today`` defaults to
    the programme's current day."""
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
        where = f"rencontre {index} ({event.title.strip() or 'sans titre'})"
        if event.held_on is None:
            report.add(
                _to_complete(
                    submit, "event_date", f"{where} : date manquante.", "Saisissez sa date", [where]
                )
            )
        elif not month <= event.held_on <= month_end:
            report.add(
                _error(
                    "event_outside_month",
                    f"{where} : la date {event.held_on:%d/%m/%Y} n'est pas dans le mois.",
                    "Saisissez la rencontre dans le journal du mois où elle a eu lieu.",
                    [where],
                )
            )
        if event.kind not in tuple(EventKind):
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
                _to_complete(
                    submit,
                    "event_title",
                    f"{where} : titre manquant.",
                    "Donnez-lui un titre",
                    [where],
                )
            )
        unknown = sorted(set(event.participants) - set(sectors))
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
