"""Turn a file's bytes into a header and rows of text, or a clear French refusal.

What French users bring: CSV in UTF-8 (with or without BOM), Windows-1252 or UTF-16 (Excel's
"texte Unicode"); comma, semicolon, tab or pipe separated; XLSX, LibreOffice's ODS or Excel
97-2003's XLS with title rows above the header. What they sometimes bring instead: an empty
file, a PDF or an image renamed ``.csv``, a workbook protected by a password, a truncated
download. Each of these stops here with a message that names the file, the row where it
applies, and what to do.

Row numbers are those a spreadsheet shows: the first line of a CSV is row 1, whatever sits
above the header (title rows, blank rows) is counted.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from data import fr
from data.domain.checks import CheckResult, Severity, shorten
from data.importer.formats import column_letter
from data.importer.settings import Limits, quality_settings

HeaderScorer = Callable[[Sequence[str | None]], float]
SEPARATORS = (";", ",", "\t", "|")
SEPARATOR_NAMES = {";": "« ; »", ",": "« , »", "\t": "tabulation", "|": "« | »"}
SAMPLE_CHARS = 256 * 1024
# No field limit of the csv module's own (it would call a long cell an unclosed quote): a
# cell's length is checked against the limits once read, with its row and column.
csv.field_size_limit(2**31 - 1)

# UTF-8 read as Windows-1252: "é" becomes "Ã©", "’" becomes "â€™".
MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf\u0152-\u02dc\u2013-\u2122]|â€|Â[\u00a0-\u00bf]")
# UTF-16 read as UTF-8: every other character is NUL ("o\0r\0g\0"). UTF-8 read as UTF-16:
# two letters make one CJK or Hangul character, which French answers never hold in a row.
UTF16_AS_UTF8 = re.compile(r"(?:[^\x00]\x00){4}|(?:\x00[^\x00]){4}")
UTF8_AS_UTF16 = re.compile(r"[\u2100-\u7e7e\ua000-\ud7ff]{4}")

SAVE_AS_CSV = (
    "Dans Excel : Fichier › Enregistrer sous › « CSV UTF-8 (délimité par des virgules) » ; "
    "dans LibreOffice : Enregistrer sous › CSV, jeu de caractères Unicode (UTF-8)."
)
SAVE_AS = "Enregistrez-le au format XLSX ou CSV (UTF-8) puis importez-le à nouveau."
SHRINK = (
    "Retirez les feuilles, lignes et colonnes inutiles, ou enregistrez les réponses en CSV "
    "UTF-8 (une feuille, une ligne par répondant)."
)


class FileRefused(Exception):
    """The file cannot be read as a table; carries the check that says why."""

    def __init__(self, check: CheckResult) -> None:
        super().__init__(check.message)
        self.check = check


def refuse(check_id: str, message: str, hint: str, **kwargs: Any) -> FileRefused:
    return FileRefused(CheckResult(check_id, Severity.ERROR, message, hint, **kwargs))


@dataclass
class SourceInfo:
    """How the file was read."""

    container: str  # "csv", "xlsx", "ods" or "xls"
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    header_row: int = 1

    def describe(self) -> str:
        if self.container != "csv":
            return (
                f"classeur {self.container.upper()}, feuille « {self.sheet} », en-tête ligne "
                f"{self.header_row}"
            )
        separator = SEPARATOR_NAMES.get(self.separator or "", repr(self.separator))
        return f"CSV {self.encoding}, séparateur {separator}, en-tête ligne {self.header_row}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "container": self.container,
            "encoding": self.encoding,
            "separator": self.separator,
            "sheet": self.sheet,
            "header_row": self.header_row,
        }


@dataclass
class RawTable:
    """The header and the data rows of a file, as text (``None`` for an empty cell)."""

    filename: str
    header: list[str]
    rows: list[list[str | None]]
    row_numbers: list[int]
    source: SourceInfo
    notes: list[CheckResult] = field(default_factory=list)

    def column(self, index: int) -> list[str | None]:
        return [row[index] for row in self.rows]


def read_table(
    content: bytes,
    filename: str,
    scorer: HeaderScorer,
    limits: Limits | None = None,
) -> RawTable:
    """Read ``content`` as a table whose header ``scorer`` recognises; raise FileRefused.

    ``limits`` (by default ``quality.yaml``'s) bound what reading may cost: rows, columns,
    cells, the length of a cell, the text of them all; a file beyond one is refused.
    """
    limits = limits or quality_settings().limits
    name = f"« {filename} »"
    if not content.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe;,|"):
        raise refuse(
            "empty_file",
            f"Le fichier {name} est vide.",
            "Vérifiez que vous avez choisi le bon fichier et qu'il a bien été enregistré.",
        )
    container = _sniff(content, filename)
    if container != "csv":
        from data.importer.workbook import read_workbook

        return read_workbook(content, filename, scorer, limits, container)
    text, encoding = _decode(content, filename)
    return _read_csv(text, encoding, filename, scorer, limits)


# -- what kind of file is it ---------------------------------------------------------------


def _sniff(content: bytes, filename: str) -> str:
    head = content[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(content, filename)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"  # or an XLSX protected by a password, which the scan of an XLS refuses
    kinds = {
        b"%PDF": "un document PDF",
        b"\x89PNG": "une image PNG",
        b"\xff\xd8\xff": "une image JPEG",
        b"GIF8": "une image GIF",
        b"{\\rtf": "un document RTF (traitement de texte)",
        b"Rar!": "une archive RAR",
        b"7z\xbc\xaf": "une archive 7-Zip",
        b"\x1f\x8b": "une archive compressée (gzip)",
    }
    for magic, what in kinds.items():
        if content.startswith(magic):
            raise _not_a_table(filename, what)
    start = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<table" in content[:4096].lower():
        raise _not_a_table(filename, "une page web (HTML) enregistrée avec une autre extension")
    if start.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in content[:4096]:
            raise _not_a_table(filename, "un classeur « XML 2003 » d'Excel")
        raise _not_a_table(filename, "un fichier XML")
    return "csv"


def _not_a_table(filename: str, what: str) -> FileRefused:
    return refuse(
        "not_a_table",
        f"Le fichier « {filename} » n'est pas un tableau CSV ou XLSX : c'est {what}.",
        f"Ouvrez le tableau des réponses dans Excel ou LibreOffice. {SAVE_AS}",
    )


def _sniff_zip(content: bytes, filename: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, KeyError):
        raise damaged(filename) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if "word/document.xml" in names or b"opendocument.text" in mimetype:
        raise _not_a_table(filename, "un document de traitement de texte")
    raise _not_a_table(filename, "une archive ZIP")


def damaged(filename: str) -> FileRefused:
    return refuse(
        "damaged_xlsx",
        f"Le classeur « {filename} » est endommagé ou incomplet (téléchargement ou copie "
        "interrompus ?) : il ne peut pas être ouvert.",
        "Téléchargez ou exportez à nouveau le fichier, vérifiez qu'il s'ouvre dans Excel, puis "
        "importez-le. Si Excel le répare, enregistrez la version réparée.",
    )


# -- text ----------------------------------------------------------------------------------


def _decode(content: bytes, filename: str) -> tuple[str, str]:
    name = f"« {filename} »"
    if content.startswith(b"\xef\xbb\xbf"):
        return _strict(content[3:], "utf-8", "UTF-8 avec BOM", filename)
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(content, "utf-16", "UTF-16", filename)
    sample = content[:4096]
    if b"\x00" in sample:
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        half = len(sample) // 2 or 1
        if odd > 0.3 * half and even < 0.05 * half:
            return _strict(content, "utf-16-le", "UTF-16", filename)
        if even > 0.3 * half and odd < 0.05 * half:
            return _strict(content, "utf-16-be", "UTF-16", filename)
        raise _not_a_table(filename, "un fichier binaire (ni texte, ni classeur)")
    try:
        return _unmixed(content.decode("utf-8"), "UTF-8", filename), "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        raise refuse(
            "unknown_encoding",
            f"L'encodage du fichier {name} n'est pas reconnu (ni UTF-8, ni Windows-1252) : "
            f"l'octet 0x{content[exc.start]:02X} de la ligne {line} ne correspond à aucun "
            "caractère.",
            f"Enregistrez le fichier en CSV UTF-8. {SAVE_AS_CSV}",
            rows=[line],
        ) from None
    mixed = MOJIBAKE.search(text)
    if mixed:
        utf8_line = text.count("\n", 0, mixed.start()) + 1
        cp_line = content.count(b"\n", 0, utf8_error.start) + 1
        raise refuse(
            "mixed_encoding",
            f"Le fichier {name} mélange deux encodages : la ligne {cp_line} est en "
            f"Windows-1252 mais la ligne {utf8_line} est en UTF-8 (« {mixed.group()} » au lieu "
            "d'une lettre accentuée). Il a sans doute été assemblé à partir de deux fichiers.",
            "Ouvrez chacun des fichiers d'origine dans Excel, enregistrez-les en CSV UTF-8, "
            f"puis copiez-collez les lignes dans un seul classeur. {SAVE_AS_CSV}",
            rows=sorted({cp_line, utf8_line}),
        )
    return text, "Windows-1252"


def _strict(content: bytes, codec: str, label: str, filename: str) -> tuple[str, str]:
    try:
        text = content.decode(codec)
    except UnicodeDecodeError as exc:
        # Refused as a mix when part of it is in the other Unicode encoding.
        _unmixed(content.decode(codec, errors="replace"), label, filename)
        line = content[: exc.start].count(b"\n" if "16" not in codec else b"\n\x00") + 1
        raise refuse(
            "unknown_encoding",
            f"Le fichier « {filename} » se présente comme du texte {label} mais contient des "
            f"octets invalides (ligne {line} environ).",
            f"Enregistrez le fichier à nouveau en CSV UTF-8. {SAVE_AS_CSV}",
            rows=[line],
        ) from None
    return _unmixed(text, label, filename), label


def _unmixed(text: str, label: str, filename: str) -> str:
    """The text without its byte order marks (a file made of several keeps one at each
    start); refused when part of it is in another Unicode encoding than ``label``."""
    text = text.replace("\ufeff", "")
    wrong = (UTF8_AS_UTF16 if label == "UTF-16" else UTF16_AS_UTF8).search(text)
    if wrong is None:
        return text
    line = text.count("\n", 0, wrong.start()) + 1
    other = "UTF-8" if label == "UTF-16" else "UTF-16"
    raise refuse(
        "mixed_encoding",
        f"Le fichier « {filename} » mélange deux encodages : il se lit en {label}, mais la "
        f"ligne {line} est en {other}. Il a sans doute été assemblé à partir de deux fichiers, "
        "ou enregistré avec une marque d'encodage (BOM) qui ne correspond pas à son texte.",
        "Ouvrez chacun des fichiers d'origine dans Excel, enregistrez-les en CSV UTF-8, puis "
        f"copiez-collez les lignes dans un seul classeur. {SAVE_AS_CSV}",
        rows=[line],
    )


def _records(text: str, separator: str, limit: int) -> list[list[str]]:
    """The first ``limit`` records of a sample (which may end inside a quoted cell)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) >= limit:
                break
    except csv.Error:
        pass
    return records


