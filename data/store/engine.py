"""Engine factory: SQLite file by default, PostgreSQL through ``DATABASE_URL``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from data.store.audit import install as install_audit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "cooperascope.db"

install_audit()


def database_url() -> str:
    """The database of this process: ``DATABASE_URL`` or the embedded SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """Create an engine; on SQLite, foreign keys are enforced and the file's folder created."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True)


def describe(engine: Engine) -> str:
    """The engine's URL without password, for messages."""
    return engine.url.render_as_string(hide_password=True)


@contextmanager
def session_scope(engine: Engine, actor: str, *, serialised: bool = False) -> Iterator[Session]:
    """A session in one transaction, committed on success; writes are audited as ``actor``.

    ``serialised``: the transaction is one writer at a time with the other serialised ones on
    what it reads with ``with_for_update()``: PostgreSQL locks those rows; SQLite, which has no
    row locks, takes the database's write lock at the start (``BEGIN IMMEDIATE``), so what the
    transaction reads cannot change before it commits.
    """
    session = sessionmaker(engine)(info={"actor": actor})
    try:
        with session.begin():
            if serialised and engine.dialect.name == "sqlite":
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session
    finally:
        session.close()
