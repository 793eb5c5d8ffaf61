"""The seven-factor radar (Territoire): the factor profile of a territory, one shape per year,
against Wilder's thresholds."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.common import apply_layout, empty_figure, n_text, open_symbol, wrap
from dashboard.status import MUTED_TEXT_COLOUR, STYLES_BY_CODE
from data import fr
from indicators.catalogue import SURVEY_MIN_N

WILDER_RINGS = (
    (4.0, "anneau 4 : au-delà, « force »", STYLES_BY_CODE[5].colour, "dash"),
    (3.0, "anneau 3 : en deçà, « point de vigilance »", STYLES_BY_CODE[3].colour, "dot"),
)
YEAR_COLOURS = ("#B4B9C2", "#7D8594", "#475063", "#1F2430")
YEAR_DASHES = ("dot", "dashdot", "dash", "solid")
YEAR_SYMBOLS = ("triangle-up", "square", "diamond", "circle")


def factor_radar(factor_scores: pd.DataFrame, factor_labels: dict[str, str]) -> go.Figure:
    """The factor profile (scores 1–5), one closed shape per year, with Wilder's rings.

    ``factor_scores``: year, factor_id, value, n. ``factor_labels``: factor_id → French label,
    in the order of the axes (factors absent from it are ignored). Traces: first the two rings
    (4: « force » beyond; 3: « point de vigilance » below), then one trace per year, oldest
    first, whose ``r`` is the factor values in axis order with the first repeated to close the
    shape. The latest year is drawn solid and dark, earlier ones lighter and dashed; a score
    resting on fewer than five respondents has a hollow marker.
    """
    # Two lines, and factor labels wrapped short: a phone keeps them inside its width.
    title = "Profil des facteurs de coopération,<br>par année (scores de 1 à 5)"
    scores = (
        factor_scores[factor_scores["factor_id"].isin(list(factor_labels))]
        if not factor_scores.empty
        else factor_scores
    )
    if scores.empty or not factor_labels:
        return empty_figure(title)
    factors = list(factor_labels)
    theta = [wrap(factor_labels[f], 12) for f in factors]
    closed_theta = [*theta, theta[0]]
    figure = go.Figure()
    for radius, label, colour, dash in WILDER_RINGS:
        figure.add_trace(
            go.Scatterpolar(
                r=[radius] * len(closed_theta),
                theta=closed_theta,
                mode="lines",
                name=label,
                line={"color": colour, "width": 2, "dash": dash},
                hoverinfo="skip",
                legendgroup="rings",
            )
        )
    years = sorted(scores["year"].unique())
    styles_from = len(YEAR_COLOURS) - len(years)
    for index, year in enumerate(years):
        block = scores[scores["year"] == year].drop_duplicates("factor_id", keep="last")
        by_factor = block.set_index("factor_id")
        values = [
            None
            if f not in by_factor.index or fr.is_missing(by_factor.at[f, "value"])
            else float(by_factor.at[f, "value"])
            for f in factors
        ]
        counts = [
            None
            if f not in by_factor.index or fr.is_missing(by_factor.at[f, "n"])
            else int(by_factor.at[f, "n"])
            for f in factors
        ]
        style = max(0, styles_from + index) % len(YEAR_COLOURS)
        latest = index == len(years) - 1
        symbol = YEAR_SYMBOLS[style]
        symbols = [
            open_symbol(symbol) if c is not None and c < SURVEY_MIN_N else symbol for c in counts
        ]
        known = [c for c in counts if c is not None]
        counted = ""
        if known:
            low, high = min(known), max(known)
            counted = (
                f" (n = {fr.number(low)})"
                if low == high
                else (f" (n = {fr.number(low)} à {fr.number(high)})")
            )
        hover = [
            f"<b>{factor_labels[f]}</b><br>{year} : "
            + (f"{fr.number(v, 1)} sur 5" if v is not None else "pas de score")
            + (f"<br>{n_text(c, c < SURVEY_MIN_N)}" if c is not None else "")
            for f, v, c in zip(factors, values, counts, strict=True)
        ]
        figure.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=closed_theta,
                mode="lines+markers",
                name=f"{year}{counted}",
                line={
                    "color": YEAR_COLOURS[style],
                    "width": 3 if latest else 2,
                    "dash": YEAR_DASHES[style],
                },
                marker={"symbol": [*symbols, symbols[0]], "size": 9, "color": YEAR_COLOURS[style]},
                fill="toself" if latest else "none",
                fillcolor="rgba(31, 36, 48, 0.08)",
                hovertext=[*hover, hover[0]],
                hoverinfo="text",
                legendgroup="years",
            )
        )
    apply_layout(
        figure,
        title,
        subtitle="Seuils de Wilder : 4 et plus, une force ;<br>moins de 3, un point de vigilance",
        height=660,
        margin={"l": 85, "r": 85, "t": 150, "b": 120},
        legend={"orientation": "h", "yref": "container", "y": 0.01, "yanchor": "bottom"},
    )
    # The radial scale sits between the first two axes, away from the factor labels.
    between = 90 - 180 / len(factors)
    figure.update_polars(
        radialaxis={
            "range": [1, 5],
            "tickvals": [1, 2, 3, 4, 5],
            "angle": between,
            "tickangle": between,
            "tickfont": {"size": 10, "color": MUTED_TEXT_COLOUR},
            "gridcolor": "#E3E6EA",
        },
        angularaxis={
            "direction": "clockwise",
            "rotation": 90,
            "gridcolor": "#E3E6EA",
            "tickfont": {"size": 11},
        },
        bgcolor="white",
    )
    return figure
