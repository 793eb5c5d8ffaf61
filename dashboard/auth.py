"""Sign-in for the dashboard: local accounts, optional OpenID Connect, and the server-side
session (``data.services.sign_in``) that every interaction validates.

A sign-in opens its session at once in the Streamlit session (``st.session_state
["session_token"]``), and the page goes on to the page asked for, with its query string,
without loading itself again. Served by ``server.py``, the session's token also reaches the
browser's HttpOnly cookie (``dashboard.web_session``): the page posts a single-use code that
carries it to the route that sets the cookie, so a reload, a new tab, a restarted server or
another server process on the same database keep the session. Sign-out goes through the
route that clears the cookie. Without that server (AppTest, ``streamlit run
dashboard/app.py``), the token lives in the Streamlit session only, which a page load forgets.
"""

from __future__ import annotations

import json
from typing import NoReturn

import streamlit as st

from dashboard import reads, web_session
from dashboard.chrome import preload_charts
from data.access import Scope
from data.services.sign_in import (
    SignedInUser,
    SignInError,
    authenticate,
    issue_code,
    open_session,
    revoke_session,
    session_user,
    user_by_email,
)

COOKIE_CODE = "cookie_code"  # the code of the session just opened, for the page to post
ENDED = "Votre session a pris fin (inactivité, déconnexion ou compte modifié) : reconnectez-vous."


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return False


def _client() -> str | None:
    """The browser's network address, which sign-in throttling keys on."""
    return st.context.ip_address


def _cookie() -> str | None:
    """The session cookie the browser sent, when this process serves its routes."""
    if not web_session.cookies_served():
        return None
    return st.context.cookies.get(web_session.COOKIE)


def _token() -> str | None:
    """This session's token: the Streamlit session's, else the cookie's (unless it was
    already refused in this session: it stays in the browser until the next sign-in)."""
    token = st.session_state.get("session_token")
    if token is None:
        token = _cookie()
        if token is not None and token == st.session_state.get("refused_cookie"):
            return None
    return token


def current_user() -> SignedInUser | None:
    """The signed-in user, or None: the session is validated at every interaction, so that
    a sign-out elsewhere, a deactivation or a new password ends it at the next click."""
    leaving = st.session_state.get("leave_to")
    if leaving is not None:
        navigate(leaving)
    token = _token()
    if token is not None:
        user = session_user(reads.engine(), token)
        if user is None:
            sign_out(ended=True)
            return None
        st.session_state["user"] = user
        return user
    if _oidc_configured() and st.user.is_logged_in:
        account = user_by_email(reads.engine(), str(st.user.email))
        if account is None:
            st.session_state["signin_error"] = (
                f"Aucun compte Coopérascope n'est ouvert pour {st.user.email}. "
                "Demandez à l'équipe de pilotage de vous en créer un."
            )
            st.logout()
            return None
        _start(account)
        return account
    return None


def scope() -> Scope:
    """The signed-in user's scope (the navigation offers no page before sign-in)."""
    return st.session_state["user"].scope


def navigate(address: str) -> NoReturn:
    """Load ``address`` of this app in the browser (a page load: the sign-out route, which
    clears the cookie), and end this run."""
    target = json.dumps(address).replace("<", "\\u003c")
    st.html(f"<script>window.location.replace({target});</script>", unsafe_allow_javascript=True)
    st.caption("Un instant…")
    st.stop()


def _start(user: SignedInUser) -> None:
    """Open ``user``'s session in this Streamlit session; when the cookie routes are served,
    keep a code for :func:`hand_over_cookie`, which gives the browser the session's cookie."""
    token = open_session(reads.engine(), user, _client())
    st.session_state["session_token"] = token
    st.session_state["user"] = user
    if web_session.cookies_served():
        st.session_state[COOKIE_CODE] = issue_code(reads.engine(), token, _client())


def hand_over_cookie() -> None:
    """After a sign-in, once: the page posts the session's single-use code to the route that
    answers with the session cookie (HttpOnly: no script reads it), without loading itself
    again."""
    code = st.session_state.pop(COOKIE_CODE, None)
    if code is None:
        return
    address = json.dumps(web_session.exchange_address()).replace("<", "\\u003c")
    body = json.dumps(json.dumps({"code": code}))
    st.html(
        f"<script>fetch({address}, {{method: 'POST', credentials: 'same-origin', "
        f"cache: 'no-store', headers: {{'Content-Type': 'application/json'}}, "
        f"body: {body}}});</script>",
        unsafe_allow_javascript=True,
    )


def sign_out(ended: bool = False) -> None:
    """End the session (revoked in the database) and forget everything of it here; a
    sign-out by choice then clears the cookie through its route."""
    token = _token()
    cookie = _cookie()
    if token is not None and not ended:
        revoke_session(reads.engine(), token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if ended:
        st.session_state["signin_error"] = ENDED
        if cookie is not None:
            st.session_state["refused_cookie"] = cookie
    elif web_session.cookies_served():
        st.session_state["leave_to"] = web_session.sign_out_address()
        return  # the route ends single sign-on too
    if _oidc_configured() and st.user.is_logged_in:
        st.logout()


def sign_in_form() -> None:
    """The sign-in form, shown at the address of whichever page was asked for: once signed in,
    the same run goes on to that page, its query string kept."""
    st.title("Coopérascope")
    st.caption(
        "Évaluation des coopérations territoriales — Territoires d'Engagement et de Coopération"
    )
    message = st.session_state.pop("signin_error", None)
    if message:
        st.error(message)
    with st.form("signin"):
        email = st.text_input("Adresse e-mail", key="signin_email")
        password = st.text_input("Mot de passe", type="password", key="signin_password")
        submitted = st.form_submit_button("Se connecter", type="primary")
    if submitted:
        try:
            user = authenticate(reads.engine(), email, password, client=_client())
        except SignInError as error:
            st.error(str(error))
        else:
            _start(user)
            st.rerun()
    preload_charts()
    if _oidc_configured():
        st.divider()
        st.button("Se connecter avec le compte de mon organisation", on_click=st.login)
