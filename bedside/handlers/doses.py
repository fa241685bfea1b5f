"""A clinician's actions on a dose (an infusion episode): start, stop, confirm, correct, set the
patient's own targets, cancel. Each is validated here and logged here, in the unit of work it runs in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bedside import log_entries as le
from bedside.commands import CancelDose, ConfirmDose, EditDose, EpisodeError, SetTargets, StartDose, StopDose
from bedside.dose_weight import weight_refusal
from bedside.episodes import MATCH_SECONDS, EpisodeState, InfusionEpisode
from bedside.handlers.common import (
    FUTURE_SLACK,
    authorize,
    require_time,
    require_who,
    resolve_patient,
    signed,
    when_text,
)
from bedside.i18n import N_, _, strftime
from bedside.model import PatientRef
from bedside.rules.targets import check_targets
from bedside.unit_of_work import DoseFields, UnitOfWork
from bedside.users import Action

MANUAL = "manual"
"""The source of a time a clinician entered: it outranks every device's."""

REANCHOR_WHY = "manual start re-anchors the rules"


def start_dose(uow: UnitOfWork, cmd: StartDose) -> InfusionEpisode:
    """Always works (gravity and syringe doses have no smart pump): it confirms and re-anchors a
    device's candidate started about then, or creates the dose. Refused only for a dose a clinician
    already started. The one action that may name a patient no feed has brought yet: a dose given
    before the ADT admission arrives is kept under the MRN given (`common.resolve_patient`), and that
    patient is known from then on."""
    authorize(uow, Action.START_DOSE, cmd, cmd.patient)
    require_who(cmd.by, EpisodeError, N_("starts the dose"))
    _check_dose_number(cmd.dose)
    require_time(cmd.start, EpisodeError, N_("the start"))
    _require_past(cmd.start, cmd.recorded_at, N_("the start"))
    require_time(cmd.planned, EpisodeError, N_("the planned start"))
    for value, what in (
        (cmd.cells_per_kg, N_("cells/kg")),
        (cmd.cells, N_("cells")),
        (cmd.weight_kg, N_("weight")),
    ):
        if value is not None and not value > 0:
            raise EpisodeError(_("the {what} must be more than 0").format(what=_(what)))
    if cmd.weight_kg is not None and (refusal := weight_refusal(cmd.weight_kg)) is not None:
        raise EpisodeError(refusal)
    if cmd.course_doses is not None and cmd.course_doses < 1:
        raise EpisodeError(_("the doses the course plans must be at least 1"))
    now, by = cmd.recorded_at, cmd.by
    details = DoseFields(
        product=cmd.product[:200] if cmd.product else None,
        cells_per_kg=cmd.cells_per_kg,
        cells=cmd.cells,
        weight_kg=cmd.weight_kg,
        planned_start=cmd.planned,
        course_doses=cmd.course_doses,
    )
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        deaths = uow.course_events.deaths(ref)  # the last entered corrects those before it
        if deaths and deaths[-1] < cmd.start:
            raise EpisodeError(
                _("{ref} was recorded as deceased at {at}: a dose cannot start after it").format(
                    ref=ref, at=when_text(deaths[-1])
                )
            )
        ep = uow.episodes.get(ref, cmd.dose)
        renumber = None
        if ep is None:
            ep = next(
                (
                    e
                    for e in uow.episodes.of_patient(ref)
                    if e.state is EpisodeState.CANDIDATE and abs(e.start - cmd.start) <= MATCH_SECONDS
                ),
                None,
            )
            if ep is not None and ep.dose_number != cmd.dose:
                renumber = cmd.dose
        if ep is None:
            created = uow.episodes.add(
                ref,
                replace(
                    details,
                    dose_number=cmd.dose,
                    start=cmd.start,
                    start_source=MANUAL,
                    state=EpisodeState.CONFIRMED,
                    confirmed_by=by,
                    confirmed_at=now,
                ),
                now,
            )
            uow.log.record(
                le.DoseStarted(actor=by, patient_ref=ref, episode_id=created.id, episode=created), now
            )
            uow.commit()
            return created
        if ep.state is EpisodeState.CONFIRMED and ep.start_source == MANUAL:
            raise EpisodeError(
                _("dose {dose} was already started at {start} by {by}: use `episode edit`").format(
                    dose=cmd.dose, start=ep.start, by=ep.confirmed_by
                )
            )
        updated = uow.episodes.update(
            ep.id,
            replace(
                details,
                dose_number=renumber,
                start=cmd.start,
                start_source=MANUAL,
                state=EpisodeState.CONFIRMED,
                confirmed_by=by,
                confirmed_at=now,
            ),
            now,
            expected=ep.state,
        )
        refs = {"actor": by, "patient_ref": ref, "episode_id": ep.id}
        uow.log.record(
            le.CandidateStarted(**refs, dose=cmd.dose, start=cmd.start, was=ep, given=updated), now
        )
        if ep.start != cmd.start:
            uow.log.record(
                le.DoseEdited(**refs, dose=cmd.dose, start=(ep.start, cmd.start), why=REANCHOR_WHY), now
            )
        uow.commit()
    return updated


