"""The network report of one territory (Territoire page, the lead's PDF): organisation by
organisation, wave by wave, what the survey and the actions register say.

Pure: pandas and networkx in, DataFrames out; no Streamlit, no database. Ties are those of
the indicators (``indicators.prepare``: tie level = max(L(a→b), L(b→a)) between two nodes of
a wave), so a figure here agrees with the indicator of the same name.

- :func:`network_data` gathers a territory's frames into :class:`NetworkData`;
- :func:`response_rates`: organisations that answered / organisations on the actors list,
  per wave;
- :func:`organisation_table`: per organisation of the list, its ties by level, degree and
  betweenness centrality (networkx), trust received, resources it brings, whether it answered;
- :func:`tie_changes` and :func:`change_counts`: what changed between two waves;
- :func:`action_links`: organisations linked through the joint actions they take part in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from indicators.frames import Frames
from indicators.prepare import TRUST_COLUMNS, prepare

LEVELS = (1, 2, 3, 4, 5)  # tie levels (0 is « aucune relation », no tie)
# Kinds of change between two waves, in the order they are summarised.
CHANGE_KINDS = ("new_tie", "lost_tie", "level_up", "level_down", "new_node", "lost_node")


@dataclass(frozen=True, eq=False)
class NetworkData:
    """One territory's survey network over all its answered waves, and its actions register.

    - ``actors``: actor_id, name, sector — the actors list (the list of today: the database
      keeps one list per territory, not one per wave);
    - ``waves``: wave_number, reference_month (first day of the month of its last answer),
      in wave order; a wave without answers is left out;
    - ``answered``: wave_number, actor_id — the wave's nodes (organisations of the list with
      at least one respondent);
    - ``ties``: wave_number, source, target, level (1–5), one row per tied pair of nodes,
      source < target;
    - ``trust``: wave_number, rated_actor_id, trust — one row per rating of an organisation
      of the list by another organisation's respondent, with the mean of its answered trust
      items (1–4); ratings without trust items are left out;
    - ``resources``: wave_number, actor_id, resource_type — what each node's respondents said
      their organisation brings;
    - ``actions``: action_id, title, status, start_date, end_date; ``action_actors``:
      action_id, actor_id.
    """

    actors: pd.DataFrame
    waves: pd.DataFrame
    answered: pd.DataFrame
    ties: pd.DataFrame
    trust: pd.DataFrame
    resources: pd.DataFrame
    actions: pd.DataFrame
    action_actors: pd.DataFrame

    @property
    def wave_numbers(self) -> list[int]:
        return [int(n) for n in self.waves["wave_number"]]

    def nodes(self, wave_number: int) -> pd.DataFrame:
        """The wave's nodes: actor_id, name, sector, in the actors list's order."""
        ids = set(self.answered.loc[self.answered["wave_number"] == wave_number, "actor_id"])
        return self.actors[self.actors["actor_id"].isin(ids)].reset_index(drop=True)

    def wave_ties(self, wave_number: int) -> pd.DataFrame:
        """The wave's ties: source, target, level."""
        rows = self.ties[self.ties["wave_number"] == wave_number]
        return rows[["source", "target", "level"]].reset_index(drop=True)

    def union_ties(self) -> pd.DataFrame:
        """Every pair tied in some wave, at its highest level over the waves: source, target,
        level (what a layout stable from one wave to the next is computed on)."""
        if self.ties.empty:
            return pd.DataFrame({"source": [], "target": [], "level": []}, dtype="int64")
        return self.ties.groupby(["source", "target"], as_index=False)["level"].max()

    def union_nodes(self) -> list[int]:
        """The organisations that were a node in at least one wave, sorted by id."""
        return sorted(int(a) for a in set(self.answered["actor_id"]))


