"""The state of an import job: the request, then what each step found (:class:`ImportState`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from data.config import AppConfig, get_config
from data.domain.checks import CheckResult, Report
from data.importer.formats import ActorRef, ColumnMap, Vocabulary
from data.importer.frames import ActorFrames, SurveyFrames
from data.importer.quality import SurveyContext
from data.importer.reading import RawTable
from data.importer.result import ImportResult
from data.importer.settings import (
    ImportFormats,
    Kind,
    QualityFile,
    import_formats,
    quality_settings,
)
from data.importer.writing import ActorValues, SurveyRows


class Refused(Exception):
    """The file is refused: its report holds the errors that say why."""


@dataclass
class ImportState:
    """What an import job knows: the request, then what each step found."""

    engine: Engine
    source: bytes | Path  # the bytes, or the file on disk (read once its size is checked)
    result: ImportResult
    dry_run: bool
    config: AppConfig
    formats: ImportFormats
    settings: QualityFile
    content: bytes = b""
    archived: bool = False
    finished: bool = False  # nothing more to do (the file was already imported)
    actors: list[ActorRef] = field(default_factory=list)  # a survey's: the territory's list
    # Filled in by the steps, in this order (an attribute read before its step is a bug):
    table: RawTable = field(init=False)
    columns: ColumnMap = field(init=False)
    survey: SurveyFrames = field(init=False)
    listing: ActorFrames = field(init=False)
    stored_respondents: set[str] = field(init=False)
    context: SurveyContext = field(init=False)  # what a survey's checks compare it with
    rows: SurveyRows = field(init=False)  # a survey's rows to write
    counts: dict[str, int] = field(init=False)
    wanted: dict[str, ActorValues] = field(init=False)  # an actors list's rows to write

    @property
    def report(self) -> Report:
        return self.result.report

    @property
    def kind(self) -> Kind:
        return self.result.kind

    @property
    def territory_id(self) -> str:
        return self.result.territory_id

    @property
    def wave_number(self) -> int:
        assert self.result.wave_number is not None
        return self.result.wave_number

    @property
    def filename(self) -> str:
        return self.result.filename

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Every name the importer knows (for a survey, once the actors are loaded)."""
        return Vocabulary(self.formats, self.config.survey, self.actors)

    @property
    def sector_labels(self) -> dict[str, str]:
        return {s.id: s.label for s in self.config.survey.sectors}

    def refuse(self, check: CheckResult) -> Refused:
        """Add an error to the report; the exception that refuses the file."""
        self.report.add(check)
        return Refused(check.message)


Step = Callable[[ImportState], ImportState]


def new_state(
    engine: Engine,
    kind: Kind,
    source: bytes | Path,
    filename: str,
    territory_id: str,
    wave_number: int | None,
    user: str,
    dry_run: bool,
) -> ImportState:
    """An import's state before its first step (bytes in memory are hashed at once)."""
    # The name as a report can show and a database store it: no folder, no control character
    # (PostgreSQL refuses a NUL in any text).
    filename = "".join(c for c in Path(filename).name if c.isprintable()) or "fichier"
    content = source if isinstance(source, bytes) else b""
    sha256 = hashlib.sha256(content).hexdigest() if isinstance(source, bytes) else ""
    report = Report(
        subject=f"Fichier « {filename} »",
        context={
            "kind": kind,
            "filename": filename,
            "sha256": sha256,
            "size_bytes": len(content),
            "territory_id": territory_id,
            "wave_number": wave_number,
        },
    )
    result = ImportResult(
        "refused", kind, filename, sha256, territory_id, wave_number, report, user, dry_run=dry_run
    )
    return ImportState(
        engine,
        source,
        result,
        dry_run,
        get_config(),
        import_formats(),
        quality_settings(),
        content=content,
    )
