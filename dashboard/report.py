"""The monthly review as a PDF report, and the long export as CSV or XLSX.

Pure functions: the « Revue mensuelle » page reads the data (scoped to the user) and passes
DataFrames; nothing here touches Streamlit or the database.

PDF
    A4, drawn natively with fpdf2 (no browser, no kaleido). French text needs a Unicode font:
    the first DejaVu Sans found in :data:`FONT_DIRS` (``COOPERASCOPE_PDF_FONT_DIR`` first,
    then Debian's ``fonts-dejavu-core`` and the usual other places) is embedded. Without one,
    the report falls back to fpdf's core Helvetica and every text is reduced to Latin-1
    (:func:`latin1`: thin spaces become spaces, « œ » becomes « oe », « — » becomes « - »…), so
    that it still works on a machine without that font.

    Numbers follow the dashboard (:mod:`data.fr`): ratios as percentages without decimals,
    scores with one decimal, indices and deltas with two, counts as integers. Rounding is
    half-up on the decimal value a person reads (3,45 → 3,5 ; 2,25 → 2,3 ; 0,125 → 13 %), not
    on the binary float, so the figure is the one anyone would compute by hand.

    For a funder the report never shows comments nor a value computed over a small group
    (``low_n``): the cell says « non communiqué (n < 5) » and neither the n, nor its status
    band, nor a change that would reveal the hidden value is printed.

CSV / XLSX
    The long table (territory × month × indicator) with French labels beside the stable ids.
    The CSV is written for French Excel, which is what programme staff open it with: UTF-8
    with a byte-order mark (without it Excel reads the accents as Windows-1252), ``;`` as the
    separator and a decimal comma (French Excel splits ``,``-separated files badly and reads
    ``0.256`` as text or as a date). Python reads it back with
    ``pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")``. The XLSX has a frozen
    header row, sized columns and numbers stored as numbers. In both, a text cell that looks
    like a formula (``=``, ``+``, ``-``, ``@`` at the start) is neutralised by
    :func:`data.exports.spreadsheet.neutralise`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from dashboard.status import STATUS_STYLES
from dashboard.theme import NEUTRAL, stage_colour, stage_label
from data import fr
from data.config import StageModel
from data.domain.months import add_months, months_between
from data.exports.spreadsheet import neutralise, to_csv_bytes
from data.labels import ALERT_KIND
from indicators.bands import DISCUSS, STATUS_LABELS, STRENGTH, UPCOMING, WATCH

Audience = Literal["lead", "funder"]

# ----------------------------------------------------------------------------- fonts
FONT_FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu (fonts-dejavu-core)
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/dejavu"),  # Arch, Alpine
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path.home() / "Library/Fonts",
)
FONT_DIR_VARIABLE = "COOPERASCOPE_PDF_FONT_DIR"

# Text that core fonts (Latin-1) cannot draw, and what to draw instead.
_LATIN1_REPLACEMENTS = {
    "\u202f": " ",  # narrow no-break space (thousands separator)
    "\u00a0": " ",
    "\u2009": " ",
    "\u2007": " ",
    "\u2011": "-",
    "œ": "oe",
    "Œ": "OE",
    "Ł": "L",
    "ł": "l",
    "…": "...",
    "—": "-",
    "–": "-",
    "−": "-",
    "‘": "'",
    "’": "'",
    "‚": ",",
    "“": '"',
    "”": '"',
    "„": '"',
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "€": "EUR",
    "•": "·",
    "▲": "+",
    "▼": "-",
    "→": "->",
}


def latin1(text: str) -> str:
    """``text`` reduced to what fpdf's core fonts can draw (Latin-1).

    Known typographic characters get their plain equivalent; other letters lose their accent
    if Latin-1 lacks the accented form (« ő » → « o »); anything else becomes « ? ».
    """
    out: list[str] = []
    for char in text:
        if char in _LATIN1_REPLACEMENTS:
            out.append(_LATIN1_REPLACEMENTS[char])
            continue
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            try:
                base.encode("latin-1")
            except UnicodeEncodeError:
                base = ""
            out.append(base or "?")
        else:
            out.append(char)
    return "".join(out)


def find_unicode_font() -> dict[str, Path] | None:
    """Regular, bold and italic DejaVu Sans files, or None when the machine has none.

    Bold and italic fall back to the regular file when missing.
    """
    directories = list(FONT_DIRS)
    override = os.environ.get(FONT_DIR_VARIABLE)
    if override:
        directories.insert(0, Path(override))
    for directory in directories:
        regular = directory / FONT_FILES[""]
        if regular.is_file():
            return {
                style: (directory / name if (directory / name).is_file() else regular)
                for style, name in FONT_FILES.items()
            }
    return None


# ----------------------------------------------------------------------------- numbers


def format_change(unit: str | None, current: Any, before: Any) -> str:
    """The change from ``before`` to ``current`` in the value's own terms: percentage points
    for ratios (« +3 pts »), the unit's decimals otherwise (« −0,2 »); « stable » when it
    rounds to zero; « – » when either side is missing."""
    now, then = fr.decimal(current), fr.decimal(before)
    if now is None or then is None:
        return "–"
    if unit == "ratio":
        points = fr.round_half_up((now - then) * 100, 0)
        if points == 0:
            return "stable"
        suffix = "\u00a0pt" if abs(points) == 1 else "\u00a0pts"
        sign = "+" if points > 0 else fr.MINUS
        return f"{sign}{fr.number(float(abs(points)), 0)}{suffix}"
    decimals = fr.UNIT_DECIMALS.get(unit or "", 2)
    difference = fr.round_half_up(now - then, decimals)
    if difference == 0:
        return "stable"
    sign = "+" if difference > 0 else fr.MINUS
    return sign + fr.number(float(abs(difference)), decimals)


# ----------------------------------------------------------------------------- long export
# The columns of the CLI export (data.exports.indicators.EXPORT_COLUMNS), with French labels
# beside the indicator and status ids.
LONG_EXPORT_COLUMNS = (
    "territory_id",
    "period",
    "indicator_id",
    "indicator_label",
    "value",
    "n",
    "low_n",
    "status",
    "status_label",
    "stage",
    "wave_number",
    "note",
)
WITHHELD_NOTE = "petit effectif : valeur non communiquée"
_XLSX_WIDTHS = {
    "territory_id": 18,
    "period": 10,
    "indicator_id": 30,
    "indicator_label": 48,
    "value": 12,
    "n": 8,
    "low_n": 8,
    "status": 12,
    "status_label": 20,
    "stage": 15,
    "wave_number": 8,
    "note": 48,
}


def long_table(
    values: pd.DataFrame, catalogue: Any = None, audience: Audience = "lead"
) -> pd.DataFrame:
    """The long table in export form (:data:`LONG_EXPORT_COLUMNS`), one row per territory ×
    month × indicator, ``period`` as YYYY-MM and French labels beside the ids.

    ``values`` is the long indicator table (``month`` as a date, or ``period`` already). For
    a funder, a value computed over a small group (``low_n``) is withheld with its n and its
    status, whatever ``values`` holds, and the note says so.
    """
    if catalogue is None:
        from data.config import get_config

        catalogue = get_config().load_catalogue()
    frame = values.reset_index(drop=True)
    if "period" in frame.columns:
        period = frame["period"].astype("str")
    else:
        period = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    labels = {key: definition.label for key, definition in catalogue.indicators.items()}
    indicator = frame["indicator_id"].astype("str")
    status = frame["status"].astype(object).where(frame["status"].notna(), None)

    def column(name: str, dtype: str | None = None) -> pd.Series:
        if name not in frame.columns:
            return pd.Series([None] * len(frame), dtype=dtype or object)
        return frame[name].astype(dtype) if dtype else frame[name]

    out = pd.DataFrame(
        {
            "territory_id": frame["territory_id"].astype("str"),
            "period": period,
            "indicator_id": indicator,
            "indicator_label": indicator.map(lambda i: labels.get(i, i)),
            "value": pd.to_numeric(frame["value"], errors="coerce").astype("float64"),
            "n": column("n", "Int64"),
            "low_n": column("low_n").astype("boolean").fillna(False).astype(bool),
            "status": status,
            "status_label": status.map(lambda s: STATUS_LABELS.get(s, s) if s else None),
            "stage": column("stage"),
            "wave_number": column("wave_number", "Int64"),
            "note": column("note").astype(object).where(column("note").notna(), None),
        }
    )
    if audience == "funder":
        hidden = out["low_n"]
        out["value"] = out["value"].mask(hidden)
        out["n"] = out["n"].mask(hidden)
        for name in ("status", "status_label"):
            out[name] = out[name].astype(object).mask(hidden, None)
        out["note"] = out["note"].astype(object).mask(hidden, WITHHELD_NOTE)
    return out[list(LONG_EXPORT_COLUMNS)]


def long_export(
    values: pd.DataFrame,
    fmt: Literal["csv", "xlsx"],
    *,
    catalogue: Any = None,
    audience: Audience = "lead",
) -> bytes:
    """The long table as a French-Excel CSV (UTF-8 with BOM, ``;``, decimal comma) or as an
    XLSX (frozen header, sized columns, numbers as numbers), formula-looking text neutralised.
    ``catalogue`` defaults to the configured one (for the French indicator labels); for a
    ``funder``, small-group values are withheld (:func:`long_table`)."""
    if audience not in ("lead", "funder"):
        raise ValueError(f"public inconnu « {audience} » (attendu : lead ou funder)")
    table = long_table(values, catalogue, audience)
    if fmt == "csv":
        return to_csv_bytes(table, separator=";")
    if fmt == "xlsx":
        return _xlsx(table)
    raise ValueError(f"format d'export inconnu « {fmt} » (attendu : csv ou xlsx)")


def _xlsx(table: pd.DataFrame) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    safe = neutralise(table)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Indicateurs")
    sheet.freeze_panes = "A2"
    for position, name in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = _XLSX_WIDTHS.get(name, 14)
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="EEF0F3")
    header = []
    for name in safe.columns:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font, cell.fill = bold, grey
        header.append(cell)
    sheet.append(header)
    for row in safe.itertuples(index=False, name=None):
        sheet.append([_xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar → Python number or bool
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, even if it begins like a formula
        return cell
    return value


# ----------------------------------------------------------------------------- PDF report
STATUS_COLOURS = {status: style.colour for status, style in STATUS_STYLES.items()}
TEXT = "#1F2430"
MUTED = "#5B6475"
GREYED = "#8A8F99"
RULE = "#D5D9E0"
HEADER_FILL = "#EEF0F3"
BRAND = "#0072B2"
LOW_N_TEXT = "n faible"

PAGE_MARGIN = 14.0
BODY_SIZE = 8.5
TABLE_SIZE = 8.0
LINE = 4.0
NOTE_LINE = 3.4
PAD = 1.3
SWATCH = 3.0


@dataclass(frozen=True)
class _Column:
    title: str
    width: float
    align: str = "L"


@dataclass(frozen=True)
class _Cell:
    text: str
    swatch: str | None = None  # hex colour of a small square before the text
    bold: bool = False
    italic: bool = False
    colour: str = TEXT
    note: str = ""  # a smaller grey line under the text
    small: bool = False  # one point smaller than the table's text


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


class _ReportPDF(FPDF):
    def __init__(self, fonts: dict[str, Path] | None, running_title: str, generated: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.unicode = fonts is not None
        if fonts is not None:
            for style, path in fonts.items():
                self.add_font(FONT_FAMILY, style, str(path))
            self.family = FONT_FAMILY
        else:
            self.family = "helvetica"
        self.running_title = running_title
        self.section = ""  # the territory of the page, repeated in the running header
        self.generated = generated
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.c_margin = 0  # cells pad themselves (PAD): text uses the whole column width
        self.set_auto_page_break(True, margin=PAGE_MARGIN + 4)
        self.alias_nb_pages()

    # Every text goes through here: Latin-1 only with the core fonts.
    def normalize_text(self, text: str) -> str:
        return super().normalize_text(text if self.unicode else latin1(text))

    def font(self, size: float = BODY_SIZE, style: str = "", colour: str = TEXT) -> None:
        self.set_font(self.family, style, size)
        self.set_text_color(*_rgb(colour))

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.font(7.5, colour=MUTED)
        self.set_xy(self.l_margin, 7)
        title = f"{self.running_title} · {self.section}" if self.section else self.running_title
        self.cell(self.content_width, 4, title, align="L")
        self.set_y(PAGE_MARGIN)

    def footer(self) -> None:
        self.set_y(-PAGE_MARGIN + 2)
        self.font(7.5, colour=MUTED)
        self.set_draw_color(*_rgb(RULE))
        self.line(self.l_margin, self.get_y() - 1.5, self.w - self.r_margin, self.get_y() - 1.5)
        self.cell(self.content_width / 2, 4, f"Coopérascope · généré le {self.generated}")
        self.cell(self.content_width / 2, 4, f"page {self.page_no()} / {{nb}}", align="R")

    # ------------------------------------------------------------------ building blocks
    def swatch(self, x: float, y: float, colour: str, size: float = SWATCH) -> None:
        self.set_fill_color(*_rgb(colour))
        self.set_draw_color(*_rgb("#4A5160"))
        self.set_line_width(0.15)
        self.rect(x, y, size, size, style="DF")

    def room_for(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit above the bottom margin."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str, size: float = 11, colour: str = TEXT, space: float = 3) -> None:
        self.room_for(size * 0.5 + 16)
        self.ln(space)
        self.font(size, "B", colour)
        self.multi_cell(self.content_width, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(
        self, text: str, size: float = BODY_SIZE, style: str = "", colour: str = TEXT
    ) -> None:
        self.font(size, style, colour)
        self.multi_cell(self.content_width, size * 0.47, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _wrap(self, text: str, width: float, line: float) -> list[str]:
        """``text`` broken into lines of ``width`` in the current font (one line without a
        costly dry run when it fits)."""
        if "\n" not in text and self.get_string_width(text) <= width:
            return [text]
        return list(self.multi_cell(width, line, text, dry_run=True, output="LINES"))

    def table(
        self,
        columns: Sequence[_Column],
        rows: Sequence[Sequence[_Cell]],
        size: float = TABLE_SIZE,
    ) -> None:
        """A table whose cells wrap; the header row is repeated after a page break."""
        header = self._layout(
            columns, [_Cell(c.title, bold=True, colour=MUTED) for c in columns], size - 0.5
        )
        self._row(columns, header, size - 0.5, fill=HEADER_FILL)
        for row in rows:
            laid_out = self._layout(columns, row, size)
            if laid_out[0] + self.get_y() > self.page_break_trigger:
                self.add_page()
                self._row(columns, header, size - 0.5, fill=HEADER_FILL)
            self._row(columns, laid_out, size)
        self.set_x(self.l_margin)

    def _text_width(self, column: _Column, cell: _Cell) -> float:
        return column.width - 2 * PAD - (SWATCH + 1.2 if cell.swatch else 0)

    def _layout(
        self, columns: Sequence[_Column], cells: Sequence[_Cell], size: float = TABLE_SIZE - 0.5
    ) -> tuple[float, list[tuple[_Cell, list[str], list[str]]]]:
        """The row's height and, per cell, its text and note lines."""
        tallest, laid_out = 0.0, []
        for column, cell in zip(columns, cells, strict=True):
            width = self._text_width(column, cell)
            self.font(size - cell.small, _style(cell))
            lines = self._wrap(cell.text, width, LINE)
            notes: list[str] = []
            if cell.note:
                self.font(size - 1.5, "I")
                notes = self._wrap(cell.note, width, NOTE_LINE)
            tallest = max(tallest, len(lines) * LINE + len(notes) * NOTE_LINE)
            laid_out.append((cell, lines, notes))
        return tallest + 2 * PAD, laid_out

    def _row(
        self,
        columns: Sequence[_Column],
        laid_out: tuple[float, list[tuple[_Cell, list[str], list[str]]]],
        size: float,
        fill: str | None = None,
    ) -> None:
        height, cells = laid_out
        top, x = self.get_y(), self.l_margin
        total = sum(c.width for c in columns)
        if fill:
            self.set_fill_color(*_rgb(fill))
            self.rect(x, top, total, height, style="F")
        for column, (cell, lines, notes) in zip(columns, cells, strict=True):
            text_x = x + PAD
            if cell.swatch:
                self.swatch(text_x, top + PAD + 0.45, cell.swatch)
                text_x += SWATCH + 1.2
            width = self._text_width(column, cell)
            y = top + PAD
            self.font(size - cell.small, _style(cell), cell.colour)
            for line in lines:
                self.set_xy(text_x, y)
                self.cell(width, LINE, line, align=column.align)
                y += LINE
            self.font(size - 1.5, "I", MUTED)
            for line in notes:
                self.set_xy(text_x, y)
                self.cell(width, NOTE_LINE, line, align=column.align)
                y += NOTE_LINE
            x += column.width
        self.set_draw_color(*_rgb(RULE))
        self.set_line_width(0.2)
        self.line(self.l_margin, top + height, self.l_margin + total, top + height)
        self.set_xy(self.l_margin, top + height)


