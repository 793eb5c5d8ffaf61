"""The cooperation network: ties, degrees, dense networks, the layout and the changes between
waves."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.charts.network import CHANGE_COLUMNS, network_layout
from tests.dashboard.charts.conftest import SECTORS, empty_frame


def _segments(trace: go.Scatter) -> list[tuple]:
    """The (x0, y0, x1, y1) segments of a lines trace whose segments are split by None."""
    xs, ys = list(trace.x), list(trace.y)
    found = []
    for start in range(0, len(xs), 3):
        assert xs[start + 2] is None and ys[start + 2] is None
        found.append((xs[start], ys[start], xs[start + 1], ys[start + 1]))
    return found


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


def _ties(rows: list[tuple[object, object, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source", "target", "level"])


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


def test_network_layout_is_networkx_spring_layout_centred_and_scaled() -> None:
    # Given in no particular order, with an organisation (e) without ties.
    node_ids = ["d", "b", "e", "a", "c"]
    ties = _ties([("a", "b", 5), ("b", "c", 2), ("c", "a", 1), ("c", "d", 3)])
    layout = network_layout(node_ids, ties, seed=7)
    # The reference: networkx itself, nodes in sorted order, weight = level.
    graph = nx.Graph()
    graph.add_nodes_from(["a", "b", "c", "d", "e"])
    graph.add_weighted_edges_from(ties.itertuples(index=False), weight="level")
    expected = nx.spring_layout(graph, weight="level", seed=7)
    assert layout.keys() == expected.keys()
    for node, (x, y) in layout.items():
        assert (x, y) == pytest.approx(tuple(expected[node]), abs=1e-12)
    # Centred on (0, 0), the farthest coordinate at ±1: e, without ties, is in view too.
    coordinates = np.array(list(layout.values()))
    assert coordinates.mean(axis=0) == pytest.approx([0, 0], abs=1e-12)
    assert np.abs(coordinates).max() == pytest.approx(1)
    assert network_layout([], _ties([])) == {}
    assert network_layout(["seul"], _ties([])) == {"seul": (0.0, 0.0)}


@pytest.mark.parametrize("seed", range(5))
def test_network_layout_keeps_each_clique_together(seed: int) -> None:
    # Two cliques of five (every pair tied at level 5) joined by one level-1 tie a1 — b1:
    # every organisation lies nearer its own clique's centre than the other clique's.
    cliques = ([f"a{i}" for i in range(1, 6)], [f"b{i}" for i in range(1, 6)])
    rows = [(s, t, 5) for clique in cliques for s, t in itertools.combinations(clique, 2)]
    layout = network_layout([*cliques[0], *cliques[1]], _ties([*rows, ("a1", "b1", 1)]), seed)
    centres = [np.mean([layout[n] for n in clique], axis=0) for clique in cliques]
    for own, clique in enumerate(cliques):
        for node in clique:
            near, far = (
                np.linalg.norm(np.subtract(layout[node], centres[i])) for i in (own, 1 - own)
            )
            assert near < far, node


@pytest.mark.parametrize("seed", range(5))
def test_network_layout_draws_stronger_ties_shorter(seed: int) -> None:
    # h is tied to x at level 5 (collaboration) and to y at level 1 (réseau): x sits nearer.
    layout = network_layout(["h", "x", "y"], _ties([("h", "x", 5), ("h", "y", 1)]), seed)
    gap = {n: np.linalg.norm(np.subtract(layout["h"], layout[n])) for n in ("x", "y")}
    assert gap["x"] < gap["y"]


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
    assert list(changes.columns) == list(CHANGE_COLUMNS)
    assert changes[["kind", "Organisations", "Avant", "Après"]].values.tolist() == [
        ["new_tie", "B — C", "—", "niveau 1 · Réseau"],
        ["level_up", "A — B", "niveau 1 · Réseau", "niveau 2 · Coopération"],
        ["level_down", "A — C", "niveau 3 · Coordination", "niveau 2 · Coopération"],
        ["new_node", "E", "—", "1 lien"],
        ["lost_node", "D", "1 lien", "—"],
    ]
    assert changes["Changement"].iloc[0] == "nouveau lien"


def test_network_changes_of_empty_waves_is_an_empty_table() -> None:
    empty = empty_frame(["source", "target", "level"])
    changes = charts.network_changes(empty, empty, {})
    assert changes.empty and list(changes.columns) == list(CHANGE_COLUMNS)