def stop_dose(uow: UnitOfWork, cmd: StopDose) -> InfusionEpisode:
    authorize(uow, Action.STOP_DOSE, cmd, cmd.patient)
    require_who(cmd.by, EpisodeError, N_("stops the dose"))
    require_time(cmd.end, EpisodeError, N_("the end"))
    _require_past(cmd.end, cmd.recorded_at, N_("the end"))
    with uow:
        ref, ep = _dose(uow, cmd.patient, cmd.dose)
        if cmd.end < ep.start and ep.start > cmd.recorded_at:
            # A start entered a few minutes ahead (within the clock's slack): the dose cannot end
            # before it, and the way out is to correct the start.
            raise EpisodeError(
                _(
                    "dose {dose} starts {start}, later than now ({now}): correct its start with an edit, "
                    "then stop it"
                ).format(dose=cmd.dose, **_moments(start=ep.start, now=cmd.recorded_at))
            )
        if cmd.end < ep.start:
            raise EpisodeError(
                _("the end {end} is before the start {start}").format(**_moments(end=cmd.end, start=ep.start))
            )
        if ep.end is not None and ep.end_source == MANUAL:
            # A clinician's end stands: moving it is a correction, signed by a role that may edit.
            raise EpisodeError(
                _("dose {dose} was already stopped by a clinician: correct its end with an edit").format(
                    dose=cmd.dose
                )
            )
        updated = uow.episodes.update(
            ep.id, DoseFields(end=cmd.end, end_source=MANUAL), cmd.recorded_at, expected=ep.state
        )
        entry = le.DoseStopped(
            actor=cmd.by, patient_ref=ref, episode_id=ep.id, dose=cmd.dose, end=cmd.end, was=ep.end
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return updated


def confirm_dose(uow: UnitOfWork, cmd: ConfirmDose) -> InfusionEpisode:
    """Confirm a dose's start; a corrected start re-anchors the rules and is logged as an edit. A
    signature: its entries carry it."""
    authorize(uow, Action.CONFIRM_DOSE, cmd, cmd.patient)
    require_who(cmd.by, EpisodeError, N_("confirms the dose"))
    signature = signed(Action.CONFIRM_DOSE, cmd)
    require_time(cmd.start, EpisodeError, N_("the start"))
    _require_past(cmd.start, cmd.recorded_at, N_("the start"))
    now = cmd.recorded_at
    with uow:
        ref, ep = _dose(uow, cmd.patient, cmd.dose)
        moved = cmd.start is not None and cmd.start != ep.start
        fields = DoseFields(
            state=EpisodeState.CONFIRMED,
            confirmed_by=cmd.by,
            confirmed_at=now,
            start=cmd.start if moved else None,
            start_source=MANUAL if moved else None,
        )
        updated = uow.episodes.update(ep.id, fields, now, expected=ep.state)
        refs = {"actor": cmd.by, "patient_ref": ref, "episode_id": ep.id, "signature": signature}
        start = cmd.start if cmd.start is not None else ep.start
        uow.log.record(le.DoseConfirmed(**refs, dose=cmd.dose, start=start, source=ep.start_source), now)
        if moved:
            uow.log.record(le.DoseEdited(**refs, dose=cmd.dose, start=(ep.start, start)), now)
        uow.commit()
    return updated


def edit_dose(uow: UnitOfWork, cmd: EditDose) -> InfusionEpisode:
    """Correct a start or end time: the rules re-anchor on the next evaluation; the edit is logged.
    Times equal to the ones stored change nothing and log nothing. A signature with its stated meaning."""
    authorize(uow, Action.EDIT_DOSE, cmd, cmd.patient)
    require_who(cmd.by, EpisodeError, N_("corrects the dose"))
    signature = signed(Action.EDIT_DOSE, cmd)
    require_time(cmd.start, EpisodeError, N_("the start"))
    require_time(cmd.end, EpisodeError, N_("the end"))
    _require_past(cmd.start, cmd.recorded_at, N_("the start"))
    _require_past(cmd.end, cmd.recorded_at, N_("the end"))
    with uow:
        ref, ep = _dose(uow, cmd.patient, cmd.dose)
        start = cmd.start if cmd.start is not None and cmd.start != ep.start else None
        end = cmd.end if cmd.end is not None and cmd.end != ep.end else None
        if start is None and end is None:
            return ep
        new_start = ep.start if start is None else start
        new_end = ep.end if end is None else end
        if new_end is not None and new_end < new_start:
            raise EpisodeError(
                _("the end {new_end} would be before the start {new_start}").format(
                    **_moments(new_end=new_end, new_start=new_start)
                )
            )
        fields = DoseFields(
            start=start,
            start_source=MANUAL if start is not None else None,
            end=end,
            end_source=MANUAL if end is not None else None,
        )
        updated = uow.episodes.update(ep.id, fields, cmd.recorded_at, expected=ep.state)
        entry = le.DoseEdited(
            actor=cmd.by,
            patient_ref=ref,
            episode_id=ep.id,
            dose=cmd.dose,
            reason=cmd.reason,
            start=None if start is None else (ep.start, start),
            end=None if end is None else (ep.end, end),
            signature=signature,
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return updated


def set_targets(uow: UnitOfWork, cmd: SetTargets) -> InfusionEpisode:
    """Validated in `bedside.rules.targets`; logged with the values before and after (nothing when
    they do not change)."""
    authorize(uow, Action.SET_TARGETS, cmd, cmd.patient)
    require_who(cmd.by, EpisodeError, N_("sets the targets"))
    with uow:
        ref, ep = _dose(uow, cmd.patient, cmd.dose)
        before = dict(ep.targets)
        after = {**before, **{k: v for k, v in cmd.targets.items() if v is not None}}
        for k in [k for k, v in cmd.targets.items() if v is None]:
            after.pop(k, None)
        try:
            check_targets(after)
        except ValueError as exc:
            raise EpisodeError(str(exc)) from None
        if after == before:
            return ep
        updated = uow.episodes.update(ep.id, DoseFields(targets=after), cmd.recorded_at, expected=ep.state)
        entry = le.TargetsSet(
            actor=cmd.by,
            patient_ref=ref,
            episode_id=ep.id,
            dose=cmd.dose,
            before=before,
            after=after,
            reason=cmd.reason,
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return updated


def cancel_dose(uow: UnitOfWork, cmd: CancelDose) -> InfusionEpisode:
    """Entered in error (a pump started for priming, a wrong patient): kept and logged, no longer
    alerted on. Its alerts stay as they are, for the record. A signature with its stated meaning."""
    authorize(uow, Action.CANCEL_DOSE, cmd, cmd.patient)
    require_who(cmd.by, EpisodeError, N_("cancels the dose"))
    signature = signed(Action.CANCEL_DOSE, cmd)
    with uow:
        ref, ep = _dose(uow, cmd.patient, cmd.dose)
        updated = uow.episodes.update(
            ep.id, DoseFields(state=EpisodeState.CANCELLED), cmd.recorded_at, expected=ep.state
        )
        entry = le.DoseCancelled(
            actor=cmd.by,
            patient_ref=ref,
            episode_id=ep.id,
            dose=cmd.dose,
            reason=cmd.reason,
            was=ep,
            signature=signature,
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return updated


def _dose(uow: UnitOfWork, patient: PatientRef, dose: int) -> tuple[str, InfusionEpisode]:
    ref = resolve_patient(uow.patients, patient)
    ep = uow.episodes.get(ref, dose)
    if ep is None:
        raise EpisodeError(
            _("no dose {dose} for {ref}: start it first (`bedside-cli episode start`)").format(
                dose=dose, ref=ref
            )
        )
    if ep.state is EpisodeState.CANCELLED:
        # Cancelled is final: confirming, correcting or stopping it would bring a dose entered in
        # error back under the rules (and let a role that may not cancel undo a cancellation).
        raise EpisodeError(
            _("dose {dose} of {ref} was cancelled (entered in error): it cannot be changed").format(
                dose=dose, ref=ref
            )
        )
    return ref, ep


def _require_past(at: float | None, now: float, what: str) -> None:
    """A dose's start or end is recorded once it has happened: a time beyond the clock skew allowed
    (FUTURE_SLACK) is a typo in the date or the hour, not a plan (a plan is the planned start)."""
    if at is not None and at > now + FUTURE_SLACK:
        raise EpisodeError(
            _(
                "{what} {at} is in the future (this clock says {now}): record it once it has happened; "
                "up to {slack} minutes ahead is accepted, for clocks that differ"
            ).format(what=_(what), **_moments(at=at, now=now), slack=round(FUTURE_SLACK / 60))
        )


def _check_dose_number(dose: int) -> None:
    if dose < 1:
        raise EpisodeError(_("the dose number must be 1 or more, not {dose}").format(dose=dose))


def _moments(**times: float) -> dict[str, str]:
    """Times in a refusal as a person reads them (never epoch seconds): to the minute, or to the
    second where two of them fall in the same minute."""
    texts = {name: when_text(at) for name, at in times.items()}
    if len(set(texts.values())) < len(texts):
        texts = {
            name: strftime(datetime.fromtimestamp(at), "%d %b %Y %H:%M:%S") for name, at in times.items()
        }
    return texts
