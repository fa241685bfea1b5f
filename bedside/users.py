"""Who may do what: users, their roles, the actions each role may take, and electronic signatures.

Every clinician action is taken by an authenticated user with one role. `ALLOWED` says which roles may
take each action; a handler asks `may` before anything else. Some actions are signatures (the signer
re-enters the password and states what the signature means, unless the action implies it): the
signature names the signer, the role, the meaning and the time, and goes into the safety log with the
action so the review and the report can show it.

How a user proves who they are (a local password, a directory) is an `Authenticator`; the core knows
only the protocol.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol

from bedside.refusals import Refused


class Role(StrEnum):
    NURSE = "nurse"
    INTENSIVIST = "intensivist"
    INVESTIGATOR = "investigator"
    ADMIN = "admin"
    SERVICE = "service"
    """The ingest and alerting processes: entries a device drives, never a clinician's action."""


@dataclass(frozen=True, kw_only=True)
class User:
    username: str
    full_name: str
    role: Role
    active: bool = True
    source: Literal["local", "ldap"] = "local"


@dataclass(frozen=True)
class StoredAccount:
    """A local account as stored: the user, and their password's hash (never the password)."""

    user: User
    password_hash: str


MIN_PASSWORD = 8
MAX_USERNAME = 120


def password_problem(password: str) -> str | None:
    """Why Bedside will not keep this new password, or None."""
    if len(password) < MIN_PASSWORD:
        return f"a password has at least {MIN_PASSWORD} characters"
    return None


class Action(StrEnum):
    START_DOSE = "start_dose"
    STOP_DOSE = "stop_dose"
    CONFIRM_DOSE = "confirm_dose"
    EDIT_DOSE = "edit_dose"
    CANCEL_DOSE = "cancel_dose"
    SET_TARGETS = "set_targets"
    ACKNOWLEDGE = "acknowledge"
    MUTE = "mute"
    RECORD_ADVERSE_EVENT = "record_adverse_event"
    ASSESS_ADVERSE_EVENT = "assess_adverse_event"
    """Judging an adverse event's relatedness to the infusion (and so its seriousness for the trial)."""
    REPORT_ADVERSE_EVENT = "report_adverse_event"
    """Recording that a serious adverse event was reported to the sponsor (stops its 24-hour clock)."""
    SIGN_CHECK = "sign_check"
    RECORD_COURSE_EVENT = "record_course_event"
    RECORD_VITALS = "record_vitals"
    RECORD_MEDICATION = "record_medication"
    """Recording a co-medication given (a steroid, an antipyretic, an anticoagulant ...)."""
    EXPORT_REPORT = "export_report"
    MANAGE_USERS = "manage_users"
    MANAGE_RULES = "manage_rules"


ACTION_PHRASES: Mapping[Action, str] = {
    Action.START_DOSE: "start a dose",
    Action.STOP_DOSE: "stop a dose",
    Action.CONFIRM_DOSE: "confirm a dose",
    Action.EDIT_DOSE: "edit a dose",
    Action.CANCEL_DOSE: "cancel a dose",
    Action.SET_TARGETS: "set a dose's targets",
    Action.ACKNOWLEDGE: "acknowledge an alert",
    Action.MUTE: "mute the alert sound",
    Action.RECORD_ADVERSE_EVENT: "document an adverse event",
    Action.ASSESS_ADVERSE_EVENT: "assess relatedness and seriousness",
    Action.REPORT_ADVERSE_EVENT: "record a serious adverse event's report to the sponsor",
    Action.SIGN_CHECK: "sign a check",
    Action.RECORD_COURSE_EVENT: "record a course event",
    Action.RECORD_VITALS: "record vital signs",
    Action.RECORD_MEDICATION: "record a co-medication",
    Action.EXPORT_REPORT: "export a report",
    Action.MANAGE_USERS: "manage users",
    Action.MANAGE_RULES: "manage rule sets",
}
"""Each action as the refusal names it ("a nurse may not ...")."""

_NURSE, _INTENSIVIST, _INVESTIGATOR, _ADMIN = Role.NURSE, Role.INTENSIVIST, Role.INVESTIGATOR, Role.ADMIN

ALLOWED: Mapping[Action, frozenset[Role]] = {
    # At the bedside: the nurse gives and confirms doses, answers alerts, signs checks and documents
    # what she sees; the intensivist may do all of it.
    Action.START_DOSE: frozenset({_NURSE, _INTENSIVIST}),
    Action.STOP_DOSE: frozenset({_NURSE, _INTENSIVIST}),
    Action.CONFIRM_DOSE: frozenset({_NURSE, _INTENSIVIST}),
    Action.MUTE: frozenset({_NURSE, _INTENSIVIST}),
    Action.SIGN_CHECK: frozenset({_NURSE, _INTENSIVIST}),
    Action.RECORD_VITALS: frozenset({_NURSE, _INTENSIVIST}),
    Action.RECORD_MEDICATION: frozenset({_NURSE, _INTENSIVIST}),
    Action.ACKNOWLEDGE: frozenset({_NURSE, _INTENSIVIST, _INVESTIGATOR}),
    Action.RECORD_ADVERSE_EVENT: frozenset({_NURSE, _INTENSIVIST, _INVESTIGATOR}),
    # Medical judgement: correcting or withdrawing a dose and setting its targets.
    Action.EDIT_DOSE: frozenset({_INTENSIVIST}),
    Action.CANCEL_DOSE: frozenset({_INTENSIVIST}),
    Action.SET_TARGETS: frozenset({_INTENSIVIST}),
    # The trial's assessments and records.
    Action.ASSESS_ADVERSE_EVENT: frozenset({_INTENSIVIST, _INVESTIGATOR}),
    Action.REPORT_ADVERSE_EVENT: frozenset({_INTENSIVIST, _INVESTIGATOR}),
    Action.RECORD_COURSE_EVENT: frozenset({_INTENSIVIST, _INVESTIGATOR}),
    Action.EXPORT_REPORT: frozenset({_INTENSIVIST, _INVESTIGATOR}),
    # Administration takes no clinical action, and no clinician administers.
    Action.MANAGE_USERS: frozenset({_ADMIN}),
    Action.MANAGE_RULES: frozenset({_ADMIN}),
}
"""The roles that may take each action. The service account takes none: its entries are the
devices' and the alerting engine's, written outside the clinicians' commands."""

