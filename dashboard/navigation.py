"""The pages, and the permission each needs: a declarative table read by ``app.py``.

Access is also enforced in the data layer: a page not offered is only the first line. A scope
bound to one territory (a binôme) opens on that territory's page, titled as its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from data.access import Permission, Scope

PAGES_DIR = Path(__file__).resolve().parent / "views"


@dataclass(frozen=True)
class PageSpec:
    """One page: its file under ``views/``, its French title and icon, the permission it
    needs, and its title for a scope bound to one territory (``None``: the same)."""

    file: str
    title: str
    icon: str
    needs: Permission
    bound_title: str | None = None

    @property
    def url_path(self) -> str:
        return self.file.removesuffix(".py")


_P = Permission
PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "Vue d'ensemble", ":material/dashboard:", _P.READ_OTHER_AGGREGATES),
    PageSpec(
        "territory.py",
        "Territoire",
        ":material/location_on:",
        _P.READ_OWN_DETAIL,
        bound_title="Mon territoire",
    ),
    PageSpec("review.py", "Revue mensuelle", ":material/fact_check:", _P.REVIEW_MONTH),
    PageSpec("journal.py", "Journal de bord", ":material/edit_note:", _P.WRITE_TERRITORY),
    PageSpec("upload.py", "Import", ":material/upload_file:", _P.WRITE_TERRITORY),
    PageSpec("quality.py", "Qualité des données", ":material/rule:", _P.READ_IMPORT_REPORTS),
    PageSpec("admin.py", "Administration", ":material/manage_accounts:", _P.MANAGE_ACCOUNTS),
)


def visible_pages(scope: Scope) -> list[PageSpec]:
    """The pages the scope may open, in menu order: the table's order, except that a scope
    bound to one territory finds its own territory's page first and the others' last."""
    pages = [p for p in PAGES if scope.can(p.needs)]
    if scope.bound:
        own = [p for p in pages if p.bound_title]
        others = [p for p in pages if p.needs == Permission.READ_OTHER_AGGREGATES]
        pages = own + [p for p in pages if p not in own and p not in others] + others
    return pages


def pages_for(scope: Scope) -> list[st.Page]:
    """The Streamlit pages of the scope's navigation, the first one its landing page."""
    return [
        st.Page(
            PAGES_DIR / spec.file,
            title=(spec.bound_title if scope.bound and spec.bound_title else spec.title),
            icon=spec.icon,
            default=position == 0,
            url_path=spec.url_path,
        )
        for position, spec in enumerate(visible_pages(scope))
    ]
