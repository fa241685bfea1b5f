"""Why an outcome recorded as a course event (a thrombosis, a secondary infection) needs no adverse
event of special interest, against the in-memory unit of work: signed and logged by an intensivist
or investigator, refused otherwise; and read back as the review and the report list it, the outcome
no longer listed as a disagreement once a reason covers it."""

from __future__ import annotations

import pytest

from bedside.adverse_events_outcomes import outcomes_without_aesi
from bedside.commands import AdverseEventError, ExplainNoOutcomeAesi
from bedside.handlers import explain_no_outcome_aesi
from bedside.model import PatientRef
from bedside.outcome_no_aesi import explained_lines, reasons_from_log, unexplained
from bedside.review import CourseEvent
from bedside.users import Action, NotAllowed, Role, SignatureError
from tests.acting import signs
from tests.unit.fake_uow import FakeUnitOfWork

NOW = 1_780_000_000.0
CLOT = NOW - 6 * 3600
REF = PatientRef("MRN1", "HOSP")
REASON = "catheter-related jugular thrombosis, unrelated to the study product"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(REF)
    fake.course_events.add(patient_ref=REF, kind="thrombosis", at=CLOT)
    return fake


def explain(role: Role = Role.INVESTIGATOR, **more: object) -> ExplainNoOutcomeAesi:
    fields = {
        "patient": PatientRef("MRN1"),
        "outcome": "thrombosis",
        "reason": REASON,
        **signs("luis", Action.RECORD_ADVERSE_EVENT, role),
        "recorded_at": NOW,
        **more,
    }
    return ExplainNoOutcomeAesi(**fields)  # type: ignore[arg-type]


def test_the_reason_is_signed_and_logged_for_the_outcome(uow) -> None:  # type: ignore[no-untyped-def]
    entry = explain_no_outcome_aesi(uow, explain(reason=f"  {REASON}\n"))
    ((logged, at),) = uow.log.entries
    assert logged is entry and at == NOW and uow.commits == 1
    assert (entry.kind, entry.patient_ref, entry.actor) == ("outcome.no_aesi", REF, "luis")
    assert entry.body() == {"outcome": "thrombosis", "at": CLOT, "reason": REASON}
    assert entry.signature is not None and entry.signature.role is Role.INVESTIGATOR


@pytest.mark.parametrize(
    ("more", "refusal"),
    [
        ({"reason": "n/a"}, "say why the thrombosis needs no adverse event of special interest"),
        ({"outcome": "infection"}, r"no infection is recorded for MRN1\^HOSP"),
        ({"outcome": "extubation"}, "extubation is not an outcome followed as an adverse event of special"),
        ({"at": CLOT + 60}, r"no thrombosis is recorded for MRN1\^HOSP at"),
    ],
)
def test_a_reason_that_says_nothing_or_names_no_recorded_outcome_is_refused(uow, more, refusal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match=refusal):
        explain_no_outcome_aesi(uow, explain(**more))
    assert uow.log.entries == []


def test_a_nurse_may_not_sign_it_and_an_unsigned_one_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed):
        explain_no_outcome_aesi(uow, explain(Role.NURSE))
    with pytest.raises(SignatureError):
        explain_no_outcome_aesi(uow, explain(signature=None))
    assert "outcome.no_aesi" not in uow.log.kinds()


def test_an_outcome_with_its_reason_is_listed_with_it_and_no_longer_as_a_disagreement(uow) -> None:  # type: ignore[no-untyped-def]
    entry = explain_no_outcome_aesi(uow, explain())
    log = [
        {
            "kind": entry.kind,
            "at": NOW,
            "actor": "luis",
            "payload": {**entry.body(), "signature": {"name": "Luis Mora", "role": "investigator"}},
        }
    ]
    events = [CourseEvent("thrombosis", CLOT), CourseEvent("infection", CLOT + 3600)]
    reasons = reasons_from_log(log)

    def when(at: float) -> str:
        return f"t{int(at - NOW)}"

    assert unexplained(events, reasons) == [CourseEvent("infection", CLOT + 3600)]
    flagged = outcomes_without_aesi(unexplained(events, reasons), [], when)
    assert len(flagged) == 1 and flagged[0].startswith("secondary infection recorded")
    assert explained_lines(events, reasons, when) == [
        "thrombosis recorded t-21600 as an outcome: no adverse event of special interest needed, as Luis "
        f"Mora (investigator) signed t0: {REASON}"
    ]
