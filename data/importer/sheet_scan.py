"""What reading an ODS or an XLS workbook would cost, found before calamine opens it, with the
same limits and refusals as an XLSX (:mod:`data.importer.workbook_scan`).

An ODS file is a zip whose ``content.xml`` holds every sheet: a row or a cell may say it is
repeated (``table:number-rows-repeated``, ``table:number-columns-repeated``), which LibreOffice
writes for the empty rest of a sheet and which a hostile file uses to ask for billions of
cells. The scan (expat, through the same byte budget) counts a repeated cell that holds a value
at each of its places, and its text as many times.

An XLS file (Excel 97-2003) is an OLE compound file whose ``Workbook`` stream is a sequence of
BIFF records: each sheet's cells (a shared string counted at each use, as calamine copies it),
and the table of shared strings. Empty cells that only carry a format are skipped, as calamine
skips them.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from xml.parsers import expat

from data.importer.reading import FileRefused, damaged, refuse
from data.importer.settings import Limits
from data.importer.workbook_scan import MAX_DEPTH, MAX_SHEETS, Scanner, SheetScan, scan_workbook

CONTENT = "content.xml"
PROTECTED = (
    "Ouvrez-le dans Excel, retirez le mot de passe s'il y en a un, puis « Enregistrer sous » › "
    "Classeur Excel (.xlsx) ou CSV UTF-8."
)


def scan_ods(content: bytes, filename: str, limits: Limits) -> dict[str, SheetScan]:
    """The sheets of an ODS file by name; raise FileRefused beyond ``limits``."""
    return scan_workbook(content, filename, limits, OdsScanner)


class OdsScanner(Scanner):
    """An ODS workbook's scan: ``content.xml``, then what the other members unpack to."""

    def run(self) -> dict[str, SheetScan]:
        if CONTENT not in self.names:
            raise damaged(self.filename)
        scans = self._content()
        self.drain({CONTENT})
        return scans

    def _content(self) -> dict[str, SheetScan]:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        limits = self.limits
        scans: dict[str, SheetScan] = {}
        sheet = SheetScan("", 0, 0)
        depth = 0
        elements_left = self.elements_left
        row = column = 0  # the rows and columns before the row and cell being read
        row_repeat = column_repeat = 1
        row_width = 0  # how far the values of the row being read reach
        in_cell = has_value = False
        size = 0

        def repeat(attributes: dict[str, str], name: str) -> int:
            text = next((v for k, v in attributes.items() if k.endswith(name)), "1")
            if not text.isdigit() or len(text) > 12:
                raise damaged(self.filename)
            return max(int(text), 1)

        def count(text: str) -> None:
            nonlocal size
            size += len(text)

        def start(tag: str, attributes: dict[str, str]) -> None:
            nonlocal depth, elements_left, sheet, row, column, row_repeat, column_repeat
            nonlocal row_width, in_cell, has_value, size
            depth += 1
            elements_left -= 1
            if depth > MAX_DEPTH:
                raise self._too_deep(CONTENT)
            if elements_left < 0:
                raise self._too_many_cells(None)
            local = tag.rpartition(":")[2]
            if local in ("table-cell", "covered-table-cell"):
                column_repeat = repeat(attributes, ":number-columns-repeated")
                in_cell, size = True, 0
                has_value = any(k.endswith(":value-type") for k in attributes)
                parser.CharacterDataHandler = count
            elif local == "s" and in_cell:  # text:s, some spaces
                size += repeat(attributes, ":c")
            elif local == "table-row":
                row_repeat = repeat(attributes, ":number-rows-repeated")
                column = row_width = 0
            elif local == "table" and not in_cell:
                name = next((v for k, v in attributes.items() if k.endswith(":name")), "")
                sheet = scans[name] = SheetScan(name, 0, 0)
                if len(scans) > MAX_SHEETS:
                    raise _too_many_sheets(self.filename)
                row = 0

        def end(tag: str) -> None:
            nonlocal depth, column, row, row_width, in_cell
            depth -= 1
            local = tag.rpartition(":")[2]
            if local in ("table-cell", "covered-table-cell") and in_cell:
                in_cell = False
                parser.CharacterDataHandler = None
                if has_value or size:
                    last_row, last_column = row + row_repeat, column + column_repeat
                    self._check_area(
                        sheet.name,
                        last_row,
                        last_column,
                        max(sheet.rows, last_row),
                        max(sheet.columns, last_column),
                    )
                    if size > limits.max_cell_chars:
                        raise self._cell_too_long(sheet.name, row + 1, column + 1, size)
                    self.chars += size * row_repeat * column_repeat
                    if self.chars > limits.text_chars:
                        raise self._too_much_text(sheet.name, row + 1, column + 1)
                    row_width = last_column
                column += column_repeat
            elif local == "table-row":
                if row_width:
                    sheet.rows = row + row_repeat
                    sheet.columns = max(sheet.columns, row_width)
                row += row_repeat
            elif local == "table":
                self.cells_before += sheet.rows * sheet.columns

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        self._parse(CONTENT, parser)
        self.elements_left = elements_left
        return scans


