"""The registry: every catalogue id has a function, and each honours the result contract."""

from __future__ import annotations

import numpy as np
import pytest

from indicators.frames import Frames
from indicators.prepare import month_grid
from indicators.registry import indicator, registry

EXPECTED_IDS = {
    "actors_mobilised", "sector_diversity", "interconnaissance_density", "cross_sector_share",
    "factor_confiance", "factor_pouvoir_agir", "factor_ancrage", "portrait_progress",
    "coordination_density", "mean_collaboration_level", "degree_centralization", "reciprocity",
    "dyad_agreement", "factor_vision", "factor_communication", "factor_gouvernance",
    "governance_milestones", "attendance_retention", "trust_score", "strong_tie_share",
    "cross_sector_coordination_share", "multisector_joint_actions", "resource_pooling",
    "factor_ressources", "centralization_change", "strong_factor_share",
    "local_support_function", "retention", "funding_sources", "funding_hhi",
    "network_robustness", "tools_reused",
}  # fmt: skip
MONTH_IDS = {
    "actors_mobilised", "portrait_progress", "governance_milestones", "attendance_retention",
    "multisector_joint_actions", "local_support_function", "funding_sources", "funding_hhi",
    "tools_reused",
}  # fmt: skip


def test_registry_holds_exactly_the_catalogue_ids():
    functions = registry()
    assert set(functions) == EXPECTED_IDS
    assert {i for i, f in functions.items() if f.basis == "month"} == MONTH_IDS


def test_registering_another_function_under_a_taken_id_fails():
    with pytest.raises(ValueError, match="registered twice"):

        @indicator("retention", basis="wave")
        def impostor(prep):  # pragma: no cover - never called
            return None


def test_unknown_basis_fails():
    with pytest.raises(ValueError, match="basis"):
        indicator("x", basis="year")  # type: ignore[arg-type]


@pytest.mark.parametrize("with_data", [False, True])
def test_every_function_returns_its_rows_with_notes_for_missing_values(with_data, builder, prep_of):
    if with_data:
        builder.actors({"A": "association", "B": "etat"})
        wave = builder.wave(0)
        builder.respond(wave, "A", ratings={"B": 2})
        builder.wave(1)
        builder.journal("2024-03-01")
    frames = builder.build() if with_data else Frames.empty()
    prep = prep_of(frames)
    grid = month_grid(prep, {"t": ["2024-02-01", "2024-03-01"], "unknown": ["2024-03-01"]})
    for indicator_id, function in registry().items():
        if function.basis == "wave":
            result = function.func(prep)
            assert list(result.columns) == ["wave_id", "value", "n", "note"]
            assert result["wave_id"].tolist() == prep.waves["wave_id"].tolist()
        else:
            result = function.func(prep, grid)
            assert list(result.columns) == ["territory_id", "month", "value", "n", "note"]
            assert result["territory_id"].tolist() == ["t", "t", "unknown"]
        assert str(result["value"].dtype) == "Float64", indicator_id
        assert result["n"].dtype == np.int64, indicator_id
        assert (result["value"].isna() == result["note"].notna()).all(), indicator_id
        assert (result["n"] >= 0).all(), indicator_id
