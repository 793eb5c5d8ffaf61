"""The quality gate: suites of checks from ``config/quality.yaml``, run with Great Expectations.

Each check is a few expectations on the parsed frames (one row per respondent, long frames of
answers and ratings). Great Expectations gives the failing rows (by the spreadsheet row
number carried in ``_row``), the column and the text read; this module turns them into French
:class:`~data.domain.checks.CheckResult` objects with counts and what to do.

Great Expectations takes seconds to import: it is imported inside :func:`run_expectations`,
never at module level, so the dashboard starts fast.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import uuid
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from data import fr
from data.domain.checks import (
    Cell,
    CheckResult,
    Severity,
    enumerate_fr,
    plural,
    quoted,
)
from data.importer.formats import ActorRef, ColumnMap, normal
from data.importer.frames import ActorFrames, SurveyFrames
from data.importer.settings import QualityFile

SLUG = r"^[a-z0-9][a-z0-9_-]{0,99}$"
SURVEY_REQUIRED = ("respondent_id", "org_id", "submitted_at")
ACTORS_REQUIRED = ("org_id", "name", "sector")
FIELD_NAMES = {
    "respondent_id": "l'identifiant du répondant",
    "org_id": "l'organisation",
    "submitted_at": "la date de la réponse",
    "sector": "le secteur",
    "name": "le nom de l'organisation",
    "commune": "la commune",
}

# Every check a suite may name, and whether it may be a warning.
ERROR_ONLY = {"required_columns", "duplicate_columns", "wave_order"}
CHECK_IDS = {
    "actors": {
        "required_columns",
        "duplicate_columns",
        "org_id_present",
        "org_id_format",
        "unique_org_id",
        "name_present",
        "known_sector",
        "unique_name",
        "unknown_columns",
        "text_encoding",
    },
    "survey": {
        "required_columns",
        "duplicate_columns",
        "respondent_id_present",
        "unique_respondent",
        "org_present",
        "known_org",
        "known_sector",
        "sector_matches_actors",
        "date_readable",
        "date_in_window",
        "date_not_future",
        "wave_order",
        "likert_range",
        "level_range",
        "trust_range",
        "contrib_values",
        "self_rating",
        "unknown_rated_org",
        "trust_needs_tie",
        "missing_share",
        "unknown_columns",
        "incomplete_responses",
        "respondents_removed",
        "text_encoding",
    },
}


def validate_suites(settings: QualityFile) -> list[str]:
    """Problems in ``quality.yaml``'s suites: unknown checks, errors made warnings."""
    problems = []
    for kind, checks in settings.suites.items():
        for check_id, setting in checks.items():
            if check_id not in CHECK_IDS[kind]:
                known = ", ".join(sorted(CHECK_IDS[kind]))
                problems.append(
                    f"clé « suites.{kind}.{check_id} » : contrôle inconnu (contrôles : {known})"
                )
            elif check_id in ERROR_ONLY and setting.severity != "error":
                problems.append(
                    f"clé « suites.{kind}.{check_id} » : ce contrôle ne peut être qu'une erreur"
                )
    return problems


# -- running expectations ------------------------------------------------------------------


@dataclass
class Probe:
    """One expectation on one frame, and where its failures are read."""

    frame: str
    expectation: Any
    column: str | None = None  # the report's name for the column, when fixed
    column_col: str | None = None  # a frame column holding it, when it varies by row
    raw_col: str | None = None  # a frame column holding the text read


@dataclass
class Failure:
    """What a check's failed expectations found."""

    count: int = 0
    rows: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    observed: list[Any] = field(default_factory=list)

    def merge(self, other: Failure) -> None:
        self.count += other.count
        self.rows.extend(other.rows)
        self.columns.extend(other.columns)
        self.cells.extend(other.cells)
        self.values.extend(other.values)
        self.observed.extend(other.observed)


