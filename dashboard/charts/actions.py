"""The joint actions of a territory on a timeline (Territoire), one bar per action."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.common import (
    apply_layout,
    duration_ms,
    empty_figure,
    french_month_axis,
    shorten,
    wrap,
)
from dashboard.status import MUTED_TEXT_COLOUR, TEXT_COLOUR
from dashboard.theme import NEUTRAL
from data import fr
from data.domain.months import add_months, months_between

ACTION_STATUS_LABELS: dict[str, str] = {
    "planned": "prévue",
    "under_way": "en cours",
    "completed": "terminée",
    "abandoned": "abandonnée",
}
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
ACTION_TITLE_WIDTH = 46  # longer titles are cut…
ACTION_TITLE_WRAP = 24  # …and wrapped on lines of this many characters
LABEL_PX = 170  # the rows' labels
PLOT_MIN_PX = 430  # the bars and their month ticks


def joint_actions_timeline(actions: pd.DataFrame, today: dt.date) -> go.Figure:
    """The territory's joint actions as bars from start to end, one row per action.

    ``actions``: title, start_date, end_date (None: open-ended), status (planned, under_way,
    completed, abandoned) and sectors (number of sectors taking part). Rows follow the start
    date, earliest on top. An action without an end date reaches ``today`` (the programme's
    current month rather than the system date, so that a page is reproducible) and its text
    starts with an arrow « → »; one that starts later is drawn three weeks long. One trace per
    status present, in the order above, named in French; a planned action is hatched, an
    abandoned one crossed and grey, so colour is never alone. The text beside each bar gives
    its number of sectors; a vertical line marks today. ``layout.meta["min_width"]`` is the
    narrowest readable width, in pixels (a phone scrolls the chart rather than squash it).
    """
    title = "Actions communes du territoire, par statut"
    if actions.empty:
        return empty_figure(title)
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
            lengths.append(duration_ms(start, shown_end))
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
    apply_layout(
        figure,
        title,
        height=190 + 40 * len(rows),
        barmode="overlay",
        margin={"l": 10, "r": 60, "t": 70, "b": 50},
        legend={"orientation": "h", "yref": "container", "y": 0.01, "yanchor": "bottom"},
        meta={"min_width": LABEL_PX + PLOT_MIN_PX},
    )
    figure.update_yaxes(
        tickvals=list(range(len(rows))),
        ticktext=[
            wrap(shorten(str(t), ACTION_TITLE_WIDTH), ACTION_TITLE_WRAP) for t in rows["title"]
        ],
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
