"""The catalogue config/indicators.yaml: content, validation errors, registry check."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from indicators.catalogue import CatalogueError, check_registry, load_catalogue
from indicators.registry import registry

STAGES = ("emergence", "structuration", "consolidation", "coalition")
CATALOGUE = Path(__file__).resolve().parents[2] / "config" / "indicators.yaml"


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


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


DELETE = object()
BAD_BANDS_UP = {"strength": 0.2, "discuss": 0.5}
BAD_BANDS_DOWN = {"strength": 0.9, "discuss": 0.5}
UNKNOWN_CRITERION = [{"indicator": "nope", "value": 1}]
INVALID = [
    pytest.param(
        ("indicators", "retention", "stage"),
        "maturite",
        "indicators.retention.stage",
        "étape « maturite » inconnue",
        id="unknown-stage",
    ),
    pytest.param(
        ("indicators", "retention", "bands"),
        {},
        "indicators.retention",
        "seuils « default » obligatoires",
        id="no-default-bands",
    ),
    pytest.param(
        ("indicators", "retention", "bands", "default"),
        BAD_BANDS_UP,
        "indicators.retention",
        "strength doit être ≥ discuss",
        id="bands-reversed-higher",
    ),
    pytest.param(
        ("indicators", "funding_hhi", "bands", "default"),
        BAD_BANDS_DOWN,
        "indicators.funding_hhi",
        "strength doit être ≤ discuss",
        id="bands-reversed-lower",
    ),
    pytest.param(
        ("indicators", "retention", "unit"),
        "percent",
        "indicators.retention.unit",
        "valeur non permise",
        id="unknown-unit",
    ),
    pytest.param(
        ("indicators", "retention", "colour"),
        "red",
        "indicators.retention.colour",
        "clé inconnue",
        id="unknown-key",
    ),
    pytest.param(
        ("indicators", "retention", "label"),
        DELETE,
        "indicators.retention.label",
        "valeur obligatoire absente",
        id="missing-label",
    ),
    pytest.param(
        ("indicators", "retention", "bands", "adulte"),
        {"strength": 1, "discuss": 0},
        "indicators.retention.bands",
        "étape inconnue « adulte »",
        id="bands-for-unknown-stage",
    ),
    pytest.param(
        ("stage_criteria", "coalition"),
        UNKNOWN_CRITERION,
        "(racine)",
        "indicateur « nope » absent du catalogue",
        id="criterion-on-unknown-indicator",
    ),
    pytest.param(
        ("stage_criteria", "emergence"),
        [],
        "(racine)",
        "étape inconnue ou première étape",
        id="criteria-for-first-stage",
    ),
]


@pytest.mark.parametrize(("path", "value", "key", "message"), INVALID)
def test_invalid_catalogue_names_file_and_key_in_french(tmp_path, raw, path, value, key, message):
    parent = raw
    for part in path[:-1]:
        parent = parent[part]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    written = _write(tmp_path, raw)
    with pytest.raises(CatalogueError) as error:
        load_catalogue(written, stages=STAGES)
    text = str(error.value)
    assert str(written) in text
    assert f"clé « {key}" in text
    assert message in text


def test_unreadable_and_missing_files(tmp_path):
    broken = tmp_path / "indicators.yaml"
    broken.write_text("indicators: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match="YAML illisible"):
        load_catalogue(broken, stages=STAGES)
    with pytest.raises(CatalogueError, match="introuvable"):
        load_catalogue(tmp_path / "absent.yaml", stages=STAGES)


def test_check_registry_reports_both_directions(tmp_path, raw):
    raw["indicators"]["imaginary"] = dict(raw["indicators"]["retention"])
    del raw["indicators"]["tools_reused"]
    catalogue = load_catalogue(_write(tmp_path, raw), stages=STAGES)
    with pytest.raises(CatalogueError) as error:
        check_registry(catalogue)
    text = str(error.value)
    assert "dans la configuration sans fonction : imaginary" in text
    assert "absente(s) de la configuration : tools_reused" in text


def test_check_registry_checks_family_and_survey_min_n(tmp_path, raw):
    raw["indicators"]["retention"]["family"] = "factors"
    raw["indicators"]["trust_score"]["min_n"] = 2
    catalogue = load_catalogue(_write(tmp_path, raw), stages=STAGES)
    with pytest.raises(CatalogueError) as error:
        check_registry(catalogue)
    text = str(error.value)
    assert "indicators.retention.family" in text
    assert "indicators.trust_score.min_n" in text