def network_data(
    frames: Frames, names: pd.DataFrame, action_titles: pd.DataFrame | None = None
) -> NetworkData:
    """:class:`NetworkData` of the one territory in ``frames`` (its actors list, waves,
    respondents, ratings, contributions, actions and action_actors).

    ``names``: actor_id, name (an actor without a name is shown by its org_id);
    ``action_titles``: action_id, title (an action without one reads « action n° 12 »).
    """
    territories = set(frames.actors["territory_id"]) | set(frames.waves["territory_id"])
    if len(territories) > 1:
        raise ValueError("network_data takes the frames of one territory")
    actors = frames.actors.drop_duplicates("actor_id")
    named = dict(zip(names["actor_id"], names["name"], strict=True))
    actor_table = pd.DataFrame(
        {
            "actor_id": actors["actor_id"].astype("int64").to_numpy(),
            "name": [
                str(named.get(a, org))
                for a, org in zip(actors["actor_id"], actors["org_id"], strict=True)
            ],
            "sector": actors["sector"].astype("str").to_numpy(),
        }
    )

    prep = prepare(frames)
    number_of = dict(zip(prep.waves["wave_id"], prep.waves["number"], strict=True))
    answered_waves = prep.waves[prep.waves["ref_month"].notna()]
    waves = pd.DataFrame(
        {
            "wave_number": answered_waves["number"].astype("int64").to_numpy(),
            "reference_month": [pd.Timestamp(m).date() for m in answered_waves["ref_month"]],
        }
    )
    node_wave = prep.waves["number"].to_numpy()[prep.nodes["wave"].to_numpy()]
    answered = pd.DataFrame(
        {
            "wave_number": node_wave.astype("int64"),
            "actor_id": prep.nodes["actor_id"].to_numpy(dtype="int64"),
        }
    )
    pairs = prep.pairs_frame()
    pairs = pairs[pairs["level"] >= 1]
    ties = pd.DataFrame(
        {
            "wave_number": pairs["wave_id"].map(number_of).astype("int64").to_numpy(),
            "source": pairs["actor_a"].to_numpy(dtype="int64"),
            "target": pairs["actor_b"].to_numpy(dtype="int64"),
            "level": pairs["level"].to_numpy(dtype="int64"),
        }
    )
    swap = ties["source"] > ties["target"]
    ties.loc[swap, ["source", "target"]] = ties.loc[swap, ["target", "source"]].to_numpy()
    ties = ties.sort_values(["wave_number", "source", "target"]).reset_index(drop=True)

    respondents = frames.respondents[["wave_id", "respondent_id", "actor_id"]].assign(
        wave_number=lambda f: f["wave_id"].map(number_of)
    )
    listed = set(actor_table["actor_id"])
    ratings = frames.ratings.merge(respondents, on="respondent_id")
    ratings = ratings[
        ratings["rated_actor_id"].isin(listed) & (ratings["rated_actor_id"] != ratings["actor_id"])
    ]
    trust_items = ratings[list(TRUST_COLUMNS)].astype("Float64")
    trust = pd.DataFrame(
        {
            "wave_number": ratings["wave_number"].astype("int64").to_numpy(),
            "rated_actor_id": ratings["rated_actor_id"].astype("int64").to_numpy(),
            "trust": trust_items.mean(axis=1, skipna=True).astype("float64").to_numpy(),
        }
    ).dropna(subset=["trust"])

    contributions = frames.contributions.merge(respondents, on="respondent_id")
    contributions = contributions[contributions["actor_id"].isin(listed)]
    resources = (
        contributions[["wave_number", "actor_id", "resource_type"]]
        .astype({"wave_number": "int64", "actor_id": "int64", "resource_type": "str"})
        .drop_duplicates()
        .sort_values(["wave_number", "actor_id", "resource_type"])
        .reset_index(drop=True)
    )

    titles = (
        {}
        if action_titles is None
        else dict(zip(action_titles["action_id"], action_titles["title"], strict=True))
    )
    actions = frames.actions
    action_table = pd.DataFrame(
        {
            "action_id": actions["action_id"].astype("int64").to_numpy(),
            "title": [str(titles.get(a, f"action n° {a}")) for a in actions["action_id"]],
            "status": actions["status"].astype("str").to_numpy(),
            "start_date": [pd.Timestamp(d).date() for d in actions["start_date"]],
            "end_date": [
                None if pd.isna(d) else pd.Timestamp(d).date() for d in actions["end_date"]
            ],
        }
    )
    action_actors = (
        frames.action_actors[
            frames.action_actors["action_id"].isin(set(action_table["action_id"]))
            & frames.action_actors["actor_id"].isin(listed)
        ][["action_id", "actor_id"]]
        .astype("int64")
        .drop_duplicates()
        .reset_index(drop=True)
    )
    return NetworkData(
        actors=actor_table,
        waves=waves,
        answered=answered,
        ties=ties,
        trust=trust.reset_index(drop=True),
        resources=resources,
        actions=action_table,
        action_actors=action_actors,
    )


