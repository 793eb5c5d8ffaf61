"""Sign-in with local accounts, and the server-side sessions that follow it.

What it promises (tests in ``tests/data/services/test_sign_in.py``):

- **No account enumeration.** An unknown, inactive or malformed address costs the same argon2
  verification as a known one and gets the same French message.
- **Guessing is throttled per address and client.** After :data:`MAX_FAILURES` failures for
  one address from one client within :data:`LOCKOUT`, that client may not try that address
  again until the window ends; after :data:`CLIENT_MAX_FAILURES` failures for any addresses,
  that client may not try any. Another client is not affected: nobody can lock a programme
  lead out of their own machine. Counters are read and written in one serialised transaction,
  so parallel guesses all count. ``cooperascope users unlock`` (and the admin page) clear an
  address's counters.
- **Sessions are revocable.** A session is a random token whose SHA-256 is stored in
  ``user_session``; every interaction validates it (not revoked, not idle for more than
  :data:`SESSION_IDLE`, younger than :data:`SESSION_MAX_AGE`, account still active). Sign-out,
  deactivation and a new password revoke it, so the next click of an open page signs out.
- **A session reaches the browser's cookie through a single-use code.** :func:`issue_code`
  stores, for an open session, a code's SHA-256 for :data:`SIGN_IN_CODE_TTL`, bound to the
  client that signed in, with the session's token sealed by the code (XOR with a SHAKE-256
  keystream of the code: only the code's holder unseals it, the database alone never gives a
  token away); :func:`redeem_code` deletes it and unseals the token, so a code serves once
  (two parallel redemptions: one token), never after its minute, never from another client,
  never for a session ended or an account deactivated meanwhile.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data import fr
from data.access import Role, Scope
from data.config import get_config
from data.services.passwords import dummy_hash, verify_password
from data.store import audit
from data.store.engine import session_scope
from data.store.models import (
    AccountProgramme,
    Programme,
    SignInCode,
    SignInThrottle,
    Territory,
    UserAccount,
    UserSession,
)

MAX_FAILURES = 5
CLIENT_MAX_FAILURES = 20
LOCKOUT = dt.timedelta(minutes=15)
SESSION_IDLE = dt.timedelta(hours=2)
SESSION_MAX_AGE = dt.timedelta(hours=12)
SIGN_IN_CODE_TTL = dt.timedelta(seconds=60)
SEEN_EVERY = dt.timedelta(minutes=1)  # a session's last_seen_at is written at most this often
MAX_EMAIL = 254  # RFC 5321, and the width of user_account.email
MAX_CLIENT = 64
ANY_ADDRESS = "*"  # the throttle row counting a client's failures for every address
REFUSED = "Adresse e-mail ou mot de passe incorrect."


@dataclass(frozen=True)
class SignedInUser:
    """Who signed in, their programmes and the programme setting their scope depends on (read
    at sign-in and at every click)."""

    id: int
    email: str
    display_name: str
    role: str
    territory_id: str | None
    sees_other_aggregates: bool = False
    # The programmes the account reaches and their territories (None: every programme).
    programmes: frozenset[str] | None = None
    territories: frozenset[str] | None = None

    @property
    def scope(self) -> Scope:
        return Scope(
            role=Role(self.role),
            territory_id=self.territory_id,
            user=self.email,
            sees_other_aggregates=self.sees_other_aggregates,
            programmes=self.programmes,
            territories=self.territories,
        )


class SignInError(Exception):
    """Sign-in refused; the message is shown to the user as is (French)."""


def normalise_email(email: str) -> str | None:
    """The address as accounts are keyed: trimmed, Unicode-normalised (NFC), lower case;
    None when it cannot be an address (empty, too long, blanks or control characters inside,
    no « @ »)."""
    text = unicodedata.normalize("NFC", email.strip()).lower()
    if not text or len(text) > MAX_EMAIL or "@" not in text:
        return None
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in text):
        return None
    return text


def normalise_client(client: str | None) -> str:
    """A client identity fit for storage: its address, cut to :data:`MAX_CLIENT`."""
    return (client or "inconnu")[:MAX_CLIENT]


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _as_user(connection: Connection, account: UserAccount) -> SignedInUser:
    """The signed-in user of ``account``, with its programmes read now (one query): a lead of
    every programme reaches all; a binôme its territory's programme; others the programmes of
    ``account_programme``."""
    user = SignedInUser(
        id=account.id,
        email=account.email,
        display_name=account.display_name,
        role=account.role,
        territory_id=account.territory_id,
    )
    if account.all_programmes:
        return user
    if account.territory_id is not None:
        wanted = select(Territory.programme_id).where(Territory.id == account.territory_id)
    else:
        wanted = select(AccountProgramme.programme_id).where(
            AccountProgramme.account_id == account.id
        )
    rows = connection.execute(
        select(Programme.id, Territory.id.label("territory"))
        .outerjoin(Territory, Territory.programme_id == Programme.id)
        .where(Programme.id.in_(wanted.scalar_subquery()))
    ).all()
    setting = (  # the programme's setting, read from its file (db upgrade stores it too)
        account.territory_id is not None
        and get_config().programme_of(account.territory_id).programme.binomes_see_other_territories
    )
    return replace(
        user,
        programmes=frozenset(row.id for row in rows),
        territories=frozenset(row.territory for row in rows if row.territory is not None),
        sees_other_aggregates=setting,
    )


def _locked_until(
    connection: Connection, email: str, client: str, now: dt.datetime
) -> dt.datetime | None:
    """When the client may try ``email`` again (None: now)."""
    rows = connection.execute(
        select(SignInThrottle.locked_until).where(
            SignInThrottle.client == client,
            SignInThrottle.email.in_([email, ANY_ADDRESS]),
            SignInThrottle.locked_until.is_not(None),
        )
    ).scalars()
    later = [_aware(moment) for moment in rows if _aware(moment) > now]
    return max(later) if later else None


def _count_failure(
    connection: Connection, email: str, client: str, limit: int, now: dt.datetime
) -> bool:
    """Count one failure of ``client`` on ``email`` (in the caller's serialised transaction);
    return whether it locks."""
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    connection.execute(
        dialect_insert(SignInThrottle)
        .values(email=email, client=client, failures=0, window_start=now)
        .on_conflict_do_nothing(index_elements=["email", "client"])
    )
    row = connection.execute(
        select(SignInThrottle.failures, SignInThrottle.window_start)
        .where(SignInThrottle.email == email, SignInThrottle.client == client)
        .with_for_update()
    ).one()
    expired = _aware(row.window_start) + LOCKOUT <= now
    failures = 1 if expired else row.failures + 1
    locks = failures >= limit
    connection.execute(
        update(SignInThrottle)
        .where(SignInThrottle.email == email, SignInThrottle.client == client)
        .values(
            failures=0 if locks else failures,
            window_start=now if expired or locks else row.window_start,
            locked_until=now + LOCKOUT if locks else None,
        )
    )
    return locks


def authenticate(
    engine: Engine,
    email: str,
    password: str,
    *,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> SignedInUser:
    """Check an address and a password from ``client`` (its network address); raise
    :class:`SignInError` with a French message that never says whether the address exists."""
    now = now or dt.datetime.now(dt.UTC)
    key = normalise_email(email)
    client = normalise_client(client)
    account = None
    if key is not None:
        with session_scope(engine, actor="sign-in") as session:
            until = _locked_until(session.connection(), key, client, now)
            if until is not None:
                raise SignInError(
                    f"Connexion verrouillée sur ce poste après {MAX_FAILURES} essais "
                    f"infructueux : réessayez après {fr.time(until)} (heure de Paris), ou "
                    "demandez à l'équipe de pilotage de débloquer votre compte."
                )
            account = session.scalars(
                select(UserAccount).where(UserAccount.email == key)
            ).one_or_none()
            session.expunge_all()
    known = account is not None and account.active and bool(account.password_hash)
    # The same argon2 work whether or not the address is an account's, outside any
    # transaction (it is deliberately slow).
    verified = verify_password(account.password_hash if known else dummy_hash(), password)
    with session_scope(engine, actor="sign-in", serialised=True) as session:
        connection = session.connection()
        user = _as_user(connection, account) if known and verified and account else None
        if user is not None:
            connection.execute(
                delete(SignInThrottle).where(
                    SignInThrottle.email == key, SignInThrottle.client == client
                )
            )
            return user
        if key is None:
            raise SignInError(REFUSED)
        locked = _count_failure(connection, key, client, MAX_FAILURES, now)
        locked |= _count_failure(connection, ANY_ADDRESS, client, CLIENT_MAX_FAILURES, now)
        if locked:
            audit.record(connection, key, "lockout", "sign_in_throttle", f"{key}|{client}")
    raise SignInError(REFUSED)


def user_by_email(engine: Engine, email: str) -> SignedInUser | None:
    """An active account by e-mail (for single sign-on, which has already authenticated)."""
    key = normalise_email(email)
    if key is None:
        return None
    with session_scope(engine, actor="sign-in") as session:
        account = session.scalars(select(UserAccount).where(UserAccount.email == key)).one_or_none()
        return _as_user(session.connection(), account) if account and account.active else None


def clear_throttles(connection: Connection, email: str) -> int:
    """Forget the failures of ``email`` from every client; return how many clients had some."""
    return connection.execute(delete(SignInThrottle).where(SignInThrottle.email == email)).rowcount


# ----------------------------------------------------------------------------- sessions


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _open_session(
    connection: Connection, user: SignedInUser, client: str | None, now: dt.datetime
) -> str:
    token = secrets.token_urlsafe(32)
    connection.execute(
        insert(UserSession).values(
            token_hash=_digest(token),
            account_id=user.id,
            client=normalise_client(client),
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_MAX_AGE,
        )
    )
    audit.record(connection, user.email, "sign_in", "user_session", str(user.id))
    return token


def open_session(
    engine: Engine, user: SignedInUser, client: str | None = None, now: dt.datetime | None = None
) -> str:
    """A new session for ``user``; return its token (to keep client-side, never stored)."""
    with engine.begin() as connection:
        return _open_session(connection, user, client, now or dt.datetime.now(dt.UTC))


def session_user(engine: Engine, token: str, now: dt.datetime | None = None) -> SignedInUser | None:
    """The user of a valid session (None: unknown, revoked, idle too long, expired, or its
    account deactivated); records that the session was seen."""
    now = now or dt.datetime.now(dt.UTC)
    digest = _digest(token)
    with Session(engine) as session:
        row = session.execute(
            select(
                UserSession.last_seen_at,
                UserSession.expires_at,
                UserSession.revoked_at,
                UserAccount,
            )
            .join(UserAccount, UserAccount.id == UserSession.account_id)
            .where(UserSession.token_hash == digest)
        ).one_or_none()
        if row is None or row.revoked_at is not None or not row.UserAccount.active:
            return None
        if _aware(row.expires_at) <= now or _aware(row.last_seen_at) + SESSION_IDLE <= now:
            return None
        user = _as_user(session.connection(), row.UserAccount)
    if _aware(row.last_seen_at) + SEEN_EVERY <= now:
        with engine.begin() as connection:
            connection.execute(
                update(UserSession).where(UserSession.token_hash == digest).values(last_seen_at=now)
            )
    return user


def revoke_session(engine: Engine, token: str, now: dt.datetime | None = None) -> None:
    """End one session (sign-out)."""
    with engine.begin() as connection:
        connection.execute(
            update(UserSession)
            .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=now or dt.datetime.now(dt.UTC))
        )


def revoke_account_sessions(connection: Connection, account_id: int) -> int:
    """End every open session of an account (deactivation, new password), and forget its
    unused sign-in codes, in the caller's transaction; return how many sessions."""
    connection.execute(delete(SignInCode).where(SignInCode.account_id == account_id))
    return connection.execute(
        update(UserSession)
        .where(UserSession.account_id == account_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=dt.datetime.now(dt.UTC))
    ).rowcount


# ------------------------------------------------------------------------ sign-in codes


def _keystream(code: str, size: int) -> bytes:
    return hashlib.shake_256(b"cooperascope sign-in code\x00" + code.encode()).digest(size)


def _seal(token: str, code: str) -> str:
    """``token`` sealed by ``code`` (hex), which is random, secret and serves once."""
    raw = token.encode()
    return bytes(a ^ b for a, b in zip(raw, _keystream(code, len(raw)), strict=True)).hex()


def _unseal(sealed: str, code: str) -> str:
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _keystream(code, len(raw)), strict=True)).decode()


