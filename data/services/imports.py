"""Import a file and refresh the indicators it feeds: the one path of the command line
(``cooperascope import actors|survey``) and of the Import page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from data import fr
from data.access import Permission, Scope
from data.importer.result import ImportResult
from data.importer.service import run_import
from data.importer.settings import Kind
from data.store.indicator_store import compute


def import_and_refresh(
    engine: Engine,
    kind: Kind,
    content: bytes | Path,
    filename: str,
    territory_id: str,
    scope: Scope,
    *,
    wave_number: int | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import an actors list or a survey wave into a territory the scope may write to
    (:class:`~data.access.AccessDenied` otherwise), then bring that territory's indicators up
    to date as the scope's user.

    The refresh follows every import that is not a dry run and recomputes only a stale
    territory (``compute`` is incremental): after new rows, but also after an import whose
    refresh was interrupted (a killed process) — retrying the same file, which is then
    « unchanged », mends the indicators it left stale.

    ``content`` is the file's bytes, or its path on disk (then a file over the size limit is
    refused before it is read); ``filename`` is the name its report gives it.
    ``progress`` receives one French sentence when indicators are recomputed.
    """

    def refresh(territory: str) -> None:
        summary = compute(engine, [territory], actor=scope.user)
        if progress is not None and summary.territories:
            progress(
                f"Indicateurs de « {territory} » recalculés : {fr.number(summary.rows)} valeurs "
                f"en {fr.number(summary.seconds, 1)} s."
            )

    scope.require(Permission.WRITE_TERRITORY, territory_id)
    result = run_import(
        engine,
        kind,
        content,
        filename,
        territory_id,
        scope.user,
        wave_number=wave_number,
        dry_run=dry_run,
    )
    if not dry_run and result.territory_name is not None:  # the territory exists
        refresh(territory_id)
    return result
