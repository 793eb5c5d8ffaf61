"""Survey freshness per territory and month."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.domain.freshness import survey_freshness

MONTH = dt.date(2026, 11, 1)


def test_last_wave_at_or_before_the_month_and_its_age() -> None:
    territories = pd.DataFrame(
        {
            "territory_id": ["a", "b", "c"],
            "start_date": [dt.date(2024, 1, 1), dt.date(2024, 1, 1), dt.date(2026, 2, 1)],
        }
    )
    waves = pd.DataFrame(
        {
            "territory_id": ["a", "a", "a", "b"],
            "wave_number": [0, 1, 2, 0],
            # a's wave 2 comes after November: its current wave is 1 (May 2026).
            "reference_month": pd.to_datetime(
                ["2024-02-01", "2026-05-01", "2026-12-01", "2026-03-01"]
            ),
            "respondents": [20, 18, 25, 9],
        }
    )
    frame = survey_freshness(territories, waves, MONTH).set_index("territory_id")
    # a: May → November is 6 months, fresh. b: March → 8 months, stale (> 7).
    # c: no wave; started in February, 9 months ago: stale.
    assert frame.loc["a", ["wave_number", "respondents", "age_months", "stale"]].tolist() == [
        1,
        18,
        6,
        False,
    ]
    assert frame.loc["a", "reference_month"] == dt.date(2026, 5, 1)
    assert frame.loc["b", ["age_months", "stale"]].tolist() == [8, True]
    assert pd.isna(frame.loc["c", "wave_number"]) and frame.loc["c", "reference_month"] is None
    assert frame.loc["c", ["age_months", "stale"]].tolist() == [9, True]
