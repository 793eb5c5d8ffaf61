"""Sign-in: argon2 verification, generic refusal, lockout after five failures per address and
client, and the sessions that follow (#11's sign-in findings each have a test here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

import pytest
from sqlalchemy import Engine, func, select

from data.access import Permission, Role, Scope
from data.services.accounts import set_active, set_password
from data.services.passwords import hash_password
from data.services.sign_in import (
    ANY_ADDRESS,
    CLIENT_MAX_FAILURES,
    LOCKOUT,
    MAX_FAILURES,
    SESSION_MAX_AGE,
    SignedInUser,
    SignInError,
    authenticate,
    issue_code,
    open_session,
    redeem_code,
    revoke_session,
    session_user,
)
from data.store.engine import session_scope
from data.store.models import SignInCode, SignInThrottle, UserAccount

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


def _throttle(engine: Engine, email: str) -> list[tuple[str, int, object]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(
                    SignInThrottle.client, SignInThrottle.failures, SignInThrottle.locked_until
                ).where(SignInThrottle.email == email)
            )
        ]


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
    # A success forgets that client's failures on the address.
    assert _throttle(account, "binome.roya@tec-demo.fr") == []


def test_four_failures_then_success_resets_the_count(account: Engine) -> None:
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInError):
            authenticate(account, "binome.roya@tec-demo.fr", "faux", now=T0)
    authenticate(account, "binome.roya@tec-demo.fr", PASSWORD, now=T0)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInError, match="incorrect"):
            authenticate(account, "binome.roya@tec-demo.fr", "faux", now=T0)


# -- #11: sign-in under attack -------------------------------------------------------------
ROYA = "binome.roya@tec-demo.fr"


def test_a_padded_address_is_normalised_counted_and_never_overflows_the_audit(
    account: Engine,
) -> None:
    padded = " " * 300 + ROYA.upper() + " " * 300
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError, match="incorrect"):
            authenticate(account, padded, "faux", client="10.0.0.9", now=T0)
    # The five failures counted against the address itself: it is locked on that client.
    with pytest.raises(SignInError, match="verrouillée"):
        authenticate(account, ROYA, PASSWORD, client="10.0.0.9", now=T0)


@pytest.mark.parametrize(
    "address",
    ["x" * 300 + "@tec-demo.fr", "binome.roya@tec-\x00demo.fr", "binome roya@tec-demo.fr", ""],
)
def test_an_address_that_cannot_be_one_is_refused_without_a_trace(
    account: Engine, address: str
) -> None:
    with pytest.raises(SignInError, match="incorrect"):
        authenticate(account, address, PASSWORD, client="10.0.0.9", now=T0)
    with account.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(SignInThrottle)) == 0


def test_parallel_wrong_passwords_all_count(account: Engine) -> None:
    guesses = 10
    barrier = threading.Barrier(guesses)

    def guess(i: int) -> None:
        barrier.wait()
        with pytest.raises(SignInError):
            authenticate(account, ROYA, f"faux-{i}", client="10.0.0.9", now=T0)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # The client's row for every address counts each of the ten (no lock below 20): a
    # read-modify-write without a lock would have lost some.
    assert [f for c, f, _ in _throttle(account, ANY_ADDRESS)] == [guesses]
    with pytest.raises(SignInError, match="verrouillée"):
        authenticate(account, ROYA, PASSWORD, client="10.0.0.9", now=T0)


def test_nobody_can_lock_an_account_out_from_another_client(account: Engine) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError):
            authenticate(account, ROYA, "faux", client="203.0.113.7", now=T0)
    with pytest.raises(SignInError, match="verrouillée"):
        authenticate(account, ROYA, PASSWORD, client="203.0.113.7", now=T0)
    # The binôme, from its own machine, signs in.
    assert authenticate(account, ROYA, PASSWORD, client="192.0.2.10", now=T0).email == ROYA


def test_one_client_trying_many_addresses_is_stopped(account: Engine) -> None:
    for i in range(CLIENT_MAX_FAILURES):
        with pytest.raises(SignInError):
            authenticate(account, f"inconnu-{i}@exemple.fr", "faux", client="198.51.100.4", now=T0)
    with pytest.raises(SignInError, match="verrouillée"):
        authenticate(account, ROYA, PASSWORD, client="198.51.100.4", now=T0)
    assert authenticate(account, ROYA, PASSWORD, client="192.0.2.10", now=T0).email == ROYA


def test_unknown_and_known_addresses_cost_the_same_argon2_verification(
    account: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data.services import sign_in

    verified: list[str] = []
    original = sign_in.verify_password

    def counting(password_hash, password):  # type: ignore[no-untyped-def]
        verified.append(password_hash)
        return original(password_hash, password)

    monkeypatch.setattr(sign_in, "verify_password", counting)
    for address in ("personne@tec-demo.fr", ROYA):
        with pytest.raises(SignInError, match="incorrect"):
            authenticate(account, address, "faux", client="10.0.0.1", now=T0)
    # One argon2id verification each: against a dummy hash for the unknown address.
    assert len(verified) == 2 and all(h.startswith("$argon2id$") for h in verified)
    assert verified[0] != verified[1]


def test_deactivation_and_a_new_password_end_open_sessions(account: Engine) -> None:
    user = authenticate(account, ROYA, PASSWORD, now=T0)
    first, second = open_session(account, user), open_session(account, user)
    assert session_user(account, first) == user
    lead = Scope(role=Role.LEAD, user="direction@tec-demo.fr")
    set_password(account, lead, user.id, "un-autre-mot-de-passe")
    assert session_user(account, first) is None and session_user(account, second) is None
    third = open_session(account, authenticate(account, ROYA, "un-autre-mot-de-passe", now=T0))
    set_active(account, lead, user.id, False)
    assert session_user(account, third) is None
    with pytest.raises(SignInError, match="incorrect"):
        authenticate(account, ROYA, "un-autre-mot-de-passe", now=T0)


def test_sessions_end_when_idle_expired_or_signed_out(account: Engine) -> None:
    user = authenticate(account, ROYA, PASSWORD, now=T0)
    token = open_session(account, user, now=T0)
    # Seen an hour later: still valid, and seen again then.
    assert session_user(account, token, now=T0 + dt.timedelta(hours=1)) == user
    assert session_user(account, token, now=T0 + dt.timedelta(hours=2, minutes=59)) == user
    # Idle for more than two hours after that: ended.
    assert session_user(account, token, now=T0 + dt.timedelta(hours=5)) is None
    busy = open_session(account, user, now=T0)
    for hour in range(1, 12):
        assert session_user(account, busy, now=T0 + dt.timedelta(hours=hour)) == user
    assert session_user(account, busy, now=T0 + SESSION_MAX_AGE) is None  # absolute expiry
    short = open_session(account, user, now=T0)
    revoke_session(account, short, now=T0)
    assert session_user(account, short, now=T0) is None
    assert session_user(account, "un-jeton-inventé", now=T0) is None


# -- #12: the code that carries a session over to the browser's cookie ---------------------
HOME = "192.0.2.10"


def _codes(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(select(SignInCode.code_hash, SignInCode.sealed_token))
        ]


def _signed_in(engine: Engine) -> tuple[SignedInUser, str]:
    """The binôme signed in from ``HOME`` at T0: its account and its session's token."""
    user = authenticate(engine, ROYA, PASSWORD, client=HOME, now=T0)
    return user, open_session(engine, user, HOME, now=T0)