def _style(cell: _Cell) -> str:
    return ("B" if cell.bold else "") + ("I" if cell.italic else "")


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
    catalogue: Any,
    stage_model: StageModel,
    audience: Audience = "lead",
    duration_months: int = 36,
    generated_on: dt.date | None = None,
) -> bytes:
    """The monthly review of ``month`` as an A4 PDF.

    territories: territory_id, name, start_date (in the order to print them);
    stages: territory_id, declared_stage, inferred_stage, judged_stage, disagreement (for
    ``month``);
    values, previous, year_ago: the long indicator table of ``month``, of the month before and
    of the same month a year earlier (columns of :func:`data.store.queries.indicator_values`);
    alerts: territory_id, kind, message; comments: territory_id, author, created_at, body.

    ``audience="funder"`` leaves out comments and every value computed over a small group
    (``low_n``), whatever the frames hold. ``duration_months`` is the programme's length (the
    « 12 / 36 » of each territory's journey); ``generated_on`` defaults to today.
    """
    if audience not in ("lead", "funder"):
        raise ValueError(f"public inconnu « {audience} » (attendu : lead ou funder)")
    funder = audience == "funder"
    generated = fr.date(generated_on or dt.date.today())
    title = f"Revue mensuelle — {fr.month(month)}"
    pdf = _ReportPDF(find_unicode_font(), f"{title} · {programme_name}", generated)
    pdf.set_title(title)
    pdf.set_author("Coopérascope")
    pdf.set_creator("Coopérascope")
    pdf.set_lang("fr-FR")

    this_month = _for_month(values, month)
    context = _Context(
        month=month,
        catalogue=catalogue,
        model=stage_model,
        funder=funder,
        previous=_indexed(previous),
        year_ago=_indexed(year_ago),
        previous_month=add_months(month, -1),
        year_ago_month=add_months(month, -12),
    )
    stage_rows = _stage_rows(stages, month)
    alerts = _frame(alerts, ("territory_id", "kind", "message"))
    comments = _frame(comments, ("territory_id", "author", "created_at", "body"))
    territory_list = list(territories.itertuples(index=False))

    pdf.add_page()
    _cover(pdf, title, programme_name, generated, funder)
    _legend(pdf, context)
    _summary(pdf, territory_list, stage_rows, alerts, context, duration_months)
    known = {str(t.territory_id) for t in territory_list}
    orphan_alerts = alerts[~alerts["territory_id"].astype(str).isin(known)]
    if len(orphan_alerts):
        pdf.heading("Alertes du programme", 10)
        _alerts(pdf, orphan_alerts)

    for territory in territory_list:
        tid = str(territory.territory_id)
        pdf.section = str(territory.name)
        pdf.add_page()
        _territory_section(
            pdf,
            territory,
            stage_rows.get(tid, {}),
            this_month[this_month["territory_id"].astype(str) == tid],
            alerts[alerts["territory_id"].astype(str) == tid],
            None if funder else comments[comments["territory_id"].astype(str) == tid],
            context,
            duration_months,
        )
    return bytes(pdf.output())


