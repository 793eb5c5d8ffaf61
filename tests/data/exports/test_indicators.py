"""The long export of the indicators (data/exports/indicators.py): the table and its two
renderers on hand-made rows, then the one path on a database (SQLite and PostgreSQL): scoped
like the pages, and the same bytes from the command line and the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data.access import Role, Scope
from data.cli.main import main
from data.config import get_config
from data.exports.indicators import COLUMNS, export_indicators, indicators_table, render
from data.store.engine import session_scope
from data.store.models import IndicatorValue, Journal
from indicators.compute import LONG_COLUMNS

MONTH = dt.date(2026, 11, 1)
LEAD, FUNDER = Scope(role=Role.LEAD), Scope(role=Role.FUNDER)


@pytest.fixture(scope="module")
def catalogue():
    return get_config().load_catalogue()


# Five rows of the long indicator table, all of November 2026 at « émergence »; Entre-deux-Mers'
# « pouvoir d'agir » rests on 3 respondents (low n) and carries a formula-looking note.
E2M, FORMULA = "entre-deux-mers", "=cmd|' /C calc'!A0"
ROWS = [  # territory, indicator, value, n, low_n, status, wave_number, note
    ("roya", "interconnaissance_density", 0.256, 12, False, "discuss", 1, None),
    ("roya", "factor_confiance", 3.45, 12, False, "discuss", 1, None),
    ("roya", "actors_mobilised", 1234, 1300, False, "strength", None, None),
    (E2M, "interconnaissance_density", 0.18, 8, False, "discuss", 2, None),
    (E2M, "factor_pouvoir_agir", 4.73, 3, True, "strength", 2, FORMULA),
]
RECORDS = [
    {
        "territory_id": territory,
        "month": MONTH,
        "indicator_id": indicator,
        "value": value,
        "n": n,
        "low_n": low_n,
        "status": status,
        "stage": "emergence",
        "wave_number": wave,
        "note": note,
    }
    for territory, indicator, value, n, low_n, status, wave, note in ROWS
]


@pytest.fixture
def export_values() -> pd.DataFrame:
    frame = pd.DataFrame(RECORDS, columns=list(LONG_COLUMNS))
    frame["wave_number"] = frame["wave_number"].astype("Int64")
    return frame


@pytest.fixture
def stored(engine: Engine) -> Engine:
    """A database holding :data:`RECORDS`, their month approved for both territories (so that a
    funder reads it)."""
    with session_scope(engine, actor="test") as session:
        session.add_all(
            Journal(territory_id=t, month=MONTH, declared_stage="emergence", status="approved")
            for t in ("roya", E2M)
        )
        session.add_all(
            IndicatorValue(**record, data_version=1, catalogue_version="test") for record in RECORDS
        )
    return engine


def _export(values: pd.DataFrame, fmt: str, catalogue) -> bytes:  # type: ignore[no-untyped-def]
    return render(indicators_table(values, catalogue), fmt)  # type: ignore[arg-type]


def _read_back(data: bytes, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    return pd.read_excel(io.BytesIO(data), engine="openpyxl")


# ------------------------------------------------------------------ the table, the renderers
def test_long_table_columns_and_labels(export_values, catalogue):
    table = indicators_table(export_values, catalogue)
    assert tuple(table.columns) == COLUMNS
    # Every column of the long indicator table (the command line's former file), the month
    # as ``period``.
    assert {"period", *LONG_COLUMNS} - {"month"} <= set(COLUMNS)
    first = table.iloc[0]
    assert first["period"] == "2026-11"
    assert first["indicator_label"] == "Interconnaissance (densité des liens de niveau ≥ 1)"
    assert first["status_label"] == "à discuter"


def test_csv_for_french_excel(export_values, catalogue):
    data = _export(export_values, "csv", catalogue)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 6
    by_indicator = {row[2]: row for row in rows[1:] if row[0] == "roya"}
    density = by_indicator["interconnaissance_density"]
    assert density[4] == "0,256"  # decimal comma
    assert density[3] == "Interconnaissance (densité des liens de niveau ≥ 1)"
    assert by_indicator["factor_confiance"][4] == "3,45"
    assert by_indicator["actors_mobilised"][10] == ""  # missing wave number: empty cell
    # The formula-looking note is neutralised.
    note = rows[5][11]
    assert note.startswith("'=cmd")
    assert not any(cell.startswith("=") for row in rows for cell in row)
    # Python reads it back with the documented options.
    back = _read_back(data, "csv")
    assert back.loc[0, "value"] == pytest.approx(0.256)


def test_xlsx_frozen_header_and_numbers(export_values, catalogue):
    data = _export(export_values, "xlsx", catalogue)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == list(COLUMNS)
    assert sheet[1][0].font.bold
    assert sheet.column_dimensions["D"].width >= 40  # indicator label
    value, n, low_n, wave = (header.index(c) for c in ("value", "n", "low_n", "wave_number"))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5
    assert rows[0][value] == pytest.approx(0.256) and isinstance(rows[0][value], float)
    assert isinstance(rows[0][n], int) and rows[0][n] == 12
    assert rows[0][low_n] is False and rows[4][low_n] is True
    assert rows[0][wave] == 1 and rows[2][wave] is None
    # The note is text, neutralised, and not a formula.
    note_cell = sheet.cell(row=6, column=header.index("note") + 1)
    assert note_cell.data_type == "s"
    assert note_cell.value.startswith("'=cmd")


def test_unknown_export_format_is_refused(export_values, catalogue):
    with pytest.raises(ValueError, match="format d'export inconnu"):
        _export(export_values, "ods", catalogue)


# ------------------------------------------------------------------ one path, on the database
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_funder_export_withholds_small_groups(stored, catalogue, fmt):
    data = export_indicators(stored, FUNDER, fmt, catalogue=catalogue)
    back = _read_back(data, fmt)
    small = back[back["indicator_id"] == "factor_pouvoir_agir"].iloc[0]
    assert small["low_n"] in (True, "True")
    assert pd.isna(small["value"]) and pd.isna(small["n"]) and pd.isna(small["status"])
    assert small["note"] == "moins de 5 personnes : valeur non communiquée"
    assert 4.73 not in back["value"].tolist()
    assert back.loc[back["indicator_id"] == "factor_confiance", "value"].iloc[0] == 3.45
    lead = export_indicators(stored, LEAD, "csv", catalogue=catalogue)
    assert "4,73" in lead.decode("utf-8-sig")


def _approved(engine: Engine) -> set[tuple[str, str]]:
    """(territory, YYYY-MM) of every approved journal."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(Journal.territory_id, Journal.month).where(Journal.status == "approved")
        ).all()
    return {(territory, f"{month:%Y-%m}") for territory, month in rows}


