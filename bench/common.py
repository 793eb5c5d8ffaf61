"""Shared helpers of the benchmarks: progress, timing with medians, peak memory measured in a
child process, machine description and Markdown tables.

How we measure (``shared/design/BENCHMARKS.md``): the machines are shared and noisy, so every
figure is the median of several runs, and wherever a reference exists it is measured in the
same run so that the ratio means something.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = PROJECT_ROOT / "var" / "bench"

# Wall-clock start of the whole benchmark, shared with the child processes (they inherit it),
# so that every progress line is stamped on the same clock.
_STARTED = float(os.environ.setdefault("COOPERASCOPE_BENCH_STARTED", repr(time.time())))

CHECK = "✓"
CROSS = "✗"


# --------------------------------------------------------------------------------------------
# Progress


def say(message: str) -> None:
    """One progress line on stderr, stamped with the seconds since the benchmark started."""
    print(f"[{time.time() - _STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Timing


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of several runs of the same work."""

    runs: tuple[float, ...]
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def low(self) -> float:
        return min(self.runs)

    @property
    def high(self) -> float:
        return max(self.runs)

    def describe(self) -> str:
        """The median with the spread and number of runs: ``1.23 s (1.20–1.31, 3 runs)``."""
        if len(self.runs) == 1:
            return f"{seconds(self.median)} (1 run)"
        return (
            f"{seconds(self.median)} ({seconds(self.low, unit=False)}–"
            f"{seconds(self.high, unit=False)}, {len(self.runs)} runs)"
        )


def time_runs(
    work: Callable[[], Any], runs: int, label: str = "", report: bool = True
) -> tuple[Timing, Any]:
    """Run ``work`` ``runs`` times; return the timing and the last result."""
    times: list[float] = []
    result: Any = None
    for number in range(1, runs + 1):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
        if report and label:
            say(f"{label}: run {number}/{runs} {seconds(times[-1])}")
    return Timing(tuple(times)), result


def time_within_budget(
    work: Callable[[], Any], runs: int, budget: float, label: str
) -> tuple[Timing, Any]:
    """Like :func:`time_runs`, but fewer runs (at least one) when ``runs`` of the first run's
    duration would exceed ``budget`` seconds; the timing's note says so."""
    started = time.perf_counter()
    result = work()
    times = [time.perf_counter() - started]
    wanted = runs_within_budget(times[0], runs, budget)
    say(f"{label}: run 1/{wanted} {seconds(times[0])}")
    for number in range(2, wanted + 1):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
        say(f"{label}: run {number}/{wanted} {seconds(times[-1])}")
    note = f"{wanted} run(s) instead of {runs}: over the budget" if wanted < runs else ""
    return Timing(tuple(times), note), result


def runs_within_budget(first_run: float, wanted: int, budget: float) -> int:
    """How many runs (at least 1, at most ``wanted``) fit in ``budget`` seconds, given the
    first run took ``first_run`` seconds."""
    if first_run <= 0:
        return wanted
    return max(1, min(wanted, int(budget // first_run)))


# --------------------------------------------------------------------------------------------
# Child processes and peak memory


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far (Linux reports kilobytes)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def _measured(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, int]:
    result = function(*args)
    return result, peak_rss_bytes()


def in_child(function: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    """Run ``function(*args)`` in a fresh *spawned* Python process; return its result and the
    child's peak RSS in bytes (interpreter, imports and the work itself: what a server process
    doing that work would need). ``function`` must be importable (module level)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_measured, function, args).result()


# --------------------------------------------------------------------------------------------
# Formatting


def seconds(value: float, unit: bool = True) -> str:
    """Seconds with about three significant digits."""
    if value >= 100:
        text = f"{value:.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    elif value >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} s" if unit else text


def megabytes(value: float) -> str:
    """Bytes as MB (or GB above 1,000 MB)."""
    mb = value / 2**20
    return f"{mb / 1024:.2f} GB" if mb >= 1000 else f"{mb:.0f} MB"


def count(value: int) -> str:
    """An integer with thousands separators."""
    return f"{value:,}"


def ratio(value: float) -> str:
    return f"{value:.1f}×"


def mark(ok: bool) -> str:
    return CHECK if ok else CROSS


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table (pipes in cells escaped)."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join(
        [line(headers), "|" + "|".join("---" for _ in headers) + "|", *map(line, rows)]
    )


# --------------------------------------------------------------------------------------------
# Machine


def _proc_field(path: str, name: str) -> str | None:
    try:
        for text in Path(path).read_text().splitlines():
            key, _, value = text.partition(":")
            if key.strip() == name:
                return value.strip()
    except OSError:
        return None
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


@dataclass(frozen=True)
class Machine:
    """Where and when the figures were measured."""

    date: str
    cpus: int
    memory: str
    cpu_model: str
    load: str
    versions: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Markdown bullet lines describing the machine."""
        versions = ", ".join(f"{name} {version}" for name, version in self.versions.items())
        return [
            f"- Date: {self.date}",
            f"- Machine: {self.cpus} CPU (`nproc`), {self.memory} RAM, {self.cpu_model}; "
            f"load average at start {self.load}",
            f"- Software: {versions}",
        ]


def machine() -> Machine:
    """Describe this machine: CPUs available to us, total memory, CPU model, versions."""
    kilobytes = _proc_field("/proc/meminfo", "MemTotal")
    memory = (
        f"{int(kilobytes.split()[0]) / 2**20:.1f} GiB" if kilobytes else "unknown"
    )  # MemTotal is in kB
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 0
    load = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    return Machine(
        date=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        cpus=cpus,
        memory=memory,
        cpu_model=_proc_field("/proc/cpuinfo", "model name") or platform.processor() or "?",
        load=load,
        versions={
            "Python": platform.python_version(),
            "pandas": _version("pandas"),
            "numpy": _version("numpy"),
            "duckdb": _version("duckdb"),
            "SQLAlchemy": _version("sqlalchemy"),
            "SQLite": _sqlite_version(),
        },
    )


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version
