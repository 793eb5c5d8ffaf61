"""The database: SQLAlchemy models and Alembic migrations, the engine factory, bulk and columnar
reads and writes, the audit log, the scoped read queries and the indicator store.

May import ``data.access``, ``data.config``, ``data.fr``, ``data.labels``, ``data.domain`` and
``indicators``; never the importer, services, exports, the command line or Streamlit.
"""
