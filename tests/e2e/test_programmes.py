"""Several programmes in one Coopérascope, in real headless Chromium: the lead of « Faire
ensemble » sees its two territories in its own phases and nothing of TEC; the funder of TEC and
Faire ensemble compares both programmes, and only them."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from data.demo.accounts import DEMO_PASSWORDS
from tests.e2e.conftest import screenshot, wait_ready
from tests.e2e.test_journeys import open_page, sign_in

FE_LEAD = "pilotage.fonda@tec-demo.fr"  # data/demo/accounts.py
TWO_PROGRAMME_FUNDER = "financeur.collectif@tec-demo.fr"
TEC_NAMES = ["Vallée de la Roya", "Entre-deux-Mers", "Secteur de Forbach"]
FE_NAMES = ["Pays de Morlaix", "Mulhouse"]  # config/programmes/faire-ensemble.yaml


def _overview_table(page: Page) -> str:
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=30_000)
    return grid.inner_text()


def test_the_lead_of_faire_ensemble_sees_its_territories_in_its_own_phases(
    page: Page, server: str
) -> None:
    sign_in(page, server, FE_LEAD, DEMO_PASSWORDS["lead"])
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text("Vue d'ensemble", timeout=30_000)
    expect(
        main.get_by_text("Faire ensemble — Structurer les coopérations territoriales")
    ).to_be_visible()
    # One programme: no programme picker; its two territories, none of TEC's.
    expect(page.get_by_test_id("stSidebar").get_by_text("Programmes")).to_have_count(0)
    table = _overview_table(page)
    for name in FE_NAMES:
        assert name in table
    for name in TEC_NAMES:
        assert name not in table
    # Faire ensemble's phases (stages.yaml), not the reference model's names: in November 2026
    # its territories (January 2025) are in their 23rd month of 24.
    assert "23 / 24" in table
    assert any(
        f"· {phase}" in table for phase in ("Structuration", "Consolidation", "Capitalisation")
    )
    assert "Coalition" not in table and "Émergence" not in table
    screenshot(page, "overview-lead-faire-ensemble")

    open_page(page, "Journal de bord")
    # Its journal speaks its own milestones (stages.yaml, model faire-ensemble).
    expect(main.get_by_text("Capitalisation et transmission").first).to_be_visible(timeout=30_000)
    expect(main.get_by_text("Charte du collectif adoptée").first).to_be_attached()
    screenshot(page, "journal-lead-faire-ensemble")

    # A TEC territory typed in the address is not one of its own.
    page.goto(f"{server}/territory?territoire=roya")
    wait_ready(page)
    expect(main.locator("h1").first).not_to_have_text("Vallée de la Roya")


def test_the_funder_of_two_programmes_compares_both_and_nothing_else(
    page: Page, server: str
) -> None:
    sign_in(page, server, TWO_PROGRAMME_FUNDER, DEMO_PASSWORDS["funder"])
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text("Vue d'ensemble", timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Programmes", exact=True)).to_be_visible()
    table = _overview_table(page)
    for name in TEC_NAMES + FE_NAMES:
        assert name in table
    # The catalyseurs are not among the programmes it funds.
    assert "Catalyseur" not in table
    # Both programmes, each territory judged on its own stage, compared by reference stage.
    caption = main.get_by_test_id("stCaptionContainer").first.inner_text()
    assert "Territoires d'Engagement et de Coopération et Faire ensemble" in caption
    screenshot(page, "overview-funder-two-programmes")

    # The choice is in the address: one programme keeps only its territories, and a reload
    # keeps it.
    page.goto(f"{server}/?programmes=faire-ensemble")
    wait_ready(page)
    for _ in range(2):
        table = _overview_table(page)
        assert all(name in table for name in FE_NAMES)
        assert not any(name in table for name in TEC_NAMES)
        page.reload()
        wait_ready(page)
