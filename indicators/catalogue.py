"""The indicator catalogue: the schema of ``config/indicators.yaml``, the validated
``Catalogue`` the engine is given, and the check that it matches the registered functions.

Pure: the file is read and validated by the configuration loader (``data.config``), which
passes the stage ids as the validation context ``{"stages": (…)}``. Messages are in French
and name the key, like the rest of the configuration.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from indicators.registry import FAMILY_MODULES, Indicator, registry

Unit = Literal["count", "ratio", "score_1_5", "score_1_4", "index", "delta"]
Direction = Literal["higher_better", "lower_better", "neutral"]
DEFAULT_BANDS = "default"
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
# The survey rule: every survey figure is flagged when its n is below 5.
SURVEY_MIN_N = 5
SHORT_LABEL_MAX = 24


class CatalogueError(Exception):
    """The catalogue does not match the registered indicator functions."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bands(_Strict):
    """Thresholds of « force » and « à discuter »; below (or above) is « point de vigilance ».

    higher_better: value ≥ strength → strength; ≥ discuss → discuss; else watch.
    lower_better: value ≤ strength → strength; ≤ discuss → discuss; else watch.
    """

    strength: float
    discuss: float


class IndicatorDef(_Strict):
    """One indicator of the catalogue."""

    label: str = Field(min_length=1)
    # Where space is tight (heatmap headers, cards, phone tables); the label when not given.
    short_label: str | None = Field(default=None, min_length=1, max_length=SHORT_LABEL_MAX)
    definition: str = Field(min_length=1)
    stage: str
    family: Literal[FAMILY_MODULES]  # type: ignore[valid-type]
    unit: Unit
    direction: Direction
    min_n: int = Field(ge=0)
    bands: dict[str, Bands] = Field(default_factory=dict)

    @field_validator("stage")
    @classmethod
    def _known_stage(cls, value: str, info: ValidationInfo) -> str:
        stages = (info.context or {}).get("stages")
        if stages and value not in stages:
            raise ValueError(f"étape « {value} » inconnue (étapes : {', '.join(stages)})")
        return value

    @field_validator("bands")
    @classmethod
    def _known_band_keys(cls, value: dict[str, Bands], info: ValidationInfo) -> dict[str, Bands]:
        stages = (info.context or {}).get("stages")
        if stages:
            for key in value:
                if key != DEFAULT_BANDS and key not in stages:
                    raise ValueError(
                        f"seuils pour une étape inconnue « {key} » "
                        f"(attendu : {DEFAULT_BANDS} ou {', '.join(stages)})"
                    )
        return value

    @model_validator(mode="after")
    def _consistent_bands(self) -> IndicatorDef:
        if self.direction == "neutral":
            if self.bands:
                raise ValueError("un indicateur « neutral » n'a pas de seuils")
            return self
        if DEFAULT_BANDS not in self.bands:
            raise ValueError(f"seuils « {DEFAULT_BANDS} » obligatoires dans « bands »")
        for key, band in self.bands.items():
            if self.direction == "higher_better" and band.strength < band.discuss:
                raise ValueError(
                    f"bands.{key} : pour « higher_better », strength doit être ≥ discuss"
                )
            if self.direction == "lower_better" and band.strength > band.discuss:
                raise ValueError(
                    f"bands.{key} : pour « lower_better », strength doit être ≤ discuss"
                )
        return self

    @property
    def short(self) -> str:
        """The short label, or the label."""
        return self.short_label or self.label

    def bands_for(self, territory_stage: str) -> Bands | None:
        """The thresholds that apply to a territory at ``territory_stage``."""
        return self.bands.get(territory_stage, self.bands.get(DEFAULT_BANDS))


class Criterion(_Strict):
    """A condition on an indicator value, e.g. interconnaissance_density ≥ 0.25."""

    indicator: str
    op: Literal[">=", "<="] = ">="
    value: float


