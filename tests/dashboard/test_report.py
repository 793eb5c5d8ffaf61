"""The monthly review PDF and the long CSV/XLSX export (data/report.py).

The PDF is parsed back with pypdf; every expected figure below is computed by hand from the
inputs (half-up rounding on the decimal value, see the module docstring).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

import dashboard.report as report
from dashboard.report import (
    LONG_EXPORT_COLUMNS,
    find_unicode_font,
    format_change,
    latin1,
    long_export,
    long_table,
    monthly_report_pdf,
)
from data.config import get_config
from data.exports.indicators import EXPORT_COLUMNS

MONTH = dt.date(2026, 11, 1)
PREVIOUS = dt.date(2026, 10, 1)
YEAR_AGO = dt.date(2025, 11, 1)
COMMENT = "Atelier très suivi à Breil-sur-Roya"
ALERT = "Pas de journal pour novembre 2026."
COLUMNS = [
    "territory_id",
    "month",
    "indicator_id",
    "value",
    "n",
    "low_n",
    "status",
    "stage",
    "wave_number",
    "note",
]


@pytest.fixture(scope="module")
def catalogue():
    return get_config().load_catalogue()


@pytest.fixture(scope="module")
def stage_model():
    return get_config().stage_model


def _long(month: dt.date, rows: list[tuple]) -> pd.DataFrame:
    """rows: (territory, indicator, value, n, low_n, status, stage)."""
    return pd.DataFrame(
        [
            (t, month, i, v, n, low, status, stage, 1, None)
            for t, i, v, n, low, status, stage in rows
        ],
        columns=COLUMNS,
    )


# Roya is at « structuration », Entre-deux-Mers at « émergence ». Four indicators of three
# stages and four units; Entre-deux-Mers' « pouvoir d'agir » rests on 3 respondents (low n).
CURRENT = [
    ("roya", "interconnaissance_density", 0.256, 12, False, "discuss", "emergence"),
    ("roya", "factor_confiance", 3.45, 12, False, "discuss", "emergence"),
    ("roya", "actors_mobilised", 1234, 1300, False, "strength", "emergence"),
    ("roya", "coordination_density", 0.1, 12, False, "watch", "structuration"),
    ("roya", "trust_score", 2.9, 40, False, "upcoming", "consolidation"),
    ("entre-deux-mers", "interconnaissance_density", 0.18, 8, False, "discuss", "emergence"),
    ("entre-deux-mers", "factor_pouvoir_agir", 4.73, 3, True, "strength", "emergence"),
    ("entre-deux-mers", "coordination_density", 0.07, 8, False, "upcoming", "structuration"),
]
BEFORE = [
    ("roya", "interconnaissance_density", 0.226, 12, False, "discuss", "emergence"),
    ("roya", "factor_confiance", 3.2, 12, False, "discuss", "emergence"),
    ("entre-deux-mers", "factor_pouvoir_agir", 4.23, 6, False, "strength", "emergence"),
]
A_YEAR_BEFORE = [
    ("roya", "interconnaissance_density", 0.301, 10, False, "strength", "emergence"),
]


@pytest.fixture(scope="module")
def inputs(catalogue, stage_model):
    territories = pd.DataFrame(
        {
            "territory_id": ["roya", "entre-deux-mers"],
            "name": ["Vallée de la Roya", "Entre-deux-Mers"],
            "start_date": [dt.date(2023, 12, 1), dt.date(2024, 3, 1)],
        }
    )
    stages = pd.DataFrame(
        {
            "territory_id": ["roya", "entre-deux-mers"],
            "declared_stage": ["structuration", "emergence"],
            "inferred_stage": ["emergence", "emergence"],
            # The declared stage where there is one (indicators.stage.judged_stages).
            "judged_stage": ["structuration", "emergence"],
            "disagreement": [True, False],
        }
    )
    alerts = pd.DataFrame(
        {"territory_id": ["entre-deux-mers"], "kind": ["no_journal"], "message": [ALERT]}
    )
    comments = pd.DataFrame(
        {
            "territory_id": ["roya"],
            "author": ["Claire Martin"],
            "created_at": [pd.Timestamp("2026-11-20 10:30")],
            "body": [COMMENT],
        }
    )
    return {
        "month": MONTH,
        "programme_name": "Territoires d'Engagement et de Coopération",
        "territories": territories,
        "stages": stages,
        "values": _long(MONTH, CURRENT),
        "previous": _long(PREVIOUS, BEFORE),
        "year_ago": _long(YEAR_AGO, A_YEAR_BEFORE),
        "alerts": alerts,
        "comments": comments,
        "catalogue": catalogue,
        "stage_model": stage_model,
        "generated_on": dt.date(2026, 11, 23),
    }


@pytest.fixture(params=["found", "core"])
def font_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """« found »: whatever this machine offers (DejaVu if installed); « core »: no Unicode
    font anywhere, so the Helvetica fallback with Latin-1 text."""
    if request.param == "core":
        monkeypatch.setattr(report, "FONT_DIRS", ())
        monkeypatch.delenv(report.FONT_DIR_VARIABLE, raising=False)
    return request.param


def _text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [_plain(page.extract_text()) for page in reader.pages]


def _plain(text: str) -> str:
    """Spaces for the French no-break spaces and line breaks, ASCII hyphens for dashes (the
    core-font fallback draws them so), one space between words."""
    for char in ("\u00a0", "\u202f", "\n"):
        text = text.replace(char, " ")
    for char in ("\u2212", "\u2014", "\u2013"):
        text = text.replace(char, "-")
    return re.sub(r" +", " ", text)


def _report(inputs: dict, audience: str) -> tuple[PdfReader, str, list[str]]:
    reader, pages = _text(monthly_report_pdf(**inputs, audience=audience))
    return reader, " ".join(pages), pages


# ------------------------------------------------------------------ PDF: content
def test_lead_report_content(inputs, font_mode):
    _reader, text, pages = _report(inputs, "lead")
    assert "Revue mensuelle - novembre 2026" in text
    assert "Territoires d'Engagement et de Coopération" in text
    assert "Généré le 23/11/2026" in text
    assert "Vallée de la Roya" in text and "Entre-deux-Mers" in text
    # Journey: Roya started 12/2023 → November 2026 is month 36; Entre-deux-Mers 03/2024 → 33.
    assert "36 / 36" in text and "33 / 36" in text
    assert "2 · Structuration" in text and "1 · Émergence" in text
    assert "désaccord" in pages[0]  # Roya's declared and inferred stages differ
    # Units: ratio 0.256 → 26 %; score 3.45 → 3,5 (half-up); count 1234 → 1 234.
    assert "26 %" in text
    assert "3,5" in text
    assert "1 234" in text
    # Changes: 0.256 − 0.226 = +3 points; 0.256 − 0.301 = −4.5 → −5 points (half-up, away
    # from zero); 3.45 − 3.2 = +0.25 → +0,3.
    assert "+3 pts" in text and "-5 pts" in text and "+0,3" in text
    assert "vs oct. 2026" in text and "vs nov. 2025" in text
    # Status labels in words, never colour alone.
    assert "à discuter" in text and "point de vigilance" in text and "force" in text
    # The low-n value is shown to a lead, flagged.
    assert "4,7" in text and "n faible" in text
    # Alert and comment.
    assert ALERT in text and "Journal absent" in text
    assert COMMENT in text and "Claire Martin · 20/11/2026 à 10:30" in text


def test_later_stage_indicators_are_upcoming_and_apart(inputs, font_mode):
    _reader, _text_all, pages = _report(inputs, "lead")
    roya = next(p for p in pages[1:] if "Mois du parcours : 36 / 36" in p)
    # Roya (structuration): consolidation's trust score is listed « à venir », after the
    # judged indicators, with its value (2.9 → 2,9) as a readiness signal.
    assert "À venir - étape 3 · Consolidation" in roya
    judged, upcoming = roya.split("À venir - étape 3 · Consolidation")
    assert "Confiance entre partenaires" in upcoming and "2,9" in upcoming
    assert "Confiance entre partenaires" not in judged
    assert "Densité de coordination" in judged  # structuration is judged for Roya
    # Entre-deux-Mers (émergence): the same structuration indicator is « à venir ».
    e2m = next(p for p in pages[1:] if "Mois du parcours : 33 / 36" in p)
    judged, upcoming = e2m.split("À venir - étape 2 · Structuration")
    assert "Densité de coordination" in upcoming and "7 %" in upcoming
    assert "à venir" in upcoming
    assert "Densité de coordination" not in judged


def test_funder_report_hides_comments_and_small_groups(inputs, font_mode):
    _reader, text, pages = _report(inputs, "funder")
    assert "Données approuvées et agrégées uniquement" in text
    assert COMMENT not in text and "Commentaires" not in text and "Claire Martin" not in text
    # The frames hold the raw low-n value (4.73 on 3 respondents, not masked upstream): the
    # report shows neither the value, nor its n, nor the change from October
    # (4.73 − 4.23 = +0,5) that would give it away. The comments frame is passed too.
    assert "non communiqué (n < 5)" in text
    assert "4,7" not in text
    assert "+0,5" not in text
    assert "n faible" not in text
    # Nor its status band: on Entre-deux-Mers' page the only « force » was that value's.
    e2m = next(p for p in pages[1:] if "Mois du parcours : 33 / 36" in p)
    assert "force" not in e2m
    # Everything else is there.
    assert "26 %" in text and "3,5" in text and ALERT in text


def test_lead_report_shows_the_change_a_funder_cannot_see(inputs):
    _reader, text, _pages = _report(inputs, "lead")
    assert "+0,5" in text  # 4.73 − 4.23


def test_page_numbers_in_the_footer(inputs, font_mode):
    reader, _text_all, pages = _report(inputs, "lead")
    total = len(reader.pages)
    assert total >= 1
    assert "page 1 / " + str(total) in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {total}" in page


def test_a4_pages(inputs):
    reader, _text_all, _pages = _report(inputs, "lead")
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210,
        297,
    )


def test_font_used_is_the_one_found(inputs):
    reader, _text_all, _pages = _report(inputs, "lead")
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    if find_unicode_font() is not None:
        assert any("DejaVu" in name for name in fonts)
    else:
        assert any("Helvetica" in name for name in fonts)


def test_core_font_fallback_keeps_french_letters(inputs, monkeypatch):
    monkeypatch.setattr(report, "FONT_DIRS", ())
    monkeypatch.delenv(report.FONT_DIR_VARIABLE, raising=False)
    assert find_unicode_font() is None
    reader, text, _pages = _report(inputs, "lead")
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts <= {"/Helvetica", "/Helvetica-Bold", "/Helvetica-Oblique"}
    # Latin-1 keeps the accents and guillemets; the em dash became a hyphen.
    assert "Revue mensuelle - novembre 2026" in text
    assert "Vallée de la Roya" in text and "« à venir »" in text


def test_report_without_optional_frames(inputs):
    minimal = {
        key: value
        for key, value in inputs.items()
        if key not in ("previous", "year_ago", "alerts", "comments")
    }
    _reader, text, _pages = _report(minimal, "lead")
    assert "vs oct." not in text
    assert "Aucune alerte ce mois-ci." in text and "Aucun commentaire." in text
    assert "26 %" in text


def test_last_stage_and_missing_stage(inputs):
    stages = inputs["stages"].assign(
        declared_stage=["coalition", None],
        inferred_stage=["coalition", None],
        judged_stage=["coalition", None],
    )
    _reader, _text_all, pages = _report({**inputs, "stages": stages}, "lead")
    roya = next(p for p in pages[1:] if "Mois du parcours : 36 / 36" in p)
    assert "Dernière étape du parcours : aucun indicateur à venir." in roya
    assert "Confiance entre partenaires" in roya  # consolidation is judged at coalition
    e2m = next(p for p in pages[1:] if "Mois du parcours : 33 / 36" in p)
    assert "non déclarée" in e2m and "indéterminée" in e2m
    assert "Aucune étape déclarée ni déduite" in e2m
    assert "À venir - étape 2 · Structuration" in e2m  # judged as at the first stage


def test_no_territory(inputs):
    empty = inputs["territories"].iloc[0:0]
    reader, text, _pages = _report({**inputs, "territories": empty}, "lead")
    assert len(reader.pages) == 1
    assert "Aucun territoire." in text
    # Alerts of territories not in the report still show, under the programme's alerts.
    assert "Alertes du programme" in text and ALERT in text


def test_unknown_audience_is_refused(inputs):
    with pytest.raises(ValueError, match="public inconnu"):
        monthly_report_pdf(**inputs, audience="public")  # type: ignore[arg-type]


# ------------------------------------------------------------------ formatting helpers
@pytest.mark.parametrize(
    ("unit", "current", "before", "expected"),
    [
        ("ratio", 0.256, 0.226, "+3\u00a0pts"),
        ("ratio", 0.256, 0.246, "+1\u00a0pt"),
        ("ratio", 0.256, 0.301, "\u22125\u00a0pts"),
        ("ratio", 0.256, 0.254, "stable"),
        ("score_1_5", 3.45, 3.2, "+0,3"),
        ("count", 10, 14, "\u22124"),
        ("index", 0.5, None, "–"),
    ],
)
def test_format_change(unit, current, before, expected):
    assert format_change(unit, current, before) == expected


def test_latin1_sanitising():
    assert latin1("cœur… — 1\u202f234\u00a0% ≥ 3 ’ok’ −2") == "coeur... - 1 234 % >= 3 'ok' -2"
    assert latin1("Vallée « à venir »") == "Vallée « à venir »"
    assert latin1("Łódź ☃") == "Lódz ?"  # ó is Latin-1; ź loses its accent


# ------------------------------------------------------------------ long export
@pytest.fixture
def export_values() -> pd.DataFrame:
    frame = _long(MONTH, CURRENT[:3] + CURRENT[5:7])
    frame["wave_number"] = pd.array([1, 1, None, 2, 2], dtype="Int64")
    frame.loc[4, "note"] = "=cmd|' /C calc'!A0"
    return frame


def test_long_table_columns_and_labels(export_values, catalogue):
    table = long_table(export_values, catalogue)
    assert tuple(table.columns) == LONG_EXPORT_COLUMNS
    assert set(EXPORT_COLUMNS) <= set(LONG_EXPORT_COLUMNS)
    first = table.iloc[0]
    assert first["period"] == "2026-11"
    assert first["indicator_label"] == "Interconnaissance (densité des liens de niveau ≥ 1)"
    assert first["status_label"] == "à discuter"


def test_csv_for_french_excel(export_values, catalogue):
    data = long_export(export_values, "csv", catalogue=catalogue)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == list(LONG_EXPORT_COLUMNS)
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
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert back.loc[0, "value"] == pytest.approx(0.256)


def test_xlsx_frozen_header_and_numbers(export_values, catalogue):
    data = long_export(export_values, "xlsx", catalogue=catalogue)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == list(LONG_EXPORT_COLUMNS)
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


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_funder_export_withholds_small_groups(export_values, catalogue, fmt):
    data = long_export(export_values, fmt, catalogue=catalogue, audience="funder")
    if fmt == "csv":
        back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    else:
        back = pd.read_excel(io.BytesIO(data), engine="openpyxl")
    small = back[back["indicator_id"] == "factor_pouvoir_agir"].iloc[0]
    assert small["low_n"] in (True, "True")
    assert pd.isna(small["value"]) and pd.isna(small["n"]) and pd.isna(small["status"])
    assert small["note"] == "petit effectif : valeur non communiquée"
    assert 4.73 not in back["value"].tolist()
    assert back.loc[back["indicator_id"] == "factor_confiance", "value"].iloc[0] == 3.45
    lead = long_export(export_values, "csv", catalogue=catalogue)
    assert "4,73" in lead.decode("utf-8-sig")


def test_unknown_export_format_is_refused(export_values, catalogue):
    with pytest.raises(ValueError, match="format d'export inconnu"):
        long_export(export_values, "ods", catalogue=catalogue)  # type: ignore[arg-type]
