"""Audit log of every write.

ORM writes are logged automatically, one row per inserted, updated or deleted object, by a
flush listener that writes in the same transaction. Bulk writes (demo load, survey import)
call :func:`record` once per operation with row counts.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import Connection, event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from data.store.models import AuditLog, Base, Territory

SECRET_COLUMNS = frozenset({"password_hash"})


def record(
    connection: Connection,
    actor: str,
    action: str,
    entity: str,
    entity_key: str | None = None,
    territory_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Write one audit row in the caller's transaction."""
    connection.execute(
        insert(AuditLog).values(
            actor=actor,
            action=action,
            entity=entity,
            entity_key=entity_key,
            territory_id=territory_id,
            details=details,
            at=dt.datetime.now(dt.UTC),
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _changes(obj: Base, action: str) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in SECRET_COLUMNS:
            if action != "delete" and state.attrs[key].history.has_changes():
                changes[key] = "(modifié)"
            continue
        history = state.attrs[key].history
        if action == "update":
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                changes[key] = [_jsonable(old), _jsonable(new)]
        else:
            changes[key] = _jsonable(getattr(obj, key))
    return changes


def _territory_of(obj: Base) -> str | None:
    if isinstance(obj, Territory):
        return obj.id
    return getattr(obj, "territory_id", None)


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    actor = session.info.get("actor", "system")
    rows = []
    for action, objects in (
        ("insert", session.new),
        ("update", [o for o in session.dirty if session.is_modified(o)]),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if isinstance(obj, AuditLog):
                continue
            identity = inspect(obj).mapper.primary_key_from_instance(obj)
            rows.append(
                {
                    "actor": actor,
                    "action": action,
                    "entity": obj.__tablename__,
                    "entity_key": "/".join(str(part) for part in identity),
                    "territory_id": _territory_of(obj),
                    "details": _changes(obj, action),
                    "at": dt.datetime.now(dt.UTC),
                }
            )
    if rows:
        session.connection().execute(insert(AuditLog), rows)
        session.info["audit_rows"] = session.info.get("audit_rows", 0) + len(rows)


def install() -> None:
    """Register the listener on every Session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
