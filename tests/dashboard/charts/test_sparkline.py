"""The sparkline of an indicator card."""

from __future__ import annotations

import datetime as dt

from dashboard import charts
from tests.dashboard.charts.conftest import CATALOGUE, NBSP, monthly


def test_indicator_trend_is_a_small_quiet_figure() -> None:
    values = monthly()
    values = values[(values["territory_id"] == "alpha") & (values["indicator_id"] == "c1")]
    figure = charts.indicator_trend(values, CATALOGUE["c1"])
    assert figure.layout.height == 140
    assert figure.layout.showlegend is False
    dotted, judged, points = figure.data
    assert dotted.line.dash == "dot" and list(dotted.y) == [2.5, 3.0, 3.5]
    assert list(judged.y) == [None, None, 3.5]
    assert "3,5" in points.hovertext[2] and "◐ à discuter" in points.hovertext[2]
    assert figure.layout.title.text == "Depuis janv. 2025"

    low = monthly()
    low = low[(low["territory_id"] == "alpha") & (low["indicator_id"] == "e1")]
    markers = charts.indicator_trend(low, CATALOGUE["e1"]).data[-1].marker
    assert list(markers.symbol) == ["circle-open", "circle"]


def test_a_sparkline_has_its_scale_lowest_and_highest_value_and_the_years() -> None:
    # alpha's e1 over January–February 2025: 0,2 then 0,4, plotted as 20 and 40 (a ratio is
    # drawn in percent); the scale marks those two, in French.
    values = monthly()
    values = values[(values["territory_id"] == "alpha") & (values["indicator_id"] == "e1")]
    figure = charts.indicator_trend(values, CATALOGUE["e1"])
    assert list(figure.layout.yaxis.tickvals) == [20.0, 40.0]
    assert list(figure.layout.yaxis.ticktext) == [f"20{NBSP}%", f"40{NBSP}%"]
    # Range: the values with 15 % of their spread each side, 20 − 3 to 40 + 3.
    assert list(figure.layout.yaxis.range) == [17.0, 43.0]
    # The x axis says the year: 1 January 2025 is inside January–February 2025.
    assert list(figure.layout.xaxis.ticktext) == ["2025"]
    # One value only: a single mark (beta's c1 has none; take c1 for alpha's last month).
    one = monthly()
    one = one[(one["indicator_id"] == "c1") & (one["month"] == dt.date(2025, 3, 1))]
    single = charts.indicator_trend(one, CATALOGUE["c1"])
    assert list(single.layout.yaxis.ticktext) == ["3,5"]