@dataclass(frozen=True)
class _Context:
    month: dt.date
    catalogue: Any
    model: StageModel
    funder: bool
    previous: dict[tuple[str, str], dict[str, Any]] | None
    year_ago: dict[tuple[str, str], dict[str, Any]] | None
    previous_month: dt.date
    year_ago_month: dt.date

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


def _frame(frame: pd.DataFrame | None, columns: Sequence[str]) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return frame


def _for_month(values: pd.DataFrame, month: dt.date) -> pd.DataFrame:
    if "month" not in values.columns or values.empty:
        return values
    return values[pd.to_datetime(values["month"]).dt.date == month]


def _indexed(frame: pd.DataFrame | None) -> dict[tuple[str, str], dict[str, Any]] | None:
    if frame is None:
        return None
    rows = frame.to_dict("records")
    return {(str(r["territory_id"]), str(r["indicator_id"])): r for r in rows}


def _stage_rows(stages: pd.DataFrame, month: dt.date) -> dict[str, dict[str, Any]]:
    frame = _for_month(stages, month)
    out: dict[str, dict[str, Any]] = {}
    for record in frame.to_dict("records"):
        out[str(record["territory_id"])] = {
            key: (None if fr.is_missing(record.get(key)) else record.get(key))
            for key in ("declared_stage", "inferred_stage", "judged_stage", "disagreement")
        }
    return out


