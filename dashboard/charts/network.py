"""The network report's charts (Territoire): the cooperation map of a survey wave with names,
filters and a search, the response rate per wave, the map of actors and joint actions, and
the tables of what changed between two waves.

Positions come from networkx's ``spring_layout`` with a fixed seed; :func:`stable_layout`
computes them once over every organisation of every wave, so that an organisation keeps its
place from one wave to the next. Ties are told apart by width and dash as well as by a
sequential single-hue palette, never by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.actions import ACTION_STATUS_LABELS, ACTION_STYLES
from dashboard.charts.common import LOW_N_NOTE, apply_layout, empty_figure, shorten
from dashboard.status import MUTED_TEXT_COLOUR, TEXT_COLOUR
from data import fr
from indicators.catalogue import SURVEY_MIN_N
from indicators.network_report import NetworkData, tie_changes

if TYPE_CHECKING:
    from data.config import SurveyFile

# Paul Tol's "muted" scheme, designed to stay distinct for colour-blind readers; each sector
# also has its own marker symbol.
SECTOR_COLOURS = ("#332288", "#DDCC77", "#44AA99", "#CC6677", "#88CCEE", "#999933")
SECTOR_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "star", "hexagon")
LAYOUT_SEED = 20261123
LAYOUT_SPREAD = 2.0
NAMES_SHOWN = 12  # names on the map unless « Afficher tous les noms »: the most connected
LABEL_WIDTH = 30
# The map's plot area in pixels as Chromium draws it, on a phone (390 px wide) and beside the
# sidebar at 1,400 px: the names written are those that overlap no name before them there.
PHONE_PLOT = (338, 384)
WIDE_PLOT = (920, 509)
MAP_MARGIN_PX = 10  # left and right of the plot area
NAME_FONT_PX = 11  # the names' font size on the maps
NAME_CHAR_PX = 6.4  # such a name's width per character, generous (measured 5.7 to 6.4)
NAME_HEIGHT_PX = 13
NAME_GAP_PX = 2  # the least room between two names
# The searched organisation's label: its centre this far above the point, its size (13 px
# bold, on a white ground).
SEARCHED_LABEL_PX = 36
SEARCHED_CHAR_PX = 8.0
SEARCHED_HEIGHT_PX = 20
# The trace of the names that fit on a wide map only is drawn at this opacity: the mark by
# which ``dashboard.layout``'s style sheet finds it (Plotly writes it on the trace's group;
# plotly.py drops a trace's uid) to hide it when the map is narrower than the wide plot area.
WIDE_NAMES_OPACITY = 0.99
MAP_PAD = (0.06, 0.08)  # the room left around the map, a share of its width and height
EDGE = 0.45  # beyond this share of the half-width from the centre, names point inwards
FADED = 0.16  # opacity of what a search leaves in the background
HIGHLIGHT_COLOUR = "#000000"
# A white halo around names, so that they stay legible over the ties they cross.
HALO = "-1px -1px 2px #fff, 1px -1px 2px #fff, -1px 1px 2px #fff, 1px 1px 2px #fff"
# A joint action's symbol by status, doubling its colour (that of the actions' timeline).
ACTION_SYMBOLS = {
    "planned": "square-open",
    "under_way": "square-dot",
    "completed": "square",
    "abandoned": "square-x",
}


@dataclass(frozen=True)
class NetworkLabels:
    """The French labels the network report speaks with (``config/survey.yaml``): sector id →
    label in legend order, tie level (1–5) → label, resource type → label."""

    sectors: Mapping[str, str]
    levels: Mapping[int, str]
    resources: Mapping[str, str]

    @classmethod
    def of(cls, survey: SurveyFile) -> NetworkLabels:
        return cls(
            sectors={s.id: s.label for s in survey.sectors},
            levels={k: v for k, v in survey.collaboration_levels.items() if k >= 1},
            resources={r.id: r.label for r in survey.resource_types},
        )


@dataclass(frozen=True)
class NetworkReports:
    """What the review PDF's network pages need (:mod:`dashboard.pdf.network`): each
    territory's :class:`NetworkData` (only those the reader may see) and the labels. Here
    rather than beside the PDF, so that a page building it never imports ``dashboard.pdf``
    while another session's thread is importing that package (an import deadlock)."""

    data: Mapping[str, NetworkData]
    labels: NetworkLabels


@dataclass(frozen=True)
class TieStyle:
    colour: str
    width: float
    dash: str


