"""What every chart family shares: an empty input draws the title and « Pas encore de
données », never an empty axis."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import charts
from dashboard.charts.common import EMPTY_MESSAGE, wrap
from tests.dashboard.charts.conftest import (
    CATALOGUE,
    MODEL,
    NAMES,
    SECTORS,
    annotations,
    empty_frame,
)


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.stage_timeline(
            empty_frame(["territory_id", "month", "declared_stage", "inferred_stage"]), NAMES, MODEL
        ),
        lambda: charts.indicator_heatmap(
            empty_frame(["territory_id", "indicator_id", "value", "n", "low_n", "status"]),
            NAMES,
            CATALOGUE,
            MODEL,
            territory_stages={},
        ),
        lambda: charts.small_multiples(
            empty_frame(["territory_id", "month", "indicator_id", "value", "n", "low_n", "status"]),
            NAMES,
            CATALOGUE,
        ),
        lambda: charts.factor_radar(empty_frame(["year", "factor_id", "value", "n"]), {"a": "A"}),
        lambda: charts.network_graph(
            empty_frame(["actor_id", "name", "sector"]),
            empty_frame(["source", "target", "level"]),
            SECTORS,
            {1: "Réseau"},
        ),
        lambda: charts.response_rate_chart(
            empty_frame(["wave_number", "reference_month", "listed", "answered", "rate"])
        ),
        lambda: charts.indicator_trend(
            empty_frame(["month", "value", "n", "low_n", "status"]), CATALOGUE["e1"]
        ),
        lambda: charts.joint_actions_timeline(
            empty_frame(["title", "start_date", "end_date", "status", "sectors"]),
            today=dt.date(2026, 11, 1),
        ),
    ],
)
def test_empty_input_says_no_data_yet(build) -> None:  # type: ignore[no-untyped-def]
    figure = build()
    assert EMPTY_MESSAGE in annotations(figure)
    assert len(figure.data) == 0
    assert figure.layout.title.text


def test_wrap_keeps_long_words_whole_and_breaks_on_hyphens() -> None:
    # « Confiance et » is 12 characters; « respect mutuels » (15) does not fit on one line.
    assert wrap("Confiance et respect mutuels", 12) == "Confiance et<br>respect<br>mutuels"
    # 13 characters, one word: kept whole rather than « Communicatio / n ».
    assert wrap("Communication", 12) == "Communication"
    # « Entre-deux- » is 11 characters.
    assert wrap("Entre-deux-Mers", 11) == "Entre-deux-<br>Mers"
