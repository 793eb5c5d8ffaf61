"""What reading an XLSX workbook would cost, found before calamine opens it (:func:`scan_workbook`).

calamine reads a worksheet into a grid from A1 to its farthest cell holding a value, and copies
a shared string into every cell that refers to it: a few kilobytes of zip can ask it for
terabytes, and the process aborts. So the archive is read first with expat, a streaming XML
parser, fed from the zip members through a byte budget (what the members really unpack to,
whatever their headers declare). It reads the sheets, their rows and cells wherever their
references point (quoted either way, with any namespace prefix, or left implicit), the text
each cell would hold once read (a shared string counted at each use, an inline string at its
length) and the formula errors, which calamine reads as empty cells. It stops at the first
limit crossed, naming the cell. A document type declaration (the only place XML entities are
declared: the "billion laughs") and absurdly deep nesting are refused outright.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from data import fr
from data.importer.formats import column_letter
from data.importer.reading import SHRINK, FileRefused, damaged, refuse
from data.importer.settings import Limits

CHUNK_BYTES = 1 << 20
# A worksheet's text sits 7 elements deep (worksheet, sheetData, row, c, is, r, t); spreadsheet
# applications stay well below this, and deeper nesting only costs memory and time.
MAX_DEPTH = 64
# Elements per cell a scan may read (``<c><is><t>`` is three): bounds a scan's time when the
# elements hold no value at all.
ELEMENTS_PER_CELL = 4
MAX_SHEETS = 100
MAX_PARTS = 1_000  # files inside the zip: a workbook of 100 sheets has about 250
TEXT_TYPES = frozenset({"s", "str", "inlineStr", "e", "d"})  # cells whose value is text
_LETTERS = re.compile(r"[A-Za-z]{1,3}")  # a cell reference's column (its row: int())
DIGITS = "0123456789"

WORKSHEET = "/worksheet"
SHARED_STRINGS = "xl/sharedStrings.xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELATIONS = "xl/_rels/workbook.xml.rels"
CTRL_END = (
    "Dans Excel, Ctrl+Fin mène à la dernière cellule utilisée : supprimez les lignes et les "
    "colonnes entre le tableau et elle"
)
RESAVE = (
    "Ouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau au format XLSX (ou en CSV "
    "UTF-8), puis importez ce nouveau fichier."
)


@dataclass
class SheetScan:
    """A worksheet as calamine will read it."""

    name: str
    rows: int  # the farthest row holding a value
    columns: int  # the farthest column holding a value
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) from 0


def scan_workbook(
    content: bytes, filename: str, limits: Limits, scanner: type[Scanner] | None = None
) -> dict[str, SheetScan]:
    """The worksheets of an XLSX file by name (of an ODS file with the ODS ``scanner``); raise
    FileRefused beyond ``limits``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except Exception:  # zipfile raises many kinds on a damaged archive
        raise damaged(filename) from None
    with archive:
        if len(members) > MAX_PARTS:
            raise refuse(
                "too_many_parts",
                f"Le classeur « {filename} » contient {fr.number(len(members), 0)} fichiers "
                f"internes, au-delà de la limite de {fr.number(MAX_PARTS, 0)} : ce n'est pas un "
                "classeur ordinaire.",
                RESAVE,
            )
        declared = sum(info.file_size for info in members)
        if declared > limits.unzipped_bytes:
            raise _unzipped_too_large(filename, declared, limits, at_least=False)
        try:
            return (scanner or Scanner)(archive, filename, limits).run()
        except FileRefused:
            raise
        except Exception:  # zlib, CRC, expat, a reference that is not one: a damaged file
            raise damaged(filename) from None


