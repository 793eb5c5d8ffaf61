"""The survey suite: its subject, and the checks of the respondents (ids, organisations,
sectors, dates), declared in the order a report lists them; :mod:`.answers` declares the rest.

Each check reads a :class:`SurveyInput`: the parsed frames (one row per respondent, long frames
of Likert answers, contributions and roster ratings) and the :class:`SurveyContext` the file is
compared with (the territory's actors, the wave's window, the neighbouring waves, the
respondents already stored).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from data import fr
from data.domain.checks import CheckResult, enumerate_fr, plural, quoted
from data.importer.formats import ActorRef
from data.importer.frames import SurveyFrames
from data.importer.quality.expectations import Failure, Probe, gxe
from data.importer.quality.registry import SURVEY, Text, expectation_check
from data.importer.quality.registry import run_checks as _run_checks
from data.importer.quality.structure import cell_values
from data.importer.settings import QualityFile

RESPONDENTS = "respondents"
DEFAULT_MAX_SHARE = 0.5  # of the statements left unanswered, when quality.yaml sets none


@dataclass
class WaveSpan:
    """The dates of another wave's answers."""

    number: int
    first: dt.date
    last: dt.date


@dataclass
class SurveyContext:
    """What the survey checks compare the file with."""

    territory_id: str
    territory_name: str
    wave_number: int
    actors: list[ActorRef]
    sector_labels: dict[str, str]
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    previous: WaveSpan | None = None
    following: WaveSpan | None = None
    stored_respondents: set[str] = field(default_factory=set)  # this wave's, already imported
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class SurveyInput:
    """A parsed survey file with what it is compared with: the survey checks' subject."""

    settings: QualityFile
    parsed: SurveyFrames
    ctx: SurveyContext

    @property
    def main_frame(self) -> str:
        return RESPONDENTS

    def frames(self) -> dict[str, pd.DataFrame]:
        return self.parsed.frames()

    @property
    def respondents(self) -> pd.DataFrame:
        return self.parsed.respondents

    def at(self, name: str) -> str | None:
        """The report's name of a fixed column (``org_id (B)``), when the file has it."""
        return self.parsed.displays.get(name)

    @cached_property
    def first(self) -> dt.date | None:
        dates = self.respondents["submitted_at"].dropna()
        return dates.min().date() if len(dates) else None

    @cached_property
    def last(self) -> dt.date | None:
        dates = self.respondents["submitted_at"].dropna()
        return dates.max().date() if len(dates) else None

    @property
    def max_share(self) -> float:
        setting = self.settings.suites.get("survey", {}).get("missing_share")
        return setting.max_share if setting and setting.max_share is not None else DEFAULT_MAX_SHARE


def survey_checks(
    settings: QualityFile, parsed: SurveyFrames, ctx: SurveyContext
) -> list[CheckResult]:
    """Run the survey suite on a parsed file."""
    return _run_checks("survey", "values", settings, SurveyInput(settings, parsed, ctx))


def _moment(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(0)) if day else None


def respondent_probe(s: SurveyInput, expectation: object, field_name: str, raw: str) -> Probe:
    """A probe on the respondents, its failures named by the column of ``field_name``."""
    return Probe(RESPONDENTS, expectation, s.at(field_name), raw_col=raw)


# -- respondents ---------------------------------------------------------------------------


@expectation_check(
    "respondent_id_present",
    SURVEY,
    "Chaque réponse porte un identifiant de répondant (100 caractères au plus).",
)
def respondent_id_present(s: SurveyInput) -> list[Probe]:
    return [
        respondent_probe(
            s,
            gxe.ExpectColumnValuesToNotBeNull(column="respondent_id"),
            "respondent_id",
            "respondent_raw",
        ),
        respondent_probe(
            s,
            gxe.ExpectColumnValuesToBeBetween(column="_respondent_len", max_value=100),
            "respondent_id",
            "respondent_raw",
        ),
    ]


@respondent_id_present.message
def _respondent_id_present_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(len(set(f.rows)), 'réponse')} sans identifiant de répondant (ou avec "
        "un identifiant de plus de 100 caractères).",
        "Chaque ligne doit porter l'identifiant du répondant, unique dans la vague. "
        "Complétez-le, ou supprimez les lignes qui ne sont pas des réponses.",
    )


@expectation_check(
    "unique_respondent", SURVEY, "Un identifiant de répondant n'apparaît qu'une fois par vague."
)
def unique_respondent(s: SurveyInput) -> list[Probe]:
    return [
        respondent_probe(
            s,
            gxe.ExpectColumnValuesToBeUnique(column="respondent_id"),
            "respondent_id",
            "respondent_raw",
        )
    ]


