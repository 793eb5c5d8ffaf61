"""``cooperascope backup SORTIE`` and ``cooperascope restore ENTRÉE``: the command-line side of
``data.store.backup``.

:func:`register` adds both commands to the ``cooperascope`` parser's sub-parsers. Progress
(pages copied on SQLite, tables on PostgreSQL) goes to standard error; a refusal or a failure
is the CLI's error, so that the command exits with status 1.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine

from data import fr
from data.store.backup import backup, restore
from data.store.backup_info import BACKEND_LABELS, BackupError, BackupInfo
from data.store.engine import describe

T = TypeVar("T")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = subparsers.add_parser(
        "backup", help="sauvegarder la base dans un fichier, même pendant qu'on y écrit"
    )
    backup.add_argument("output", metavar="SORTIE", help="fichier à écrire (remplacé s'il existe)")
    backup.set_defaults(handler=cmd_backup)
    restore = subparsers.add_parser(
        "restore", help="remplacer toute la base par une sauvegarde, en une transaction"
    )
    restore.add_argument("source", metavar="ENTRÉE", help="fichier écrit par cooperascope backup")
    restore.set_defaults(handler=cmd_restore)


def _described(info: BackupInfo) -> str:
    schema = f", schéma {info.schema}" if info.schema else ""
    return f"{BACKEND_LABELS[info.backend]}, révision {info.revision}{schema}"


def _refusing(action: Callable[..., T], engine: Engine, path: str) -> T:
    """``action(engine, path, progress=…)``, progress on standard error, a refusal or a failure
    as the CLI's error."""
    from data.cli.main import CliError, _say

    try:
        return action(engine, Path(path), progress=_say)
    except BackupError as exc:
        raise CliError(str(exc)) from None


def cmd_backup(args: argparse.Namespace, engine: Engine) -> None:
    from data.cli.main import _say

    _say(f"Sauvegarde de {describe(engine)}…")
    summary = _refusing(backup, engine, args.output)
    _say(
        f"Sauvegarde écrite : {summary.path} ({_described(summary.info)}, "
        f"{fr.number(summary.size_bytes / 1e6, 1)} Mo) en {fr.number(summary.seconds, 2)} s."
    )


def cmd_restore(args: argparse.Namespace, engine: Engine) -> None:
    from data.cli.main import _say

    _say(f"Restauration de {describe(engine)} depuis {args.source}…")
    summary = _refusing(restore, engine, args.source)
    _say(
        f"Base restaurée ({_described(summary.info)}) en {fr.number(summary.seconds, 2)} s : "
        "elle est telle qu'au moment de la sauvegarde."
    )
    if summary.upgrade_needed:
        _say(
            "La sauvegarde vient d'une version antérieure de Coopérascope. "
            "Lancez maintenant : cooperascope db upgrade"
        )