def _gx():  # type: ignore[no-untyped-def]
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    for name in ("great_expectations", "great_expectations.core", "py.warnings"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return gx


def expectations():  # type: ignore[no-untyped-def]
    """The ``great_expectations.expectations`` module, imported on first use."""
    _gx()
    import great_expectations.expectations as gxe

    return gxe


_CONTEXT: Any = None
_CONTEXT_LOCK = threading.Lock()


def _context() -> Any:
    """One ephemeral Great Expectations context per process (each one makes a temp folder)."""
    global _CONTEXT
    if _CONTEXT is None:
        gx = _gx()
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = {"globally": False}
        _CONTEXT = context
    return _CONTEXT


def run_expectations(
    frames: dict[str, pd.DataFrame], probes: Sequence[Probe]
) -> list[Failure | None]:
    """Validate each frame once with its probes' expectations; ``None`` where one passed."""
    gx = _gx()
    results: list[Failure | None] = [None] * len(probes)
    with _CONTEXT_LOCK:
        context = _context()
        name = f"import-{uuid.uuid4().hex[:8]}"
        source = context.data_sources.add_pandas(name=name)
        try:
            for frame_name, frame in frames.items():
                mine = [i for i, p in enumerate(probes) if p.frame == frame_name]
                if mine:
                    _validate(gx, source, frame_name, frame, probes, mine, results)
        finally:
            context.data_sources.delete(name)
    return results


def _validate(
    gx: Any,
    source: Any,
    frame_name: str,
    frame: pd.DataFrame,
    probes: Sequence[Probe],
    mine: list[int],
    results: list[Failure | None],
) -> None:
    asset = source.add_dataframe_asset(name=frame_name)
    batch = asset.add_batch_definition_whole_dataframe(name=frame_name).get_batch(
        batch_parameters={"dataframe": frame}
    )
    suite = gx.ExpectationSuite(name=f"{frame_name}-{uuid.uuid4().hex[:8]}")
    index_columns = ["_row"] if "_row" in frame.columns else []
    for i in mine:
        probe = probes[i]
        probe.expectation.meta = {"probe": i}
        suite.add_expectation(probe.expectation)
        for column in (probe.column_col, probe.raw_col):
            if column and column in frame.columns and column not in index_columns:
                index_columns.append(column)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = batch.validate(
            suite,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": index_columns,
            },
        )
    for result in outcome.results:
        i = int(result.expectation_config.meta["probe"])
        info = result.exception_info or {}
        if info.get("raised_exception"):
            raise RuntimeError(
                f"Great Expectations n'a pas pu exécuter {type(probes[i].expectation).__name__}"
                f" : {info.get('exception_message')}"
            )
        if not result.success:
            results[i] = _failure(result.result, probes[i])


def _failure(result: dict[str, Any], probe: Probe) -> Failure:
    failure = Failure(count=int(result.get("unexpected_count") or 0))
    if "observed_value" in result:
        failure.observed.append(result["observed_value"])
    value_key = getattr(probe.expectation, "column", None)
    for entry in result.get("unexpected_index_list") or []:
        row = entry.get("_row")
        column = entry.get(probe.column_col) if probe.column_col else probe.column
        raw = entry.get(probe.raw_col) if probe.raw_col else entry.get(value_key)
        value = entry.get(value_key, entry.get("value"))
        if row is not None:
            failure.rows.append(int(row))
        if column:
            failure.columns.append(str(column))
        failure.values.append(value)
        if len(failure.cells) < 8:
            failure.cells.append(
                Cell(
                    int(row) if row is not None else None,
                    str(column) if column else None,
                    None if fr.is_missing(raw) else str(raw),
                )
            )
    if not failure.count:
        failure.count = len(result.get("unexpected_index_list") or [])
    return failure


# -- checks --------------------------------------------------------------------------------

Describe = Callable[[Failure], tuple[str, str]]


@dataclass
class CheckDef:
    check_id: str
    probes: list[Probe]
    describe: Describe


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
    today: dt.date = field(default_factory=dt.date.today)


def _severity(settings: QualityFile, kind: str, check_id: str) -> Severity | None:
    setting = settings.suites.get(kind, {}).get(check_id)  # type: ignore[call-overload]
    return Severity(setting.severity) if setting else None


