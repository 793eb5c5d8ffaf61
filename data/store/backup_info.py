"""What a backup holds, and the French errors of backing up and restoring (``data.store.backup``
and its PostgreSQL side, ``data.store.backup_postgres``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Progress = Callable[[str], None]
Backend = Literal["sqlite", "postgresql"]

BACKEND_LABELS: dict[Backend, str] = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
WRITTEN_BY = "Donnez un fichier écrit par « cooperascope backup »."
UNCHANGED = "la base n'a pas changé"


class BackupError(Exception):
    """A backup or a restore refused or failed; the message, in French, says why and what to
    do. A refused or failed restore has left the database as it was."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds: its backend, its migration, and (PostgreSQL) its schema."""

    backend: Backend
    revision: str
    schema: str | None = None


def not_a_backup(path: Path, why: str) -> BackupError:
    return BackupError(
        f"« {path.name} » n'est pas une sauvegarde Coopérascope : {why}. {WRITTEN_BY}"
    )


def damaged(path: Path, detail: str) -> BackupError:
    return BackupError(
        f"« {path.name} » est endommagée ou incomplète ({detail}) : {UNCHANGED}. "
        "Restaurez une autre sauvegarde."
    )


def unmigrated() -> BackupError:
    return BackupError(
        "La base n'a pas de schéma Coopérascope : rien à sauvegarder. "
        "Lancez d'abord : cooperascope db upgrade"
    )