def _start(value: Any) -> dt.date | None:
    if fr.is_missing(value):
        return None
    return pd.Timestamp(value).date()


def _journey(start: dt.date | None, month: dt.date, duration: int) -> str:
    if start is None:
        return "–"
    position = months_between(start, month) + 1
    if position < 1:
        return "pas commencé"
    return f"{position} / {duration}"


# ------------------------------------------------------------------ page 1
def _cover(pdf: _ReportPDF, title: str, programme: str, generated: str, funder: bool) -> None:
    pdf.set_fill_color(*_rgb(BRAND))
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
    if funder:
        note = (
            "Données approuvées et agrégées uniquement. Les valeurs calculées sur un trop "
            "petit groupe ne sont pas communiquées."
        )
    else:
        note = "Document de travail de l'équipe du programme : il contient les commentaires."
    pdf.ln(2)
    pdf.set_fill_color(*_rgb(HEADER_FILL))
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


def _legend(pdf: _ReportPDF, context: _Context) -> None:
    pdf.heading("Comment lire ce rapport", 10, space=4)
    small_n = (
        "Un chiffre calculé sur un trop petit groupe n'est pas communiqué."
        if context.funder
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
    pdf: _ReportPDF,
    territories: list[Any],
    stage_rows: dict[str, dict[str, Any]],
    alerts: pd.DataFrame,
    context: _Context,
    duration: int,
) -> None:
    pdf.heading("Territoires", 11, space=3)
    if not territories:
        pdf.paragraph("Aucun territoire.", colour=MUTED)
        return
    columns = [
        _Column("Territoire", 48),
        _Column("Mois du parcours", 20, "C"),
        _Column("Étape déclarée", 37),
        _Column("Étape déduite des indicateurs", 37),
        _Column("Désaccord", 22, "C"),
        _Column("Alertes", pdf.content_width - 164, "C"),
    ]
    counts = alerts["territory_id"].astype(str).value_counts().to_dict()
    rows = []
    for territory in territories:
        tid = str(territory.territory_id)
        stage = stage_rows.get(tid, {})
        declared, inferred = stage.get("declared_stage"), stage.get("inferred_stage")
        rows.append(
            [
                _Cell(str(territory.name), bold=True),
                _Cell(_journey(_start(territory.start_date), context.month, duration)),
                _Cell(context.stage_text(declared), swatch=context.stage_colour(declared)),
                _Cell(
                    context.stage_text(inferred, "indéterminée"),
                    swatch=context.stage_colour(inferred),
                ),
                _Cell("désaccord", bold=True)
                if stage.get("disagreement")
                else _Cell("–", colour=MUTED),
                _Cell(
                    str(counts.get(tid, 0)) if counts.get(tid) else "–",
                    colour=TEXT if counts.get(tid) else MUTED,
                ),
            ]
        )
    pdf.table(columns, rows)


