"""The demo's actors lists: sizes, sectors, places and organisation ids."""

from __future__ import annotations

import pandas as pd

from data.config import AppConfig

SECTORS = {"association", "entreprise", "collectivite", "habitant", "etat", "autre"}


def test_territories_and_actors(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    actors = demo["actor"]
    assert demo["territory"].empty  # the six configured territories are already in the DB
    assert list(actors["territory_id"].unique()) == [t.id for t in config.territories]
    sizes = actors.groupby("territory_id").size()
    assert sizes.between(30, 80).all()
    sectors = actors.groupby("territory_id")["sector"].agg(set)
    assert all(s == SECTORS for s in sectors)
    assert not actors.duplicated(["territory_id", "org_id"]).any()
    roya = actors[actors["territory_id"] == "roya"]
    assert set(roya["commune"].dropna()) <= {
        "Tende",
        "Breil-sur-Roya",
        "La Brigue",
        "Fontan",
        "Saorge",
    }
    # Associations are the largest group everywhere (~35 %).
    share = actors["sector"].value_counts(normalize=True)
    assert share.idxmax() == "association"
    assert 0.28 <= share["association"] <= 0.4
