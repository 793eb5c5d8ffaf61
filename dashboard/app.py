"""Coopérascope — Streamlit entry point: sign-in, then each role's own pages. ``server.py``
serves it with the session cookie's routes (``make run``)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import auth, reads
from dashboard.chrome import CHROME_FR_SCRIPT, PLOTLY_FULLSCREEN_CSS
from dashboard.layout import LAYOUT_CSS
from dashboard.navigation import pages_for, sign_in_pages
from data import fr, labels

st.set_page_config(page_title="Coopérascope", page_icon="🧭", layout="wide")
st.html(
    f"<style>{PLOTLY_FULLSCREEN_CSS}{LAYOUT_CSS}</style>{CHROME_FR_SCRIPT}",
    unsafe_allow_javascript=True,
)

reads.follow_writes()
user = auth.current_user()
if user is None:
    st.navigation(sign_in_pages(auth.sign_in_form)).run()
else:
    with st.sidebar:
        st.markdown(f"**{fr.literal(user.display_name)}**  \n{labels.ROLE[user.scope.role]}")
        st.button("Se déconnecter", on_click=auth.sign_out, icon=":material/logout:")
        auth.hand_over_cookie()
    st.navigation(pages_for(user.scope)).run()
