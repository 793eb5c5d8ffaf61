"""Coopérascope — Streamlit entry point: page set-up and navigation."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="Coopérascope", page_icon="🧭", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            PAGES / "overview.py",
            title="Vue d'ensemble",
            icon=":material/dashboard:",
            default=True,
        ),
    ]
)
navigation.run()
