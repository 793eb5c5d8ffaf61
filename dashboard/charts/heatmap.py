"""The indicator heatmap (Vue d'ensemble): territories × indicators for one month, each cell
coloured by its status band, each territory judged at its own stage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.common import (
    apply_layout,
    as_array,
    empty_figure,
    month_start,
    n_text,
    shorten,
    stage_order,
    wrap,
)
from dashboard.status import (
    MUTED_TEXT_COLOUR,
    STYLES_BY_CODE,
    TEXT_COLOUR,
    discrete_colorscale,
    status_style,
)
from dashboard.theme import stage_colour, stage_label
from data import fr
from data.config import StageModel
from indicators.catalogue import Catalogue

# Row labels (short labels, ≤ 24 characters) and column headers (short names wrapped on
# lines of at most HEADER_WRAP characters): the narrowest readable cell, in pixels, and the
# figure's minimum width (``layout.meta["min_width"]``) that follows from it — a narrower
# screen scrolls the chart sideways rather than squashing it.
HEADER_WRAP = 11
COLUMN_MIN_PX = {False: 30, True: 64}  # indicators as columns / territories as columns
LABEL_PX = {False: 190, True: 160}  # the row labels: territories / indicators


def indicator_heatmap(
    values: pd.DataFrame,
    names: dict[str, str],
    catalogue: Catalogue,
    model: StageModel,
    territory_stages: Mapping[str, str | None],
    transpose: bool = False,
    short_names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Territories × indicators for one month, each cell coloured by its status band.

    ``values``: the long table for ONE month — territory_id, indicator_id, value, n, low_n,
    status and optionally stage (the indicator's stage, as stored), month and note. Rows are
    the territories of ``names`` in order; columns the indicators present, ordered by stage
    then catalogue order, with the stage written above each group (``model`` gives the stage
    labels and colours). Indicators missing from the
    catalogue come last, under « hors catalogue ». ``transpose`` puts the indicators in rows
    (full labels, stage groups on the right) and the territories in columns: more readable
    for a handful of territories, whereas the default scales to many territories.

    Each territory is labelled with the stage it was judged at, ``territory_stages``
    (territory_id → stage id: the month's stored judged stages); a territory absent from it,
    or mapped to None, is labelled with its name alone.

    Axes speak short: each indicator by its short label, each territory by its short name
    (``short_names``, territory_id → name; ``names`` where absent), wrapped on lines of
    ``HEADER_WRAP`` characters when they head columns; the hover text keeps the full label and
    name. ``layout.meta["min_width"]`` is the narrowest width, in pixels, at which every
    column stays readable (a page shows the chart in a container that scrolls below it).

    ``z`` holds discrete status codes (``dashboard.status``: 0 no value, 1 « à venir »,
    2 « sans seuil », 3 « point de vigilance », 4 « à discuter », 5 « force ») drawn with a
    stepped colorscale; each cell's text is the French value, the status icon and « n=3 » when
    the value rests on a small effectif. Legend-only traces name each colour with its icon.
    """
    title = "Indicateurs de chaque territoire, jugés selon l'étape"
    if values.empty or not names:
        return empty_figure(title)
    present = set(values["indicator_id"])
    columns = sorted(
        [i for i in catalogue.indicators if i in present],
        key=lambda i: stage_order(catalogue, catalogue[i].stage),
    )
    columns += sorted(present - set(catalogue.indicators))
    order = list(names)
    fields = [c for c in ("value", "n", "low_n", "status", "note") if c in values.columns]
    cells = {
        key: dict(zip(fields, record, strict=True))  # the last row of a pair wins
        for key, record in zip(
            zip(values["territory_id"], values["indicator_id"], strict=True),
            zip(*(values[c].to_numpy(dtype=object) for c in fields), strict=True),
            strict=True,
        )
    }

    z: list[list[int]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    stage_text = {s.id: stage_label(model, s.id) for s in model.stages}
    units = [catalogue[i].unit if i in catalogue.indicators else "count" for i in columns]
    indicator_lines = [
        f"{catalogue[i].label}<br>indicateur de l'étape "
        f"{stage_text.get(catalogue[i].stage, catalogue[i].stage)}"
        if i in catalogue.indicators
        else i
        for i in columns
    ]
    for territory_id in order:
        z_row, text_row, hover_row = [], [], []
        own = territory_stages.get(territory_id)
        heading = f"<b>{names[territory_id]}</b>"
        if not fr.is_missing(own):
            heading += f" — étape {stage_text.get(str(own), own)}"
        for indicator_id, unit, line in zip(columns, units, indicator_lines, strict=True):
            row = cells.get((territory_id, indicator_id))
            cell = _heatmap_cell(row, unit, f"{heading}<br>{line}")
            z_row.append(cell[0])
            text_row.append(cell[1])
            hover_row.append(cell[2])
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    if transpose:
        # Wide cells: value and icon on one line.
        text = [[cell.replace("<br>", " ") for cell in row] for row in text]
        z, text, hover = ([list(r) for r in zip(*grid, strict=True)] for grid in (z, text, hover))

    figure = go.Figure(
        go.Heatmap(
            z=[np.asarray(row) for row in z],  # 1-D rows: no 2-D "shape" to decode
            x=list(range(len(order) if transpose else len(columns))),
            y=list(range(len(columns) if transpose else len(order))),
            text=as_array(text),
            texttemplate="%{text}",
            # Narrow cells when many indicators are columns: a smaller font keeps « +0,09 » in.
            textfont={
                "size": 9 if not transpose and len(columns) > 24 else 10,
                "color": TEXT_COLOUR,
            },
            hovertext=as_array(hover),
            hoverinfo="text",
            colorscale=discrete_colorscale(),
            zmin=-0.5,
            zmax=len(STYLES_BY_CODE) - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
            name="statut",
        )
    )
    # The legend: one square per status, with its icon (colour is never alone).
    shown = {c for row in z for c in row} | {1, 3, 4, 5}
    for style in reversed(STYLES_BY_CODE):
        if style.code in shown:
            figure.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=style.badge,
                    marker={
                        "symbol": "square",
                        "size": 15,
                        "color": style.colour,
                        "line": {"color": "#9AA0A6", "width": 1},
                    },
                    hoverinfo="skip",
                )
            )
    # Stage groups of indicators: a bar in the stage colour and the stage label.
    groups: dict[str | None, list[int]] = {}
    for position, indicator_id in enumerate(columns):
        definition = catalogue.indicators.get(indicator_id)
        groups.setdefault(definition.stage if definition else None, []).append(position)
    for stage_id, positions in groups.items():
        _stage_group(figure, model, stage_id, positions[0], positions[-1], transpose)
    month = month_start(values["month"].max()) if "month" in values.columns else None
    short = {t: (short_names or {}).get(t, names[t]) for t in order}
    territory_labels = [
        _territory_label(
            wrap(short[t], HEADER_WRAP) if transpose else short[t],
            territory_stages.get(t),
            model,
            transpose,
        )
        for t in order
    ]
    legend = {
        "orientation": "h",
        "yref": "container",
        "y": 0.01,
        "yanchor": "bottom",
        "x": 0,
        "title": {"text": "Statut : "},
    }
    subtitle = (f"{fr.month(month)} — " if month else "") + (
        "chaque territoire est jugé selon sa propre étape"
    )
    header_lines = max((label.count("<br>") + 1 for label in territory_labels), default=1)
    if transpose:
        # Indicators in rows; territories across the top, their names wrapped above the stage.
        height = 144 + 14 * header_lines + 30 * len(columns) + 60
        margin = {"l": 10, "r": 44, "t": 84 + 14 * header_lines, "b": 60}
        x_style: dict[str, Any] = {"side": "top", "tickangle": 0, "tickfont": {"size": 11}}
    else:
        height = 150 + 46 * len(order) + 230
        margin = {"l": 10, "r": 10, "t": 110, "b": 70}
        x_style = {"tickangle": -45, "tickfont": {"size": 11}}
    labels = [catalogue[i].short if i in catalogue.indicators else shorten(i, 24) for i in columns]
    x_labels, y_labels = (territory_labels, labels) if transpose else (labels, territory_labels)
    min_width = (
        LABEL_PX[transpose] + COLUMN_MIN_PX[transpose] * len(x_labels) + margin["l"] + margin["r"]
    )
    apply_layout(
        figure,
        title,
        subtitle=subtitle,
        height=height,
        margin=margin,
        legend=legend,
        plot_bgcolor="white",
        meta={"min_width": min_width},
    )
    # The title at the top, the column headers right under it (no empty band between).
    figure.update_layout(title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}})
    figure.update_xaxes(
        tickvals=list(range(len(x_labels))),
        ticktext=x_labels,
        showgrid=False,
        zeroline=False,
        range=[-0.5, len(x_labels) - 0.5],
        **x_style,
    )
    figure.update_yaxes(
        tickvals=list(range(len(y_labels))),
        ticktext=y_labels,
        range=[len(y_labels) - 0.5, -0.5],
        showgrid=False,
        zeroline=False,
    )
    return figure


