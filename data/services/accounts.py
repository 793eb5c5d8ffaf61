"""Account administration — create, deactivate, unlock, set a password — used by the admin
page and the command line alike. Sign-in and sessions are in ``data.services.sign_in``."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from data.access import Permission, Role, Scope, requires_territory
from data.services.passwords import hash_password
from data.services.sign_in import clear_throttles, normalise_email, revoke_account_sessions
from data.store import audit
from data.store.engine import session_scope
from data.store.models import AccountProgramme, Programme, Territory, UserAccount


class AccountError(ValueError):
    """Bad input for an account; the message is French, ``field`` names what to correct
    (``email``, ``name``, ``role``, ``territory``, ``programmes``, ``password``; None for the
    account itself)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def create_account(
    engine: Engine,
    scope: Scope,
    email: str,
    display_name: str,
    role: str,
    territory_id: str | None,
    password: str,
    programmes: Sequence[str] = (),
    all_programmes: bool = False,
) -> int:
    """Create an account and return its id; raise :class:`AccountError` on bad input.

    A binôme's programme is its territory's; a lead leads ``programmes`` or, with
    ``all_programmes``, every programme present and future; a funder funds ``programmes``."""
    validate_account(
        engine, scope, email, display_name, role, territory_id, programmes, all_programmes
    )
    email = normalise_email(email) or ""
    try:  # hashing is deliberately slow: after the cheap checks, outside the transaction
        password_hash = hash_password(password)
    except ValueError as exc:
        raise AccountError(f"Mot de passe refusé : {exc}.", "password") from None
    try:
        with session_scope(engine, actor=scope.user) as session:
            account = UserAccount(
                email=email,
                display_name=display_name.strip(),
                role=role,
                territory_id=territory_id,
                password_hash=password_hash,
                all_programmes=all_programmes,
            )
            session.add(account)
            session.flush()
            session.add_all(
                AccountProgramme(account_id=account.id, programme_id=programme)
                for programme in dict.fromkeys(programmes)
            )
            session.flush()
            return account.id
    except IntegrityError:
        raise AccountError(f"Un compte existe déjà avec l'adresse {email}.", "email") from None


def validate_account(
    engine: Engine,
    scope: Scope,
    email: str,
    display_name: str,
    role: str,
    territory_id: str | None,
    programmes: Sequence[str] = (),
    all_programmes: bool = False,
) -> None:
    """The checks of :func:`create_account` that need no password (so that the command line
    can make them before asking for one)."""
    scope.require(Permission.MANAGE_ACCOUNTS)
    if normalise_email(email) is None:
        raise AccountError("Adresse e-mail invalide.", "email")
    if not display_name.strip():
        raise AccountError("Donnez un nom affiché.", "name")
    if role not in tuple(Role):
        raise AccountError(f"Rôle inconnu : {role}.", "role")
    if requires_territory(role) != (territory_id is not None):
        raise AccountError("Un binôme, et lui seul, est rattaché à un territoire.", "territory")
    if territory_id is not None:
        with engine.connect() as connection:
            if connection.scalar(select(Territory.id).where(Territory.id == territory_id)) is None:
                raise AccountError(f"Territoire inconnu « {territory_id} ».", "territory")
        if not scope.can(Permission.MANAGE_ACCOUNTS, territory_id):
            raise AccountError(
                f"Le territoire « {territory_id} » n'est pas dans vos programmes.", "territory"
            )
    _validate_programmes(engine, scope, role, programmes, all_programmes)


def _validate_programmes(
    engine: Engine, scope: Scope, role: str, programmes: Sequence[str], all_programmes: bool
) -> None:
    """A binôme has no programme of its own, a funder at least one, a lead at least one or
    all; each exists and is one of the creating scope's (only a lead of all names all)."""
    if role == Role.BINOME:
        if programmes or all_programmes:
            raise AccountError(
                "Un binôme appartient au programme de son territoire : ne donnez pas de programme.",
                "programmes",
            )
        return
    if all_programmes and role != Role.LEAD:
        raise AccountError(
            "Seul un compte de pilotage peut suivre tous les programmes.", "programmes"
        )
    if all_programmes and scope.programmes is not None:
        raise AccountError(
            "Vous ne suivez pas tous les programmes : vous ne pouvez pas créer un compte qui "
            "les suit tous.",
            "programmes",
        )
    if not all_programmes and not programmes:
        raise AccountError("Donnez au moins un programme.", "programmes")
    with engine.connect() as connection:
        known = set(connection.scalars(select(Programme.id)))
    unknown = [p for p in programmes if p not in known]
    if unknown:
        raise AccountError(
            f"Programme inconnu : {', '.join(f'« {p} »' for p in unknown)} (programmes : "
            f"{', '.join(sorted(known))}).",
            "programmes",
        )
    foreign = [p for p in programmes if not scope.can_see_programme(p)]
    if foreign:
        raise AccountError(
            f"Programme hors de vos programmes : {', '.join(f'« {p} »' for p in foreign)}.",
            "programmes",
        )


def account_id(engine: Engine, email: str) -> int:
    """The id of the account of ``email`` (:class:`AccountError` if there is none)."""
    key = normalise_email(email)
    with engine.connect() as connection:
        found = connection.scalar(select(UserAccount.id).where(UserAccount.email == key))
    if found is None:
        raise AccountError(f"Aucun compte pour l'adresse {email.strip()}.", "email")
    return found


def _account(session, scope: Scope, account_id: int) -> UserAccount:  # type: ignore[no-untyped-def]
    """The account to change, if the scope may manage it (:class:`AccountError` otherwise)."""
    scope.require(Permission.MANAGE_ACCOUNTS)
    account = session.get(UserAccount, account_id)
    if account is None:
        raise AccountError("Compte introuvable.")
    programmes = session.scalars(
        select(AccountProgramme.programme_id).where(AccountProgramme.account_id == account_id)
    )
    if not scope.can_manage_account(account.territory_id, programmes, account.all_programmes):
        raise AccountError(
            f"Le compte {account.email} suit d'autres programmes que les vôtres : seul un "
            "pilotage de tous ses programmes peut le modifier."
        )
    return account


def set_active(engine: Engine, scope: Scope, account_id: int, active: bool) -> None:
    """(De)activate an account; deactivating ends its open sessions at their next click."""
    with session_scope(engine, actor=scope.user) as session:
        account = _account(session, scope, account_id)
        if account.email == scope.user and not active:
            raise AccountError("Vous ne pouvez pas désactiver votre propre compte.")
        account.active = active
        if not active:
            revoke_account_sessions(session.connection(), account_id)


def set_password(engine: Engine, scope: Scope, account_id: int, password: str) -> None:
    """Give an account a new password; its open sessions end at their next click."""
    scope.require(Permission.MANAGE_ACCOUNTS)
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise AccountError(f"Mot de passe refusé : {exc}.", "password") from None
    with session_scope(engine, actor=scope.user) as session:
        _account(session, scope, account_id).password_hash = password_hash
        revoke_account_sessions(session.connection(), account_id)


def unlock_account(engine: Engine, scope: Scope, account_id: int) -> int:
    """Let the account sign in again from every client; return how many were locked out."""
    with session_scope(engine, actor=scope.user) as session:
        email = _account(session, scope, account_id).email
        cleared = clear_throttles(session.connection(), email)
        audit.record(session.connection(), scope.user, "unlock", "user_account", str(account_id))
        return cleared
