"""PostgreSQL's side of ``data.store.backup``: pg_dump, pg_restore and psql (the client tools
of PostgreSQL 15, which ``make pg-client`` installs).

The engine's URL becomes a libpq connection string (its ``options=-csearch_path=…`` included);
the password travels in ``PGPASSWORD``, never on a command line. The tools' messages are read
in English (``LC_ALL=C``): their progress lines are parsed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import IO

from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine, text

from data.store.backup_info import (
    UNCHANGED,
    BackupError,
    BackupInfo,
    Progress,
    damaged,
    not_a_backup,
    unmigrated,
)
from data.store.migrate import current_revision

CLIENT_HINT = "installez le client PostgreSQL 15 (make pg-client, paquet postgresql-client-15)"
DUMPING = re.compile(r'dumping contents of table "(?:[^"]*\.)?(?P<table>[^"]+)"')
COPYING = re.compile(rb"^COPY (?:\S+\.)?(?P<table>\S+) ")
# A line of ``pg_restore --list``: "<id>; <catalog> <oid> <type> <schema> <name> <owner>".
TOC_LINE = re.compile(r"^\d+; \d+ \d+ ")
REVISION_DATA = re.compile(r"^TABLE DATA (?P<schema>\S+) alembic_version ")
SCHEMA_ENTRY = re.compile(r"^(COMMENT - )?SCHEMA ")


def tool(name: str) -> str:
    """The path of a PostgreSQL client tool; a French error if it is not installed."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} introuvable sur cette machine : {CLIENT_HINT}.")
    return found


def _environment(password: object = None) -> dict[str, str]:
    env = {**os.environ, "LC_ALL": "C"}
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def _conninfo(engine: Engine) -> str:
    url = engine.url
    options = {k: v if isinstance(v, str) else v[-1] for k, v in url.query.items()}
    port = str(url.port) if url.port else None
    return make_conninfo(
        "", host=url.host, port=port, user=url.username, dbname=url.database, **options
    )


def _schema(engine: Engine) -> tuple[str, int]:
    """The schema the engine works in (its search_path's first existing one), and its number
    of tables."""
    with engine.connect() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
        tables = connection.scalar(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        )
    if schema is None:
        raise BackupError(
            "Aucun schéma du search_path de la base n'existe : créez-le (CREATE SCHEMA), ou "
            "corrigez l'option search_path de --database-url."
        )
    return str(schema), int(tables)


def _last_lines(log: str) -> str:
    return " / ".join([line.strip() for line in log.splitlines() if line.strip()][-5:])


def dump(engine: Engine, output: Path, say: Progress) -> BackupInfo:
    """``pg_dump --format=custom`` of the engine's schema into ``output``, a line a table."""
    revision = current_revision(engine)
    if revision is None:
        raise unmigrated()
    schema, tables = _schema(engine)
    name = '"' + schema.replace('"', '""') + '"'  # quoted: a name, not a pattern
    command = [tool("pg_dump"), "--format=custom", "--verbose", f"--schema={name}"]
    command += [f"--file={output}", f"--dbname={_conninfo(engine)}"]
    log, done = [], 0
    env = _environment(engine.url.password)
    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            if found := DUMPING.search(line):
                done += 1
                say(f"Sauvegarde : table « {found['table']} » ({done}/{tables})")
    if process.returncode != 0:
        detail = _last_lines("".join(log))
        raise BackupError(f"pg_dump a échoué (code {process.returncode}) : {detail}")
    return BackupInfo("postgresql", revision, schema)


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, env=_environment())


def read(path: Path) -> tuple[BackupInfo, list[str]]:
    """The archive's schema and revision, and its table of contents (``pg_restore --list``)."""
    pg_restore = tool("pg_restore")
    listing = _run([pg_restore, "--list", str(path)])
    if listing.returncode != 0:
        raise damaged(path, listing.stderr.strip())
    toc = listing.stdout.splitlines()
    schemas = [m["schema"] for x in toc if (m := REVISION_DATA.match(TOC_LINE.sub("", x)))]
    if not schemas:
        raise not_a_backup(path, "c'est une archive pg_dump, sans table alembic_version")
    table = ["--data-only", f"--schema={schemas[0]}", "--table=alembic_version"]
    data = _run([pg_restore, *table, "--file=-", str(path)])
    lines = data.stdout.splitlines()
    start = next((i for i, x in enumerate(lines) if x.startswith("COPY ")), len(lines))
    if data.returncode != 0 or start + 1 >= len(lines):
        raise damaged(path, data.stderr.strip() or "révision illisible")
    if lines[start + 1] == "\\.":
        raise not_a_backup(path, "sa table alembic_version est vide")
    return BackupInfo("postgresql", lines[start + 1], schemas[0]), toc