def _stage_group(
    figure: go.Figure,
    model: StageModel,
    stage_id: str | None,
    first: int,
    last: int,
    transpose: bool,
) -> None:
    """Mark the indicators first..last as one stage: a bar in the stage colour, the stage
    label beside it (above the columns, or right of the rows when transposed), and a white
    gap before the group."""
    colour = stage_colour(model, stage_id) if stage_id else MUTED_TEXT_COLOUR
    label = _stage_label_safe(model, stage_id) if stage_id else "hors catalogue"
    if last == first and stage_id:
        label = str(model.rank(stage_id))
    axis, other = ("y", "x") if transpose else ("x", "y")
    bar = {
        f"{axis}ref": axis,
        f"{other}ref": "paper",
        f"{other}sizemode": "pixel",
        f"{other}anchor": 1,
        f"{axis}0": first - 0.47,
        f"{axis}1": last + 0.47,
        f"{other}0": 3,
        f"{other}1": 9,
    }
    figure.add_shape(type="rect", fillcolor=colour, line={"width": 0}, **bar)
    label_position = {
        axis: (first + last) / 2,
        other: 1,
        f"{axis}ref": axis,
        f"{other}ref": "paper",
    }
    if transpose:
        label_position |= {"xanchor": "left", "xshift": 12, "textangle": 90}
    else:
        label_position |= {"yanchor": "bottom", "yshift": 10}
    figure.add_annotation(
        showarrow=False,
        text=f"<b>{label}</b>",
        font={"size": 13, "color": TEXT_COLOUR},
        **label_position,
    )
    if first > 0:
        figure.add_shape(
            type="line",
            line={"color": "white", "width": 5},
            **{
                f"{axis}ref": axis,
                f"{other}ref": "paper",
                f"{axis}0": first - 0.5,
                f"{axis}1": first - 0.5,
                f"{other}0": 0,
                f"{other}1": 1,
            },
        )


