"""Small multiples of key indicators (Vue d'ensemble): one panel per indicator, one line per
territory over the months — or, for many territories, grey lines and their median."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.common import (
    LOW_N_NOTE,
    apply_layout,
    empty_figure,
    month_starts,
    n_text,
    open_symbol,
    plotted,
    series_style,
    stage_order,
    start_months,
    upcoming_part,
    year_axis,
)
from dashboard.status import MUTED_TEXT_COLOUR, TEXT_COLOUR, status_style
from data import fr
from data.domain.months import months_between
from indicators.bands import UPCOMING
from indicators.catalogue import Catalogue, IndicatorDef

PANEL_MIN_PX = 200
LOW_N_LEGEND = f"{LOW_N_NOTE} (repère creux)"
UPCOMING_LEGEND = "« à venir » : étape pas encore atteinte (pointillés)"


def small_multiples(
    values: pd.DataFrame,
    names: dict[str, str],
    catalogue: Catalogue,
    since_start: bool = False,
    starts: Mapping[str, dt.date] | None = None,
    columns: int = 3,
    max_series: int = 12,
) -> go.Figure:
    """One small panel per indicator, one line per territory, over the months.

    ``values``: long table over months for a few indicators — territory_id, month,
    indicator_id, value, n, low_n, status. Panels follow the catalogue order; territories the
    order of ``names``, coloured and marked by their position in it (the colours and symbols
    of ``respondents_per_wave``). y axes speak each indicator's unit (ratios in %, scores from
    1 to 5…). A value resting on a small effectif has a hollow marker; months where the
    indicator belongs to a later stage than the territory's (status « upcoming ») are drawn
    dotted and faded. x: calendar months, or months since each territory's start (``starts``,
    default its first month in ``values``).

    With more than ``max_series`` territories, lines of their own colour would not be told
    apart (nor drawn fast): each panel then shows every territory as a thin grey line (one
    trace, hover still names them), the months « à venir » dotted, small-n values as hollow
    markers, and the median of the territories in black.

    Panels are titled by the indicators' short labels, the years label the time axes;
    ``layout.meta["min_width"]`` is the narrowest readable width, ``PANEL_MIN_PX`` a panel.
    """
    title = "Évolution d'indicateurs clés, par territoire"
    rows = values[values["territory_id"].isin(list(names))] if not values.empty else values
    rows = rows[rows["indicator_id"].isin(list(catalogue.indicators))] if not rows.empty else rows
    if rows.empty:
        return empty_figure(title)
    rows = rows.assign(month=month_starts(rows["month"])).sort_values("month", kind="stable")
    start_of = start_months(rows, starts)
    present = set(rows["indicator_id"])
    indicator_ids = sorted(
        [i for i in catalogue.indicators if i in present],
        key=lambda i: stage_order(catalogue, catalogue[i].stage),
    )
    with_values = set(rows["territory_id"])
    order = [t for t in names if t in with_values]
    many = len(order) > max_series
    width = max(1, min(columns, len(indicator_ids)))
    height_rows = math.ceil(len(indicator_ids) / width)
    figure = make_subplots(
        rows=height_rows,
        cols=width,
        subplot_titles=[catalogue[i].short for i in indicator_ids],
        horizontal_spacing=0.08,
        vertical_spacing=min(0.18, 0.5 / height_rows),
    )
    traces: list[go.Scatter] = []
    cells: list[tuple[int, int]] = []
    flags = {"low_n": False, "upcoming": False}
    in_legend: set[str] = set()
    panels = dict(tuple(rows.groupby("indicator_id", sort=False)))
    for position, indicator_id in enumerate(indicator_ids):
        definition = catalogue[indicator_id]
        cell = (position // width + 1, position % width + 1)
        block = panels[indicator_id]
        flags["low_n"] |= bool(
            (block["low_n"].fillna(False).astype(bool) & block["value"].notna()).any()
        )
        flags["upcoming"] |= bool((block["status"] == UPCOMING).any())
        if many:
            panel = _spaghetti(
                block, order, names, definition, since_start, start_of, position == 0
            )
        else:
            by_territory = dict(tuple(block.groupby("territory_id", sort=False)))
            series = [
                _series(by_territory[t], t, names, definition, since_start, start_of)
                for t in order
                if t in by_territory
            ]
            panel = _territory_lines(series, names, in_legend)
        traces += panel
        cells += [cell] * len(panel)
        figure.update_yaxes(_unit_axis(definition.unit), row=cell[0], col=cell[1])
    if traces:
        figure.add_traces(traces, rows=[r for r, _ in cells], cols=[c for _, c in cells])
    if flags["low_n"]:
        figure.add_trace(_legend_only(LOW_N_LEGEND, marker={"symbol": "circle-open", "size": 9}))
    if flags["upcoming"]:
        figure.add_trace(_legend_only(UPCOMING_LEGEND, line={"dash": "dot", "width": 2}))
    apply_layout(
        figure,
        title,
        subtitle=(
            f"{fr.number(len(order))} territoires : un trait gris par territoire, "
            "la médiane en noir"
            if many
            else None
        ),
        height=130 + 250 * height_rows,
        margin={"l": 10, "r": 10, "t": 130 if many else 90, "b": 70},
        legend={"orientation": "h", "yref": "container", "y": 0.01, "yanchor": "bottom"},
        meta={"min_width": PANEL_MIN_PX * width},
    )
    figure.update_annotations(font={"size": 12})
    if since_start:
        figure.update_xaxes(dtick=6, rangemode="tozero")
        figure.update_xaxes(title="mois depuis le début", row=height_rows)
    else:
        year_axis(figure, pd.Series(list(rows["month"])))
    return figure


def _series(
    frame: pd.DataFrame,
    territory_id: str,
    names: Mapping[str, str],
    definition: IndicatorDef,
    since_start: bool,
    start_of: Mapping[str, dt.date],
) -> dict[str, Any]:
    """One territory's line in a panel: x, plotted y, low-n and « à venir » flags, hover."""
    months = list(frame["month"])
    low = [bool(v) and not fr.is_missing(v) for v in frame["low_n"]]
    statuses = [None if fr.is_missing(s) else s for s in frame["status"]]
    return {
        "territory_id": territory_id,
        "x": [_time_x(m, territory_id, since_start, start_of) for m in months],
        "y": [plotted(v, definition.unit) for v in frame["value"]],
        "low": low,
        "upcoming": [s == UPCOMING for s in statuses],
        "hover": [
            f"<b>{names[territory_id]}</b> — {fr.month(m)}<br>{definition.label}<br>"
            f"{fr.indicator_value(v, definition.unit)} · {n_text(n, lo)}<br>"
            f"{status_style(s).badge}"
            for m, v, n, lo, s in zip(
                months, frame["value"], frame["n"], low, statuses, strict=True
            )
        ],
    }


