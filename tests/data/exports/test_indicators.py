"""The long export of the indicators (data/exports/indicators.py): the table and its two
renderers on hand-made rows, then the one path on a database (SQLite and PostgreSQL): scoped
like the pages, and the same bytes from the command line and the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
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
# The headers, in French, each stable id beside its words (data/exports/indicators.py).
HEADERS = [
    "Identifiant territoire",
    "Territoire",
    "Mois (AAAA-MM)",
    "Mois",
    "Identifiant indicateur",
    "Indicateur",
    "Valeur",
    "Unité",
    "Effectif (n)",
    "Petit effectif",
    "Identifiant statut",
    "Statut",
    "Identifiant étape",
    "Étape de l'indicateur",
    "Vague d'enquête",
    "Note",
]
KEY = ["Identifiant territoire", "Mois (AAAA-MM)", "Identifiant indicateur"]
WITHHELD = "moins de 5 personnes : valeur non communiquée"


@pytest.fixture(scope="module")
def config():
    return get_config()


# Seven rows of the long indicator table, all of November 2026, of five units; Entre-deux-Mers'
# « pouvoir d'agir » rests on 3 respondents (low n) and carries a formula-looking note.
E2M, FORMULA = "entre-deux-mers", "=cmd|' /C calc'!A0"
NAMES = {"roya": "Vallée de la Roya", E2M: "Entre-deux-Mers"}
ROWS = [  # territory, indicator, value, n, low_n, status, stage, wave_number, note
    ("roya", "interconnaissance_density", 77 / 300, 12, False, "strength", "emergence", 1, None),
    ("roya", "factor_confiance", 2.675, 12, False, "discuss", "emergence", 1, None),
    ("roya", "actors_mobilised", 1234, 1300, False, "strength", "emergence", None, None),
    ("roya", "sector_diversity", 0.6255, 12, False, "strength", "emergence", 1, None),
    ("roya", "centralization_change", -0.0345, 12, False, "upcoming", "consolidation", 1, None),
    (E2M, "interconnaissance_density", 0.18, 8, False, "discuss", "emergence", 2, None),
    (E2M, "factor_pouvoir_agir", 4.73, 3, True, "strength", "emergence", 2, FORMULA),
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
        "stage": stage,
        "wave_number": wave,
        "note": note,
    }
    for territory, indicator, value, n, low_n, status, stage, wave, note in ROWS
]
# Each value as the export gives it, in its unit as a person reads it, rounded half up on the
# decimal value (data.fr.EXPORT_DECIMALS), worked out by hand:
ROUNDED = {
    # 77 / 300 = 0.25666…, a ratio: 25.666… % with one decimal → 25.7 (the next digit is 6).
    ("roya", "interconnaissance_density"): (25.7, "%", "25,7"),
    # 2.675, a score: two decimals, half up → 2.68 (the float is 2.67499…, which rounding the
    # binary value, as round() does, would make 2.67).
    ("roya", "factor_confiance"): (2.68, "score de 1 à 5", "2,68"),
    # 1234 organisations: a count, whole.
    ("roya", "actors_mobilised"): (1234, "nombre", "1234"),
    # 0.6255, an index: three decimals, half up → 0.626 (the float is 0.62549…: round() gives
    # 0.625).
    ("roya", "sector_diversity"): (0.626, "indice de 0 à 1", "0,626"),
    # −0.0345, a change between waves: three decimals, half up away from zero → −0.035.
    ("roya", "centralization_change"): (-0.035, "écart entre deux vagues", "-0,035"),
    # 0.18 → 18 %, written with its one decimal: 18,0.
    (E2M, "interconnaissance_density"): (18.0, "%", "18,0"),
    # 4.73, a score → 4,73.
    (E2M, "factor_pouvoir_agir"): (4.73, "score de 1 à 5", "4,73"),
}


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


def _table(values: pd.DataFrame, config) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return indicators_table(
        values,
        config.load_catalogue(),
        territory_names=NAMES,
        stage_model=config.reference_model,
    )


def _export(values: pd.DataFrame, fmt: str, config) -> bytes:  # type: ignore[no-untyped-def]
    return render(_table(values, config), fmt)  # type: ignore[arg-type]


def _read_back(data: bytes, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    return pd.read_excel(io.BytesIO(data), engine="openpyxl")


def _exported(engine: Engine, scope: Scope, fmt: str, config, **filters) -> bytes:  # type: ignore[no-untyped-def]
    return export_indicators(
        engine,
        scope,
        fmt,  # type: ignore[arg-type]
        catalogue=config.load_catalogue(),
        stage_model=config.reference_model,
        **filters,
    )


# ------------------------------------------------------------------ the table, the renderers
def test_long_table_headers_names_and_labels(export_values, config):
    table = _table(export_values, config)
    assert list(table.columns) == list(COLUMNS) == HEADERS
    first = table.iloc[0]
    assert first["Identifiant territoire"] == "roya"
    assert first["Territoire"] == "Vallée de la Roya"
    assert first["Mois (AAAA-MM)"] == "2026-11"
    assert first["Mois"] == "novembre 2026"
    assert first["Identifiant indicateur"] == "interconnaissance_density"
    assert first["Indicateur"] == "Interconnaissance (densité des liens de niveau ≥ 1)"
    assert (first["Identifiant statut"], first["Statut"]) == ("strength", "force")
    assert (first["Identifiant étape"], first["Étape de l'indicateur"]) == (
        "emergence",
        "Émergence / impulsion",  # config/stages.yaml
    )
    change = table.iloc[4]
    assert (change["Statut"], change["Étape de l'indicateur"]) == ("à venir", "Consolidation")
    assert table["Petit effectif"].tolist() == ["Non"] * 6 + ["Oui"]
    assert table["Effectif (n)"].tolist() == [12, 12, 1300, 12, 12, 8, 3]
    assert table["Territoire"].tolist() == ["Vallée de la Roya"] * 5 + ["Entre-deux-Mers"] * 2


def test_values_are_rounded_in_their_unit(export_values, config):
    table = _table(export_values, config)
    for row in table.to_dict("records"):
        value, unit, _text = ROUNDED[(row["Identifiant territoire"], row["Identifiant indicateur"])]
        assert (row["Valeur"], row["Unité"]) == (value, unit)


def test_a_territory_without_a_name_or_an_indicator_outside_the_catalogue(export_values, config):
    # A stored indicator the catalogue no longer has keeps its id as its label, no unit, and
    # three decimals: 0.12345 → 0.123.
    odd = export_values.iloc[[0]].assign(
        territory_id="ailleurs", indicator_id="retired_indicator", value=0.12345, status=None
    )
    row = _table(odd, config).iloc[0]
    assert (row["Territoire"], row["Indicateur"], row["Valeur"]) == (
        "ailleurs",
        "retired_indicator",
        0.123,
    )
    assert row["Unité"] is None and row["Statut"] is None


def test_csv_for_french_excel(export_values, config):
    data = _export(export_values, "csv", config)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == HEADERS
    assert len(rows) == 8
    value, unit = HEADERS.index("Valeur"), HEADERS.index("Unité")
    # Each value with a decimal comma and exactly its unit's decimals (ROUNDED).
    for row in rows[1:]:
        assert row[value] == ROUNDED[(row[0], row[4])][2]
        assert row[unit] == ROUNDED[(row[0], row[4])][1]
    roya = {row[4]: row for row in rows[1:] if row[0] == "roya"}
    assert roya["interconnaissance_density"][1:4] == [
        "Vallée de la Roya",
        "2026-11",
        "novembre 2026",
    ]
    assert roya["actors_mobilised"][HEADERS.index("Vague d'enquête")] == ""  # no wave: empty
    assert rows[7][HEADERS.index("Petit effectif")] == "Oui"
    # The formula-looking note is neutralised.
    note = rows[7][HEADERS.index("Note")]
    assert note.startswith("'=cmd")
    assert not any(cell.startswith("=") for row in rows for cell in row)
    # Python reads it back with the documented options: numbers are numbers.
    back = _read_back(data, "csv")
    assert back["Valeur"].tolist() == [25.7, 2.68, 1234, 0.626, -0.035, 18.0, 4.73]
    assert back.loc[2, "Effectif (n)"] == 1300


def test_xlsx_frozen_header_numbers_and_their_formats(export_values, config):
    data = _export(export_values, "xlsx", config)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == HEADERS
    assert sheet[1][0].font.bold
    assert sheet.column_dimensions["F"].width >= 40  # « Indicateur »
    value, n, low_n, wave = (
        header.index(c) for c in ("Valeur", "Effectif (n)", "Petit effectif", "Vague d'enquête")
    )
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 7
    assert [row[value].value for row in rows] == [25.7, 2.68, 1234, 0.626, -0.035, 18, 4.73]
    assert all(row[value].data_type == "n" for row in rows)  # numbers, not text
    # French Excel shows « 25,7 », « 2,68 », « 1 234 », « 0,626 », « −0,035 » / « +0,035 ».
    assert [row[value].number_format for row in rows] == [
        "#,##0.0",
        "#,##0.00",
        "#,##0",
        "#,##0.000",
        "+#,##0.000;-#,##0.000;#,##0.000",
        "#,##0.0",
        "#,##0.00",
    ]
    assert isinstance(rows[0][n].value, int) and rows[0][n].value == 12
    assert rows[0][low_n].value == "Non" and rows[6][low_n].value == "Oui"
    assert rows[0][wave].value == 1 and rows[2][wave].value is None
    # The note is text, neutralised, and not a formula.
    note_cell = rows[6][header.index("Note")]
    assert note_cell.data_type == "s"
    assert note_cell.value.startswith("'=cmd")


def test_unknown_export_format_is_refused(export_values, config):
    with pytest.raises(ValueError, match="format d'export inconnu"):
        _export(export_values, "ods", config)


# ------------------------------------------------------------------ one path, on the database
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_funder_export_withholds_small_groups(stored, config, fmt):
    back = _read_back(_exported(stored, FUNDER, fmt, config), fmt)
    small = back[back["Identifiant indicateur"] == "factor_pouvoir_agir"].iloc[0]
    assert small["Petit effectif"] == "Oui"
    assert pd.isna(small["Valeur"]) and pd.isna(small["Effectif (n)"])
    assert pd.isna(small["Identifiant statut"]) and pd.isna(small["Statut"])
    assert small["Note"] == WITHHELD
    assert 4.73 not in back["Valeur"].tolist()
    confiance = back[back["Identifiant indicateur"] == "factor_confiance"].iloc[0]
    assert confiance["Valeur"] == 2.68  # 2.675, half up (ROUNDED)
    # The names come from the database's territories.
    assert set(back["Territoire"]) == {"Vallée de la Roya", "Entre-deux-Mers"}
    lead = _exported(stored, LEAD, "csv", config)
    assert ";4,73;" in lead.decode("utf-8-sig")


def _approved(engine: Engine) -> set[tuple[str, str]]:
    """(territory, YYYY-MM) of every approved journal."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(Journal.territory_id, Journal.month).where(Journal.status == "approved")
        ).all()
    return {(territory, f"{month:%Y-%m}") for territory, month in rows}


