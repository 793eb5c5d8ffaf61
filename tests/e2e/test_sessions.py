"""Sessions in real headless Chromium (#12): the session cookie keeps a sign-in through a reload,
a new tab, a server restart and a second server process on the same PostgreSQL database; an
address typed while signed out comes back, with its parameters, after the sign-in; sign-out
clears it; a forged or expired cookie is refused; an unknown address is answered in French."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from data.services.sign_in import SESSION_IDLE, SESSION_MAX_AGE, open_session, session_user
from data.services.sign_in import user_by_email as account
from data.store.engine import make_engine
from tests.conftest import _drop_database, _new_database
from tests.e2e.conftest import (
    heading,
    load_demo_database,
    running_server,
    screenshot,
    wait_ready,
)
from tests.e2e.test_journeys import EMAILS, fill_sign_in

COOKIE = "cooperascope_session"
TIMEOUT = 30_000
# Forbach started in June 2024 (config/programme.yaml): October 2026 is its month 29 of 36,
# November 2026 (the demo's current month, the page's default) would be its month 30.
DEEP_LINK = "/territory?territoire=forbach&mois=2026-10"
DEEP_LINK_CAPTION = "(mois 29 sur 36)"


def _sign_in_form(page: Page) -> None:
    expect(page.get_by_label("Adresse e-mail")).to_be_visible(timeout=TIMEOUT)
    wait_ready(page)


def _session_cookie(context: BrowserContext) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == COOKIE), None)


def _on_forbach_in_october(page: Page) -> None:
    heading(page, "Secteur de Forbach")
    caption = page.get_by_test_id("stMain").get_by_text(DEEP_LINK_CAPTION)
    expect(caption).to_contain_text("octobre 2026")


def test_a_deep_link_comes_back_after_sign_in_and_survives_a_reload_and_a_new_tab(
    page: Page, server: str
) -> None:
    page.goto(server + DEEP_LINK)
    _sign_in_form(page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert _session_cookie(page.context) is None
    fill_sign_in(page, "lead")
    page.wait_for_url(server + DEEP_LINK, timeout=TIMEOUT)
    _on_forbach_in_october(page)
    screenshot(page, "sessions-deep-link-after-sign-in")

    cookie = _session_cookie(page.context)
    assert cookie is not None
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Lax", "/")
    assert cookie["secure"] is False  # served over http here (Secure over https)
    # It expires with the session: 12 hours from now (give or take the test's own minute).
    assert abs(cookie["expires"] - (time.time() + SESSION_MAX_AGE.total_seconds())) < 60
    assert COOKIE not in page.evaluate("document.cookie")  # HttpOnly: no script reads it

    page.reload()
    assert page.url == server + DEEP_LINK
    _on_forbach_in_october(page)

    tab = page.context.new_page()
    tab.goto(server)
    heading(tab, "Vue d'ensemble")
    expect(tab.get_by_label("Adresse e-mail")).to_have_count(0)


def test_sign_out_clears_the_cookie_and_a_reload_shows_the_sign_in_form(
    page: Page, server: str, e2e_database: str
) -> None:
    page.goto(server)
    _sign_in_form(page)
    fill_sign_in(page, "funder")
    heading(page, "Vue d'ensemble")
    cookie = _session_cookie(page.context)
    assert cookie is not None
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(server + "/", timeout=TIMEOUT)
    _sign_in_form(page)
    assert _session_cookie(page.context) is None
    page.reload()
    _sign_in_form(page)
    expect(page.get_by_role("heading", name="Vue d'ensemble")).to_have_count(0)
    # Revoked in the database, not only forgotten by the browser.
    engine = make_engine(e2e_database)
    try:
        assert session_user(engine, cookie["value"]) is None
    finally:
        engine.dispose()


def _with_cookie(page: Page, server: str, token: str) -> None:
    page.context.add_cookies([{"name": COOKIE, "value": token, "url": server}])


def test_a_forged_idle_or_expired_cookie_is_refused(
    page: Page, server: str, e2e_database: str
) -> None:
    engine = make_engine(e2e_database)
    try:
        lead = account(engine, EMAILS["lead"])
        assert lead is not None
        now = dt.datetime.now(dt.UTC)
        idle = open_session(engine, lead, now=now - SESSION_IDLE - dt.timedelta(minutes=1))
        expired = open_session(engine, lead, now=now - SESSION_MAX_AGE - dt.timedelta(minutes=1))
    finally:
        engine.dispose()
    for token in ("un-jeton-forgé-par-quelqu-un", idle, expired):
        _with_cookie(page, server, token)
        page.goto(server + "/review")
        _sign_in_form(page)
        expect(page.get_by_text("Votre session a pris fin")).to_be_visible()
        expect(page.get_by_role("heading", name="Revue mensuelle")).to_have_count(0)
    # The refused cookie does not stand in the way of signing in again, back to that page.
    fill_sign_in(page, "lead")
    # Back on the review, which then writes its month and territory into the address.
    page.wait_for_url(re.compile(rf"^{re.escape(server)}/review(\?.*)?$"), timeout=TIMEOUT)
    heading(page, "Revue mensuelle")
    assert _session_cookie(page.context)["value"] not in {idle, expired}


def test_an_unknown_address_or_another_roles_page_is_answered_in_french(
    page: Page, server: str
) -> None:
    response = page.goto(server + "/nimportequoi?mois=2026-10")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    expect(page.get_by_text("/nimportequoi")).to_be_visible()
    page.get_by_role("link", name="Aller à l'accueil de Coopérascope").click()
    _sign_in_form(page)
    # A binôme typing the administration's address: the page is not open to its role.
    fill_sign_in(page, "binome")
    heading(page, "Vallée de la Roya")
    page.goto(server + "/admin")
    heading(page, "Administration")
    expect(page.get_by_text("n'est pas ouverte au rôle « Binôme »")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("heading", name="Comptes")).to_have_count(0)  # the lead's page has it


# -- two processes, one database --------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL schema of its own (``TEST_POSTGRES_URL``) with the demo history."""
    url, schema = _new_database("postgresql", Path(tmp_path_factory.mktemp("shared")))
    try:
        yield load_demo_database(url)
    finally:
        _drop_database(schema)


