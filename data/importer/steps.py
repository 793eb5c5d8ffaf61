"""The steps of an import job, in the order :data:`data.importer.job.STEPS` runs them.

Each step has one job: it takes the :class:`~data.importer.job_state.ImportState`, fills in what it
found and returns it; it refuses the file by raising :class:`~data.importer.job_state.Refused`
(after adding to the report the error that says why), or ends the job early by setting
``state.finished``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from data import fr, labels
from data.domain.checks import CheckResult, Severity, plural, quoted
from data.domain.waves import WAVE_HINT, invalid_wave
from data.importer import writing
from data.importer.formats import ActorRef, ColumnMap
from data.importer.frames import parse_actors, parse_survey
from data.importer.job_state import ImportState, Refused
from data.importer.quality import (
    SurveyContext,
    WaveSpan,
    actors_checks,
    header_checks,
    survey_checks,
)
from data.importer.reading import FileRefused, read_table
from data.importer.result import Outcome
from data.importer.values import ValueReader
from data.store.models import Actor, ImportReport, Respondent, SurveyWave, Territory

# -- the steps of both kinds ---------------------------------------------------------------


def check_target(state: ImportState) -> ImportState:
    """The territory exists and, for a survey, the wave number is valid."""
    with state.engine.connect() as connection:
        name = connection.scalar(select(Territory.name).where(Territory.id == state.territory_id))
        known = connection.scalars(select(Territory.id).order_by(Territory.id)).all()
    if name is None:
        raise state.refuse(
            CheckResult(
                "unknown_territory",
                Severity.ERROR,
                f"Territoire inconnu « {state.territory_id} ».",
                f"Territoires : {', '.join(known)}.",
            )
        )
    state.result.territory_name = name
    problem = invalid_wave(state.result.wave_number)
    if state.kind == "survey" and problem is not None:
        raise state.refuse(CheckResult("bad_wave", Severity.ERROR, problem, WAVE_HINT))
    return state


def check_size(state: ImportState) -> ImportState:
    """A file over the size limit is refused before it is read."""
    source = state.source
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    if size <= state.settings.max_bytes:
        return state
    state.report.context["size_bytes"] = size
    raise state.refuse(
        CheckResult(
            "file_too_large",
            Severity.ERROR,
            f"Le fichier « {state.filename} » est trop volumineux : "
            f"{fr.number(size / 1024 / 1024, 1)} Mo, pour une limite de "
            f"{fr.number(state.settings.limits.max_file_mb, 0)} Mo. Il n'a pas été lu.",
            "Vérifiez que c'est bien l'export des réponses d'une seule vague d'un seul "
            "territoire. Retirez les colonnes inutiles (pièces jointes, textes longs) ou "
            "enregistrez-le en CSV, plus léger qu'un classeur.",
        )
    )


def load_file(state: ImportState) -> ImportState:
    """A file on disk is read, and hashed."""
    if isinstance(state.source, Path):
        state.content = state.source.read_bytes()
        state.result.sha256 = hashlib.sha256(state.content).hexdigest()
        state.report.context.update(sha256=state.result.sha256, size_bytes=len(state.content))
    return state


def archive(state: ImportState) -> ImportState:
    """The raw bytes are stored under their hash, committed on their own (not on a dry run)."""
    if not state.dry_run:
        writing.archive(state.engine, state.result, state.content)
        state.archived = True
    return state


def detect_unchanged(state: ImportState) -> ImportState:
    """The same file already imported into the same target: nothing to do. The same survey
    file imported as another wave of the territory: refused (it would make a second,
    identical wave). The same file imported elsewhere: a warning."""
    sha256 = state.result.sha256
    accepted = ImportReport.outcome.in_(("imported", "replaced"))
    target = accepted & (ImportReport.kind == state.kind)
    target &= ImportReport.territory_id == state.territory_id
    if state.kind == "survey":
        target &= ImportReport.wave_number == state.wave_number
    with state.engine.connect() as connection:
        latest = connection.execute(
            select(ImportReport.sha256, ImportReport.imported_at, ImportReport.imported_by)
            .where(target)
            .order_by(ImportReport.id.desc())
            .limit(1)
        ).first()
        elsewhere = connection.execute(
            select(
                ImportReport.kind,
                ImportReport.territory_id,
                Territory.name,
                ImportReport.wave_number,
                ImportReport.imported_at,
                ImportReport.imported_by,
            )
            .join(Territory, Territory.id == ImportReport.territory_id)
            .where(ImportReport.sha256 == sha256, accepted, ~target)
            .order_by(ImportReport.id.desc())
            .limit(1)
        ).first()
    if latest is not None and latest.sha256 == sha256:
        state.result.outcome = "unchanged"
        state.result.previous = {
            "at": fr.date_time(latest.imported_at),
            "by": latest.imported_by,
        }
        state.finished = True
    elif (
        elsewhere is not None
        and elsewhere.kind == state.kind == "survey"
        and elsewhere.territory_id == state.territory_id
    ):
        raise state.refuse(
            CheckResult(
                "same_file_other_wave",
                Severity.ERROR,
                f"Ce fichier a déjà été importé comme vague {elsewhere.wave_number} de ce "
                f"territoire, le {fr.date_time(elsewhere.imported_at)} par "
                f"{elsewhere.imported_by} : l'importer comme vague {state.wave_number} en ferait "
                "une seconde vague identique.",
                f"Pour une nouvelle vague, importez l'export de la nouvelle enquête. Pour "
                f"corriger la vague {elsewhere.wave_number}, importez le fichier corrigé en "
                f"choisissant la vague {elsewhere.wave_number}.",
            )
        )
    elif elsewhere is not None:
        where = f"territoire « {elsewhere.name} »"
        if elsewhere.wave_number is not None:
            where += f", vague {elsewhere.wave_number}"
        state.report.add(
            CheckResult(
                "same_file_elsewhere",
                Severity.WARNING,
                "Ce même fichier a déjà été importé ailleurs "
                f"({labels.IMPORT_KIND[elsewhere.kind]}, {where}).",
                "Vérifiez le territoire et le numéro de vague choisis.",
            )
        )
    return state


def read_file(state: ImportState) -> ImportState:
    """The bytes become a table of text: its header found among the first rows."""
    try:
        state.table = read_table(
            state.content, state.filename, state.vocabulary.header_score, state.settings.limits
        )
    except FileRefused as refused:
        raise state.refuse(refused.check) from None
    state.report.context["source"] = state.table.source.to_dict()
    state.report.context["rows_read"] = len(state.table.rows)
    return state


def check_header(state: ImportState) -> ImportState:
    """The header stage of the suite: required, duplicate and unknown columns."""
    columns, table = state.columns, state.table
    state.result.source_format = columns.format_id
    state.report.context["format"] = columns.format_id
    state.report.context["read_as"] = f"{table.source.describe()} — {columns.format_label}"
    state.report.extend(header_checks(state.kind, state.settings, columns, table, state.filename))
    if state.report.has_errors:
        raise Refused("header")
    return state


def _sample_columns(columns: ColumnMap) -> str:
    names = [c.header for c in columns.columns if c.role not in ("unknown", "empty", "metadata")]
    return "colonnes " + ", ".join(names[:5]) + ("…" if len(names) > 5 else "")


def _database_error(state: ImportState, exc: SQLAlchemyError) -> Refused:
    return state.refuse(
        CheckResult(
            "database_error",
            Severity.ERROR,
            "L'écriture dans la base a échoué ; elle a été annulée en entier, rien n'a été "
            f"enregistré ({type(exc).__name__} : {str(exc).splitlines()[0][:200]}).",
            "Réessayez dans un instant (un autre import du même territoire était peut-être "
            "en cours). Si l'erreur persiste, transmettez ce rapport à l'équipe technique.",
        )
    )


def _checked(state: ImportState, would_be: Outcome, rows: int, counts: dict[str, int]) -> None:
    """A dry run's verdict: the file would be imported; nothing was written."""
    result = state.result
    result.outcome = "checked"
    result.would_be = would_be
    result.rows_imported = rows
    result.counts = counts
    result.report.counts = counts
    result.report.context["outcome"] = "checked"


