"""Backups of the database, and restoring one (``cooperascope backup`` / ``restore``).

A backup is the database as it was at one moment, whatever is written while it is taken:

- SQLite: a copy of the database file by SQLite's online backup API, page by page from one
  read transaction (WAL lets writers go on meanwhile; what they write is not in the copy). The
  backup is an ordinary SQLite file, in rollback-journal mode (no ``-wal`` beside it).
- PostgreSQL: ``pg_dump --format=custom`` of the schema the engine works in (the first
  existing schema of its ``search_path``), which pg_dump reads in one snapshot
  (``data.store.backup_postgres``).

A restore first reads the file: it must be a backup of the engine's backend, readable, of a
migration this code knows (its ``alembic_version``; an older one is restored, then needs
``cooperascope db upgrade``). Then it replaces the whole database in one transaction:

- SQLite: the backup API writes every page of the backup into the database in one write
  transaction. Connections open elsewhere (the dashboard's) stay valid: they read the old
  database until the commit, the backup after it; writers wait for the end (busy timeout).
- PostgreSQL: psql runs, in one transaction, the drop of the schema's tables and sequences and
  pg_restore's script of the backup (the schema itself is kept, with its owner and grants);
  the commit is sent only once pg_restore has read the whole file. The drop locks the tables:
  the dashboard's queries wait for the commit, and one that was already waiting on a dropped
  table fails once.

Either way, a restore that fails or is killed leaves the database as it was. Sign-in sessions
opened since the backup end (the sessions table is the backup's), and the dashboard's cached
reads may show the old data until they expire (10 minutes) or the dashboard restarts.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from data import fr
from data.store import backup_postgres
from data.store.backup_info import (
    BACKEND_LABELS,
    UNCHANGED,
    WRITTEN_BY,
    Backend,
    BackupError,
    BackupInfo,
    Progress,
    damaged,
    not_a_backup,
    unmigrated,
)
from data.store.migrate import known_revisions

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
PAGES_PER_STEP = 256  # SQLite pages copied per step of the backup API (1 MiB at 4 KiB a page)
PAGE_PRAGMAS = ("page_count", "page_size")
BUSY_SECONDS = 30.0  # how long a SQLite connection waits for another's lock


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    info: BackupInfo
    size_bytes: int
    seconds: float


@dataclass(frozen=True)
class RestoreSummary:
    info: BackupInfo
    seconds: float
    upgrade_needed: bool  # the backup's migration is older than this code's latest


def backup(
    engine: Engine,
    output: Path,
    progress: Progress | None = None,
    *,
    pages_per_step: int = PAGES_PER_STEP,
) -> BackupSummary:
    """Write a backup of ``engine``'s database to ``output`` (replaced if it exists): to a
    temporary file beside it first, renamed once complete, so that ``output`` is never half
    written. ``progress`` receives French lines (pages copied, or tables dumped);
    ``pages_per_step``: SQLite pages copied between two calls of the backup API."""
    started = time.perf_counter()
    say = progress or _silent
    output = Path(output)
    if not output.parent.is_dir():
        raise BackupError(f"Dossier introuvable : {output.parent}. Créez-le, ou choisissez-en un.")
    if output.is_dir():
        raise BackupError(f"« {output} » est un dossier : donnez le nom du fichier à écrire.")
    backend = _backend(engine)
    if backend == "sqlite" and _is_database_file(output, _sqlite_path(engine)):
        raise BackupError(f"« {output} » est la base elle-même : choisissez un autre fichier.")
    partial = output.with_name(f".{output.name}.{os.getpid()}.partiel")
    try:
        if backend == "sqlite":
            info = _sqlite_backup(engine, partial, say, pages_per_step)
        else:
            info = backup_postgres.dump(engine, partial, say)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(output, info, output.stat().st_size, time.perf_counter() - started)


def restore(
    engine: Engine,
    source: Path,
    progress: Progress | None = None,
    *,
    pages_per_step: int = PAGES_PER_STEP,
) -> RestoreSummary:
    """Replace ``engine``'s database by the backup ``source``, in one transaction, once the
    file is known to be a backup of this backend and of a migration this code knows
    (:class:`BackupError` otherwise, the database untouched). ``pages_per_step``: SQLite
    pages written between two calls of the backup API."""
    started = time.perf_counter()
    say = progress or _silent
    source = Path(source)
    backend = _backend(engine)
    kind = _backup_kind(source)
    info = _read_sqlite_backup(source) if kind == "sqlite" else None
    if kind != backend:
        raise BackupError(
            f"« {source.name} » est une sauvegarde {BACKEND_LABELS[kind]}, la base à restaurer "
            f"est {BACKEND_LABELS[backend]} : restaurez-la dans une base {BACKEND_LABELS[kind]} "
            "(option --database-url)."
        )
    known = known_revisions(engine)
    if info is not None:
        _require_known(source, info, known)
        if _is_database_file(source, _sqlite_path(engine)):
            raise BackupError(f"« {source} » est la base elle-même. {WRITTEN_BY}")
        _sqlite_restore(engine, source, say, pages_per_step)
    else:
        info, toc = backup_postgres.read(source)
        _require_known(source, info, known)
        backup_postgres.restore(engine, source, info, toc, say)
    return RestoreSummary(info, time.perf_counter() - started, info.revision != known[-1])


def _silent(_message: str) -> None:
    pass


def _backend(engine: Engine) -> Backend:
    name = engine.dialect.name
    if name not in BACKEND_LABELS:
        raise BackupError(f"Base {name} : seules SQLite et PostgreSQL se sauvegardent.")
    return name  # type: ignore[return-value]


def _backup_kind(path: Path) -> Backend:
    """The backend a backup file comes from, by its first bytes."""
    if not path.is_file():
        raise BackupError(f"Fichier introuvable : {path}.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise not_a_backup(path, "ce n'est ni une base SQLite ni une archive pg_dump")


def _require_known(path: Path, info: BackupInfo, known: list[str]) -> None:
    if info.revision not in known:
        raise BackupError(
            f"« {path.name} » vient d'une version plus récente de Coopérascope : sa base est à la "
            f"révision {info.revision}, que cette version ne connaît pas (la plus récente qu'elle "
            f"connaît : {known[-1]}) ; {UNCHANGED}. Mettez Coopérascope à jour, puis restaurez."
        )


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("Une base SQLite en mémoire ne se sauvegarde pas : donnez un fichier.")
    return Path(database)


def _is_database_file(path: Path, database: Path) -> bool:
    """Whether ``path`` is the SQLite database file or one of its companions (-wal, -shm)."""
    companions = {Path(f"{database.resolve()}{suffix}") for suffix in ("", "-wal", "-shm")}
    same = path.exists() and database.exists() and os.path.samefile(path, database)
    return same or path.resolve() in companions


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no such table
        return None
    return row[0] if row else None


def _page_progress(say: Progress, verb: str) -> Callable[[int, int, int], None]:
    """A backup-API progress callback that says the first step and each tenth of the pages."""
    said = -1

    def report(status: int, remaining: int, total: int) -> None:
        nonlocal said
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            say(f"{verb} : la base est occupée par une écriture, en attente…")
        done = total - remaining
        tenth = 10 * done // total if total else 10
        if tenth > said:
            said = tenth
            share = fr.percent(done / total if total else 1)
            say(f"{verb} : {fr.number(done)} pages sur {fr.number(total)} ({share})")

    return report


def _sqlite_backup(engine: Engine, output: Path, say: Progress, pages_per_step: int) -> BackupInfo:
    source = sqlite3.connect(_sqlite_path(engine), timeout=BUSY_SECONDS, isolation_level=None)
    with closing(source):
        # One read transaction for the whole copy: every step reads the same snapshot, so the
        # backup is the database at this point, however many steps and writes follow.
        source.execute("BEGIN")
        revision = _sqlite_revision(source)
        if revision is None:
            raise unmigrated()
        try:
            with closing(sqlite3.connect(output)) as target:
                report = _page_progress(say, "Sauvegarde")
                source.backup(target, pages=pages_per_step, progress=report)
                target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        except sqlite3.Error as exc:  # the disk full, say: no backup is written
            raise BackupError(f"Sauvegarde interrompue ({exc}) : aucun fichier écrit.") from None
        source.execute("COMMIT")
    return BackupInfo("sqlite", revision)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _read_sqlite_backup(path: Path) -> BackupInfo:
    try:
        with closing(_read_only(path)) as connection:
            pages, size = (connection.execute(f"PRAGMA {p}").fetchone()[0] for p in PAGE_PRAGMAS)
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            revision = _sqlite_revision(connection) if check == "ok" else None
    except sqlite3.DatabaseError as exc:
        raise damaged(path, str(exc)) from None
    # SQLite reads missing bytes at the end of a file as zeros, which quick_check may miss.
    if path.stat().st_size != pages * size:
        expected = fr.number(pages * size)
        raise damaged(path, f"{fr.number(path.stat().st_size)} octets au lieu de {expected}")
    if check != "ok":
        raise damaged(path, check)
    if revision is None:
        raise not_a_backup(path, "c'est une base SQLite, sans table alembic_version")
    return BackupInfo("sqlite", revision)


def _sqlite_restore(engine: Engine, source: Path, say: Progress, pages_per_step: int) -> None:
    target = sqlite3.connect(_sqlite_path(engine), timeout=BUSY_SECONDS)
    with closing(_read_only(source)) as backup_file, closing(target):
        sizes = [c.execute("PRAGMA page_size").fetchone()[0] for c in (backup_file, target)]
        if target.execute("PRAGMA journal_mode").fetchone()[0] == "wal" and sizes[0] != sizes[1]:
            raise BackupError(  # SQLite cannot change the page size of a WAL database
                f"« {source.name} » a des pages de {sizes[0]} octets, la base de {sizes[1]} "
                "(mode WAL) : arrêtez le tableau de bord, déplacez la base et ses fichiers -wal "
                f"et -shm, puis restaurez ; {UNCHANGED}."
            )
        report = _page_progress(say, "Restauration")
        try:
            backup_file.backup(target, pages=pages_per_step, progress=report)
        except sqlite3.Error as exc:
            raise BackupError(f"Restauration interrompue ({exc}) : {UNCHANGED}.") from None