class Scanner:
    """One workbook's scan: its budget, and the totals over its sheets."""

    def __init__(self, archive: zipfile.ZipFile | None, filename: str, limits: Limits) -> None:
        self.archive = archive  # None for a workbook that is no zip (.xls)
        self.filename = filename
        self.limits = limits
        self.bytes_left = limits.unzipped_bytes
        self.cells_before = 0  # rows × columns of the sheets already scanned
        self.chars = 0  # text of the cells scanned so far
        self.elements_left = limits.max_cells * ELEMENTS_PER_CELL
        self.strings = array("q")  # the length of each shared string
        self.names = {info.filename for info in archive.infolist()} if archive else set()

    def run(self) -> dict[str, SheetScan]:
        sheets = self._workbook()
        read = {WORKBOOK, WORKBOOK_RELATIONS}
        if SHARED_STRINGS in self.names:
            self._shared_strings(SHARED_STRINGS)
            read.add(SHARED_STRINGS)
        scans = {}
        for name, part in sheets.items():
            if part not in self.names:
                raise damaged(self.filename)
            scans[name] = self._sheet(part, name)
            read.add(part)
        self.drain(read)
        return scans

    def drain(self, read: set[str]) -> None:
        """Unpack the members not in ``read``, to know what they really unpack to."""
        assert self.archive is not None
        for info in self.archive.infolist():
            if info.filename not in read and not info.is_dir():
                for _ in self._chunks(info.filename):
                    pass

    # -- reading a member ------------------------------------------------------------------

    def _chunks(self, member: str) -> Iterator[bytes]:
        assert self.archive is not None
        with self.archive.open(member) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                self.bytes_left -= len(chunk)
                if self.bytes_left < 0:
                    spent = self.limits.unzipped_bytes - self.bytes_left
                    raise _unzipped_too_large(self.filename, spent, self.limits, at_least=True)
                yield chunk

    def _parse(self, member: str, parser: Any) -> None:
        parser.StartDoctypeDeclHandler = self._doctype
        for chunk in self._chunks(member):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _doctype(self, *_: object) -> None:
        raise refuse(
            "xml_entities",
            f"Le classeur « {self.filename} » contient une déclaration de type de document "
            "(DTD, où se définissent des entités XML), ce que ni Excel ni LibreOffice n'écrivent "
            ": il a été fabriqué ou modifié par un autre outil, et n'est pas lu.",
            RESAVE,
        )

    def _too_deep(self, member: str) -> FileRefused:
        return refuse(
            "xml_too_deep",
            f"Le classeur « {self.filename} » contient des éléments XML imbriqués sur plus de "
            f"{MAX_DEPTH} niveaux ({member}), ce que ni Excel ni LibreOffice n'écrivent : il "
            "n'est pas lu.",
            RESAVE,
        )

    def _elements(self, member: str, on_start: Callable[[str, dict[str, str]], None]) -> None:
        """Parse a small part, calling ``on_start(local name, attributes)`` for each element."""
        parser = expat.ParserCreate()
        depth = 0

        def start(tag: str, attributes: dict[str, str]) -> None:
            nonlocal depth
            depth += 1
            self._spend_element()
            if depth > MAX_DEPTH:
                raise self._too_deep(member)
            on_start(tag.rpartition(":")[2], attributes)

        def end(tag: str) -> None:
            nonlocal depth
            depth -= 1

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        self._parse(member, parser)

    def _spend_element(self, count: int = 1) -> None:
        self.elements_left -= count
        if self.elements_left < 0:
            raise self._too_many_cells(None)

    # -- the parts -------------------------------------------------------------------------

    def _workbook(self) -> dict[str, str]:
        """Each worksheet's name → the member holding its cells (``xl/worksheets/sheet1.xml``)."""
        sheets: list[tuple[str, str]] = []
        targets: dict[str, str] = {}

        def on_sheet(local: str, attributes: dict[str, str]) -> None:
            if local == "sheet":
                relation = next((v for k, v in attributes.items() if k.endswith(":id")), "")
                sheets.append((attributes.get("name", ""), relation))
                if len(sheets) > MAX_SHEETS:
                    raise refuse(
                        "too_many_sheets",
                        f"Le classeur « {self.filename} » compte plus de {MAX_SHEETS} feuilles.",
                        "Gardez la feuille des réponses (ou de la liste des acteurs) seule dans "
                        "un classeur, ou enregistrez-la en CSV UTF-8.",
                    )

        def on_relation(local: str, attributes: dict[str, str]) -> None:
            if local == "Relationship" and attributes.get("Type", "").endswith(WORKSHEET):
                target = attributes.get("Target", "")
                path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
                targets[attributes.get("Id", "")] = posixpath.normpath(path)

        self._elements(WORKBOOK, on_sheet)
        self._elements(WORKBOOK_RELATIONS, on_relation)
        return {name: targets[relation] for name, relation in sheets if relation in targets}

    def _shared_strings(self, member: str) -> None:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        strings = self.strings
        limit = self.limits.max_cells
        depth = 0
        length = 0

        def count(text: str) -> None:
            nonlocal length
            length += len(text)

        def start(tag: str, attributes: dict[str, str]) -> None:
            nonlocal depth, length
            depth += 1
            if depth > MAX_DEPTH:
                raise self._too_deep(member)
            local = tag.rpartition(":")[2]
            if local == "si":
                length = 0
            elif local == "t":
                parser.CharacterDataHandler = count

        def end(tag: str) -> None:
            nonlocal depth
            depth -= 1
            local = tag.rpartition(":")[2]
            if local == "t":
                parser.CharacterDataHandler = None
            elif local == "si":
                strings.append(length)
                if len(strings) > limit:
                    raise self._too_many_cells(None)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        self._parse(member, parser)
        self._spend_element(len(strings) * 2)

    def _sheet(self, member: str, name: str) -> SheetScan:
        """Scan one worksheet's cells: the hot loop of a scan, its handlers kept lean."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        limits = self.limits
        max_chars, text_left = limits.max_cell_chars, limits.text_chars - self.chars
        strings = self.strings
        elements_left = self.elements_left
        scan = SheetScan(name, 0, 0)
        columns: dict[str, int] = {}
        pieces: list[str] = []
        collect = pieces.append
        depth = elements = 0
        row = column = rows = width = 0  # the cell read; how far the values reach
        row_digits: str | None = None  # the row's r, as written
        kind = ""
        in_cell = in_inline = False

        def column_of(letters: str) -> int:
            if _LETTERS.fullmatch(letters) is None:
                raise damaged(self.filename)
            number = columns[letters] = _column_number(letters)
            return number

        def grow() -> None:
            nonlocal rows, width
            rows, width = max(row, rows), max(column, width)
            self._check_area(name, row, column, rows, width)

        def start(tag: str, attributes: dict[str, str]) -> None:
            nonlocal depth, elements, row, row_digits, column, kind, in_cell, in_inline
            depth += 1
            elements += 1
            if depth > MAX_DEPTH or elements > elements_left:
                raise self._too_deep(member) if depth > MAX_DEPTH else self._too_many_cells(None)
            if ":" in tag:
                tag = tag.rpartition(":")[2]
            if tag == "c":
                # Like calamine, only the unprefixed r and t count (x:r is no reference).
                ref = attributes.get("r")
                if ref is None:
                    column += 1
                else:
                    letters = ref.rstrip(DIGITS)
                    column = columns.get(letters) or column_of(letters)
                    digits = ref[len(letters) :]
                    if digits != row_digits:  # most cells are on the row's own number
                        row = int(digits)
                kind = attributes.get("t", "n")
                in_cell, in_inline = True, False
                if pieces:
                    pieces.clear()
            elif tag == "row":
                ref = attributes.get("r")
                row = row + 1 if ref is None else int(ref)
                row_digits = ref
                column = 0
            elif in_cell:
                if tag == "v":
                    if row > rows or column > width:
                        grow()
                    if kind in TEXT_TYPES:
                        parser.CharacterDataHandler = collect
                elif tag == "is":
                    if row > rows or column > width:
                        grow()
                    in_inline = True
                elif tag == "t" and in_inline:
                    parser.CharacterDataHandler = collect

        def end(tag: str) -> None:
            nonlocal depth, in_cell, text_left
            depth -= 1
            if ":" in tag:
                tag = tag.rpartition(":")[2]
            if tag == "v" or tag == "t":
                parser.CharacterDataHandler = None
            elif tag == "c" and in_cell:
                in_cell = False
                if not pieces:
                    return
                if kind == "s":
                    index = int("".join(pieces))
                    if not 0 <= index < len(strings):
                        raise damaged(self.filename)
                    size = strings[index]
                else:
                    size = sum(map(len, pieces))
                    if kind == "e" and size <= 64:
                        scan.errors[(row - 1, column - 1)] = "".join(pieces).strip()
                if size > max_chars:
                    raise self._cell_too_long(name, row, column, size)
                text_left -= size
                if text_left < 0:
                    raise self._too_much_text(name, row, column)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        self._parse(member, parser)
        self._spend_element(elements)
        scan.rows, scan.columns = rows, width
        self.cells_before += rows * width
        self.chars = limits.text_chars - text_left
        return scan

    def _check_area(self, sheet: str, row: int, column: int, rows: int, width: int) -> None:
        """A value at (``row``, ``column``) makes the sheet ``rows`` × ``width`` cells."""
        limits = self.limits
        if rows > limits.max_rows:
            raise self._too_many("rows", sheet, row, column)
        if width > limits.max_columns:
            raise self._too_many("columns", sheet, row, column)
        if rows * width > limits.max_cells - self.cells_before:
            raise self._too_many_cells((sheet, row, column))

    # -- the refusals ----------------------------------------------------------------------

    def _where(self, sheet: str, row: int, column: int) -> str:
        return f"cellule {column_letter(column - 1)}{row} de la feuille « {sheet} »"

    @staticmethod
    def _at(check_id: str, message: str, hint: str, row: int, column: int) -> FileRefused:
        """A refusal that names the cell (row and column) where it applies."""
        return refuse(check_id, message, hint, rows=[row], columns=[column_letter(column - 1)])

    def _too_many(self, what: str, sheet: str, row: int, column: int) -> FileRefused:
        limits = self.limits
        if what == "rows":
            beyond = f"la ligne {row}"
            limit = f"{fr.number(limits.max_rows, 0)} lignes"
        else:
            beyond = f"la colonne {column_letter(column - 1)} ({fr.number(column, 0)}e colonne)"
            limit = f"{fr.number(limits.max_columns, 0)} colonnes"
        return self._at(
            f"too_many_{what}",
            f"La feuille « {sheet} » du classeur « {self.filename} » a une valeur jusqu'à "
            f"{beyond} ({self._where(sheet, row, column)}), au-delà de la limite de {limit} : "
            "une cellule a sans doute été remplie loin du tableau.",
            f"{CTRL_END}, enregistrez puis importez à nouveau. {SHRINK}",
            row,
            column,
        )

    def _too_many_cells(self, at: tuple[str, int, int] | None) -> FileRefused:
        limit = fr.number(self.limits.max_cells, 0)
        if at is None:
            return refuse(
                "too_many_cells",
                f"Le classeur « {self.filename} » compte plus de {limit} cellules (ou de "
                "textes), au-delà de la limite : il n'est pas lu.",
                SHRINK,
            )
        sheet, row, column = at
        return self._at(
            "too_many_cells",
            f"Le classeur « {self.filename} » s'étend au-delà de {limit} cellules : la feuille "
            f"« {sheet} » a une valeur jusqu'à la {self._where(sheet, row, column)}, et "
            "chaque cellule de la première à celle-ci devrait être lue.",
            f"{CTRL_END}, ou les feuilles inutiles. {SHRINK}",
            row,
            column,
        )

    def _cell_too_long(self, sheet: str, row: int, column: int, size: int) -> FileRefused:
        return self._at(
            "cell_too_long",
            f"La {self._where(sheet, row, column)} du classeur « {self.filename} » contient "
            f"{fr.number(size, 0)} caractères, au-delà des "
            f"{fr.number(self.limits.max_cell_chars, 0)} qu'une cellule de tableur peut contenir.",
            "Vérifiez cette cellule (un texte collé par erreur ?), raccourcissez-la ou videz-la, "
            "puis importez à nouveau le fichier.",
            row,
            column,
        )

    def _too_much_text(self, sheet: str, row: int, column: int) -> FileRefused:
        return self._at(
            "too_much_text",
            f"Une fois lu, le texte des cellules du classeur « {self.filename} » dépasserait "
            f"{fr.number(self.limits.max_text_mb, 0)} Mo (atteints à la "
            f"{self._where(sheet, row, column)}) : un même texte long est sans doute répété "
            "dans de très nombreuses cellules.",
            "Videz les cellules qui répètent ce texte (ou la colonne entière si elle ne sert "
            "pas à l'import), puis importez à nouveau le fichier. " + SHRINK,
            row,
            column,
        )


def _column_number(letters: str) -> int:
    """1 for A, 27 for AA."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _unzipped_too_large(filename: str, size: int, limits: Limits, at_least: bool) -> FileRefused:
    return refuse(
        "file_too_large",
        f"Le classeur « {filename} » occupe {'au moins ' if at_least else ''}"
        f"{fr.number(size / 1024 / 1024, 0)} Mo une fois décompressé, au-delà de la limite de "
        f"{fr.number(limits.max_unzipped_mb, 0)} Mo.",
        "Retirez les feuilles et les colonnes inutiles (images, mises en forme), ou "
        "enregistrez les réponses en CSV UTF-8.",
    )
