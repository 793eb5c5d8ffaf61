"""What leaves the product as files: the long export of the indicators (``indicators``: one
table, rendered as CSV or XLSX, the same bytes for the command line and the pages) and the
spreadsheet writers that neutralise formulas (``spreadsheet``, a leaf the importer's
templates use too).

May import ``data.access``, ``data.config``, ``data.fr``, ``data.labels``, ``data.domain``,
``data.store`` and ``indicators``; never the services, the command line or Streamlit.
"""
