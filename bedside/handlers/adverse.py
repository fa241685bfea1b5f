"""Adverse events: the first report of an event, its follow-up versions, and its report to the
sponsor. The one place their fields are validated; what is derived (expectedness against the
reference safety information, the CTCAE term, the special interest, the SUSAR flag) is derived here
from what was entered, never taken from the caller."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from bedside import adverse_events as ae
from bedside import log_entries as le
from bedside.commands import (
    NOT_ASSESSED,
    RELATEDNESS,
    AdverseEventError,
    RecordAdverseEvent,
    ReportAdverseEvent,
)
from bedside.ctcae import ctcae, rsi, special_interest
from bedside.death_sae import death_outcome_problem
from bedside.handlers.adverse_follow_up import (
    ONGOING,
    carry,
    moved_awareness_reason,
    require_reason_for_life_threatening_not_serious,
    require_reason_for_moved_onset,
)
from bedside.handlers.common import (
    authorize,
    is_known,
    record_refusal,
    require_past,
    require_time,
    resolve_patient,
    signed,
    when_text,
)
from bedside.i18n import N_, _
from bedside.model import PatientRef
from bedside.seriousness import SERIOUSNESS, serious
from bedside.unit_of_work import UnitOfWork
from bedside.users import Action, NotAllowed, may

TERM_LIMIT = 200
"""The most characters an adverse event's term holds (the stored column's width; SDTM AETERM is
limited to 200 characters too)."""


def _validate(cmd: RecordAdverseEvent) -> None:
    missing = ae.missing_choices(cmd.grade, cmd.relatedness, cmd.onset)
    if missing:
        raise AdverseEventError(_("{missing}: nothing was recorded").format(missing=ae.missing_text(missing)))
    assert cmd.grade is not None
    if not 1 <= cmd.grade <= 5:
        raise AdverseEventError(_("grade must be 1-5 (CTCAE v5.0)"))
    if cmd.relatedness not in RELATEDNESS:
        raise AdverseEventError(
            _("relatedness must be one of {relatedness}").format(relatedness=", ".join(RELATEDNESS))
        )
    if not cmd.term.strip() or not cmd.by.strip():
        raise AdverseEventError(_("an adverse event needs a term and who records it"))
    if len(cmd.term.strip()) > TERM_LIMIT:
        raise AdverseEventError(
            _(
                "the term is {length} characters, and a term holds at most {limit}: give the event's "
                "name as the term and put the detail in the notes. Nothing was recorded"
            ).format(length=len(cmd.term.strip()), limit=TERM_LIMIT)
        )
    for at, what in (
        (cmd.onset, N_("the onset")),
        (cmd.end, N_("the end")),
        (cmd.awareness, N_("the awareness time")),
    ):
        require_time(at, AdverseEventError, what)
    unknown = [c for c in cmd.seriousness or () if c not in SERIOUSNESS]
    if unknown:
        raise AdverseEventError(
            _("unknown seriousness criteria {unknown}: they are {criteria}").format(
                unknown=", ".join(unknown), criteria=", ".join(SERIOUSNESS)
            )
        )
    if cmd.outcome is not None and cmd.outcome not in ae.OUTCOMES:
        raise AdverseEventError(
            _("outcome must be one of {outcomes}").format(outcomes=", ".join(ae.OUTCOMES))
        )
    if cmd.action_taken is not None and cmd.action_taken not in ae.ACTIONS_TAKEN:
        raise AdverseEventError(
            _("action taken must be one of {actions_taken}").format(actions_taken=", ".join(ae.ACTIONS_TAKEN))
        )
    for at, said in (
        (cmd.onset, _("the onset is in the future: record an event once it has happened")),
        (cmd.end, _("the end is in the future: record the end once the event has ended")),
        (cmd.awareness, _("the awareness time is in the future")),
    ):
        require_past(at, cmd.recorded_at, AdverseEventError, said)
    if cmd.end is not None and cmd.onset is not None and cmd.end < cmd.onset:
        raise AdverseEventError(_("the end is before the onset"))
    # ICH E2A II.B: an event that results in death is serious, whoever records it. A fatal event not
    # assessed serious (or assessed serious without death) would be listed as the death's SAE report
    # by nobody's judgement, or leave the death's report due beside a fatal event.
    if cmd.outcome == "fatal" and "death" not in (cmd.seriousness or ()):
        raise AdverseEventError(
            _(
                "a fatal outcome (grade 5) makes the event serious by death (ICH E2A): record the "
                "seriousness criterion death with it (an intensivist or investigator assesses it). "
                "Nothing was recorded"
            )
        )
    if cmd.seriousness and cmd.awareness is None:
        raise AdverseEventError(
            _("a serious event needs the time the team became aware of it: its 24-hour report runs from it")
        )
    code = cmd.meddra_code.strip()
    if code and not (code.isdigit() and len(code) == 8):
        raise AdverseEventError(_("a MedDRA code is 8 digits (or leave it empty)"))
    if cmd.awareness is not None and cmd.onset is not None and cmd.awareness < cmd.onset:
        raise AdverseEventError(_("the team cannot have become aware of the event before its onset"))
    if cmd.end is not None and cmd.outcome in ONGOING:
        raise AdverseEventError(
            _("an event still recovering or not recovered has no end yet: leave the end empty")
        )
    # CTCAE v5.0: grade 5 is death related to the adverse event, so a grade 5 event is fatal and a
    # fatal outcome (SDTM AEOUT FATAL) is grade 5; ICH E2A II.B: it is then serious by death.
    if cmd.grade == 5 and cmd.outcome != "fatal":
        raise AdverseEventError(_("grade 5 is death (CTCAE v5.0): its outcome must be fatal"))
    if cmd.outcome == "fatal" and cmd.grade != 5:
        raise AdverseEventError(_("a fatal outcome is grade 5 (CTCAE v5.0): choose grade 5"))


def validate_adverse_event(cmd: RecordAdverseEvent) -> None:
    """The checks `record_adverse_event` makes of the fields themselves, without recording or
    reading the record: a form runs them before asking for the signature, so a refusal never costs
    the password or the fields typed. Raises AdverseEventError naming what to correct. (A follow-up
    is checked with the fields it carries from the version before: pass them all.)"""
    _validate(cmd)


class AssessmentRefused(AdverseEventError):
    """A follow-up refused because it would change what only an assessor judges; `english` is what
    the safety log's `action.refused` entry records."""

    def __init__(self, message: str, english: str) -> None:
        super().__init__(message)
        self.english = english


