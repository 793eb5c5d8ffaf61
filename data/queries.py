"""Read queries returning DataFrames. Each takes the user's :class:`~data.access.Scope`."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, Select, and_, distinct, func, select

from data.access import Scope
from data.models import (
    Actor,
    JointAction,
    Journal,
    Respondent,
    SurveyWave,
    Territory,
    UserAccount,
)

MIN_GROUP_SIZE = 5  # a funder never sees a count of fewer people than this


def _scoped(query: Select, column, scope: Scope) -> Select:  # type: ignore[no-untyped-def]
    if scope.role == "binome":
        return query.where(column == scope.territory_id)
    return query


def _read(engine: Engine, query: Select) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def territories(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The territories the scope may see, in start order."""
    query = select(
        Territory.id.label("territory_id"),
        Territory.name,
        Territory.region,
        Territory.department,
        Territory.start_date,
        Territory.binome_foundation_officer.label("foundation_officer"),
        Territory.binome_kiif_member.label("kiif_member"),
    ).order_by(Territory.start_date, Territory.id)
    frame = _read(engine, _scoped(query, Territory.id, scope))
    frame["start_date"] = pd.to_datetime(frame["start_date"]).dt.date
    return frame


def declared_stages(engine: Engine, scope: Scope, month: dt.date) -> pd.DataFrame:
    """Each visible territory's journal for ``month``: declared stage and status."""
    query = select(
        Journal.territory_id,
        Journal.declared_stage,
        Journal.status,
    ).where(Journal.month == month)
    if scope.approved_only:
        query = query.where(Journal.status == "approved")
    return _read(engine, _scoped(query, Journal.territory_id, scope))


def respondents_per_wave(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Respondents and responding organisations per survey wave.

    A wave's reference month is the month of its last answer (SURVEY.md). For a funder, a
    count under five people is withheld (``None``).
    """
    query = (
        select(
            SurveyWave.territory_id,
            SurveyWave.number.label("wave_number"),
            func.max(Respondent.submitted_at).label("last_answer"),
            func.count(Respondent.id).label("respondents"),
            func.count(distinct(Respondent.actor_id)).label("organisations"),
        )
        .join(Respondent, Respondent.wave_id == SurveyWave.id)
        .group_by(SurveyWave.territory_id, SurveyWave.number)
        .order_by(SurveyWave.territory_id, SurveyWave.number)
    )
    frame = _read(engine, _scoped(query, SurveyWave.territory_id, scope))
    last = pd.to_datetime(frame["last_answer"])
    frame["reference_month"] = last.dt.to_period("M").dt.to_timestamp()
    frame = frame.drop(columns="last_answer")
    if scope.role == "funder":
        for column in ("respondents", "organisations"):
            frame[column] = frame[column].astype("Int64").mask(frame[column] < MIN_GROUP_SIZE)
    return frame


def database_status(engine: Engine) -> pd.DataFrame:
    """Per territory: what the database holds (for ``cooperascope status``)."""

    def count_by(column, *where) -> Select:  # type: ignore[no-untyped-def]
        table = column.class_
        return (
            select(table.territory_id, func.count(column).label("n"))
            .where(and_(True, *where))
            .group_by(table.territory_id)
        )

    frame = territories(engine, Scope.system())[["territory_id", "name", "start_date"]]
    pieces = {
        "actors": count_by(Actor.id),
        "waves": count_by(SurveyWave.id),
        "journals": count_by(Journal.id),
        "approved": count_by(Journal.id, Journal.status == "approved"),
        "joint_actions": count_by(JointAction.id),
        "binome_accounts": count_by(UserAccount.id, UserAccount.role == "binome"),
    }
    for name, query in pieces.items():
        counts = _read(engine, query).rename(columns={"n": name})
        frame = frame.merge(counts, on="territory_id", how="left")
    respondents = (
        select(SurveyWave.territory_id, func.count(Respondent.id).label("respondents"))
        .join(Respondent, Respondent.wave_id == SurveyWave.id)
        .group_by(SurveyWave.territory_id)
    )
    frame = frame.merge(_read(engine, respondents), on="territory_id", how="left")
    last_journal = select(
        Journal.territory_id, func.max(Journal.month).label("last_journal")
    ).group_by(Journal.territory_id)
    frame = frame.merge(_read(engine, last_journal), on="territory_id", how="left")
    counts = [c for c in frame.columns if c not in ("territory_id", "name", "start_date")]
    counts.remove("last_journal")
    frame[counts] = frame[counts].fillna(0).astype(int)
    return frame