class CatalogueFile(_Strict):
    version: int = Field(ge=1)
    indicators: dict[str, IndicatorDef] = Field(min_length=1)
    stage_criteria: dict[str, tuple[Criterion, ...]] = Field(default_factory=dict)

    @field_validator("indicators")
    @classmethod
    def _ids(cls, value: dict[str, IndicatorDef]) -> dict[str, IndicatorDef]:
        for key in value:
            if not re.match(ID_PATTERN, key):
                raise ValueError(f"identifiant d'indicateur invalide « {key} »")
        return value

    @model_validator(mode="after")
    def _criteria(self, info: ValidationInfo) -> CatalogueFile:
        stages = (info.context or {}).get("stages") or ()
        for stage, criteria in self.stage_criteria.items():
            if stages and stage not in stages[1:]:
                raise ValueError(
                    f"stage_criteria.{stage} : étape inconnue ou première étape "
                    f"(critères d'entrée possibles pour : {', '.join(stages[1:])})"
                )
            for criterion in criteria:
                if criterion.indicator not in self.indicators:
                    raise ValueError(
                        f"stage_criteria.{stage} : indicateur « {criterion.indicator} » "
                        "absent du catalogue"
                    )
        return self


@dataclass(frozen=True)
class Catalogue:
    """Everything the indicator engine is told: the validated indicators, the stage model it
    was validated against, and the survey's factors.

    - ``stages``: the stage ids in order; ``criteria``: each later stage's entry criteria.
    - ``path``: the file the catalogue was read from (named in messages).
    - ``version``: ``"<file version>-<first 12 hex of the file's SHA-256>"``.
    - ``factors``: factor id → its Likert items (none: no factor score is computed).
    - ``stage_milestones``: stage id → its rubric milestone ids.
    """

    indicators: Mapping[str, IndicatorDef]
    stages: tuple[str, ...]
    criteria: Mapping[str, tuple[Criterion, ...]]
    path: Path
    version: str
    factors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    stage_milestones: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def rank(self, stage: str) -> int:
        """Position of a stage from 1 (KeyError-like ValueError if unknown)."""
        return self.stages.index(stage) + 1

    def __getitem__(self, indicator_id: str) -> IndicatorDef:
        return self.indicators[indicator_id]

    def without(self, hidden: Collection[str]) -> Catalogue:
        """This catalogue without the indicators ``hidden`` and the stage criteria on them:
        a stage is entered on the criteria that remain (a programme that does not use an
        indicator is never held back by it)."""
        if not hidden:
            return self
        return replace(
            self,
            indicators={i: d for i, d in self.indicators.items() if i not in hidden},
            criteria={
                stage: tuple(c for c in criteria if c.indicator not in hidden)
                for stage, criteria in self.criteria.items()
            },
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)


def check_registry(catalogue: Catalogue, functions: Mapping[str, Indicator] | None = None) -> None:
    """Raise ``CatalogueError`` unless config and registered functions match one to one, with
    the same family, and survey-based (wave) indicators have ``min_n`` ≥ 5."""
    functions = functions if functions is not None else registry()
    problems: list[str] = []
    without_function = sorted(set(catalogue.indicators) - set(functions))
    without_config = sorted(set(functions) - set(catalogue.indicators))
    if without_function:
        problems.append(
            "indicateur(s) dans la configuration sans fonction : " + ", ".join(without_function)
        )
    if without_config:
        problems.append(
            "fonction(s) d'indicateur absente(s) de la configuration : " + ", ".join(without_config)
        )
    for indicator_id, definition in catalogue.indicators.items():
        function = functions.get(indicator_id)
        if function is None:
            continue
        if function.family != definition.family:
            problems.append(
                f"clé « indicators.{indicator_id}.family » : « {definition.family} » alors que "
                f"la fonction est dans la famille « {function.family} »"
            )
        if function.basis == "wave" and definition.min_n < SURVEY_MIN_N:
            problems.append(
                f"clé « indicators.{indicator_id}.min_n » : un indicateur d'enquête doit avoir "
                f"min_n ≥ {SURVEY_MIN_N}"
            )
    if problems:
        raise CatalogueError(
            f"Catalogue d'indicateurs incohérent ({catalogue.path}) :\n  " + "\n  ".join(problems)
        )