def test_a_code_gives_its_sessions_token_once(account: Engine) -> None:
    user, token = _signed_in(account)
    code = issue_code(account, token, HOME, now=T0)
    # Stored: the code's SHA-256, and the token only sealed (neither the token nor the code,
    # nor the token's own SHA-256 that the session table keys on).
    [(code_hash, sealed)] = _codes(account)
    assert code_hash == hashlib.sha256(code.encode()).hexdigest()
    assert token not in sealed and code not in sealed
    assert hashlib.sha256(token.encode()).hexdigest() not in sealed
    assert redeem_code(account, code, HOME, now=T0 + dt.timedelta(seconds=5)) == token
    assert session_user(account, token, now=T0 + dt.timedelta(seconds=5)) == user
    # Used: deleted, so the same code again gives nothing.
    assert _codes(account) == []
    assert redeem_code(account, code, HOME, now=T0 + dt.timedelta(seconds=6)) is None
    assert redeem_code(account, "un-code-inventé", HOME, now=T0) is None


def test_a_code_expires_after_its_minute(account: Engine) -> None:
    _, token = _signed_in(account)
    code = issue_code(account, token, HOME, now=T0)
    # A minute to the second after it was issued: too late.
    assert redeem_code(account, code, HOME, now=T0 + dt.timedelta(seconds=60)) is None
    # Still a second inside the minute, another code works (SQL compares stored UTC times).
    fresh = issue_code(account, token, HOME, now=T0)
    assert redeem_code(account, fresh, HOME, now=T0 + dt.timedelta(seconds=59)) == token
    # Issuing a code deletes the expired ones: only the new one is left.
    issue_code(account, token, HOME, now=T0 + dt.timedelta(seconds=30))
    issue_code(account, token, HOME, now=T0 + dt.timedelta(minutes=5))
    assert len(_codes(account)) == 1


