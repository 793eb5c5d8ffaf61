"""The one import path: actors lists and survey waves, from bytes (or a file) to the database.

Every entry below runs the same job (:mod:`data.importer.job`, a sequence of named steps), so
that nothing is lost and nothing is half-written:

1. the raw bytes are archived in ``raw_upload`` under their SHA-256, in their own committed
   transaction, before anything is read from them;
2. a file already imported into the same target (same hash, same territory, same wave) is
   reported as *unchanged* and nothing else happens;
3. the file is read, its columns recognised, its values checked (quality gate);
4. a refused file leaves the data tables untouched: only its report is stored;
5. an accepted file is written in **one** transaction: the wave's rows are replaced (delete
   then insert), its report stored, one audit row written with the territory id (which is how
   the indicator refresh learns the territory changed).

``dry_run``: read and check only, write nothing (not even the archive); the outcome is then
``checked`` (it would import), ``unchanged`` or ``refused``. To import and then refresh the
indicators, use :func:`data.services.imports.import_and_refresh`.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from data.importer.job import run
from data.importer.job_state import new_state
from data.importer.result import ImportResult
from data.importer.settings import Kind


def run_import(
    engine: Engine,
    kind: Kind,
    content: bytes | Path,
    filename: str,
    territory_id: str,
    user: str,
    *,
    wave_number: int | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import a file of either kind: its bytes, or its path on disk (then a file over the size
    limit is refused before it is read). ``filename`` is the name its report gives it."""
    state = new_state(engine, kind, content, filename, territory_id, wave_number, user, dry_run)
    return run(state)


def import_actors(
    engine: Engine,
    content: bytes,
    filename: str,
    territory_id: str,
    user: str,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Import a territory's actors list (CSV or XLSX)."""
    return run_import(
        engine,
        "actors",
        content,
        filename,
        territory_id,
        user,
        dry_run=dry_run,
    )


def import_survey(
    engine: Engine,
    content: bytes,
    filename: str,
    territory_id: str,
    wave_number: int,
    user: str,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Import one wave of a territory's survey (template, KoboToolbox, ODK or LimeSurvey)."""
    return run_import(
        engine,
        "survey",
        content,
        filename,
        territory_id,
        user,
        wave_number=wave_number,
        dry_run=dry_run,
    )
