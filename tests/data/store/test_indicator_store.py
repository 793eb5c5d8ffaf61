"""Indicators computed from stored data: held between waves, refreshed incrementally. On
SQLite and PostgreSQL (their long export: tests/data/exports/test_indicators.py)."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd
import pytest
from sqlalchemy import Engine, delete, select, update

from data.config import get_config
from data.demo.generator import generate_demo
from data.demo.load import load_demo
from data.store.engine import session_scope
from data.store.indicator_inputs import _decode_ratings, load_frames
from data.store.indicator_store import (
    compute,
    data_versions,
    declared_by_month,
    stale_territories,
)
from data.store.models import IndicatorState, IndicatorValue, Journal, TerritoryStage
from indicators.frames import SCHEMA
from tests.conftest import DEMO_END_MONTH

END = dt.date(2026, 11, 1)


@pytest.fixture
def demo(engine: Engine) -> tuple[Engine, dict[str, pd.DataFrame]]:
    """Two demo territories (roya, entre-deux-mers) with indicators computed through END."""
    frames = generate_demo(get_config(), n_territories=2, end_month=END)
    load_demo(engine, frames)
    compute(engine, until=END)
    return engine, frames


def _values(engine: Engine, territory: str, indicator: str) -> pd.DataFrame:
    query = (
        select(IndicatorValue.month, IndicatorValue.value, IndicatorValue.wave_number)
        .where(IndicatorValue.territory_id == territory)
        .where(IndicatorValue.indicator_id == indicator)
        .order_by(IndicatorValue.month)
    )
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def _density_by_networkx(frames: dict[str, pd.DataFrame], wave_id: int) -> float:
    """Interconnaissance density of a wave, computed with networkx from the raw answers."""
    respondents = frames["respondent"][frames["respondent"]["wave_id"] == wave_id]
    nodes = set(respondents["actor_id"])
    ratings = frames["roster_rating"].merge(
        respondents[["id", "actor_id"]], left_on="respondent_id", right_on="id"
    )
    ties = ratings[(ratings["level"] >= 1) & ratings["rated_actor_id"].isin(nodes)]
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(
        (a, b) for a, b in zip(ties["actor_id"], ties["rated_actor_id"], strict=True) if a != b
    )
    return nx.density(graph)


def test_survey_values_hold_from_their_wave_until_the_next(demo) -> None:  # type: ignore[no-untyped-def]
    engine, frames = demo
    values = _values(engine, "roya", "interconnaissance_density")
    waves = frames["survey_wave"][frames["survey_wave"]["territory_id"] == "roya"]
    last_answer = frames["respondent"].groupby("wave_id")["submitted_at"].max()
    reference = {
        number: pd.Timestamp(last_answer[wave_id]).to_period("M").to_timestamp()
        for wave_id, number in zip(waves["id"], waves["number"], strict=True)
    }
    for number, wave_id in zip(waves["number"], waves["id"], strict=True):
        start = reference[number]
        end = reference.get(number + 1, pd.Timestamp(END))
        held = values[(values["month"] >= start) & (values["month"] < end)]
        assert len(held) > 0
        assert set(held["wave_number"]) == {number}
        assert held["value"].tolist() == pytest.approx(
            [_density_by_networkx(frames, wave_id)] * len(held)
        )
    before_first = values[values["month"] < reference[0]]
    assert before_first["value"].isna().all()


def test_nothing_is_stale_after_compute_and_one_edit_refreshes_one_territory(demo) -> None:  # type: ignore[no-untyped-def]
    engine, _ = demo
    assert stale_territories(engine, until=END) == []
    with engine.connect() as connection:
        before = dict(
            connection.execute(
                select(IndicatorState.territory_id, IndicatorState.computed_at)
            ).all()
        )
    with session_scope(engine, "binome.roya@tec-demo.fr") as session:
        journal = session.scalars(
            select(Journal).where(Journal.territory_id == "roya", Journal.month == END)
        ).one()
        journal.interviews_done += 1
    assert stale_territories(engine, until=END) == ["roya"]
    summary = compute(engine, until=END)
    assert summary.territories == 1
    with engine.connect() as connection:
        after = dict(
            connection.execute(
                select(IndicatorState.territory_id, IndicatorState.computed_at)
            ).all()
        )
    assert {t: v for t, v in after.items() if t != "roya"} == {
        t: v for t, v in before.items() if t != "roya"
    }
    assert after["roya"] != before["roya"]
    assert stale_territories(engine, until=END) == []


def test_a_new_month_makes_every_territory_stale(demo) -> None:  # type: ignore[no-untyped-def]
    engine, _ = demo
    # Every configured territory has indicators (empty ones without data), so all are stale.
    configured = sorted(t.id for t in get_config().territories)
    assert stale_territories(engine, until=dt.date(2026, 12, 1)) == configured


def test_declared_stage_is_held_from_the_latest_journal() -> None:
    journals = pd.DataFrame(
        {
            "territory_id": ["t", "t"],
            "month": pd.to_datetime(["2025-01-01", "2025-03-01"]).astype("datetime64[s]"),
            "declared_stage": ["emergence", "structuration"],
        }
    )
    months = {"t": [dt.date(2024, 12, 1), *(dt.date(2025, m, 1) for m in range(1, 5))]}
    held = declared_by_month(journals, months)
    # Dec 2024: no journal yet; Feb 2025 has no journal: January's stage holds.
    assert held["stage"].tolist() == [
        None,
        "emergence",
        "emergence",
        "structuration",
        "structuration",
    ]


def test_stage_disagreement_is_flagged_where_declared_and_inferred_differ(demo) -> None:  # type: ignore[no-untyped-def]
    engine, _ = demo
    with engine.connect() as connection:
        stages = pd.read_sql(select(TerritoryStage), connection)
    both = stages.dropna(subset=["declared_stage"])
    expected = both["declared_stage"] != both["inferred_stage"]
    assert both["disagreement"].astype(bool).tolist() == expected.tolist()


def test_a_failed_compute_leaves_the_stored_values(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    engine, _ = demo
    with engine.connect() as connection:
        before = pd.read_sql(select(IndicatorValue), connection)
    with engine.begin() as connection:
        connection.execute(update(IndicatorState).values(data_version=-1))

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr("data.store.indicator_store._stage_rows", broken)
    with pytest.raises(RuntimeError, match="boom"):
        compute(engine, until=END)
    with engine.connect() as connection:
        after = pd.read_sql(select(IndicatorValue), connection)
    pd.testing.assert_frame_equal(before, after)


def _stored(engine: Engine) -> pd.DataFrame:
    with engine.connect() as connection:
        frame = pd.read_sql(select(IndicatorValue), connection)
    return frame.sort_values(["territory_id", "month", "indicator_id"]).reset_index(drop=True)


def test_ratings_travel_as_two_integers_and_decode_exactly() -> None:
    # rated 7, level 3, trust 4 / missing / 2: 7 × 1024 + 3 × 125 + 4 × 25 + 0 × 5 + 2 = 7645;
    # rated 12, level 0, no trust: 12 × 1024 = 12288; rated 1, level 5, trust 4/4/4:
    # 1024 + 625 + 100 + 20 + 4 = 1773.
    coded = pd.DataFrame({"respondent_id": [10, 10, 11], "rating_code": [7645, 12288, 1773]})
    ratings = _decode_ratings(coded)
    assert ratings["rated_actor_id"].tolist() == [7, 12, 1]
    assert ratings["level"].tolist() == [3, 0, 5]
    assert ratings["trust_reliable"].tolist() == [4, pd.NA, 4]
    assert ratings["trust_mission"].tolist() == [pd.NA, pd.NA, 4]
    assert ratings["trust_open"].tolist() == [2, pd.NA, 4]
    assert ratings.dtypes.astype(str).to_dict() == SCHEMA["ratings"]


def test_frames_read_as_text_equal_the_rows_stored(demo) -> None:  # type: ignore[no-untyped-def]
    engine, frames = demo
    with engine.connect() as connection:
        read = load_frames(connection, ["roya", "entre-deux-mers"])
    keys = ["respondent_id", "rated_actor_id"]
    expected = (
        frames["roster_rating"][[*keys, "level", "trust_reliable", "trust_mission", "trust_open"]]
        .astype(read.ratings.dtypes.to_dict())
        .sort_values(keys)
        .reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(read.ratings.sort_values(keys).reset_index(drop=True), expected)
    likert_keys = ["respondent_id", "item"]
    expected_likert = (
        frames["likert_answer"][[*likert_keys, "value"]]
        .astype(read.likert.dtypes.to_dict())
        .sort_values(likert_keys)
        .reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(
        read.likert.sort_values(likert_keys).reset_index(drop=True), expected_likert
    )


def test_a_recompute_without_changes_rewrites_nothing(demo) -> None:  # type: ignore[no-untyped-def]
    engine, _ = demo
    before = _stored(engine)
    summary = compute(engine, force=True, until=END)
    assert summary.rows == len(before)
    assert summary.written == 0
    pd.testing.assert_frame_equal(_stored(engine), before)


def test_a_new_month_writes_that_month_only(demo) -> None:  # type: ignore[no-untyped-def]
    engine, _ = demo
    before = _stored(engine)
    summary = compute(engine, until=dt.date(2026, 12, 1))
    after = _stored(engine)
    december = after[after["month"] == dt.date(2026, 12, 1)]
    assert len(december) > 0
    assert summary.written == len(december)
    older = after[after["month"] < dt.date(2026, 12, 1)].reset_index(drop=True)
    pd.testing.assert_frame_equal(older, before)


def test_rows_lost_outside_compute_are_written_again(demo) -> None:  # type: ignore[no-untyped-def]
    engine, _ = demo
    before = _stored(engine)
    with engine.begin() as connection:
        connection.execute(
            delete(IndicatorValue)
            .where(IndicatorValue.territory_id == "roya")
            .where(IndicatorValue.month == END)
        )
    summary = compute(engine, force=True, until=END)
    assert summary.written == (before["territory_id"] == "roya").sum()
    pd.testing.assert_frame_equal(_stored(engine), before)


def test_worker_processes_store_what_one_process_stores(demo) -> None:  # type: ignore[no-untyped-def]
    engine, _ = demo
    before = _stored(engine)
    with engine.begin() as connection:
        for model in (IndicatorValue, TerritoryStage, IndicatorState):
            connection.execute(delete(model))
    summary = compute(engine, until=END, batch_size=1, workers=2)
    assert summary.territories == len(get_config().territories)
    assert summary.written == len(before)
    pd.testing.assert_frame_equal(_stored(engine), before)
    assert stale_territories(engine, until=END) == []


def test_the_same_rows_in_another_order_give_bit_identical_stored_values(
    demo_engine: Engine,
) -> None:
    """PostgreSQL returns rows in its physical order, which updates change: a float sum's last
    bits follow the order it adds in. Stored values are rounded (``stored_precision``), so a
    recompute of unchanged rows in any order writes nothing."""
    import numpy as np

    from data.store.indicator_store import _months, stored_precision
    from indicators.compute import compute_long

    catalogue = get_config().load_catalogue()
    with demo_engine.connect() as connection:
        ids = sorted(data_versions(connection))
        frames = load_frames(connection, ids)
        months = _months(connection, ids, DEMO_END_MONTH)
    declared = declared_by_month(frames.journals, months)
    rng = np.random.default_rng(20261202)

    def shuffled(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)

    reordered = frames.replace(
        ratings=shuffled(frames.ratings),
        likert=shuffled(frames.likert),
        respondents=shuffled(frames.respondents),
        contributions=shuffled(frames.contributions),
    )
    first = compute_long(frames, catalogue, months, declared)
    second = compute_long(reordered, catalogue, months, declared)
    raw_a = first["value"].to_numpy(dtype=float, na_value=np.nan)
    raw_b = second["value"].to_numpy(dtype=float, na_value=np.nan)
    # The order matters to the last bits (measured: hundreds of values differ by ~1e-15)...
    assert np.nanmax(np.abs(raw_a - raw_b)) < 1e-12
    # ...and not at all once rounded as stored.
    assert stored_precision(first)["value"].equals(stored_precision(second)["value"])
