"""Funders of the coordination: number and concentration (HHI)."""

from __future__ import annotations

import pytest

from indicators.durability import NOTE_NO_FUNDING


@pytest.fixture
def funded(builder, prep_of):
    builder.funding("Fondation de France", "2024-01-01", "2024-12-01", amount=60_000)
    builder.funding("Région", "2024-03-01", amount=30_000)  # open-ended
    # The same funder twice at once is one funder; its amounts add up.
    builder.funding("Département", "2025-01-01", "2025-06-01", amount=10_000)
    builder.funding("Département", "2025-01-01", "2025-03-01", amount=20_000)
    builder.funding("Other", "2024-01-01", amount=1.0, territory="elsewhere")
    return prep_of(builder.build())


def test_funding_sources(funded, month_values):
    got = month_values(funded, "funding_sources", ["2023-12", "2024-02", "2024-04", "2025-02"])
    assert got["2023-12"] == (0.0, 0, None)
    assert got["2024-02"] == (1.0, 1, None)
    assert got["2024-04"] == (2.0, 2, None)
    # Région (open) + Département (two rows) → 2 funders from 3 rows.
    assert got["2025-02"] == (2.0, 3, None)


def test_funding_hhi(funded, month_values):
    got = month_values(funded, "funding_hhi", ["2023-12", "2024-02", "2024-04", "2025-02"])
    assert got["2023-12"] == (None, 0, NOTE_NO_FUNDING)
    assert got["2024-02"] == (1.0, 1, None)  # a single funder
    # 60k and 30k: (2/3)² + (1/3)² = 5/9.
    assert got["2024-04"] == (pytest.approx(5 / 9), 2, None)
    # Région 30k, Département 10k + 20k = 30k: 0.5² + 0.5² = 0.5.
    assert got["2025-02"] == (pytest.approx(0.5), 2, None)
