"""An import killed mid-transaction (SIGKILL, a separate process) leaves the data as it was,
and the same import succeeds when tried again; on SQLite and on PostgreSQL.

The child process (``paused_import.py``) runs a real import whose row writer is wrapped: once it
has deleted the wave's earlier rows and inserted the new ones, inside its transaction, it writes
the marker file and waits. The test then kills it with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, select

from data.exports.spreadsheet import to_csv_bytes
from data.importer import import_actors, import_survey
from data.importer.samples import actors_frame, sample_actors, sample_answers, template_csv
from data.store.models import ImportReport, RawUpload
from tests.data.importer.conftest import snapshot
from tests.data.importer.test_formats import stored_rows

CHILD = "tests.data.importer.paused_import"
TERRITORY = "entre-deux-mers"


def _wait_for(marker: Path, child: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not marker.exists():
        if child.poll() is not None:
            out, err = child.communicate()
            raise AssertionError(f"the import ended before pausing: {out!r} {err!r}")
        if time.monotonic() > deadline:
            raise AssertionError("the import never reached its transaction")
        time.sleep(0.05)


def test_an_import_killed_mid_transaction_changes_nothing_and_a_retry_succeeds(
    engine: Engine, tmp_path: Path
) -> None:
    actors = sample_actors(60, seed=3)
    listing = import_actors(
        engine, to_csv_bytes(actors_frame(actors)), "acteurs.csv", TERRITORY, "t"
    )
    assert listing.outcome == "imported", listing.render_text()
    first = template_csv(sample_answers(actors, 200, seed=1), actors)
    assert import_survey(engine, first, "vague0.csv", TERRITORY, 0, "t").outcome == "imported"
    before = snapshot(engine)
    rows_before = stored_rows(engine, TERRITORY, 0)
    big = tmp_path / "vague0-complete.csv"
    big.write_bytes(template_csv(sample_answers(actors, 2000, seed=2), actors))
    marker = tmp_path / "writing"
    url = engine.url.render_as_string(hide_password=False)
    root = Path(__file__).resolve().parents[3]
    child = subprocess.Popen(
        [sys.executable, "-m", CHILD, url, str(big), TERRITORY, str(marker)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(marker, child, 180)
        # Mid-transaction: its rows are written but not visible to anyone else.
        assert snapshot(engine) == before
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout:
            child.stdout.close()
        if child.stderr:
            child.stderr.close()

    assert snapshot(engine) == before
    assert stored_rows(engine, TERRITORY, 0) == rows_before
    sha = __import__("hashlib").sha256(big.read_bytes()).hexdigest()
    with engine.connect() as connection:
        # The raw file was archived (its own transaction, before parsing); no report was kept.
        assert connection.scalar(select(RawUpload.size_bytes).where(RawUpload.sha256 == sha))
        assert connection.scalar(select(ImportReport.id).where(ImportReport.sha256 == sha)) is None

    retry = import_survey(engine, big.read_bytes(), big.name, TERRITORY, 0, "t")

    assert retry.outcome == "replaced", retry.render_text()
    assert retry.counts["respondents"] == 2000
    assert len(stored_rows(engine, TERRITORY, 0)) == 2000