def _all_records(text: str, separator: str, filename: str, limits: Limits) -> list[list[str]]:
    """Every record of the file, refused at the first one beyond ``limits``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[list[str]] = []
    cells = 0
    max_rows, max_columns, max_cells = limits.max_rows, limits.max_columns, limits.max_cells
    max_chars = limits.max_cell_chars
    try:
        for record in reader:
            records.append(record)
            cells += len(record)
            if len(records) > max_rows or len(record) > max_columns or cells > max_cells:
                raise _too_large(filename, len(records), len(record), cells, limits)
            if record and max(map(len, record)) > max_chars:
                longest = max(range(len(record)), key=lambda i: len(record[i]))
                raise _cell_too_long(filename, len(records), longest, record[longest], limits)
    except csv.Error:
        row = len(records) + 1
        raise refuse(
            "bad_quotes",
            f"Le fichier « {filename} » n'est pas un CSV valide à partir de la ligne {row} : "
            'un guillemet (") y est ouvert et jamais fermé, ou mal placé. Le fichier est '
            "peut-être tronqué.",
            "Ouvrez le fichier dans un tableur et vérifiez la ligne indiquée (cellule "
            "commençant par un guillemet) ; si le fichier est incomplet, exportez-le à nouveau.",
            rows=[row],
        ) from None
    if "\x00" in text:
        row, column = next(
            (r, c)
            for r, record in enumerate(records, start=1)
            for c, cell in enumerate(record)
            if "\x00" in cell
        )
        raise refuse(
            "nul_character",
            f"La cellule de la ligne {row}, colonne {column_letter(column)} du fichier "
            f"« {filename} » contient un caractère nul (invisible), qu'un texte ne contient "
            "pas : le fichier a sans doute été abîmé ou assemblé à partir d'un fichier binaire.",
            f"Ouvrez le fichier dans un tableur, videz puis ressaisissez cette cellule, et "
            f"enregistrez-le en CSV UTF-8. {SAVE_AS_CSV}",
            rows=[row],
            columns=[column_letter(column)],
        )
    return records


def _too_large(filename: str, row: int, width: int, cells: int, limits: Limits) -> FileRefused:
    name = f"« {filename} »"
    if row > limits.max_rows:
        return refuse(
            "too_many_rows",
            f"Le fichier {name} compte plus de {fr.number(limits.max_rows, 0)} lignes, la "
            "limite d'un import.",
            "Vérifiez que c'est l'export d'une seule vague d'un seul territoire ; supprimez "
            f"les lignes vides ou en trop. {SHRINK}",
            rows=[row],
        )
    if width > limits.max_columns:
        return refuse(
            "too_many_columns",
            f"La ligne {row} du fichier {name} compte {fr.number(width, 0)} cellules, au-delà "
            f"de la limite de {fr.number(limits.max_columns, 0)} colonnes.",
            "Vérifiez le séparateur de cette ligne (une ligne de séparateurs seuls ?) et "
            f"supprimez les colonnes en trop. {SHRINK}",
            rows=[row],
        )
    return refuse(
        "too_many_cells",
        f"Le fichier {name} compte plus de {fr.number(limits.max_cells, 0)} cellules (atteintes "
        f"à la ligne {row}), la limite d'un import.",
        SHRINK,
        rows=[row],
    )


def _cell_too_long(filename: str, row: int, column: int, value: str, limits: Limits) -> FileRefused:
    return refuse(
        "cell_too_long",
        f"La cellule de la ligne {row}, colonne {column_letter(column)} du fichier "
        f"« {filename} » contient {fr.number(len(value), 0)} caractères, au-delà des "
        f"{fr.number(limits.max_cell_chars, 0)} qu'une cellule de tableur peut contenir.",
        "Vérifiez cette cellule (un texte collé par erreur, un guillemet qui englobe le reste "
        "du fichier ?), raccourcissez-la ou videz-la, puis importez à nouveau le fichier.",
        rows=[row],
        columns=[column_letter(column)],
    )


def _read_csv(
    text: str, encoding: str, filename: str, scorer: HeaderScorer, limits: Limits
) -> RawTable:
    search_rows = limits.header_search_rows
    sample = text[:SAMPLE_CHARS]
    best: tuple[float, float, str] | None = None
    for separator in SEPARATORS:
        records = _records(sample, separator, limit=max(search_rows, 60))
        score = max((scorer(r) for r in records[:search_rows]), default=0.0)
        widths = [len(r) for r in records if any(r)]
        common, count = Counter(widths).most_common(1)[0] if widths else (0, 0)
        consistency = (count / len(widths)) * min(common, 50) if widths else 0.0
        candidate = (score, consistency, separator)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    assert best is not None
    score, _, separator = best
    if score <= 0:
        first = next((r for r in _records(sample, separator, limit=5) if any(r)), [])
        raise header_not_found(filename, first, separator, search_rows)
    records = _all_records(text, separator, filename, limits)
    top = header_index(records, scorer, search_rows)
    header = [cell.strip() for cell in records[top]]
    source = SourceInfo("csv", encoding, separator, None, top + 1)
    return to_table(filename, header, records[top + 1 :], top + 2, source)


def header_index(records: Sequence[Sequence[Any]], scorer: HeaderScorer, search_rows: int) -> int:
    scores = [scorer(r) for r in records[:search_rows]]
    best = max(scores)
    return scores.index(best)


def header_not_found(
    filename: str, first: Sequence[Any], separator: str | None, search_rows: int
) -> FileRefused:
    seen = [str(c).strip() for c in first if c not in (None, "") and str(c).strip()]
    message = (
        f"Aucune colonne attendue n'a été trouvée dans les {search_rows} premières lignes du "
        f"fichier « {filename} »."
    )
    hint = (
        "Le fichier doit avoir une ligne d'en-tête avec les noms de colonnes du modèle "
        "(par exemple org_id, respondent_id, conf_1…). Partez du modèle téléchargeable ou "
        "vérifiez que c'est le bon fichier."
    )
    if len(seen) == 1 and separator is not None:
        message += (
            f" La première ligne se lit comme une seule colonne (« {shorten(seen[0], 80)} ») : "
            "le séparateur n'est ni le point-virgule, ni la virgule, ni la tabulation."
        )
        hint = f"Enregistrez le fichier en CSV avec un séparateur « ; » ou « , ». {SAVE_AS_CSV}"
    elif seen:
        message += f" Première ligne lue : {shorten(', '.join(seen), 160)}."
    return refuse("header_not_found", message, hint, rows=[1] if seen else [])


def to_table(
    filename: str,
    header: list[str],
    records: Sequence[Sequence[Any]],
    first_row: int,
    source: SourceInfo,
) -> RawTable:
    """Keep non-empty records, padded to the header; refuse rows with too many or too few."""
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    too_long: list[int] = []
    too_short: list[int] = []
    for offset, record in enumerate(records):
        if not any(record):
            continue
        row_number = first_row + offset
        cells = list(record)
        if len(cells) > len(header):
            if any(c not in (None, "") for c in cells[len(header) :]):
                too_long.append(row_number)
            cells = cells[: len(header)]
        elif len(cells) < len(header):
            if source.container == "csv" and len(cells) < width:
                too_short.append(row_number)
            cells.extend([None] * (len(header) - len(cells)))
        rows.append([None if c == "" else c for c in cells])
        numbers.append(row_number)
    if too_long or too_short:
        truncated = not too_long and too_short == numbers[-1:]
        raise _ragged(filename, source, len(header), too_long, too_short, truncated)
    if not rows:
        raise refuse(
            "no_data_rows",
            f"Le fichier « {filename} » ne contient que la ligne d'en-tête (ligne "
            f"{source.header_row}) : aucune ligne de données en dessous.",
            "Ajoutez les lignes sous l'en-tête, ou vérifiez que vous avez exporté les réponses "
            "et non le formulaire vide.",
            rows=[source.header_row],
        )
    return RawTable(filename, header, rows, numbers, source)


def _ragged(
    filename: str,
    source: SourceInfo,
    width: int,
    too_long: list[int],
    too_short: list[int],
    truncated: bool,
) -> FileRefused:
    from data.domain.checks import rows_phrase

    separator = SEPARATOR_NAMES.get(source.separator or "", "")
    parts = []
    if too_long:
        parts.append(f"{rows_phrase(too_long)} : plus de valeurs que les {width} colonnes")
    if too_short:
        parts.append(f"{rows_phrase(too_short)} : moins de valeurs que les {width} colonnes")
    hint = (
        f"Le séparateur du fichier est {separator}. Une cellule contenant ce caractère (un "
        "nombre à virgule « 3,5 », une adresse « Breil, centre ») doit être entre guillemets ; "
        "une ligne qui utilise un autre séparateur que les autres est à corriger. Le plus sûr : "
        f"ouvrez le fichier dans Excel puis enregistrez-le à nouveau. {SAVE_AS_CSV}"
    )
    if truncated:
        hint = "La dernière ligne est peut-être coupée (fichier tronqué). " + hint
    return refuse(
        "ragged_rows",
        f"Le fichier « {filename} » n'a pas le même nombre de colonnes sur toutes ses lignes "
        f"({'; '.join(parts)} de l'en-tête, ligne {source.header_row}).",
        hint,
        rows=too_long + too_short,
    )
