"""A territory's story: the latent maturity m(t) ∈ [0, 1] its history is drawn from.

Three kinds of story, over the months since the territory's start:

- ``grow``: a logistic rise reaching about 0.8–0.9 at 36 months, at varied speeds;
- ``stall``: a quick start that plateaus around 0.3 after month ~10 (« dynamique à l'arrêt »,
  a few missing journals);
- ``regress``: a rise to ~0.6 by month 18, the local facilitator leaves at month ~20, the
  cooperation falls back to ~0.35 and partly recovers late.

The configured territories have a fixed story each (:data:`CONFIGURED_STORIES`); synthetic ones
draw theirs (:func:`random_story`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


def expit(x: Any) -> Any:
    """The logistic function 1 / (1 + e^−x), of a number or elementwise of an array."""
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class Story:
    """Parameters of a territory's latent maturity curve."""

    kind: str  # "grow", "stall" or "regress"
    mid: float = 14.0  # month of the logistic's midpoint
    scale: float = 5.0  # logistic scale, in months
    top: float = 0.86  # maturity reached at the end (grow) or the peak (regress)
    start: float = 0.08  # maturity at month 0
    plateau: float = 0.3  # stall level
    leave: int = 20  # regress: month the facilitator leaves
    trough: float = 0.33  # regress: level the cooperation falls back to
    recover: int = 27  # regress: month a new facilitator arrives
    rebound: float = 0.18  # regress: maturity regained by month 36

    def curve(self, months: int) -> np.ndarray:
        """Noise-free maturity for months 0..months (inclusive)."""
        t = np.arange(months + 1, dtype=float)
        if self.kind == "stall":
            return self.start + (self.plateau - self.start) * (1.0 - np.exp(-t / 3.5))
        base = expit((t - self.mid) / self.scale)
        base0 = expit(-self.mid / self.scale)
        rise = self.start + (self.top - self.start) * (base - base0) / (1.0 - base0)
        if self.kind == "grow":
            return rise
        peak = float(rise[min(self.leave, months)])
        after = t > self.leave
        fall = peak - (peak - self.trough) * (1.0 - np.exp(-(t - self.leave) / 2.0))
        rec = t > self.recover
        fall = fall + np.where(rec, self.rebound * (1.0 - np.exp(-(t - self.recover) / 4.0)), 0.0)
        return np.where(after, fall, rise)


CONFIGURED_STORIES: dict[str, Story] = {
    "roya": Story("grow", mid=10.5, scale=4.3, top=0.93),
    "entre-deux-mers": Story("grow", mid=14.0, scale=5.0, top=0.87),
    "forbach": Story("stall", plateau=0.3),
    "nantes-qpv": Story("regress", mid=9.0, scale=3.5, top=0.62, leave=20, trough=0.31, recover=27),
    "aura": Story("grow", mid=15.5, scale=5.5, top=0.85),
    "haute-garonne": Story("grow", mid=15.0, scale=5.0, top=0.86),
}


def random_story(rng: np.random.Generator) -> Story:
    """A story with the configured proportions: 4 grow, 1 stall, 1 regress in 6."""
    draw = rng.random()
    start = float(rng.uniform(0.05, 0.11))
    if draw < 4 / 6:
        return Story(
            "grow",
            mid=float(rng.uniform(10.5, 18.5)),
            scale=float(rng.uniform(4.0, 6.0)),
            top=float(rng.uniform(0.83, 0.93)),
            start=start,
        )
    if draw < 5 / 6:
        return Story("stall", plateau=float(rng.uniform(0.27, 0.33)), start=start)
    leave = int(rng.integers(18, 23))
    return Story(
        "regress",
        mid=float(rng.uniform(8.0, 11.0)),
        scale=float(rng.uniform(3.0, 4.0)),
        top=float(rng.uniform(0.58, 0.66)),
        start=start,
        leave=leave,
        trough=float(rng.uniform(0.3, 0.37)),
        recover=leave + int(rng.integers(6, 9)),
        rebound=float(rng.uniform(0.12, 0.22)),
    )
