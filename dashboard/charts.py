"""Chart builders: pure functions from DataFrames to plotly figures (tested without Streamlit)."""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.status import (
    MUTED_TEXT_COLOUR,
    STYLES_BY_CODE,
    TEXT_COLOUR,
    UPCOMING_LINE_COLOUR,
    discrete_colorscale,
    status_style,
)
from dashboard.theme import (
    NEUTRAL,
    PLOTLY_LAYOUT,
    SERIES_COLOURS,
    SERIES_SYMBOLS,
    stage_colour,
    stage_label,
)
from data import fr
from data.config import StageModel
from data.domain.months import add_months, months_between
from indicators.bands import UPCOMING
from indicators.catalogue import SURVEY_MIN_N, Catalogue, IndicatorDef


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


# --------------------------------------------------------------------------------------------
# Shared helpers of the builders below.

EMPTY_MESSAGE = "Pas encore de données"
LOW_N_NOTE = "petit effectif"
STAGE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "pentagon", "hexagon")
# Frey et al. (2006) levels of collaboration (config/survey.yaml), level 0 being « no tie ».
COLLABORATION_LEVELS: dict[int, str] = {
    1: "Réseau",
    2: "Coopération",
    3: "Coordination",
    4: "Coalition",
    5: "Collaboration",
}
ACTION_STATUS_LABELS: dict[str, str] = {
    "planned": "prévue",
    "under_way": "en cours",
    "completed": "terminée",
    "abandoned": "abandonnée",
}
HOW_TO_READ: dict[str, str] = {
    "stage_timeline": (
        "Une ligne par territoire. La barre colorée donne l'étape déclarée chaque mois dans le "
        "journal de bord (le numéro de l'étape y est écrit) ; les repères en dessous, l'étape "
        "mesurée par les indicateurs. Une zone hachurée signale un désaccord entre les deux."
    ),
    "indicator_heatmap": (
        "Une ligne par territoire, une colonne par indicateur, regroupées par étape. Chaque "
        "territoire est jugé selon sa propre étape : ✓ force, ◐ à discuter, ! point de "
        "vigilance. Les indicateurs d'une étape qu'il n'a pas encore atteinte sont « à venir » "
        "(gris) : des signaux de préparation, pas des échecs. « n=3 » signale un petit effectif."
    ),
    "small_multiples": (
        "Un panneau par indicateur, une ligne par territoire. Un repère creux signale une valeur "
        "calculée sur un petit effectif ; un trait pointillé, une période où l'indicateur "
        "relève d'une étape que le territoire n'a pas encore atteinte (« à venir »)."
    ),
    "factor_radar": (
        "Chaque axe est un facteur de coopération, noté de 1 à 5 par les répondants "
        "(moyenne). Plus la forme est large, plus le facteur est fort. Au-delà de l'anneau 4, "
        "le facteur est une force ; en deçà de l'anneau 3, un point de vigilance (seuils de "
        "Wilder). Une forme par année permet de voir l'évolution."
    ),
    "network_graph": (
        "Chaque point est une organisation ayant répondu au baromètre, de la couleur et de la "
        "forme de son secteur ; sa taille croît avec son nombre de liens. Chaque trait relie "
        "deux organisations qui déclarent travailler ensemble : plus il est épais et foncé, "
        "plus le niveau de collaboration est élevé (1 réseau … 5 collaboration). La position "
        "des points n'a pas de sens géographique : les organisations très liées sont "
        "rapprochées."
    ),
    "joint_actions_timeline": (
        "Une barre par action commune, de sa date de début à sa date de fin ; une action sans "
        "date de fin s'étend jusqu'à aujourd'hui. Le motif et la couleur donnent son statut, "
        "le texte le nombre de secteurs qui y participent."
    ),
}


def empty_figure(title: str, message: str = EMPTY_MESSAGE, height: int | None = None) -> go.Figure:
    """A figure with its title and a centred « Pas encore de données » instead of a chart."""
    figure = go.Figure()
    _layout(figure, title, height=height, plot_bgcolor="white")
    figure.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15, "color": MUTED_TEXT_COLOUR},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def _layout(figure: go.Figure, title: str, subtitle: str | None = None, **overrides: Any) -> None:
    """The shared French layout, a title (and subtitle), then builder-specific overrides."""
    layout: dict[str, Any] = {
        **PLOTLY_LAYOUT,
        **{k: v for k, v in overrides.items() if v is not None},
    }
    heading: dict[str, Any] = {"text": title}
    if subtitle:
        heading["subtitle"] = {"text": subtitle, "font": {"color": MUTED_TEXT_COLOUR}}
    figure.update_layout(title=heading, **layout)


def _month(value: object) -> dt.date:
    return pd.Timestamp(value).date().replace(day=1)


def _months(values: pd.Series) -> list[dt.date]:
    """A column of dates or timestamps as first days of month (vectorised :func:`_month`)."""
    stamps = pd.to_datetime(pd.Series(values, dtype=object)).dt.to_period("M").dt.start_time
    return list(stamps.dt.date)


def _series_style(names: Sequence[str], territory_id: str) -> tuple[str, str]:
    """Colour and marker symbol of a territory: by its position in ``names``."""
    index = list(names).index(territory_id) if territory_id in names else len(names)
    return SERIES_COLOURS[index % len(SERIES_COLOURS)], SERIES_SYMBOLS[index % len(SERIES_SYMBOLS)]