def _drop_tables(schema: str) -> bytes:
    """SQL that drops every table and sequence of ``schema``, but not the schema itself (its
    owner and grants stay)."""
    literal = "'" + schema.replace("'", "''") + "'"
    return f"""
DO $$
DECLARE item record;
BEGIN
  FOR item IN SELECT format('%I.%I', schemaname, tablename) AS name
              FROM pg_tables WHERE schemaname = {literal} LOOP
    EXECUTE 'DROP TABLE IF EXISTS ' || item.name || ' CASCADE';
  END LOOP;
  FOR item IN SELECT format('%I.%I', sequence_schema, sequence_name) AS name
              FROM information_schema.sequences WHERE sequence_schema = {literal} LOOP
    EXECUTE 'DROP SEQUENCE IF EXISTS ' || item.name || ' CASCADE';
  END LOOP;
END $$;
""".encode()


def restore(engine: Engine, source: Path, info: BackupInfo, toc: list[str], say: Progress) -> None:
    """Replace the engine's schema's tables by the archive's, in one transaction, a line a
    table. The archive must come from a schema of the same name: its script names it."""
    schema, _ = _schema(engine)
    if schema != info.schema:
        raise BackupError(
            f"« {source.name} » est la sauvegarde du schéma « {info.schema} », la base utilise le "
            f"schéma « {schema} » : restaurez-la dans une base dont le search_path est "
            f"« {info.schema} »."
        )
    # The schema is the target's own: its entry and its comment are left out of the script.
    kept = [x for x in toc if not (TOC_LINE.match(x) and SCHEMA_ENTRY.match(TOC_LINE.sub("", x)))]
    tables = sum(1 for x in kept if TOC_LINE.match(x) and " TABLE DATA " in x)
    with tempfile.TemporaryDirectory(prefix="cooperascope-restore-") as folder:
        listing = Path(folder) / "toc.list"
        listing.write_text("\n".join(kept) + "\n", encoding="utf-8")
        logs = [(Path(folder) / f"{name}.log").open("w+", encoding="utf-8") for name in "ab"]
        script = [tool("pg_restore"), "--no-owner", "--no-acl", f"--use-list={listing}"]
        psql = [tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1"]
        try:
            codes = _in_one_transaction(
                [*script, "--file=-", str(source)],
                [*psql, f"--dbname={_conninfo(engine)}"],
                _environment(engine.url.password),
                _drop_tables(schema),
                (logs[0], logs[1]),
                lambda table, n: say(f"Restauration : table « {table} » ({n}/{tables})"),
            )
            for log in logs:
                log.seek(0)
            if codes[0] != 0:  # pg_restore could not read the whole archive
                raise damaged(source, _last_lines(logs[0].read()))
            if codes[1] != 0:
                detail = _last_lines(logs[1].read())
                raise BackupError(f"psql a échoué (code {codes[1]}) : {detail} ; {UNCHANGED}.")
        finally:
            for log in logs:
                log.close()
    say("Restauration : transaction validée.")


def _in_one_transaction(
    script: list[str],
    psql: list[str],
    env: dict[str, str],
    prelude: bytes,
    logs: tuple[IO[str], IO[str]],
    on_table: Callable[[str, int], None],
) -> tuple[int, int]:
    """Pipe ``script`` (a command writing SQL) into ``psql``, after ``BEGIN`` and ``prelude``;
    ``COMMIT`` follows only if ``script`` ends well. A script that fails, a kill or an
    exception from ``on_table`` (called at each table's data) end psql's input without it:
    its session ends and the server rolls the transaction back. Return both exit codes."""
    writer = subprocess.Popen(script, stdout=subprocess.PIPE, stderr=logs[0], env=env)
    reader = subprocess.Popen(
        psql, stdin=subprocess.PIPE, stdout=logs[1], stderr=subprocess.STDOUT, env=env
    )
    assert writer.stdout is not None and reader.stdin is not None
    try:
        reader.stdin.write(b"BEGIN;\n" + prelude)
        copied = 0
        for line in writer.stdout:
            if found := COPYING.match(line):
                copied += 1
                on_table(found["table"].decode().strip('"'), copied)
            reader.stdin.write(line)
        if writer.wait() == 0:
            reader.stdin.write(b"COMMIT;\n")
    except BrokenPipeError:  # psql stopped at an error: its log says which
        writer.kill()
    except BaseException:
        writer.kill()
        reader.kill()
        raise
    finally:
        writer.stdout.close()
        with suppress(OSError):  # psql may be gone with bytes still unsent
            reader.stdin.close()
        codes = (writer.wait(), reader.wait())
    return codes
