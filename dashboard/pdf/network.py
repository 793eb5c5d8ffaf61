"""A territory's network page of the monthly review (:func:`network_page`), for a reader who
may see the network (``Permission.READ_NETWORK``; never a funder): the response rate of the
latest wave and of every wave, the cooperation map drawn natively (ties by width and dash,
organisations by colour and shape, the most connected named), what changed since the
previous wave, the most connected organisations with their degree, betweenness and trust
received, and the organisations linked through joint actions.

Pure: the figures come from :mod:`indicators.network_report`, the positions from
:func:`dashboard.charts.network.stable_layout` (the same map as on the Territoire page).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from dashboard.charts.actions import ACTION_STATUS_LABELS
from dashboard.charts.network import (
    NAMES_SHOWN,
    SECTOR_COLOURS,
    TIE_STYLES,
    NetworkLabels,
    change_phrase,
    level_name,
    organisations_phrase,
    short_response_text,
    stable_layout,
)
from dashboard.pdf.document import MUTED, RULE, TEXT, Cell, Column, ReportPDF, rgb
from data import fr
from indicators.network_report import (
    CHANGE_KINDS,
    NetworkData,
    action_links,
    actions_as_of,
    change_counts,
    organisation_table,
    response_rates,
    tie_changes,
)

MAP_HEIGHT = 86.0  # mm
TABLE_ROWS = 10  # with the map, on one page
# Line widths (mm) of the ties by level, the PDF's counterpart of TIE_STYLES' pixels.
TIE_WIDTHS_MM = {1: 0.15, 2: 0.22, 3: 0.35, 4: 0.55, 5: 0.8}
TIE_DASHES_MM = {"dot": (0.4, 0.6), "dash": (1.6, 1.0)}
SHAPES = ("circle", "square", "diamond", "triangle", "star", "hexagon")  # SECTOR_SYMBOLS'


def network_page(pdf: ReportPDF, data: NetworkData, month: dt.date, labels: NetworkLabels) -> None:
    """The network of one territory as of ``month`` (its waves answered by then), from the
    current position (the caller starts the page)."""
    pdf.heading("Réseau de coopération", 12)
    rates = response_rates(data, until=month)
    if rates.empty:
        pdf.paragraph("Aucune vague d'enquête avant ce mois.", colour=MUTED)
    else:
        _wave(pdf, data, rates, labels)
    _actions(pdf, data, month)


def _wave(pdf: ReportPDF, data: NetworkData, rates: pd.DataFrame, labels: NetworkLabels) -> None:
    last = rates.iloc[-1]
    wave = int(last["wave_number"])
    ties = data.wave_ties(wave)
    strong = int((ties["level"] >= 4).sum())
    pdf.paragraph(
        f"Vague {wave} ({fr.month(last['reference_month'])}) — "
        f"{short_response_text(int(last['answered']), int(last['listed']))} ; "
        f"{fr.number(len(ties))} liens, dont {fr.number(strong)} fort"
        + ("s" if strong > 1 else "")
        + " (niveau 4 ou 5).",
        style="B",
    )
    if len(rates) > 1:
        pdf.paragraph(
            "Taux de réponse par vague : "
            + " · ".join(
                f"vague {int(n)} ({fr.month_short(m)}) {fr.percent(r)}"
                for n, m, r in zip(
                    rates["wave_number"], rates["reference_month"], rates["rate"], strict=True
                )
            )
            + ".",
            colour=MUTED,
        )
    pdf.ln(1)
    _map(pdf, data, wave, labels)

    if len(rates) > 1:
        previous = int(rates.iloc[-2]["wave_number"])
        counts = change_counts(
            tie_changes(
                data.wave_ties(previous),
                ties,
                data.nodes(previous)["actor_id"],
                data.nodes(wave)["actor_id"],
            )
        )
        pdf.heading(f"Ce qui a changé depuis la vague {previous}", 10)
        pdf.paragraph(
            "Liens : " + " · ".join(change_phrase(k, counts[k]) for k in CHANGE_KINDS[:4]) + "."
        )
        pdf.paragraph(
            "Organisations : "
            + " · ".join(change_phrase(k, counts[k]) for k in CHANGE_KINDS[4:])
            + f" ; taux de réponse {fr.percent(rates.iloc[-2]['rate'])} puis "
            f"{fr.percent(last['rate'])}."
        )

    table = organisation_table(data, wave)
    answered = table[table["answered"]]
    pdf.heading(f"Les {fr.number(min(TABLE_ROWS, len(answered)))} organisations les plus liées", 10)
    columns = [
        Column("Organisation", pdf.content_width - 128),
        Column("Secteur", 30),
        Column("Liens", 12, "R"),
        Column("dont 4–5", 16, "R"),
        Column("Centralité", 19, "R"),
        Column("Intermédiarité", 27, "R"),
        Column("Confiance reçue", 24, "R"),
    ]
    rows = [
        [
            Cell(str(r["name"]), bold=True),
            Cell(labels.sectors.get(r["sector"], str(r["sector"])), small=True),
            Cell(fr.number(r["degree"])),
            Cell(fr.number(int(r["level_4"]) + int(r["level_5"]))),
            Cell(fr.percent(r["degree_centrality"])),
            Cell(fr.number(r["betweenness"], 2)),
            Cell(
                "–"
                if r["trust_n"] == 0
                else f"{fr.number(r['trust_received'], 1)} (n = {fr.number(r['trust_n'])})"
            ),
        ]
        for r in answered.head(TABLE_ROWS).to_dict("records")
    ]
    pdf.table(columns, rows)
    silent = int((~table["answered"]).sum())
    pdf.paragraph(
        "Centralité : part des autres répondantes avec qui l'organisation est liée ; "
        "intermédiarité : part des plus courts chemins entre deux autres organisations qui "
        "passent par elle (0 à 1) ; confiance reçue : de 1 à 4, sur n évaluations. "
        f"{organisations_phrase(silent)} de la liste sans réponse à cette vague.",
        size=7.5,
        style="I",
        colour=MUTED,
    )


def _map(pdf: ReportPDF, data: NetworkData, wave: int, labels: NetworkLabels) -> None:
    """The map of the wave, in a frame the page's width and :data:`MAP_HEIGHT` tall, then
    its legend."""
    pdf.room_for(MAP_HEIGHT + 18)
    nodes = data.nodes(wave)
    ties = data.wave_ties(wave)
    positions = stable_layout(data)
    left, top = pdf.l_margin, pdf.get_y()
    width, height = pdf.content_width, MAP_HEIGHT
    pdf.set_draw_color(*rgb(RULE))
    pdf.set_line_width(0.2)
    pdf.rect(left, top, width, height)
    ids = list(nodes["actor_id"])
    xs = [positions[a][0] for a in ids]
    ys = [positions[a][1] for a in ids]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    inner_x, inner_y = 22.0, 7.0  # room for the names at the edges

    def place(actor: object) -> tuple[float, float]:
        x, y = positions[actor]
        return (
            left + inner_x + (x - min(xs)) / span_x * (width - 2 * inner_x),
            top + inner_y + (max(ys) - y) / span_y * (height - 2 * inner_y),
        )

    for level in sorted(set(ties["level"])):
        _tie_pen(pdf, int(level))
        for source, target in ties.loc[ties["level"] == level, ["source", "target"]].itertuples(
            index=False
        ):
            pdf.line(*place(source), *place(target))
    pdf.set_dash_pattern()
    degree = pd.concat([ties["source"], ties["target"]]).value_counts()
    order = list(labels.sectors)
    for actor, sector in zip(nodes["actor_id"], nodes["sector"], strict=True):
        index = order.index(sector) if sector in order else len(order)
        x, y = place(actor)
        _shape(
            pdf,
            SHAPES[index % len(SHAPES)],
            x,
            y,
            0.9 + 0.25 * math.sqrt(int(degree.get(actor, 0))),
            SECTOR_COLOURS[index % len(SECTOR_COLOURS)],
        )
    name = dict(zip(nodes["actor_id"], nodes["name"], strict=True))
    ranked = sorted(ids, key=lambda a: (-int(degree.get(a, 0)), str(name[a])))
    pdf.font(6.2, "B", TEXT)
    for actor in ranked[:NAMES_SHOWN]:
        x, y = place(actor)
        text = str(name[actor])
        text = text if len(text) <= 34 else text[:33].rstrip() + "…"
        text_width = pdf.get_string_width(text)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(x - text_width / 2 - 0.5, y - 4.6)
        pdf.cell(text_width + 1, 2.8, text, align="C", fill=True)
    pdf.set_xy(left, top + height + 1.5)
    _legend(pdf, nodes, ties, labels)


def _tie_pen(pdf: ReportPDF, level: int) -> None:
    """Draw the next lines as ties of ``level``: its colour, width and dash."""
    style = TIE_STYLES[level]
    pdf.set_draw_color(*rgb(style.colour))
    pdf.set_line_width(TIE_WIDTHS_MM[level])
    dash, gap = TIE_DASHES_MM.get(style.dash, (0, 0))
    pdf.set_dash_pattern(dash=dash, gap=gap)


def _shape(pdf: ReportPDF, shape: str, x: float, y: float, r: float, colour: str) -> None:
    """A sector's marker centred on (x, y), of radius ``r`` mm, outlined in white."""
    pdf.set_fill_color(*rgb(colour))
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.15)
    if shape == "circle":
        pdf.circle(x, y, r, style="DF")
    elif shape == "square":
        pdf.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7, style="DF")
    elif shape == "star":
        pdf.star(x, y, r_in=r * 0.5, r_out=r * 1.3, corners=5, style="DF")
    else:  # fpdf2 places a polygon by the left and bottom of its bounding circle
        sides, turn = {"diamond": (4, 0), "triangle": (3, 30), "hexagon": (6, 0)}[shape]
        pdf.regular_polygon(
            x - r, y + r, numSides=sides, polyWidth=2 * r, rotateDegrees=turn, style="DF"
        )


