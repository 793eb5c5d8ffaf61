"""The frames being filled: each table's columns and their kinds, column parts collected per
territory and concatenated once at the end, and integer ids handed out from 1.

Column dtypes of the frames: integer keys ``int64`` (nullable ones ``Int64``), text ``str``,
``Date`` columns ``datetime64[s]`` (midnight), ``DateTime(timezone=True)`` columns
``datetime64[s, UTC]``, amounts ``float64`` (NaN = unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

# Column kinds: int, Int (nullable int), str, str? (nullable str), date, date?, tz, tz?, bool,
# float, or "cat:<vocabulary name>" (stored as codes, turned into str at the end).
_SCHEMA: dict[str, dict[str, str]] = {
    "territory": {
        "id": "str",
        "programme_id": "str",
        "name": "str",
        "region": "str",
        "department": "str?",
        "start_date": "date",
        "binome_foundation_officer": "str",
        "binome_kiif_member": "str",
    },
    "user_account": {
        "id": "int",
        "email": "str",
        "display_name": "str",
        "role": "str",
        "territory_id": "str?",
        "password_hash": "str?",
        "active": "bool",
        "created_at": "tz",
        "all_programmes": "bool",
    },
    "account_programme": {"account_id": "int", "programme_id": "str"},
    "actor": {
        "id": "int",
        "territory_id": "str",
        "org_id": "str",
        "name": "str",
        "sector": "cat:sector",
        "commune": "str?",
    },
    "survey_wave": {
        "id": "int",
        "territory_id": "str",
        "number": "int",
        "window_start": "date",
        "window_end": "date",
    },
    "respondent": {
        "id": "int",
        "wave_id": "int",
        "respondent_key": "str",
        "actor_id": "int",
        "sector": "cat:sector",
        "submitted_at": "date",
    },
    "likert_answer": {"respondent_id": "int", "item": "cat:item", "value": "int"},
    "resource_contribution": {"respondent_id": "int", "resource_type": "cat:resource"},
    "roster_rating": {
        "respondent_id": "int",
        "rated_actor_id": "int",
        "level": "int",
        "trust_reliable": "Int",
        "trust_mission": "Int",
        "trust_open": "Int",
    },
    "journal": {
        "id": "int",
        "territory_id": "str",
        "month": "date",
        "declared_stage": "cat:stage",
        "interviews_done": "int",
        "interviews_planned": "int",
        "new_actors": "int",
        "tools_reused": "int",
        "narrative_strengths": "str",
        "narrative_difficulties": "str",
        "narrative_next_steps": "str",
        "narrative_internal": "bool",
        "status": "cat:status",
        "submitted_at": "tz?",
        "approved_at": "tz?",
        "approved_by": "Int",
        "version": "int",
    },
    "journal_rubric": {"journal_id": "int", "milestone_id": "cat:milestone", "score": "int"},
    "journal_event": {
        "id": "int",
        "journal_id": "int",
        "held_on": "date",
        "kind": "str",
        "title": "str",
    },
    "event_participants": {"event_id": "int", "sector": "cat:sector", "count": "int"},
    "event_attendance": {"event_id": "int", "actor_id": "int"},
    "joint_action": {
        "id": "int",
        "territory_id": "str",
        "title": "str",
        "start_date": "date",
        "end_date": "date?",
        "status": "str",
    },
    "joint_action_actor": {"action_id": "int", "actor_id": "int"},
    "joint_action_funding": {"action_id": "int", "funder": "str", "amount_eur": "float"},
    "coordination_funding": {
        "id": "int",
        "territory_id": "str",
        "funder": "str",
        "start_month": "date",
        "end_month": "date?",
        "amount_eur": "float",
    },
}


class Collector:
    """Column parts of one table, concatenated once at the end."""

    def __init__(self, columns: dict[str, str]) -> None:
        self.columns = columns
        self.parts: dict[str, list[Any]] = {name: [] for name in columns}

    def add(self, **values: Any) -> None:
        for name in self.columns:
            self.parts[name].append(values[name])

    def frame(self, vocabularies: dict[str, Sequence[str]]) -> pd.DataFrame:
        data: dict[str, Any] = {}
        for name, kind in self.columns.items():
            parts = self.parts[name]
            data[name] = _column(kind, parts, vocabularies)
        return pd.DataFrame(data)


def _column(kind: str, parts: list[Any], vocabularies: dict[str, Sequence[str]]) -> Any:
    """Concatenate parts (arrays, lists or scalars-per-row lists) into a typed column."""
    arrays = [np.asarray(p) if not np.isscalar(p) else np.asarray([p]) for p in parts]
    if kind.startswith("cat:"):
        vocabulary = np.array(vocabularies[kind[4:]], dtype=object)
        codes = np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, np.int64)
        return pd.array(vocabulary[codes], dtype="str")
    if kind in ("str", "str?"):
        values = np.concatenate([a.astype(object) for a in arrays]) if arrays else []
        return pd.array(np.asarray(values, dtype=object), dtype="str")
    if kind == "int":
        return np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, np.int64)
    if kind == "Int":
        values = np.concatenate([a.astype(float) for a in arrays]) if arrays else []
        return pd.array(np.asarray(values, dtype=float), dtype="Int64")
    if kind == "bool":
        return np.concatenate(arrays).astype(bool) if arrays else np.zeros(0, bool)
    if kind == "float":
        return np.concatenate(arrays).astype(float) if arrays else np.zeros(0, float)
    if kind in ("date", "date?"):
        values = (
            np.concatenate([a.astype("datetime64[D]") for a in arrays])
            if arrays
            else np.zeros(0, "datetime64[D]")
        )
        return values.astype("datetime64[s]")
    if kind in ("tz", "tz?"):
        values = (
            np.concatenate([a.astype("datetime64[s]") for a in arrays])
            if arrays
            else np.zeros(0, "datetime64[s]")
        )
        return pd.DatetimeIndex(values).tz_localize("UTC").array
    raise ValueError(kind)


class Tables:
    """One collector per table of the demo, and the next integer id of each table."""

    def __init__(self) -> None:
        self.collectors = {name: Collector(columns) for name, columns in _SCHEMA.items()}
        self.next_id: dict[str, int] = {}

    def __getitem__(self, table: str) -> Collector:
        return self.collectors[table]

    def ids(self, table: str, count: int) -> np.ndarray:
        """The next ``count`` ids of ``table`` (``int64``, consecutive, the first ones from 1)."""
        first = self.next_id.get(table, 1)
        self.next_id[table] = first + count
        return np.arange(first, first + count, dtype=np.int64)

    def frames(self, vocabularies: dict[str, Sequence[str]]) -> dict[str, pd.DataFrame]:
        """One DataFrame per table, categorical codes turned into the ``vocabularies``' ids."""
        return {name: table.frame(vocabularies) for name, table in self.collectors.items()}
