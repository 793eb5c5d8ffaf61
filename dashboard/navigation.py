"""Which pages each role sees. Access is also enforced in the data layer: hiding a page is
only the first line."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from data.accounts import SignedInUser

PAGES = Path(__file__).resolve().parent / "pages"


def _page(file: str, title: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(PAGES / file, title=title, icon=icon, default=default, url_path=file[:-3])


def pages_for(user: SignedInUser) -> list[st.Page]:
    overview = _page("overview.py", "Vue d'ensemble", ":material/dashboard:", default=True)
    if user.role == "lead":
        return [overview]
    if user.role == "binome":
        return [_page("overview.py", "Mon territoire", ":material/dashboard:", default=True)]
    return [overview]
