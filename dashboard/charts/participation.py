"""Participation in the cooperation barometer: respondents per survey wave (Vue d'ensemble)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.common import series_style, year_axis
from dashboard.theme import PLOTLY_LAYOUT
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
    with_waves = set(waves["territory_id"])
    present = [t for t in names if t in with_waves]
    for territory_id in present:
        colour, symbol = series_style(present, territory_id)
        rows = waves[waves["territory_id"] == territory_id].sort_values("wave_number")
        hover = [
            f"<b>{names[territory_id]}</b><br>vague {w} — {fr.month(m)}<br>"
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
                name=names[territory_id],
                mode="lines+markers",
                line={"color": colour, "width": 2},
                marker={"symbol": symbol, "size": 9},
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
        year_axis(figure, waves["reference_month"])
    return figure
