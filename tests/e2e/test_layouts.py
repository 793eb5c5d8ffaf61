"""Every page of every role at two common widths, a laptop (1,400 px) and a phone (390 px):
nothing is wider than the screen, and a whole-page screenshot of each is kept under
var/screenshots/ (``<role>-<page>-<width>.png``) to be looked at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import streamlit
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import SCREENSHOTS, wait_ready
from tests.e2e.test_journeys import fill_sign_in

WIDTHS = (1400, 390)
# Each role's pages by address (the landing page answers the root too), and the slug of their
# screenshots.
ROLE_PAGES = {
    "lead": {
        "overview": "vue-densemble",
        "territory": "territoire",
        "review": "revue-mensuelle",
        "journal": "journal-de-bord",
        "upload": "import",
        "quality": "qualite-des-donnees",
        "admin": "administration",
    },
    "binome": {
        "territory": "mon-territoire",
        "journal": "journal-de-bord",
        "upload": "import",
        "quality": "qualite-des-donnees",
    },
    "funder": {"overview": "vue-densemble", "territory": "territoire"},
}
HEATMAP_TAB = "Indicateurs du mois"
# The element Streamlit scrolls (the page itself does not): its height is the page's.
SCROLLER = "[data-testid='stMain']"


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def sized_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    width = request.param
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="fr-FR",
        is_mobile=width < 500,
        has_touch=width < 500,
        device_scale_factor=1,
    )
    page = context.new_page()
    yield page
    context.close()


def overflow(page: Page) -> dict[str, int]:
    """How wide the document and Streamlit's scrolling main area are, against the screen."""
    return page.evaluate(
        """scroller => {
            const main = document.querySelector(scroller);
            return {
                screen: window.innerWidth,
                document: document.documentElement.scrollWidth,
                main: main ? main.scrollWidth : 0,
                main_visible: main ? main.clientWidth : 0,
            };
        }""",
        SCROLLER,
    )


def whole_page(page: Page, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls its main area, not the document, so
    the window is made as tall as that area's content first (then given back its height)."""
    viewport = page.viewport_size
    assert viewport is not None
    height = page.evaluate("s => document.querySelector(s).scrollHeight", SCROLLER)
    page.set_viewport_size({"width": viewport["width"], "height": max(height, 900)})
    page.wait_for_timeout(800)  # charts redraw at the new size
    wait_ready(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(viewport)


@cache
def streamlit_english_words() -> frozenset[str]:
    """The names Streamlit's front end gives its own controls (every literal of an
    ``aria-label`` in its bundle, « Show password » and « Link to heading » among them) and
    its skip link's text, read from the installed bundle rather than listed by hand."""
    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    words = {"Skip to main content"}
    for script in bundle.glob("*.js"):
        for value in re.findall(r'"aria-label":([^,}]*)', script.read_text(errors="ignore")):
            words.update(re.findall(r"`([^`$]+)`", value))
    assert {"Show password", "Link to heading", "Close"} <= words, len(words)
    return frozenset(words)


def english_chrome(page: Page) -> list[str]:
    """Streamlit's English words the page shows or names its controls with."""
    shown: list[str] = page.evaluate(
        """() => {
            const found = [];
            document.querySelectorAll("[aria-label]").forEach(
                (element) => found.push(element.getAttribute("aria-label")));
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) found.push(walker.currentNode.nodeValue.trim());
            return found;
        }"""
    )
    return sorted(set(shown) & streamlit_english_words())


def check_and_keep(page: Page, name: str) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_timeout(500)  # charts and grids draw after the script has run
    assert english_chrome(page) == [], name
    sizes = overflow(page)
    assert sizes["document"] <= sizes["screen"] + 1, (name, sizes)
    assert sizes["main"] <= sizes["main_visible"] + 1, (name, sizes)
    whole_page(page, name)


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_every_page_fits_the_screen(sized_page: Page, server: str, role: str) -> None:
    page = sized_page
    width = page.viewport_size["width"]  # type: ignore[index]
    page.goto(server)
    wait_ready(page)
    page.wait_for_timeout(500)
    assert english_chrome(page) == [], "sign-in"
    # Signed in with the session's cookie: the pages are then opened by their addresses (the
    # phone's sidebar is folded away).
    fill_sign_in(page, role)
    for address, slug in ROLE_PAGES[role].items():
        page.goto(f"{server}/{address}")
        expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible(timeout=30_000)
        wait_ready(page)
        check_and_keep(page, f"{role}-{slug}-{width}")
        if address == "overview":
            page.get_by_role("tab", name=HEATMAP_TAB).click()
            wait_ready(page)
            expect(page.locator(".js-plotly-plot")).to_have_count(1)
            check_and_keep(page, f"{role}-{slug}-heatmap-{width}")
