"""The network page of the monthly review PDF: what the lead reads (response rates, what
changed, the most connected organisations, the joint actions), worked out by hand on five
organisations; and that a funder's PDF has no network whatever it is given."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from dashboard.charts.network import NetworkLabels, NetworkReports
from dashboard.pdf import monthly_report_pdf
from data.access import Role, Scope
from data.config import get_config
from indicators.compute import LONG_COLUMNS
from tests.indicators.test_network_report import five_organisations

MONTH = dt.date(2024, 11, 1)


@pytest.fixture(scope="module")
def report_inputs() -> dict:
    config = get_config()
    _, data = five_organisations()
    networks = NetworkReports(data={"roya": data}, labels=NetworkLabels.of(config.survey))
    return {
        "month": MONTH,
        "programme_name": "Territoires d'Engagement et de Coopération",
        "territories": pd.DataFrame(
            {
                "territory_id": ["roya"],
                "name": ["Vallée de la Roya"],
                "start_date": [dt.date(2023, 12, 1)],
                "duration_months": [36],
            }
        ),
        "stages": pd.DataFrame(
            {
                "territory_id": ["roya"],
                "declared_stage": ["emergence"],
                "inferred_stage": ["emergence"],
                "judged_stage": ["emergence"],
                "disagreement": [False],
            }
        ),
        "values": pd.DataFrame(columns=list(LONG_COLUMNS)),
        "catalogue": config.load_catalogue(),
        "stage_model": config.reference_model,
        "generated_on": dt.date(2024, 11, 20),
        "networks": networks,
    }


def _text(pdf: bytes) -> str:
    """The PDF's text with French no-break spaces and line breaks as plain spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for char in ("\u00a0", "\u202f", "\n"):
        text = text.replace(char, " ")
    return re.sub(r" +", " ", text.replace("\u2014", "-"))


def test_the_lead_s_review_has_the_territory_s_network_page(report_inputs: dict) -> None:
    text = _text(monthly_report_pdf(**report_inputs, scope=Scope(role=Role.LEAD)))
    assert "Réseau de coopération" in text
    # Wave 1 (last answer 5 October 2024): a, b and e of five answered → 3/5 = 60 %; ties
    # a–b 5, a–e 2, b–e 1 → 3, one of them strong (level 5).
    assert (
        "Vague 1 (octobre 2024) - Taux de réponse : 60 % (3 organisations sur 5) ; 3 liens, "
        "dont 1 fort (niveau 4 ou 5)." in text
    )
    # Wave 0: a, b, c, d → 4/5 = 80 %.
    assert "Taux de réponse par vague : vague 0 (avr. 2024) 80 % · vague 1 (oct. 2024) 60 %" in (
        text
    )
    # a–b went from 4 to 5; e joined; c and d left.
    assert "Ce qui a changé depuis la vague 0" in text
    assert "0 nouveau lien · 0 lien disparu · 1 lien renforcé · 0 lien affaibli" in text
    assert "1 organisation arrivée · 2 organisations parties ; taux de réponse 80 % puis 60 %" in (
        text
    )
    # The triangle a–b–e: each has 2 ties (centrality 2/2 = 100 %), betweenness 0; a and b
    # share the level-5 tie; nobody gave trust in wave 1.
    for name, strong in (("Organisation A", 1), ("Organisation B", 1), ("Organisation E", 0)):
        assert re.search(rf"{name} \S+ 2 {strong} 100 % 0,00 –", text), name
    assert "2 organisations de la liste sans réponse à cette vague" in text
    # Joint actions started by November 2024: the four; a, b, c and d take part; pairs a–b,
    # a–c, b–c (twice) and a–d.
    assert "4 actions communes, 4 organisations engagées, 4 paires d'organisations" in text
    assert "Repair café" in text and "3 organisations · en cours" in text
    assert "2 organisations · abandonnée" in text


def test_the_funder_s_review_has_no_network(report_inputs: dict) -> None:
    # Given the networks anyway, the funder's PDF draws none: its scope may not read them.
    text = _text(
        monthly_report_pdf(
            **report_inputs,
            scope=Scope(role=Role.FUNDER),
            presented={"roya": MONTH},
        )
    )
    assert "Vallée de la Roya" in text  # the territory's page is there
    for word in ("Réseau de coopération", "Taux de réponse", "Organisation A", "Repair café"):
        assert word not in text, word


def test_a_binome_s_review_has_its_own_territory_s_network_only(report_inputs: dict) -> None:
    own = _text(
        monthly_report_pdf(**report_inputs, scope=Scope(role="binome", territory_id="roya"))
    )
    other = _text(
        monthly_report_pdf(**report_inputs, scope=Scope(role="binome", territory_id="forbach"))
    )
    assert "Réseau de coopération" in own
    assert "Réseau de coopération" not in other
