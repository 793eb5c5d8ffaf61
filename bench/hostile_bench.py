"""What hostile uploads cost the server: time and the checking worker's peak memory per file.

    .venv/bin/python -m bench.hostile_bench [--runs 3] [--only NAME]

Each file of the hostile corpus (``tests/data/importer/test_hostile.py``), the files of the
findings that led to it (issue 11) and, for reference, the largest wave the import accepts
(10,000 respondents, 60 organisations, CSV and XLSX) are checked as the Import page does on
upload (a dry run) against a SQLite database holding the Roya actors list. Per file: the
median of ``--runs`` runs of the whole call's time, the worker's peak resident memory (its
``ru_maxrss``, inherited pages included: what the server's memory holds while it runs) and
the check the report ends on. Targets: every hostile file under 1 GB and 30 s.

The files are written by a separate process first (``var/bench/hostile/``), so that the
memory spent making them is not counted in the workers forked by this one. Also measured: the
worker's own cost on a normal file, the time of the ``read_and_check`` step minus that of the
steps it ran (median of 20 runs of the clean Roya wave).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import (
    BENCH_DIR,
    in_child,
    machine,
    mark,
    markdown_table,
    megabytes,
    say,
    seconds,
)

OPTIONS = {"--runs"}
MAX_BYTES = 1024**3
MAX_SECONDS = 30.0
FOLDER = BENCH_DIR / "hostile"
OVERHEAD_RUNS = 20


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile_bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per file (default 3)")
    parser.add_argument("--only", help="only the files whose name contains this")
    return parser


def _findings() -> dict[str, bytes]:
    """The files of issue 11's findings, as its report describes them, and two at the edge
    of the limits."""
    from tests.data.importer import hostile as h

    header = "".join(h.inline_cell(f"{h.letter(i)}1", v) for i, v in enumerate(h.survey_rows()[0]))
    refs = "".join(
        f'<row r="{n}">'
        + "".join(f'<c r="{h.letter(c)}{n}" t="s"><v>0</v></c>' for c in range(20))
        + "</row>"
        for n in range(2, 1002)
    )
    header_row = f'<row r="1">{header}</row>'
    shared = h.workbook(
        {"Réponses": h.worksheet(header_row + refs)},
        shared_strings=["x" * 65_536],
    )
    answers = h.survey_lines()[1].split(";", 1)[1]  # the first respondent's, over and over
    lines = [h.survey_lines()[0]] + [f"r{i};{answers}" for i in range(1, 400_000)]
    content = h.csv_bytes(lines)
    # Just within the limits, under the survey's header (so that they are read whole): 2,230
    # cells of 30,000 characters (66,900,000 of 67,108,864), and 1,499 rows of 2,000 numbers
    # (3,000,000 cells with the header row's 2,000).
    texts = "".join(
        f'<row r="{n}">{h.inline_cell(f"A{n}", "a" * 30_000)}</row>' for n in range(2, 2232)
    )
    numbers = "".join(
        f'<row r="{n}">' + "".join(f"<c><v>{c % 6}</v></c>" for c in range(2_000)) + "</row>"
        for n in range(2, 1501)
    )
    return {
        "edge_text_64_mb.xlsx": h.workbook({"Réponses": h.worksheet(header_row + texts)}),
        "edge_cells_3_million.xlsx": h.workbook({"Réponses": h.worksheet(header_row + numbers)}),
        "issue_single_quoted_xfd.xlsx": h.survey_workbook(
            h.value_row(1_048_576, "XFD1048576", "'"), quote="'"
        ),
        "issue_single_quoted_zz.xlsx": h.survey_workbook(
            h.value_row(200_000, "ZZ200000", "'"), quote="'"
        ),
        "issue_shared_64_kb_x_20000.xlsx": shared,
        "issue_24_mb.csv": content[: 24 * 1024 * 1024].rsplit(b"\r\n", 1)[0] + b"\r\n",
    }


def _largest_accepted() -> dict[str, bytes]:
    from data.importer.samples import sample_actors, sample_answers, template_csv, template_xlsx

    actors = sample_actors(60, seed=3)
    answers = sample_answers(actors, 10_000, seed=4)
    return {
        "accepted_wave_10000x60.csv": template_csv(answers, actors),
        "accepted_wave_10000x60.xlsx": template_xlsx(answers, actors),
    }


def write_files(only: str | None) -> list[tuple[str, str, str]]:
    """Write the files (in a child process); each file's name, kind and expected check."""
    from tests.data.importer.test_hostile import HOSTILE

    FOLDER.mkdir(parents=True, exist_ok=True)
    listing = []
    for hostile in HOSTILE:
        listing.append((hostile.case.file, hostile.case.kind, hostile.case.check))
    listing += [(name, "survey", "") for name in (*_findings_names(), *_accepted_names())]
    listing = [entry for entry in listing if only is None or only in entry[0]]
    wanted = {name for name, _, _ in listing}
    missing = [name for name in wanted if not (FOLDER / name).exists()]
    if missing:
        makers = {x.case.file: x.make for x in HOSTILE}
        extra = {}
        if any(name.startswith(("issue_", "edge_")) for name in missing):
            extra.update(_findings())
        if any(name.startswith("accepted_") for name in missing):
            extra.update(_largest_accepted())
        for name in missing:
            content = makers[name]() if name in makers else extra[name]
            (FOLDER / name).write_bytes(content)
    return listing


