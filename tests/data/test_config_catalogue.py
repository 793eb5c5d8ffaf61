"""``indicators.yaml`` read by ``data.config.load_catalogue``: errors name the file and the key
in French, and a catalogue that does not match the indicator functions is refused at load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from data.config import DEFAULT_CONFIG_DIR, AppConfig, ConfigError, load_catalogue, load_config


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def config() -> AppConfig:
    return load_config(DEFAULT_CONFIG_DIR)


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load((DEFAULT_CONFIG_DIR / "indicators.yaml").read_text(encoding="utf-8"))


def _load(directory: Path, config: AppConfig):  # type: ignore[no-untyped-def]
    return load_catalogue(directory, config.reference_model, config.survey)


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
def test_invalid_catalogue_names_file_and_key_in_french(
    tmp_path, raw, config, path, value, key, message
):
    parent = raw
    for part in path[:-1]:
        parent = parent[part]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    written = _write(tmp_path, raw)
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, config)
    text = str(error.value)
    assert str(written) in text
    assert f"clé « {key}" in text
    assert message in text


def test_unreadable_and_missing_files(tmp_path, config):
    broken = tmp_path / "indicators.yaml"
    broken.write_text("indicators: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="YAML illisible"):
        _load(tmp_path, config)
    with pytest.raises(ConfigError, match="introuvable"):
        _load(tmp_path / "absent", config)


def test_a_catalogue_without_its_functions_is_refused_at_load(tmp_path, raw, config):
    raw["indicators"]["imaginary"] = dict(raw["indicators"]["retention"])
    del raw["indicators"]["tools_reused"]
    _write(tmp_path, raw)
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, config)
    text = str(error.value)
    assert f"Catalogue d'indicateurs incohérent ({tmp_path / 'indicators.yaml'})" in text
    assert "dans la configuration sans fonction : imaginary" in text
    assert "absente(s) de la configuration : tools_reused" in text


def test_the_version_is_the_file_version_and_its_digest(tmp_path, raw, config):
    import hashlib

    written = _write(tmp_path, raw)
    # « <version: 1>-<first 12 hex of the SHA-256 of the bytes on disk> ».
    expected = "1-" + hashlib.sha256(written.read_bytes()).hexdigest()[:12]
    assert _load(tmp_path, config).version == expected
