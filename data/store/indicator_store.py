"""Compute the indicators from stored data and store the long table, incrementally.

A territory's indicators are stale when its data changed since they were computed: every write
to a territory's data is audited with its territory id, so its latest audit id is its data
version. Territories are processed in batches, so memory stays bounded at a thousand
territories; each batch is written in one transaction.

A full compute of many territories reads and computes its batches in worker processes while
this process writes them (reading is most of the work: see ``data.store.columnar``), and rewrites
only the territory-months whose stored rows would change (``IndicatorState.month_digests``):
a forced recompute of unchanged data writes nothing, a new month writes that month.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select

from data import fr
from data.config import PROGRAMMES_DIR, AppConfig, get_config
from data.domain.months import add_months, current_month, month_range
from data.domain.programmes import ProgrammeRules, programme_rules, to_reference, without_hidden
from data.store import audit
from data.store.indicator_inputs import in_ids, load_frames
from data.store.models import (
    AuditLog,
    IndicatorState,
    IndicatorValue,
    Programme,
    Territory,
    TerritoryStage,
)
from data.store.workers import die_with_parent
from indicators.catalogue import Catalogue

# Writes that do not change what indicators are computed from.
NON_DATA_ENTITIES = (
    "indicator_value",
    "indicator_state",
    "territory_stage",
    "review_comment",
    "user_account",
    "raw_upload",
    "import_report",
)
BATCH_SIZE = 100
STORED_DECIMALS = 10

SQLITE_CACHE_KIB = 64 * 1024  # page cache of a SQLite connection while it writes a batch

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ComputeSummary:
    territories: int
    rows: int  # values computed
    written: int  # values (re)written: those of the months whose values changed
    seconds: float
    workers: int = 0  # worker processes that read and computed (0: the calling process)


@dataclass(frozen=True)
class _BatchResult:
    """A batch's computed rows, and the data versions they were computed from."""

    versions: dict[str, int]
    long: pd.DataFrame
    stages: pd.DataFrame


def catalogue_version(config: AppConfig) -> str:
    """A short hash of the files that define the indicators and stages, the programmes' files
    included (their stage model and hidden indicators)."""
    digest = hashlib.sha256()
    names = ["indicators.yaml", "stages.yaml", "survey.yaml"]
    names += [f"{PROGRAMMES_DIR}/{p.id}.yaml" for p in config.programmes]
    for name in names:
        digest.update((config.directory / name).read_bytes())
    return digest.hexdigest()[:16]


def data_versions(
    connection: Connection, territory_ids: Sequence[str] | None = None
) -> dict[str, int]:
    """Each territory's (or each of ``territory_ids``') latest audit id among writes that feed
    the indicators (0 if none)."""
    latest_query = (
        select(AuditLog.territory_id, func.max(AuditLog.id))
        .where(AuditLog.territory_id.is_not(None))
        .where(AuditLog.entity.not_in(NON_DATA_ENTITIES))
        .group_by(AuditLog.territory_id)
    )
    territories_query = select(Territory.id)
    if territory_ids is not None:
        latest_query = latest_query.where(in_ids(AuditLog.territory_id, territory_ids))
        territories_query = territories_query.where(in_ids(Territory.id, territory_ids))
    latest = dict(connection.execute(latest_query).all())
    territories = connection.scalars(territories_query).all()
    return {t: int(latest.get(t, 0)) for t in territories}


def stale_territories(
    engine: Engine, config: AppConfig | None = None, until: dt.date | None = None
) -> list[str]:
    """Territories whose stored indicators are missing, older than their data or catalogue, or
    computed through an earlier month than ``until`` (default: the current month)."""
    version = catalogue_version(config or get_config())
    until = until or current_month()
    with engine.connect() as connection:
        current = data_versions(connection)
        stored = {
            row.territory_id: (row.data_version, row.catalogue_version, row.through_month)
            for row in connection.execute(select(IndicatorState))
        }
    return sorted(t for t, v in current.items() if stored.get(t) != (v, version, until))


def _months(connection: Connection, ids: Sequence[str], until: dt.date) -> dict[str, list]:
    """Each territory's months, from its start to ``until`` (at most its programme duration,
    plus the closing month so that the closing wave shows)."""
    starts = connection.execute(
        select(Territory.id, Territory.start_date, Programme.duration_months)
        .join(Programme, Programme.id == Territory.programme_id)
        .where(in_ids(Territory.id, ids))
    ).all()
    return {
        territory: month_range(start, min(until, add_months(start, duration)))
        for territory, start, duration in starts
        if start <= until
    }


