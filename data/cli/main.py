"""The ``cooperascope`` command line.

    cooperascope db upgrade
    cooperascope demo load [--territories N] [--seed S] [--if-empty]
    cooperascope users add --email E --name N --role R [--territory ID]
        [--programme ID ... | --all-programmes]
    cooperascope users list
    cooperascope import actors FILE --territory ID [--dry-run]
    cooperascope import survey FILE --territory ID --wave N [--dry-run]
    cooperascope import template actors|survey OUTPUT [--territory ID]
    cooperascope indicators compute [--territory ID | --programme ID] [--force]
    cooperascope export indicators --out FILE [--format csv|xlsx] [--programme ID]
    cooperascope status
    cooperascope backup OUTPUT
    cooperascope restore INPUT

Messages are in French: the people running these commands are the programme's staff.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, select

from data import fr, labels
from data.access import Role, Scope
from data.cli.backup import register as register_backup
from data.cli.imports import register as register_import
from data.config import ConfigError, get_config
from data.demo.accounts import DEMO_PASSWORDS, DEMO_STAFF, with_demo_passwords
from data.exports.indicators import FORMATS
from data.services.accounts import (
    AccountError,
    account_id,
    create_account,
    set_password,
    unlock_account,
    validate_account,
)
from data.store.engine import describe, make_engine, session_scope
from data.store.migrate import current_revision, head_revision, upgrade
from data.store.models import Territory
from data.store.queries import accounts, database_status
from data.store.sync import sync_config


class CliError(Exception):
    """An error to show to the user, in French, without a traceback."""


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _require_migrated(engine: Engine) -> None:
    if current_revision(engine) != head_revision(engine):
        raise CliError(
            f"La base {describe(engine)} n'est pas à jour. Lancez d'abord : cooperascope db upgrade"
        )


def cmd_db_upgrade(args: argparse.Namespace, engine: Engine) -> None:
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    if before == after:
        _say(f"Base {describe(engine)} déjà à jour (révision {after}).")
    else:
        _say(f"Base {describe(engine)} migrée : {before or 'vide'} → {after}.")
    changed = sync_config(engine, get_config())
    config = get_config()
    programmes = ", ".join(
        f"« {p.programme.short_name} » ({len(p.territories)} territoires)"
        for p in config.programmes
    )
    _say(f"Programmes configurés : {programmes} ({changed} ligne(s) écrite(s)).")


def cmd_demo_load(args: argparse.Namespace, engine: Engine) -> None:
    from data.demo.generator import generate_demo
    from data.demo.load import database_is_empty, load_demo

    _require_migrated(engine)
    if not database_is_empty(engine):
        message = "La base contient déjà des données : le jeu de démonstration n'est pas chargé."
        if args.if_empty:
            _say(message)
            return
        raise CliError(message + " Utilisez une base vide (DATABASE_URL) pour le charger.")
    end_month = _parse_month(args.end_month) if args.end_month else None
    started = time.perf_counter()
    frames = generate_demo(
        get_config(),
        n_territories=args.territories,
        seed=args.seed,
        end_month=end_month,
        progress=_say,
    )
    counts = load_demo(engine, with_demo_passwords(frames), progress=_say)
    elapsed = time.perf_counter() - started
    _say(
        f"Jeu de démonstration chargé en {fr.number(elapsed, 1)} s : "
        + ", ".join(f"{fr.number(n)} {table}" for table, n in counts.items() if n)
    )
    staff = " ; ".join(
        f"{email} / {DEMO_PASSWORDS[role]} ({', '.join(programmes)})"
        for email, _, role, programmes in DEMO_STAFF
    )
    _say(
        f"Comptes de démonstration : {staff} ; binome.<territoire>@tec-demo.fr / "
        f"{DEMO_PASSWORDS['binome']}"
    )


def _parse_month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CliError(f"Mois invalide « {text} » : attendu AAAA-MM (ex. 2026-11).") from None


# The option of ``users add`` that sets each field the account service may refuse.
ACCOUNT_OPTIONS = {
    "email": "--email",
    "name": "--name",
    "role": "--role",
    "territory": "--territory ID",
    "programmes": "--programme ID ou --all-programmes",
    "password": "--password-stdin",
}


def cmd_users_add(args: argparse.Namespace, engine: Engine) -> None:
    """The admin page's account service, with the operator's name in the audit log."""
    _require_migrated(engine)
    scope = _operator()
    account = (args.email, args.name, args.role, args.territory)
    reach = {"programmes": args.programme or (), "all_programmes": args.all_programmes}
    try:
        validate_account(engine, scope, *account, **reach)
        create_account(engine, scope, *account, _read_password(args), **reach)
    except AccountError as exc:
        option = f" (option {ACCOUNT_OPTIONS[exc.field]})" if exc.field else ""
        raise CliError(f"{exc}{option}") from None
    _say(f"Compte créé : {args.email.strip().lower()} ({args.role}).")


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CliError("Pas de terminal : passez le mot de passe par --password-stdin.")
    first = getpass.getpass("Mot de passe : ")
    if first != getpass.getpass("Confirmez : "):
        raise CliError("Les deux saisies diffèrent.")
    return first


def _operator() -> Scope:
    """The person running the command, for the audit log."""
    return Scope.system(os.environ.get("USER", "cli"))


def cmd_users_unlock(args: argparse.Namespace, engine: Engine) -> None:
    """The admin page's « Débloquer »: the address may sign in again from every client."""
    _require_migrated(engine)
    try:
        cleared = unlock_account(engine, _operator(), account_id(engine, args.email))
    except AccountError as exc:
        raise CliError(str(exc)) from None
    _say(f"Compte débloqué : {args.email.strip().lower()} ({cleared} poste(s) verrouillé(s)).")