# -- the steps of an actors list -----------------------------------------------------------


def recognise_actors_columns(state: ImportState) -> ImportState:
    """The header's columns are found by name; survey answers are refused here."""
    vocabulary = state.vocabulary
    state.columns = vocabulary.resolve_actors(state.table.header)
    if "name" not in state.columns.fixed:
        survey = vocabulary.resolve_survey(state.table.header)
        if "respondent_id" in survey.fixed or survey.answer_columns:
            raise state.refuse(
                CheckResult(
                    "wrong_file_kind",
                    Severity.ERROR,
                    f"Le fichier « {state.filename} » ressemble à des réponses d'enquête "
                    f"({_sample_columns(survey)}), pas à une liste d'acteurs.",
                    "Si ce sont des réponses, importez ce fichier comme une vague du baromètre, "
                    "avec son numéro. Une liste d'acteurs a les colonnes org_id, name, sector "
                    "et commune (voir le modèle).",
                    rows=[state.table.source.header_row],
                )
            )
    return state


def parse_actors_list(state: ImportState) -> ImportState:
    """The rows become a frame of organisations (every value kept, parsed)."""
    reader = ValueReader(state.formats, state.config.survey)
    state.listing = parse_actors(state.table, state.columns, reader)
    return state


def check_actors(state: ImportState) -> ImportState:
    """The quality gate: the actors suite."""
    state.report.extend(actors_checks(state.settings, state.listing, state.sector_labels))
    if state.report.has_errors:
        raise Refused("checks")
    return state


