"""A binôme's to-do for its month."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.domain.todo import month_todo

NOV = dt.date(2026, 11, 1)
ROYA = pd.DataFrame({"territory_id": ["roya"], "start_date": [dt.date(2024, 1, 1)]})
NO_MESSAGES = pd.DataFrame(columns=["author", "kind"])


def _waves(*months: dt.date) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "territory_id": ["roya"] * len(months),
            "wave_number": list(range(len(months))),
            "reference_month": list(months),
            "respondents": [20] * len(months),
        }
    )


def test_a_draft_a_due_wave_and_the_leads_messages() -> None:
    # Last wave in May 2026: six months before November, so the next one is due.
    messages = pd.DataFrame(
        {
            "author": ["Cécile — pilotage TEC", "Binôme Roya", "Cécile — pilotage TEC"],
            "kind": ["comment", "comment", "comment"],
        }
    )
    todo = month_todo(ROYA, NOV, "draft", _waves(dt.date(2026, 5, 1)), messages, "Binôme Roya")
    assert todo == [
        "Soumettre le journal de novembre 2026 (en brouillon).",
        "Importer la prochaine vague du baromètre (la dernière date de mai 2026).",
        "Lire 2 messages de l'équipe de pilotage sur ce mois (en bas du journal).",
    ]


def test_nothing_to_do_once_submitted_with_a_recent_wave() -> None:
    # Five months after the last wave (June → November): not due yet.
    assert month_todo(ROYA, NOV, "submitted", _waves(dt.date(2026, 6, 1)), NO_MESSAGES, "B") == []


def test_a_journal_not_started_and_no_wave_ever() -> None:
    todo = month_todo(ROYA, NOV, None, _waves(), NO_MESSAGES, "B")
    assert todo == [
        "Rédiger le journal de novembre 2026 (pas encore commencé).",
        "Importer la prochaine vague du baromètre (aucune vague n'est encore importée).",
    ]
