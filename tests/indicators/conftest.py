"""Builders of small hand-made inputs for the indicator tests."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from data.config import load_config
from indicators.catalogue import Catalogue
from indicators.frames import SCHEMA, Frames, empty_frame
from indicators.prepare import Prepared, month_grid, prepare
from indicators.registry import registry

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"

Rating = int | tuple[int, tuple[int | None, int | None, int | None]]


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


class FrameBuilder:
    """Build ``Frames`` from a few readable calls; organisations are named by their org_id."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SCHEMA}
        self.actor_ids: dict[tuple[str, str], int] = {}

    def actors(self, orgs: Mapping[str, str], territory: str = "t") -> None:
        """Add organisations {org_id: sector} to a territory's actors list."""
        for org, sector in orgs.items():
            actor_id = next(self._ids)
            self.actor_ids[(territory, org)] = actor_id
            self.rows["actors"].append(
                {"territory_id": territory, "actor_id": actor_id, "org_id": org, "sector": sector}
            )

    def actor(self, org: str, territory: str = "t") -> int:
        return self.actor_ids[(territory, org)]

    def wave(self, number: int, territory: str = "t") -> int:
        wave_id = next(self._ids)
        self.rows["waves"].append({"territory_id": territory, "wave_id": wave_id, "number": number})
        return wave_id

    def respond(
        self,
        wave_id: int,
        org: str,
        *,
        territory: str = "t",
        date: str = "2024-03-15",
        ratings: Mapping[str | int, Rating] | None = None,
        likert: Mapping[str, int] | None = None,
        contrib: Iterable[str] = (),
    ) -> int:
        """A respondent of ``org``; ratings keyed by org_id of the same territory, or by a raw
        actor id (int) for anything else."""
        respondent_id = next(self._ids)
        actor_id = self.actor(org, territory)
        sector = next(r["sector"] for r in self.rows["actors"] if r["actor_id"] == actor_id)
        self.rows["respondents"].append(
            {
                "wave_id": wave_id,
                "respondent_id": respondent_id,
                "actor_id": actor_id,
                "sector": sector,
                "submitted_at": _date(date),
            }
        )
        for key, rating in (ratings or {}).items():
            rated = key if isinstance(key, int) else self.actor(key, territory)
            level, trust = (rating, (None, None, None)) if isinstance(rating, int) else rating
            self.rows["ratings"].append(
                {
                    "respondent_id": respondent_id,
                    "rated_actor_id": rated,
                    "level": level,
                    "trust_reliable": trust[0],
                    "trust_mission": trust[1],
                    "trust_open": trust[2],
                }
            )
        for item, value in (likert or {}).items():
            self.rows["likert"].append(
                {"respondent_id": respondent_id, "item": item, "value": value}
            )
        for resource in contrib:
            self.rows["contributions"].append(
                {"respondent_id": respondent_id, "resource_type": resource}
            )
        return respondent_id

    def journal(
        self,
        month: str,
        *,
        territory: str = "t",
        interviews: tuple[int, int] = (0, 0),
        tools_reused: int = 0,
        rubric: Mapping[str, int] | None = None,
        stage: str = "emergence",
    ) -> int:
        journal_id = next(self._ids)
        self.rows["journals"].append(
            {
                "territory_id": territory,
                "journal_id": journal_id,
                "month": _date(month),
                "declared_stage": stage,
                "interviews_done": interviews[0],
                "interviews_planned": interviews[1],
                "new_actors": 0,
                "tools_reused": tools_reused,
                "status": "submitted",
            }
        )
        for milestone, score in (rubric or {}).items():
            self.rows["rubric"].append(
                {"journal_id": journal_id, "milestone_id": milestone, "score": score}
            )
        return journal_id

    def event(
        self,
        journal_id: int,
        held_on: str,
        *,
        kind: str = "workshop",
        attendees: Iterable[str | int] = (),
        territory: str = "t",
    ) -> int:
        event_id = next(self._ids)
        self.rows["events"].append(
            {
                "journal_id": journal_id,
                "event_id": event_id,
                "held_on": _date(held_on),
                "kind": kind,
            }
        )
        for who in attendees:
            actor_id = who if isinstance(who, int) else self.actor(who, territory)
            self.rows["attendance"].append({"event_id": event_id, "actor_id": actor_id})
        return event_id

    def action(
        self,
        start: str,
        end: str | None = None,
        *,
        status: str = "under_way",
        orgs: Iterable[str] = (),
        territory: str = "t",
    ) -> int:
        action_id = next(self._ids)
        self.rows["actions"].append(
            {
                "territory_id": territory,
                "action_id": action_id,
                "start_date": _date(start),
                "end_date": _date(end) if end else None,
                "status": status,
            }
        )
        for org in orgs:
            self.rows["action_actors"].append(
                {"action_id": action_id, "actor_id": self.actor(org, territory)}
            )
        return action_id

    def funding(
        self,
        funder: str,
        start: str,
        end: str | None = None,
        *,
        amount: float = 1000.0,
        territory: str = "t",
    ) -> None:
        self.rows["funding"].append(
            {
                "territory_id": territory,
                "funder": funder,
                "start_month": _date(start),
                "end_month": _date(end) if end else None,
                "amount_eur": amount,
            }
        )

    def build(self) -> Frames:
        frames: dict[str, pd.DataFrame] = {}
        for name, rows in self.rows.items():
            if not rows:
                frames[name] = empty_frame(name)
                continue
            frame = pd.DataFrame(rows, columns=list(SCHEMA[name]))
            for column, dtype in SCHEMA[name].items():
                if dtype.startswith("datetime"):
                    frame[column] = pd.to_datetime(frame[column]).astype(dtype)
                else:
                    frame[column] = frame[column].astype(dtype)
            frames[name] = frame
        return Frames(**frames)


