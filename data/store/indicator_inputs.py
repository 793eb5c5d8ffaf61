"""Read everything the indicators of some territories are computed from, as the typed frames
of ``indicators.frames`` (``load_frames``), without a Python object per value where the
database can render its rows as text (``data.store.columnar``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, func, select

from data.store import columnar
from data.store.models import (
    Actor,
    CoordinationFunding,
    EventAttendance,
    EventParticipants,
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
)
from indicators.frames import SCHEMA, Frames

# A roster rating is read as two integers: its respondent, and
#   rated_actor_id × 1024 + level × 125 + trust_reliable × 25 + trust_mission × 5 + trust_open
# with a missing trust item as 0. The database's CHECK constraints keep the level in 0–5 and
# each trust item in 1–4, so the last three terms stay below 750 and the code decodes exactly.
# Rendering and parsing two integers rather than six values is most of what reading 9.7 million
# ratings costs.
RATING_CODE_BASE = 1024
TRUST_COLUMNS = ("trust_reliable", "trust_mission", "trust_open")
# Frames read in another shape than ``SCHEMA`` (then converted to it).
READ_SCHEMA = {"ratings": {"respondent_id": "int64", "rating_code": "int64"}}


def in_ids(column, ids: Sequence[str]):  # type: ignore[no-untyped-def]
    """``column IN ids`` (a list, so that a tuple or a generator binds)."""
    return column.in_(list(ids))


def _queries(ids: Sequence[str]) -> dict[str, Select]:
    wave_of_territory = select(SurveyWave.id).where(in_ids(SurveyWave.territory_id, ids))
    respondents = select(Respondent.id).where(Respondent.wave_id.in_(wave_of_territory))
    journals = select(Journal.id).where(in_ids(Journal.territory_id, ids))
    # An event without a date is a draft's row not filled in yet: it counts once dated.
    dated = JournalEvent.held_on.is_not(None)
    events = select(JournalEvent.id).where(JournalEvent.journal_id.in_(journals), dated)
    actions = select(JointAction.id).where(in_ids(JointAction.territory_id, ids))
    return {
        "actors": select(
            Actor.territory_id, Actor.id.label("actor_id"), Actor.org_id, Actor.sector
        ).where(in_ids(Actor.territory_id, ids)),
        "waves": select(
            SurveyWave.territory_id, SurveyWave.id.label("wave_id"), SurveyWave.number
        ).where(in_ids(SurveyWave.territory_id, ids)),
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
            (
                RosterRating.rated_actor_id * RATING_CODE_BASE
                + RosterRating.level * 125
                + func.coalesce(RosterRating.trust_reliable, 0) * 25
                + func.coalesce(RosterRating.trust_mission, 0) * 5
                + func.coalesce(RosterRating.trust_open, 0)
            ).label("rating_code"),
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
        ).where(in_ids(Journal.territory_id, ids)),
        "rubric": select(
            JournalRubric.journal_id, JournalRubric.milestone_id, JournalRubric.score
        ).where(JournalRubric.journal_id.in_(journals)),
        "events": select(
            JournalEvent.journal_id,
            JournalEvent.id.label("event_id"),
            JournalEvent.held_on,
            JournalEvent.kind,
        ).where(JournalEvent.journal_id.in_(journals), dated),
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
        ).where(in_ids(JointAction.territory_id, ids)),
        "action_actors": select(JointActionActor.action_id, JointActionActor.actor_id).where(
            JointActionActor.action_id.in_(actions)
        ),
        "funding": select(
            CoordinationFunding.territory_id,
            CoordinationFunding.funder,
            CoordinationFunding.start_month,
            CoordinationFunding.end_month,
            CoordinationFunding.amount_eur,
        ).where(in_ids(CoordinationFunding.territory_id, ids)),
    }


def _decode_ratings(coded: pd.DataFrame) -> pd.DataFrame:
    """The ratings frame of ``SCHEMA`` from the two integers each rating is read as."""
    code = coded["rating_code"].to_numpy(dtype="int64")
    rated, low = np.divmod(code, RATING_CODE_BASE)
    columns: dict[str, object] = {
        "respondent_id": coded["respondent_id"].to_numpy(dtype="int64"),
        "rated_actor_id": rated,
        "level": low // 125,
    }
    for name, digit in zip(TRUST_COLUMNS, (low // 25 % 5, low // 5 % 5, low % 5), strict=True):
        columns[name] = pd.array(digit, dtype="Int64")
        columns[name][digit == 0] = pd.NA  # type: ignore[index]
    return pd.DataFrame(columns)


def _typed(rows: list, name: str) -> pd.DataFrame:  # type: ignore[type-arg]
    schema = READ_SCHEMA.get(name, SCHEMA[name])
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
    frames = {}
    for name, query in _queries(territory_ids).items():
        schema = READ_SCHEMA.get(name, SCHEMA[name])
        if name == "likert" and columnar.supports(connection, schema):
            frames[name] = _read_likert(connection, query)
        elif columnar.supports(connection, schema):
            frames[name] = columnar.read_frame(connection, query, schema)
        else:
            frames[name] = _typed(_fetch(connection, query), name)
    frames["ratings"] = _decode_ratings(frames["ratings"])
    return Frames(**frames)


def _read_likert(connection: Connection, query: Select) -> pd.DataFrame:  # type: ignore[type-arg]
    """The Likert answers of ``query``, read as respondent × 8 + value per item (the database
    keeps values in 1–5): one text of integers per item rather than the item on every row."""
    groups = columnar.read_integer_groups(
        connection, query, "item", lambda q: q.c.respondent_id * 8 + q.c.value
    )
    import pyarrow as pa

    codes = np.concatenate([c for _, c in groups]) if groups else np.empty(0, "int64")
    respondents, values = np.divmod(codes, 8)
    # The item column as a dictionary of the few items, decoded by Arrow (a Python string
    # per row would cost more than reading them).
    item_of_row = np.repeat(np.arange(len(groups), dtype="int32"), [len(c) for _, c in groups])
    items = pa.DictionaryArray.from_arrays(
        pa.array(item_of_row), pa.array([i for i, _ in groups], pa.string())
    ).cast(pa.string())
    return pd.DataFrame(
        {
            "respondent_id": respondents,
            "item": items.to_pandas(),
            "value": values,
        }
    ).astype(SCHEMA["likert"])
