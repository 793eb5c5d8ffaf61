"""What changed in a territory's indicators: this month against the month before and the same
month a year earlier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from data import fr
from data.domain.months import add_months

CHANGE_COLUMNS = (
    "indicator_id",
    "stage",
    "unit",
    "status",
    "value",
    "previous_value",
    "year_ago_value",
)


def indicator_changes(
    values: pd.DataFrame, indicators: Mapping[str, Any], month: dt.date
) -> pd.DataFrame:
    """One row per indicator of ``indicators`` (the catalogue's definitions, in its order)
    that has a row in ``month``: its stage, unit and status this month, and its value this
    month, the month before and a year before (missing where there is none).

    ``values``: one territory's long indicator table (indicator_id, month as a date, value,
    status) covering at least those three months."""
    wide = values.pivot_table(
        index="indicator_id", columns="month", values="value", aggfunc="first"
    )
    status = values[values["month"] == month].set_index("indicator_id")["status"]

    def at(indicator_id: str, when: dt.date) -> Any:
        return wide.at[indicator_id, when] if when in wide.columns else None

    rows = [
        (
            indicator_id,
            definition.stage,
            definition.unit,
            status[indicator_id],
            at(indicator_id, month),
            at(indicator_id, add_months(month, -1)),
            at(indicator_id, add_months(month, -12)),
        )
        for indicator_id, definition in indicators.items()
        if indicator_id in status.index
    ]
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


# The span of each unit's scale, so that changes of different units compare: a score from 1
# to 5 spans 4, a ratio 1; a count's change is read against its previous value.
UNIT_SPANS = {"ratio": 1.0, "score_1_5": 4.0, "score_1_4": 3.0, "index": 1.0, "delta": 2.0}


def change_size(unit: str | None, current: float | None, before: float | None) -> float | None:
    """How large the change from ``before`` to ``current`` is, as a share of the unit's scale
    (of the previous value for a count), always positive; None when either is missing."""
    if fr.is_missing(current) or fr.is_missing(before):
        return None
    now, then = float(current), float(before)  # type: ignore[arg-type]  # not missing
    if unit == "count":
        return abs(now - then) / abs(then) if then else float(now != then)
    return abs(now - then) / UNIT_SPANS.get(unit or "", 1.0)
