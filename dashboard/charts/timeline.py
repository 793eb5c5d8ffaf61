"""The stage timeline (Vue d'ensemble): each territory's declared and measured stage, month by
month, with the months where they disagree hatched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.common import (
    apply_layout,
    as_array,
    duration_ms,
    empty_figure,
    month_starts,
    start_months,
    year_axis,
)
from dashboard.status import TEXT_COLOUR
from dashboard.theme import stage_colour, stage_label
from data import fr
from data.config import StageModel
from data.domain.months import add_months, months_between

LABEL_PX = 170  # the rows' labels: short names (≤ 20 characters)
MONTH_MIN_PX = 11
STAGE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "pentagon", "hexagon")


def stage_timeline(
    stages: pd.DataFrame,
    names: dict[str, str],
    model: StageModel,
    since_start: bool = False,
    starts: Mapping[str, dt.date] | None = None,
    short_names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Declared and inferred stage of every territory, month by month, one row per territory.

    ``stages``: territory_id, month (first of month), declared_stage, inferred_stage (stage ids
    or None). ``names`` gives the rows, top to bottom. The declared stage is a bar in the stage
    colour with the stage number (or label) written on it; the inferred stage a row of markers
    just below (colour and a symbol per stage). Months where both are known and differ are
    hatched over the whole row (« désaccord étape déclarée / mesurée »).

    x axis: calendar months, or with ``since_start`` months since the territory's start
    (``starts``: territory_id → start month; by default its first month in ``stages``), with
    the years labelled.

    Rows are labelled with the territories' short names (``short_names``; ``names`` where
    absent), the hover text keeps the names. ``layout.meta["min_width"]`` is the narrowest
    width, in pixels, at which a month stays wide enough to read (``MONTH_MIN_PX``).
    """
    title = "Étape déclarée et étape mesurée de chaque territoire, mois par mois"
    rows = stages[stages["territory_id"].isin(list(names))] if not stages.empty else stages
    if rows.empty or not names:
        return empty_figure(title)
    rows = rows.assign(month=month_starts(rows["month"])).sort_values(["territory_id", "month"])
    start_of = start_months(rows, starts)
    order = list(names)
    y_of = {t: i for i, t in enumerate(order)}
    label_of = {s.id: stage_label(model, s.id) for s in model.stages}
    rank_of = {s.id: str(model.rank(s.id)) for s in model.stages}

    declared: dict[str, dict[str, list]] = {}
    inferred: dict[str, dict[str, list]] = {}
    disagreement: dict[str, list] = {"x": [], "base": [], "y": [], "hover": []}

    def x_span(territory_id: str, first: dt.date, last: dt.date) -> tuple[object, float, str]:
        """Bar base, length and period text of the months first..last."""
        if since_start:
            a = months_between(start_of[territory_id], first)
            b = months_between(start_of[territory_id], last)
            return a, float(b - a + 1), _relative_period(a, b)
        return first.isoformat(), duration_ms(first, add_months(last, 1)), _period(first, last)

    for territory_id, group in rows.groupby("territory_id", sort=False):
        territory_id = str(territory_id)
        name = names[territory_id]
        months = list(group["month"])
        # A stage the model does not know is left out, like a missing one.
        declared_ids = [s if s in label_of else None for s in group["declared_stage"]]
        inferred_ids = [s if s in label_of else None for s in group["inferred_stage"]]
        y = y_of[territory_id]
        # Declared: one bar per run of consecutive months at the same stage.
        for a, b in _runs(declared_ids):
            for c, d in _consecutive(months[a:b]):
                stage_id = declared_ids[a + c]
                if stage_id is None:
                    continue
                base, length, period = x_span(territory_id, months[a + c], months[a + d - 1])
                bucket = declared.setdefault(
                    stage_id, {"x": [], "base": [], "y": [], "text": [], "hover": []}
                )
                label = label_of[stage_id]
                bucket["x"].append(length)
                bucket["base"].append(base)
                bucket["y"].append(y - 0.14)
                # A long run carries the label; a short one the number only.
                bucket["text"].append(label if d - c >= 7 else rank_of[stage_id])
                bucket["hover"].append(f"<b>{name}</b><br>étape déclarée : {label}<br>{period}")
        # Inferred: one marker per month; the number is written where the stage changes.
        previous = None
        for month, stage_id in zip(months, inferred_ids, strict=True):
            if stage_id is None:
                previous = None
                continue
            bucket = inferred.setdefault(stage_id, {"x": [], "y": [], "text": [], "hover": []})
            x = (
                months_between(start_of[territory_id], month) + 0.5
                if since_start
                else month.replace(day=15)
            )
            bucket["x"].append(x)
            bucket["y"].append(y + 0.3)
            bucket["text"].append(rank_of[stage_id] if stage_id != previous else "")
            bucket["hover"].append(
                f"<b>{name}</b> — {fr.month(month)}<br>étape mesurée : {label_of[stage_id]}"
            )
            previous = stage_id
        # Disagreement: runs of consecutive months with the same (declared, inferred) pair.
        pairs = [
            (d, i) if d is not None and i is not None and d != i else None
            for d, i in zip(declared_ids, inferred_ids, strict=True)
        ]
        for a, b in _runs(pairs):
            if pairs[a] is None:
                continue
            for c, d in _consecutive(months[a:b]):
                base, length, period = x_span(territory_id, months[a + c], months[a + d - 1])
                said, measured = pairs[a]  # type: ignore[misc]
                disagreement["x"].append(length)
                disagreement["base"].append(base)
                disagreement["y"].append(y + 0.06)
                disagreement["hover"].append(
                    f"<b>{name}</b><br>désaccord étape déclarée / mesurée<br>"
                    f"déclarée : {label_of[said]}<br>"
                    f"mesurée : {label_of[measured]}<br>{period}"
                )

    figure = go.Figure()
    ranked = sorted(set(declared) | set(inferred), key=model.rank)
    for stage_id in ranked:
        if stage_id not in declared:
            continue
        bucket = declared[stage_id]
        colour = stage_colour(model, stage_id)
        figure.add_trace(
            go.Bar(
                orientation="h",
                x=as_array(bucket["x"]),
                base=as_array(bucket["base"]),
                y=as_array(bucket["y"]),
                width=0.5,
                name=f"déclarée : {stage_label(model, stage_id)}",
                legendgroup="declared",
                legendgrouptitle={"text": "Étape déclarée (journal)"},
                marker={"color": colour, "line": {"color": "white", "width": 1}},
                text=as_array(bucket["text"]),
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": _ink_on(colour), "size": 12},
                hovertext=as_array(bucket["hover"]),
                hoverinfo="text",
            )
        )
    for stage_id in ranked:
        if stage_id not in inferred:
            continue
        bucket = inferred[stage_id]
        figure.add_trace(
            go.Scatter(
                x=as_array(bucket["x"]),
                y=as_array(bucket["y"]),
                mode="markers+text",
                name=f"mesurée : {stage_label(model, stage_id)}",
                legendgroup="inferred",
                legendgrouptitle={"text": "Étape mesurée (indicateurs)"},
                marker={
                    "color": stage_colour(model, stage_id),
                    "symbol": STAGE_SYMBOLS[(model.rank(stage_id) - 1) % len(STAGE_SYMBOLS)],
                    "size": 8,
                    "line": {"color": "white", "width": 0.5},
                },
                text=as_array(bucket["text"]),
                textposition="middle left",
                textfont={"size": 10, "color": TEXT_COLOUR},
                hovertext=as_array(bucket["hover"]),
                hoverinfo="text",
            )
        )
    if disagreement["x"]:
        figure.add_trace(
            go.Bar(
                orientation="h",
                x=as_array(disagreement["x"]),
                base=as_array(disagreement["base"]),
                y=as_array(disagreement["y"]),
                width=0.9,
                name="désaccord étape déclarée / mesurée",
                legendgroup="disagreement",
                legendgrouptitle={"text": "Désaccord"},
                marker={
                    "color": "rgba(0,0,0,0)",
                    "line": {"color": TEXT_COLOUR, "width": 1},
                    "pattern": {
                        "shape": "/",
                        "fgcolor": "rgba(31, 36, 48, 0.6)",
                        "size": 7,
                        "solidity": 0.12,
                    },
                },
                hovertext=as_array(disagreement["hover"]),
                hoverinfo="text",
            )
        )
    # The legend sits under the axis, in pixels: a title row and one row per stage listed.
    legend_height = 30 + 20 * max(len(declared), len(inferred), 1)
    bottom = legend_height + (60 if since_start else 40)
    apply_layout(
        figure,
        title,
        height=80 + 52 * len(order) + bottom,
        barmode="overlay",
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.01,
            "yanchor": "bottom",
            "groupclick": "toggleitem",
        },
        margin={"l": 10, "r": 10, "t": 60, "b": bottom},
        meta={"min_width": LABEL_PX + MONTH_MIN_PX * _month_count(rows, start_of, since_start)},
    )
    figure.update_yaxes(
        tickvals=list(range(len(order))),
        ticktext=[(short_names or {}).get(t, names[t]) for t in order],
        range=[len(order) - 0.45, -0.55],
        showgrid=False,
        zeroline=False,
    )
    if since_start:
        figure.update_xaxes(title="mois depuis le début du territoire", dtick=6, rangemode="tozero")
    else:
        figure.update_xaxes(type="date", title=None)
        months = pd.Series(list(rows["month"]))
        year_axis(figure, months)
        figure.update_xaxes(
            range=[months.min().isoformat(), add_months(months.max(), 1).isoformat()]
        )
    return figure


