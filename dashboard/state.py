"""Cached resources and reads shared by the pages, and the remembered month and territory.

The engine is a cached resource; every read goes through :func:`read`, cached with
``st.cache_data`` and keyed by the query, the user's scope and the arguments; :func:`clear_reads`
empties the cache after any write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data import fr
from data.access import Scope
from data.config import get_config
from data.domain.months import current_month, month_range
from data.store import queries
from data.store.engine import make_engine
from indicators.catalogue import Catalogue

READ_TTL_SECONDS = 600


@st.cache_resource
def engine() -> Engine:
    return make_engine()


@st.cache_resource
def catalogue() -> Catalogue:
    """The indicator catalogue, read and validated once per process (a ``ConfigError`` with the
    French message if it is invalid)."""
    return get_config().load_catalogue()


def scope() -> Scope:
    """The signed-in user's scope (the navigation shows no page before sign-in)."""
    return st.session_state["user"].scope


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@st.cache_data(ttl=READ_TTL_SECONDS, show_spinner=False)
def _read(name: str, scope: Scope, arguments: tuple[tuple[str, Any], ...]) -> Any:
    function = getattr(queries, name)
    return function(
        engine(), scope, **{k: list(v) if isinstance(v, tuple) else v for k, v in arguments}
    )


def read(name: str, scope: Scope, **arguments: Any) -> Any:
    """``data.store.queries.<name>(engine, scope, **arguments)``, cached per scope and arguments."""
    return _read(name, scope, tuple(sorted((k, _hashable(v)) for k, v in arguments.items())))


def clear_reads() -> None:
    """Forget every cached read (after a write)."""
    st.cache_data.clear()


def programme_months(territories: pd.DataFrame) -> list[dt.date]:
    """From the earliest territory start to the current month, newest first."""
    if territories.empty:
        return [current_month()]
    start = min(territories["start_date"])
    return list(reversed(month_range(start, current_month())))


def _default_month(months: list[dt.date]) -> dt.date:
    """The current month; for a funder, the latest month with approved data."""
    user_scope = scope()
    if user_scope.role == "funder":
        approved = read("journal_statuses", user_scope)
        if not approved.empty:
            return max(approved["month"])
    return months[0]


def month_picker(territories: pd.DataFrame) -> dt.date:
    """The month the pages show: the current month (a funder: the latest approved one) unless
    the user chose another, remembered in the session and the address so a reload keeps it."""
    months = programme_months(territories)
    remembered = st.session_state.get("month") or st.query_params.get("mois")
    if isinstance(remembered, str):
        try:
            remembered = dt.date.fromisoformat(remembered + "-01")
        except ValueError:
            remembered = None
    if remembered not in months:
        remembered = _default_month(months)
    index = months.index(remembered) if remembered in months else 0
    month = st.sidebar.selectbox(
        "Mois", months, index=index, format_func=fr.month, key="month_picker"
    )
    st.session_state["month"] = month
    st.query_params["mois"] = f"{month:%Y-%m}"
    return month


def territory_picker(territories: pd.DataFrame, label: str = "Territoire") -> str:
    """The territory the page shows: a binôme's own, or the user's last choice."""
    user_scope = scope()
    if user_scope.role == "binome":
        return str(user_scope.territory_id)
    ids = list(territories["territory_id"])
    names = dict(zip(territories["territory_id"], territories["name"], strict=True))
    remembered = st.session_state.get("territory") or st.query_params.get("territoire")
    index = ids.index(remembered) if remembered in ids else 0
    territory = st.sidebar.selectbox(
        label, ids, index=index, format_func=names.__getitem__, key="territory_picker"
    )
    st.session_state["territory"] = territory
    st.query_params["territoire"] = territory
    return territory
