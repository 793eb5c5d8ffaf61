"""How fresh each territory's survey is in a month: its last wave at or before that month, and
how many months old that is (from the territory's start when it has no wave yet)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.domain.months import months_between

# A wave comes every six months: a survey older than this is overdue.
STALE_SURVEY_MONTHS = 7
FRESHNESS_COLUMNS = (
    "territory_id",
    "wave_number",
    "reference_month",
    "respondents",
    "age_months",
    "stale",
)


def survey_freshness(
    territories: pd.DataFrame, waves: pd.DataFrame, month: dt.date
) -> pd.DataFrame:
    """One row per territory of ``territories`` (territory_id, start_date), in their order:
    its last wave whose reference month is at or before ``month`` (wave_number,
    reference_month as a date, respondents; missing without a wave), the age in months of
    that wave (of the start without one) and whether it is older than
    :data:`STALE_SURVEY_MONTHS`. ``waves``: territory_id, reference_month and, when known,
    wave_number and respondents."""
    waves = waves.reindex(columns=["territory_id", "wave_number", "reference_month", "respondents"])
    reference = pd.to_datetime(waves["reference_month"]).dt.date
    known = waves.assign(reference_month=reference).loc[lambda w: w["reference_month"] <= month]
    last = known.sort_values(["territory_id", "reference_month"]).groupby("territory_id").tail(1)
    by_territory = last.set_index("territory_id")
    rows = []
    for territory, start in zip(
        territories["territory_id"], territories["start_date"], strict=True
    ):
        if territory in by_territory.index:
            wave = by_territory.loc[territory]
            since = wave["reference_month"]
            rows.append((territory, wave["wave_number"], since, wave["respondents"]))
        else:
            since = pd.Timestamp(start).date()
            rows.append((territory, None, None, None))
        age = months_between(since, month)
        rows[-1] += (age, age > STALE_SURVEY_MONTHS)
    frame = pd.DataFrame(rows, columns=list(FRESHNESS_COLUMNS))
    frame["wave_number"] = frame["wave_number"].astype("Int64")
    frame["respondents"] = frame["respondents"].astype("Int64")
    return frame
