"""The demo history generator: deterministic, with one frame per table of the model."""

from __future__ import annotations

import pandas as pd

from data.config import AppConfig
from data.demo.generator import generate_demo
from data.store import models as m
from tests.data.demo.conftest import END_MONTH

# -- determinism ------------------------------------------------------------------------------


def test_same_seed_gives_equal_frames(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    again = generate_demo(config, end_month=END_MONTH)
    assert list(again) == list(demo)
    for name, frame in demo.items():
        assert frame.equals(again[name]), name


def test_another_seed_gives_another_history(
    config: AppConfig, demo: dict[str, pd.DataFrame]
) -> None:
    other = generate_demo(config, seed=7, end_month=END_MONTH)
    assert not other["roster_rating"].equals(demo["roster_rating"])
    assert not other["actor"].equals(demo["actor"])
    # Same territories and calendar, whatever the seed.
    assert other["survey_wave"][["territory_id", "number"]].equals(
        demo["survey_wave"][["territory_id", "number"]]
    )


# -- shape ------------------------------------------------------------------------------------


def test_frames_match_the_model_columns(demo: dict[str, pd.DataFrame]) -> None:
    for name, frame in demo.items():
        table = m.Base.metadata.tables[name]
        assert set(frame.columns) == {c.name for c in table.columns}, name
        if "id" in frame.columns and name != "territory":
            assert frame["id"].tolist() == list(range(1, len(frame) + 1)), name
