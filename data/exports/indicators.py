"""Exports in long format (territory × month × indicator), scoped like every read."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, select

from data.access import Scope
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
    if scope.role == "binome":
        query = query.where(IndicatorValue.territory_id == scope.territory_id)
    if scope.approved_only:
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
    if scope.role == "funder":
        hidden = frame["low_n"].astype(bool)
        frame["value"] = frame["value"].mask(hidden)
        frame.loc[hidden, "note"] = "moins de 5 personnes : valeur non communiquée"
    return frame[list(EXPORT_COLUMNS)]
