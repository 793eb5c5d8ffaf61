"""The monthly review PDF (dashboard/pdf/).

The PDF is parsed back with pypdf; every expected figure below is computed by hand from the
inputs (half-up rounding on the decimal value, see dashboard/pdf/monthly.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from importlib import resources

import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from dashboard.pdf import monthly_report_pdf
from data.access import Role, Scope
from data.config import get_config
from indicators.compute import LONG_COLUMNS

MONTH = dt.date(2026, 11, 1)
PREVIOUS = dt.date(2026, 10, 1)
YEAR_AGO = dt.date(2025, 11, 1)
COMMENT = "Atelier très suivi à Breil-sur-Roya"
ALERT = "Pas de journal pour novembre 2026."


@pytest.fixture(scope="module")
def catalogue():
    return get_config().load_catalogue()


@pytest.fixture(scope="module")
def stage_model():
    return get_config().reference_model


def _long(month: dt.date, rows: list[tuple]) -> pd.DataFrame:
    """rows: (territory, indicator, value, n, low_n, status, stage)."""
    return pd.DataFrame(
        [
            (t, month, i, v, n, low, status, stage, 1, None)
            for t, i, v, n, low, status, stage in rows
        ],
        columns=list(LONG_COLUMNS),
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
            "duration_months": [36, 36],  # TEC's three years
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


def _text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [_plain(page.extract_text()) for page in reader.pages]


def _plain(text: str) -> str:
    """Spaces for the French no-break spaces and line breaks, ASCII hyphens for the minus
    sign and dashes, one space between words: the text as the assertions spell it."""
    for char in ("\u00a0", "\u202f", "\n"):
        text = text.replace(char, " ")
    for char in ("\u2212", "\u2014", "\u2013"):
        text = text.replace(char, "-")
    return re.sub(r" +", " ", text)


LEAD, FUNDER = Scope(role=Role.LEAD), Scope(role=Role.FUNDER)


def _report(inputs: dict, scope: Scope) -> tuple[PdfReader, str, list[str]]:
    reader, pages = _text(monthly_report_pdf(**inputs, scope=scope))
    return reader, " ".join(pages), pages


# ------------------------------------------------------------------ PDF: content
def test_lead_report_content(inputs):
    _reader, text, pages = _report(inputs, LEAD)
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


def test_later_stage_indicators_are_upcoming_and_apart(inputs):
    _reader, _text_all, pages = _report(inputs, LEAD)
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


def test_funder_report_hides_comments_and_small_groups(inputs):
    _reader, text, pages = _report(inputs, FUNDER)
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
    _reader, text, _pages = _report(inputs, LEAD)
    assert "+0,5" in text  # 4.73 − 4.23


def test_page_numbers_in_the_footer(inputs):
    reader, _text_all, pages = _report(inputs, LEAD)
    total = len(reader.pages)
    assert total >= 1
    assert "page 1 / " + str(total) in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {total}" in page


def test_a4_pages(inputs):
    reader, _text_all, _pages = _report(inputs, LEAD)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210,
        297,
    )


def _fonts(reader: PdfReader) -> dict[str, TTFont]:
    """The fonts embedded in the PDF, by base name (``/AAAAAA+DejaVuSans-Bold``), each
    parsed from its embedded file."""
    fonts = {}
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            data = descriptor.get_object()["/FontFile2"].get_object().get_data()
            fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(data))
    return fonts


def test_the_shipped_font_is_embedded_and_draws_french_typography(inputs):
    special = inputs["territories"].assign(name=["Cœur de Roya — Vallée", "Entre-deux-Mers"])
    reader, _pages = _text(monthly_report_pdf(**{**inputs, "territories": special}, scope=LEAD))
    fonts = _fonts(reader)
    # Regular (« Book »), bold and oblique DejaVu Sans, subset and embedded (the « AAAAAA+ »
    # tag), each the very face shipped in dashboard/pdf/fonts (same full name and revision).
    assert {re.sub(r"^/[A-Z]{6}\+", "", name) for name in fonts} == {
        "DejaVuSansBook",
        "DejaVuSansBold",
        "DejaVuSansOblique",
    }
    shipped = {
        name: TTFont(io.BytesIO((resources.files("dashboard.pdf") / "fonts" / name).read_bytes()))
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
    }
    faces = {(f["name"].getBestFullName(), f["head"].fontRevision) for f in shipped.values()}
    assert {(f["name"].getBestFullName(), f["head"].fontRevision) for f in fonts.values()} == faces
    raw = " ".join(page.extract_text() for page in reader.pages)
    # « œ » and « — » in the territory's name and the title; « ≥ » in the label of
    # interconnaissance (« niveau ≥ 1 »); a narrow no-break space in 1 234 actors.
    for char in ("œ", "—", "≥", "\u202f"):
        assert char in raw, char
    assert "Cœur de Roya — Vallée" in raw and "1\u202f234" in raw
    assert "Revue mensuelle — novembre 2026" in raw and "« à venir »" in raw
    # Each is drawn with a real glyph: the embedded subsets map these characters, so no
    # « .notdef » box stands in for them.
    mapped = set()
    for font in fonts.values():
        mapped |= {code for code, glyph in font.getBestCmap().items() if glyph != ".notdef"}
    assert {ord("œ"), ord("—"), ord("≥"), 0x202F} <= mapped


def test_report_without_optional_frames(inputs):
    minimal = {
        key: value
        for key, value in inputs.items()
        if key not in ("previous", "year_ago", "alerts", "comments")
    }
    _reader, text, _pages = _report(minimal, LEAD)
    assert "vs oct." not in text
    assert "Aucune alerte ce mois-ci." in text and "Aucun commentaire." in text
    assert "26 %" in text


def test_last_stage_and_missing_stage(inputs):
    stages = inputs["stages"].assign(
        declared_stage=["coalition", None],
        inferred_stage=["coalition", None],
        judged_stage=["coalition", None],
    )
    _reader, _text_all, pages = _report({**inputs, "stages": stages}, LEAD)
    roya = next(p for p in pages[1:] if "Mois du parcours : 36 / 36" in p)
    assert "Dernière étape du parcours : aucun indicateur à venir." in roya
    assert "Confiance entre partenaires" in roya  # consolidation is judged at coalition
    e2m = next(p for p in pages[1:] if "Mois du parcours : 33 / 36" in p)
    assert "non déclarée" in e2m and "indéterminée" in e2m
    assert "Aucune étape déclarée ni déduite" in e2m
    assert "À venir - étape 2 · Structuration" in e2m  # judged as at the first stage


def test_no_territory(inputs):
    empty = inputs["territories"].iloc[0:0]
    reader, text, _pages = _report({**inputs, "territories": empty}, LEAD)
    assert len(reader.pages) == 1
    assert "Aucun territoire." in text
    # Alerts of territories not in the report still show, under the programme's alerts.
    assert "Alertes du programme" in text and ALERT in text


def test_what_is_left_out_follows_the_permissions_not_the_role(inputs):
    # A binôme may read comments, small groups and unapproved months (data.access.POLICY):
    # its report is the working document, as a lead's.
    binome = Scope(role=Role.BINOME, territory_id="roya")
    _reader, text, _pages = _report(inputs, binome)
    assert "Document de travail de l'équipe du programme" in text
    assert COMMENT in text and "4,7" in text and "n faible" in text
    assert "non communiqué" not in text


# ------------------------------------------------------------------ PDF: approved months only
SIX = [
    ("roya", "Vallée de la Roya", dt.date(2023, 12, 1)),
    ("entre-deux-mers", "Entre-deux-Mers", dt.date(2024, 3, 1)),
    ("forbach", "Secteur de Forbach", dt.date(2024, 3, 1)),
    ("nantes-qpv", "Nantes Quartiers", dt.date(2024, 6, 1)),
    ("haute-garonne", "Haute-Garonne", dt.date(2024, 6, 1)),
    ("aura", "Territoire en Auvergne-Rhône-Alpes", dt.date(2024, 9, 1)),
]


def _funder_inputs(inputs: dict, presented: dict[str, dt.date | None]) -> dict:
    """Six territories for a funder, each at its month in ``presented``: the stages and values
    of those months only (what the funder's scoped reads give), with their month."""
    territories = pd.DataFrame(SIX, columns=["territory_id", "name", "start_date"]).assign(
        duration_months=36
    )
    shown = {t: m for t, m in presented.items() if m is not None}
    stages = pd.DataFrame(
        {
            "territory_id": list(shown),
            "month": list(shown.values()),
            "declared_stage": "emergence",
            "inferred_stage": "emergence",
            "judged_stage": "emergence",
            "disagreement": False,
        }
    )
    values = pd.concat(
        [
            _long(month, [("roya", *row[1:]) for row in CURRENT[:3]]).assign(territory_id=tid)
            for tid, month in shown.items()
        ],
        ignore_index=True,
    )
    return {
        **{k: v for k, v in inputs.items() if k not in ("previous", "year_ago", "comments")},
        "territories": territories,
        "stages": stages,
        "values": values,
        "alerts": inputs["alerts"].iloc[0:0],
        "presented": presented,
    }


def _page_of(pages: list[str], name: str) -> str:
    """The territory page of ``name`` (its heading opens the page after the running title)."""
    return next(p for p in pages[1:] if f"{name} Mois du parcours" in p)


def test_a_funder_report_says_not_yet_approved_where_that_is_the_reason(inputs):
    """One territory approved of six: the five others are « pas encore approuvé » in the
    summary and on their pages, never « non déclarée » nor « indéterminée »."""
    presented = {tid: None for tid, _name, _start in SIX} | {"roya": MONTH}
    _reader, text, pages = _report(_funder_inputs(inputs, presented), FUNDER)
    assert "non déclarée" not in text and "indéterminée" not in text
    assert (
        "Chaque territoire est présenté à son dernier mois approuvé, jusqu'à novembre 2026."
        in (pages[0])
    )
    summary = pages[0].split("Territoires", 1)[1]
    assert "Mois présenté" in summary
    assert summary.count("pas encore approuvé") == 5
    roya = _page_of(pages, "Vallée de la Roya")
    assert "Mois présenté : novembre 2026" in roya and "pas encore approuvé" not in roya
    assert "1 · Émergence" in roya and "26 %" in roya  # 0.256 → 26 %
    for _tid, name, _start in SIX[1:]:
        page = _page_of(pages, name)
        assert "Mois présenté : pas encore approuvé" in page
        assert "Aucun mois de ce territoire n'est encore approuvé (jusqu'à novembre 2026)" in page
        assert "Indicateurs évalués" not in page and "%" not in page


def test_a_funder_report_shows_each_territory_at_its_latest_approved_month(inputs):
    """Roya approved for November, Entre-deux-Mers last in October, the others never: each is
    shown at its month, with that month's values; last month's changes are drawn only beside
    the territory shown at the report's month."""
    presented = {tid: None for tid, _name, _start in SIX} | {
        "roya": MONTH,
        "entre-deux-mers": PREVIOUS,
    }
    funder = {**_funder_inputs(inputs, presented), "previous": _long(PREVIOUS, BEFORE)}
    # Entre-deux-Mers' October value differs from Roya's November one: 0.226 → 23 %.
    funder["values"].loc[
        (funder["values"]["territory_id"] == "entre-deux-mers")
        & (funder["values"]["indicator_id"] == "interconnaissance_density"),
        "value",
    ] = 0.226
    _reader, text, pages = _report(funder, FUNDER)
    assert "non déclarée" not in text
    summary = pages[0].split("Territoires", 1)[1]
    assert "octobre 2026" in summary and summary.count("pas encore approuvé") == 4
    e2m = _page_of(pages, "Entre-deux-Mers")
    assert "Mois présenté : octobre 2026" in e2m and "1 · Émergence" in e2m
    assert "23 %" in e2m and "vs oct. 2026" not in e2m
    roya = _page_of(pages, "Vallée de la Roya")
    # 0.256 − 0.226 = +3 points against October, beside November's value.
    assert "vs oct. 2026" in roya and "+3 pts" in roya


def test_a_lead_report_still_says_non_declaree_for_a_journal_without_a_stage(inputs):
    # For a reader of every month, a territory without a declared stage has no journal
    # stage: « non déclarée » is the reason, and no month is said.
    stages = inputs["stages"].assign(declared_stage=["structuration", None])
    _reader, text, _pages = _report({**inputs, "stages": stages}, LEAD)
    assert "non déclarée" in text and "pas encore approuvé" not in text
    assert "Mois présenté" not in text
