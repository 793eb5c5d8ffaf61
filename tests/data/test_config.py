"""The YAML configuration is validated at load; errors name the file and the key, in French."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from data.config import DEFAULT_CONFIG_DIR, ConfigError, load_config


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_configuration_is_the_tec_programme() -> None:
    config = load_config(DEFAULT_CONFIG_DIR)
    assert [t.id for t in config.territories] == [
        "roya",
        "entre-deux-mers",
        "forbach",
        "nantes-qpv",
        "aura",
        "haute-garonne",
    ]
    assert [s.id for s in config.stage_model.stages] == [
        "emergence",
        "structuration",
        "consolidation",
        "coalition",
    ]
    # 7 factors × 3 items (SURVEY.md).
    assert len(config.survey.likert_items) == 21
    assert config.stage_model.rank("consolidation") == 3


def test_bad_date_names_file_and_key(config_copy: Path) -> None:
    _edit(config_copy / "programme.yaml", "start_date: 2024-06-01", "start_date: juin 2024")
    with pytest.raises(ConfigError) as error:
        load_config(config_copy)
    message = str(error.value)
    assert "programme.yaml" in message
    # forbach is the third territory (index 2).
    assert "« territories.2.start_date »" in message
    assert "date invalide" in message


def test_start_date_must_be_a_first_of_month(config_copy: Path) -> None:
    _edit(config_copy / "programme.yaml", "start_date: 2024-03-01", "start_date: 2024-03-15")
    with pytest.raises(ConfigError, match=r"territories\.1\.start_date.*premier jour"):
        load_config(config_copy)


def test_unknown_key_is_a_typo(config_copy: Path) -> None:
    _edit(config_copy / "programme.yaml", "    region: Grand Est", "    regoin: Grand Est")
    with pytest.raises(ConfigError) as error:
        load_config(config_copy)
    assert "« territories.2.regoin » : clé inconnue" in str(error.value)
    assert "« territories.2.region » : valeur obligatoire absente" in str(error.value)


def test_duplicate_territory_id(config_copy: Path) -> None:
    _edit(config_copy / "programme.yaml", "id: forbach", "id: roya")
    with pytest.raises(ConfigError, match="identifiant en double dans territories : « roya »"):
        load_config(config_copy)


def test_unknown_stage_model(config_copy: Path) -> None:
    _edit(config_copy / "programme.yaml", "stage_model: default", "stage_model: fonda")
    with pytest.raises(ConfigError, match=r"programme\.stage_model.*« fonda » inconnu"):
        load_config(config_copy)


def test_broken_yaml_gives_line(config_copy: Path) -> None:
    _edit(config_copy / "stages.yaml", "  - id: default", "  - id: [default")
    with pytest.raises(ConfigError, match=r"stages\.yaml \(ligne \d+, colonne \d+\)"):
        load_config(config_copy)


def test_missing_file(config_copy: Path) -> None:
    (config_copy / "survey.yaml").unlink()
    with pytest.raises(ConfigError, match=r"introuvable.*survey\.yaml"):
        load_config(config_copy)


def test_collaboration_levels_must_be_0_to_5(config_copy: Path) -> None:
    _edit(config_copy / "survey.yaml", "  5: Collaboration\n", "")
    with pytest.raises(ConfigError, match="niveaux de collaboration"):
        load_config(config_copy)
