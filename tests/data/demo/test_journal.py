"""The demo's monthly journals and their events."""

from __future__ import annotations

import pandas as pd

from data.config import AppConfig


def test_journals(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    journals = demo["journal"]
    assert not journals.duplicated(["territory_id", "month"]).any()
    assert (journals["month"].dt.day == 1).all()
    # Months from the start to 2026-11; forbach misses three of its 30 months. Faire ensemble
    # (2025-01) has 23 months, neither of its territories drawing the stalled story; each
    # catalyseur (2026-09) has 3.
    expected = {
        "roya": 36,
        "entre-deux-mers": 33,
        "forbach": 27,
        "nantes-qpv": 30,
        "aura": 23,
        "haute-garonne": 20,
        "morlaix": 23,
        "mulhouse": 23,
        **{f"catalyseur-{i:02d}": 3 for i in range(1, 11)},
    }
    assert journals.groupby("territory_id").size().to_dict() == expected
    month = journals["month"].dt.strftime("%Y-%m")
    assert (journals.loc[month == "2026-11", "status"] == "draft").all()
    assert (journals.loc[month == "2026-10", "status"] == "submitted").all()
    approved = journals[month < "2026-10"]
    assert (approved["status"] == "approved").all()
    assert approved["approved_at"].notna().all()
    assert (approved["approved_at"] > approved["submitted_at"]).all()
    lead = demo["user_account"].set_index("email").at["direction@tec-demo.fr", "id"]
    assert (approved["approved_by"] == lead).all()
    # Each territory's journals speak its programme's stages and milestones.
    rubric = demo["journal_rubric"]
    per_journal = rubric.groupby("journal_id")["milestone_id"].agg(set)
    assert len(per_journal) == len(journals)
    for territory, own in journals.groupby("territory_id"):
        model = config.stage_model_of(str(territory))
        assert set(own["declared_stage"]) <= set(model.ids)
        milestones = {mi.id for s in model.stages for mi in s.milestones}
        assert all(per_journal[j] == milestones for j in own["id"])
    # Roya, 36 months, goes through the four stages; Morlaix through Faire ensemble's phases.
    assert set(journals.loc[journals["territory_id"] == "roya", "declared_stage"]) == set(
        config.reference_model.ids
    )
    assert "impulsion" in set(journals.loc[journals["territory_id"] == "morlaix", "declared_stage"])
    assert rubric["score"].between(0, 3).all()
    assert 0.05 <= journals["narrative_internal"].mean() <= 0.2
    roya = journals[journals["territory_id"] == "roya"]
    assert roya["interviews_done"].is_monotonic_increasing
    assert roya["interviews_done"].iloc[-1] <= roya["interviews_planned"].iloc[-1]
    assert roya["declared_stage"].iloc[-1] == "coalition"


def test_events(demo: dict[str, pd.DataFrame]) -> None:
    events = demo["journal_event"]
    per_journal = events.groupby("journal_id").size()
    assert per_journal.between(1, 3).all()
    assert set(events["kind"]) == {"workshop", "meeting", "interview"}
    journals = demo["journal"].set_index("id")
    months = journals.loc[events["journal_id"], "month"].to_numpy()
    assert (events["held_on"].to_numpy() >= months).all()
    participants = demo["event_participants"]
    assert (participants["count"] > 0).all()
    assert set(participants["event_id"]) == set(events["id"])
    attendance = demo["event_attendance"]
    assert not attendance.duplicated().any()
    assert set(attendance["event_id"]) == set(events["id"])
