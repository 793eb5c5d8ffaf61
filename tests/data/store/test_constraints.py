"""The database itself rejects rows the product would misread (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.store import models as m
from data.store.engine import session_scope

TERRITORY = "roya"  # configured, so present after the config sync


def _base(session: Session) -> dict[str, int]:
    """A valid actor pair, wave and respondent to hang bad rows on."""
    a = m.Actor(territory_id=TERRITORY, org_id="mairie", name="Mairie", sector="collectivite")
    b = m.Actor(territory_id=TERRITORY, org_id="asso", name="Asso", sector="association")
    wave = m.SurveyWave(territory_id=TERRITORY, number=0)
    session.add_all([a, b, wave])
    session.flush()
    r = m.Respondent(
        wave_id=wave.id,
        respondent_key="R1",
        actor_id=a.id,
        sector="collectivite",
        submitted_at=dt.date(2024, 1, 10),
    )
    journal = m.Journal(territory_id=TERRITORY, month=dt.date(2024, 1, 1), declared_stage="x")
    session.add_all([r, journal])
    session.flush()
    return {"a": a.id, "b": b.id, "wave": wave.id, "r": r.id, "journal": journal.id}


def _rating(ids: dict[str, int], **values: int | None) -> m.RosterRating:
    return m.RosterRating(respondent_id=ids["r"], rated_actor_id=ids["b"], **values)


BAD_ROWS: dict[str, Callable[[dict[str, int]], m.Base]] = {
    "likert above 5": lambda ids: m.LikertAnswer(respondent_id=ids["r"], item="conf_1", value=6),
    "likert below 1": lambda ids: m.LikertAnswer(respondent_id=ids["r"], item="conf_1", value=0),
    "level above 5": lambda ids: _rating(ids, level=6),
    "negative level": lambda ids: _rating(ids, level=-1),
    "trust above 4": lambda ids: _rating(ids, level=2, trust_reliable=5),
    "trust below 1": lambda ids: _rating(ids, level=2, trust_open=0),
    "trust without a tie": lambda ids: _rating(ids, level=0, trust_mission=3),
    "unknown sector": lambda ids: m.Actor(
        territory_id=TERRITORY, org_id="x", name="X", sector="ong"
    ),
    "duplicate org_id in a territory": lambda ids: m.Actor(
        territory_id=TERRITORY, org_id="mairie", name="Autre", sector="autre"
    ),
    "duplicate respondent id in a wave": lambda ids: m.Respondent(
        wave_id=ids["wave"],
        respondent_key="R1",
        actor_id=ids["b"],
        sector="association",
        submitted_at=dt.date(2024, 1, 11),
    ),
    "second journal for a territory-month": lambda ids: m.Journal(
        territory_id=TERRITORY, month=dt.date(2024, 1, 1), declared_stage="x"
    ),
    "journal month not a first day": lambda ids: m.Journal(
        territory_id=TERRITORY, month=dt.date(2024, 2, 15), declared_stage="x"
    ),
    "unknown journal status": lambda ids: m.Journal(
        territory_id=TERRITORY, month=dt.date(2024, 3, 1), declared_stage="x", status="final"
    ),
    "rubric score above 3": lambda ids: m.JournalRubric(
        journal_id=ids["journal"], milestone_id="charter", score=4
    ),
    "negative participants": lambda ids: m.EventParticipants(
        event_id=ids["event"], sector="habitant", count=-2
    ),
    "actor of an unknown territory": lambda ids: m.Actor(
        territory_id="atlantide", org_id="y", name="Y", sector="autre"
    ),
    "rating of an unknown actor": lambda ids: m.RosterRating(
        respondent_id=ids["r"], rated_actor_id=99999, level=1
    ),
    "binome without territory": lambda ids: m.UserAccount(
        email="b@x.fr", display_name="B", role="binome"
    ),
    "funder with a territory": lambda ids: m.UserAccount(
        email="f@x.fr", display_name="F", role="funder", territory_id=TERRITORY
    ),
    "unknown role": lambda ids: m.UserAccount(email="a@x.fr", display_name="A", role="admin"),
    "action ending before it starts": lambda ids: m.JointAction(
        territory_id=TERRITORY,
        title="T",
        start_date=dt.date(2024, 5, 1),
        end_date=dt.date(2024, 4, 1),
        status="completed",
    ),
    "negative wave number": lambda ids: m.SurveyWave(territory_id=TERRITORY, number=-1),
    "wave number above 999": lambda ids: m.SurveyWave(territory_id=TERRITORY, number=1000),
    "coordination funding of zero": lambda ids: m.CoordinationFunding(
        territory_id=TERRITORY, funder="FdF", start_month=dt.date(2024, 1, 1), amount_eur=0
    ),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_row_is_rejected_and_nothing_is_written(engine: Engine, case: str) -> None:
    with session_scope(engine, "test") as session:
        ids = _base(session)
        event = m.JournalEvent(
            journal_id=ids["journal"], held_on=dt.date(2024, 1, 5), kind="workshop", title="A"
        )
        session.add(event)
        session.flush()
        ids["event"] = event.id
    table = BAD_ROWS[case](ids).__table__

    def count() -> int:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(table))

    before = count()
    with pytest.raises(IntegrityError), session_scope(engine, "test") as session:
        session.add(BAD_ROWS[case](ids))
    assert count() == before


def test_valid_rating_with_trust_is_accepted(engine: Engine) -> None:
    with session_scope(engine, "test") as session:
        ids = _base(session)
        session.add(_rating(ids, level=3, trust_reliable=4, trust_mission=3, trust_open=1))
    with engine.connect() as connection:
        stored = connection.execute(select(m.RosterRating.level, m.RosterRating.trust_open)).one()
    assert tuple(stored) == (3, 1)