def declared_by_month(journals: pd.DataFrame, months: dict[str, list]) -> pd.DataFrame:
    """The declared stage of each territory-month: that of the latest journal at or before it."""
    grid = pd.DataFrame(
        [(t, pd.Timestamp(m)) for t, ms in months.items() for m in ms],
        columns=["territory_id", "month"],
    )
    if grid.empty:
        return grid.assign(stage=pd.Series(dtype=object))
    grid["month"] = grid["month"].astype("datetime64[s]")
    declared = journals[["territory_id", "month", "declared_stage"]].sort_values("month")
    merged = pd.merge_asof(
        grid.sort_values("month"),
        declared.rename(columns={"declared_stage": "stage"}),
        on="month",
        by="territory_id",
        direction="backward",
    )
    merged["stage"] = merged["stage"].astype(object).where(merged["stage"].notna(), None)
    return merged.sort_values(["territory_id", "month"]).reset_index(drop=True)


def _stage_rows(long: pd.DataFrame, declared: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    from indicators.stage import infer_stages, judged_stages

    inferred = infer_stages(long, catalogue)
    rows = inferred.merge(declared, on=["territory_id", "month"], how="left")
    declared_stage = rows["stage"]
    return pd.DataFrame(
        {
            "territory_id": rows["territory_id"].astype(object),
            "month": rows["month"].dt.date,
            "declared_stage": declared_stage,
            "inferred_stage": rows["inferred_stage"].astype(object),
            "judged_stage": judged_stages(declared_stage, rows["inferred_stage"], catalogue),
            "disagreement": declared_stage.notna()
            & (declared_stage != rows["inferred_stage"]).fillna(False),
            "missing_criteria": [
                {"next_stage": n, "criteria": c} if n else None
                for n, c in zip(rows["next_stage"], rows["missing_criteria"], strict=True)
            ],
        }
    )


@contextmanager
def _sqlite_page_cache(connection: Connection) -> Iterator[None]:
    """On SQLite, a larger page cache for the connection while a batch is replaced: with the
    default 2 MB, deleting and inserting a batch's rows in the long table and its indexes costs
    about 1.7× more CPU at a thousand territories. The previous size is restored afterwards."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        if not connection.invalidated:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")


def _compute_batch(
    engine: Engine,
    batch: Sequence[str],
    until: dt.date,
    catalogue: Catalogue,
    rules: Mapping[str, ProgrammeRules],
) -> _BatchResult:
    """Read a batch in one read transaction (so that its data versions are those of the rows
    read: a change committed meanwhile leaves the territory stale) and compute it, each
    territory judged through its programme's ``rules`` (``data.domain.programmes``)."""
    from indicators.compute import compute_long

    with engine.connect() as connection, connection.begin():
        versions = data_versions(connection, batch)
        frames = load_frames(connection, batch)
        months = _months(connection, batch, until)
        programme_of = dict(
            connection.execute(
                select(Territory.id, Territory.programme_id).where(in_ids(Territory.id, batch))
            ).all()
        )
    frames = to_reference(frames, programme_of, rules)
    declared = declared_by_month(frames.journals, months)
    long = compute_long(frames, catalogue, months, declared)
    long = stored_precision(without_hidden(long, programme_of, rules))
    return _BatchResult(
        versions, long, _stage_rows_by_programme(long, declared, catalogue, programme_of, rules)
    )


def _stage_rows_by_programme(
    long: pd.DataFrame,
    declared: pd.DataFrame,
    catalogue: Catalogue,
    programme_of: Mapping[str, str],
    rules: Mapping[str, ProgrammeRules],
) -> pd.DataFrame:
    """Each territory's stage rows, inferred on the stage criteria its programme uses (those
    on the indicators it hides left out: ``Catalogue.without``)."""
    hidden_of = {t: rules[p].hidden if p in rules else frozenset() for t, p in programme_of.items()}
    groups = {
        hidden: [t for t, h in hidden_of.items() if h == hidden] for hidden in hidden_of.values()
    }
    if len(groups) < 2:
        return _stage_rows(long, declared, catalogue.without(next(iter(groups), frozenset())))
    return pd.concat(
        [
            _stage_rows(
                long[long["territory_id"].isin(ids)],
                declared[declared["territory_id"].isin(ids)],
                catalogue.without(hidden),
            )
            for hidden, ids in groups.items()
        ],
        ignore_index=True,
    )


def stored_precision(long: pd.DataFrame) -> pd.DataFrame:
    """``long`` with its values rounded to :data:`STORED_DECIMALS` decimal places, as stored.

    The database returns rows in no guaranteed order (PostgreSQL's changes with the table's
    physical layout), and a float sum's last bits depend on the order it adds in: rounded, the
    same rows give bit-identical values, so a forced recompute of unchanged data writes
    nothing. No indicator is read to ten decimals."""
    return long.assign(value=long["value"].round(STORED_DECIMALS))


_worker_engines: dict[str, Engine] = {}


def _compute_batch_in_worker(
    url: str,
    batch: Sequence[str],
    until: dt.date,
    catalogue: Catalogue,
    rules: Mapping[str, ProgrammeRules],
) -> _BatchResult:
    """``_compute_batch`` in a worker process, on an engine of its own (one per process: the
    parent's pooled connections, inherited by the fork, are never used here)."""
    from data.store.engine import make_engine

    if url not in _worker_engines:
        _worker_engines[url] = make_engine(url)
    return _compute_batch(_worker_engines[url], batch, until, catalogue, rules)


def _pool_size(engine: Engine, batches: int, workers: int | None) -> int:
    """How many worker processes compute the batches: ``workers`` if given, else one per CPU
    when there are several batches, the database is shared by processes (not an in-memory
    SQLite) and this process runs no other thread (forking one that does is unsafe: a lock
    held by another thread would stay locked in the child). 0: compute here."""
    if workers is not None:
        return workers
    in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
    if batches < 2 or in_memory or threading.active_count() > 1 or not hasattr(os, "fork"):
        return 0
    return min(os.cpu_count() or 1, batches)


def _computed_batches(
    engine: Engine,
    batches: list[list[str]],
    until: dt.date,
    catalogue: Catalogue,
    rules: Mapping[str, ProgrammeRules],
    workers: int,
) -> Iterator[_BatchResult]:
    """The batches' results, in order: computed here one after the other (``workers`` = 0),
    or by ``workers`` forked processes, each a batch ahead of the one being written."""
    if workers == 0:
        for batch in batches:
            yield _compute_batch(engine, batch, until, catalogue, rules)
        return
    url = engine.url.render_as_string(hide_password=False)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent,  # a killed compute leaves no worker behind
        initargs=(os.getpid(),),
    )
    try:
        ahead = workers + 1
        pending = deque(
            pool.submit(_compute_batch_in_worker, url, b, until, catalogue, rules)
            for b in batches[:ahead]
        )
        for number in range(len(batches)):
            result = pending.popleft().result()
            if number + ahead < len(batches):
                pending.append(
                    pool.submit(
                        _compute_batch_in_worker,
                        url,
                        batches[number + ahead],
                        until,
                        catalogue,
                        rules,
                    )
                )
            yield result
    finally:  # on an error, batches not started yet are not computed for nothing
        pool.shutdown(wait=True, cancel_futures=True)