def response_rates(data: NetworkData, until: dt.date | None = None) -> pd.DataFrame:
    """Per answered wave (up to the month ``until`` when given: waves whose reference month
    is not later): wave_number, reference_month, listed (organisations on the actors list),
    answered (organisations with at least one respondent), rate = answered / listed (NaN when
    the list is empty). For example 14 of 20 organisations answered: rate 0.7.
    """
    listed = len(data.actors)
    counts = data.answered.groupby("wave_number")["actor_id"].nunique()
    answered = np.array([int(counts.get(n, 0)) for n in data.waves["wave_number"]], dtype="int64")
    rate = answered / listed if listed else np.full(len(answered), np.nan)
    rates = pd.DataFrame(
        {
            "wave_number": data.waves["wave_number"].to_numpy(dtype="int64"),
            "reference_month": list(data.waves["reference_month"]),
            "listed": np.full(len(answered), listed, dtype="int64"),
            "answered": answered,
            "rate": rate.astype("float64"),
        }
    )
    if until is None:
        return rates
    kept = np.array([m <= until for m in rates["reference_month"]], dtype=bool)
    return rates.loc[kept].reset_index(drop=True)


def tie_graph(node_ids: Iterable[object], ties: pd.DataFrame) -> nx.Graph:
    """The undirected graph of ``node_ids`` and the ties (source, target, level ≥ 1) between
    them, each edge carrying its ``level``."""
    graph = nx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from(
        (s, t, {"level": int(lv)})
        for s, t, lv in zip(ties["source"], ties["target"], ties["level"], strict=True)
        if lv >= 1 and s != t and s in graph and t in graph
    )
    return graph


ORGANISATION_COLUMNS = (
    "actor_id",
    "name",
    "sector",
    "answered",
    *(f"level_{k}" for k in LEVELS),
    "degree",
    "degree_centrality",
    "betweenness",
    "trust_received",
    "trust_n",
    "resources",
)


