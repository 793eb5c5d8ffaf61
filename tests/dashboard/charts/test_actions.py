"""The joint actions timeline on hand-built actions."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts
from dashboard.charts.actions import OPEN_ENDED_MIN_DAYS
from tests.dashboard.charts.conftest import ms


def test_joint_actions_by_status_with_open_ended_reaching_today() -> None:
    actions = pd.DataFrame(
        [
            ("Café des aidants", dt.date(2026, 3, 1), None, "under_way", 3),
            ("Covoiturage", dt.date(2025, 6, 1), dt.date(2025, 12, 31), "completed", 2),
            ("Chantier jeunes", dt.date(2027, 1, 10), None, "planned", 1),
            ("Épicerie", dt.date(2025, 9, 1), dt.date(2025, 10, 1), "abandoned", 4),
        ],
        columns=["title", "start_date", "end_date", "status", "sectors"],
    )
    today = dt.date(2026, 11, 1)
    figure = charts.joint_actions_timeline(actions, today=today)
    bars = [t for t in figure.data if t.type == "bar"]
    assert [t.name for t in bars] == ["prévue", "en cours", "terminée", "abandonnée"]
    planned, under_way, completed, abandoned = bars
    assert list(under_way.base) == ["2026-03-01"]
    assert list(under_way.x) == [ms(245)]  # 1 March → 1 November 2026
    assert list(under_way.text) == ["→ 3 secteurs"]
    assert "multisectorielle" in under_way.hovertext[0]
    assert list(completed.x) == [ms(213)]
    assert list(completed.text) == ["2 secteurs"]
    # Planned for later, no end: three weeks long, no arrow (it does not reach today).
    assert list(planned.x) == [ms(OPEN_ENDED_MIN_DAYS)]
    assert list(planned.text) == ["1 secteur"]
    assert "date de fin non fixée" in planned.hovertext[0]
    assert planned.marker.pattern.shape == "/" and abandoned.marker.pattern.shape == "x"
    # Rows by start date: Covoiturage, Épicerie, Café des aidants, Chantier jeunes.
    assert list(figure.layout.yaxis.ticktext) == [
        "Covoiturage",
        "Épicerie",
        "Café des aidants",
        "Chantier jeunes",
    ]
    assert (list(completed.y), list(abandoned.y), list(under_way.y), list(planned.y)) == (
        [0],
        [1],
        [2],
        [3],
    )


def test_long_action_titles_are_wrapped_and_the_chart_keeps_a_readable_width() -> None:
    actions = pd.DataFrame(
        {
            "title": ["Plateforme de covoiturage solidaire entre les villages de la vallée"],
            "start_date": [dt.date(2026, 3, 1)],
            "end_date": [None],
            "status": ["under_way"],
            "sectors": [3],
        }
    )
    figure = charts.joint_actions_timeline(actions, today=dt.date(2026, 11, 1))
    # Cut to 46 characters: its first 45 end with « entre les », then « … ». Wrapped at 24:
    # « Plateforme de covoiturage » would be 25 characters, « covoiturage solidaire entre »
    # 27.
    assert list(figure.layout.yaxis.ticktext) == [
        "Plateforme de<br>covoiturage solidaire<br>entre les…"
    ]
    # 170 px of labels + 430 px of bars.
    assert figure.layout.meta["min_width"] == 600
