"""Neutralise spreadsheet formulas in every CSV or XLSX the product writes.

A name or a commune may legitimately start with ``=``, ``+``, ``-`` or ``@`` ("-Collectif
Jeunes-", "=Solidaire"): the import keeps such cells as text. Opened in Excel or LibreOffice,
though, a cell starting with one of these characters is read as a formula (CSV injection).
Every export goes through :func:`neutralise`, which prefixes such text with an apostrophe, the
spreadsheet convention for "this is text". Numbers, including negative ones, stay numbers; a
text that is exactly a number ("-3", "+33") is left as it is.

Numbers rounded to a given number of decimals are written so that they read that way: in a CSV
as text with a decimal comma and exactly those decimals (:func:`csv_number`), in an XLSX as
numbers with a number format (:func:`number_format`, the ``number_formats`` of
:func:`to_xlsx_bytes`).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Hashable, Mapping, Sequence
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
        out[column] = _neutralised(series)
    out.columns = [_label(c) for c in out.columns]
    return out


def _neutralised(series: pd.Series) -> pd.Series:
    """``series`` with its formula-looking text neutralised, each distinct text looked at once
    (a long export repeats its names and labels on every row)."""
    try:
        distinct = pd.unique(series.dropna())
    except TypeError:  # cells that cannot be hashed: one at a time
        return series.map(neutralise_value)
    changed = {v: neutralise_value(v) for v in distinct if neutralise_value(v) is not v}
    if not changed:
        return series
    return series.where(~series.isin(list(changed)), series.map(changed))


def _label(column: Hashable) -> Hashable:
    return neutralise_value(column) if isinstance(column, str) else column


def csv_number(value: float | None, decimals: int) -> str | None:
    """A number for a French CSV: ``1234.5`` with 2 decimals → ``1234,50`` (the decimals
    fixed, no thousands separator, ``-`` for a negative: what French Excel reads as a
    number); None or NaN → None, an empty cell. ``value`` is rounded already (data.fr)."""
    if value is None or math.isnan(value):
        return None
    return f"{value:.{decimals}f}".replace(".", ",")


def number_format(decimals: int, signed: bool = False) -> str:
    """The XLSX number format of a number with ``decimals`` (``#,##0.00``: French Excel shows
    « 1 234,50 »); ``signed``: a positive number shows its « + » (a change)."""
    plain = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f"+{plain};-{plain};{plain}" if signed else plain


def to_csv_bytes(frame: pd.DataFrame, separator: str = ";") -> bytes:
    """CSV as French Excel opens it: UTF-8 with BOM, ``;`` separated, decimal comma."""
    text = neutralise(frame).to_csv(index=False, sep=separator, decimal=",")
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx_bytes(
    frame: pd.DataFrame,
    sheet: str = "Données",
    widths: Mapping[str, float] | None = None,
    number_formats: Mapping[str, Sequence[str | None]] | None = None,
) -> bytes:
    """XLSX with a bold, frozen header row; text cells written as text, never as formulas,
    numbers as numbers, missing values as empty cells. ``widths``: column widths (in
    characters) by column name; other columns keep the spreadsheet's default.
    ``number_formats``: by column name, the number format of each row's cell (None: the
    spreadsheet's general format)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)  # streams rows: a long export stays light
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.freeze_panes = "A2"
    for position, name in enumerate(frame.columns, start=1):
        if widths and name in widths:
            worksheet.column_dimensions[get_column_letter(position)].width = widths[name]
    safe = neutralise(frame)
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="EEF0F3")
    header = []
    for name in safe.columns:
        cell = WriteOnlyCell(worksheet, value=str(name))
        cell.font, cell.fill = bold, grey
        header.append(cell)
    worksheet.append(header)
    formats = [number_formats.get(name) if number_formats else None for name in frame.columns]
    for position, row in enumerate(safe.itertuples(index=False, name=None)):
        worksheet.append(
            [
                _xlsx_value(worksheet, value, None if column is None else column[position])
                for value, column in zip(row, formats, strict=True)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(worksheet: Any, value: Any, format_code: str | None = None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar → Python number or bool
    if isinstance(value, str):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"  # text, even if it begins like a formula
        return cell
    if format_code and isinstance(value, int | float) and not isinstance(value, bool):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = format_code
        return cell
    return value
