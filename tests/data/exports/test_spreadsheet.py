"""Formula neutralisation of every CSV or XLSX export."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from data.exports.spreadsheet import neutralise, neutralise_value, to_csv_bytes, to_xlsx_bytes


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
