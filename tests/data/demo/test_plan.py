"""Territory plans: the synthetic territories beyond the configured ones."""

from __future__ import annotations

from data.config import AppConfig
from data.demo.generator import generate_demo
from tests.data.demo.conftest import END_MONTH


def test_hundred_territories(config: AppConfig) -> None:
    frames = generate_demo(config, n_territories=100, end_month=END_MONTH)
    territories = frames["territory"]
    # 100 − the 18 configured territories (config/programmes/) = 82, all in TEC.
    assert len(territories) == 82
    assert territories["id"].iloc[0] == "demo-0019"
    assert territories["id"].iloc[-1] == "demo-0100"
    assert territories["name"].iloc[0] == "Territoire démo 19"
    assert (territories["programme_id"] == "tec").all()
    sizes = frames["actor"].groupby("territory_id").size()
    assert len(sizes) == 100
    assert sizes.between(30, 80).all()
    waves = frames["survey_wave"].groupby("territory_id").size()
    assert (waves[territories["id"]] == 7).mean() > 0.7  # most have a full 36-month history
    assert 300_000 < len(frames["roster_rating"]) < 2_000_000
