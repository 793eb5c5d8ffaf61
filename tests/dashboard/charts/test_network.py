"""The cooperation network: ties, degrees, dense networks, the layout and the changes between
waves."""

from __future__ import annotations

import datetime as dt
import itertools

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.charts.network import (
    CHANGE_COLUMNS,
    FADED,
    PHONE_PLOT,
    WIDE_NAMES_OPACITY,
    WIDE_PLOT,
    change_phrase,
    fitting_names,
    name_place,
    network_layout,
    organisation_frame,
)
from data.config import get_config
from indicators.network_report import NetworkData
from tests.dashboard.charts.conftest import SECTORS, empty_frame

# The French labels of the levels of collaboration, as configured (config/survey.yaml).
LEVELS = get_config().survey.collaboration_levels


def _segments(trace: go.Scatter) -> list[tuple]:
    """The (x0, y0, x1, y1) segments of a lines trace whose segments are split by None."""
    xs, ys = list(trace.x), list(trace.y)
    found = []
    for start in range(0, len(xs), 3):
        assert xs[start + 2] is None and ys[start + 2] is None
        found.append((xs[start], ys[start], xs[start + 1], ys[start + 1]))
    return found


def _lines(figure: go.Figure) -> list[go.Scatter]:
    """The traces drawing ties (not the legend's keys)."""
    return [t for t in figure.data if t.mode == "lines" and t.showlegend is False]


def _keys(figure: go.Figure, group: str) -> list[go.Scatter]:
    """The legend's entries of ``group``, which draw nothing."""
    return [t for t in figure.data if t.legendgroup == group and list(t.x) == [None]]


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
    figure = charts.network_graph(nodes, ties, SECTORS, LEVELS)
    levels = _lines(figure)
    assert [t.name for t in levels] == ["2 · Coopération", "3 · Coordination", "5 · Collaboration"]
    assert [t.name for t in _keys(figure, "Niveau de collaboration")] == [t.name for t in levels]
    assert sum(len(_segments(t)) for t in levels) == 3
    assert [t.line.width for t in levels] == sorted(t.line.width for t in levels)
    sectors = [t for t in figure.data if t.mode == "markers+text"]
    assert [t.name for t in sectors] == ["Association", "Entreprise", "Collectivité / élu"]
    assert [t.name for t in _keys(figure, "Secteur")] == [t.name for t in sectors]
    assert len({t.marker.symbol for t in sectors}) == 3
    hover = {h.split("</b>")[0].removeprefix("<b>"): h for t in sectors for h in t.hovertext}
    # By hand: A–B (2), A–C (3), C–D (5).
    assert "liens : 2<br>  3 · Coordination : 1<br>  2 · Coopération : 1" in hover["Asso A"]
    assert hover["Asso B"].endswith("liens : 1<br>  2 · Coopération : 1")
    assert "liens : 2<br>  5 · Collaboration : 1<br>  3 · Coordination : 1" in hover["Entreprise C"]
    assert "secteur : Collectivité / élu" in hover["Mairie D"]
    assert figure.layout.title.subtitle.text == (
        "4 organisations répondantes — petit effectif : à lire avec prudence<br>3 liens"
    )


def test_network_layout_is_deterministic_and_order_free() -> None:
    nodes, ties = _network()
    first = charts.network_graph(nodes, ties, SECTORS, LEVELS)
    shuffled = charts.network_graph(nodes.iloc[::-1], ties.iloc[::-1], SECTORS, LEVELS)
    positions = [(t.name, list(t.x), list(t.y)) for t in first.data if t.mode == "markers+text"]
    again = [(t.name, list(t.x), list(t.y)) for t in shuffled.data if t.mode == "markers+text"]
    by_name = dict((n, sorted(zip(x, y, strict=True))) for n, x, y in again)
    for name, x, y in positions:
        assert sorted(zip(x, y, strict=True)) == by_name[name]
    other_seed = charts.network_graph(nodes, ties, SECTORS, LEVELS, seed=1)
    assert [list(t.x) for t in other_seed.data] != [list(t.x) for t in first.data]


