"""Who is signed in at a screen, and when the screen locks.

A screen starts locked: it shows what it watches (trends, values, the alert banner) and takes no
action until someone signs in. It locks again after the site's idle time without a key or a mouse
event, when its user locks it, or when another user takes it over ("Switch user"). Everything
between a sign-in and the next lock is one session: its first signature asks for both components
(username and password), the next ones for the password only, as 21 CFR 11.200(a)(1) asks of a
series of signings during one continuous period of access.

The clocks are injected: `clock` measures idleness (monotonic, so a wall-clock step neither locks a
screen nor keeps one open), `wall` dates the sign-in and the signatures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from bedside import log_entries as le
from bedside.clock import Clock
from bedside.i18n import _
from bedside.log_entries import LogEntry
from bedside.refusals import Refused
from bedside.unit_of_work import UnitOfWork
from bedside.users import IMPLIED_MEANING, Action, Signature, SignatureError, User, meaning_required, require

DEFAULT_IDLE_LOCK_MINUTES = 5.0
"""How long a screen stays signed in without a key or a mouse event when the site sets nothing."""

MAX_FAILED_SIGNATURES = 3
"""Wrong passwords in a row at a signature before the screen locks: whoever is trying is made to sign
in again, as whoever they are."""


class SessionLocked(Refused):
    """An action asked of a locked screen."""

    def __init__(self) -> None:
        super().__init__(_("the screen is locked: sign in first"))


@dataclass(frozen=True)
class SignatureRequest:
    """What a signature dialog asks of the signer for one action."""

    action: Action
    signer: User
    """The user signed in: the only one who may sign here."""
    implied: str | None
    """The meaning the action implies; None: the signer states it."""
    both_components: bool
    """The first signature of the session: username and password, not the password alone."""


class Session:
    def __init__(
        self, idle_lock_minutes: float, clock: Clock = time.monotonic, wall: Clock = time.time
    ) -> None:
        if idle_lock_minutes <= 0:
            raise ValueError("the idle time before a screen locks must be positive")
        self.idle_after = idle_lock_minutes * 60.0
        self._clock = clock
        self._wall = wall
        self.user: User | None = None
        self.since: float | None = None
        """When the user signed in (wall clock)."""
        self.last_user: User | None = None
        """Who was signed in before the screen locked (the locked screen names them)."""
        self.locked_at: float | None = None
        self.lock_reason = ""
        self.signatures = 0
        self.failed_signatures = 0
        self._last_activity = clock()

    @property
    def locked(self) -> bool:
        return self.user is None

    def sign_in(self, user: User) -> None:
        """A new session for this user (a sign-in, a switch, an unlock): its first signature asks
        for both components again."""
        if not user.active:
            raise SessionLocked()
        self.user = user
        self.since = self._wall()
        self.signatures = 0
        self.failed_signatures = 0
        self.locked_at = None
        self.lock_reason = ""
        self._last_activity = self._clock()

    def lock(self, reason: str = "locked") -> User | None:
        """Lock the screen; returns who was signed in (None: it was locked already)."""
        user = self.user
        if user is None:
            return None
        self.last_user = user
        self.user = None
        self.since = None
        self.locked_at = self._wall()
        self.lock_reason = reason
        return user

    # ---- idleness -------------------------------------------------------------------------------

    def touch(self) -> None:
        """A key or a mouse event: the idle time starts again."""
        self._last_activity = self._clock()

    def idle_deadline(self) -> float | None:
        """When the session locks for idleness (on the idle clock); None while locked."""
        return None if self.user is None else self._last_activity + self.idle_after

    def idle_due(self) -> bool:
        deadline = self.idle_deadline()
        return deadline is not None and self._clock() >= deadline

    def lock_if_idle(self) -> User | None:
        """Lock when the idle time has passed; returns who was signed in when it did."""
        return self.lock("idle") if self.idle_due() else None

    # ---- signatures ------------------------------------------------------------------------------

    def current(self) -> User:
        """The user signed in; `SessionLocked` when nobody is."""
        if self.user is None:
            raise SessionLocked()
        return self.user

    def request(self, action: Action) -> SignatureRequest:
        """What signing this action asks, before anything is typed: refused when the screen is
        locked or the user's role may not take the action (`NotAllowed`)."""
        user = self.current()
        require(user, action)
        implied = None if meaning_required(action) else IMPLIED_MEANING.get(action, "")
        return SignatureRequest(action, user, implied, both_components=self.signatures == 0)

    def sign(self, request: SignatureRequest, signer: User, meaning: str = "") -> Signature:
        """The signature of `signer`, once the authenticator has accepted their password: only the
        user signed in signs here (another signs in as themselves first), and a meaning the action
        does not imply must be stated."""
        user = self.current()
        if signer.username != user.username or signer.username != request.signer.username:
            raise SignatureError(
                _("signed in as {user}: only {user} signs here (switch user to sign as {signer})").format(
                    user=user.username, signer=signer.username
                )
            )
        if request.implied is None and not meaning.strip():
            raise SignatureError(_("say what your signature means"))
        signature = Signature.of(
            signer, request.action, self._wall(), meaning if request.implied is None else ""
        )
        self.signatures += 1
        self.failed_signatures = 0
        return signature

    def signature_refused(self) -> bool:
        """A wrong password at a signature; True when it was one too many and the screen locked."""
        self.failed_signatures += 1
        if self.failed_signatures >= MAX_FAILED_SIGNATURES:
            self.lock("wrong passwords")
            return True
        return False


def log_session(uow: UnitOfWork, entry: LogEntry, at: float) -> int:
    """A sign-in, a lock or a refused password at a screen, in the safety log (its own unit of work);
    returns the entry's sequence number."""
    with uow:
        seq = uow.log.record(entry, at)
        uow.commit()
    return seq


SessionEventKind = Literal["signed_in", "locked", "refused", "refused_signature"]


def typed_name(username: str) -> str:
    """A username as typed, fit for the log: printable characters only, at most 120 of them (what was
    typed at a refused sign-in is anyone's text)."""
    return "".join(c for c in username if c.isprintable())[:120] or "(no username)"


def session_entry(
    kind: SessionEventKind, username: str, screen: str, detail: str = "", user: User | None = None
) -> LogEntry:
    """The entry of a screen's or the command line's session event: a sign-in (`user` the one signed
    in), a lock (`detail` the reason), or a refused password at sign-in or at a signature
    (`username` as typed; `detail` the kind of refusal where the caller may say it)."""
    if kind == "signed_in":
        if user is None:
            raise ValueError("a sign-in names the user signed in")
        return le.SessionSignedIn(actor=username, name=user.full_name, role=str(user.role), screen=screen)
    if kind == "locked":
        return le.SessionLocked(actor=username, reason=detail, screen=screen)
    return le.SessionRefused(
        actor=typed_name(username), at_signature=kind == "refused_signature", screen=screen, reason=detail
    )