def _port(address: str) -> int:
    port = urlsplit(address).port
    assert port is not None
    return port


def test_a_session_is_accepted_by_a_second_process_and_after_a_restart(
    browser: Browser, shared_database: str
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="fr-FR")
    try:
        page = context.new_page()
        with running_server(shared_database) as first:
            with running_server(shared_database) as second:
                assert _port(first) != _port(second)
                page.goto(first + "/review?mois=2026-10")
                _sign_in_form(page)
                fill_sign_in(page, "lead")
                page.wait_for_url(re.compile(r"/review\?mois=2026-10(&|$)"), timeout=TIMEOUT)
                heading(page, "Revue mensuelle")
                # The browser sends the cookie to the other process (cookies go by host, not
                # port), which finds the session in the database both serve.
                page.goto(second + "/review?mois=2026-10")
                heading(page, "Revue mensuelle")
                expect(page.get_by_label("Adresse e-mail")).to_have_count(0)
            port = _port(first)
        with running_server(shared_database, port=port) as restarted:
            page.goto(restarted + "/review?mois=2026-10")
            heading(page, "Revue mensuelle")
            token = _session_cookie(context)["value"]
            page.get_by_role("button", name="Se déconnecter").click()
            _sign_in_form(page)
            with running_server(shared_database) as other:
                # The same token put back: revoked for every process.
                _with_cookie(page, other, token)
                page.goto(other + "/review")
                _sign_in_form(page)
                expect(page.get_by_text("Votre session a pris fin")).to_be_visible()
    finally:
        context.close()
