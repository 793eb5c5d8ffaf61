"""The import job: a sequence of named steps from a file to the database (:data:`STEPS`).

Each step (:mod:`data.importer.steps`) is a function with one job: it takes the
:class:`~data.importer.job_state.ImportState`, fills in what it found and returns it. A step
refuses the file by raising :class:`~data.importer.job_state.Refused` (its report then says why);
it ends the job early, with nothing more to do, by setting ``state.finished``. To add a step,
write it in :mod:`data.importer.steps` and put it in its place below.

The order is what makes an import safe: the raw bytes are archived (committed on their own)
before anything is read from them; a file already imported into the same target stops there;
a refused file leaves the data tables untouched and only its report is stored; an accepted
file is written in one transaction (its rows, its report, its audit row), so nothing is ever
half-written. The steps that read the file's content run apart, in a worker process with
memory and time limits (:func:`read_and_check`, :mod:`data.importer.worker`): whatever the
file, the server goes on.
"""

from __future__ import annotations

import logging
import time

from data import fr
from data.domain.checks import CheckResult, Severity
from data.importer import writing
from data.importer.job_state import ImportState, Refused, Step
from data.importer.quality import warm_up
from data.importer.reading import SHRINK
from data.importer.result import ImportResult
from data.importer.settings import Kind
from data.importer.steps import (
    archive,
    check_actors,
    check_header,
    check_size,
    check_survey,
    check_target,
    detect_unchanged,
    load_actors,
    load_file,
    load_wave_context,
    parse_actors_list,
    parse_survey_file,
    prepare_actors,
    prepare_survey,
    read_file,
    recognise_actors_columns,
    recognise_survey_columns,
    write_actors,
    write_survey,
)
from data.importer.worker import WorkerFailed, WorkerLimits, run_apart

logger = logging.getLogger(__name__)

# The steps that read the file's content run in a worker process with memory and time limits
# (``quality.yaml``'s ``worker_memory_mb`` and ``worker_seconds``): a hostile file fails its own
# import, in French, and never takes the server down. They write nothing; what they prepare
# comes back for the steps that write.
CHECKED_APART: dict[Kind, tuple[Step, ...]] = {
    "actors": (
        read_file,
        recognise_actors_columns,
        check_header,
        parse_actors_list,
        check_actors,
        prepare_actors,
    ),
    "survey": (
        read_file,
        recognise_survey_columns,
        check_header,
        parse_survey_file,
        check_survey,
        prepare_survey,
    ),
}
# What the steps apart hand back (besides the result and its report).
PREPARED = ("rows", "counts", "wanted")


def read_and_check(state: ImportState) -> ImportState:
    """The file is read, its columns recognised and its values checked, in a worker process
    (:data:`CHECKED_APART`); a worker out of memory or time, or killed, refuses the file."""
    warm_up()  # Great Expectations imported and run once here: each worker starts with it
    limits = state.settings.limits
    worker_limits = WorkerLimits(int(limits.worker_memory_mb * 1024 * 1024), limits.worker_seconds)
    try:
        done = run_apart(lambda: _apart(state), worker_limits)
    except WorkerFailed as failure:
        state.report.context["worker"] = {
            "reason": failure.reason,
            "detail": failure.detail,
            "peak_bytes": failure.peak_bytes,
            "seconds": round(failure.seconds, 3),
        }
        raise state.refuse(_worker_failed(state, failure)) from None
    result, prepared, refused = done.value
    # What reading and checking cost, for the report (and the benchmarks).
    result.report.context["worker"] = {
        "peak_bytes": done.peak_bytes,
        "seconds": round(done.seconds, 3),
    }
    state.result = result
    for name, value in prepared.items():
        setattr(state, name, value)
    if refused:
        raise Refused("checks")
    return state


