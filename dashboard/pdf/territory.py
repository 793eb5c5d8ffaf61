"""A territory's page of the monthly review (:func:`territory_page`).

Its journey and stages, the indicators judged at its stage (value, n, status, change from last
month and from a year ago), the next stage's indicators apart and greyed « à venir », its
alerts and, when passed, the leads' comments. A value computed over a small group, when the
reader may not see small groups (:attr:`ReportContext.small_groups`), reads « non communiqué
(n < 5) » without its n, status or change. For a reader of approved months only, the page says
the month the territory is shown at, or « pas encore approuvé » and no indicator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from fpdf.enums import XPos, YPos

from dashboard.pdf.document import (
    BODY_SIZE,
    GREYED,
    MUTED,
    SWATCH,
    TEXT,
    Cell,
    Column,
    ReportPDF,
)
from dashboard.status import STATUS_STYLES
from dashboard.theme import stage_label
from data import fr
from data.labels import ALERT_KIND
from indicators.bands import STATUS_LABELS, UPCOMING

if TYPE_CHECKING:  # monthly.py imports this module
    from dashboard.pdf.monthly import ReportContext

STATUS_COLOURS = {status: style.colour for status, style in STATUS_STYLES.items()}
LOW_N_TEXT = "n faible"


def territory_page(
    pdf: ReportPDF,
    territory: Any,
    stage: dict[str, Any],
    values: pd.DataFrame,
    alerts: pd.DataFrame,
    comments: pd.DataFrame | None,
    context: ReportContext,
) -> None:
    """One territory's page, from the current position: ``territory`` (territory_id, name,
    start_date), its ``stage`` row (declared, inferred, judged stage, disagreement), its
    ``values`` and ``alerts`` of the month it is shown at (:meth:`ReportContext.shown_month`),
    and its ``comments`` (None: not shown)."""
    tid = str(territory.territory_id)
    pdf.font(15, "B")
    pdf.multi_cell(pdf.content_width, 7.5, str(territory.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    journey = context.journey(territory.start_date, territory.duration_months)
    if context.shown_month(tid) is None:
        _pieces(
            pdf,
            [
                (f"Mois du parcours : {journey}", None, ""),
                ("Mois présenté :", None, context.shown_text(tid)),
            ],
        )
        pdf.paragraph(
            "Aucun mois de ce territoire n'est encore approuvé (jusqu'à "
            f"{fr.month(context.month)}) : ses étapes et ses indicateurs paraîtront ici une fois "
            "un mois approuvé.",
            colour=MUTED,
        )
    else:
        _indicators(pdf, tid, stage, values, journey, context)

    pdf.heading("Alertes", 10.5)
    if len(alerts):
        alerts_table(pdf, alerts)
    else:
        pdf.paragraph("Aucune alerte ce mois-ci.", colour=MUTED)

    if comments is not None:
        pdf.heading("Commentaires de l'équipe du programme", 10.5)
        if len(comments):
            _comments(pdf, comments)
        else:
            pdf.paragraph("Aucun commentaire.", colour=MUTED)


def _indicators(
    pdf: ReportPDF,
    territory_id: str,
    stage: dict[str, Any],
    values: pd.DataFrame,
    journey: str,
    context: ReportContext,
) -> None:
    """The stage line, then the indicators judged at the territory's stage and the next
    stage's « à venir », at the month the territory is shown at."""
    declared, inferred = stage.get("declared_stage"), stage.get("inferred_stage")
    judged_stage = stage.get("judged_stage")
    rank = context.rank(judged_stage) or 1
    shown = context.shown_month(territory_id)
    _stage_line(
        pdf,
        context,
        declared,
        inferred,
        journey,
        bool(stage.get("disagreement")),
        shown=context.shown_text(territory_id) if context.says_shown else None,
    )
    if judged_stage is None:
        pdf.paragraph(
            "Aucune étape déclarée ni déduite ce mois-ci : les indicateurs de la première "
            "étape sont présentés.",
            size=8,
            style="I",
            colour=MUTED,
        )

    rows = _ordered(values, context)
    judged = [r for r in rows if (r[1] or 1) <= rank]
    upcoming = [r for r in rows if r[1] == rank + 1]
    first, last = context.model.stages[0], context.model.stages[rank - 1]
    span = (
        f"étape {stage_label(context.model, first.id)}"
        if rank == 1
        else f"étapes 1 à {rank} ({first.short_label} → {last.short_label})"
    )
    pdf.heading(f"Indicateurs évalués — {span}", 10.5)
    if judged:
        # Last month's and last year's values are those of the report's month.
        _judged_table(pdf, judged, context, compare=shown == context.month)
    else:
        pdf.paragraph("Aucune valeur d'indicateur pour ce mois.", colour=MUTED)

    if rank < len(context.model.stages):
        following = context.model.stages[rank]
        pdf.heading(
            f"À venir — étape {stage_label(context.model, following.id)}", 10.5, colour=GREYED
        )
        pdf.paragraph(
            "Signaux de préparation à l'étape suivante, non évalués à ce stade.",
            size=8,
            style="I",
            colour=GREYED,
        )
        pdf.ln(1)
        if upcoming:
            _upcoming_table(pdf, upcoming, context)
        else:
            pdf.paragraph("Pas encore de valeur pour ces indicateurs.", colour=GREYED)
    else:
        pdf.heading("À venir", 10.5, colour=GREYED)
        pdf.paragraph("Dernière étape du parcours : aucun indicateur à venir.", colour=GREYED)


