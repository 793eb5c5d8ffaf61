"""The demo's survey waves: calendar, respondents, Likert answers, resources, roster ratings."""

from __future__ import annotations

import pandas as pd

from data.config import AppConfig
from tests.data.demo.conftest import respondents_with_waves

TRUST = ["trust_reliable", "trust_mission", "trust_open"]


def test_waves_every_six_months(demo: dict[str, pd.DataFrame]) -> None:
    waves = demo["survey_wave"]
    # End month 2026-11: roya (start 2023-12) is at month 35, its wave 36 is not due yet;
    # entre-deux-mers (2024-03) at month 32; forbach and nantes-qpv (2024-06) at month 29;
    # aura (2025-01) at month 22; haute-garonne (2025-04) at month 19.
    expected = {
        "roya": 6,
        "entre-deux-mers": 6,
        "forbach": 5,
        "nantes-qpv": 5,
        "aura": 4,
        "haute-garonne": 4,
        # Faire ensemble (2025-01) at month 22: waves at months 0, 6, 12, 18; the catalyseurs
        # (2026-09) at month 2: their first wave only.
        "morlaix": 4,
        "mulhouse": 4,
        **{f"catalyseur-{i:02d}": 1 for i in range(1, 11)},
    }
    assert waves.groupby("territory_id").size().to_dict() == expected
    roya = waves[waves["territory_id"] == "roya"]
    assert roya["number"].tolist() == [0, 1, 2, 3, 4, 5]
    assert roya["window_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-12-01",
        "2024-06-01",
        "2024-12-01",
        "2025-06-01",
        "2025-12-01",
        "2026-06-01",
    ]
    assert roya["window_end"].dt.strftime("%Y-%m-%d").iloc[0] == "2024-01-31"


def test_respondents(demo: dict[str, pd.DataFrame]) -> None:
    answers = respondents_with_waves(demo)
    assert not answers.duplicated(["wave_id", "respondent_key"]).any()
    assert answers["respondent_key"].str.fullmatch(r"R-\d+-[0-9a-f]{6}").all()
    assert answers["submitted_at"].between(answers["window_start"], answers["window_end"]).all()
    actors = demo["actor"].set_index("id")
    assert (answers["sector"] == actors.loc[answers["actor_id"], "sector"].to_numpy()).all()
    assert (
        answers["territory_id"].to_numpy()
        == actors.loc[answers["actor_id"], "territory_id"].to_numpy()
    ).all()
    # Share of the actors list that answered, per wave: roughly 30–80 %, rising with maturity.
    per_wave = answers.groupby(["territory_id", "number"])["actor_id"].nunique()
    listed = demo["actor"].groupby("territory_id").size()
    share = per_wave / listed.reindex(per_wave.index.get_level_values(0)).to_numpy()
    assert share.between(0.2, 0.9).all()
    assert 0.4 <= share.mean() <= 0.65
    roya = share["roya"]
    assert roya.iloc[-1] > roya.iloc[0] + 0.15
    # Some organisations answer with two people.
    assert answers.duplicated(["wave_id", "actor_id"]).any()


def test_likert_and_resources(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    likert = demo["likert_answer"]
    assert likert["value"].between(1, 5).all()
    assert set(likert["item"]) == set(config.survey.likert_items)
    assert not likert.duplicated(["respondent_id", "item"]).any()
    missing = 1 - len(likert) / (len(demo["respondent"]) * len(config.survey.likert_items))
    assert 0.04 <= missing <= 0.1
    resources = demo["resource_contribution"]
    assert set(resources["resource_type"]) == {r.id for r in config.survey.resource_types}
    assert not resources.duplicated().any()


def test_roster_ratings(demo: dict[str, pd.DataFrame]) -> None:
    ratings = demo["roster_rating"]
    assert ratings["level"].between(0, 5).all()
    assert set(ratings["level"]) == {0, 1, 2, 3, 4, 5}
    no_tie = ratings["level"] == 0
    for column in TRUST:
        assert (ratings[column].isna() == no_tie).all(), column
        assert ratings.loc[~no_tie, column].between(1, 4).all(), column
    assert not ratings.duplicated(["respondent_id", "rated_actor_id"]).any()
    respondents = demo["respondent"].set_index("id")
    raters = respondents.loc[ratings["respondent_id"], "actor_id"].to_numpy()
    assert (raters != ratings["rated_actor_id"].to_numpy()).all()  # no self-ratings
    territory = demo["actor"].set_index("id")["territory_id"]
    assert (
        territory.loc[raters].to_numpy() == territory.loc[ratings["rated_actor_id"]].to_numpy()
    ).all()
    # Each respondent rates most of the other listed actors (~60–90 %), a few skip the roster.
    per_respondent = ratings.groupby("respondent_id").size()
    assert len(per_respondent) < len(respondents)
    assert 20 <= per_respondent.median() <= 60
