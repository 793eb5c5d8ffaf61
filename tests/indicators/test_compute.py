"""The long table: survey values held from wave to wave, journal values, status and stage."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from indicators.catalogue import CatalogueError
from indicators.compute import LONG_COLUMNS, NOTE_NO_SURVEY_YET, compute_long
from indicators.registry import registry

MONTHS = [dt.date(2024, m, 1) for m in range(1, 13)]


@pytest.fixture
def territory(builder):
    builder.actors({"A": "association", "B": "entreprise", "C": "collectivite", "D": "habitant"})
    w0 = builder.wave(0)
    # Wave 0, answered from 20 Feb to 5 Mar → reference month March 2024.
    builder.respond(w0, "A", date="2024-02-20", ratings={"B": 1}, likert={"conf_1": 4, "conf_2": 4})
    builder.respond(w0, "B", date="2024-02-25", ratings={"C": 3}, likert={"conf_1": 5, "conf_2": 5})
    builder.respond(w0, "C", date="2024-03-05", likert={"conf_1": 3, "conf_2": 3})
    w1 = builder.wave(1)
    # Wave 1, September 2024: A, B, C, D; ties A–B 4 and C–D 3.
    builder.respond(w1, "A", date="2024-09-02", ratings={"B": 4})
    builder.respond(w1, "B", date="2024-09-03")
    builder.respond(w1, "C", date="2024-09-04", ratings={"D": 3})
    builder.respond(w1, "D", date="2024-09-05")
    builder.wave(2)  # created, never answered
    builder.journal("2024-04-01", interviews=(8, 10), rubric={"shared_question": 3})
    return builder.build()


@pytest.fixture
def long(territory, catalogue, prep_of):
    return compute_long(
        territory,
        catalogue,
        {"t": MONTHS, "fresh": MONTHS[:2]},
        prepared=prep_of(territory),
    )


def _cell(long, territory, month, indicator_id):
    rows = long[
        (long["territory_id"] == territory)
        & (long["month"] == pd.Timestamp(month))
        & (long["indicator_id"] == indicator_id)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_shape_and_columns(long, catalogue):
    assert tuple(long.columns) == LONG_COLUMNS
    assert len(long) == (12 + 2) * 32
    first = long[(long["territory_id"] == "t") & (long["month"] == pd.Timestamp("2024-01-01"))]
    assert first["indicator_id"].tolist() == list(catalogue.indicators)
    assert long["n"].dtype == np.int64 and long["low_n"].dtype == bool
    assert str(long["value"].dtype) == "Float64" and str(long["wave_number"].dtype) == "Int64"
    # Never a silent NaN: a value is missing exactly where a note says why.
    assert (long["value"].isna() == long["note"].notna()).all()
    expected_stage = long["indicator_id"].map(lambda i: catalogue[i].stage)
    assert (long["stage"] == expected_stage).all()


def test_survey_values_hold_from_wave_to_wave(long):
    before = _cell(long, "t", "2024-02-01", "interconnaissance_density")
    assert pd.isna(before["value"]) and before["note"] == NOTE_NO_SURVEY_YET
    assert pd.isna(before["wave_number"]) and before["n"] == 0
    # Wave 0 (March–August): ties A–B, B–C among 3 nodes → 2/3.
    for month in ("2024-03-01", "2024-08-01"):
        cell = _cell(long, "t", month, "interconnaissance_density")
        assert (cell["value"], cell["n"], cell["wave_number"]) == (pytest.approx(2 / 3), 3, 0)
    # Wave 1 (September on; wave 2 was never answered): 2 ties of 6 pairs.
    for month in ("2024-09-01", "2024-12-01"):
        cell = _cell(long, "t", month, "interconnaissance_density")
        assert (cell["value"], cell["n"], cell["wave_number"]) == (pytest.approx(1 / 3), 4, 1)


def test_journal_values_have_no_wave(long):
    april = _cell(long, "t", "2024-04-01", "portrait_progress")
    assert (april["value"], april["n"]) == (0.8, 10) and pd.isna(april["wave_number"])
    may = _cell(long, "t", "2024-05-01", "governance_milestones")
    assert pd.isna(may["value"]) and may["note"] == "pas de journal ce mois-ci"


def test_low_n_and_status(long):
    # Confiance at wave 0: (4 + 5 + 3) / 3 = 4.0 from 3 respondents: « force », small n.
    cell = _cell(long, "t", "2024-03-01", "factor_confiance")
    assert (cell["value"], cell["n"], cell["low_n"], cell["status"]) == (4.0, 3, True, "strength")
    # Inferred stage is emergence (nothing met): later-stage indicators are « à venir ».
    assert _cell(long, "t", "2024-03-01", "coordination_density")["status"] == "upcoming"
    assert _cell(long, "t", "2024-03-01", "retention")["status"] == "upcoming"
    missing = _cell(long, "t", "2024-01-01", "factor_confiance")
    assert missing["status"] is None and not missing["low_n"]


def test_a_territory_without_any_data(long):
    fresh = long[long["territory_id"] == "fresh"]
    assert len(fresh) == 2 * 32
    survey = fresh[fresh["indicator_id"] == "factor_pouvoir_agir"]
    assert (survey["note"] == NOTE_NO_SURVEY_YET).all()
    joint = fresh[fresh["indicator_id"] == "multisector_joint_actions"]
    assert joint["value"].tolist() == [0.0, 0.0]


def test_given_stage_sets_the_grid(territory, catalogue, prep_of):
    stages = {
        ("t", dt.date(2024, 3, 1)): "consolidation",
        ("t", "2024-04-01"): "not-a-stage",  # unknown: falls back to the inferred stage
    }
    long = compute_long(
        territory, catalogue, {"t": MONTHS[2:4]}, stages, prepared=prep_of(territory)
    )
    march = _cell(long, "t", "2024-03-01", "coordination_density")
    # 1 tie ≥ 3 of 3 pairs = 0.33 against consolidation's grid: « force ».
    assert (march["value"], march["status"]) == (pytest.approx(1 / 3), "strength")
    assert _cell(long, "t", "2024-03-01", "retention")["status"] == "upcoming"
    assert _cell(long, "t", "2024-04-01", "coordination_density")["status"] == "upcoming"
    as_frame = pd.DataFrame(
        {"territory_id": ["t"], "month": ["2024-04-01"], "stage": ["coalition"]}
    )
    long = compute_long(territory, catalogue, {"t": MONTHS[3:4]}, as_frame)
    # Coalition grid: robustness of the path A–B–C (remove B → 1/2) reads « à discuter ».
    robustness = _cell(long, "t", "2024-04-01", "network_robustness")
    assert (robustness["value"], robustness["status"]) == (0.5, "discuss")


def test_registry_mismatch_is_refused(territory, catalogue):
    functions = dict(registry())
    del functions["retention"]
    with pytest.raises(CatalogueError, match="retention"):
        compute_long(territory, catalogue, {"t": MONTHS}, functions=functions)
