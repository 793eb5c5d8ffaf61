"""Durability: funders of the territory's coordination (the support function)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.keys import month_index
from indicators.prepare import MonthGrid, Prepared
from indicators.registry import indicator
from indicators.results import month_result, notes, safe_divide
from indicators.timeline import end_month_index, interval_rows

NOTE_NO_FUNDING = "aucun financement de la coordination actif ce mois-ci"


def active_funding(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """Per grid row and funder: amount of the funding rows active that month (start_month ≤
    month ≤ end_month, open-ended when end_month is null), and the number of rows."""
    funding = prep.frames.funding
    t_code = (
        prep.territories.get_indexer(funding["territory_id"].astype("str"))
        if len(funding)
        else np.zeros(0, dtype="int64")
    )
    period, row = interval_rows(
        grid, t_code, month_index(funding["start_month"]), end_month_index(funding["end_month"])
    )
    active = pd.DataFrame(
        {
            "row": row,
            "funder": funding["funder"].astype("str").to_numpy()[period],
            "amount": pd.to_numeric(funding["amount_eur"]).to_numpy(dtype="float64")[period],
        }
    )
    return active.groupby(["row", "funder"], as_index=False).agg(
        amount=("amount", "sum"), rows=("amount", "size")
    )


@indicator("funding_sources", basis="month")
def funding_sources(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """Number of distinct funders of the coordination active that month (0 when none);
    n = funding rows active."""
    active = active_funding(prep, grid)
    size = len(grid)
    row = active["row"].to_numpy()
    value = np.bincount(row, minlength=size).astype("float64")
    n = np.bincount(row, weights=active["rows"].to_numpy(), minlength=size)
    return month_result(grid.territory_id, grid.month, value, n, notes(size))


@indicator("funding_hhi", basis="month")
def funding_hhi(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """Herfindahl–Hirschman index Σ share² of the amounts of the funders active that month
    (amounts of a funder's active rows summed; 1 = a single funder); n = distinct funders;
    undefined when no funding is active."""
    active = active_funding(prep, grid)
    size = len(grid)
    row = active["row"].to_numpy()
    amount = active["amount"].to_numpy()
    total = np.bincount(row, weights=amount, minlength=size)
    share = safe_divide(amount, total[row])
    value = np.bincount(row, weights=np.nan_to_num(share) ** 2, minlength=size)
    n = np.bincount(row, minlength=size)
    note = notes(size, (total <= 0, NOTE_NO_FUNDING))
    return month_result(grid.territory_id, grid.month, value, n, note)
