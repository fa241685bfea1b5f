"""What clinicians document: signed checks, course events, exported reports (adverse events:
`bedside.handlers.adverse`)."""

from __future__ import annotations

from dataclasses import dataclass

from bedside import log_entries as le
from bedside.co_medication import Source
from bedside.commands import (
    COURSE_EVENT_KINDS,
    ActionError,
    CheckError,
    ConfirmReportedDeath,
    CourseEventError,
    ExportReport,
    RecordCourseEvent,
    SignCheck,
    course_event_name,
)
from bedside.episodes import EpisodeState
from bedside.handlers.common import (
    authorize,
    is_known,
    known_patient,
    require_past,
    require_time,
    require_who,
    resolve_patient,
    signed,
    when_text,
)
from bedside.i18n import N_, _
from bedside.model import PatientRef
from bedside.outcomes import confirmed_adt_death_text
from bedside.unit_of_work import UnitOfWork
from bedside.users import Action, Signature


def sign_check(uow: UnitOfWork, cmd: SignCheck) -> int:
    """A bedside check signed for a dose of this patient; returns the entry's sequence number."""
    authorize(uow, Action.SIGN_CHECK, cmd, cmd.patient)
    require_who(cmd.by, CheckError, N_("signs the check"))
    signature = signed(Action.SIGN_CHECK, cmd)
    if not cmd.check.strip():
        raise CheckError(_("say which check was done"))
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        ep = uow.episodes.by_id(cmd.episode_id)
        if ep is None or ep.patient != ref:
            raise CheckError(_("no such dose for {ref}: nothing was recorded").format(ref=ref))
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
    patient_ref: PatientRef
    at: float
    """When the event happened (for a confirmed ADT death, the time ADT reported)."""


def record_course_event(uow: UnitOfWork, cmd: RecordCourseEvent) -> RecordedCourseEvent:
    """An outcome or a note for the review, for a patient this record knows."""
    authorize(uow, Action.RECORD_COURSE_EVENT, cmd, cmd.patient)
    signature = _checked(cmd)
    with uow:
        return _record(uow, cmd, resolve_patient(uow.patients, cmd.patient), signature)


def confirm_reported_death(uow: UnitOfWork, cmd: ConfirmReportedDeath) -> RecordedCourseEvent:
    """The death an ADT message reported for the patient, at the time it gave, confirmed as the
    patient's death: recorded as a death course event whose note says how ADT reported it. Refused
    when ADT reported no death for the patient at that time (a death ADT never reported is recorded
    as a course event of kind death)."""
    authorize(uow, Action.RECORD_COURSE_EVENT, cmd, cmd.patient)
    require_who(cmd.by, CourseEventError, N_("confirms the death"))
    if cmd.at is not None:
        require_time(cmd.at, CourseEventError, N_("the time"))
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        if not is_known(uow.patients, ref):
            raise CourseEventError(
                _("no patient {patient!r} in this database: nothing was recorded").format(patient=str(ref))
            )
        reported = [
            (at, how)
            for at, how in uow.course_events.reported_deaths(ref)
            if cmd.at is None or abs(at - cmd.at) < _SAME_MS
        ]
        if not reported:
            if cmd.at is None:
                raise CourseEventError(
                    _(
                        "no death reported by ADT for {ref}: nothing was recorded. A death ADT did not "
                        "report is recorded as a course event of kind death"
                    ).format(ref=ref)
                )
            raise CourseEventError(
                _("ADT reported no death for {ref} at {at}: nothing was recorded").format(
                    ref=ref, at=when_text(cmd.at)
                )
            )
        at, how = reported[-1]
        event = RecordCourseEvent(
            patient=ref,
            kind="death",
            at=at,
            by=cmd.by,
            recorded_at=cmd.recorded_at,
            role=cmd.role,
            text=confirmed_adt_death_text(how),
            signature=cmd.signature,
        )
        return _record(uow, event, ref, _checked(event))


_SAME_MS = 0.001
"""Times are kept in whole milliseconds: a time read back from the record is the same to within one."""


