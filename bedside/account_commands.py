"""What an administrator or a user asks of the accounts, as data: who asks (`by`, the authenticated
username, and `role`, theirs; None only for the installation's first account), when and what. The
handlers in `bedside.handlers.accounts` check the role, validate and log them."""

from __future__ import annotations

from dataclasses import dataclass, field

from bedside.refusals import Refused
from bedside.users import Role


class AccountError(Refused):
    """An account change Bedside cannot make; the message says why."""


@dataclass(frozen=True, kw_only=True)
class AddUser:
    """A new local account. `by` and `role` None: the installation's bootstrap (no account exists
    yet, and the first one creates itself as an admin)."""

    by: str | None
    role: Role | None
    username: str
    full_name: str
    new_role: Role
    password: str = field(repr=False)
    recorded_at: float | None = None


@dataclass(frozen=True, kw_only=True)
class DisableUser:
    by: str
    role: Role | None
    username: str
    reason: str = ""
    recorded_at: float | None = None


@dataclass(frozen=True, kw_only=True)
class SetPassword:
    """A new password for one's own account, or (an admin) for anyone's."""

    by: str
    role: Role | None
    username: str
    password: str = field(repr=False)
    recorded_at: float | None = None


@dataclass(frozen=True, kw_only=True)
class ListUsers:
    by: str
    role: Role | None
    recorded_at: float | None = None