def cmd_users_password(args: argparse.Namespace, engine: Engine) -> None:
    """A new password; the account's open sessions end at their next click."""
    _require_migrated(engine)
    try:
        target = account_id(engine, args.email)
        set_password(engine, _operator(), target, _read_password(args))
    except AccountError as exc:
        option = f" (option {ACCOUNT_OPTIONS[exc.field]})" if exc.field else ""
        raise CliError(f"{exc}{option}") from None
    _say(f"Mot de passe changé : {args.email.strip().lower()} ; ses sessions sont fermées.")


def cmd_users_list(args: argparse.Namespace, engine: Engine) -> None:
    _require_migrated(engine)
    frame = accounts(engine, Scope.system())
    rows = [
        (a.email, labels.ROLE[a.role], a.territory_id or "", "actif" if a.active else "désactivé")
        for a in frame.itertuples()
    ]
    _print_table(("e-mail", "rôle", "territoire", "état"), rows)


def cmd_status(args: argparse.Namespace, engine: Engine) -> None:
    _require_migrated(engine)
    frame = database_status(engine)
    print(f"Base : {describe(engine)} — révision {current_revision(engine)}")
    headers = (
        "territoire",
        "début",
        "acteurs",
        "vagues",
        "répondants",
        "journaux",
        "approuvés",
        "dernier journal",
        "actions",
        "binômes",
    )
    rows = [
        (
            r.territory_id,
            fr.date(r.start_date),
            fr.number(r.actors),
            fr.number(r.waves),
            fr.number(r.respondents),
            fr.number(r.journals),
            fr.number(r.approved),
            fr.month(r.last_journal) if r.journals else "–",
            fr.number(r.joint_actions),
            fr.number(r.binome_accounts),
        )
        for r in frame.itertuples()
    ]
    _print_table(headers, rows)


def cmd_indicators_compute(args: argparse.Namespace, engine: Engine) -> None:
    from data.store.indicator_store import compute

    _require_migrated(engine)
    territories = [args.territory] if args.territory else _programme_territories(args.programme)
    if args.territory:
        _require_territory(engine, args.territory)
    summary = compute(engine, territories, force=args.force or bool(args.territory), progress=_say)
    if summary.territories == 0:
        _say("Indicateurs à jour : rien à recalculer.")
        return
    written = (
        f"{fr.number(summary.rows)} valeurs écrites"
        if summary.written == summary.rows
        else f"{fr.number(summary.rows)} valeurs, dont {fr.number(summary.written)} écrites "
        "(les autres n'avaient pas changé)"
    )
    _say(
        f"Indicateurs recalculés pour {summary.territories} territoire(s) : {written}, "
        f"en {fr.number(summary.seconds, 1)} s."
    )


def _programme_territories(programme_id: str | None) -> list[str] | None:
    """The territories of ``--programme`` (None: every programme's); a French error naming
    the programmes when it is unknown."""
    if programme_id is None:
        return None
    config = get_config()
    try:
        return [t.id for t in config.programme(programme_id).territories]
    except KeyError:
        known = ", ".join(p.id for p in config.programmes)
        raise CliError(
            f"Programme inconnu « {programme_id} » (option --programme) : programmes "
            f"configurés : {known}."
        ) from None