def issue_code(
    engine: Engine, token: str, client: str | None = None, now: dt.datetime | None = None
) -> str:
    """A code that :func:`redeem_code` turns back into ``token``, an open session's token,
    once, within :data:`SIGN_IN_CODE_TTL`, from ``client``; return it (its SHA-256 is stored,
    and the token sealed by it). Expired codes are deleted on the way."""
    now = now or dt.datetime.now(dt.UTC)
    code = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        connection.execute(delete(SignInCode).where(SignInCode.expires_at <= now))
        account_id = connection.execute(
            select(UserSession.account_id).where(UserSession.token_hash == _digest(token))
        ).scalar_one()
        connection.execute(
            insert(SignInCode).values(
                code_hash=_digest(code),
                account_id=account_id,
                client=normalise_client(client),
                expires_at=now + SIGN_IN_CODE_TTL,
                sealed_token=_seal(token, code),
            )
        )
    return code


def redeem_code(
    engine: Engine, code: str, client: str | None = None, now: dt.datetime | None = None
) -> str | None:
    """Use a code of :func:`issue_code`: delete it and return its session's token, or None
    (unknown, used, expired, another client's, or its session no longer valid)."""
    now = now or dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        sealed = connection.execute(
            delete(SignInCode)
            .where(
                SignInCode.code_hash == _digest(code),
                SignInCode.expires_at > now,
                SignInCode.client == normalise_client(client),
            )
            .returning(SignInCode.sealed_token)
        ).scalar_one_or_none()
    if sealed is None:
        return None
    token = _unseal(sealed, code)
    return token if session_user(engine, token, now=now) is not None else None
