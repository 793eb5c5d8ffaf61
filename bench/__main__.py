"""Run the benchmarks in turn: ``python -m bench [--only NAME] [--scales small,medium,large]``.

Benchmarks whose module is not written yet are skipped with a message. Progress goes to
stderr, each benchmark prints its table on stdout. The exit status is 1 if any benchmark
failed (the others still run).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType

from bench.common import say

# Name -> module, in the order they run.
BENCHMARKS: dict[str, str] = {
    "indicators": "bench.indicators_bench",
    "import": "bench.import_bench",
    "render": "bench.render_bench",
    "hostile": "bench.hostile_bench",
}
SCALE_NAMES = ("small", "medium", "large")


def _scales(text: str) -> str:
    scales = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in scales if s not in SCALE_NAMES]
    if unknown or not scales:
        raise argparse.ArgumentTypeError(
            f"unknown scale(s) {', '.join(unknown) or '(none)'}; choose among "
            + ", ".join(SCALE_NAMES)
        )
    return ",".join(scales)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=list(BENCHMARKS), help="run this benchmark only")
    parser.add_argument(
        "--scales", type=_scales, help="comma-separated scales (default: all of each benchmark)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="rebuild the benchmark databases (no reuse)"
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="also measure on this PostgreSQL server (where supported)"
    )
    parser.add_argument("--runs", type=int, help="runs per figure (default: each benchmark's)")
    return parser


def _load(module_name: str) -> ModuleType | None:
    """The benchmark's module if it exists and has a ``main``, else None."""
    if importlib.util.find_spec(module_name) is None:
        return None
    module = importlib.import_module(module_name)
    return module if callable(getattr(module, "main", None)) else None


def _argv_for(module: ModuleType, args: argparse.Namespace) -> list[str]:
    """The options of ``python -m bench`` that this benchmark declares it takes."""
    options = set(getattr(module, "OPTIONS", ()))
    argv: list[str] = []
    if args.scales and hasattr(module, "SCALES"):
        argv += ["--scales", args.scales]
    if args.fresh and "--fresh" in options:
        argv.append("--fresh")
    if args.postgres and "--postgres" in options:
        argv += ["--postgres", args.postgres]
    if args.runs is not None and "--runs" in options:
        argv += ["--runs", str(args.runs)]
    return argv


def _run(name: str, module: ModuleType, argv: list[str], command: str) -> int:
    main = module.main
    parameters = inspect.signature(main).parameters
    if "command" in parameters:
        status = main(argv, command=command)
    elif parameters:
        status = main(argv)
    else:  # a main() that reads sys.argv itself
        saved = sys.argv
        sys.argv = [f"{module.__name__}", *argv]
        try:
            status = main()
        finally:
            sys.argv = saved
    return int(status or 0)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    names = [args.only] if args.only else list(BENCHMARKS)
    failed: list[str] = []
    for position, name in enumerate(names, start=1):
        module = _load(BENCHMARKS[name])
        if module is None:
            say(f"benchmark {name}: {BENCHMARKS[name]} is not available yet, skipped")
            if args.only:
                failed.append(name)
            continue
        module_argv = _argv_for(module, args)
        say(f"benchmark {position}/{len(names)}: {name} {' '.join(module_argv)}".rstrip())
        try:
            status = _run(name, module, module_argv, command.strip())
        except Exception:
            traceback.print_exc()
            status = 1
        except SystemExit as stop:  # argparse errors and explicit exits of a benchmark
            status = stop.code if isinstance(stop.code, int) else 1
        if status:
            say(f"benchmark {name} failed (status {status})")
            failed.append(name)
    if failed:
        say(f"failed: {', '.join(failed)}")
        return 1
    say("all benchmarks done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
