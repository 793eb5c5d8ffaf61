"""A survey import that pauses inside its transaction: the child process of ``test_kill.py``.

Usage: ``python -m tests.data.importer.paused_import URL FILE TERRITORY MARKER``

The importer's row writer is wrapped: once the wave's earlier rows are deleted and the new ones
inserted, inside the import's one transaction, it writes the MARKER file and waits (ten
minutes), so that the test can kill this process with SIGKILL at that very point.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection

from data.importer import import_survey, writing
from data.store.engine import make_engine

PAUSE_SECONDS = 600  # longer than the test waits: the pause ends with the kill


def main(argv: Sequence[str]) -> None:
    url, file, territory, marker = argv
    path = Path(file)
    write_rows = writing.write_rows

    def write_then_wait(connection: Connection, wave_id: int, rows: writing.SurveyRows) -> None:
        write_rows(connection, wave_id, rows)
        Path(marker).write_text("writing", encoding="utf-8")
        time.sleep(PAUSE_SECONDS)

    writing.write_rows = write_then_wait
    result = import_survey(make_engine(url), path.read_bytes(), path.name, territory, 0, "child")
    print("finished", result.outcome)


if __name__ == "__main__":
    main(sys.argv[1:])
