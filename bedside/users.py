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
from typing import Any, Literal, Protocol

from bedside.i18n import N_, _
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
        return _("a password has at least {n} characters").format(n=MIN_PASSWORD)
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
    Action.START_DOSE: N_("start a dose"),
    Action.STOP_DOSE: N_("stop a dose"),
    Action.CONFIRM_DOSE: N_("confirm a dose"),
    Action.EDIT_DOSE: N_("edit a dose"),
    Action.CANCEL_DOSE: N_("cancel a dose"),
    Action.SET_TARGETS: N_("set a dose's targets"),
    Action.ACKNOWLEDGE: N_("acknowledge an alert"),
    Action.MUTE: N_("mute the alert sound"),
    Action.RECORD_ADVERSE_EVENT: N_("document an adverse event"),
    Action.ASSESS_ADVERSE_EVENT: N_("assess relatedness and seriousness"),
    Action.REPORT_ADVERSE_EVENT: N_("record a serious adverse event's report to the sponsor"),
    Action.SIGN_CHECK: N_("sign a check"),
    Action.RECORD_COURSE_EVENT: N_("record a course event"),
    Action.RECORD_VITALS: N_("record vital signs"),
    Action.RECORD_MEDICATION: N_("record a co-medication"),
    Action.EXPORT_REPORT: N_("export a report"),
    Action.MANAGE_USERS: N_("manage users"),
    Action.MANAGE_RULES: N_("manage rule sets"),
}
"""Each action as the refusal names it ("a nurse may not ..."), English (the safety log's); a
person reads `_(ACTION_PHRASES[action])`."""

ROLE_NAMES: Mapping[Role, str] = {
    Role.NURSE: N_("nurse"),
    Role.INTENSIVIST: N_("intensivist"),
    Role.INVESTIGATOR: N_("investigator"),
    Role.ADMIN: N_("admin"),
    Role.SERVICE: N_("service"),
}
"""Each role as a person reads it (the stored value is the English code)."""
_WITH_ARTICLE: Mapping[Role, str] = {
    Role.NURSE: N_("a nurse"),
    Role.INTENSIVIST: N_("an intensivist"),
    Role.INVESTIGATOR: N_("an investigator"),
    Role.ADMIN: N_("an admin"),
    Role.SERVICE: N_("a service"),
}


def role_name(role: str) -> str:
    """A role (as stored: "nurse") as a person reads it in the screen's language; an unknown one as
    stored."""
    try:
        return _(ROLE_NAMES[Role(role)])
    except ValueError:
        return role


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


def _roles_shown(roles: frozenset[Role]) -> str:
    """`_roles_text` in the screen's language."""
    ordered = [r for r in _ROLE_ORDER if r in roles]
    if not ordered:
        return _("no one does")
    if len(ordered) == 1:
        return _("{role} does").format(role=_(_WITH_ARTICLE[ordered[0]]))
    first = _(_WITH_ARTICLE[ordered[0]]) + "".join(", " + _(ROLE_NAMES[r]) for r in ordered[1:-1])
    return _("{roles} or {last} does").format(roles=first, last=_(ROLE_NAMES[ordered[-1]]))


class NotAllowed(Refused):
    """An action the user's role may not take ("a nurse may not assess relatedness and
    seriousness: an intensivist or investigator does"). The message is in the screen's language;
    `english` is what the safety log records."""

    def __init__(self, role: Role, action: Action) -> None:
        self.role = role
        self.action = action
        self.english = (
            f"{_with_article(str(role))} may not {ACTION_PHRASES[action]}: {_roles_text(ALLOWED[action])}"
        )
        super().__init__(
            _("{role} may not {action}: {allowed}").format(
                role=_(_WITH_ARTICLE[role]),
                action=_(ACTION_PHRASES[action]),
                allowed=_roles_shown(ALLOWED[action]),
            )
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
        Action.RECORD_COURSE_EVENT,
        Action.RECORD_MEDICATION,
    }
)
"""Actions that are electronic signatures: the signer re-enters the password and the meaning is
recorded with the action. A course event and a co-medication are signed with their implied meaning
(on the command line, with the one --meaning states if it states one)."""