def _array(values: Sequence[Any]) -> np.ndarray:
    """Values as a numpy array: plotly validates, copies and sends numpy arrays far faster
    than lists (strings become a fixed-width unicode array, copied in one block)."""
    return np.asarray(values)


def _open_symbol(symbol: str) -> str:
    return f"{symbol}-open"


def _wrap(text: str, width: int) -> str:
    """Wrap a label on ``<br>`` for plotly (which does not wrap)."""
    return "<br>".join(textwrap.wrap(text, width=width)) or text


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _plotted(value: float | None, unit: str) -> float | None:
    """The number plotted on a y axis: ratios as percentages (so the axis can say « 26 % »)."""
    if fr.is_missing(value):
        return None
    return float(value) * 100 if unit == "ratio" else float(value)  # type: ignore[arg-type]


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


def _n_text(n: object, low_n: bool) -> str:
    count = "–" if fr.is_missing(n) else fr.number(int(n))  # type: ignore[call-overload]
    return f"n = {count}" + (f" ({LOW_N_NOTE})" if low_n else "")


def _time_x(
    month: dt.date, territory_id: str, since_start: bool, starts: Mapping[str, dt.date]
) -> dt.date | int:
    return months_between(starts[territory_id], month) if since_start else month


def _starts(frame: pd.DataFrame, starts: Mapping[str, object] | None) -> dict[str, dt.date]:
    """Each territory's start month: given, else its first month in ``frame``."""
    first = frame.groupby("territory_id")["month"].min() if not frame.empty else pd.Series()
    result = {str(t): _month(m) for t, m in first.items()}
    for territory_id, start in (starts or {}).items():
        result[str(territory_id)] = _month(start)
    return result


def _ms(start: dt.date, end: dt.date) -> float:
    """Duration in milliseconds: a bar's length on a date axis."""
    return (pd.Timestamp(end) - pd.Timestamp(start)) / pd.Timedelta(milliseconds=1)


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
    if first == last:
        return fr.month(first)
    count = months_between(first, last) + 1
    return f"de {fr.month(first)} à {fr.month(last)} ({count} mois)"


def _relative_period(first: int, last: int) -> str:
    if first == last:
        return f"mois {first} depuis le début"
    return f"mois {first} à {last} depuis le début ({last - first + 1} mois)"


# --------------------------------------------------------------------------------------------
# 1. Stage timeline (Vue d'ensemble)


def stage_timeline(
    stages: pd.DataFrame,
    names: dict[str, str],
    model: StageModel,
    since_start: bool = False,
    starts: Mapping[str, dt.date] | None = None,
) -> go.Figure:
    """Declared and inferred stage of every territory, month by month, one row per territory.

    ``stages``: territory_id, month (first of month), declared_stage, inferred_stage (stage ids
    or None). ``names`` gives the rows, top to bottom. The declared stage is a bar in the stage
    colour with the stage number (or label) written on it; the inferred stage a row of markers
    just below (colour and a symbol per stage). Months where both are known and differ are
    hatched over the whole row (« désaccord étape déclarée / mesurée »).

    x axis: calendar months, or with ``since_start`` months since the territory's start
    (``starts``: territory_id → start month; by default its first month in ``stages``).
    """
    title = "Étape déclarée et étape mesurée de chaque territoire, mois par mois"
    rows = stages[stages["territory_id"].isin(list(names))] if not stages.empty else stages
    if rows.empty or not names:
        return empty_figure(title)
    rows = rows.assign(month=_months(rows["month"])).sort_values(["territory_id", "month"])
    start_of = _starts(rows, starts)
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
        return first.isoformat(), _ms(first, add_months(last, 1)), _period(first, last)

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
                x=_array(bucket["x"]),
                base=_array(bucket["base"]),
                y=_array(bucket["y"]),
                width=0.5,
                name=f"déclarée : {stage_label(model, stage_id)}",
                legendgroup="declared",
                legendgrouptitle={"text": "Étape déclarée (journal)"},
                marker={"color": colour, "line": {"color": "white", "width": 1}},
                text=_array(bucket["text"]),
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": _ink_on(colour), "size": 12},
                hovertext=_array(bucket["hover"]),
                hoverinfo="text",
            )
        )
    for stage_id in ranked:
        if stage_id not in inferred:
            continue
        bucket = inferred[stage_id]
        figure.add_trace(
            go.Scatter(
                x=_array(bucket["x"]),
                y=_array(bucket["y"]),
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
                text=_array(bucket["text"]),
                textposition="middle left",
                textfont={"size": 10, "color": TEXT_COLOUR},
                hovertext=_array(bucket["hover"]),
                hoverinfo="text",
            )
        )
    if disagreement["x"]:
        figure.add_trace(
            go.Bar(
                orientation="h",
                x=_array(disagreement["x"]),
                base=_array(disagreement["base"]),
                y=_array(disagreement["y"]),
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
                hovertext=_array(disagreement["hover"]),
                hoverinfo="text",
            )
        )
    # The legend sits under the axis, in pixels: a title row and one row per stage listed.
    legend_height = 30 + 20 * max(len(declared), len(inferred), 1)
    bottom = legend_height + (60 if since_start else 40)
    _layout(
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
    )
    figure.update_yaxes(
        tickvals=list(range(len(order))),
        ticktext=[names[t] for t in order],
        range=[len(order) - 0.45, -0.55],
        showgrid=False,
        zeroline=False,
    )
    if since_start:
        figure.update_xaxes(title="mois depuis le début du territoire", dtick=6, rangemode="tozero")
    else:
        figure.update_xaxes(type="date", title=None)
        months = pd.Series(list(rows["month"]))
        french_month_axis(figure, months)
        figure.update_xaxes(
            range=[months.min().isoformat(), add_months(months.max(), 1).isoformat()]
        )
    return figure


