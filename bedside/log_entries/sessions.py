"""A screen's session: signed in, locked, a sign-in or signature refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from bedside.log_entries.base import LogEntry


@dataclass(frozen=True, kw_only=True)
class SessionSignedIn(LogEntry):
    """Someone signed in at a screen (`actor`: their username)."""

    kind: ClassVar[str] = "session.signed_in"
    name: str
    role: str
    screen: str
    """The computer the screen runs on."""

    def body(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "screen": self.screen}


@dataclass(frozen=True, kw_only=True)
class SessionLocked(LogEntry):
    """A screen's session ended: locked by its user, when idle, on a switch of user, or after wrong
    passwords at a signature."""

    kind: ClassVar[str] = "session.locked"
    reason: str
    screen: str

    def body(self) -> dict[str, Any]:
        return {"reason": self.reason, "screen": self.screen}


@dataclass(frozen=True, kw_only=True)
class SessionRefused(LogEntry):
    """A sign-in or a signature refused (`actor`: the username given; never the password)."""

    kind: ClassVar[str] = "session.refused"
    at_signature: bool
    screen: str
    reason: str = ""
    """What kind of refusal (unknown user, wrong password, disabled account, a credentials file
    refused); empty where the screen refuses them alike."""

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"at": "signature" if self.at_signature else "sign-in", "screen": self.screen}
        if self.reason:
            body["reason"] = self.reason
        return body