def compute(
    engine: Engine,
    territory_ids: Sequence[str] | None = None,
    *,
    force: bool = False,
    until: dt.date | None = None,
    actor: str = "indicators",
    batch_size: int = BATCH_SIZE,
    workers: int | None = None,
    progress: Progress | None = None,
) -> ComputeSummary:
    """Compute and store the indicators of the stale territories (or of those given).

    Territories go in batches, read and computed in worker processes when there are several
    (see ``_pool_size``) while this process writes them: reading SQLite's rows as text takes a
    mutex that threads would share, processes do not. Each batch is written in one transaction,
    so a reader of the table sees either the old or the new values of a territory, never a
    mix; only the months whose values changed are rewritten.
    """
    started = time.perf_counter()
    config = get_config()
    catalogue = config.load_catalogue()  # a ConfigError in French if it is invalid
    version = catalogue_version(config)
    until = until or current_month()
    if force:
        with engine.connect() as connection:
            known = sorted(data_versions(connection))
        territory_ids = known if territory_ids is None else list(territory_ids)
    else:
        stale = stale_territories(engine, config, until)
        territory_ids = stale if territory_ids is None else [t for t in territory_ids if t in stale]
    rows = written = 0
    batches = [territory_ids[i : i + batch_size] for i in range(0, len(territory_ids), batch_size)]
    workers = _pool_size(engine, len(batches), workers)
    rules = programme_rules(config)
    results = _computed_batches(engine, batches, until, catalogue, rules, workers)
    for number, (batch, result) in enumerate(zip(batches, results, strict=True), start=1):
        with engine.begin() as connection, _sqlite_page_cache(connection):
            changed = _write(connection, batch, result, version, until)
            audit.record(
                connection,
                actor,
                "compute",
                "indicator_value",
                details={"territories": batch, "rows": len(result.long), "written": changed},
            )
        rows += len(result.long)
        written += changed
        if progress:
            progress(
                f"Indicateurs : lot {number}/{len(batches)} — {len(batch)} territoire(s), "
                f"{fr.number(len(result.long))} valeurs, dont {fr.number(changed)} écrites"
            )
    elapsed = time.perf_counter() - started
    return ComputeSummary(len(territory_ids), rows, written, elapsed, workers)


