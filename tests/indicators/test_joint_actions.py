"""Joint actions involving at least three sectors."""

from __future__ import annotations


def test_multisector_joint_actions(builder, prep_of, month_values):
    builder.actors(
        {
            "asso": "association",
            "asso2": "association",
            "firm": "entreprise",
            "town": "collectivite",
            "state": "etat",
        }
    )
    three = ["asso", "firm", "town"]
    builder.action("2024-01-10", orgs=three)  # under way, open-ended
    builder.action("2024-01-20", "2024-03-15", status="completed", orgs=["asso", "firm", "state"])
    builder.action("2024-01-05", orgs=["asso", "asso2", "firm"])  # 2 sectors only
    builder.action("2024-01-05", status="abandoned", orgs=three)
    builder.action("2024-01-05", status="planned", orgs=three)
    builder.action("2024-05-31", orgs=three)  # starts on the last day of May
    prep = prep_of(builder.build())
    got = month_values(
        prep, "multisector_joint_actions", ["2023-12", "2024-01", "2024-03", "2024-04", "2024-05"]
    )
    # n = actions under way; value = those spanning ≥ 3 sectors. None at all → 0, defined.
    assert got["2023-12"] == (0.0, 0, None)
    assert got["2024-01"] == (2.0, 3, None)
    assert got["2024-03"] == (2.0, 3, None)  # the completed one ends mid-March
    assert got["2024-04"] == (1.0, 2, None)
    assert got["2024-05"] == (2.0, 3, None)


def test_other_territories_actions_do_not_count(builder, prep_of, month_values):
    builder.actors({"a": "association", "b": "entreprise", "c": "etat"}, territory="other")
    builder.action("2024-01-01", orgs=["a", "b", "c"], territory="other")
    builder.actors({"x": "association"})
    prep = prep_of(builder.build())
    assert month_values(prep, "multisector_joint_actions", ["2024-02"]) == {
        "2024-02": (0.0, 0, None)
    }
    assert month_values(prep, "multisector_joint_actions", ["2024-02"], territory="other") == {
        "2024-02": (1.0, 1, None)
    }
