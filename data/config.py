"""Load and validate the YAML configuration under ``config/``: the one YAML loader.

Every file is read by :func:`load_yaml` and validated with pydantic at load; an error names the
file and the key in French, so that the person editing the YAML knows where to look. This is
also where the indicator catalogue is read (:func:`load_catalogue`): the indicator library
receives its definitions and never reads the configuration itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from indicators.catalogue import Catalogue, CatalogueError, CatalogueFile, check_registry

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
    # In a model other than the reference one: the reference milestone this one is, under
    # another name (the indicators that read the reference milestone read it).
    counts_as: str | None = Field(default=None, pattern=SLUG_PATTERN)


class Stage(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    label: str
    short_label: str
    description: str
    evaluation_style: str
    milestones: tuple[Milestone, ...] = Field(min_length=1)
    # In a model other than the reference one: the reference stage this one is judged like.
    judged_as: str | None = Field(default=None, pattern=SLUG_PATTERN)

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

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stages)

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def rank(self, stage_id: str) -> int:
        """Position of a stage in the model, from 1."""
        return [s.id for s in self.stages].index(stage_id) + 1

    def reference_stage(self, stage_id: str) -> str:
        """The reference stage ``stage_id`` is judged like (itself in the reference model)."""
        return self.stage(stage_id).judged_as or stage_id

    def reference_milestones(self) -> dict[str, str]:
        """Milestone id → the reference milestone it counts as, for those that count as one."""
        return {m.id: m.counts_as for s in self.stages for m in s.milestones if m.counts_as}

    def from_reference(self, reference_id: str, reference: StageModel) -> Stage | None:
        """This model's stage for the stage ``reference_id`` of the ``reference`` model: the
        one judged like it, else the last one judged like an earlier reference stage (None
        before the first). Stages are judged like reference stages in increasing order."""
        wanted = reference.rank(reference_id)
        below = [s for s in self.stages if reference.rank(self.reference_stage(s.id)) <= wanted]
        return below[-1] if below else None


class Binome(_Strict):
    foundation_officer: str
    kiif_member: str


SHORT_NAME_MAX = 20


class Territory(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str
    # Where space is tight (chart headers, phone tables); the name when not given.
    short_name: str | None = Field(default=None, min_length=1, max_length=SHORT_NAME_MAX)
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

    @property
    def short(self) -> str:
        """The short name, or the name."""
        return self.short_name or self.name


class Programme(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str
    short_name: str
    operators: tuple[str, ...]
    duration_months: int = Field(gt=0, le=120)
    stage_model: str
    survey_interval_months: int = Field(gt=0, le=24)
    binomes_see_other_territories: bool = False
    # Indicators of the catalogue this programme does not use: not computed for its
    # territories, so no page, export or report shows them.
    hidden_indicators: tuple[str, ...] = ()


class ProgrammeFile(_Strict):
    programme: Programme
    territories: tuple[Territory, ...]

    @model_validator(mode="after")
    def _unique_territories(self) -> ProgrammeFile:
        _require_unique([t.id for t in self.territories], "territories")
        return self


class StagesFile(_Strict):
    reference_model: str = Field(pattern=SLUG_PATTERN)
    stage_models: tuple[StageModel, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _judged_like_the_reference(self) -> StagesFile:
        _require_unique([m.id for m in self.stage_models], "stage_models")
        models = {m.id: m for m in self.stage_models}
        if self.reference_model not in models:
            raise ValueError(
                f"modèle de référence « {self.reference_model} » absent de stage_models "
                f"({', '.join(models)})"
            )
        reference = models[self.reference_model]
        milestones = {m.id for s in reference.stages for m in s.milestones}
        judged: dict[str, str] = {}
        for model in self.stage_models:
            _check_judged_as(model, reference, milestones)
            for stage in model.stages:
                seen = judged.setdefault(stage.id, model.reference_stage(stage.id))
                if seen != model.reference_stage(stage.id):
                    raise ValueError(
                        f"étape « {stage.id} » : jugée comme « {seen} » dans un modèle et comme "
                        f"« {model.reference_stage(stage.id)} » dans le modèle « {model.id} » ; "
                        "une même étape se juge partout de la même façon"
                    )
        return self

    @property
    def reference(self) -> StageModel:
        return next(m for m in self.stage_models if m.id == self.reference_model)


def _check_judged_as(model: StageModel, reference: StageModel, milestones: set[str]) -> None:
    """A model other than the reference one judges each stage like a reference stage, in
    increasing order, and its milestones count as reference milestones or as nothing."""
    where = f"modèle « {model.id} »"
    if model.id == reference.id:
        if any(s.judged_as for s in model.stages) or model.reference_milestones():
            raise ValueError(f"{where} : le modèle de référence n'a ni judged_as ni counts_as")
        return
    ranks: list[int] = []
    for stage in model.stages:
        if stage.judged_as is None or stage.judged_as not in reference.ids:
            raise ValueError(
                f"{where}, étape « {stage.id} » : judged_as doit nommer une étape du modèle de "
                f"référence ({', '.join(reference.ids)})"
            )
        ranks.append(reference.rank(stage.judged_as))
    if ranks != sorted(set(ranks)):
        raise ValueError(
            f"{where} : les étapes doivent être jugées comme des étapes de référence "
            "différentes, dans l'ordre du modèle de référence"
        )
    unknown = sorted(set(model.reference_milestones().values()) - milestones)
    if unknown:
        raise ValueError(
            f"{where} : counts_as nomme des jalons inconnus du modèle de référence : "
            + ", ".join(f"« {m} »" for m in unknown)
        )


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


class ProgrammeConfig(_Strict):
    """A programme of ``config/programmes/``, with its territories and its stage model."""

    programme: Programme
    territories: tuple[Territory, ...]
    stage_model: StageModel

    @property
    def id(self) -> str:
        return self.programme.id

    @property
    def short_name(self) -> str:
        return self.programme.short_name


class AppConfig(_Strict):
    """The whole validated configuration."""

    programmes: tuple[ProgrammeConfig, ...]
    reference_model: StageModel  # the model the indicator catalogue is written for
    survey: SurveyFile
    directory: Path

    @property
    def territories(self) -> tuple[Territory, ...]:
        """Every programme's territories, programme by programme."""
        return tuple(t for p in self.programmes for t in p.territories)

    def territory(self, territory_id: str) -> Territory:
        for territory in self.territories:
            if territory.id == territory_id:
                return territory
        raise KeyError(territory_id)

    def programme(self, programme_id: str) -> ProgrammeConfig:
        for programme in self.programmes:
            if programme.id == programme_id:
                return programme
        raise KeyError(programme_id)

    def programme_of(self, territory_id: str) -> ProgrammeConfig:
        """The programme of a configured territory (the first programme for a territory the
        configuration does not name: the demo's generated ones)."""
        for programme in self.programmes:
            if any(t.id == territory_id for t in programme.territories):
                return programme
        return self.programmes[0]

    def stage_model_of(self, territory_id: str) -> StageModel:
        return self.programme_of(territory_id).stage_model

    def display_model(self, territory_ids: Iterable[str]) -> StageModel:
        """The stage model to show territories in: theirs when they share one, else the
        reference model (stages of different programmes compared by their reference stage)."""
        models = {m.id: m for m in (self.stage_model_of(t) for t in territory_ids)}
        return next(iter(models.values())) if len(models) == 1 else self.reference_model

    def in_model(self, model: StageModel, stage_id: str | None) -> str | None:
        """A stage id of any model (a journal's declared stage, a stored reference stage) as
        the stage of ``model`` it is judged like (None: none, or before ``model``'s first)."""
        if stage_id is None:
            return None
        for known in (self.reference_model, *(p.stage_model for p in self.programmes)):
            if stage_id in known.ids:
                found = model.from_reference(known.reference_stage(stage_id), self.reference_model)
                return found.id if found else None
        return None

    def load_catalogue(self) -> Catalogue:
        """The indicator catalogue of this configuration, read and checked now
        (:func:`load_catalogue`)."""
        catalogue = load_catalogue(self.directory, self.reference_model, self.survey)
        for programme in self.programmes:
            unknown = [i for i in programme.programme.hidden_indicators if i not in catalogue]
            if unknown:
                raise invalid_config(
                    programme_path(self.directory, programme.id),
                    [
                        "clé « programme.hidden_indicators » : indicateur(s) inconnu(s) du "
                        f"catalogue : {', '.join(f'« {i} »' for i in unknown)}"
                    ],
                )
        return catalogue


