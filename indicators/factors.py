"""Factor scores (Wilder), trust (PARTNER) and resource pooling, per wave."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from indicators.bands import EPSILON
from indicators.network import NOTE_NO_ANSWER, NOTE_NO_NODE
from indicators.prepare import Prepared
from indicators.registry import indicator
from indicators.results import notes, safe_divide, wave_result

# The seven factors of the questionnaire, in the order of survey.yaml.
FACTOR_IDS = (
    "confiance",
    "vision",
    "pouvoir_agir",
    "communication",
    "gouvernance",
    "ressources",
    "ancrage",
)
STRONG_FACTOR = 4.0
NOTE_NO_FACTOR_SCORE = "aucun répondant n'a répondu à au moins 2 des 3 questions de ce facteur"
NOTE_FACTOR_NOT_ASKED = "facteur absent du questionnaire configuré"
NOTE_NO_SCORE = "aucun score de facteur calculable"
NOTE_NO_TRUST = "aucune évaluation de confiance"


def factor_score(prep: Prepared, factor_id: str) -> pd.DataFrame:
    """Mean over respondents of their factor score (mean of the factor's answered items, kept
    when ≥ 2 are answered), 1–5; n = respondents kept."""
    size = prep.n_waves
    if factor_id not in prep.factor_ids:
        note = notes(size, (np.ones(size, dtype=bool), NOTE_FACTOR_NOT_ASKED))
        return wave_result(prep.wave_ids, np.full(size, np.nan), np.zeros(size), note)
    f = prep.factor_ids.index(factor_id)
    n = prep.factor_n[:, f]
    note = notes(
        size,
        (prep.waves["n_respondents"].to_numpy() == 0, NOTE_NO_ANSWER),
        (n == 0, NOTE_NO_FACTOR_SCORE),
    )
    return wave_result(prep.wave_ids, prep.factor_mean[:, f], n, note)


def _register_factor(factor_id: str) -> Callable[[Prepared], pd.DataFrame]:
    def compute(prep: Prepared) -> pd.DataFrame:
        return factor_score(prep, factor_id)

    compute.__name__ = compute.__qualname__ = f"factor_{factor_id}"
    compute.__doc__ = (
        f"Factor score « {factor_id} » (1–5): mean over respondents of the mean of their "
        "answered items, a respondent counting when ≥ 2 of the 3 are answered; n = respondents."
    )
    return indicator(f"factor_{factor_id}", basis="wave")(compute)


factor_confiance = _register_factor("confiance")
factor_vision = _register_factor("vision")
factor_pouvoir_agir = _register_factor("pouvoir_agir")
factor_communication = _register_factor("communication")
factor_gouvernance = _register_factor("gouvernance")
factor_ressources = _register_factor("ressources")
factor_ancrage = _register_factor("ancrage")


@indicator("strong_factor_share", basis="wave")
def strong_factor_share(prep: Prepared) -> pd.DataFrame:
    """Share of the factor scores (seven in the questionnaire) that are ≥ 4.0, among the
    factors that have a score this wave; n = number of factors with a score."""
    size = prep.n_waves
    has = prep.factor_n > 0
    n = has.sum(axis=1)
    strong = (has & (np.nan_to_num(prep.factor_mean) >= STRONG_FACTOR - EPSILON)).sum(axis=1)
    note = notes(
        size,
        (prep.waves["n_respondents"].to_numpy() == 0, NOTE_NO_ANSWER),
        (n == 0, NOTE_NO_SCORE),
    )
    return wave_result(prep.wave_ids, safe_divide(strong, n), n, note)


@indicator("trust_score", basis="wave")
def trust_score(prep: Prepared) -> pd.DataFrame:
    """Mean over ratings of the rating's trust score (mean of its answered trust items, 1–4);
    ratings of oneself or of organisations off the list are excluded, ratings of listed
    organisations that did not answer are included; n = ratings with trust."""
    size = prep.n_waves
    note = notes(
        size,
        (prep.waves["n_respondents"].to_numpy() == 0, NOTE_NO_ANSWER),
        (prep.trust_n == 0, NOTE_NO_TRUST),
    )
    return wave_result(prep.wave_ids, safe_divide(prep.trust_sum, prep.trust_n), prep.trust_n, note)


def trust_percent(score: float) -> float:
    """A trust score 1–4 shown as a percentage of the scale: (score − 1) / 3."""
    return (score - 1.0) / 3.0


@indicator("resource_pooling", basis="wave")
def resource_pooling(prep: Prepared) -> pd.DataFrame:
    """Share of nodes whose respondents ticked at least one resource type; n = nodes."""
    size = prep.n_waves
    node_wave = prep.nodes["wave"].to_numpy()
    contributing = np.bincount(node_wave[prep.node_contributes], minlength=size)
    nodes = prep.waves["n_nodes"].to_numpy()
    note = notes(
        size,
        (prep.waves["n_respondents"].to_numpy() == 0, NOTE_NO_ANSWER),
        (nodes == 0, NOTE_NO_NODE),
    )
    return wave_result(prep.wave_ids, safe_divide(contributing, nodes), nodes, note)