def cmd_export_indicators(args: argparse.Namespace, engine: Engine) -> None:
    """The pages' long export, for every territory and month (system scope), or those of
    one programme."""
    from data.exports.indicators import export_indicators

    _require_migrated(engine)
    out = Path(args.out)
    fmt = args.format or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    config = get_config()
    data = export_indicators(
        engine,
        Scope.system(),
        fmt,
        catalogue=config.load_catalogue(),
        stage_model=config.reference_model,
        territory_ids=_programme_territories(args.programme),
    )
    out.write_bytes(data)
    _say(f"Indicateurs exportés en {fmt.upper()} dans {out}.")


def _require_territory(engine: Engine, territory_id: str) -> None:
    with session_scope(engine, actor="cli") as session:
        if session.get(Territory, territory_id) is None:
            known = ", ".join(session.scalars(select(Territory.id).order_by(Territory.id)))
            raise CliError(f"Territoire inconnu « {territory_id} ». Territoires : {known}.")


def _print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    for line in (headers, *rows):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cooperascope",
        description="Coopérascope : évaluation des coopérations territoriales.",
    )
    parser.add_argument(
        "--database-url", help="base de données (défaut : DATABASE_URL ou var/cooperascope.db)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="schéma de la base").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="appliquer les migrations et la configuration").set_defaults(
        handler=cmd_db_upgrade
    )

    demo = commands.add_parser("demo", help="jeu de démonstration").add_subparsers(
        dest="demo_command", required=True
    )
    load = demo.add_parser("load", help="générer et charger l'historique de démonstration")
    load.add_argument(
        "--territories",
        type=int,
        help="nombre de territoires (par défaut : ceux de la configuration, tous programmes)",
    )
    load.add_argument("--seed", type=int, default=20261123, help="graine du générateur")
    load.add_argument("--end-month", help="dernier mois de l'historique (AAAA-MM)")
    load.add_argument(
        "--if-empty", action="store_true", help="ne rien faire si la base contient déjà des données"
    )
    load.set_defaults(handler=cmd_demo_load)

    users = commands.add_parser("users", help="comptes utilisateurs").add_subparsers(
        dest="users_command", required=True
    )
    add = users.add_parser("add", help="créer un compte")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True, help="nom affiché")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--territory", help="territoire (obligatoire pour un binôme)")
    add.add_argument(
        "--programme",
        action="append",
        help="programme suivi (pilotage) ou financé (financeur) ; répétable",
    )
    add.add_argument(
        "--all-programmes", action="store_true", help="pilotage de tous les programmes"
    )
    add.add_argument("--password-stdin", action="store_true", help="lire le mot de passe")
    add.set_defaults(handler=cmd_users_add)
    users.add_parser("list", help="lister les comptes").set_defaults(handler=cmd_users_list)
    unlock = users.add_parser(
        "unlock", help="débloquer un compte verrouillé après des essais de connexion"
    )
    unlock.add_argument("--email", required=True)
    unlock.set_defaults(handler=cmd_users_unlock)
    password = users.add_parser("password", help="changer le mot de passe d'un compte")
    password.add_argument("--email", required=True)
    password.add_argument("--password-stdin", action="store_true", help="lire le mot de passe")
    password.set_defaults(handler=cmd_users_password)

    indicators = commands.add_parser("indicators", help="indicateurs").add_subparsers(
        dest="indicators_command", required=True
    )
    compute = indicators.add_parser(
        "compute", help="calculer les indicateurs des territoires dont les données ont changé"
    )
    compute.add_argument("--territory", help="un seul territoire (recalculé même s'il est à jour)")
    compute.add_argument("--force", action="store_true", help="tout recalculer")
    compute.add_argument("--programme", help="les territoires d'un seul programme")
    compute.set_defaults(handler=cmd_indicators_compute)

    export = commands.add_parser("export", help="exports").add_subparsers(
        dest="export_command", required=True
    )
    export_indicators = export.add_parser(
        "indicators", help="table longue territoire × mois × indicateur (CSV ou XLSX)"
    )
    export_indicators.add_argument("--out", required=True, help="fichier à écrire")
    export_indicators.add_argument("--programme", help="les territoires d'un seul programme")
    export_indicators.add_argument(
        "--format",
        choices=FORMATS,
        help="csv ou xlsx (défaut : d'après l'extension du fichier, sinon csv)",
    )
    export_indicators.set_defaults(handler=cmd_export_indicators)

    register_import(commands)
    register_backup(commands)

    commands.add_parser("status", help="contenu de la base, par territoire").set_defaults(
        handler=cmd_status
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        engine = make_engine(args.database_url)
        try:
            args.handler(args, engine)
        finally:
            engine.dispose()
    except (CliError, ConfigError) as exc:
        _say(f"Erreur : {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