def test_network_layout_is_networkx_spring_layout_centred_and_scaled() -> None:
    # Given in no particular order, with an organisation (e) without ties.
    node_ids = ["d", "b", "e", "a", "c"]
    ties = _ties([("a", "b", 5), ("b", "c", 2), ("c", "a", 1), ("c", "d", 3)])
    layout = network_layout(node_ids, ties, seed=7)
    # The reference: networkx itself, nodes in sorted order, weight = level, optimal distance
    # 2 / √5 (twice networkx's default).
    graph = nx.Graph()
    graph.add_nodes_from(["a", "b", "c", "d", "e"])
    graph.add_weighted_edges_from(ties.itertuples(index=False), weight="level")
    expected = nx.spring_layout(graph, weight="level", seed=7, k=2 / np.sqrt(5))
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


def test_network_changes_between_waves() -> None:
    names = {1: "A", 2: "B", 3: "C", 4: "D", 5: "E"}
    before = pd.DataFrame([(1, 2, 1), (1, 3, 3), (2, 4, 2)], columns=["source", "target", "level"])
    after = pd.DataFrame(
        [(2, 1, 2), (1, 3, 2), (1, 5, 1), (2, 3, 1)], columns=["source", "target", "level"]
    )
    changes = charts.network_changes(before, after, names, LEVELS)
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
    changes = charts.network_changes(empty, empty, {}, LEVELS)
    assert changes.empty and list(changes.columns) == list(CHANGE_COLUMNS)


def _written(figure: go.Figure) -> set[str]:
    return {text for t in figure.data if t.mode == "markers+text" for text in t.text if text}


def test_ties_are_told_apart_by_width_and_dash_not_colour_alone() -> None:
    nodes = pd.DataFrame(
        {"actor_id": list(range(6)), "name": list("ABCDEF"), "sector": ["association"] * 6}
    )
    ties = _ties([(0, k, k) for k in range(1, 6)])
    figure = charts.network_graph(nodes, ties, SECTORS, LEVELS)
    lines = _lines(figure)
    assert [t.name for t in lines] == [f"{k} · {LEVELS[k]}" for k in range(1, 6)]
    widths = [t.line.width for t in lines]
    assert widths == sorted(widths) and len(set(widths)) == 5
    assert [t.line.dash for t in lines][:2] == ["dot", "dash"]  # the weakest ties are dashed
    # Weak ties are not faded away: every level is drawn at the same, high opacity.
    assert {t.opacity for t in lines} == {0.9}
    keys = _keys(figure, "Niveau de collaboration")
    assert [(k.line.width, k.line.dash) for k in keys] == [
        (t.line.width, t.line.dash) for t in lines
    ]


def _star() -> tuple[pd.DataFrame, pd.DataFrame]:
    """h (an association) tied to five organisations; p and q also tied to each other."""
    nodes = pd.DataFrame(
        {
            "actor_id": ["h", "p", "q", "r", "s", "t", "u"],
            "name": ["Hub", "Partenaire P", "Partenaire Q", "R", "S", "T", "Isolée U"],
            "sector": ["association", *["entreprise"] * 2, *["habitant"] * 2] + ["association"] * 2,
        }
    )
    ties = _ties(
        [("h", "p", 5), ("h", "q", 1), ("h", "r", 3), ("h", "s", 2), ("h", "t", 4), ("p", "q", 2)]
    )
    return nodes, ties


def test_names_of_the_most_connected_or_of_all() -> None:
    nodes, ties = _star()
    # Degrees: h 5, p 2, q 2, then r, s, t 1 and u 0; ties broken by name.
    top = charts.network_graph(nodes, ties, SECTORS, LEVELS, names_shown=3)
    assert _written(top) == {"Hub", "Partenaire P", "Partenaire Q"}
    assert "6 liens · noms des organisations les plus liées" in top.layout.title.subtitle.text
    every = charts.network_graph(nodes, ties, SECTORS, LEVELS, names_shown=None)
    assert _written(every) == set(nodes["name"])