def _apart(state: ImportState) -> tuple[ImportResult, dict[str, object], bool]:
    """In the worker: run the steps apart; what they found, and whether they refused."""
    refused = False
    try:
        for step in CHECKED_APART[state.kind]:
            mark = time.perf_counter()
            state = step(state)
            state.result.timings[step.__name__] = time.perf_counter() - mark
    except Refused:
        refused = True
    prepared = {name: getattr(state, name) for name in PREPARED if name in vars(state)}
    return state.result, prepared, refused


def _worker_failed(state: ImportState, failure: WorkerFailed) -> CheckResult:
    limits = state.settings.limits
    name = f"« {state.filename} »"
    kept = "Rien n'a été enregistré dans les données."
    if failure.reason == "memory":
        return CheckResult(
            "worker_memory",
            Severity.ERROR,
            f"La lecture du fichier {name} demandait plus de mémoire que la limite d'un import "
            f"({fr.number(limits.worker_memory_mb, 0)} Mo) : elle a été arrêtée. {kept}",
            "Le fichier est sans doute bien plus gros qu'un export d'enquête (lignes ou colonnes "
            f"en trop, texte répété, images). {SHRINK}",
        )
    if failure.reason == "time":
        seconds = limits.worker_seconds
        return CheckResult(
            "worker_timeout",
            Severity.ERROR,
            f"La lecture et les contrôles du fichier {name} ont duré plus de "
            f"{fr.number(seconds, 0)} seconde{'s' if seconds >= 2 else ''}, la limite d'un "
            f"import : ils ont été arrêtés. {kept}",
            "Vérifiez que c'est l'export d'une seule vague d'un seul territoire, sans lignes ni "
            f"colonnes en trop. {SHRINK} Si le serveur était très chargé, réessayez plus tard.",
        )
    return CheckResult(
        "worker_crash",
        Severity.ERROR,
        f"La lecture du fichier {name} s'est arrêtée brutalement ({failure.detail}), sans "
        f"doute faute de mémoire : le fichier demande plus que ce qu'un import permet. {kept}",
        f"Vérifiez que le fichier s'ouvre dans Excel ou LibreOffice et enregistrez-le à nouveau. "
        f"{SHRINK} Si l'erreur persiste, transmettez ce rapport à l'équipe technique.",
    )


STEPS: dict[Kind, tuple[Step, ...]] = {
    "actors": (
        check_target,
        check_size,
        load_file,
        archive,
        detect_unchanged,
        read_and_check,
        write_actors,
    ),
    "survey": (
        check_target,
        check_size,
        load_file,
        archive,
        detect_unchanged,
        load_actors,
        load_wave_context,
        read_and_check,
        write_survey,
    ),
}


def run(state: ImportState) -> ImportResult:
    """Run the steps of the state's kind of file. Every failure ends in a French report."""
    started = time.perf_counter()
    try:
        for step in STEPS[state.kind]:
            mark = time.perf_counter()
            state = step(state)
            state.result.timings[step.__name__] = time.perf_counter() - mark
            if state.finished:
                break
    except Refused:
        _refused(state)
    except Exception as exc:  # a bug must not leave the user without a report
        logger.exception("import of %s failed", state.filename)
        state.report.add(
            CheckResult(
                "internal_error",
                Severity.ERROR,
                "Une erreur inattendue a interrompu l'import ; rien n'a été enregistré dans "
                f"les données ({type(exc).__name__} : {str(exc)[:200]}).",
                "Transmettez ce rapport et le fichier à l'équipe technique. Le fichier a été "
                "archivé : il pourra être importé à nouveau une fois l'erreur corrigée.",
            )
        )
        _refused(state)
    finally:
        state.result.seconds = time.perf_counter() - started
    return state.result


def _refused(state: ImportState) -> None:
    state.result.outcome = "refused"
    # Nothing is stored for a file never archived (a wrong command, a file too large to read):
    # its report would point at no stored file.
    if state.archived:
        writing.store_refusal(state.engine, state.result)