def _run(
    kind: str,
    settings: QualityFile,
    frames: dict[str, pd.DataFrame],
    checks: list[CheckDef],
) -> list[CheckResult]:
    enabled = [c for c in checks if _severity(settings, kind, c.check_id) is not None]
    probes = [p for c in enabled for p in c.probes]
    failures = run_expectations(frames, probes)
    results = []
    position = 0
    for check in enabled:
        merged: Failure | None = None
        for failure in failures[position : position + len(check.probes)]:
            if failure is not None:
                if merged is None:
                    merged = Failure()
                merged.merge(failure)
        position += len(check.probes)
        if merged is None:
            continue
        message, hint = check.describe(merged)
        results.append(
            CheckResult(
                check.check_id,
                _severity(settings, kind, check.check_id) or Severity.ERROR,
                message,
                hint,
                rows=merged.rows,
                columns=merged.columns,
                count=merged.count or len(set(merged.rows)),
                cells=merged.cells,
            )
        )
    return results


def check_required(
    kind: str, settings: QualityFile, columns: ColumnMap, filename: str
) -> list[CheckResult]:
    """Required columns (and, for a survey, at least one answer column)."""
    gxe = expectations()
    required = SURVEY_REQUIRED if kind == "survey" else ACTORS_REQUIRED
    present = pd.DataFrame(columns=list(columns.fixed))
    probes = [Probe("header", gxe.ExpectColumnToExist(column=name)) for name in required]
    failures = run_expectations({"header": present}, probes)
    missing = [name for name, f in zip(required, failures, strict=True) if f is not None]
    results = []
    found = [c.header for c in columns.columns if c.header]
    if missing or (kind == "survey" and not columns.answer_columns):
        parts = []
        if missing:
            label = (
                "Colonne obligatoire absente"
                if len(missing) == 1
                else ("Colonnes obligatoires absentes")
            )
            names = enumerate_fr([f"{m} ({FIELD_NAMES[m]})" for m in missing])
            parts.append(f"{label} du fichier « {filename} » : {names}")
        if kind == "survey" and not columns.answer_columns:
            parts.append(
                ("aucune" if parts else "Aucune")
                + f" colonne de réponses reconnue{'' if parts else f' dans « {filename} »'} "
                "(affirmations conf_1… anc_3, contrib_<ressource>, level__<org_id>…)"
            )
        message = " ; ".join(parts) + "."
        hint = (
            "Ajoutez la colonne manquante ou renommez la colonne correspondante avec le nom "
            "attendu (voir le modèle téléchargeable)."
        )
        if found:
            hint += f" Colonnes trouvées : {enumerate_fr(found, limit=15)}."
        results.append(
            CheckResult("required_columns", Severity.ERROR, message, hint, columns=missing, count=1)
        )
    return results


def structural_checks(
    kind: str, settings: QualityFile, columns: ColumnMap, has_data: dict[int, bool]
) -> list[CheckResult]:
    """Duplicate and unknown columns (from the header alone)."""
    results = []
    severity = _severity(settings, kind, "duplicate_columns")
    if severity and columns.duplicates:
        groups = [
            f"{group[0].canonical} en colonnes {enumerate_fr([c.letter for c in group])}"
            for group in columns.duplicates
        ]
        results.append(
            CheckResult(
                "duplicate_columns",
                severity,
                f"Colonne en double : {enumerate_fr(groups)}. L'import ne sait pas laquelle lire.",
                "Supprimez ou renommez les colonnes en trop pour qu'il n'en reste qu'une.",
                columns=[c.display for group in columns.duplicates for c in group],
                count=len(columns.duplicates),
            )
        )
    severity = _severity(settings, kind, "unknown_columns")
    unknown = list(columns.unknown)
    unknown += [c for c in columns.columns if c.role == "empty" and has_data.get(c.index, False)]
    unknown.sort(key=lambda c: c.index)
    if severity and unknown:
        results.append(
            CheckResult(
                "unknown_columns",
                severity,
                f"{plural(len(unknown), 'colonne non reconnue', 'colonnes non reconnues')}, "
                f"{'ignorée' if len(unknown) == 1 else 'ignorées'} : "
                f"{enumerate_fr([c.display for c in unknown], limit=10)}.",
                "Normal si le formulaire contient des questions en plus. Sinon, renommez la "
                "colonne avec le nom attendu (voir le modèle) et importez à nouveau le fichier.",
                columns=[c.display for c in unknown],
                count=len(unknown),
            )
        )
    return results


# -- survey --------------------------------------------------------------------------------


