"""The long export's download buttons, one per format, the same on every page that offers
them: the file is built by :func:`data.exports.indicators.export_indicators` when clicked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from streamlit.delta_generator import DeltaGenerator

from dashboard import reads
from data.access import Scope
from data.config import StageModel
from data.exports.indicators import FORMATS, export_indicators
from indicators.catalogue import Catalogue

MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def long_export_buttons(
    columns: Sequence[DeltaGenerator],
    scope: Scope,
    catalogue: Catalogue,
    stage_model: StageModel,
    *,
    label: str,
    stem: str,
    territory_ids: list[str] | None = None,
    months: list[dt.date] | None = None,
) -> None:
    """« {label} (CSV, format long) », then XLSX, in ``columns``; files named ``{stem}.csv``…"""
    for column, fmt in zip(columns, FORMATS, strict=True):
        column.download_button(
            f"{label} ({fmt.upper()}, format long)",
            data=partial(
                export_indicators,
                reads.engine(),
                scope,
                fmt,
                catalogue=catalogue,
                stage_model=stage_model,
                territory_ids=territory_ids,
                months=months,
            ),
            file_name=f"{stem}.{fmt}",
            mime=MIME_TYPES[fmt],
            icon=":material/download:",
        )
