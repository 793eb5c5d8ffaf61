"""A territory's actors list: organisations by sector and place, with French names, and the
latent traits their survey answers, attendance and partnerships are drawn from.

:func:`draw_actors` fills the ``actor`` table and returns :class:`Actors`, the arrays the other
draws share; :func:`weighted_sample` picks actors in proportion to a weight.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np

from data.demo.plan import Plan
from data.demo.tables import Tables
from data.demo.vocabulary import (
    FANCY,
    FIRST_NAMES,
    NAME_TEMPLATES,
    SURNAMES,
    URBAN_COLLECTIVITE,
    with_de,
)

# Share of each sector among a territory's actors (brief: association ~35 %, …).
SECTOR_SHARES: dict[str, float] = {
    "association": 0.35,
    "entreprise": 0.18,
    "collectivite": 0.15,
    "habitant": 0.15,
    "etat": 0.09,
    "autre": 0.08,
}

# How central each sector's organisations tend to be in a local cooperation.
_SECTOR_ACTIVITY: dict[str, float] = {
    "association": 0.15,
    "entreprise": -0.2,
    "collectivite": 0.25,
    "habitant": -0.1,
    "etat": 0.05,
    "autre": -0.15,
}
SECTORS = tuple(SECTOR_SHARES)  # the order of the sector codes in every frame
SECTOR_CODE = {sector: code for code, sector in enumerate(SECTORS)}
# Spread of the latent pair affinity; calibrated with the roster thresholds of data.demo.survey.
_PAIR_SD = 0.85

# Organisations that drive a cooperation more than others (activity bonus).
_HUB_PREFIXES = ("Mairie", "Centre social", "CCAS", "Mission locale", "Ville de", "{x}")
_SLUG_STOPWORDS = frozenset(
    {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "fils"}
)
_SLUG_ABBREVIATIONS = {"association": "asso", "communaute": "cc", "agglomeration": "agglo"}


@dataclass(frozen=True)
class Actors:
    """One territory's actors, by position in its list (0 … n − 1)."""

    ids: np.ndarray  # actor.id
    sectors: np.ndarray  # sector codes
    names: list[str]
    activity: np.ndarray  # how central an organisation is in the cooperation
    engagement: np.ndarray  # propensity to answer surveys and attend workshops
    entry: np.ndarray  # month the organisation joins the actors list
    affinity: np.ndarray  # symmetric latent pair affinity


def draw_actors(tables: Tables, plan: Plan, rng: np.random.Generator, months: int) -> Actors:
    """Draw the actors list of a territory whose history lasts ``months`` months, add it to
    the ``actor`` table and return it."""
    n = int(np.clip(round(rng.normal(58, 11)), 30, 80))
    shares = np.array(list(SECTOR_SHARES.values()))
    counts = np.maximum(1, np.floor(shares * n)).astype(int)
    while counts.sum() < n:
        counts[rng.choice(len(counts), p=shares)] += 1
    while counts.sum() > n:
        counts[int(np.argmax(counts))] -= 1
    sectors = np.repeat(np.arange(len(SECTORS)), counts)
    places = plan.places
    # The main place gets more organisations.
    place_weights = np.array([2.0] + [1.0] * (len(places) - 1))
    place_of = rng.choice(len(places), size=n, p=place_weights / place_weights.sum())
    names: list[str] = []
    hubs = np.zeros(n)
    for sector_code, sector in enumerate(SECTORS):
        templates = NAME_TEMPLATES[sector]
        if sector == "collectivite" and plan.urban:
            templates = URBAN_COLLECTIVITE
        members = np.flatnonzero(sectors == sector_code)
        order = rng.permutation(len(templates))
        for k, actor in enumerate(members):
            template = templates[order[k % len(templates)]]
            fields = {
                "c": places[place_of[actor]][1],
                "dc": with_de(places[place_of[actor]][1]),
                "f": FANCY[rng.integers(len(FANCY))],
                "s": SURNAMES[rng.integers(len(SURNAMES))],
                "p": FIRST_NAMES[rng.integers(len(FIRST_NAMES))],
                "i": "ABCDEFGHJLMNPRSTV"[rng.integers(17)],
                "x": plan.interco,
            }
            names.append(template.format(**fields))
            hubs[actor] = 0.5 if template.startswith(_HUB_PREFIXES) else 0.0
    # The interco has no commune; other organisations have theirs.
    communes = np.array([places[p][0] for p in place_of], dtype=object)
    communes[[name == plan.interco for name in names]] = None
    seen: dict[str, int] = {}
    org_ids = []
    for name in names:
        slug = _slug(name)
        seen[slug] = seen.get(slug, 0) + 1
        org_ids.append(slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
    ids = tables.ids("actor", n)
    tables["actor"].add(
        id=ids,
        territory_id=np.full(n, plan.id, dtype=object),
        org_id=org_ids,
        name=names,
        sector=sectors,
        commune=communes,
    )
    sector_bonus = np.array([_SECTOR_ACTIVITY[s] for s in SECTORS])[sectors]
    activity = rng.normal(0.0, 0.35, n) + sector_bonus + hubs
    # Most actors are on the list from the start; the portrait sensible adds the others.
    entry = np.where(rng.random(n) < 0.85, 0, rng.integers(1, max(2, min(6, months)), n)).astype(
        int
    )
    entry[rng.permutation(n)[:2]] = 0  # never an empty list at month 0
    pair = rng.normal(0.0, 1.0, (n, n))
    same_sector = sectors[:, None] == sectors[None, :]
    same_place = place_of[:, None] == place_of[None, :]
    affinity = (
        _PAIR_SD * (pair + pair.T) / math.sqrt(2.0)
        + 0.5 * (activity[:, None] + activity[None, :])
        + 0.2 * same_sector
        + 0.15 * same_place
    )
    return Actors(
        ids=ids,
        sectors=sectors,
        names=names,
        activity=activity,
        engagement=rng.normal(0.0, 0.9, n) + activity,
        entry=entry,
        affinity=affinity,
    )


def weighted_sample(
    rng: np.random.Generator, pool: np.ndarray, weights: np.ndarray, size: int
) -> np.ndarray:
    """``size`` distinct items of ``pool`` drawn with probability ∝ weight (Gumbel top-k)."""
    if size <= 0:
        return pool[:0]
    if size >= len(pool):
        return pool
    keys = np.log(weights) - np.log(-np.log(rng.random(len(pool))))
    return pool[np.argpartition(-keys, size - 1)[:size]]


def _slug(text_: str) -> str:
    """An organisation's id from its name: « Foyer rural de Tende » → ``foyer-rural-tende``."""
    plain = unicodedata.normalize("NFKD", text_).encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    words = [_SLUG_ABBREVIATIONS.get(w, w) for w in words if w not in _SLUG_STOPWORDS]
    return "-".join(words[:6]) or "org"
