"""Worker processes die with their parent (data/store/workers.py): a compute killed with SIGKILL
leaves none of its workers running, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine

from data.config import get_config
from data.demo.generator import generate_demo
from data.demo.load import load_demo
from data.store.workers import ORPHAN_EXIT_STATUS

ROOT = Path(__file__).resolve().parents[3]
END = dt.date(2026, 11, 1)
WORKERS = 2
WAIT_SECONDS = 180  # a bound for liveness (the child pauses, workers go), not a timing


def _process(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a running process, or None if it is gone (a zombie,
    dead but not yet reaped by its new parent, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (command) "
    state, ppid, start = fields[0], int(fields[1]), int(fields[19])
    return None if state in ("Z", "X") else (ppid, state, start)


def _children(pid: int) -> dict[int, int]:
    """Each running child of ``pid``, with its start time (to tell it from a reused pid)."""
    found = {}
    for entry in Path("/proc").iterdir():
        process = _process(int(entry.name)) if entry.name.isdigit() else None
        if process is not None and process[0] == pid:
            found[int(entry.name)] = process[2]
    return found


def _alive(pid: int, start: int) -> bool:
    process = _process(pid)
    return process is not None and process[2] == start


def test_a_killed_compute_leaves_no_worker_running(engine: Engine) -> None:
    load_demo(engine, generate_demo(get_config(), n_territories=2, end_month=END))
    command = [sys.executable, "-m", "tests.data.store.paused_compute"]
    url = engine.url.render_as_string(hide_password=False)
    with subprocess.Popen([*command, url], cwd=ROOT, stdout=subprocess.PIPE) as child:
        try:
            assert child.stdout is not None
            ready, _, _ = select.select([child.stdout], [], [], WAIT_SECONDS)
            assert ready and child.stdout.readline() == b"paused\n", "the compute never paused"
            workers = _children(child.pid)
            # The pool forks its WORKERS processes at its first task; they live until it shuts
            # down.
            assert len(workers) == WORKERS
            os.kill(child.pid, signal.SIGKILL)
            assert child.wait(timeout=WAIT_SECONDS) == -signal.SIGKILL
        finally:
            child.kill()  # nothing if it is dead already; the block's end reaps it
    deadline = time.monotonic() + WAIT_SECONDS
    while any(_alive(pid, start) for pid, start in workers.items()):
        assert time.monotonic() < deadline, f"workers still running: {workers}"
        time.sleep(0.05)


PROBE = """
import ctypes, os, sys
from data.store.workers import die_with_parent
die_with_parent(int(sys.argv[1]))
signal = ctypes.c_int()
ctypes.CDLL(None).prctl(2, ctypes.byref(signal), 0, 0, 0)  # PR_GET_PDEATHSIG
print(signal.value)
"""


def test_a_worker_asks_for_sigkill_and_an_orphan_exits_at_once() -> None:
    def probe(parent: int) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", PROBE, str(parent)]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)

    # Its parent is this process: it carries on, with SIGKILL as its parent-death signal.
    kept = probe(os.getpid())
    assert (kept.returncode, kept.stdout) == (0, f"{int(signal.SIGKILL)}\n"), kept.stderr
    # Told to expect another parent (as a worker whose parent died before the call, adopted
    # since), it exits before anything else.
    orphan = probe(os.getppid())
    assert (orphan.returncode, orphan.stdout) == (ORPHAN_EXIT_STATUS, ""), orphan.stderr
