"""The session cookie's routes and the unknown-page answer (``dashboard/web_session.py``), on
both databases, through Starlette's test client: the code exchange (single use, a minute, this
client, JSON only), the cookie's attributes, sign-out, and the French 404."""

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


def _exchange(client: TestClient, code: str):  # type: ignore[no-untyped-def]
    """What the page does after a sign-in: post the code, as JSON."""
    return client.post("/auth/session", json={"code": code})


def _session_code(engine: Engine, user: SignedInUser, client: str = CLIENT) -> tuple[str, str]:
    """A session opened for ``user`` (as the sign-in form does) and the code that carries it."""
    token = open_session(engine, user, client, now=T0)
    return token, issue_code(engine, token, client, now=T0)


def test_the_code_becomes_the_sessions_httponly_cookie(
    client: TestClient, engine: Engine, lead: SignedInUser
) -> None:
    token, code = _session_code(engine, lead)
    response = _exchange(client, code)
    assert response.status_code == 204  # no page: the page that posted it stays
    assert "location" not in response.headers
    assert response.headers["cache-control"] == "no-store"
    morsel = _set_cookie(response)[web_session.COOKIE]
    assert morsel.value == token  # the very session the Streamlit session uses
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "lax"
    assert morsel["path"] == "/"
    assert morsel["max-age"] == str(12 * 3600)  # the session's absolute limit
    assert morsel["secure"] == ""  # served over http here
    assert session_user(engine, morsel.value, now=T0) == lead


def test_the_cookie_is_secure_over_https(engine: Engine, clock: Clock, lead: SignedInUser) -> None:
    _, code = _session_code(engine, lead)
    with TestClient(
        _app(engine, clock), base_url="https://testserver", follow_redirects=False
    ) as client:
        response = _exchange(client, code)
    assert response.status_code == 204
    assert _set_cookie(response)[web_session.COOKIE]["secure"] is True


def test_a_code_serves_once(client: TestClient, engine: Engine, lead: SignedInUser) -> None:
    _, code = _session_code(engine, lead)
    assert _exchange(client, code).status_code == 204
    again = _exchange(client, code)
    assert again.status_code == 400
    assert "set-cookie" not in again.headers
    assert "Ce code de connexion a déjà servi, a expiré" in again.text


def test_a_code_expires_after_a_minute(
    client: TestClient, engine: Engine, lead: SignedInUser, clock: Clock
) -> None:
    _, code = _session_code(engine, lead)
    clock.now = T0 + dt.timedelta(seconds=61)
    response = _exchange(client, code)
    assert response.status_code == 400 and "set-cookie" not in response.headers


def test_a_code_issued_to_another_client_is_refused(
    client: TestClient, engine: Engine, lead: SignedInUser
) -> None:
    _, code = _session_code(engine, lead, "203.0.113.7")
    assert _exchange(client, code).status_code == 400


def test_only_a_json_post_is_taken(client: TestClient, engine: Engine, lead: SignedInUser) -> None:
    _, code = _session_code(engine, lead)
    # What another site's page could send without this server's consent: a form, plain text,
    # a link or an image (GET, which finds no page here). None sets the cookie, none spends
    # the code.
    form = client.post("/auth/session", data={"code": code})
    text = client.post(
        "/auth/session", content=f'{{"code": "{code}"}}', headers={"Content-Type": "text/plain"}
    )
    link = client.get("/auth/session", params={"code": code})
    assert (form.status_code, text.status_code, link.status_code) == (400, 400, 404)
    assert not any("set-cookie" in r.headers for r in (form, text, link))
    assert client.post("/auth/session", json=["pas", "un", "objet"]).status_code == 400
    assert _exchange(client, code).status_code == 204


def test_under_a_path_prefix_the_route_stays_under_it() -> None:
    config.set_option("server.baseUrlPath", "cooperascope")
    try:
        assert web_session.exchange_address() == "/cooperascope/auth/session"
        assert web_session.sign_out_address() == "/cooperascope/auth/sign-out"
    finally:
        config.set_option("server.baseUrlPath", "")


def test_a_new_sign_in_revokes_the_session_its_cookie_replaces(
    client: TestClient, engine: Engine, lead: SignedInUser
) -> None:
    old = open_session(engine, lead, CLIENT, now=T0)
    client.cookies.set(web_session.COOKIE, old)
    new, code = _session_code(engine, lead)
    response = _exchange(client, code)
    assert _set_cookie(response)[web_session.COOKIE].value == new != old
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