def record_adverse_event(uow: UnitOfWork, cmd: RecordAdverseEvent) -> le.AdverseEventRecorded:
    """Store the event (or its follow-up, as a new version) with its safety-log entry; returns the
    entry (its payload is what was logged).

    Refused: a required choice not made (grade, relatedness, onset), a value outside its vocabulary,
    no term or no author, a serious event without its awareness time, and a patient, dose, alert or
    earlier version this record does not know (an event on one would sit where no review or report
    ever finds it).

    Documenting the event is a signature with its stated meaning; judging its relatedness or its
    seriousness is an assessment only an intensivist or investigator makes (a nurse records both as
    not yet assessed), and the assessor's role is recorded with it."""
    authorize(uow, Action.RECORD_ADVERSE_EVENT, cmd, cmd.patient)
    if cmd.relatedness not in ("", NOT_ASSESSED) or cmd.seriousness is not None:
        authorize(uow, Action.ASSESS_ADVERSE_EVENT, cmd, cmd.patient)
    if cmd.follows is None:
        _validate(cmd)
    signature = signed(Action.RECORD_ADVERSE_EVENT, cmd)
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        if not is_known(uow.patients, ref):
            raise AdverseEventError(
                _("no patient {patient!r} in this database: nothing was recorded").format(
                    patient=str(cmd.patient)
                )
            )
        before = None
        own_notes = cmd.notes
        if cmd.follows is not None:
            before = event_numbered(uow, ref, cmd.follows)
            cmd = carry(cmd, before)
            _validate(cmd)
            cmd = replace(cmd, awareness_reason=moved_awareness_reason(cmd, before))
        require_reason_for_life_threatening_not_serious(cmd, before, own_notes)
        if before is not None:
            require_reason_for_moved_onset(cmd, before, own_notes)
        deaths = uow.course_events.deaths(ref)  # the last entered corrects those before it
        if deaths and cmd.onset is not None and cmd.onset > deaths[-1]:
            raise AdverseEventError(
                _("{ref} was recorded as deceased at {at}: an adverse event cannot begin after it").format(
                    ref=ref, at=when_text(deaths[-1])
                )
            )
        if deaths and cmd.end is not None and cmd.end > deaths[-1]:
            raise AdverseEventError(
                _(
                    "{ref} was recorded as deceased at {at}: an adverse event cannot end after it "
                    "(a fatal event ends at the death)"
                ).format(ref=ref, at=when_text(deaths[-1]))
            )
        if deaths and cmd.outcome == "fatal" and cmd.end is not None and cmd.end < deaths[-1]:
            # A fatal event (CTCAE v5.0 grade 5) is ongoing until the death it led to: an end before
            # it would put the event's end before the death in every export (AEENDTC, DTHDTC).
            raise AdverseEventError(
                _(
                    "{ref} was recorded as deceased at {at}: a fatal event ends at the death, and the end "
                    "given ({end}) is before it. Give the death's time as the end, or leave the end empty"
                ).format(ref=ref, at=when_text(deaths[-1]), end=when_text(cmd.end))
            )
        _require_outcome_agrees_with_death(cmd, ref, deaths[-1] if deaths else None)
        assert cmd.grade is not None
        for alert_id in cmd.alert_ids:
            alert = uow.alerts.get(alert_id)
            if alert is None:
                raise AdverseEventError(
                    _("no alert #{alert_id} in this database: nothing was recorded").format(alert_id=alert_id)
                )
            episode = uow.episodes.by_id(alert.episode_id)
            if episode is None or episode.patient != ref:
                raise AdverseEventError(
                    _("alert #{alert_id} is not one of {ref}'s alerts: nothing was recorded").format(
                        alert_id=alert_id, ref=ref
                    )
                )
        episode_id = cmd.episode_id
        linked = None
        if cmd.dose is not None:
            linked = uow.episodes.get(ref, cmd.dose)
            if linked is None:
                raise AdverseEventError(_("no dose {dose} for {ref}").format(dose=cmd.dose, ref=ref))
            episode_id = linked.id
        elif episode_id is not None:
            linked = uow.episodes.by_id(episode_id)
            if linked is None or linked.patient != ref:
                raise AdverseEventError(
                    _("that dose is not one of {ref}'s: nothing was recorded").format(ref=ref)
                )
        if linked is not None and cmd.onset is not None and cmd.onset < linked.start:
            raise AdverseEventError(
                _(
                    "the onset {onset} is before dose {dose} started ({start}): link the event to the "
                    "dose it followed, or to none"
                ).format(onset=when_text(cmd.onset), dose=linked.dose_number, start=when_text(linked.start))
            )
        catalogue, reference = ctcae(), rsi()
        found = catalogue.find(cmd.term)
        ctcae_term = found.term if found else None
        # Causality is the investigator's: an assessed relatedness names who judged it, as what.
        assessed = cmd.relatedness != NOT_ASSESSED
        if before is not None and cmd.relatedness == before.relatedness and before.assessed_by:
            assessor, assessor_role = before.assessed_by, before.assessor_role
        else:
            assessor = cmd.by.strip()[:120] if assessed else None
            assessor_role = str(cmd.role) if assessed else None
        version = ae.AdverseEventVersion(
            event=None if before is None else before.event_id,
            version=1 if before is None else before.version + 1,
            patient_ref=ref,
            episode_id=episode_id,
            term=ctcae_term or cmd.term.strip(),
            grade=cmd.grade,
            relatedness=cmd.relatedness,
            onset=cmd.onset,
            alert_ids=tuple(cmd.alert_ids),
            notes=cmd.notes,
            reported_by=cmd.by.strip()[:120],
            reported_at=cmd.recorded_at,
            seriousness=None if cmd.seriousness is None else tuple(dict.fromkeys(cmd.seriousness)),
            expectedness=reference.expectedness(ctcae_term, cmd.grade),
            rsi=reference.label[:200],
            ctcae_term=ctcae_term,
            ctcae_version=catalogue.version if ctcae_term else None,
            meddra_code=cmd.meddra_code.strip(),
            outcome=cmd.outcome,
            end=cmd.end,
            action_taken=cmd.action_taken,
            treatment=cmd.treatment.strip(),
            assessed_by=assessor,
            assessor_role=assessor_role,
            awareness=cmd.awareness,
            aesi=special_interest(ctcae_term, catalogue),
            awareness_correction=(cmd.awareness_reason or None) if before is not None else None,
        )
        if before is not None:
            _require_a_change(before, version)
            try:
                _require_assessor_for_changed_judgement(cmd, before, version)
            except AssessmentRefused as refused:
                # Nothing of the follow-up is written yet: the refusal alone is committed, as every
                # refused action is logged.
                record_refusal(uow, Action.ASSESS_ADVERSE_EVENT, cmd, refused.english, ref)
                raise
        ae_id = uow.adverse_events.add(version)
        entry = le.AdverseEventRecorded(
            actor=cmd.by,
            patient_ref=ref,
            episode_id=episode_id,
            id=ae_id,
            term=version.term,
            grade=version.grade,
            relatedness=version.relatedness,
            onset=version.onset,
            alert_ids=version.alert_ids,
            notes=version.notes,
            reported_by=version.reported_by,
            signature=signature,
            reporting=_reporting(version, ae_id),
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return entry


def _require_outcome_agrees_with_death(cmd: RecordAdverseEvent, ref: PatientRef, died: float | None) -> None:
    """An outcome the recorded death contradicts is refused, naming the conflict and what to record
    (`bedside.death_sae.death_outcome_problem`, which the form asks before the signature too)."""
    problem = death_outcome_problem(cmd.outcome, cmd.onset, cmd.end, died, ref, when_text)
    if problem:
        raise AdverseEventError(problem)


def _as_documented(v: ae.AdverseEventVersion) -> ae.AdverseEventVersion:
    """What a version says of the event, without who recorded it when, its place in the history,
    what is read beside it, and a correction's reason (which belongs to its own version)."""
    return replace(
        v,
        id=0,
        event=None,
        version=1,
        reported_by="",
        reported_at=0.0,
        assessed_by=None,
        assessor_role=None,
        sent_at=None,
        follow_up_reports=0,
        first_awareness=None,
        first_recorded=None,
        notes=ae.without_awareness_reason(v.notes),
        awareness_correction=None,
    )


def _require_a_change(before: ae.AdverseEventVersion, after: ae.AdverseEventVersion) -> None:
    """A follow-up that changes nothing is refused: a version that says what the one before said
    would read, in the history and the listing, as news that is not there."""
    if _as_documented(before) == _as_documented(after):
        raise AdverseEventError(
            _(
                "nothing changed: this follow-up says what version {version} of adverse event #{event} "
                "says; nothing was recorded"
            ).format(version=before.version, event=before.event_id)
        )


def assessed(v: ae.AdverseEventVersion) -> bool:
    """Whether an intensivist or investigator has judged this version's causality or seriousness."""
    return v.assessed_by is not None or v.seriousness is not None


def judgement(v: ae.AdverseEventVersion) -> dict[str, object]:
    """What an assessment settles and the version derives from it: seriousness (ICH E2A II.B),
    expectedness against the reference safety information (II.C) and the SUSAR flag."""
    return {
        "seriousness": serious(v.seriousness),
        "expectedness": v.expectedness,
        "SUSAR": v.susar.value,
    }


_JUDGEMENT_WORDS = {
    "seriousness": N_("seriousness"),
    "expectedness": N_("expectedness"),
    "SUSAR": N_("SUSAR"),
    "term": N_("term"),
    "dose": N_("linked dose"),
    "awareness": N_("awareness time"),
}

_JUDGED_FOR: dict[str, Callable[[ae.AdverseEventVersion], object]] = {
    "term": lambda v: v.term.casefold(),
    "dose": lambda v: v.episode_id,
    # The awareness time starts the 24-hour report clock the assessor's seriousness set running.
    "awareness": lambda v: v.awareness,
}


def _require_assessor_for_changed_judgement(
    cmd: RecordAdverseEvent, before: ae.AdverseEventVersion, after: ae.AdverseEventVersion
) -> None:
    """A follow-up by a role that may not assess (a nurse documenting a new grade or term) is
    refused when it would change what an assessed event's assessment settles: the new version would
    otherwise carry a seriousness, expectedness or SUSAR flag nobody allowed to judge it judged,
    still credited to the assessor of the version before. An intensivist or investigator records
    such a change, and is then its assessor."""
    if cmd.role is None or may(cmd.role, Action.ASSESS_ADVERSE_EVENT) or not assessed(before):
        return
    was, now = judgement(before), judgement(after)
    # Relatedness is judged for one term and one dose: a new term or another linked dose would
    # leave the causality credited to an assessor who never judged it.
    changed = [name for name in _JUDGED_FOR if _JUDGED_FOR[name](before) != _JUDGED_FOR[name](after)]
    changed += [name for name in was if was[name] != now[name]]
    if not changed:
        return
    english = (
        f"{NotAllowed(cmd.role, Action.ASSESS_ADVERSE_EVENT).english}: this follow-up would change the "
        f"{' and '.join(_JUDGEMENT_WORDS[name] for name in changed)} of adverse event #{before.event_id}, "
        f"which {before.assessed_by or 'an intensivist or investigator'} assessed; nothing was recorded"
    )
    raise AssessmentRefused(
        _(
            "{refusal}: this follow-up would change the {what} of adverse event #{event}, which "
            "{assessor} assessed; nothing was recorded"
        ).format(
            refusal=str(NotAllowed(cmd.role, Action.ASSESS_ADVERSE_EVENT)),
            what=_(" and ").join(_(_JUDGEMENT_WORDS[name]) for name in changed),
            event=before.event_id,
            assessor=before.assessed_by or _("an intensivist or investigator"),
        ),
        english,
    )


def event_numbered(uow: UnitOfWork, ref: PatientRef, number: int) -> ae.AdverseEventVersion:
    """The latest version of the patient's event numbered `number` as the listing shows it (its
    first version's id). Refused for any other number, a later version's own id included: acting
    on it would silently act on whichever event that version belongs to."""
    latest = uow.adverse_events.latest(number)
    if latest is not None and latest.patient_ref == ref and latest.event_id == number:
        return latest
    events = ", ".join(f"#{v.event_id}" for v in uow.adverse_events.of_patient(ref))
    if not events:
        raise AdverseEventError(
            _("no adverse event #{event} for {ref}: none is recorded; nothing was recorded").format(
                event=number, ref=ref
            )
        )
    raise AdverseEventError(
        _("no adverse event #{event} for {ref}; the events are {events}: nothing was recorded").format(
            event=number, ref=ref, events=events
        )
    )


def _reporting(v: ae.AdverseEventVersion, ae_id: int) -> dict[str, object]:
    return {"event": v.event if v.event is not None else ae_id, "version": v.version, **v.reporting_fields()}


def report_adverse_event(uow: UnitOfWork, cmd: ReportAdverseEvent) -> le.AdverseEventReported:
    """That a serious event (its latest version) was reported to the sponsor at `sent_at`: signed,
    logged, and the event's 24-hour clock stops. Refused for an event not recorded as serious and
    for a time after it is recorded (a report cannot be sent in the future)."""
    authorize(uow, Action.REPORT_ADVERSE_EVENT, cmd, cmd.patient)
    signature = signed(Action.REPORT_ADVERSE_EVENT, cmd)
    if not math.isfinite(cmd.sent_at):
        raise AdverseEventError(_("when it was sent is not a valid time"))
    if cmd.sent_at > cmd.recorded_at + 60:
        raise AdverseEventError(_("a report cannot be recorded as sent in the future"))
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        latest = event_numbered(uow, ref, cmd.event)
        if not latest.seriousness:
            raise AdverseEventError(
                _("adverse event #{event} is not recorded as serious: record its seriousness first").format(
                    event=latest.event_id
                )
            )
        for at, said in (
            (latest.awareness, N_("before the team became aware of it ({at})")),
            (latest.onset, N_("before its onset ({at})")),
        ):
            if at is not None and cmd.sent_at < at:
                raise AdverseEventError(
                    _(
                        "a report of adverse event #{event} cannot be sent {before}: nothing was recorded"
                    ).format(event=latest.event_id, before=_(said).format(at=when_text(at)))
                )
        report_id = uow.adverse_events.add_report(
            event=latest.event_id,
            version=latest.version,
            patient_ref=ref,
            sent_at=cmd.sent_at,
            recorded_by=cmd.by.strip()[:120],
            recorded_at=cmd.recorded_at,
        )
        entry = le.AdverseEventReported(
            actor=cmd.by,
            patient_ref=ref,
            episode_id=latest.episode_id,
            id=report_id,
            event=latest.event_id,
            version=latest.version,
            sent_at=cmd.sent_at,
            signature=signature,
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return entry
