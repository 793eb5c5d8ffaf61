"""The demo tells its territories' stories: a stalled dynamic, a regression after the
facilitator leaves."""

from __future__ import annotations

import pandas as pd

from tests.data.demo.conftest import tie_densities


def test_stalled_territory_is_less_connected_than_roya(demo: dict[str, pd.DataFrame]) -> None:
    waves = demo["survey_wave"]
    last_year = waves[waves["window_start"] >= pd.Timestamp("2025-11-01")]

    def last_year_density(territory: str) -> float:
        numbers = last_year.loc[last_year["territory_id"] == territory, "number"]
        return float(tie_densities(demo, territory).loc[numbers].mean())

    forbach, roya = last_year_density("forbach"), last_year_density("roya")
    assert forbach < roya - 0.15
    journals = demo["journal"]
    text_ = journals.loc[journals["territory_id"] == "forbach", "narrative_difficulties"]
    assert text_.str.contains("Dynamique à l'arrêt|dynamique est à l'arrêt").sum() >= 10
    assert demo["joint_action"]["territory_id"].ne("forbach").all()


def test_nantes_regresses_after_the_facilitator_leaves(demo: dict[str, pd.DataFrame]) -> None:
    density = tie_densities(demo, "nantes-qpv")
    assert density.iloc[-1] < density.max() - 0.05
    assert density.idxmax() == 3  # wave 3, month 18: just before the facilitator leaves
    journals = demo["journal"]
    nantes = journals[journals["territory_id"] == "nantes-qpv"]
    nantes = nantes.set_index(nantes["month"].dt.strftime("%Y-%m"))
    assert "Départ de l'animatrice" in nantes.loc["2026-02", "narrative_difficulties"]
    # The binôme still declares structuration while the network has fallen back.
    assert (nantes.loc["2025-06":, "declared_stage"] == "structuration").all()
