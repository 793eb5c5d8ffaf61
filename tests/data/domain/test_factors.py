"""The factor profile per year, the radar's input."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.domain.factors import yearly_factor_profile


def test_each_years_last_score_up_to_the_month() -> None:
    values = pd.DataFrame(
        [
            ("factor_confiance", dt.date(2025, 5, 1), 3.0, 12),
            ("factor_confiance", dt.date(2025, 11, 1), 3.4, 14),
            ("factor_confiance", dt.date(2026, 5, 1), 3.8, 15),
            ("factor_confiance", dt.date(2026, 11, 1), None, 0),  # no value: skipped
            ("factor_confiance", dt.date(2027, 1, 1), 4.2, 16),  # after the month: left out
            ("factor_vision", dt.date(2026, 5, 1), 2.9, 15),
            ("trust_score", dt.date(2026, 5, 1), 3.0, 40),  # not a factor
        ],
        columns=["indicator_id", "month", "value", "n"],
    )
    profile = yearly_factor_profile(values, ["confiance", "vision"], dt.date(2026, 11, 1))
    rows = sorted(profile.itertuples(index=False, name=None))
    # 2025: November's 3.4 (not May's 3.0); 2026: May's 3.8 (November has no value).
    assert rows == [
        (2025, "confiance", 3.4, 14),
        (2026, "confiance", 3.8, 15),
        (2026, "vision", 2.9, 15),
    ]