def _findings_names() -> tuple[str, ...]:
    return (
        "edge_text_64_mb.xlsx",
        "edge_cells_3_million.xlsx",
        "issue_single_quoted_xfd.xlsx",
        "issue_single_quoted_zz.xlsx",
        "issue_shared_64_kb_x_20000.xlsx",
        "issue_24_mb.csv",
    )


def _accepted_names() -> tuple[str, ...]:
    return ("accepted_wave_10000x60.csv", "accepted_wave_10000x60.xlsx")


def _database(folder: Path):  # type: ignore[no-untyped-def]
    from data.config import get_config
    from data.store.engine import make_engine
    from data.store.migrate import upgrade
    from data.store.sync import sync_config
    from tests.data.importer.conftest import load_roya

    engine = make_engine(f"sqlite:///{folder / 'hostile.db'}")
    upgrade(engine)
    sync_config(engine, get_config())
    load_roya(engine)
    return engine


def _accepted_actors(engine) -> None:  # type: ignore[no-untyped-def]
    """The 60 organisations of the largest wave, in the territory « forbach »."""
    from data.exports.spreadsheet import to_csv_bytes
    from data.importer import import_actors
    from data.importer.samples import actors_frame, sample_actors

    listing = to_csv_bytes(actors_frame(sample_actors(60, seed=3)))
    result = import_actors(engine, listing, "acteurs-60.csv", "forbach", "bench")
    assert result.outcome == "imported", result.render_text()


def _check(engine, name: str, kind: str):  # type: ignore[no-untyped-def]
    from data.importer import run_import

    territory = "forbach" if name.startswith("accepted_") else "roya"
    content = (FOLDER / name).read_bytes()
    started = time.perf_counter()
    result = run_import(
        engine,
        kind,  # type: ignore[arg-type]
        content,
        name,
        territory,
        "bench",
        wave_number=1 if kind == "survey" else None,
        dry_run=True,
    )
    return time.perf_counter() - started, result


def _overhead(engine) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median ms of the worker's own cost on the clean Roya wave, and of the whole check."""
    from data.importer import import_survey
    from data.importer.job import CHECKED_APART
    from tests.data.importer.conftest import FILES

    content = (FILES / "good" / "survey_roya_w1.csv").read_bytes()
    inner = [step.__name__ for step in CHECKED_APART["survey"]]
    own, whole = [], []
    for _ in range(OVERHEAD_RUNS):
        started = time.perf_counter()
        result = import_survey(engine, content, "vague1.csv", "roya", 1, "bench", dry_run=True)
        whole.append(time.perf_counter() - started)
        assert result.outcome == "checked", result.render_text()
        timings = result.timings
        own.append(timings["read_and_check"] - sum(timings[step] for step in inner))
    return statistics.median(own) * 1000, statistics.median(whole) * 1000


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    say("writing the hostile files (in a child process)")
    listing, _ = in_child(write_files, args.only)
    from data.importer.quality import expectations
    from data.importer.worker import WorkerLimits, run_apart

    expectations()
    baseline = run_apart(lambda: None, WorkerLimits(MAX_BYTES, MAX_SECONDS)).peak_bytes
    rows = []
    worst_ok = True
    with tempfile.TemporaryDirectory() as folder:
        engine = _database(Path(folder))
        if any(name.startswith("accepted_") for name, _, _ in listing):
            _accepted_actors(engine)
        for name, kind, expected in listing:
            times, peaks, checks = [], [], ""
            for number in range(1, args.runs + 1):
                elapsed, result = _check(engine, name, kind)
                worker = result.report.context.get("worker", {})
                times.append(elapsed)
                peaks.append(worker.get("peak_bytes", 0))
                ids = [c.check_id for c in result.report.checks if c.is_error]
                checks = ", ".join(ids) or result.outcome
                say(f"{name}: run {number}/{args.runs} {seconds(elapsed)} {checks}")
            time_median, peak_median = statistics.median(times), statistics.median(peaks)
            hostile = not name.startswith("accepted_")
            ok = peak_median < MAX_BYTES and time_median < MAX_SECONDS
            worst_ok &= ok or not hostile
            if expected and expected not in checks:
                say(f"{name}: expected {expected}, got {checks}")
                worst_ok = False
            size = (FOLDER / name).stat().st_size
            rows.append(
                [
                    f"`{name}`" + ("" if hostile else " (reference)"),
                    megabytes(size) if size >= 2**20 else f"{size / 1024:.0f} KB",
                    checks,
                    seconds(time_median),
                    megabytes(peak_median),
                    mark(ok) if hostile else "",
                ]
            )
        own, whole = _overhead(engine)
        engine.dispose()
    print("## Hostile uploads: time and the checking worker's peak memory\n")
    print(
        f"Median of {args.runs} runs per file, a dry run as on the Import page. Worker peak: "
        "its `ru_maxrss`, pages inherited from the server included (a worker doing nothing: "
        f"{megabytes(baseline)}). Targets: under 1 GB and 30 s.\n"
    )
    print(markdown_table(("file", "size", "refused by", "time", "worker peak", "target"), rows))
    print()
    print(
        f"- Worker overhead on a normal file (the clean Roya wave, {OVERHEAD_RUNS} runs): "
        f"{own:.1f} ms median (fork, limits, result back), of {whole:.0f} ms for the whole "
        "check."
    )
    print("\n".join(machine().lines()))
    given = sys.argv[1:] if argv is None else list(argv)
    print(f"- Command: `.venv/bin/python -m bench.hostile_bench {' '.join(given)}`".rstrip())
    return 0 if worst_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
