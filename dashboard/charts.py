"""Chart builders: pure functions from DataFrames to plotly figures (tested without Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.theme import PLOTLY_LAYOUT, SERIES_COLOURS, SERIES_SYMBOLS
from data import fr


def respondents_per_wave(
    waves: pd.DataFrame, names: dict[str, str], since_start: bool = False
) -> go.Figure:
    """Respondents per survey wave, one line per territory.

    ``waves``: territory_id, wave_number, reference_month, respondents, organisations and, when
    ``since_start``, months_since_start. ``names`` gives the territories' names, in the order of
    the legend. The x axis is the wave's reference month (the month of its last answer), or the
    months since the territory's start.
    """
    figure = go.Figure()
    x_column = "months_since_start" if since_start else "reference_month"
    present = [t for t in names if t in set(waves["territory_id"])]
    for index, territory_id in enumerate(present):
        rows = waves[waves["territory_id"] == territory_id].sort_values("wave_number")
        hover = [
            f"<b>{names.get(territory_id, territory_id)}</b><br>vague {w} — {fr.month(m)}<br>"
            f"{fr.number(r)} répondants, {fr.number(o)} organisations"
            for w, m, r, o in zip(
                rows["wave_number"],
                rows["reference_month"],
                rows["respondents"],
                rows["organisations"],
                strict=True,
            )
        ]
        figure.add_trace(
            go.Scatter(
                x=rows[x_column],
                y=rows["respondents"],
                name=names.get(territory_id, territory_id),
                mode="lines+markers",
                line={"color": SERIES_COLOURS[index % len(SERIES_COLOURS)], "width": 2},
                marker={"symbol": SERIES_SYMBOLS[index % len(SERIES_SYMBOLS)], "size": 9},
                hovertext=hover,
                hoverinfo="text",
            )
        )
    figure.update_layout(
        title="Répondants au baromètre des coopérations, par vague et par territoire",
        yaxis_title="répondants",
        xaxis_title="mois depuis le début du territoire" if since_start else "mois de la vague",
        **PLOTLY_LAYOUT,
    )
    figure.update_yaxes(rangemode="tozero")
    if not since_start and not waves.empty:
        french_month_axis(figure, waves["reference_month"])
    return figure


def french_month_axis(figure: go.Figure, months: pd.Series, every: int = 6) -> None:
    """Label a date x axis with French month names (« janv. 2025 »), one tick every few months."""
    start = pd.Timestamp(months.min()).to_period("M")
    end = pd.Timestamp(months.max()).to_period("M")
    first = start - (start.month - 1) % every  # align ticks on January / July
    ticks = pd.period_range(first, end, freq=f"{every}M").to_timestamp()
    figure.update_xaxes(tickvals=list(ticks), ticktext=[fr.month_short(t.date()) for t in ticks])