def _checked(cmd: RecordCourseEvent) -> Signature | None:
    """The command's own checks, before the record is read; returns its signature."""
    if cmd.kind not in COURSE_EVENT_KINDS:
        raise CourseEventError(
            _("kind must be one of {course_event_kinds}").format(
                course_event_kinds=", ".join(COURSE_EVENT_KINDS)
            )
        )
    if not cmd.by.strip():
        raise CourseEventError(_("who enters it is required"))
    if cmd.kind == "radiology" and not cmd.text.strip():
        raise CourseEventError(_("a radiology note needs its text"))
    signature = None if cmd.signature is None else signed(Action.RECORD_COURSE_EVENT, cmd)
    require_time(cmd.at, CourseEventError, N_("the time"))
    require_past(
        cmd.at,
        cmd.recorded_at,
        CourseEventError,
        _("the time is in the future: record an event once it has happened"),
    )
    return signature


def _record(
    uow: UnitOfWork, cmd: RecordCourseEvent, ref: PatientRef, signature: Signature | None
) -> RecordedCourseEvent:
    """Checks the event against the record and writes it with its entry, in the open unit of work."""
    if not is_known(uow.patients, ref):
        raise CourseEventError(
            _("no patient {patient!r} in this database: nothing was recorded").format(
                patient=str(cmd.patient)
            )
        )
    deaths = uow.course_events.deaths(ref) if cmd.kind == "death" else []
    if deaths and not cmd.text.strip():
        # A patient dies once. A later death entry corrects the one before (both stay in the
        # log), so it must say why: without a reason it is a duplicate, not a correction.
        raise CourseEventError(
            _(
                "a death is already recorded for {ref} at {at}: nothing was recorded. To correct "
                "it, enter the death again with the reason in its note (the review's Note, or "
                "--text); the later entry replaces the earlier one, and both stay in the safety log"
            ).format(ref=ref, at=when_text(deaths[-1]))
        )
    _require_possible_course_event(uow, cmd, ref)
    if cmd.kind == "death":
        _require_death_after_what_is_recorded(uow, cmd.at, ref)
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
        signature=signature,
    )
    uow.log.record(entry, cmd.recorded_at)
    uow.commit()
    return RecordedCourseEvent(event_id, ref, cmd.at)


def _require_death_after_what_is_recorded(uow: UnitOfWork, at: float, ref: PatientRef) -> None:
    """Refuse a death time (a first entry or a correction) before anything signed that happened
    later: a dose started and not cancelled, an adverse event's onset or end, a co-medication a
    clinician entered or the eMAR documented as given, a hand-entered vital sign, or a course event
    only the living have (a thrombosis, an extubation ...). The record would then hold it after the
    death. The conflicting record is named so it can be corrected or removed first."""
    for dose in uow.episodes.of_patient(ref):
        if dose.state != EpisodeState.CANCELLED and dose.start > at:
            raise CourseEventError(
                _(
                    "dose {dose} started {start}, after this death time ({at}): correct or cancel it "
                    "first. Nothing was recorded"
                ).format(dose=dose.dose_number, start=when_text(dose.start), at=when_text(at))
            )
    for event in uow.adverse_events.of_patient(ref):
        if event.onset is not None and event.onset > at:
            raise CourseEventError(
                _(
                    "the adverse event {term} began {onset}, after this death time ({at}): correct it "
                    "first. Nothing was recorded"
                ).format(term=event.term, onset=when_text(event.onset), at=when_text(at))
            )
        if event.end is not None and event.end > at:
            raise CourseEventError(
                _(
                    "the adverse event {term} ended {end}, after this death time ({at}): correct it "
                    "first. Nothing was recorded"
                ).format(term=event.term, end=when_text(event.end), at=when_text(at))
            )
    for given in uow.co_medication.of_patient(ref, since=at):
        if given.start <= at or given.status != "given":
            continue  # an order (RDE) says what was to be given, not that it was
        if given.source == Source.ENTERED:
            raise CourseEventError(
                _(
                    "{drug} was given {start}, after this death time ({at}): correct or remove it "
                    "first. Nothing was recorded"
                ).format(drug=given.label, start=when_text(given.start), at=when_text(at))
            )
        if given.source == Source.EMAR:
            # The eMAR's administration record is a signed nursing record too: one of the two
            # times is wrong, and only the eMAR can correct its own.
            raise CourseEventError(
                _(
                    "the eMAR documents {drug} given {start}, after this death time ({at}): check the "
                    "death's time, or have the administration corrected in the eMAR first. Nothing "
                    "was recorded"
                ).format(drug=given.label, start=when_text(given.start), at=when_text(at))
            )
    measured = uow.vitals.last_at(ref)
    if measured is not None and measured > at:
        raise CourseEventError(
            _(
                "vital signs were entered by hand for {measured}, after this death time ({at}): "
                "correct or remove them first. Nothing was recorded"
            ).format(measured=when_text(measured), at=when_text(at))
        )
    for kind in COURSE_EVENT_KINDS:
        if kind in AFTER_DEATH:
            continue
        times = uow.course_events.times(ref, kind)
        if kind == "symptom_onset":
            times = times[-1:]  # the last entered corrects those before it
        later = [t for t in times if t > at]
        if later:
            raise CourseEventError(
                _(
                    "a course event ({kind}) is recorded at {when}, after this death time ({at}): "
                    "correct or remove it first. Nothing was recorded"
                ).format(kind=course_event_name(kind), when=when_text(max(later)), at=when_text(at))
            )