def _require_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise ValueError(f"identifiant en double dans {what} : « {value} »")
        seen.add(value)


def load_yaml(model: type[M], path: Path, context: Mapping[str, Any] | None = None) -> M:
    """Read the YAML file ``path`` and validate it with the pydantic ``model``.

    ``context`` is handed to the model's validators (pydantic's validation context). An empty
    file validates as an empty mapping. Raises ``ConfigError`` naming the file, and for each
    problem the key and what is wrong, in French.
    """
    return _load(model, path, context)[0]


def invalid_config(path: Path, problems: Iterable[str]) -> ConfigError:
    """The error for the file ``path`` with one French line per problem
    (« clé « a.b » : … »), ending with what to do."""
    return ConfigError(
        f"Configuration invalide dans {path} :\n"
        + "\n".join(f"  {problem}" for problem in problems)
        + "\nCorrigez ce fichier puis relancez la commande."
    )


def _load(model: type[M], path: Path, context: Mapping[str, Any] | None) -> tuple[M, bytes]:
    """``load_yaml``, also returning the bytes read (the catalogue version hashes them)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"Fichier de configuration introuvable : {path}") from None
    except OSError as exc:
        raise ConfigError(f"Fichier de configuration illisible : {path} ({exc.strerror})") from None
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_Loader)  # a SafeLoader
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path} : YAML illisible — le fichier n'est pas encodé en UTF-8 "
            f"(octet n° {exc.start + 1})"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark else ""
        raise ConfigError(f"{path}{where} : YAML illisible — {exc}") from None
    try:
        parsed = model.model_validate(data if data is not None else {}, context=context)
    except ValidationError as exc:
        raise invalid_config(path, (_french_line(error) for error in exc.errors())) from None
    return parsed, raw


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, which also says where a value it cannot build is (a date such as
    2024-02-30, a number too long) instead of raising a bare ``ValueError``."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except ValueError as exc:
            text = str(node.value)
            text = text if len(text) <= 40 else text[:40] + "…"
            raise yaml.constructor.ConstructorError(
                None, None, f"valeur impossible à lire « {text} » ({exc})", node.start_mark
            ) from None


def _french_line(error: ErrorDetails) -> str:
    """« clé « territories.2.start_date » : date invalide, attendu AAAA-MM-JJ »."""
    loc = [str(part) for part in error["loc"]]
    message = _french_message(error)
    if loc and loc[-1] == "[key]":  # the error is in a mapping's key, not its value
        loc.pop()
        message = f"nom de clé invalide : {message}"
    return f"clé « {'.'.join(loc) or '(racine)'} » : {message}"


_DATE = "date invalide, attendu AAAA-MM-JJ"
# Every error type the configuration models can raise, in French; ``{…}`` are filled from the
# error's context. A type missing here still gets a French message (see ``_french_message``).
_PYDANTIC_FR = {
    "missing": "valeur obligatoire absente",
    "extra_forbidden": "clé inconnue (faute de frappe ?)",
    "model_type": "dictionnaire attendu (clé : valeur)",
    "dict_type": "dictionnaire attendu (clé : valeur)",
    "tuple_type": "liste attendue",
    "too_short": "trop peu d'éléments (au moins {min_length})",
    "too_long": "trop d'éléments (au plus {max_length})",
    "string_type": "texte attendu",
    "string_too_short": "texte trop court (au moins {min_length} caractère(s))",
    "string_too_long": "texte trop long (au plus {max_length} caractère(s))",
    "string_pattern_mismatch": "format invalide (attendu : {pattern})",
    "string_unicode": "texte attendu (ce n'est pas de l'UTF-8)",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu, sans décimale",
    "int_parsing_size": "nombre entier trop grand",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "bool_type": "true ou false attendu",
    "bool_parsing": "true ou false attendu",
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "date sans heure attendue (AAAA-MM-JJ)",
    "literal_error": "valeur non permise (attendu : {expected})",
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "value_error": "{error}",
}
# The pattern of every id of the configuration, said in words.
_PATTERN_FR = {SLUG_PATTERN: "identifiant invalide (minuscules, chiffres, « - » ou « _ »)"}


def _french_message(error: ErrorDetails) -> str:
    kind = error["type"]
    context = {key: _french_value(value) for key, value in error.get("ctx", {}).items()}
    if kind == "string_pattern_mismatch" and context["pattern"] in _PATTERN_FR:
        return _PATTERN_FR[context["pattern"]]
    if kind not in _PYDANTIC_FR:
        return f"valeur invalide (erreur de type « {kind} »)"
    return _PYDANTIC_FR[kind].format_map(context)


def _french_value(value: Any) -> str:
    """A bound or an expected value of an error's context, written the French way."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, str):
        return value.replace(" or ", " ou ")  # literal_error's « 'a', 'b' or 'c' »
    return str(value)


