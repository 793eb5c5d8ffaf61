"""Read an XLSX, ODS or XLS workbook as a header and rows of text (:func:`read_workbook`), with
calamine, once :mod:`data.importer.workbook_scan` (XLSX) or :mod:`data.importer.sheet_scan`
(ODS, XLS) has found that reading it stays within the limits."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from data.importer.reading import (
    HeaderScorer,
    RawTable,
    SourceInfo,
    damaged,
    header_index,
    header_not_found,
    to_table,
)
from data.importer.settings import Limits
from data.importer.workbook_scan import SheetScan, scan_workbook


def read_workbook(
    content: bytes, filename: str, scorer: HeaderScorer, limits: Limits, container: str = "xlsx"
) -> RawTable:
    """Read the worksheet whose header ``scorer`` recognises best; raise FileRefused.

    The workbook is scanned first (``container``: ``xlsx``, ``ods`` or ``xls``): calamine
    only opens a file whose every worksheet it can read within ``limits``.
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    from data.importer.sheet_scan import scan_ods, scan_xls

    scan = {"xlsx": scan_workbook, "ods": scan_ods, "xls": scan_xls}[container]
    scans = scan(content, filename, limits)
    search_rows = limits.header_search_rows
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except Exception:  # calamine raises many kinds on a damaged archive
        raise damaged(filename) from None
    if any(name not in scans for name in names):  # a sheet the scan did not see: not bounded
        raise damaged(filename)
    with workbook:
        best: tuple[float, Any, SheetScan] | None = None
        first_rows: list[str | None] = []
        for name in names:
            info = scans[name]
            try:
                sheet = workbook.get_sheet_by_name(name)
                first = _texts(sheet.to_python(skip_empty_area=False, nrows=search_rows), info)
            except Exception:
                raise damaged(filename) from None
            if not first_rows:
                first_rows = next((r for r in first if any(c is not None for c in r)), [])
            score = max((scorer(r) for r in first), default=0.0)
            if best is None or score > best[0]:
                best = (score, sheet, info)
        if best is None or best[0] <= 0:
            raise header_not_found(filename, first_rows, None, search_rows)
        _, sheet, info = best
        try:
            records = _texts(sheet.to_python(skip_empty_area=False), info)
        except Exception:
            raise damaged(filename) from None
    top = header_index(records, scorer, search_rows)
    header = [(c or "").strip() for c in records[top]]
    source = SourceInfo(container, None, None, info.name, top + 1)
    return to_table(filename, header, records[top + 1 :], top + 2, source)


class _Texts(dict[Any, str | None]):
    """Cell values → their text, each distinct value converted once (a table repeats them)."""

    def __missing__(self, value: Any) -> str | None:
        text = self[value] = _cell_text(value)
        return text


def _texts(rows: list[list[Any]], sheet: SheetScan) -> list[list[str | None]]:
    """Calamine's rows (``""`` for an empty cell) as text, with the formula errors put back."""
    texts = _Texts({"": None})
    records = [list(map(texts.__getitem__, row)) for row in rows]
    for (row, column), error in sheet.errors.items():
        if row < len(records) and column < len(records[row]):
            records[row][column] = error
    return records


def _cell_text(value: Any) -> str | None:
    """A spreadsheet cell as the text the rest of the import reads.

    Calamine gives ``str`` (``""`` when empty), ``float`` for every number, ``bool``, and for a
    date-formatted cell ``datetime.date`` (whole day), ``datetime.datetime``, ``datetime.time``
    (under a day) or ``datetime.timedelta`` (a duration format).
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
