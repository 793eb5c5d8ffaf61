"""Small multiples of key indicators on hand-built months."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from dashboard import charts
from dashboard.charts.trends import LOW_N_LEGEND, UPCOMING_LEGEND
from dashboard.theme import SERIES_COLOURS, SERIES_SYMBOLS
from tests.dashboard.charts.conftest import CATALOGUE, NAMES, NBSP, monthly


def test_small_multiples_one_panel_per_indicator_one_line_per_territory() -> None:
    figure = charts.small_multiples(monthly(), NAMES, CATALOGUE)
    panels = [a.text for a in figure.layout.annotations]
    assert panels == ["Interconnaissance", "Confiance entre partenaires"]
    lines = [t for t in figure.data if t.x[0] is not None and t.line.dash != "dot"]
    assert [(t.name, t.xaxis) for t in lines] == [
        ("Territoire Alpha", "x"),
        ("Territoire Bêta", "x"),
        ("Territoire Alpha", "x2"),
    ]
    alpha_e1, beta_e1, alpha_c1 = lines
    # Ratios are plotted in percent; the first alpha point rests on 3 answers: hollow.
    assert list(alpha_e1.y) == pytest.approx([20.0, 40.0])
    assert list(alpha_e1.marker.symbol) == [f"{SERIES_SYMBOLS[0]}-open", SERIES_SYMBOLS[0]]
    assert beta_e1.line.color == SERIES_COLOURS[1]
    # The territory appears once in the legend.
    assert [t.showlegend for t in lines] == [True, True, False]
    # « à venir » months are left to a dotted trace, joined to the first judged month.
    assert list(alpha_c1.y) == [None, None, 3.5]
    dotted = next(t for t in figure.data if t.line.dash == "dot" and t.x[0] is not None)
    assert list(dotted.y) == [2.5, 3.0, 3.5]
    keys = {t.name for t in figure.data if t.x[0] is None}
    assert keys == {LOW_N_LEGEND, UPCOMING_LEGEND}
    assert figure.layout.yaxis.ticksuffix == f"{NBSP}%"


def test_small_multiples_in_months_since_start() -> None:
    figure = charts.small_multiples(
        monthly(), NAMES, CATALOGUE, since_start=True, starts={"alpha": dt.date(2024, 11, 1)}
    )
    alpha = next(t for t in figure.data if t.name == "Territoire Alpha" and t.xaxis == "x")
    beta = next(t for t in figure.data if t.name == "Territoire Bêta")
    assert list(alpha.x) == [2, 3]
    assert list(beta.x) == [0, 1]  # no start given: its first month


def test_small_multiples_panels_speak_short_and_keep_a_readable_width() -> None:
    catalogue = replace(
        CATALOGUE,
        indicators={
            **CATALOGUE.indicators,
            "c1": CATALOGUE["c1"].model_copy(update={"short_label": "Confiance"}),
        },
    )
    figure = charts.small_multiples(monthly(), NAMES, catalogue)
    panels = [a.text for a in figure.layout.annotations]
    assert panels == ["Interconnaissance", "Confiance"]
    # Two panels side by side (3 columns at most): 2 × 200 px.
    assert figure.layout.meta["min_width"] == 400
    # January–March 2025: the year, once.
    assert list(figure.layout.xaxis.ticktext) == ["2025"]
