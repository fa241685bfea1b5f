"""Every command's role check, against the in-memory unit of work: a role that may not take the
action is refused with a message naming it and who does, the refusal is logged (`action.refused`)
and nothing else is written; a signed action needs the actor's own signature, which its entries
carry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bedside import handlers
from bedside.adverse_events import AdverseEventVersion
from bedside.commands import (
    NOT_ASSESSED,
    AcknowledgeAlert,
    CancelDose,
    ConfirmDose,
    EditDose,
    ExportReport,
    MuteAlerts,
    RecordAdverseEvent,
    RecordCourseEvent,
    RecordMedication,
    RecordVitals,
    ReportAdverseEvent,
    SetTargets,
    SignCheck,
    StartDose,
    StopDose,
)
from bedside.handlers.common import NotSignedIn
from bedside.handlers.medication import record_medication
from bedside.model import PatientRef
from bedside.users import ALLOWED, IMPLIED_MEANING, Action, NotAllowed, Role, Signature, SignatureError
from tests.acting import STATED, acts, signs
from tests.unit.fake_uow import FakeUnitOfWork

REF = PatientRef("MRN1", "HOSP")
PATIENT = REF
T0 = 1_780_000_000.0
NOW = T0 + 900
CLINICAL = (Role.NURSE, Role.INTENSIVIST, Role.INVESTIGATOR, Role.ADMIN, Role.SERVICE)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    handlers.start_dose(fake, StartDose(patient=PATIENT, dose=1, start=T0, **acts("RN"), recorded_at=T0))
    fake.alerts.raised(fake.episodes.rows[1])
    fake.log.entries.clear()
    return fake


def _who(action: Action, role: Role) -> dict[str, Any]:
    return (
        signs("u", action, role, NOW)
        if action
        in (
            Action.ACKNOWLEDGE,
            Action.CONFIRM_DOSE,
            Action.EDIT_DOSE,
            Action.CANCEL_DOSE,
            Action.SIGN_CHECK,
            Action.RECORD_ADVERSE_EVENT,
            Action.REPORT_ADVERSE_EVENT,
        )
        else acts("u", role)
    )


Run = Callable[[FakeUnitOfWork, Role], object]


def _run(action: Action) -> Run:
    """The handler of `action` with a command that would be taken from a role allowed to."""
    at = {"recorded_at": NOW}
    dose = {"patient": PATIENT, "dose": 1, **at}

    def run(uow: FakeUnitOfWork, role: Role) -> object:
        who = _who(action, role)
        match action:
            case Action.START_DOSE:
                return handlers.start_dose(uow, StartDose(**{**dose, "dose": 2}, start=T0 + 600, **who))
            case Action.STOP_DOSE:
                return handlers.stop_dose(uow, StopDose(**dose, end=T0 + 600, **who))
            case Action.CONFIRM_DOSE:
                return handlers.confirm_dose(uow, ConfirmDose(**dose, **who))
            case Action.EDIT_DOSE:
                return handlers.edit_dose(uow, EditDose(**dose, end=T0 + 800, **who))
            case Action.CANCEL_DOSE:
                return handlers.cancel_dose(uow, CancelDose(**dose, reason="error", **who))
            case Action.SET_TARGETS:
                return handlers.set_targets(uow, SetTargets(**dose, targets={"spo2": 85.0}, **who))
            case Action.ACKNOWLEDGE:
                return handlers.acknowledge_alerts(uow, AcknowledgeAlert(alert_ids=(1,), **at, **who))
            case Action.MUTE:
                return handlers.mute_alerts(uow, MuteAlerts(patient=PATIENT, until=NOW + 60, **at, **who))
            case Action.RECORD_ADVERSE_EVENT:
                cmd = RecordAdverseEvent(
                    patient=PATIENT, term="Fever", grade=1, relatedness=NOT_ASSESSED, onset=T0, **at, **who
                )
                return handlers.record_adverse_event(uow, cmd)
            case Action.ASSESS_ADVERSE_EVENT:
                who = signs("u", Action.RECORD_ADVERSE_EVENT, role, NOW)
                cmd = RecordAdverseEvent(
                    patient=PATIENT, term="Fever", grade=1, relatedness="possible", onset=T0, **at, **who
                )
                return handlers.record_adverse_event(uow, cmd)
            case Action.REPORT_ADVERSE_EVENT:
                event = uow.adverse_events.add(
                    AdverseEventVersion(
                        patient_ref=REF,
                        episode_id=1,
                        term="Sepsis",
                        grade=4,
                        relatedness="unlikely",
                        onset=T0,
                        reported_by="x",
                        reported_at=T0,
                        seriousness=("life_threatening",),
                        awareness=T0,
                    )
                )
                cmd = ReportAdverseEvent(patient=PATIENT, event=event, sent_at=NOW - 60, **at, **who)
                return handlers.report_adverse_event(uow, cmd)
            case Action.SIGN_CHECK:
                cmd = SignCheck(
                    patient=PATIENT,
                    episode_id=1,
                    check="pre",
                    label="Pre",
                    values="",
                    findings="",
                    **at,
                    **who,
                )
                return handlers.sign_check(uow, cmd)
            case Action.RECORD_COURSE_EVENT:
                cmd = RecordCourseEvent(patient=PATIENT, kind="extubation", at=NOW - 60, **at, **who)
                return handlers.record_course_event(uow, cmd)
            case Action.RECORD_MEDICATION:
                given = RecordMedication(
                    patient=PATIENT,
                    drug="Paracetamol",
                    drug_class="antipyretic",
                    dose=1.0,
                    unit="g",
                    route="IV",
                    start=NOW - 60,
                    **at,
                    **who,
                )
                return record_medication(uow, given)
            case Action.RECORD_VITALS:
                cmd = RecordVitals(PATIENT, NOW - 60, "u", hr=80)
                return handlers.record_vitals(uow, handlers.stamped(cmd, NOW, role))
            case Action.EXPORT_REPORT:
                cmd = ExportReport(
                    patient=PATIENT, file="r.pdf", pages=1, sha256="ab", log_head=None, **at, **who
                )
                return handlers.export_report(uow, cmd)
        raise AssertionError(f"no command for {action}")

    return run


COMMANDS = [a for a in Action if a not in (Action.MANAGE_USERS, Action.MANAGE_RULES)]


@pytest.mark.parametrize("action", COMMANDS)
@pytest.mark.parametrize("role", CLINICAL)
def test_each_command_is_taken_only_from_the_roles_allowed_to(uow, action: Action, role: Role) -> None:  # type: ignore[no-untyped-def]
    run = _run(action)
    if role in ALLOWED[action]:
        run(uow, role)
        assert "action.refused" not in uow.log.kinds()
        return
    before = (dict(uow.episodes.rows), dict(uow.alerts.rows), uow.vitals.observations[:])
    with pytest.raises(NotAllowed) as refused:
        run(uow, role)
    article = "an" if str(role)[0] in "aeiou" else "a"
    assert str(refused.value).startswith(f"{article} {role} may not ")
    ((entry, at),) = uow.log.entries
    assert (entry.kind, entry.actor, entry.patient_ref, at) == ("action.refused", "u", REF, NOW)
    # An adverse event is documented before it is assessed: a role that may not document is refused that.
    documents = action is Action.ASSESS_ADVERSE_EVENT and role not in ALLOWED[Action.RECORD_ADVERSE_EVENT]
    refused_action = Action.RECORD_ADVERSE_EVENT if documents else action
    assert entry.body()["action"] == refused_action.value and entry.body()["role"] == role.value
    assert entry.body()["reason"] == str(refused.value)
    if action is Action.ACKNOWLEDGE:
        assert (entry.alert_id, entry.episode_id, entry.body()["alerts"]) == (1, 1, [1])
    assert (dict(uow.episodes.rows), dict(uow.alerts.rows), uow.vitals.observations) == before
    # Only the serious event a report needs, stored before the command, is there.
    assert all(r["reported_by"] == "x" for r in uow.adverse_events.rows.values())
    assert uow.adverse_events.reports == {} and uow.course_events.rows == {}


def test_a_nurse_documents_an_adverse_event_without_assessing_it(uow) -> None:  # type: ignore[no-untyped-def]
    entry = _run(Action.RECORD_ADVERSE_EVENT)(uow, Role.NURSE)
    assert uow.adverse_events.rows[1]["relatedness"] == NOT_ASSESSED
    assert entry.payload()["signature"] == {"name": "u", "role": "nurse", "meaning": STATED, "at": NOW}
    with pytest.raises(
        NotAllowed,
        match=r"^a nurse may not assess relatedness and seriousness: an intensivist or investigator does$",
    ):
        _run(Action.ASSESS_ADVERSE_EVENT)(uow, Role.NURSE)
    assert len(uow.adverse_events.rows) == 1 and uow.log.kinds()[-1] == "action.refused"


SIGNED_COMMANDS = [
    Action.ACKNOWLEDGE,
    Action.CONFIRM_DOSE,
    Action.EDIT_DOSE,
    Action.CANCEL_DOSE,
    Action.SIGN_CHECK,
    Action.RECORD_ADVERSE_EVENT,
    Action.REPORT_ADVERSE_EVENT,
]


@pytest.mark.parametrize("action", SIGNED_COMMANDS)
def test_a_signed_action_carries_its_signature_into_every_entry(uow, action: Action) -> None:  # type: ignore[no-untyped-def]
    _run(action)(uow, Role.INTENSIVIST)
    meaning = IMPLIED_MEANING.get(action, STATED)
    for entry, _ in uow.log.entries:
        assert entry.payload()["signature"] == {
            "name": "u",
            "role": "intensivist",
            "meaning": meaning,
            "at": NOW,
        }


@pytest.mark.parametrize(
    ("signature", "says"),
    [
        (None, "is a signature: sign it with your password"),
        (
            Signature(username="v", full_name="V", role=Role.INTENSIVIST, meaning=STATED, signed_at=NOW),
            "v's, not u's",
        ),
        (
            Signature(username="u", full_name="U", role=Role.NURSE, meaning=STATED, signed_at=NOW),
            "acts as intensivist",
        ),
        (Signature(username="u", full_name="U", role=Role.INTENSIVIST, meaning=" ", signed_at=NOW), "means"),
        *(
            (
                Signature(username="u", full_name="U", role=Role.INTENSIVIST, meaning=m, signed_at=NOW),
                "does not say what your signature to cancel a dose means",
            )
            for m in ("x", "ok", "xxxx", "n/a", "Test.", "1234")
        ),
    ],
)
def test_a_signed_action_without_the_actors_signature_is_refused(uow, signature, says) -> None:  # type: ignore[no-untyped-def]
    cmd = CancelDose(
        patient=PATIENT, dose=1, recorded_at=NOW, reason="error", **acts("u"), signature=signature
    )
    with pytest.raises(SignatureError, match=says):
        handlers.cancel_dose(uow, cmd)
    assert uow.log.entries == [] and uow.episodes.rows[1].state.value == "confirmed"


def test_vitals_handed_over_by_nobody_signed_in_are_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotSignedIn, match="sign in to record vital signs"):
        handlers.record_vitals(uow, handlers.stamped(RecordVitals(PATIENT, NOW - 60, "u", hr=80), NOW))
    assert uow.log.entries == [] and uow.vitals.observations == []
