"""Coopérascope's server: ``streamlit run dashboard/server.py`` (``make run``) serves
``app.py`` as an ``st.App`` with the routes that set and clear the session cookie, and the
French answer to an unknown address (``dashboard.web_session``)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/server.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import web_session

app = st.App("app.py", **web_session.serve())
