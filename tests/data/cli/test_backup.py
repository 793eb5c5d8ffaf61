"""`cooperascope backup` and `cooperascope restore` on SQLite and PostgreSQL: a round trip with
its progress lines, and the files a restore refuses, each leaving the database as it was."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data import fr
from data.store.backup import backup
from data.store.engine import make_engine
from data.store.migrate import head_revision, upgrade
from data.store.models import Base
from tests.conftest import _drop_database, _new_database
from tests.data.cli.test_main import _run
from tests.data.importer.conftest import load_roya
from tests.data.store.test_backup import change_everything, snapshot

# The backup's tables: the models' and Alembic's own.
TABLES = len(Base.metadata.tables) + 1


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_backup_and_restore_say_their_progress_and_bring_the_data_back(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_roya(engine, wave0=False)  # the wave comes after the backup
    before = snapshot(engine)
    path = tmp_path / "sauvegarde"

    code, out = _run(capsys, _url(engine), "backup", str(path))

    assert code == 0, out
    head = head_revision(engine)
    if engine.dialect.name == "sqlite":
        # The backup is a SQLite file of as many pages as the progress lines counted.
        with closing(sqlite3.connect(path)) as copy:
            pages = copy.execute("PRAGMA page_count").fetchone()[0]
        assert f"{fr.number(pages)} pages sur {fr.number(pages)} (100\u00a0%)" in out
        assert f"(SQLite, révision {head}, " in out
    else:
        # pg_dump writes the tables in alphabetical order.
        at = sorted([*Base.metadata.tables, "alembic_version"]).index("alembic_version") + 1
        assert f"Sauvegarde : table « alembic_version » ({at}/{TABLES})" in out
        assert f"({TABLES}/{TABLES})" in out
        assert f"(PostgreSQL, révision {head}, schéma " in out
    assert f"Sauvegarde écrite : {path} " in out
    change_everything(engine)

    code, out = _run(capsys, _url(engine), "restore", str(path))

    assert code == 0, out
    assert "Base restaurée (" in out and "db upgrade" not in out
    assert snapshot(engine) == before


def _other_backend_backup(engine: Engine, folder: Path) -> Path:
    """A backup of a migrated database of the other backend."""
    other = "postgresql" if engine.dialect.name == "sqlite" else "sqlite"
    url, token = _new_database(other, folder)
    other_engine = make_engine(url)
    try:
        upgrade(other_engine)
        return backup(other_engine, folder / "autre-base").path
    finally:
        other_engine.dispose()
        _drop_database(token)


def _newer_backup(engine: Engine, folder: Path) -> Path:
    """A backup whose alembic_version is a migration this code does not have."""
    with engine.begin() as connection:
        head = connection.scalar(text("SELECT version_num FROM alembic_version"))
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    path = backup(engine, folder / "future").path
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    return path


def _truncated(keep: Callable[[int], int]) -> Callable[[Engine, Path], Path]:
    """A real backup cut to its first ``keep(size)`` bytes, named « coupee »."""

    def cut(engine: Engine, folder: Path) -> Path:
        whole = backup(engine, folder / "entiere").path.read_bytes()
        path = folder / "coupee"
        path.write_bytes(whole[: keep(len(whole))])
        return path

    return cut


def _foreign_sqlite(_engine: Engine, folder: Path) -> Path:
    path = folder / "autre.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
    return path


def _written(name: str, content: bytes) -> Callable[[Engine, Path], Path]:
    def write(_engine: Engine, folder: Path) -> Path:
        (folder / name).write_bytes(content)
        return folder / name

    return write


NOT_A_BACKUP = "n'est pas une sauvegarde Coopérascope"
CUT = "« coupee » est endommagée ou incomplète ("
NEWER = "vient d'une version plus récente de Coopérascope : sa base est à la révision 0999"
REFUSED = {
    "csv": (
        _written("acteurs.csv", b"id;nom\n1;a\n"),
        f"« acteurs.csv » {NOT_A_BACKUP} : ce n'est ni une base SQLite ni une archive pg_dump",
    ),
    "empty": (_written("vide.db", b""), f"« vide.db » {NOT_A_BACKUP}"),
    "sqlite without schema": (
        _foreign_sqlite,
        f"« autre.db » {NOT_A_BACKUP} : c'est une base SQLite, sans table alembic_version",
    ),
    # Half: SQLite's pages, pg_dump's table of contents are cut. The last 100 bytes: SQLite's
    # last page (read as zeros), the last table's data (pg_restore fails as psql writes).
    "truncated by half": (_truncated(lambda n: n // 2), CUT),
    "truncated at the end": (_truncated(lambda n: n - 100), CUT),
    "newer migration": (_newer_backup, f"« future » {NEWER}"),
    "missing": (lambda _e, folder: folder / "absent.db", "Fichier introuvable : "),
}


@pytest.mark.parametrize("case", REFUSED)
def test_restore_refuses_what_is_not_a_backup_it_can_restore(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    load_roya(engine)
    make, message = REFUSED[case]
    path = make(engine, tmp_path)
    before = snapshot(engine)

    code, out = _run(capsys, _url(engine), "restore", str(path))

    assert code == 1
    assert message in out, out
    assert snapshot(engine) == before


def test_the_other_backend_is_named_in_the_refusal(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backend, other = ("SQLite", "PostgreSQL")[:: 1 if engine.dialect.name == "sqlite" else -1]
    path = _other_backend_backup(engine, tmp_path)
    before = snapshot(engine)
    code, out = _run(capsys, _url(engine), "restore", str(path))
    assert code == 1 and snapshot(engine) == before
    assert (
        f"est une sauvegarde {other}, la base à restaurer est {backend} : restaurez-la dans une "
        f"base {other} (option --database-url)."
    ) in out


def test_backup_refuses_an_unmigrated_database_a_missing_folder_and_the_database_itself(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(capsys, db_url, "backup", str(tmp_path / "sauvegarde"))
    assert code == 1 and "rien à sauvegarder. Lancez d'abord : cooperascope db upgrade" in out
    _run(capsys, db_url, "db", "upgrade")
    code, out = _run(capsys, db_url, "backup", str(tmp_path / "absent" / "sauvegarde"))
    assert code == 1 and f"Dossier introuvable : {tmp_path / 'absent'}." in out
    if db_url.startswith("sqlite"):
        database = db_url.removeprefix("sqlite:///")
        code, out = _run(capsys, db_url, "backup", database)
        assert code == 1 and "est la base elle-même" in out
    assert list(tmp_path.glob(".*")) == []  # no partial file left behind


def test_postgresql_needs_its_client_tools_and_sqlite_none(
    engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump, no psql
    code, out = _run(capsys, _url(engine), "backup", str(tmp_path / "sauvegarde"))
    if engine.dialect.name == "sqlite":
        assert code == 0, out
    else:
        assert code == 1
        assert "pg_dump introuvable sur cette machine : installez le client PostgreSQL 15" in out
        assert not (tmp_path / "sauvegarde").exists()


def test_postgresql_refuses_another_schema_s_backup_and_an_archive_without_alembic_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    databases = [_new_database("postgresql", tmp_path) for _ in range(2)]
    engines = [make_engine(url) for url, _ in databases]
    source, target = (token for _, token in databases)
    try:
        for each in engines:
            upgrade(each)
        path = backup(engines[0], tmp_path / "sauvegarde").path
        before = snapshot(engines[1])
        code, out = _run(capsys, _url(engines[1]), "restore", str(path))
        assert code == 1
        assert f"est la sauvegarde du schéma « {source} », la base utilise le schéma" in out
        assert f"utilise le schéma « {target} »" in out
        # pg_dump's own archive of a schema that is not Coopérascope's.
        with engines[0].begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
        foreign = tmp_path / "autre.dump"
        url = engines[0].url
        conninfo = (
            f"dbname={url.database} host={url.host} port={url.port or 5432} user={url.username}"
        )
        dump = ["pg_dump", "--format=custom", f"--schema={source}", f"--file={foreign}", conninfo]
        subprocess.run(dump, check=True)
        code, out = _run(capsys, _url(engines[1]), "restore", str(foreign))
        assert code == 1
        assert "« autre.dump » n'est pas une sauvegarde Coopérascope : c'est une archive" in out
        assert snapshot(engines[1]) == before
    finally:
        for each in engines:
            each.dispose()
        for _, token in databases:
            _drop_database(token)
