"""The monthly review of one month as an A4 PDF: :func:`monthly_report_pdf`.

Pure: the « Revue mensuelle » and « Vue d'ensemble » pages read the data (scoped to the user)
and pass DataFrames; nothing here touches Streamlit or the database. Drawn natively with
fpdf2 (no browser, no kaleido) on :class:`dashboard.pdf.document.ReportPDF`.

Page 1 (here): a cover with the note of the audience, how to read the report (status bands
and stages, each a swatch beside its label), and one row per territory. Then one page per
territory (:mod:`dashboard.pdf.territory`): its journey and stages, the indicators judged at
its stage, the next stage's apart and greyed « à venir », its alerts and, for a scope that
may read them, the leads' comments; then, for a scope that may read its network, a page of
its network report (:mod:`dashboard.pdf.network`).

Numbers follow the dashboard (:mod:`data.fr`): ratios as percentages without decimals,
scores with one decimal, indices and deltas with two, counts as integers. Rounding is
half-up on the decimal value a person reads (3,45 → 3,5 ; 2,25 → 2,3 ; 0,125 → 13 %), not
on the binary float, so the figure is the one anyone would compute by hand.

What a scope may not read is left out whatever the frames hold: without
``READ_SMALL_GROUPS``, a value computed over a small group (``low_n``) reads « non communiqué
(n < 5) » and neither its n, nor its status band, nor a change that would reveal it is
printed; without ``READ_COMMENTS``, no comment. A scope without ``READ_UNAPPROVED`` (a
funder's) gets the cover note of approved, aggregated data.

Such a reader sees each territory at its latest approved month, as on the overview
(``presented``, :func:`data.domain.approval.presented_months`): the month is said in the
summary and on the territory's page, and a territory with no approved month yet reads
« pas encore approuvé » — never « non déclarée », which is for a month whose journal declares
no stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from fpdf.enums import XPos, YPos

from dashboard.charts.network import NetworkReports
from dashboard.pdf.document import (
    BODY_SIZE,
    BRAND,
    HEADER_FILL,
    MUTED,
    PAGE_MARGIN,
    SWATCH,
    TEXT,
    Cell,
    Column,
    ReportPDF,
    rgb,
)
from dashboard.pdf.network import network_page
from dashboard.pdf.territory import STATUS_COLOURS, alerts_table, territory_page
from dashboard.theme import NEUTRAL, stage_colour, stage_label
from data import fr
from data.access import Permission, Scope
from data.config import StageModel
from data.domain.approval import NOT_YET_APPROVED
from data.domain.journey import journey_label
from data.domain.months import add_months
from indicators.bands import DISCUSS, STATUS_LABELS, STRENGTH, UPCOMING, WATCH
from indicators.catalogue import Catalogue


def monthly_report_pdf(
    month: dt.date,
    programme_name: str,
    territories: pd.DataFrame,
    stages: pd.DataFrame,
    values: pd.DataFrame,
    *,
    previous: pd.DataFrame | None = None,
    year_ago: pd.DataFrame | None = None,
    alerts: pd.DataFrame | None = None,
    comments: pd.DataFrame | None = None,
    catalogue: Catalogue,
    stage_model: StageModel,
    scope: Scope,
    presented: Mapping[str, dt.date | None] | None = None,
    generated_on: dt.date | None = None,
    networks: NetworkReports | None = None,
) -> bytes:
    """The monthly review of ``month`` as an A4 PDF.

    territories: territory_id, name, start_date (in the order to print them);
    stages: territory_id, declared_stage, inferred_stage, judged_stage, disagreement (for
    ``month``);
    values, previous, year_ago: the long indicator table of ``month``, of the month before and
    of the same month a year earlier (columns of :func:`data.store.queries.indicator_values`);
    alerts: territory_id, kind, message; comments: territory_id, author, created_at, body.

    ``scope``: the reader's access. Without ``READ_SMALL_GROUPS`` every value computed over a
    small group (``low_n``) is withheld with its n, status and change, without
    ``READ_COMMENTS`` the comments are left out, whatever the frames hold; without
    ``READ_UNAPPROVED`` the cover says the data are approved and aggregated only.
    ``presented``: for a reader of approved months only, each territory's latest approved
    month at or before ``month`` (:func:`data.domain.approval.presented_months`; None: none
    yet): the territory is shown at that month, or as « pas encore approuvé »; ``stages`` and
    ``values`` then hold those months, and ``previous`` and ``year_ago`` are compared only
    with the territories shown at ``month``. None: every territory at ``month``.
    ``territories`` carries each territory's programme's ``duration_months`` (the « 12 / 36 »
    of its journey); ``generated_on`` defaults to today. ``networks``: each territory's network
    (:class:`dashboard.charts.network.NetworkReports`), drawn on a page of its own after the
    territory's page for a scope with ``READ_NETWORK`` on it — never for a funder, whatever
    is passed.
    """
    show_comments = scope.can(Permission.READ_COMMENTS)
    generated = fr.date(generated_on or dt.date.today())
    title = f"Revue mensuelle — {fr.month(month)}"
    pdf = ReportPDF(f"{title} · {programme_name}", generated)
    pdf.set_title(title)
    pdf.set_author("Coopérascope")
    pdf.set_creator("Coopérascope")
    pdf.set_lang("fr-FR")

    territory_list = list(territories.itertuples(index=False))
    ids = [str(t.territory_id) for t in territory_list]
    shown = dict.fromkeys(ids, month) if presented is None else {t: presented.get(t) for t in ids}
    context = ReportContext(
        month=month,
        catalogue=catalogue,
        model=stage_model,
        small_groups=scope.can(Permission.READ_SMALL_GROUPS),
        previous=_indexed(previous),
        year_ago=_indexed(year_ago),
        previous_month=add_months(month, -1),
        year_ago_month=add_months(month, -12),
        shown=shown,
        says_shown=presented is not None,
    )
    stage_rows = _stage_rows(stages, shown)
    shown_values = _at(values, shown)
    alerts = _frame(alerts, ("territory_id", "kind", "message"))
    comments = _frame(comments, ("territory_id", "author", "created_at", "body"))

    pdf.add_page()
    _cover(
        pdf, title, programme_name, generated, not scope.can(Permission.READ_UNAPPROVED), context
    )
    _legend(pdf, context)
    _summary(pdf, territory_list, stage_rows, alerts, context)
    known = {str(t.territory_id) for t in territory_list}
    orphan_alerts = alerts[~alerts["territory_id"].astype(str).isin(known)]
    if len(orphan_alerts):
        pdf.heading("Alertes du programme", 10)
        alerts_table(pdf, orphan_alerts)

    for territory in territory_list:
        tid = str(territory.territory_id)
        pdf.section = str(territory.name)
        pdf.add_page()
        territory_page(
            pdf,
            territory,
            stage_rows.get(tid, {}),
            shown_values[shown_values["territory_id"].astype(str) == tid],
            alerts[alerts["territory_id"].astype(str) == tid],
            comments[comments["territory_id"].astype(str) == tid] if show_comments else None,
            context,
        )
        shown_at = context.shown_month(tid)
        if (
            networks is not None
            and tid in networks.data
            and shown_at is not None
            and scope.can(Permission.READ_NETWORK, tid)
        ):
            pdf.add_page()
            network_page(pdf, networks.data[tid], shown_at, networks.labels)
    return bytes(pdf.output())


@dataclass(frozen=True)
class ReportContext:
    """What every section needs: the month, the catalogue and stage model, whether small
    groups may be shown, last month's and last year's values by (territory, indicator), and
    the month each territory is shown at (:meth:`shown_month`)."""

    month: dt.date
    catalogue: Catalogue
    model: StageModel
    small_groups: bool  # whether values computed over a small group may be shown
    previous: dict[tuple[str, str], dict[str, Any]] | None
    year_ago: dict[tuple[str, str], dict[str, Any]] | None
    previous_month: dt.date
    year_ago_month: dt.date
    shown: Mapping[str, dt.date | None]  # by territory; None: no approved month yet
    says_shown: bool  # whether the report says each territory's month (approved months only)

    def shown_month(self, territory_id: str) -> dt.date | None:
        """The month ``territory_id`` is shown at: ``month``, or for a reader of approved
        months only its latest approved one (None: « pas encore approuvé »)."""
        return self.shown.get(territory_id)

    def shown_text(self, territory_id: str) -> str:
        """« novembre 2026 », or « pas encore approuvé »."""
        shown = self.shown_month(territory_id)
        return fr.month(shown) if shown else NOT_YET_APPROVED

    def rank(self, stage: str | None) -> int | None:
        try:
            return self.model.rank(stage) if stage else None
        except ValueError:
            return None

    def stage_text(self, stage: str | None, missing: str = "non déclarée") -> str:
        if stage is None or self.rank(stage) is None:
            return missing if stage is None else str(stage)
        return stage_label(self.model, stage)

    def stage_colour(self, stage: str | None) -> str:
        return stage_colour(self.model, stage) if self.rank(stage) else NEUTRAL

    def journey(self, start_date: Any, duration_months: int) -> str:
        """« 12 / 36 »: the month's place in a territory's journey from ``start_date`` in a
        programme of ``duration_months`` (:func:`data.domain.journey.journey_label`); « – »
        without a start date."""
        if fr.is_missing(start_date):
            return "–"
        return journey_label(pd.Timestamp(start_date).date(), self.month, duration_months)


def _frame(frame: pd.DataFrame | None, columns: Sequence[str]) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return frame


def _at(frame: pd.DataFrame, shown: Mapping[str, dt.date | None]) -> pd.DataFrame:
    """The rows of ``frame`` at each territory's month in ``shown`` (none for a territory
    without one); a frame without a month column is taken to be at those months."""
    if frame.empty:
        return frame
    territories = frame["territory_id"].astype(str)
    if "month" not in frame.columns:
        return frame[[shown.get(t) is not None for t in territories]]
    months = pd.to_datetime(frame["month"]).dt.date
    return frame[[shown.get(t) == m for t, m in zip(territories, months, strict=True)]]


def _indexed(frame: pd.DataFrame | None) -> dict[tuple[str, str], dict[str, Any]] | None:
    if frame is None:
        return None
    rows = frame.to_dict("records")
    return {(str(r["territory_id"]), str(r["indicator_id"])): r for r in rows}


def _stage_rows(
    stages: pd.DataFrame, shown: Mapping[str, dt.date | None]
) -> dict[str, dict[str, Any]]:
    frame = _at(stages, shown)
    out: dict[str, dict[str, Any]] = {}
    for record in frame.to_dict("records"):
        out[str(record["territory_id"])] = {
            key: (None if fr.is_missing(record.get(key)) else record.get(key))
            for key in ("declared_stage", "inferred_stage", "judged_stage", "disagreement")
        }
    return out


# ------------------------------------------------------------------ page 1
def _cover(
    pdf: ReportPDF,
    title: str,
    programme: str,
    generated: str,
    approved_only: bool,
    context: ReportContext,
) -> None:
    pdf.set_fill_color(*rgb(BRAND))
    pdf.rect(0, 0, pdf.w, 4, style="F")
    pdf.set_y(PAGE_MARGIN)
    pdf.font(8, "B", BRAND)
    pdf.cell(0, 4, "COOPÉRASCOPE", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.font(19, "B")
    pdf.multi_cell(pdf.content_width, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.font(11, "", MUTED)
    pdf.multi_cell(pdf.content_width, 6, programme, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.font(8.5, "", MUTED)
    pdf.cell(0, 5, f"Généré le {generated}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if approved_only:
        note = (
            "Données approuvées et agrégées uniquement. Les valeurs calculées sur un trop "
            "petit groupe ne sont pas communiquées."
        )
        if context.says_shown:
            note += (
                " Chaque territoire est présenté à son dernier mois approuvé, jusqu'à "
                f"{fr.month(context.month)}."
            )
    else:
        note = "Document de travail de l'équipe du programme : il contient les commentaires."
    pdf.ln(2)
    pdf.set_fill_color(*rgb(HEADER_FILL))
    pdf.font(9, "B")
    pdf.multi_cell(
        pdf.content_width,
        5.5,
        note,
        fill=True,
        padding=(1.5, 3, 1.5, 3),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _legend(pdf: ReportPDF, context: ReportContext) -> None:
    pdf.heading("Comment lire ce rapport", 10, space=4)
    small_n = (
        "Un chiffre calculé sur un trop petit groupe n'est pas communiqué."
        if not context.small_groups
        else "Un chiffre calculé sur un petit effectif porte la mention « n faible »."
    )
    pdf.paragraph(
        "Chaque territoire est évalué sur les indicateurs de son étape déclarée et des étapes "
        "précédentes. Les indicateurs de l'étape suivante sont présentés à part, en gris, "
        "comme des signaux de préparation : « à venir » n'est jamais un échec. " + small_n,
        colour=MUTED,
    )
    pdf.ln(1.5)
    y = pdf.get_y()
    x = pdf.l_margin
    pdf.font(BODY_SIZE, "B", MUTED)
    pdf.set_xy(x, y)
    pdf.cell(16, 4.5, "Statuts")
    x += 16
    for status in (STRENGTH, DISCUSS, WATCH, UPCOMING):
        label = STATUS_LABELS[status]
        pdf.swatch(x, y + 0.75, STATUS_COLOURS[status])
        pdf.font(BODY_SIZE)
        pdf.set_xy(x + SWATCH + 1.2, y)
        width = pdf.get_string_width(label) + 6
        pdf.cell(width, 4.5, label)
        x += SWATCH + 1.2 + width
    y += 6
    x = pdf.l_margin
    pdf.font(BODY_SIZE, "B", MUTED)
    pdf.set_xy(x, y)
    pdf.cell(16, 4.5, "Étapes")
    x += 16
    for stage in context.model.stages:
        label = stage_label(context.model, stage.id)
        pdf.font(BODY_SIZE)
        width = pdf.get_string_width(label) + 6
        if x + SWATCH + 1.2 + width > pdf.w - pdf.r_margin:
            x, y = pdf.l_margin + 16, y + 5.5
        pdf.swatch(x, y + 0.75, context.stage_colour(stage.id))
        pdf.set_xy(x + SWATCH + 1.2, y)
        pdf.cell(width, 4.5, label)
        x += SWATCH + 1.2 + width
    pdf.set_xy(pdf.l_margin, y + 7)


def _summary(
    pdf: ReportPDF,
    territories: list[Any],
    stage_rows: dict[str, dict[str, Any]],
    alerts: pd.DataFrame,
    context: ReportContext,
) -> None:
    pdf.heading("Territoires", 11, space=3)
    if not territories:
        pdf.paragraph("Aucun territoire.", colour=MUTED)
        return
    shown_column = [Column("Mois présenté", 27)] if context.says_shown else []
    # Narrower columns make room for the month each territory is at, each still wide enough
    # for its longest word (« Auvergne-Rhône-Alpes », « 3 · Consolidation », « désaccord »).
    wide = not shown_column
    columns = [
        Column("Territoire", 48 if wide else 44),
        Column("Mois du parcours", 20 if wide else 16, "C"),
        *shown_column,
        Column("Étape déclarée", 37 if wide else 31),
        Column("Étape déduite des indicateurs", 37 if wide else 31),
        Column("Désaccord", 22 if wide else 19, "C"),
    ]
    columns.append(Column("Alertes", pdf.content_width - sum(c.width for c in columns), "C"))
    counts = alerts["territory_id"].astype(str).value_counts().to_dict()
    rows = []
    for territory in territories:
        tid = str(territory.territory_id)
        stage = stage_rows.get(tid, {})
        declared, inferred = stage.get("declared_stage"), stage.get("inferred_stage")
        if context.shown_month(tid) is None:  # nothing approved yet: no stage to tell
            stage_cells = [Cell("–", colour=MUTED), Cell("–", colour=MUTED)]
        else:
            stage_cells = [
                Cell(context.stage_text(declared), swatch=context.stage_colour(declared)),
                Cell(
                    context.stage_text(inferred, "indéterminée"),
                    swatch=context.stage_colour(inferred),
                ),
            ]
        shown_cell = Cell(
            context.shown_text(tid),
            italic=context.shown_month(tid) is None,
            colour=TEXT if context.shown_month(tid) else MUTED,
        )
        rows.append(
            [
                Cell(str(territory.name), bold=True),
                Cell(context.journey(territory.start_date, territory.duration_months)),
                *([shown_cell] if context.says_shown else []),
                *stage_cells,
                Cell("désaccord", bold=True)
                if stage.get("disagreement")
                else Cell("–", colour=MUTED),
                Cell(
                    str(counts.get(tid, 0)) if counts.get(tid) else "–",
                    colour=TEXT if counts.get(tid) else MUTED,
                ),
            ]
        )
    pdf.table(columns, rows)