def _wide_only(figure: go.Figure) -> set[str]:
    """The names written for a wide map only (hidden on a narrow one)."""
    return {text for t in figure.data if t.opacity == WIDE_NAMES_OPACITY for text in t.text if text}


def test_names_that_would_overlap_are_left_out() -> None:
    # A plot of 100 × 100 px showing 0–10 on both axes: 10 px per unit. Each name is 40 px
    # wide and 13 px high, 6 px from its point. « a » at (5, 5), above: x 30–70 px,
    # y 56–69 px.
    ranges, plot = ((0, 10), (0, 10)), (100, 100)

    def box(x: float, y: float, place: str = "top center") -> tuple:
        return ((x, y), place, 6.0, 40.0, 13.0)

    boxes = {
        "a": box(5, 5),
        "above, 2 px higher": box(5, 6.5),  # y 71–84: 2 px above a's top (69)
        "above, 1 px higher": box(5, 6.4),  # y 70–83: 1 px, closer than NAME_GAP_PX
        "below": box(5, 5, "bottom center"),  # y 31–44
        "to the right, left of its point": box(8, 5, "top left"),  # x 34–74: over a
        "further right": box(8, 5, "top right"),  # x 86–126
    }
    kept = fitting_names(list(boxes), boxes, ranges, plot)
    assert kept == ["a", "above, 2 px higher", "below", "further right"]
    # The first ranked wins: « a » goes when a name before it takes its place.
    assert fitting_names(["above, 1 px higher", "a"], boxes, ranges, plot) == ["above, 1 px higher"]
    # Wider, the same points are further apart: at 100 px, « b » at x = 7 is written at
    # 50–90 px, over a's 30–70; at 400 px, a is at 180–220 px and b at 260–300.
    beside = {"a": box(5, 5), "b": box(7, 5)}
    assert fitting_names(["a", "b"], beside, ranges, (100, 100)) == ["a"]
    assert fitting_names(["a", "b"], beside, ranges, (400, 100)) == ["a", "b"]


def test_names_fit_on_a_phone_or_only_on_a_wide_map() -> None:
    nodes, ties = _star()
    # h in the middle, the others at the corners and edges: the frame is 0–10 on both
    # axes, shown as −0.6–10.6 by −0.8–10.8 (the map's padding).
    corners = {"q": (0, 0), "r": (10, 0), "s": (0, 10), "t": (10, 10), "u": (5, 0)}

    def names(p: tuple[float, float]) -> tuple[set[str], set[str]]:
        positions = {"h": (5.0, 5.0), "p": p, **corners}
        figure = charts.network_graph(
            nodes, ties, SECTORS, LEVELS, positions=positions, names_shown=3
        )
        return _written(figure) - _wide_only(figure), _wide_only(figure)

    # The three most connected: h, p, q. « Hub » (3 characters, 19 px) above h; p's
    # « Partenaire P » (12, 77 px) above p. At (6, 5.1), on the wide plot (920 × 509 px):
    # Hub x 450–470 px, Partenaire P x 504–581: apart. On a phone (338 × 384 px): Hub
    # x 159–179, y 202–215, Partenaire P x 161–238, y 204–217: over each other.
    assert names((6, 5.1)) == ({"Hub", "Partenaire Q"}, {"Partenaire P"})
    assert WIDE_PLOT == (920, 509) and PHONE_PLOT == (338, 384)
    # On top of h, p's name overlaps Hub's even on a wide map: not written at all.
    assert names((5, 5.05)) == ({"Hub", "Partenaire Q"}, set())
    # Far from h (its corner), every name fits on a phone.
    assert names((10, 5)) == ({"Hub", "Partenaire P", "Partenaire Q"}, set())