def organisation_table(data: NetworkData, wave_number: int) -> pd.DataFrame:
    """One row per organisation of the actors list for one wave (columns
    :data:`ORGANISATION_COLUMNS`), the most connected first (degree, then name).

    - ``answered``: whether someone from it answered the wave (it is then a node);
    - ``level_1`` … ``level_5``: its ties at each level; ``degree``: its ties (level ≥ 1);
      ``degree_centrality``: degree / (N − 1); ``betweenness``: networkx's normalised
      betweenness centrality over the graph of ties of level ≥ 1 (the share of shortest paths
      between two other nodes that go through it). These count ties between nodes only, as
      the indicators do: missing (NA) for an organisation that did not answer;
    - ``trust_received``: mean trust (1–4) of the ratings other organisations' respondents
      gave it this wave, with ``trust_n`` ratings (it need not have answered itself);
    - ``resources``: the resource types its respondents said it brings, sorted (a tuple).
    """
    nodes = data.nodes(wave_number)
    ties = data.wave_ties(wave_number)
    graph = tie_graph(nodes["actor_id"], ties)
    count = graph.number_of_nodes()
    centrality = nx.degree_centrality(graph) if count > 1 else dict.fromkeys(graph, 0.0)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    by_level = {
        k: pd.concat(
            [ties.loc[ties["level"] == k, "source"], ties.loc[ties["level"] == k, "target"]]
        ).value_counts()
        for k in LEVELS
    }
    trust = data.trust[data.trust["wave_number"] == wave_number].groupby("rated_actor_id")["trust"]
    trust_mean, trust_n = trust.mean(), trust.size()
    brought = (
        data.resources[data.resources["wave_number"] == wave_number]
        .groupby("actor_id")["resource_type"]
        .agg(lambda s: tuple(sorted(s)))
    )
    rows = []
    for actor, name, sector in data.actors[["actor_id", "name", "sector"]].itertuples(index=False):
        node = actor in graph
        row: dict[str, object] = {
            "actor_id": int(actor),
            "name": name,
            "sector": sector,
            "answered": node,
        }
        for k in LEVELS:
            row[f"level_{k}"] = int(by_level[k].get(actor, 0)) if node else pd.NA
        row["degree"] = graph.degree(actor) if node else pd.NA
        row["degree_centrality"] = float(centrality[actor]) if node else np.nan
        row["betweenness"] = float(betweenness[actor]) if node else np.nan
        row["trust_received"] = float(trust_mean.get(actor, np.nan))
        row["trust_n"] = int(trust_n.get(actor, 0))
        row["resources"] = brought.get(actor, ())
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(ORGANISATION_COLUMNS))
    for column in (*(f"level_{k}" for k in LEVELS), "degree"):
        table[column] = table[column].astype("Int64")
    order = table.assign(_d=table["degree"].fillna(-1).astype("int64"))
    order = order.sort_values(["_d", "name"], ascending=[False, True], kind="stable")
    return order.drop(columns="_d").reset_index(drop=True)


CHANGE_COLUMNS = ("kind", "source", "target", "before", "after")


def tie_changes(
    prev_ties: pd.DataFrame,
    ties: pd.DataFrame,
    prev_nodes: Iterable[object] | None = None,
    nodes: Iterable[object] | None = None,
) -> pd.DataFrame:
    """What changed between the previous wave and this one: one row per change, columns
    :data:`CHANGE_COLUMNS`, in the order of :data:`CHANGE_KINDS`, then by pair.

    ``prev_ties`` / ``ties``: source, target, level (level ≥ 1 is a tie; a pair given twice
    keeps its highest level; self-ties are ignored). ``prev_nodes`` / ``nodes``: each wave's
    organisations (default: the ends of its ties).

    Kinds: ``new_tie`` / ``lost_tie`` (before or after is missing), ``level_up`` /
    ``level_down`` (before and after are the two levels), ``new_node`` / ``lost_node`` (an
    organisation that joined or left the network: source is it, target missing; before and
    after are its number of ties in each wave, missing in the wave it is absent from).
    A tie is compared only when both organisations are in both waves: an organisation that
    did not answer this wave takes its ties with it and is counted once as ``lost_node``,
    rather than as many lost ties (likewise a new one).
    """
    before = _pair_levels(prev_ties)
    after = _pair_levels(ties)

    def ends(table: Mapping[tuple, int]) -> set:
        return {end for key in table for end in key}

    old_nodes = set(prev_nodes) if prev_nodes is not None else ends(before)
    new_nodes = set(nodes) if nodes is not None else ends(after)
    both = old_nodes & new_nodes
    records: list[tuple[str, object, object, object, object]] = []
    for key in set(before) | set(after):
        if key[0] not in both or key[1] not in both:
            continue
        a, b = before.get(key), after.get(key)
        if a is None:
            records.append(("new_tie", *key, pd.NA, b))
        elif b is None:
            records.append(("lost_tie", *key, a, pd.NA))
        elif b > a:
            records.append(("level_up", *key, a, b))
        elif b < a:
            records.append(("level_down", *key, a, b))

    def degree(actor: object, table: Mapping[tuple, int]) -> int:
        return sum(actor in key for key in table)

    for actor in new_nodes - old_nodes:
        records.append(("new_node", actor, pd.NA, pd.NA, degree(actor, after)))
    for actor in old_nodes - new_nodes:
        records.append(("lost_node", actor, pd.NA, degree(actor, before), pd.NA))
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    records.sort(key=lambda r: (order[r[0]], str(r[1]), str(r[2])))
    frame = pd.DataFrame(records, columns=list(CHANGE_COLUMNS))
    for column in ("before", "after"):
        frame[column] = frame[column].astype("Int64")
    return frame


