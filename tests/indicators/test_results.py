"""Result builders: a value is missing exactly where a note says why."""

from __future__ import annotations

import numpy as np

from indicators.results import NOTE_NOT_COMPUTABLE, notes, safe_divide, wave_result


def test_first_matching_rule_wins():
    got = notes(
        3, (np.array([True, False, False]), "first"), (np.array([True, True, False]), "second")
    )
    assert got.tolist() == ["first", "second", None]


def test_safe_divide_leaves_nan_only_where_the_denominator_is_zero():
    assert np.isnan(safe_divide(np.array([1, 0]), np.array([0, 0]))).all()
    assert safe_divide(np.array([1, 3]), np.array([4, 2])).tolist() == [0.25, 1.5]


def test_no_silent_nan():
    result = wave_result(
        np.array([1, 2, 3]),
        np.array([0.5, np.nan, np.nan]),
        np.array([4, 0, 2]),
        np.array([None, "undefined here", None], dtype=object),
    )
    assert result["value"].isna().tolist() == [False, True, True]
    assert result["note"].tolist() == [None, "undefined here", NOTE_NOT_COMPUTABLE]
    assert str(result["value"].dtype) == "Float64" and str(result["n"].dtype) == "int64"
