"""LibreOffice's .ods and Excel 97-2003's .xls: a good file imports to the same rows as its CSV,
and a hostile one is refused by the same limits as an XLSX, naming the cell.

The .ods files are written by pandas (odfpy) or, for the hostile ones, by hand as zip + XML;
the .xls files by xlwt. Limits are those of ``config/quality.yaml``: 20,000 rows, 3,000,000
cells, 32,767 characters per cell, 64 MiB of text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence

import pandas as pd
import pytest
import xlwt
from sqlalchemy import Engine

from data.importer import import_survey
from tests.data.importer.conftest import load_roya
from tests.data.importer.test_corpus import Case, assert_refused
from tests.data.importer.test_formats import FORMATS, stored_rows

Cell = str | int | float | None
NB = "\u202f"  # the narrow no-break space of French thousands


def template_rows() -> list[list[Cell]]:
    """The plain template's CSV (its wording row, then its names row and the answers), with
    whole numbers as numbers, as a spreadsheet holds them once the CSV is opened and saved."""
    text = (FORMATS / "template.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return [[int(v) if v.isdigit() else (v or None) for v in row] for row in rows]


def ods_bytes(rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame(rows).to_excel(buffer, engine="odf", header=False, index=False)
    return buffer.getvalue()


def xls_bytes(rows: Sequence[Sequence[Cell]], sheet: str = "Réponses") -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                worksheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_an_ods_or_xls_of_a_good_file_imports_to_the_same_rows_as_its_csv(
    engine: Engine, fmt: str
) -> None:
    load_roya(engine, wave0=False)
    csv_result = import_survey(
        engine, (FORMATS / "template.csv").read_bytes(), "template.csv", "roya", 0, "t"
    )
    assert csv_result.outcome == "imported", csv_result.render_text()
    from_csv = stored_rows(engine, "roya", 0)
    content = ods_bytes(template_rows()) if fmt == "ods" else xls_bytes(template_rows())

    result = import_survey(engine, content, f"reponses.{fmt}", "roya", 0, "t")

    assert result.outcome == "replaced", result.render_text()
    assert result.report.checks == [], result.render_text()
    assert result.report.context["read_as"].startswith(f"classeur {fmt.upper()}, feuille")
    assert result.report.context["source"]["header_row"] == 2  # under the wording row
    assert stored_rows(engine, "roya", 0) == from_csv
    assert result.counts == csv_result.counts


# -- hostile ODS, written by hand ------------------------------------------------------------

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
HEADER = ["respondent_id", "org_id", "submitted_at", "conf_1"]


def ods_cell(value: str, columns: int = 1) -> str:
    repeat = f' table:number-columns-repeated="{columns}"' if columns > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeat}><text:p>{value}</text:p>'
        "</table:table-cell>"
    )


def ods_row(cells: str, rows: int = 1) -> str:
    repeat = f' table:number-rows-repeated="{rows}"' if rows > 1 else ""
    return f"<table:table-row{repeat}>{cells}</table:table-row>"


def ods_file(rows: str) -> bytes:
    """An ODS of one sheet: the header, then ``rows``, then the empty rest of the sheet as
    LibreOffice writes it (a million empty rows of 1,024 empty cells, said in one element)."""
    header = ods_row("".join(ods_cell(v) for v in HEADER))
    rest = ods_row('<table:table-cell table:number-columns-repeated="1024"/>', 1_048_000)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:body>'
        f'<office:spreadsheet><table:table table:name="Réponses">{header}{rows}{rest}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
    return buffer.getvalue()


GOOD_ROW = ods_row(
    "".join(ods_cell(v) for v in ("r1", "mairie-breil", "20/11/2026"))
    + '<table:table-cell office:value-type="float" office:value="4"><text:p>4</text:p>'
    "</table:table-cell>"
)
# Built so that each crosses one limit at a known cell:
ODS_CASES = {
    # Row 2 repeated 30,000 times: its value reaches row 30,001, beyond 20,000 rows.
    "rows": (
        ods_row(ods_cell("x"), 30_000),
        Case("rows.ods", "too_many_rows", ("jusqu'à la ligne 30001", "cellule A30001"), (30001,)),
    ),
    # 1,600 cells across, repeated on 1,900 rows: 1,900 + 1 rows × 1,600 columns is
    # 3,041,600 cells, beyond 3,000,000: refused at the repeated cell, which reaches row 1,901.
    "cells": (
        ods_row(ods_cell("1", 1_600), 1_900),
        Case("cells.ods", "too_many_cells", (f"au-delà de 3{NB}000{NB}000 cellules",), (1901,)),
    ),
    # A 30,000-character text in 100 cells of 30 rows: 3,000 × 30,000 = 90 million characters,
    # beyond 64 MiB (67,108,864) — said at the row's first cell.
    "text": (
        ods_row(ods_cell("a" * 30_000, 100), 30),
        Case("text.ods", "too_much_text", ("dépasserait 64 Mo", "cellule A2"), (2,)),
    ),
    # One cell of 40,000 characters, beyond 32,767.
    "long": (
        GOOD_ROW + ods_row(ods_cell("b" * 40_000)),
        Case("long.ods", "cell_too_long", (f"contient 40{NB}000 caractères", "cellule A3"), (3,)),
    ),
}


@pytest.mark.parametrize("name", sorted(ODS_CASES))
def test_a_hostile_ods_is_refused_naming_the_cell(roya_engine: Engine, name: str) -> None:
    rows, case = ODS_CASES[name]
    assert_refused(roya_engine, case, ods_file(rows), case.file)


def test_libreoffice_s_empty_rest_of_a_sheet_costs_nothing(roya_engine: Engine) -> None:
    """A million empty rows said in one element, as LibreOffice saves every sheet: read as
    the header and one answer (a dry run: nothing written)."""
    result = import_survey(
        roya_engine, ods_file(GOOD_ROW), "court.ods", "roya", 5, "t", dry_run=True
    )
    assert result.report.context["rows_read"] == 1, result.render_text()


# -- hostile XLS, written by xlwt -----------------------------------------------------------


def _far_row() -> bytes:
    # A value in A30001 (row index 30,000), beyond 20,000 rows.
    return xls_bytes([HEADER] + [[None]] * 29_999 + [["loin"]])


def _shared_text() -> bytes:
    # One shared string of 30,000 characters (its characters go on in CONTINUE records)
    # in column A of rows 2-2501: the header's 37 characters, then 30,000 a cell, cross
    # 67,108,864 at the 2,237th reference, row 2,238.
    return xls_bytes([HEADER] + [["c" * 30_000]] * 2_500)


XLS_CASES = {
    "far.xls": (_far_row, Case("far.xls", "too_many_rows", ("cellule A30001",), (30001,))),
    "text.xls": (
        _shared_text,
        Case("text.xls", "too_much_text", ("dépasserait 64 Mo", "cellule A2238"), (2238,)),
    ),
    "cut.xls": (
        lambda: xls_bytes([HEADER, ["r1", "mairie-breil", "20/11/2026", 4]])[:1500],
        Case("cut.xls", "old_excel", ("Excel 97-2003 (.xls)", "endommagé")),
    ),
}


@pytest.mark.parametrize("name", sorted(XLS_CASES))
def test_a_hostile_xls_is_refused_naming_the_cell(roya_engine: Engine, name: str) -> None:
    build, case = XLS_CASES[name]
    assert_refused(roya_engine, case, build(), case.file)