def test_a_partner_s_name_stays_clear_of_the_searched_label() -> None:
    nodes, ties = _star()
    corners = {"q": (0, 0), "r": (10, 0), "s": (0, 10), "t": (10, 10), "u": (5, 0)}

    # Searching p at (5, 5), its partners h (level 5) and q. On the wide plot (920 × 509 px,
    # showing −0.6–10.6 by −0.8–10.8), p is at (460, 254.5) px; its label « Partenaire P »
    # (12 × 8 = 96 px wide, 20 high) is centred 36 px above: x 412–508, y 280.5–300.5. Hub
    # at (5, 5.5) is at y 276.4 px, its name 9.7 px above it (its marker's radius 6.96 px
    # / 0.8 + 1): y 286–299, x 450–470, under the label: not written. Lower, at (5, 4),
    # its name goes below (the lower half) and is written.
    def written(hub: tuple[float, float]) -> set[str]:
        positions = {"h": hub, "p": (5.0, 5.0), **corners}
        figure = charts.network_graph(
            nodes, ties, SECTORS, LEVELS, positions=positions, highlight="p", names_shown=3
        )
        return _written(figure)

    assert written((5, 5.5)) == {"Partenaire Q"}
    assert written((5, 4)) == {"Hub", "Partenaire Q"}


def test_filters_keep_the_places_and_say_what_is_shown() -> None:
    nodes, ties = _star()
    positions = network_layout(list(nodes["actor_id"]), ties)
    figure = charts.network_graph(
        nodes,
        ties,
        SECTORS,
        LEVELS,
        positions=positions,
        sectors=["association", "entreprise"],
        levels=[2, 4, 5],
        response=(7, 10),
    )
    # Drawn: h, p, q, t, u; ties among them at levels 2, 4, 5: h–p (5), h–t (4), p–q (2).
    lines = {t.name: len(_segments(t)) for t in _lines(figure)}
    assert lines == {"2 · Coopération": 1, "4 · Coalition": 1, "5 · Collaboration": 1}
    markers = [t for t in figure.data if t.mode == "markers+text"]
    drawn = {
        text.split("</b>")[0].removeprefix("<b>"): (x, y)
        for t in markers
        for text, x, y in zip(t.hovertext, t.x, t.y, strict=True)
    }
    assert set(drawn) == {"Hub", "Partenaire P", "Partenaire Q", "T", "Isolée U"}
    name_to_id = dict(zip(nodes["name"], nodes["actor_id"], strict=True))
    assert all(drawn[n] == positions[name_to_id[n]] for n in drawn)
    subtitle = figure.layout.title.subtitle.text
    assert subtitle.startswith("Taux de réponse : 70\u00a0% (7 organisations sur 10)<br>6 liens")
    assert "Filtré : 5 organisations et 3 liens affichés" in subtitle
    # Sizes count every tie, filtered or not: h keeps its five.
    hub = next(t for t in markers if t.name == "Association")
    assert "liens : 5" in hub.hovertext[0]


def test_a_search_rings_the_organisation_names_its_partners_and_fades_the_rest() -> None:
    nodes, ties = _star()
    figure = charts.network_graph(nodes, ties, SECTORS, LEVELS, highlight="p", names_shown=3)
    ring = [t for t in figure.data if t.name.startswith("Recherche : ")]
    assert len(ring) == 1 and ring[0].marker.symbol == "circle-open"
    # p's partners: h (level 5) and q (level 2), named; p by an annotation; the others fade.
    assert _written(figure) == {"Hub", "Partenaire Q"}
    front = {
        text.split("</b>")[0].removeprefix("<b>"): opacity
        for t in figure.data
        if t.mode == "markers+text"
        for text, opacity in zip(t.hovertext, t.marker.opacity, strict=True)
    }
    assert {n for n, o in front.items() if o == 1} == {"Hub", "Partenaire P", "Partenaire Q"}
    # Its ties in front at full opacity, the others faded, each level still named once.
    own = [t for t in _lines(figure) if t.opacity == 1]
    assert sorted(len(_segments(t)) for t in own) == [1, 1]
    assert {t.name for t in own} == {"2 · Coopération", "5 · Collaboration"}
    assert {t.opacity for t in _lines(figure) if t.opacity != 1} == {FADED}
    # The legend keeps every level at full strength, and only reads (the filters choose).
    assert [t.opacity for t in _keys(figure, "Niveau de collaboration")] == [None] * 5
    assert figure.layout.legend.itemclick is False
    assert [a.text for a in figure.layout.annotations] == ["<b>Partenaire P</b>"]
    assert "6 liens · « Partenaire P » et ses 2 partenaires" in figure.layout.title.subtitle.text