IMPLIED_MEANING: Mapping[Action, str] = {
    Action.ACKNOWLEDGE: N_("Acknowledged: I have seen this alert"),
    Action.CONFIRM_DOSE: N_("Confirmed: this dose was given as recorded"),
    Action.SIGN_CHECK: N_("Performed: I did this check and saw these values"),
    Action.REPORT_ADVERSE_EVENT: N_("Reported: I sent this serious adverse event to the sponsor"),
    Action.RECORD_COURSE_EVENT: N_("Recorded: this course event happened as I entered it"),
    Action.RECORD_MEDICATION: N_("Recorded: this drug was given as I entered it"),
}
"""The meaning of a signature where the action implies it. The other signed actions (documenting an
adverse event, editing or cancelling a dose) need the signer to state it. A course event or a
co-medication is signed with its implied meaning, on a screen or on the command line (where
--meaning may state another). Stored and signed in
English (the record's canonical text, part of the signed payload); read with `meaning_text`."""


def meaning_text(meaning: str) -> str:
    """A signature's meaning as a person reads it: an implied meaning (stored in English) in the
    screen's language, the same statement in other words; a meaning the signer typed, as typed."""
    return _(meaning) if meaning in IMPLIED_MEANING.values() else meaning


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


@dataclass(frozen=True)
class SignedBy:
    """An electronic signature as the safety log keeps it in the entry of the record it signs:
    printed name, role, meaning and time (the username is the entry's actor)."""

    name: str
    role: str
    meaning: str
    at: float

    @classmethod
    def of(cls, payload: Mapping[str, Any]) -> SignedBy | None:
        """The signature of a log entry's payload (None: the entry was not signed)."""
        sig = payload.get("signature")
        if not isinstance(sig, Mapping):
            return None
        return cls(
            str(sig.get("name", "")), str(sig.get("role", "")), str(sig.get("meaning", "")), float(sig["at"])
        )


class SignatureError(Refused):
    """A signed action without its signature, or with one that is not the actor's or says nothing."""


def require_signature(action: Action, by: str, signature: Signature | None) -> Signature:
    """The signature a signed action must carry: the actor's own, with a meaning."""
    phrase = _(ACTION_PHRASES[action])
    if signature is None:
        raise SignatureError(
            _("to {action} is a signature: sign it with your password").format(action=phrase)
        )
    if signature.username != by:
        raise SignatureError(
            _("the signature to {action} is {signer}'s, not {user}'s").format(
                action=phrase, signer=signature.username, user=by
            )
        )
    if not signature.meaning.strip():
        raise SignatureError(_("say what your signature to {action} means").format(action=phrase))
    if not meaningful(signature.meaning):
        raise SignatureError(
            _(
                "{meaning!r} does not say what your signature to {action} means: state it in words "
                '(for example "Documented: as I observed it")'
            ).format(meaning=signature.meaning.strip(), action=phrase)
        )
    return signature


MIN_MEANING_LETTERS = 3
PLACEHOLDERS = frozenset({"test", "asdf", "qwerty", "tbd", "todo", "none", "n/a", "na", "abc", "xyz", "ok"})
"""Text typed to get past a required field, not a statement (compared case-folded)."""


def meaningful(meaning: str) -> bool:
    """Whether a stated signature meaning says something (21 CFR 11.50(a)(3): the meaning of the
    signature, such as review, approval, responsibility or authorship): at least three letters, not
    one letter repeated ("xxx"), not a placeholder ("test", "n/a")."""
    letters = [c.casefold() for c in meaning if c.isalpha()]
    if len(letters) < MIN_MEANING_LETTERS or len(set(letters)) == 1:
        return False
    return " ".join(meaning.split()).casefold().strip(" .!-") not in PLACEHOLDERS


# Authentication


class AuthError(Refused):
    """Authentication refused. The message never says whether the user or the password was wrong."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("unknown user or wrong password"))


class Authenticator(Protocol):
    def authenticate(self, username: str, password: str) -> User:
        """The active user with this username and password; `AuthError` otherwise (a disabled user
        too, with the same message)."""
        ...
