"""The quality checks are declared once each: the ids ``config/quality.yaml`` may name, and
those that can only be errors, come from the declarations."""

from __future__ import annotations

import pytest

from data.importer.quality import check_ids, error_only_ids, registry, validate_suites
from data.importer.quality.expectations import Failure
from data.importer.settings import CheckSetting, QualityFile, quality_settings

KINDS = ("actors", "survey")


def _suites(**suites: dict[str, str]) -> QualityFile:
    return quality_settings().model_copy(
        update={
            "suites": {
                kind: {check: CheckSetting(severity=s) for check, s in checks.items()}
                for kind, checks in suites.items()
            }
        }
    )


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_suites_name_exactly_the_declared_checks(kind: str) -> None:
    declared = {c.check_id for c in registry.CHECKS if kind in c.kinds}
    assert check_ids(kind) == declared  # type: ignore[arg-type]
    assert set(quality_settings().suites[kind]) == declared  # type: ignore[index]


def test_validation_accepts_every_declared_check_and_nothing_else() -> None:
    every = _suites(
        actors=dict.fromkeys(check_ids("actors"), "error"),
        survey=dict.fromkeys(check_ids("survey"), "error"),
    )
    assert validate_suites(every) == []
    problems = validate_suites(_suites(actors={"wave_order": "error", "likert_range": "error"}))
    assert len(problems) == 2 and all("contrôle inconnu" in p for p in problems)


def test_the_error_only_checks_are_those_the_database_and_the_parser_need() -> None:
    # Written from config/quality.yaml's comment: required columns, duplicate columns (the
    # import cannot choose which to read) and the wave order can only be errors.
    assert error_only_ids("actors") == {"required_columns", "duplicate_columns"}
    assert error_only_ids("survey") == {"required_columns", "duplicate_columns", "wave_order"}
    made_warnings = _suites(survey=dict.fromkeys(error_only_ids("survey"), "warning"))
    assert sorted(validate_suites(made_warnings)) == sorted(
        f"clé « suites.survey.{c} » : ce contrôle ne peut être qu'une erreur"
        for c in ("required_columns", "duplicate_columns", "wave_order")
    )


def test_a_new_declaration_is_accepted_by_the_configuration_with_no_other_edit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(registry, "CHECKS", list(registry.CHECKS))
    settings = _suites(survey={"always_fine": "warning", "never_warned": "warning"})
    assert len(validate_suites(settings)) == 2

    @registry.python_check("always_fine", registry.SURVEY, "Un contrôle d'essai.")
    def always_fine(subject: object) -> Failure | None:
        return None

    @registry.python_check("never_warned", registry.SURVEY, "Un contrôle d'essai.", error_only=True)
    def never_warned(subject: object) -> Failure | None:
        return None

    assert "always_fine" in check_ids("survey") and "always_fine" not in check_ids("actors")
    assert validate_suites(settings) == [
        "clé « suites.survey.never_warned » : ce contrôle ne peut être qu'une erreur"
    ]
    assert registry.without_message() == ["always_fine", "never_warned"]
    with pytest.raises(ValueError, match="declared twice"):
        registry.python_check("always_fine", registry.BOTH, "Encore.")(always_fine.detect)


def test_every_check_has_a_one_line_french_description_and_a_message() -> None:
    assert registry.without_message() == []
    for check in registry.CHECKS:
        assert check.description.endswith(".") and "\n" not in check.description, check.check_id
        assert (check.probes is None) != (check.detect is None), check.check_id
