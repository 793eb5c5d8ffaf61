"""The indicator catalogue ``config/indicators.yaml``: loading, validation, registry check.

Errors name the file and the key, in French, like the rest of the configuration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from data.config import ConfigError
from indicators.registry import FAMILY_MODULES, Indicator, registry

Unit = Literal["count", "ratio", "score_1_5", "score_1_4", "index", "delta"]
Direction = Literal["higher_better", "lower_better", "neutral"]
DEFAULT_BANDS = "default"
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
# The survey rule: every survey figure is flagged when its n is below 5.
SURVEY_MIN_N = 5


class CatalogueError(ConfigError):
    """``indicators.yaml`` is invalid or does not match the registered functions."""


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
        import re

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
    """The validated catalogue, with the stage order it was validated against."""

    indicators: Mapping[str, IndicatorDef]
    stages: tuple[str, ...]
    criteria: Mapping[str, tuple[Criterion, ...]]
    path: Path
    version: str  # "<file version>-<first 12 hex of the file's SHA-256>"

    def rank(self, stage: str) -> int:
        """Position of a stage from 1 (KeyError-like ValueError if unknown)."""
        return self.stages.index(stage) + 1

    def __getitem__(self, indicator_id: str) -> IndicatorDef:
        return self.indicators[indicator_id]

    def __iter__(self):
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)


_PYDANTIC_FR = {
    "missing": "valeur obligatoire absente",
    "extra_forbidden": "clé inconnue (faute de frappe ?)",
    "string_type": "texte attendu",
    "string_too_short": "texte vide",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "literal_error": "valeur non permise",
    "greater_than_equal": "valeur trop petite",
    "too_short": "liste vide",
    "dict_type": "dictionnaire attendu",
    "tuple_type": "liste attendue",
    "model_type": "dictionnaire attendu",
}


def _french(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "literal_error":
        return f"valeur non permise (attendu : {error['ctx']['expected']})"
    return _PYDANTIC_FR.get(kind, error["msg"])


def default_catalogue_path() -> Path:
    from data.config import config_dir

    return config_dir() / "indicators.yaml"


def default_stages() -> tuple[str, ...]:
    from data.config import get_config

    return tuple(s.id for s in get_config().stage_model.stages)


def load_catalogue(path: Path | None = None, stages: Sequence[str] | None = None) -> Catalogue:
    """Read and validate ``indicators.yaml`` against the stage model ``stages`` (ordered ids;
    default: the configured stage model)."""
    path = Path(path) if path is not None else default_catalogue_path()
    stages = tuple(stages) if stages is not None else default_stages()
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise CatalogueError(f"Fichier de configuration introuvable : {path}") from None
    try:
        raw = yaml.safe_load(raw_bytes.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark else ""
        raise CatalogueError(f"{path}{where} : YAML illisible — {exc}") from None
    try:
        parsed = CatalogueFile.model_validate(
            raw if raw is not None else {}, context={"stages": stages}
        )
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"]) or "(racine)"
            lines.append(f"  clé « {key} » : {_french(error)}")
        raise CatalogueError(
            f"Configuration invalide dans {path} :\n"
            + "\n".join(lines)
            + "\nCorrigez ce fichier puis relancez la commande."
        ) from None
    digest = hashlib.sha256(raw_bytes).hexdigest()[:12]
    return Catalogue(
        indicators=dict(parsed.indicators),
        stages=stages,
        criteria={s: parsed.stage_criteria.get(s, ()) for s in stages[1:]},
        path=path,
        version=f"{parsed.version}-{digest}",
    )


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
