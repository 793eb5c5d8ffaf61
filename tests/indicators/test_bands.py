"""Status bands by territory stage, « à venir », low n."""

from __future__ import annotations

import numpy as np
import pytest

from indicators.bands import STATUS_LABELS, band_status, statuses
from indicators.catalogue import IndicatorDef


@pytest.mark.parametrize(
    ("value", "status"),
    [(4.0, "strength"), (3.99, "discuss"), (3.0, "discuss"), (2.99, "watch"), (5.0, "strength")],
)
def test_wilder_bands(catalogue, value, status):
    result = band_status(catalogue["factor_confiance"], value, 20, "emergence", catalogue)
    assert (result.status, result.low_n) == (status, False)


def test_later_stage_indicator_is_upcoming_whatever_its_value(catalogue):
    # Retention belongs to the coalition stage: for a territory in structuration, « à venir ».
    assert band_status(catalogue["retention"], 0.1, 30, "structuration", catalogue).status == (
        "upcoming"
    )
    assert band_status(catalogue["retention"], None, 0, "emergence", catalogue).status == (
        "upcoming"
    )
    assert band_status(catalogue["retention"], 0.1, 30, "coalition", catalogue).status == "watch"
    assert STATUS_LABELS["upcoming"] == "à venir"


def test_the_grid_depends_on_the_territory_stage(catalogue):
    density = catalogue["interconnaissance_density"]
    # 0.28: a force for a young cooperation, a point de vigilance for a consolidated one.
    assert band_status(density, 0.28, 20, "emergence", catalogue).status == "strength"
    assert band_status(density, 0.28, 20, "structuration", catalogue).status == "discuss"
    assert band_status(density, 0.28, 20, "consolidation", catalogue).status == "watch"


def test_lower_is_better(catalogue):
    hhi = catalogue["funding_hhi"]
    assert band_status(hhi, 0.3, 3, "coalition", catalogue).status == "strength"
    assert band_status(hhi, 0.5, 3, "coalition", catalogue).status == "discuss"
    assert band_status(hhi, 1.0, 1, "coalition", catalogue).status == "watch"


def test_boundaries_tolerate_rounding(catalogue):
    # 0.1 + 0.2 = 0.30000000000000004 must still read as « ≥ 0.3 ».
    value = 0.1 + 0.2
    result = band_status(catalogue["cross_sector_share"], value, 10, "emergence", catalogue)
    assert result.status == "discuss"


def test_low_n_keeps_the_value_and_flags_it(catalogue):
    result = band_status(catalogue["factor_confiance"], 4.5, 4, "emergence", catalogue)
    assert (result.status, result.low_n) == ("strength", True)
    missing = band_status(catalogue["factor_confiance"], None, 0, "emergence", catalogue)
    assert (missing.status, missing.low_n) == (None, False)
    assert band_status(catalogue["factor_confiance"], float("nan"), 3, "emergence", catalogue) == (
        missing
    )


def test_neutral_indicator_is_unrated(catalogue):
    neutral = IndicatorDef(
        label="x", definition="x", stage="emergence", family="network", unit="index",
        direction="neutral", min_n=0,
    )  # fmt: skip
    status, low_n = statuses(
        neutral,
        np.array([0.5, np.nan]),
        np.array([True, False]),
        np.array([1, 0]),
        np.array([1, 1]),
        catalogue,
    )
    assert status.tolist() == ["unrated", None] and low_n.tolist() == [False, False]
