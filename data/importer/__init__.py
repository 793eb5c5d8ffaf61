"""Import of actors lists and survey waves behind a quality gate.

Public API (Great Expectations is imported only when a file is checked)::

    import_actors(engine, content, filename, territory_id, user, on_change=None)
    import_survey(engine, content, filename, territory_id, wave_number, user, on_change=None)
    actors_template(fmt) / survey_template(territory_id_or_actors, fmt, engine=...)
"""

from __future__ import annotations

from data.domain.checks import Cell, CheckResult, Report, Severity
from data.importer.service import ImportResult, import_actors, import_file, import_survey
from data.importer.templates import actors_template, survey_template, survey_template_for

__all__ = [
    "Cell",
    "CheckResult",
    "ImportResult",
    "Report",
    "Severity",
    "actors_template",
    "import_actors",
    "import_file",
    "import_survey",
    "survey_template",
    "survey_template_for",
]
