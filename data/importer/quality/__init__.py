"""The quality gate: the suites of checks of ``config/quality.yaml``, run with Great Expectations.

Every check is declared once, where it is written, and registered (:mod:`.registry`): the
header checks and the text encoding in :mod:`.structure`, the survey suite in :mod:`.survey`
(respondents) and :mod:`.answers` (answers, the wave as a whole), the actors suite in
:mod:`.actors`; :mod:`.expectations` runs Great Expectations. The ids a
suite may name and those that can only be errors are derived from the declarations.

To add a check: declare it in the module of its suite (``@expectation_check`` or
``@python_check``, then ``@<check>.message``), and name it in ``config/quality.yaml``.

Great Expectations takes seconds to import: it is imported when a file's values are checked,
never when this package is imported, so the dashboard starts fast.
"""

from __future__ import annotations

# Importing the suites' modules registers their checks, in the order a report lists them.
from data.importer.quality import actors, answers, form, structure, survey  # noqa: F401
from data.importer.quality.actors import SLUG, actors_checks
from data.importer.quality.expectations import expectations, warm_up
from data.importer.quality.registry import (
    check_ids,
    error_only_ids,
    validate_suites,
    without_message,
)
from data.importer.quality.structure import header_checks
from data.importer.quality.survey import SurveyContext, WaveSpan, survey_checks

# A check declared without the function that says its failures is a mistake found here, at
# start-up.
_unsaid = without_message()
if _unsaid:
    raise RuntimeError(f"quality checks without a message: {', '.join(_unsaid)}")

__all__ = [
    "SLUG",
    "SurveyContext",
    "WaveSpan",
    "actors_checks",
    "check_ids",
    "error_only_ids",
    "expectations",
    "header_checks",
    "survey_checks",
    "validate_suites",
    "warm_up",
]
