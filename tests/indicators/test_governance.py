"""Journal-based governance figures: rubric milestones, tools reused, workshop attendance."""

from __future__ import annotations

import pytest

from indicators.governance import (
    NOTE_LOCAL_SUPPORT_MISSING,
    NOTE_MILESTONES_MISSING,
    NOTE_NO_ATTENDANCE,
    NOTE_NO_JOURNAL_THIS_MONTH,
    NOTE_NO_PREVIOUS_WORKSHOP,
    NOTE_NO_STAGE,
    NOTE_NO_WORKSHOP,
)
from indicators.participation import NOTE_NO_JOURNAL_YET
from indicators.prepare import prepare


def test_governance_milestones(builder, prep_of, month_values):
    builder.journal(
        "2024-03-01",
        rubric={
            "shared_question": 3,
            "actor_map": 2,
            "governance": 1,
            "shared_evaluation": 0,  # charter not scored: counts 0
            "portrait_interviews": 3,  # an emergence milestone: not part of this figure
        },
    )
    builder.journal("2024-04-01", rubric={"portrait_shared": 2})
    prep = prep_of(builder.build())
    got = month_values(prep, "governance_milestones", ["2024-03", "2024-04", "2024-05"])
    # (3 + 2 + 1 + 0 + 0) / (3 × 5) = 0.4, from 4 scored milestones.
    assert got["2024-03"] == (0.4, 4, None)
    assert got["2024-04"] == (None, 0, NOTE_MILESTONES_MISSING)
    assert got["2024-05"] == (None, 0, NOTE_NO_JOURNAL_THIS_MONTH)


def test_governance_milestones_without_structuration_stage(builder, factors, month_values):
    builder.journal("2024-03-01", rubric={"shared_question": 3})
    prep = prepare(builder.build(), factors=factors, stage_milestones={"only": ("x",)})
    assert month_values(prep, "governance_milestones", ["2024-03"]) == {
        "2024-03": (None, 0, NOTE_NO_STAGE)
    }


def test_local_support_function(builder, prep_of, month_values):
    builder.journal("2024-03-01", rubric={"local_support_function": 2})
    builder.journal("2024-04-01", rubric={"coalition_formed": 3})
    prep = prep_of(builder.build())
    got = month_values(prep, "local_support_function", ["2024-03", "2024-04", "2024-05"])
    assert got["2024-03"] == (pytest.approx(2 / 3), 1, None)
    assert got["2024-04"] == (None, 0, NOTE_LOCAL_SUPPORT_MISSING)
    assert got["2024-05"] == (None, 0, NOTE_NO_JOURNAL_THIS_MONTH)


def test_tools_reused_is_cumulative(builder, prep_of, month_values):
    builder.journal("2024-01-01", tools_reused=1)
    builder.journal("2024-02-01", tools_reused=0)
    builder.journal("2024-04-01", tools_reused=2)
    builder.journal("2024-01-01", tools_reused=9, territory="other")  # another territory
    prep = prep_of(builder.build())
    got = month_values(prep, "tools_reused", ["2023-12", "2024-01", "2024-03", "2024-04"])
    assert got["2023-12"] == (None, 0, NOTE_NO_JOURNAL_YET)
    assert got["2024-01"] == (1.0, 1, None)
    assert got["2024-03"] == (1.0, 2, None)  # 1 + 0, two journals
    assert got["2024-04"] == (3.0, 3, None)  # 1 + 0 + 2


def test_attendance_retention(builder, prep_of, month_values):
    builder.actors(dict.fromkeys("ABCDE", "association"))
    january = builder.journal("2024-01-01")
    builder.event(january, "2024-01-10", attendees=["A", "B", "C"])
    builder.event(january, "2024-01-20", kind="meeting", attendees=["D"])  # not a workshop
    february = builder.journal("2024-02-01")
    builder.event(february, "2024-02-05", attendees=["B", "C", "D", "E"])
    builder.event(february, "2024-02-25", attendees=["B", "E"])
    april = builder.journal("2024-04-01")
    builder.event(april, "2024-04-02")  # attendance not recorded
    prep = prep_of(builder.build())
    got = month_values(
        prep, "attendance_retention", ["2023-12", "2024-01", "2024-02", "2024-03", "2024-04"]
    )
    assert got["2023-12"] == (None, 0, NOTE_NO_WORKSHOP)
    assert got["2024-01"] == (None, 3, NOTE_NO_PREVIOUS_WORKSHOP)
    # Last workshop of February (25th: B, E) vs the one before (5th: B, C, D, E) → 2/2.
    assert got["2024-02"] == (1.0, 2, None)
    assert got["2024-03"] == (1.0, 2, None)  # still the last workshop up to March
    assert got["2024-04"] == (None, 0, NOTE_NO_ATTENDANCE)


def test_attendance_retention_partial(builder, prep_of, month_values):
    builder.actors(dict.fromkeys("ABCDE", "association"))
    january = builder.journal("2024-01-01")
    builder.event(january, "2024-01-10", attendees=["A", "B", "C"])
    builder.event(january, "2024-01-30", attendees=["B", "C", "D", "E"])
    prep = prep_of(builder.build())
    # B, C of 4 were at the previous workshop → 0.5.
    assert month_values(prep, "attendance_retention", ["2024-01"]) == {"2024-01": (0.5, 4, None)}
