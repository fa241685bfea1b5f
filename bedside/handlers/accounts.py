"""Managing Bedside's own accounts: add, disable, set a password, list.

Only an admin manages accounts, except the very first one: with no account at all, an admin may
create itself (the installation's bootstrap). A user may change their own password. Every change is
stored with its safety-log entry in one unit of work; a refusal for want of the role is logged too
(`action.refused`). Hashing the password is the caller's (`hash_password`: argon2id in the adapter);
whether a password may be kept is decided here, before it is hashed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bedside import log_entries as le
from bedside.account_commands import AccountError, AddUser, DisableUser, ListUsers, SetPassword
from bedside.handlers.common import authorize
from bedside.i18n import _
from bedside.unit_of_work import UnitOfWork
from bedside.users import MAX_USERNAME, Action, Role, User, password_problem

HashPassword = Callable[[str], str]
"""A new password → the hash to store (with its salt and parameters)."""


def _when(at: float | None) -> float:
    return time.time() if at is None else at


def _check_username(username: str) -> str:
    if not username or username != username.strip():
        raise AccountError(_("a username is not empty and has no blanks around it"))
    if len(username) > MAX_USERNAME or any(not c.isprintable() for c in username):
        raise AccountError(
            _("a username is at most {max_username} printable characters").format(max_username=MAX_USERNAME)
        )
    return username


def _hash(password: str, hash_password: HashPassword) -> str:
    problem = password_problem(password)
    if problem is not None:
        raise AccountError(problem)
    return hash_password(password)


def added_entry(user: User, password_hash: str, actor: str) -> le.UserAdded:
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


def add_user(uow: UnitOfWork, cmd: AddUser, hash_password: HashPassword) -> User:
    """A new active account. A command from nobody (`by` None) is the bootstrap: refused once any
    account exists, and it must create an admin."""
    at = _when(cmd.recorded_at)
    _check_username(cmd.username)
    if not cmd.full_name.strip():
        raise AccountError(_("an account needs the person's full name (printed with their signatures)"))
    if cmd.by is None:
        if cmd.new_role is not Role.ADMIN:
            raise AccountError(_("the first account is an admin's: create it with --role admin"))
    else:
        authorize(uow, Action.MANAGE_USERS, _acting(cmd.by, cmd.role, at))
    password_hash = _hash(cmd.password, hash_password)
    user = User(username=cmd.username, full_name=cmd.full_name.strip(), role=cmd.new_role)
    with uow:
        if cmd.by is None and uow.users.count() > 0:
            raise AccountError(
                _("accounts exist already: an admin adds users (give --user or --credentials)")
            )
        if uow.users.find(cmd.username) is not None:
            raise AccountError(
                _("an account {username!r} exists already (no account is ever reused)").format(
                    username=cmd.username
                )
            )
        uow.users.add(user, password_hash, at)
        uow.log.record(added_entry(user, password_hash, cmd.by or cmd.username), at)
        uow.commit()
    return user


def provision_user(uow: UnitOfWork, user: User, password_hash: str, actor: str, at: float) -> bool:
    """Store an account as a site's provisioning does (no admin signed in; the hash made by the
    site's tooling), with its `user.added` entry as every account has; False when the username
    exists already."""
    with uow:
        if uow.users.find(user.username) is not None:
            return False
        uow.users.add(user, password_hash, at)
        uow.log.record(added_entry(user, password_hash, actor), at)
        uow.commit()
    return True


def disable_user(uow: UnitOfWork, cmd: DisableUser) -> User:
    """The account may no longer sign in; kept, so the record's names still resolve. The last active
    admin is not disabled (nobody could manage accounts any more)."""
    at = _when(cmd.recorded_at)
    authorize(uow, Action.MANAGE_USERS, _acting(cmd.by, cmd.role, at))
    with uow:
        stored = uow.users.find(cmd.username)
        if stored is None:
            raise AccountError(_("no account {username!r}").format(username=cmd.username))
        if not stored.user.active:
            raise AccountError(_("{username} is disabled already").format(username=cmd.username))
        if stored.user.role is Role.ADMIN and uow.users.active_admins() == [cmd.username]:
            raise AccountError(
                _("{username} is the last active admin: add another admin first").format(
                    username=cmd.username
                )
            )
        uow.users.update(cmd.username, at, active=False)
        entry = le.UserDisabled(
            actor=cmd.by,
            username=cmd.username,
            reason=cmd.reason,
            role=stored.user.role.value,
            password_digest=le.password_digest(stored.password_hash),
        )
        uow.log.record(entry, at)
        uow.commit()
    old = stored.user
    return User(username=old.username, full_name=old.full_name, role=old.role, active=False)


def set_password(uow: UnitOfWork, cmd: SetPassword, hash_password: HashPassword) -> None:
    """A new password for one's own account, or (an admin) for anyone's."""
    at = _when(cmd.recorded_at)
    if cmd.username != cmd.by:
        authorize(uow, Action.MANAGE_USERS, _acting(cmd.by, cmd.role, at))
    password_hash = _hash(cmd.password, hash_password)
    with uow:
        stored = uow.users.find(cmd.username)
        if stored is None:
            raise AccountError(_("no account {username!r}").format(username=cmd.username))
        uow.users.update(cmd.username, at, password_hash=password_hash)
        entry = le.UserPasswordChanged(
            actor=cmd.by,
            username=cmd.username,
            role=stored.user.role.value,
            active=stored.user.active,
            password_digest=le.password_digest(password_hash),
        )
        uow.log.record(entry, at)
        uow.commit()


def list_users(uow: UnitOfWork, cmd: ListUsers) -> list[User]:
    authorize(uow, Action.MANAGE_USERS, _acting(cmd.by, cmd.role, _when(cmd.recorded_at)))
    with uow:
        return uow.users.all()


def _acting(by: str, role: Role | None, at: float) -> ListUsers:
    """Who asks, with the time made definite (a refusal is logged at it)."""
    return ListUsers(by=by, role=role, recorded_at=at)
