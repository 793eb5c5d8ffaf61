"""The cooperation network of a survey wave (Territoire): organisations and their ties laid
out by networkx's ``spring_layout``, and the table of what changed since the previous wave."""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.common import LOW_N_NOTE, apply_layout, empty_figure
from data import fr
from indicators.catalogue import SURVEY_MIN_N

# Frey et al. (2006) levels of collaboration (config/survey.yaml), level 0 being « no tie ».
COLLABORATION_LEVELS: dict[int, str] = {
    1: "Réseau",
    2: "Coopération",
    3: "Coordination",
    4: "Coalition",
    5: "Collaboration",
}
# Paul Tol's "muted" scheme, designed to stay distinct for colour-blind readers; each sector
# also has its own marker symbol.
SECTOR_COLOURS = ("#332288", "#DDCC77", "#44AA99", "#CC6677", "#88CCEE", "#999933")
SECTOR_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "star", "hexagon")
TIE_COLOUR = "#3C4A5C"
TIE_WIDTHS = {1: 0.6, 2: 1.0, 3: 1.7, 4: 2.5, 5: 3.4}
TIE_OPACITIES = {1: 0.22, 2: 0.32, 3: 0.5, 4: 0.68, 5: 0.85}
LAYOUT_SEED = 20261123


def _clean_ties(ties: pd.DataFrame, node_ids: set | None = None) -> pd.DataFrame:
    """Undirected ties of level ≥ 1: one row per pair (the highest level if given twice),
    without self-ties or, given ``node_ids``, ties to unknown nodes."""
    if ties.empty:
        return pd.DataFrame({"source": [], "target": [], "level": []})
    frame = ties[["source", "target", "level"]].dropna()
    frame = frame[(frame["level"] >= 1) & (frame["source"] != frame["target"])]
    if node_ids is not None:
        frame = frame[frame["source"].isin(node_ids) & frame["target"].isin(node_ids)]
    pairs = [
        tuple(sorted((s, t), key=str))
        for s, t in zip(frame["source"], frame["target"], strict=True)
    ]
    frame = frame.assign(
        source=[p[0] for p in pairs], target=[p[1] for p in pairs], level=frame["level"].astype(int)
    )
    return (
        frame.groupby(["source", "target"], as_index=False, sort=True)["level"]
        .max()
        .reset_index(drop=True)
    )


