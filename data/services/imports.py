"""Import a file and refresh the indicators it feeds: the one path of the command line
(``cooperascope import actors|survey``) and of the Import page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from data import fr
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
    user: str,
    *,
    wave_number: int | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import an actors list or a survey wave into a territory and, when its rows changed
    (imported or replaced), recompute that territory's indicators as ``user``.

    ``content`` is the file's bytes, or its path on disk (then a file over the size limit is
    refused before it is read); ``filename`` is the name its report gives it.
    ``progress`` receives one French sentence once the indicators are recomputed. A dry run,
    an unchanged file or a refused one recomputes nothing.
    """

    def refresh(territory: str) -> None:
        summary = compute(engine, [territory], actor=user)
        if progress is not None and summary.territories:
            progress(
                f"Indicateurs de « {territory} » recalculés : {fr.number(summary.rows)} valeurs "
                f"en {fr.number(summary.seconds, 1)} s."
            )

    return run_import(
        engine,
        kind,
        content,
        filename,
        territory_id,
        user,
        wave_number=wave_number,
        on_change=refresh,
        dry_run=dry_run,
    )