def prepare_actors(state: ImportState) -> ImportState:
    """The organisations to write: the rows no check refused."""
    state.wanted = writing.actors_wanted(state.listing)
    return state


def write_actors(state: ImportState) -> ImportState:
    """The list replaces the territory's, in one transaction; organisations that survey
    answers name are kept. On a dry run, the same comparison and nothing written."""
    wanted = state.wanted
    counts = {"actors": len(wanted), "added": 0, "updated": 0, "removed": 0, "kept": 0}
    engine = state.engine
    try:
        with engine.connect() if state.dry_run else engine.begin() as connection:
            query = select(Actor.id, Actor.org_id, Actor.name, Actor.sector, Actor.commune)
            query = query.where(Actor.territory_id == state.territory_id)
            if not state.dry_run:
                query = query.with_for_update()
            existing = {r.org_id: r for r in connection.execute(query)}
            referenced = writing.referenced_actors(connection, [r.id for r in existing.values()])
            added = [org for org in wanted if org not in existing]
            changed = [
                org
                for org, values in wanted.items()
                if org in existing
                and (existing[org].name, existing[org].sector, existing[org].commune) != values
            ]
            absent = [org for org in existing if org not in wanted]
            kept = [org for org in absent if existing[org].id in referenced]
            removed = [org for org in absent if existing[org].id not in referenced]
            if not state.dry_run:
                writing.apply_actors(
                    connection, state.territory_id, wanted, existing, added, changed, removed
                )
            if kept:
                state.report.add(
                    CheckResult(
                        "actors_kept",
                        Severity.WARNING,
                        f"{plural(len(kept), 'organisation absente', 'organisations absentes')}"
                        f" de ce fichier {'reste' if len(kept) == 1 else 'restent'} dans la "
                        f"liste, car des réponses d'enquête y font référence : {quoted(kept)}.",
                        "Si elles doivent vraiment disparaître, importez d'abord des fichiers "
                        "d'enquête corrigés qui ne les citent plus.",
                        count=len(kept),
                    )
                )
            counts.update(
                added=len(added),
                updated=len(changed),
                removed=len(removed),
                kept=len(kept),
                actors=len(wanted) + len(kept),
            )
            outcome: Outcome = "replaced" if existing else "imported"
            if state.dry_run:
                _checked(state, outcome, len(wanted), counts)
            else:
                writing.record_import(
                    connection,
                    state.result,
                    outcome,
                    len(wanted),
                    counts,
                    "actor",
                    state.territory_id,
                )
    except SQLAlchemyError as exc:
        raise _database_error(state, exc) from None
    return state


# -- the steps of a survey wave ------------------------------------------------------------


def load_actors(state: ImportState) -> ImportState:
    """The territory's actors list, which the answers must name; refused when empty."""
    with state.engine.connect() as connection:
        state.actors = [
            ActorRef(r.org_id, r.name, r.sector, r.id)
            for r in connection.execute(
                select(Actor.id, Actor.org_id, Actor.name, Actor.sector)
                .where(Actor.territory_id == state.territory_id)
                .order_by(Actor.org_id)
            )
        ]
    if not state.actors:
        raise state.refuse(
            CheckResult(
                "no_actors_list",
                Severity.ERROR,
                f"La liste des acteurs du territoire « {state.result.territory_name} » est "
                "vide : les réponses ne peuvent être rattachées à aucune organisation.",
                "Importez d'abord la liste des acteurs du territoire, puis importez à nouveau "
                "ce fichier.",
            )
        )
    return state


