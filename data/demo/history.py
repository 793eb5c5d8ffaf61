"""What every draw of one territory's history shares: its plan, its random stream, its latent
maturity, its actors and where its months fall."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data.demo.actors import Actors
from data.demo.plan import Plan


@dataclass(frozen=True)
class History:
    """One territory's history being drawn (by :func:`data.demo.generator.generate_demo`)."""

    plan: Plan
    rng: np.random.Generator  # the territory's own stream, drawn from in a fixed order
    maturity: np.ndarray  # latent maturity of months 0 … the last wave's month
    actors: Actors
    start_index: int  # absolute month index of the territory's start
    months: int  # months of history: up to the end month, at most the programme's duration
    end_index: int  # absolute month index of the end month (its journal is a draft)
