"""French formatting of numbers, percentages, dates and months (1 234,5 ; 23/11/2026)."""

from __future__ import annotations

import datetime as dt
import math

NBSP = "\u202f"  # narrow no-break space, the French thousands separator
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
MONTHS_SHORT = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def number(value: float | int | None, decimals: int = 0) -> str:
    """``1234.5`` → ``1 234,5``; missing values → ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def percent(fraction: float | None, decimals: int = 0) -> str:
    """``0.256`` → ``26 %``."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "–"
    return f"{number(fraction * 100, decimals)}\u00a0%"


def date(value: dt.date | None) -> str:
    """``2026-11-23`` → ``23/11/2026``."""
    return value.strftime("%d/%m/%Y") if value else "–"


def month(value: dt.date) -> str:
    """``2026-11-01`` → ``novembre 2026``."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def month_short(value: dt.date) -> str:
    """``2026-11-01`` → ``nov. 2026``."""
    return f"{MONTHS_SHORT[value.month - 1]} {value.year}"
