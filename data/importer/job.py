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
half-written.
"""

from __future__ import annotations

import logging
import time

from data.domain.checks import CheckResult, Severity
from data.importer import writing
from data.importer.job_state import ImportState, Refused, Step
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
    parse_actors_list,
    parse_survey_file,
    read_file,
    recognise_actors_columns,
    recognise_survey_columns,
    write_actors,
    write_survey,
)

logger = logging.getLogger(__name__)

STEPS: dict[Kind, tuple[Step, ...]] = {
    "actors": (
        check_target,
        check_size,
        load_file,
        archive,
        detect_unchanged,
        read_file,
        recognise_actors_columns,
        check_header,
        parse_actors_list,
        check_actors,
        write_actors,
    ),
    "survey": (
        check_target,
        check_size,
        load_file,
        archive,
        detect_unchanged,
        load_actors,
        read_file,
        recognise_survey_columns,
        check_header,
        parse_survey_file,
        check_survey,
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