def network_layout(
    node_ids: Sequence[object], ties: pd.DataFrame, seed: int = LAYOUT_SEED
) -> dict[object, tuple[float, float]]:
    """Deterministic force-directed positions: networkx's ``spring_layout``
    (Fruchterman–Reingold) from a start drawn with ``seed``, stronger ties pulling harder
    (weight = level).

    ``node_ids``: the organisations; ``ties``: source, target, level (a tie to an organisation
    not in ``node_ids`` is ignored). Organisations enter the graph in the order of their sorted
    ids, so the same data gives the same picture whatever the order of its rows. Returns
    node → (x, y), centred on (0, 0) and scaled so that the farthest coordinate is ±1: an
    organisation without ties, pushed outwards by the others, stays in view.
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted(node_ids, key=str))
    graph.add_edges_from(
        (source, target, {"level": level})
        for source, target, level in zip(ties["source"], ties["target"], ties["level"], strict=True)
        if source in graph and target in graph
    )
    positions = nx.spring_layout(graph, weight="level", seed=seed)
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


def network_graph(
    nodes: pd.DataFrame,
    ties: pd.DataFrame,
    sector_labels: dict[str, str],
    seed: int = LAYOUT_SEED,
    dense: int = 150,
) -> go.Figure:
    """The cooperation network of one survey wave.

    ``nodes``: actor_id, name, sector. ``ties``: source, target, level (1–5; level 0, self-ties
    and ties to unknown actors are ignored; a pair given twice keeps its highest level).
    ``sector_labels``: sector id → French label, in legend order (its position gives the
    sector's colour and symbol). Layout: :func:`network_layout` with ``seed`` (same data, same
    picture).

    Traces: one per tie level present (lines, one segment per tie, thicker and darker as the
    level rises, named « 3 · Coordination »), one invisible trace of tie midpoints for hover,
    then one per sector (markers sized by degree; hover: name, sector, number of ties).
    With more than ``dense`` ties, levels 1–2 start hidden (``visible="legendonly"``: a click
    on the legend shows them) and the subtitle says so; degrees always count every tie.
    """
    title = "Réseau de coopération entre les organisations répondantes"
    if nodes.empty:
        return empty_figure(title, height=520)
    node_frame = nodes.drop_duplicates("actor_id").reset_index(drop=True)
    node_ids = set(node_frame["actor_id"])
    links = _clean_ties(ties, node_ids)
    position = network_layout(list(node_frame["actor_id"]), links, seed=seed)
    # Names as Plotly labels: shown as typed, never markup.
    name_of = dict(
        zip(node_frame["actor_id"], map(fr.literal_html, node_frame["name"]), strict=True)
    )
    degree: dict[object, int] = dict.fromkeys(node_ids, 0)
    strong: dict[object, int] = dict.fromkeys(node_ids, 0)
    for source, target, level in zip(links["source"], links["target"], links["level"], strict=True):
        for end in (source, target):
            degree[end] += 1
            strong[end] += int(level >= 3)

    figure = go.Figure()
    hide_weak = len(links) > dense and bool((links["level"] >= 3).any())
    for level in sorted(set(links["level"])):
        block = links[links["level"] == level]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for source, target in zip(block["source"], block["target"], strict=True):
            xs += [position[source][0], position[target][0], None]
            ys += [position[source][1], position[target][1], None]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"{level} · {COLLABORATION_LEVELS.get(level, '')}",
                line={"color": TIE_COLOUR, "width": TIE_WIDTHS.get(level, 1.0)},
                opacity=TIE_OPACITIES.get(level, 0.5),
                hoverinfo="skip",
                visible="legendonly" if hide_weak and level < 3 else True,
                legendgroup="levels",
                legendgrouptitle={"text": "Niveau de collaboration"},
            )
        )
    if not links.empty:
        figure.add_trace(
            go.Scatter(
                x=[
                    (position[s][0] + position[t][0]) / 2
                    for s, t in zip(links["source"], links["target"], strict=True)
                ],
                y=[
                    (position[s][1] + position[t][1]) / 2
                    for s, t in zip(links["source"], links["target"], strict=True)
                ],
                mode="markers",
                marker={"size": 6, "color": TIE_COLOUR, "opacity": 0},
                hovertext=[
                    f"{name_of[s]} — {name_of[t]}<br>"
                    f"niveau {lv} · {COLLABORATION_LEVELS.get(lv, '')}"
                    for s, t, lv in zip(
                        links["source"], links["target"], links["level"], strict=True
                    )
                ],
                hoverinfo="text",
                name="liens",
                showlegend=False,
            )
        )
    sectors = list(sector_labels) + sorted(set(node_frame["sector"]) - set(sector_labels), key=str)
    for index, sector in enumerate(sectors):
        block = node_frame[node_frame["sector"] == sector]
        if block.empty:
            continue
        label = sector_labels.get(sector, str(sector))
        ids = list(block["actor_id"])
        figure.add_trace(
            go.Scatter(
                x=[position[a][0] for a in ids],
                y=[position[a][1] for a in ids],
                mode="markers",
                name=label,
                marker={
                    "color": SECTOR_COLOURS[index % len(SECTOR_COLOURS)],
                    "symbol": SECTOR_SYMBOLS[index % len(SECTOR_SYMBOLS)],
                    "size": [9 + 2.2 * math.sqrt(degree[a]) for a in ids],
                    "opacity": 1,  # plotly fades markers of varying size by default
                    "line": {"color": "white", "width": 1},
                },
                hovertext=[
                    f"<b>{name_of[a]}</b><br>secteur : {label}<br>liens : {degree[a]}"
                    + (f" (dont {strong[a]} de niveau ≥ 3)" if strong[a] else "")
                    for a in ids
                ],
                hoverinfo="text",
                legendgroup="sectors",
                legendgrouptitle={"text": "Secteur"},
            )
        )
    count = len(node_frame)
    subtitle = f"{fr.number(count)} organisations, {fr.number(len(links))} liens"
    if count < SURVEY_MIN_N:
        subtitle += f" — {LOW_N_NOTE} : à lire avec prudence"
    if hide_weak:
        subtitle += " — liens de niveau 1 et 2 masqués (cliquer la légende pour les voir)"
    apply_layout(
        figure,
        title,
        subtitle=subtitle,
        height=640,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        legend={
            "orientation": "v",
            "x": 1.0,
            "y": 1,
            "xanchor": "left",
            "groupclick": "toggleitem",
        },
        plot_bgcolor="white",
        hovermode="closest",
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return figure


CHANGE_KINDS: dict[str, str] = {
    "new_tie": "nouveau lien",
    "level_up": "lien renforcé",
    "level_down": "lien affaibli",
    "lost_tie": "lien disparu",
    "new_node": "nouvelle organisation",
    "lost_node": "organisation absente de la vague",
}
CHANGE_COLUMNS = ("kind", "Changement", "Organisations", "Avant", "Après")


def network_changes(
    prev_ties: pd.DataFrame,
    ties: pd.DataFrame,
    names: dict[object, str],
    prev_nodes: Sequence[object] | None = None,
    nodes: Sequence[object] | None = None,
) -> pd.DataFrame:
    """What changed in the network between the previous wave and this one, as a table.

    ``prev_ties`` / ``ties``: source, target, level (level ≥ 1 is a tie). ``names``: actor_id →
    name. ``prev_nodes`` / ``nodes``: the organisations of each wave (default: the ends of its
    ties). Returns one row per change, columns ``kind`` (new_tie, level_up, level_down,
    lost_tie, new_node, lost_node — for filtering and counting) and the French « Changement »,
    « Organisations », « Avant », « Après », in that order of kinds, then by organisation.

    A tie is compared only when both organisations are in both waves: an organisation that did
    not answer this wave takes its ties with it, and is listed once as « organisation absente
    de la vague » with its former number of ties (likewise a new organisation with its ties),
    rather than as many « lien disparu ».
    """
    before = _clean_ties(prev_ties)
    after = _clean_ties(ties)

    def ends(frame: pd.DataFrame) -> set:
        return set(frame["source"]) | set(frame["target"])

    old_nodes = set(prev_nodes) if prev_nodes is not None else ends(before)
    new_nodes = set(nodes) if nodes is not None else ends(after)
    both = old_nodes & new_nodes
    old = {(s, t): int(lv) for s, t, lv in before.itertuples(index=False)}
    new = {(s, t): int(lv) for s, t, lv in after.itertuples(index=False)}

    def name(actor: object) -> str:
        return str(names.get(actor, actor))

    def pair(key: tuple) -> str:
        return " — ".join(sorted((name(key[0]), name(key[1]))))

    def level(value: int | None) -> str:
        return "—" if value is None else f"niveau {value} · {COLLABORATION_LEVELS.get(value, '')}"

    def ties_of(actor: object, table: dict) -> str:
        count = sum(actor in key for key in table)
        return f"{count} lien" + ("s" if count > 1 else "")

    records: list[tuple[str, str, str, str]] = []
    for key in set(old) | set(new):
        if not (key[0] in both and key[1] in both):
            continue
        a, b = old.get(key), new.get(key)
        if a is None:
            records.append(("new_tie", pair(key), level(None), level(b)))
        elif b is None:
            records.append(("lost_tie", pair(key), level(a), level(None)))
        elif b > a:
            records.append(("level_up", pair(key), level(a), level(b)))
        elif b < a:
            records.append(("level_down", pair(key), level(a), level(b)))
    for actor in new_nodes - old_nodes:
        records.append(("new_node", name(actor), "—", ties_of(actor, new)))
    for actor in old_nodes - new_nodes:
        records.append(("lost_node", name(actor), ties_of(actor, old), "—"))
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    records.sort(key=lambda r: (order[r[0]], r[1]))
    return pd.DataFrame(
        [(kind, CHANGE_KINDS[kind], who, was, now) for kind, who, was, now in records],
        columns=list(CHANGE_COLUMNS),
    )
