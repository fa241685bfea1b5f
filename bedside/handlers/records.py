"""What clinicians document: adverse events, signed checks, course events, exported reports."""

from __future__ import annotations

from dataclasses import dataclass

from bedside import log_entries as le
from bedside.commands import (
    COURSE_EVENT_KINDS,
    NOT_ASSESSED,
    RELATEDNESS,
    ActionError,
    AdverseEventError,
    CheckError,
    CourseEventError,
    ExportReport,
    RecordAdverseEvent,
    RecordCourseEvent,
    SignCheck,
)
from bedside.handlers.common import (
    authorize,
    is_known,
    require_time,
    require_who,
    resolve_patient,
    signed,
)
from bedside.unit_of_work import UnitOfWork
from bedside.users import Action


def record_adverse_event(uow: UnitOfWork, cmd: RecordAdverseEvent) -> le.AdverseEventRecorded:
    """Store the event with its safety-log entry; returns the entry (its payload is what was logged).

    Refused: a grade outside CTCAE's 1-5, a relatedness outside the vocabulary, no term or no author,
    and a patient, dose or alert this record does not know (an event on one would sit where no review
    or report ever finds it).

    Documenting the event is a signature with its stated meaning; judging its relatedness is an
    assessment only an intensivist or investigator makes (a nurse records it as not yet assessed)."""
    authorize(uow, Action.RECORD_ADVERSE_EVENT, cmd, cmd.patient)
    if cmd.relatedness != NOT_ASSESSED:
        authorize(uow, Action.ASSESS_ADVERSE_EVENT, cmd, cmd.patient)
    if not 1 <= cmd.grade <= 5:
        raise AdverseEventError("grade must be 1-5 (CTCAE-style)")
    if cmd.relatedness not in RELATEDNESS:
        raise AdverseEventError(f"relatedness must be one of {', '.join(RELATEDNESS)}")
    if not cmd.term.strip() or not cmd.by.strip():
        raise AdverseEventError("an adverse event needs a term and who records it")
    signature = signed(Action.RECORD_ADVERSE_EVENT, cmd)
    require_time(cmd.onset, AdverseEventError, "the onset")
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        if not is_known(uow.patients, ref):
            raise AdverseEventError(f"no patient {str(cmd.patient)!r} in this database: nothing was recorded")
        for alert_id in cmd.alert_ids:
            alert = uow.alerts.get(alert_id)
            if alert is None:
                raise AdverseEventError(f"no alert #{alert_id} in this database: nothing was recorded")
            episode = uow.episodes.by_id(alert.episode_id)
            if episode is None or episode.patient != ref:
                raise AdverseEventError(
                    f"alert #{alert_id} is not one of {ref}'s alerts: nothing was recorded"
                )
        episode_id = cmd.episode_id
        if cmd.dose is not None:
            dose = uow.episodes.get(ref, cmd.dose)
            if dose is None:
                raise AdverseEventError(f"no dose {cmd.dose} for {ref}")
            episode_id = dose.id
        elif episode_id is not None:
            ep = uow.episodes.by_id(episode_id)
            if ep is None or ep.patient != ref:
                raise AdverseEventError(f"that dose is not one of {ref}'s: nothing was recorded")
        term, reported_by = cmd.term.strip()[:200], cmd.by.strip()[:120]
        ae_id = uow.adverse_events.add(
            patient_ref=ref,
            episode_id=episode_id,
            term=term,
            grade=cmd.grade,
            relatedness=cmd.relatedness,
            onset=cmd.onset,
            alert_ids=cmd.alert_ids,
            notes=cmd.notes,
            reported_by=reported_by,
            reported_at=cmd.recorded_at,
        )
        entry = le.AdverseEventRecorded(
            actor=cmd.by,
            patient_ref=ref,
            episode_id=episode_id,
            id=ae_id,
            term=term,
            grade=cmd.grade,
            relatedness=cmd.relatedness,
            onset=cmd.onset,
            alert_ids=cmd.alert_ids,
            notes=cmd.notes,
            reported_by=reported_by,
            signature=signature,
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return entry


def sign_check(uow: UnitOfWork, cmd: SignCheck) -> int:
    """A bedside check signed for a dose of this patient; returns the entry's sequence number."""
    authorize(uow, Action.SIGN_CHECK, cmd, cmd.patient)
    require_who(cmd.by, CheckError, "signs the check")
    signature = signed(Action.SIGN_CHECK, cmd)
    if not cmd.check.strip():
        raise CheckError("say which check was done")
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        ep = uow.episodes.by_id(cmd.episode_id)
        if ep is None or ep.patient != ref:
            raise CheckError(f"no such dose for {ref}: nothing was recorded")
        entry = le.CheckSigned(
            actor=cmd.by,
            patient_ref=ref,
            episode_id=ep.id,
            check=cmd.check,
            label=cmd.label,
            values=cmd.values,
            findings=cmd.findings,
            signature=signature,
        )
        seq = uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return seq


@dataclass(frozen=True)
class RecordedCourseEvent:
    id: int
    patient_ref: str


def record_course_event(uow: UnitOfWork, cmd: RecordCourseEvent) -> RecordedCourseEvent:
    """An outcome or a note for the review, for a patient this record knows."""
    authorize(uow, Action.RECORD_COURSE_EVENT, cmd, cmd.patient)
    if cmd.kind not in COURSE_EVENT_KINDS:
        raise CourseEventError(f"kind must be one of {', '.join(COURSE_EVENT_KINDS)}")
    if not cmd.by.strip():
        raise CourseEventError("who enters it is required")
    if cmd.kind == "radiology" and not cmd.text.strip():
        raise CourseEventError("a radiology note needs its text")
    require_time(cmd.at, CourseEventError, "the time")
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        if not is_known(uow.patients, ref):
            raise CourseEventError(f"no patient {str(cmd.patient)!r} in this database: nothing was recorded")
        event_id = uow.course_events.add(
            patient_ref=ref,
            kind=cmd.kind,
            at=cmd.at,
            text=cmd.text,
            source=cmd.source,
            entered_by=cmd.by.strip()[:120],
            entered_at=cmd.recorded_at,
        )
        entry = le.CourseEventRecorded(
            actor=cmd.by,
            patient_ref=ref,
            id=event_id,
            event=cmd.kind,
            at=cmd.at,
            text=cmd.text,
            source=cmd.source,
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return RecordedCourseEvent(event_id, ref)


def export_report(uow: UnitOfWork, cmd: ExportReport) -> int:
    """A report written to a file, logged with what identifies it; returns the entry's sequence number."""
    authorize(uow, Action.EXPORT_REPORT, cmd, cmd.patient)
    require_who(cmd.by, ActionError, "exports the report")
    if not cmd.file.strip():
        raise ActionError("the report's file has no name")
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        entry = le.ReportExported(
            actor=cmd.by,
            patient_ref=ref,
            file=cmd.file,
            pages=cmd.pages,
            sha256=cmd.sha256,
            log_head=cmd.log_head,
            with_tables=cmd.with_tables,
            csv_rows=cmd.csv_rows,
        )
        seq = uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return seq
