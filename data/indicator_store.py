"""Compute the indicators from stored data and store the long table, incrementally.

A territory's indicators are stale when its data changed since they were computed: every write
to a territory's data is audited with its territory id, so its latest audit id is its data
version. Territories are processed in batches, so memory stays bounded at a thousand
territories; each batch is written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, Select, delete, func, insert, select

from data import audit, fr
from data.config import AppConfig, get_config
from data.models import (
    Actor,
    AuditLog,
    CoordinationFunding,
    EventAttendance,
    EventParticipants,
    IndicatorState,
    IndicatorValue,
    JointAction,
    JointActionActor,
    Journal,
    JournalEvent,
    JournalRubric,
    LikertAnswer,
    ResourceContribution,
    Respondent,
    RosterRating,
    SurveyWave,
    Territory,
    TerritoryStage,
)
from data.months import add_months, current_month, month_range
from indicators.frames import SCHEMA, Frames

# Writes that do not change what indicators are computed from.
NON_DATA_ENTITIES = (
    "indicator_value",
    "indicator_state",
    "territory_stage",
    "review_comment",
    "user_account",
    "raw_upload",
    "import_report",
)
BATCH_SIZE = 100
SQLITE_CACHE_KIB = 64 * 1024  # page cache of a SQLite connection while it writes a batch

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ComputeSummary:
    territories: int
    rows: int
    seconds: float


def catalogue_version(config: AppConfig) -> str:
    """A short hash of the files that define the indicators and stages."""
    digest = hashlib.sha256()
    for name in ("indicators.yaml", "stages.yaml", "survey.yaml"):
        digest.update((config.directory / name).read_bytes())
    return digest.hexdigest()[:16]


def data_versions(connection: Connection) -> dict[str, int]:
    """Each territory's latest audit id among writes that feed the indicators (0 if none)."""
    latest = dict(
        connection.execute(
            select(AuditLog.territory_id, func.max(AuditLog.id))
            .where(AuditLog.territory_id.is_not(None))
            .where(AuditLog.entity.not_in(NON_DATA_ENTITIES))
            .group_by(AuditLog.territory_id)
        ).all()
    )
    territories = connection.scalars(select(Territory.id)).all()
    return {t: int(latest.get(t, 0)) for t in territories}


def stale_territories(
    engine: Engine, config: AppConfig | None = None, until: dt.date | None = None
) -> list[str]:
    """Territories whose stored indicators are missing, older than their data or catalogue, or
    computed through an earlier month than ``until`` (default: the current month)."""
    version = catalogue_version(config or get_config())
    until = until or current_month()
    with engine.connect() as connection:
        current = data_versions(connection)
        stored = {
            row.territory_id: (row.data_version, row.catalogue_version, row.through_month)
            for row in connection.execute(select(IndicatorState))
        }
    return sorted(t for t, v in current.items() if stored.get(t) != (v, version, until))


def _in(column, ids: Sequence[str]):  # type: ignore[no-untyped-def]
    return column.in_(list(ids))


