"""Network figures of the baromètre, per wave, over the nodes (organisations that answered).

Definitions are those of SURVEY.md, over ``prep.pairs`` (see ``indicators.prepare``): a tie is
a pair of nodes with tie level = max(L(a→b), L(b→a)); pairs nobody rated have no tie.
All figures are vectorised across waves; robustness runs one connected-components pass over
the block-diagonal graph of all waves at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from indicators.keys import KeyLookup
from indicators.prepare import Prepared
from indicators.registry import indicator
from indicators.results import notes, safe_divide, wave_result

NOTE_NO_ANSWER = "aucune réponse dans cette vague"
NOTE_NO_NODE = "aucune organisation de la liste d'acteurs parmi les répondants"
NOTE_LT2 = "moins de 2 organisations répondantes"
NOTE_LT3 = "moins de 3 organisations répondantes"
NOTE_NO_TIE = "aucun lien (niveau ≥ 1) entre organisations répondantes"
NOTE_NO_TIE3 = "aucun lien de niveau ≥ 3 entre organisations répondantes"
NOTE_NO_MUTUAL_TIE = "aucune paire d'organisations s'étant évaluées mutuellement avec un lien"
NOTE_NO_MUTUAL = "aucune paire d'organisations s'étant évaluées mutuellement"
NOTE_NO_PREVIOUS = "pas de vague précédente"
NOTE_PREV_UNDEFINED = "centralisation non calculable pour la vague précédente"


@dataclass(frozen=True)
class NetworkStats:
    """Per-wave counts over pairs, shared by the network indicators."""

    nodes: np.ndarray
    ties1: np.ndarray
    ties3: np.ndarray
    ties4: np.ndarray
    level_sum1: np.ndarray
    cross1: np.ndarray
    cross3: np.ndarray
    mutual_tie: np.ndarray  # both rated each other and tie level ≥ 1
    mutual_both1: np.ndarray  # both ratings ≥ 1
    mutual: np.ndarray  # both rated each other
    agree: np.ndarray  # both rated each other and |L(a→b) − L(b→a)| ≤ 1


def network_stats(prep: Prepared) -> NetworkStats:
    """Compute (once per Prepared) the per-wave counts of ties."""

    def build() -> NetworkStats:
        p = prep.pairs
        size = prep.n_waves
        level = p.level
        sector = prep.nodes["sector_code"].to_numpy()
        cross = sector[p.a] != sector[p.b]
        t1 = level >= 1
        t3 = level >= 3
        both = (p.l_ab >= 0) & (p.l_ba >= 0)
        gap = np.abs(p.l_ab.astype("int16") - p.l_ba.astype("int16"))

        def count(mask: np.ndarray) -> np.ndarray:
            return np.bincount(p.wave[mask], minlength=size)

        return NetworkStats(
            nodes=prep.waves["n_nodes"].to_numpy(),
            ties1=count(t1),
            ties3=count(t3),
            ties4=count(level >= 4),
            level_sum1=np.bincount(p.wave[t1], weights=level[t1], minlength=size),
            cross1=count(t1 & cross),
            cross3=count(t3 & cross),
            mutual_tie=count(both & t1),
            mutual_both1=count((p.l_ab >= 1) & (p.l_ba >= 1)),
            mutual=count(both),
            agree=count(both & (gap <= 1)),
        )

    return prep.cached("network_stats", build)


def _node_rules(prep: Prepared, minimum: int) -> list[tuple[np.ndarray, str]]:
    """Notes for waves with too few nodes for a figure needing ``minimum`` of them."""
    n_resp = prep.waves["n_respondents"].to_numpy()
    nodes = prep.waves["n_nodes"].to_numpy()
    rules = [(n_resp == 0, NOTE_NO_ANSWER), (nodes == 0, NOTE_NO_NODE)]
    if minimum == 2:
        rules.append((nodes < 2, NOTE_LT2))
    elif minimum == 3:
        rules.append((nodes < 3, NOTE_LT3))
    return rules


def _density(prep: Prepared, ties: np.ndarray) -> pd.DataFrame:
    nodes = network_stats(prep).nodes
    value = safe_divide(ties, nodes * (nodes - 1) / 2)
    note = notes(prep.n_waves, *_node_rules(prep, 2))
    return wave_result(prep.wave_ids, value, nodes, note)


@indicator("interconnaissance_density", basis="wave")
def interconnaissance_density(prep: Prepared) -> pd.DataFrame:
    """Pairs of nodes with tie level ≥ 1 / N(N−1)/2; n = nodes; undefined when N < 2."""
    return _density(prep, network_stats(prep).ties1)


@indicator("coordination_density", basis="wave")
def coordination_density(prep: Prepared) -> pd.DataFrame:
    """Pairs of nodes with tie level ≥ 3 / N(N−1)/2; n = nodes; undefined when N < 2."""
    return _density(prep, network_stats(prep).ties3)


def _share_of_ties(
    prep: Prepared, num: np.ndarray, den: np.ndarray, empty_note: str
) -> pd.DataFrame:
    note = notes(prep.n_waves, *_node_rules(prep, 2), (den == 0, empty_note))
    return wave_result(prep.wave_ids, safe_divide(num, den), den, note)


@indicator("mean_collaboration_level", basis="wave")
def mean_collaboration_level(prep: Prepared) -> pd.DataFrame:
    """Mean tie level over pairs with tie level ≥ 1 (1–5); n = those pairs."""
    s = network_stats(prep)
    return _share_of_ties(prep, s.level_sum1, s.ties1, NOTE_NO_TIE)


@indicator("cross_sector_share", basis="wave")
def cross_sector_share(prep: Prepared) -> pd.DataFrame:
    """Among pairs with tie level ≥ 1, the share whose two sectors differ; n = those pairs."""
    s = network_stats(prep)
    return _share_of_ties(prep, s.cross1, s.ties1, NOTE_NO_TIE)


@indicator("strong_tie_share", basis="wave")
def strong_tie_share(prep: Prepared) -> pd.DataFrame:
    """Among pairs with tie level ≥ 1, the share at level 4–5; n = pairs with level ≥ 1."""
    s = network_stats(prep)
    return _share_of_ties(prep, s.ties4, s.ties1, NOTE_NO_TIE)


@indicator("cross_sector_coordination_share", basis="wave")
def cross_sector_coordination_share(prep: Prepared) -> pd.DataFrame:
    """Among pairs with tie level ≥ 3, the share whose sectors differ; n = those pairs."""
    s = network_stats(prep)
    return _share_of_ties(prep, s.cross3, s.ties3, NOTE_NO_TIE3)


@indicator("reciprocity", basis="wave")
def reciprocity(prep: Prepared) -> pd.DataFrame:
    """Among pairs where both rated each other and at least one rating is ≥ 1, the share where
    both are ≥ 1; n = those pairs."""
    s = network_stats(prep)
    return _share_of_ties(prep, s.mutual_both1, s.mutual_tie, NOTE_NO_MUTUAL_TIE)


@indicator("dyad_agreement", basis="wave")
def dyad_agreement(prep: Prepared) -> pd.DataFrame:
    """Among pairs where both rated each other, the share with |L(i→j) − L(j→i)| ≤ 1; n =
    those pairs."""
    s = network_stats(prep)
    return _share_of_ties(prep, s.agree, s.mutual, NOTE_NO_MUTUAL)


def _degrees(prep: Prepared, min_level: int) -> np.ndarray:
    """Degree of every node in the graph of ties with level ≥ ``min_level``."""
    p = prep.pairs
    tie = p.level >= min_level
    return np.bincount(np.concatenate([p.a[tie], p.b[tie]]), minlength=len(prep.nodes)).astype(
        "int64"
    )


def centralization_values(prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Freeman degree centralization of the level ≥ 3 graph per wave, and whether defined
    (N ≥ 3): Σ(d_max − d_i) / ((N−1)(N−2))."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        degree = _degrees(prep, 3)
        node_wave = prep.nodes["wave"].to_numpy()
        size = prep.n_waves
        d_max = np.zeros(size, dtype="int64")
        np.maximum.at(d_max, node_wave, degree)
        d_sum = np.bincount(node_wave, weights=degree, minlength=size)
        nodes = prep.waves["n_nodes"].to_numpy()
        value = safe_divide(nodes * d_max - d_sum, (nodes - 1) * (nodes - 2))
        return value, nodes >= 3

    return prep.cached("centralization", build)


@indicator("degree_centralization", basis="wave")
def degree_centralization(prep: Prepared) -> pd.DataFrame:
    """Freeman degree centralization of the graph of ties with level ≥ 3 (a star gives 1, a
    graph where all degrees are equal gives 0); n = nodes; undefined when N < 3."""
    value, _ = centralization_values(prep)
    note = notes(prep.n_waves, *_node_rules(prep, 3))
    return wave_result(prep.wave_ids, value, prep.waves["n_nodes"].to_numpy(), note)


@indicator("centralization_change", basis="wave")
def centralization_change(prep: Prepared) -> pd.DataFrame:
    """This wave's degree centralization minus the previous wave's (negative: leadership
    spreads); n = the smaller node count of the two waves."""
    value, defined = centralization_values(prep)
    prev = prep.waves["prev"].to_numpy()
    has_prev = prev >= 0
    safe_prev = np.maximum(prev, 0)
    nodes = prep.waves["n_nodes"].to_numpy()
    change = value - value[safe_prev] if len(value) else value
    note = notes(
        prep.n_waves,
        *_node_rules(prep, 3),
        (~has_prev, NOTE_NO_PREVIOUS),
        (has_prev & ~defined[safe_prev] if len(value) else has_prev, NOTE_PREV_UNDEFINED),
    )
    n = np.where(has_prev, np.minimum(nodes, nodes[safe_prev] if len(nodes) else 0), nodes)
    return wave_result(prep.wave_ids, change, n, note)


@indicator("retention", basis="wave")
def retention(prep: Prepared) -> pd.DataFrame:
    """Jaccard index |A ∩ B| / |A ∪ B| of this wave's and the previous wave's node sets;
    n = |A ∪ B| (this wave's nodes when there is no previous answered wave, 0 when this wave
    has no node); undefined without a previous answered wave or without nodes."""
    waves = prep.waves
    nodes = prep.nodes
    size = prep.n_waves
    node_wave = nodes["wave"].to_numpy()
    apos = nodes["apos"].to_numpy()
    n_actors = max(len(prep.actors), 1)
    lookup = KeyLookup(node_wave * n_actors + apos)
    prev = waves["prev"].to_numpy()
    node_prev = prev[node_wave] if len(node_wave) else node_wave
    has = node_prev >= 0
    found = np.zeros(len(node_wave), dtype=bool)
    found[has] = lookup(node_prev[has] * n_actors + apos[has]) >= 0
    inter = np.bincount(node_wave[found], minlength=size)
    count = waves["n_nodes"].to_numpy()
    has_prev = prev >= 0
    union = np.where(has_prev, count + count[np.maximum(prev, 0)] - inter, count)
    union = np.where(count == 0, 0, union)  # nothing to compare for a wave without nodes
    note = notes(
        size,
        (waves["n_respondents"].to_numpy() == 0, NOTE_NO_ANSWER),
        (~has_prev, NOTE_NO_PREVIOUS),
        (union == 0, NOTE_NO_NODE),
    )
    return wave_result(prep.wave_ids, safe_divide(inter, union), union, note)


def _removed_nodes(prep: Prepared, degree: np.ndarray) -> np.ndarray:
    """Per wave, the node removed for robustness: highest degree, ties broken by the smallest
    actor id (deterministic)."""
    node_wave = prep.nodes["wave"].to_numpy()
    order = np.lexsort((prep.nodes["actor_id"].to_numpy(), -degree, node_wave))
    first = np.ones(len(order), dtype=bool)
    first[1:] = node_wave[order][1:] != node_wave[order][:-1]
    removed = np.zeros(len(node_wave), dtype=bool)
    removed[order[first]] = True
    return removed


@indicator("network_robustness", basis="wave")
def network_robustness(prep: Prepared) -> pd.DataFrame:
    """Remove the node of highest degree in the level ≥ 1 graph (ties: smallest actor id);
    value = size of the largest connected component left / (N − 1); n = N; undefined when
    N < 3. A complete graph gives 1, a star 1/(N−1)."""
    p = prep.pairs
    n_nodes = len(prep.nodes)
    size = prep.n_waves
    degree = _degrees(prep, 1)
    removed = _removed_nodes(prep, degree)
    edge = (p.level >= 1) & ~removed[p.a] & ~removed[p.b]
    graph = coo_matrix(
        (np.ones(int(edge.sum()), dtype="int8"), (p.a[edge], p.b[edge])),
        shape=(n_nodes, n_nodes),
    )
    _, labels = connected_components(graph, directed=False)
    kept = ~removed
    component_size = np.bincount(labels[kept], minlength=n_nodes)
    largest = np.zeros(size, dtype="int64")
    node_wave = prep.nodes["wave"].to_numpy()
    np.maximum.at(largest, node_wave[kept], component_size[labels[kept]])
    nodes = prep.waves["n_nodes"].to_numpy()
    note = notes(size, *_node_rules(prep, 3))
    return wave_result(prep.wave_ids, safe_divide(largest, nodes - 1), nodes, note)
