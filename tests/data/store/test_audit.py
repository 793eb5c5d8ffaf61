"""Every write is audited: ORM writes automatically, in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from data.store.engine import session_scope
from data.store.models import AuditLog, Journal


def _audit(engine: Engine) -> list[AuditLog]:
    with session_scope(engine, "reader") as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.entity == "journal")).all()
        session.expunge_all()
    return list(rows)


def test_insert_update_delete_are_logged_with_actor_and_changes(engine: Engine) -> None:
    with session_scope(engine, "binome.roya@tec-demo.fr") as session:
        journal = Journal(
            territory_id="roya",
            month=dt.date(2024, 1, 1),
            declared_stage="emergence",
            status="draft",
        )
        session.add(journal)
    with session_scope(engine, "direction@tec-demo.fr") as session:
        stored = session.scalars(select(Journal)).one()
        stored.status = "approved"
    with session_scope(engine, "direction@tec-demo.fr") as session:
        session.delete(session.scalars(select(Journal)).one())

    insert, update, delete = _audit(engine)
    assert (insert.action, insert.actor, insert.territory_id) == (
        "insert",
        "binome.roya@tec-demo.fr",
        "roya",
    )
    assert insert.details["month"] == "2024-01-01"
    assert (update.action, update.actor) == ("update", "direction@tec-demo.fr")
    assert update.details == {"status": ["draft", "approved"]}
    assert delete.action == "delete"
    assert insert.entity_key == update.entity_key == delete.entity_key


def test_failed_write_leaves_no_audit_row(engine: Engine) -> None:
    with pytest.raises(IntegrityError), session_scope(engine, "x") as session:
        session.add(Journal(territory_id="roya", month=dt.date(2024, 1, 1), declared_stage="e"))
        session.flush()
        session.add(Journal(territory_id="roya", month=dt.date(2024, 1, 1), declared_stage="e"))
    assert _audit(engine) == []
