"""Layouts that hold from a laptop (1,400 px) to a phone (390 px): charts that keep their
minimum width and scroll sideways below it, indicator cards two abreast on a phone, and the
territories' short names where space is tight; every interactive table's grid (:func:`data_grid`)
and the plain tables read at a glance (:func:`html_table`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts.network import MAP_MARGIN_PX, WIDE_NAMES_OPACITY, WIDE_PLOT
from dashboard.charts.plotly_fr import PLOTLY_CONFIG
from data import fr
from data.config import get_config

PHONE_MAX_PX = 640  # Streamlit stacks columns below this width
CARDS_KEY = "cards"  # prefix of the keyed containers holding indicator cards
NETWORK_MAP_KEY = "network_map"  # prefix of the cooperation map's key (Territoire)
WATCH_CARD_KEY = "card_watch"  # prefix of the cards of « points de vigilance »
TABLE_CLASS = "cs-table"  # the scrolling frame of a plain table (:func:`html_table`)
RULE = "rgba(31, 41, 51, 0.12)"  # the lines between a table's rows


def _theme(option: str) -> str:
    """A colour of the app's theme (``.streamlit/config.toml``)."""
    return str(st.get_option(f"theme.{option}"))


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
/* The cooperation map narrower than its wide plot area (a phone, a narrow window): only the
   names that fit there, not those written for a wide map. */
[class*="st-key-{NETWORK_MAP_KEY}"] {{
  container-type: inline-size;
}}
@container (max-width: {WIDE_PLOT[0] + 2 * MAP_MARGIN_PX - 1}px) {{
  .js-plotly-plot .scatterlayer .trace[style*="opacity: {WIDE_NAMES_OPACITY};"] {{
    display: none;
  }}
}}
[class*="st-key-{WATCH_CARD_KEY}"] {{
  border-left: 0.4rem solid #DB7D3E !important;
}}
.{TABLE_CLASS} {{
  color: {_theme("textColor")};
  overflow-x: auto;
  border: 1px solid {RULE};
  border-radius: 0.5rem;
}}
.{TABLE_CLASS}:focus-visible {{
  outline: 2px solid {_theme("primaryColor")};
  outline-offset: 2px;
}}
.{TABLE_CLASS} caption {{  /* the table's name, for screen readers only */
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}}
.{TABLE_CLASS} table {{
  width: 100%;
  margin: 0;
  border-collapse: separate;
  border-spacing: 0;
  font-size: 0.875rem;
}}
.{TABLE_CLASS} th, .{TABLE_CLASS} td {{
  padding: 0.4rem 0.5rem;
  border: none;
  border-bottom: 1px solid {RULE};
  text-align: left;
  white-space: nowrap;
}}
.{TABLE_CLASS} tbody tr:last-child > * {{
  border-bottom: none;
}}
.{TABLE_CLASS} thead th {{
  background: {_theme("secondaryBackgroundColor")};
  font-weight: 600;
}}
/* The first column (what each row is) stays in sight while the others scroll. */
.{TABLE_CLASS} tr > :first-child {{
  position: sticky;
  left: 0;
  z-index: 1;
  border-right: 1px solid {RULE};
}}
.{TABLE_CLASS} tbody th {{
  background: {_theme("backgroundColor")};
  font-weight: 600;
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


def table_html(
    frame: pd.DataFrame, *, label: str, styles: Mapping[str, Sequence[str]] | None = None
) -> str:
    """``frame`` as an HTML table: its columns as headers, each row headed by its first cell
    (pinned while the others scroll sideways, :data:`LAYOUT_CSS`), a missing value « – », every
    text escaped. Cells are written as they are (``str``): pass texts already formatted the
    French way (:mod:`data.fr`). ``label`` names the table and its scrolling region (which the
    keyboard can reach) for screen readers; ``styles``: column → one CSS declaration per row
    (a cell's tint)."""
    styles = styles or {}
    unknown = set(styles) - set(frame.columns)
    uneven = [column for column, values in styles.items() if len(values) != len(frame)]
    if unknown or uneven:
        raise ValueError(
            f"styles for columns the table does not have ({sorted(unknown)}) or not one per row "
            f"({sorted(uneven)}): {len(frame)} rows"
        )
    head = "".join(f'<th scope="col">{escape(str(column))}</th>' for column in frame.columns)
    rows = []
    for number, row in enumerate(frame.itertuples(index=False, name=None)):
        cells = []
        for position, (column, value) in enumerate(zip(frame.columns, row, strict=True)):
            text = str(value) if isinstance(value, str) or not pd.isna(value) else fr.MISSING
            style = styles[column][number] if column in styles else ""
            tag, scope = ("th", ' scope="row"') if position == 0 else ("td", "")
            attribute = f' style="{escape(style)}"' if style else ""
            cells.append(f"<{tag}{scope}{attribute}>{escape(text)}</{tag}>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="{TABLE_CLASS}" role="region" aria-label="{escape(label)}" tabindex="0">'
        f"<table><caption>{escape(label)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def html_table(
    frame: pd.DataFrame, *, label: str, styles: Mapping[str, Sequence[str]] | None = None
) -> None:
    """Draw :func:`table_html`: for a small table read at a glance, where the interactive grid
    (:func:`data_grid`: sorting, search, its own code for the browser to load) would cost
    the page's first view a third of a second."""
    st.html(table_html(frame, label=label, styles=styles))


def short_names(territories: pd.DataFrame) -> dict[str, str]:
    """territory_id → its short name in the configuration, its name otherwise."""
    configured = {t.id: t.short for t in get_config().territories}
    return {
        str(t): configured.get(str(t), str(name))
        for t, name in zip(territories["territory_id"], territories["name"], strict=True)
    }
