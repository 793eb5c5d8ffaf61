"""Stage inference from indicator values and the readiness for the next stage."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from indicators.stage import infer_stage, infer_stages, judged_stages

EMERGENCE_EXIT = {
    "interconnaissance_density": 0.30,
    "factor_pouvoir_agir": 3.2,
    "portrait_progress": 0.8,
}
STRUCTURATION_EXIT = {
    "coordination_density": 0.10,
    "governance_milestones": 0.6,
    "factor_vision": 3.0,
}
CONSOLIDATION_EXIT = {
    "trust_score": 3.1,
    "strong_tie_share": 0.3,
    "multisector_joint_actions": 2.0,
}


def test_nothing_met_is_emergence(catalogue):
    inference = infer_stage({}, catalogue)
    assert (inference.stage, inference.next_stage) == ("emergence", "structuration")
    assert {c.indicator for c in inference.missing} == set(EMERGENCE_EXIT)
    assert all(c.value is None for c in inference.missing)


def test_entry_criteria_of_structuration_met(catalogue):
    values = {**EMERGENCE_EXIT, "coordination_density": 0.02, "governance_milestones": None}
    inference = infer_stage(values, catalogue)
    assert (inference.stage, inference.next_stage) == ("structuration", "consolidation")
    # Readiness for consolidation: density too low, milestones unknown, vision missing.
    missing = {c.indicator: c.value for c in inference.missing}
    assert missing == {
        "coordination_density": 0.02,
        "governance_milestones": None,
        "factor_vision": None,
    }


def test_stages_are_cumulative(catalogue):
    # Consolidation's and coalition's criteria met, but not structuration's: still emergence.
    values = {**STRUCTURATION_EXIT, **CONSOLIDATION_EXIT, "portrait_progress": 0.5}
    assert infer_stage(values, catalogue).stage == "emergence"


def test_everything_met_is_coalition(catalogue):
    values = {**EMERGENCE_EXIT, **STRUCTURATION_EXIT, **CONSOLIDATION_EXIT}
    inference = infer_stage(values, catalogue)
    assert (inference.stage, inference.next_stage, inference.missing) == ("coalition", None, ())
    assert all(c.met for c in inference.checks) and len(inference.checks) == 9


def test_one_criterion_short(catalogue):
    values = {**EMERGENCE_EXIT, **STRUCTURATION_EXIT, **CONSOLIDATION_EXIT}
    values["multisector_joint_actions"] = 1.0
    inference = infer_stage(values, catalogue)
    assert inference.stage == "consolidation"
    assert [c.as_dict() for c in inference.missing] == [
        {
            "stage": "coalition",
            "indicator": "multisector_joint_actions",
            "op": ">=",
            "threshold": 2.0,
            "value": 1.0,
            "met": False,
        }
    ]


def test_vectorised_inference_on_a_long_table(catalogue):
    rows = []
    month = pd.Timestamp("2024-05-01")
    cases = {
        "a": {},
        "b": {**EMERGENCE_EXIT},
        "c": {**EMERGENCE_EXIT, **STRUCTURATION_EXIT, **CONSOLIDATION_EXIT},
    }
    for territory, values in cases.items():
        for indicator_id in catalogue.indicators:
            rows.append(
                {
                    "territory_id": territory,
                    "month": month,
                    "indicator_id": indicator_id,
                    "value": values.get(indicator_id),
                }
            )
    long = pd.DataFrame(rows).astype({"value": "Float64"})
    stages = infer_stages(long, catalogue).set_index("territory_id")
    for territory, values in cases.items():
        scalar = infer_stage(values, catalogue)
        row = stages.loc[territory]
        assert row["inferred_stage"] == scalar.stage
        assert row["next_stage"] == scalar.next_stage
        assert row["missing_criteria"] == [c.as_dict() for c in scalar.missing]
    assert stages.loc["b", "inferred_stage"] == "structuration"
    assert pd.Timestamp(stages.loc["a", "month"]).date() == dt.date(2024, 5, 1)


def test_judged_stage_is_the_declared_one_when_known_else_the_inferred_one(catalogue):
    declared = pd.Series(["structuration", None, "not-a-stage", "coalition", None])
    inferred = pd.Series(["emergence", "consolidation", "emergence", "emergence", None])
    # Row by row: declared known → declared; none → inferred; unknown → inferred; a later
    # declared stage wins over an earlier measured one; neither → None.
    expected = ["structuration", "consolidation", "emergence", "coalition", None]
    assert judged_stages(declared, inferred, catalogue).tolist() == expected