def config_dir() -> Path:
    return Path(os.environ.get("COOPERASCOPE_CONFIG_DIR", DEFAULT_CONFIG_DIR))


PROGRAMMES_DIR = "programmes"


def programme_path(directory: Path, programme_id: str) -> Path:
    return directory / PROGRAMMES_DIR / f"{programme_id}.yaml"


def load_config(directory: Path | None = None) -> AppConfig:
    """Read and validate ``programmes/*.yaml``, ``stages.yaml`` and ``survey.yaml``."""
    directory = Path(directory) if directory is not None else config_dir()
    stages_file = load_yaml(StagesFile, directory / "stages.yaml")
    survey = load_yaml(SurveyFile, directory / "survey.yaml")
    paths = sorted((directory / PROGRAMMES_DIR).glob("*.yaml"))
    if not paths:
        raise ConfigError(
            f"Aucun programme configuré : ajoutez un fichier {directory / PROGRAMMES_DIR}/"
            "<identifiant>.yaml (voir le README, « Ajouter un programme »)."
        )
    models = {m.id: m for m in stages_file.stage_models}
    programmes = sorted(
        (_programme(path, load_yaml(ProgrammeFile, path), models) for path in paths),
        key=_programme_order,
    )
    _require_unique_territories(programmes, directory)
    return AppConfig(
        programmes=tuple(programmes),
        reference_model=stages_file.reference,
        survey=survey,
        directory=directory,
    )


