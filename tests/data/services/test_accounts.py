"""Sign-in: argon2 verification, generic refusal, lockout after five failures."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data.access import Permission
from data.services.accounts import LOCKOUT, MAX_FAILURES, SignInError, authenticate
from data.services.passwords import hash_password
from data.store.engine import session_scope
from data.store.models import UserAccount

PASSWORD = "mot-de-passe-solide"
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def account(engine: Engine) -> Engine:
    with session_scope(engine, "test") as session:
        session.add(
            UserAccount(
                email="binome.roya@tec-demo.fr",
                display_name="Binôme Roya",
                role="binome",
                territory_id="roya",
                password_hash=hash_password(PASSWORD),
            )
        )
    return engine


def test_right_password_signs_in_with_the_binome_scope(account: Engine) -> None:
    user = authenticate(account, "  Binome.Roya@TEC-demo.fr ", PASSWORD, now=T0)
    assert (user.role, user.territory_id) == ("binome", "roya")
    assert user.scope.can(Permission.WRITE_TERRITORY, "roya")
    assert not user.scope.can(Permission.WRITE_TERRITORY, "forbach")


def test_unknown_address_and_wrong_password_get_the_same_message(account: Engine) -> None:
    with pytest.raises(SignInError) as unknown:
        authenticate(account, "personne@tec-demo.fr", PASSWORD, now=T0)
    with pytest.raises(SignInError) as wrong:
        authenticate(account, "binome.roya@tec-demo.fr", "mauvais", now=T0)
    assert str(unknown.value) == str(wrong.value) == "Adresse e-mail ou mot de passe incorrect."


def test_lockout_after_five_failures_then_release(account: Engine) -> None:
    for attempt in range(MAX_FAILURES):
        with pytest.raises(SignInError, match="incorrect"):
            authenticate(account, "binome.roya@tec-demo.fr", f"faux-{attempt}", now=T0)
    # Locked now: even the right password is refused until the lockout ends.
    with pytest.raises(SignInError, match="verrouillé"):
        authenticate(account, "binome.roya@tec-demo.fr", PASSWORD, now=T0 + LOCKOUT / 2)
    user = authenticate(
        account, "binome.roya@tec-demo.fr", PASSWORD, now=T0 + LOCKOUT + dt.timedelta(seconds=1)
    )
    assert user.email == "binome.roya@tec-demo.fr"
    with session_scope(account, "test") as session:
        stored = session.scalars(select(UserAccount)).one()
        assert (stored.failed_logins, stored.locked_until) == (0, None)


def test_four_failures_then_success_resets_the_count(account: Engine) -> None:
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInError):
            authenticate(account, "binome.roya@tec-demo.fr", "faux", now=T0)
    authenticate(account, "binome.roya@tec-demo.fr", PASSWORD, now=T0)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInError, match="incorrect"):
            authenticate(account, "binome.roya@tec-demo.fr", "faux", now=T0)
