"""Coopérascope's data side: everything but the pages and the indicator functions.

Packages, from the bottom up; each may import the ones before it, never those after
(``tests/test_layers.py`` checks it):

- ``data.access`` — roles, permissions, the policy table, the user's ``Scope``;
  ``data.fr`` — French formatting; ``data.config`` — the one YAML loader and the
  configuration; ``data.labels`` — the French labels of enumerated values.
- ``data.domain`` — the programme's rules on DataFrames and values: months, journeys, survey
  freshness, alerts, changes, journal checks, the checks vocabulary. No SQLAlchemy.
- ``data.store`` — the database: models, migrations, engine, bulk and columnar I/O, audit,
  scoped queries, the indicator store.
- ``data.importer`` — survey and actors files, from bytes to rows, behind the quality gate.
- ``data.exports`` — files the product writes (long export, spreadsheet writers).
- ``data.services`` — the writes people make (journal, accounts, imports with their refresh),
  shared by the pages and the command line.
- ``data.demo`` — the demo history; ``data.cli`` — the ``cooperascope`` command line.

Nothing here imports Streamlit or plotly.
"""
