"""The sparkline of an indicator card (Territoire): one indicator of one territory over the
months, its scale given by its lowest and highest values and the years."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.common import (
    apply_layout,
    empty_figure,
    month_starts,
    n_text,
    plotted,
    upcoming_part,
    year_axis,
)
from dashboard.status import MUTED_TEXT_COLOUR, TEXT_COLOUR, UPCOMING_LINE_COLOUR, status_style
from data import fr
from indicators.bands import UPCOMING
from indicators.catalogue import IndicatorDef

SCALE_GRID_COLOUR = "#E4E7EB"  # the faint lines at the lowest and highest value


def indicator_trend(values: pd.DataFrame, definition: IndicatorDef, height: int = 140) -> go.Figure:
    """A sparkline of one indicator of one territory, for its card (the card names it).

    ``values``: month, value, n, low_n, status. No legend; the short title says the period
    (« Depuis janv. 2024 »). The scale is kept small: the y axis marks only the
    lowest and the highest value, in French (« 20 % », « 40 % »), with a faint line at each;
    the x axis only the years. The line is dark where the indicator is judged,
    dotted and grey where it is « à venir »; a value resting on a small effectif is a hollow
    marker (other months have no marker); the last value is a larger dot. Hover: the month,
    the French value, n and the status.
    """
    rows = values.dropna(subset=["month"]) if not values.empty else values
    if rows.empty or rows["value"].isna().all():
        figure = empty_figure("Évolution", height=height)
        figure.update_layout(title_font_size=12, margin={"l": 4, "r": 4, "t": 26, "b": 4})
        return figure
    rows = rows.assign(month=month_starts(rows["month"])).sort_values("month")
    months = list(rows["month"])
    title = f"Depuis {fr.month_short(months[0])}"  # short: a card is narrow on a phone
    y = [plotted(v, definition.unit) for v in rows["value"]]
    low = [bool(v) and not fr.is_missing(v) for v in rows["low_n"]]
    upcoming = [s == UPCOMING for s in rows["status"]]
    hover = [
        f"{fr.month(m)} : {fr.indicator_value(v, definition.unit)}<br>{n_text(n, lo)}<br>"
        f"{status_style(None if fr.is_missing(s) else s).badge}"
        for m, v, n, lo, s in zip(
            months, rows["value"], rows["n"], low, rows["status"], strict=True
        )
    ]
    figure = go.Figure()
    if any(upcoming):
        figure.add_trace(
            go.Scatter(
                x=months,
                y=upcoming_part(y, upcoming),
                mode="lines",
                name="à venir",
                line={"color": UPCOMING_LINE_COLOUR, "width": 1.5, "dash": "dot"},
                hoverinfo="skip",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=months,
            y=[None if u else v for v, u in zip(y, upcoming, strict=True)],
            mode="lines",
            name=definition.label,
            line={"color": TEXT_COLOUR, "width": 1.8},
            hoverinfo="skip",
        )
    )
    last = max(i for i, v in enumerate(y) if v is not None)
    figure.add_trace(
        go.Scatter(
            x=months,
            y=y,
            mode="markers",
            name="valeurs",
            marker={
                "symbol": ["circle-open" if lo else "circle" for lo in low],
                "size": [9 if i == last else 7 if lo else 0 for i, lo in enumerate(low)],
                "color": [UPCOMING_LINE_COLOUR if u else TEXT_COLOUR for u in upcoming],
                "line": {"width": 1.5},
            },
            hovertext=hover,
            hoverinfo="text",
        )
    )
    apply_layout(
        figure,
        title,
        height=height,
        margin={"l": 4, "r": 8, "t": 26, "b": 4},
        showlegend=False,
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        hovermode="closest",
    )
    figure.update_layout(title_font_size=12, title_x=0, title_xanchor="left", title_pad_l=4)
    year_axis(figure, pd.Series(months))
    figure.update_xaxes(showgrid=False, zeroline=False, tickfont={"size": 9}, automargin=True)
    known = [(p, v) for p, v in zip(y, rows["value"], strict=True) if p is not None]
    low, high = min(known), max(known)
    scale = [low] if low[0] == high[0] else [low, high]
    figure.update_yaxes(
        tickvals=[p for p, _ in scale],
        ticktext=[fr.indicator_value(v, definition.unit) for _, v in scale],
        tickfont={"size": 9, "color": MUTED_TEXT_COLOUR},
        showgrid=True,
        gridcolor=SCALE_GRID_COLOUR,
        zeroline=False,
        automargin=True,
        **_sparkline_range(y, definition.unit),
    )
    return figure


def _sparkline_range(y: Sequence[float | None], unit: str) -> dict[str, Any]:
    """y-axis range of a sparkline: its values with a margin (a flat line gets one too)."""
    known = [v for v in y if v is not None]
    low, high = min(known), max(known)
    pad = (high - low) * 0.15 or max(abs(high) * 0.1, 0.5 if unit.startswith("score") else 0.05)
    return {"range": [low - pad, high + pad]}
