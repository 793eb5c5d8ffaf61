"""Exports in long format (territory × month × indicator), scoped like every read."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, select

from data.access import Permission, Scope, withhold_small_groups
from data.store.models import IndicatorValue, Journal

EXPORT_COLUMNS = (
    "territory_id",
    "period",
    "indicator_id",
    "value",
    "n",
    "low_n",
    "status",
    "stage",
    "wave_number",
    "note",
)


def indicators_long(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The stored indicators the scope may read, with ``period`` as YYYY-MM.

    A funder gets approved months only, and no value computed over fewer than five people.
    """
    query = select(IndicatorValue).order_by(
        IndicatorValue.territory_id, IndicatorValue.month, IndicatorValue.indicator_id
    )
    reach = scope.aggregates_reach()
    if reach is not None:
        query = query.where(IndicatorValue.territory_id == reach)
    if not scope.can(Permission.READ_UNAPPROVED):
        query = query.join(
            Journal,
            and_(
                Journal.territory_id == IndicatorValue.territory_id,
                Journal.month == IndicatorValue.month,
            ),
        ).where(Journal.status == "approved")
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    frame["period"] = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    frame["wave_number"] = frame["wave_number"].astype("Int64")
    return withhold_small_groups(frame, scope)[list(EXPORT_COLUMNS)]