_ROLE_ORDER = (Role.NURSE, Role.INTENSIVIST, Role.INVESTIGATOR, Role.ADMIN, Role.SERVICE)


def may(user: User | Role, action: Action) -> bool:
    """Whether this user (an active one) or this role may take the action."""
    if isinstance(user, User):
        return user.active and user.role in ALLOWED[action]
    return user in ALLOWED[action]


def _with_article(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _roles_text(roles: frozenset[Role]) -> str:
    names = [str(r) for r in _ROLE_ORDER if r in roles]
    if not names:
        return "no one does"
    if len(names) == 1:
        return f"{_with_article(names[0])} does"
    return f"{_with_article(names[0])}{''.join(', ' + n for n in names[1:-1])} or {names[-1]} does"


class NotAllowed(Refused):
    """An action the user's role may not take ("a nurse may not assess relatedness and
    seriousness: an intensivist or investigator does")."""

    def __init__(self, role: Role, action: Action) -> None:
        self.role = role
        self.action = action
        super().__init__(
            f"{_with_article(str(role))} may not {ACTION_PHRASES[action]}: {_roles_text(ALLOWED[action])}"
        )


def require(user: User | Role, action: Action) -> None:
    """Raise `NotAllowed` unless the user (or role) may take the action."""
    role = user.role if isinstance(user, User) else user
    if not may(user, action):
        raise NotAllowed(role, action)


# Signatures


SIGNED: frozenset[Action] = frozenset(
    {
        Action.ACKNOWLEDGE,
        Action.RECORD_ADVERSE_EVENT,
        Action.REPORT_ADVERSE_EVENT,
        Action.CONFIRM_DOSE,
        Action.EDIT_DOSE,
        Action.CANCEL_DOSE,
        Action.SIGN_CHECK,
    }
)
"""Actions that are electronic signatures: the signer re-enters the password and the meaning is
recorded with the action."""

IMPLIED_MEANING: Mapping[Action, str] = {
    Action.ACKNOWLEDGE: "Acknowledged: I have seen this alert",
    Action.CONFIRM_DOSE: "Confirmed: this dose was given as recorded",
    Action.SIGN_CHECK: "Performed: I did this check and saw these values",
    Action.REPORT_ADVERSE_EVENT: "Reported: I sent this serious adverse event to the sponsor",
}
"""The meaning of a signature where the action implies it. The other signed actions (documenting an
adverse event, editing or cancelling a dose) need the signer to state it."""


def meaning_required(action: Action) -> bool:
    """Whether the signer must state the meaning (a signed action that implies none)."""
    return action in SIGNED and action not in IMPLIED_MEANING


@dataclass(frozen=True, kw_only=True)
class Signature:
    """An electronic signature: who signed (username, printed name, role), what it means, and when
    (epoch s)."""

    username: str
    full_name: str
    role: Role
    meaning: str
    signed_at: float

    @classmethod
    def of(cls, user: User, action: Action, signed_at: float, meaning: str = "") -> Signature:
        """The user's signature for this action: the stated meaning, or the implied one."""
        return cls(
            username=user.username,
            full_name=user.full_name,
            role=user.role,
            meaning=meaning.strip() or IMPLIED_MEANING.get(action, ""),
            signed_at=signed_at,
        )

    def payload(self) -> dict[str, object]:
        """What the safety log's entry keeps of it (under "signature"); the actor column holds the
        username."""
        return {"name": self.full_name, "role": str(self.role), "meaning": self.meaning, "at": self.signed_at}


class SignatureError(Refused):
    """A signed action without its signature, or with one that is not the actor's or says nothing."""


def require_signature(action: Action, by: str, signature: Signature | None) -> Signature:
    """The signature a signed action must carry: the actor's own, with a meaning."""
    phrase = ACTION_PHRASES[action]
    if signature is None:
        raise SignatureError(f"to {phrase} is a signature: sign it with your password")
    if signature.username != by:
        raise SignatureError(f"the signature to {phrase} is {signature.username}'s, not {by}'s")
    if not signature.meaning.strip():
        raise SignatureError(f"say what your signature to {phrase} means")
    return signature


# Authentication


class AuthError(Refused):
    """Authentication refused. The message never says whether the user or the password was wrong."""

    def __init__(self, message: str = "unknown user or wrong password") -> None:
        super().__init__(message)


class Authenticator(Protocol):
    def authenticate(self, username: str, password: str) -> User:
        """The active user with this username and password; `AuthError` otherwise (a disabled user
        too, with the same message)."""
        ...
