"""Load and validate the YAML configuration under ``config/``.

Every file is validated with pydantic at load; an error names the file and the key in French,
so that the person editing the YAML knows where to look.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
M = TypeVar("M", bound=BaseModel)


class ConfigError(Exception):
    """A configuration file is missing, unreadable or invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Milestone(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    label: str


class Stage(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    label: str
    short_label: str
    description: str
    evaluation_style: str
    milestones: tuple[Milestone, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_milestones(self) -> Stage:
        _require_unique([m.id for m in self.milestones], "milestones")
        return self


class StageModel(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str
    stages: tuple[Stage, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_stages(self) -> StageModel:
        _require_unique([s.id for s in self.stages], "stages")
        _require_unique([m.id for s in self.stages for m in s.milestones], "milestones")
        return self

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def rank(self, stage_id: str) -> int:
        """Position of a stage in the model, from 1."""
        return [s.id for s in self.stages].index(stage_id) + 1


class Binome(_Strict):
    foundation_officer: str
    kiif_member: str


class Territory(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str
    department: str | None = None
    region: str
    start_date: dt.date
    binome: Binome

    @field_validator("start_date")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        if value.day != 1:
            raise ValueError("la date de début doit être le premier jour d'un mois")
        return value


class Programme(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str
    short_name: str
    operators: tuple[str, ...]
    duration_months: int = Field(gt=0, le=120)
    stage_model: str
    survey_interval_months: int = Field(gt=0, le=24)
    binomes_see_other_territories: bool = False


class ProgrammeFile(_Strict):
    programme: Programme
    territories: tuple[Territory, ...]

    @model_validator(mode="after")
    def _unique_territories(self) -> ProgrammeFile:
        _require_unique([t.id for t in self.territories], "territories")
        return self


class StagesFile(_Strict):
    stage_models: tuple[StageModel, ...] = Field(min_length=1)


class Labelled(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    label: str


class Factor(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    label: str
    items: dict[str, str] = Field(min_length=2)


class SurveyFile(_Strict):
    sectors: tuple[Labelled, ...] = Field(min_length=1)
    resource_types: tuple[Labelled, ...]
    factors: tuple[Factor, ...]
    collaboration_levels: dict[int, str]
    trust_items: dict[str, str]

    @model_validator(mode="after")
    def _check(self) -> SurveyFile:
        _require_unique([s.id for s in self.sectors], "sectors")
        _require_unique([f.id for f in self.factors], "factors")
        _require_unique([i for f in self.factors for i in f.items], "items")
        if sorted(self.collaboration_levels) != list(range(6)):
            raise ValueError("les niveaux de collaboration doivent aller de 0 à 5")
        return self

    @property
    def sector_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sectors)

    @property
    def likert_items(self) -> tuple[str, ...]:
        return tuple(i for f in self.factors for i in f.items)


class AppConfig(_Strict):
    """The whole validated configuration."""

    programme: Programme
    territories: tuple[Territory, ...]
    stage_model: StageModel
    survey: SurveyFile
    directory: Path

    def territory(self, territory_id: str) -> Territory:
        for territory in self.territories:
            if territory.id == territory_id:
                return territory
        raise KeyError(territory_id)


def _require_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise ValueError(f"identifiant en double dans {what} : « {value} »")
        seen.add(value)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Fichier de configuration introuvable : {path}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark else ""
        raise ConfigError(f"{path}{where} : YAML illisible — {exc}") from None


def _validate(model: type[M], path: Path) -> M:
    raw = _read_yaml(path)
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"]) or "(racine)"
            lines.append(f"  clé « {key} » : {_french_message(error)}")
        raise ConfigError(
            f"Configuration invalide dans {path} :\n"
            + "\n".join(lines)
            + "\nCorrigez ce fichier puis relancez la commande."
        ) from None


_PYDANTIC_FR = {
    "missing": "valeur obligatoire absente",
    "extra_forbidden": "clé inconnue (faute de frappe ?)",
    "date_from_datetime_parsing": "date invalide, attendu AAAA-MM-JJ",
    "date_parsing": "date invalide, attendu AAAA-MM-JJ",
    "date_type": "date invalide, attendu AAAA-MM-JJ",
    "string_type": "texte attendu",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "string_pattern_mismatch": "identifiant invalide (minuscules, chiffres, « - » ou « _ »)",
    "too_short": "liste trop courte",
    "greater_than": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
}


def _french_message(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return _PYDANTIC_FR.get(kind, error["msg"])


def config_dir() -> Path:
    return Path(os.environ.get("COOPERASCOPE_CONFIG_DIR", DEFAULT_CONFIG_DIR))


def load_config(directory: Path | None = None) -> AppConfig:
    """Read and validate ``programme.yaml``, ``stages.yaml`` and ``survey.yaml``."""
    directory = Path(directory) if directory is not None else config_dir()
    programme_file = _validate(ProgrammeFile, directory / "programme.yaml")
    stages_file = _validate(StagesFile, directory / "stages.yaml")
    survey = _validate(SurveyFile, directory / "survey.yaml")
    wanted = programme_file.programme.stage_model
    models = {m.id: m for m in stages_file.stage_models}
    if wanted not in models:
        raise ConfigError(
            f"Configuration invalide dans {directory / 'programme.yaml'} :\n"
            f"  clé « programme.stage_model » : modèle d'étapes « {wanted} » inconnu ; "
            f"modèles définis dans stages.yaml : {', '.join(sorted(models))}"
        )
    return AppConfig(
        programme=programme_file.programme,
        territories=programme_file.territories,
        stage_model=models[wanted],
        survey=survey,
        directory=directory,
    )


@cache
def get_config() -> AppConfig:
    """The configuration of this process (read once)."""
    return load_config()
