"""Import of actors lists and survey waves behind a quality gate.

Public API (Great Expectations is imported only when a file is checked)::

    import_actors(engine, content, filename, territory_id, user)
    import_survey(engine, content, filename, territory_id, wave_number, user)
    run_import(engine, kind, content_or_path, filename, territory_id, user, wave_number=None)
    actors_template(fmt) / survey_template(territory_id_or_actors, fmt, engine=...)
    xlsform.xlsform_for(engine, territory_id)  # the XLSForm of a territory

Inside: ``service`` (these entries); ``job`` (the import as a sequence of named steps, which
are in ``steps`` and pass a ``job_state`` along; those that read the file run in a ``worker``
process with memory and time limits); ``reading`` (bytes to a table: CSV, and what both kinds
share) with ``workbook`` (XLSX, ODS and XLS, read by calamine once ``workbook_scan`` or
``sheet_scan`` has bounded what that costs) → ``formats`` → ``frames`` (columns found by name,
parsed frames); ``templates`` and ``xlsform`` (the blank files and the form to deploy in
KoboToolbox or ODK Central, whose exports ``formats`` recognises); ``quality`` (the
declared checks); ``writing`` (the database writes); ``result`` (what an import did, in
French). What a file may cost to read is ``settings.Limits`` (``quality.yaml``'s ``limits``).
"""

from __future__ import annotations

from data.domain.checks import Cell, CheckResult, Report, Severity
from data.importer.result import ImportResult
from data.importer.service import import_actors, import_survey, run_import
from data.importer.templates import actors_template, survey_template, survey_template_for

__all__ = [
    "Cell",
    "CheckResult",
    "ImportResult",
    "Report",
    "Severity",
    "actors_template",
    "import_actors",
    "import_survey",
    "run_import",
    "survey_template",
    "survey_template_for",
]
