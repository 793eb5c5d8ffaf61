"""The input of the indicator library: one frozen bundle of pandas DataFrames.

The database layer builds these frames from SQL; the indicator functions never see the
database. Column names follow ``data/models.py``. Extra columns are allowed and ignored;
missing columns are an error raised at construction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

# Frame name -> column -> dtype of an empty frame (and the dtype the library expects).
SCHEMA: dict[str, dict[str, str]] = {
    "actors": {"territory_id": "str", "actor_id": "int64", "org_id": "str", "sector": "str"},
    "waves": {"territory_id": "str", "wave_id": "int64", "number": "int64"},
    "respondents": {
        "wave_id": "int64",
        "respondent_id": "int64",
        "actor_id": "int64",
        "sector": "str",
        "submitted_at": "datetime64[s]",
    },
    "likert": {"respondent_id": "int64", "item": "str", "value": "int64"},
    "contributions": {"respondent_id": "int64", "resource_type": "str"},
    "ratings": {
        "respondent_id": "int64",
        "rated_actor_id": "int64",
        "level": "int64",
        "trust_reliable": "Int64",
        "trust_mission": "Int64",
        "trust_open": "Int64",
    },
    "journals": {
        "territory_id": "str",
        "journal_id": "int64",
        "month": "datetime64[s]",
        "declared_stage": "str",
        "interviews_done": "int64",
        "interviews_planned": "int64",
        "new_actors": "int64",
        "tools_reused": "int64",
        "status": "str",
    },
    "rubric": {"journal_id": "int64", "milestone_id": "str", "score": "int64"},
    "events": {
        "journal_id": "int64",
        "event_id": "int64",
        "held_on": "datetime64[s]",
        "kind": "str",
    },
    "attendance": {"event_id": "int64", "actor_id": "int64"},
    "participants": {"event_id": "int64", "sector": "str", "count": "int64"},
    "actions": {
        "territory_id": "str",
        "action_id": "int64",
        "start_date": "datetime64[s]",
        "end_date": "datetime64[s]",
        "status": "str",
    },
    "action_actors": {"action_id": "int64", "actor_id": "int64"},
    "funding": {
        "territory_id": "str",
        "funder": "str",
        "start_month": "datetime64[s]",
        "end_month": "datetime64[s]",
        "amount_eur": "float64",
    },
}


def empty_frame(name: str) -> pd.DataFrame:
    """An empty frame ``name`` with the columns and dtypes of ``SCHEMA``."""
    return pd.DataFrame({col: pd.Series(dtype=dtype) for col, dtype in SCHEMA[name].items()})


@dataclass(frozen=True, eq=False)
class Frames:
    """Everything the indicators are computed from, for any number of territories.

    - actors: the territories' actors lists (``actor_id`` is the database id, unique overall).
    - waves, respondents, likert, contributions, ratings: the baromètre survey.
    - journals, rubric, events, attendance, participants: the monthly journal.
    - actions, action_actors: the register of joint actions.
    - funding: funders of each territory's coordination.

    The caller decides which rows are passed (e.g. only approved journals for funders).
    """

    actors: pd.DataFrame
    waves: pd.DataFrame
    respondents: pd.DataFrame
    likert: pd.DataFrame
    contributions: pd.DataFrame
    ratings: pd.DataFrame
    journals: pd.DataFrame
    rubric: pd.DataFrame
    events: pd.DataFrame
    attendance: pd.DataFrame
    participants: pd.DataFrame
    actions: pd.DataFrame
    action_actors: pd.DataFrame
    funding: pd.DataFrame

    def __post_init__(self) -> None:
        for name, columns in SCHEMA.items():
            frame = getattr(self, name)
            if not isinstance(frame, pd.DataFrame):
                raise TypeError(f"Frames.{name} must be a pandas DataFrame, got {type(frame)}")
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError(f"Frames.{name} lacks column(s): {', '.join(missing)}")

    @classmethod
    def empty(cls) -> Frames:
        """Frames with no rows, every column correctly typed."""
        return cls(**{name: empty_frame(name) for name in SCHEMA})

    @classmethod
    def build(cls, **frames: pd.DataFrame) -> Frames:
        """Frames from the given ones; the frames not given are empty."""
        unknown = set(frames) - set(SCHEMA)
        if unknown:
            raise TypeError(f"unknown frame(s): {', '.join(sorted(unknown))}")
        return cls(**{name: frames.get(name, empty_frame(name)) for name in SCHEMA})

    def replace(self, **frames: pd.DataFrame) -> Frames:
        """A copy with some frames replaced."""
        return dataclasses.replace(self, **frames)

    def as_dict(self) -> Mapping[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in SCHEMA}
