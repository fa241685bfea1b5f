"""What the command line lists of a patient's adverse events, read by the database package in one
transaction (SQLite and PostgreSQL): the versions of each event, the doses they link to, the accounts,
and the death's part; and a follow-up's versions read by the row id of any of them."""

from __future__ import annotations

from bedside_adapters.db.adverse_record import event_versions, read_adverse_record
from bedside_adapters.db.unit_of_work import SqlUnitOfWork

from bedside.commands import RecordAdverseEvent, StartDose
from bedside.handlers import record_adverse_event, start_dose
from bedside.model import PatientRef
from bedside.users import Action, Role
from tests.acting import acts, signs

REF = PatientRef.parse("P1^H")
T0 = 1_780_000_000.0
NOW = T0 + 3600


def _event(**more: object) -> RecordAdverseEvent:
    fields = {
        "patient": REF,
        "term": "Hypoxia",
        "grade": 3,
        "relatedness": "possible",
        "onset": T0 + 900,
        "dose": 1,
        "seriousness": ("life_threatening",),
        "awareness": T0 + 1000,
        "outcome": "not_recovered",
        "action_taken": "stopped",
        **signs("inv", Action.RECORD_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
        "recorded_at": NOW,
        **more,
    }
    return RecordAdverseEvent(**fields)  # type: ignore[arg-type]


def test_the_record_and_a_follow_ups_versions_are_read_through_the_engine(engine) -> None:  # type: ignore[no-untyped-def]
    dose = start_dose(
        SqlUnitOfWork(engine), StartDose(patient=REF, dose=1, start=T0, **acts("RN"), recorded_at=T0)
    )
    first = record_adverse_event(SqlUnitOfWork(engine), _event())
    first_id = int(first.payload()["id"])
    follow = record_adverse_event(
        SqlUnitOfWork(engine),
        _event(
            term="", grade=None, relatedness="", onset=None, dose=None, follows=first_id, outcome="recovered"
        ),
    )

    versions, dose_of = event_versions(engine, int(follow.payload()["id"]))
    assert [(v.version, v.outcome) for v in versions] == [(1, "not_recovered"), (2, "recovered")]
    assert dose_of == {dose.id: 1}
    assert event_versions(engine, first_id + 1000) == ([], {})

    record = read_adverse_record(engine, REF, history=first_id, with_listing=True)
    assert [[v.version for v in h] for h in record.histories] == [[1, 2]]
    assert record.history is not None and [v.version for v in record.history] == [1, 2]
    assert record.dose_of == {dose.id: 1}
    assert [e.latest.version for e in record.listed] == [2]
    assert (record.died, record.death_sae, record.reported_death, record.aesi_course) == (
        None,
        None,
        None,
        [],
    )

    unlisted = read_adverse_record(engine, REF)
    assert (unlisted.history, unlisted.listed) == (None, [])
