"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is not optional: if the server is down, the ``postgresql`` tests fail (CI starts it).
Each test gets its own schema there, and its own file on SQLite.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from data.config import DEFAULT_CONFIG_DIR, get_config
from data.store.engine import make_engine
from data.store.migrate import upgrade
from data.store.sync import sync_config

TEST_POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")
# The demo history in tests ends at a fixed month, so expected values do not move with time.
DEMO_END_MONTH = dt.date(2026, 11, 1)


def _new_database(backend: str, directory: Path) -> tuple[str, object]:
    """Return a URL to an empty database and a token to drop it with."""
    if backend == "sqlite":
        return f"sqlite:///{directory / f'{uuid.uuid4().hex[:8]}.db'}", None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(TEST_POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    admin.dispose()
    return f"{TEST_POSTGRES_URL}?options=-csearch_path%3D{schema}", schema


def _drop_database(token: object) -> None:
    if token is None:
        return
    admin = create_engine(TEST_POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {token} CASCADE")
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a new, empty database (not migrated)."""
    url, token = _new_database(request.param, tmp_path)
    yield url
    _drop_database(token)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a new database migrated to head, with the configured programme."""
    engine = make_engine(db_url)
    upgrade(engine)
    sync_config(engine, get_config())
    yield engine
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database with the default demo history, shared by read-only tests (one per backend)."""
    from data.demo.accounts import with_demo_passwords
    from data.demo.generator import generate_demo
    from data.demo.load import load_demo
    from data.store.indicator_store import compute

    url, token = _new_database(request.param, tmp_path_factory.mktemp("demo"))
    engine = make_engine(url)
    upgrade(engine)
    sync_config(engine, get_config())
    load_demo(engine, with_demo_passwords(generate_demo(get_config(), end_month=DEMO_END_MONTH)))
    compute(engine, until=DEMO_END_MONTH)
    engine.dispose()
    yield url
    _drop_database(token)


@pytest.fixture
def demo_engine(demo_url: str) -> Iterator[Engine]:
    engine = make_engine(demo_url)
    yield engine
    engine.dispose()


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    """A copy of the shipped configuration folder, to edit (see :func:`edit`)."""
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` of the text file ``path`` by ``new`` (``old`` must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def use_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """``use_config(directory)`` makes ``directory`` this process's configuration (what
    ``COOPERASCOPE_CONFIG_DIR`` says, read again) until the test ends."""

    def use(directory: Path) -> None:
        monkeypatch.setenv("COOPERASCOPE_CONFIG_DIR", str(directory))
        get_config.cache_clear()

    yield use
    get_config.cache_clear()  # the environment is restored by monkeypatch after this
