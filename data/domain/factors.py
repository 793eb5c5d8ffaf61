"""The seven cooperation factors of a territory, year by year (the radar's input)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

FACTOR_PREFIX = "factor_"


def yearly_factor_profile(
    values: pd.DataFrame, factor_ids: Iterable[str], month: dt.date
) -> pd.DataFrame:
    """Each year's last known score of each factor up to ``month``: DataFrame[year, factor_id,
    value, n]. ``values``: one territory's long indicator table (indicator_id
    ``factor_<id>``, month as a date, value, n); months without a value are skipped."""
    wanted = [f"{FACTOR_PREFIX}{f}" for f in factor_ids]
    scores = values[values["indicator_id"].isin(wanted) & (values["month"] <= month)]
    scores = scores.dropna(subset=["value"]).assign(year=lambda f: [m.year for m in f["month"]])
    latest = scores.sort_values("month").groupby(["year", "indicator_id"]).tail(1)
    return latest.assign(factor_id=latest["indicator_id"].str.removeprefix(FACTOR_PREFIX))[
        ["year", "factor_id", "value", "n"]
    ].reset_index(drop=True)
