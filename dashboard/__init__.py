"""The Streamlit dashboard: ``server.py`` serves ``app.py`` with the session cookie's routes
(``web_session.py``), ``app.py`` signs in and routes, ``navigation.py`` is the table of pages
and the permission each needs, ``reads.py`` the cached typed reads, ``pickers.py`` the
remembered month and territory, ``views/`` the thin pages; chart and PDF builders are pure
functions tested without Streamlit.

The pages' folder is not named ``pages/``: next to the entry point, Streamlit would take it
for its older multipage layout and, on a server's very first run, execute the file the
address names (``/territory``) directly, before ``app.py`` has signed anybody in.

Pages import reads, services, domain functions and builders, never SQLAlchemy nor the store
directly (``tests/test_layers.py``).
"""