def _territory_lines(
    series: list[dict[str, Any]], names: Mapping[str, str], in_legend: set[str]
) -> list[go.Scatter]:
    """A few territories: each its own colour and symbol, in the legend once (``in_legend``
    collects those already there)."""
    traces = []
    for one in series:
        territory_id = one["territory_id"]
        colour, symbol = series_style(list(names), territory_id)
        symbols = [open_symbol(symbol) if lo else symbol for lo in one["low"]]
        if any(one["upcoming"]):
            traces.append(
                go.Scatter(
                    x=one["x"],
                    y=upcoming_part(one["y"], one["upcoming"]),
                    mode="lines+markers",
                    name=f"{names[territory_id]} (à venir)",
                    legendgroup=territory_id,
                    showlegend=False,
                    opacity=0.55,
                    line={"color": colour, "width": 1.5, "dash": "dot"},
                    marker={"symbol": symbols, "size": 6, "color": colour},
                    hovertext=one["hover"],
                    hoverinfo="text",
                )
            )
        traces.append(
            go.Scatter(
                x=one["x"],
                y=[None if u else v for v, u in zip(one["y"], one["upcoming"], strict=True)],
                mode="lines+markers",
                name=names[territory_id],
                legendgroup=territory_id,
                showlegend=territory_id not in in_legend,
                line={"color": colour, "width": 2},
                marker={"symbol": symbols, "size": 7, "color": colour},
                hovertext=one["hover"],
                hoverinfo="text",
            )
        )
        in_legend.add(territory_id)
    return traces


