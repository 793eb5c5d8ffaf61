"""The one import path: actors lists and survey waves, from bytes to the database.

Order of operations, so that nothing is lost and nothing is half-written:

1. the raw bytes are archived in ``raw_upload`` under their SHA-256, in their own committed
   transaction, before anything is read from them;
2. a file already imported into the same target (same hash, same territory, same wave) is
   reported as *unchanged* and nothing else happens;
3. the file is read, its columns recognised, its values checked (quality gate);
4. a refused file leaves the data tables untouched: only its report is stored;
5. an accepted file is written in **one** transaction: the wave's rows are replaced (delete
   then insert), its report stored, one audit row written with the territory id (which is how
   the indicator refresh learns the territory changed);
6. ``on_change(territory_id)`` is called after the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from data import fr
from data.config import AppConfig, get_config
from data.domain.checks import CheckResult, Report, Severity, plural, quoted
from data.importer.formats import ActorRef, ColumnMap, Vocabulary
from data.importer.frames import ActorFrames, SurveyFrames, parse_actors, parse_survey
from data.importer.quality import (
    SurveyContext,
    WaveSpan,
    actors_checks,
    check_required,
    structural_checks,
    survey_checks,
)
from data.importer.reading import FileRefused, RawTable, read_table
from data.importer.settings import ImportFormats, QualityFile, import_formats, quality_settings
from data.importer.values import ValueReader
from data.store.audit import record
from data.store.bulk import insert_frame
from data.store.models import (
    Actor,
    Base,
    ImportReport,
    LikertAnswer,
    RawUpload,
    ResourceContribution,
    Respondent,
    RosterRating,
    SurveyWave,
    Territory,
)

Outcome = Literal["imported", "replaced", "unchanged", "refused", "checked"]
Kind = Literal["actors", "survey"]
OnChange = Callable[[str], None]
# Test hook: when set to a file path, a survey import writes that file once its rows are
# inserted, then waits before committing, so a test can kill it mid-transaction.
PAUSE_ENV = "COOPERASCOPE_IMPORT_PAUSE_FILE"
LOCAL_ZONE = ZoneInfo("Europe/Paris")
KIND_LABELS = {"actors": "liste des acteurs", "survey": "enquête"}
logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    """What an import did, with its French report."""

    outcome: Outcome
    kind: Kind
    filename: str
    sha256: str
    territory_id: str
    wave_number: int | None
    report: Report
    user: str
    source_format: str | None = None
    rows_imported: int = 0
    report_id: int | None = None
    territory_name: str | None = None
    previous: dict[str, Any] | None = None  # the earlier import, for "unchanged"
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    dry_run: bool = False
    would_be: Outcome | None = None  # a dry run's verdict: "imported" or "replaced"

    @property
    def ok(self) -> bool:
        return self.outcome != "refused"

    def headline(self) -> str:
        """One sentence: what happened."""
        if self.outcome == "refused":
            return (
                "REFUSÉ — rien n'a été enregistré dans les données. Corrigez le fichier comme "
                "indiqué ci-dessous puis importez-le à nouveau."
            )
        if self.outcome == "unchanged":
            when = self.previous or {}
            return (
                "INCHANGÉ — ce fichier a déjà été importé"
                + (f" le {when['at']}" if when.get("at") else "")
                + (f" par {when['by']}" if when.get("by") else "")
                + " : rien n'a été modifié."
            )
        what = self._what()
        if self.outcome == "checked":
            replaces = ""
            if self.would_be == "replaced":
                replaces = (
                    f" et remplacera la vague {self.wave_number} déjà importée"
                    if self.kind == "survey"
                    else " et mettra à jour la liste des acteurs"
                )
            return (
                f"VÉRIFIÉ — le fichier peut être importé ({what}){replaces}. Rien n'est encore "
                "enregistré : confirmez l'import."
            )
        if self.outcome == "replaced":
            target = (
                f"la vague {self.wave_number} est remplacée"
                if self.kind == "survey"
                else "la liste des acteurs est mise à jour"
            )
            return f"REMPLACÉ — {target} par ce fichier ({what}). L'import précédent reste archivé."
        return f"IMPORTÉ — {what}."

    def _what(self) -> str:
        c = self.counts
        if self.kind == "actors":
            return (
                f"{plural(c.get('actors', 0), 'organisation')} dans la liste : "
                f"{fr.number(c.get('added', 0))} ajoutée(s), {fr.number(c.get('updated', 0))} "
                f"modifiée(s), {fr.number(c.get('removed', 0))} retirée(s)"
            )
        return (
            f"{plural(c.get('respondents', 0), 'répondant')}, "
            f"{plural(c.get('likert', 0), 'réponse')} aux affirmations, "
            f"{plural(c.get('ratings', 0), 'évaluation')} de partenaires, "
            f"{plural(c.get('contributions', 0), 'ressource')} apportée"
            + ("s" if c.get("contributions", 0) > 1 else "")
        )

    def render_text(self) -> str:
        """The report as the command line prints it."""
        territory = (
            f"« {self.territory_name} » ({self.territory_id})"
            if self.territory_name
            else f"« {self.territory_id} »"
        )
        target = f"territoire {territory}"
        if self.wave_number is not None:
            target += f", vague {self.wave_number}"
        lines = [
            f"Import {'de la ' if self.kind == 'actors' else 'de l’'}{KIND_LABELS[self.kind]} — "
            f"fichier « {self.filename} » — {target}",
            self.headline(),
        ]
        read_as = self.report.context.get("read_as")
        if read_as:
            lines.append(f"Lu comme : {read_as}.")
        errors, warnings = len(self.report.errors), len(self.report.warnings)
        if errors or warnings:
            lines.append(
                f"{plural(errors, 'erreur')}, {plural(warnings, 'avertissement')}"
                + (" (le fichier est importé malgré les avertissements)." if self.ok else ".")
            )
        lines.extend(self.report.render_checks())
        if self.report_id is None and self.outcome == "refused":
            lines.append("(Ce refus n'a pas été enregistré dans le journal des imports.)")
        return "\n".join(lines)


# -- public API ----------------------------------------------------------------------------


def import_actors(
    engine: Engine,
    content: bytes,
    filename: str,
    territory_id: str,
    user: str,
    on_change: OnChange | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Import a territory's actors list (CSV or XLSX).

    ``dry_run``: read and check only, write nothing (not even the archive); the outcome is then
    ``checked`` (it would import), ``unchanged`` or ``refused``.
    """
    job = _Import(engine, "actors", content, filename, territory_id, None, user, dry_run)
    return job.run(on_change)