def _legend(pdf: ReportPDF, nodes: pd.DataFrame, ties: pd.DataFrame, labels: NetworkLabels) -> None:
    """One line of levels (a stroke of each style and its label), one of sectors."""
    y = pdf.get_y() + 1
    x = pdf.l_margin
    pdf.font(7, "", MUTED)
    for level in sorted(set(ties["level"])):
        _tie_pen(pdf, int(level))
        pdf.line(x, y + 1.4, x + 7, y + 1.4)
        pdf.set_dash_pattern()
        text = level_name(int(level), labels.levels)
        pdf.set_xy(x + 8, y)
        pdf.cell(pdf.get_string_width(text) + 1, 2.8, text)
        x += 8 + pdf.get_string_width(text) + 5
    y += 4.5
    x = pdf.l_margin
    order = list(labels.sectors)
    for index, sector in enumerate(order):
        if sector not in set(nodes["sector"]):
            continue
        _shape(pdf, SHAPES[index % len(SHAPES)], x + 1.4, y + 1.4, 1.2, SECTOR_COLOURS[index])
        text = labels.sectors[sector]
        pdf.font(7, "", MUTED)
        pdf.set_xy(x + 4, y)
        pdf.cell(pdf.get_string_width(text) + 1, 2.8, text)
        x += 4 + pdf.get_string_width(text) + 5
    pdf.set_xy(pdf.l_margin, y + 5)