# ------------------------------------------------------------------ territory pages
def _territory_section(
    pdf: _ReportPDF,
    territory: Any,
    stage: dict[str, Any],
    values: pd.DataFrame,
    alerts: pd.DataFrame,
    comments: pd.DataFrame | None,
    context: _Context,
    duration: int,
) -> None:
    declared, inferred = stage.get("declared_stage"), stage.get("inferred_stage")
    judged_stage = stage.get("judged_stage")
    rank = context.rank(judged_stage) or 1

    pdf.font(15, "B")
    pdf.multi_cell(pdf.content_width, 7.5, str(territory.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    journey = _journey(_start(territory.start_date), context.month, duration)
    _stage_line(pdf, context, declared, inferred, journey, bool(stage.get("disagreement")))
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
        _judged_table(pdf, judged, context)
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

    pdf.heading("Alertes", 10.5)
    if len(alerts):
        _alerts(pdf, alerts)
    else:
        pdf.paragraph("Aucune alerte ce mois-ci.", colour=MUTED)

    if comments is not None:
        pdf.heading("Commentaires de l'équipe du programme", 10.5)
        if len(comments):
            _comments(pdf, comments)
        else:
            pdf.paragraph("Aucun commentaire.", colour=MUTED)


def _stage_line(
    pdf: _ReportPDF,
    context: _Context,
    declared: str | None,
    inferred: str | None,
    journey: str,
    disagreement: bool,
) -> None:
    """« Mois du parcours : 12 / 36 · Étape déclarée : ■ 2 · Structuration · déduite : … »,
    wrapped to the page width."""
    pieces: list[tuple[str, str | None, str]] = [
        (f"Mois du parcours : {journey}", None, ""),
        ("Étape déclarée :", context.stage_colour(declared), context.stage_text(declared)),
        (
            "déduite des indicateurs :",
            context.stage_colour(inferred),
            context.stage_text(inferred, "indéterminée"),
        ),
    ]
    if disagreement:
        pieces.append(("", None, "désaccord"))
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


def _ordered(values: pd.DataFrame, context: _Context) -> list[tuple[dict[str, Any], int | None]]:
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


def _value_cells(record: dict[str, Any], context: _Context) -> tuple[_Cell, _Cell, bool]:
    """Value and n cells, and whether the value is withheld (funder, small group)."""
    definition = context.catalogue.indicators.get(str(record["indicator_id"]))
    unit = definition.unit if definition else None
    low_n = bool(record.get("low_n")) and not fr.is_missing(record.get("low_n"))
    n = record.get("n")
    n_text = "–" if fr.is_missing(n) else fr.number(int(n))
    if low_n and context.funder:
        min_n = definition.min_n if definition else 5
        return (
            _Cell(f"non communiqué (n < {min_n})", italic=True, colour=MUTED, small=True),
            _Cell("–", colour=MUTED),
            True,
        )
    value = _Cell(fr.indicator_value(record.get("value"), unit), bold=True)
    if low_n:
        return value, _Cell(n_text, note=LOW_N_TEXT), False
    return value, _Cell(n_text), False


def _status_cell(status: Any, colour: str = TEXT) -> _Cell:
    if fr.is_missing(status):
        return _Cell("–", colour=MUTED)
    return _Cell(
        STATUS_LABELS.get(str(status), str(status)),
        swatch=STATUS_COLOURS.get(str(status), "#FFFFFF"),
        colour=colour,
    )


def _change(record: dict[str, Any], other: dict | None, context: _Context, withheld: bool) -> _Cell:
    if other is None or withheld:
        return _Cell("–", colour=MUTED)
    if context.funder and bool(other.get("low_n")) and not fr.is_missing(other.get("low_n")):
        return _Cell("–", colour=MUTED)  # the change would give the hidden value away
    definition = context.catalogue.indicators.get(str(record["indicator_id"]))
    text = format_change(
        definition.unit if definition else None, record.get("value"), other.get("value")
    )
    return _Cell(text, colour=MUTED if text in ("–", "stable") else TEXT)


def _label_cell(
    record: dict[str, Any], context: _Context, withheld: bool, colour: str = TEXT
) -> _Cell:
    definition = context.catalogue.indicators.get(str(record["indicator_id"]))
    label = definition.label if definition else str(record["indicator_id"])
    note = record.get("note")
    show_note = not fr.is_missing(note) and not withheld and str(note).strip()
    return _Cell(label, colour=colour, note=str(note) if show_note else "")


def _judged_table(pdf: _ReportPDF, rows: list[tuple[dict, int | None]], context: _Context) -> None:
    columns = [
        _Column("Étape", 13),
        _Column("Indicateur", pdf.content_width - 121),
        _Column("Valeur", 27, "R"),
        _Column("n", 13, "R"),
        _Column("Statut", 32),
    ]
    tables = [
        (context.previous, context.previous_month),
        (context.year_ago, context.year_ago_month),
    ]
    compared = [(index, when) for index, when in tables if index is not None]
    for _index, when in compared:
        columns.append(_Column(f"vs {fr.month_short(when)}", 18, "R"))
    free = pdf.content_width - sum(c.width for c in columns)
    columns[1] = _Column("Indicateur", columns[1].width + free)
    body = []
    for record, rank in rows:
        value, n, withheld = _value_cells(record, context)
        definition = context.catalogue.indicators.get(str(record["indicator_id"]))
        stage = definition.stage if definition else None
        key = (str(record["territory_id"]), str(record["indicator_id"]))
        row = [
            _Cell(str(rank) if rank else "–", swatch=context.stage_colour(stage)),
            _label_cell(record, context, withheld),
            value,
            n,
            # A band would tell a funder roughly what the withheld value is.
            _status_cell(None if withheld else record.get("status")),
        ]
        row += [_change(record, index.get(key), context, withheld) for index, _ in compared]
        body.append(row)
    pdf.table(columns, body)


def _upcoming_table(
    pdf: _ReportPDF, rows: list[tuple[dict, int | None]], context: _Context
) -> None:
    columns = [
        _Column("Indicateur", pdf.content_width - 85),
        _Column("Valeur", 27, "R"),
        _Column("n", 26, "R"),
        _Column("Statut", 32),
    ]
    body = []
    for record, _rank in rows:
        value, n, withheld = _value_cells(record, context)
        body.append(
            [
                _label_cell(record, context, withheld, colour=GREYED),
                _Cell(value.text, italic=value.italic, colour=GREYED, small=value.small),
                _Cell(n.text, colour=GREYED, note=n.note),
                _status_cell(UPCOMING, colour=GREYED),
            ]
        )
    pdf.table(columns, body)


def _alerts(pdf: _ReportPDF, alerts: pd.DataFrame) -> None:
    columns = [_Column("Type", 40), _Column("Message", pdf.content_width - 40)]
    rows = [
        [
            _Cell(ALERT_KIND.get(str(a["kind"]), str(a["kind"])), bold=True),
            _Cell(str(a["message"])),
        ]
        for a in alerts.to_dict("records")
    ]
    pdf.table(columns, rows)


def _comments(pdf: _ReportPDF, comments: pd.DataFrame) -> None:
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
