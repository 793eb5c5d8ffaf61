"""Hostile files: each is refused with its own French check, naming the row and the column
where it can, without the server paying for it; a few tricks that do no harm are read as usual.

The files are written by the tests (``hostile.py``), none is committed. Every refusal runs on
SQLite and on PostgreSQL against the Roya database of ``test_corpus.py``, with its assertions
(data unchanged, report stored, file archived). Expected rows, columns and figures are worked
out from how each file is built (see the comment of each case). Limits are those of
``config/quality.yaml``: 20,000 rows, 2,000 columns, 3,000,000 cells, 32,767 characters per
cell, 64 MiB of text, 250 MiB unzipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pytest
from sqlalchemy import Engine

from data.importer import import_survey
from tests.data.importer import hostile as h
from tests.data.importer.test_corpus import Case, assert_refused

NB = "\u202f"  # the narrow no-break space of French thousands: 20 000
TEXT_LIMIT = 64 * 1024 * 1024  # characters
HEADER = h.survey_rows()[0]
HEADER_CHARS = sum(map(len, HEADER))  # the header's inline strings count in the text read


def _far_cell(ref: str, row: int, quote: str = '"', prefix: str = "") -> bytes:
    return h.survey_workbook(h.value_row(row, ref, quote, prefix), quote=quote, prefix=prefix)


def _shared_amplification() -> bytes:
    # Row 1 the header (inline); rows 2-2501 column A each point at one 30,000-character
    # shared string.
    header = "".join(h.inline_cell(f"{h.letter(i)}1", v) for i, v in enumerate(HEADER))
    refs = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(2, 2502))
    sheet = h.worksheet(f'<row r="1">{header}</row>{refs}')
    return h.workbook({"Réponses": sheet}, shared_strings=["x" * 30_000])


# The reference that crosses 64 MiB: the header's characters, then 30,000 per reference.
SHARED_ROW = 1 + (TEXT_LIMIT - HEADER_CHARS) // 30_000 + 1


def _shared_too_long() -> bytes:
    sheet = h.worksheet('<row r="3"><c r="B3" t="s"><v>0</v></c></row>')
    return h.workbook({"Réponses": sheet}, shared_strings=["y" * 40_000])


def _inline_cell(ref: str, row: int, text: str) -> bytes:
    return h.workbook({"Réponses": h.worksheet(f'<row r="{row}">{h.inline_cell(ref, text)}</row>')})


def _inline_amplification() -> bytes:
    # 3,000 inline strings of 30,000 characters in column A: the 2,237th crosses 64 MiB.
    rows = "".join(
        f'<row r="{n}">{h.inline_cell(f"A{n}", "a" * 30_000)}</row>' for n in range(1, 3001)
    )
    return h.workbook({"Réponses": h.worksheet(rows)})


def _many_sheets() -> bytes:
    sheet = h.worksheet(h.survey_sheet_data())
    return h.workbook({f"Feuille {i}": sheet for i in range(1, 102)})


def _deep() -> bytes:
    nested = "<extLst>" * 70 + "</extLst>" * 70  # 71 levels with the worksheet
    return h.workbook({"Réponses": h.worksheet(h.survey_sheet_data(), before=nested)})


def _laughs() -> bytes:
    # lol1 is ten "lol", lol2 ten lol1… lol9 is a billion: 3 GB of text from 1 KB.
    names = ["lol", *(f"lol{i}" for i in range(1, 10))]
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY {name} "{("&" + before + ";") * 10}">'
        for before, name in itertools.pairwise(names)
    )
    cell = '<row r="7"><c r="A7" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    head = f"<!DOCTYPE worksheet [{entities}]>"
    return h.workbook({"Réponses": h.worksheet(h.survey_sheet_data(), cell, head=head)})


def _bomb() -> bytes:
    padding = bytes(260 * 1024 * 1024)  # 260 MiB of zeros: about 250 KB once deflated
    sheet = h.worksheet(h.survey_sheet_data())
    return h.workbook({"Réponses": sheet}, extra={"xl/media/padding.bin": padding})


def _declared(size: int) -> bytes:
    return h.with_declared_size(h.survey_workbook(), "xl/worksheets/sheet1.xml", size)


def _many_rows() -> bytes:
    rows = "".join(h.value_row(n, f"A{n}") for n in range(2, 20_002))
    return h.survey_workbook(rows)


def _wide_row() -> bytes:
    cells = "".join(f'<c r="{h.letter(i)}8"><v>1</v></c>' for i in range(2_001))
    return h.survey_workbook(f'<row r="8">{cells}</row>')


def _bad_ref() -> bytes:
    return h.survey_workbook('<row r="7"><c r="A-7"><v>1</v></c></row>')


def _index_out_of_range() -> bytes:
    sheet = h.worksheet('<row r="2"><c r="A2" t="s"><v>5</v></c></row>')
    return h.workbook({"Réponses": sheet}, shared_strings=["seule"])


# -- CSV -----------------------------------------------------------------------------------


def _survey(changes: dict[tuple[int, int], str]) -> bytes:
    """The clean wave with the cells at (row, 0-based column) replaced."""
    rows = h.survey_rows()
    for (row, column), value in changes.items():
        rows[row - 1][column] = value
    return h.csv_bytes(";".join(r) for r in rows)


def _respondents(count: int) -> list[str]:
    """The clean wave's header, then ``count`` respondents (ids r1…) like its first."""
    first = h.survey_lines()[1].split(";")
    return [h.survey_lines()[0]] + [";".join([f"r{i}", *first[1:]]) for i in range(1, count + 1)]


