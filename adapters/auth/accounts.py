"""Managing Bedside's own accounts: add, disable, set a password, list. Only an admin manages
accounts, except the very first one: with no account at all, an admin may create itself (the
installation's bootstrap). A user may change their own password. Every change is logged with its
safety-log entry in the same transaction; a refusal is logged too (`action.refused`)."""

from __future__ import annotations

import time

from bedside_adapters.auth.local import PasswordError, hash_password
from bedside_adapters.db import user_store
from bedside_adapters.db.engine import Engine
from bedside_adapters.db.safety_store import record

from bedside import log_entries as le
from bedside.refusals import Refused
from bedside.users import Action, NotAllowed, Role, User, may

MAX_USERNAME = 120


class AccountError(Refused):
    """An account change Bedside cannot make; the message says why."""


def _require_admin(engine: Engine, actor: User, at: float) -> None:
    if may(actor, Action.MANAGE_USERS):
        return
    refusal = NotAllowed(actor.role, Action.MANAGE_USERS)
    entry = le.ActionRefused(
        actor=actor.username, action=Action.MANAGE_USERS.value, role=actor.role.value, reason=str(refusal)
    )
    with engine.begin() as conn:
        record(conn, entry, at)
    raise refusal


def _check_username(username: str) -> str:
    if not username or username != username.strip():
        raise AccountError("a username is not empty and has no blanks around it")
    if len(username) > MAX_USERNAME or any(not c.isprintable() for c in username):
        raise AccountError(f"a username is at most {MAX_USERNAME} printable characters")
    return username


def _hash(password: str) -> str:
    try:
        return hash_password(password)
    except PasswordError as exc:
        raise AccountError(str(exc)) from None


def is_bootstrap(engine: Engine) -> bool:
    """No account exists yet: the first admin may create itself."""
    with engine.connect() as conn:
        return user_store.count(conn) == 0


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
    at = time.time() if at is None else at
    _check_username(username)
    if not full_name.strip():
        raise AccountError("an account needs the person's full name (printed with their signatures)")
    if actor is None:
        if role is not Role.ADMIN:
            raise AccountError("the first account is an admin's: create it with --role admin")
    else:
        _require_admin(engine, actor, at)
    password_hash = _hash(password)
    user = User(username=username, full_name=full_name.strip(), role=role)
    with engine.begin() as conn:
        if actor is None and user_store.count(conn) > 0:
            raise AccountError("accounts exist already: an admin adds users (give --user or --credentials)")
        if user_store.find(conn, username) is not None:
            raise AccountError(f"an account {username!r} exists already (no account is ever reused)")
        user_store.insert_user(conn, user, password_hash, at)
        record(conn, _added(user, password_hash, username if actor is None else actor.username), at)
    return user


def provision(engine: Engine, user: User, password_hash: str, actor: str, at: float) -> bool:
    """Store an account as a site's provisioning does (no admin signed in), with its `user.added`
    entry as every account has; False when the username exists already."""
    with engine.begin() as conn:
        if user_store.find(conn, user.username) is not None:
            return False
        user_store.insert_user(conn, user, password_hash, at)
        record(conn, _added(user, password_hash, actor), at)
    return True


def _added(user: User, password_hash: str, actor: str) -> le.UserAdded:
    """The entry of a new account: what `verify-log` checks its row against (role, active, the
    digest of the password hash)."""
    return le.UserAdded(
        actor=actor,
        username=user.username,
        full_name=user.full_name,
        role=user.role.value,
        active=user.active,
        password_digest=le.password_digest(password_hash),
    )


def disable_user(
    engine: Engine, actor: User, username: str, reason: str = "", at: float | None = None
) -> User:
    """The account may no longer sign in; kept, so the record's names still resolve. The last active
    admin is not disabled (nobody could manage accounts any more)."""
    at = time.time() if at is None else at
    _require_admin(engine, actor, at)
    with engine.begin() as conn:
        stored = user_store.find(conn, username)
        if stored is None:
            raise AccountError(f"no account {username!r}")
        if not stored.user.active:
            raise AccountError(f"{username} is disabled already")
        if stored.user.role is Role.ADMIN and user_store.active_admins(conn) == [username]:
            raise AccountError(f"{username} is the last active admin: add another admin first")
        user_store.update_user(conn, username, at, active=False)
        entry = le.UserDisabled(
            actor=actor.username,
            username=username,
            reason=reason,
            role=stored.user.role.value,
            password_digest=le.password_digest(stored.password_hash),
        )
        record(conn, entry, at)
    return User(
        username=stored.user.username, full_name=stored.user.full_name, role=stored.user.role, active=False
    )


def set_password(engine: Engine, actor: User, username: str, password: str, at: float | None = None) -> None:
    """A new password for one's own account, or (an admin) for anyone's."""
    at = time.time() if at is None else at
    if username != actor.username:
        _require_admin(engine, actor, at)
    password_hash = _hash(password)
    with engine.begin() as conn:
        stored = user_store.find(conn, username)
        if stored is None:
            raise AccountError(f"no account {username!r}")
        user_store.update_user(conn, username, at, password_hash=password_hash)
        entry = le.UserPasswordChanged(
            actor=actor.username,
            username=username,
            role=stored.user.role.value,
            active=stored.user.active,
            password_digest=le.password_digest(password_hash),
        )
        record(conn, entry, at)


def list_users(engine: Engine, actor: User, at: float | None = None) -> list[User]:
    _require_admin(engine, actor, time.time() if at is None else at)
    with engine.connect() as conn:
        return user_store.all_users(conn)