@pytest.fixture
def builder() -> FrameBuilder:
    return FrameBuilder()


@pytest.fixture(scope="session")
def factors() -> dict[str, tuple[str, ...]]:
    return {f.id: tuple(f.items) for f in load_config(CONFIG_DIR).survey.factors}


@pytest.fixture(scope="session")
def milestones() -> dict[str, tuple[str, ...]]:
    return {
        s.id: tuple(m.id for m in s.milestones)
        for s in load_config(CONFIG_DIR).reference_model.stages
    }


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_config(CONFIG_DIR).load_catalogue()


@pytest.fixture
def prep_of(factors, milestones) -> Callable[[Frames], Prepared]:
    """frames -> prepare(frames) with the repository's configuration."""

    def run(frames: Frames) -> Prepared:
        return prepare(frames, factors=factors, stage_milestones=milestones)

    return run


def _row_values(row: pd.Series) -> tuple[float | None, int, str | None]:
    value = None if pd.isna(row["value"]) else float(row["value"])
    note = None if pd.isna(row["note"]) else str(row["note"])
    # The contract: a value is missing exactly when a note says why.
    assert (value is None) == (note is not None), (value, note)
    return value, int(row["n"]), note


@pytest.fixture
def wave_value() -> Callable[[Prepared, str, int], tuple[float | None, int, str | None]]:
    """(prep, indicator_id, wave_id) -> (value or None, n, note or None)."""

    def get(prep: Prepared, indicator_id: str, wave_id: int):
        result = registry()[indicator_id].func(prep)
        assert list(result.columns) == ["wave_id", "value", "n", "note"]
        assert result["n"].dtype == np.int64
        return _row_values(result.set_index("wave_id").loc[wave_id])

    return get


@pytest.fixture
def month_values() -> Callable[..., dict[str, tuple[float | None, int, str | None]]]:
    """(prep, indicator_id, months, territory="t") -> {"YYYY-MM": (value, n, note)}."""

    def get(prep: Prepared, indicator_id: str, months: Iterable[str], territory: str = "t"):
        months = list(months)
        grid = month_grid(prep, {territory: [f"{m}-01" for m in months]})
        result = registry()[indicator_id].func(prep, grid)
        assert list(result.columns) == ["territory_id", "month", "value", "n", "note"]
        assert result["n"].dtype == np.int64
        out = {}
        for _, row in result.iterrows():
            out[pd.Timestamp(row["month"]).strftime("%Y-%m")] = _row_values(row)
        assert sorted(out) == sorted(months)
        return out

    return get
