"""What cannot have happened is refused on the database as in the handlers, and the command line
says so in one line: a death in the future or recorded twice, a dose started after a recorded
death, a report to the sponsor sent before the team knew of the event. An event reported several
times lists its first report and how many followed, in the text, the JSON, the PDF's listing and
the review; a death near a dose already recorded as an SAE says so."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from bedside_adapters.db import adverse_store, course_store
from bedside_adapters.db.outcome_store import fatal_saes
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_ui.cli import main as cli_main

from bedside import review_text
from bedside.commands import RecordAdverseEvent, RecordCourseEvent, ReportAdverseEvent, StartDose
from bedside.handlers import record_adverse_event, record_course_event, report_adverse_event, start_dose
from bedside.model import PatientRef
from bedside.sae_listing import sae_listing
from bedside.users import Action, Role
from tests.acting import acts, signs
from tests.signed_in import signed_in

REF = "P1^H"


def iso(offset: float) -> str:
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat(timespec="seconds")


@pytest.fixture
def url(sqlite_engine) -> str:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)
    argv = [
        "episode",
        "start",
        "--json",
        "--patient",
        REF,
        "--dose",
        "1",
        "--at",
        iso(-7200),
        *signed_in(url, "RN"),
    ]
    assert cli_main(["--db", url, *argv]) == 0
    return url


def test_death_in_the_future_twice_and_a_dose_after_it_are_refused_in_one_line(url, capsys) -> None:  # type: ignore[no-untyped-def]
    def death(at: str) -> list[str]:
        return ["--db", url, "course-event", "--patient", REF, "--kind", "death", "--at", at]

    me = signed_in(url, "Dr Lee")
    assert cli_main([*death(iso(86400)), *me]) == 2
    err = capsys.readouterr().err
    assert "the time is in the future" in err and len(err.strip().splitlines()) == 1
    assert cli_main([*death(iso(-3600)), *me]) == 0
    capsys.readouterr()
    assert cli_main([*death(iso(-1800)), *me]) == 2
    err = capsys.readouterr().err
    assert "a death is already recorded for P1^H at " in err and len(err.strip().splitlines()) == 1
    assert cli_main([*death(iso(-2400)), "--text", "time from the monitor's record", *me]) == 0
    capsys.readouterr()
    dose = ["--db", url, "episode", "start", "--json", "--patient", REF, "--dose", "2", "--at", iso(-60)]
    assert cli_main([*dose, *signed_in(url, "RN")]) == 2
    err = capsys.readouterr().err
    assert "P1^H was recorded as deceased at " in err and len(err.strip().splitlines()) == 1


T0 = 1_780_000_000.0
NOW = T0 + 3600


def test_deaths_are_read_back_for_the_handlers_and_the_nurse_screen(engine) -> None:  # type: ignore[no-untyped-def]
    ref = PatientRef.parse(REF)
    start_dose(SqlUnitOfWork(engine), StartDose(patient=ref, dose=1, start=T0, **acts("RN"), recorded_at=T0))
    assert SqlSeriesStore(engine).patient_status(ref, NOW).deceased_at is None
    death = RecordCourseEvent(patient=ref, kind="death", at=T0 + 1800, **acts("Dr Lee"), recorded_at=NOW)
    record_course_event(SqlUnitOfWork(engine), death)
    with engine.connect() as conn:
        assert course_store.death_times(conn, PatientRef.parse(REF)) == [T0 + 1800]
    assert SqlSeriesStore(engine).patient_status(ref, NOW).deceased_at == T0 + 1800


def test_a_fatal_sae_reported_twice_lists_its_first_report_and_the_follow_up(engine) -> None:  # type: ignore[no-untyped-def]
    ref = PatientRef.parse(REF)
    start_dose(SqlUnitOfWork(engine), StartDose(patient=ref, dose=1, start=T0, **acts("RN"), recorded_at=T0))
    died = RecordCourseEvent(patient=ref, kind="death", at=T0 + 1800, **acts("Dr Lee"), recorded_at=NOW)
    record_course_event(SqlUnitOfWork(engine), died)
    fatal = RecordAdverseEvent(
        patient=ref,
        term="Hypotension",
        grade=5,
        relatedness="possible",
        onset=T0 + 600,
        dose=1,
        seriousness=("death",),
        awareness=T0 + 900,
        outcome="fatal",
        **signs("inv", Action.RECORD_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
        recorded_at=NOW,
    )
    record_adverse_event(SqlUnitOfWork(engine), fatal)
    for sent in (T0 + 1200, T0 + 3000):
        report = ReportAdverseEvent(
            patient=ref,
            event=1,
            sent_at=sent,
            **signs("inv", Action.REPORT_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
            recorded_at=NOW,
        )
        report_adverse_event(SqlUnitOfWork(engine), report)
    with engine.connect() as conn:
        (listed,) = adverse_store.listing(conn, PatientRef.parse(REF), {})
        latest = adverse_store.latest_version(conn, 1)
        assert fatal_saes(conn, PatientRef.parse(REF)) == [1]
    assert (listed.latest.sent_at, listed.latest.follow_up_reports) == (T0 + 1200, 1)
    assert latest is not None and latest.follow_up_reports == 1
    review = review_text.sae_clock_text(listed, NOW)
    assert review.startswith("reported to sponsor ") and review.endswith(
        "(first report; 1 follow-up report since)"
    )
    (row,) = sae_listing([listed], NOW, lambda at: "t").rows
    assert "t (first report; 1 follow-up report since)" in row


def test_the_command_line_lists_the_first_report_and_how_many_followed(url, capsys) -> None:  # type: ignore[no-untyped-def]
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    event = [
        *(
            "adverse-event",
            "--json",
            "--patient",
            REF,
            "--dose",
            "1",
            "--term",
            "Hypotension",
            "--grade",
            "3",
        ),
        *("--relatedness", "probable", "--onset", iso(-5400), "--serious", "hospitalisation"),
        *("--awareness", iso(-5000)),
    ]
    assert cli_main(["--db", url, *event, *investigator]) == 0
    report = ["--db", url, "adverse-event-reported", "--json", "1", "--patient", REF]
    assert cli_main([*report, "--sent", iso(-5200), *investigator]) == 2
    assert "before the team became aware of it" in capsys.readouterr().err
    for sent in (iso(-4000), iso(-600)):
        assert cli_main([*report, "--sent", sent, *investigator]) == 0
    capsys.readouterr()
    assert cli_main(["--db", url, "adverse-events", "--patient", REF]) == 0
    assert "(first report; 1 follow-up report since)" in capsys.readouterr().out
    assert cli_main(["--db", url, "adverse-events", "--patient", REF, "--json"]) == 0
    (shown,) = json.loads(capsys.readouterr().out)
    assert shown["follow_up_reports"] == 1
    assert shown["reported_at"] == pytest.approx(time.time() - 4000, abs=30)