def _queries(ids: Sequence[str]) -> dict[str, Select]:
    wave_of_territory = select(SurveyWave.id).where(_in(SurveyWave.territory_id, ids))
    respondents = select(Respondent.id).where(Respondent.wave_id.in_(wave_of_territory))
    journals = select(Journal.id).where(_in(Journal.territory_id, ids))
    events = select(JournalEvent.id).where(JournalEvent.journal_id.in_(journals))
    actions = select(JointAction.id).where(_in(JointAction.territory_id, ids))
    return {
        "actors": select(
            Actor.territory_id, Actor.id.label("actor_id"), Actor.org_id, Actor.sector
        ).where(_in(Actor.territory_id, ids)),
        "waves": select(
            SurveyWave.territory_id, SurveyWave.id.label("wave_id"), SurveyWave.number
        ).where(_in(SurveyWave.territory_id, ids)),
        "respondents": select(
            Respondent.wave_id,
            Respondent.id.label("respondent_id"),
            Respondent.actor_id,
            Respondent.sector,
            Respondent.submitted_at,
        ).where(Respondent.wave_id.in_(wave_of_territory)),
        "likert": select(LikertAnswer.respondent_id, LikertAnswer.item, LikertAnswer.value).where(
            LikertAnswer.respondent_id.in_(respondents)
        ),
        "contributions": select(
            ResourceContribution.respondent_id, ResourceContribution.resource_type
        ).where(ResourceContribution.respondent_id.in_(respondents)),
        "ratings": select(
            RosterRating.respondent_id,
            RosterRating.rated_actor_id,
            RosterRating.level,
            RosterRating.trust_reliable,
            RosterRating.trust_mission,
            RosterRating.trust_open,
        ).where(RosterRating.respondent_id.in_(respondents)),
        "journals": select(
            Journal.territory_id,
            Journal.id.label("journal_id"),
            Journal.month,
            Journal.declared_stage,
            Journal.interviews_done,
            Journal.interviews_planned,
            Journal.new_actors,
            Journal.tools_reused,
            Journal.status,
        ).where(_in(Journal.territory_id, ids)),
        "rubric": select(
            JournalRubric.journal_id, JournalRubric.milestone_id, JournalRubric.score
        ).where(JournalRubric.journal_id.in_(journals)),
        "events": select(
            JournalEvent.journal_id,
            JournalEvent.id.label("event_id"),
            JournalEvent.held_on,
            JournalEvent.kind,
        ).where(JournalEvent.journal_id.in_(journals)),
        "attendance": select(EventAttendance.event_id, EventAttendance.actor_id).where(
            EventAttendance.event_id.in_(events)
        ),
        "participants": select(
            EventParticipants.event_id, EventParticipants.sector, EventParticipants.count
        ).where(EventParticipants.event_id.in_(events)),
        "actions": select(
            JointAction.territory_id,
            JointAction.id.label("action_id"),
            JointAction.start_date,
            JointAction.end_date,
            JointAction.status,
        ).where(_in(JointAction.territory_id, ids)),
        "action_actors": select(JointActionActor.action_id, JointActionActor.actor_id).where(
            JointActionActor.action_id.in_(actions)
        ),
        "funding": select(
            CoordinationFunding.territory_id,
            CoordinationFunding.funder,
            CoordinationFunding.start_month,
            CoordinationFunding.end_month,
            CoordinationFunding.amount_eur,
        ).where(_in(CoordinationFunding.territory_id, ids)),
    }


def _typed(rows: list, name: str) -> pd.DataFrame:  # type: ignore[type-arg]
    schema = SCHEMA[name]
    frame = pd.DataFrame.from_records(rows, columns=list(schema))
    for column, dtype in schema.items():
        if dtype.startswith("datetime64"):
            frame[column] = pd.to_datetime(frame[column]).astype(dtype)
        else:
            frame[column] = frame[column].astype(dtype)
    return frame


def _fetch(connection: Connection, query: Select) -> list[tuple]:  # type: ignore[type-arg]
    """The query's rows as plain tuples, straight from the DB-API cursor.

    Not SQLAlchemy ``Row`` objects: building them costs about twice the DB-API fetch itself,
    and pandas ≥ 3 probes every row with ``hasattr(row, "dtype")``, which a ``Row`` answers by
    raising and catching an exception (that alone was 80 % of a full compute). ``_typed``
    converts every column anyway, so the DB-API's own values do: dates may come as ISO text
    (SQLite) and amounts as float rather than ``Decimal``.
    """
    result = connection.execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def load_frames(connection: Connection, territory_ids: Sequence[str]) -> Frames:
    """Read everything the indicators of these territories are computed from."""
    return Frames(
        **{
            name: _typed(_fetch(connection, query), name)
            for name, query in _queries(territory_ids).items()
        }
    )


def _months(connection: Connection, ids: Sequence[str], until: dt.date) -> dict[str, list]:
    """Each territory's months, from its start to ``until`` (at most its programme duration,
    plus the closing month so that the closing wave shows)."""
    duration = get_config().programme.duration_months
    starts = connection.execute(
        select(Territory.id, Territory.start_date).where(_in(Territory.id, ids))
    ).all()
    return {
        territory: month_range(start, min(until, add_months(start, duration)))
        for territory, start in starts
        if start <= until
    }


def declared_by_month(journals: pd.DataFrame, months: dict[str, list]) -> pd.DataFrame:
    """The declared stage of each territory-month: that of the latest journal at or before it."""
    grid = pd.DataFrame(
        [(t, pd.Timestamp(m)) for t, ms in months.items() for m in ms],
        columns=["territory_id", "month"],
    )
    if grid.empty:
        return grid.assign(stage=pd.Series(dtype=object))
    grid["month"] = grid["month"].astype("datetime64[s]")
    declared = journals[["territory_id", "month", "declared_stage"]].sort_values("month")
    merged = pd.merge_asof(
        grid.sort_values("month"),
        declared.rename(columns={"declared_stage": "stage"}),
        on="month",
        by="territory_id",
        direction="backward",
    )
    merged["stage"] = merged["stage"].astype(object).where(merged["stage"].notna(), None)
    return merged.sort_values(["territory_id", "month"]).reset_index(drop=True)