def _actions(pdf: ReportPDF, data: NetworkData, month: dt.date) -> None:
    """The organisations linked through the joint actions under way or done by ``month``."""
    shown = actions_as_of(data, month)
    pdf.heading("Acteurs et actions communes", 10)
    if shown.actions.empty:
        pdf.paragraph("Aucune action commune engagée avant ce mois.", colour=MUTED)
        return
    members = shown.action_actors
    links = action_links(shown)
    pdf.paragraph(
        f"{fr.number(len(shown.actions))} actions communes, "
        f"{fr.number(members['actor_id'].nunique())} organisations engagées, "
        f"{fr.number(len(links))} paires d'organisations liées par au moins une action."
    )
    taking_part = members.groupby("action_id")["actor_id"].nunique()
    names = dict(zip(data.actors["actor_id"], data.actors["name"], strict=True))
    columns = [Column("Action", 62), Column("Organisations engagées", pdf.content_width - 62)]
    rows = []
    for action_id, title, status in shown.actions[["action_id", "title", "status"]].itertuples(
        index=False
    ):
        who = sorted(
            str(names[a]) for a in members.loc[members["action_id"] == action_id, "actor_id"]
        )
        rows.append(
            [
                Cell(
                    str(title),
                    bold=True,
                    note=f"{organisations_phrase(int(taking_part.get(action_id, 0)))} · "
                    f"{ACTION_STATUS_LABELS.get(status, status)}",
                ),
                Cell(", ".join(who) or "–", small=True),
            ]
        )
    pdf.table(columns, rows)
