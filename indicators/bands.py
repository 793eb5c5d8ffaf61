"""Status bands: how a value reads for a territory at a given stage.

- The indicator belongs to a later stage than the territory's → ``upcoming`` (« à venir »,
  shown greyed as a readiness signal, never as a failure), whatever the value.
- No value → status ``None`` (the note says why).
- ``neutral`` direction → ``unrated`` (« sans seuil »).
- Otherwise the thresholds that apply to the territory's stage (``bands.<stage>``, else
  ``bands.default``) give ``strength`` (« force »), ``discuss`` (« à discuter ») or ``watch``
  (« point de vigilance »). Comparisons allow 1e-9 of rounding error.
- ``low_n``: the value is given but rests on fewer than ``min_n`` units (respondents, nodes,
  pairs, ratings…); False when there is no value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from indicators.catalogue import Catalogue, IndicatorDef

STRENGTH, DISCUSS, WATCH = "strength", "discuss", "watch"
UPCOMING, UNRATED = "upcoming", "unrated"
STATUS_LABELS: dict[str, str] = {
    STRENGTH: "force",
    DISCUSS: "à discuter",
    WATCH: "point de vigilance",
    UPCOMING: "à venir",
    UNRATED: "sans seuil",
}
EPSILON = 1e-9


@dataclass(frozen=True)
class BandResult:
    status: str | None
    low_n: bool


def band_status(
    definition: IndicatorDef,
    value: float | None,
    n: int,
    territory_stage: str,
    catalogue: Catalogue,
) -> BandResult:
    """Status and low-n flag of one value of ``definition`` for a territory at
    ``territory_stage``."""
    has_value = value is not None and not (isinstance(value, float) and math.isnan(value))
    status, low_n = statuses(
        definition,
        np.array([float(value) if has_value else np.nan]),
        np.array([has_value]),
        np.array([n]),
        np.array([catalogue.rank(territory_stage)]),
        catalogue,
    )
    return BandResult(status=status[0], low_n=bool(low_n[0]))


def statuses(
    definition: IndicatorDef,
    value: np.ndarray,
    defined: np.ndarray,
    n: np.ndarray,
    territory_rank: np.ndarray,
    catalogue: Catalogue,
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised ``band_status`` for one indicator over many territory-months.

    ``territory_rank`` is the territory's stage rank from 1 (``catalogue.rank``). Returns an
    object array of statuses (None where no value) and a bool array ``low_n``.
    """
    value = np.asarray(value, dtype="float64")
    defined = np.asarray(defined, dtype=bool)
    territory_rank = np.asarray(territory_rank, dtype="int64")
    size = len(value)
    status = np.full(size, None, dtype=object)
    if definition.direction == "neutral":
        status[defined] = UNRATED
    else:
        for rank, stage in enumerate(catalogue.stages, start=1):
            rows = defined & (territory_rank == rank)
            if not rows.any():
                continue
            bands = definition.bands_for(stage)
            v = value[rows]
            if definition.direction == "higher_better":
                strong = v >= bands.strength - EPSILON
                middle = v >= bands.discuss - EPSILON
            else:
                strong = v <= bands.strength + EPSILON
                middle = v <= bands.discuss + EPSILON
            status[rows] = np.where(strong, STRENGTH, np.where(middle, DISCUSS, WATCH))
    status[territory_rank < catalogue.rank(definition.stage)] = UPCOMING
    low_n = defined & (np.asarray(n, dtype="int64") < definition.min_n)
    return status, low_n
