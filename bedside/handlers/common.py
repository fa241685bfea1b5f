"""What every handler checks the same way: who acts and whether their role may, the signature of a
signed action, that a time is a time, which patient is meant."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Protocol

from bedside import log_entries as le
from bedside.commands import PatientError, Refused
from bedside.i18n import _, strftime
from bedside.model import PatientRef
from bedside.unit_of_work import Patients, UnitOfWork
from bedside.users import (
    ACTION_PHRASES,
    Action,
    NotAllowed,
    Role,
    Signature,
    SignatureError,
    may,
    require_signature,
    role_name,
)


class NotSignedIn(Refused):
    """An action asked for by nobody signed in (no role)."""


class Acting(Protocol):
    """What every command says of who asks, and when."""

    @property
    def by(self) -> str: ...
    @property
    def role(self) -> Role | None: ...
    @property
    def recorded_at(self) -> float | None: ...


class Signing(Acting, Protocol):
    @property
    def signature(self) -> Signature | None: ...


def authorize(
    uow: UnitOfWork,
    action: Action,
    cmd: Acting,
    patient: PatientRef | None = None,
    alert_ids: tuple[int, ...] = (),
) -> None:
    """Refuse the action unless the command's role may take it. A refusal is itself recorded
    (`action.refused`, in a unit of work of its own: the action's is not begun), so who tried what
    stays on the log, under the patient (or the alerts) the command names. Checked before anything
    else, so a refusal says only what the role may not do."""
    if cmd.role is None:
        raise NotSignedIn(_("sign in to {action}").format(action=_(ACTION_PHRASES[action])))
    if may(cmd.role, action):
        return
    refusal = NotAllowed(cmd.role, action)
    log_refusal(uow, action, cmd, refusal.english, patient, alert_ids)
    raise refusal


def log_refusal(
    uow: UnitOfWork,
    action: Action,
    cmd: Acting,
    english: str,
    patient: PatientRef | None = None,
    alert_ids: tuple[int, ...] = (),
) -> None:
    """Record that `cmd`'s role was refused `action` (`action.refused`), in a unit of work of its
    own: the action's is never begun. Every refusal of what a role may not do is
    logged here, whether the role may never take the action or may not take this one (a nurse's
    follow-up that would change an assessed event's assessment). `english`: the reason, in the log's
    language whatever the screen's."""
    with uow:
        record_refusal(uow, action, cmd, english, patient, alert_ids)


def record_refusal(
    uow: UnitOfWork,
    action: Action,
    cmd: Acting,
    english: str,
    patient: PatientRef | None = None,
    alert_ids: tuple[int, ...] = (),
) -> None:
    """`log_refusal` inside a unit of work already entered, for a refusal found only once the record
    is read: the entry is committed, so the action must not have written anything before it."""
    assert cmd.role is not None
    ref, episode_id = _refused_about(uow, patient, alert_ids)
    entry = le.ActionRefused(
        actor=cmd.by,
        patient_ref=ref,
        episode_id=episode_id,
        alert_id=alert_ids[0] if len(alert_ids) == 1 else None,
        action=action.value,
        role=cmd.role.value,
        reason=english,
        alert_ids=alert_ids,
    )
    at = cmd.recorded_at
    uow.log.record(entry, at if at is not None and math.isfinite(at) else 0.0)
    uow.commit()


def _refused_about(
    uow: UnitOfWork, patient: PatientRef | None, alert_ids: tuple[int, ...]
) -> tuple[PatientRef | None, int | None]:
    """The patient (and dose) a refused command names, as well as the record can tell."""
    if patient is not None:
        try:
            return resolve_patient(uow.patients, patient), None
        except Refused:
            return patient, None
    alert = uow.alerts.get(alert_ids[0]) if alert_ids else None
    episode = None if alert is None else uow.episodes.by_id(alert.episode_id)
    if episode is None:
        return None, None
    return episode.patient, episode.id if len(alert_ids) == 1 else None


def signed(action: Action, cmd: Signing) -> Signature:
    """The signature a signed action must carry: the actor's own, in the role they act in, with its
    meaning."""
    signature = require_signature(action, cmd.by, cmd.signature)
    if signature.role != cmd.role:
        raise SignatureError(
            _("the signature is {signer_role}'s, but {by} acts as {role}").format(
                signer_role=role_name(signature.role), by=cmd.by, role=role_name(str(cmd.role))
            )
        )
    return signature


def require_who(by: str, refusal: type[Refused], what: str) -> str:
    """`by` without surrounding blanks; refused when empty (`what`: the action, for the message)."""
    if not by.strip():
        raise refusal(_("say who {what} (initials or staff id)").format(what=_(what)))
    return by


def require_time(at: float | None, refusal: type[Refused], what: str) -> None:
    if at is not None and not math.isfinite(at):
        raise refusal(_("{what} is not a valid time").format(what=_(what)))


FUTURE_SLACK = 5 * 60.0
"""How far ahead of the entering screen's clock a time may be (clocks differ a little); a later
time is a mistake, not a plan: what is recorded here has already happened."""


def require_past(at: float | None, now: float, refusal: type[Refused], message: str) -> None:
    """Refused with `message` when `at` lies beyond the clock skew allowed after `now`, naming both
    times (a mistyped day or hour shows at a glance)."""
    if at is not None and at > now + FUTURE_SLACK:
        raise refusal(
            _("{message} ({at}; this clock says {now})").format(
                message=message, at=when_text(at), now=when_text(now)
            )
        )


def when_text(at: float) -> str:
    """A stored time in a refusal's words: local time to the minute, the day first and the month in
    the reader's language ("07 Dec 2026 02:15", "07 dic 2026 02:15"), never an ISO date a reader may
    take for a code; with its year, where a mistyped time is often wrong."""
    return strftime(datetime.fromtimestamp(at), "%d %b %Y %H:%M")


def resolve_patient(patients: Patients, patient: PatientRef) -> PatientRef:
    """The patient a command names → the stored patient (MRN and authority).

    One without an authority is an MRN: known under several authorities, it is refused (the action
    must not land on the wrong patient); one no feed has named yet keeps the MRN with an empty
    authority (a dose may be entered before the ADT feed names the patient)."""
    if patient.authority:
        return patient
    # Every authority the MRN is known under: from a feed, or from a dose recorded under it (a dose
    # entered with MRN^AUTHORITY before any feed named that authority is a second patient as much as
    # a registered one). A dose entered without an authority is not: it waits for the feed's.
    dosed = patients.dosed(patient)
    known = set(patients.registered(patient, any_authority=True))
    known.update(ref for ref in dosed if ref.authority)
    if len(known) > 1:
        raise PatientError(
            _("{mrn} is known under several authorities ({authorities}): give MRN^AUTHORITY").format(
                mrn=patient.identifier,
                authorities=", ".join(sorted(f"{k.identifier}^{k.authority}" for k in known)),
            )
        )
    if known:
        return known.pop()
    return dosed[0] if dosed else PatientRef(patient.identifier)


def is_known(patients: Patients, ref: PatientRef) -> bool:
    """A patient ADT, a lab or a device report brought, or one with a dose entered."""
    return bool(patients.registered(ref)) or ref in patients.dosed(ref)


def known_patient(patients: Patients, patient: PatientRef, refusal: type[Refused]) -> PatientRef:
    """The stored patient a command names, when the record knows it (`is_known`); `refusal`
    otherwise, in the words every handler uses. Starting a dose is the one action that may name a
    patient no feed has brought yet (`handlers.doses.start_dose`)."""
    ref = resolve_patient(patients, patient)
    if not is_known(patients, ref):
        raise refusal(
            _("no patient {patient!r} in this database: nothing was recorded").format(patient=str(patient))
        )
    return ref


def stored_patient(uow: UnitOfWork, patient: PatientRef) -> PatientRef:
    """The stored patient a command will name, for a writer that must read the record before it can
    build the command (the death an ADT message reported, to confirm it at its time): the handlers'
    own check, `known_patient`, in a unit of work that writes nothing."""
    with uow:
        return known_patient(uow.patients, patient, PatientError)


def latest_death(uow: UnitOfWork, ref: PatientRef) -> float | None:
    """The patient's recorded time of death: the last death entered, since each later entry corrects
    the one before it (both stay in the record)."""
    deaths = uow.course_events.deaths(ref)
    return deaths[-1] if deaths else None