@unique_respondent.message
def _unique_respondent_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(len(set(f.rows)), 'ligne')} partagent un identifiant de répondant avec "
        f"une autre ligne : {quoted(f.values)}.",
        "Un identifiant n'apparaît qu'une fois par vague. Supprimez les doublons (réponse "
        "envoyée deux fois ?) ou corrigez l'identifiant.",
    )


@expectation_check("org_present", SURVEY, "Chaque réponse indique l'organisation du répondant.")
def org_present(s: SurveyInput) -> list[Probe]:
    return [
        respondent_probe(
            s, gxe.ExpectColumnValuesToNotBeNull(column="org_raw"), "org_id", "org_raw"
        )
    ]


@org_present.message
def _org_present_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(len(set(f.rows)), 'réponse')} sans organisation.",
        "Indiquez l'organisation du répondant (son org_id ou son nom exact dans la liste "
        "des acteurs).",
    )


@expectation_check(
    "known_org", SURVEY, "L'organisation du répondant est sur la liste des acteurs du territoire."
)
def known_org(s: SurveyInput) -> list[Probe]:
    actor_ids = [a.org_id for a in s.ctx.actors]
    return [
        respondent_probe(
            s,
            gxe.ExpectColumnValuesToBeInSet(column="org_id", value_set=actor_ids),
            "org_id",
            "org_raw",
        )
    ]


@known_org.message
def _known_org_message(f: Failure, s: SurveyInput) -> Text:
    ctx = s.ctx
    message = (
        f"{plural(f.count, 'réponse désigne', 'réponses désignent')} une organisation absente "
        f"de la liste des acteurs du territoire « {ctx.territory_name} » : "
        f"{quoted(cell_values(f))}."
    )
    known = {a.org_id for a in ctx.actors}
    if not s.respondents["org_id"].isin(known).any():
        message += (
            " Aucune organisation du fichier n'est sur cette liste : ce fichier concerne-t-il "
            "un autre territoire ?"
        )
    sample = enumerate_fr([a.org_id for a in ctx.actors], limit=8)
    hint = (
        "Utilisez l'identifiant (org_id) ou le nom exact d'une organisation de la liste, ou "
        "ajoutez-la d'abord à la liste des acteurs (importez-la à nouveau). "
        f"Organisations connues : {sample}."
    )
    return message, hint


@expectation_check("date_readable", SURVEY, "Chaque réponse porte une date lisible.")
def date_readable(s: SurveyInput) -> list[Probe]:
    return [
        respondent_probe(
            s,
            gxe.ExpectColumnValuesToNotBeNull(column="submitted_at"),
            "submitted_at",
            "date_raw",
        )
    ]


@date_readable.message
def _date_readable_message(f: Failure, s: SurveyInput) -> Text:
    empty = sum(1 for c in f.cells if c.value is None)
    unreadable = [c.value for c in f.cells if c.value is not None]
    message = f"{plural(f.count, 'date de réponse manquante', 'dates de réponse manquantes')}"
    message += " ou illisible" + ("s" if f.count > 1 else "")
    if unreadable:
        message += f" : {quoted(unreadable)}"
    message += "."
    hint = "Écrivez les dates au format jj/mm/aaaa (23/11/2026) ou aaaa-mm-jj (2026-11-23)."
    r = s.respondents
    us = r[r["_row"].isin(set(f.rows)) & (r["_date_issue"] == "us")]
    if len(us):
        hint = (
            f"{quoted(us['date_raw'])} : mois et jour semblent inversés (format américain "
            "mois/jour). " + hint
        )
    if empty and not unreadable:
        hint = "Complétez la date de chaque réponse. " + hint
    return message, hint


@expectation_check(
    "known_sector", SURVEY, "Le secteur indiqué, quand le fichier en a une colonne, est connu."
)
def known_sector(s: SurveyInput) -> list[Probe]:
    if s.at("sector") is None:
        return []
    sectors = list(s.ctx.sector_labels)
    return [
        respondent_probe(
            s,
            gxe.ExpectColumnValuesToBeInSet(column="sector", value_set=sectors),
            "sector",
            "sector_raw",
        )
    ]


@known_sector.message
def _known_sector_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'secteur non reconnu', 'secteurs non reconnus')} : {quoted(f.values)}.",
        f"Secteurs acceptés : {enumerate_fr(list(s.ctx.sector_labels.values()))} "
        "(majuscules et accents indifférents). Vous pouvez aussi laisser la "
        "colonne vide : le secteur de la liste des acteurs est alors utilisé.",
    )


@expectation_check(
    "sector_matches_actors",
    SURVEY,
    "Le secteur indiqué est celui de l'organisation dans la liste des acteurs.",
)
def sector_matches_actors(s: SurveyInput) -> list[Probe]:
    if s.at("sector") is None:
        return []
    r, labels = s.respondents, s.ctx.sector_labels
    # The text the report quotes: the file's sector beside the list's.
    r["_sector_pair"] = [
        f"{raw} (liste des acteurs : {labels.get(expected, expected)})"
        for raw, expected in zip(r["sector_raw"], r["_actor_sector"], strict=True)
    ]
    return [
        respondent_probe(
            s,
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="_sector_valid",
                column_B="_actor_sector",
                ignore_row_if="either_value_is_missing",
            ),
            "sector",
            "_sector_pair",
        )
    ]