def _stage_label_safe(model: StageModel, stage_id: str | None) -> str:
    """« 2 · Structuration », or the id itself for a stage the model does not know."""
    try:
        return stage_label(model, stage_id)
    except (KeyError, ValueError):
        return str(stage_id)


def _territory_label(name: str, stage_id: object, model: StageModel, header: bool) -> str:
    """A territory's axis label: its name, and under it the stage it was judged at when known
    (« étape 2 · Structuration » beside a row; « étape 2 » on a column header, as narrow as
    its column: the stage groups beside the rows name the stages)."""
    if fr.is_missing(stage_id):
        return name
    if header and str(stage_id) in {s.id for s in model.stages}:
        stage = str(model.rank(str(stage_id)))
    else:
        stage = _stage_label_safe(model, str(stage_id))
    return f"{name}<br><span style='font-size:10px'>étape {stage}</span>"


def _heatmap_cell(row: Mapping[str, Any] | None, unit: str, heading: str) -> tuple[int, str, str]:
    """(status code, cell text, hover text) of one territory × indicator; ``heading`` names
    the territory and the indicator."""
    if row is None:
        return 0, "", f"{heading}<br>pas de valeur ce mois-ci"
    status = row.get("status")
    style = status_style(None if fr.is_missing(status) else str(status))
    value_text = fr.indicator_value(row.get("value"), unit)
    low_n = bool(row.get("low_n")) if not fr.is_missing(row.get("low_n")) else False
    n = row.get("n")
    small = f" n={int(n)}" if low_n and not fr.is_missing(n) else ""
    if fr.is_missing(row.get("value")):
        cell = f"{style.icon}{small}"  # « … » for an indicator still to come, « – » if none
    elif style.code == 0:
        cell = f"{value_text}<br>{small.strip()}"
    else:
        cell = f"{value_text}<br>{style.icon}{small}"
    lines = [heading, f"valeur : {value_text}", n_text(n, low_n), style.badge]
    note = row.get("note")
    if not fr.is_missing(note) and note:
        lines.append(f"<i>{note}</i>")
    return style.code, cell.strip(), "<br>".join(lines)
