"""A territory's journey through the programme: where it is in its months, and which
territories a month concerns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from data.domain.months import months_between

NOT_STARTED = "pas commencé"


def journey_month(start: dt.date, month: dt.date) -> int:
    """The month of the journey ``month`` is, from 1 (the start month); 0 or less before."""
    return months_between(start, month) + 1


def journey_label(start: dt.date, month: dt.date, duration_months: int) -> str:
    """« 12 / 36 » (capped at the duration once the journey has ended), or « pas commencé ».

    >>> journey_label(dt.date(2023, 12, 1), dt.date(2026, 11, 1), 36)
    '36 / 36'
    """
    position = journey_month(start, month)
    if position <= 0:
        return NOT_STARTED
    return f"{min(position, duration_months)} / {duration_months}"


def active_territories(
    territory_ids: Iterable[str], starts: Iterable[dt.date], month: dt.date, duration_months: int
) -> list[str]:
    """The territories whose journey includes ``month`` (from their start month to the month
    after their last, when their closing wave may still come in), in the given order."""
    return [
        territory
        for territory, start in zip(territory_ids, starts, strict=True)
        if 0 <= months_between(start, month) <= duration_months
    ]


def default_compared(
    territories: pd.DataFrame, month: dt.date, duration_months: int, limit: int
) -> list[str]:
    """The territories an overview compares by default: those active in ``month``, or all
    of them when none is, at most ``limit`` (``territories``: territory_id, start_date, in
    display order)."""
    ids = list(territories["territory_id"])
    active = active_territories(ids, territories["start_date"], month, duration_months)
    return (active or ids)[:limit]