def _separators() -> bytes:
    return h.csv_bytes([h.survey_lines()[0], "r1" + ";" * 3_000_000])


def _too_many_cells() -> bytes:
    # The header's 17 cells, then rows of 1,999: the 1,501st (the file's row 1,502) crosses
    # 3,000,000 since 17 + 1,500 × 1,999 = 2,998,517 and 17 + 1,501 × 1,999 = 3,000,516.
    return h.csv_bytes([h.survey_lines()[0]] + ["r;" + ";" * 1_997] * 1_600)


def _long_cell() -> bytes:
    return h.csv_bytes([h.survey_lines()[0], 'r1;"' + "a" * 20 * 1024 * 1024 + '";x'])


def _nul() -> bytes:
    lines = _respondents(90)  # past the first 4 KB, where a NUL says "binary file"
    lines[79] = "r7\x009" + lines[79][2:]  # row 80, column A
    return h.csv_bytes(lines)


def _utf8_then_utf16() -> bytes:
    lines = _respondents(85)  # 86 lines of UTF-8 (over 4 KB), then UTF-16 from line 87
    return h.csv_bytes(lines) + h.csv_bytes(h.survey_lines()[1:4], "utf-16-le")


def _utf16_then_utf8() -> bytes:
    # UTF-16 (with its BOM) for the header and 5 rows, then UTF-8 from line 7.
    return h.csv_bytes(h.survey_lines(), "utf-16") + h.csv_bytes(h.survey_lines()[1:3])


def _utf8_bom_utf16_body() -> bytes:
    return b"\xef\xbb\xbf" + h.csv_bytes(h.survey_lines(), "utf-16-le")


