"""A territory's position in its journey, and the territories a month concerns."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.domain.journey import active_territories, default_compared, journey_label

START = dt.date(2024, 6, 1)


def test_journey_label_counts_the_start_month_as_the_first() -> None:
    # June 2024 is month 1, so November 2026 is 12 × 2 + 5 + 1 = month 30.
    assert journey_label(START, dt.date(2024, 6, 1), 36) == "1 / 36"
    assert journey_label(START, dt.date(2026, 11, 1), 36) == "30 / 36"


def test_journey_label_before_the_start_and_after_the_end() -> None:
    assert journey_label(START, dt.date(2024, 5, 1), 36) == "pas commencé"
    # 40 months after the start is past the 36 months: shown as finished, not 41 / 36.
    assert journey_label(START, dt.date(2027, 10, 1), 36) == "36 / 36"


def test_active_territories_include_the_closing_month() -> None:
    ids = ["a", "b", "c"]
    starts = [dt.date(2023, 11, 1), dt.date(2023, 10, 1), dt.date(2026, 12, 1)]
    # November 2026: a is 36 months after its start (its closing month), b 37 (over),
    # c starts in December.
    assert active_territories(ids, starts, dt.date(2026, 11, 1), 36) == ["a"]


def test_default_compared_falls_back_to_all_and_keeps_the_limit() -> None:
    territories = pd.DataFrame(
        {
            "territory_id": ["a", "b", "c"],
            "start_date": [dt.date(2030, 1, 1), dt.date(2030, 2, 1), dt.date(2030, 3, 1)],
        }
    )
    # No territory has started in 2026: all of them, in order, at most two.
    assert default_compared(territories, dt.date(2026, 11, 1), 36, limit=2) == ["a", "b"]
    assert default_compared(territories, dt.date(2030, 2, 1), 36, limit=2) == ["a", "b"]
    assert default_compared(territories, dt.date(2030, 1, 1), 36, limit=2) == ["a"]
