"""Who may act: a refused action, and the accounts (added, disabled, password changed)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from bedside.log_entries.base import LogEntry


@dataclass(frozen=True, kw_only=True)
class ActionRefused(LogEntry):
    """An action the actor's role may not take, refused before anything was written."""

    kind: ClassVar[str] = "action.refused"
    action: str
    role: str
    reason: str
    alert_ids: Sequence[int] = ()
    """The alerts an acknowledgement named (an acknowledgement names no patient)."""

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "role": self.role, "reason": self.reason}
        if self.alert_ids:
            out["alerts"] = list(self.alert_ids)
        return out


def password_digest(password_hash: str) -> str:
    """What a user.* entry says of an account's stored password hash: its SHA-256, enough to see the
    hash replaced in the table and nothing to crack."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class UserAdded(LogEntry):
    """An account created (`actor`: the admin who created it, or the first admin creating itself).
    `password_digest`: the SHA-256 of the stored password hash (never the hash), so `verify-log` sees
    a hash replaced in the table."""

    kind: ClassVar[str] = "user.added"
    username: str
    full_name: str
    role: str
    active: bool = True
    password_digest: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "full_name": self.full_name,
            "role": self.role,
            "active": self.active,
            "password_digest": self.password_digest,
        }


@dataclass(frozen=True, kw_only=True)
class UserDisabled(LogEntry):
    """An account that may no longer sign in; kept, so the record's names still resolve. With the
    account as it then stands (role, active, password digest), for `verify-log`."""

    kind: ClassVar[str] = "user.disabled"
    username: str
    reason: str = ""
    role: str = ""
    password_digest: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "reason": self.reason,
            "role": self.role,
            "active": False,
            "password_digest": self.password_digest,
        }


@dataclass(frozen=True, kw_only=True)
class UserPasswordChanged(LogEntry):
    """A password set anew: the SHA-256 of its new stored hash (never the password or the hash),
    with the account as it stands (role, active), for `verify-log`."""

    kind: ClassVar[str] = "user.password_changed"
    username: str
    role: str = ""
    active: bool = True
    password_digest: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "role": self.role,
            "active": self.active,
            "password_digest": self.password_digest,
        }
