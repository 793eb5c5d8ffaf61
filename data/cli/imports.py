"""``cooperascope import actors|survey|template``: the command-line side of the import.

:func:`register` adds the commands to the ``cooperascope`` parser's sub-parsers; each handler
takes ``(args, engine)``, imports through :func:`data.services.imports.import_and_refresh` (the
Import page's path too), prints the French report on standard output and, when the file is
refused, raises the CLI's error so that the command exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from data.access import Scope
from data.domain.waves import FIRST_WAVE, LAST_WAVE, WAVE_HINT, invalid_wave

if TYPE_CHECKING:  # the importer is imported when a command runs, not when the CLI starts
    from data.importer.settings import Kind


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``import actors FILE --territory ID``, ``import survey FILE --territory ID --wave N``
    (both with ``--dry-run`` to check without writing) and ``import template actors|survey
    OUTPUT [--territory ID]`` to ``cooperascope`` (``xlsform``: the survey as a form to deploy
    in KoboToolbox or ODK Central).

    After each import that changed rows, the territory's indicators are recomputed and the
    command says so on standard error.
    """
    parser = subparsers.add_parser("import", help="importer un fichier (acteurs, enquête)")
    commands = parser.add_subparsers(dest="import_command", required=True)

    actors = commands.add_parser("actors", help="importer la liste des acteurs d'un territoire")
    actors.add_argument("file", help="fichier CSV, XLSX, ODS ou XLS")
    actors.add_argument("--territory", required=True, help="identifiant du territoire")
    actors.add_argument("--user", help="auteur de l'import (défaut : utilisateur système)")
    actors.add_argument("--dry-run", action="store_true", help="vérifier sans rien enregistrer")
    actors.set_defaults(handler=_handler("actors"))

    survey = commands.add_parser("survey", help="importer une vague d'enquête d'un territoire")
    survey.add_argument(
        "file", help="fichier CSV, XLSX, ODS ou XLS (modèle, KoboToolbox, ODK, LimeSurvey)"
    )
    survey.add_argument("--territory", required=True, help="identifiant du territoire")
    survey.add_argument(
        "--wave", required=True, type=_wave, help=f"numéro de la vague ({FIRST_WAVE} à {LAST_WAVE})"
    )
    survey.add_argument("--user", help="auteur de l'import (défaut : utilisateur système)")
    survey.add_argument("--dry-run", action="store_true", help="vérifier sans rien enregistrer")
    survey.set_defaults(handler=_handler("survey"))

    template = commands.add_parser("template", help="écrire un modèle de fichier vierge")
    template.add_argument("template_kind", choices=("actors", "survey", "xlsform"))
    template.add_argument(
        "output", help="fichier à écrire (.csv ou .xlsx ; XLSForm : toujours .xlsx)"
    )
    template.add_argument(
        "--territory", help="territoire (obligatoire pour l'enquête et le formulaire XLSForm)"
    )
    template.set_defaults(handler=cmd_template)


def _wave(text: str) -> int:
    """``--wave``: a whole number in the range every wave number keeps to."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier") from None
    problem = invalid_wave(number)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{problem} {WAVE_HINT}")
    return number


def _cli_error(message: str) -> Exception:
    from data.cli.main import CliError

    return CliError(message)


def _require_migrated(engine: Engine) -> None:
    from data.store.engine import describe
    from data.store.migrate import current_revision, head_revision

    if current_revision(engine) != head_revision(engine):
        raise _cli_error(
            f"La base {describe(engine)} n'est pas à jour. Lancez d'abord : cooperascope db upgrade"
        )


def _handler(kind: Kind) -> Callable[[argparse.Namespace, Engine], None]:
    def handle(args: argparse.Namespace, engine: Engine) -> None:
        from data.cli.main import _say
        from data.services.imports import import_and_refresh

        _require_migrated(engine)
        path = Path(args.file)
        if not path.is_file():
            raise _cli_error(f"Fichier introuvable : {path}")
        result = import_and_refresh(
            engine,
            kind,
            path,
            path.name,
            args.territory,
            Scope.system(args.user or os.environ.get("USER", "cli")),
            wave_number=getattr(args, "wave", None),
            dry_run=args.dry_run,
            progress=_say,
        )
        print(result.render_text(), flush=True)
        if result.outcome == "refused":
            raise _cli_error(f"import refusé : « {path.name} » n'a pas été importé.")

    return handle


def cmd_template(args: argparse.Namespace, engine: Engine) -> None:
    """Write a blank actors list or survey file, or the survey's XLSForm."""
    from data.importer.templates import actors_template, survey_template_for
    from data.importer.xlsform import xlsform_for

    output = Path(args.output)
    fmt = "xlsx" if output.suffix.lower() == ".xlsx" else "csv"
    what = "Modèle écrit"
    if args.template_kind == "actors":
        content = actors_template(fmt)
    else:
        if not args.territory:
            raise _cli_error(
                "Le modèle d'enquête et le formulaire dépendent du territoire : --territory ID."
            )
        _require_migrated(engine)
        try:
            if args.template_kind == "xlsform":
                content, fmt, what = (
                    xlsform_for(engine, args.territory),
                    "xlsform",
                    "Formulaire écrit",
                )
            else:
                content = survey_template_for(engine, args.territory, fmt)
        except KeyError as exc:
            raise _cli_error(str(exc.args[0])) from None
    output.write_bytes(content)
    print(f"{what} : {output} ({fmt.upper()}).", file=sys.stderr)