def _data() -> NetworkData:
    """Two waves: a, b, c then b, c, d; a rating-free actors list of five (e never answers);
    two joint actions: « Repair café » (a, b), « Forum » (b, c, d, planned)."""
    actors = pd.DataFrame(
        {
            "actor_id": [1, 2, 3, 4, 5],
            "name": ["A", "B", "C", "D", "E"],
            "sector": ["association", "association", "entreprise", "habitant", "habitant"],
        }
    )
    return NetworkData(
        actors=actors,
        waves=pd.DataFrame(
            {"wave_number": [0, 1], "reference_month": [dt.date(2024, 1, 1), dt.date(2024, 7, 1)]}
        ),
        answered=pd.DataFrame({"wave_number": [0, 0, 0, 1, 1, 1], "actor_id": [1, 2, 3, 2, 3, 4]}),
        ties=pd.DataFrame(
            [(0, 1, 2, 3), (0, 2, 3, 1), (1, 2, 3, 4), (1, 3, 4, 2)],
            columns=["wave_number", "source", "target", "level"],
        ),
        trust=pd.DataFrame({"wave_number": [], "rated_actor_id": [], "trust": []}),
        resources=pd.DataFrame({"wave_number": [], "actor_id": [], "resource_type": []}),
        actions=pd.DataFrame(
            {
                "action_id": [10, 11],
                "title": ["Repair café", "Forum"],
                "status": ["under_way", "planned"],
                "start_date": [dt.date(2024, 2, 1), dt.date(2024, 9, 1)],
                "end_date": [None, None],
            }
        ),
        action_actors=pd.DataFrame(
            {"action_id": [10, 10, 11, 11, 11], "actor_id": [1, 2, 2, 3, 4]}
        ),
    )


def test_an_organisation_keeps_its_place_from_one_wave_to_the_next() -> None:
    data = _data()
    layout = charts.stable_layout(data)
    # The reference: one spring_layout over the union of the waves' nodes and ties.
    assert layout == network_layout([1, 2, 3, 4], _ties([(1, 2, 3), (2, 3, 4), (3, 4, 2)]))
    places = []
    for wave in data.wave_numbers:
        figure = charts.network_graph(
            data.nodes(wave), data.wave_ties(wave), SECTORS, LEVELS, positions=layout
        )
        places.append(
            {
                text.split("</b>")[0].removeprefix("<b>"): (x, y)
                for t in figure.data
                if t.mode == "markers+text"
                for text, x, y in zip(t.hovertext, t.x, t.y, strict=True)
            }
        )
    assert places[0]["B"] == places[1]["B"] and places[0]["C"] == places[1]["C"]


def test_response_rate_per_wave() -> None:
    rates = pd.DataFrame(
        {
            "wave_number": [0, 1],
            "reference_month": [dt.date(2024, 1, 1), dt.date(2024, 7, 1)],
            "listed": [5, 5],
            "answered": [3, 4],
            "rate": [0.6, 0.8],
        }
    )
    figure = charts.response_rate_chart(rates)
    bars = figure.data[0]
    assert list(bars.y) == pytest.approx([60, 80])
    assert list(bars.text) == ["3 / 5 (60\u00a0%)", "4 / 5 (80\u00a0%)"]
    assert list(bars.x) == ["Vague 0<br>janv. 2024", "Vague 1<br>juil. 2024"]
    assert charts.response_rate_chart(rates.iloc[:0]).layout.annotations[0].text == (
        "Pas encore de données"
    )


