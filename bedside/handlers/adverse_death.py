"""An investigator's signed reason why the patient's recorded death needs no serious adverse event
report (ICH E2A counts a death as serious, so every death starts the 24-hour SAE report until an
event with a fatal outcome is on record or such a reason is)."""

from __future__ import annotations

from bedside import log_entries as le
from bedside.commands import AdverseEventError, ExplainNoDeathSae
from bedside.handlers.common import authorize, known_patient, latest_death, signed
from bedside.i18n import _
from bedside.unit_of_work import UnitOfWork
from bedside.users import Action

MIN_REASON_LETTERS = 10
"""A reason a monitor can act on says something ("unrelated: progression of ARDS; reported to
the sponsor as a death on study"), not "n/a"."""


def explain_no_death_sae(uow: UnitOfWork, cmd: ExplainNoDeathSae) -> le.DeathSaeNotNeeded:
    """Judging that a death needs no SAE report is an assessment of causality and seriousness: an
    intensivist or investigator signs it (the signature's meaning stated, as for an adverse event's
    documentation). Refused with no death recorded, or with a reason that says nothing."""
    # Two actions on purpose: the permission is the assessment's (a judgement of causality and
    # seriousness, not a nurse's), while the signature is the one that documents an adverse event
    # (a signed action whose meaning the signer states, as for an event or its follow-up), since
    # this reason stands in the record where the death's SAE report would.
    authorize(uow, Action.ASSESS_ADVERSE_EVENT, cmd, cmd.patient)
    signature = signed(Action.RECORD_ADVERSE_EVENT, cmd)
    reason = " ".join(cmd.reason.split())
    if sum(c.isalpha() for c in reason) < MIN_REASON_LETTERS:
        raise AdverseEventError(
            _(
                "say why the death needs no SAE report (for instance: unrelated to the study product, "
                "and reported to the sponsor as a death on study): nothing was recorded"
            )
        )
    with uow:
        ref = known_patient(uow.patients, cmd.patient, AdverseEventError)
        died = latest_death(uow, ref)
        if died is None:
            raise AdverseEventError(
                _("no death is recorded for {ref}: there is no death's SAE report to explain").format(ref=ref)
            )
        entry = le.DeathSaeNotNeeded(
            actor=cmd.by, patient_ref=ref, death_at=died, reason=reason, signature=signature
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return entry
