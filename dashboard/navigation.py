"""Which pages each role sees. Access is also enforced in the data layer: hiding a page is
only the first line."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from data.services.accounts import SignedInUser

PAGES = Path(__file__).resolve().parent / "pages"


def _page(file: str, title: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(PAGES / file, title=title, icon=icon, default=default, url_path=file[:-3])


def pages_for(user: SignedInUser) -> list[st.Page]:
    """Leads see everything; a binôme its territory's pages; a funder read-only views."""
    overview = _page("overview.py", "Vue d'ensemble", ":material/dashboard:", default=True)
    territory = _page("territory.py", "Territoire", ":material/location_on:")
    review = _page("review.py", "Revue mensuelle", ":material/fact_check:")
    journal = _page("journal.py", "Journal de bord", ":material/edit_note:")
    upload = _page("upload.py", "Import", ":material/upload_file:")
    quality = _page("quality.py", "Qualité des données", ":material/rule:")
    admin = _page("admin.py", "Administration", ":material/manage_accounts:")
    if user.role == "lead":
        return [overview, territory, review, journal, upload, quality, admin]
    if user.role == "binome":
        own = _page("territory.py", "Mon territoire", ":material/location_on:", default=True)
        pages = [own, journal, upload, quality]
        if user.scope.sees_other_aggregates:
            pages.append(_page("overview.py", "Vue d'ensemble", ":material/dashboard:"))
        return pages
    return [overview, territory]