def _month_count(rows: pd.DataFrame, start_of: Mapping[str, dt.date], since_start: bool) -> int:
    """How many months the x axis spans: calendar months, or months since the start."""
    if since_start:
        return (
            max(
                months_between(start_of[t], m)
                for t, m in zip(rows["territory_id"], rows["month"], strict=True)
            )
            + 1
        )
    return months_between(min(rows["month"]), max(rows["month"])) + 1


def _ink_on(colour: str) -> str:
    """Dark or white text, whichever reads better on ``colour`` (WCAG relative luminance)."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return TEXT_COLOUR if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def _runs(keys: Sequence[object]) -> list[tuple[int, int]]:
    """Index ranges [start, stop) of consecutive equal keys."""
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            runs.append((start, index))
            start = index
    return runs


def _consecutive(months: Sequence[dt.date]) -> list[tuple[int, int]]:
    """Index ranges [start, stop) of months that follow each other without a gap."""
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(months) + 1):
        if index == len(months) or months_between(months[index - 1], months[index]) != 1:
            runs.append((start, index))
            start = index
    return runs


def _period(first: dt.date, last: dt.date) -> str:
    """« mars 2025 », or « de janvier 2025 à mars 2025 (3 mois) »."""
    if first == last:
        return fr.month(first)
    count = months_between(first, last) + 1
    return f"de {fr.month(first)} à {fr.month(last)} ({count} mois)"


def _relative_period(first: int, last: int) -> str:
    """« mois 3 depuis le début », or « mois 3 à 5 depuis le début (3 mois) »."""
    if first == last:
        return f"mois {first} depuis le début"
    return f"mois {first} à {last} depuis le début ({last - first + 1} mois)"
