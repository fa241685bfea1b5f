"""Bedside's own accounts for the command line, the demo and a site's provisioning: the account
handlers (`bedside.handlers.accounts`, where what may change is decided and logged) run on the
database with argon2id as the password hash."""

from __future__ import annotations

from bedside_adapters.auth.local import hash_password
from bedside_adapters.db import user_store
from bedside_adapters.db.engine import Engine
from bedside_adapters.db.unit_of_work import SqlUnitOfWork

from bedside.account_commands import AccountError, AddUser, DisableUser, ListUsers, SetPassword
from bedside.handlers import accounts as handlers
from bedside.users import MAX_USERNAME, Role, User

__all__ = [
    "MAX_USERNAME",
    "AccountError",
    "add_user",
    "disable_user",
    "is_bootstrap",
    "list_users",
    "provision",
    "set_password",
]


def is_bootstrap(engine: Engine) -> bool:
    """No account exists yet: the first admin may create itself."""
    return user_store.account_count(engine) == 0


def add_user(
    engine: Engine,
    actor: User | None,
    *,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    at: float | None = None,
) -> User:
    """A new active account. `actor` None: the bootstrap (no account yet, and the new one an admin)."""
    cmd = AddUser(
        by=None if actor is None else actor.username,
        role=None if actor is None else actor.role,
        username=username,
        full_name=full_name,
        new_role=role,
        password=password,
        recorded_at=at,
    )
    return handlers.add_user(SqlUnitOfWork(engine), cmd, hash_password)


def provision(engine: Engine, user: User, password_hash: str, actor: str, at: float) -> bool:
    """Store an account as a site's provisioning does; False when the username exists already."""
    return handlers.provision_user(SqlUnitOfWork(engine), user, password_hash, actor, at)


def disable_user(
    engine: Engine, actor: User, username: str, reason: str = "", at: float | None = None
) -> User:
    cmd = DisableUser(by=actor.username, role=actor.role, username=username, reason=reason, recorded_at=at)
    return handlers.disable_user(SqlUnitOfWork(engine), cmd)


def set_password(engine: Engine, actor: User, username: str, password: str, at: float | None = None) -> None:
    cmd = SetPassword(
        by=actor.username, role=actor.role, username=username, password=password, recorded_at=at
    )
    handlers.set_password(SqlUnitOfWork(engine), cmd, hash_password)


def list_users(engine: Engine, actor: User, at: float | None = None) -> list[User]:
    cmd = ListUsers(by=actor.username, role=actor.role, recorded_at=at)
    return handlers.list_users(SqlUnitOfWork(engine), cmd)
