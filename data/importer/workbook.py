"""Read an XLSX workbook as a header and rows of text (:func:`read_xlsx`), after checking
what reading it would cost."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from data import fr
from data.importer.reading import (
    FileRefused,
    HeaderScorer,
    RawTable,
    SourceInfo,
    damaged,
    header_index,
    header_not_found,
    refuse,
    to_table,
)

# What is read from a worksheet's XML before calamine reads it. Each pattern starts with a
# literal, so that ``re`` skips through tens of megabytes quickly.
_ROW_NUMBER = re.compile(rb'row\s[^>]*?\br="([0-9]{1,7})"')  # <row r="12" …>
_WIDE_COLUMN = re.compile(rb'r="([A-Z]{3})[0-9]')  # <c r="AAA12" …>: beyond ZZ, column 702
_FILLED_CELL = re.compile(rb'r="([A-Z]{1,3})([0-9]{1,7})"[^>/]*>')  # <c r="AB12" …>, not …/>
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s([^>]*?\bt="e"[^>/]*)>(.*?)</(?:\w+:)?c>', re.S)
_ERROR_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")
# Fewest bytes a cell takes in a worksheet's XML (``<c><v>1</v></c>``): a sheet spanning more
# rows × columns than the unzipped size limit could fill holds a stray cell far from the table.
_BYTES_PER_CELL = 16


@dataclass
class _Sheet:
    name: str
    rows: int  # how far its cells reach
    columns: int
    errors: dict[tuple[int, int], str]  # formula errors (#DIV/0!…), which calamine reads as ""


def read_xlsx(
    content: bytes,
    filename: str,
    scorer: HeaderScorer,
    search_rows: int,
    max_unzipped_bytes: int,
) -> RawTable:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > max_unzipped_bytes:
        raise refuse(
            "file_too_large",
            f"Le classeur « {filename} » occupe {fr.number(unpacked / 1024 / 1024, 0)} Mo une "
            f"fois décompressé, au-delà de la limite de "
            f"{fr.number(max_unzipped_bytes / 1024 / 1024, 0)} Mo.",
            "Retirez les feuilles et les colonnes inutiles (images, mises en forme), ou "
            "enregistrez les réponses en CSV UTF-8.",
        )
    max_cells = max_unzipped_bytes // _BYTES_PER_CELL
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
            parts = _worksheet_parts(archive)
            sheets = [
                _scan_sheet(archive.read(parts[m.name]), m.name, max_cells)
                for m in workbook.sheets_metadata
                if m.typ == SheetTypeEnum.WorkSheet
            ]
    except Exception:  # zipfile, zlib, XML and calamine raise many kinds on a damaged archive
        raise damaged(filename) from None
    with workbook:
        for info in sheets:
            if info.rows * info.columns > max_cells:  # calamine would hold every cell of it
                raise _sheet_too_large(filename, info, max_cells)
        best: tuple[float, Any, _Sheet] | None = None
        first_rows: list[str | None] = []
        for info in sheets:
            try:
                sheet = workbook.get_sheet_by_name(info.name)
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
    source = SourceInfo("xlsx", None, None, info.name, top + 1)
    return to_table(filename, header, records[top + 1 :], top + 2, source)


def _worksheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name → the archive member holding its cells (``xl/worksheets/sheet1.xml``)."""
    import posixpath
    from xml.etree import ElementTree

    targets = {}
    for element in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter():
        if element.tag.endswith("Relationship"):
            target = element.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            targets[element.get("Id")] = posixpath.normpath(path)
    parts = {}
    for element in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter():
        if element.tag.endswith("}sheet") or element.tag == "sheet":
            relation = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            if relation in targets:
                parts[element.get("name", "")] = targets[relation]
    return parts


def _scan_sheet(xml: bytes, name: str, max_cells: int) -> _Sheet:
    """How far a worksheet's cells reach, and its formula errors, read from its XML.

    Calamine holds every cell from A1 to the farthest one that has a value. Spreadsheet
    applications number each row and cell (``<row r="12">``, ``<c r="AB12">``): the last row
    and, when no cell lies beyond column ZZ, 702 columns bound that quickly; when the bound is
    too high, the cells holding something (``<c …>…</c>``, not an empty ``<c …/>``) are read.
    """
    rows = max(map(int, _ROW_NUMBER.findall(xml)), default=0)
    columns = max(map(_column_number, set(_WIDE_COLUMN.findall(xml))), default=702)
    if not rows or rows * columns > max_cells:
        filled = _FILLED_CELL.findall(xml)
        rows = max((int(number) for _, number in filled), default=0)
        columns = max(map(_column_number, {letters for letters, _ in filled}), default=0)
    errors: dict[tuple[int, int], str] = {}
    if b't="e"' in xml:
        for attributes, body in _ERROR_CELL.findall(xml):
            ref = _ERROR_REF.search(attributes)
            value = _ERROR_VALUE.search(body)
            if ref and value and value.group(1).strip():
                position = (int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1)
                errors[position] = value.group(1).decode("ascii", "replace").strip()
    return _Sheet(name, rows, columns, errors)


def _column_number(letters: bytes) -> int:
    """1 for A, 27 for AA."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _sheet_too_large(filename: str, sheet: _Sheet, max_cells: int) -> FileRefused:
    from data.importer.formats import column_letter

    return refuse(
        "file_too_large",
        f"La feuille « {sheet.name} » du classeur « {filename} » s'étend jusqu'à la ligne "
        f"{fr.number(sheet.rows, 0)} et la colonne {column_letter(sheet.columns - 1)}, soit "
        f"plus de {fr.number(max_cells, 0)} cellules : une cellule a sans doute été remplie "
        "loin du tableau.",
        "Dans Excel, Ctrl+Fin mène à la dernière cellule utilisée : supprimez les lignes et "
        "les colonnes entre le tableau et elle, enregistrez puis importez à nouveau ; ou "
        "enregistrez les réponses en CSV UTF-8.",
    )


class _Texts(dict[Any, str | None]):
    """Cell values → their text, each distinct value converted once (a table repeats them)."""

    def __missing__(self, value: Any) -> str | None:
        text = self[value] = _cell_text(value)
        return text


def _texts(rows: list[list[Any]], sheet: _Sheet) -> list[list[str | None]]:
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
