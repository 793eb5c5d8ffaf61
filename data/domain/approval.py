"""Which month of each territory a reader who sees approved months only is shown.

Approval runs territory by territory: in a given month some territories are approved and
others not yet. Such a reader (a funder) sees each territory at its latest approved month at
or before the month chosen — never an empty line because one territory was approved before
the others — and is told which month that is, or that nothing is approved yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

NOT_YET_APPROVED = "pas encore approuvé"


def presented_months(
    approved: pd.DataFrame, territory_ids: Iterable[str], month: dt.date
) -> dict[str, dt.date | None]:
    """Each territory's latest approved month at or before ``month`` (None: none yet).

    ``approved``: the approved journals (territory_id, month as dates)."""
    earlier = approved[approved["month"] <= month]
    latest = earlier.groupby("territory_id")["month"].max().to_dict()
    return {territory: latest.get(territory) for territory in territory_ids}


def approved_months(approved: pd.DataFrame) -> list[dt.date]:
    """The months with at least one approved territory, newest first: what a reader of
    approved months is offered."""
    return sorted(set(approved["month"]), reverse=True)