def survey_checks(
    settings: QualityFile, parsed: SurveyFrames, ctx: SurveyContext
) -> list[CheckResult]:
    """Run the survey suite on a parsed file."""
    gxe = expectations()
    r = parsed.respondents
    d = parsed.displays
    actor_ids = [a.org_id for a in ctx.actors]
    sector_label = ctx.sector_labels
    r["_sector_pair"] = [
        f"{raw} (liste des acteurs : {sector_label.get(expected, expected)})"
        for raw, expected in zip(r["sector_raw"], r["_actor_sector"], strict=True)
    ]
    dates = r["submitted_at"].dropna()
    first = dates.min().date() if len(dates) else None
    last = dates.max().date() if len(dates) else None
    resp = "respondents"

    def at(name: str) -> str | None:
        return d.get(name)

    checks: list[CheckDef] = [
        CheckDef(
            "respondent_id_present",
            [
                Probe(
                    resp,
                    gxe.ExpectColumnValuesToNotBeNull(column="respondent_id"),
                    at("respondent_id"),
                    raw_col="respondent_raw",
                ),
                Probe(
                    resp,
                    gxe.ExpectColumnValuesToBeBetween(column="_respondent_len", max_value=100),
                    at("respondent_id"),
                    raw_col="respondent_raw",
                ),
            ],
            lambda f: (
                f"{plural(len(set(f.rows)), 'réponse')} sans identifiant de répondant (ou avec "
                "un identifiant de plus de 100 caractères).",
                "Chaque ligne doit porter l'identifiant du répondant, unique dans la vague. "
                "Complétez-le, ou supprimez les lignes qui ne sont pas des réponses.",
            ),
        ),
        CheckDef(
            "unique_respondent",
            [
                Probe(
                    resp,
                    gxe.ExpectColumnValuesToBeUnique(column="respondent_id"),
                    at("respondent_id"),
                    raw_col="respondent_raw",
                )
            ],
            lambda f: (
                f"{plural(len(set(f.rows)), 'ligne')} partagent un identifiant de répondant avec "
                f"une autre ligne : {quoted(f.values)}.",
                "Un identifiant n'apparaît qu'une fois par vague. Supprimez les doublons (réponse "
                "envoyée deux fois ?) ou corrigez l'identifiant.",
            ),
        ),
        CheckDef(
            "org_present",
            [
                Probe(
                    resp,
                    gxe.ExpectColumnValuesToNotBeNull(column="org_raw"),
                    at("org_id"),
                    raw_col="org_raw",
                )
            ],
            lambda f: (
                f"{plural(len(set(f.rows)), 'réponse')} sans organisation.",
                "Indiquez l'organisation du répondant (son org_id ou son nom exact dans la liste "
                "des acteurs).",
            ),
        ),
        CheckDef(
            "known_org",
            [
                Probe(
                    resp,
                    gxe.ExpectColumnValuesToBeInSet(column="org_id", value_set=actor_ids),
                    at("org_id"),
                    raw_col="org_raw",
                )
            ],
            lambda f: _known_org_message(f, ctx, r),
        ),
        CheckDef(
            "date_readable",
            [
                Probe(
                    resp,
                    gxe.ExpectColumnValuesToNotBeNull(column="submitted_at"),
                    at("submitted_at"),
                    raw_col="date_raw",
                )
            ],
            lambda f: _date_message(f, r),
        ),
    ]
    if "sector" in parsed.displays:
        checks.append(
            CheckDef(
                "known_sector",
                [
                    Probe(
                        resp,
                        gxe.ExpectColumnValuesToBeInSet(
                            column="sector", value_set=list(sector_label)
                        ),
                        at("sector"),
                        raw_col="sector_raw",
                    )
                ],
                lambda f: (
                    f"{plural(f.count, 'secteur non reconnu', 'secteurs non reconnus')} : "
                    f"{quoted(f.values)}.",
                    f"Secteurs acceptés : {enumerate_fr(list(sector_label.values()))} "
                    "(majuscules et accents indifférents). Vous pouvez aussi laisser la "
                    "colonne vide : le secteur de la liste des acteurs est alors utilisé.",
                ),
            )
        )
        checks.append(
            CheckDef(
                "sector_matches_actors",
                [
                    Probe(
                        resp,
                        gxe.ExpectColumnPairValuesToBeEqual(
                            column_A="_sector_valid",
                            column_B="_actor_sector",
                            ignore_row_if="either_value_is_missing",
                        ),
                        at("sector"),
                        raw_col="_sector_pair",
                    )
                ],
                lambda f: (
                    f"{plural(f.count, 'réponse indique', 'réponses indiquent')} un secteur "
                    "différent de celui de l'organisation dans la liste des acteurs.",
                    "Corrigez le secteur dans le fichier, ou laissez la colonne vide (le "
                    "secteur de la liste est alors utilisé). Si c'est la liste qui est fausse, "
                    "corrigez-la d'abord (cooperascope import actors).",
                ),
            )
        )
    if ctx.window_start or ctx.window_end:
        window = (
            f"du {fr.date(ctx.window_start)} au {fr.date(ctx.window_end)}"
            if ctx.window_start and ctx.window_end
            else f"à partir du {fr.date(ctx.window_start)}"
            if ctx.window_start
            else f"jusqu'au {fr.date(ctx.window_end)}"
        )
        checks.append(
            CheckDef(
                "date_in_window",
                [
                    Probe(
                        resp,
                        gxe.ExpectColumnValuesToBeBetween(
                            column="submitted_at",
                            min_value=_moment(ctx.window_start),
                            max_value=_moment(ctx.window_end),
                        ),
                        at("submitted_at"),
                        raw_col="date_raw",
                    )
                ],
                lambda f: (
                    f"{plural(f.count, 'réponse datée', 'réponses datées')} hors de la période "
                    f"prévue pour la vague {ctx.wave_number} ({window}).",
                    "Vérifiez ces dates et le numéro de vague. Les réponses sont importées : "
                    "les dates d'une vague sont celles de ses réponses.",
                ),
            )
        )
    checks.append(
        CheckDef(
            "date_not_future",
            [
                Probe(
                    resp,
                    gxe.ExpectColumnValuesToBeBetween(
                        column="submitted_at", max_value=_moment(ctx.today)
                    ),
                    at("submitted_at"),
                    raw_col="date_raw",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'réponse datée', 'réponses datées')} après aujourd'hui "
                f"({fr.date(ctx.today)}).",
                "Vérifiez l'année et l'ordre jour/mois de ces dates.",
            ),
        )
    )
    wave_probes = []
    if first is not None and ctx.previous is not None:
        wave_probes.append(
            Probe(
                resp,
                gxe.ExpectColumnMaxToBeBetween(
                    column="submitted_at", min_value=_moment(ctx.previous.first)
                ),
            )
        )
    if first is not None and ctx.following is not None:
        wave_probes.append(
            Probe(
                resp,
                gxe.ExpectColumnMinToBeBetween(
                    column="submitted_at", max_value=_moment(ctx.following.last)
                ),
            )
        )
    if wave_probes:
        checks.append(
            CheckDef("wave_order", wave_probes, lambda f: _wave_message(ctx, first, last))
        )
    checks += [
        CheckDef(
            "missing_share",
            [
                Probe(
                    resp,
                    gxe.ExpectColumnValuesToBeBetween(
                        column="_missing_share", max_value=_max_share(settings)
                    ),
                    at("respondent_id"),
                    raw_col="respondent_raw",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'répondant a', 'répondants ont')} laissé plus de "
                f"{fr.percent(_max_share(settings))} des affirmations sans réponse.",
                "Leurs réponses sont importées. Vérifiez que le fichier est complet (colonnes "
                "ou lignes coupées) ; sinon, rien à faire.",
            ),
        ),
        CheckDef(
            "text_encoding",
            [
                Probe(
                    resp,
                    gxe.ExpectColumnValuesToBeInSet(column="_mojibake", value_set=[False]),
                    None,
                    raw_col="_mojibake_raw",
                )
            ],
            _mojibake_message,
        ),
        CheckDef(
            "likert_range",
            [
                Probe(
                    "likert",
                    gxe.ExpectColumnValuesToBeInSet(column="value", value_set=[1, 2, 3, 4, 5]),
                    column_col="_column",
                    raw_col="raw",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'réponse')} aux affirmations hors de l'échelle 1 à 5 ou "
                f"illisible{'s' if f.count > 1 else ''} : {quoted(_cell_values(f))}.",
                "Une réponse va de 1 (pas du tout d'accord) à 5 (tout à fait d'accord), en "
                "nombre entier ; laissez la cellule vide s'il n'y a pas de réponse.",
            ),
        ),
        CheckDef(
            "contrib_values",
            [
                Probe(
                    "contrib",
                    gxe.ExpectColumnValuesToBeInSet(column="value", value_set=[0, 1]),
                    column_col="_column",
                    raw_col="raw",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'case')} « ressources apportées » illisible"
                f"{'s' if f.count > 1 else ''} : {quoted(_cell_values(f))}.",
                "Écrivez 1 (ou oui, x) si l'organisation apporte cette ressource, 0 (ou non, "
                "ou rien) sinon.",
            ),
        ),
        CheckDef(
            "level_range",
            [
                Probe(
                    "roster",
                    gxe.ExpectColumnValuesToBeInSet(column="level", value_set=[0, 1, 2, 3, 4, 5]),
                    column_col="level_col",
                    raw_col="level_raw",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'niveau', 'niveaux')} de collaboration hors de l'échelle "
                f"0 à 5 ou illisible{'s' if f.count > 1 else ''} : {quoted(_cell_values(f))}.",
                "Niveaux : 0 aucune relation, 1 réseau, 2 coopération, 3 coordination, "
                "4 coalition, 5 collaboration ; cellule vide si la question n'a pas été posée.",
            ),
        ),
        CheckDef(
            "trust_range",
            [
                Probe(
                    "roster",
                    gxe.ExpectColumnValuesToBeInSet(column=family, value_set=[1, 2, 3, 4]),
                    column_col=f"{family}_col",
                    raw_col=f"{family}_raw",
                )
                for family in ("fiab", "mission", "ouverture")
            ],
            lambda f: (
                f"{plural(f.count, 'réponse')} de confiance hors de l'échelle 1 à 4 ou "
                f"illisible{'s' if f.count > 1 else ''} : {quoted(_cell_values(f))}.",
                "La confiance va de 1 (pas du tout) à 4 (tout à fait) ; cellule vide si la "
                "question n'a pas été posée.",
            ),
        ),
        CheckDef(
            "self_rating",
            [
                Probe(
                    "roster",
                    gxe.ExpectColumnValuesToBeInSet(column="_self", value_set=[False]),
                    column_col="level_col",
                    raw_col="level_raw",
                )
            ],
            lambda f: (
                f"{plural(len(set(f.rows)), 'répondant a', 'répondants ont')} évalué leur "
                "propre organisation : ces évaluations sont ignorées.",
                "Rien à faire si le formulaire pose la question pour toutes les organisations ; "
                "sinon, laissez vide la colonne de sa propre organisation.",
            ),
        ),
        CheckDef(
            "unknown_rated_org",
            [
                Probe(
                    "roster",
                    gxe.ExpectColumnValuesToBeInSet(column="rated_known", value_set=[True]),
                    column_col="level_col",
                    raw_col="rated_org",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'évaluation porte', 'évaluations portent')} sur des "
                f"organisations absentes de la liste des acteurs ({quoted(_cell_values(f))}) : "
                "elles sont ignorées.",
                "Ajoutez ces organisations à la liste des acteurs (cooperascope import actors) "
                "puis importez à nouveau ce fichier, ou corrigez l'identifiant dans l'en-tête "
                "de la colonne.",
            ),
        ),
        CheckDef(
            "trust_needs_tie",
            [
                Probe(
                    "roster",
                    gxe.ExpectColumnValuesToBeInSet(column="_trust_without_tie", value_set=[False]),
                    column_col="level_col",
                    raw_col="level_raw",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'organisation évaluée', 'organisations évaluées')} en "
                "confiance alors que le niveau de collaboration est 0 ou vide : ces réponses de "
                "confiance sont ignorées.",
                "La confiance ne se demande que pour un niveau de collaboration d'au moins 1. "
                "Vérifiez le niveau indiqué (la cellule citée) ou videz les cellules de confiance.",
            ),
        ),
    ]
    results = _run("survey", settings, parsed.frames(), checks)
    severity = _severity(settings, "survey", "incomplete_responses")
    if severity and parsed.incomplete_rows:
        count = len(parsed.incomplete_rows)
        results.append(
            CheckResult(
                "incomplete_responses",
                severity,
                f"{plural(count, 'réponse jamais envoyée', 'réponses jamais envoyées')} (sans "
                "date d'envoi) laissée" + ("s" if count > 1 else "") + " de côté.",
                "Ce sont des questionnaires commencés mais pas terminés. Rien à faire, sauf si "
                "vous voulez les compter : complétez alors leur date d'envoi.",
                rows=parsed.incomplete_rows,
            )
        )
    return results