def _long_commune() -> bytes:
    text = (h.FILES / "good" / "actors_roya.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + "," + "Tende " + "x" * 994  # row 3, 1,000 chars
    return h.csv_bytes(lines)


@dataclass(frozen=True)
class Hostile:
    case: Case
    make: Callable[[], bytes]


HOSTILE = [
    # -- workbooks whose cells reach far: calamine would hold every cell up to there --
    Hostile(
        Case(
            "single_quoted_xfd.xlsx",
            "too_many_rows",
            (
                "a une valeur jusqu'à la ligne 1048576",
                "cellule XFD1048576 de la feuille « Réponses »",
                f"limite de 20{NB}000 lignes",
            ),
            rows=(1_048_576,),
            columns=("XFD",),
        ),
        lambda: _far_cell("XFD1048576", 1_048_576, quote="'"),
    ),
    Hostile(
        Case(
            "single_quoted_zz.xlsx",
            "too_many_rows",
            ("jusqu'à la ligne 200000", "cellule ZZ200000"),
            rows=(200_000,),
            columns=("ZZ",),
        ),
        lambda: _far_cell("ZZ200000", 200_000, quote="'"),
    ),
    Hostile(  # ZZZ = 26 × 676 + 26 × 26 + 26 = 18,278
        Case(
            "prefixed_zzz.xlsx",
            "too_many_columns",
            (f"la colonne ZZZ (18{NB}278e colonne)", f"limite de 2{NB}000 colonnes"),
            rows=(7,),
            columns=("ZZZ",),
        ),
        lambda: _far_cell("ZZZ7", 7, prefix="x:"),
    ),
    Hostile(  # AAA = 703; 15,000 × 703 = 10,545,000 cells
        Case(
            "far_cell.xlsx",
            "too_many_cells",
            (f"au-delà de 3{NB}000{NB}000 cellules", "cellule AAA15000"),
            rows=(15_000,),
            columns=("AAA",),
        ),
        lambda: _far_cell("AAA15000", 15_000),
    ),
    Hostile(
        Case(
            "many_rows.xlsx",
            "too_many_rows",
            ("jusqu'à la ligne 20001",),
            rows=(20_001,),
            columns=("A",),
        ),
        _many_rows,
    ),
    Hostile(  # the 2,001st column is BXY: 2 × 676 + 24 × 26 + 25 = 2,001
        Case(
            "wide_row.xlsx",
            "too_many_columns",
            (f"la colonne BXY (2{NB}001e colonne)",),
            rows=(8,),
            columns=("BXY",),
        ),
        _wide_row,
    ),
    # -- text multiplied once read --
    Hostile(
        Case(
            "shared_string_amplification.xlsx",
            "too_much_text",
            ("dépasserait 64 Mo", f"cellule A{SHARED_ROW}", "répété"),
            rows=(SHARED_ROW,),
            columns=("A",),
        ),
        _shared_amplification,
    ),
    Hostile(
        Case(
            "inline_string_amplification.xlsx",
            "too_much_text",
            ("dépasserait 64 Mo", f"cellule A{TEXT_LIMIT // 30_000 + 1}"),
            rows=(TEXT_LIMIT // 30_000 + 1,),
            columns=("A",),
        ),
        _inline_amplification,
    ),
    Hostile(
        Case(
            "shared_string_40000.xlsx",
            "cell_too_long",
            ("La cellule B3 de la feuille « Réponses »", f"40{NB}000 caractères", f"32{NB}767"),
            rows=(3,),
            columns=("B",),
        ),
        _shared_too_long,
    ),
    Hostile(
        Case(
            "inline_20_mb.xlsx",
            "cell_too_long",
            ("La cellule C4", f"20{NB}971{NB}520 caractères"),
            rows=(4,),
            columns=("C",),
        ),
        lambda: _inline_cell("C4", 4, "z" * 20 * 1024 * 1024),
    ),
    # -- XML that no spreadsheet application writes --
    Hostile(Case("many_sheets.xlsx", "too_many_sheets", ("plus de 100 feuilles",)), _many_sheets),
    Hostile(Case("deep.xlsx", "xml_too_deep", ("plus de 64 niveaux",)), _deep),
    Hostile(
        Case("billion_laughs.xlsx", "xml_entities", ("déclaration de type de document",)), _laughs
    ),
    Hostile(Case("bad_reference.xlsx", "damaged_xlsx", ("endommagé",)), _bad_ref),
    Hostile(  # XML allows no NUL, even as a character reference: calamine is never asked
        Case("nul_reference.xlsx", "damaged_xlsx", ("endommagé",)),
        lambda: h.survey_workbook(
            '<row r="7"><c r="A7" t="inlineStr"><is><t>r&#0;7</t></is></c></row>'
        ),
    ),
    Hostile(
        Case("shared_string_missing.xlsx", "damaged_xlsx", ("endommagé",)), _index_out_of_range
    ),
    # -- zips --
    Hostile(
        Case(
            "zip_bomb.xlsx",
            "file_too_large",
            ("occupe 260 Mo une fois décompressé", "limite de 250 Mo"),
        ),
        _bomb,
    ),
    Hostile(  # 0xFFFFFFF0 bytes declared: 4,096 MiB
        Case("zip_declares_4_gb.xlsx", "file_too_large", (f"occupe 4{NB}096 Mo",)),
        lambda: _declared(0xFFFF_FFF0),
    ),
    Hostile(  # it unpacks to more than it declares: the CRC of what it declares fails
        Case("zip_lies_about_size.xlsx", "damaged_xlsx", ("endommagé ou incomplet",)),
        lambda: _declared(100),
    ),
    # -- CSV --
    Hostile(
        Case(
            "millions_of_separators.csv",
            "too_many_columns",
            (f"La ligne 2 du fichier « millions_of_separators.csv » compte 3{NB}000{NB}001",),
            rows=(2,),
        ),
        _separators,
    ),
    Hostile(
        Case("too_many_rows.csv", "too_many_rows", (f"plus de 20{NB}000 lignes",), rows=(20_001,)),
        lambda: h.csv_bytes(_respondents(20_000)),
    ),
    Hostile(
        Case(
            "too_many_cells.csv",
            "too_many_cells",
            (f"plus de 3{NB}000{NB}000 cellules", "ligne 1502"),
            rows=(1_502,),
        ),
        _too_many_cells,
    ),
    Hostile(
        Case(
            "cell_20_mb.csv",
            "cell_too_long",
            ("ligne 2, colonne B", f"20{NB}971{NB}520 caractères"),
            rows=(2,),
            columns=("B",),
        ),
        _long_cell,
    ),
    Hostile(
        Case(
            "nul_byte.csv",
            "nul_character",
            ("La cellule de la ligne 80, colonne A", "caractère nul"),
            rows=(80,),
            columns=("A",),
        ),
        _nul,
    ),
    Hostile(
        Case(
            "utf8_then_utf16.csv",
            "mixed_encoding",
            ("il se lit en UTF-8, mais la ligne 87 est en UTF-16",),
            rows=(87,),
        ),
        _utf8_then_utf16,
    ),
    Hostile(
        Case(
            "utf16_then_utf8.csv",
            "mixed_encoding",
            ("il se lit en UTF-16, mais la ligne 7 est en UTF-8",),
            rows=(7,),
        ),
        _utf16_then_utf8,
    ),
    Hostile(
        Case(
            "utf8_bom_on_utf16.csv",
            "mixed_encoding",
            ("il se lit en UTF-8 avec BOM, mais la ligne 1 est en UTF-16", "(BOM)"),
            rows=(1,),
        ),
        _utf8_bom_utf16_body,
    ),
    # -- values --
    Hostile(  # conf_1 is column E; quoted values are cut at 40 characters
        Case(
            "digits_400.csv",
            "likert_range",
            ("hors de l'échelle 1 à 5", "« " + "9" * 39 + "… »"),
            rows=(3,),
            columns=("conf_1 (E)",),
        ),
        lambda: _survey({(3, 4): "9" * 400}),
    ),
    Hostile(  # level__dreal is column P (the 16th); row 4 is r3's, of the scierie
        Case(
            "digits_5000.csv",
            "level_range",
            ("hors de l'échelle 0 à 5", "« " + "1" * 39 + "… »"),
            rows=(4,),
            columns=("level__dreal (P)",),
        ),
        lambda: _survey({(4, 15): "1" * 5_000}),
    ),
    Hostile(
        Case(
            "long_commune.csv",
            "commune_length",
            ("1 commune dépasse 200 caractères", "jamais coupée"),
            rows=(3,),
            columns=("commune (D)",),
            kind="actors",
        ),
        _long_commune,
    ),
]


@cache
def content_of(name: str) -> bytes:
    """A hostile file's bytes, written once per test session."""
    return next(x.make() for x in HOSTILE if x.case.file == name)


def test_the_hostile_corpus_has_30_kinds() -> None:
    assert len({x.case.file for x in HOSTILE}) == len(HOSTILE) == 30


@pytest.mark.parametrize("hostile", HOSTILE, ids=[f"{x.case.file}-{x.case.check}" for x in HOSTILE])
def test_hostile_file_is_refused_with_its_own_message(
    roya_engine: Engine, hostile: Hostile
) -> None:
    case = hostile.case
    assert_refused(roya_engine, case, content_of(case.file), case.file)


def _header_dimension() -> bytes:
    return h.survey_workbook(before='<dimension ref="A1:XFD1048576"/>')


def _implicit_references() -> bytes:
    rows = "".join(
        "<row>"
        + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' if v else "<c/>" for v in r)
        + "</row>"
        for r in h.survey_rows()
    )
    return h.workbook({"Réponses": h.worksheet(rows)})


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("double_bom.csv", lambda: b"\xef\xbb\xbf\xef\xbb\xbf" + h.csv_bytes(h.survey_lines())),
        (
            "bom_inside.csv",
            lambda: h.csv_bytes(
                [*h.survey_lines()[:3], "\ufeff" + h.survey_lines()[3], *h.survey_lines()[4:]]
            ),
        ),
        ("huge_dimension.xlsx", _header_dimension),
        ("single_quotes.xlsx", lambda: h.survey_workbook(quote="'")),
        ("prefixed.xlsx", lambda: h.survey_workbook(prefix="x:")),  # calamine reads x:c too
        ("implicit_references.xlsx", _implicit_references),
    ],
)
def test_harmless_tricks_are_read_as_usual(
    roya_engine: Engine, name: str, make: Callable[[], bytes]
) -> None:
    # The clean wave 1 however written: its 5 respondents would be imported.
    result = import_survey(roya_engine, make(), name, "roya", 1, "t", dry_run=True)
    assert result.outcome == "checked", result.render_text()
    assert result.counts["respondents"] == 5