def _stage_line(
    pdf: ReportPDF,
    context: ReportContext,
    declared: str | None,
    inferred: str | None,
    journey: str,
    disagreement: bool,
    shown: str | None = None,
) -> None:
    """« Mois du parcours : 12 / 36 · Étape déclarée : ■ 2 · Structuration · déduite : … »,
    after « Mois présenté : septembre 2026 » when ``shown`` is given."""
    pieces: list[tuple[str, str | None, str]] = [
        (f"Mois du parcours : {journey}", None, ""),
        *([("Mois présenté :", None, shown)] if shown else []),
        ("Étape déclarée :", context.stage_colour(declared), context.stage_text(declared)),
        (
            "déduite des indicateurs :",
            context.stage_colour(inferred),
            context.stage_text(inferred, "indéterminée"),
        ),
    ]
    if disagreement:
        pieces.append(("", None, "désaccord"))
    _pieces(pdf, pieces)


def _pieces(pdf: ReportPDF, pieces: list[tuple[str, str | None, str]]) -> None:
    """Pieces of a line, each a muted prefix, a swatch's colour (or None) and a bold label,
    wrapped to the page width."""
    right = pdf.w - pdf.r_margin
    x, y = pdf.l_margin, pdf.get_y() + 0.5
    for prefix, colour, label in pieces:
        pdf.font(9, "", MUTED)
        prefix_width = pdf.get_string_width(prefix) + 1.5 if prefix else 0
        pdf.font(9, "B")
        label_width = pdf.get_string_width(label) + 1 if label else 0
        swatch_width = SWATCH + 1.2 if colour else 0
        if x > pdf.l_margin and x + prefix_width + swatch_width + label_width > right:
            x, y = pdf.l_margin, y + 5.5
        if prefix:
            pdf.font(9, "", MUTED)
            pdf.set_xy(x, y)
            pdf.cell(prefix_width, 5, prefix)
            x += prefix_width
        if colour:
            pdf.swatch(x, y + 1, colour)
            x += swatch_width
        if label:
            pdf.font(9, "B")
            pdf.set_xy(x, y)
            pdf.cell(label_width, 5, label)
            x += label_width
        x += 6
    pdf.set_xy(pdf.l_margin, y + 6.5)


def _ordered(
    values: pd.DataFrame, context: ReportContext
) -> list[tuple[dict[str, Any], int | None]]:
    """Rows with their indicator's stage rank, in catalogue order within stage order."""
    ids = list(context.catalogue.indicators)
    position = {key: i for i, key in enumerate(ids)}
    rows = []
    for record in values.to_dict("records"):
        definition = context.catalogue.indicators.get(str(record["indicator_id"]))
        stage = definition.stage if definition else record.get("stage")
        rows.append((record, context.rank(stage) if isinstance(stage, str) else None))
    rows.sort(
        key=lambda r: (
            r[1] or 99,
            position.get(str(r[0]["indicator_id"]), len(ids)),
            str(r[0]["indicator_id"]),
        )
    )
    return rows


def _value_cells(record: dict[str, Any], context: ReportContext) -> tuple[Cell, Cell, bool]:
    """Value and n cells, and whether the value is withheld (a small group the scope may
    not read)."""
    definition = context.catalogue.indicators.get(str(record["indicator_id"]))
    unit = definition.unit if definition else None
    low_n = bool(record.get("low_n")) and not fr.is_missing(record.get("low_n"))
    n = record.get("n")
    n_text = "–" if fr.is_missing(n) else fr.number(int(n))
    if low_n and not context.small_groups:
        min_n = definition.min_n if definition else 5
        return (
            Cell(f"non communiqué (n < {min_n})", italic=True, colour=MUTED, small=True),
            Cell("–", colour=MUTED),
            True,
        )
    value = Cell(fr.indicator_value(record.get("value"), unit), bold=True)
    if low_n:
        return value, Cell(n_text, note=LOW_N_TEXT), False
    return value, Cell(n_text), False


def _status_cell(status: Any, colour: str = TEXT) -> Cell:
    if fr.is_missing(status):
        return Cell("–", colour=MUTED)
    return Cell(
        STATUS_LABELS.get(str(status), str(status)),
        swatch=STATUS_COLOURS.get(str(status), "#FFFFFF"),
        colour=colour,
    )


