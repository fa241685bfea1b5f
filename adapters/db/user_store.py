"""Bedside's own accounts (table app_user): who they are, their role, their password's argon2id hash,
and whether they may still sign in. Every change is made with its safety-log entry, in the caller's
transaction (`bedside.handlers.accounts` decides what may change)."""

from __future__ import annotations

from collections.abc import Callable

from bedside_adapters.db import schema as t
from bedside_adapters.db.engine import Engine
from sqlalchemy import Connection, func, insert, select, update

from bedside.clock import to_ms
from bedside.users import Role, StoredAccount, User

StoredUser = StoredAccount


def _user(row: object) -> User:
    return User(
        username=row.username,  # type: ignore[attr-defined]
        full_name=row.full_name,  # type: ignore[attr-defined]
        role=Role(row.role),  # type: ignore[attr-defined]
        active=bool(row.active),  # type: ignore[attr-defined]
        source="local",
    )


def find(conn: Connection, username: str) -> StoredUser | None:
    row = conn.execute(select(t.app_user).where(t.app_user.c.username == username)).one_or_none()
    return None if row is None else StoredUser(_user(row), row.password_hash)


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(t.app_user)).scalar_one())


def active_admins(conn: Connection) -> list[str]:
    query = select(t.app_user.c.username).where(
        t.app_user.c.role == Role.ADMIN.value, t.app_user.c.active.is_(True)
    )
    return sorted(conn.execute(query).scalars())


def all_users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(select(t.app_user).order_by(t.app_user.c.username))]


def insert_user(conn: Connection, user: User, password_hash: str, at: float) -> None:
    ms = to_ms(at)
    conn.execute(
        insert(t.app_user).values(
            username=user.username,
            full_name=user.full_name,
            role=user.role.value,
            password_hash=password_hash,
            active=user.active,
            created_ms=ms,
            changed_ms=ms,
        )
    )


def update_user(
    conn: Connection,
    username: str,
    at: float,
    *,
    active: bool | None = None,
    password_hash: str | None = None,
) -> None:
    values: dict[str, object] = {"changed_ms": to_ms(at)}
    if active is not None:
        values["active"] = active
    if password_hash is not None:
        values["password_hash"] = password_hash
    conn.execute(update(t.app_user).where(t.app_user.c.username == username).values(**values))


def account_count(engine: Engine) -> int:
    """How many accounts exist (0: the first admin may create itself)."""
    with engine.connect() as conn:
        return count(conn)


def stored_account(engine: Engine, username: str) -> StoredUser | None:
    """The account and its password hash, as sign-in checks it."""
    with engine.connect() as conn:
        return find(conn, username)


def users(engine: Engine) -> list[User]:
    """Every account, by username."""
    with engine.connect() as conn:
        return all_users(conn)


def lookup(engine: Engine) -> Callable[[str], User | None]:
    """Bedside's own record of a username, read each time (a directory sign-in refuses an account
    disabled here)."""

    def read(username: str) -> User | None:
        with engine.connect() as conn:
            stored = find(conn, username)
        return None if stored is None else stored.user

    return read


class SqlUsers:
    """The accounts of a unit of work, on its connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def find(self, username: str) -> StoredAccount | None:
        return find(self._conn, username)

    def count(self) -> int:
        return count(self._conn)

    def active_admins(self) -> list[str]:
        return active_admins(self._conn)

    def all(self) -> list[User]:
        return all_users(self._conn)

    def add(self, user: User, password_hash: str, at: float) -> None:
        insert_user(self._conn, user, password_hash, at)

    def update(
        self, username: str, at: float, *, active: bool | None = None, password_hash: str | None = None
    ) -> None:
        update_user(self._conn, username, at, active=active, password_hash=password_hash)
