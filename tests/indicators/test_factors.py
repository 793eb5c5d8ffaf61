"""Factor scores (Wilder), strong factors, trust, resource pooling."""

from __future__ import annotations

import pytest

from indicators.factors import (
    NOTE_NO_FACTOR_SCORE,
    NOTE_NO_SCORE,
    NOTE_NO_TRUST,
    trust_percent,
)
from indicators.network import NOTE_NO_ANSWER

FACTORS = {
    "confiance": "conf",
    "vision": "vis",
    "pouvoir_agir": "pa",
    "communication": "com",
    "gouvernance": "gov",
    "ressources": "res",
    "ancrage": "anc",
}


def test_factor_score_is_a_mean_of_respondent_means(builder, prep_of, wave_value):
    builder.actors({"A": "association", "B": "etat"})
    wave = builder.wave(0)
    builder.respond(wave, "A", likert={"conf_1": 4, "conf_2": 5})  # (4+5)/2 = 4.5
    builder.respond(wave, "A", likert={"conf_1": 3})  # one answer of 3: not kept
    builder.respond(wave, "B", likert={"conf_1": 2, "conf_2": 3, "conf_3": 4})  # 3.0
    prep = prep_of(builder.build())
    # (4.5 + 3.0) / 2 respondents = 3.75 — respondents, not organisations, are averaged.
    assert wave_value(prep, "factor_confiance", wave) == (3.75, 2, None)
    assert wave_value(prep, "factor_vision", wave) == (None, 0, NOTE_NO_FACTOR_SCORE)


def test_every_factor_reads_its_own_items(builder, prep_of, wave_value):
    builder.actors({"A": "association"})
    wave = builder.wave(0)
    likert = {}
    for score, prefix in enumerate(FACTORS.values(), start=1):
        value = min(score, 5)
        likert.update({f"{prefix}_1": value, f"{prefix}_2": value, f"{prefix}_3": value})
    builder.respond(wave, "A", likert=likert)
    prep = prep_of(builder.build())
    for score, factor in enumerate(FACTORS, start=1):
        assert wave_value(prep, f"factor_{factor}", wave) == (min(score, 5), 1, None)


def test_strong_factor_share(builder, prep_of, wave_value):
    builder.actors({"A": "association"})
    wave = builder.wave(0)
    # confiance 4.0 (strong, exactly at the threshold), vision 5, pouvoir_agir 3.5,
    # communication 4.5; the three other factors unanswered.
    builder.respond(
        wave,
        "A",
        likert={
            "conf_1": 4, "conf_2": 4, "vis_1": 5, "vis_2": 5,
            "pa_1": 3, "pa_2": 4, "com_1": 4, "com_2": 5,
        },
    )  # fmt: skip
    prep = prep_of(builder.build())
    # 3 of the 4 factors with a score are ≥ 4.
    assert wave_value(prep, "strong_factor_share", wave) == (0.75, 4, None)


def test_strong_factor_share_without_scores(builder, prep_of, wave_value):
    builder.actors({"A": "association"})
    answered = builder.wave(0)
    builder.respond(answered, "A", likert={"conf_1": 5})
    empty = builder.wave(1)
    prep = prep_of(builder.build())
    assert wave_value(prep, "strong_factor_share", answered) == (None, 0, NOTE_NO_SCORE)
    assert wave_value(prep, "strong_factor_share", empty) == (None, 0, NOTE_NO_ANSWER)


def test_trust_score_over_ratings(builder, prep_of, wave_value):
    builder.actors({"A": "association", "B": "etat", "C": "habitant", "D": "autre"})
    wave = builder.wave(0)
    builder.respond(
        wave,
        "A",
        ratings={
            "B": (2, (4, 3, None)),  # mean of answered items: 3.5
            "C": (1, (2, 2, 2)),  # 2.0
            "D": (1, (1, 1, 1)),  # D is listed but silent: its rating still counts → 1.0
            "A": (5, (4, 4, 4)),  # oneself: ignored
        },
    )
    builder.respond(wave, "B", ratings={"A": 0, "C": (1, (None, None, None))})  # no trust
    builder.respond(wave, "C")
    prep = prep_of(builder.build())
    # (3.5 + 2.0 + 1.0) / 3 ratings.
    assert wave_value(prep, "trust_score", wave) == (pytest.approx(6.5 / 3), 3, None)
    assert trust_percent(4.0) == 1.0 and trust_percent(2.5) == 0.5


def test_trust_score_without_trust(builder, prep_of, wave_value):
    builder.actors({"A": "association", "B": "etat"})
    wave = builder.wave(0)
    builder.respond(wave, "A", ratings={"B": 0})
    prep = prep_of(builder.build())
    assert wave_value(prep, "trust_score", wave) == (None, 0, NOTE_NO_TRUST)


def test_resource_pooling(builder, prep_of, wave_value):
    builder.actors(dict.fromkeys("ABCD", "association"))
    wave = builder.wave(0)
    builder.respond(wave, "A", contrib=["financement", "locaux"])
    builder.respond(wave, "B")
    builder.respond(wave, "B", contrib=["benevoles"])  # one of B's respondents brings some
    builder.respond(wave, "C")
    builder.respond(wave, "D")
    prep = prep_of(builder.build())
    # Nodes bringing a resource: A, B → 2 of 4.
    assert wave_value(prep, "resource_pooling", wave) == (0.5, 4, None)
