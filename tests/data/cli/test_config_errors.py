"""The command line says in French what is wrong with the configuration, and exits with 1:
a survey that disagrees with the schema, an invalid indicator catalogue (SQLite and
PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from data.cli.main import main
from tests.conftest import edit
from tests.data.store.test_sync import changed_vocabulary


def _run(capsys: pytest.CaptureFixture[str], db_url: str, *args: str) -> tuple[int, str]:
    code = main(["--database-url", db_url, *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_db_upgrade_says_why_it_refuses_the_survey(
    db_url: str,
    config_copy: Path,
    use_config: Callable[[Path], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    changed_vocabulary(config_copy)
    use_config(config_copy)
    code, out = _run(capsys, db_url, "db", "upgrade")
    assert code == 1
    assert f"Erreur : {config_copy / 'survey.yaml'} ne correspond pas au schéma de la base" in out
    assert "secteurs : « public » absent(s) du schéma ; « etat » absent(s) de survey.yaml" in out
    assert "demande une migration du schéma" in out


def _wrong_unit(catalogue: Path) -> None:
    edit(catalogue, "unit: ratio", "unit: percent")


def _indicator_without_function(catalogue: Path) -> None:
    raw = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    raw["indicators"]["imaginary"] = dict(raw["indicators"]["retention"])
    catalogue.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("breaking", "first_line", "detail"),
    [
        pytest.param(
            _wrong_unit,
            "Erreur : Configuration invalide dans {catalogue} :",
            ".unit » : valeur non permise (attendu : 'count', 'ratio'",
            id="wrong-key",
        ),
        pytest.param(
            _indicator_without_function,
            "Erreur : Catalogue d'indicateurs incohérent ({catalogue})",
            "dans la configuration sans fonction : imaginary",
            id="without-function",
        ),
    ],
)
def test_indicators_compute_says_what_is_wrong_with_the_catalogue(
    db_url: str,
    config_copy: Path,
    use_config: Callable[[Path], None],
    capsys: pytest.CaptureFixture[str],
    breaking: Callable[[Path], None],
    first_line: str,
    detail: str,
) -> None:
    catalogue = config_copy / "indicators.yaml"
    breaking(catalogue)
    use_config(config_copy)
    assert _run(capsys, db_url, "db", "upgrade")[0] == 0  # the catalogue is not read there
    code, out = _run(capsys, db_url, "indicators", "compute")
    assert code == 1
    assert first_line.format(catalogue=catalogue) in out
    assert detail in out
