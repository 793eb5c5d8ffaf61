"""The catalogue config/indicators.yaml: content, what the engine is given, registry check.

Reading the file and its validation errors: ``tests/data/test_config_catalogue.py``.
"""

from __future__ import annotations

import dataclasses

import pytest

from indicators.catalogue import CatalogueError, check_registry
from indicators.registry import registry

STAGES = ("emergence", "structuration", "consolidation", "coalition")


def test_repository_catalogue_matches_the_registry(catalogue):
    assert len(catalogue) == 32
    check_registry(catalogue)
    assert catalogue.stages == STAGES
    assert catalogue.version.startswith("1-")


def test_factor_bands_are_wilders(catalogue):
    for indicator_id, definition in catalogue.indicators.items():
        if indicator_id.startswith("factor_"):
            band = definition.bands_for("coalition")
            assert (band.strength, band.discuss) == (4.0, 3.0)
            assert definition.unit == "score_1_5"


def test_a_young_cooperation_gets_a_gentler_grid(catalogue):
    density = catalogue["interconnaissance_density"]
    assert density.bands_for("emergence").strength < density.bands_for("consolidation").strength
    # A stage without its own thresholds uses the default ones.
    assert density.bands_for("coalition") == density.bands["default"]


def test_survey_figures_are_flagged_under_five(catalogue):
    for indicator_id, function in registry().items():
        if function.basis == "wave":
            assert catalogue[indicator_id].min_n >= 5, indicator_id


def test_the_catalogue_carries_the_factors_and_the_milestones(catalogue):
    # survey.yaml: 7 factors of 3 items (SURVEY.md), the first one « confiance ».
    assert len(catalogue.factors) == 7
    assert all(len(items) == 3 for items in catalogue.factors.values())
    assert catalogue.factors["confiance"] == ("conf_1", "conf_2", "conf_3")
    # stages.yaml: each stage's rubric milestones, e.g. the three of consolidation.
    assert tuple(catalogue.stage_milestones) == STAGES
    assert catalogue.stage_milestones["consolidation"] == (
        "joint_experiments",
        "pooled_resources",
        "political_backing",
    )


def test_check_registry_reports_both_directions(catalogue):
    indicators = dict(catalogue.indicators)
    indicators["imaginary"] = indicators["retention"]
    del indicators["tools_reused"]
    catalogue = dataclasses.replace(catalogue, indicators=indicators)
    with pytest.raises(CatalogueError) as error:
        check_registry(catalogue)
    text = str(error.value)
    assert "dans la configuration sans fonction : imaginary" in text
    assert "absente(s) de la configuration : tools_reused" in text


def test_check_registry_checks_family_and_survey_min_n(catalogue):
    indicators = dict(catalogue.indicators)
    indicators["retention"] = indicators["retention"].model_copy(update={"family": "factors"})
    indicators["trust_score"] = indicators["trust_score"].model_copy(update={"min_n": 2})
    catalogue = dataclasses.replace(catalogue, indicators=indicators)
    with pytest.raises(CatalogueError) as error:
        check_registry(catalogue)
    text = str(error.value)
    assert "indicators.retention.family" in text
    assert "indicators.trust_score.min_n" in text


def test_a_catalogue_without_an_indicator_drops_its_criteria_only(catalogue):
    # indicators.yaml: entering structuration asks for the portrait sensible's progress among
    # its criteria.
    before = [c.indicator for c in catalogue.criteria["structuration"]]
    assert "portrait_progress" in before
    lighter = catalogue.without({"portrait_progress"})
    after = [c.indicator for c in lighter.criteria["structuration"]]
    assert after == [i for i in before if i != "portrait_progress"]
    assert "portrait_progress" not in lighter.indicators
    assert len(lighter.indicators) == len(catalogue.indicators) - 1
    assert lighter.criteria["coalition"] == catalogue.criteria["coalition"]
    assert catalogue.without(()) is catalogue