def test_the_map_of_actors_and_actions() -> None:
    figure = charts.actions_map(_data(), SECTORS, names_shown=None)
    (links,) = [t for t in figure.data if t.mode == "lines"]
    assert len(_segments(links)) == 5  # one per participation
    actions = [t for t in figure.data if t.name.startswith("action ")]
    assert [t.name for t in actions] == ["action prévue", "action en cours"]
    assert [t.marker.symbol for t in actions] == ["square-open", "square-dot"]
    titles = {a.text for a in figure.layout.annotations}
    assert titles == {"<b>Repair café</b>", "<b>Forum</b>"}
    # Organisations taking part: A, B, C, D (E takes part in none), named.
    assert _written(figure) == {"A", "B", "C", "D"}
    hover = {
        h.split("</b>")[0].removeprefix("<b>"): h for t in figure.data for h in t.hovertext or []
    }
    assert hover["B"].endswith("2 actions communes") and hover["A"].endswith("1 action commune")
    assert hover["Forum"].endswith("3 organisations")
    assert "2 actions, 4 organisations engagées" in figure.layout.title.subtitle.text


def test_the_organisation_table_in_french() -> None:
    table = pd.DataFrame(
        {
            "actor_id": [1, 2],
            "name": ["Mairie", "Collectif"],
            "sector": ["collectivite", "habitant"],
            "answered": [True, False],
            **{f"level_{k}": pd.array([k, pd.NA], dtype="Int64") for k in range(1, 6)},
            "degree": pd.array([15, pd.NA], dtype="Int64"),
            "degree_centrality": [0.7241, np.nan],
            "betweenness": [0.27049, np.nan],
            "trust_received": [3.4167, 2.0],
            "trust_n": [12, 1],
            "resources": [("locaux", "reseau"), ()],
        }
    )
    resources = {r.id: r.label for r in get_config().survey.resource_types}
    frame = organisation_frame(table, SECTORS, LEVELS, resources)
    assert list(frame.columns) == [
        "Organisation",
        "Secteur",
        "A répondu",
        *(f"{k} · {LEVELS[k]}" for k in range(1, 6)),
        "Liens",
        "Centralité de degré",
        "Intermédiarité",
        "Confiance reçue",
        "Ressources apportées",
    ]
    first, second = frame.to_dict("records")
    assert first["Secteur"] == "Collectivité / élu" and first["A répondu"] == "oui"
    assert first["Liens"] == 15 and first["3 · Coordination"] == 3
    assert first["Centralité de degré"] == "72\u00a0%" and first["Intermédiarité"] == "0,27"
    assert first["Confiance reçue"] == "3,4 (n = 12)"
    assert first["Ressources apportées"] == "Locaux, Réseau"
    assert second["A répondu"] == "non" and pd.isna(second["Liens"])
    assert second["Intermédiarité"] == "–" and second["Ressources apportées"] == "–"
    assert second["Confiance reçue"] == "2,0 (n = 1)"


@pytest.mark.parametrize(
    ("kind", "count", "text"),
    [
        ("new_tie", 0, "0 nouveau lien"),
        ("new_tie", 3, "3 nouveaux liens"),
        ("lost_tie", 1, "1 lien disparu"),
        ("level_down", 2, "2 liens affaiblis"),
        ("lost_node", 12, "12 organisations parties"),
    ],
)
def test_change_phrases(kind: str, count: int, text: str) -> None:
    assert change_phrase(kind, count) == text


@pytest.mark.parametrize(
    ("point", "place"),
    [
        ((0.0, 0.5), "top center"),  # the middle: above or below, away from the crowd
        ((0.1, -0.5), "bottom center"),
        ((-0.9, 0.2), "top right"),  # near the left edge: towards the inside
        ((0.95, -0.8), "bottom left"),
    ],
)
def test_names_never_point_out_of_the_map(point: tuple[float, float], place: str) -> None:
    assert name_place(point, ((-1.0, 1.0), (-1.0, 1.0))) == place
    # The same place in a frame of another size and centre.
    moved = (point[0] * 3 + 10, point[1] * 0.5 - 2)
    assert name_place(moved, ((7.0, 13.0), (-2.5, -1.5))) == place
