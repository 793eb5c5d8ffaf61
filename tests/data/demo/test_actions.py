"""The demo's money and projects: coordination funding and joint actions."""

from __future__ import annotations

import pandas as pd


def test_funding_diversifies_with_maturity(demo: dict[str, pd.DataFrame]) -> None:
    funding = demo["coordination_funding"]
    funders = funding.groupby("territory_id")["funder"].nunique()
    # Fondation de France, at most joined by the Département where the dynamic stalled;
    # also the Département, the intercommunality and the Région where it matured.
    assert funders["forbach"] <= 2
    assert funders["roya"] >= 4
    fdf_share = (
        funding.assign(fdf=funding["funder"].eq("Fondation de France") * funding["amount_eur"])
        .groupby("territory_id")[["fdf", "amount_eur"]]
        .sum()
        .eval("fdf / amount_eur")
    )
    assert fdf_share["roya"] < fdf_share["forbach"]
    assert (funding["amount_eur"] > 0).all()
    actions = demo["joint_action"]
    assert set(actions["status"]) <= {"planned", "under_way", "completed", "abandoned"}
    assert (actions.groupby("territory_id").size() <= 8).all()
    members = demo["joint_action_actor"].merge(
        demo["actor"][["id", "sector"]].rename(columns={"id": "actor_id"}), on="actor_id"
    )
    per_action = members.groupby("action_id").agg(
        actors=("actor_id", "size"), sectors=("sector", "nunique")
    )
    assert per_action["actors"].between(2, 10).all()
    assert per_action["sectors"].between(1, 5).all()
