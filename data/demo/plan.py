"""Territory plans: everything fixed about a territory before its history is drawn.

The configured territories come first, with their configured story, places and partners;
beyond them, synthetic territories ``demo-0019``… get a department, a start date and a story
drawn from their own random stream.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from data.config import AppConfig
from data.demo.month_indexes import last_wave_month
from data.demo.stories import CONFIGURED_STORIES, Story, random_story
from data.demo.vocabulary import (
    CONFIGURED_PLACES,
    DEPARTMENTS,
    FDF_TEAMS,
    GENERIC_PLACES,
    INTERCOS,
    KIIF_MEMBERS,
    URBAN_TERRITORIES,
)
from data.domain.months import add_months


@dataclass(frozen=True)
class Plan:
    """Everything fixed about a territory before its history is drawn."""

    index: int
    id: str
    programme: str  # its programme's id
    name: str
    region: str
    department: str | None
    start: dt.date
    officer: str
    kiif: str
    synthetic: bool
    story: Story
    places: tuple[tuple[str, str], ...]
    interco: str
    urban: bool


def plan_territories(config: AppConfig, n: int, seed: int, end_month: dt.date) -> list[Plan]:
    """The plans of ``n`` territories whose history ends at ``end_month`` (a first of month):
    the configured territories first, programme after programme, then synthetic ones
    (``demo-0019``…) in the first programme."""
    plans: list[Plan] = []
    configured = config.territories[:n]
    for index, territory in enumerate(configured):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index, 0)))
        story = CONFIGURED_STORIES.get(territory.id)
        if story is None:
            story = random_story(rng) if index else Story("grow", mid=11.0, scale=4.5)
        places = CONFIGURED_PLACES.get(territory.id) or _generic_places(rng)
        plans.append(
            Plan(
                index=index,
                id=territory.id,
                programme=config.programme_of(territory.id).id,
                name=territory.name,
                region=territory.region,
                department=territory.department,
                start=territory.start_date,
                officer=territory.binome.foundation_officer,
                kiif=territory.binome.kiif_member,
                synthetic=False,
                story=story,
                places=places,
                interco=INTERCOS.get(territory.id) or _default_interco(places),
                urban=territory.id in URBAN_TERRITORIES,
            )
        )
    first = config.programmes[0].programme
    full = last_wave_month(first.duration_months, first.survey_interval_months)
    for index in range(len(configured), n):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index, 0)))
        number = index + 1
        department, region, _phrase = DEPARTMENTS[(number - 7) % len(DEPARTMENTS)]
        # Most synthetic territories have a complete history (all waves) before end_month.
        if rng.random() < 0.85:
            offset = full + int(rng.integers(0, 19))
        else:
            offset = int(rng.integers(6, full))
        places = _generic_places(rng)
        plans.append(
            Plan(
                index=index,
                id=f"demo-{number:04d}",
                programme=first.id,
                name=f"Territoire démo {number}",
                region=region,
                department=department,
                start=add_months(end_month, -offset),
                officer=f"Fondation de France {FDF_TEAMS.get(region, 'Grand Ouest')}",
                kiif=KIIF_MEMBERS.get(region, "Le Kiif (membre associé)"),
                synthetic=True,
                story=random_story(rng),
                places=places,
                interco=_default_interco(places),
                urban=False,
            )
        )
    return plans


def _generic_places(rng: np.random.Generator) -> tuple[tuple[str, str], ...]:
    count = int(rng.integers(3, 6))
    chosen = rng.choice(len(GENERIC_PLACES), size=count, replace=False)
    return tuple((GENERIC_PLACES[i], GENERIC_PLACES[i]) for i in chosen)


def _default_interco(places: tuple[tuple[str, str], ...]) -> str:
    """The intercommunality of a territory without a configured one, named after its main
    place."""
    return f"Communauté de communes du Pays de {places[0][1]}"
