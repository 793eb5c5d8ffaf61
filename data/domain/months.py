"""Months as first days of month: the programme's calendar."""

from __future__ import annotations

import datetime as dt
import os


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def current_month() -> dt.date:
    """The programme's current month; ``COOPERASCOPE_TODAY`` (ISO date) pins it for demos and
    tests."""
    pinned = os.environ.get("COOPERASCOPE_TODAY")
    return first_of_month(dt.date.fromisoformat(pinned) if pinned else dt.date.today())


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start``'s month to ``end``'s month (0 for the same month)."""
    return (end.year - start.year) * 12 + end.month - start.month


def month_range(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every month from ``start`` to ``end`` inclusive."""
    return [add_months(first_of_month(start), i) for i in range(months_between(start, end) + 1)]
