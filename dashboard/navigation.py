"""The pages, and the permission each needs: a declarative table read by ``app.py``.

Access is also enforced in the data layer: a page not offered is only the first line. A scope
bound to one territory (a binôme) opens on that territory's page, titled as its own.

Every page keeps its address (``/territory?territoire=roya``) whoever opens it: signed out,
each address shows the sign-in form, which then comes back to it; signed in, the landing page
answers its own address as well as the root, and another role's page says in French that it
is not open (an address that is no page at all is answered by ``web_session``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from data import labels
from data.access import Permission, Scope

PAGES_DIR = Path(__file__).resolve().parent / "views"
LANDING = "accueil"  # the landing page's own key (its address is the app's root)
SIGN_IN_TITLE = "Connexion"
SIGN_IN_ICON = ":material/login:"


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
    """The Streamlit pages of the scope's navigation: its pages in menu order, the first one
    its landing page (at the root, and hidden at its own address), then hidden, the pages it
    may not open, each saying so."""
    visible = visible_pages(scope)

    def title(spec: PageSpec) -> str:
        return spec.bound_title if scope.bound and spec.bound_title else spec.title

    landing, *others = visible
    return [
        st.Page(
            PAGES_DIR / landing.file,
            title=title(landing),
            icon=landing.icon,
            default=True,
            url_path=LANDING,
        ),
        st.Page(
            PAGES_DIR / landing.file,
            title=title(landing),
            icon=landing.icon,
            url_path=landing.url_path,
            visibility="hidden",
        ),
        *(
            st.Page(
                PAGES_DIR / spec.file, title=title(spec), icon=spec.icon, url_path=spec.url_path
            )
            for spec in others
        ),
        *(
            st.Page(
                _closed(spec, scope), title=spec.title, url_path=spec.url_path, visibility="hidden"
            )
            for spec in PAGES
            if spec not in visible
        ),
    ]


def _closed(spec: PageSpec, scope: Scope) -> Callable[[], None]:
    def closed() -> None:
        st.title(spec.title)
        st.warning(
            f"La page « {spec.title} » n'est pas ouverte au rôle "
            f"« {labels.ROLE[scope.role]} » : choisissez une page dans le menu."
        )

    return closed


def sign_in_pages(form: Callable[[], None]) -> list[st.Page]:
    """The navigation before sign-in: the sign-in ``form`` at the root and, hidden, at every
    page's address (signed in, the same address then shows that page)."""
    return [
        st.Page(form, title=SIGN_IN_TITLE, icon=SIGN_IN_ICON, default=True),
        *(
            st.Page(
                form,
                title=SIGN_IN_TITLE,
                icon=SIGN_IN_ICON,
                url_path=spec.url_path,
                visibility="hidden",
            )
            for spec in PAGES
        ),
    ]
