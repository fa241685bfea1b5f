"""What the screens' buttons write: each builds its command and hands it to its handler in
`bedside.handlers` (which checks the role and the signature, validates it and logs it) in a unit of
work from `writes`, the factory the composition root hands the screens
(`bedside.ports.ScreenPorts.writes`). Every command is the signed-in user's (`user`: their username
and role); the signed actions carry the signature the user gave in the signature dialog. Run on the
screen's worker thread; a refusal (`bedside.commands.Refused`) is shown to the nurse."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from bedside import handlers
from bedside import log_entries as le
from bedside.commands import (
    AcknowledgeAlert,
    AdverseEventError,
    ConfirmDose,
    ConfirmReportedDeath,
    ExportReport,
    MuteAlerts,
    RecordAdverseEvent,
    RecordCourseEvent,
    RecordMedication,
    RecordVitals,
    ReportAdverseEvent,
    SignCheck,
    StartDose,
    StopDose,
)
from bedside.handlers import medication as handlers_medication
from bedside.handlers.medication import RecordedMedication
from bedside.model import PatientRef
from bedside.ports import Writes
from bedside.session import SessionEventKind, log_session, session_entry
from bedside.users import Signature, User
from bedside.vitals import StoredVitals


def ack_alert(writes: Writes, alert_id: int, user: User, signature: Signature, comment: str) -> int:
    """The banner's alert; returns its id once acknowledged (the screen's next read shows it so)."""
    (done,) = ack_alerts(writes, [alert_id], user, signature, comment)
    return done


def ack_alerts(
    writes: Writes, alert_ids: list[int], user: User, signature: Signature, comment: str
) -> tuple[int, ...]:
    """Several alerts from the Alerts list: one that can no longer be acknowledged (another screen
    acknowledged it and it has resolved since) is skipped so the others are not lost. Returns the
    ids acknowledged."""
    return handlers.acknowledge_alerts(
        writes(),
        AcknowledgeAlert(
            alert_ids=tuple(alert_ids),
            by=user.username,
            role=user.role,
            signature=signature,
            recorded_at=time.time(),
            comment=comment,
        ),
    )


def mute_alerts(
    writes: Writes,
    patient: PatientRef,
    user: User,
    at: float,
    until: float,
    alert_ids: list[int],
    reason: str,
) -> int:
    """`at`, `until`: the screen's clock, the one the mute expires by."""
    cmd = MuteAlerts(
        patient=patient,
        by=user.username,
        role=user.role,
        recorded_at=at,
        until=until,
        alert_ids=tuple(alert_ids),
        reason=reason,
    )
    return handlers.mute_alerts(writes(), cmd)


def start_dose(
    writes: Writes,
    patient: PatientRef,
    dose: int,
    at: float,
    user: User,
    product: str = "",
    cells_per_kg: float | None = None,
    weight_kg: float | None = None,
    course_doses: int | None = None,
) -> int:
    cmd = StartDose(
        patient=patient,
        dose=dose,
        start=at,
        by=user.username,
        role=user.role,
        recorded_at=time.time(),
        product=product,
        cells_per_kg=cells_per_kg,
        weight_kg=weight_kg,
        course_doses=course_doses,
    )
    return handlers.start_dose(writes(), cmd).id


def stop_dose(writes: Writes, patient: PatientRef, dose: int, at: float, user: User) -> int:
    cmd = StopDose(
        patient=patient, dose=dose, end=at, by=user.username, role=user.role, recorded_at=time.time()
    )
    return handlers.stop_dose(writes(), cmd).id


def confirm_dose(
    writes: Writes, patient: PatientRef, dose: int, user: User, signature: Signature, at: float | None
) -> int:
    cmd = ConfirmDose(
        patient=patient,
        dose=dose,
        by=user.username,
        role=user.role,
        signature=signature,
        recorded_at=time.time(),
        start=at,
    )
    return handlers.confirm_dose(writes(), cmd).id


def adverse_event(
    writes: Writes,
    patient: PatientRef,
    *,
    user: User,
    signature: Signature,
    episode_id: int | None = None,
    alert_ids: list[int] | None = None,
    **fields: Any,
) -> le.AdverseEventRecorded:
    """Returns the entry logged. `fields`: the form's (term, grade, relatedness, onset and the
    reporting fields), as `RecordAdverseEvent` names them."""
    cmd = RecordAdverseEvent(
        patient=patient,
        by=user.username,
        role=user.role,
        signature=signature,
        recorded_at=time.time(),
        episode_id=episode_id,
        alert_ids=tuple(alert_ids or ()),
        **fields,
    )
    return handlers.record_adverse_event(writes(), cmd)


def adverse_event_problem(user: User, **fields: Any) -> str | None:
    """Why the handler would refuse the form's fields (the same checks, nothing recorded), or None:
    asked before the signature, so a refusal costs neither the password nor the form."""
    cmd = RecordAdverseEvent(
        patient=PatientRef(""), by=user.username, role=user.role, recorded_at=time.time(), **fields
    )
    try:
        handlers.validate_adverse_event(cmd)
    except AdverseEventError as exc:
        return str(exc)
    return None


