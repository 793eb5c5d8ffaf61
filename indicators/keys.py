"""Month indices and integer keys: the vectorised lookups every indicator family shares.

A month is an int64 index (months since 1970-01); a (territory, month) pair is one sortable
int64 key, so that "the latest entry at or before this month" is a binary search.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

NO_MONTH = -(2**40)  # month index of a missing date that must never match
OPEN_END = 2**40  # month index of an open-ended period (no end date)
KEY_BASE = 2**32  # territory code * KEY_BASE + month index
_DENSE_LOOKUP_LIMIT = 50_000_000  # below this key range, a dense array answers lookups


def month_index(values: Any, missing: int = NO_MONTH) -> np.ndarray:
    """Months since 1970-01 (int64) of date-like values; ``missing`` where null."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if len(series) == 0:
        return np.zeros(0, dtype="int64")
    stamps = pd.to_datetime(series, errors="coerce").to_numpy()
    if stamps.dtype.kind != "M":  # e.g. all null, object dtype
        stamps = stamps.astype("datetime64[s]")
    out = stamps.astype("datetime64[M]").astype("int64")
    out[np.isnat(stamps)] = missing
    return out


def month_start(midx: np.ndarray) -> np.ndarray:
    """First day (datetime64[s]) of month indices."""
    return np.asarray(midx, dtype="int64").astype("datetime64[M]").astype("datetime64[s]")


def territory_month_key(t_code: np.ndarray, midx: np.ndarray) -> np.ndarray:
    """A sortable int64 key of (territory code, month index)."""
    return np.asarray(t_code, dtype="int64") * KEY_BASE + np.asarray(midx, dtype="int64")


def asof(sorted_keys: np.ndarray, sorted_t: np.ndarray, t_code: np.ndarray, midx: np.ndarray):
    """For each query (territory, month): position in ``sorted_keys`` of the last entry of the
    same territory at or before that month, or -1."""
    if len(sorted_keys) == 0:
        return np.full(len(t_code), -1, dtype="int64")
    query = territory_month_key(t_code, midx)
    pos = np.searchsorted(sorted_keys, query, side="right") - 1
    ok = (pos >= 0) & (t_code >= 0)
    ok[ok] = sorted_t[pos[ok]] == t_code[ok]
    return np.where(ok, pos, -1)


class KeyLookup:
    """Position of int64 keys in a sorted unique key array (-1 when absent)."""

    def __init__(self, sorted_keys: np.ndarray) -> None:
        self.keys = np.asarray(sorted_keys, dtype="int64")
        size = int(self.keys[-1]) + 1 if len(self.keys) else 0
        self._dense: np.ndarray | None = None
        if size <= _DENSE_LOOKUP_LIMIT:
            dense = np.full(size, -1, dtype="int64")
            dense[self.keys] = np.arange(len(self.keys))
            self._dense = dense

    def __call__(self, query: np.ndarray) -> np.ndarray:
        query = np.asarray(query, dtype="int64")
        if len(self.keys) == 0:
            return np.full(len(query), -1, dtype="int64")
        if self._dense is not None:
            inside = (query >= 0) & (query < len(self._dense))
            out = np.full(len(query), -1, dtype="int64")
            out[inside] = self._dense[query[inside]]
            return out
        pos = np.clip(np.searchsorted(self.keys, query), 0, len(self.keys) - 1)
        return np.where(self.keys[pos] == query, pos, -1)
