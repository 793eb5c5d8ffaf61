"""Accounts: sign-in with local accounts (argon2 hashes, a lockout after repeated failures),
and their administration (create, deactivate, unlock), used by the admin page and the
command line alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from data import fr
from data.access import Permission, Role, Scope, requires_territory
from data.config import get_config
from data.services.passwords import hash_password, verify_password
from data.store.engine import session_scope
from data.store.models import Territory, UserAccount

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class SignedInUser:
    """Who signed in, and the programme setting their scope depends on (read at sign-in)."""

    id: int
    email: str
    display_name: str
    role: str
    territory_id: str | None
    sees_other_aggregates: bool = False

    @property
    def scope(self) -> Scope:
        return Scope(
            role=Role(self.role),
            territory_id=self.territory_id,
            user=self.email,
            sees_other_aggregates=self.sees_other_aggregates,
        )


class SignInError(Exception):
    """Sign-in refused; the message is shown to the user as is (French)."""


def _as_user(account: UserAccount) -> SignedInUser:
    return SignedInUser(
        id=account.id,
        email=account.email,
        display_name=account.display_name,
        role=account.role,
        territory_id=account.territory_id,
        sees_other_aggregates=get_config().programme.binomes_see_other_territories,
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def authenticate(
    engine: Engine, email: str, password: str, now: dt.datetime | None = None
) -> SignedInUser:
    """Check an e-mail and password; count failures and lock the account after too many.

    The message does not say whether the address exists.
    """
    now = now or dt.datetime.now(dt.UTC)
    refused = "Adresse e-mail ou mot de passe incorrect."
    with session_scope(engine, actor=email or "anonymous") as session:
        account = session.scalars(
            select(UserAccount).where(func.lower(UserAccount.email) == email.strip().lower())
        ).one_or_none()
        if account is None or not account.active:
            raise SignInError(refused)
        if account.locked_until and _aware(account.locked_until) > now:
            until = fr.time(account.locked_until)
            raise SignInError(
                f"Compte verrouillé après {MAX_FAILURES} essais infructueux : "
                f"réessayez après {until}, ou demandez à l'équipe de pilotage de le débloquer."
            )
        if not verify_password(account.password_hash, password):
            account.failed_logins += 1
            if account.failed_logins >= MAX_FAILURES:
                account.locked_until = now + LOCKOUT
                account.failed_logins = 0
            error = SignInError(refused)
        else:
            if account.failed_logins or account.locked_until:
                account.failed_logins = 0
                account.locked_until = None
            return _as_user(account)
    raise error


def user_by_email(engine: Engine, email: str) -> SignedInUser | None:
    """An active account by e-mail (for single sign-on, which has already authenticated)."""
    with session_scope(engine, actor=email) as session:
        account = session.scalars(
            select(UserAccount).where(func.lower(UserAccount.email) == email.strip().lower())
        ).one_or_none()
        return _as_user(account) if account and account.active else None


class AccountError(ValueError):
    """Bad input for an account; the message is French, ``field`` names what to correct
    (``email``, ``name``, ``role``, ``territory``, ``password``; None for the account itself)."""

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
) -> int:
    """Create an account and return its id; raise :class:`AccountError` on bad input."""
    validate_account(engine, scope, email, display_name, role, territory_id)
    email = email.strip().lower()
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
            )
            session.add(account)
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
) -> None:
    """The checks of :func:`create_account` that need no password (so that the command line
    can make them before asking for one)."""
    scope.require(Permission.MANAGE_ACCOUNTS)
    if "@" not in email.strip():
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


def set_active(engine: Engine, scope: Scope, account_id: int, active: bool) -> None:
    scope.require(Permission.MANAGE_ACCOUNTS)
    with session_scope(engine, actor=scope.user) as session:
        account = session.get(UserAccount, account_id)
        if account is None:
            raise AccountError("Compte introuvable.")
        if account.email == scope.user and not active:
            raise AccountError("Vous ne pouvez pas désactiver votre propre compte.")
        account.active = active


def unlock_account(engine: Engine, scope: Scope, account_id: int) -> None:
    scope.require(Permission.MANAGE_ACCOUNTS)
    with session_scope(engine, actor=scope.user) as session:
        account = session.get(UserAccount, account_id)
        if account is None:
            raise AccountError("Compte introuvable.")
        account.locked_until = None
        account.failed_logins = 0