def import_survey(
    engine: Engine,
    content: bytes,
    filename: str,
    territory_id: str,
    wave_number: int,
    user: str,
    on_change: OnChange | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Import one wave of a territory's survey (template, KoboToolbox, ODK or LimeSurvey).

    ``dry_run``: read and check only, write nothing (not even the archive); the outcome is then
    ``checked`` (it would import), ``unchanged`` or ``refused``.
    """
    job = _Import(engine, "survey", content, filename, territory_id, wave_number, user, dry_run)
    return job.run(on_change)


def import_file(
    engine: Engine,
    kind: Kind,
    path: str | Path,
    territory_id: str,
    user: str,
    wave_number: int | None = None,
    on_change: OnChange | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Import a file from disk; a file over the size limit is refused before it is read."""
    path = Path(path)
    limit = quality_settings().max_bytes
    size = path.stat().st_size
    if size > limit:
        job = _Import(engine, kind, b"", path.name, territory_id, wave_number, user, dry_run)
        job.result.sha256 = ""
        return job.too_large(size)
    content = path.read_bytes()
    if kind == "actors":
        return import_actors(
            engine, content, path.name, territory_id, user, on_change, dry_run=dry_run
        )
    assert wave_number is not None
    return import_survey(
        engine, content, path.name, territory_id, wave_number, user, on_change, dry_run=dry_run
    )


# -- the import job ------------------------------------------------------------------------


class _Refused(Exception):
    pass


class _Import:
    def __init__(
        self,
        engine: Engine,
        kind: Kind,
        content: bytes,
        filename: str,
        territory_id: str,
        wave_number: int | None,
        user: str,
        dry_run: bool = False,
    ) -> None:
        self.engine = engine
        self.dry_run = dry_run
        self.kind: Kind = kind
        self.content = content
        self.filename = Path(filename).name or "fichier"
        self.territory_id = territory_id
        self.wave_number = wave_number
        self.user = user
        self.sha256 = hashlib.sha256(content).hexdigest()
        self.config: AppConfig = get_config()
        self.formats: ImportFormats = import_formats()
        self.settings: QualityFile = quality_settings()
        self.report = Report(
            subject=f"Fichier « {self.filename} »",
            context={
                "kind": kind,
                "filename": self.filename,
                "sha256": self.sha256,
                "size_bytes": len(content),
                "territory_id": territory_id,
                "wave_number": wave_number,
            },
        )
        self.result = ImportResult(
            "refused",
            kind,
            self.filename,
            self.sha256,
            territory_id,
            wave_number,
            self.report,
            user,
            dry_run=dry_run,
        )
        self.archived = False

    # -- steps ---------------------------------------------------------------------------

    def run(self, on_change: OnChange | None) -> ImportResult:
        started = time.perf_counter()
        try:
            self._check_target()
            if len(self.content) > self.settings.max_bytes:
                return self.too_large(len(self.content))
            if not self.dry_run:
                self._archive()
            if self._already_imported():
                return self.result
            if self.kind == "actors":
                self._import_actors()
            else:
                self._import_survey()
        except _Refused:
            self.result.outcome = "refused"
            self._store_refusal()
            return self.result
        except Exception as exc:  # a bug must not leave the user without a report
            logger.exception("import of %s failed", self.filename)
            self.report.add(
                CheckResult(
                    "internal_error",
                    Severity.ERROR,
                    "Une erreur inattendue a interrompu l'import ; rien n'a été enregistré dans "
                    f"les données ({type(exc).__name__} : {str(exc)[:200]}).",
                    "Transmettez ce rapport et le fichier à l'équipe technique. Le fichier a été "
                    "archivé : il pourra être importé à nouveau une fois l'erreur corrigée.",
                )
            )
            self.result.outcome = "refused"
            self._store_refusal()
            return self.result
        finally:
            self.result.seconds = time.perf_counter() - started
        if on_change is not None and self.result.outcome in ("imported", "replaced"):
            on_change(self.territory_id)
        return self.result

    def refuse(self, check: CheckResult) -> _Refused:
        self.report.add(check)
        return _Refused(check.message)

    def too_large(self, size: int) -> ImportResult:
        limit = self.settings.limits.max_file_mb
        self.report.context["size_bytes"] = size
        self.report.add(
            CheckResult(
                "file_too_large",
                Severity.ERROR,
                f"Le fichier « {self.filename} » est trop volumineux : "
                f"{fr.number(size / 1024 / 1024, 1)} Mo, pour une limite de "
                f"{fr.number(limit, 0)} Mo. Il n'a pas été lu.",
                "Vérifiez que c'est bien l'export des réponses d'une seule vague d'un seul "
                "territoire. Retirez les colonnes inutiles (pièces jointes, textes longs) ou "
                "enregistrez-le en CSV, plus léger qu'un classeur.",
            )
        )
        self.result.outcome = "refused"
        return self.result

    def _check_target(self) -> None:
        with self.engine.connect() as connection:
            name = connection.scalar(
                select(Territory.name).where(Territory.id == self.territory_id)
            )
            known = connection.scalars(select(Territory.id).order_by(Territory.id)).all()
        if name is None:
            raise self._usage_error(
                "unknown_territory",
                f"Territoire inconnu « {self.territory_id} ».",
                f"Territoires : {', '.join(known)}.",
            )
        self.result.territory_name = name
        if self.kind == "survey" and (self.wave_number is None or self.wave_number < 0):
            raise self._usage_error(
                "bad_wave",
                f"Numéro de vague invalide : {self.wave_number}.",
                "Les vagues sont numérotées à partir de 0 (0 au démarrage, puis environ une "
                "tous les six mois).",
            )

    def _usage_error(self, check_id: str, message: str, hint: str) -> _Refused:
        # Nothing is archived for a wrong command: the report cannot point at a territory.
        self.report.add(CheckResult(check_id, Severity.ERROR, message, hint))
        self.archived = False
        return _Refused(message)

    def _archive(self) -> None:
        """Store the raw bytes under their hash, committed on their own."""
        try:
            with self.engine.begin() as connection:
                exists = connection.scalar(
                    select(func.count())
                    .select_from(RawUpload)
                    .where(RawUpload.sha256 == self.sha256)
                )
                if not exists:
                    connection.execute(
                        insert(RawUpload).values(
                            sha256=self.sha256,
                            filename=self.filename[:300],
                            size_bytes=len(self.content),
                            content=self.content,
                            uploaded_by=self.user,
                            uploaded_at=dt.datetime.now(dt.UTC),
                        )
                    )
                    record(
                        connection,
                        self.user,
                        "archive",
                        "raw_upload",
                        self.sha256,
                        self.territory_id,
                        {"filename": self.filename, "size_bytes": len(self.content)},
                    )
        except IntegrityError:
            pass  # archived meanwhile by a concurrent upload of the same bytes
        self.archived = True

    def _already_imported(self) -> bool:
        with self.engine.connect() as connection:
            target = (
                (ImportReport.kind == self.kind)
                & (ImportReport.territory_id == self.territory_id)
                & ImportReport.outcome.in_(("imported", "replaced"))
            )
            if self.kind == "survey":
                target &= ImportReport.wave_number == self.wave_number
            latest = connection.execute(
                select(ImportReport.sha256, ImportReport.imported_at, ImportReport.imported_by)
                .where(target)
                .order_by(ImportReport.id.desc())
                .limit(1)
            ).first()
            elsewhere = connection.execute(
                select(ImportReport.kind, ImportReport.territory_id, ImportReport.wave_number)
                .where(ImportReport.sha256 == self.sha256)
                .where(ImportReport.outcome.in_(("imported", "replaced")))
                .where(~target)
                .limit(1)
            ).first()
        if latest is not None and latest.sha256 == self.sha256:
            at = latest.imported_at
            if at.tzinfo is None:
                at = at.replace(tzinfo=dt.UTC)
            local = at.astimezone(LOCAL_ZONE)
            self.result.outcome = "unchanged"
            self.result.previous = {
                "at": f"{fr.date(local.date())} à {local:%H:%M}",
                "by": latest.imported_by,
            }
            return True
        if elsewhere is not None:
            where = f"territoire « {elsewhere.territory_id} »"
            if elsewhere.wave_number is not None:
                where += f", vague {elsewhere.wave_number}"
            self.report.add(
                CheckResult(
                    "same_file_elsewhere",
                    Severity.WARNING,
                    f"Ce même fichier a déjà été importé ailleurs ({KIND_LABELS[elsewhere.kind]}, "
                    f"{where}).",
                    "Vérifiez le territoire et le numéro de vague choisis.",
                )
            )
        return False

    def _store_refusal(self) -> None:
        if not self.archived:
            return
        errors, warnings = len(self.report.errors), len(self.report.warnings)
        self.report.context["outcome"] = "refused"
        with self.engine.begin() as connection:
            self.result.report_id = connection.execute(
                insert(ImportReport)
                .values(**self._report_row("refused", errors, warnings, 0))
                .returning(ImportReport.id)
            ).scalar_one()
            record(
                connection,
                self.user,
                "refuse",
                "import_report",
                str(self.result.report_id),
                self.territory_id,
                {"filename": self.filename, "sha256": self.sha256, "errors": errors},
            )

    def _report_row(self, outcome: str, errors: int, warnings: int, rows: int) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "filename": self.filename[:300],
            "kind": self.kind,
            "territory_id": self.territory_id,
            "wave_number": self.wave_number,
            "source_format": self.result.source_format,
            "imported_by": self.user,
            "imported_at": dt.datetime.now(dt.UTC),
            "outcome": outcome,
            "errors": errors,
            "warnings": warnings,
            "rows_imported": rows,
            "report": self.report.to_dict(),
        }

    def _read(self, vocabulary: Vocabulary) -> RawTable:
        try:
            table = read_table(
                self.content,
                self.filename,
                vocabulary.header_score,
                search_rows=self.settings.limits.header_search_rows,
                max_unzipped_bytes=int(self.settings.limits.max_unzipped_mb * 1024 * 1024),
            )
        except FileRefused as refused:
            raise self.refuse(refused.check) from None
        self.report.context["source"] = table.source.to_dict()
        self.report.context["rows_read"] = len(table.rows)
        return table

    def _structure(self, columns: ColumnMap, table: RawTable) -> None:
        self.result.source_format = columns.format_id
        self.report.context["format"] = columns.format_id
        self.report.context["read_as"] = f"{table.source.describe()} — {columns.format_label}"
        for check in check_required(self.kind, self.settings, columns, self.filename):
            self.report.add(check)
        has_data = {
            c.index: any(row[c.index] not in (None, "") for row in table.rows)
            for c in columns.columns
            if c.role == "empty"
        }
        self.report.extend(structural_checks(self.kind, self.settings, columns, has_data))
        if self.report.has_errors:
            raise _Refused("structure")

    def _sector_labels(self) -> dict[str, str]:
        return {s.id: s.label for s in self.config.survey.sectors}

    # -- actors --------------------------------------------------------------------------

    def _import_actors(self) -> None:
        vocabulary = Vocabulary(self.formats, self.config.survey)
        table = self._read(vocabulary)
        columns = vocabulary.resolve_actors(table.header)
        if "name" not in columns.fixed:
            survey = vocabulary.resolve_survey(table.header)
            if "respondent_id" in survey.fixed or survey.answer_columns:
                raise self.refuse(
                    CheckResult(
                        "wrong_file_kind",
                        Severity.ERROR,
                        f"Le fichier « {self.filename} » ressemble à des réponses d'enquête "
                        f"({_sample_columns(survey)}), pas à une liste d'acteurs.",
                        "Pour importer des réponses : cooperascope import survey FICHIER "
                        "--territory ID --wave N. Une liste d'acteurs a les colonnes org_id, "
                        "name, sector et commune (voir le modèle).",
                        rows=[table.source.header_row],
                    )
                )
        self._structure(columns, table)
        parsed = parse_actors(table, columns, ValueReader(self.formats, self.config.survey))
        self.report.extend(actors_checks(self.settings, parsed, self._sector_labels()))
        if self.report.has_errors:
            raise _Refused("checks")
        self._write_actors(parsed)

    def _write_actors(self, parsed: ActorFrames) -> None:
        frame = parsed.actors
        keep = frame["org_id"].notna() & frame["name"].notna() & frame["_sector_valid"].notna()
        keep &= frame["org_id"].str.fullmatch(r"[a-z0-9][a-z0-9_-]{0,99}").fillna(False)
        keep &= frame["_name_len"] <= 300
        keep &= ~frame["org_id"].duplicated(keep=False)
        rows = frame[keep]
        wanted = {
            org: (name, sector, _cut(commune, 200))
            for org, name, sector, commune in zip(
                rows["org_id"], rows["name"], rows["_sector_valid"], rows["commune"], strict=True
            )
        }
        counts = {"actors": len(wanted), "added": 0, "updated": 0, "removed": 0, "kept": 0}
        try:
            with self.engine.connect() if self.dry_run else self.engine.begin() as connection:
                query = select(Actor.id, Actor.org_id, Actor.name, Actor.sector, Actor.commune)
                query = query.where(Actor.territory_id == self.territory_id)
                if not self.dry_run:
                    query = query.with_for_update()
                existing = {r.org_id: r for r in connection.execute(query)}
                referenced = _referenced_actors(connection, [r.id for r in existing.values()])
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
                if not self.dry_run:
                    _write_actors(
                        connection, self.territory_id, wanted, existing, added, changed, removed
                    )
                if kept:
                    self.report.add(
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
                if self.dry_run:
                    self._checked(outcome, len(wanted), counts)
                else:
                    self._finish(
                        connection, outcome, len(wanted), counts, "actor", self.territory_id
                    )
        except SQLAlchemyError as exc:
            raise self._database_error(exc) from None

    # -- survey --------------------------------------------------------------------------

    def _import_survey(self) -> None:
        actors = self._actors()
        if not actors:
            raise self.refuse(
                CheckResult(
                    "no_actors_list",
                    Severity.ERROR,
                    f"La liste des acteurs du territoire « {self.result.territory_name} » est "
                    "vide : les réponses ne peuvent être rattachées à aucune organisation.",
                    "Importez d'abord la liste des acteurs : cooperascope import actors FICHIER "
                    f"--territory {self.territory_id}, puis importez à nouveau ce fichier.",
                )
            )
        vocabulary = Vocabulary(self.formats, self.config.survey, actors)
        mark = time.perf_counter()
        table = self._read(vocabulary)
        self._lap("read", mark)
        columns = vocabulary.resolve_survey(table.header)
        survey_evidence = (
            "respondent_id" in columns.fixed
            or "submitted_at" in columns.fixed
            or columns.answer_columns
        )
        if not survey_evidence:
            listing = vocabulary.resolve_actors(table.header)
            if "name" in listing.fixed:
                raise self.refuse(
                    CheckResult(
                        "wrong_file_kind",
                        Severity.ERROR,
                        f"Le fichier « {self.filename} » ressemble à une liste d'acteurs "
                        f"(colonnes {', '.join(listing.fixed)}), pas à des réponses d'enquête.",
                        "Pour importer la liste des acteurs : cooperascope import actors FICHIER "
                        "--territory ID. Pour l'enquête, choisissez l'export des réponses (une "
                        "ligne par répondant, colonnes respondent_id, org_id, conf_1…).",
                        rows=[table.source.header_row],
                    )
                )
        self._structure(columns, table)
        tool = self.formats.formats[columns.format_id]
        reader = ValueReader(self.formats, self.config.survey)
        mark = time.perf_counter()
        parsed = parse_survey(
            table, columns, reader, actors, tool.incomplete_when_empty, tool.utc_columns
        )
        self._lap("parse", mark)
        mark = time.perf_counter()
        context = self._survey_context(actors)
        self.report.extend(survey_checks(self.settings, parsed, context))
        self._lap("checks", mark)
        keys = self._existing_keys()
        self._check_removed(keys, parsed)
        if self.report.has_errors:
            raise _Refused("checks")
        if self.dry_run:
            rows = _clean_survey(parsed, actors, self.settings)
            outcome: Outcome = "replaced" if keys else "imported"
            self._checked(outcome, len(rows.respondents), _survey_counts(parsed, rows))
            return
        mark = time.perf_counter()
        self._write_survey(parsed, actors, bool(keys))
        self._lap("write", mark)

    def _lap(self, phase: str, started: float) -> None:
        self.result.timings[phase] = time.perf_counter() - started

    def _actors(self) -> list[ActorRef]:
        with self.engine.connect() as connection:
            return [
                ActorRef(r.org_id, r.name, r.sector, r.id)
                for r in connection.execute(
                    select(Actor.id, Actor.org_id, Actor.name, Actor.sector)
                    .where(Actor.territory_id == self.territory_id)
                    .order_by(Actor.org_id)
                )
            ]

    def _survey_context(self, actors: list[ActorRef]) -> SurveyContext:
        with self.engine.connect() as connection:
            wave = connection.execute(
                select(SurveyWave.window_start, SurveyWave.window_end).where(
                    SurveyWave.territory_id == self.territory_id,
                    SurveyWave.number == self.wave_number,
                )
            ).first()
            spans = connection.execute(
                select(
                    SurveyWave.number,
                    func.min(Respondent.submitted_at),
                    func.max(Respondent.submitted_at),
                )
                .join(Respondent, Respondent.wave_id == SurveyWave.id)
                .where(
                    SurveyWave.territory_id == self.territory_id,
                    SurveyWave.number != self.wave_number,
                )
                .group_by(SurveyWave.number)
                .order_by(SurveyWave.number)
            ).all()
        assert self.wave_number is not None
        before = [s for s in spans if s[0] < self.wave_number]
        after = [s for s in spans if s[0] > self.wave_number]
        return SurveyContext(
            territory_id=self.territory_id,
            territory_name=self.result.territory_name or self.territory_id,
            wave_number=self.wave_number,
            actors=actors,
            sector_labels=self._sector_labels(),
            window_start=wave.window_start if wave else None,
            window_end=wave.window_end if wave else None,
            previous=WaveSpan(before[-1][0], _day(before[-1][1]), _day(before[-1][2]))
            if before
            else None,
            following=WaveSpan(after[0][0], _day(after[0][1]), _day(after[0][2]))
            if after
            else None,
        )

    def _existing_keys(self) -> set[str]:
        with self.engine.connect() as connection:
            return set(
                connection.scalars(
                    select(Respondent.respondent_key)
                    .join(SurveyWave, SurveyWave.id == Respondent.wave_id)
                    .where(
                        SurveyWave.territory_id == self.territory_id,
                        SurveyWave.number == self.wave_number,
                    )
                )
            )

    def _check_removed(self, existing: set[str], parsed: SurveyFrames) -> None:
        setting = self.settings.suites.get("survey", {}).get("respondents_removed")
        if not setting or not existing:
            return
        removed = sorted(existing - set(parsed.respondents["respondent_id"].dropna()))
        if not removed:
            return
        self.report.add(
            CheckResult(
                "respondents_removed",
                Severity(setting.severity),
                f"{plural(len(removed), 'répondant déjà importé', 'répondants déjà importés')} "
                f"dans la vague {self.wave_number} "
                f"{'est absent' if len(removed) == 1 else 'sont absents'} de ce fichier : "
                f"{quoted(removed)}. La vague est remplacée par ce fichier : "
                f"{'ses réponses sont retirées' if len(removed) == 1 else 'leurs réponses sont retirées'}.",  # noqa: E501
                "Si ce fichier ne contient qu'une partie des réponses de la vague, importez "
                "plutôt l'export complet. Le fichier précédent reste archivé : l'importer à "
                "nouveau rétablit ses réponses.",
                count=len(removed),
            )
        )

    def _write_survey(self, parsed: SurveyFrames, actors: list[ActorRef], replacing: bool) -> None:
        rows = _clean_survey(parsed, actors, self.settings)
        counts = _survey_counts(parsed, rows)
        try:
            with self.engine.begin() as connection:
                wave_id = connection.scalar(
                    select(SurveyWave.id)
                    .where(
                        SurveyWave.territory_id == self.territory_id,
                        SurveyWave.number == self.wave_number,
                    )
                    .with_for_update()
                )
                if wave_id is None:
                    wave_id = connection.execute(
                        insert(SurveyWave)
                        .values(territory_id=self.territory_id, number=self.wave_number)
                        .returning(SurveyWave.id)
                    ).scalar_one()
                had_rows = connection.scalar(
                    select(func.count())
                    .select_from(Respondent)
                    .where(Respondent.wave_id == wave_id)
                )
                connection.execute(delete(Respondent).where(Respondent.wave_id == wave_id))
                _write_rows(connection, wave_id, rows)
                _pause_for_tests()
                outcome: Outcome = "replaced" if had_rows or replacing else "imported"
                self._finish(
                    connection,
                    outcome,
                    len(rows.respondents),
                    counts,
                    "survey_wave",
                    f"{self.territory_id}/{self.wave_number}",
                )
        except SQLAlchemyError as exc:
            raise self._database_error(exc) from None

    # -- both ----------------------------------------------------------------------------

    def _finish(
        self,
        connection: Connection,
        outcome: Outcome,
        rows: int,
        counts: dict[str, int],
        entity: str,
        entity_key: str,
    ) -> None:
        self.result.outcome = outcome
        self.result.rows_imported = rows
        self.result.counts = counts
        self.report.counts = counts
        self.report.context["outcome"] = outcome
        errors, warnings = len(self.report.errors), len(self.report.warnings)
        self.result.report_id = connection.execute(
            insert(ImportReport)
            .values(**self._report_row(outcome, errors, warnings, rows))
            .returning(ImportReport.id)
        ).scalar_one()
        record(
            connection,
            self.user,
            "import",
            entity,
            entity_key,
            self.territory_id,
            {
                "outcome": outcome,
                "filename": self.filename,
                "sha256": self.sha256,
                "import_report_id": self.result.report_id,
                **counts,
            },
        )

    def _checked(self, would_be: Outcome, rows: int, counts: dict[str, int]) -> None:
        """A dry run's verdict: the file would be imported; nothing was written."""
        self.result.outcome = "checked"
        self.result.would_be = would_be
        self.result.rows_imported = rows
        self.result.counts = counts
        self.report.counts = counts
        self.report.context["outcome"] = "checked"

    def _database_error(self, exc: SQLAlchemyError) -> _Refused:
        return self.refuse(
            CheckResult(
                "database_error",
                Severity.ERROR,
                "L'écriture dans la base a échoué ; elle a été annulée en entier, rien n'a été "
                f"enregistré ({type(exc).__name__} : {str(exc).splitlines()[0][:200]}).",
                "Réessayez dans un instant (un autre import du même territoire était peut-être "
                "en cours). Si l'erreur persiste, transmettez ce rapport à l'équipe technique.",
            )
        )


def _write_actors(
    connection: Connection,
    territory_id: str,
    wanted: dict[str, tuple[str, str, str | None]],
    existing: dict[str, Any],
    added: Sequence[str],
    changed: Sequence[str],
    removed: Sequence[str],
) -> None:
    """Apply an actors list's changes in the caller's transaction."""
    if added:
        connection.execute(
            insert(Actor),
            [
                {
                    "territory_id": territory_id,
                    "org_id": org,
                    "name": wanted[org][0],
                    "sector": wanted[org][1],
                    "commune": wanted[org][2],
                }
                for org in added
            ],
        )
    for org in changed:
        name, sector, commune = wanted[org]
        connection.execute(
            update(Actor)
            .where(Actor.id == existing[org].id)
            .values(name=name, sector=sector, commune=commune)
        )
    if removed:
        connection.execute(delete(Actor).where(Actor.id.in_([existing[o].id for o in removed])))


def _survey_counts(parsed: SurveyFrames, rows: SurveyRows) -> dict[str, int]:
    return {
        "rows_read": int(len(parsed.respondents) + len(parsed.incomplete_rows)),
        "respondents": len(rows.respondents),
        "likert": len(rows.likert),
        "contributions": len(rows.contrib),
        "ratings": len(rows.roster),
        "left_out": int(len(parsed.respondents) - len(rows.respondents)),
    }


def _sample_columns(columns: ColumnMap) -> str:
    names = [c.header for c in columns.columns if c.role not in ("unknown", "empty", "metadata")]
    return "colonnes " + ", ".join(names[:5]) + ("…" if len(names) > 5 else "")


def _cut(value: Any, width: int) -> str | None:
    if not isinstance(value, str):
        return None
    return value[:width]


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _referenced_actors(connection: Connection, actor_ids: Sequence[int]) -> set[int]:
    if not actor_ids:
        return set()
    ids = list(actor_ids)
    used = set(connection.scalars(select(Respondent.actor_id).where(Respondent.actor_id.in_(ids))))
    used |= set(
        connection.scalars(
            select(RosterRating.rated_actor_id)
            .where(RosterRating.rated_actor_id.in_(ids))
            .distinct()
        )
    )
    return used


def _pause_for_tests() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if not marker:
        return
    Path(marker).write_text("writing", encoding="utf-8")
    time.sleep(float(os.environ.get("COOPERASCOPE_IMPORT_PAUSE_SECONDS", "120")))


# -- survey rows ---------------------------------------------------------------------------


@dataclass
class SurveyRows:
    """The rows to store, after the checks' warnings have left values out."""

    respondents: pd.DataFrame  # _row, respondent_key, actor_id, sector, submitted_at
    likert: pd.DataFrame  # _row, item, value
    contrib: pd.DataFrame  # _row, resource_type
    roster: pd.DataFrame  # _row, rated_actor_id, level, trust_reliable, trust_mission, trust_open


def _clean_survey(
    parsed: SurveyFrames, actors: list[ActorRef], settings: QualityFile
) -> SurveyRows:
    """Leave out what the database cannot hold or the rules ignore (reported as warnings)."""
    actor_id = {a.org_id: a.id for a in actors}
    actor_sector = {a.org_id: a.sector for a in actors}
    r = parsed.respondents
    keep = r["respondent_id"].notna() & (r["_respondent_len"] <= 100)
    keep &= ~r["respondent_id"].duplicated(keep=False) | r["respondent_id"].isna()
    keep &= r["org_id"].isin(list(actor_id))
    keep &= r["submitted_at"].notna()
    kept = r[keep]
    use_file_sector = "sector_matches_actors" not in settings.suites.get("survey", {})
    sectors = kept["org_id"].map(actor_sector)
    if use_file_sector:
        sectors = kept["_sector_valid"].where(kept["_sector_valid"].notna(), sectors)
    respondents = pd.DataFrame(
        {
            "_row": kept["_row"].to_numpy(),
            "respondent_key": kept["respondent_id"].to_numpy(dtype=object),
            "actor_id": kept["org_id"].map(actor_id).astype(np.int64).to_numpy(),
            "sector": sectors.to_numpy(dtype=object),
            "submitted_at": kept["submitted_at"].dt.date.to_numpy(dtype=object),
        }
    )
    rows = set(respondents["_row"].tolist())

    likert = parsed.likert
    likert = likert[likert["_row"].isin(rows) & likert["value"].isin([1, 2, 3, 4, 5])]
    likert = likert[["_row", "item", "value"]].astype({"value": np.int64})

    contrib = parsed.contrib
    contrib = contrib[contrib["_row"].isin(rows) & (contrib["value"] == 1)]
    contrib = contrib[contrib["resource_type"].notna()][["_row", "resource_type"]]
    contrib = contrib.drop_duplicates()

    roster = parsed.roster
    roster = roster[
        roster["_row"].isin(rows)
        & roster["rated_known"].astype(bool)
        & ~roster["_self"].astype(bool)
        & roster["level"].isin([0, 1, 2, 3, 4, 5])
    ].copy()
    tie = roster["level"] >= 1
    trust = {}
    for family, column in (
        ("fiab", "trust_reliable"),
        ("mission", "trust_mission"),
        ("ouverture", "trust_open"),
    ):
        values = roster[family].where(roster[family].isin([1, 2, 3, 4]) & tie)
        trust[column] = pd.array(values.to_numpy(dtype=float), dtype="Int64")
    roster_rows = pd.DataFrame(
        {
            "_row": roster["_row"].to_numpy(),
            "rated_actor_id": roster["rated_org"].map(actor_id).astype(np.int64).to_numpy(),
            "level": roster["level"].astype(np.int64).to_numpy(),
            **trust,
        }
    )
    roster_rows = roster_rows.drop_duplicates(["_row", "rated_actor_id"])
    return SurveyRows(respondents, likert.reset_index(drop=True), contrib, roster_rows)


def _write_rows(connection: Connection, wave_id: int, rows: SurveyRows) -> None:
    """Insert the respondents, then their answers, in the caller's transaction."""
    respondents = rows.respondents.assign(wave_id=wave_id)
    _bulk(
        connection,
        Respondent.__tablename__,
        respondents[["wave_id", "respondent_key", "actor_id", "sector", "submitted_at"]],
    )
    ids = dict(
        connection.execute(
            select(Respondent.respondent_key, Respondent.id).where(Respondent.wave_id == wave_id)
        ).all()
    )
    by_row = pd.Series(
        respondents["respondent_key"].map(ids).to_numpy(dtype=np.int64),
        index=respondents["_row"].to_numpy(),
    )

    def with_id(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        out = frame[columns].copy()
        out.insert(0, "respondent_id", by_row.loc[frame["_row"].to_numpy()].to_numpy())
        return out

    _bulk(connection, LikertAnswer.__tablename__, with_id(rows.likert, ["item", "value"]))
    _bulk(connection, ResourceContribution.__tablename__, with_id(rows.contrib, ["resource_type"]))
    _bulk(
        connection,
        RosterRating.__tablename__,
        with_id(
            rows.roster,
            ["rated_actor_id", "level", "trust_reliable", "trust_mission", "trust_open"],
        ),
    )


def _bulk(connection: Connection, table: str, frame: pd.DataFrame) -> None:
    """Insert a frame's rows fast (COPY on PostgreSQL, positional rows on SQLite)."""
    insert_frame(connection, Base.metadata.tables[table], frame)