def recognise_survey_columns(state: ImportState) -> ImportState:
    """The header's columns are found by name (the tool's format detected); an actors list
    is refused here."""
    vocabulary = state.vocabulary
    state.columns = columns = vocabulary.resolve_survey(state.table.header)
    evidence = (
        "respondent_id" in columns.fixed
        or "submitted_at" in columns.fixed
        or columns.answer_columns
    )
    if evidence:
        return state
    listing = vocabulary.resolve_actors(state.table.header)
    if "name" in listing.fixed:
        raise state.refuse(
            CheckResult(
                "wrong_file_kind",
                Severity.ERROR,
                f"Le fichier « {state.filename} » ressemble à une liste d'acteurs "
                f"(colonnes {', '.join(listing.fixed)}), pas à des réponses d'enquête.",
                "Si c'est la liste des acteurs, importez-la comme telle. Pour l'enquête, "
                "choisissez l'export des réponses (une ligne par répondant, colonnes "
                "respondent_id, org_id, conf_1…).",
                rows=[state.table.source.header_row],
            )
        )
    return state


def parse_survey_file(state: ImportState) -> ImportState:
    """The rows become frames: one row per respondent, long frames of answers and ratings."""
    tool = state.formats.formats[state.columns.format_id]
    reader = ValueReader(state.formats, state.config.survey)
    state.survey = parse_survey(
        state.table,
        state.columns,
        reader,
        state.actors,
        tool.incomplete_when_empty,
        tool.utc_columns,
    )
    return state


def load_wave_context(state: ImportState) -> ImportState:
    """What the file is compared with: the wave's window, the neighbouring waves' dates, the
    respondents already stored."""
    state.stored_respondents = _stored_respondents(state)
    state.context = _survey_context(state)
    return state


def check_survey(state: ImportState) -> ImportState:
    """The quality gate: the survey suite."""
    state.report.extend(survey_checks(state.settings, state.survey, state.context))
    if state.report.has_errors:
        raise Refused("checks")
    return state


def prepare_survey(state: ImportState) -> ImportState:
    """The rows to write, those the checks' warnings leave, and what the report counts."""
    state.rows = writing.survey_rows(state.survey, state.actors, state.settings)
    state.counts = state.rows.counts(state.survey)
    return state


def write_survey(state: ImportState) -> ImportState:
    """The wave's rows are replaced in one transaction, with the report and the audit row.
    On a dry run, the rows are counted and nothing written."""
    rows, counts = state.rows, state.counts
    replacing = bool(state.stored_respondents)
    if state.dry_run:
        _checked(state, "replaced" if replacing else "imported", len(rows.respondents), counts)
        return state
    try:
        with state.engine.begin() as connection:
            had_rows = writing.replace_wave(connection, state.territory_id, state.wave_number, rows)
            writing.record_import(
                connection,
                state.result,
                "replaced" if had_rows or replacing else "imported",
                len(rows.respondents),
                counts,
                "survey_wave",
                f"{state.territory_id}/{state.wave_number}",
            )
    except SQLAlchemyError as exc:
        raise _database_error(state, exc) from None
    return state


def _stored_respondents(state: ImportState) -> set[str]:
    with state.engine.connect() as connection:
        return set(
            connection.scalars(
                select(Respondent.respondent_key)
                .join(SurveyWave, SurveyWave.id == Respondent.wave_id)
                .where(
                    SurveyWave.territory_id == state.territory_id,
                    SurveyWave.number == state.wave_number,
                )
            )
        )


def _survey_context(state: ImportState) -> SurveyContext:
    number = state.wave_number
    with state.engine.connect() as connection:
        wave = connection.execute(
            select(SurveyWave.window_start, SurveyWave.window_end).where(
                SurveyWave.territory_id == state.territory_id, SurveyWave.number == number
            )
        ).first()
        spans = connection.execute(
            select(
                SurveyWave.number,
                func.min(Respondent.submitted_at),
                func.max(Respondent.submitted_at),
            )
            .join(Respondent, Respondent.wave_id == SurveyWave.id)
            .where(SurveyWave.territory_id == state.territory_id, SurveyWave.number != number)
            .group_by(SurveyWave.number)
            .order_by(SurveyWave.number)
        ).all()
    before = [WaveSpan(n, _day(first), _day(last)) for n, first, last in spans if n < number]
    after = [WaveSpan(n, _day(first), _day(last)) for n, first, last in spans if n > number]
    return SurveyContext(
        territory_id=state.territory_id,
        territory_name=state.result.territory_name or state.territory_id,
        wave_number=number,
        actors=state.actors,
        sector_labels=state.sector_labels,
        window_start=wave.window_start if wave else None,
        window_end=wave.window_end if wave else None,
        previous=before[-1] if before else None,
        following=after[0] if after else None,
        stored_respondents=state.stored_respondents,
    )


def _day(value: Any) -> dt.date:
    """A date read back from the database (SQLite may give it as text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value
