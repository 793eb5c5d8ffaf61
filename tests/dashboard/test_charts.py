"""Chart builders on small hand-built frames: what they draw, checked against values worked
out by hand (no Streamlit, no database)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.status import STATUS_STYLES, STYLES_BY_CODE, status_badge
from dashboard.theme import SERIES_COLOURS, SERIES_SYMBOLS
from data.config import Milestone, Stage, StageModel
from indicators.catalogue import Bands, Catalogue, IndicatorDef

NBSP = "\u00a0"
STAGES = ("emergence", "structuration", "consolidation", "coalition")
LABELS = ("Émergence", "Structuration", "Consolidation", "Coalition")
MODEL = StageModel(
    id="test",
    name="Modèle de test",
    stages=tuple(
        Stage(
            id=stage,
            label=label,
            short_label=label,
            description="…",
            evaluation_style="…",
            milestones=(Milestone(id=f"{stage}_m", label="jalon"),),
        )
        for stage, label in zip(STAGES, LABELS, strict=True)
    ),
)


def _indicator(label: str, stage: str, unit: str, family: str = "network") -> IndicatorDef:
    return IndicatorDef(
        label=label,
        definition="définition",
        stage=stage,
        family=family,
        unit=unit,
        direction="higher_better",
        min_n=5,
        bands={"default": Bands(strength=0.5, discuss=0.3)},
    )


# Catalogue order deliberately not stage order: columns must follow the stage, then this order.
CATALOGUE = Catalogue(
    indicators={
        "c1": _indicator("Confiance entre partenaires", "consolidation", "score_1_5"),
        "e1": _indicator("Interconnaissance", "emergence", "ratio"),
        "s1": _indicator("Centralisation", "structuration", "index"),
        "e2": _indicator("Acteurs mobilisés", "emergence", "count"),
    },
    stages=STAGES,
    criteria={},
    path=Path("test-indicators.yaml"),
    version="1-test",
)
NAMES = {"alpha": "Territoire Alpha", "beta": "Territoire Bêta"}


def _annotations(figure: go.Figure) -> list[str]:
    return [a.text for a in figure.layout.annotations]


def _segments(trace: go.Scatter) -> list[tuple]:
    """The (x0, y0, x1, y1) segments of a lines trace whose segments are split by None."""
    xs, ys = list(trace.x), list(trace.y)
    found = []
    for start in range(0, len(xs), 3):
        assert xs[start + 2] is None and ys[start + 2] is None
        found.append((xs[start], ys[start], xs[start + 1], ys[start + 1]))
    return found


def _colour_of_code(heatmap: go.Heatmap, code: int) -> str:
    """The colour plotly paints ``code`` with: the colorscale at (code − zmin)/(zmax − zmin),
    asserted to be a flat band (both surrounding stops of the same colour)."""
    t = (code - heatmap.zmin) / (heatmap.zmax - heatmap.zmin)
    stops = [(float(p), c) for p, c in heatmap.colorscale]
    below = [c for p, c in stops if p <= t][-1]
    above = next(c for p, c in stops if p >= t)
    assert below == above, f"code {code} falls on a gradient"
    return below


# ----------------------------------------------------------------------------- formatting


# ----------------------------------------------------------------------------- heatmap


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


def test_heatmap_codes_cells_by_status_in_stage_then_catalogue_order() -> None:
    figure = charts.indicator_heatmap(_heatmap_values(), NAMES, CATALOGUE, MODEL)
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
    figure = charts.indicator_heatmap(_heatmap_values(), NAMES, CATALOGUE, MODEL)
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
    figure = charts.indicator_heatmap(_heatmap_values(), NAMES, CATALOGUE, MODEL)
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
    figure = charts.indicator_heatmap(values, NAMES, CATALOGUE, MODEL)
    rows = list(figure.layout.yaxis.ticktext)
    # alpha: judged in emergence (s1, of structuration, is « à venir », e1 is not).
    assert "étape 1 · Émergence" in rows[0]
    # beta: consolidation or coalition cannot be told apart without coalition indicators.
    assert rows[1] == "Territoire Bêta"
    given = charts.indicator_heatmap(
        values, NAMES, CATALOGUE, MODEL, territory_stages={"beta": "consolidation"}
    )
    assert "étape 3 · Consolidation" in list(given.layout.yaxis.ticktext)[1]


def test_transposed_heatmap_is_the_same_grid_turned() -> None:
    figure = charts.indicator_heatmap(_heatmap_values(), NAMES, CATALOGUE, MODEL, transpose=True)
    heatmap = next(t for t in figure.data if t.type == "heatmap")
    assert [list(row) for row in heatmap.z] == [[5, 3], [1, 0], [1, 4]]
    assert heatmap.text[2][0] == "3,5 … n=3"
    assert figure.layout.yaxis.ticktext[0] == "Interconnaissance"


# ----------------------------------------------------------------------------- stage timeline


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


def _ms(days: int) -> float:
    return days * 24 * 3600 * 1000.0


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
    assert list(emergence.x) == [_ms(59), _ms(31)]
    assert list(structuration.base) == ["2025-03-01"]
    assert list(structuration.x) == [_ms(61)]
    assert len(measured_1.x) == 3 and len(measured_2.x) == 3
    # The number is written where the measured stage changes, not every month.
    assert list(measured_2.text) == ["2", "", ""]
    # Only alpha's February disagrees (declared 1, measured 2).
    assert list(disagreement.base) == ["2025-02-01"]
    assert list(disagreement.x) == [_ms(28)]
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


# ----------------------------------------------------------------------------- small multiples


def _monthly() -> pd.DataFrame:
    rows = [
        ("alpha", "2025-01-01", "e1", 0.2, 3, True, "discuss"),
        ("alpha", "2025-02-01", "e1", 0.4, 9, False, "discuss"),
        ("alpha", "2025-01-01", "c1", 2.5, 9, False, "upcoming"),
        ("alpha", "2025-02-01", "c1", 3.0, 9, False, "upcoming"),
        ("alpha", "2025-03-01", "c1", 3.5, 9, False, "discuss"),
        ("beta", "2025-01-01", "e1", 0.5, 9, False, "strength"),
        ("beta", "2025-02-01", "e1", 0.6, 9, False, "strength"),
    ]
    frame = pd.DataFrame(
        rows, columns=["territory_id", "month", "indicator_id", "value", "n", "low_n", "status"]
    )
    return frame.assign(month=[dt.date.fromisoformat(m) for m in frame["month"]])


def test_small_multiples_one_panel_per_indicator_one_line_per_territory() -> None:
    figure = charts.small_multiples(_monthly(), NAMES, CATALOGUE)
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
    assert keys == {charts.LOW_N_LEGEND, charts.UPCOMING_LEGEND}
    assert figure.layout.yaxis.ticksuffix == f"{NBSP}%"


def test_small_multiples_in_months_since_start() -> None:
    figure = charts.small_multiples(
        _monthly(), NAMES, CATALOGUE, since_start=True, starts={"alpha": dt.date(2024, 11, 1)}
    )
    alpha = next(t for t in figure.data if t.name == "Territoire Alpha" and t.xaxis == "x")
    beta = next(t for t in figure.data if t.name == "Territoire Bêta")
    assert list(alpha.x) == [2, 3]
    assert list(beta.x) == [0, 1]  # no start given: its first month


# ----------------------------------------------------------------------------- radar


def test_radar_one_closed_trace_per_year_with_wilder_rings() -> None:
    labels = {"confiance": "Confiance", "vision": "Vision partagée", "ressources": "Ressources"}
    scores = pd.DataFrame(
        [
            (2025, "vision", 3.2, 10),
            (2024, "confiance", 2.5, 12),
            (2025, "ressources", 2.8, 3),
            (2024, "vision", 2.9, 12),
            (2025, "confiance", 4.1, 10),
            (2024, "ressources", 2.0, 11),
            (2025, "autre", 1.0, 10),  # not a listed factor: ignored
        ],
        columns=["year", "factor_id", "value", "n"],
    )
    figure = charts.factor_radar(scores, labels)
    assert len(figure.data) == 4
    rings, years = figure.data[:2], figure.data[2:]
    assert [r.r[0] for r in rings] == [4.0, 3.0]
    assert "force" in rings[0].name and "point de vigilance" in rings[1].name
    assert [t.name for t in years] == ["2024 (n = 11 à 12)", "2025 (n = 3 à 10)"]
    assert list(years[0].r) == [2.5, 2.9, 2.0, 2.5]
    assert list(years[1].r) == [4.1, 3.2, 2.8, 4.1]
    assert years[0].theta[0] == years[0].theta[-1]
    # 2025's « Ressources » rests on 3 respondents: hollow marker.
    assert years[1].marker.symbol[2].endswith("-open")
    assert not years[1].marker.symbol[0].endswith("-open")


# ----------------------------------------------------------------------------- network


def _network() -> tuple[pd.DataFrame, pd.DataFrame]:
    nodes = pd.DataFrame(
        {
            "actor_id": [1, 2, 3, 4],
            "name": ["Asso A", "Asso B", "Entreprise C", "Mairie D"],
            "sector": ["association", "association", "entreprise", "collectivite"],
        }
    )
    ties = pd.DataFrame(
        [
            (1, 2, 1),
            (2, 1, 2),  # the same pair, said the other way: one tie, level 2
            (1, 3, 3),
            (3, 4, 5),
            (4, 4, 5),  # a self-tie: ignored
            (1, 99, 4),  # an unknown actor: ignored
            (2, 4, 0),  # level 0 is no tie
        ],
        columns=["source", "target", "level"],
    )
    return nodes, ties


SECTORS = {
    "association": "Association",
    "entreprise": "Entreprise",
    "collectivite": "Collectivité / élu",
    "habitant": "Habitant",
}


def test_network_draws_each_tie_once_and_gives_degrees() -> None:
    nodes, ties = _network()
    figure = charts.network_graph(nodes, ties, SECTORS)
    levels = [t for t in figure.data if t.mode == "lines"]
    assert [t.name for t in levels] == ["2 · Coopération", "3 · Coordination", "5 · Collaboration"]
    assert sum(len(_segments(t)) for t in levels) == 3
    assert [t.line.width for t in levels] == sorted(t.line.width for t in levels)
    sectors = [t for t in figure.data if t.mode == "markers" and t.showlegend is not False]
    assert [t.name for t in sectors] == ["Association", "Entreprise", "Collectivité / élu"]
    assert len({t.marker.symbol for t in sectors}) == 3
    hover = {h.split("</b>")[0].removeprefix("<b>"): h for t in sectors for h in t.hovertext}
    # By hand: A–B (2), A–C (3), C–D (5).
    assert "liens : 2 (dont 1 de niveau ≥ 3)" in hover["Asso A"]
    assert hover["Asso B"].endswith("liens : 1")
    assert "liens : 2 (dont 2 de niveau ≥ 3)" in hover["Entreprise C"]
    assert "secteur : Collectivité / élu" in hover["Mairie D"]
    assert "4 organisations, 3 liens" in figure.layout.title.subtitle.text


def test_network_layout_is_deterministic_and_order_free() -> None:
    nodes, ties = _network()
    first = charts.network_graph(nodes, ties, SECTORS)
    shuffled = charts.network_graph(nodes.iloc[::-1], ties.iloc[::-1], SECTORS)
    positions = [(t.name, list(t.x), list(t.y)) for t in first.data if t.mode == "markers"]
    again = [(t.name, list(t.x), list(t.y)) for t in shuffled.data if t.mode == "markers"]
    by_name = dict((n, sorted(zip(x, y, strict=True))) for n, x, y in again)
    for name, x, y in positions:
        assert sorted(zip(x, y, strict=True)) == by_name[name]
    other_seed = charts.network_graph(nodes, ties, SECTORS, seed=1)
    assert [list(t.x) for t in other_seed.data] != [list(t.x) for t in first.data]


def test_dense_network_starts_with_weak_ties_hidden() -> None:
    nodes, ties = _network()
    figure = charts.network_graph(nodes, ties, SECTORS, dense=2)
    visible = {t.name: t.visible for t in figure.data if t.mode == "lines"}
    assert visible == {
        "2 · Coopération": "legendonly",
        "3 · Coordination": True,
        "5 · Collaboration": True,
    }
    assert "masqués" in figure.layout.title.subtitle.text


def test_network_changes_between_waves() -> None:
    names = {1: "A", 2: "B", 3: "C", 4: "D", 5: "E"}
    before = pd.DataFrame([(1, 2, 1), (1, 3, 3), (2, 4, 2)], columns=["source", "target", "level"])
    after = pd.DataFrame(
        [(2, 1, 2), (1, 3, 2), (1, 5, 1), (2, 3, 1)], columns=["source", "target", "level"]
    )
    changes = charts.network_changes(before, after, names)
    assert list(changes.columns) == list(charts.CHANGE_COLUMNS)
    assert changes[["kind", "Organisations", "Avant", "Après"]].values.tolist() == [
        ["new_tie", "B — C", "—", "niveau 1 · Réseau"],
        ["level_up", "A — B", "niveau 1 · Réseau", "niveau 2 · Coopération"],
        ["level_down", "A — C", "niveau 3 · Coordination", "niveau 2 · Coopération"],
        ["new_node", "E", "—", "1 lien"],
        ["lost_node", "D", "1 lien", "—"],
    ]
    assert changes["Changement"].iloc[0] == "nouveau lien"


# ----------------------------------------------------------------------------- sparkline


def test_indicator_trend_is_a_small_quiet_figure() -> None:
    values = _monthly()
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

    low = _monthly()
    low = low[(low["territory_id"] == "alpha") & (low["indicator_id"] == "e1")]
    markers = charts.indicator_trend(low, CATALOGUE["e1"]).data[-1].marker
    assert list(markers.symbol) == ["circle-open", "circle"]


# ----------------------------------------------------------------------------- joint actions


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
    assert list(under_way.x) == [_ms(245)]  # 1 March → 1 November 2026
    assert list(under_way.text) == ["→ 3 secteurs"]
    assert "multisectorielle" in under_way.hovertext[0]
    assert list(completed.x) == [_ms(213)]
    assert list(completed.text) == ["2 secteurs"]
    # Planned for later, no end: three weeks long, no arrow (it does not reach today).
    assert list(planned.x) == [_ms(charts.OPEN_ENDED_MIN_DAYS)]
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


# ----------------------------------------------------------------------------- empty inputs


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in columns})


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.stage_timeline(
            _empty(["territory_id", "month", "declared_stage", "inferred_stage"]), NAMES, MODEL
        ),
        lambda: charts.indicator_heatmap(
            _empty(["territory_id", "indicator_id", "value", "n", "low_n", "status"]),
            NAMES,
            CATALOGUE,
            MODEL,
        ),
        lambda: charts.small_multiples(
            _empty(["territory_id", "month", "indicator_id", "value", "n", "low_n", "status"]),
            NAMES,
            CATALOGUE,
        ),
        lambda: charts.factor_radar(_empty(["year", "factor_id", "value", "n"]), {"a": "A"}),
        lambda: charts.network_graph(
            _empty(["actor_id", "name", "sector"]), _empty(["source", "target", "level"]), SECTORS
        ),
        lambda: charts.indicator_trend(
            _empty(["month", "value", "n", "low_n", "status"]), CATALOGUE["e1"]
        ),
        lambda: charts.joint_actions_timeline(
            _empty(["title", "start_date", "end_date", "status", "sectors"])
        ),
    ],
)
def test_empty_input_says_no_data_yet(build) -> None:  # type: ignore[no-untyped-def]
    figure = build()
    assert charts.EMPTY_MESSAGE in _annotations(figure)
    assert len(figure.data) == 0
    assert figure.layout.title.text


def test_network_changes_of_empty_waves_is_an_empty_table() -> None:
    empty = _empty(["source", "target", "level"])
    changes = charts.network_changes(empty, empty, {})
    assert changes.empty and list(changes.columns) == list(charts.CHANGE_COLUMNS)


# ----------------------------------------------------------------------------- status colours

# Machado, Oliveira & Fernandes (2009) at full severity, applied to linear RGB.
CVD = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def _lab(colour: str, matrix: np.ndarray) -> np.ndarray:
    srgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(matrix @ linear, 0, 1)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ linear
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", ["normal", *CVD])
def test_status_colours_stay_apart_for_colour_blind_readers(vision: str) -> None:
    matrix = CVD.get(vision, np.eye(3))
    fills = {style.label: _lab(style.colour, matrix) for style in STYLES_BY_CODE}
    for (a, lab_a), (b, lab_b) in itertools.combinations(fills.items(), 2):
        distance = float(np.linalg.norm(lab_a - lab_b))
        assert distance >= 15, f"{a} / {b}: ΔE {distance:.1f} for {vision}"


def test_every_status_has_its_own_icon_and_label() -> None:
    icons = [style.icon for style in STYLES_BY_CODE]
    assert len(set(icons)) == len(icons)
    assert [style.code for style in STYLES_BY_CODE] == list(range(len(STYLES_BY_CODE)))
    assert status_badge("strength") == "✓ force"
    assert status_badge("upcoming") == "… à venir"
    assert status_badge(None) == "– pas de valeur"