def report_adverse_event(
    writes: Writes, patient: PatientRef, event: int, sent_at: float, user: User, signature: Signature
) -> le.AdverseEventReported:
    """That a serious adverse event was reported to the sponsor; returns the entry logged."""
    cmd = ReportAdverseEvent(
        patient=patient,
        event=event,
        sent_at=sent_at,
        by=user.username,
        role=user.role,
        signature=signature,
        recorded_at=time.time(),
    )
    return handlers.report_adverse_event(writes(), cmd)


def sign_check(
    writes: Writes,
    patient: PatientRef,
    episode_id: int,
    check: str,
    label: str,
    values: str,
    findings: str,
    user: User,
    signature: Signature,
) -> None:
    cmd = SignCheck(
        patient=patient,
        episode_id=episode_id,
        check=check,
        label=label,
        values=values,
        findings=findings,
        by=user.username,
        role=user.role,
        signature=signature,
        recorded_at=time.time(),
    )
    handlers.sign_check(writes(), cmd)


def record_medication(writes: Writes, cmd: RecordMedication, now: float) -> RecordedMedication:
    """`now`: when it is handed over to be recorded (the dialog built the command as the signed-in
    user's and checked it against the time it opened)."""
    return handlers_medication.record_medication(writes(), replace(cmd, recorded_at=now))


def record_vitals(writes: Writes, cmd: RecordVitals, now: float) -> StoredVitals:
    """`now`: the screen's clock, the one the dialog checked the time against. The dialog built the
    command as the signed-in user's."""
    return handlers.record_vitals(writes(), handlers.stamped(cmd, now))


def course_event(
    writes: Writes,
    patient: PatientRef,
    kind: str,
    at: float,
    user: User,
    text: str,
    signature: Signature | None = None,
) -> int:
    """The review screen's course event, signed by the user signed in; returns its id."""
    cmd = RecordCourseEvent(
        patient=patient,
        kind=kind,
        at=at,
        by=user.username,
        role=user.role,
        recorded_at=time.time(),
        text=text,
        signature=signature,
    )
    return handlers.record_course_event(writes(), cmd).id


def confirm_reported_death(
    writes: Writes, patient: PatientRef, at: float, user: User, signature: Signature | None
) -> int:
    """The review's confirmation of the death ADT reported at `at`, signed by the user signed in;
    returns the course event's id. The handler refuses when ADT reported no death at that time."""
    cmd = ConfirmReportedDeath(
        patient=patient,
        at=at,
        by=user.username,
        role=user.role,
        recorded_at=time.time(),
        signature=signature,
    )
    return handlers.confirm_reported_death(writes(), cmd).id


def authorize_report(writes: Writes, patient: PatientRef, user: User) -> None:
    """Whether `user` may export the review's report, asked before any file is written (the handler
    logs a refusal)."""
    cmd = ExportReport(
        patient=patient,
        file="",
        pages=0,
        sha256="",
        log_head=None,
        by=user.username,
        role=user.role,
        recorded_at=time.time(),
    )
    handlers.authorize_report(writes(), cmd)


def report_exported(writes: Writes, patient: PatientRef, file: str, info: dict, user: User) -> int:
    """Log a report the review screen wrote to `file` (`info`: what `export_pdf` returned)."""
    cmd = ExportReport(
        patient=patient,
        file=file,
        pages=info["pages"],
        sha256=info["sha256"],
        log_head=info["log_head"],
        by=user.username,
        role=user.role,
        recorded_at=time.time(),
    )
    return handlers.export_report(writes(), cmd)


def tables_exported(
    writes: Writes, patient: PatientRef, file: str, rows: int, sha256: str, user: User
) -> int:
    """Log the review's tables written to `file` (no pages: the CSV alone), with their row count and
    the file's SHA-256, so a file handed on can be matched to its entry."""
    cmd = ExportReport(
        patient=patient,
        file=file,
        pages=0,
        sha256=sha256,
        log_head=None,
        by=user.username,
        role=user.role,
        recorded_at=time.time(),
        csv_rows=rows,
    )
    return handlers.export_tables(writes(), cmd)


def session_event(
    writes: Writes, kind: SessionEventKind, username: str, screen: str, detail: str, user: User | None
) -> int:
    """A screen's sign-in ("signed_in", `user` the one signed in), lock ("locked", `detail` the
    reason) or refused password ("refused" at sign-in, "refused_signature" at a signature; `username`
    as typed) in the safety log."""
    # The screen refuses an unknown user and a wrong password alike, and its log entry does too.
    entry = session_entry(kind, username, screen, detail if kind == "locked" else "", user)
    return log_session(writes(), entry, time.time())
