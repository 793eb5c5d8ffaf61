"""Neutralise spreadsheet formulas in every CSV or XLSX the product writes.

A name or a commune may legitimately start with ``=``, ``+``, ``-`` or ``@`` ("-Collectif
Jeunes-", "=Solidaire"): the import keeps such cells as text. Opened in Excel or LibreOffice,
though, a cell starting with one of these characters is read as a formula (CSV injection).
Every export goes through :func:`neutralise`, which prefixes such text with an apostrophe, the
spreadsheet convention for "this is text". Numbers, including negative ones, stay numbers; a
text that is exactly a number ("-3", "+33") is left as it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Hashable
from typing import Any

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def neutralise_value(value: Any) -> Any:
    """One cell: text starting with a formula character gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` safe to open in a spreadsheet (text cells and column names)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        out[column] = series.map(neutralise_value)
    out.columns = [_label(c) for c in out.columns]
    return out


def _label(column: Hashable) -> Hashable:
    return neutralise_value(column) if isinstance(column, str) else column


def to_csv_bytes(frame: pd.DataFrame, separator: str = ";") -> bytes:
    """CSV as French Excel opens it: UTF-8 with BOM, ``;`` separated, decimal comma."""
    text = neutralise(frame).to_csv(index=False, sep=separator, decimal=",")
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Données") -> bytes:
    """XLSX whose text cells are written as text, never as formulas."""
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    safe = neutralise(frame)
    worksheet.append([str(c) for c in safe.columns])
    for row in safe.itertuples(index=False):
        worksheet.append([_xlsx_value(v) for v in row])
    for cells in worksheet.iter_rows(min_row=1):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value
