"""Survey waves: who answers, their Likert answers, the resources they bring and their roster
ratings of the other actors, all drawn from the territory's maturity at the wave's month.

:func:`draw_survey` fills ``survey_wave``, ``respondent``, ``likert_answer``,
``resource_contribution`` and ``roster_rating``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from data.config import AppConfig, Programme
from data.demo.actors import SECTOR_CODE, SECTORS
from data.demo.history import History
from data.demo.month_indexes import month_days
from data.demo.stories import expit
from data.demo.tables import Tables

# Likert: value ≈ 2.2 + 2.3·m + factor offset + noise.
_FACTOR_OFFSETS = {
    "confiance": 0.0,
    "vision": -0.1,
    "pouvoir_agir": 0.15,
    "communication": -0.05,
    "gouvernance": -0.3,
    "ressources": -0.45,
    "ancrage": 0.4,
}
_LIKERT_MISSING = 0.05
# Resource types: base probability at m = 1 (before sector multipliers).
_RESOURCE_BASE = {
    "financement": 0.12,
    "nature": 0.3,
    "personnel": 0.3,
    "benevoles": 0.35,
    "donnees": 0.2,
    "expertise": 0.45,
    "reseau": 0.6,
    "locaux": 0.25,
    "animation": 0.3,
}
_RESOURCE_SECTOR = {
    "entreprise": {"financement": 2.0, "nature": 1.5, "benevoles": 0.3},
    "collectivite": {"financement": 2.5, "locaux": 2.0, "donnees": 1.6},
    "habitant": {"benevoles": 2.0, "financement": 0.1, "personnel": 0.1, "locaux": 0.3},
    "etat": {"donnees": 2.0, "expertise": 1.3, "benevoles": 0.2},
    "association": {"benevoles": 1.6, "animation": 1.5},
    "autre": {},
}
# Roster: a rating's latent score is pair affinity + rater noise + _TIE_SHIFT·m; its level is
# the number of thresholds below it. Calibrated so that the density of level ≥ 1 ties between
# responding organisations goes from ~0.1 to ~0.5 and level ≥ 3 from ~0.02 to ~0.2.
_TIE_THRESHOLDS = np.array([1.6, 2.1, 2.5, 2.95, 3.45])
_TIE_SHIFT = 1.55
_WAVE_DRIFT_SD = 0.3
_RATER_SD = 0.4
# Sectors whose organisations often answer with two people.
_LARGE_SECTORS = np.array([SECTOR_CODE["association"], SECTOR_CODE["collectivite"]])


@dataclass(frozen=True)
class SurveyModel:
    """What the survey draw takes from the configuration, in the frames' code order."""

    items: tuple[str, ...]  # Likert item ids
    item_offsets: np.ndarray  # each item's factor offset
    resources: tuple[str, ...]  # resource type ids
    resource_probs: np.ndarray  # (sector code, resource code) probability at m = 1
    duration: int  # months of the programme
    interval: int  # months between two waves

    @classmethod
    def from_config(cls, config: AppConfig, programme: Programme) -> SurveyModel:
        """The model of the survey of ``config`` in ``programme``."""
        survey = config.survey
        resources = tuple(r.id for r in survey.resource_types)
        return cls(
            items=survey.likert_items,
            item_offsets=np.array(
                [_FACTOR_OFFSETS.get(f.id, 0.0) for f in survey.factors for _ in f.items]
            ),
            resources=resources,
            resource_probs=np.array(
                [
                    [
                        _RESOURCE_BASE.get(r, 0.3) * _RESOURCE_SECTOR[s].get(r, 1.0)
                        for r in resources
                    ]
                    for s in SECTORS
                ]
            ),
            duration=programme.duration_months,
            interval=programme.survey_interval_months,
        )