def _months(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["Identifiant territoire"], frame["Mois (AAAA-MM)"], strict=True))


def test_export_is_long_with_the_month_as_year_month(demo_engine, config):
    frame = _read_back(_exported(demo_engine, Scope.system(), "csv", config), "csv")
    assert list(frame.columns) == HEADERS
    assert frame["Mois (AAAA-MM)"].str.fullmatch(r"\d{4}-\d{2}").all()
    # 32 indicators for every month of every territory (31 in Faire ensemble, which hides the
    # portrait sensible), each month at most once.
    assert not frame.duplicated(KEY).any()
    sizes = frame.groupby(["Identifiant territoire", "Mois (AAAA-MM)"]).size()
    expected = [31 if t in ("morlaix", "mulhouse") else 32 for t, _ in sizes.index]
    assert sizes.tolist() == expected
    # Every territory named as config/programmes/ names it.
    names = {t.id: t.name for t in config.territories}
    named = frame.drop_duplicates("Identifiant territoire")
    assert dict(zip(named["Identifiant territoire"], named["Territoire"], strict=True)) == names
    # Ratios are exported in percent with one decimal, counts whole.
    ratios = frame.loc[frame["Unité"] == "%", "Valeur"].dropna()
    assert ratios.between(0, 100).all() and (ratios * 10).round(6).mod(1).eq(0).all()
    counts = frame.loc[frame["Unité"] == "nombre", "Valeur"].dropna()
    assert counts.mod(1).eq(0).all()
    assert set(frame["Petit effectif"]) == {"Oui", "Non"}


