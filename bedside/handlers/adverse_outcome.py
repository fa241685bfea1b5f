"""An intensivist's or investigator's signed reason why an outcome recorded as a course event (a
thrombosis, a secondary infection) needs no adverse event of special interest: until one of the two
is on record, every adverse-event list names the outcome, so the course and the adverse events never
silently disagree; the reason is where a monitor reads why they may."""

from __future__ import annotations

from bedside import log_entries as le
from bedside.adverse_events_outcomes import OUTCOME_AESI
from bedside.commands import AdverseEventError, ExplainNoOutcomeAesi, course_event_name
from bedside.handlers.common import authorize, known_patient, signed, when_text
from bedside.i18n import _
from bedside.unit_of_work import UnitOfWork
from bedside.users import Action

MIN_REASON_LETTERS = 10
"""A reason a monitor can act on says something ("catheter-related, unrelated to the study product;
treated and followed as a course event"), not "n/a"."""


def explain_no_outcome_aesi(uow: UnitOfWork, cmd: ExplainNoOutcomeAesi) -> le.OutcomeAesiNotNeeded:
    """Judging that an outcome needs no adverse event of special interest is an assessment, as a
    death's "no SAE report needed" is: an intensivist or investigator signs it (the signature's
    meaning stated). Refused: an outcome that is not one the study follows as an adverse event of
    special interest, none of its kind recorded for the patient (or none at the time given), and a
    reason that says nothing."""
    authorize(uow, Action.ASSESS_ADVERSE_EVENT, cmd, cmd.patient)
    signature = signed(Action.RECORD_ADVERSE_EVENT, cmd)
    if cmd.outcome not in OUTCOME_AESI:
        raise AdverseEventError(
            _(
                "{outcome} is not an outcome followed as an adverse event of special interest "
                "(one of: {kinds})"
            ).format(outcome=cmd.outcome, kinds=", ".join(sorted(OUTCOME_AESI)))
        )
    reason = " ".join(cmd.reason.split())
    if sum(c.isalpha() for c in reason) < MIN_REASON_LETTERS:
        raise AdverseEventError(
            _(
                "say why the {outcome} needs no adverse event of special interest (for instance: "
                "catheter-related, unrelated to the study product): nothing was recorded"
            ).format(outcome=course_event_name(cmd.outcome))
        )
    with uow:
        ref = known_patient(uow.patients, cmd.patient, AdverseEventError)
        recorded = uow.course_events.times(ref, cmd.outcome)
        if not recorded:
            raise AdverseEventError(
                _("no {outcome} is recorded for {ref}: nothing was recorded").format(
                    outcome=course_event_name(cmd.outcome), ref=ref
                )
            )
        at = recorded[-1] if cmd.at is None else cmd.at
        if at not in recorded:
            raise AdverseEventError(
                _(
                    "no {outcome} is recorded for {ref} at {at} (recorded: {times}): nothing was recorded"
                ).format(
                    outcome=course_event_name(cmd.outcome),
                    ref=ref,
                    at=when_text(at),
                    times=", ".join(when_text(t) for t in recorded),
                )
            )
        entry = le.OutcomeAesiNotNeeded(
            actor=cmd.by, patient_ref=ref, outcome=cmd.outcome, at=at, reason=reason, signature=signature
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return entry
