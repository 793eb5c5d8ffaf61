"""Network figures on hand-built graphs, edge cases, and a cross-check with networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from indicators.network import (
    NOTE_LT2,
    NOTE_LT3,
    NOTE_NO_ANSWER,
    NOTE_NO_MUTUAL_TIE,
    NOTE_NO_PREVIOUS,
    NOTE_NO_TIE,
    NOTE_NO_TIE3,
)

NETWORK_IDS = (
    "interconnaissance_density",
    "coordination_density",
    "mean_collaboration_level",
    "degree_centralization",
    "reciprocity",
    "dyad_agreement",
    "cross_sector_share",
    "cross_sector_coordination_share",
    "strong_tie_share",
    "retention",
    "network_robustness",
    "centralization_change",
)


@pytest.fixture
def path_abc(builder, prep_of):
    """3 nodes A (association), B, C (entreprise); D listed but silent.

    Ratings: A→B 2; B→C 4; B→D 5 (D is not a node: ignored by the network figures).
    Ties: A–B level 2, B–C level 4; A–C none.
    """
    builder.actors({"A": "association", "B": "entreprise", "C": "entreprise", "D": "habitant"})
    wave = builder.wave(0)
    builder.respond(wave, "A", ratings={"B": 2})
    builder.respond(wave, "B", ratings={"C": 4, "D": 5})
    builder.respond(wave, "C")
    return prep_of(builder.build()), wave


def test_densities_on_a_path(path_abc, wave_value):
    prep, wave = path_abc
    # Pairs with level ≥ 1: A–B, B–C = 2 of 3 → 2/3; n = 3 nodes.
    assert wave_value(prep, "interconnaissance_density", wave) == (pytest.approx(2 / 3), 3, None)
    # Level ≥ 3: B–C only → 1/3.
    assert wave_value(prep, "coordination_density", wave) == (pytest.approx(1 / 3), 3, None)


def test_levels_and_sector_shares_on_a_path(path_abc, wave_value):
    prep, wave = path_abc
    # Mean of tie levels 2 and 4 → 3.0 over 2 pairs.
    assert wave_value(prep, "mean_collaboration_level", wave) == (3.0, 2, None)
    # A–B joins association and entreprise, B–C two entreprises → 1/2.
    assert wave_value(prep, "cross_sector_share", wave) == (0.5, 2, None)
    # Level 4–5 among ties: B–C → 1/2.
    assert wave_value(prep, "strong_tie_share", wave) == (0.5, 2, None)
    # Level ≥ 3 ties: B–C, same sector → 0/1 (a defined 0, not missing).
    assert wave_value(prep, "cross_sector_coordination_share", wave) == (0.0, 1, None)


def test_centralization_and_robustness_on_a_path(path_abc, wave_value):
    prep, wave = path_abc
    # Level ≥ 3 graph: B–C. Degrees A0 B1 C1, d_max 1: Σ(1 − d) = 1; /((3−1)(3−2)) = 0.5.
    assert wave_value(prep, "degree_centralization", wave) == (0.5, 3, None)
    # Level ≥ 1 graph A–B–C: remove B (degree 2) → A, C isolated → largest 1 / (3 − 1).
    assert wave_value(prep, "network_robustness", wave) == (0.5, 3, None)
    # Nobody rated each other both ways.
    assert wave_value(prep, "reciprocity", wave) == (None, 0, NOTE_NO_MUTUAL_TIE)


def test_reciprocity_and_dyad_agreement(builder, prep_of, wave_value):
    builder.actors({"A": "association", "B": "association", "C": "etat", "D": "etat"})
    wave = builder.wave(0)
    builder.respond(wave, "A", ratings={"B": 3, "C": 2, "D": 4})
    builder.respond(wave, "B", ratings={"A": 1, "C": 0, "D": 2})
    builder.respond(wave, "C", ratings={"A": 0, "B": 0})
    builder.respond(wave, "D", ratings={"A": 5})
    prep = prep_of(builder.build())
    # Mutual pairs: A–B (3,1), A–C (2,0), B–C (0,0), A–D (4,5); B–D is one-way.
    # Reciprocity: mutual with one ≥ 1 → A–B, A–C, A–D; both ≥ 1 → A–B, A–D → 2/3.
    assert wave_value(prep, "reciprocity", wave) == (pytest.approx(2 / 3), 3, None)
    # Agreement |Δ| ≤ 1 among the 4 mutual pairs: B–C (0), A–D (1) → 2/4.
    assert wave_value(prep, "dyad_agreement", wave) == (0.5, 4, None)
    # Ties ≥ 1: A–B 3, A–C 2, A–D 5, B–D 2 (B–C is level 0) → 4/6; mean (3+2+5+2)/4.
    assert wave_value(prep, "interconnaissance_density", wave) == (pytest.approx(4 / 6), 4, None)
    assert wave_value(prep, "mean_collaboration_level", wave) == (3.0, 4, None)


def test_star_is_fully_centralized_and_fragile(builder, prep_of, wave_value):
    builder.actors({"S": "collectivite", "L1": "association", "L2": "association"})
    builder.actors({"L3": "entreprise", "L4": "habitant"})
    wave = builder.wave(0)
    builder.respond(wave, "S", ratings={"L1": 3, "L2": 3, "L3": 3, "L4": 3})
    for leaf in ("L1", "L2", "L3", "L4"):
        builder.respond(wave, leaf)
    prep = prep_of(builder.build())
    # Degrees S4, leaves 1: Σ(4 − d) = 4·3 = 12; /((5−1)(5−2)) = 1.0.
    assert wave_value(prep, "degree_centralization", wave) == (1.0, 5, None)
    # Removing S leaves 4 isolated leaves → 1/4.
    assert wave_value(prep, "network_robustness", wave) == (0.25, 5, None)


def test_complete_graph_is_decentralized_and_robust(builder, prep_of, wave_value):
    orgs = ["A", "B", "C", "D"]
    builder.actors(dict.fromkeys(orgs, "association"))
    wave = builder.wave(0)
    for org in orgs:
        builder.respond(wave, org, ratings={o: 3 for o in orgs if o != org})
    prep = prep_of(builder.build())
    assert wave_value(prep, "degree_centralization", wave) == (0.0, 4, None)
    # Remove one node: the 3 others stay connected → 3/3.
    assert wave_value(prep, "network_robustness", wave) == (1.0, 4, None)
    assert wave_value(prep, "coordination_density", wave) == (1.0, 4, None)
    # Same sector everywhere → no cross-sector tie.
    assert wave_value(prep, "cross_sector_share", wave) == (0.0, 6, None)


def test_several_respondents_of_one_organisation_take_the_max(builder, prep_of, wave_value):
    builder.actors({"A": "association", "B": "etat"})
    wave = builder.wave(0)
    builder.respond(wave, "A", ratings={"B": 1})
    builder.respond(wave, "A", ratings={"B": 4})
    builder.respond(wave, "B", ratings={"A": 2})
    prep = prep_of(builder.build())
    pairs = prep.pairs_frame()
    # One pair; L(A→B) = max(1, 4) = 4, L(B→A) = 2; tie level 4. Two nodes, not three.
    assert len(pairs) == 1
    assert sorted([int(pairs["l_ab"][0]), int(pairs["l_ba"][0])]) == [2, 4]
    assert int(pairs["level"][0]) == 4
    assert wave_value(prep, "interconnaissance_density", wave) == (1.0, 2, None)
    # |4 − 2| = 2 > 1: the dyad disagrees.
    assert wave_value(prep, "dyad_agreement", wave) == (0.0, 1, None)


def test_self_and_unlisted_ratings_are_ignored(builder, prep_of, wave_value):
    builder.actors({"A": "association", "B": "etat"})
    builder.actors({"X": "association"}, territory="other")
    wave = builder.wave(0)
    builder.respond(wave, "A", ratings={"A": 5, builder.actor("X", "other"): 3, 99999: 2})
    builder.respond(wave, "B")
    prep = prep_of(builder.build())
    # A's only ratings are of itself, of another territory's actor and of an unknown id.
    assert wave_value(prep, "interconnaissance_density", wave) == (0.0, 2, None)
    dropped = prep.dropped.set_index("wave_id").loc[wave]
    assert (int(dropped["self_ratings"]), int(dropped["unlisted_ratings"])) == (1, 2)


def test_empty_wave_gives_notes_not_crashes(builder, prep_of, wave_value):
    builder.actors({"A": "association"})
    wave = builder.wave(0)  # no answer at all
    prep = prep_of(builder.build())
    for indicator_id in NETWORK_IDS:
        value, n, note = wave_value(prep, indicator_id, wave)
        assert value is None and n == 0, indicator_id
        assert note == NOTE_NO_ANSWER, indicator_id


def test_one_respondent(builder, prep_of, wave_value):
    builder.actors({"A": "association", "B": "etat"})
    wave = builder.wave(0)
    builder.respond(wave, "A", ratings={"B": 3})  # B is not a node: no pair
    prep = prep_of(builder.build())
    assert wave_value(prep, "interconnaissance_density", wave) == (None, 1, NOTE_LT2)
    assert wave_value(prep, "degree_centralization", wave) == (None, 1, NOTE_LT3)
    assert wave_value(prep, "network_robustness", wave) == (None, 1, NOTE_LT3)
    assert wave_value(prep, "mean_collaboration_level", wave) == (None, 0, NOTE_LT2)


def test_no_ties(builder, prep_of, wave_value):
    orgs = ["A", "B", "C"]
    builder.actors(dict.fromkeys(orgs, "association"))
    wave = builder.wave(0)
    for org in orgs:
        builder.respond(wave, org, ratings={o: 0 for o in orgs if o != org})
    prep = prep_of(builder.build())
    # Three nodes, every pair rated 0 both ways: density 0 (defined), no tie to average.
    assert wave_value(prep, "interconnaissance_density", wave) == (0.0, 3, None)
    assert wave_value(prep, "mean_collaboration_level", wave) == (None, 0, NOTE_NO_TIE)
    assert wave_value(prep, "cross_sector_coordination_share", wave) == (None, 0, NOTE_NO_TIE3)
    # All degrees 0 → centralization 0; all three mutual pairs agree (0 vs 0).
    assert wave_value(prep, "degree_centralization", wave) == (0.0, 3, None)
    assert wave_value(prep, "dyad_agreement", wave) == (1.0, 3, None)
    # Removing one isolated node leaves two isolated ones → 1/2.
    assert wave_value(prep, "network_robustness", wave) == (0.5, 3, None)


def test_retention_and_centralization_change(builder, prep_of, wave_value):
    builder.actors(dict.fromkeys(["A", "B", "C", "D"], "association"))
    w0 = builder.wave(0)
    # Wave 0: star around B over A, C → degrees B2, A1, C1: Σ(2 − d) = 2; /(2·1) = 1.0.
    builder.respond(w0, "A", date="2024-01-10")
    builder.respond(w0, "B", date="2024-01-12", ratings={"A": 3, "C": 3})
    builder.respond(w0, "C", date="2024-01-20")
    w1 = builder.wave(1)
    # Wave 1: B, C, D in a triangle at level 3 → centralization 0.
    builder.respond(w1, "B", date="2024-07-01", ratings={"C": 3, "D": 3})
    builder.respond(w1, "C", date="2024-07-02", ratings={"D": 3})
    builder.respond(w1, "D", date="2024-07-03")
    w2 = builder.wave(2)  # no answers
    w3 = builder.wave(3)
    builder.respond(w3, "A", date="2025-07-01")
    prep = prep_of(builder.build())
    assert wave_value(prep, "retention", w0) == (None, 3, NOTE_NO_PREVIOUS)
    # {A,B,C} vs {B,C,D}: 2 in common of 4 → 0.5.
    assert wave_value(prep, "retention", w1) == (0.5, 4, None)
    # Wave 2 has no answers; wave 3 ({A}) is compared with wave 1, the previous answered one:
    # {A} vs {B,C,D} → 0/4.
    assert wave_value(prep, "retention", w3) == (0.0, 4, None)
    assert wave_value(prep, "retention", w2) == (None, 0, NOTE_NO_ANSWER)
    # 0 − 1 = −1; n = min(3, 3).
    assert wave_value(prep, "centralization_change", w1) == (-1.0, 3, None)
    assert wave_value(prep, "centralization_change", w0)[2] == NOTE_NO_PREVIOUS


# ----------------------------------------------------------------------------------------------
# Cross-check against networkx on random graphs (full rosters, two territories).


def _random_territory(builder, rng, territory: str, n_actors: int):
    sectors = ["association", "entreprise", "collectivite", "habitant", "etat", "autre"]
    orgs = [f"{territory}{i}" for i in range(n_actors)]
    builder.actors({o: sectors[rng.integers(0, 6)] for o in orgs}, territory=territory)
    waves = []
    for number in range(2):
        wave = builder.wave(number, territory=territory)
        answering = [o for o in orgs if rng.random() < 0.7]
        ratings_by_org: dict[str, dict[str, int]] = {}
        for org in answering:
            for _ in range(1 + int(rng.random() < 0.25)):  # sometimes two respondents
                levels = {
                    o: int(rng.choice(6, p=[0.45, 0.2, 0.12, 0.1, 0.08, 0.05]))
                    for o in orgs
                    if o != org
                }
                builder.respond(wave, org, territory=territory, ratings=levels)
                best = ratings_by_org.setdefault(org, {})
                for o, level in levels.items():
                    best[o] = max(best.get(o, -1), level)
        waves.append((wave, answering, ratings_by_org))
    return waves


def _reference(builder, territory, answering, L):
    nodes = sorted(set(answering), key=lambda o: builder.actor(o, territory))
    g1, g3, directed = nx.Graph(), nx.Graph(), nx.DiGraph()
    g1.add_nodes_from(nodes)
    g3.add_nodes_from(nodes)
    directed.add_nodes_from(nodes)
    levels, agree = [], []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            tie = max(L[a][b], L[b][a])
            agree.append(abs(L[a][b] - L[b][a]) <= 1)
            if tie >= 1:
                g1.add_edge(a, b)
                levels.append(tie)
            if tie >= 3:
                g3.add_edge(a, b)
    for a in nodes:
        for b in nodes:
            if a != b and L[a][b] >= 1:
                directed.add_edge(a, b)
    n = len(nodes)
    degrees = [d for _, d in g3.degree()]
    centralization = (n * max(degrees) - sum(degrees)) / ((n - 1) * (n - 2))
    top = max(g1.degree(), key=lambda item: (item[1], -builder.actor(item[0], territory)))[0]
    rest = g1.copy()
    rest.remove_node(top)
    robustness = max(len(c) for c in nx.connected_components(rest)) / (n - 1)
    r = nx.reciprocity(directed)
    return {
        "interconnaissance_density": nx.density(g1),
        "coordination_density": nx.density(g3),
        "degree_centralization": centralization,
        "network_robustness": robustness,
        # Full rosters: every pair rated both ways, so SURVEY's reciprocity M/(M+A) equals
        # r/(2 − r) with networkx's r = 2M/(2M + A).
        "reciprocity": r / (2 - r),
        "mean_collaboration_level": float(np.mean(levels)),
        "dyad_agreement": float(np.mean(agree)),
    }


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_matches_networkx_on_random_graphs(seed, builder, prep_of, wave_value):
    rng = np.random.default_rng(seed)
    territories = {
        "north": _random_territory(builder, rng, "north", int(rng.integers(8, 16))),
        "south": _random_territory(builder, rng, "south", int(rng.integers(8, 16))),
    }
    prep = prep_of(builder.build())
    for territory, waves in territories.items():
        for wave, answering, L in waves:
            assert len(answering) >= 3, "the seed must give at least 3 nodes"
            expected = _reference(builder, territory, answering, L)
            for indicator_id, value in expected.items():
                got, _, note = wave_value(prep, indicator_id, wave)
                assert note is None, (indicator_id, note)
                assert got == pytest.approx(value), (seed, territory, indicator_id)
        # Retention: Jaccard of the two waves' node sets.
        (_, a0, _), (w1, a1, _) = waves
        s0, s1 = set(a0), set(a1)
        assert wave_value(prep, "retention", w1)[0] == pytest.approx(len(s0 & s1) / len(s0 | s1))
