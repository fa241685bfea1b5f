"""Bedside's own accounts: passwords kept as argon2id hashes (argon2-cffi, its RFC 9106 low-memory
profile), checked by `LocalAuthenticator`."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from bedside_adapters.db import user_store
from bedside_adapters.db.engine import Engine

from bedside.users import MIN_PASSWORD, AuthError, User, password_problem

_HASHER = PasswordHasher()

_NOBODY = _HASHER.hash("an account that does not exist")
"""Checked against when the username is unknown, so an unknown user takes as long to refuse as a
wrong password (the time would otherwise tell which usernames exist)."""

__all__ = ["MIN_PASSWORD", "LocalAuthenticator", "PasswordError", "hash_password", "password_matches"]


class PasswordError(ValueError):
    """A new password Bedside will not keep."""


def hash_password(password: str) -> str:
    """The argon2id hash to store (with its salt and parameters)."""
    problem = password_problem(password)
    if problem is not None:
        raise PasswordError(problem)
    return _HASHER.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class LocalAuthenticator:
    """An `Authenticator` over the app_user table. Unknown user, wrong password and disabled account
    are refused alike."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def authenticate(self, username: str, password: str) -> User:
        username = username.strip()
        stored = user_store.stored_account(self._engine, username) if username else None
        if stored is None:
            password_matches(_NOBODY, password)
            raise AuthError()
        if not password_matches(stored.password_hash, password) or not stored.user.active:
            raise AuthError()
        return stored.user
