"""Month-based helpers shared by the journal, action and funding families."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.keys import KEY_BASE, OPEN_END, asof, month_index, territory_month_key
from indicators.prepare import MonthGrid, Prepared


def journal_table(prep: Prepared) -> pd.DataFrame:
    """Journals with t_code, midx and a sortable key, sorted by territory and month.

    If two journals share a territory and month (the database forbids it), the one with the
    highest id is kept.
    """

    def build() -> pd.DataFrame:
        j = prep.frames.journals
        table = pd.DataFrame(
            {
                "journal_id": pd.to_numeric(j["journal_id"]).to_numpy(dtype="int64"),
                "t_code": prep.territories.get_indexer(j["territory_id"].astype("str"))
                if len(j)
                else np.zeros(0, dtype="int64"),
                "midx": month_index(j["month"]),
                "interviews_done": pd.to_numeric(j["interviews_done"]).to_numpy(dtype="int64"),
                "interviews_planned": pd.to_numeric(j["interviews_planned"]).to_numpy(
                    dtype="int64"
                ),
                "tools_reused": pd.to_numeric(j["tools_reused"]).to_numpy(dtype="int64"),
            }
        )
        table = table[table["t_code"] >= 0]
        table = table.sort_values(["t_code", "midx", "journal_id"], kind="stable")
        table = table.drop_duplicates(["t_code", "midx"], keep="last").reset_index(drop=True)
        table["key"] = territory_month_key(table["t_code"].to_numpy(), table["midx"].to_numpy())
        return table

    return prep.cached("journal_table", build)


def latest_at_or_before(table: pd.DataFrame, grid: MonthGrid) -> np.ndarray:
    """Row of ``table`` (sorted by key, with t_code and key columns) that is the territory's
    latest at or before each grid month, -1 if none."""
    return asof(table["key"].to_numpy(), table["t_code"].to_numpy(), grid.t_code, grid.midx)


def same_month(table: pd.DataFrame, grid: MonthGrid) -> np.ndarray:
    """Row of ``table`` for exactly each grid month, -1 if none."""
    pos = latest_at_or_before(table, grid)
    found = pos >= 0
    found[found] = table["midx"].to_numpy()[pos[found]] == grid.midx[found]
    return np.where(found, pos, -1)


def interval_rows(
    grid: MonthGrid, t_code: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For periods (territory, first month, last month — ``OPEN_END`` if open), the grid rows
    they cover: returns (period index, grid row) for every covered row."""
    known = grid.t_code >= 0
    rows = np.nonzero(known)[0]
    keys = territory_month_key(grid.t_code[rows], grid.midx[rows])
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    rows = rows[order]
    start = np.maximum(np.asarray(start, dtype="int64"), 0)
    end = np.minimum(np.asarray(end, dtype="int64"), KEY_BASE - 1)
    valid = (np.asarray(t_code) >= 0) & (np.asarray(start) <= end)
    lo = np.searchsorted(keys, territory_month_key(t_code, start), side="left")
    hi = np.searchsorted(keys, territory_month_key(t_code, end), side="right")
    lengths = np.where(valid, hi - lo, 0)
    period = np.repeat(np.arange(len(lengths)), lengths)
    offsets = np.repeat(lo - np.cumsum(lengths) + lengths, lengths)
    covered = rows[offsets + np.arange(lengths.sum())] if lengths.sum() else rows[:0]
    return period, covered


def end_month_index(values: pd.Series) -> np.ndarray:
    """Month index of end dates, ``OPEN_END`` where null (still running)."""
    return month_index(values, missing=OPEN_END)
