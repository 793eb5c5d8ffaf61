"""Registry of indicator functions, filled by the ``@indicator`` decorator of each family.

Two bases:

- ``"wave"``: ``f(prep: Prepared) -> DataFrame[wave_id, value, n, note]``, one row per wave of
  ``prep.waves`` in that order (survey-based figures).
- ``"month"``: ``f(prep: Prepared, grid: MonthGrid) -> DataFrame[territory_id, month, value, n,
  note]``, one row per row of the grid in that order (journal, events, actions, funding).

``value`` is a nullable float (``Float64``): NA exactly where ``note`` says why in French;
``n`` is an int.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import pandas as pd

Basis = Literal["wave", "month"]

# The family modules, one per family of indicators (the family is the module's name).
FAMILY_MODULES: tuple[str, ...] = (
    "participation",
    "network",
    "factors",
    "governance",
    "joint_actions",
    "durability",
)

WAVE_COLUMNS = ("wave_id", "value", "n", "note")
MONTH_COLUMNS = ("territory_id", "month", "value", "n", "note")


@dataclass(frozen=True)
class Indicator:
    """A registered indicator function."""

    id: str
    basis: Basis
    family: str
    func: Callable[..., pd.DataFrame]


_REGISTRY: dict[str, Indicator] = {}


def indicator(indicator_id: str, *, basis: Basis) -> Callable[[Callable], Callable]:
    """Register the decorated function as indicator ``indicator_id``."""
    if basis not in ("wave", "month"):
        raise ValueError(f"unknown basis {basis!r} for {indicator_id}")

    def register(func: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        family = func.__module__.rsplit(".", 1)[-1]
        existing = _REGISTRY.get(indicator_id)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"indicator {indicator_id!r} registered twice")
        _REGISTRY[indicator_id] = Indicator(indicator_id, basis, family, func)
        return func

    return register


def registry() -> Mapping[str, Indicator]:
    """All registered indicators (imports every family module first)."""
    for module in FAMILY_MODULES:
        importlib.import_module(f"indicators.{module}")
    return MappingProxyType(_REGISTRY)


def get(indicator_id: str) -> Indicator:
    """The registered indicator ``indicator_id`` (KeyError if none)."""
    return registry()[indicator_id]
