"""Coopérascope — Streamlit entry point: sign-in, then each role's own pages."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import auth, reads
from dashboard.chrome import PLOTLY_FULLSCREEN_CSS
from dashboard.navigation import pages_for
from data import fr, labels

st.set_page_config(page_title="Coopérascope", page_icon="🧭", layout="wide")
st.html(f"<style>{PLOTLY_FULLSCREEN_CSS}</style>")

reads.follow_writes()
user = auth.current_user()
if user is None:
    st.navigation([st.Page(auth.login_page, title="Connexion", icon=":material/login:")]).run()
else:
    with st.sidebar:
        st.markdown(f"**{fr.literal(user.display_name)}**  \n{labels.ROLE[user.scope.role]}")
        st.button("Se déconnecter", on_click=auth.sign_out, icon=":material/logout:")
    st.navigation(pages_for(user.scope)).run()