def _max_share(settings: QualityFile) -> float:
    setting = settings.suites.get("survey", {}).get("missing_share")
    return setting.max_share if setting and setting.max_share is not None else 0.5


def _moment(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(0)) if day else None


def _cell_values(failure: Failure) -> list[Any]:
    return [c.value for c in failure.cells]


def _known_org_message(
    f: Failure, ctx: SurveyContext, respondents: pd.DataFrame
) -> tuple[str, str]:
    raws = [c.value for c in f.cells]
    message = (
        f"{plural(f.count, 'réponse désigne', 'réponses désignent')} une organisation absente "
        f"de la liste des acteurs du territoire « {ctx.territory_name} » : {quoted(raws)}."
    )
    known = set(a.org_id for a in ctx.actors)
    if not respondents["org_id"].isin(known).any():
        message += (
            " Aucune organisation du fichier n'est sur cette liste : ce fichier concerne-t-il "
            "un autre territoire ?"
        )
    sample = enumerate_fr([a.org_id for a in ctx.actors], limit=8)
    hint = (
        "Utilisez l'identifiant (org_id) ou le nom exact d'une organisation de la liste, ou "
        "ajoutez-la d'abord à la liste des acteurs (cooperascope import actors). "
        f"Organisations connues : {sample}."
    )
    return message, hint