def draw_survey(tables: Tables, model: SurveyModel, history: History) -> None:
    """Draw every wave of a territory's history up to its end month, each from the maturity at
    the wave's month."""
    plan, rng, maturity, actors = history.plan, history.rng, history.maturity, history.actors
    start_index, end_index = history.start_index, history.end_index
    n = len(actors.ids)
    wave_months = [
        t for t in range(0, model.duration + 1, model.interval) if start_index + t <= end_index
    ]
    if not wave_months:
        return
    wave_ids = tables.ids("survey_wave", len(wave_months))
    starts = month_days(np.array(wave_months) + start_index)
    ends = month_days(np.array(wave_months) + start_index + 2) - np.timedelta64(1, "D")
    tables["survey_wave"].add(
        id=wave_ids,
        territory_id=np.full(len(wave_months), plan.id, dtype=object),
        number=np.arange(len(wave_months)),
        window_start=starts,
        window_end=ends,
    )
    last_day = month_days(end_index + 1) - np.timedelta64(1, "D")
    territory_offset = rng.normal(0.0, 0.12)
    columns = np.arange(n)
    for number, (t, wave_id) in enumerate(zip(wave_months, wave_ids, strict=True)):
        m = float(maturity[t])
        listed = actors.entry <= t
        rate = 0.36 + 0.44 * m
        if plan.story.kind == "regress" and plan.story.leave <= t < plan.story.recover + 3:
            rate *= 0.8  # nobody left to chase answers after the facilitator's departure
        p_answer = expit(_logit(rate) + 0.8 * (actors.engagement - actors.engagement.mean()))
        answering = np.flatnonzero(listed & (rng.random(n) < p_answer))
        # Some organisations answer twice (two people of the same organisation).
        p_second = np.where(np.isin(actors.sectors[answering], _LARGE_SECTORS), 0.2, 0.08)
        second = answering[rng.random(len(answering)) < p_second]
        org = np.concatenate([answering, second])
        count = len(org)
        if count == 0:
            continue
        window = int((ends[number] - starts[number]).astype(int)) + 1
        days = np.floor(rng.beta(1.6, 2.6, count) * window).astype(int)
        submitted = np.minimum(starts[number] + days, last_day)
        order = np.argsort(submitted, kind="stable")
        org, submitted = org[order], submitted[order]
        resp_ids = tables.ids("respondent", count)
        multiplier = int(rng.integers(1, 1 << 23)) * 2 + 1
        shift = int(rng.integers(0, 1 << 24))
        hashes = (np.arange(count, dtype=np.int64) * multiplier + shift) & 0xFFFFFF
        keys = [f"R-{number}-{h:06x}" for h in hashes.tolist()]
        tables["respondent"].add(
            id=resp_ids,
            wave_id=np.full(count, wave_id),
            respondent_key=keys,
            actor_id=actors.ids[org],
            sector=actors.sectors[org],
            submitted_at=submitted,
        )
        # Likert: 21 items, ~5 % missing, a few respondents abandon midway.
        n_items = len(model.items)
        person = rng.normal(0.0, 0.45, count)
        raw = (
            2.2
            + 2.3 * m
            + territory_offset
            + model.item_offsets[None, :]
            + person[:, None]
            + rng.normal(0.0, 0.55, (count, n_items))
        )
        values = np.clip(np.rint(raw), 1, 5).astype(np.int64)
        answered = rng.random((count, n_items)) >= _LIKERT_MISSING
        abandon = rng.random(count) < 0.03
        cut = rng.integers(3, n_items, count)
        answered &= ~(abandon[:, None] & (np.arange(n_items)[None, :] >= cut[:, None]))
        rr, ii = np.nonzero(answered)
        tables["likert_answer"].add(respondent_id=resp_ids[rr], item=ii, value=values[rr, ii])
        # Resources: probability rises with maturity.
        probs = np.clip(model.resource_probs[actors.sectors[org]] * (0.3 + 0.9 * m), 0.0, 0.95)
        rr, kk = np.nonzero(rng.random(probs.shape) < probs)
        tables["resource_contribution"].add(respondent_id=resp_ids[rr], resource_type=kk)
        # Roster: each respondent rates ~75 % of the other listed actors.
        drift = rng.normal(0.0, _WAVE_DRIFT_SD, (n, n))
        drift = (drift + drift.T) / math.sqrt(2.0)
        coverage = rng.uniform(0.6, 0.9, count)
        skipped = rng.random(count) < 0.03
        rated = (
            listed[None, :]
            & (columns[None, :] != org[:, None])
            & (rng.random((count, n)) < coverage[:, None])
            & ~skipped[:, None]
        )
        rr, cc = np.nonzero(rated)
        score = (
            actors.affinity[org[rr], cc]
            + drift[org[rr], cc]
            + rng.normal(0.0, _RATER_SD, len(rr))
            + _TIE_SHIFT * m
        )
        level = np.searchsorted(_TIE_THRESHOLDS, score, side="right").astype(np.int64)
        rater = rng.normal(0.0, 0.3, count)
        base = 1.5 + 1.4 * m + 0.3 * (level - 1) + rater[rr]
        trust = []
        for item_offset in (0.0, -0.1, 0.15):
            value = np.clip(np.rint(base + item_offset + rng.normal(0, 0.45, len(rr))), 1, 4)
            trust.append(np.where(level >= 1, value, np.nan))
        tables["roster_rating"].add(
            respondent_id=resp_ids[rr],
            rated_actor_id=actors.ids[cc],
            level=level,
            trust_reliable=trust[0],
            trust_mission=trust[1],
            trust_open=trust[2],
        )


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))
