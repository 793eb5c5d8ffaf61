"""The network report's figures: response rate, ties by level, degree and betweenness
centrality, trust received, resources, what changed between waves and the links through joint
actions — worked out by hand on a small territory and checked against networkx."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from indicators.network_report import (
    CHANGE_KINDS,
    NetworkData,
    action_links,
    actions_as_of,
    change_counts,
    network_data,
    organisation_table,
    response_rates,
    tie_changes,
)
from indicators.registry import registry
from tests.indicators.conftest import FrameBuilder

ORGS = {
    "a": "association",
    "b": "association",
    "c": "entreprise",
    "d": "collectivite",
    "e": "habitant",
}


def _names(builder: FrameBuilder) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "actor_id": [builder.actor(o) for o in ORGS],
            "name": [f"Organisation {o.upper()}" for o in ORGS],
        }
    )


@pytest.fixture
def territory() -> tuple[FrameBuilder, NetworkData]:
    return five_organisations()


def five_organisations() -> tuple[FrameBuilder, NetworkData]:
    """Five organisations a–e on the list; two waves.

    Wave 0: a (two respondents), b, c and d answer; e does not.
      a₁ → b 2 (trust 3, 3, –), c 3 (trust 4, 3, –), d 0, e 1 (trust 2, 2, 2), a 5 (itself)
      a₂ → b 4;   b → a 1 (trust 3, 3, 3), c 1;   c → d 5 (trust 4, 4, 4), a 2 (trust 1, 2, 3)
      d → c 4 (trust 3, –, –)
      Ties (max of both ratings, nodes only): a–b 4, a–c 3, b–c 1, c–d 5; a–d is level 0.
      Resources: a₁ réseau, a₂ locaux + réseau; c expertise.
    Wave 1: a, b and e answer; c and d do not.
      a → b 5, e 2;   e → b 1.   Ties: a–b 5, a–e 2, b–e 1.
    Actions: « Repair café » (a, b, c), « Marché » (b, c), « Forum » (d), « Abandonnée »
    (a, d, abandoned).
    """
    builder = FrameBuilder()
    builder.actors(ORGS)
    w0 = builder.wave(0)
    builder.respond(
        w0,
        "a",
        date="2024-03-10",
        ratings={"b": (2, (3, 3, None)), "c": (3, (4, 3, None)), "d": 0, "e": (1, (2, 2, 2))},
        contrib=["reseau"],
    )
    builder.rows["ratings"].append(  # a rating of one's own organisation: ignored
        {
            "respondent_id": builder.rows["respondents"][-1]["respondent_id"],
            "rated_actor_id": builder.actor("a"),
            "level": 5,
            "trust_reliable": 4,
            "trust_mission": 4,
            "trust_open": 4,
        }
    )
    builder.respond(w0, "a", date="2024-03-12", ratings={"b": 4}, contrib=["locaux", "reseau"])
    builder.respond(w0, "b", date="2024-03-15", ratings={"a": (1, (3, 3, 3)), "c": 1})
    builder.respond(
        w0,
        "c",
        date="2024-04-02",
        ratings={"d": (5, (4, 4, 4)), "a": (2, (1, 2, 3))},
        contrib=["expertise"],
    )
    builder.respond(w0, "d", date="2024-03-20", ratings={"c": (4, (3, None, None))})
    w1 = builder.wave(1)
    builder.respond(w1, "a", date="2024-10-01", ratings={"b": 5, "e": 2})
    builder.respond(w1, "b", date="2024-10-03")
    builder.respond(w1, "e", date="2024-10-05", ratings={"b": 1})
    builder.action("2024-01-01", orgs=["a", "b", "c"])
    builder.action("2024-02-01", orgs=["b", "c"])
    builder.action("2024-03-01", orgs=["d"])
    builder.action("2024-04-01", status="abandoned", orgs=["a", "d"])
    titles = pd.DataFrame(
        {
            "action_id": [r["action_id"] for r in builder.rows["actions"]],
            "title": ["Repair café", "Marché", "Forum", "Abandonnée"],
        }
    )
    return builder, network_data(builder.build(), _names(builder), titles)


def _ids(builder: FrameBuilder, *orgs: str) -> list[int]:
    return [builder.actor(o) for o in orgs]


def test_waves_nodes_and_ties_are_those_of_the_indicators(territory) -> None:
    builder, data = territory
    a, b, c, d, e = _ids(builder, *ORGS)
    assert data.wave_numbers == [0, 1]
    # Reference month: the month of the wave's last answer (2 April 2024, 5 October 2024).
    assert list(data.waves["reference_month"]) == [dt.date(2024, 4, 1), dt.date(2024, 10, 1)]
    assert sorted(data.nodes(0)["actor_id"]) == [a, b, c, d]
    assert sorted(data.nodes(1)["actor_id"]) == [a, b, e]
    ties = {(s, t): lv for s, t, lv in data.wave_ties(0).itertuples(index=False)}
    assert ties == {(a, b): 4, (a, c): 3, (b, c): 1, (c, d): 5}
    # Stable layout: every organisation that was ever a node, every pair at its highest level.
    assert data.union_nodes() == [a, b, c, d, e]
    union = {(s, t): lv for s, t, lv in data.union_ties().itertuples(index=False)}
    assert union == {(a, b): 5, (a, c): 3, (b, c): 1, (c, d): 5, (a, e): 2, (b, e): 1}


def test_response_rate_is_organisations_that_answered_over_the_list(territory) -> None:
    _, data = territory
    rates = response_rates(data)
    # Wave 0: a, b, c, d of five organisations (a's two respondents count once) → 4/5.
    # Wave 1: a, b, e → 3/5.
    assert rates[["wave_number", "listed", "answered"]].values.tolist() == [[0, 5, 4], [1, 5, 3]]
    assert rates["rate"].tolist() == pytest.approx([0.8, 0.6])


def test_response_rate_of_an_empty_list_is_undefined() -> None:
    builder = FrameBuilder()
    builder.wave(0)
    data = network_data(builder.build(), pd.DataFrame({"actor_id": [], "name": []}))
    assert response_rates(data).empty  # a wave without answers is no wave of the report


def test_organisation_table_by_hand(territory) -> None:
    builder, data = territory
    a, b, c, d, e = _ids(builder, *ORGS)
    table = organisation_table(data, 0).set_index("actor_id")
    # Most connected first: c (3 ties), then a and b (2, by name), d (1), e (did not answer).
    assert list(table.index) == [c, a, b, d, e]
    assert table["answered"].tolist() == [True, True, True, True, False]
    levels = [f"level_{k}" for k in range(1, 6)]
    # a: a–c 3, a–b 4; b: b–c 1, a–b 4; c: b–c 1, a–c 3, c–d 5; d: c–d 5.
    assert table.loc[a, levels].tolist() == [0, 0, 1, 1, 0]
    assert table.loc[b, levels].tolist() == [1, 0, 0, 1, 0]
    assert table.loc[c, levels].tolist() == [1, 0, 1, 0, 1]
    assert table.loc[d, levels].tolist() == [0, 0, 0, 0, 1]
    assert table.loc[e, levels].isna().all() and pd.isna(table.loc[e, "degree"])
    assert table.loc[[a, b, c, d], "degree"].tolist() == [2, 2, 3, 1]
    # Degree centrality: degree / (N − 1) = degree / 3.
    assert table.loc[[a, b, c, d], "degree_centrality"].tolist() == pytest.approx(
        [2 / 3, 2 / 3, 1, 1 / 3]
    )
    # Betweenness: the only shortest paths through another node are a–c–d and b–c–d, both
    # through c: 2 of the (N − 1)(N − 2)/2 = 3 pairs not involving c → 2/3; 0 for the others.
    assert table.loc[[a, b, c, d], "betweenness"].tolist() == pytest.approx([0, 0, 2 / 3, 0])
    assert np.isnan(table.loc[e, "betweenness"])
    # Trust received (mean of each rating's answered trust items, then over ratings):
    # a: from b 3, from c (1+2+3)/3 = 2 → 2.5 (2); b: from a₁ (3+3)/2 = 3 (a₂ gave none) → 3;
    # c: from a₁ 3.5, from d 3 → 3.25 (2); d: from c 4; e (silent): from a₁ 2. a's rating
    # of itself is left out.
    assert table.loc[[a, b, c, d, e], "trust_received"].tolist() == pytest.approx(
        [2.5, 3, 3.25, 4, 2]
    )
    assert table.loc[[a, b, c, d, e], "trust_n"].tolist() == [2, 1, 2, 1, 1]
    assert table.loc[a, "resources"] == ("locaux", "reseau")
    assert table.loc[c, "resources"] == ("expertise",)
    assert table.loc[b, "resources"] == ()
    assert table.loc[a, "name"] == "Organisation A" and table.loc[d, "sector"] == "collectivite"


def test_organisation_table_agrees_with_the_interconnaissance_indicator(territory) -> None:
    builder, data = territory
    from indicators.prepare import prepare

    prep = prepare(builder.build())
    density = registry()["interconnaissance_density"].func(prep).set_index("wave_id")["value"]
    for wave_id, number in zip(prep.waves["wave_id"], prep.waves["number"], strict=True):
        table = organisation_table(data, int(number))
        nodes = int(table["answered"].sum())
        # Σ degree = 2 × ties, and density = ties / (N(N−1)/2).
        ties = int(table["degree"].sum()) / 2
        assert ties / (nodes * (nodes - 1) / 2) == pytest.approx(density.loc[wave_id])


@pytest.mark.parametrize("seed", range(3))
def test_degree_and_betweenness_match_networkx_on_random_answers(seed: int) -> None:
    rng = np.random.default_rng(seed)
    orgs = {f"o{i:02d}": "association" for i in range(14)}
    builder = FrameBuilder()
    builder.actors(orgs)
    wave = builder.wave(0)
    answering = [o for o in orgs if rng.random() < 0.8]
    given: dict[tuple[str, str], int] = {}
    for org in answering:
        ratings = {}
        for other in orgs:
            if other != org and rng.random() < 0.35:
                ratings[other] = int(rng.integers(0, 6))
                given[(org, other)] = ratings[other]
        builder.respond(wave, org, ratings=ratings)
    data = network_data(builder.build(), pd.DataFrame({"actor_id": [], "name": []}))
    # The reference: the tie level of each pair of respondents worked out from the ratings
    # given, then networkx's own degree and betweenness.
    reference = nx.Graph()
    reference.add_nodes_from(answering)
    for x, y in itertools.combinations(answering, 2):
        level = max(given.get((x, y), -1), given.get((y, x), -1))
        if level >= 1:
            reference.add_edge(x, y)
    betweenness = nx.betweenness_centrality(reference)
    table = organisation_table(data, 0).set_index("actor_id")
    for org in orgs:
        row = table.loc[builder.actor(org)]
        if org in answering:
            assert row["degree"] == reference.degree(org)
            assert row["betweenness"] == pytest.approx(betweenness[org], abs=1e-12)
        else:
            assert pd.isna(row["degree"]) and not row["answered"]


def test_changes_between_the_two_waves(territory) -> None:
    builder, data = territory
    a, b, c, d, e = _ids(builder, *ORGS)
    changes = tie_changes(
        data.wave_ties(0), data.wave_ties(1), data.nodes(0)["actor_id"], data.nodes(1)["actor_id"]
    )
    # a and b are in both waves: a–b went from 4 to 5. e joined (2 ties: a–e, b–e); c (3 ties)
    # and d (1 tie) left, taking their ties with them (not counted as lost ties).
    rows = [
        (k, s, None if pd.isna(t) else t, None if pd.isna(x) else x, None if pd.isna(y) else y)
        for k, s, t, x, y in changes.itertuples(index=False)
    ]
    assert rows == [
        ("level_up", a, b, 4, 5),
        ("new_node", e, None, None, 2),
        ("lost_node", c, None, 3, None),
        ("lost_node", d, None, 1, None),
    ]
    assert change_counts(changes) == {
        "new_tie": 0,
        "lost_tie": 0,
        "level_up": 1,
        "level_down": 0,
        "new_node": 1,
        "lost_node": 2,
    }


def test_every_kind_of_change_counted_by_hand() -> None:
    def ties(rows: list[tuple[int, int, int]]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=["source", "target", "level"])

    # Before: 1–2 (1), 1–3 (3), 2–4 (2), 3–4 (4). After: 2–1 (2, said the other way), 1–3 (2),
    # 1–5 (1), 2–3 (1), 3–4 (4, unchanged), 4–4 (a self-tie).
    before = ties([(1, 2, 1), (1, 3, 3), (2, 4, 2), (3, 4, 4)])
    after = ties([(2, 1, 2), (1, 3, 2), (1, 5, 1), (2, 3, 1), (3, 4, 4), (4, 4, 5)])
    changes = tie_changes(before, after, prev_nodes=[1, 2, 3, 4], nodes=[1, 2, 3, 4, 5])
    # new: 2–3; lost: 2–4; up: 1–2; down: 1–3; joined: 5 (1 tie); nobody left.
    assert change_counts(changes) == {
        "new_tie": 1,
        "lost_tie": 1,
        "level_up": 1,
        "level_down": 1,
        "new_node": 1,
        "lost_node": 0,
    }
    assert list(changes["kind"]) == [k for k in CHANGE_KINDS if k != "lost_node"]
    assert changes.iloc[0][["source", "target", "after"]].tolist() == [2, 3, 1]
    assert changes.iloc[1][["source", "target", "before"]].tolist() == [2, 4, 2]


def test_organisations_linked_through_joint_actions(territory) -> None:
    builder, data = territory
    a, b, c, d, _ = _ids(builder, *ORGS)
    links = action_links(data, statuses=["planned", "under_way", "completed"])
    by_title = dict(zip(data.actions["action_id"], data.actions["title"], strict=True))
    # « Repair café » links a–b, a–c, b–c; « Marché » b–c again; « Forum » has d alone;
    # the abandoned action (a, d) is not counted.
    rows = [(s, t, n, [by_title[i] for i in ids]) for s, t, n, ids in links.itertuples(index=False)]
    assert rows == [
        (b, c, 2, ["Repair café", "Marché"]),
        (a, b, 1, ["Repair café"]),
        (a, c, 1, ["Repair café"]),
    ]
    every = action_links(data)
    assert (a, d) in set(zip(every["source"], every["target"], strict=True))
    assert len(every) == 4


def test_actions_as_of_a_month(territory) -> None:
    _, data = territory
    # Started by the end of February 2024: « Repair café » (January) and « Marché »
    # (February); an action ending after February was still under way then.
    ended = data.actions.assign(
        end_date=[dt.date(2024, 3, 15), dt.date(2024, 2, 20), None, None],
        status=["completed", "completed", "under_way", "abandoned"],
    )
    as_of = actions_as_of(dataclasses.replace(data, actions=ended), dt.date(2024, 2, 1))
    assert as_of.actions[["title", "status"]].values.tolist() == [
        ["Repair café", "under_way"],
        ["Marché", "completed"],
    ]
    assert as_of.actions["end_date"].tolist() == [None, dt.date(2024, 2, 20)]
    assert set(as_of.action_actors["action_id"]) == set(as_of.actions["action_id"])


def test_response_rates_up_to_a_month(territory) -> None:
    _, data = territory
    # Wave 0's reference month is April 2024, wave 1's October 2024.
    assert response_rates(data, until=dt.date(2024, 9, 1))["wave_number"].tolist() == [0]
    assert response_rates(data, until=dt.date(2024, 3, 1)).empty
    assert len(response_rates(data, until=dt.date(2024, 10, 1))) == 2


def test_no_action_started_yet(territory) -> None:
    _, data = territory
    as_of = actions_as_of(data, dt.date(2023, 12, 1))
    assert as_of.actions.empty and list(as_of.actions.columns) == list(data.actions.columns)
    assert as_of.action_actors.empty