def _stage_rows(long: pd.DataFrame, declared: pd.DataFrame, catalogue) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    from indicators.stage import infer_stages

    inferred = infer_stages(long, catalogue)
    rows = inferred.merge(declared, on=["territory_id", "month"], how="left")
    declared_stage = rows["stage"]
    return pd.DataFrame(
        {
            "territory_id": rows["territory_id"].astype(object),
            "month": rows["month"].dt.date,
            "declared_stage": declared_stage,
            "inferred_stage": rows["inferred_stage"].astype(object),
            "disagreement": declared_stage.notna()
            & (declared_stage != rows["inferred_stage"]).fillna(False),
            "missing_criteria": [
                {"next_stage": n, "criteria": c} if n else None
                for n, c in zip(rows["next_stage"], rows["missing_criteria"], strict=True)
            ],
        }
    )


@contextmanager
def _sqlite_page_cache(connection: Connection) -> Iterator[None]:
    """On SQLite, a larger page cache for the connection while a batch is replaced: with the
    default 2 MB, deleting and inserting a batch's rows in the long table and its indexes costs
    about 1.7× more CPU at a thousand territories. The previous size is restored afterwards."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        if not connection.invalidated:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")


def compute(
    engine: Engine,
    territory_ids: Sequence[str] | None = None,
    *,
    force: bool = False,
    until: dt.date | None = None,
    actor: str = "indicators",
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> ComputeSummary:
    """Compute and store the indicators of the stale territories (or of those given).

    Each batch of territories is read, computed and written in one transaction: a reader sees
    either the old or the new values of a territory, never a mix.
    """
    from indicators.catalogue import load_catalogue
    from indicators.compute import compute_long

    started = time.perf_counter()
    config = get_config()
    catalogue = load_catalogue()
    version = catalogue_version(config)
    until = until or current_month()
    if force:
        with engine.connect() as connection:
            known = sorted(data_versions(connection))
        territory_ids = known if territory_ids is None else list(territory_ids)
    else:
        stale = stale_territories(engine, config, until)
        territory_ids = stale if territory_ids is None else [t for t in territory_ids if t in stale]
    rows = 0
    batches = [territory_ids[i : i + batch_size] for i in range(0, len(territory_ids), batch_size)]
    for number, batch in enumerate(batches, start=1):
        with engine.begin() as connection, _sqlite_page_cache(connection):
            versions = data_versions(connection)
            frames = load_frames(connection, batch)
            months = _months(connection, batch, until)
            declared = declared_by_month(frames.journals, months)
            long = compute_long(frames, catalogue, months, declared)
            stages = _stage_rows(long, declared, catalogue)
            rows += _write(connection, batch, long, stages, versions, version, until)
            audit.record(
                connection,
                actor,
                "compute",
                "indicator_value",
                details={"territories": batch, "rows": len(long)},
            )
        if progress:
            progress(
                f"Indicateurs : lot {number}/{len(batches)} — {len(batch)} territoire(s), "
                f"{fr.number(len(long))} valeurs"
            )
    return ComputeSummary(len(territory_ids), rows, time.perf_counter() - started)


def _write(
    connection: Connection,
    batch: Sequence[str],
    long: pd.DataFrame,
    stages: pd.DataFrame,
    versions: dict[str, int],
    version: str,
    until: dt.date,
) -> int:
    from data.bulk import insert_frame

    for model in (IndicatorValue, TerritoryStage, IndicatorState):
        connection.execute(delete(model).where(_in(model.territory_id, batch)))
    values = long.assign(
        month=long["month"].dt.date,
        data_version=long["territory_id"].map(versions).astype("int64"),
        catalogue_version=version,
    )
    written = insert_frame(connection, IndicatorValue.__table__, values)
    insert_frame(connection, TerritoryStage.__table__, stages)
    now = dt.datetime.now(dt.UTC)
    connection.execute(
        insert(IndicatorState),
        [
            {
                "territory_id": t,
                "data_version": versions.get(t, 0),
                "catalogue_version": version,
                "through_month": until,
                "computed_at": now,
            }
            for t in batch
        ],
    )
    return written
