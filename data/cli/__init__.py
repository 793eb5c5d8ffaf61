"""The ``cooperascope`` command line (``main``), a thin layer over the same services, queries
and exports as the pages; messages in French. May import any ``data`` package; never
Streamlit nor ``dashboard``.
"""
