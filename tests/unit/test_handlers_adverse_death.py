"""Why a recorded death needs no SAE report, against the in-memory unit of work: signed and logged
by an intensivist or investigator, refused (nothing written but a role's refusal) otherwise."""

from __future__ import annotations

import pytest

from bedside.commands import AdverseEventError, ExplainNoDeathSae
from bedside.handlers import explain_no_death_sae
from bedside.model import PatientRef
from bedside.users import Action, NotAllowed, Role, SignatureError
from tests.acting import signs
from tests.unit.fake_uow import FakeUnitOfWork

NOW = 1_780_000_000.0
DIED = NOW - 6 * 3600
REF = PatientRef("MRN1", "HOSP")
REASON = "unrelated: progression of ARDS; reported to the sponsor as a death on study"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored += [REF, PatientRef("MRN2", "HOSP")]
    fake.course_events.add(patient_ref=REF, kind="death", at=DIED)
    return fake


def explain(**more: object) -> ExplainNoDeathSae:
    fields = {
        "patient": PatientRef("MRN1"),  # a bare MRN, as typed: resolved to the stored patient
        "reason": REASON,
        **signs("luis", Action.RECORD_ADVERSE_EVENT, Role.INVESTIGATOR),
        "recorded_at": NOW,
        **more,
    }
    return ExplainNoDeathSae(**fields)  # type: ignore[arg-type]


def test_the_reason_is_signed_and_logged_at_the_recorded_death(uow) -> None:  # type: ignore[no-untyped-def]
    entry = explain_no_death_sae(uow, explain(reason="  unrelated:\n progression of ARDS  "))
    ((logged, at),) = uow.log.entries
    assert logged is entry and at == NOW and uow.commits == 1
    assert (entry.kind, entry.patient_ref, entry.actor) == ("death.no_sae", REF, "luis")
    assert entry.death_at == DIED and entry.reason == "unrelated: progression of ARDS"  # blanks folded
    assert entry.signature is not None and entry.signature.role is Role.INVESTIGATOR


def test_the_latest_death_entered_is_the_one_explained(uow) -> None:  # type: ignore[no-untyped-def]
    uow.course_events.add(patient_ref=REF, kind="death", at=DIED - 600)  # a correction of the time
    assert explain_no_death_sae(uow, explain()).death_at == DIED - 600


def test_no_death_recorded_is_refused_with_nothing_written(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match="no death is recorded for MRN2\\^HOSP"):
        explain_no_death_sae(uow, explain(patient=PatientRef("MRN2", "HOSP")))
    assert uow.log.entries == [] and uow.commits == 0


@pytest.mark.parametrize("reason", ["", "   ", "n/a", "none.", "x x x x x x"])
def test_a_reason_that_says_nothing_is_refused(uow, reason) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match="say why the death needs no SAE report"):
        explain_no_death_sae(uow, explain(reason=reason))
    assert uow.log.entries == []


def test_an_unknown_patient_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match="no patient 'NOBODY' in this database"):
        explain_no_death_sae(uow, explain(patient=PatientRef("NOBODY")))
    assert uow.log.entries == []


def test_a_nurse_may_not_judge_it_and_the_refusal_is_logged(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed):
        explain_no_death_sae(uow, explain(**signs("ana", Action.RECORD_ADVERSE_EVENT, Role.NURSE)))
    assert uow.log.kinds() == ["action.refused"]
    ((refused, _),) = uow.log.entries
    assert refused.patient_ref == REF and refused.payload()["action"] == "assess_adverse_event"


def test_it_is_a_signature(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SignatureError, match="is a signature"):
        explain_no_death_sae(uow, explain(signature=None))
    intensivists = signs("luis", Action.RECORD_ADVERSE_EVENT, Role.INTENSIVIST)["signature"]
    with pytest.raises(SignatureError, match="acts as"):  # signed in another role than the one acting
        explain_no_death_sae(uow, explain(signature=intensivists))
    assert uow.log.entries == []
