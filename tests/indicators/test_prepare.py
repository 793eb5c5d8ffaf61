"""Shared intermediates: nodes, L(i→j), pairs, factor scores, trust, waves and months."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from indicators.keys import NO_MONTH, OPEN_END, month_index
from indicators.prepare import month_grid


def test_month_index_accepts_dates_timestamps_strings_and_nulls():
    values = pd.Series(
        [dt.date(1970, 1, 31), pd.Timestamp("1971-02-03"), "2024-12-01", None], dtype=object
    )
    # Months since 1970-01: 0, 13, 54·12 + 11 = 659; null → the sentinel asked.
    assert month_index(values).tolist() == [0, 13, 659, NO_MONTH]
    assert month_index(values, missing=OPEN_END)[-1] == OPEN_END


def test_nodes_are_listed_organisations_with_a_respondent(builder, prep_of):
    builder.actors({"A": "association", "B": "etat", "C": "habitant"})
    wave = builder.wave(0)
    builder.respond(wave, "A")
    builder.respond(wave, "A")
    builder.respond(wave, "B")
    prep = prep_of(builder.build())
    # Two respondents of A are one node; C did not answer.
    assert sorted(prep.nodes["actor_id"]) == [builder.actor("A"), builder.actor("B")]
    row = prep.waves.set_index("wave_id").loc[wave]
    assert (int(row["n_respondents"]), int(row["n_nodes"])) == (3, 2)


def test_pairs_hold_both_directions_and_the_max(builder, prep_of):
    builder.actors({"A": "association", "B": "etat", "C": "habitant", "D": "autre"})
    wave = builder.wave(0)
    builder.respond(wave, "A", ratings={"B": 1, "C": 3, "D": 4})
    builder.respond(wave, "A", ratings={"B": 2})
    builder.respond(wave, "B", ratings={"A": 5})
    builder.respond(wave, "C")
    pairs = prep_of(builder.build()).pairs_frame()
    a, b, c = (builder.actor(o) for o in "ABC")
    got = {
        (r.actor_a, r.actor_b): (int(r.l_ab), int(r.l_ba), int(r.level)) for r in pairs.itertuples()
    }
    # A–B: L(A→B) = max(1, 2) = 2, L(B→A) = 5 → level 5. A–C: only A→C 3 (−1 = no rating).
    # A–D: D is listed but not a node → no pair.
    assert got == {(a, b): (2, 5, 5), (a, c): (3, -1, 3)}


def test_dropped_ratings_are_counted_per_wave(builder, prep_of):
    builder.actors({"A": "association", "B": "etat"})
    builder.actors({"Z": "etat"}, territory="elsewhere")
    wave = builder.wave(0)
    builder.respond(
        wave, "A", ratings={"A": 4, "B": 2, builder.actor("Z", "elsewhere"): 1, 424242: 3}
    )
    builder.respond(wave, "B")
    frames = builder.build()
    # A rating by a respondent who does not exist is an orphan, counted globally.
    orphan = frames.ratings.iloc[[0]].assign(respondent_id=777777)
    frames = frames.replace(ratings=pd.concat([frames.ratings, orphan], ignore_index=True))
    prep = prep_of(frames)
    dropped = prep.dropped.set_index("wave_id").loc[wave]
    assert int(dropped["self_ratings"]) == 1
    assert int(dropped["unlisted_ratings"]) == 2  # another territory's actor, an unknown id
    assert prep.orphan_ratings == 1
    assert len(prep.pairs) == 1


def test_respondent_factor_scores_need_two_answers(builder, prep_of):
    builder.actors({"A": "association"})
    wave = builder.wave(0)
    r1 = builder.respond(wave, "A", likert={"conf_1": 4, "conf_2": 5, "vis_1": 2})
    r2 = builder.respond(wave, "A", likert={"conf_1": 1, "conf_2": 2, "conf_3": 3})
    scores = prep_of(builder.build()).respondent_factors()
    got = {(r.respondent_id, r.factor): r.score for r in scores.itertuples()}
    # r1: confiance (4+5)/2 = 4.5; vision has one answer only → no score. r2: (1+2+3)/3 = 2.
    assert got == {(r1, "confiance"): 4.5, (r2, "confiance"): 2.0}


def test_trust_sum_counts_ratings_with_trust(builder, prep_of):
    builder.actors({"A": "association", "B": "etat", "C": "autre"})
    wave = builder.wave(0)
    builder.respond(wave, "A", ratings={"B": (2, (4, 2, None)), "C": 0})
    builder.respond(wave, "B")
    prep = prep_of(builder.build())
    # One rating with trust: mean of 4 and 2 = 3; the level-0 rating has none.
    assert (prep.trust_sum.tolist(), prep.trust_n.tolist()) == ([3.0], [1])


def test_reference_month_and_previous_answered_wave(builder, prep_of):
    builder.actors({"A": "association"})
    w0 = builder.wave(0)
    builder.respond(w0, "A", date="2024-01-20")
    builder.respond(w0, "A", date="2024-03-02")  # late answer: the reference month is March
    w1 = builder.wave(1)  # never answered
    w2 = builder.wave(2)
    builder.respond(w2, "A", date="2025-01-05")
    waves = prep_of(builder.build()).waves.set_index("wave_id")
    assert waves.loc[w0, "ref_month"] == pd.Timestamp("2024-03-01")
    assert pd.isna(waves.loc[w1, "ref_month"])
    codes = {wave_id: code for code, wave_id in enumerate(waves.index)}
    assert waves.loc[w0, "prev"] == -1
    assert waves.loc[w2, "prev"] == codes[w0]  # the unanswered wave 1 is skipped


def test_month_grid_holds_a_wave_until_the_next(builder, prep_of):
    builder.actors({"A": "association"})
    w0 = builder.wave(0)
    builder.respond(w0, "A", date="2024-03-10")
    w1 = builder.wave(1)
    builder.respond(w1, "A", date="2024-09-10")
    prep = prep_of(builder.build())
    months = ["2024-02-01", "2024-03-01", "2024-08-01", "2024-09-01", "2025-01-01"]
    grid = month_grid(prep, {"t": [dt.date.fromisoformat(m) for m in months], "new": months})
    codes = {int(w): i for i, w in enumerate(prep.waves["wave_id"])}
    got = dict(
        zip(
            zip(grid.territory_id.tolist(), grid.month.astype(str).tolist(), strict=True),
            grid.wave.tolist(),
            strict=True,
        )
    )
    assert got[("t", "2024-02-01T00:00:00")] == -1
    assert got[("t", "2024-03-01T00:00:00")] == codes[w0]
    assert got[("t", "2024-08-01T00:00:00")] == codes[w0]
    assert got[("t", "2024-09-01T00:00:00")] == codes[w1]
    assert got[("t", "2025-01-01T00:00:00")] == codes[w1]
    # A territory absent from every frame has no wave and an unknown territory code.
    assert set(grid.wave[grid.territory_id == "new"]) == {-1}
    assert set(grid.t_code[grid.territory_id == "new"]) == {-1}


def test_month_grid_prefers_the_higher_wave_in_the_same_month(builder, prep_of):
    builder.actors({"A": "association"})
    w0 = builder.wave(0)
    builder.respond(w0, "A", date="2024-03-28")
    w1 = builder.wave(1)
    builder.respond(w1, "A", date="2024-03-02")
    prep = prep_of(builder.build())
    grid = month_grid(prep, pd.DataFrame({"territory_id": ["t"], "month": ["2024-03-15"]}))
    assert prep.waves["wave_id"].to_numpy()[grid.wave[0]] == w1
    # A day inside a month is taken as that month.
    assert grid.month[0] == np.datetime64("2024-03-01")


def test_month_grid_rejects_a_non_date(builder, prep_of):
    prep = prep_of(builder.build())
    with pytest.raises(ValueError, match="month"):
        month_grid(prep, {"t": ["not a date"]})
