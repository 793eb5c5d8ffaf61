"""Month helpers: periods over the month grid, same-month lookups."""

from __future__ import annotations

import numpy as np

from indicators.keys import OPEN_END, month_index
from indicators.prepare import month_grid
from indicators.timeline import interval_rows, journal_table, same_month


def test_interval_rows_stay_within_their_territory(builder, prep_of):
    builder.journal("2024-01-01", territory="a")
    builder.journal("2024-01-01", territory="b")
    prep = prep_of(builder.build())
    months = ["2024-01-01", "2024-02-01", "2024-03-01"]
    grid = month_grid(prep, {"a": months, "b": months})
    t_a, t_b = prep.territories.get_indexer(["a", "b"])
    feb, mar = month_index(["2024-02-01", "2024-03-01"])
    period, rows = interval_rows(
        grid,
        np.array([t_a, t_b, t_a]),
        np.array([feb, mar, mar]),
        np.array([OPEN_END, OPEN_END, feb]),  # the last period ends before it starts
    )
    covered = sorted(
        (int(p), str(grid.territory_id[r]), str(grid.month[r])[:7])
        for p, r in zip(period, rows, strict=True)
    )
    assert covered == [(0, "a", "2024-02"), (0, "a", "2024-03"), (1, "b", "2024-03")]


def test_same_month_needs_the_exact_month(builder, prep_of):
    builder.journal("2024-01-01")
    prep = prep_of(builder.build())
    grid = month_grid(prep, {"t": ["2024-01-01", "2024-02-01"]})
    assert same_month(journal_table(prep), grid).tolist() == [0, -1]