# One sequential blue (light to dark: readable in every colour-vision deficiency and in grey),
# doubled by the width and, for the two weakest levels, a dash: level 1 stays visible.
TIE_STYLES: dict[int, TieStyle] = {
    1: TieStyle("#7BA3CC", 1.3, "dot"),
    2: TieStyle("#4F7FB5", 1.7, "dash"),
    3: TieStyle("#2C5F99", 2.4, "solid"),
    4: TieStyle("#1A4275", 3.4, "solid"),
    5: TieStyle("#0A2650", 4.8, "solid"),
}


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
    (weight = level), with an optimal distance between nodes of :data:`LAYOUT_SPREAD` / √n.

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
    # An optimal distance LAYOUT_SPREAD times networkx's default (1/√n) spreads the dense
    # centre of a real network enough for its names to be read.
    spread = LAYOUT_SPREAD / math.sqrt(len(graph)) if len(graph) else None
    positions = nx.spring_layout(graph, weight="level", seed=seed, k=spread)
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


def stable_layout(data: NetworkData, seed: int = LAYOUT_SEED) -> dict[object, tuple[float, float]]:
    """Positions of every organisation that answered some wave, computed once over the union
    of the waves (each pair at its highest level over them): an organisation keeps its place
    from one wave to the next."""
    return network_layout(data.union_nodes(), data.union_ties(), seed=seed)


def response_text(answered: int, listed: int) -> str:
    """« 14 organisations sur 20 ont répondu (taux de réponse 70 %) »."""
    rate = fr.percent(answered / listed) if listed else "non calculable"
    who = "organisation" if answered <= 1 else "organisations"
    verb = "a" if answered <= 1 else "ont"
    return (
        f"{fr.number(answered)} {who} sur {fr.number(listed)} {verb} répondu "
        f"(taux de réponse {rate})"
    )


def short_response_text(answered: int, listed: int) -> str:
    """« Taux de réponse : 70 % (14 organisations sur 20) »."""
    rate = fr.percent(answered / listed) if listed else "non calculable"
    return f"Taux de réponse : {rate} ({fr.number(answered)} organisations sur {fr.number(listed)})"


def level_name(level: int, level_labels: Mapping[int, str]) -> str:
    """« 3 · Coordination »."""
    return f"{level} · {level_labels.get(level, '')}"


