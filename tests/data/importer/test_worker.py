"""The worker that reads and checks a file apart: its limits, its death with its parent, and
what an import says when it fails (on SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from data.importer import import_actors, job_state
from data.importer.settings import QualityFile, quality_settings
from data.importer.worker import WorkerFailed, WorkerLimits, run_apart
from data.store.models import Actor, ImportReport, RawUpload
from tests.data.importer.conftest import FILES

LIMITS = WorkerLimits(memory_bytes=512 * 1024 * 1024, seconds=30)
ROOT = Path(__file__).resolve().parents[3]


def _allocate_a_gigabyte() -> bytes:
    return bytes(1024 * 1024 * 1024)  # over the 512 MiB allowed


def test_the_worker_returns_its_value_and_its_peak_memory() -> None:
    done = run_apart(lambda: sum(range(1000)), LIMITS)
    assert done.value == 499_500  # 999 × 1000 / 2
    assert done.peak_bytes > 0 and done.seconds >= 0


def test_an_exception_in_the_worker_is_raised_with_its_traceback() -> None:
    with pytest.raises(ZeroDivisionError) as caught:
        run_apart(lambda: 1 / 0, LIMITS)
    assert "In the worker process" in caught.value.__notes__[0]


def test_a_worker_out_of_memory_fails_and_its_caller_goes_on() -> None:
    with pytest.raises(WorkerFailed) as caught:
        run_apart(_allocate_a_gigabyte, LIMITS)
    assert caught.value.reason == "memory"
    assert run_apart(lambda: "still here", LIMITS).value == "still here"


def test_a_worker_out_of_time_is_killed() -> None:
    with pytest.raises(WorkerFailed) as caught:
        run_apart(lambda: time.sleep(60), WorkerLimits(LIMITS.memory_bytes, 0.5))
    assert caught.value.reason == "time" and caught.value.detail == "0.5 s"


def test_a_worker_that_aborts_is_a_crash_named_by_its_signal() -> None:
    with pytest.raises(WorkerFailed) as caught:
        run_apart(os.abort, LIMITS)
    assert (caught.value.reason, caught.value.detail) == ("crash", "SIGABRT")


CHILD = """
import os, sys, time
from pathlib import Path
from data.importer.worker import WorkerLimits, run_apart

def wait() -> None:
    Path(sys.argv[1]).write_text(str(os.getpid()))
    time.sleep(600)

run_apart(wait, WorkerLimits(512 * 1024 * 1024, 600))
"""


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it has died)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_the_worker_dies_with_its_parent(tmp_path: Path) -> None:
    marker = tmp_path / "worker.pid"
    parent = subprocess.Popen([sys.executable, "-c", CHILD, str(marker)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() or not marker.read_text():
            assert parent.poll() is None and time.monotonic() < deadline, "no worker started"
            time.sleep(0.05)
        worker = int(marker.read_text())
        assert _alive(worker)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


# -- an import whose worker fails ----------------------------------------------------------


def _with_limits(monkeypatch: pytest.MonkeyPatch, **limits: float) -> QualityFile:
    settings = quality_settings()
    changed = settings.model_copy(update={"limits": settings.limits.model_copy(update=limits)})
    monkeypatch.setattr(job_state, "quality_settings", lambda: changed)
    return changed


def _read_then(monkeypatch: pytest.MonkeyPatch, action) -> None:  # type: ignore[no-untyped-def]
    """Reading the file (in the worker) does ``action`` first."""
    from data.importer import steps

    read_table = steps.read_table

    def hostile(*args, **kwargs):  # type: ignore[no-untyped-def]
        action()
        return read_table(*args, **kwargs)

    monkeypatch.setattr(steps, "read_table", hostile)


@pytest.mark.parametrize(
    ("check", "limits", "action", "says"),
    [
        (
            "worker_memory",
            {"worker_memory_mb": 512},
            _allocate_a_gigabyte,
            "demandait plus de mémoire que la limite d'un import (512 Mo)",
        ),
        (
            "worker_timeout",
            {"worker_seconds": 1},
            lambda: time.sleep(60),
            "ont duré plus de 1 seconde, la limite d'un import",
        ),
        ("worker_crash", {}, os.abort, "s'est arrêtée brutalement (SIGABRT)"),
    ],
)
def test_a_failed_worker_refuses_the_file_which_stays_archived(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    check: str,
    limits: dict[str, float],
    action,  # type: ignore[no-untyped-def]
    says: str,
) -> None:
    _with_limits(monkeypatch, **limits)
    _read_then(monkeypatch, action)
    content = (FILES / "good" / "actors_roya.csv").read_bytes()

    result = import_actors(engine, content, "acteurs.csv", "roya", "t")

    assert result.outcome == "refused"
    assert [c.check_id for c in result.report.checks] == [check]
    found = result.report.find(check)
    assert found is not None and found.hint
    assert "« acteurs.csv »" in found.message and says in found.message, found.message
    assert "Rien n'a été enregistré dans les données." in found.message
    sha256 = hashlib.sha256(content).hexdigest()
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Actor)) == 0
        assert connection.scalar(select(RawUpload.size_bytes).where(RawUpload.sha256 == sha256))
        stored = connection.scalar(
            select(ImportReport.outcome).where(ImportReport.id == result.report_id)
        )
    assert stored == "refused"