def _digests(
    batch: Sequence[str], values: pd.DataFrame, stages: pd.DataFrame
) -> dict[str, dict[str, str]]:
    """For each territory of the batch and each of its months (ISO date), a digest of the rows
    the month stores (its values and its stage row) and its number of values, as
    ``"<digest>:<values>"``."""
    stage_rows = stages.assign(
        missing_criteria=stages["missing_criteria"].map(
            lambda v: None if v is None else json.dumps(v, sort_keys=True)
        )
    )
    parts = []
    for frame, is_value in ((values, 1), (stage_rows, 0)):
        parts.append(
            pd.DataFrame(
                {
                    "territory_id": frame["territory_id"].to_numpy(dtype=object),
                    "month": pd.to_datetime(frame["month"]).to_numpy(dtype="datetime64[D]"),
                    "h": pd.util.hash_pandas_object(frame, index=False).to_numpy(),
                    "value_row": is_value,
                }
            )
        )
    rows = pd.concat(parts, ignore_index=True).sort_values(["territory_id", "month"], kind="stable")
    territories = rows["territory_id"].to_numpy()
    months = np.datetime_as_string(rows["month"].to_numpy(), unit="D")
    h = rows["h"].to_numpy(dtype="uint64")
    value_rows = rows["value_row"].to_numpy()
    new_group = (territories[1:] != territories[:-1]) | (months[1:] != months[:-1])
    starts = np.concatenate([[0], np.flatnonzero(new_group) + 1]).tolist()
    digests: dict[str, dict[str, str]] = {t: {} for t in batch}
    for a, b in zip(starts, [*starts[1:], len(h)], strict=True):
        digest = hashlib.blake2b(h[a:b].tobytes(), digest_size=8).hexdigest()
        digests[territories[a]][months[a]] = f"{digest}:{int(value_rows[a:b].sum())}"
    return digests


def _write(
    connection: Connection, batch: Sequence[str], result: _BatchResult, version: str, until: dt.date
) -> int:
    """Store a batch's values and stages, rewriting only the territory-months whose rows
    changed since the last compute (all of a territory's months when its stored row count
    disagrees with its digests); return the number of values written."""
    from data.store.bulk import insert_frame

    long, stages, versions = result.long, result.stages, result.versions
    values = long.assign(
        month=long["month"].dt.date,
        data_version=long["territory_id"].map(versions).astype("int64"),
        catalogue_version=version,
    )
    digests = _digests(batch, values, stages)
    stored: dict[str, dict[str, str]] = {t: {} for t in batch}
    for territory, month_digests in connection.execute(
        select(IndicatorState.territory_id, IndicatorState.month_digests).where(
            in_ids(IndicatorState.territory_id, batch)
        )
    ):
        stored[territory] = month_digests or {}
    stored_counts = dict(
        connection.execute(
            select(IndicatorValue.territory_id, func.count())
            .where(in_ids(IndicatorValue.territory_id, batch))
            .group_by(IndicatorValue.territory_id)
        ).all()
    )
    # A territory whose stored values are not those its digests count (rows lost or added
    # outside compute, or no digests yet) is rewritten whole; elsewhere, the months whose
    # digest changed.
    whole = [
        t
        for t in batch
        if stored_counts.get(t, 0) != sum(int(d.rsplit(":", 1)[1]) for d in stored[t].values())
    ]
    stale = {
        (t, m)
        for t in batch
        if t not in whole
        for m in stored[t].keys() | digests[t].keys()
        if stored[t].get(m) != digests[t].get(m)
    }
    for model in (IndicatorValue, TerritoryStage):
        if whole:
            connection.execute(delete(model).where(in_ids(model.territory_id, whole)))
        if stale:
            connection.execute(
                delete(model).where(
                    model.territory_id == bindparam("t"), model.month == bindparam("m")
                ),
                [{"t": t, "m": dt.date.fromisoformat(m)} for t, m in sorted(stale)],
            )
    rewrite = pd.MultiIndex.from_tuples(
        [(t, dt.date.fromisoformat(m)) for t, m in stale]
        + [(t, dt.date.fromisoformat(m)) for t in whole for m in digests[t]],
        names=["territory_id", "month"],
    )
    written = 0
    for model, frame in ((IndicatorValue, values), (TerritoryStage, stages)):
        keys = pd.MultiIndex.from_frame(frame[["territory_id", "month"]].astype(object))
        rows = insert_frame(connection, model.__table__, frame[keys.isin(rewrite)])
        written = rows if model is IndicatorValue else written
    connection.execute(delete(IndicatorState).where(in_ids(IndicatorState.territory_id, batch)))
    now = dt.datetime.now(dt.UTC)
    connection.execute(
        insert(IndicatorState),
        [
            {
                "territory_id": t,
                "data_version": versions.get(t, 0),
                "catalogue_version": version,
                "through_month": until,
                "computed_at": now,
                "month_digests": digests[t],
            }
            for t in batch
        ],
    )
    return written
