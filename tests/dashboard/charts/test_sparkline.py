"""The sparkline of an indicator card."""

from __future__ import annotations

from dashboard import charts
from tests.dashboard.charts.conftest import CATALOGUE, monthly


def test_indicator_trend_is_a_small_quiet_figure() -> None:
    values = monthly()
    values = values[(values["territory_id"] == "alpha") & (values["indicator_id"] == "c1")]
    figure = charts.indicator_trend(values, CATALOGUE["c1"])
    assert figure.layout.height == 120
    assert figure.layout.showlegend is False
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False
    dotted, judged, points = figure.data
    assert dotted.line.dash == "dot" and list(dotted.y) == [2.5, 3.0, 3.5]
    assert list(judged.y) == [None, None, 3.5]
    assert "3,5" in points.hovertext[2] and "◐ à discuter" in points.hovertext[2]
    assert figure.layout.title.text == "Évolution depuis janv. 2025"

    low = monthly()
    low = low[(low["territory_id"] == "alpha") & (low["indicator_id"] == "e1")]
    markers = charts.indicator_trend(low, CATALOGUE["e1"]).data[-1].marker
    assert list(markers.symbol) == ["circle-open", "circle"]