def _date_message(f: Failure, respondents: pd.DataFrame) -> tuple[str, str]:
    empty = sum(1 for c in f.cells if c.value is None)
    unreadable = [c.value for c in f.cells if c.value is not None]
    message = f"{plural(f.count, 'date de réponse manquante', 'dates de réponse manquantes')}"
    message += " ou illisible" + ("s" if f.count > 1 else "")
    if unreadable:
        message += f" : {quoted(unreadable)}"
    message += "."
    hint = "Écrivez les dates au format jj/mm/aaaa (23/11/2026) ou aaaa-mm-jj (2026-11-23)."
    rows = set(f.rows)
    us = respondents[respondents["_row"].isin(rows) & (respondents["_date_issue"] == "us")]
    if len(us):
        hint = (
            f"{quoted(us['date_raw'])} : mois et jour semblent inversés (format américain "
            "mois/jour). " + hint
        )
    if empty and not unreadable:
        hint = "Complétez la date de chaque réponse. " + hint
    return message, hint


def _wave_message(
    ctx: SurveyContext, first: dt.date | None, last: dt.date | None
) -> tuple[str, str]:
    span = f"du {fr.date(first)} au {fr.date(last)}"
    hint = (
        "Vérifiez le numéro de vague (--wave) : ce fichier est peut-être celui d'une autre "
        "vague. Sinon, vérifiez les dates des réponses."
    )
    if ctx.previous and last is not None and last < ctx.previous.first:
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


