"""Journeys in real headless Chromium against a running Streamlit server."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from data.demo_accounts import DEMO_PASSWORDS
from tests.e2e.conftest import screenshot, wait_ready


def sign_in(page: Page, server: str, email: str, password: str) -> None:
    page.goto(server)
    wait_ready(page)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    wait_ready(page)


def test_wrong_password_is_refused_in_french(page: Page, server: str) -> None:
    sign_in(page, server, "direction@tec-demo.fr", "pas-le-bon")
    expect(page.get_by_text("Adresse e-mail ou mot de passe incorrect.")).to_be_visible()


def test_lead_signs_in_and_sees_the_overview(page: Page, server: str) -> None:
    sign_in(page, server, "direction@tec-demo.fr", DEMO_PASSWORDS["lead"])
    expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible()
    expect(page.get_by_text("novembre 2026").first).to_be_visible()
    # The chart is drawn: plotly has rendered its SVG with one trace per territory (6).
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=20_000)
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() == 6
    screenshot(page, "overview-lead")
