"""Journal writes under concurrency, on SQLite and PostgreSQL: a save that read the journal
before an approval cannot undo it, two first saves of a month do not crash, and a page saving
what it read is told when someone wrote the journal meanwhile.

The races are made deterministic: the first writer pauses between its read and its write
(inside ``check_journal``, which runs between them) while the second one runs.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from data.access import Role, Scope
from data.domain import journal as journal_checks
from data.domain.journal import JournalInput
from data.services import journal as service
from data.services.journal import Conflict, Locked, approve_month, save_journal
from data.store.engine import session_scope
from data.store.models import Journal, UserAccount

MONTH = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 23)
ROYA = Scope(role=Role.BINOME, territory_id="roya", user="binome.roya@tec-demo.fr")
LEAD = Scope(role=Role.LEAD, user="direction@tec-demo.fr")
PAUSE = 0.8  # seconds the first writer holds still between its read and its write
ENTRY = JournalInput(
    declared_stage="structuration",
    narrative_strengths="Forces.",
    narrative_difficulties="Difficultés.",
    narrative_next_steps="Suite.",
)


@pytest.fixture(autouse=True)
def _no_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The indicator refresh runs after a save's transaction has committed: left out here, so
    that a writer's end time is the end of its transaction, which is what is raced."""
    monkeypatch.setattr(service, "compute", lambda *args, **kwargs: None)


@pytest.fixture
def lead_id(engine: Engine) -> int:
    with session_scope(engine, "test") as session:
        lead = UserAccount(email="direction@tec-demo.fr", display_name="Cécile", role="lead")
        session.add(lead)
        session.flush()
        return lead.id


def _pausing_checks(monkeypatch: pytest.MonkeyPatch, read_done: threading.Event) -> None:
    """The first save to run its checks signals it has read the journal, then pauses."""
    original = journal_checks.check_journal
    first = threading.Lock()

    def paused(*args, **kwargs):  # type: ignore[no-untyped-def]
        if first.acquire(blocking=False):
            read_done.set()
            time.sleep(PAUSE)
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "check_journal", paused)


def _run(target: Callable[[], object], outcome: dict[str, object], name: str) -> threading.Thread:
    def body() -> None:
        try:
            outcome[name] = target()
        except Exception as error:  # recorded for the assertions
            outcome[name] = error

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def _state(engine: Engine) -> tuple[str, int | None, int]:
    with engine.connect() as connection:
        row = connection.execute(
            select(Journal.status, Journal.approved_by, Journal.version).where(
                Journal.territory_id == "roya", Journal.month == MONTH
            )
        ).one()
    return row.status, row.approved_by, row.version


def test_a_save_that_read_before_an_approval_cannot_undo_it(
    engine: Engine, lead_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_journal(engine, ROYA, "roya", MONTH, ENTRY, submit=True, today=TODAY)
    read_done = threading.Event()
    _pausing_checks(monkeypatch, read_done)
    outcome: dict[str, object] = {}
    # The binôme re-saves as a draft; while it holds still, the lead approves.
    saver = _run(
        lambda: save_journal(engine, ROYA, "roya", MONTH, ENTRY, submit=False, today=TODAY),
        outcome,
        "save",
    )
    assert read_done.wait(10)
    approver = _run(lambda: approve_month(engine, LEAD, lead_id, "roya", MONTH), outcome, "approve")
    saver.join(30)
    approver.join(30)
    status, approved_by, _version = _state(engine)
    # Serialised: the approval waited for the save, then found a draft and refused to approve
    # it. Unserialised, it would have approved, and the save would have put the month back to
    # draft with approved_by still set.
    assert not isinstance(outcome["save"], Exception)
    assert isinstance(outcome["approve"], ValueError) and "brouillon" in str(outcome["approve"])
    # (No order of the two returns is asserted: the save returns only after recomputing the
    # indicators, outside its transaction, so the approval that waited for its commit may
    # return first. The refusal above is what shows it waited.)
    assert (status, approved_by) == ("draft", None)


def test_a_save_after_an_approval_is_refused(engine: Engine, lead_id: int) -> None:
    save_journal(engine, ROYA, "roya", MONTH, ENTRY, submit=True, today=TODAY)
    approve_month(engine, LEAD, lead_id, "roya", MONTH)
    with pytest.raises(Locked):
        save_journal(engine, ROYA, "roya", MONTH, ENTRY, submit=False, today=TODAY)
    assert _state(engine)[:2] == ("approved", lead_id)


def test_two_first_saves_of_a_month_give_one_journal_and_one_french_conflict(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_done = threading.Event()
    _pausing_checks(monkeypatch, read_done)
    outcome: dict[str, object] = {}

    def first_save() -> object:
        # Both pages read no journal for the month: base version 0.
        return save_journal(
            engine, ROYA, "roya", MONTH, ENTRY, submit=False, today=TODAY, base_version=0
        )

    one = _run(first_save, outcome, "one")
    assert read_done.wait(10)
    two = _run(first_save, outcome, "two")
    one.join(30)
    two.join(30)
    results = [outcome["one"], outcome["two"]]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 1, results
    assert "modifié entre-temps" in str(conflicts[0]) and "rechargez" in str(conflicts[0])
    assert not any(isinstance(r, Exception) and not isinstance(r, Conflict) for r in results)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Journal)) == 1
    assert _state(engine)[2] == 1


def test_a_page_saving_what_it_read_is_told_of_a_newer_version(engine: Engine) -> None:
    save_journal(engine, ROYA, "roya", MONTH, ENTRY, submit=False, today=TODAY, base_version=0)
    assert _state(engine)[2] == 1
    # Two pages read version 1; the first saves (version 2), the second is refused.
    save_journal(engine, ROYA, "roya", MONTH, ENTRY, submit=False, today=TODAY, base_version=1)
    with pytest.raises(Conflict):
        save_journal(engine, ROYA, "roya", MONTH, ENTRY, submit=True, today=TODAY, base_version=1)
    assert _state(engine)[::2] == ("draft", 2)