AFTER_DEATH = frozenset({"death", "radiology"})
"""Course events a record may place after the patient's recorded death: a corrected death, and a
radiology note (a post-mortem study). Anything else there (alive at follow-up, an extubation, an ICU
discharge ...) is impossible."""


def _require_possible_course_event(uow: UnitOfWork, cmd: RecordCourseEvent, ref: PatientRef) -> None:
    """Refuse a course event the record makes impossible: one after the recorded death (the last
    death entered, as the dose refusal reads it), a symptom onset after the first dose was given
    (the time from onset to dose would be negative), and a second symptom onset without the reason
    it corrects the first (the later entry replaces the earlier in the outcomes; both stay in the
    log)."""
    deaths = uow.course_events.deaths(ref)
    if deaths and cmd.kind not in AFTER_DEATH and cmd.at > deaths[-1]:
        raise CourseEventError(
            _(
                "{ref} was recorded as deceased at {at}: a course event ({kind}) after it cannot be "
                "recorded. If the death's time is wrong, correct it first (enter the death again with "
                "the reason)"
            ).format(ref=ref, at=when_text(deaths[-1]), kind=course_event_name(cmd.kind))
        )
    if cmd.kind != "symptom_onset":
        return
    given = [d.start for d in uow.episodes.of_patient(ref) if d.state != EpisodeState.CANCELLED]
    if given and cmd.at > min(given):
        raise CourseEventError(
            _(
                "the symptom onset {at} is after the first dose started ({start}): symptoms began "
                "before the treatment they led to; check the date"
            ).format(at=when_text(cmd.at), start=when_text(min(given)))
        )
    onsets = uow.course_events.times(ref, "symptom_onset")
    if onsets and not cmd.text.strip():
        raise CourseEventError(
            _(
                "a symptom onset is already recorded for {ref} at {at}: nothing was recorded. To correct "
                "it, enter it again with the reason in its note; the later entry replaces the earlier "
                "one, and both stay in the safety log"
            ).format(ref=ref, at=when_text(onsets[-1]))
        )


def authorize_report(uow: UnitOfWork, cmd: ExportReport) -> None:
    """Whether this role may export the report, asked before any file is written (a refusal is
    logged, as `export_report` would log it). Opens `uow` only to log a refusal; `export_report` asks
    again, in a unit of work of its own, when the written report is logged."""
    authorize(uow, Action.EXPORT_REPORT, cmd, cmd.patient)
    require_who(cmd.by, ActionError, N_("exports the report"))


def export_tables(uow: UnitOfWork, cmd: ExportReport) -> int:
    """The review's tables written to a CSV file, logged as the data export it is (`tables.exported`:
    the file, its SHA-256 and `cmd.csv_rows` rows); returns the entry's sequence number. Allowed to
    whoever may export the report; a writer asks `authorize_report` first and removes the file if
    this refuses."""
    authorize_report(uow, cmd)
    if not cmd.file.strip():
        raise ActionError(_("the report's file has no name"))
    with uow:
        ref = known_patient(uow.patients, cmd.patient, ActionError)
        entry = le.TablesExported(
            actor=cmd.by, patient_ref=ref, file=cmd.file, sha256=cmd.sha256, rows=cmd.csv_rows or 0
        )
        seq = uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return seq


def export_report(uow: UnitOfWork, cmd: ExportReport) -> int:
    """A report written to a file, logged with what identifies it; returns the entry's sequence number.
    A writer asks `authorize_report` before writing, and removes what it wrote if this refuses."""
    authorize_report(uow, cmd)
    if not cmd.file.strip():
        raise ActionError(_("the report's file has no name"))
    with uow:
        ref = known_patient(uow.patients, cmd.patient, ActionError)
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
