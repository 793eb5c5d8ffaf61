"""The indicator heatmap on a hand-built month: codes, colours, text, hover, stage labels."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.status import STATUS_STYLES
from tests.dashboard.charts.conftest import CATALOGUE, MODEL, NAMES, NBSP


def _colour_of_code(heatmap: go.Heatmap, code: int) -> str:
    """The colour plotly paints ``code`` with: the colorscale at (code − zmin)/(zmax − zmin),
    asserted to be a flat band (both surrounding stops of the same colour)."""
    t = (code - heatmap.zmin) / (heatmap.zmax - heatmap.zmin)
    stops = [(float(p), c) for p, c in heatmap.colorscale]
    below = [c for p, c in stops if p <= t][-1]
    above = next(c for p, c in stops if p >= t)
    assert below == above, f"code {code} falls on a gradient"
    return below


def _heatmap_values() -> pd.DataFrame:
    """alpha is in emergence: its structuration and consolidation indicators are « à venir »
    (one of them without a value); beta is in consolidation and has no row for s1."""
    rows = [
        ("alpha", "e1", 0.256, 12, False, "strength"),
        ("alpha", "c1", 3.45, 3, True, "upcoming"),
        ("alpha", "s1", None, 0, False, "upcoming"),
        ("beta", "e1", 0.1, 20, False, "watch"),
        ("beta", "c1", 2.0, 8, False, "discuss"),
    ]
    frame = pd.DataFrame(
        rows, columns=["territory_id", "indicator_id", "value", "n", "low_n", "status"]
    )
    return frame.assign(month=dt.date(2026, 11, 1), stage="emergence", note=None)


# The stages the territories of _heatmap_values() were judged at, as stored for the month.
JUDGED = {"alpha": "emergence", "beta": "consolidation"}


def test_heatmap_codes_cells_by_status_in_stage_then_catalogue_order() -> None:
    figure = charts.indicator_heatmap(_heatmap_values(), NAMES, CATALOGUE, MODEL, JUDGED)
    heatmap = next(t for t in figure.data if t.type == "heatmap")
    # Columns: e1 (emergence), s1 (structuration), c1 (consolidation); e2 has no value.
    assert list(figure.layout.xaxis.ticktext) == [
        "Interconnaissance",
        "Centralisation",
        "Confiance entre partenaires",
    ]
    # Codes: 0 no value, 1 upcoming, 3 watch, 4 discuss, 5 strength.
    assert [list(row) for row in heatmap.z] == [[5, 1, 1], [3, 0, 4]]
    assert [list(row) for row in heatmap.text] == [
        [f"26{NBSP}%<br>✓", "…", "3,5<br>… n=3"],
        [f"10{NBSP}%<br>!", "", "2,0<br>◐"],
    ]


def test_heatmap_paints_upcoming_grey_never_the_vigilance_colour() -> None:
    figure = charts.indicator_heatmap(_heatmap_values(), NAMES, CATALOGUE, MODEL, JUDGED)
    heatmap = next(t for t in figure.data if t.type == "heatmap")
    upcoming = _colour_of_code(heatmap, heatmap.z[0][2])
    assert upcoming == STATUS_STYLES["upcoming"].colour
    assert upcoming != STATUS_STYLES["watch"].colour
    red, green, blue = (int(upcoming[i : i + 2], 16) for i in (1, 3, 5))
    assert red == green == blue  # a neutral grey, not a warm colour
    assert _colour_of_code(heatmap, heatmap.z[1][0]) == STATUS_STYLES["watch"].colour
    assert _colour_of_code(heatmap, heatmap.z[1][1]) == "#FFFFFF"
    # Every colour is named in the legend with its icon.
    legend = {t.name: t.marker.color for t in figure.data if t.type == "scatter"}
    assert legend["… à venir"] == upcoming
    assert legend["! point de vigilance"] == STATUS_STYLES["watch"].colour


def test_heatmap_hover_speaks_french_with_n_and_status() -> None:
    figure = charts.indicator_heatmap(_heatmap_values(), NAMES, CATALOGUE, MODEL, JUDGED)
    heatmap = next(t for t in figure.data if t.type == "heatmap")
    hover = heatmap.hovertext[0][2]
    assert "Territoire Alpha" in hover
    assert "Confiance entre partenaires" in hover
    assert "valeur : 3,5" in hover
    assert "n = 3 (petit effectif)" in hover
    assert "… à venir" in hover
    assert "pas de valeur" in heatmap.hovertext[1][1]


def test_heatmap_labels_each_territory_with_the_stage_it_was_judged_at() -> None:
    values = _heatmap_values()
    figure = charts.indicator_heatmap(
        values, NAMES, CATALOGUE, MODEL, territory_stages={"alpha": "emergence", "beta": None}
    )
    rows = list(figure.layout.yaxis.ticktext)
    # alpha: judged in emergence.
    assert "étape 1 · Émergence" in rows[0]
    # beta: no judged stage stored for the month, the name alone.
    assert rows[1] == "Territoire Bêta"
    given = charts.indicator_heatmap(
        values, NAMES, CATALOGUE, MODEL, territory_stages={"beta": "consolidation"}
    )
    assert "étape 3 · Consolidation" in list(given.layout.yaxis.ticktext)[1]


def test_transposed_heatmap_is_the_same_grid_turned() -> None:
    figure = charts.indicator_heatmap(
        _heatmap_values(), NAMES, CATALOGUE, MODEL, JUDGED, transpose=True
    )
    heatmap = next(t for t in figure.data if t.type == "heatmap")
    assert [list(row) for row in heatmap.z] == [[5, 3], [1, 0], [1, 4]]
    assert heatmap.text[2][0] == "3,5 … n=3"
    assert figure.layout.yaxis.ticktext[0] == "Interconnaissance"


def test_heatmap_axes_speak_short_and_the_hover_keeps_the_full_names() -> None:
    catalogue = replace(
        CATALOGUE,
        indicators={
            **CATALOGUE.indicators,
            "c1": CATALOGUE["c1"].model_copy(update={"short_label": "Confiance"}),
        },
    )
    short = {"alpha": "Alpha", "beta": "Bêta du Grand Nord"}
    figure = charts.indicator_heatmap(
        _heatmap_values(), NAMES, catalogue, MODEL, JUDGED, transpose=True, short_names=short
    )
    # Rows: the short label where there is one, the label otherwise.
    assert list(figure.layout.yaxis.ticktext) == [
        "Interconnaissance",
        "Centralisation",
        "Confiance",
    ]
    # Columns: short names wrapped on lines of 11 characters, the stage's number under them
    # (the stage groups beside the rows name the stages).
    assert list(figure.layout.xaxis.ticktext) == [
        "Alpha<br><span style='font-size:10px'>étape 1</span>",
        "Bêta du<br>Grand Nord<br><span style='font-size:10px'>étape 3</span>",
    ]
    heatmap = next(t for t in figure.data if t.type == "heatmap")
    # Transposed: hovertext[indicator][territory]; c1 is the third row.
    assert "Territoire Bêta" in heatmap.hovertext[2][1]
    assert "Confiance entre partenaires" in heatmap.hovertext[2][1]


def test_heatmap_minimum_width_keeps_every_column_readable() -> None:
    # Transposed, 2 territories as columns: 160 px of row labels + 2 × 64 px + margins 10
    # and 44 = 342 px.
    turned = charts.indicator_heatmap(
        _heatmap_values(), NAMES, CATALOGUE, MODEL, JUDGED, transpose=True
    )
    assert turned.layout.meta["min_width"] == 342
    # Not transposed, 3 indicators as columns: 190 + 3 × 30 + 10 + 10 = 300 px.
    wide = charts.indicator_heatmap(_heatmap_values(), NAMES, CATALOGUE, MODEL, JUDGED)
    assert wide.layout.meta["min_width"] == 300
