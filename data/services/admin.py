"""Account administration, for programme leads only."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from data.access import Permission, Role, Scope, requires_territory
from data.services.passwords import hash_password
from data.store.engine import session_scope
from data.store.models import Territory, UserAccount


def create_account(
    engine: Engine,
    scope: Scope,
    email: str,
    display_name: str,
    role: str,
    territory_id: str | None,
    password: str,
) -> int:
    """Create an account; raise ValueError with a French message on bad input."""
    scope.require(Permission.MANAGE_ACCOUNTS)
    email = email.strip().lower()
    if "@" not in email:
        raise ValueError("Adresse e-mail invalide.")
    if not display_name.strip():
        raise ValueError("Donnez un nom affiché.")
    if role not in tuple(Role):
        raise ValueError(f"Rôle inconnu : {role}.")
    if requires_territory(role) != (territory_id is not None):
        raise ValueError("Un binôme, et lui seul, est rattaché à un territoire.")
    password_hash = hash_password(password)
    try:
        with session_scope(engine, actor=scope.user) as session:
            if territory_id and session.get(Territory, territory_id) is None:
                raise ValueError(f"Territoire inconnu : {territory_id}.")
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
        raise ValueError(f"Un compte existe déjà avec l'adresse {email}.") from None


def set_active(engine: Engine, scope: Scope, account_id: int, active: bool) -> None:
    scope.require(Permission.MANAGE_ACCOUNTS)
    with session_scope(engine, actor=scope.user) as session:
        account = session.get(UserAccount, account_id)
        if account is None:
            raise ValueError("Compte introuvable.")
        if account.email == scope.user and not active:
            raise ValueError("Vous ne pouvez pas désactiver votre propre compte.")
        account.active = active


def unlock_account(engine: Engine, scope: Scope, account_id: int) -> None:
    scope.require(Permission.MANAGE_ACCOUNTS)
    with session_scope(engine, actor=scope.user) as session:
        account = session.get(UserAccount, account_id)
        if account is None:
            raise ValueError("Compte introuvable.")
        account.locked_until = None
        account.failed_logins = 0
