"""The stage timeline on hand-built months: bars, markers, disagreement, months since start."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts
from tests.dashboard.charts.conftest import MODEL, NAMES, ms


def _stages() -> pd.DataFrame:
    rows = [
        ("alpha", "2025-01-01", "emergence", "emergence"),
        ("alpha", "2025-02-01", "emergence", "structuration"),
        ("alpha", "2025-03-01", "structuration", "structuration"),
        ("alpha", "2025-04-01", "structuration", "structuration"),
        ("beta", "2025-01-01", "emergence", "emergence"),
        ("beta", "2025-02-01", None, "emergence"),
    ]
    frame = pd.DataFrame(
        rows, columns=["territory_id", "month", "declared_stage", "inferred_stage"]
    )
    return frame.assign(month=[dt.date.fromisoformat(m) for m in frame["month"]])


def test_stage_timeline_bars_markers_and_disagreement() -> None:
    figure = charts.stage_timeline(_stages(), NAMES, MODEL)
    names = [t.name for t in figure.data]
    assert names == [
        "déclarée : 1 · Émergence",
        "déclarée : 2 · Structuration",
        "mesurée : 1 · Émergence",
        "mesurée : 2 · Structuration",
        "désaccord étape déclarée / mesurée",
    ]
    emergence, structuration, measured_1, measured_2, disagreement = figure.data
    # alpha: January–February 2025 (59 days); beta: January (31 days), then no journal.
    assert list(emergence.base) == ["2025-01-01", "2025-01-01"]
    assert list(emergence.x) == [ms(59), ms(31)]
    assert list(structuration.base) == ["2025-03-01"]
    assert list(structuration.x) == [ms(61)]
    assert len(measured_1.x) == 3 and len(measured_2.x) == 3
    # The number is written where the measured stage changes, not every month.
    assert list(measured_2.text) == ["2", "", ""]
    # Only alpha's February disagrees (declared 1, measured 2).
    assert list(disagreement.base) == ["2025-02-01"]
    assert list(disagreement.x) == [ms(28)]
    assert "déclarée : 1 · Émergence" in disagreement.hovertext[0]
    assert "mesurée : 2 · Structuration" in disagreement.hovertext[0]
    # Stage colours come from one scale and every segment carries its number or label.
    assert emergence.marker.color != structuration.marker.color
    assert all(t in ("1", "1 · Émergence") for t in emergence.text)


def test_stage_timeline_in_months_since_start() -> None:
    starts = {"alpha": dt.date(2024, 12, 1), "beta": dt.date(2025, 1, 1)}
    figure = charts.stage_timeline(_stages(), NAMES, MODEL, since_start=True, starts=starts)
    emergence = figure.data[0]
    assert list(emergence.base) == [1, 0]
    assert list(emergence.x) == [2.0, 1.0]
    assert figure.layout.xaxis.title.text == "mois depuis le début du territoire"


def test_stage_timeline_rows_speak_short_and_the_axis_gives_the_years() -> None:
    figure = charts.stage_timeline(_stages(), NAMES, MODEL, short_names={"alpha": "Alpha"})
    # alpha by its short name; beta has none: its name.
    assert list(figure.layout.yaxis.ticktext) == ["Alpha", "Territoire Bêta"]
    # January–April 2025, the axis running to May: one year label, at 1 January 2025, and a
    # small tick at 1 April (the quarters between the years).
    assert list(figure.layout.xaxis.ticktext) == ["2025"]
    assert [pd.Timestamp(t).date() for t in figure.layout.xaxis.tickvals] == [dt.date(2025, 1, 1)]
    minor = [pd.Timestamp(t).date() for t in figure.layout.xaxis.minor.tickvals]
    assert minor == [dt.date(2025, 4, 1)]
    # 4 calendar months: 170 px of labels + 4 × 11 px.
    assert figure.layout.meta["min_width"] == 214
    # Since the start (alpha from December 2024): its April 2025 is month 4, so the axis
    # spans months 0 to 4.
    starts = {"alpha": dt.date(2024, 12, 1), "beta": dt.date(2025, 1, 1)}
    relative = charts.stage_timeline(_stages(), NAMES, MODEL, since_start=True, starts=starts)
    assert relative.layout.meta["min_width"] == 170 + 5 * 11
