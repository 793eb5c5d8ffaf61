"""The long export of the indicators: one table, two renderers, one path for every caller.

The table (:func:`indicators_table`) has one row per territory × month × indicator, the
stable ids with French labels beside them (:data:`COLUMNS`). It is built once and rendered
as CSV or XLSX (:func:`render`); :func:`export_indicators` reads it through the scoped query
:func:`data.store.queries.indicator_values` and renders it, and is what both the command
line (``cooperascope export indicators``) and the pages' download buttons call, so the same
scope and filters give the same bytes.

CSV
    Written for French Excel, which is what programme staff open it with: UTF-8 with a
    byte-order mark (without it Excel reads the accents as Windows-1252), ``;`` as the
    separator and a decimal comma (French Excel splits ``,``-separated files badly and reads
    ``0.256`` as text or as a date). Python reads it back with
    ``pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")``.
XLSX
    A frozen header row, sized columns (:data:`XLSX_WIDTHS`) and numbers stored as numbers.

In both, a text cell that looks like a formula (``=``, ``+``, ``-``, ``@`` at the start) is
neutralised by :mod:`data.exports.spreadsheet`. What a scope may read is decided by the query
alone: a funder's export has its approved months only, and no value, n or status computed
over a small group (the note says why).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

import pandas as pd
from sqlalchemy import Engine

from data.access import Scope
from data.exports.spreadsheet import to_csv_bytes, to_xlsx_bytes
from data.store.queries import indicator_values
from indicators.bands import STATUS_LABELS
from indicators.catalogue import Catalogue

ExportFormat = Literal["csv", "xlsx"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

COLUMNS = (
    "territory_id",
    "period",  # YYYY-MM
    "indicator_id",
    "indicator_label",
    "value",
    "n",
    "low_n",
    "status",
    "status_label",
    "stage",
    "wave_number",
    "note",
)
XLSX_SHEET = "Indicateurs"
XLSX_WIDTHS = {
    "territory_id": 18,
    "period": 10,
    "indicator_id": 30,
    "indicator_label": 48,
    "value": 12,
    "n": 8,
    "low_n": 8,
    "status": 12,
    "status_label": 20,
    "stage": 15,
    "wave_number": 8,
    "note": 48,
}


def indicators_table(values: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The long table in export form (:data:`COLUMNS`), one row per row of ``values``.

    ``values``: the long indicator table as :func:`data.store.queries.indicator_values` gives
    it to a scope (``month`` as a date, or ``period`` as YYYY-MM already); ``catalogue`` gives
    the French indicator labels. A status label is given where ``values`` has a status.
    """
    frame = values.reset_index(drop=True)
    if "period" in frame.columns:
        period = frame["period"].astype("str")
    else:
        period = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    labels = {key: definition.label for key, definition in catalogue.indicators.items()}
    indicator = frame["indicator_id"].astype("str")
    status = frame["status"].astype(object).where(frame["status"].notna(), None)

    def column(name: str, dtype: str | None = None) -> pd.Series:
        if name not in frame.columns:
            return pd.Series([None] * len(frame), dtype=dtype or object)
        return frame[name].astype(dtype) if dtype else frame[name]

    table = pd.DataFrame(
        {
            "territory_id": frame["territory_id"].astype("str"),
            "period": period,
            "indicator_id": indicator,
            "indicator_label": indicator.map(lambda i: labels.get(i, i)),
            "value": pd.to_numeric(frame["value"], errors="coerce").astype("float64"),
            "n": column("n", "Int64"),
            "low_n": column("low_n").astype("boolean").fillna(False).astype(bool),
            "status": status,
            "status_label": status.map(lambda s: STATUS_LABELS.get(s, s) if s else None),
            "stage": column("stage"),
            "wave_number": column("wave_number", "Int64"),
            "note": column("note").astype(object).where(column("note").notna(), None),
        }
    )
    return table[list(COLUMNS)]


def render(table: pd.DataFrame, fmt: ExportFormat) -> bytes:
    """``table`` as a French-Excel CSV (UTF-8 with BOM, ``;``, decimal comma) or as an XLSX
    (frozen header, sized columns, numbers as numbers), formula-looking text neutralised."""
    if fmt == "csv":
        return to_csv_bytes(table, separator=";")
    if fmt == "xlsx":
        return to_xlsx_bytes(table, sheet=XLSX_SHEET, widths=XLSX_WIDTHS)
    raise ValueError(f"format d'export inconnu « {fmt} » (attendu : csv ou xlsx)")


def export_indicators(
    engine: Engine,
    scope: Scope,
    fmt: ExportFormat,
    *,
    catalogue: Catalogue,
    territory_ids: list[str] | None = None,
    months: list[dt.date] | None = None,
) -> bytes:
    """The long export of what ``scope`` may read, as ``fmt`` bytes (:func:`render`).

    Read through :func:`data.store.queries.indicator_values`, so it is scoped exactly like
    the pages (a funder: approved months only, small groups withheld); ``territory_ids`` and
    ``months`` narrow it (None: all). Ordered by territory, month and indicator.
    """
    values = indicator_values(engine, scope, territory_ids=territory_ids, months=months)
    return render(indicators_table(values, catalogue), fmt)