# The programme listed first (and the one the demo's generated territories belong to); the
# others follow from the oldest to the youngest.
DEFAULT_PROGRAMME = "tec"


def _programme_order(programme: ProgrammeConfig) -> tuple[bool, dt.date, str]:
    starts = [t.start_date for t in programme.territories] or [dt.date.max]
    return (programme.id != DEFAULT_PROGRAMME, min(starts), programme.id)


def _programme(
    path: Path, file: ProgrammeFile, models: Mapping[str, StageModel]
) -> ProgrammeConfig:
    programme = file.programme
    problems = []
    if programme.id != path.stem:
        problems.append(
            f"clé « programme.id » : « {programme.id} » diffère du nom du fichier ; "
            f"nommez le fichier {programme.id}.yaml ou l'identifiant « {path.stem} »"
        )
    if programme.stage_model not in models:
        problems.append(
            f"clé « programme.stage_model » : modèle d'étapes « {programme.stage_model} » "
            f"inconnu ; modèles définis dans stages.yaml : {', '.join(sorted(models))}"
        )
    if problems:
        raise invalid_config(path, problems)
    return ProgrammeConfig(
        programme=programme, territories=file.territories, stage_model=models[programme.stage_model]
    )


def _require_unique_territories(programmes: Iterable[ProgrammeConfig], directory: Path) -> None:
    owner: dict[str, str] = {}
    for programme in programmes:
        for territory in programme.territories:
            if territory.id in owner:
                raise invalid_config(
                    programme_path(directory, programme.id),
                    [
                        f"territoire « {territory.id} » : cet identifiant est déjà celui d'un "
                        f"territoire du programme « {owner[territory.id]} » ; un identifiant "
                        "de territoire est unique dans tous les programmes"
                    ],
                )
            owner[territory.id] = programme.id


@cache
def get_config() -> AppConfig:
    """The configuration of this process (read once)."""
    return load_config()


def load_catalogue(directory: Path, stage_model: StageModel, survey: SurveyFile) -> Catalogue:
    """Read ``indicators.yaml`` of ``directory``, validate it against the stages of
    ``stage_model``, check it against the registered indicator functions, and return it with
    what the indicator engine needs besides: the factors of ``survey`` (factor id → its Likert
    items) and the milestones of each stage.

    Raises ``ConfigError`` in French: a key of the file that is wrong, or an indicator without
    its function (or the other way round).
    """
    path = directory / "indicators.yaml"
    stages = tuple(stage.id for stage in stage_model.stages)
    parsed, raw = _load(CatalogueFile, path, context={"stages": stages})
    catalogue = Catalogue(
        indicators=dict(parsed.indicators),
        stages=stages,
        criteria={stage: parsed.stage_criteria.get(stage, ()) for stage in stages[1:]},
        path=path,
        version=f"{parsed.version}-{hashlib.sha256(raw).hexdigest()[:12]}",
        factors={factor.id: tuple(factor.items) for factor in survey.factors},
        stage_milestones={s.id: tuple(m.id for m in s.milestones) for s in stage_model.stages},
    )
    try:
        check_registry(catalogue)
    except CatalogueError as exc:  # the command line and the pages show a ConfigError's text
        raise ConfigError(str(exc)) from exc
    return catalogue
