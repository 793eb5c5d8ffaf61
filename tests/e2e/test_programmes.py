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
TEC_NAME = "Territoires d'Engagement et de Coopération"  # config/programmes/
FE_NAME = "Faire ensemble — Structurer les coopérations territoriales"


def _territories_offered(page: Page) -> list[str]:
    """The names the sidebar's territory picker offers (the Territoire page)."""
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Territoire").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible(timeout=15_000)
    names = [o.inner_text() for o in options.all()]
    page.keyboard.press("Escape")
    return names


def _caption(page: Page) -> str:
    caption = page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first
    expect(caption).to_be_visible(timeout=30_000)
    return caption.inner_text()


def test_the_lead_of_faire_ensemble_sees_its_territories_in_its_own_phases(
    page: Page, server: str
) -> None:
    sign_in(page, server, FE_LEAD, DEMO_PASSWORDS["lead"])
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text("Vue d'ensemble", timeout=30_000)
    assert _caption(page).startswith(FE_NAME)
    # One programme: no programme picker.
    expect(page.get_by_test_id("stSidebar").get_by_text("Programmes")).to_have_count(0)
    screenshot(page, "overview-lead-faire-ensemble")

    open_page(page, "Territoire")
    # Its two territories (config/programmes/faire-ensemble.yaml), none of TEC's.
    assert _territories_offered(page) == ["Pays de Morlaix", "Mulhouse"]
    # January 2025 + 24 months: November 2026 is its month 23 of 24.
    assert "(mois 23 sur 24)" in _caption(page)
    # Its stages are Faire ensemble's phases (stages.yaml), numbered in its own model.
    declared = main.get_by_test_id("stMetric").first.inner_text()
    assert any(
        f"· {phase}" in declared
        for phase in ("Impulsion", "Structuration", "Consolidation", "Capitalisation")
    ), declared
    assert "Coalition" not in declared and "Émergence" not in declared
    screenshot(page, "territory-lead-faire-ensemble")

    open_page(page, "Journal de bord")
    # Its journal offers its own phases and milestones (stages.yaml, model faire-ensemble).
    expect(main.get_by_text("4 · Capitalisation").first).to_be_attached(timeout=30_000)
    expect(main.get_by_text("Charte du collectif adoptée").first).to_be_attached()
    expect(main.get_by_text("Portrait sensible restitué aux acteurs")).to_have_count(0)

    # A TEC territory typed in the address is not one of its territories.
    page.goto(f"{server}/territory?territoire=roya")
    wait_ready(page)
    expect(main.locator("h1").first).to_be_visible(timeout=30_000)
    assert main.locator("h1").first.inner_text() != "Vallée de la Roya"


def test_the_funder_of_two_programmes_compares_both_and_nothing_else(
    page: Page, server: str
) -> None:
    sign_in(page, server, TWO_PROGRAMME_FUNDER, DEMO_PASSWORDS["funder"])
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text("Vue d'ensemble", timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Programmes", exact=True)).to_be_visible()
    # Both programmes it funds, each territory judged on its own stage.
    assert _caption(page).startswith(f"{TEC_NAME} et {FE_NAME}")
    screenshot(page, "overview-funder-two-programmes")

    open_page(page, "Territoire")
    offered = _territories_offered(page)
    # Six TEC territories and two of Faire ensemble, each said with its programme; none of
    # the catalyseurs, which it does not fund.
    assert len(offered) == 8
    assert "Vallée de la Roya (TEC)" in offered and "Mulhouse (Faire ensemble)" in offered
    assert not any("Catalyseur" in name for name in offered)

    # The programmes compared are in the address: one of them, and a reload keeps it.
    page.goto(f"{server}/?programmes=faire-ensemble")
    wait_ready(page)
    for _ in range(2):
        caption = _caption(page)
        assert caption.startswith(FE_NAME) and TEC_NAME not in caption
        page.reload()
        wait_ready(page)
