"""Approved months per territory, for a reader of approved data only."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.domain.approval import approved_months, presented_months

SEP, OCT, NOV = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)
APPROVED = pd.DataFrame(
    {
        "territory_id": ["roya", "roya", "roya", "forbach", "forbach", "aura"],
        "month": [SEP, OCT, NOV, SEP, OCT, SEP],
    }
)


def test_each_territory_is_shown_at_its_latest_approved_month() -> None:
    # Roya alone is approved for November: the others stay at October and September; Nantes
    # has nothing approved (None), whatever the month.
    shown = presented_months(APPROVED, ["roya", "forbach", "aura", "nantes-qpv"], NOV)
    assert shown == {"roya": NOV, "forbach": OCT, "aura": SEP, "nantes-qpv": None}


def test_a_month_chosen_earlier_caps_every_territory() -> None:
    shown = presented_months(APPROVED, ["roya", "forbach"], SEP)
    assert shown == {"roya": SEP, "forbach": SEP}
    assert presented_months(APPROVED, ["roya"], dt.date(2026, 8, 1)) == {"roya": None}


def test_the_months_offered_are_those_with_an_approval_newest_first() -> None:
    assert approved_months(APPROVED) == [NOV, OCT, SEP]
    assert approved_months(APPROVED.iloc[0:0]) == []
