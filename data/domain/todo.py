"""What a binôme has to do this month, to open its territory's page with: the journal to
write or submit, the survey wave that is due, the leads' messages to read, an approval the
leads were asked to lift."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data import fr
from data.domain.freshness import survey_freshness
from data.domain.vocabulary import CommentKind, JournalStatus

# A wave comes every six months: from the sixth month after the last one, the next is due.
WAVE_DUE_MONTHS = 6


def month_todo(
    territory: pd.DataFrame,
    month: dt.date,
    journal_status: str | None,
    waves: pd.DataFrame,
    messages: pd.DataFrame,
    me: str,
) -> list[str]:
    """The French lines of a binôme's to-do for ``month`` (empty: nothing to do).

    territory: one row (territory_id, start_date); journal_status: the month's journal
    status (None: no journal); waves: the territory's waves (territory_id, wave_number,
    reference_month, respondents); messages: the month's thread (author, kind); me: the
    binôme's display name, whose own messages are not news to it.
    """
    todo = []
    if journal_status is None:
        todo.append(f"Rédiger le journal de {fr.month(month)} (pas encore commencé).")
    elif journal_status == JournalStatus.DRAFT:
        todo.append(f"Soumettre le journal de {fr.month(month)} (en brouillon).")
    freshness = survey_freshness(territory, waves, month).iloc[0]
    if freshness["age_months"] >= WAVE_DUE_MONTHS:
        since = (
            f"la dernière date de {fr.month(freshness['reference_month'])}"
            if freshness["reference_month"] is not None
            and not pd.isna(freshness["reference_month"])
            else "aucune vague n'est encore importée"
        )
        todo.append(f"Importer la prochaine vague du baromètre ({since}).")
    others = messages[(messages["author"] != me) & (messages["kind"] == CommentKind.COMMENT)]
    if len(others):
        todo.append(
            f"Lire {fr.number(len(others))} message{'s' if len(others) > 1 else ''} de l'équipe "
            "de pilotage sur ce mois (en bas du journal)."
        )
    return todo
