"""Sign-in for the dashboard: local accounts, optional OpenID Connect, and the server-side
session (``data.services.sign_in``) that every interaction validates."""

from __future__ import annotations

import streamlit as st

from dashboard import reads
from data.access import Scope
from data.services.sign_in import (
    SignedInUser,
    SignInError,
    authenticate,
    open_session,
    revoke_session,
    session_user,
    user_by_email,
)

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


def current_user() -> SignedInUser | None:
    """The signed-in user, or None: the session is validated at every interaction, so that
    a sign-out elsewhere, a deactivation or a new password ends it at the next click."""
    token = st.session_state.get("session_token")
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


def _start(user: SignedInUser) -> None:
    st.session_state["session_token"] = open_session(reads.engine(), user, _client())
    st.session_state["user"] = user


def sign_out(ended: bool = False) -> None:
    """End the session (revoked in the database) and forget everything of it here."""
    token = st.session_state.get("session_token")
    if token is not None and not ended:
        revoke_session(reads.engine(), token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if ended:
        st.session_state["signin_error"] = ENDED
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
            user = authenticate(reads.engine(), email, password, client=_client())
        except SignInError as error:
            st.error(str(error))
        else:
            _start(user)
            st.rerun()
    if _oidc_configured():
        st.divider()
        st.button("Se connecter avec le compte de mon organisation", on_click=st.login)