def _mojibake_message(f: Failure) -> tuple[str, str]:
    from data.importer.reading import SAVE_AS_CSV

    return (
        f"{plural(f.count, 'ligne contient', 'lignes contiennent')} des caractères mal "
        f"convertis ({quoted(_cell_values(f), limit=3)}) : le fichier a sans doute été "
        "converti deux fois d'un encodage à l'autre.",
        f"Repartez du fichier d'origine et enregistrez-le une seule fois en CSV UTF-8. "
        f"{SAVE_AS_CSV}",
    )


# -- actors --------------------------------------------------------------------------------


def actors_checks(
    settings: QualityFile, parsed: ActorFrames, sector_labels: dict[str, str]
) -> list[CheckResult]:
    """Run the actors suite on a parsed list."""
    gxe = expectations()
    d = parsed.displays
    a = "actors"
    frame = parsed.actors
    frame["_org_suggestion"] = [
        f"{raw} (suggestion : {normal(raw).replace(' ', '-')[:100] or '?'})"
        if isinstance(raw, str)
        else None
        for raw in frame["org_id"]
    ]
    checks = [
        CheckDef(
            "org_id_present",
            [Probe(a, gxe.ExpectColumnValuesToNotBeNull(column="org_id"), d.get("org_id"))],
            lambda f: (
                f"{plural(f.count, 'organisation')} sans identifiant (org_id).",
                "Donnez à chaque organisation un identifiant court et stable (ex. mairie-breil) "
                ": c'est lui qui relie les réponses d'enquête à l'organisation.",
            ),
        ),
        CheckDef(
            "org_id_format",
            [
                Probe(
                    a,
                    gxe.ExpectColumnValuesToMatchRegex(column="org_id", regex=SLUG),
                    d.get("org_id"),
                    raw_col="_org_suggestion",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'identifiant')} d'organisation invalide"
                f"{'s' if f.count > 1 else ''} : "
                + ", ".join(
                    f"« {v} » (suggestion : {normal(str(v)).replace(' ', '-')[:100] or '?'})"
                    for v in list(dict.fromkeys(f.values))[:5]
                )
                + ".",
                "Un identifiant (org_id) s'écrit en minuscules sans accents ni espaces : "
                "lettres, chiffres, « - » ou « _ », 100 caractères au plus (ex. mairie-breil). "
                "Le nom complet va dans la colonne name.",
            ),
        ),
        CheckDef(
            "unique_org_id",
            [Probe(a, gxe.ExpectColumnValuesToBeUnique(column="org_id"), d.get("org_id"))],
            lambda f: (
                f"{plural(f.count, 'ligne')} partagent un identifiant avec une autre ligne : "
                f"{quoted(f.values)}.",
                "Chaque organisation n'apparaît qu'une fois dans la liste, avec son propre "
                "identifiant. Fusionnez les doublons ou changez l'identifiant.",
            ),
        ),
        CheckDef(
            "name_present",
            [
                Probe(a, gxe.ExpectColumnValuesToNotBeNull(column="name"), d.get("name")),
                Probe(
                    a,
                    gxe.ExpectColumnValuesToBeBetween(column="_name_len", max_value=300),
                    d.get("name"),
                    raw_col="name",
                ),
            ],
            lambda f: (
                f"{plural(f.count, 'organisation')} sans nom (ou avec un nom de plus de 300 "
                "caractères).",
                "Indiquez le nom de chaque organisation dans la colonne name.",
            ),
        ),
        CheckDef(
            "known_sector",
            [
                Probe(
                    a,
                    gxe.ExpectColumnValuesToNotBeNull(column="_sector_valid"),
                    d.get("sector"),
                    raw_col="sector_raw",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'secteur manquant ou non reconnu', 'secteurs manquants ou non reconnus')}"  # noqa: E501
                + (f" : {quoted(v for v in _cell_values(f) if v)}" if any(_cell_values(f)) else "")
                + ".",
                f"Secteurs acceptés : {enumerate_fr(list(sector_labels.values()))} "
                "(majuscules et accents indifférents).",
            ),
        ),
        CheckDef(
            "unique_name",
            [
                Probe(
                    a,
                    gxe.ExpectColumnValuesToBeUnique(column="_name_key"),
                    d.get("name"),
                    raw_col="name",
                )
            ],
            lambda f: (
                f"{plural(f.count, 'organisation porte', 'organisations portent')} le même nom "
                f"qu'une autre : {quoted(_cell_values(f))}.",
                "Vérifiez que ce ne sont pas des doublons ; sinon, précisez les noms (ex. avec "
                "la commune).",
            ),
        ),
        CheckDef(
            "text_encoding",
            [
                Probe(
                    a,
                    gxe.ExpectColumnValuesToBeInSet(column="_mojibake", value_set=[False]),
                    None,
                    raw_col="_mojibake_raw",
                )
            ],
            _mojibake_message,
        ),
    ]
    return _run("actors", settings, parsed.frames(), checks)