def test_the_export_is_the_stored_value_rounded(demo_engine, config):
    """Every exported value is the stored one in its unit, rounded: within half a unit of
    its last decimal (a ratio × 100 for the percent)."""
    from data.store.queries import indicator_values

    stored = indicator_values(demo_engine, Scope.system())
    frame = _read_back(_exported(demo_engine, Scope.system(), "csv", config), "csv")
    assert len(frame) == len(stored)
    units = {i: d.unit for i, d in config.load_catalogue().indicators.items()}
    raw = stored["value"].to_numpy()
    scale = np.array([100.0 if units[i] == "ratio" else 1.0 for i in stored["indicator_id"]])
    half = np.array(
        [
            {"count": 0.5, "ratio": 0.05, "index": 5e-4, "delta": 5e-4}.get(units[i], 5e-3)
            for i in stored["indicator_id"]
        ]
    )
    exported = frame["Valeur"].to_numpy()
    assert (np.isnan(raw) == np.isnan(exported)).all()
    known = ~np.isnan(raw)
    assert (np.abs(exported[known] - raw[known] * scale[known]) <= half[known] + 1e-9).all()


def test_funder_export_has_only_approved_months_and_no_small_groups(demo_engine, config):
    funder = _read_back(_exported(demo_engine, FUNDER, "csv", config), "csv")
    assert _months(funder) == _approved(demo_engine)
    small = funder[funder["Petit effectif"] == "Oui"]
    assert small["Valeur"].isna().all()
    binome = _exported(demo_engine, Scope(role=Role.BINOME, territory_id="roya"), "csv", config)
    assert set(_read_back(binome, "csv")["Identifiant territoire"]) == {"roya"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_funder_export_has_no_unapproved_month_and_no_small_group_value(demo_engine, config, fmt):
    funder = _read_back(_exported(demo_engine, FUNDER, fmt, config), fmt)
    everything = _read_back(_exported(demo_engine, Scope.system(), fmt, config), fmt)
    approved = _approved(demo_engine)
    months = _months(funder)
    assert months and months <= approved
    unapproved = _months(everything) - approved
    assert unapproved and not months & unapproved  # the demo has unapproved months to leave out
    small = funder[funder["Petit effectif"] == "Oui"]
    # The demo has small groups in approved months, whose values the lead's export shows.
    shown = everything.merge(small[KEY], on=KEY)
    assert len(small) and shown["Valeur"].notna().any()
    withheld = ["Valeur", "Effectif (n)", "Identifiant statut", "Statut"]
    assert small[withheld].isna().all().all()
    assert (small["Note"] == WITHHELD).all()


def test_the_page_filters_narrow_the_export(demo_engine, config):
    data = _exported(demo_engine, LEAD, "csv", config, territory_ids=["roya"], months=[MONTH])
    frame = _read_back(data, "csv")
    assert set(frame["Identifiant territoire"]) == {"roya"}
    assert set(frame["Mois (AAAA-MM)"]) == {"2026-11"} and set(frame["Mois"]) == {"novembre 2026"}
    assert len(frame) == 32


def _members(data: bytes) -> dict[str, bytes]:
    """An XLSX's files, but for its creation and modification times (docProps/core.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def test_the_command_line_writes_the_pages_bytes(demo_url, demo_engine, config, tmp_path: Path):
    csv_file, xlsx_file = tmp_path / "indicateurs.csv", tmp_path / "indicateurs.xlsx"
    assert main(["--database-url", demo_url, "export", "indicators", "--out", str(csv_file)]) == 0
    assert main(["--database-url", demo_url, "export", "indicators", "--out", str(xlsx_file)]) == 0
    system = Scope.system()
    assert csv_file.read_bytes() == _exported(demo_engine, system, "csv", config)
    # The format follows the extension; an XLSX stamps the time it was written, the rest of
    # the file is the same bytes.
    page_xlsx = _exported(demo_engine, system, "xlsx", config)
    assert xlsx_file.read_bytes()[:2] == b"PK"
    assert _members(xlsx_file.read_bytes()) == _members(page_xlsx)
    # --format wins over the extension.
    forced = tmp_path / "indicateurs.txt"
    args = ["export", "indicators", "--out", str(forced), "--format", "xlsx"]
    assert main(["--database-url", demo_url, *args]) == 0
    assert _members(forced.read_bytes()) == _members(page_xlsx)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_of_a_lead_of_one_programme_holds_its_territories_only(demo_engine, config, fmt):  # type: ignore[no-untyped-def]
    lead = Scope(
        role=Role.LEAD,
        programmes=frozenset({"faire-ensemble"}),
        territories=frozenset({"morlaix", "mulhouse"}),  # config/programmes/faire-ensemble.yaml
    )
    # Asking for Roya (TEC) too gives Morlaix's values alone.
    data = _exported(demo_engine, lead, fmt, config, territory_ids=["roya", "morlaix"])
    frame = _read_back(data, fmt)
    assert set(frame["Identifiant territoire"]) == {"morlaix"}
    assert set(frame["Territoire"]) == {"Pays de Morlaix"}
