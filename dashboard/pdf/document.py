"""The report's A4 document: an fpdf2 subclass and its drawing primitives.

:class:`ReportPDF` embeds the DejaVu Sans shipped in ``fonts/`` (regular, bold, oblique; the
Bitstream Vera licence beside them), so every French character is drawn the same on any
machine: « œ », « — », « ≥ », the narrow no-break space of French thousands. It repeats a
running title in the header of every page but the first and « page n / N » in the footer.

Primitives: :meth:`ReportPDF.heading`, :meth:`ReportPDF.paragraph`, :meth:`ReportPDF.swatch`
(a small colour square, always beside a label), and :meth:`ReportPDF.table`, whose cells
(:class:`Cell`) wrap, may carry a swatch and a smaller grey note, and whose header row
(:class:`Column`) is repeated after a page break. Sizes are in millimetres, text in points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FONTS = resources.files("dashboard.pdf") / "fonts"  # package data (pyproject.toml)

TEXT = "#1F2430"
MUTED = "#5B6475"
GREYED = "#8A8F99"
RULE = "#D5D9E0"
HEADER_FILL = "#EEF0F3"
BRAND = "#0072B2"

PAGE_MARGIN = 14.0
BODY_SIZE = 8.5
TABLE_SIZE = 8.0
LINE = 4.0
NOTE_LINE = 3.4
PAD = 1.3
SWATCH = 3.0


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "L"


@dataclass(frozen=True)
class Cell:
    text: str
    swatch: str | None = None  # hex colour of a small square before the text
    bold: bool = False
    italic: bool = False
    colour: str = TEXT
    note: str = ""  # a smaller grey line under the text
    small: bool = False  # one point smaller than the table's text


def rgb(colour: str) -> tuple[int, int, int]:
    """``"#0072B2"`` → ``(0, 114, 178)``."""
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


# A laid-out row: its height and, per cell, the cell with its text lines and note lines.
Layout = tuple[float, list[tuple[Cell, list[str], list[str]]]]


class ReportPDF(FPDF):
    """A4 portrait in millimetres with the shipped DejaVu Sans; ``running_title`` heads every
    page after the first (followed by :attr:`section` when set), ``generated`` (a French
    date) is printed in every footer."""

    def __init__(self, running_title: str, generated: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        for style, name in FONT_FILES.items():
            with resources.as_file(FONTS / name) as path:
                self.add_font(FONT_FAMILY, style, path)
        self.running_title = running_title
        self.section = ""  # e.g. the territory of the page, repeated in the running header
        self.generated = generated
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.c_margin = 0  # cells pad themselves (PAD): text uses the whole column width
        self.set_auto_page_break(True, margin=PAGE_MARGIN + 4)
        self.alias_nb_pages()

    def font(self, size: float = BODY_SIZE, style: str = "", colour: str = TEXT) -> None:
        self.set_font(FONT_FAMILY, style, size)
        self.set_text_color(*rgb(colour))

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
        self.set_draw_color(*rgb(RULE))
        self.line(self.l_margin, self.get_y() - 1.5, self.w - self.r_margin, self.get_y() - 1.5)
        self.cell(self.content_width / 2, 4, f"Coopérascope · généré le {self.generated}")
        self.cell(self.content_width / 2, 4, f"page {self.page_no()} / {{nb}}", align="R")

    # ------------------------------------------------------------------ building blocks
    def swatch(self, x: float, y: float, colour: str, size: float = SWATCH) -> None:
        self.set_fill_color(*rgb(colour))
        self.set_draw_color(*rgb("#4A5160"))
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
        columns: Sequence[Column],
        rows: Sequence[Sequence[Cell]],
        size: float = TABLE_SIZE,
    ) -> None:
        """A table whose cells wrap; the header row is repeated after a page break."""
        header = self._layout(
            columns, [Cell(c.title, bold=True, colour=MUTED) for c in columns], size - 0.5
        )
        self._row(columns, header, size - 0.5, fill=HEADER_FILL)
        for row in rows:
            laid_out = self._layout(columns, row, size)
            if laid_out[0] + self.get_y() > self.page_break_trigger:
                self.add_page()
                self._row(columns, header, size - 0.5, fill=HEADER_FILL)
            self._row(columns, laid_out, size)
        self.set_x(self.l_margin)

    def _text_width(self, column: Column, cell: Cell) -> float:
        return column.width - 2 * PAD - (SWATCH + 1.2 if cell.swatch else 0)

    def _layout(
        self, columns: Sequence[Column], cells: Sequence[Cell], size: float = TABLE_SIZE - 0.5
    ) -> Layout:
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
        columns: Sequence[Column],
        laid_out: Layout,
        size: float,
        fill: str | None = None,
    ) -> None:
        height, cells = laid_out
        top, x = self.get_y(), self.l_margin
        total = sum(c.width for c in columns)
        if fill:
            self.set_fill_color(*rgb(fill))
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
        self.set_draw_color(*rgb(RULE))
        self.set_line_width(0.2)
        self.line(self.l_margin, top + height, self.l_margin + total, top + height)
        self.set_xy(self.l_margin, top + height)


def _style(cell: Cell) -> str:
    return ("B" if cell.bold else "") + ("I" if cell.italic else "")
