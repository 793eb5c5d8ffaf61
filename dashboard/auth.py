"""Sign-in for the dashboard: local accounts, optional OpenID Connect, session expiry."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import reads
from data.access import Scope
from data.services.accounts import SignedInUser, SignInError, authenticate, user_by_email

IDLE_LIMIT = dt.timedelta(hours=2)


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return False


def current_user() -> SignedInUser | None:
    """The signed-in user, or None; an idle session expires."""
    user: SignedInUser | None = st.session_state.get("user")
    now = dt.datetime.now(dt.UTC)
    if user is not None:
        last_seen: dt.datetime = st.session_state.get("last_seen", now)
        if now - last_seen > IDLE_LIMIT:
            sign_out(expired=True)
            return None
        st.session_state["last_seen"] = now
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


def _start(user: SignedInUser) -> None:
    st.session_state["user"] = user
    st.session_state["last_seen"] = dt.datetime.now(dt.UTC)


def sign_out(expired: bool = False) -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if expired:
        st.session_state["signin_error"] = "Votre session a expiré : reconnectez-vous."
    if _oidc_configured() and st.user.is_logged_in:
        st.logout()


def login_page() -> None:
    """The sign-in form (the only page shown before sign-in)."""
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
            user = authenticate(reads.engine(), email, password)
        except SignInError as error:
            st.error(str(error))
        else:
            _start(user)
            st.rerun()
    if _oidc_configured():
        st.divider()
        st.button("Se connecter avec le compte de mon organisation", on_click=st.login)
