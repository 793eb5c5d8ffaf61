"""Months as absolute indexes (year × 12 + month − 1), so that calendars are numpy arithmetic."""

from __future__ import annotations

import datetime as dt

import numpy as np


def month_index(day: dt.date) -> int:
    """The absolute index of ``day``'s month: ``month_index(date(2024, 3, 5)) == 24290``."""
    return day.year * 12 + day.month - 1


def month_days(index: int | np.ndarray) -> np.ndarray:
    """First days (``datetime64[D]``) of absolute month indexes."""
    months = np.asarray(index, dtype=np.int64) - 1970 * 12
    return months.astype("datetime64[M]").astype("datetime64[D]")


def last_wave_month(duration: int, interval: int) -> int:
    """The month, counted from a territory's start, of its last survey wave: the programme's
    ``duration`` rounded up to whole ``interval``s (36 for 36 months and a wave every 6)."""
    return duration + (-duration) % interval
