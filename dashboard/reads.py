"""The pages' reads: one typed, cached function per query of ``data.store.queries``.

The engine and the indicator catalogue are cached resources (one per process). Each read is
cached with ``st.cache_data``, keyed by the user's scope and the arguments, so two users never
share a result their scopes would not both allow. :func:`clear` empties the cache after a
write of this session; :func:`follow_writes`, at the start of every run, after a write of any
other session, process or command (the audit log's latest id says when the database changed).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data.access import Scope
from data.config import get_config
from data.store import queries
from data.store.engine import make_engine
from indicators.catalogue import Catalogue
from indicators.network_report import NetworkData

READ_TTL_SECONDS = 600
_cached = st.cache_data(ttl=READ_TTL_SECONDS, show_spinner=False)


@st.cache_resource
def engine() -> Engine:
    return make_engine()


@st.cache_resource
def catalogue() -> Catalogue:
    """The indicator catalogue, read and validated once per process (a ``ConfigError`` with the
    French message if it is invalid)."""
    return get_config().load_catalogue()


def clear() -> None:
    """Forget every cached read (after a write)."""
    st.cache_data.clear()


@st.cache_resource
def _seen_version() -> dict[str, int]:
    """The write version the cached reads of this process were read at."""
    return {}


def follow_writes() -> None:
    """Forget the cached reads if the database was written since they were read — by another
    user, another Streamlit process serving the same database, or the command line — so that
    every page shows each write at the next interaction. One indexed query per run."""
    version = queries.write_version(engine())
    seen = _seen_version()
    if seen.get("version") != version:
        st.cache_data.clear()
        seen["version"] = version


@_cached
def indicators_updated_at(
    scope: Scope, territory_ids: list[str] | None = None
) -> dt.datetime | None:
    return queries.indicators_updated_at(engine(), scope, territory_ids)


@_cached
def territories(scope: Scope) -> pd.DataFrame:
    return queries.territories(engine(), scope)


@_cached
def territory_stages(scope: Scope, territory_ids: list[str] | None = None) -> pd.DataFrame:
    return queries.territory_stages(engine(), scope, territory_ids)


@_cached
def indicator_values(
    scope: Scope,
    territory_ids: list[str] | None = None,
    months: list[dt.date] | None = None,
    indicator_ids: list[str] | None = None,
) -> pd.DataFrame:
    return queries.indicator_values(
        engine(), scope, territory_ids=territory_ids, months=months, indicator_ids=indicator_ids
    )


@_cached
def journal_statuses(scope: Scope) -> pd.DataFrame:
    return queries.journal_statuses(engine(), scope)


@_cached
def journal_entry(scope: Scope, territory_id: str, month: dt.date) -> dict | None:
    return queries.journal_entry(engine(), scope, territory_id, month)


@_cached
def respondents_per_wave(scope: Scope, territory_id: str | None = None) -> pd.DataFrame:
    return queries.respondents_per_wave(engine(), scope, territory_id)


@_cached
def joint_actions(scope: Scope, territory_id: str) -> pd.DataFrame:
    return queries.joint_actions(engine(), scope, territory_id)


@_cached
def network_report(scope: Scope, territory_id: str) -> NetworkData:
    return queries.network_report(engine(), scope, territory_id)


@_cached
def import_reports(scope: Scope) -> pd.DataFrame:
    return queries.import_reports(engine(), scope)


@_cached
def import_report_detail(scope: Scope, report_id: int) -> dict | None:
    return queries.import_report_detail(engine(), scope, report_id)


@_cached
def accounts(scope: Scope) -> pd.DataFrame:
    return queries.accounts(engine(), scope)


@_cached
def comments(scope: Scope, territory_id: str | None, month: dt.date) -> pd.DataFrame:
    return queries.comments(engine(), scope, territory_id, month)


@_cached
def month_history(scope: Scope, territory_id: str, month: dt.date) -> pd.DataFrame:
    return queries.month_history(engine(), scope, territory_id, month)
