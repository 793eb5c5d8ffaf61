"""Layouts that hold from a laptop (1,400 px) to a phone (390 px): charts that keep their
minimum width and scroll sideways below it, indicator cards two abreast on a phone, and the
territories' short names where space is tight; and every table's grid (:func:`data_grid`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts.plotly_fr import PLOTLY_CONFIG
from data import fr
from data.config import get_config

PHONE_MAX_PX = 640  # Streamlit stacks columns below this width
CARDS_KEY = "cards"  # prefix of the keyed containers holding indicator cards
WATCH_CARD_KEY = "card_watch"  # prefix of the cards of « points de vigilance »
LAYOUT_CSS = f"""
@media (max-width: {PHONE_MAX_PX}px) {{
  [class*="st-key-{CARDS_KEY}"] [data-testid="stHorizontalBlock"] {{
    flex-wrap: wrap;
    gap: 0.5rem;
  }}
  [class*="st-key-{CARDS_KEY}"] [data-testid="stColumn"] {{
    flex: 1 1 calc(50% - 0.25rem) !important;
    min-width: calc(50% - 0.25rem) !important;
    max-width: calc(50% - 0.25rem) !important;
  }}
}}
/* On a touch screen a table's or a chart's toolbar stays shown, 44 px above it: room for it,
   so that it does not cover the heading above. */
@media (hover: none) {{
  .stElementContainer:has(
    > [data-testid="stFullScreenFrame"] > * > [data-testid="stElementToolbar"]
  ) {{
    margin-top: 2.5rem;
  }}
}}
[class*="st-key-{WATCH_CARD_KEY}"] {{
  border-left: 0.4rem solid #DB7D3E !important;
}}
"""


def wide_chart(figure: go.Figure, key: str) -> None:
    """Draw ``figure`` as wide as the page, but never narrower than its
    ``layout.meta["min_width"]`` (pixels): below that, the chart scrolls sideways in its own
    container instead of squashing its columns."""
    min_width = int((figure.layout.meta or {}).get("min_width", 0))
    st.html(
        f"<style>.st-key-{key} {{ overflow-x: auto; }}"
        f".st-key-{key} > div {{ min-width: {min_width}px; }}</style>"
    )
    with st.container(key=key):
        st.plotly_chart(figure, width="stretch", config=PLOTLY_CONFIG)


def data_grid(data: Any, **options: Any) -> Any:
    """``st.dataframe(data, **options)`` with a missing value written « – » (Streamlit writes
    « None »): every table of the pages is drawn through it."""
    return st.dataframe(data, placeholder=fr.MISSING, **options)


def short_names(territories: pd.DataFrame) -> dict[str, str]:
    """territory_id → its short name in the configuration, its name otherwise."""
    configured = {t.id: t.short for t in get_config().territories}
    return {
        str(t): configured.get(str(t), str(name))
        for t, name in zip(territories["territory_id"], territories["name"], strict=True)
    }
