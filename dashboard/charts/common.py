"""What the chart families share: the French layout, the empty figure, the month axis, the
territories' series styles and the small conversions every builder makes (months, values,
« n = 3 (petit effectif) »)."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.status import MUTED_TEXT_COLOUR
from dashboard.theme import PLOTLY_LAYOUT, SERIES_COLOURS, SERIES_SYMBOLS
from data import fr
from indicators.catalogue import Catalogue

EMPTY_MESSAGE = "Pas encore de données"
LOW_N_NOTE = "petit effectif"


def empty_figure(title: str, height: int | None = None) -> go.Figure:
    """A figure with its title and a centred « Pas encore de données » instead of a chart."""
    figure = go.Figure()
    apply_layout(figure, title, height=height, plot_bgcolor="white")
    figure.add_annotation(
        text=EMPTY_MESSAGE,
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


def apply_layout(
    figure: go.Figure, title: str, subtitle: str | None = None, **overrides: Any
) -> None:
    """The shared French layout, a title (and subtitle), then builder-specific overrides
    (an override given as None is left out)."""
    layout: dict[str, Any] = {
        **PLOTLY_LAYOUT,
        **{k: v for k, v in overrides.items() if v is not None},
    }
    heading: dict[str, Any] = {"text": title}
    if subtitle:
        heading["subtitle"] = {"text": subtitle, "font": {"color": MUTED_TEXT_COLOUR}}
    figure.update_layout(title=heading, **layout)


def french_month_axis(figure: go.Figure, months: pd.Series, every: int = 6) -> None:
    """Label a date x axis with French month names (« janv. 2025 »), one tick every few months."""
    start = pd.Timestamp(months.min()).to_period("M")
    end = pd.Timestamp(months.max()).to_period("M")
    first = start - (start.month - 1) % every  # align ticks on January / July
    ticks = pd.period_range(first, end, freq=f"{every}M").to_timestamp()
    figure.update_xaxes(tickvals=list(ticks), ticktext=[fr.month_short(t.date()) for t in ticks])


def year_axis(figure: go.Figure, months: pd.Series) -> None:
    """Label a date x axis with the years (« 2025 » at each 1st of January in ``months``'
    span), a small tick every quarter between them: short enough for a phone's width."""
    start = pd.Timestamp(months.min()).to_period("M")
    end = pd.Timestamp(months.max()).to_period("M") + 1
    years = [pd.Timestamp(year=y, month=1, day=1) for y in range(start.year, end.year + 1)]
    years = [y for y in years if start.to_timestamp() <= y <= end.to_timestamp()]
    quarters = pd.period_range(start, end, freq="M").to_timestamp()
    figure.update_xaxes(
        tickvals=years,
        ticktext=[str(y.year) for y in years],
        ticks="outside",
        ticklen=8,
        tickangle=0,
        minor={
            "tickvals": [q for q in quarters if q.month in (4, 7, 10)],
            "ticks": "outside",
            "ticklen": 4,
        },
    )


def series_style(names: Sequence[str], territory_id: str) -> tuple[str, str]:
    """Colour and marker symbol of a territory: by its position in ``names``."""
    index = list(names).index(territory_id) if territory_id in names else len(names)
    return SERIES_COLOURS[index % len(SERIES_COLOURS)], SERIES_SYMBOLS[index % len(SERIES_SYMBOLS)]


def month_start(value: object) -> dt.date:
    """A date or timestamp as the first day of its month."""
    return pd.Timestamp(value).date().replace(day=1)


def month_starts(values: pd.Series) -> list[dt.date]:
    """A column of dates or timestamps as first days of month (vectorised :func:`month_start`)."""
    stamps = pd.to_datetime(pd.Series(values, dtype=object)).dt.to_period("M").dt.start_time
    return list(stamps.dt.date)


def start_months(frame: pd.DataFrame, starts: Mapping[str, object] | None) -> dict[str, dt.date]:
    """Each territory's start month: given in ``starts``, else its first month in ``frame``
    (columns territory_id, month)."""
    first = frame.groupby("territory_id")["month"].min() if not frame.empty else pd.Series()
    result = {str(t): month_start(m) for t, m in first.items()}
    for territory_id, start in (starts or {}).items():
        result[str(territory_id)] = month_start(start)
    return result


def duration_ms(start: dt.date, end: dt.date) -> float:
    """Duration in milliseconds: a bar's length on a date axis."""
    return (pd.Timestamp(end) - pd.Timestamp(start)) / pd.Timedelta(milliseconds=1)


def as_array(values: Sequence[Any]) -> np.ndarray:
    """Values as a numpy array: plotly validates, copies and sends numpy arrays far faster
    than lists (strings become a fixed-width unicode array, copied in one block)."""
    return np.asarray(values)


def open_symbol(symbol: str) -> str:
    """The hollow version of a plotly marker symbol (« circle » → « circle-open »)."""
    return f"{symbol}-open"


def wrap(text: str, width: int) -> str:
    """Wrap a label on ``<br>`` for plotly (which does not wrap); a word longer than
    ``width`` stays whole (« Communication »)."""
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=True)
    return "<br>".join(lines) or text


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, an ellipsis marking the cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def plotted(value: float | None, unit: str) -> float | None:
    """The number plotted on a y axis: ratios as percentages (so the axis can say « 26 % »)."""
    if fr.is_missing(value):
        return None
    return float(value) * 100 if unit == "ratio" else float(value)  # type: ignore[arg-type]


def upcoming_part(y: Sequence[float | None], upcoming: Sequence[bool]) -> list[float | None]:
    """The « à venir » months of a line, with their judged neighbours so the line stays joined."""
    keep = [
        u or (i > 0 and upcoming[i - 1]) or (i + 1 < len(y) and upcoming[i + 1])
        for i, u in enumerate(upcoming)
    ]
    return [v if k else None for v, k in zip(y, keep, strict=True)]


def n_text(n: object, low_n: bool) -> str:
    """« n = 12 », or « n = 3 (petit effectif) » for a value resting on a small effectif."""
    count = "–" if fr.is_missing(n) else fr.number(int(n))  # type: ignore[call-overload]
    return f"n = {count}" + (f" ({LOW_N_NOTE})" if low_n else "")


def stage_order(catalogue: Catalogue, stage_id: str) -> int:
    """Sort key of an indicator's stage: its rank, a stage outside the catalogue last."""
    return catalogue.rank(stage_id) if stage_id in catalogue.stages else len(catalogue.stages) + 1
