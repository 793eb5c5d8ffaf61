"""The journal page's form: what it shows, what the user typed, and the work not saved yet.

A **visit** of a territory-month's journal starts when the page shows it after another page,
another territory or another month. At its start the form's widgets are emptied (so that
nothing typed for one month shows in another) and filled from the user's unsaved entry when
one was kept (:mod:`data.services.unsaved`), else from the stored journal. During the visit the
grid's base rows stay the same, since Streamlit's data editor keeps the user's edits as
changes to them.

At each run the page compares what is typed with what is stored: a difference is kept for
the user at once, and found again after leaving the page, a reload or a closed tab.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data import fr, labels
from data.config import StageModel
from data.domain.journal import EventInput, JournalInput
from data.services.unsaved import Unsaved

WIDGET_PREFIXES = ("journal_", "rubric_")  # the keys of the form's widgets
VISIT_KEY = "journal:visit"

KINDS = labels.EVENT_KIND
KIND_IDS = {label: kind for kind, label in KINDS.items()}


def stored_input(
    entry: Mapping | None, model: StageModel, sectors: Mapping[str, str]
) -> JournalInput:
    """A stored journal (:func:`data.store.queries.journal_entry`), or None for a month with
    none, as the form would submit it untouched: every milestone scored (0 when unscored),
    every sector counted (0 when nobody came)."""
    entry = entry or {}
    rubric = entry.get("rubric", {})
    events = []
    stored_events = entry.get("events")
    participants = entry.get("participants")
    if stored_events is not None:
        for event in stored_events.itertuples():
            counts = participants[participants["event_id"] == event.event_id]
            events.append(
                EventInput(
                    held_on=None if fr.is_missing(event.held_on) else event.held_on,
                    kind=event.kind,
                    title=event.title or "",
                    participants={
                        sector: int(counts[counts["sector"] == sector]["count"].sum())
                        for sector in sectors
                    },
                )
            )
    return JournalInput(
        declared_stage=entry.get("declared_stage", model.stages[0].id),
        rubric={
            milestone.id: int(rubric.get(milestone.id, 0))
            for stage in model.stages
            for milestone in stage.milestones
        },
        interviews_done=int(entry.get("interviews_done", 0)),
        interviews_planned=int(entry.get("interviews_planned", 0)),
        new_actors=int(entry.get("new_actors", 0)),
        tools_reused=int(entry.get("tools_reused", 0)),
        events=events,
        narrative_strengths=entry.get("narrative_strengths") or "",
        narrative_difficulties=entry.get("narrative_difficulties") or "",
        narrative_next_steps=entry.get("narrative_next_steps") or "",
        narrative_internal=bool(entry.get("narrative_internal", False)),
    )


def events_table(events: list[EventInput], sectors: Mapping[str, str]) -> pd.DataFrame:
    """The grid's rows: one per event, a column of participants per sector (its label)."""
    columns: dict[str, pd.Series] = {
        "date": pd.Series([pd.Timestamp(e.held_on) for e in events], dtype="datetime64[s]"),
        "type": pd.Series([KINDS.get(e.kind, KINDS["other"]) for e in events], dtype="str"),
        "titre": pd.Series([e.title for e in events], dtype="str"),
    }
    for sector, label in sectors.items():
        columns[label] = pd.Series([e.participants.get(sector, 0) for e in events], dtype="int64")
    return pd.DataFrame(columns)


def _filled(value: object) -> bool:
    return not fr.is_missing(value) and value != ""


def grid_events(edited: pd.DataFrame, sectors: Mapping[str, str]) -> list[EventInput]:
    """The grid's rows with anything entered: a draft keeps a row not complete yet."""
    result = []
    for row in edited.to_dict("records"):
        if not any(_filled(value) and value != 0 for value in row.values()):
            continue
        held_on = row.get("date")
        result.append(
            EventInput(
                held_on=pd.Timestamp(held_on).date() if _filled(held_on) else None,
                kind=KIND_IDS.get(row.get("type") or "", "other"),
                title=str(row["titre"]) if _filled(row.get("titre")) else "",
                participants={
                    sector: int(row[label]) if _filled(row.get(label)) else 0
                    for sector, label in sectors.items()
                },
            )
        )
    return result


@dataclass
class Visit:
    """One visit of a territory-month's journal, kept in the Streamlit session."""

    territory_id: str
    month: dt.date
    shown: JournalInput  # what the widgets started from
    base_version: int  # the journal's version the user's changes started from
    kept: Unsaved | None = None  # the unsaved entry kept for the user, if any
    restored: bool = False  # the visit started from a kept entry


def start_visit(
    territory_id: str,
    month: dt.date,
    stored: JournalInput,
    stored_version: int,
    read_kept: Callable[[], Unsaved | None],
) -> Visit:
    """The current visit, or a new one: at a new territory-month, or after another page
    (whose run removed this form's widgets), the widgets are emptied and start from the
    user's unsaved entry (``read_kept``, read only then) or else from ``stored``. A visit with
    nothing typed starts again when someone saves the journal meanwhile."""
    visit: Visit | None = st.session_state.get(VISIT_KEY)
    if (
        visit is not None
        and (visit.territory_id, visit.month) == (territory_id, month)
        and "journal_stage" in st.session_state
        # Saved by someone else while nothing was typed here: show their version.
        and (visit.kept is not None or visit.base_version == stored_version)
    ):
        return visit
    for key in [k for k in st.session_state if str(k).startswith(WIDGET_PREFIXES)]:
        del st.session_state[key]
    kept = read_kept()
    if kept is not None and kept.entry != stored:
        visit = Visit(territory_id, month, kept.entry, kept.base_version, kept, restored=True)
    else:  # a kept entry equal to the stored journal goes at the end of this run
        visit = Visit(territory_id, month, stored, stored_version, kept)
    st.session_state[VISIT_KEY] = visit
    return visit


def end_visit() -> None:
    """The next run starts a new visit (after a save: the form shows what is stored)."""
    st.session_state.pop(VISIT_KEY, None)


def accept_stored_version(visit: Visit, stored_version: int) -> None:
    """The user keeps its changes over a version saved by someone else since."""
    visit.base_version = stored_version
