"""A programme with its own stage model is judged through the reference model: the same survey
files give the same indicator values in a TEC and in a Faire-ensemble territory, each judged by
its own programme's stages; the indicators a programme hides are not computed for it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine

from data.access import Scope
from data.config import get_config
from data.domain.journal import JournalInput
from data.domain.programmes import programme_rules, to_reference, without_hidden
from data.importer import import_actors, import_survey
from data.services.journal import save_journal
from data.store import queries
from data.store.indicator_store import compute
from indicators.frames import Frames
from tests.data.importer.conftest import FILES

MONTH = dt.date(2025, 2, 1)  # after both Roya waves (May and November 2024)


def _import_roya_files(engine: Engine, territory_id: str) -> None:
    good = FILES / "good"
    result = import_actors(
        engine, (good / "actors_roya.csv").read_bytes(), "actors_roya.csv", territory_id, "t"
    )
    assert result.outcome == "imported", result.render_text()
    for wave, name in ((0, "survey_roya_w0.csv"), (1, "survey_roya_w1.csv")):
        result = import_survey(engine, (good / name).read_bytes(), name, territory_id, wave, "t")
        assert result.outcome == "imported", result.render_text()


def test_the_roya_files_give_the_same_values_in_tec_and_in_faire_ensemble(engine: Engine) -> None:
    config = get_config()
    for territory in ("roya", "morlaix"):
        _import_roya_files(engine, territory)
    # Each binôme declares the first stage of its programme's model.
    system = Scope.system("t")
    for territory, stage in (("roya", "emergence"), ("morlaix", "impulsion")):
        report = save_journal(
            engine, system, territory, MONTH, JournalInput(declared_stage=stage), submit=False
        )
        assert not report.has_errors, report.render_text()
    compute(engine, until=MONTH)

    values = queries.indicator_values(engine, system, months=[MONTH])
    by_territory = {
        t: frame.set_index("indicator_id")["value"] for t, frame in values.groupby("territory_id")
    }
    roya, morlaix = by_territory["roya"], by_territory["morlaix"]
    # config/programmes/faire-ensemble.yaml hides the « portrait sensible », a TEC practice.
    assert "portrait_progress" in roya.index and "portrait_progress" not in morlaix.index
    shared = morlaix.index
    assert set(shared) == set(roya.index) - {"portrait_progress"}
    pd.testing.assert_series_equal(roya[shared], morlaix[shared], check_names=False)
    # Not vacuous: the survey figures are there. The files' wave 1 has 5 respondents among 6
    # organisations of the actors list (tests/data/importer/files/good).
    assert roya["actors_mobilised"] == pytest.approx(5)
    assert roya.notna().sum() >= 15

    # Each judged by its own stages: stored in the reference model, shown in its own.
    stages = queries.territory_stages(engine, system)
    at_month = pd.to_datetime(stages["month"]) == pd.Timestamp(MONTH)
    stages = stages[at_month].set_index("territory_id")
    assert stages.at["roya", "declared_stage"] == "emergence"
    assert stages.at["morlaix", "declared_stage"] == "emergence"  # « impulsion » judged so
    fe = config.stage_model_of("morlaix")
    assert config.in_model(fe, stages.at["morlaix", "judged_stage"]) == "impulsion"
    assert config.in_model(config.stage_model_of("roya"), stages.at["roya", "judged_stage"]) == (
        "emergence"
    )

    # The criteria to enter structuration (indicators.yaml) include the portrait sensible's
    # progress: Roya is still held back by it, Morlaix, whose programme hides it, never is.
    def _missing(territory: str) -> set[str]:
        missing = stages.at[territory, "missing_criteria"] or {}
        return {c["indicator"] for c in missing.get("criteria", [])}

    assert "portrait_progress" in _missing("roya")
    assert "portrait_progress" not in _missing("morlaix")


def _frames(journals: pd.DataFrame, rubric: pd.DataFrame) -> Frames:
    from indicators.frames import SCHEMA

    empty = {
        name: pd.DataFrame({c: pd.Series(dtype=d) for c, d in cols.items()})
        for name, cols in SCHEMA.items()
    }
    return Frames(**{**empty, "journals": journals, "rubric": rubric})


def test_to_reference_translates_stages_and_milestones_of_each_programme() -> None:
    from indicators.frames import SCHEMA

    journals = pd.DataFrame({c: pd.Series(dtype=d) for c, d in SCHEMA["journals"].items()}).reindex(
        range(2)
    )
    journals = journals.assign(
        territory_id=["roya", "morlaix"],
        journal_id=[1, 2],
        declared_stage=["structuration", "capitalisation"],
    )
    rubric = pd.DataFrame(
        {
            "journal_id": [1, 2, 2],
            "milestone_id": ["governance", "fe_governance", "initiative_group"],
            "score": [2, 3, 1],
        }
    )
    frames = _frames(journals, rubric)
    rules = programme_rules(get_config())
    out = to_reference(frames, {"roya": "tec", "morlaix": "faire-ensemble"}, rules)
    # stages.yaml: capitalisation is judged as coalition; fe_governance counts as governance;
    # initiative_group is Faire ensemble's own milestone and stays as it is.
    assert out.journals["declared_stage"].tolist() == ["structuration", "coalition"]
    assert out.rubric["milestone_id"].tolist() == ["governance", "governance", "initiative_group"]


def test_without_hidden_drops_only_the_hiding_programmes_rows() -> None:
    long = pd.DataFrame(
        {
            "territory_id": ["roya", "morlaix", "morlaix"],
            "indicator_id": ["portrait_progress", "portrait_progress", "trust_score"],
            "value": [0.5, 0.5, 3.0],
        }
    )
    rules = programme_rules(get_config())
    out = without_hidden(long, {"roya": "tec", "morlaix": "faire-ensemble"}, rules)
    assert list(zip(out["territory_id"], out["indicator_id"], strict=True)) == [
        ("roya", "portrait_progress"),
        ("morlaix", "trust_score"),
    ]
