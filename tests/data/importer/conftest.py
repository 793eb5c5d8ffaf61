"""Fixtures of the import tests: a Roya territory with its actors list, on both backends."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from data.config import get_config
from data.importer import import_actors, import_survey
from data.store.engine import make_engine
from data.store.migrate import upgrade
from data.store.models import Base
from data.store.sync import sync_config
from tests.conftest import BACKENDS, _drop_database, _new_database

FILES = Path(__file__).resolve().parent / "files"
# Tables that record what happened rather than hold the programme's data.
JOURNAL_TABLES = {"raw_upload", "import_report", "audit_log"}
DATA_TABLES = sorted(t for t in Base.metadata.tables if t not in JOURNAL_TABLES)


def snapshot(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every data table."""
    state = {}
    with engine.connect() as connection:
        for name in DATA_TABLES:
            table = Base.metadata.tables[name]
            rows = sorted(tuple(map(str, r)) for r in connection.execute(select(table)))
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            state[name] = (len(rows), digest)
    return state


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT count(*) FROM {table}")))


def load_roya(engine: Engine, wave0: bool = True) -> None:
    """The Roya actors list, and wave 0 (May 2024) when asked."""
    result = import_actors(
        engine, (FILES / "good" / "actors_roya.csv").read_bytes(), "actors_roya.csv", "roya", "t"
    )
    assert result.outcome == "imported", result.render_text()
    if wave0:
        result = import_survey(
            engine,
            (FILES / "good" / "survey_roya_w0.csv").read_bytes(),
            "survey_roya_w0.csv",
            "roya",
            0,
            "t",
        )
        assert result.outcome == "imported", result.render_text()


@pytest.fixture(scope="module", params=BACKENDS)
def roya_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database shared by a module's tests (which must not change its data):
    the Roya actors list and its wave 0 are loaded."""
    url, token = _new_database(request.param, tmp_path_factory.mktemp("importer"))
    engine = make_engine(url)
    upgrade(engine)
    sync_config(engine, get_config())
    load_roya(engine)
    yield engine
    engine.dispose()
    _drop_database(token)