def test_a_code_serves_only_the_client_it_was_issued_to(account: Engine) -> None:
    _, token = _signed_in(account)
    code = issue_code(account, token, HOME, now=T0)
    assert redeem_code(account, code, "203.0.113.7", now=T0) is None
    # Refused from elsewhere, it is not spent: the binôme's own browser still uses it.
    assert redeem_code(account, code, HOME, now=T0) == token


def test_a_code_of_a_session_ended_or_an_account_deactivated_gives_nothing(
    account: Engine,
) -> None:
    user, token = _signed_in(account)
    signed_out = issue_code(account, token, HOME, now=T0)
    revoke_session(account, token, now=T0)
    assert redeem_code(account, signed_out, HOME, now=T0) is None
    lead = Scope(role=Role.LEAD, user="direction@tec-demo.fr")
    _, token = _signed_in(account)
    before_password = issue_code(account, token, HOME, now=T0)
    set_password(account, lead, user.id, "un-autre-mot-de-passe")
    assert redeem_code(account, before_password, HOME, now=T0) is None
    token = open_session(account, user, HOME, now=T0)
    before_deactivation = issue_code(account, token, HOME, now=T0)
    with session_scope(account, "test") as session:  # deactivated behind the service's back
        session.get(UserAccount, user.id).active = False
    assert redeem_code(account, before_deactivation, HOME, now=T0) is None


def test_parallel_redemptions_of_one_code_give_the_token_once(account: Engine) -> None:
    _, token = _signed_in(account)
    code = issue_code(account, token, HOME, now=T0)
    tries = 6
    barrier = threading.Barrier(tries)
    tokens: list[str | None] = []

    def redeem() -> None:
        barrier.wait()
        tokens.append(redeem_code(account, code, HOME, now=T0))

    threads = [threading.Thread(target=redeem) for _ in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(tokens) == tries and tokens.count(token) == 1 and tokens.count(None) == tries - 1


def test_the_command_line_unlocks_an_address(
    account: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from data.cli.main import main

    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError):
            authenticate(account, ROYA, "faux")
    with pytest.raises(SignInError, match="verrouillée"):
        authenticate(account, ROYA, PASSWORD)
    url = account.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "users", "unlock", "--email", ROYA.upper()]) == 0
    assert "Compte débloqué" in capsys.readouterr().err
    assert authenticate(account, ROYA, PASSWORD).email == ROYA
