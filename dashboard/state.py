"""Cached resources and reads shared by the pages.

The engine is a cached resource; reads are cached with ``st.cache_data`` keyed by the user's
scope, and :func:`clear_reads` empties them after any write.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data import queries
from data.access import Scope
from data.db import make_engine

READ_TTL_SECONDS = 600


@st.cache_resource
def engine() -> Engine:
    return make_engine()


def scope() -> Scope:
    """The signed-in user's scope (the navigation shows no page before sign-in)."""
    return st.session_state["user"].scope


@st.cache_data(ttl=READ_TTL_SECONDS, show_spinner=False)
def territories(scope: Scope) -> pd.DataFrame:
    return queries.territories(engine(), scope)


@st.cache_data(ttl=READ_TTL_SECONDS, show_spinner=False)
def declared_stages(scope: Scope, month: dt.date) -> pd.DataFrame:
    return queries.declared_stages(engine(), scope, month)


@st.cache_data(ttl=READ_TTL_SECONDS, show_spinner=False)
def respondents_per_wave(scope: Scope) -> pd.DataFrame:
    return queries.respondents_per_wave(engine(), scope)


def clear_reads() -> None:
    st.cache_data.clear()