def test_export_is_long_with_period_as_year_month(demo_engine, catalogue):
    frame = _read_back(
        export_indicators(demo_engine, Scope.system(), "csv", catalogue=catalogue), "csv"
    )
    assert [c for c in frame.columns if not c.endswith("_label")][:7] == [
        "territory_id",
        "period",
        "indicator_id",
        "value",
        "n",
        "low_n",
        "status",
    ]
    assert frame["period"].str.fullmatch(r"\d{4}-\d{2}").all()
    # 32 indicators for every month of every territory, each month at most once.
    assert not frame.duplicated(["territory_id", "period", "indicator_id"]).any()
    assert frame.groupby(["territory_id", "period"]).size().eq(32).all()


def test_funder_export_has_only_approved_months_and_no_small_groups(demo_engine, catalogue):
    funder = _read_back(export_indicators(demo_engine, FUNDER, "csv", catalogue=catalogue), "csv")
    assert set(zip(funder["territory_id"], funder["period"], strict=True)) == _approved(demo_engine)
    small = funder[funder["low_n"]]
    assert small["value"].isna().all()
    binome = export_indicators(
        demo_engine, Scope(role=Role.BINOME, territory_id="roya"), "csv", catalogue=catalogue
    )
    assert set(_read_back(binome, "csv")["territory_id"]) == {"roya"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_funder_export_has_no_unapproved_month_and_no_small_group_value(
    demo_engine, catalogue, fmt
):
    funder = _read_back(export_indicators(demo_engine, FUNDER, fmt, catalogue=catalogue), fmt)
    everything = _read_back(
        export_indicators(demo_engine, Scope.system(), fmt, catalogue=catalogue), fmt
    )
    approved = _approved(demo_engine)
    months = set(zip(funder["territory_id"], funder["period"], strict=True))
    assert months and months <= approved
    unapproved = set(zip(everything["territory_id"], everything["period"], strict=True)) - approved
    assert unapproved and not months & unapproved  # the demo has unapproved months to leave out
    small = funder[funder["low_n"].astype(str) == "True"]
    # The demo has small groups in approved months, whose values the lead's export shows.
    key = ["territory_id", "period", "indicator_id"]
    shown = everything.merge(small[key], on=key)
    assert len(small) and shown["value"].notna().any()
    assert small[["value", "n", "status", "status_label"]].isna().all().all()
    assert (small["note"] == "moins de 5 personnes : valeur non communiquée").all()


def test_the_page_filters_narrow_the_export(demo_engine, catalogue):
    data = export_indicators(
        demo_engine, LEAD, "csv", catalogue=catalogue, territory_ids=["roya"], months=[MONTH]
    )
    frame = _read_back(data, "csv")
    assert set(frame["territory_id"]) == {"roya"} and set(frame["period"]) == {"2026-11"}
    assert len(frame) == 32


def _members(data: bytes) -> dict[str, bytes]:
    """An XLSX's files, but for its creation and modification times (docProps/core.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def test_the_command_line_writes_the_pages_bytes(demo_url, demo_engine, catalogue, tmp_path: Path):
    csv_file, xlsx_file = tmp_path / "indicateurs.csv", tmp_path / "indicateurs.xlsx"
    assert main(["--database-url", demo_url, "export", "indicators", "--out", str(csv_file)]) == 0
    assert main(["--database-url", demo_url, "export", "indicators", "--out", str(xlsx_file)]) == 0
    system = Scope.system()
    assert csv_file.read_bytes() == export_indicators(
        demo_engine, system, "csv", catalogue=catalogue
    )
    # The format follows the extension; an XLSX stamps the time it was written, the rest of
    # the file is the same bytes.
    page_xlsx = export_indicators(demo_engine, system, "xlsx", catalogue=catalogue)
    assert xlsx_file.read_bytes()[:2] == b"PK"
    assert _members(xlsx_file.read_bytes()) == _members(page_xlsx)
    # --format wins over the extension.
    forced = tmp_path / "indicateurs.txt"
    args = ["export", "indicators", "--out", str(forced), "--format", "xlsx"]
    assert main(["--database-url", demo_url, *args]) == 0
    assert _members(forced.read_bytes()) == _members(page_xlsx)