def _ink_on(colour: str) -> str:
    """Dark or white text, whichever reads better on ``colour`` (WCAG relative luminance)."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return TEXT_COLOUR if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


# --------------------------------------------------------------------------------------------
# 2. Indicator heatmap (Vue d'ensemble)

HEATMAP_LABEL_WIDTH = 34


def indicator_heatmap(
    values: pd.DataFrame,
    names: dict[str, str],
    catalogue: Catalogue,
    model: StageModel | None = None,
    territory_stages: Mapping[str, str | None] | None = None,
    transpose: bool = False,
) -> go.Figure:
    """Territories × indicators for one month, each cell coloured by its status band.

    ``values``: the long table for ONE month — territory_id, indicator_id, value, n, low_n,
    status and optionally stage (the indicator's stage, as stored), month and note. Rows are
    the territories of ``names`` in order; columns the indicators present, ordered by stage
    then catalogue order, with the stage written above each group (``model`` gives the stage
    labels and colours; default: the configured stage model). Indicators missing from the
    catalogue come last, under « hors catalogue ». ``transpose`` puts the indicators in rows
    (full labels, stage groups on the right) and the territories in columns: more readable
    for a handful of territories, whereas the default scales to many territories.

    Each territory is labelled with the stage it was judged at: ``territory_stages``
    (territory_id → stage id, e.g. the month's declared stages) or, when not given, the stage
    the statuses imply when they settle it (a judged indicator of that stage, and one « à
    venir » of the next, or of the last stage); otherwise the name alone.

    ``z`` holds discrete status codes (``dashboard.status``: 0 no value, 1 « à venir »,
    2 « sans seuil », 3 « point de vigilance », 4 « à discuter », 5 « force ») drawn with a
    stepped colorscale; each cell's text is the French value, the status icon and « n=3 » when
    the value rests on a small effectif. Legend-only traces name each colour with its icon.
    """
    title = "Indicateurs de chaque territoire, jugés selon l'étape du territoire"
    if values.empty or not names:
        return empty_figure(title)
    if model is None:
        from data.config import get_config

        model = get_config().stage_model
    present = set(values["indicator_id"])
    columns = sorted(
        [i for i in catalogue.indicators if i in present],
        key=lambda i: _stage_order(catalogue, catalogue[i].stage),
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
    territory_stage = (
        dict(territory_stages)
        if territory_stages is not None
        else _judged_stages(values, catalogue)
    )

    z: list[list[int]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    stage_text = {s.id: _stage_label_safe(model, s.id) for s in model.stages}
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
        own = territory_stage.get(territory_id)
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
            text=_array(text),
            texttemplate="%{text}",
            # Narrow cells when many indicators are columns: a smaller font keeps « +0,09 » in.
            textfont={
                "size": 9 if not transpose and len(columns) > 24 else 10,
                "color": TEXT_COLOUR,
            },
            hovertext=_array(hover),
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
    month = _month(values["month"].max()) if "month" in values.columns else None
    territory_labels = [
        _row_label(_wrap(names[t], 17) if transpose else names[t], territory_stage.get(t), model)
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
    if transpose:
        labels = [
            _shorten(catalogue[i].label if i in catalogue.indicators else i, 56) for i in columns
        ]
        _layout(
            figure,
            title,
            subtitle=subtitle,
            height=190 + 30 * len(columns) + 60,
            margin={"l": 10, "r": 44, "t": 170, "b": 60},
            legend=legend,
            plot_bgcolor="white",
        )
        figure.update_xaxes(
            tickvals=list(range(len(order))),
            ticktext=territory_labels,
            side="top",
            tickangle=0,
            tickfont={"size": 12},
            showgrid=False,
            zeroline=False,
            range=[-0.5, len(order) - 0.5],
        )
        figure.update_yaxes(
            tickvals=list(range(len(columns))),
            ticktext=labels,
            range=[len(columns) - 0.5, -0.5],
            showgrid=False,
            zeroline=False,
        )
        return figure
    labels = [
        _shorten(catalogue[i].label if i in catalogue.indicators else i, HEATMAP_LABEL_WIDTH)
        for i in columns
    ]
    _layout(
        figure,
        title,
        subtitle=subtitle,
        height=150 + 46 * len(order) + 230,
        margin={"l": 10, "r": 10, "t": 110, "b": 70},
        legend=legend,
        plot_bgcolor="white",
    )
    figure.update_xaxes(
        tickvals=list(range(len(columns))),
        ticktext=labels,
        tickangle=-45,
        showgrid=False,
        zeroline=False,
        range=[-0.5, len(columns) - 0.5],
    )
    figure.update_yaxes(
        tickvals=list(range(len(order))),
        ticktext=territory_labels,
        range=[len(order) - 0.5, -0.5],
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


def _judged_stages(values: pd.DataFrame, catalogue: Catalogue) -> dict[str, str]:
    """The stage each territory was judged at, read back from its statuses where they settle
    it: an indicator is « à venir » exactly when its stage is later than the territory's, and
    judged (force, à discuter…) when it is not. Territories left ambiguous (e.g. no indicator
    of the stage after theirs) are absent."""
    rank_of = {i: catalogue.rank(d.stage) for i, d in catalogue.indicators.items()}
    frame = pd.DataFrame(
        {
            "territory_id": values["territory_id"].to_numpy(dtype=object),
            "rank": values["indicator_id"].map(rank_of).to_numpy(dtype="float64"),
            "status": values["status"].to_numpy(dtype=object),
        }
    ).dropna()
    upcoming = frame["status"] == UPCOMING
    upper = (frame["rank"][upcoming] - 1).groupby(frame["territory_id"][upcoming]).min()
    lower = frame["rank"][~upcoming].groupby(frame["territory_id"][~upcoming]).max()
    last = len(catalogue.stages)
    stages: dict[str, str] = {}
    for territory_id, low in lower.items():
        if low >= 1 and upper.get(territory_id, last) == low:
            stages[str(territory_id)] = catalogue.stages[int(low) - 1]
    return stages


def _stage_order(catalogue: Catalogue, stage_id: str) -> int:
    return catalogue.rank(stage_id) if stage_id in catalogue.stages else len(catalogue.stages) + 1


def _stage_label_safe(model: StageModel, stage_id: str | None) -> str:
    """« 2 · Structuration », or the id itself for a stage the model does not know."""
    try:
        return stage_label(model, stage_id)
    except (KeyError, ValueError):
        return str(stage_id)


def _row_label(name: str, stage_id: object, model: StageModel) -> str:
    if fr.is_missing(stage_id):
        return name
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
    lines = [heading, f"valeur : {value_text}", _n_text(n, low_n), style.badge]
    note = row.get("note")
    if not fr.is_missing(note) and note:
        lines.append(f"<i>{note}</i>")
    return style.code, cell.strip(), "<br>".join(lines)


# --------------------------------------------------------------------------------------------
# 3. Small multiples of key indicators (Vue d'ensemble)

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
    """
    title = "Évolution d'indicateurs clés, par territoire"
    rows = values[values["territory_id"].isin(list(names))] if not values.empty else values
    rows = rows[rows["indicator_id"].isin(list(catalogue.indicators))] if not rows.empty else rows
    if rows.empty:
        return empty_figure(title)
    rows = rows.assign(month=_months(rows["month"])).sort_values("month", kind="stable")
    start_of = _starts(rows, starts)
    present = set(rows["indicator_id"])
    indicator_ids = sorted(
        [i for i in catalogue.indicators if i in present],
        key=lambda i: _stage_order(catalogue, catalogue[i].stage),
    )
    with_values = set(rows["territory_id"])
    order = [t for t in names if t in with_values]
    many = len(order) > max_series
    width = max(1, min(columns, len(indicator_ids)))
    height_rows = math.ceil(len(indicator_ids) / width)
    figure = make_subplots(
        rows=height_rows,
        cols=width,
        subplot_titles=[_wrap(catalogue[i].label, 42) for i in indicator_ids],
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
    _layout(
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
    )
    figure.update_annotations(font={"size": 12})
    if since_start:
        figure.update_xaxes(dtick=6, rangemode="tozero")
        figure.update_xaxes(title="mois depuis le début", row=height_rows)
    else:
        french_month_axis(figure, pd.Series(list(rows["month"])), every=12)
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
        "y": [_plotted(v, definition.unit) for v in frame["value"]],
        "low": low,
        "upcoming": [s == UPCOMING for s in statuses],
        "hover": [
            f"<b>{names[territory_id]}</b> — {fr.month(m)}<br>{definition.label}<br>"
            f"{fr.indicator_value(v, definition.unit)} · {_n_text(n, lo)}<br>"
            f"{status_style(s).badge}"
            for m, v, n, lo, s in zip(
                months, frame["value"], frame["n"], low, statuses, strict=True
            )
        ],
    }


def _upcoming_part(y: Sequence[float | None], upcoming: Sequence[bool]) -> list[float | None]:
    """The « à venir » months of a line, with their judged neighbours so the line stays joined."""
    keep = [
        u or (i > 0 and upcoming[i - 1]) or (i + 1 < len(y) and upcoming[i + 1])
        for i, u in enumerate(upcoming)
    ]
    return [v if k else None for v, k in zip(y, keep, strict=True)]


def _territory_lines(
    series: list[dict[str, Any]], names: Mapping[str, str], in_legend: set[str]
) -> list[go.Scatter]:
    """A few territories: each its own colour and symbol, in the legend once (``in_legend``
    collects those already there)."""
    traces = []
    for one in series:
        territory_id = one["territory_id"]
        colour, symbol = _series_style(list(names), territory_id)
        symbols = [_open_symbol(symbol) if lo else symbol for lo in one["low"]]
        if any(one["upcoming"]):
            traces.append(
                go.Scatter(
                    x=one["x"],
                    y=_upcoming_part(one["y"], one["upcoming"]),
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


# --------------------------------------------------------------------------------------------
# 4. Seven-factor radar (Territoire)

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
    title = "Profil des facteurs de coopération, par année (scores de 1 à 5)"
    scores = (
        factor_scores[factor_scores["factor_id"].isin(list(factor_labels))]
        if not factor_scores.empty
        else factor_scores
    )
    if scores.empty or not factor_labels:
        return empty_figure(title)
    factors = list(factor_labels)
    theta = [_wrap(factor_labels[f], 16) for f in factors]
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
            _open_symbol(symbol) if c is not None and c < SURVEY_MIN_N else symbol for c in counts
        ]
        known = [c for c in counts if c is not None]
        n_text = ""
        if known:
            low, high = min(known), max(known)
            n_text = (
                f" (n = {fr.number(low)})"
                if low == high
                else (f" (n = {fr.number(low)} à {fr.number(high)})")
            )
        hover = [
            f"<b>{factor_labels[f]}</b><br>{year} : "
            + (f"{fr.number(v, 1)} sur 5" if v is not None else "pas de score")
            + (f"<br>{_n_text(c, c < SURVEY_MIN_N)}" if c is not None else "")
            for f, v, c in zip(factors, values, counts, strict=True)
        ]
        figure.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=closed_theta,
                mode="lines+markers",
                name=f"{year}{n_text}",
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
    _layout(
        figure,
        title,
        subtitle="Seuils de Wilder : 4 et plus, une force ; moins de 3, un point de vigilance",
        height=640,
        margin={"l": 70, "r": 70, "t": 130, "b": 120},
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
        angularaxis={"direction": "clockwise", "rotation": 90, "gridcolor": "#E3E6EA"},
        bgcolor="white",
    )
    return figure


# --------------------------------------------------------------------------------------------
# 5. Cooperation network of a wave (Territoire)

# Paul Tol's "muted" scheme, designed to stay distinct for colour-blind readers; each sector
# also has its own marker symbol.
SECTOR_COLOURS = ("#332288", "#DDCC77", "#44AA99", "#CC6677", "#88CCEE", "#999933")
SECTOR_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "star", "hexagon")
TIE_COLOUR = "#3C4A5C"
TIE_WIDTHS = {1: 0.6, 2: 1.0, 3: 1.7, 4: 2.5, 5: 3.4}
TIE_OPACITIES = {1: 0.22, 2: 0.32, 3: 0.5, 4: 0.68, 5: 0.85}


def _clean_ties(ties: pd.DataFrame, node_ids: set | None = None) -> pd.DataFrame:
    """Undirected ties of level ≥ 1: one row per pair (the highest level if given twice),
    without self-ties or, given ``node_ids``, ties to unknown nodes."""
    if ties.empty:
        return pd.DataFrame({"source": [], "target": [], "level": []})
    frame = ties[["source", "target", "level"]].dropna()
    frame = frame[(frame["level"] >= 1) & (frame["source"] != frame["target"])]
    if node_ids is not None:
        frame = frame[frame["source"].isin(node_ids) & frame["target"].isin(node_ids)]
    pairs = [
        tuple(sorted((s, t), key=str))
        for s, t in zip(frame["source"], frame["target"], strict=True)
    ]
    frame = frame.assign(
        source=[p[0] for p in pairs], target=[p[1] for p in pairs], level=frame["level"].astype(int)
    )
    return (
        frame.groupby(["source", "target"], as_index=False, sort=True)["level"]
        .max()
        .reset_index(drop=True)
    )


def network_layout(
    node_ids: Sequence[object], ties: pd.DataFrame, seed: int = 20261123, iterations: int = 150
) -> dict[object, tuple[float, float]]:
    """Deterministic force-directed positions (Fruchterman–Reingold, as networkx's
    ``spring_layout``, in numpy so the dashboard does not depend on networkx).

    Nodes are placed in the order of their sorted ids from a seeded random start; stronger ties
    pull harder (weight = level); a light pull to the centre keeps isolated organisations in
    view. Positions are centred and scaled into [-1, 1].
    """
    ordered = sorted(node_ids, key=str)
    count = len(ordered)
    if count == 0:
        return {}
    if count == 1:
        return {ordered[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(ordered)}
    weight = np.zeros((count, count))
    for source, target, level in zip(ties["source"], ties["target"], ties["level"], strict=True):
        if source in index and target in index:
            weight[index[source], index[target]] = weight[index[target], index[source]] = level
    position = np.random.default_rng(seed).random((count, 2))
    k = 1 / math.sqrt(count)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = position[:, None, :] - position[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 0.01)
        force = k * k / distance**2 - weight * distance / k
        displacement = np.einsum("ijk,ij->ik", delta, force)
        displacement -= 0.6 * k * (position - position.mean(axis=0)) * count / 10
        length = np.linalg.norm(displacement, axis=-1)
        length = np.where(length < 0.01, 0.1, length)
        position += displacement * (temperature / length)[:, None]
        temperature -= cooling
    position -= position.mean(axis=0)
    scale = np.abs(position).max() or 1.0
    position /= scale
    return {node: (float(position[i, 0]), float(position[i, 1])) for node, i in index.items()}


def network_graph(
    nodes: pd.DataFrame,
    ties: pd.DataFrame,
    sector_labels: dict[str, str],
    seed: int = 20261123,
    wave_label: str | None = None,
    level_labels: dict[int, str] | None = None,
    dense: int = 150,
) -> go.Figure:
    """The cooperation network of one survey wave.

    ``nodes``: actor_id, name, sector. ``ties``: source, target, level (1–5; level 0, self-ties
    and ties to unknown actors are ignored; a pair given twice keeps its highest level).
    ``sector_labels``: sector id → French label, in legend order (its position gives the
    sector's colour and symbol). ``wave_label`` (e.g. « vague 3 — mai 2026 ») goes in the
    subtitle. Layout: :func:`network_layout` with ``seed`` (same data, same picture).

    Traces: one per tie level present (lines, one segment per tie, thicker and darker as the
    level rises, named « 3 · Coordination »), one invisible trace of tie midpoints for hover,
    then one per sector (markers sized by degree; hover: name, sector, number of ties).
    With more than ``dense`` ties, levels 1–2 start hidden (``visible="legendonly"``: a click
    on the legend shows them) and the subtitle says so; degrees always count every tie.
    """
    title = "Réseau de coopération entre les organisations répondantes"
    if nodes.empty:
        return empty_figure(title, height=520)
    levels = level_labels or COLLABORATION_LEVELS
    node_frame = nodes.drop_duplicates("actor_id").reset_index(drop=True)
    node_ids = set(node_frame["actor_id"])
    links = _clean_ties(ties, node_ids)
    position = network_layout(list(node_frame["actor_id"]), links, seed=seed)
    name_of = dict(zip(node_frame["actor_id"], node_frame["name"], strict=True))
    degree: dict[object, int] = dict.fromkeys(node_ids, 0)
    strong: dict[object, int] = dict.fromkeys(node_ids, 0)
    for source, target, level in zip(links["source"], links["target"], links["level"], strict=True):
        for end in (source, target):
            degree[end] += 1
            strong[end] += int(level >= 3)

    figure = go.Figure()
    hide_weak = len(links) > dense and bool((links["level"] >= 3).any())
    for level in sorted(set(links["level"])):
        block = links[links["level"] == level]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for source, target in zip(block["source"], block["target"], strict=True):
            xs += [position[source][0], position[target][0], None]
            ys += [position[source][1], position[target][1], None]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"{level} · {levels.get(level, '')}",
                line={"color": TIE_COLOUR, "width": TIE_WIDTHS.get(level, 1.0)},
                opacity=TIE_OPACITIES.get(level, 0.5),
                hoverinfo="skip",
                visible="legendonly" if hide_weak and level < 3 else True,
                legendgroup="levels",
                legendgrouptitle={"text": "Niveau de collaboration"},
            )
        )
    if not links.empty:
        figure.add_trace(
            go.Scatter(
                x=[
                    (position[s][0] + position[t][0]) / 2
                    for s, t in zip(links["source"], links["target"], strict=True)
                ],
                y=[
                    (position[s][1] + position[t][1]) / 2
                    for s, t in zip(links["source"], links["target"], strict=True)
                ],
                mode="markers",
                marker={"size": 6, "color": TIE_COLOUR, "opacity": 0},
                hovertext=[
                    f"{name_of[s]} — {name_of[t]}<br>niveau {lv} · {levels.get(lv, '')}"
                    for s, t, lv in zip(
                        links["source"], links["target"], links["level"], strict=True
                    )
                ],
                hoverinfo="text",
                name="liens",
                showlegend=False,
            )
        )
    sectors = list(sector_labels) + sorted(set(node_frame["sector"]) - set(sector_labels), key=str)
    for index, sector in enumerate(sectors):
        block = node_frame[node_frame["sector"] == sector]
        if block.empty:
            continue
        label = sector_labels.get(sector, str(sector))
        ids = list(block["actor_id"])
        figure.add_trace(
            go.Scatter(
                x=[position[a][0] for a in ids],
                y=[position[a][1] for a in ids],
                mode="markers",
                name=label,
                marker={
                    "color": SECTOR_COLOURS[index % len(SECTOR_COLOURS)],
                    "symbol": SECTOR_SYMBOLS[index % len(SECTOR_SYMBOLS)],
                    "size": [9 + 2.2 * math.sqrt(degree[a]) for a in ids],
                    "opacity": 1,  # plotly fades markers of varying size by default
                    "line": {"color": "white", "width": 1},
                },
                hovertext=[
                    f"<b>{name_of[a]}</b><br>secteur : {label}<br>liens : {degree[a]}"
                    + (f" (dont {strong[a]} de niveau ≥ 3)" if strong[a] else "")
                    for a in ids
                ],
                hoverinfo="text",
                legendgroup="sectors",
                legendgrouptitle={"text": "Secteur"},
            )
        )
    count = len(node_frame)
    subtitle = f"{fr.number(count)} organisations, {fr.number(len(links))} liens"
    if count < SURVEY_MIN_N:
        subtitle += f" — {LOW_N_NOTE} : à lire avec prudence"
    if hide_weak:
        subtitle += " — liens de niveau 1 et 2 masqués (cliquer la légende pour les voir)"
    if wave_label:
        subtitle = f"{wave_label} — {subtitle}"
    _layout(
        figure,
        title,
        subtitle=subtitle,
        height=640,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        legend={
            "orientation": "v",
            "x": 1.0,
            "y": 1,
            "xanchor": "left",
            "groupclick": "toggleitem",
        },
        plot_bgcolor="white",
        hovermode="closest",
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return figure


CHANGE_KINDS: dict[str, str] = {
    "new_tie": "nouveau lien",
    "level_up": "lien renforcé",
    "level_down": "lien affaibli",
    "lost_tie": "lien disparu",
    "new_node": "nouvelle organisation",
    "lost_node": "organisation absente de la vague",
}
CHANGE_COLUMNS = ("kind", "Changement", "Organisations", "Avant", "Après")


def network_changes(
    prev_ties: pd.DataFrame,
    ties: pd.DataFrame,
    names: dict[object, str],
    prev_nodes: Sequence[object] | None = None,
    nodes: Sequence[object] | None = None,
    level_labels: dict[int, str] | None = None,
) -> pd.DataFrame:
    """What changed in the network between the previous wave and this one, as a table.

    ``prev_ties`` / ``ties``: source, target, level (level ≥ 1 is a tie). ``names``: actor_id →
    name. ``prev_nodes`` / ``nodes``: the organisations of each wave (default: the ends of its
    ties). Returns one row per change, columns ``kind`` (new_tie, level_up, level_down,
    lost_tie, new_node, lost_node — for filtering and counting) and the French « Changement »,
    « Organisations », « Avant », « Après », in that order of kinds, then by organisation.

    A tie is compared only when both organisations are in both waves: an organisation that did
    not answer this wave takes its ties with it, and is listed once as « organisation absente
    de la vague » with its former number of ties (likewise a new organisation with its ties),
    rather than as many « lien disparu ».
    """
    levels = level_labels or COLLABORATION_LEVELS
    before = _clean_ties(prev_ties)
    after = _clean_ties(ties)

    def ends(frame: pd.DataFrame) -> set:
        return set(frame["source"]) | set(frame["target"])

    old_nodes = set(prev_nodes) if prev_nodes is not None else ends(before)
    new_nodes = set(nodes) if nodes is not None else ends(after)
    both = old_nodes & new_nodes
    old = {(s, t): int(lv) for s, t, lv in before.itertuples(index=False)}
    new = {(s, t): int(lv) for s, t, lv in after.itertuples(index=False)}

    def name(actor: object) -> str:
        return str(names.get(actor, actor))

    def pair(key: tuple) -> str:
        return " — ".join(sorted((name(key[0]), name(key[1]))))

    def level(value: int | None) -> str:
        return "—" if value is None else f"niveau {value} · {levels.get(value, '')}"

    def ties_of(actor: object, table: dict) -> str:
        count = sum(actor in key for key in table)
        return f"{count} lien" + ("s" if count > 1 else "")

    records: list[tuple[str, str, str, str]] = []
    for key in set(old) | set(new):
        if not (key[0] in both and key[1] in both):
            continue
        a, b = old.get(key), new.get(key)
        if a is None:
            records.append(("new_tie", pair(key), level(None), level(b)))
        elif b is None:
            records.append(("lost_tie", pair(key), level(a), level(None)))
        elif b > a:
            records.append(("level_up", pair(key), level(a), level(b)))
        elif b < a:
            records.append(("level_down", pair(key), level(a), level(b)))
    for actor in new_nodes - old_nodes:
        records.append(("new_node", name(actor), "—", ties_of(actor, new)))
    for actor in old_nodes - new_nodes:
        records.append(("lost_node", name(actor), ties_of(actor, old), "—"))
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    records.sort(key=lambda r: (order[r[0]], r[1]))
    return pd.DataFrame(
        [(kind, CHANGE_KINDS[kind], who, was, now) for kind, who, was, now in records],
        columns=list(CHANGE_COLUMNS),
    )


# --------------------------------------------------------------------------------------------
# 6. Indicator sparkline (indicator cards, Territoire)


def indicator_trend(values: pd.DataFrame, definition: IndicatorDef, height: int = 120) -> go.Figure:
    """A sparkline of one indicator of one territory, for its card (the card names it).

    ``values``: month, value, n, low_n, status. No axes, no legend; the short title says the
    period (« Évolution depuis janv. 2024 »). The line is dark where the indicator is judged,
    dotted and grey where it is « à venir »; a value resting on a small effectif is a hollow
    marker (other months have no marker); the last value is a larger dot. Hover: the month,
    the French value, n and the status.
    """
    rows = values.dropna(subset=["month"]) if not values.empty else values
    if rows.empty or rows["value"].isna().all():
        figure = empty_figure("Évolution", height=height)
        figure.update_layout(title_font_size=12, margin={"l": 4, "r": 4, "t": 26, "b": 4})
        return figure
    rows = rows.assign(month=_months(rows["month"])).sort_values("month")
    months = list(rows["month"])
    title = f"Évolution depuis {fr.month_short(months[0])}"
    y = [_plotted(v, definition.unit) for v in rows["value"]]
    low = [bool(v) and not fr.is_missing(v) for v in rows["low_n"]]
    upcoming = [s == UPCOMING for s in rows["status"]]
    hover = [
        f"{fr.month(m)} : {fr.indicator_value(v, definition.unit)}<br>{_n_text(n, lo)}<br>"
        f"{status_style(None if fr.is_missing(s) else s).badge}"
        for m, v, n, lo, s in zip(
            months, rows["value"], rows["n"], low, rows["status"], strict=True
        )
    ]
    figure = go.Figure()
    if any(upcoming):
        keep = [
            u or (i > 0 and upcoming[i - 1]) or (i + 1 < len(y) and upcoming[i + 1])
            for i, u in enumerate(upcoming)
        ]
        figure.add_trace(
            go.Scatter(
                x=months,
                y=[v if k else None for v, k in zip(y, keep, strict=True)],
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
    _layout(
        figure,
        title,
        height=height,
        margin={"l": 4, "r": 4, "t": 26, "b": 4},
        showlegend=False,
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        hovermode="closest",
    )
    figure.update_layout(title_font_size=12, title_x=0, title_xanchor="left", title_pad_l=4)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, **_sparkline_range(y, definition.unit))
    return figure


def _sparkline_range(y: Sequence[float | None], unit: str) -> dict[str, Any]:
    known = [v for v in y if v is not None]
    low, high = min(known), max(known)
    pad = (high - low) * 0.15 or max(abs(high) * 0.1, 0.5 if unit.startswith("score") else 0.05)
    return {"range": [low - pad, high + pad]}


# --------------------------------------------------------------------------------------------
# 7. Joint actions on a timeline (Territoire)

ACTION_STYLES: dict[str, dict[str, Any]] = {
    "planned": {
        "color": "#F3EBC8",
        "line": {"color": "#8C7A2E", "width": 1.2},
        "pattern": {"shape": "/", "fgcolor": "#8C7A2E", "size": 7, "solidity": 0.25},
    },
    "under_way": {"color": "#44AA99", "line": {"color": "#2C7366", "width": 1.2}},
    "completed": {"color": "#332288", "line": {"color": "#332288", "width": 1.2}},
    "abandoned": {
        "color": "#E3E3E3",
        "line": {"color": "#8A8A8A", "width": 1.2},
        "pattern": {"shape": "x", "fgcolor": "#8A8A8A", "size": 7, "solidity": 0.2},
    },
}
OPEN_ENDED_MIN_DAYS = 20
ACTION_TITLE_WIDTH = 46


def joint_actions_timeline(actions: pd.DataFrame, today: dt.date | None = None) -> go.Figure:
    """The territory's joint actions as bars from start to end, one row per action.

    ``actions``: title, start_date, end_date (None: open-ended), status (planned, under_way,
    completed, abandoned) and sectors (number of sectors taking part). Rows follow the start
    date, earliest on top. An action without an end date reaches ``today`` (default: the
    system date; pass the programme's current month for a reproducible page) and its text
    starts with an arrow « → »; one that starts later is drawn three weeks long. One trace per
    status present, in the order above, named in French; a planned action is hatched, an
    abandoned one crossed and grey, so colour is never alone. The text beside each bar gives
    its number of sectors; a vertical line marks today.
    """
    title = "Actions communes du territoire, par statut"
    if actions.empty:
        return empty_figure(title)
    today = today or dt.date.today()
    rows = actions.assign(
        start_date=[pd.Timestamp(d).date() for d in actions["start_date"]],
        end_date=[
            None if fr.is_missing(d) else pd.Timestamp(d).date() for d in actions["end_date"]
        ],
    ).reset_index(drop=True)
    rows = rows.sort_values(["start_date", "title"], kind="stable").reset_index(drop=True)
    figure = go.Figure()
    open_count = 0
    last_end = today
    for status in [*ACTION_STATUS_LABELS, *sorted(set(rows["status"]) - set(ACTION_STATUS_LABELS))]:
        block = rows[rows["status"] == status]
        if block.empty:
            continue
        label = ACTION_STATUS_LABELS.get(status, str(status))
        bases, lengths, ys, texts, hovers = [], [], [], [], []
        for position, row in block.iterrows():
            start, end = row["start_date"], row["end_date"]
            open_ended = end is None
            shown_end = end or max(today, start + dt.timedelta(days=OPEN_ENDED_MIN_DAYS))
            sectors = None if fr.is_missing(row.get("sectors")) else int(row["sectors"])
            sector_text = (
                "" if sectors is None else f"{sectors} secteur" + ("s" if sectors > 1 else "")
            )
            bases.append(start.isoformat())
            lengths.append(_ms(start, shown_end))
            ys.append(position)
            texts.append(sector_text)
            hovers.append(
                f"<b>{row['title']}</b><br>{label}<br>du {fr.date(start)} "
                + (
                    ("— sans date de fin" if start <= today else "— date de fin non fixée")
                    if open_ended
                    else f"au {fr.date(end)}"
                )
                + (f"<br>{sector_text}" if sector_text else "")
                + (" (multisectorielle)" if sectors is not None and sectors >= 3 else "")
            )
            if open_ended and start <= today:
                texts[-1] = f"→ {sector_text}".strip()
                open_count += 1
            last_end = max(last_end, shown_end)
        figure.add_trace(
            go.Bar(
                orientation="h",
                base=bases,
                x=lengths,
                y=ys,
                width=0.6,
                name=label,
                marker=ACTION_STYLES.get(status, {"color": NEUTRAL}),
                text=texts,
                textposition="outside",
                textfont={"size": 11, "color": TEXT_COLOUR},
                cliponaxis=False,
                hovertext=hovers,
                hoverinfo="text",
            )
        )
    if open_count:
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "arrow-right", "size": 12, "color": TEXT_COLOUR},
                name="sans date de fin : jusqu'à aujourd'hui",
                hoverinfo="skip",
            )
        )
    figure.add_vline(
        x=today.isoformat(), line={"color": MUTED_TEXT_COLOUR, "dash": "dash", "width": 1}
    )
    figure.add_annotation(
        x=today.isoformat(),
        y=1,
        yref="paper",
        yanchor="bottom",
        text="aujourd'hui",
        showarrow=False,
        font={"size": 11, "color": MUTED_TEXT_COLOUR},
    )
    first = min(rows["start_date"])
    last = last_end
    _layout(
        figure,
        title,
        height=150 + 34 * len(rows),
        barmode="overlay",
        margin={"l": 10, "r": 60, "t": 70, "b": 10},
        legend={"orientation": "h", "yref": "container", "y": 0.01, "yanchor": "bottom"},
    )
    figure.update_yaxes(
        tickvals=list(range(len(rows))),
        ticktext=[_shorten(str(t), ACTION_TITLE_WIDTH) for t in rows["title"]],
        range=[len(rows) - 0.5, -0.6],
        showgrid=False,
    )
    figure.update_xaxes(
        type="date",
        range=[
            add_months(first.replace(day=1), -1).isoformat(),
            add_months(last.replace(day=1), 2).isoformat(),
        ],
    )
    span = months_between(first, last)
    french_month_axis(
        figure, pd.Series([first, last]), every=1 if span <= 6 else 3 if span <= 24 else 6
    )
    return figure