def change_counts(changes: pd.DataFrame) -> dict[str, int]:
    """Number of changes of each kind of :data:`CHANGE_KINDS` (0 for a kind absent), from
    :func:`tie_changes`."""
    counts = changes["kind"].value_counts()
    return {kind: int(counts.get(kind, 0)) for kind in CHANGE_KINDS}


def _pair_levels(ties: pd.DataFrame) -> dict[tuple, int]:
    """{(a, b): level} with a < b, for ties of level ≥ 1 (the highest if a pair is given
    twice), without self-ties."""
    levels: dict[tuple, int] = {}
    for s, t, lv in zip(ties["source"], ties["target"], ties["level"], strict=True):
        if pd.isna(lv) or lv < 1 or s == t:
            continue
        key = tuple(sorted((s, t), key=str))
        levels[key] = max(levels.get(key, 0), int(lv))
    return levels


def actions_as_of(data: NetworkData, month: dt.date) -> NetworkData:
    """``data`` with the joint actions started by the end of ``month`` only, each with its
    status then: one that ended after ``month`` was still under way (and has no end yet)."""
    following = (pd.Timestamp(month) + pd.offsets.MonthBegin(1)).date()
    started = data.actions.loc[
        np.array([d < following for d in data.actions["start_date"]], dtype=bool)
    ].copy()
    later = np.array([e is not None and e >= following for e in started["end_date"]], dtype=bool)
    started.loc[later, "status"] = "under_way"
    started.loc[later, "end_date"] = None
    members = data.action_actors[data.action_actors["action_id"].isin(set(started["action_id"]))]
    return dataclasses.replace(
        data, actions=started.reset_index(drop=True), action_actors=members.reset_index(drop=True)
    )


ACTION_LINK_COLUMNS = ("source", "target", "shared", "action_ids")


def action_links(data: NetworkData, statuses: Iterable[str] | None = None) -> pd.DataFrame:
    """Pairs of organisations that take part in the same joint actions: source < target,
    shared (number of actions in common), action_ids (a sorted tuple), most shared first.

    ``statuses``: the action statuses counted (default: all).
    """
    actions = data.actions
    if statuses is not None:
        actions = actions[actions["status"].isin(set(statuses))]
    members = data.action_actors[data.action_actors["action_id"].isin(set(actions["action_id"]))]
    pairs = members.merge(members, on="action_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["actor_id_a"] < pairs["actor_id_b"]]
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ACTION_LINK_COLUMNS})
    grouped = pairs.groupby(["actor_id_a", "actor_id_b"])["action_id"].agg(
        lambda s: tuple(sorted(int(a) for a in s))
    )
    frame = pd.DataFrame(
        {
            "source": [int(a) for a, _ in grouped.index],
            "target": [int(b) for _, b in grouped.index],
            "shared": [len(ids) for ids in grouped],
            "action_ids": list(grouped),
        }
    )
    return frame.sort_values(
        ["shared", "source", "target"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
