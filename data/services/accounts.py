"""Sign-in with local accounts: argon2 hashes, a lockout after repeated failures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from data.access import Role, Scope
from data.config import get_config
from data.services.passwords import verify_password
from data.store.engine import session_scope
from data.store.models import UserAccount

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class SignedInUser:
    id: int
    email: str
    display_name: str
    role: str
    territory_id: str | None

    @property
    def scope(self) -> Scope:
        return Scope(
            role=Role(self.role),
            territory_id=self.territory_id,
            user=self.email,
            sees_other_aggregates=get_config().programme.binomes_see_other_territories,
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
            until = _aware(account.locked_until).astimezone().strftime("%H:%M")
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
