"""The session cookie's routes and the unknown-page answer (``dashboard/web_session.py``), on
both databases, through Starlette's test client: the code exchange (single use, a minute, no
open redirect), the cookie's attributes, sign-out, and the French 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient
from streamlit import config

from dashboard import web_session
from data.services.sign_in import (
    SignedInUser,
    issue_code,
    open_session,
    session_user,
    user_by_email,
)
from data.store.engine import session_scope
from data.store.models import UserAccount

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CLIENT = "testclient"  # the address Starlette's test client connects from
EMAIL = "direction@tec-demo.fr"


@pytest.fixture
def lead(engine: Engine) -> SignedInUser:
    with session_scope(engine, "test") as session:
        session.add(UserAccount(email=EMAIL, display_name="Cécile", role="lead"))
    user = user_by_email(engine, EMAIL)
    assert user is not None
    return user


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _app(engine: Engine, clock: Clock) -> Starlette:
    """The cookie routes and the middleware in front of stand-ins for Streamlit's own routes
    (a health check, the single sign-on callback) and its page shell (a catch-all mount)."""
    return Starlette(
        routes=[
            *web_session.routes(lambda: engine, now=clock),
            Route("/_stcore/health", lambda _r: PlainTextResponse("ok")),
            Route("/oauth2callback", lambda _r: PlainTextResponse("sso")),
            Mount("/", app=PlainTextResponse("coquille de la page")),
        ],
        middleware=[Middleware(web_session.UnknownPages)],
    )


@pytest.fixture
def client(engine: Engine, clock: Clock) -> Iterator[TestClient]:
    with TestClient(_app(engine, clock), follow_redirects=False) as client:
        yield client


def _set_cookie(response) -> SimpleCookie:  # type: ignore[no-untyped-def]
    cookie = SimpleCookie()
    cookie.load(response.headers["set-cookie"])
    return cookie


def _exchange(client: TestClient, code: str, next_address: str | None):  # type: ignore[no-untyped-def]
    params = {"code": code} | ({"next": next_address} if next_address is not None else {})
    return client.get("/auth/session", params=params)


def test_the_code_becomes_an_httponly_cookie_and_the_browser_goes_on(
    client: TestClient, engine: Engine, lead: SignedInUser
) -> None:
    code = issue_code(engine, lead, CLIENT, now=T0)
    response = _exchange(client, code, "/territory?territoire=forbach&mois=2026-10")
    assert response.status_code == 303
    assert response.headers["location"] == "/territory?territoire=forbach&mois=2026-10"
    morsel = _set_cookie(response)[web_session.COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "lax"
    assert morsel["path"] == "/"
    assert morsel["max-age"] == str(12 * 3600)  # the session's absolute limit
    assert morsel["secure"] == ""  # served over http here
    assert session_user(engine, morsel.value, now=T0) == lead


def test_the_cookie_is_secure_over_https(engine: Engine, clock: Clock, lead: SignedInUser) -> None:
    code = issue_code(engine, lead, CLIENT, now=T0)
    with TestClient(
        _app(engine, clock), base_url="https://testserver", follow_redirects=False
    ) as client:
        response = _exchange(client, code, "/")
    assert response.status_code == 303
    assert _set_cookie(response)[web_session.COOKIE]["secure"] is True


def test_a_code_serves_once(client: TestClient, engine: Engine, lead: SignedInUser) -> None:
    code = issue_code(engine, lead, CLIENT, now=T0)
    assert _exchange(client, code, "/").status_code == 303
    again = _exchange(client, code, "/review")
    assert again.status_code == 400
    assert "set-cookie" not in again.headers
    assert "Ce lien de connexion a déjà servi, a expiré" in again.text
    # The way back is the page asked for, which shows the sign-in form.
    assert 'href="/review"' in again.text


def test_a_code_expires_after_a_minute(
    client: TestClient, engine: Engine, lead: SignedInUser, clock: Clock
) -> None:
    code = issue_code(engine, lead, CLIENT, now=T0)
    clock.now = T0 + dt.timedelta(seconds=61)
    response = _exchange(client, code, "/")
    assert response.status_code == 400 and "set-cookie" not in response.headers


def test_a_code_issued_to_another_client_is_refused(
    client: TestClient, engine: Engine, lead: SignedInUser
) -> None:
    code = issue_code(engine, lead, "203.0.113.7", now=T0)
    assert _exchange(client, code, "/").status_code == 400


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/territory",
        "//evil.example/territory",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/territory\r\nSet-Cookie: x=1",
        "/_stcore/health",
        "/auth/sign-out",
        "/nimportequoi",
        "",
    ],
)
def test_next_is_a_page_of_this_app_or_the_root(
    client: TestClient, engine: Engine, lead: SignedInUser, hostile: str
) -> None:
    code = issue_code(engine, lead, CLIENT, now=T0)
    response = _exchange(client, code, hostile)
    # Signed in all the same, but sent to the root: never another site, never a route.
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_next_keeps_the_page_and_its_query_string() -> None:
    assert web_session.safe_next("/review?mois=2026-10") == "/review?mois=2026-10"
    assert web_session.safe_next("/?mois=2026-10") == "/?mois=2026-10"
    assert web_session.safe_next("/territory/") == "/territory"
    # The query string is re-encoded: what was typed cannot break out of it.
    assert web_session.safe_next("/territory?territoire=<b>") == "/territory?territoire=%3Cb%3E"
    assert web_session.safe_next(None) == "/"


def test_under_a_path_prefix_next_stays_under_it() -> None:
    config.set_option("server.baseUrlPath", "cooperascope")
    try:
        assert web_session.safe_next("/cooperascope/territory?x=1") == "/cooperascope/territory?x=1"
        assert web_session.safe_next("/territory") == "/cooperascope/"
        assert web_session.exchange_address("abc", "/cooperascope/") == (
            "/cooperascope/auth/session?code=abc&next=%2Fcooperascope%2F"
        )
    finally:
        config.set_option("server.baseUrlPath", "")


def test_a_new_sign_in_revokes_the_session_its_cookie_replaces(
    client: TestClient, engine: Engine, lead: SignedInUser
) -> None:
    old = open_session(engine, lead, CLIENT, now=T0)
    client.cookies.set(web_session.COOKIE, old)
    response = _exchange(client, issue_code(engine, lead, CLIENT, now=T0), "/")
    new = _set_cookie(response)[web_session.COOKIE].value
    assert new != old
    assert session_user(engine, old, now=T0) is None
    assert session_user(engine, new, now=T0) == lead


def test_sign_out_revokes_the_session_and_clears_the_cookie(
    client: TestClient, engine: Engine, lead: SignedInUser
) -> None:
    token = open_session(engine, lead, CLIENT, now=T0)
    client.cookies.set(web_session.COOKIE, token)
    response = client.get("/auth/sign-out")
    assert response.status_code == 303 and response.headers["location"] == "/"
    morsel = _set_cookie(response)[web_session.COOKIE]
    assert morsel.value == "" and morsel["max-age"] == "0" and morsel["httponly"] is True
    assert session_user(engine, token, now=T0) is None


def test_sign_out_ends_single_sign_on_too(
    client: TestClient, engine: Engine, lead: SignedInUser
) -> None:
    client.cookies.set(web_session.COOKIE, open_session(engine, lead, CLIENT, now=T0))
    client.cookies.set(web_session.OIDC_COOKIE, "signe-par-streamlit")
    response = client.get("/auth/sign-out")
    assert response.headers["location"] == "/auth/logout"


@pytest.mark.parametrize("address", ["/nimportequoi", "/territory/autre", "/<script>x"])
def test_an_address_that_is_no_page_gets_a_french_404(client: TestClient, address: str) -> None:
    response = client.get(address)
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "ne correspond à aucune page de Coopérascope" in response.text
    assert "<script>" not in response.text  # the address is shown escaped
    assert 'href="/"' in response.text


@pytest.mark.parametrize(
    ("address", "answer"),
    [
        ("/", "coquille de la page"),
        ("/territory", "coquille de la page"),
        ("/admin?x=1", "coquille de la page"),  # a page, whoever may open it
        ("/favicon.png", "coquille de la page"),  # a file: Streamlit's static files answer
        ("/_stcore/health", "ok"),
        ("/oauth2callback", "sso"),
    ],
)
def test_pages_files_and_streamlit_routes_pass_through(
    client: TestClient, address: str, answer: str
) -> None:
    response = client.get(address)
    assert response.status_code == 200 and response.text == answer
