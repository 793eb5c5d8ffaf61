"""Benchmark of the indicator engine at 6, 100 and 1,000 territories, against DuckDB.

For each scale the demo generator builds a database (36 months, a survey wave every six months,
about 60 actors per territory) with a fixed end month, so that every run computes the same
thing. Then, each figure being the median of several runs:

- **full compute**: ``compute(force=True)`` — read every territory from the database, compute
  every catalogue indicator, the stages, and write the long table — in a fresh child process,
  whose peak RSS is the **peak memory** reported (what a server process doing it would need);
- **refresh of one territory**: a journal is changed through the ORM (so the audit log marks
  its territory stale), then ``compute()`` without a territory list must pick exactly that one;
- **reference**: the heavy survey aggregations (nodes, L(i→j), pair tie levels, densities at
  level ≥ 1 and ≥ 3, mean tie level, the seven factor scores, trust) written as DuckDB SQL over
  the same rows, already loaded in DuckDB, timed against our engine on frames already loaded
  (``compute_long``, all indicators; and ``prepare`` + the same eleven indicators). DuckDB's
  values are checked equal to ours on every wave, and to the values stored by the full compute.

Run: ``python -m bench --only indicators [--scales small,medium] [--fresh]
[--postgres URL]`` (or ``python -m bench.indicators_bench``). The Markdown table goes to stdout
and ``var/bench/indicators.md``; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_DIR,
    PROJECT_ROOT,
    Machine,
    Timing,
    count,
    in_child,
    machine,
    mark,
    markdown_table,
    megabytes,
    peak_rss_bytes,
    ratio,
    runs_within_budget,
    say,
    seconds,
    time_within_budget,
)

SCALES: dict[str, int] = {"small": 6, "medium": 100, "large": 1_000}
DEFAULT_RUNS: dict[str, int] = {"small": 5, "medium": 5, "large": 3}
END_MONTH = dt.date(2026, 11, 1)
DEFAULT_BUDGET = 600.0  # seconds of repeated runs per figure before fewer runs are made
OPTIONS = frozenset({"--fresh", "--postgres", "--runs"})  # what ``python -m bench`` passes on

TARGET_FULL_SECONDS = 60.0
TARGET_PEAK_BYTES = 2 * 2**30
TARGET_ONE_SECONDS = 2.0
TARGET_RATIO = 5.0
TOLERANCE = 1e-9

# Indicators recomputed by the DuckDB reference (the factor ids are added from survey.yaml).
NETWORK_COMPARED = ("interconnaissance_density", "coordination_density", "mean_collaboration_level")
TRUST_COMPARED = "trust_score"

# Files whose content decides what a built benchmark database holds.
BUILD_INPUTS = (
    "data/demo",
    "data/store/models.py",
    "data/store/sync.py",
    "data/store/migrations",
    "config",
)
BUILD_FORMAT = "1"  # bump when the way the benchmark builds its databases changes


# --------------------------------------------------------------------------------------------
# Databases


def build_key(n_territories: int, seed: int) -> str:
    """A short hash of the scale, seed, end month and the code and configuration that generate
    and load the demo: a built database is reused only while this key is unchanged."""
    digest = hashlib.sha256(f"{BUILD_FORMAT}|{n_territories}|{seed}|{END_MONTH}".encode())
    for name in BUILD_INPUTS:
        path = PROJECT_ROOT / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".yaml", ".yml", ".ini", ".mako"):
                digest.update(str(file.relative_to(PROJECT_ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def build_database(url: str, n_territories: int, seed: int) -> dict[str, float]:
    """(Child process) Migrate, sync the configuration, generate and load the demo, and run a
    first full compute, so that every timed compute replaces existing values."""
    from data.config import get_config
    from data.demo.accounts import with_demo_passwords
    from data.demo.generator import generate_demo
    from data.demo.load import load_demo
    from data.store.engine import make_engine
    from data.store.indicator_store import compute
    from data.store.migrate import upgrade
    from data.store.sync import sync_config

    engine = make_engine(url)
    upgrade(engine)
    sync_config(engine, get_config())
    started = time.perf_counter()
    frames = generate_demo(
        get_config(), n_territories, seed=seed, end_month=END_MONTH, progress=say
    )
    generated = time.perf_counter()
    counts = load_demo(engine, with_demo_passwords(frames), progress=say)
    del frames
    loaded = time.perf_counter()
    compute(engine, force=True, until=END_MONTH, progress=lambda m: say(f"first compute: {m}"))
    computed = time.perf_counter()
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return {
        "generate": generated - started,
        "load": loaded - generated,
        "first_compute": computed - loaded,
        "rows": float(sum(counts.values())),
    }


@dataclass
class BenchDatabase:
    """A working copy of a built database, for one scale on one backend."""

    backend: str  # "SQLite" or "PostgreSQL"
    url: str  # the working copy the timed runs write to
    where: str  # the built (pristine) database, for messages
    reused: bool
    build: dict[str, float] = field(default_factory=dict)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def sqlite_database(scale: str, seed: int, fresh: bool) -> BenchDatabase:
    """The SQLite file of ``scale`` under var/bench/ (built if missing, stale or ``fresh``),
    copied to a working file so that the built one stays untouched by the timed runs."""
    n = SCALES[scale]
    key = build_key(n, seed)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    pristine = BENCH_DIR / f"indicators-{scale}-seed{seed}-{key}.db"
    for old in BENCH_DIR.glob(f"indicators-{scale}-seed*.db"):
        if old != pristine:
            say(f"{scale}: removing {old.name} (built by another code version)")
            _remove_sqlite(old)
    build: dict[str, float] = {}
    reused = pristine.exists() and not fresh
    if reused:
        say(f"{scale}: reusing {pristine.relative_to(PROJECT_ROOT)} (same scale, seed and code)")
    else:
        _remove_sqlite(pristine)
        building = pristine.with_suffix(".building")
        _remove_sqlite(building)
        say(f"{scale}: building {n} territories into {pristine.relative_to(PROJECT_ROOT)}")
        build, _ = in_child(build_database, f"sqlite:///{building}", n, seed)
        _remove_sqlite(Path(f"{building}-wal"))
        building.replace(pristine)
        say(
            f"{scale}: built in {seconds(sum(v for k, v in build.items() if k != 'rows'))} "
            f"({count(int(build['rows']))} rows)"
        )
    work = BENCH_DIR / f"indicators-{scale}.work.db"
    _remove_sqlite(work)
    shutil.copyfile(pristine, work)
    return BenchDatabase(
        "SQLite", f"sqlite:///{work}", str(pristine.relative_to(PROJECT_ROOT)), reused, build
    )


def postgres_database(server_url: str, scale: str, seed: int, fresh: bool) -> BenchDatabase:
    """A database ``coopbench_<scale>_<key>`` on the server of ``server_url`` (built if missing
    or ``fresh``), cloned (``CREATE DATABASE … TEMPLATE``) into ``coopbench_<scale>_work``. The
    database named in ``server_url`` is only used to connect; it is never written to."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    n = SCALES[scale]
    key = build_key(n, seed)
    base = make_url(server_url)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    pristine = f"coopbench_{scale}_s{seed}_{key}"
    work = f"coopbench_{scale}_work"

    def url_of(database: str) -> str:
        return base.set(database=database).render_as_string(hide_password=False)

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            existing = set(connection.scalars(text("SELECT datname FROM pg_database")))
            for name in sorted(existing):
                if name.startswith(f"coopbench_{scale}_") and name not in (pristine, work):
                    say(f"{scale}: dropping PostgreSQL database {name} (another code version)")
                    connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            reused = pristine in existing and not fresh
            build: dict[str, float] = {}
            if reused:
                say(f"{scale}: reusing PostgreSQL database {pristine}")
            else:
                building = f"{pristine}_building"
                for name in (pristine, building):
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{building}"'))
                say(f"{scale}: building {n} territories into PostgreSQL database {pristine}")
                build, _ = in_child(build_database, url_of(building), n, seed)
                connection.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{pristine}"'))
            connection.execute(text(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{work}" TEMPLATE "{pristine}"'))
    finally:
        admin.dispose()
    return BenchDatabase("PostgreSQL", url_of(work), f"PostgreSQL {pristine}", reused, build)


# --------------------------------------------------------------------------------------------
# Timed work, each in a child process


def _warm_up() -> None:
    """Import the engine and read the configuration and catalogue, as a running server has."""
    from data.config import get_config
    from indicators.registry import registry

    get_config().load_catalogue()
    registry()


def full_compute(
    url: str, label: str, batch_size: int | None, rewrite: bool = False
) -> dict[str, float]:
    """(Child process) One timed ``compute(force=True)`` of every territory; with ``rewrite``,
    the stored month digests are cleared first, so that every value is written again (as on
    a first compute or after a catalogue change)."""
    import resource

    from sqlalchemy import update

    from data.store.engine import make_engine
    from data.store.indicator_store import BATCH_SIZE, compute
    from data.store.models import IndicatorState

    _warm_up()
    baseline = peak_rss_bytes()
    engine = make_engine(url)
    if rewrite:
        with engine.begin() as connection:
            connection.execute(update(IndicatorState).values(month_digests=None))
    started = time.perf_counter()
    summary = compute(
        engine,
        force=True,
        until=END_MONTH,
        batch_size=batch_size or BATCH_SIZE,
        progress=lambda message: say(f"{label}: {message}"),
    )
    elapsed = time.perf_counter() - started
    engine.dispose()
    return {
        "seconds": elapsed,
        "territories": float(summary.territories),
        "rows": float(summary.rows),
        "written": float(summary.written),
        "workers": float(summary.workers),
        # The largest worker's peak RSS (Linux reports kilobytes); workers are reaped by now.
        "worker_peak_rss": float(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024),
        "baseline_rss": float(baseline),
    }


def _touch_journal(engine: Any, territory_id: str, delta: int) -> None:
    """A real data change through the ORM (audited with the territory id): the territory's
    latest journal gets ``delta`` more new actors."""
    from sqlalchemy import select

    from data.store.engine import session_scope
    from data.store.models import Journal

    with session_scope(engine, "bench") as session:
        journal = session.scalars(
            select(Journal)
            .where(Journal.territory_id == territory_id)
            .order_by(Journal.month.desc())
            .limit(1)
        ).one()
        journal.new_actors = max(0, journal.new_actors + delta)


def incremental_refresh(url: str, label: str, runs: int) -> dict[str, Any]:
    """(Child process) ``runs`` times: change one territory's journal, check that exactly that
    territory is stale, and time ``compute()`` without a territory list."""
    from data.store.engine import make_engine
    from data.store.indicator_store import compute, data_versions, stale_territories

    _warm_up()
    engine = make_engine(url)
    with engine.connect() as connection:
        territories = sorted(data_versions(connection))
    if stale_territories(engine, until=END_MONTH):
        raise AssertionError("territories are stale before the refresh benchmark")
    target = territories[len(territories) // 2]
    times: list[float] = []
    rows = 0
    for number in range(runs):
        _touch_journal(engine, target, 1 if number % 2 == 0 else -1)
        stale = stale_territories(engine, until=END_MONTH)
        if stale != [target]:
            raise AssertionError(f"after changing {target}, stale territories are {stale[:5]}…")
        started = time.perf_counter()
        summary = compute(engine, until=END_MONTH)
        times.append(time.perf_counter() - started)
        if summary.territories != 1:
            raise AssertionError(f"refresh recomputed {summary.territories} territories, not 1")
        rows = summary.rows
        say(f"{label}: run {number + 1}/{runs} {seconds(times[-1])} ({target}, {rows} values)")
    engine.dispose()
    return {"territory": target, "runs": times, "rows": rows}


# --------------------------------------------------------------------------------------------
# DuckDB reference

NETWORK_SQL = """
WITH r AS (  -- respondents of known waves
    SELECT r.respondent_id, r.wave_id, r.actor_id, w.territory_id
    FROM respondents r JOIN waves w USING (wave_id)
),
nodes AS (  -- organisations of the territory's list with a respondent in the wave
    SELECT DISTINCT r.wave_id, r.actor_id
    FROM r JOIN actors a ON a.actor_id = r.actor_id AND a.territory_id = r.territory_id
),
directed AS (  -- L(i→j): the highest level i's respondents gave j, both nodes, not oneself
    SELECT r.wave_id, r.actor_id AS src, g.rated_actor_id AS dst, max(g.level) AS level
    FROM ratings g
    JOIN r USING (respondent_id)
    JOIN nodes s ON s.wave_id = r.wave_id AND s.actor_id = r.actor_id
    JOIN nodes d ON d.wave_id = r.wave_id AND d.actor_id = g.rated_actor_id
    WHERE g.rated_actor_id <> r.actor_id AND g.level BETWEEN 0 AND 5
    GROUP BY ALL
),
pairs AS (  -- unordered pairs, tie level = max both ways
    SELECT wave_id, least(src, dst) AS a, greatest(src, dst) AS b, max(level) AS level
    FROM directed
    GROUP BY ALL
),
ties AS (
    SELECT wave_id,
        count(*) FILTER (WHERE level >= 1) AS ties1,
        count(*) FILTER (WHERE level >= 3) AS ties3,
        sum(level) FILTER (WHERE level >= 1) AS level_sum1
    FROM pairs
    GROUP BY wave_id
),
node_counts AS (SELECT wave_id, count(*) AS n_nodes FROM nodes GROUP BY wave_id)
SELECT w.wave_id,
    CASE WHEN n.n_nodes >= 2
        THEN coalesce(t.ties1, 0) / (n.n_nodes * (n.n_nodes - 1) / 2.0) END
        AS interconnaissance_density,
    CASE WHEN n.n_nodes >= 2
        THEN coalesce(t.ties3, 0) / (n.n_nodes * (n.n_nodes - 1) / 2.0) END
        AS coordination_density,
    CASE WHEN t.ties1 > 0 THEN t.level_sum1 / t.ties1 END AS mean_collaboration_level
FROM waves w
LEFT JOIN node_counts n USING (wave_id)
LEFT JOIN ties t USING (wave_id)
"""

FACTORS_SQL = """
WITH scores AS (  -- a respondent's factor score: mean of ≥ 2 answered items
    SELECT r.wave_id, f.factor, l.respondent_id, avg(l.value) AS score
    FROM likert l
    JOIN respondents r USING (respondent_id)
    JOIN waves w USING (wave_id)
    JOIN factor_items f ON f.item = l.item
    WHERE l.value BETWEEN 1 AND 5
    GROUP BY ALL
    HAVING count(*) >= 2
)
SELECT wave_id, 'factor_' || factor AS indicator_id, avg(score) AS value
FROM scores
GROUP BY ALL
"""

TRUST_SQL = """
WITH kept AS (  -- ratings of listed organisations (nodes or not), not of oneself
    SELECT r.wave_id, g.trust_reliable AS t1, g.trust_mission AS t2, g.trust_open AS t3
    FROM ratings g
    JOIN respondents r USING (respondent_id)
    JOIN waves w USING (wave_id)
    JOIN actors a ON a.actor_id = g.rated_actor_id AND a.territory_id = w.territory_id
    WHERE g.rated_actor_id <> r.actor_id AND g.level BETWEEN 0 AND 5
)
SELECT wave_id,
    avg((coalesce(t1, 0) + coalesce(t2, 0) + coalesce(t3, 0))
        / ((t1 IS NOT NULL)::INTEGER + (t2 IS NOT NULL)::INTEGER + (t3 IS NOT NULL)::INTEGER))
        AS trust_score
FROM kept
WHERE coalesce(t1, t2, t3) IS NOT NULL
GROUP BY wave_id
"""

# Tables of the SQLite file as the frames name them (for DuckDB's sqlite extension).
SQLITE_SOURCES = {
    "actors": "SELECT territory_id, id AS actor_id FROM src.actor",
    "waves": "SELECT territory_id, id AS wave_id, number FROM src.survey_wave",
    "respondents": "SELECT wave_id, id AS respondent_id, actor_id FROM src.respondent",
    "likert": "SELECT respondent_id, item, value FROM src.likert_answer",
    "ratings": (
        "SELECT respondent_id, rated_actor_id, level, trust_reliable, trust_mission, trust_open "
        "FROM src.roster_rating"
    ),
}


def _duckdb_load(
    connection: Any, frames: Any, url: str, factors: Mapping[str, tuple[str, ...]]
) -> str:
    """Load the rows into DuckDB tables: through DuckDB's sqlite extension when it is installed
    (never downloaded), else from the pandas frames. Returns how."""
    import pandas as pd

    items = pd.DataFrame(
        [(factor, item) for factor, members in factors.items() for item in members],
        columns=["factor", "item"],
    )
    connection.register("factor_items_frame", items)
    connection.execute("CREATE TABLE factor_items AS SELECT * FROM factor_items_frame")
    connection.unregister("factor_items_frame")
    if url.startswith("sqlite:///"):
        try:
            connection.execute("SET autoinstall_known_extensions = false")
            connection.execute("LOAD sqlite")
            path = url.removeprefix("sqlite:///")
            connection.execute(f"ATTACH '{path}' AS src (TYPE sqlite, READ_ONLY)")
            for name, query in SQLITE_SOURCES.items():
                connection.execute(f"CREATE TABLE {name} AS {query}")
            connection.execute("DETACH src")
            for name in SQLITE_SOURCES:
                stored = connection.execute(f"SELECT count(*) FROM {name}").fetchone()
                if stored is None or stored[0] != len(getattr(frames, name)):
                    raise AssertionError(f"DuckDB read other rows of {name} than the engine")
            return "read from the SQLite file by DuckDB's sqlite extension"
        except Exception as error:  # extension absent (no network here): use the frames
            say(f"DuckDB sqlite extension unavailable ({type(error).__name__}): using pandas")
            for name in SQLITE_SOURCES:
                connection.execute(f"DROP TABLE IF EXISTS {name}")
    for name in SQLITE_SOURCES:
        connection.register(f"{name}_frame", getattr(frames, name))
        connection.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
        connection.unregister(f"{name}_frame")
    return "copied into DuckDB tables from the pandas frames the engine read (duckdb.register)"


def _duckdb_aggregations(connection: Any) -> Any:
    """Run the three aggregation queries; return one long DataFrame wave_id, indicator_id,
    value (NaN where undefined, every wave for the network figures)."""
    import pandas as pd

    network = connection.execute(NETWORK_SQL).df()
    factors = connection.execute(FACTORS_SQL).df()
    trust = connection.execute(TRUST_SQL).df()
    return pd.concat(
        [
            network.melt(id_vars="wave_id", var_name="indicator_id", value_name="value"),
            factors,
            trust.melt(id_vars="wave_id", var_name="indicator_id", value_name="value"),
        ],
        ignore_index=True,
    )


def _compare(label: str, ours: Any, theirs: Any, keys: list[str]) -> int:
    """Assert two long tables (keys…, value) agree: the same defined cells, values within
    ``TOLERANCE``; a key missing on one side counts as undefined. Returns the cells compared."""
    import numpy as np

    merged = ours.merge(theirs, on=keys, how="outer", suffixes=("_ours", "_duckdb"))
    a = merged["value_ours"].astype("float64").to_numpy()
    b = merged["value_duckdb"].astype("float64").to_numpy()
    same_defined = np.isnan(a) == np.isnan(b)
    close = np.where(np.isnan(a) | np.isnan(b), True, np.abs(a - b) <= TOLERANCE)
    bad = merged[~(same_defined & close)]
    if len(bad):
        raise AssertionError(
            f"DuckDB and {label} differ on {len(bad)} of {len(merged)} values, e.g.\n"
            f"{bad.head(10).to_string()}"
        )
    return len(merged)


def reference(url: str, label: str, runs: int, budget: float) -> dict[str, Any]:
    """(Child process) Our engine on frames already loaded, and DuckDB on the same rows already
    loaded; checks that they agree on every wave and with the stored values."""
    import duckdb
    import pandas as pd
    from sqlalchemy import select

    from data.config import get_config
    from data.store.engine import make_engine
    from data.store.indicator_inputs import load_frames
    from data.store.indicator_store import _months, data_versions, declared_by_month
    from data.store.models import IndicatorValue
    from indicators.compute import compute_long
    from indicators.prepare import prepare
    from indicators.registry import registry

    _warm_up()
    catalogue = get_config().load_catalogue()
    functions = registry()
    compared = [*NETWORK_COMPARED, *(f"factor_{f}" for f in catalogue.factors), TRUST_COMPARED]
    engine = make_engine(url)
    started = time.perf_counter()
    with engine.connect() as connection:
        territories = sorted(data_versions(connection))
        frames = load_frames(connection, territories)
        months = _months(connection, territories, END_MONTH)  # as compute() does
        declared = declared_by_month(frames.journals, months)
        stored = pd.DataFrame(
            connection.execute(
                select(
                    IndicatorValue.territory_id,
                    IndicatorValue.wave_number,
                    IndicatorValue.indicator_id,
                    IndicatorValue.value,
                )
                .where(IndicatorValue.indicator_id.in_(compared))
                .where(IndicatorValue.wave_number.is_not(None))
                .distinct()
            ).all(),
            columns=["territory_id", "number", "indicator_id", "value"],
        )
    load_seconds = time.perf_counter() - started
    engine.dispose()
    say(f"{label}: {len(territories)} territories read into frames in {seconds(load_seconds)}")

    def measured(work: Any, name: str) -> tuple[Timing, Any]:
        return time_within_budget(work, runs, budget, f"{label}: {name}")

    # Ours: every indicator on frames already loaded; then only the aggregations DuckDB does.
    long_timing, long = measured(
        lambda: compute_long(frames, catalogue, months, declared), "ours, compute_long"
    )

    def same_aggregations() -> dict[str, pd.DataFrame]:
        prep = prepare(frames, catalogue.factors, catalogue.stage_milestones)
        return {i: functions[i].func(prep) for i in compared}

    same_timing, ours = measured(same_aggregations, "ours, prepare + the same indicators")

    # DuckDB on the same rows, already loaded into its own tables.
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")  # it would print on stdout
    started = time.perf_counter()
    loaded_how = _duckdb_load(connection, frames, url, catalogue.factors)
    duck_load = time.perf_counter() - started
    threads = int(connection.execute("SELECT current_setting('threads')").fetchone()[0])
    duck_timing, duck = measured(lambda: _duckdb_aggregations(connection), "DuckDB")
    connection.execute("SET threads = 1")
    duck1_timing, _ = measured(lambda: _duckdb_aggregations(connection), "DuckDB, 1 thread")
    connection.close()

    # The reference computes the same thing: ours per wave, and what compute() stored.
    ours_long = pd.concat(
        [
            pd.DataFrame(
                {
                    "wave_id": result["wave_id"].to_numpy(),
                    "indicator_id": indicator_id,
                    "value": result["value"].astype("float64").to_numpy(),
                }
            )
            for indicator_id, result in ours.items()
        ],
        ignore_index=True,
    )
    waves = frames.waves[["wave_id", "territory_id", "number"]]
    grid = waves[["wave_id"]].merge(pd.DataFrame({"indicator_id": compared}), how="cross")
    theirs = grid.merge(duck, on=["wave_id", "indicator_id"], how="left")
    compared_waves = _compare("our indicators", ours_long, theirs, ["wave_id", "indicator_id"])
    theirs_stored = theirs.merge(waves, on="wave_id")[
        ["territory_id", "number", "indicator_id", "value"]
    ]
    stored_keys = stored[["territory_id", "number", "indicator_id"]]
    theirs_stored = stored_keys.merge(
        theirs_stored.astype({"territory_id": "str"}), on=list(stored_keys), how="left"
    )
    compared_stored = _compare(
        "the stored values",
        stored.astype({"territory_id": "str", "value": "float64"}),
        theirs_stored,
        ["territory_id", "number", "indicator_id"],
    )
    say(
        f"{label}: DuckDB equals ours on {len(waves)} waves ({compared_waves} values) and on "
        f"{compared_stored} stored values"
    )
    return {
        "territories": len(territories),
        "waves": len(waves),
        "respondents": len(frames.respondents),
        "ratings": len(frames.ratings),
        "likert": len(frames.likert),
        "indicators": len(catalogue.indicators),
        "compared_indicators": len(compared),
        "long_rows": len(long),
        "load_seconds": load_seconds,
        "compute_long": long_timing,
        "same_aggregations": same_timing,
        "duckdb_load_seconds": duck_load,
        "duckdb_loaded_how": loaded_how,
        "duckdb_threads": threads,
        "duckdb": duck_timing,
        "duckdb_1_thread": duck1_timing,
        "compared_values": compared_waves,
        "compared_stored": compared_stored,
    }


# --------------------------------------------------------------------------------------------
# One scale


@dataclass
class ComputeRuns:
    """Repeated full computes of one kind (each in a fresh process)."""

    timing: Timing
    peak_rss: int  # compute process + workers × the largest worker's peak: an upper bound
    baseline_rss: int
    values: int  # values computed
    written: int  # values written (the others were unchanged)
    workers: int


@dataclass
class BackendResult:
    """Full compute (recompute and rewrite) and one-territory refresh on one backend."""

    database: BenchDatabase
    full: ComputeRuns
    rewrite: ComputeRuns
    refresh: Timing
    refresh_territory: str


def _compute_runs(
    database: BenchDatabase,
    label: str,
    runs: int,
    budget: float,
    batch_size: int | None,
    rewrite: bool,
    notes: list[str],
) -> ComputeRuns:
    kind = "full compute, every value rewritten" if rewrite else "full compute"
    times: list[float] = []
    peaks: list[int] = []
    result: dict[str, float] = {}
    wanted = runs
    number = 0
    while number < wanted:
        number += 1
        say(f"{label}: {kind}, run {number}/{wanted} (fresh process)")
        result, peak = in_child(
            full_compute, database.url, f"{label} run {number}", batch_size, rewrite
        )
        times.append(result["seconds"])
        peaks.append(peak + int(result["workers"] * result["worker_peak_rss"]))
        say(
            f"{label}: {kind} {seconds(times[-1])}, {count(int(result['written']))} values "
            f"written, {int(result['workers'])} worker(s), peak RSS ≤ {megabytes(peaks[-1])}"
        )
        if number == 1:
            wanted = runs_within_budget(times[0], runs, budget)
            if wanted < runs:
                notes.append(
                    f"{label}: {kind} timed {wanted} time(s), not {runs}: one run takes "
                    f"{seconds(times[0])} and the budget per figure is {seconds(budget)}."
                )
    return ComputeRuns(
        timing=Timing(tuple(times)),
        peak_rss=max(peaks),
        baseline_rss=int(result["baseline_rss"]),
        values=int(result["rows"]),
        written=int(result["written"]),
        workers=int(result["workers"]),
    )


def run_backend(
    database: BenchDatabase, scale: str, runs: int, budget: float, batch_size: int | None
) -> tuple[BackendResult, list[str]]:
    """Time the full compute, then the full compute rewriting every value (each run in a
    fresh child), and the one-territory refresh."""
    notes: list[str] = []
    label = f"{scale}/{database.backend}"
    full = _compute_runs(database, label, runs, budget, batch_size, False, notes)
    rewrite = _compute_runs(database, label, runs, budget, batch_size, True, notes)
    refresh_runs = max(runs, 3)
    say(f"{label}: refresh of one territory, {refresh_runs} runs")
    refreshed, _ = in_child(incremental_refresh, database.url, f"{label} refresh", refresh_runs)
    return (
        BackendResult(
            database=database,
            full=full,
            rewrite=rewrite,
            refresh=Timing(tuple(refreshed["runs"])),
            refresh_territory=refreshed["territory"],
        ),
        notes,
    )


@dataclass
class ScaleResult:
    scale: str
    backends: list[BackendResult]
    reference: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def run_scale(
    scale: str,
    *,
    seed: int,
    runs: int,
    budget: float,
    fresh: bool,
    postgres: str | None,
    batch_size: int | None,
) -> ScaleResult:
    """Every figure of one scale: SQLite (and PostgreSQL if asked), then the reference."""
    notes: list[str] = []
    databases = [sqlite_database(scale, seed, fresh)]
    if postgres:
        databases.append(postgres_database(postgres, scale, seed, fresh))
    backends = []
    for database in databases:
        if database.reused:
            notes.append(f"{scale}: reused the database built earlier ({database.where}).")
        else:
            b = database.build
            notes.append(
                f"{scale}: built {database.where}: demo generated in {seconds(b['generate'])}, "
                f"loaded ({count(int(b['rows']))} rows) in {seconds(b['load'])}, first compute "
                f"into empty tables {seconds(b['first_compute'])}."
            )
        result, more = run_backend(database, scale, runs, budget, batch_size)
        backends.append(result)
        notes.extend(more)
    say(f"{scale}: reference (our engine on loaded frames, and DuckDB)")
    reference_result, _ = in_child(reference, databases[0].url, f"{scale} reference", runs, budget)
    for key in ("compute_long", "same_aggregations", "duckdb", "duckdb_1_thread"):
        if reference_result[key].note:
            notes.append(f"{scale}: {key}: {reference_result[key].note}.")
    return ScaleResult(scale, backends, reference_result, notes)


# --------------------------------------------------------------------------------------------
# Report


def _cells(results: list[ScaleResult], value: Any) -> list[str]:
    return [value(r) for r in results]


def report(results: list[ScaleResult], command: str, seed: int, info: Machine) -> str:
    """The Markdown report: context lines (``info``: the machine when the run started), the
    figures table and notes."""
    load_at_end = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    headers = [
        "figure",
        *(f"{r.scale} ({count(SCALES[r.scale])} territories)" for r in results),
        "target (large)",
    ]
    n_indicators = results[0].reference["indicators"] if results else 0
    n_compared = results[0].reference["compared_indicators"] if results else 0
    rows: list[list[str]] = [
        [
            "data: waves / respondents / ratings / Likert answers",
            *_cells(
                results,
                lambda r: " / ".join(
                    count(r.reference[k]) for k in ("waves", "respondents", "ratings", "likert")
                ),
            ),
            "",
        ],
    ]
    backends = [b.database.backend for b in results[0].backends] if results else []
    for position, backend in enumerate(backends):
        prefix = f"{backend}: "

        def full(r: ScaleResult, p: int = position, rewrite: bool = False) -> str:
            runs = r.backends[p].rewrite if rewrite else r.backends[p].full
            return f"{runs.timing.describe()} {mark(runs.timing.median <= TARGET_FULL_SECONDS)}"

        def written(r: ScaleResult, p: int = position, rewrite: bool = False) -> str:
            runs = r.backends[p].rewrite if rewrite else r.backends[p].full
            return f"{count(runs.written)} of {count(runs.values)}"

        def peak(r: ScaleResult, p: int = position) -> str:
            b = r.backends[p]
            value = max(b.full.peak_rss, b.rewrite.peak_rss)
            return f"≤ {megabytes(value)} {mark(value <= TARGET_PEAK_BYTES)}"

        def one(r: ScaleResult, p: int = position) -> str:
            t = r.backends[p].refresh
            return f"{t.describe()} {mark(t.median <= TARGET_ONE_SECONDS)}"

        def full_ratio(r: ScaleResult, p: int = position, rewrite: bool = False) -> str:
            runs = r.backends[p].rewrite if rewrite else r.backends[p].full
            value = runs.timing.median / r.reference["duckdb"].median
            return f"{ratio(value)} {mark(value <= TARGET_RATIO)}"

        rows += [
            [
                f"{prefix}full compute (read + {n_indicators} indicators + stages + write of "
                "what changed), median",
                *_cells(results, full),
                f"≤ {seconds(TARGET_FULL_SECONDS)}",
            ],
            [
                f"{prefix}values written / computed",
                *_cells(results, written),
                "",
            ],
            [
                f"{prefix}ratio ours full / DuckDB",
                *_cells(results, full_ratio),
                f"≤ {TARGET_RATIO:.0f}×",
            ],
            [
                f"{prefix}full compute writing every value (first compute, new catalogue), median",
                *_cells(results, lambda r, p=position: full(r, p, rewrite=True)),
                f"≤ {seconds(TARGET_FULL_SECONDS)}",
            ],
            [
                f"{prefix}ratio ours full writing every value / DuckDB",
                *_cells(results, lambda r, p=position: full_ratio(r, p, rewrite=True)),
                f"≤ {TARGET_RATIO:.0f}×",
            ],
            [
                f"{prefix}worker processes",
                *_cells(results, lambda r, p=position: str(r.backends[p].full.workers)),
                "",
            ],
            [
                f"{prefix}peak memory: compute process + workers (RSS, upper bound)",
                *_cells(results, peak),
                f"≤ {megabytes(TARGET_PEAK_BYTES)}",
            ],
            [
                f"{prefix}refresh of one territory after a journal change, median",
                *_cells(results, one),
                f"≤ {seconds(TARGET_ONE_SECONDS)}",
            ],
        ]
    threads = results[0].reference["duckdb_threads"] if results else 0
    rows += [
        [
            f"ours, indicators only: `compute_long`, all {n_indicators} indicators, on frames "
            "already loaded",
            *_cells(results, lambda r: r.reference["compute_long"].describe()),
            "",
        ],
        [
            f"ours, the same {n_compared} aggregations only: `prepare` + those indicators",
            *_cells(results, lambda r: r.reference["same_aggregations"].describe()),
            "",
        ],
        [
            f"DuckDB: the same aggregations as SQL, data already loaded ({threads} threads)",
            *_cells(results, lambda r: r.reference["duckdb"].describe()),
            "reference",
        ],
        [
            "DuckDB, 1 thread (our engine uses one)",
            *_cells(results, lambda r: r.reference["duckdb_1_thread"].describe()),
            "",
        ],
        [
            "ratio ours indicators only / DuckDB",
            *_cells(
                results,
                lambda r: ratio(r.reference["compute_long"].median / r.reference["duckdb"].median),
            ),
            "",
        ],
        [
            "ratio ours same aggregations / DuckDB",
            *_cells(
                results,
                lambda r: ratio(
                    r.reference["same_aggregations"].median / r.reference["duckdb"].median
                ),
            ),
            "",
        ],
        [
            "read from the database into frames (once; part of the full compute)",
            *_cells(results, lambda r: seconds(r.reference["load_seconds"])),
            "",
        ],
        [
            "DuckDB equals ours on every wave (and on the stored values), within 1e-9",
            *_cells(
                results,
                lambda r: (
                    f"✓ {count(r.reference['compared_values'])} + "
                    f"{count(r.reference['compared_stored'])} values"
                ),
            ),
            "",
        ],
    ]
    notes = [note for r in results for note in r.notes]
    how = results[0].reference["duckdb_loaded_how"] if results else ""
    lines = [
        "## Indicator engine benchmark",
        "",
        *info.lines(),
        f"- Load average at the end: {load_at_end} (the machine is shared: other work ran too)",
        f"- Command: `{command}`",
        f"- Data: demo generator (seed {seed}, end month {END_MONTH:%Y-%m}: 36 months, a wave "
        "every six months, about 60 actors per territory), SQLite files under `var/bench/`",
        "",
        markdown_table(headers, rows),
        "",
        "Notes:",
        "",
        "- Medians of several runs; (low–high, runs) in brackets. Each full compute runs in a "
        "fresh process (imports, configuration and catalogue loaded before the clock starts); "
        "its peak RSS includes the interpreter and libraries "
        f"({megabytes(results[0].backends[0].full.baseline_rss) if results else '?'} before "
        "computing). With worker processes, each worker's peak is added as if all peaked at "
        "once, and forked workers share the parent's pages: the figure is an upper bound.",
        "- Full compute = `compute(force=True)` (what `cooperascope indicators compute --force` "
        "runs): every territory is read and every indicator computed; the stored table is then "
        "reconciled month by month, writing only the territory-months whose digest changed "
        "(none here: same data). Full compute writing every value = the same after clearing "
        "the stored digests, so that all values are written again, as on a first compute or "
        "after a catalogue change. Refresh = a journal edited through the ORM, then `compute()` "
        "without a territory list, which must recompute exactly that territory.",
        f"- DuckDB: the rows were {how}; only the aggregations are timed (nodes, L(i→j), pair "
        "tie levels, densities ≥ 1 and ≥ 3, mean tie level, the seven factor scores, trust). "
        "Our full compute also reads the database, computes every indicator over the monthly "
        "timeline, judges statuses and stages and writes the table.",
        *(f"- {note}" for note in notes),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Entry point


def parse_scales(text: str) -> list[str]:
    scales = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in scales if s not in SCALES]
    if unknown or not scales:
        raise argparse.ArgumentTypeError(
            f"unknown scale(s) {', '.join(unknown) or '(none)'}; choose among {', '.join(SCALES)}"
        )
    return scales


def build_parser() -> argparse.ArgumentParser:
    from data.demo.generator import DEFAULT_SEED

    parser = argparse.ArgumentParser(
        prog="python -m bench.indicators_bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--scales", type=parse_scales, default=list(SCALES), help="small,medium,large (default)"
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the databases")
    parser.add_argument(
        "--postgres", metavar="URL", help="also run on PostgreSQL (server URL; creates databases)"
    )
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, 3 at large)")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET, help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=argparse.SUPPRESS)
    parser.add_argument(
        "--output", type=Path, default=BENCH_DIR / "indicators.md", help=argparse.SUPPRESS
    )
    return parser


def main(argv: Sequence[str] | None = None, command: str | None = None) -> int:
    """Run the indicator benchmark; print the Markdown table and write it to ``--output``."""
    os.chdir(PROJECT_ROOT)
    args = build_parser().parse_args(argv)
    if args.runs is not None and args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    command = command or "python -m bench.indicators_bench " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    info = machine()
    results = []
    for scale in args.scales:
        say(f"indicators: scale {scale} ({SCALES[scale]} territories)")
        results.append(
            run_scale(
                scale,
                seed=args.seed,
                runs=args.runs or DEFAULT_RUNS[scale],
                budget=args.budget,
                fresh=args.fresh,
                postgres=args.postgres,
                batch_size=args.batch_size,
            )
        )
    text = report(results, command.strip(), args.seed, info)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    say(f"indicators: table written to {args.output}")
    return 0


if __name__ == "__main__":
    # Through the package, so that child processes find the functions they run by name.
    from bench.indicators_bench import main as package_main

    raise SystemExit(package_main())
