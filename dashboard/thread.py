"""A territory's month as a conversation between the programme leads and its binôme: the
messages (comments and unlock requests), the journal's history, a form to write. The same on
the lead's review and on the binôme's journal, so that each reads what the other wrote."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import reads
from dashboard.layout import data_grid
from data import fr
from data.access import Permission, Scope
from data.domain.vocabulary import CommentKind
from data.services.journal import add_comment


def thread_key(territory_id: str, month: dt.date) -> str:
    """The widget key of the message box of a territory's month."""
    return f"thread_body_{territory_id}_{month:%Y-%m}"


def month_thread(scope: Scope, user_id: int, territory_id: str, month: dt.date) -> None:
    """Draw the thread of ``territory_id``'s ``month``, with a form if the scope may write."""
    messages = reads.comments(scope, territory_id, month)
    if messages.empty:
        st.caption("Aucun message pour ce mois.")
    for row in messages.itertuples():
        asked = " — **demande de déverrouillage**" if row.kind == CommentKind.UNLOCK_REQUEST else ""
        st.markdown(
            f"**{fr.literal(row.author)}** — {fr.date_time(pd.Timestamp(row.created_at))}"
            f"{asked}  \n{fr.literal(row.body)}"
        )
    history = reads.month_history(scope, territory_id, month)
    if not history.empty:
        with st.expander(f"Historique du journal ({len(history)})"):
            data_grid(
                history.assign(at=[fr.date_time(pd.Timestamp(t)) for t in history["at"]]),
                column_config={"at": "Quand", "actor": "Qui", "what": "Quoi"},
                hide_index=True,
                width="stretch",
            )
    if not scope.can(Permission.DISCUSS_MONTH, territory_id):
        return
    # One message box per territory-month: what is typed for one never goes to another.
    with st.form(f"thread_{territory_id}_{month:%Y-%m}", clear_on_submit=True):
        body = st.text_area("Nouveau message", key=thread_key(territory_id, month))
        if st.form_submit_button("Publier le message"):
            try:
                add_comment(reads.engine(), scope, user_id, territory_id, month, body)
            except ValueError as error:
                st.error(str(error))
            else:
                reads.clear()
                st.toast("Message publié.")
                st.rerun()
