"""The Streamlit dashboard: ``app.py`` signs in and routes, ``navigation.py`` is the table of
pages and the permission each needs, ``reads.py`` the cached typed reads, ``pickers.py`` the
remembered month and territory, ``pages/`` the thin pages; chart and PDF builders are pure
functions tested without Streamlit.

Pages import reads, services, domain functions and builders, never SQLAlchemy nor the store
directly (``tests/test_layers.py``).
"""
