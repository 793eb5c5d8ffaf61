"""Running Great Expectations: probes in, failures out.

A :class:`Probe` is one expectation on one named frame; :func:`run_expectations` validates each
frame once with all of its probes and turns each failed expectation into a :class:`Failure`:
the spreadsheet rows (carried in the frames' ``_row`` column), the columns as the report names
them and the text read there.

Great Expectations takes seconds to import: it is imported at the first expectation built
(through :data:`gxe`) or run, never when this module is imported, so the dashboard starts fast.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from data import fr
from data.domain.checks import MAX_CELLS, Cell


@dataclass
class Probe:
    """One expectation on one frame, and where its failures are read."""

    frame: str
    expectation: Any
    column: str | None = None  # the report's name for the column, when fixed
    column_col: str | None = None  # a frame column holding it, when it varies by row
    raw_col: str | None = None  # a frame column holding the text read


@dataclass
class Failure:
    """What a check found wrong: failed expectations merged, or a plain finding."""

    count: int = 0
    rows: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    observed: list[Any] = field(default_factory=list)

    def merge(self, other: Failure) -> None:
        self.count += other.count
        self.rows.extend(other.rows)
        self.columns.extend(other.columns)
        self.cells.extend(other.cells)
        self.values.extend(other.values)
        self.observed.extend(other.observed)


def _gx():  # type: ignore[no-untyped-def]
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    for name in ("great_expectations", "great_expectations.core", "py.warnings"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return gx


def expectations():  # type: ignore[no-untyped-def]
    """The ``great_expectations.expectations`` module, imported on first use."""
    _gx()
    import great_expectations.expectations as gxe

    return gxe


class _LazyExpectations:
    """``great_expectations.expectations``, imported at the first attribute read."""

    def __getattr__(self, name: str) -> Any:
        return getattr(expectations(), name)


# The expectation classes, for the checks' probes: ``gxe.ExpectColumnValuesToBeUnique(…)``.
gxe = _LazyExpectations()

_CONTEXT: Any = None
_CONTEXT_LOCK = threading.Lock()


def _context() -> Any:
    """One ephemeral Great Expectations context per process (each one makes a temp folder)."""
    global _CONTEXT
    if _CONTEXT is None:
        gx = _gx()
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = {"globally": False}
        _CONTEXT = context
    return _CONTEXT


_WARM_LOCK = threading.Lock()
_warm = False


def warm_up() -> None:
    """Validate a one-row frame with each kind of expectation the checks use, once per process.

    Great Expectations prepares much at its first validations (half a second): the workers
    forked afterwards to check files inherit that work instead of redoing it for each file.
    """
    global _warm
    with _WARM_LOCK:
        if _warm:
            return
        gxe = expectations()
        built = (
            gxe.ExpectColumnValuesToNotBeNull(column="a"),
            gxe.ExpectColumnValuesToBeBetween(column="a", min_value=0, max_value=2),
            gxe.ExpectColumnValuesToBeInSet(column="s", value_set=["s"]),
            gxe.ExpectColumnValuesToBeUnique(column="a"),
            gxe.ExpectColumnValuesToMatchRegex(column="s", regex="^s$"),
            gxe.ExpectColumnPairValuesToBeEqual(column_A="a", column_B="b"),
            gxe.ExpectColumnMaxToBeBetween(column="a", min_value=0),
            gxe.ExpectColumnMinToBeBetween(column="a", max_value=2),
        )
        frame = pd.DataFrame({"_row": [1], "a": [1.0], "b": [1.0], "s": ["s"]})
        run_expectations({"warm": frame}, [Probe("warm", e) for e in built])
        _warm = True


def run_expectations(
    frames: dict[str, pd.DataFrame], probes: Sequence[Probe]
) -> list[Failure | None]:
    """Validate each frame once with its probes' expectations; ``None`` where one passed."""
    gx = _gx()
    results: list[Failure | None] = [None] * len(probes)
    with _CONTEXT_LOCK:
        context = _context()
        name = f"import-{uuid.uuid4().hex[:8]}"
        source = context.data_sources.add_pandas(name=name)
        try:
            for frame_name, frame in frames.items():
                mine = [i for i, p in enumerate(probes) if p.frame == frame_name]
                if mine:
                    _validate(gx, source, frame_name, frame, probes, mine, results)
        finally:
            context.data_sources.delete(name)
    return results


def _validate(
    gx: Any,
    source: Any,
    frame_name: str,
    frame: pd.DataFrame,
    probes: Sequence[Probe],
    mine: list[int],
    results: list[Failure | None],
) -> None:
    asset = source.add_dataframe_asset(name=frame_name)
    batch = asset.add_batch_definition_whole_dataframe(name=frame_name).get_batch(
        batch_parameters={"dataframe": frame}
    )
    suite = gx.ExpectationSuite(name=f"{frame_name}-{uuid.uuid4().hex[:8]}")
    index_columns = ["_row"] if "_row" in frame.columns else []
    for i in mine:
        probe = probes[i]
        probe.expectation.meta = {"probe": i}
        suite.add_expectation(probe.expectation)
        for column in (probe.column_col, probe.raw_col):
            if column and column in frame.columns and column not in index_columns:
                index_columns.append(column)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = batch.validate(
            suite,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": index_columns,
            },
        )
    for result in outcome.results:
        i = int(result.expectation_config.meta["probe"])
        info = result.exception_info or {}
        if info.get("raised_exception"):
            raise RuntimeError(
                f"Great Expectations n'a pas pu exécuter {type(probes[i].expectation).__name__}"
                f" : {info.get('exception_message')}"
            )
        if not result.success:
            results[i] = _failure(result.result, probes[i])


def _failure(result: dict[str, Any], probe: Probe) -> Failure:
    failure = Failure(count=int(result.get("unexpected_count") or 0))
    if "observed_value" in result:
        failure.observed.append(result["observed_value"])
    value_key = getattr(probe.expectation, "column", None)
    for entry in result.get("unexpected_index_list") or []:
        row = entry.get("_row")
        column = entry.get(probe.column_col) if probe.column_col else probe.column
        raw = entry.get(probe.raw_col) if probe.raw_col else entry.get(value_key)
        value = entry.get(value_key, entry.get("value"))
        if row is not None:
            failure.rows.append(int(row))
        if column:
            failure.columns.append(str(column))
        failure.values.append(value)
        if len(failure.cells) < MAX_CELLS:
            failure.cells.append(
                Cell(
                    int(row) if row is not None else None,
                    str(column) if column else None,
                    None if fr.is_missing(raw) else str(raw),
                )
            )
    if not failure.count:
        failure.count = len(result.get("unexpected_index_list") or [])
    return failure