def network_graph(
    nodes: pd.DataFrame,
    ties: pd.DataFrame,
    sector_labels: Mapping[str, str],
    level_labels: Mapping[int, str],
    *,
    positions: Mapping[object, tuple[float, float]] | None = None,
    seed: int = LAYOUT_SEED,
    sectors: Collection[str] | None = None,
    levels: Collection[int] | None = None,
    highlight: object | None = None,
    names_shown: int | None = NAMES_SHOWN,
    response: tuple[int, int] | None = None,
) -> go.Figure:
    """The cooperation map of one survey wave, with the organisations' names.

    ``nodes``: actor_id, name, sector (the wave's organisations). ``ties``: source, target,
    level (1–5; level 0, self-ties and ties to unknown actors are ignored; a pair given twice
    keeps its highest level). ``sector_labels``: sector id → French label, in legend order
    (its position gives the sector's colour and symbol); ``level_labels``: level → French
    label (``config/survey.yaml``).

    ``positions``: node → (x, y), e.g. :func:`stable_layout` (default: :func:`network_layout`
    of this wave with ``seed``). ``sectors`` / ``levels``: only the organisations of these
    sectors, and only the ties of these levels between them, are drawn (default: all); the
    markers' sizes and the names shown keep counting every tie. ``highlight``: an
    organisation searched for — it is ringed and named, its ties and partners stay in front
    (named too), everything else fades. ``names_shown``: at most how many names are written,
    the most connected (the partners, during a search) as far as no name overlaps one before
    it (:func:`fitting_names`, on a phone and on a wide map); None: all.
    ``response``: (answered, listed), said in the subtitle.

    Traces: one per tie level drawn (lines with that level's :data:`TIE_STYLES`, named
    « 3 · Coordination »; with a search, a second one per level for its ties), an invisible
    trace of tie midpoints for hover, one per sector (markers sized by degree, the names
    that fit on a phone as text; hover: name, sector, ties by level), the names that fit on
    a wide map only (at :data:`WIDE_NAMES_OPACITY`), then the ring of the organisation searched.
    """
    title = "Réseau de coopération<br>entre les organisations répondantes"
    if nodes.empty:
        return empty_figure(title, height=560)
    node_frame = nodes.drop_duplicates("actor_id").reset_index(drop=True)
    node_ids = set(node_frame["actor_id"])
    links = _clean_ties(ties, node_ids)
    position = dict(positions) if positions is not None else {}
    missing = [a for a in node_frame["actor_id"] if a not in position]
    if positions is None or missing:
        position = network_layout(list(node_frame["actor_id"]), links, seed=seed)
    name_of = dict(zip(node_frame["actor_id"], node_frame["name"].map(str), strict=True))
    degree: dict[object, int] = dict.fromkeys(node_ids, 0)
    by_level: dict[object, dict[int, int]] = {a: {} for a in node_ids}
    for source, target, level in zip(links["source"], links["target"], links["level"], strict=True):
        for end in (source, target):
            degree[end] += 1
            by_level[end][level] = by_level[end].get(level, 0) + 1

    shown_nodes = node_frame
    if sectors is not None:
        shown_nodes = node_frame[node_frame["sector"].isin(set(sectors))]
    shown_ids = set(shown_nodes["actor_id"])
    drawn = links[links["source"].isin(shown_ids) & links["target"].isin(shown_ids)]
    if levels is not None:
        drawn = drawn[drawn["level"].isin(set(levels))]
    if highlight not in shown_ids:
        highlight = None
    partners: set[object] = set()
    if highlight is not None:
        partners = set(drawn.loc[drawn["source"] == highlight, "target"]) | set(
            drawn.loc[drawn["target"] == highlight, "source"]
        )
    frame = (
        (min(position[a][0] for a in node_ids), max(position[a][0] for a in node_ids)),
        (min(position[a][1] for a in node_ids), max(position[a][1] for a in node_ids)),
    )
    ranked = sorted(shown_ids, key=lambda a: (-degree[a], name_of[a]))
    # Names: every one, or the most connected (the searched one's partners) as far as they
    # overlap no name before them, on a phone (``named``) or on a wide map only (``wide``).
    named = set(ranked)
    wide: list[object] = []
    # The map fills the frame, with room for the names at its edges.
    ranges = (_padded(frame[0], MAP_PAD[0]), _padded(frame[1], MAP_PAD[1]))
    if names_shown is not None:
        candidates = (
            ranked[:names_shown] if highlight is None else [a for a in ranked if a in partners]
        )
        # Plotly writes a name radius / 0.8 + 1 px from its marker's centre.
        boxes: dict[object, NameBox] = {
            a: (
                position[a],
                name_place(position[a], frame),
                _marker_size(degree[a]) / 2 / 0.8 + 1,
                len(shorten(name_of[a], LABEL_WIDTH)) * NAME_CHAR_PX,
                NAME_HEIGHT_PX,
            )
            for a in candidates
        }
        first: list[object] = []
        if highlight is not None:  # its label, placed first: centred SEARCHED_LABEL_PX above
            first = [highlight]
            boxes[highlight] = (
                position[highlight],
                "top center",
                SEARCHED_LABEL_PX - SEARCHED_HEIGHT_PX / 2,
                len(name_of[highlight]) * SEARCHED_CHAR_PX,
                SEARCHED_HEIGHT_PX,
            )
        fitting = fitting_names(first + candidates, boxes, ranges, WIDE_PLOT)
        named = set(fitting_names(fitting, boxes, ranges, PHONE_PLOT)) - set(first)
        wide = [a for a in fitting if a not in named and a not in first]

    figure = go.Figure()
    for level in sorted(set(drawn["level"])):
        block = drawn[drawn["level"] == level]
        style = TIE_STYLES.get(level, TIE_STYLES[1])
        mine = (block["source"] == highlight) | (block["target"] == highlight)
        parts = [(block[~mine], FADED if highlight is not None else 0.9)]
        if highlight is not None:
            parts.append((block[mine], 1.0))
        for part, opacity in parts:
            if part.empty:
                continue
            xs: list[float | None] = []
            ys: list[float | None] = []
            for source, target in zip(part["source"], part["target"], strict=True):
                xs += [position[source][0], position[target][0], None]
                ys += [position[source][1], position[target][1], None]
            figure.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=level_name(level, level_labels),
                    line={"color": style.colour, "width": style.width, "dash": style.dash},
                    opacity=opacity,
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        figure.add_trace(
            _legend_key(
                level_name(level, level_labels),
                "Niveau de collaboration",
                mode="lines",
                line={"color": style.colour, "width": style.width, "dash": style.dash},
            )
        )
    if not drawn.empty:
        figure.add_trace(
            go.Scatter(
                x=[
                    (position[s][0] + position[t][0]) / 2
                    for s, t in zip(drawn["source"], drawn["target"], strict=True)
                ],
                y=[
                    (position[s][1] + position[t][1]) / 2
                    for s, t in zip(drawn["source"], drawn["target"], strict=True)
                ],
                mode="markers",
                marker={"size": 8, "color": TEXT_COLOUR, "opacity": 0},
                hovertext=[
                    f"{fr.literal_html(name_of[s])} — {fr.literal_html(name_of[t])}<br>"
                    f"niveau {level_name(lv, level_labels)}"
                    for s, t, lv in zip(
                        drawn["source"], drawn["target"], drawn["level"], strict=True
                    )
                ],
                hoverinfo="text",
                name="liens",
                showlegend=False,
            )
        )
    order = list(sector_labels) + sorted(set(node_frame["sector"]) - set(sector_labels), key=str)
    for index, sector in enumerate(order):
        block = shown_nodes[shown_nodes["sector"] == sector]
        if block.empty:
            continue
        label = sector_labels.get(sector, str(sector))
        ids = list(block["actor_id"])
        front = [highlight is None or a == highlight or a in partners for a in ids]
        figure.add_trace(
            go.Scatter(
                x=[position[a][0] for a in ids],
                y=[position[a][1] for a in ids],
                mode="markers+text",
                name=label,
                text=[  # the organisation searched for is named by an annotation
                    _name(name_of[a]) if a in named and a != highlight else "" for a in ids
                ],
                textposition=[name_place(position[a], frame) for a in ids],
                textfont={
                    "size": NAME_FONT_PX,
                    "color": [TEXT_COLOUR if f else MUTED_TEXT_COLOUR for f in front],
                    "shadow": HALO,
                },
                marker={
                    "color": SECTOR_COLOURS[index % len(SECTOR_COLOURS)],
                    "symbol": SECTOR_SYMBOLS[index % len(SECTOR_SYMBOLS)],
                    "size": [_marker_size(degree[a]) for a in ids],
                    "opacity": [1 if f else 0.3 for f in front],
                    "line": {"color": "white", "width": 1},
                },
                hovertext=[_node_hover(name_of[a], label, by_level[a], level_labels) for a in ids],
                hoverinfo="text",
                showlegend=False,
            )
        )
        figure.add_trace(
            _legend_key(
                label,
                "Secteur",
                mode="markers",
                marker={
                    "color": SECTOR_COLOURS[index % len(SECTOR_COLOURS)],
                    "symbol": SECTOR_SYMBOLS[index % len(SECTOR_SYMBOLS)],
                    "size": 11,
                },
            )
        )
    if wide:
        # Over their markers, unseen (their size places the names as on the markers').
        figure.add_trace(
            go.Scatter(
                x=[position[a][0] for a in wide],
                y=[position[a][1] for a in wide],
                mode="markers+text",
                opacity=WIDE_NAMES_OPACITY,
                text=[_name(name_of[a]) for a in wide],
                textposition=[name_place(position[a], frame) for a in wide],
                textfont={"size": NAME_FONT_PX, "color": TEXT_COLOUR, "shadow": HALO},
                marker={"size": [_marker_size(degree[a]) for a in wide], "opacity": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    if highlight is not None:
        x, y = position[highlight]
        figure.add_trace(
            go.Scatter(
                x=[x],
                y=[y],
                mode="markers",
                name=f"Recherche : {_name(name_of[highlight])}",
                marker={
                    "symbol": "circle-open",
                    "size": 13 + _marker_size(degree[highlight]),
                    "color": HIGHLIGHT_COLOUR,
                    "line": {"width": 3},
                },
                hoverinfo="skip",
            )
        )
    figure.update_layout(
        annotations=[]
        if highlight is None
        else [
            {
                "x": position[highlight][0],
                "y": position[highlight][1],
                "text": f"<b>{fr.literal_html(name_of[highlight])}</b>",
                "showarrow": True,
                "arrowhead": 0,
                "ax": 0,
                "ay": -SEARCHED_LABEL_PX,
                "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"size": 13, "color": TEXT_COLOUR},
            }
        ]
    )
    figure.update_traces(selector={"mode": "markers+text"}, cliponaxis=False)
    _map_layout(
        figure,
        title,
        _subtitle(
            node_frame,
            links,
            shown_nodes,
            drawn,
            response,
            names_shown,
            None if highlight is None else (name_of[highlight], len(partners)),
        ),
        height=780,
        top=110,
    )
    figure.update_xaxes(range=ranges[0])
    figure.update_yaxes(range=ranges[1])
    return figure


def _marker_size(degree: int) -> float:
    """An organisation's marker diameter in pixels: larger with more ties."""
    return 9 + 2.2 * math.sqrt(degree)


def _name(name: str) -> str:
    """A name as the maps write it: shortened, its markup escaped."""
    return fr.literal_html(shorten(name, LABEL_WIDTH))


NameBox = tuple[tuple[float, float], str, float, float, float]


def fitting_names(
    ranked: Sequence[object],
    boxes: Mapping[object, NameBox],
    ranges: tuple[Sequence[float], Sequence[float]],
    plot: tuple[float, float],
) -> list[object]:
    """Of ``ranked`` (the first first), those whose name overlaps no name kept before it, on
    a plot area of ``plot`` (width, height) pixels showing the axis ``ranges`` ((x low,
    x high), (y low, y high)).

    ``boxes``: key → (the point named, where its name goes (« top center », « bottom
    left »… : :func:`name_place`), the name's distance from the point, its width and its
    height, in pixels): the name is that far from its point on the side(s) its place says,
    centred on the other axis. Two names closer than :data:`NAME_GAP_PX` overlap."""
    (x_low, x_high), (y_low, y_high) = ranges
    width, height = plot
    kept: list[object] = []
    placed: list[tuple[float, float, float, float]] = []
    for key in ranked:
        (x, y), place, gap, text_width, text_height = boxes[key]
        px = (x - x_low) / ((x_high - x_low) or 1) * width
        py = (y - y_low) / ((y_high - y_low) or 1) * height
        vertical, horizontal = place.split()
        left = {
            "right": px + gap,
            "left": px - gap - text_width,
            "center": px - text_width / 2,
        }[horizontal]
        bottom = {
            "top": py + gap,
            "bottom": py - gap - text_height,
            "middle": py - text_height / 2,
        }[vertical]
        # Half the least room on each side: two names overlap when their boxes do.
        pad = NAME_GAP_PX / 2
        box = (left - pad, bottom - pad, left + text_width + pad, bottom + text_height + pad)
        if all(
            box[0] >= other[2] or other[0] >= box[2] or box[1] >= other[3] or other[1] >= box[3]
            for other in placed
        ):
            kept.append(key)
            placed.append(box)
    return kept


def _map_layout(figure: go.Figure, title: str, subtitle: str, height: int, top: int) -> None:
    """The layout of a map: no axes, a white ground, the legend below it that only reads
    (the filters above the map choose what is drawn)."""
    apply_layout(
        figure,
        title,
        subtitle=subtitle,
        height=height,
        margin={"l": MAP_MARGIN_PX, "r": MAP_MARGIN_PX, "t": top, "b": 10},
        legend={
            "orientation": "h",
            "x": 0,
            "y": -0.01,
            "yanchor": "top",
            "itemclick": False,
            "itemdoubleclick": False,
        },
        plot_bgcolor="white",
        hovermode="closest",
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)


def _padded(span: tuple[float, float], share: float) -> list[float]:
    """``span`` (low, high) widened by ``share`` of its length on each side."""
    low, high = span
    pad = share * (high - low) or 0.5
    return [low - pad, high + pad]


def name_place(
    point: tuple[float, float], frame: tuple[tuple[float, float], tuple[float, float]]
) -> str:
    """Where a name goes beside its marker at ``point`` in the map's ``frame`` ((x min,
    x max), (y min, y max)): above the markers of the upper half, below those of the lower
    half, away from the crowded middle; towards the inside near the left and right edges,
    where it would be cut on a phone."""
    (x_low, x_high), (y_low, y_high) = frame
    x = 2 * (point[0] - x_low) / ((x_high - x_low) or 1) - 1  # −1 left edge … 1 right edge
    y = 2 * (point[1] - y_low) / ((y_high - y_low) or 1) - 1
    vertical = "top" if y >= 0 else "bottom"
    if x < -EDGE:
        return f"{vertical} right"
    if x > EDGE:
        return f"{vertical} left"
    return f"{vertical} center"


def _legend_key(name: str, group: str, **style: object) -> go.Scatter:
    """A legend entry drawing nothing, at full strength whatever a search fades on the map."""
    return go.Scatter(
        x=[None],
        y=[None],
        name=name,
        hoverinfo="skip",
        legendgroup=group,
        legendgrouptitle={"text": group},
        **style,  # type: ignore[arg-type]
    )


def _node_hover(
    name: str, sector: str, levels: Mapping[int, int], level_labels: Mapping[int, str]
) -> str:
    total = sum(levels.values())
    lines = [f"<b>{fr.literal_html(name)}</b>", f"secteur : {sector}", f"liens : {total}"]
    lines += [
        f"  {level_name(k, level_labels)} : {levels[k]}" for k in sorted(levels, reverse=True)
    ]
    return "<br>".join(lines)


def _subtitle(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    shown_nodes: pd.DataFrame,
    drawn: pd.DataFrame,
    response: tuple[int, int] | None,
    names_shown: int | None,
    searched: tuple[str, int] | None,
) -> str:
    """Short lines (a phone's width): the response rate, the ties and the names shown (those
    of the organisation ``searched`` (name, partners) and its partners during a search),
    what a filter leaves."""
    count = len(nodes)
    first = (
        f"{fr.number(count)} organisations répondantes"
        if response is None
        else short_response_text(*response)
    )
    if count < SURVEY_MIN_N:
        first += f" — {LOW_N_NOTE} : à lire avec prudence"
    second = f"{fr.number(len(links))} liens"
    if searched is not None and names_shown is not None:
        name, partners = searched
        who = f"« {_name(name)} »"
        second += (
            f" · {who}, sans lien affiché"
            if partners == 0
            else f" · {who} et son partenaire"
            if partners == 1
            else f" · {who} et ses {fr.number(partners)} partenaires"
        )
    elif names_shown is not None and count > names_shown:
        # As many as fit: fewer on a phone than on a wide screen.
        second += " · noms des organisations les plus liées"
    lines = [first, second]
    if len(shown_nodes) < count or len(drawn) < len(links):
        lines.append(
            f"Filtré : {fr.number(len(shown_nodes))} organisations et "
            f"{fr.number(len(drawn))} liens affichés"
        )
    return "<br>".join(lines)


def response_rate_chart(rates: pd.DataFrame) -> go.Figure:
    """The response rate of each wave: one bar per wave (« Vague 2 », its month below), its
    height the rate, its text « 14 / 20 (70 %) ». ``rates``: wave_number, reference_month,
    listed, answered, rate (:func:`indicators.network_report.response_rates`)."""
    title = "Taux de réponse au baromètre, par vague"
    if rates.empty:
        return empty_figure(title, height=320)
    labels = [
        f"Vague {n}<br>{fr.month_short(m)}"
        for n, m in zip(rates["wave_number"], rates["reference_month"], strict=True)
    ]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=[None if pd.isna(r) else r * 100 for r in rates["rate"]],
            text=[
                f"{fr.number(a)} / {fr.number(n)} ({fr.percent(r)})"
                for a, n, r in zip(rates["answered"], rates["listed"], rates["rate"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            marker={"color": "#2C5F99"},
            hovertemplate="%{x}<br>%{text}<extra></extra>",
            name="taux de réponse",
        )
    )
    apply_layout(
        figure,
        title,
        subtitle="Organisations de la liste d'acteurs ayant répondu / organisations de la liste",
        height=340,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        showlegend=False,
        plot_bgcolor="white",
    )
    figure.update_yaxes(range=[0, 110], ticksuffix=" %", title=None, gridcolor="#E5E7EB")
    figure.update_xaxes(title=None)
    return figure


def actions_map(
    data: NetworkData,
    sector_labels: Mapping[str, str],
    *,
    seed: int = LAYOUT_SEED,
    names_shown: int | None = NAMES_SHOWN,
) -> go.Figure:
    """The « cartographie des acteurs et des actions »: each joint action (a square, its title
    written, its status in the legend and the hover, hatched or crossed as on the timeline)
    joined to the organisations that take part in it (markers by sector, named: the
    ``names_shown`` taking part in most actions, or all when None). Laid out by networkx's
    ``spring_layout`` over that two-sided graph with ``seed``."""
    title = "Cartographie des acteurs et des actions communes"
    members = data.action_actors
    if data.actions.empty:
        return empty_figure(title, height=520)
    graph = nx.Graph()
    action_keys = [("action", int(a)) for a in data.actions["action_id"]]
    graph.add_nodes_from(sorted(action_keys))
    actor_ids = sorted(int(a) for a in set(members["actor_id"]))
    graph.add_nodes_from(("actor", a) for a in actor_ids)
    graph.add_edges_from(
        (("action", int(a)), ("actor", int(o)))
        for a, o in zip(members["action_id"], members["actor_id"], strict=True)
    )
    position = nx.spring_layout(graph, seed=seed)
    actors = data.actors.set_index("actor_id")
    involvement = members.groupby("actor_id")["action_id"].nunique()
    ranked = sorted(
        actor_ids, key=lambda a: (-int(involvement.get(a, 0)), str(actors.loc[a, "name"]))
    )
    named = set(ranked if names_shown is None else ranked[:names_shown])

    figure = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for a, o in zip(members["action_id"], members["actor_id"], strict=True):
        for key in (("action", int(a)), ("actor", int(o))):
            xs.append(float(position[key][0]))
            ys.append(float(position[key][1]))
        xs.append(None)
        ys.append(None)
    figure.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": "#8A94A6", "width": 1.2},
            hoverinfo="skip",
            name="participe à",
            showlegend=False,
        )
    )
    order = list(sector_labels) + sorted(set(actors["sector"]) - set(sector_labels), key=str)
    for index, sector in enumerate(order):
        ids = [a for a in actor_ids if actors.loc[a, "sector"] == sector]
        if not ids:
            continue
        label = sector_labels.get(sector, str(sector))
        figure.add_trace(
            go.Scatter(
                x=[float(position[("actor", a)][0]) for a in ids],
                y=[float(position[("actor", a)][1]) for a in ids],
                mode="markers+text",
                name=label,
                text=[_name(str(actors.loc[a, "name"])) if a in named else "" for a in ids],
                textposition="bottom center",
                textfont={"size": 10, "color": TEXT_COLOUR, "shadow": HALO},
                marker={
                    "color": SECTOR_COLOURS[index % len(SECTOR_COLOURS)],
                    "symbol": SECTOR_SYMBOLS[index % len(SECTOR_SYMBOLS)],
                    "size": [9 + 3 * math.sqrt(int(involvement.get(a, 0))) for a in ids],
                    "opacity": 1,  # plotly fades markers of varying size by default
                    "line": {"color": "white", "width": 1},
                },
                hovertext=[
                    f"<b>{fr.literal_html(str(actors.loc[a, 'name']))}</b><br>secteur : {label}"
                    f"<br>{_actions_count(int(involvement.get(a, 0)))}"
                    for a in ids
                ],
                hoverinfo="text",
                legendgroup="sectors",
                legendgrouptitle={"text": "Organisations, par secteur"},
                cliponaxis=False,
            )
        )
    taking_part = members.groupby("action_id")["actor_id"].nunique()
    titles: list[dict[str, object]] = []
    statuses = [
        *ACTION_STATUS_LABELS,
        *sorted(set(data.actions["status"]) - set(ACTION_STATUS_LABELS)),
    ]
    for status in statuses:
        block = data.actions[data.actions["status"] == status]
        if block.empty:
            continue
        label = ACTION_STATUS_LABELS.get(status, str(status))
        style = ACTION_STYLES.get(status, {"color": "#8A94A6"})
        ids = [int(a) for a in block["action_id"]]
        symbol = ACTION_SYMBOLS.get(status, "square")
        outline = style.get("line", {}).get("color", TEXT_COLOUR)
        figure.add_trace(
            go.Scatter(
                x=[float(position[("action", a)][0]) for a in ids],
                y=[float(position[("action", a)][1]) for a in ids],
                mode="markers",
                name=f"action {label}",
                marker={
                    "symbol": symbol,
                    "size": 18,
                    # An open symbol is drawn in its marker's colour: the darker outline.
                    "color": outline if symbol.endswith("-open") else style["color"],
                    "line": {"color": outline, "width": 1.5},
                },
                hovertext=[
                    f"<b>{fr.literal_html(str(t))}</b><br>action {label}<br>"
                    f"{organisations_phrase(int(taking_part.get(a, 0)))}"
                    for a, t in zip(ids, block["title"], strict=True)
                ],
                hoverinfo="text",
                legendgroup="actions",
                legendgrouptitle={"text": "Actions communes, par statut"},
                cliponaxis=False,
            )
        )
        # Titles on a white label above their square, over the ties and names around.
        titles += [
            {
                "x": float(position[("action", a)][0]),
                "y": float(position[("action", a)][1]),
                "text": f"<b>{_name(str(t))}</b>",
                "showarrow": False,
                "yshift": 20,
                "bgcolor": "rgba(255,255,255,0.9)",
                "bordercolor": outline,
                "borderwidth": 1,
                "font": {"size": 11, "color": TEXT_COLOUR},
            }
            for a, t in zip(ids, block["title"], strict=True)
        ]
    figure.update_layout(annotations=titles)
    _map_layout(
        figure,
        title,
        f"{fr.number(len(data.actions))} actions, {fr.number(len(actor_ids))} organisations "
        "engagées<br>Un trait : l'organisation participe à l'action",
        height=680,
        top=90,
    )
    return figure


def _actions_count(count: int) -> str:
    return (
        f"{fr.number(count)} action"
        + ("s" if count > 1 else "")
        + " commune"
        + ("s" if count > 1 else "")
    )


def organisations_phrase(count: int) -> str:
    """« 1 organisation », « 7 organisations »."""
    return f"{fr.number(count)} organisation" + ("s" if count > 1 else "")


# French words of each kind of change (indicators.network_report.CHANGE_KINDS): (one, many).
CHANGE_WORDS: dict[str, tuple[str, str]] = {
    "new_tie": ("nouveau lien", "nouveaux liens"),
    "lost_tie": ("lien disparu", "liens disparus"),
    "level_up": ("lien renforcé", "liens renforcés"),
    "level_down": ("lien affaibli", "liens affaiblis"),
    "new_node": ("organisation arrivée", "organisations arrivées"),
    "lost_node": ("organisation partie", "organisations parties"),
}
CHANGE_COLUMNS = ("kind", "Changement", "Organisations", "Avant", "Après")


def change_phrase(kind: str, count: int) -> str:
    """« 3 nouveaux liens », « 1 lien disparu », « 0 organisation partie »."""
    one, many = CHANGE_WORDS[kind]
    return f"{fr.number(count)} {many if count > 1 else one}"


def network_changes(
    prev_ties: pd.DataFrame,
    ties: pd.DataFrame,
    names: Mapping[object, str],
    level_labels: Mapping[int, str],
    prev_nodes: Sequence[object] | None = None,
    nodes: Sequence[object] | None = None,
) -> pd.DataFrame:
    """What changed in the network between the previous wave and this one, as a French table
    (:func:`indicators.network_report.tie_changes`, same arguments): columns ``kind`` (for
    filtering and counting) and « Changement », « Organisations », « Avant », « Après », in
    the order of the kinds, then by organisation. A tie is « niveau 2 · Coopération »; an
    organisation that joined or left is listed once with its number of ties."""
    changes = tie_changes(prev_ties, ties, prev_nodes, nodes)

    def name(actor: object) -> str:
        return str(names.get(actor, actor))

    def level(value: object) -> str:
        return "—" if pd.isna(value) else f"niveau {level_name(int(value), level_labels)}"  # type: ignore[call-overload]

    def ties_count(value: object) -> str:
        if pd.isna(value):  # type: ignore[call-overload]
            return "—"
        count = int(value)  # type: ignore[call-overload]
        return f"{count} lien" + ("s" if count > 1 else "")

    rows = []
    for kind, source, target, before, after in changes.itertuples(index=False):
        if kind in ("new_node", "lost_node"):
            rows.append((kind, name(source), ties_count(before), ties_count(after)))
        else:
            pair = " — ".join(sorted((name(source), name(target))))
            rows.append((kind, pair, level(before), level(after)))
    order = {kind: i for i, kind in enumerate(CHANGE_WORDS)}
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    return pd.DataFrame(
        [(kind, CHANGE_WORDS[kind][0], who, was, now) for kind, who, was, now in rows],
        columns=list(CHANGE_COLUMNS),
    )


def organisation_frame(
    table: pd.DataFrame,
    sector_labels: Mapping[str, str],
    level_labels: Mapping[int, str],
    resource_labels: Mapping[str, str],
) -> pd.DataFrame:
    """The table per organisation in French, for a page or a PDF: from
    :func:`indicators.network_report.organisation_table`, columns « Organisation »,
    « Secteur », « A répondu » (oui / non), one per level (« 1 · Réseau » …: its ties at that
    level), « Liens » (degree), « Centralité de degré » (the share of the other respondents it
    is tied to, « 72 % »), « Intermédiarité » (betweenness, « 0,27 »), « Confiance reçue »
    (« 3,4 (n = 12) », out of 4), « Ressources apportées ». Counts stay integers (so that the
    table sorts), missing for an organisation that did not answer."""
    frame = pd.DataFrame(
        {
            "Organisation": table["name"].map(str),
            "Secteur": [sector_labels.get(s, str(s)) for s in table["sector"]],
            "A répondu": ["oui" if a else "non" for a in table["answered"]],
        }
    )
    for level in sorted(k for k in level_labels if k >= 1):
        frame[level_name(level, level_labels)] = table[f"level_{level}"].astype("Int64").to_numpy()
    frame["Liens"] = table["degree"].astype("Int64").to_numpy()
    frame["Centralité de degré"] = [fr.percent(v) for v in table["degree_centrality"]]
    frame["Intermédiarité"] = [fr.number(v, 2) for v in table["betweenness"]]
    frame["Confiance reçue"] = [
        "–" if n == 0 else f"{fr.number(v, 1)} (n = {fr.number(n)})"
        for v, n in zip(table["trust_received"], table["trust_n"], strict=True)
    ]
    frame["Ressources apportées"] = [
        ", ".join(resource_labels.get(r, str(r)) for r in resources) or "–"
        for resources in table["resources"]
    ]
    return frame
