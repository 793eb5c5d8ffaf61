"""Quality reports: generic checks with severity, French message, rows, columns and a hint.

Used by the file import and, later, by the monthly journal's checks: nothing here knows about
files or surveys. Row numbers are those a spreadsheet shows (header and title rows counted).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from data import fr

MAX_STORED_ROWS = 500  # rows kept per check in the stored report (the count keeps the total)
MAX_SHOWN_ROWS = 12  # rows named in a message before "… et N autres"
MAX_CELLS = 8  # example cells kept per check


class Severity(StrEnum):
    """How much a failed check weighs: an error refuses, a warning informs."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "ERREUR", "warning": "AVERTISSEMENT", "info": "INFO"}[self.value]


@dataclass(frozen=True)
class Cell:
    """One offending cell: its row, its column and the value read there."""

    row: int | None
    column: str | None
    value: str | None

    def describe(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"ligne {self.row}")
        if self.column:
            parts.append(f"colonne {self.column}")
        where = ", ".join(parts)
        shown = "(vide)" if self.value in (None, "") else f"« {shorten(str(self.value), 60)} »"
        return f"{where} : {shown}" if where else shown


@dataclass
class CheckResult:
    """One failed check (or an informational note)."""

    check_id: str
    severity: Severity
    message: str
    hint: str = ""
    rows: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    count: int = 0
    cells: list[Cell] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.severity = Severity(self.severity)
        self.rows = sorted({int(r) for r in self.rows})
        self.columns = list(dict.fromkeys(self.columns))
        if not self.count:
            self.count = len(self.rows)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["rows"] = self.rows[:MAX_STORED_ROWS]
        data["rows_total"] = len(self.rows)
        data["cells"] = [asdict(c) for c in self.cells[:MAX_CELLS]]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        return cls(
            check_id=data["check_id"],
            severity=Severity(data["severity"]),
            message=data["message"],
            hint=data.get("hint", ""),
            rows=list(data.get("rows", [])),
            columns=list(data.get("columns", [])),
            count=int(data.get("count", 0)),
            cells=[Cell(**c) for c in data.get("cells", [])],
        )

    def _details(self) -> list[tuple[str, str]]:
        """(kind, text) of what follows the message: where (rows, columns), example cells,
        and what to do."""
        details = []
        where = []
        if self.rows:
            where.append(rows_phrase(self.rows).capitalize())
        if self.columns:
            label = "Colonne" if len(self.columns) == 1 else "Colonnes"
            where.append(f"{label} : {shorten(', '.join(self.columns), 300)}")
        if where:
            details.append(("where", " — ".join(where)))
        details.extend(("cell", cell.describe()) for cell in self.cells[:MAX_CELLS])
        if self.hint:
            details.append(("hint", f"Que faire : {self.hint}"))
        return details

    def render_lines(self) -> list[str]:
        """The check as indented lines of text, for a terminal or a log."""
        lines = [f"[{self.severity.label}] {self.message}"]
        for kind, text in self._details():
            lines.append(f"    · {text}" if kind == "cell" else f"    {text}")
        return lines

    def render_markdown(self) -> str:
        """The check as Markdown for the dashboard: the message, then a bullet per detail."""
        lines = [f"**{fr.literal(self.message)}**"]
        lines.extend("- " + fr.literal(text) for _, text in self._details())
        return "\n".join(lines)


@dataclass
class Report:
    """The checks of one subject (a file, a journal entry) and what was read from it."""

    subject: str
    checks: list[CheckResult] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, check: CheckResult) -> CheckResult:
        self.checks.append(check)
        return check

    def extend(self, checks: Iterable[CheckResult]) -> None:
        self.checks.extend(checks)

    @property
    def errors(self) -> list[CheckResult]:
        return [c for c in self.checks if c.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[CheckResult]:
        return [c for c in self.checks if c.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return any(c.is_error for c in self.checks)

    def find(self, check_id: str) -> CheckResult | None:
        for check in self.checks:
            if check.check_id == check_id:
                return check
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "context": self.context,
            "counts": self.counts,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "checks": [c.to_dict() for c in self.checks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            subject=data["subject"],
            checks=[CheckResult.from_dict(c) for c in data.get("checks", [])],
            context=dict(data.get("context", {})),
            counts=dict(data.get("counts", {})),
        )

    def render_checks(self) -> list[str]:
        """Errors first, then warnings, then notes."""
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        lines: list[str] = []
        for check in sorted(self.checks, key=lambda c: order[c.severity]):
            lines.extend(check.render_lines())
        return lines


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``3 réponses``, ``1 réponse``, with French number formatting."""
    word = singular if abs(count) < 2 else (plural_form or singular + "s")
    return f"{fr.number(count)} {word}"


def enumerate_fr(items: Sequence[str], limit: int = MAX_SHOWN_ROWS) -> str:
    """``a, b et c``; beyond ``limit``: ``a, b, c… (et 12 autres)``."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) > limit:
        rest = len(items) - limit
        return f"{', '.join(items[:limit])}… (et {fr.number(rest)} autre{'s' if rest > 1 else ''})"
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} et {items[-1]}"


def rows_phrase(rows: Sequence[int]) -> str:
    """``ligne 4`` / ``lignes 4, 7 et 9`` (spreadsheet numbering)."""
    if len(rows) == 1:
        return f"ligne {rows[0]}"
    return f"lignes {enumerate_fr([str(r) for r in rows])}"


def quoted(values: Iterable[Any], limit: int = 6) -> str:
    """``« a », « b »`` for distinct values, at most ``limit``."""
    distinct = list(dict.fromkeys("" if v is None else str(v) for v in values))
    shown = [f"« {shorten(v, 40)} »" if v != "" else "(vide)" for v in distinct[:limit]]
    rest = len(distinct) - limit
    more = f"… (et {rest} autre{'s' if rest > 1 else ''})" if rest > 0 else ""
    return ", ".join(shown) + more


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