def _change(
    record: dict[str, Any], other: dict | None, context: ReportContext, withheld: bool
) -> Cell:
    if other is None or withheld:
        return Cell("–", colour=MUTED)
    if (
        not context.small_groups
        and bool(other.get("low_n"))
        and not fr.is_missing(other.get("low_n"))
    ):
        return Cell("–", colour=MUTED)  # the change would give the hidden value away
    definition = context.catalogue.indicators.get(str(record["indicator_id"]))
    text = fr.format_change(
        definition.unit if definition else None, record.get("value"), other.get("value")
    )
    return Cell(text, colour=MUTED if text in ("–", "stable") else TEXT)


def _label_cell(
    record: dict[str, Any], context: ReportContext, withheld: bool, colour: str = TEXT
) -> Cell:
    definition = context.catalogue.indicators.get(str(record["indicator_id"]))
    label = definition.label if definition else str(record["indicator_id"])
    note = record.get("note")
    show_note = not fr.is_missing(note) and not withheld and str(note).strip()
    return Cell(label, colour=colour, note=str(note) if show_note else "")


def _judged_table(
    pdf: ReportPDF, rows: list[tuple[dict, int | None]], context: ReportContext, compare: bool
) -> None:
    columns = [
        Column("Étape", 13),
        Column("Indicateur", pdf.content_width - 121),
        Column("Valeur", 27, "R"),
        Column("n", 13, "R"),
        Column("Statut", 32),
    ]
    tables = [
        (context.previous, context.previous_month),
        (context.year_ago, context.year_ago_month),
    ]
    compared = [(index, when) for index, when in tables if index is not None and compare]
    for _index, when in compared:
        columns.append(Column(f"vs {fr.month_short(when)}", 18, "R"))
    free = pdf.content_width - sum(c.width for c in columns)
    columns[1] = Column("Indicateur", columns[1].width + free)
    body = []
    for record, rank in rows:
        value, n, withheld = _value_cells(record, context)
        definition = context.catalogue.indicators.get(str(record["indicator_id"]))
        stage = definition.stage if definition else None
        key = (str(record["territory_id"]), str(record["indicator_id"]))
        row = [
            Cell(str(rank) if rank else "–", swatch=context.stage_colour(stage)),
            _label_cell(record, context, withheld),
            value,
            n,
            # A band would tell roughly what the withheld value is.
            _status_cell(None if withheld else record.get("status")),
        ]
        row += [_change(record, index.get(key), context, withheld) for index, _ in compared]
        body.append(row)
    pdf.table(columns, body)


def _upcoming_table(
    pdf: ReportPDF, rows: list[tuple[dict, int | None]], context: ReportContext
) -> None:
    columns = [
        Column("Indicateur", pdf.content_width - 85),
        Column("Valeur", 27, "R"),
        Column("n", 26, "R"),
        Column("Statut", 32),
    ]
    body = []
    for record, _rank in rows:
        value, n, withheld = _value_cells(record, context)
        body.append(
            [
                _label_cell(record, context, withheld, colour=GREYED),
                Cell(value.text, italic=value.italic, colour=GREYED, small=value.small),
                Cell(n.text, colour=GREYED, note=n.note),
                _status_cell(UPCOMING, colour=GREYED),
            ]
        )
    pdf.table(columns, body)


def alerts_table(pdf: ReportPDF, alerts: pd.DataFrame) -> None:
    """Alerts (kind, message) as a table: the kind in words, then the message."""
    columns = [Column("Type", 40), Column("Message", pdf.content_width - 40)]
    rows = [
        [
            Cell(ALERT_KIND.get(str(a["kind"]), str(a["kind"])), bold=True),
            Cell(str(a["message"])),
        ]
        for a in alerts.to_dict("records")
    ]
    pdf.table(columns, rows)


def _comments(pdf: ReportPDF, comments: pd.DataFrame) -> None:
    records = comments.to_dict("records")
    records.sort(
        key=lambda c: (
            pd.Timestamp(c["created_at"])
            if not fr.is_missing(c["created_at"])
            else pd.Timestamp.min
        )
    )
    for comment in records:
        when = _when(comment.get("created_at"))
        pdf.room_for(14)
        pdf.font(8, "B", MUTED)
        author = "" if fr.is_missing(comment.get("author")) else str(comment["author"])
        pdf.multi_cell(
            pdf.content_width,
            4,
            " · ".join(p for p in (author, when) if p),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.font(BODY_SIZE)
        pdf.multi_cell(
            pdf.content_width,
            4.2,
            "" if fr.is_missing(comment.get("body")) else str(comment["body"]),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(2)


def _when(value: Any) -> str:
    if fr.is_missing(value):
        return ""
    stamp = pd.Timestamp(value)
    if (stamp.hour, stamp.minute) == (0, 0):
        return fr.date(stamp.date())
    return f"{fr.date(stamp.date())} à {stamp:%H:%M}"
