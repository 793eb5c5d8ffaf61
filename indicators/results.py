"""Builders of indicator results: a value is NA exactly where a note says why."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Used only if a defined value turned out not to be a finite number (a bug upstream): the
# figure is then withheld with this note rather than shown as a silent NaN.
NOTE_NOT_COMPUTABLE = "valeur non calculable"


def notes(size: int, *rules: tuple[np.ndarray, str]) -> np.ndarray:
    """An object array of notes: for each row, the message of the first rule that holds, else
    None."""
    out = np.full(size, None, dtype=object)
    for condition, message in reversed(rules):
        out[np.asarray(condition, dtype=bool)] = message
    return out


def _finish(value: np.ndarray, n: np.ndarray, note: np.ndarray) -> tuple[pd.array, np.ndarray]:
    value = np.asarray(value, dtype="float64")
    note = np.asarray(note, dtype=object).copy()
    undefined = ~pd.isna(note)
    bad = ~undefined & ~np.isfinite(value)
    if bad.any():
        note[bad] = NOTE_NOT_COMPUTABLE
        undefined |= bad
    clean = np.where(undefined, 0.0, value)
    values = pd.arrays.FloatingArray(clean, undefined.copy())
    return values, note


def wave_result(
    wave_ids: np.ndarray, value: np.ndarray, n: np.ndarray, note: np.ndarray
) -> pd.DataFrame:
    """DataFrame[wave_id, value (Float64), n (int64), note] of a wave-based indicator."""
    values, note = _finish(value, n, note)
    return pd.DataFrame(
        {
            "wave_id": np.asarray(wave_ids, dtype="int64"),
            "value": values,
            "n": np.asarray(n, dtype="int64"),
            "note": pd.Series(note, dtype=object),
        }
    )


def month_result(
    territory_id: np.ndarray,
    month: np.ndarray,
    value: np.ndarray,
    n: np.ndarray,
    note: np.ndarray,
) -> pd.DataFrame:
    """DataFrame[territory_id, month, value (Float64), n (int64), note] of a month-based
    indicator."""
    values, note = _finish(value, n, note)
    return pd.DataFrame(
        {
            "territory_id": pd.array(territory_id, dtype="str"),
            "month": month,
            "value": values,
            "n": np.asarray(n, dtype="int64"),
            "note": pd.Series(note, dtype=object),
        }
    )


def safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den as floats, NaN where den == 0 (callers attach a note there)."""
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out