@sector_matches_actors.message
def _sector_matches_actors_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'réponse indique', 'réponses indiquent')} un secteur "
        "différent de celui de l'organisation dans la liste des acteurs.",
        "Corrigez le secteur dans le fichier, ou laissez la colonne vide (le "
        "secteur de la liste est alors utilisé). Si c'est la liste qui est fausse, "
        "corrigez-la d'abord et importez-la à nouveau.",
    )


# -- dates ---------------------------------------------------------------------------------


@expectation_check(
    "date_in_window",
    SURVEY,
    "Les réponses sont datées dans la période prévue pour la vague, quand elle est fixée.",
)
def date_in_window(s: SurveyInput) -> list[Probe]:
    ctx = s.ctx
    if not (ctx.window_start or ctx.window_end):
        return []
    return [
        respondent_probe(
            s,
            gxe.ExpectColumnValuesToBeBetween(
                column="submitted_at",
                min_value=_moment(ctx.window_start),
                max_value=_moment(ctx.window_end),
            ),
            "submitted_at",
            "date_raw",
        )
    ]


@date_in_window.message
def _date_in_window_message(f: Failure, s: SurveyInput) -> Text:
    ctx = s.ctx
    window = (
        f"du {fr.date(ctx.window_start)} au {fr.date(ctx.window_end)}"
        if ctx.window_start and ctx.window_end
        else f"à partir du {fr.date(ctx.window_start)}"
        if ctx.window_start
        else f"jusqu'au {fr.date(ctx.window_end)}"
    )
    return (
        f"{plural(f.count, 'réponse datée', 'réponses datées')} hors de la période "
        f"prévue pour la vague {ctx.wave_number} ({window}).",
        "Vérifiez ces dates et le numéro de vague. Les réponses sont importées : "
        "les dates d'une vague sont celles de ses réponses.",
    )


@expectation_check("date_not_future", SURVEY, "Aucune réponse n'est datée après aujourd'hui.")
def date_not_future(s: SurveyInput) -> list[Probe]:
    return [
        respondent_probe(
            s,
            gxe.ExpectColumnValuesToBeBetween(
                column="submitted_at", max_value=_moment(s.ctx.today)
            ),
            "submitted_at",
            "date_raw",
        )
    ]


@date_not_future.message
def _date_not_future_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'réponse datée', 'réponses datées')} après aujourd'hui "
        f"({fr.date(s.ctx.today)}).",
        "Vérifiez l'année et l'ordre jour/mois de ces dates.",
    )


@expectation_check(
    "wave_order",
    SURVEY,
    "Les réponses ne sont pas toutes antérieures à la vague précédente (ou postérieures à la "
    "suivante).",
    error_only=True,
)
def wave_order(s: SurveyInput) -> list[Probe]:
    ctx, probes = s.ctx, []
    if s.first is not None and ctx.previous is not None:
        probes.append(
            Probe(
                RESPONDENTS,
                gxe.ExpectColumnMaxToBeBetween(
                    column="submitted_at", min_value=_moment(ctx.previous.first)
                ),
            )
        )
    if s.first is not None and ctx.following is not None:
        probes.append(
            Probe(
                RESPONDENTS,
                gxe.ExpectColumnMinToBeBetween(
                    column="submitted_at", max_value=_moment(ctx.following.last)
                ),
            )
        )
    return probes


@wave_order.message
def _wave_order_message(f: Failure, s: SurveyInput) -> Text:
    ctx = s.ctx
    span = f"du {fr.date(s.first)} au {fr.date(s.last)}"
    hint = (
        "Vérifiez le numéro de vague choisi : ce fichier est peut-être celui d'une autre "
        "vague. Sinon, vérifiez les dates des réponses."
    )
    if ctx.previous and s.last is not None and s.last < ctx.previous.first:
        return (
            f"Toutes les réponses de ce fichier ({span}) sont antérieures à celles de la vague "
            f"{ctx.previous.number} (à partir du {fr.date(ctx.previous.first)}) : la vague "
            f"{ctx.wave_number} ne peut pas la précéder.",
            hint,
        )
    assert ctx.following is not None
    return (
        f"Toutes les réponses de ce fichier ({span}) sont postérieures à celles de la vague "
        f"{ctx.following.number} (jusqu'au {fr.date(ctx.following.last)}) : la vague "
        f"{ctx.wave_number} ne peut pas la suivre.",
        hint,
    )
