"""Participation: sector diversity, actors mobilised, portrait progress."""

from __future__ import annotations

from indicators.network import NOTE_NO_ANSWER
from indicators.participation import (
    NOTE_EMPTY_LIST,
    NOTE_NO_INTERVIEWS_PLANNED,
    NOTE_NO_JOURNAL_YET,
)


def test_sector_diversity_blau(builder, prep_of, wave_value):
    builder.actors({"A": "association", "B": "association", "C": "entreprise", "D": "collectivite"})
    builder.actors({"E": "habitant"})  # listed, silent: not a node
    wave = builder.wave(0)
    for org in ("A", "B", "C", "D"):
        builder.respond(wave, org)
    builder.respond(wave, "A")  # a second respondent of A does not weigh twice
    prep = prep_of(builder.build())
    # Nodes' sectors: association 2/4, entreprise 1/4, collectivité 1/4:
    # 1 − (0.25 + 0.0625 + 0.0625) = 0.625.
    assert wave_value(prep, "sector_diversity", wave) == (0.625, 4, None)


def test_sector_diversity_edge_cases(builder, prep_of, wave_value):
    builder.actors({"A": "association"})
    one = builder.wave(0)
    builder.respond(one, "A")
    empty = builder.wave(1)
    prep = prep_of(builder.build())
    assert wave_value(prep, "sector_diversity", one) == (0.0, 1, None)
    assert wave_value(prep, "sector_diversity", empty) == (None, 0, NOTE_NO_ANSWER)


def test_actors_mobilised_counts_answers_and_recent_events(builder, prep_of, month_values):
    builder.actors(dict.fromkeys(["A", "B", "C", "D", "E"], "association"))
    builder.actors({"X": "etat"}, territory="other")
    wave = builder.wave(0)
    builder.respond(wave, "A", date="2024-03-05")
    builder.respond(wave, "B", date="2024-03-20")
    january = builder.journal("2024-01-01")
    builder.event(january, "2024-01-15", kind="meeting", attendees=["B", "C"])
    # An organisation of another territory's list does not count here.
    builder.event(january, "2024-01-16", attendees=[builder.actor("X", "other")])
    prep = prep_of(builder.build())
    got = month_values(
        prep, "actors_mobilised", ["2023-12", "2024-01", "2024-03", "2024-06", "2024-07"]
    )
    # n = 5 listed organisations throughout.
    assert got["2023-12"] == (0.0, 5, None)  # nothing yet
    assert got["2024-01"] == (2.0, 5, None)  # event: B, C (no survey yet)
    assert got["2024-03"] == (3.0, 5, None)  # wave 0 (A, B) ∪ event (B, C)
    assert got["2024-06"] == (3.0, 5, None)  # June's window Jan–Jun still holds the event
    assert got["2024-07"] == (2.0, 5, None)  # July's window Feb–Jul: wave 0 only


def test_actors_mobilised_without_a_list(builder, prep_of, month_values):
    builder.journal("2024-01-01")
    prep = prep_of(builder.build())
    assert month_values(prep, "actors_mobilised", ["2024-01"]) == {
        "2024-01": (None, 0, NOTE_EMPTY_LIST)
    }


def test_portrait_progress(builder, prep_of, month_values):
    builder.journal("2024-01-01", interviews=(5, 20))
    builder.journal("2024-02-01", interviews=(12, 20))
    builder.journal("2024-03-01", interviews=(0, 0))  # nothing declared this month
    builder.journal("2024-05-01", interviews=(25, 20))
    prep = prep_of(builder.build())
    got = month_values(
        prep, "portrait_progress", ["2023-12", "2024-01", "2024-02", "2024-03", "2024-05"]
    )
    assert got["2023-12"] == (None, 0, NOTE_NO_JOURNAL_YET)
    assert got["2024-01"] == (0.25, 20, None)  # 5 / 20
    assert got["2024-02"] == (0.6, 20, None)  # 12 / 20
    assert got["2024-03"] == (0.6, 20, None)  # latest journal declaring planned interviews
    assert got["2024-05"] == (1.0, 20, None)  # 25 / 20 capped at 100 %


def test_portrait_progress_without_planned_interviews(builder, prep_of, month_values):
    builder.journal("2024-01-01", interviews=(3, 0))
    prep = prep_of(builder.build())
    assert month_values(prep, "portrait_progress", ["2024-02"]) == {
        "2024-02": (None, 0, NOTE_NO_INTERVIEWS_PLANNED)
    }