def _spaghetti(
    block: pd.DataFrame,
    order: Sequence[str],
    names: Mapping[str, str],
    definition: IndicatorDef,
    since_start: bool,
    start_of: Mapping[str, dt.date],
    first_panel: bool,
) -> list[go.Scatter]:
    """Many territories in one panel, vectorised: every territory in one grey trace (a NaN
    between territories breaks the line), « à venir » dotted, small-n values hollow, and the
    median per x in black. Arrays go to plotly as numpy arrays (fast to validate and send)."""
    rank = {t: i for i, t in enumerate(order)}
    frame = block[block["territory_id"].isin(rank)]
    frame = frame.assign(_rank=frame["territory_id"].map(rank)).sort_values(
        ["_rank", "month"], kind="stable"
    )
    territory = frame["territory_id"].to_numpy(dtype=object)
    stamps = pd.to_datetime(pd.Series(frame["month"].to_numpy(), dtype=object))
    if since_start:
        starts = pd.to_datetime(pd.Series([start_of[t] for t in territory], dtype=object))
        x = ((stamps.dt.year - starts.dt.year) * 12 + stamps.dt.month - starts.dt.month).to_numpy(
            dtype="float64"
        )
    else:
        x = stamps.to_numpy(dtype="datetime64[ns]")
    y = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if definition.unit == "ratio":
        y = y * 100
    upcoming = (frame["status"] == UPCOMING).to_numpy(dtype=bool)
    low = frame["low_n"].fillna(False).to_numpy(dtype=bool) & ~np.isnan(y)
    same_before = np.r_[False, territory[1:] == territory[:-1]]
    same_after = np.r_[territory[:-1] == territory[1:], False]
    keep = upcoming | (np.r_[False, upcoming[:-1]] & same_before)
    keep |= np.r_[upcoming[1:], False] & same_after
    months = frame["month"].to_numpy(dtype=object)
    month_text = {m: fr.month_short(m) for m in set(months)}
    raw = y / 100 if definition.unit == "ratio" else y
    value_text = {v: fr.indicator_value(v, definition.unit) for v in set(raw[~np.isnan(raw)])}
    hover = np.array(
        [
            f"{names[t]} — {month_text[m]} : {value_text.get(v, '–')}"
            + (f" ({LOW_N_NOTE})" if lo else "")
            for t, m, v, lo in zip(territory, months, raw, low, strict=True)
        ]
    )
    # A gap after each territory's last point: same x, y NaN, no hover.
    ends = np.flatnonzero(~same_after)
    where = np.arange(len(y)) + np.searchsorted(ends, np.arange(len(y)))
    size = len(y) + len(ends)
    gap_at = ends + np.arange(1, len(ends) + 1)

    def spread(values: np.ndarray, fill: object) -> np.ndarray:
        out = np.empty(size, dtype=values.dtype)
        out[where] = values
        out[gap_at] = fill if fill is not None else values[ends]
        return out

    x_all = spread(x, None)
    judged_y = spread(np.where(upcoming, np.nan, y), np.nan)
    later_y = spread(np.where(keep, y, np.nan), np.nan)
    hover_all = spread(hover, "")
    median = pd.DataFrame({"x": x, "y": y}).dropna().groupby("x", sort=True)["y"].median()
    percent = definition.unit == "ratio"  # plotted ×100
    grey = "rgba(95, 102, 115, 0.35)"
    traces = [
        go.Scatter(
            x=x_all,
            y=judged_y,
            mode="lines",
            name="territoires (un trait chacun)",
            legendgroup="territories",
            showlegend=first_panel,
            line={"color": grey, "width": 1},
            hovertext=hover_all,
            hoverinfo="text",
        )
    ]
    if upcoming.any():
        traces.append(
            go.Scatter(
                x=x_all,
                y=later_y,
                mode="lines",
                name="territoires (à venir)",
                legendgroup="territories",
                showlegend=False,
                line={"color": grey, "width": 1, "dash": "dot"},
                hoverinfo="skip",
            )
        )
    if low.any():
        traces.append(
            go.Scatter(
                x=x[low],
                y=y[low],
                mode="markers",
                name=LOW_N_NOTE,
                legendgroup="territories",
                showlegend=False,
                marker={"symbol": "circle-open", "size": 6, "color": MUTED_TEXT_COLOUR},
                hovertext=hover[low],
                hoverinfo="text",
            )
        )
    traces.append(
        go.Scatter(
            x=median.index.to_numpy(),
            y=median.to_numpy(),
            mode="lines",
            name="médiane des territoires",
            legendgroup="median",
            showlegend=first_panel,
            line={"color": TEXT_COLOUR, "width": 3},
            hovertext=[
                "médiane : " + fr.indicator_value(v / 100 if percent else v, definition.unit)
                for v in median.to_numpy()
            ],
            hoverinfo="text",
        )
    )
    return traces


def _legend_only(name: str, **style: Any) -> go.Scatter:
    """A legend entry that draws nothing (e.g. « ○ petit effectif »)."""
    colour = {"color": MUTED_TEXT_COLOUR}
    marker = {**colour, **style.get("marker", {})}
    line = {**colour, **style.get("line", {})}
    return go.Scatter(
        x=[None],
        y=[None],
        mode="lines" if "line" in style else "markers",
        name=name,
        marker=marker,
        line=line,
        hoverinfo="skip",
        legendgroup="_key",
    )


def _unit_axis(unit: str) -> dict[str, Any]:
    """y-axis settings for a unit, French through the layout's separators."""
    if unit == "ratio":
        return {"ticksuffix": "\u00a0%", "rangemode": "tozero", "tickformat": ",.0f"}
    if unit == "score_1_5":
        return {"range": [0.8, 5.2], "tickvals": [1, 2, 3, 4, 5]}
    if unit == "score_1_4":
        return {"range": [0.8, 4.2], "tickvals": [1, 2, 3, 4]}
    if unit == "index":
        return {"tickformat": ",.2f", "rangemode": "tozero"}
    if unit == "delta":
        return {"tickformat": "+,.2f", "zeroline": True, "zerolinecolor": "#888"}
    return {"tickformat": ",d", "rangemode": "tozero"}


def _time_x(
    month: dt.date, territory_id: str, since_start: bool, starts: Mapping[str, dt.date]
) -> dt.date | int:
    """A month on the x axis: the month itself, or with ``since_start`` the number of months
    since the territory's start."""
    return months_between(starts[territory_id], month) if since_start else month
