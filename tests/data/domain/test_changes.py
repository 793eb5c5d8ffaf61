"""A territory's indicators this month, the month before and a year before."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.config import get_config
from data.domain.changes import change_size, indicator_changes

MONTH = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def catalogue():  # type: ignore[no-untyped-def]
    return get_config().load_catalogue()


def test_three_months_side_by_side_in_catalogue_order(catalogue) -> None:  # type: ignore[no-untyped-def]
    values = pd.DataFrame(
        [
            ("trust_score", MONTH, 3.1, "discuss"),
            ("trust_score", dt.date(2026, 10, 1), 3.0, "discuss"),
            ("interconnaissance_density", MONTH, 0.42, "strength"),
            ("interconnaissance_density", dt.date(2025, 11, 1), 0.30, "discuss"),
            # Only a previous value: not listed, it has no row this month.
            ("coordination_density", dt.date(2026, 10, 1), 0.1, "watch"),
        ],
        columns=["indicator_id", "month", "value", "status"],
    )
    changes = indicator_changes(values, catalogue.indicators, MONTH)
    # The catalogue lists interconnaissance_density (emergence) before trust_score.
    assert list(changes["indicator_id"]) == ["interconnaissance_density", "trust_score"]
    density = changes.iloc[0]
    assert (density["value"], density["year_ago_value"], density["status"]) == (
        0.42,
        0.30,
        "strength",
    )
    assert pd.isna(density["previous_value"])
    assert (density["stage"], density["unit"]) == ("emergence", "ratio")
    trust = changes.iloc[1]
    assert (trust["value"], trust["previous_value"]) == (3.1, 3.0)
    assert pd.isna(trust["year_ago_value"])


@pytest.mark.parametrize(
    ("unit", "current", "before", "size"),
    [
        ("ratio", 0.30, 0.20, 0.10),  # ten points of a 0–1 scale
        ("score_1_5", 3.0, 4.0, 0.25),  # one point of a 4-point span
        ("score_1_4", 2.5, 1.0, 0.5),  # 1.5 of a 3-point span
        ("count", 30, 40, 0.25),  # a quarter of the previous count
        ("count", 3, 0, 1.0),  # from nothing: a whole change
        ("count", 0, 0, 0.0),
        ("index", 0.5, None, None),
    ],
)
def test_change_sizes_compare_across_units(unit, current, before, size) -> None:  # type: ignore[no-untyped-def]
    result = change_size(unit, current, before)
    assert result == (None if size is None else pytest.approx(size))
