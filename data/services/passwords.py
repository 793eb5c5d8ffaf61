"""Password hashing with argon2 (argon2-cffi defaults: argon2id)."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise ValueError(f"le mot de passe doit compter au moins {MIN_LENGTH} caractères")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """A hash of a random password, with the same parameters as real ones: verifying a
    password against it costs what verifying against an account's does."""
    return _hasher.hash(secrets.token_urlsafe(16))
