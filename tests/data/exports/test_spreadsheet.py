"""Formula neutralisation of every CSV or XLSX export."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from data.exports.spreadsheet import (
    csv_number,
    neutralise,
    neutralise_value,
    number_format,
    to_csv_bytes,
    to_xlsx_bytes,
)


def test_text_starting_with_a_formula_character_gets_an_apostrophe() -> None:
    for raw in ("=1+2", "+Jeunes", "-Collectif-", "@Asso", "\tx", '=HYPERLINK("http://x")'):
        assert neutralise_value(raw) == "'" + raw
    for raw in ("Mairie", "", "3", "-3", "+33", "-1,5", "1e5", None, -2, -2.5):
        assert neutralise_value(raw) == raw


def test_negative_numbers_stay_numbers_and_headers_are_neutralised_too() -> None:
    frame = pd.DataFrame({"=nom": ["=a", "b"], "valeur": [-1, 2], "taux": [-0.5, None]})
    safe = neutralise(frame)
    assert list(safe.columns) == ["'=nom", "valeur", "taux"]
    assert safe["'=nom"].tolist() == ["'=a", "b"]
    assert safe["valeur"].tolist() == [-1, 2] and safe["valeur"].dtype == frame["valeur"].dtype
    assert frame["=nom"].tolist() == ["=a", "b"]  # the original is untouched


def test_csv_and_xlsx_exports_are_safe() -> None:
    frame = pd.DataFrame({"nom": ["=SOMME(A1:A9)", "@x"], "n": [-3, 4]})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["nom;n", "'=SOMME(A1:A9);-3", "'@x;4"]
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert sheet["A2"].value == "'=SOMME(A1:A9)" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3 and sheet["B2"].data_type == "n"


def test_repeated_text_is_neutralised_on_every_row_and_other_cells_are_kept() -> None:
    notes = pd.Series(["=x", None, "ok", "=x", "-Collectif-", "ok"], dtype=object)
    frame = pd.DataFrame({"note": notes, "n": [1, 2, 3, 4, 5, 6]})
    assert neutralise(frame)["note"].tolist() == ["'=x", None, "ok", "'=x", "'-Collectif-", "ok"]
    # Cells that cannot be hashed are looked at one by one.
    odd = pd.DataFrame({"cell": [["=a"], "=b"]})
    assert neutralise(odd)["cell"].tolist() == [["=a"], "'=b"]


def test_numbers_written_with_their_decimals() -> None:
    assert csv_number(25.7, 1) == "25,7"
    assert csv_number(18.0, 1) == "18,0"
    assert csv_number(1234.0, 0) == "1234"  # no thousands separator: Excel reads a number
    assert csv_number(-0.035, 3) == "-0,035"
    assert csv_number(None, 2) is None and csv_number(float("nan"), 2) is None
    assert number_format(0) == "#,##0" and number_format(2) == "#,##0.00"
    assert number_format(3, signed=True) == "+#,##0.000;-#,##0.000;#,##0.000"


def test_xlsx_number_formats_by_row() -> None:
    frame = pd.DataFrame({"valeur": [25.7, 1234.0, None], "nom": ["a", "b", "c"]})
    data = to_xlsx_bytes(frame, number_formats={"valeur": ["#,##0.0", "#,##0", "#,##0"]})
    sheet = load_workbook(io.BytesIO(data)).active
    assert (sheet["A2"].value, sheet["A2"].number_format) == (25.7, "#,##0.0")
    assert (sheet["A3"].value, sheet["A3"].number_format) == (1234, "#,##0")
    assert sheet["A4"].value is None
    assert sheet["B2"].number_format == "General"  # a column without formats keeps its own