# -- XLS -----------------------------------------------------------------------------------

BOF, EOF, BOUNDSHEET, SST, CONTINUE = 0x0809, 0x000A, 0x0085, 0x00FC, 0x003C
LABELSST, LABEL, RSTRING, STRING = 0x00FD, 0x0204, 0x00D6, 0x0207
NUMBER, RK, BOOLERR, FORMULA, MULRK = 0x0203, 0x027E, 0x0205, 0x0006, 0x00BD
_HEADER = struct.Struct("<HH")
_CELL = struct.Struct("<HH")


def scan_xls(content: bytes, filename: str, limits: Limits) -> dict[str, SheetScan]:
    """The worksheets of an XLS file by name; raise FileRefused beyond ``limits`` (and, for a
    compound file that holds no workbook — an XLSX protected by a password — say so)."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(content)) as ole:
            streams = {"/".join(path).casefold(): path for path in ole.listdir()}
            path = streams.get("workbook") or streams.get("book")
            if path is None:
                raise refuse(
                    "old_excel",
                    f"Le fichier « {filename} » est un classeur protégé par un mot de passe (ou "
                    "un document Office qui n'est pas un classeur) : il ne peut pas être lu.",
                    PROTECTED,
                )
            stream = ole.openstream(path).read()
    except FileRefused:
        raise
    except Exception:  # olefile raises many kinds on a damaged file
        raise refuse(
            "old_excel",
            f"Le fichier « {filename} » se présente comme un classeur Excel 97-2003 (.xls) mais "
            "ne peut pas être ouvert : il est endommagé, ou protégé par un mot de passe.",
            PROTECTED,
        ) from None
    try:
        return _XlsScanner(filename, limits).run(stream)
    except FileRefused:
        raise
    except Exception:  # a record cut short: a damaged file
        raise damaged(filename) from None


class _XlsScanner(Scanner):
    """An XLS workbook's scan, in one pass over its records: the workbook's globals (its sheets,
    its shared strings) come first, then each sheet's cells between its BOF and EOF records
    (a chart embedded in a sheet nests its own)."""

    def __init__(self, filename: str, limits: Limits) -> None:
        super().__init__(None, filename, limits)
        self.sst: list[int] = []  # each shared string's length

    def run(self, stream: bytes) -> dict[str, SheetScan]:
        sheets: dict[int, str] = {}  # the offset of a worksheet's BOF → its name
        scans: dict[str, SheetScan] = {}
        sheet: SheetScan | None = None
        depth = 0
        strings: list[memoryview] | None = None  # the SST record and its CONTINUE records
        cell = (0, 0)  # the last cell read: a formula's STRING record follows it
        for count, (kind, offset, data) in enumerate(_records(stream)):
            if count > self.elements_left:
                raise self._too_many_cells(None)
            if strings is not None:
                if kind == CONTINUE:
                    strings.append(data)
                    continue
                self._shared_strings(strings)
                strings = None
            if kind == BOF:
                depth += 1
                if depth == 1 and offset in sheets:
                    sheet = scans[sheets[offset]] = SheetScan(sheets[offset], 0, 0)
            elif kind == EOF:
                depth -= 1
                if depth == 0 and sheet is not None:
                    self.cells_before += sheet.rows * sheet.columns
                    sheet = None
            elif depth != 1:
                continue
            elif sheet is None:  # the workbook's globals
                if kind == BOUNDSHEET and data[5] == 0:  # a worksheet (no chart, no macros)
                    sheets[struct.unpack_from("<I", data)[0]] = _short_string(data, 6)
                    if len(sheets) > MAX_SHEETS:
                        raise _too_many_sheets(self.filename)
                elif kind == SST:
                    strings = [data]
            else:
                cell = self._cell(sheet, kind, data, cell)
        if strings is not None:
            self._shared_strings(strings)
        if len(scans) != len(sheets):  # a sheet whose records are not where it says
            raise damaged(self.filename)
        return scans

    def _shared_strings(self, parts: list[memoryview]) -> None:
        reader = _Parts(parts)
        reader.skip(4)
        unique = reader.uint(4)
        if unique > self.limits.max_cells:
            raise self._too_many_cells(None)
        for _ in range(unique):
            length = reader.uint(2)
            flags = reader.uint(1)
            runs = reader.uint(2) if flags & 0x08 else 0
            extra = reader.uint(4) if flags & 0x04 else 0
            reader.chars(length, bool(flags & 0x01))
            reader.skip(4 * runs + extra)
            self.sst.append(length)

    def _cell(
        self, sheet: SheetScan, kind: int, data: memoryview, cell: tuple[int, int]
    ) -> tuple[int, int]:
        """Count one record of a sheet; return the cell it is (or the last one)."""
        if kind in (LABELSST, LABEL, RSTRING, NUMBER, RK, BOOLERR, FORMULA):
            row, column = _CELL.unpack_from(data)
            last = column
            if kind == LABELSST:
                index = struct.unpack_from("<I", data, 6)[0]
                if index >= len(self.sst):
                    raise damaged(self.filename)
                size = self.sst[index]
            elif kind in (LABEL, RSTRING):
                size = struct.unpack_from("<H", data, 6)[0]
            else:
                size = 0
        elif kind == MULRK:
            row, column = _CELL.unpack_from(data)
            last = struct.unpack_from("<H", data, len(data) - 2)[0]
            size = 0
        elif kind == STRING:  # a formula's text, right after its FORMULA record
            (row, column), size = cell, struct.unpack_from("<H", data)[0]
            last = column
        else:
            return cell
        name, limits = sheet.name, self.limits
        rows, width = max(sheet.rows, row + 1), max(sheet.columns, last + 1)
        self._check_area(name, row + 1, last + 1, rows, width)
        sheet.rows, sheet.columns = rows, width
        if size > limits.max_cell_chars:
            raise self._cell_too_long(name, row + 1, column + 1, size)
        self.chars += size
        if self.chars > limits.text_chars:
            raise self._too_much_text(name, row + 1, column + 1)
        return row, column


def _too_many_sheets(filename: str) -> FileRefused:
    return refuse(
        "too_many_sheets",
        f"Le classeur « {filename} » compte plus de {MAX_SHEETS} feuilles.",
        "Gardez la feuille des réponses seule dans un classeur, ou enregistrez-la en CSV UTF-8.",
    )


def _records(stream: bytes) -> Iterator[tuple[int, int, memoryview]]:
    """The BIFF records of a workbook stream: (type, offset, data)."""
    view = memoryview(stream)
    position = 0
    while position + 4 <= len(stream):
        kind, length = _HEADER.unpack_from(stream, position)
        yield kind, position, view[position + 4 : position + 4 + length]
        position += 4 + length


def _short_string(data: memoryview, offset: int) -> str:
    """BIFF8's ShortXLUnicodeString: a length byte, a flags byte, the characters."""
    length, flags = data[offset], data[offset + 1]
    start = offset + 2
    if flags & 0x01:
        return bytes(data[start : start + 2 * length]).decode("utf-16-le")
    return bytes(data[start : start + length]).decode("latin-1")


class _Parts:
    """The SST record and its CONTINUE records read as one, where a string's characters that
    go on in the next record start again with a flags byte (8 or 16 bits a character)."""

    def __init__(self, parts: list[memoryview]) -> None:
        self.parts = parts
        self.part = self.offset = 0

    def _next(self) -> None:
        self.part += 1
        self.offset = 0
        if self.part >= len(self.parts):
            raise ValueError("the shared strings end early")

    def skip(self, count: int) -> None:
        while count:
            if self.offset >= len(self.parts[self.part]):
                self._next()
            step = min(count, len(self.parts[self.part]) - self.offset)
            self.offset += step
            count -= step

    def uint(self, size: int) -> int:
        if self.offset + size > len(self.parts[self.part]):
            self._next()
        value = int.from_bytes(self.parts[self.part][self.offset : self.offset + size], "little")
        self.offset += size
        return value

    def chars(self, count: int, wide: bool) -> None:
        while count:
            left = (len(self.parts[self.part]) - self.offset) // (2 if wide else 1)
            if left == 0:
                self._next()
                wide = bool(self.parts[self.part][0] & 0x01)
                self.offset = 1
                continue
            step = min(count, left)
            self.offset += step * (2 if wide else 1)
            count -= step