def test_a_file_name_with_control_characters_is_stored_without_them(roya_engine: Engine) -> None:
    # PostgreSQL stores no NUL: the name loses its control characters, the refusal is stored.
    result = import_survey(roya_engine, b"", "vague\x00\n1.csv", "roya", 1, "t")
    assert result.outcome == "refused" and result.report_id is not None
    assert result.filename == "vague1.csv"
    assert "Le fichier « vague1.csv » est vide." in result.render_text()


def _scan_refusal(content: bytes, **limits: int) -> str:
    from data.importer.reading import FileRefused
    from data.importer.settings import quality_settings
    from data.importer.workbook_scan import scan_workbook

    bounded = quality_settings().limits.model_copy(update=limits)
    with pytest.raises(FileRefused) as caught:
        scan_workbook(content, "f.xlsx", bounded)
    return caught.value.check.check_id


def test_elements_that_hold_no_value_still_count_against_the_cells() -> None:
    # 1,000 cells allowed, so 4,000 elements: 5,000 empty rows are too many to read.
    sheet = h.worksheet("<row/>" * 5_000)
    assert _scan_refusal(h.workbook({"Réponses": sheet}), max_cells=1_000) == "too_many_cells"


def test_more_shared_strings_than_cells_are_refused() -> None:
    sheet = h.worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    content = h.workbook({"Réponses": sheet}, shared_strings=["a"] * 1_001)
    assert _scan_refusal(content, max_cells=1_000) == "too_many_cells"


def test_a_zip_of_a_thousand_files_is_no_workbook() -> None:
    parts = {f"xl/media/part{i}.bin": b"" for i in range(1_000)}  # with the workbook's 6
    content = h.workbook({"Réponses": h.worksheet("")}, extra=parts)
    assert _scan_refusal(content) == "too_many_parts"
