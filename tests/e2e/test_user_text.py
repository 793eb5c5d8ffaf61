"""What people type is shown as typed and loads nothing: a binôme's narrative and a lead's
comment full of Markdown and HTML that would fetch remote content (a Markdown image, an
``<img>``) are read by the lead in real Chromium while a trap server counts its requests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Request, expect

from data.demo.accounts import DEMO_PASSWORDS
from tests.e2e.conftest import choose, screenshot, wait_ready
from tests.e2e.test_journeys import EMAILS, open_page, sign_in


class _Trap(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Trap.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def trap() -> Iterator[str]:
    """A server that records every request it gets: the address hostile text points at."""
    _Trap.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _hostile(trap: str, where: str) -> str:
    return (
        f"![pixel]({trap}/{where}-markdown.png) <img src='{trap}/{where}-html.png'> "
        f"{trap}/{where}-bare :red[rouge] $x^2$ **gras**"
    )


def test_typed_markdown_and_html_are_shown_as_typed_and_load_nothing(
    browser: Browser, server: str, trap: str
) -> None:
    outside: list[str] = []

    def watch(request: Request) -> None:
        if not request.url.startswith((server, "data:", "blob:")):
            outside.append(request.url)

    binome = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="fr-FR")
    page = binome.new_page()
    page.on("request", watch)
    sign_in(page, server, "binome.forbach@tec-demo.fr", DEMO_PASSWORDS["binome"])
    open_page(page, "Journal de bord")
    page.get_by_label("Forces").fill(_hostile(trap, "narrative"))
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    wait_ready(page)
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible(timeout=30_000)
    binome.close()

    lead = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="fr-FR")
    page = lead.new_page()
    page.on("request", watch)
    sign_in(page, server, EMAILS["lead"], DEMO_PASSWORDS["lead"])
    open_page(page, "Revue mensuelle")  # opens on October, the month waiting for approval
    choose(page, "Mois", "novembre 2026")
    choose(page, "Territoire à revoir", "Secteur de Forbach")
    # The thread's form is Forbach's once the page has run again for it.
    expect(page.get_by_role("heading", name="Approbation — Secteur de Forbach")).to_be_visible(
        timeout=30_000
    )
    wait_ready(page)
    page.get_by_label("Nouveau message").fill(_hostile(trap, "comment"))
    page.get_by_role("button", name="Publier le message").click()
    wait_ready(page)  # (the « Message publié. » toast may come and go while the page runs)
    main = page.get_by_test_id("stMain")
    # The text reads exactly as typed: brackets, stars and dollars included.
    expect(main.get_by_text(f"![pixel]({trap}/comment-markdown.png)")).to_be_visible(timeout=30_000)
    expect(main.get_by_text(":red[rouge] $x^2$ **gras**").first).to_be_visible()
    screenshot(page, "lead-review-typed-text")
    open_page(page, "Territoire")  # Forbach stays chosen
    expect(main.get_by_text(f"![pixel]({trap}/narrative-markdown.png)")).to_be_visible()
    expect(main.locator(f"img[src^='{trap}']")).to_have_count(0)
    # A bare address stays clickable (GFM links it), opening a new tab only when clicked and
    # telling it nothing of the page (noopener noreferrer): nothing loads by itself.
    for link in main.locator(f"a[href^='{trap}']").all():
        assert link.get_attribute("target") == "_blank"
        assert {"noopener", "noreferrer"} <= set(link.get_attribute("rel").split())
    lead.close()

    assert _Trap.hits == [] and outside == []
