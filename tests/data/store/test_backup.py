"""Backup and restore (data/store/backup.py) on SQLite and on PostgreSQL: a backup taken while
another thread writes is the database at one moment, a restore brings exactly that back, and
a restore stopped midway changes nothing. The command line and its refusals:
tests/data/cli/test_backup.py."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, table, text

from data.access import Scope
from data.importer import import_survey
from data.services.accounts import create_account
from data.store import audit
from data.store.backup import backup, restore
from data.store.models import AuditLog, Base
from tests.data.importer.conftest import FILES, load_roya

WRITER = "backup-test-writer"  # the audit entity of the concurrent writer's rows
WAIT_SECONDS = 120  # a bound for liveness (the writer commits), not a timing


def snapshot(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and SHA-256 of the sorted rows of every table, alembic_version included; the
    concurrent writer's audit rows are left out (see :func:`writer_rows`)."""
    state = {}
    tables = [*Base.metadata.sorted_tables, table("alembic_version")]
    with engine.connect() as connection:
        for each in tables:
            query = select(text("*")).select_from(each)
            if each.name == AuditLog.__tablename__:
                query = query.where(AuditLog.entity != WRITER)
            rows = sorted(tuple(map(str, r)) for r in connection.execute(query))
            state[each.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def writer_rows(engine: Engine) -> list[int]:
    """The numbers of the concurrent writer's rows, in order."""
    with engine.connect() as connection:
        details = connection.scalars(select(AuditLog.details).where(AuditLog.entity == WRITER))
        return sorted(d["n"] for d in details)


@dataclass
class Writer:
    """A thread that commits audit rows numbered 1, 2, 3… one transaction each, until stopped.
    ``started``: transactions begun; ``committed``: transactions committed."""

    engine: Engine
    started: int = 0
    committed: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def run(self) -> None:
        while not self.stop.is_set():
            with self.changed:
                self.started += 1
                number = self.started
            with self.engine.begin() as connection:
                audit.record(connection, "test", "write", WRITER, details={"n": number})
            with self.changed:
                self.committed = number
                self.changed.notify_all()

    def wait_for(self, committed: int) -> None:
        with self.changed:
            done = self.changed.wait_for(lambda: self.committed >= committed, WAIT_SECONDS)
        assert done, f"the writer did not reach {committed} commits"


def change_everything(engine: Engine) -> None:
    """Changes to several tables after the backup: a survey wave, an account, a deletion."""
    wave = (FILES / "good" / "survey_roya_w0.csv").read_bytes()
    assert import_survey(engine, wave, "vague0.csv", "roya", 0, "t").outcome == "imported"
    create_account(
        engine,
        Scope.system(),
        "x@y.fr",
        "X",
        "lead",
        None,
        "un-mot-de-passe-long",
        all_programmes=True,
    )
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = 1"))


def test_a_backup_under_writes_restores_the_database_of_one_moment(
    engine: Engine, tmp_path: Path
) -> None:
    load_roya(engine, wave0=False)
    before = snapshot(engine)  # no writer row yet
    running = Writer(engine)
    thread = threading.Thread(target=running.run)
    thread.start()
    try:
        running.wait_for(3)
        committed_before = running.committed
        seen: list[int] = []

        def progress(_message: str) -> None:
            # At the first step the backup's snapshot is taken: let the writer commit twice
            # more while the backup goes on.
            if not seen:
                seen.append(running.started)
                running.wait_for(running.started + 2)

        # A page a step (SQLite): the writes land between the steps of one backup.
        summary = backup(engine, tmp_path / "sauvegarde", progress=progress, pages_per_step=1)
        committed_after = running.committed
    finally:
        running.stop.set()
        thread.join()
    change_everything(engine)
    assert snapshot(engine) != before

    restore(engine, summary.path)

    assert snapshot(engine) == before
    # The writer's rows are those committed when the backup's snapshot was taken: all those
    # committed before it began, none begun after its first step, and so not the last ones.
    numbers = writer_rows(engine)
    assert numbers == list(range(1, len(numbers) + 1))
    assert committed_before <= len(numbers) <= seen[0] < committed_after


class Interrupted(Exception):
    """Raised by the test's progress callback, as a kill would stop the restore."""


def test_a_restore_stopped_midway_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    load_roya(engine, wave0=False)
    before = snapshot(engine)
    path = backup(engine, tmp_path / "sauvegarde").path
    change_everything(engine)
    changed = snapshot(engine)
    calls = []

    def stop_at_the_second_step(message: str) -> None:
        calls.append(message)
        if len(calls) == 2:
            raise Interrupted

    # SQLite: a page a step, so the restore is stopped with most pages still to write;
    # PostgreSQL: a step a table, stopped at the second table's data.
    with pytest.raises(Interrupted):
        restore(engine, path, progress=stop_at_the_second_step, pages_per_step=1)

    assert snapshot(engine) == changed
    restore(engine, path)
    assert snapshot(engine) == before
