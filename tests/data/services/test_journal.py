"""The monthly journal: checks before saving, draft/submit, approval lock, audited unlock,
comments — and the access rules, enforced in the data layer. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from data.access import AccessDenied, Scope
from data.config import get_config
from data.domain.journal import EventInput, JournalInput, check_journal
from data.services.journal import (
    Locked,
    add_comment,
    approve_month,
    request_unlock,
    save_journal,
    unlock_month,
)
from data.store.engine import session_scope
from data.store.indicator_store import stale_territories
from data.store.models import AuditLog, EventParticipants, Journal, JournalRubric, UserAccount
from data.store.queries import comments, journal_entry, month_history, territory_stages

MONTH = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 23)
ROYA = Scope(role="binome", territory_id="roya", user="binome.roya@tec-demo.fr")
LEAD = Scope(role="lead", user="direction@tec-demo.fr")


def _entry(**changes) -> JournalInput:  # type: ignore[no-untyped-def]
    values = {
        "declared_stage": "structuration",
        "rubric": {"shared_question": 2, "charter": 1},
        "interviews_done": 12,
        "interviews_planned": 40,
        "events": [
            EventInput(dt.date(2026, 10, 8), "workshop", "Atelier mobilité", {"association": 7})
        ],
        "narrative_strengths": "Les élus sont venus.",
        "narrative_difficulties": "Peu d'entreprises.",
        "narrative_next_steps": "Forum en novembre.",
    }
    values.update(changes)
    return JournalInput(**values)


@pytest.fixture
def lead_id(engine: Engine) -> int:
    with session_scope(engine, "test") as session:
        lead = UserAccount(email="direction@tec-demo.fr", display_name="Cécile", role="lead")
        session.add(lead)
        session.flush()
        return lead.id


def _count(engine: Engine, model) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def _check(entry: JournalInput, month: dt.date, submit: bool):  # type: ignore[no-untyped-def]
    config = get_config()
    return check_journal(
        entry,
        month,
        submit,
        model=config.reference_model,
        sectors=config.survey.sector_ids,
        today=TODAY,
    )


def test_valid_checks_give_an_empty_report() -> None:
    assert _check(_entry(), MONTH, submit=True).checks == []


@pytest.mark.parametrize(
    ("changes", "check_id"),
    [
        ({"declared_stage": "apogee"}, "unknown_stage"),
        ({"rubric": {"charter": 5}}, "milestone_range"),
        ({"rubric": {"inconnu": 1}}, "unknown_milestone"),
        ({"new_actors": -1}, "negative_count"),
        (
            {"events": [EventInput(dt.date(2026, 9, 30), "workshop", "A", {"habitant": 3})]},
            "event_outside_month",
        ),
        (
            {"events": [EventInput(dt.date(2026, 10, 3), "fête", "A", {"habitant": 3})]},
            "event_kind",
        ),
        (
            {"events": [EventInput(dt.date(2026, 10, 3), "meeting", "A", {"ong": 3})]},
            "event_sector",
        ),
        ({"narrative_next_steps": "  "}, "narrative_missing"),
    ],
)
def test_each_error_refuses_the_save_and_writes_nothing(engine: Engine, changes, check_id) -> None:  # type: ignore[no-untyped-def]
    report = save_journal(engine, ROYA, "roya", MONTH, _entry(**changes), submit=True, today=TODAY)
    assert [c.check_id for c in report.errors] == [check_id]
    assert _count(engine, Journal) == 0


def test_future_month_is_refused() -> None:
    report = _check(_entry(events=[]), dt.date(2026, 12, 1), submit=False)
    assert [c.check_id for c in report.errors] == ["future_month"]


def test_warnings_do_not_block_and_a_draft_needs_no_narrative(engine: Engine) -> None:
    entry = _entry(
        interviews_done=45,
        narrative_next_steps="",
        events=[EventInput(dt.date(2026, 10, 8), "meeting", "Réunion", {})],
    )
    report = save_journal(engine, ROYA, "roya", MONTH, entry, submit=False, today=TODAY)
    assert sorted(c.check_id for c in report.warnings) == ["event_empty", "interviews_over_plan"]
    assert not report.has_errors
    with engine.connect() as connection:
        assert connection.scalar(select(Journal.status)) == "draft"


def test_stage_jump_is_a_warning(engine: Engine) -> None:
    save_journal(
        engine,
        ROYA,
        "roya",
        dt.date(2026, 9, 1),
        _entry(declared_stage="emergence", events=[]),
        submit=True,
        today=TODAY,
    )
    report = save_journal(
        engine,
        ROYA,
        "roya",
        MONTH,
        _entry(declared_stage="consolidation"),
        submit=True,
        today=TODAY,
    )
    assert [c.check_id for c in report.warnings] == ["stage_jump"]


def test_a_saved_journal_is_in_the_stored_stages_at_once(engine: Engine) -> None:
    """The stage a binôme declares is what every page reads next (the stored territory
    stages), with no import nor command in between; declared stages carry forward to the
    months after, until the next journal (before: unchanged until a recompute)."""
    save_journal(engine, ROYA, "roya", MONTH, _entry(declared_stage="consolidation"), False, TODAY)
    stages = territory_stages(engine, LEAD, ["roya"]).set_index("month")
    assert stages.loc[MONTH, "declared_stage"] == "consolidation"
    assert stages.loc[dt.date(2026, 11, 1), "declared_stage"] == "consolidation"
    assert "roya" not in stale_territories(engine, until=max(stages.index))


def test_a_draft_keeps_an_event_row_not_filled_in_and_submitting_asks_for_it(
    engine: Engine,
) -> None:
    """A row with only participants entered (no date, no title) is saved with the draft —
    two warnings say what submitting will need — and found again; submitting it is refused
    with the same two checks as errors. The undated row counts in no indicator."""
    half_done = EventInput(None, "workshop", "", {"association": 4})
    entry = _entry(events=[half_done])
    report = save_journal(engine, ROYA, "roya", MONTH, entry, submit=False, today=TODAY)
    assert not report.has_errors
    assert sorted(c.check_id for c in report.warnings) == ["event_date", "event_title"]
    assert all("nécessaire pour soumettre" in c.hint for c in report.warnings)
    stored = journal_entry(engine, LEAD, "roya", MONTH)
    assert stored is not None and len(stored["events"]) == 1
    row = stored["events"].iloc[0]
    assert pd.isna(row["held_on"]) and row["title"] == ""
    assert stored["participants"]["count"].tolist() == [4]

    refused = save_journal(engine, ROYA, "roya", MONTH, entry, submit=True, today=TODAY)
    assert sorted(c.check_id for c in refused.errors) == ["event_date", "event_title"]
    assert journal_entry(engine, LEAD, "roya", MONTH)["status"] == "draft"


def test_saving_again_replaces_rubric_and_events(engine: Engine) -> None:
    save_journal(engine, ROYA, "roya", MONTH, _entry(), submit=False, today=TODAY)
    save_journal(
        engine,
        ROYA,
        "roya",
        MONTH,
        _entry(rubric={"governance": 3}, events=[]),
        submit=True,
        today=TODAY,
    )
    with engine.connect() as connection:
        rubric = connection.execute(select(JournalRubric.milestone_id, JournalRubric.score)).all()
        assert [tuple(r) for r in rubric] == [("governance", 3)]
        assert connection.scalar(select(func.count()).select_from(EventParticipants)) == 0
        assert connection.scalar(select(Journal.status)) == "submitted"


def test_binome_cannot_write_another_territory(engine: Engine) -> None:
    with pytest.raises(AccessDenied, match="forbach"):
        save_journal(engine, ROYA, "forbach", MONTH, _entry(), submit=False, today=TODAY)
    funder = Scope(role="funder", user="financeur@tec-demo.fr")
    with pytest.raises(AccessDenied):
        save_journal(engine, funder, "roya", MONTH, _entry(), submit=False, today=TODAY)
    assert _count(engine, Journal) == 0


def test_approval_locks_and_unlocking_needs_a_reason_and_is_audited(
    engine: Engine, lead_id: int
) -> None:
    save_journal(engine, ROYA, "roya", MONTH, _entry(), submit=False, today=TODAY)
    with pytest.raises(ValueError, match="brouillon"):
        approve_month(engine, LEAD, lead_id, "roya", MONTH)
    save_journal(engine, ROYA, "roya", MONTH, _entry(), submit=True, today=TODAY)
    with pytest.raises(AccessDenied):
        approve_month(engine, ROYA, lead_id, "roya", MONTH)
    approve_month(engine, LEAD, lead_id, "roya", MONTH)
    with pytest.raises(Locked):
        save_journal(engine, ROYA, "roya", MONTH, _entry(), submit=True, today=TODAY)
    with pytest.raises(ValueError, match="raison"):
        unlock_month(engine, LEAD, "roya", MONTH, "oups")
    unlock_month(engine, LEAD, "roya", MONTH, "Erreur sur le nombre de participants")
    with engine.connect() as connection:
        assert connection.scalar(select(Journal.status)) == "submitted"
        unlock = connection.execute(
            select(AuditLog.actor, AuditLog.details).where(AuditLog.action == "unlock")
        ).one()
    assert unlock.actor == "direction@tec-demo.fr"
    assert unlock.details == {
        "month": "2026-10-01",
        "reason": "Erreur sur le nombre de participants",
    }
    save_journal(engine, ROYA, "roya", MONTH, _entry(), submit=True, today=TODAY)


def test_a_month_s_thread_is_for_leads_and_its_binome_never_for_funders(
    engine: Engine, lead_id: int
) -> None:
    add_comment(engine, LEAD, lead_id, "roya", MONTH, "Bravo pour le forum.")
    add_comment(engine, ROYA, lead_id, "roya", MONTH, "Merci, la suite en décembre.")
    with pytest.raises(AccessDenied):
        add_comment(engine, ROYA, lead_id, "forbach", MONTH, "Pas mon territoire")
    with pytest.raises(AccessDenied):
        add_comment(engine, Scope(role="funder"), lead_id, "roya", MONTH, "Un financeur")
    assert comments(engine, ROYA, "roya", MONTH)["body"].tolist() == [
        "Bravo pour le forum.",
        "Merci, la suite en décembre.",
    ]
    add_comment(engine, LEAD, lead_id, "forbach", MONTH, "Relancer les entreprises.")
    everything = comments(engine, LEAD, None, MONTH)
    assert sorted(zip(everything["territory_id"], everything["body"], strict=True)) == [
        ("forbach", "Relancer les entreprises."),
        ("roya", "Bravo pour le forum."),
        ("roya", "Merci, la suite en décembre."),
    ]
    # A binôme asking for every territory gets its own only.
    assert set(comments(engine, ROYA, None, MONTH)["territory_id"]) == {"roya"}
    with pytest.raises(AccessDenied):
        comments(engine, Scope(role="funder"), "roya", MONTH)
    with pytest.raises(AccessDenied):
        comments(engine, Scope(role="binome", territory_id="forbach"), "roya", MONTH)


def test_an_unlock_request_needs_an_approved_month_and_a_reason_and_joins_the_thread(
    engine: Engine, lead_id: int
) -> None:
    save_journal(engine, ROYA, "roya", MONTH, _entry(), submit=True, today=TODAY)
    with pytest.raises(ValueError, match="pas approuvé"):
        request_unlock(engine, ROYA, lead_id, "roya", MONTH, "Corriger les entretiens.")
    approve_month(engine, LEAD, lead_id, "roya", MONTH)
    with pytest.raises(ValueError, match="au moins 10 caractères"):
        request_unlock(engine, ROYA, lead_id, "roya", MONTH, "Erreur")
    with pytest.raises(AccessDenied):
        request_unlock(engine, Scope(role="funder"), lead_id, "roya", MONTH, "x" * 20)
    request_unlock(engine, ROYA, lead_id, "roya", MONTH, "Corriger les entretiens.")
    thread = comments(engine, LEAD, "roya", MONTH)
    assert thread[["kind", "body"]].values.tolist() == [
        ["unlock_request", "Corriger les entretiens."]
    ]
    unlock_month(engine, LEAD, "roya", MONTH, "Demande du binôme acceptée.")
    # The history says, oldest first: submitted, approved, unlocked with its reason.
    history = month_history(engine, ROYA, "roya", MONTH)
    assert history["what"].tolist() == [
        "journal soumis",
        "mois approuvé",
        "mois déverrouillé : « Demande du binôme acceptée. »",
    ]
