"""Fixtures and helpers of the demo tests: the configuration, the default demo (six territories
up to a fixed end month) and readings of its survey frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data.config import AppConfig, load_config
from data.demo.generator import generate_demo

END_MONTH = dt.date(2026, 11, 1)  # fixed, so expected values do not move with time


@pytest.fixture(scope="package")
def config() -> AppConfig:
    return load_config()


@pytest.fixture(scope="package")
def demo(config: AppConfig) -> dict[str, pd.DataFrame]:
    return generate_demo(config, end_month=END_MONTH)


def respondents_with_waves(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Respondents with their wave's territory, number and window."""
    waves = frames["survey_wave"].rename(columns={"id": "wave_id"})
    return frames["respondent"].merge(waves, on="wave_id", validate="many_to_one")


def tie_densities(frames: dict[str, pd.DataFrame], territory: str) -> pd.Series:
    """Density of ties with level ≥ 1 per wave number (SURVEY.md: nodes = responding orgs)."""
    answers = respondents_with_waves(frames)
    answers = answers[answers["territory_id"] == territory]
    ratings = frames["roster_rating"].merge(
        answers[["id", "actor_id", "number"]].rename(columns={"id": "respondent_id"}),
        on="respondent_id",
    )
    result = {}
    for number, group in ratings.groupby("number"):
        nodes = set(answers.loc[answers["number"] == number, "actor_id"])
        group = group[group["rated_actor_id"].isin(nodes)]
        low = group[["actor_id", "rated_actor_id"]].min(axis=1)
        high = group[["actor_id", "rated_actor_id"]].max(axis=1)
        ties = group.assign(i=low, j=high).groupby(["i", "j"])["level"].max()
        result[number] = (ties >= 1).sum() / (len(nodes) * (len(nodes) - 1) / 2)
    return pd.Series(result).sort_index()
