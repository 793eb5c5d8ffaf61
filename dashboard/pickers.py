"""The programmes, month and territory a page shows, chosen in the sidebar and remembered in
the session and the address (``?programmes=tec&mois=2026-11&territoire=roya``), so that a
reload keeps them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import reads
from data import fr
from data.access import Permission, Scope
from data.config import get_config
from data.domain.approval import approved_months
from data.domain.months import current_month, month_range


def programme_months(territories: pd.DataFrame) -> list[dt.date]:
    """From the earliest territory start to the current month, newest first."""
    if territories.empty:
        return [current_month()]
    start = min(territories["start_date"])
    return list(reversed(month_range(start, current_month())))


def offered_months(scope: Scope, territories: pd.DataFrame) -> list[dt.date]:
    """The months a scope may choose, newest first: the programme's months, or for a scope
    that reads approved months only, the months with an approved territory (the current month
    alone before any approval)."""
    months = programme_months(territories)
    if scope.can(Permission.READ_UNAPPROVED):
        return months
    return approved_months(reads.journal_statuses(scope)) or months[:1]


def month_picker(
    scope: Scope, territories: pd.DataFrame, default: dt.date | None = None
) -> dt.date:
    """The month the page shows: the one the user chose, else ``default`` (when offered),
    else the newest the scope may choose."""
    months = offered_months(scope, territories)
    remembered = st.session_state.get("month") or st.query_params.get("mois")
    if isinstance(remembered, str):
        try:
            remembered = dt.date.fromisoformat(remembered + "-01")
        except ValueError:
            remembered = None
    if remembered not in months:
        remembered = default
    index = months.index(remembered) if remembered in months else 0
    month = st.sidebar.selectbox(
        "Mois", months, index=index, format_func=fr.month, key="month_picker"
    )
    st.session_state["month"] = month
    st.query_params["mois"] = f"{month:%Y-%m}"
    return month


def programme_picker(territories: pd.DataFrame) -> pd.DataFrame:
    """The territories of the programmes the page compares: when the user reaches several
    programmes, those chosen in the sidebar (all at first), else all of ``territories``."""
    config = get_config()
    offered = [p.id for p in config.programmes if p.id in set(territories["programme_id"])]
    if len(offered) < 2:
        return territories
    remembered = st.session_state.get("programmes")
    if remembered is None:
        remembered = st.query_params.get("programmes", "").split(",")
    default = [p for p in remembered if p in offered] or offered
    chosen = st.sidebar.multiselect(
        "Programmes",
        offered,
        default=default,
        format_func=lambda p: config.programme(p).short_name,
        key="programme_picker",
        placeholder="Choisissez un ou plusieurs programmes",
    )
    chosen = chosen or default
    st.session_state["programmes"] = chosen
    st.query_params["programmes"] = ",".join(chosen)
    return territories[territories["programme_id"].isin(chosen)].reset_index(drop=True)


def programme_names(territories: pd.DataFrame) -> str:
    """The full names of the programmes of ``territories``, in their order, joined by « et »."""
    config = get_config()
    ids = dict.fromkeys(territories["programme_id"])
    return " et ".join(config.programme(p).programme.name for p in ids)


def territory_names(territories: pd.DataFrame) -> dict[str, str]:
    """Each territory's name, followed by its programme's short name when the territories
    belong to several programmes."""
    names = dict(zip(territories["territory_id"], territories["name"], strict=True))
    if territories["programme_id"].nunique() < 2:
        return names
    config = get_config()
    return {
        t: f"{names[t]} ({config.programme(p).short_name})"
        for t, p in zip(territories["territory_id"], territories["programme_id"], strict=True)
    }


def territory_picker(scope: Scope, territories: pd.DataFrame, label: str = "Territoire") -> str:
    """The territory the page shows: a bound scope's own, or the user's last choice."""
    if scope.territory_id is not None:
        return scope.territory_id
    ids = list(territories["territory_id"])
    names = territory_names(territories)
    remembered = st.session_state.get("territory") or st.query_params.get("territoire")
    index = ids.index(remembered) if remembered in ids else 0
    territory = st.sidebar.selectbox(
        label, ids, index=index, format_func=names.__getitem__, key="territory_picker"
    )
    st.session_state["territory"] = territory
    st.query_params["territoire"] = territory
    return territory
