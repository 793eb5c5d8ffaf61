"""The browser's side of a session: the HttpOnly cookie that carries its token, the HTTP routes
that set and clear it, and a French answer to an address that is no page of the app.

A script run cannot set a cookie (Streamlit talks to the browser over a WebSocket), so
``server.py`` serves the app as an ``st.App`` with :func:`serve`'s routes and middleware:

- ``POST /auth/session`` (JSON ``{"code": …}``) — a sign-in opens its session in the Streamlit
  session at once, and the page, without loading itself again, posts the single-use code that
  carries that session's token (``data.services.sign_in.issue_code``: a minute, this client
  only) to this route, which answers with the token as the cookie (HttpOnly, SameSite=Lax,
  Secure over https, Path=/, 12 hours at most). The page stays where it was asked for, with its
  query string: there is no address to redirect to.
- ``GET /auth/sign-out`` — revokes the cookie's session, clears the cookie, back to the
  sign-in form (through Streamlit's ``/auth/logout`` when single sign-on is signed in too).
- Any other address that the app would answer with its page shell (``/nimportequoi``) gets a
  French « page introuvable » and a 404, instead of Streamlit's English « Page not found ».

Each run reads the cookie (``st.context.cookies``) and validates its token against
``user_session``, so every Streamlit process serving the database accepts it. Without these
routes (AppTest, or ``streamlit run dashboard/app.py``), the token stays in the Streamlit
session as before (:func:`cookies_served` is false).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send
from streamlit import config

from dashboard.navigation import PAGES
from data.services.sign_in import SESSION_MAX_AGE, redeem_code, revoke_session
from data.store.engine import make_engine

COOKIE = "cooperascope_session"
EXCHANGE_ROUTE = "auth/session"
SIGN_OUT_ROUTE = "auth/sign-out"
OIDC_COOKIE = "_streamlit_user"  # Streamlit's single sign-on cookie (its /auth/logout ends it)
OIDC_LOGOUT_ROUTE = "auth/logout"
LOOPBACK = frozenset({"127.0.0.1", "::1"})
PAGE_PATHS = frozenset(spec.url_path for spec in PAGES)

_served = {"cookies": False}


def cookies_served() -> bool:
    """Whether this process serves :func:`serve`'s routes (the sign-in then goes through the
    cookie; otherwise the token stays in the Streamlit session)."""
    return _served["cookies"]


def base_path() -> str:
    """The app's path prefix (``server.baseUrlPath``): ``""`` or ``"/prefix"``."""
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def app_path(relative: str = "") -> str:
    """The absolute path of ``relative`` (a page's url path, a route) in this app."""
    return f"{base_path()}/{relative.lstrip('/')}"


def exchange_address() -> str:
    """The route the page posts a sign-in's code to, for its cookie."""
    return app_path(EXCHANGE_ROUTE)


def sign_out_address() -> str:
    return app_path(SIGN_OUT_ROUTE)


def client_address(host: str | None) -> str | None:
    """A connection's address as ``st.context.ip_address`` gives it (None on loopback), so
    that a code issued in a script run is redeemed by the same client."""
    return None if host is None or host in LOOPBACK else host


def _page(title: str, message: str, link: str, link_text: str, status: int) -> HTMLResponse:
    body = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{html.escape(title)} — Coopérascope</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:"Source Sans Pro",sans-serif;max-width:40rem;margin:4rem auto;
padding:0 1rem;color:#31333f}}a{{color:#1f4e79}}</style></head>
<body><h1>{html.escape(title)}</h1><p>{message}</p>
<p><a href="{html.escape(link)}">{html.escape(link_text)}</a></p></body></html>"""
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _set_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(SESSION_MAX_AGE.total_seconds()),
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def _clear_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(COOKIE, path="/", secure=secure, httponly=True, samesite="lax")


def routes(
    engine: Callable[[], Engine], now: Callable[[], dt.datetime] | None = None
) -> list[BaseRoute]:
    """The two cookie routes, on the database ``engine()`` returns (``now``: the clock, for
    tests)."""
    clock = now or (lambda: dt.datetime.now(dt.UTC))

    def redeem(code: str, client: str | None, previous: str | None) -> str | None:
        token = redeem_code(engine(), code, client, now=clock())
        if token is not None and previous and previous != token:
            revoke_session(engine(), previous, now=clock())  # replaced by the new one
        return token

    async def exchange(request: Request) -> Response:
        code = await _posted_code(request)
        client = client_address(request.client.host if request.client else None)
        previous = request.cookies.get(COOKIE)
        token = await run_in_threadpool(redeem, code, client, previous) if code else None
        if token is None:
            return PlainTextResponse(
                "Ce code de connexion a déjà servi, a expiré (il vaut une minute) ou ne vient "
                "pas de ce poste : reconnectez-vous.",
                status_code=400,
                headers={"Cache-Control": "no-store"},
            )
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        _set_cookie(response, token, secure=request.url.scheme == "https")
        return response

    def sign_out(request: Request) -> Response:
        token = request.cookies.get(COOKIE)
        if token:
            revoke_session(engine(), token, now=clock())
        then = OIDC_LOGOUT_ROUTE if OIDC_COOKIE in request.cookies else ""
        response = RedirectResponse(app_path(then), status_code=303)
        response.headers["Cache-Control"] = "no-store"
        _clear_cookie(response, secure=request.url.scheme == "https")
        return response

    return [
        Route(app_path(EXCHANGE_ROUTE), exchange, methods=["POST"]),
        Route(app_path(SIGN_OUT_ROUTE), sign_out, methods=["GET"]),
    ]


async def _posted_code(request: Request) -> str | None:
    """The code a sign-in's page posts (``{"code": "…"}`` as JSON), or None: JSON only, which
    another site's page cannot post without this server's consent (CORS)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return None
    try:
        body = await request.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) and code else None


class UnknownPages:
    """Answer in French, with a 404, an address that only the page shell would answer (the
    app's pages, its root and Streamlit's own routes and files pass through)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and _unknown(scope):
            response = _page(
                "Page introuvable",
                f"L'adresse <code>{html.escape(scope['path'])}</code> ne correspond à aucune "
                "page de Coopérascope. Vérifiez-la, ou repartez de l'accueil.",
                app_path(),
                "Aller à l'accueil de Coopérascope",
                404,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _unknown(scope: Scope) -> bool:
    path: str = scope["path"]
    base = base_path()
    if base and not (path == base or path.startswith(base + "/")):
        return False  # Streamlit's own answer (a redirect to the prefix)
    relative = path[len(base) :].strip("/")
    if relative in PAGE_PATHS or relative == "" or "." in relative.rsplit("/", 1)[-1]:
        return False  # a page, the root, or a file (favicon, manifest, scripts: Streamlit's)
    starlette_app = scope.get("app")
    for route in getattr(getattr(starlette_app, "router", None), "routes", ()):
        if isinstance(route, Mount) and route.path in ("", base):
            continue  # the page shell's catch-all
        if route.matches(scope)[0] is Match.FULL:
            return False  # a route of Streamlit's or ours (for this method)
    return True


def serve() -> dict[str, Any]:
    """``st.App``'s keyword arguments for this app: the cookie routes on this process's
    database (an engine of their own, made at the first request: the script's is a Streamlit
    resource) and the unknown-page answer; from then on, sign-ins in this process go through
    the cookie."""
    _served["cookies"] = True
    engine = functools.cache(make_engine)
    return {"routes": routes(engine), "middleware": [Middleware(UnknownPages)]}
