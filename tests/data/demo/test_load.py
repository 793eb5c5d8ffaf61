"""Loading the demo into a database: one transaction, ids shifted past existing rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from data.config import AppConfig
from data.demo.generator import generate_demo
from data.demo.load import database_is_empty, load_demo
from data.store import models as m
from data.store.sync import sync_config
from tests.data.demo.conftest import END_MONTH


def _sqlite_engine(path: Path, config: AppConfig) -> Engine:
    """A new SQLite file with the schema, foreign keys on, and the configured programme."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(
        engine, "connect", lambda connection, _record: connection.execute("PRAGMA foreign_keys=ON")
    )
    m.Base.metadata.create_all(engine)
    sync_config(engine, config)
    return engine


def _counts(engine: Engine, tables: list[str]) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in tables
        }


def test_load_on_sqlite(config: AppConfig, tmp_path: Path) -> None:
    frames = generate_demo(config, n_territories=8, end_month=END_MONTH)  # 2 synthetic
    engine = _sqlite_engine(tmp_path / "demo.db", config)
    assert database_is_empty(engine)
    counts = load_demo(engine, frames)
    assert counts == {name: len(frame) for name, frame in frames.items()}
    after = _counts(engine, list(frames))
    expected = dict(counts, territory=counts["territory"] + len(config.territories))
    assert after == expected
    assert not database_is_empty(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        audit = connection.execute(select(m.AuditLog).where(m.AuditLog.action == "demo.load")).one()
        assert (audit.action, audit.entity, audit.actor) == ("demo.load", "database", "demo")
        assert audit.details == counts
        trust = connection.execute(
            select(func.count()).where(
                m.RosterRating.level == 0, m.RosterRating.trust_reliable.is_not(None)
            )
        ).scalar_one()
        assert trust == 0
    audited = _counts(engine, ["audit_log"])
    # A second load of the same frames breaks unique constraints and changes nothing.
    with pytest.raises(IntegrityError):
        load_demo(engine, frames)
    assert _counts(engine, [*frames, "audit_log"]) == {**after, **audited}
    engine.dispose()


def test_load_shifts_ids_past_existing_rows(config: AppConfig, tmp_path: Path) -> None:
    frames = generate_demo(config, n_territories=1, end_month=dt.date(2024, 3, 1))
    engine = _sqlite_engine(tmp_path / "shift.db", config)
    with engine.begin() as connection:
        connection.execute(
            insert(m.UserAccount).values(email="admin@example.org", display_name="A", role="lead")
        )
    load_demo(engine, frames)
    with engine.connect() as connection:
        lead = connection.execute(
            select(m.UserAccount.id).where(m.UserAccount.email == "direction@tec-demo.fr")
        ).scalar_one()
        approvers = connection.execute(
            select(m.Journal.approved_by).where(m.Journal.approved_by.is_not(None)).distinct()
        ).scalars()
        assert lead == 2
        assert list(approvers) == [2]
    engine.dispose()
