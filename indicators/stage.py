"""Stage inference from indicator values against ``stage_criteria`` of the catalogue.

``stage_criteria.<stage>`` lists the criteria to *enter* that stage (i.e. to leave the one
before). The inferred stage is the highest stage whose entry criteria, and those of every stage
before it, are all met; the first stage needs none. A criterion on a value that is missing
(no survey yet, no journal…) is not met. The unmet criteria of the next stage are reported for
a « prêt pour l'étape suivante » display.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from indicators.bands import EPSILON
from indicators.catalogue import Catalogue, Criterion


@dataclass(frozen=True)
class CriterionCheck:
    """One entry criterion of ``stage`` evaluated on a value."""

    stage: str
    indicator: str
    op: str
    threshold: float
    value: float | None
    met: bool

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form (stored with the territory's month)."""
        return {
            "stage": self.stage,
            "indicator": self.indicator,
            "op": self.op,
            "threshold": self.threshold,
            "value": self.value,
            "met": self.met,
        }


@dataclass(frozen=True)
class StageInference:
    stage: str
    next_stage: str | None
    checks: tuple[CriterionCheck, ...]  # every criterion of every stage after the first
    missing: tuple[CriterionCheck, ...]  # unmet criteria of the next stage


def criterion_met(criterion: Criterion, value: np.ndarray) -> np.ndarray:
    """Whether values (NaN = missing) meet a criterion; a missing value never does."""
    value = np.asarray(value, dtype="float64")
    with np.errstate(invalid="ignore"):
        if criterion.op == ">=":
            met = value >= criterion.value - EPSILON
        else:
            met = value <= criterion.value + EPSILON
    return met & ~np.isnan(value)


def infer_ranks(
    values: Mapping[str, np.ndarray], catalogue: Catalogue, size: int
) -> tuple[np.ndarray, dict[tuple[str, int], np.ndarray]]:
    """Vectorised inference: inferred stage rank (from 1) of ``size`` rows, and per
    (stage, criterion position) whether it is met. ``values[id]`` holds floats, NaN if
    missing; an indicator absent from ``values`` counts as missing."""
    rank = np.ones(size, dtype="int64")
    still = np.ones(size, dtype=bool)
    met: dict[tuple[str, int], np.ndarray] = {}
    for position, stage in enumerate(catalogue.stages[1:], start=2):
        all_met = np.ones(size, dtype=bool)
        for i, criterion in enumerate(catalogue.criteria.get(stage, ())):
            value = values.get(criterion.indicator)
            if value is None:
                value = np.full(size, np.nan)
            ok = criterion_met(criterion, value)
            met[(stage, i)] = ok
            all_met &= ok
        still &= all_met
        rank[still] = position
    return rank, met


def judged_ranks(given: np.ndarray, inferred: np.ndarray) -> np.ndarray:
    """The stage rank (from 1) each territory-month is judged at: the given rank (the
    declared stage's; 0 where none is given or it is not a stage of the model), else the
    inferred one. The one rule behind every status band and every view's « judged at »."""
    given = np.asarray(given, dtype="int64")
    return np.where(given > 0, given, np.asarray(inferred, dtype="int64"))


def judged_stages(declared: pd.Series, inferred: pd.Series, catalogue: Catalogue) -> pd.Series:
    """:func:`judged_ranks` on stage ids: the declared stage when it is a stage of the
    catalogue's model, else the inferred one (None where neither is)."""
    rank_of = {stage: i for i, stage in enumerate(catalogue.stages, start=1)}
    given = np.array([rank_of.get(s, 0) if isinstance(s, str) else 0 for s in declared])
    fallback = np.array([rank_of.get(s, 0) if isinstance(s, str) else 0 for s in inferred])
    ranks = judged_ranks(given, fallback)
    stages = np.asarray((None, *catalogue.stages), dtype=object)
    return pd.Series(stages[ranks], index=declared.index, dtype=object)


def _as_float(value: float | None) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return math.nan
    return float(value)


def infer_stage(values: Mapping[str, float | None], catalogue: Catalogue) -> StageInference:
    """Infer the stage of one territory-month from its indicator values."""
    arrays = {k: np.array([_as_float(v)]) for k, v in values.items()}
    rank, met = infer_ranks(arrays, catalogue, 1)
    stage = catalogue.stages[rank[0] - 1]
    next_stage = catalogue.stages[rank[0]] if rank[0] < len(catalogue.stages) else None
    checks = []
    for stage_id in catalogue.stages[1:]:
        for i, criterion in enumerate(catalogue.criteria.get(stage_id, ())):
            value = _as_float(values.get(criterion.indicator))
            checks.append(
                CriterionCheck(
                    stage=stage_id,
                    indicator=criterion.indicator,
                    op=criterion.op,
                    threshold=criterion.value,
                    value=None if math.isnan(value) else value,
                    met=bool(met[(stage_id, i)][0]),
                )
            )
    missing = tuple(c for c in checks if c.stage == next_stage and not c.met)
    return StageInference(stage, next_stage, tuple(checks), missing)


def infer_stages(long: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Inferred stage per territory-month of a long table (``compute_long``'s output).

    Returns DataFrame[territory_id, month, inferred_stage, next_stage, missing_criteria] where
    ``missing_criteria`` is a list of ``CriterionCheck.as_dict()`` of the next stage's unmet
    criteria (empty at the last stage).
    """
    wanted = {c.indicator for cs in catalogue.criteria.values() for c in cs}
    keys = long[["territory_id", "month"]].drop_duplicates().reset_index(drop=True)
    subset = long[long["indicator_id"].isin(wanted)]
    wide = subset.pivot_table(
        index=["territory_id", "month"],
        columns="indicator_id",
        values="value",
        aggfunc="first",
        dropna=False,
    )
    wide = wide.reindex(pd.MultiIndex.from_frame(keys))
    values = {
        column: pd.to_numeric(wide[column]).to_numpy(dtype="float64", na_value=np.nan)
        for column in wide.columns
    }
    size = len(keys)
    rank, met = infer_ranks(values, catalogue, size)
    stages = np.asarray(catalogue.stages, dtype=object)
    inferred = stages[rank - 1]
    has_next = rank < len(catalogue.stages)
    next_stage = np.where(has_next, stages[np.minimum(rank, len(stages) - 1)], None)
    missing: list[list[dict[str, Any]]] = [[] for _ in range(size)]
    for stage_id in catalogue.stages[1:]:
        for i, criterion in enumerate(catalogue.criteria.get(stage_id, ())):
            value = values.get(criterion.indicator, np.full(size, np.nan))
            rows = np.nonzero((next_stage == stage_id) & ~met[(stage_id, i)])[0]
            for row in rows:
                v = value[row]
                missing[row].append(
                    CriterionCheck(
                        stage_id,
                        criterion.indicator,
                        criterion.op,
                        criterion.value,
                        None if math.isnan(v) else float(v),
                        False,
                    ).as_dict()
                )
    return pd.DataFrame(
        {
            "territory_id": keys["territory_id"],
            "month": keys["month"],
            "inferred_stage": pd.array(inferred, dtype="str"),
            "next_stage": pd.Series(next_stage, dtype=object),  # None at the last stage
            "missing_criteria": pd.Series(missing, dtype=object),
        }
    )
