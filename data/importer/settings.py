"""Load and validate ``config/import_formats.yaml`` and ``config/quality.yaml``.

Like the rest of the configuration, an error names the file and the key in French.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from data.config import config_dir, invalid_config, load_yaml

Severity = Literal["error", "warning"]
Kind = Literal["actors", "survey"]  # the kinds of file imported, each with its suite of checks
KIND_IDS = ("actors", "survey")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ToolFormat(_Strict):
    """How one survey tool (or the template) names things in its exports."""

    label: str
    detect_any: tuple[str, ...] = ()
    detect_all: tuple[str, ...] = ()
    group_separator: str | None = None
    brackets: bool = False
    columns: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    utc_columns: tuple[str, ...] = ()
    incomplete_when_empty: str | None = None
    metadata: tuple[str, ...] = ()


class ActorsColumns(_Strict):
    columns: dict[Literal["org_id", "name", "sector", "commune"], tuple[str, ...]]


class SurveyLabels(_Strict):
    respondent_id: tuple[str, ...] = ()
    org_id: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    submitted_at: tuple[str, ...] = ()
    contrib: str | None = None
    level: str | None = None
    fiab: str | None = None
    mission: str | None = None
    ouverture: str | None = None

    def fixed(self, column: str) -> tuple[str, ...]:
        return tuple(getattr(self, column))

    def roster(self, family: str) -> str | None:
        return getattr(self, family)


class SurveyColumns(_Strict):
    columns: dict[Literal["respondent_id", "org_id", "sector", "submitted_at"], tuple[str, ...]]
    labels: SurveyLabels = SurveyLabels()
    contrib_prefix: str = "contrib"
    roster_families: dict[Literal["level", "fiab", "mission", "ouverture"], str]


class ValueLabels(_Strict):
    likert: dict[int, tuple[str, ...]] = Field(default_factory=dict)
    trust: dict[int, tuple[str, ...]] = Field(default_factory=dict)


class ImportFormats(_Strict):
    """The whole of ``import_formats.yaml``."""

    timezone: str = "Europe/Paris"
    missing_values: tuple[str, ...]
    true_values: tuple[str, ...]
    false_values: tuple[str, ...]
    sector_synonyms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    value_labels: ValueLabels = ValueLabels()
    actors: ActorsColumns
    survey: SurveyColumns
    formats: dict[str, ToolFormat]

    @field_validator("formats")
    @classmethod
    def _template_last(cls, value: dict[str, ToolFormat]) -> dict[str, ToolFormat]:
        if "template" not in value:
            raise ValueError("le format « template » (modèle Coopérascope) est obligatoire")
        return value


class CheckSetting(_Strict):
    severity: Severity
    max_share: float | None = Field(default=None, ge=0, le=1)


class Limits(_Strict):
    """What one file may cost to read and check (``quality.yaml``'s ``limits``, which says why
    each is set where it is). A file beyond one is refused, with a message saying which."""

    max_file_mb: float = Field(gt=0)
    max_unzipped_mb: float = Field(gt=0)
    header_search_rows: int = Field(default=30, ge=1, le=1000)
    max_rows: int = Field(default=20_000, ge=1)
    max_columns: int = Field(default=2_000, ge=1)
    max_cells: int = Field(default=3_000_000, ge=1)
    max_cell_chars: int = Field(default=32_767, ge=1)
    max_text_mb: float = Field(default=64, gt=0)
    worker_memory_mb: float = Field(default=1024, gt=0)
    worker_seconds: float = Field(default=60, gt=0)

    @property
    def unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * 1024 * 1024)

    @property
    def text_chars(self) -> int:
        """The characters of all cells together, once read."""
        return int(self.max_text_mb * 1024 * 1024)


class QualityFile(_Strict):
    """The whole of ``quality.yaml``."""

    limits: Limits
    suites: dict[Kind, dict[str, CheckSetting]]

    @field_validator("suites", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # ``check: error`` is short for ``check: {severity: error}``.
        if not isinstance(value, dict):
            return value
        return {
            kind: {
                check: {"severity": setting} if isinstance(setting, str) else setting
                for check, setting in (checks or {}).items()
            }
            for kind, checks in value.items()
        }

    @property
    def max_bytes(self) -> int:
        return int(self.limits.max_file_mb * 1024 * 1024)


@cache
def import_formats(directory: Path | None = None) -> ImportFormats:
    """``import_formats.yaml`` of the configuration folder (read once)."""
    return load_yaml(ImportFormats, (directory or config_dir()) / "import_formats.yaml")


@cache
def quality_settings(directory: Path | None = None) -> QualityFile:
    """``quality.yaml`` of the configuration folder (read once); check ids are validated."""
    from data.importer.quality import validate_suites

    path = (directory or config_dir()) / "quality.yaml"
    settings = load_yaml(QualityFile, path)
    problems = validate_suites(settings)
    if problems:
        raise invalid_config(path, problems)
    return settings
