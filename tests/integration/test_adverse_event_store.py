"""Adverse events in the database (SQLite and PostgreSQL): a follow-up is a new row beside version
1, which keeps every value it had; the database itself refuses a second row for the same version;
the report to the sponsor stops the clock; an event stored before reporting existed reads as
version 1 with the new fields unknown; the safety log still verifies."""

from __future__ import annotations

import json

import pytest
from bedside_adapters.db import adverse_store, episode_store
from bedside_adapters.db import schema as t
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.migrate import upgrade
from bedside_adapters.db.safety_store import verify_log
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from bedside.adverse_events import changes_text, compared
from bedside.commands import AdverseEventError, RecordAdverseEvent, ReportAdverseEvent, StartDose
from bedside.handlers import record_adverse_event, report_adverse_event, start_dose
from bedside.model import PatientRef
from bedside.users import Action, Role
from tests.acting import acts, signs

REF = "P1^H"
T0 = 1_780_000_000.0
NOW = T0 + 3600


def _event(**more: object) -> RecordAdverseEvent:
    fields = {
        "patient": PatientRef.parse(REF),
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


@pytest.fixture
def dosed(engine):  # type: ignore[no-untyped-def]
    start_dose(
        SqlUnitOfWork(engine),
        StartDose(patient=PatientRef.parse(REF), dose=1, start=T0, **acts("RN"), recorded_at=T0),
    )
    return engine


def _rows(engine) -> list[dict]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return [
            dict(r._mapping) for r in conn.execute(select(t.adverse_event).order_by(t.adverse_event.c.id))
        ]


def test_a_follow_up_is_a_new_row_and_version_1_is_unchanged(dosed) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(SqlUnitOfWork(dosed), _event())
    (first,) = _rows(dosed)
    follow = _event(
        term="", grade=None, relatedness="", onset=None, dose=None, follows=first["id"], outcome="recovered"
    )
    record_adverse_event(SqlUnitOfWork(dosed), _event(**{**follow.__dict__, "end": T0 + 3000}))
    v1, v2 = _rows(dosed)
    assert v1 == first
    assert (v2["event_id"], v2["version"], v2["outcome"], v2["grade"]) == (v1["id"], 2, "recovered", 3)
    assert v2["awareness_ms"] == v1["awareness_ms"] == int((T0 + 1000) * 1000)
    assert (
        v1["special_interest"] is None
        and v1["ctcae_term"] == "Hypoxia"
        and v1["expectedness"] == "unexpected"
    )
    with dosed.connect() as conn:
        latest = adverse_store.latest_version(conn, v1["id"])
        listing = adverse_store.listing(conn, PatientRef.parse(REF), {})
    assert latest is not None and (latest.version, latest.event_id, latest.outcome) == (
        2,
        v1["id"],
        "recovered",
    )
    (shown,) = listing
    assert (shown.id, shown.latest.version, shown.versions, shown.latest.susar.value) == (
        v1["id"],
        2,
        2,
        True,
    )
    assert verify_log(dosed).ok


def test_a_follow_up_that_changes_nothing_is_refused_as_read_back(dosed) -> None:  # type: ignore[no-untyped-def]
    """What is read beside a stored version (when version 1 was recorded, the report to the sponsor)
    is no change a follow-up could make: the same fields again are refused, after a report too."""
    record_adverse_event(SqlUnitOfWork(dosed), _event())
    (first,) = _rows(dosed)
    same = {"term": "", "grade": None, "relatedness": "", "onset": None, "dose": None, "follows": first["id"]}
    with pytest.raises(AdverseEventError, match="nothing changed: this follow-up says what version 1"):
        record_adverse_event(SqlUnitOfWork(dosed), _event(**same, recorded_at=NOW + 60))
    record_adverse_event(SqlUnitOfWork(dosed), _event(**same, treatment="oxygen", recorded_at=NOW + 60))
    report_adverse_event(
        SqlUnitOfWork(dosed),
        ReportAdverseEvent(
            patient=PatientRef.parse(REF),
            event=first["id"],
            sent_at=NOW + 90,
            **signs("inv", Action.REPORT_ADVERSE_EVENT, Role.INVESTIGATOR, NOW + 120),
            recorded_at=NOW + 120,
        ),
    )
    for at in (NOW + 180, NOW + 240):
        with pytest.raises(AdverseEventError, match="nothing changed: this follow-up says what version 2"):
            record_adverse_event(SqlUnitOfWork(dosed), _event(**same, recorded_at=at))
    assert [r["version"] for r in _rows(dosed)] == [1, 2]


def test_a_nurse_follow_up_refused_for_an_assessment_is_logged_and_writes_nothing_else(dosed) -> None:  # type: ignore[no-untyped-def]
    """The refusal is found once the record is read: its action.refused entry is committed in the
    follow-up's own unit of work, with no version beside it, and the log still verifies."""
    record_adverse_event(SqlUnitOfWork(dosed), _event())
    nurse = _event(
        term="Hypertension",
        grade=None,
        relatedness="",
        onset=None,
        dose=None,
        follows=1,
        seriousness=None,
        awareness=None,
        outcome=None,
        action_taken=None,
        **signs("RN", Action.RECORD_ADVERSE_EVENT, Role.NURSE, NOW + 60),
        recorded_at=NOW + 60,
    )
    with pytest.raises(AdverseEventError, match="would change the term"):
        record_adverse_event(SqlUnitOfWork(dosed), nurse)
    log = t.safety_log.c
    with dosed.connect() as conn:
        kinds = [r.kind for r in conn.execute(select(log.kind).order_by(log.seq))]
        refused = conn.execute(select(log.actor, log.payload).where(log.kind == "action.refused")).all()
    assert kinds[-2:] == ["adverse_event.recorded", "action.refused"]
    ((actor, payload),) = refused
    assert actor == "RN" and json.loads(payload)["action"] == "assess_adverse_event"
    assert [r["version"] for r in _rows(dosed)] == [1]
    assert verify_log(dosed).ok


def test_the_listing_reads_a_follow_up_back_as_its_two_versions(dosed) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(SqlUnitOfWork(dosed), _event())
    follow = _event(
        term="", grade=2, relatedness="", onset=None, follows=1, outcome="recovered", end=T0 + 3000
    )
    record_adverse_event(SqlUnitOfWork(dosed), follow)
    ref = PatientRef.parse(REF)
    with dosed.connect() as conn:
        dose_of = {d.id: d.dose_number for d in episode_store.load_episodes(conn, ref)}
        (shown,) = adverse_store.listing(conn, ref, dose_of)
        stored = adverse_store.event_history(conn, 1)
    # The latest version with every version beside it, each as stored, who recorded it and as what.
    assert (shown.id, shown.versions, shown.latest, shown.dose) == (1, 2, stored[-1], 1)
    assert [h.recorded for h in shown.history] == stored
    assert [(h.version, h.recorded_at, h.by, h.role, h.dose) for h in shown.history] == [
        (1, NOW, "inv", "investigator", 1),
        (2, NOW, "inv", "investigator", 1),
    ]
    assert [h.recorded.grade for h in shown.history] == [3, 2] and shown.susar_at_first_report is None
    # What the history compares, and the JSON the review and the report write, read from the same record.
    assert changes_text(shown.history[0].fields, shown.history[1].fields, lambda at: f"t+{at - T0:g}") == (
        "grade: G3 → G2; expectedness: unexpected → expected; SUSAR: yes → no; "
        "outcome: not recovered/not resolved → recovered/resolved; end: not recorded → t+3000"
    )
    written = json.loads(json.dumps(shown.as_json()))
    assert (written["id"], written["version"], written["versions"], written["dose"]) == (1, 2, 2, 1)
    assert [(h["version"], h["grade"], h["outcome"], h["dose"]) for h in written["history"]] == [
        (1, 3, "not_recovered", 1),
        (2, 2, "recovered", 1),
    ]
    assert written["history"][1] == {
        "version": 2,
        "recorded_at": NOW,
        "by": "inv",
        "role": "investigator",
        **compared(stored[1], dose_of),
    }


def test_the_database_refuses_a_second_row_for_the_same_version(dosed) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(SqlUnitOfWork(dosed), _event())
    record_adverse_event(SqlUnitOfWork(dosed), _event(follows=1, outcome="recovering"))
    _, v2 = _rows(dosed)
    copy = {k: v for k, v in v2.items() if k != "id"}
    with pytest.raises(IntegrityError), dosed.begin() as conn:
        conn.execute(insert(t.adverse_event).values(**copy))
    assert len(_rows(dosed)) == 2


def test_reporting_to_the_sponsor_is_stored_and_stops_the_clock(dosed) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(SqlUnitOfWork(dosed), _event())
    with dosed.connect() as conn:
        assert adverse_store.latest_version(conn, 1).clock(NOW).state == "due"  # type: ignore[union-attr]
    cmd = ReportAdverseEvent(
        patient=PatientRef.parse(REF),
        event=1,
        sent_at=NOW - 120,
        **signs("inv", Action.REPORT_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
        recorded_at=NOW,
    )
    report_adverse_event(SqlUnitOfWork(dosed), cmd)
    with dosed.connect() as conn:
        clock = adverse_store.latest_version(conn, 1).clock(NOW + 3 * 86400)  # type: ignore[union-attr]
        (row,) = conn.execute(select(t.adverse_event_report)).all()
    assert (clock.state, clock.reported_at) == ("reported", NOW - 120)
    assert (row.event_id, row.version, row.recorded_by) == (1, 1, "inv")
    assert verify_log(dosed).ok


def test_an_event_stored_before_reporting_reads_as_version_1_with_the_rest_unknown(db_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    upgrade(engine, "0026")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO adverse_event (patient_ref, term, grade, relatedness, onset_ms, alert_ids, notes, "
                "reported_by, reported_ms) VALUES ('P1^H', 'Fever', 2, 'possible', :t, '[]', 'old', 'RN', :t)"
            ),
            {"t": int(T0 * 1000)},
        )
    upgrade(engine)
    with engine.connect() as conn:
        (shown,) = adverse_store.listing(conn, PatientRef("P1", "H"), {})
        old = adverse_store.latest_version(conn, shown.id)
    assert old is not None and (old.version, old.event_id, old.term, old.notes) == (
        1,
        shown.id,
        "Fever",
        "old",
    )
    assert (old.seriousness, old.expectedness, old.outcome, old.awareness, old.aesi) == (None,) * 5
    assert shown.latest.susar.value is None and shown.latest.susar.missing == ("seriousness", "expectedness")
    assert old.clock(T0).state == "not assessed"
    engine.dispose()


@pytest.mark.parametrize(
    ("tamper", "says"),
    [
        (
            "UPDATE adverse_event SET outcome = 'fatal' WHERE version = 2",
            "adverse event 2: its outcome is 'fatal'",
        ),
        (
            "UPDATE adverse_event SET seriousness = '[]' WHERE id = 1",
            "adverse event 1: its seriousness is []",
        ),
        (
            "UPDATE adverse_event_report SET sent_ms = sent_ms - 3600000",
            "adverse event report 1: its sent_ms",
        ),
    ],
)
def test_verify_log_catches_an_edited_sae_or_report(dosed, tamper: str, says: str) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(SqlUnitOfWork(dosed), _event())
    record_adverse_event(SqlUnitOfWork(dosed), _event(follows=1, outcome="recovering"))
    cmd = ReportAdverseEvent(
        patient=PatientRef.parse(REF),
        event=1,
        sent_at=NOW - 120,
        **signs("inv", Action.REPORT_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
        recorded_at=NOW,
    )
    report_adverse_event(SqlUnitOfWork(dosed), cmd)
    assert verify_log(dosed).ok
    with dosed.begin() as conn:
        conn.execute(text(tamper))
    check = verify_log(dosed)
    assert not check.ok and says in f"{check.where}: {check.reason}", (check.where, check.reason)
