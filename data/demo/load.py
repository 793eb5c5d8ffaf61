"""Loading the demo frames into a database, and telling whether a database holds any data yet."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, Integer, Table, func, select, text

from data.demo.generator import Progress
from data.store.audit import record
from data.store.bulk import CHUNK_ROWS, insert_frame
from data.store.models import Actor, Base


def database_is_empty(engine: Engine) -> bool:
    """True when the database holds no actor (the demo, or real data, was never loaded)."""
    with engine.connect() as connection:
        return connection.execute(select(Actor.id).limit(1)).first() is None


def _shift_keys(
    frames: dict[str, pd.DataFrame], offsets: dict[str, int]
) -> dict[str, pd.DataFrame]:
    """Shift integer ids (and the foreign keys pointing at them) past the rows already there."""
    if not any(offsets.values()):
        return frames
    shifted = {}
    for name, frame in frames.items():
        table = Base.metadata.tables[name]
        changes = {}
        for column in table.columns:
            if column.name not in frame.columns:
                continue
            if column.name == "id" and offsets.get(name):
                changes[column.name] = frame[column.name] + offsets[name]
            for key in column.foreign_keys:
                target = key.column
                if target.name == "id" and offsets.get(target.table.name):
                    changes[column.name] = frame[column.name] + offsets[target.table.name]
        shifted[name] = frame.assign(**changes) if changes else frame
    return shifted


def _integer_id_tables(names: Sequence[str]) -> list[Table]:
    tables = []
    for name in names:
        table = Base.metadata.tables[name]
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].name == "id" and isinstance(pk[0].type, Integer):
            tables.append(table)
    return tables


def load_demo(
    engine: Engine,
    frames: dict[str, pd.DataFrame],
    actor: str = "demo",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Insert the frames of :func:`data.demo.generator.generate_demo` in one transaction;
    return rows per table.

    The programme, stage model and configured territories must already be in the database
    (migrations + config sync); synthetic territories come with the frames. Integer ids are
    shifted past any rows already present (e.g. a user added before the demo), so the frames'
    foreign keys stay consistent. On PostgreSQL the id sequences are moved past the inserted
    ids. One ``audit_log`` row (``demo.load``) records the row counts. Any error (e.g. loading
    the same frames twice) rolls everything back.
    """
    unknown = set(frames) - set(Base.metadata.tables)
    if unknown:
        raise ValueError(f"unknown tables in demo frames: {', '.join(sorted(unknown))}")
    ordered = [t for t in Base.metadata.sorted_tables if t.name in frames]
    id_tables = _integer_id_tables([t.name for t in ordered])
    counts = {name: len(frames[name]) for name in frames}
    total = sum(counts.values())
    inserted = 0
    with engine.begin() as connection:
        offsets = {
            t.name: int(connection.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one())
            for t in id_tables
        }
        shifted = _shift_keys(frames, offsets)
        for table in ordered:
            frame = shifted[table.name]
            columns = [c.name for c in table.columns if c.name in frame.columns]

            def report(done: int, name: str = table.name, before: int = inserted) -> None:
                if progress is not None:
                    progress(f"Chargement : {name} {before + done}/{total} lignes")

            inserted += insert_frame(
                connection,
                table,
                frame[columns],
                progress=report if len(frame) > CHUNK_ROWS else None,
            )
        if connection.dialect.name == "postgresql":
            for table in id_tables:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT MAX(id) FROM {table.name}))"
                    )
                )
        record(connection, actor, "demo.load", "database", details=counts)
    if progress is not None:
        progress(f"Chargement terminé : {total} lignes")
    return counts
