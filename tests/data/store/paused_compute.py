"""A compute of two territories in worker processes that pauses after its first batch: the
child process of ``test_workers.py``.

Usage: ``python -m tests.data.store.paused_compute URL``

Each territory is a batch and two worker processes compute them. Once the first batch is
written, the progress callback prints ``paused`` and waits ten minutes: the pool and its two
workers are alive, and the test kills this process with SIGKILL.
"""

from __future__ import annotations

import sys
import time

from data.store.engine import make_engine
from data.store.indicator_store import compute
from tests.data.store.test_workers import END, WORKERS

PAUSE_SECONDS = 600  # longer than the test waits: the pause ends with the kill


def pause(_message: str) -> None:
    print("paused", flush=True)
    time.sleep(PAUSE_SECONDS)


if __name__ == "__main__":
    compute(
        make_engine(sys.argv[1]),
        force=True,
        until=END,
        batch_size=1,
        workers=WORKERS,
        progress=pause,
    )
