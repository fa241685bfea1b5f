"""The outcomes in the trial's export: the simulator's reintubated course (three doses) and its
`died` course (two doses) through the real ingest, the clinicians' entries through the command
handler, exported with `bedside-cli export sdtm`; PR and CE read back with pyreadstat (and from the
CSV) and compared with the database's course events and the course's ground truth, DM's age, sex and
arm with what ADT sent, and each empty value with the reason SUPPDM gives for it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bedside_adapters.cli import main as cli
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.sdtm import common
from bedside_adapters.sim.course_feed import CourseFeed
from sqlalchemy import Engine, text

from bedside import handlers
from bedside.commands import RecordAdverseEvent, RecordCourseEvent
from bedside.course import CourseModel
from bedside.course_spec import DAY, load_scenario
from bedside.model import PatientRef
from bedside.users import Action, Role
from tests.acting import acts, signs
from tests.integration.test_outcomes_ground_truth import START, ingest_course
from tests.integration.test_sdtm_export import iso, read_back
from tests.signed_in import signed_in


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def export(engine: Engine, out: Path, capsys, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    url = _url(engine)
    args = [
        "--db",
        url,
        "export",
        "sdtm",
        "--json",
        "--out",
        str(out),
        *extra,
        *signed_in(url, "marta", Role.INVESTIGATOR),
    ]
    assert cli(args) == 0
    return json.loads(capsys.readouterr().out)["rows"]


def course_events(engine: Engine, ref: str, kind: str) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT at_ms FROM course_event WHERE patient_ref = :r AND kind = :k ORDER BY at_ms"),
            {"r": ref, "k": kind},
        )
        return [iso(ms / 1000) for (ms,) in rows]


def age(birth_date: str, at: float) -> float:
    born = datetime.strptime(birth_date, "%Y%m%d").date()
    on = datetime.fromtimestamp(at, UTC).date()
    return float(on.year - born.year - ((on.month, on.day) < (born.month, born.day)))


def test_the_reintubated_course_s_procedures_match_the_database_and_the_ground_truth(  # type: ignore[no-untyped-def]
    engine, tmp_path, capsys
) -> None:
    truth, ref, _now = ingest_course(engine, "reintubated")
    expected = truth["outcomes"]
    rows = export(engine, tmp_path / "sdtm", capsys)
    out = tmp_path / "sdtm"

    ex, _, _ = read_back(out, "EX")
    assert [r["EXSPID"] for r in ex] == ["1", "2", "3"] and rows["EX"] == 3

    pr, pr_xpt, meta = read_back(out, "PR")
    assert meta.table_name == "PR" and len(pr_xpt) == rows["PR"] == len(pr)

    def at(trt: str) -> list[str]:
        return [r["PRSTDTC"] for r in pr if r["PRTRT"] == trt]

    intubations = course_events(engine, ref, "intubation")
    assert at("ENDOTRACHEAL INTUBATION") + at("ENDOTRACHEAL REINTUBATION") == intubations
    assert at("ENDOTRACHEAL REINTUBATION") == [iso(t) for t in expected["reintubations"]] != []
    assert at("EXTUBATION") == course_events(engine, ref, "extubation")
    assert at("TRACHEOSTOMY") == course_events(engine, ref, "tracheostomy")
    assert at("TRACHEOSTOMY") == [iso(t) for t in expected["tracheostomies"]] != []
    # Each ventilation period from its intubation to its extubation, the reintubation's included.
    periods = [(r["PRSTDTC"], r["PRENDTC"]) for r in pr if r["PRTRT"] == "INVASIVE MECHANICAL VENTILATION"]
    assert periods == list(zip(intubations, course_events(engine, ref, "extubation"), strict=True))
    assert len(pr) == 2 + 2 + 2 + 1  # periods, intubations, extubations, tracheostomy
    assert {r["PRCAT"] for r in pr} == {"AIRWAY AND VENTILATION"}
    day0 = datetime.fromtimestamp(expected["day0"], UTC).date()
    for r in pr:
        start = datetime.fromisoformat(r["PRSTDTC"]).date()
        day = (start - day0).days
        assert float(r["PRSTDY"]) == (day + 1 if day >= 0 else day)  # no day 0
    supppr, _, _ = read_back(out, "SUPPPR")
    assert {r["QVAL"] for r in supppr if r["QNAM"] == "PRSRC"} == {"course event entered by a clinician"}
    # Nothing in CE: no thrombosis or infection was entered. DS: no extubation (it is in PR).
    assert rows["CE"] == 0
    ds, _, _ = read_back(out, "DS")
    assert "EXTUBATION" not in {r["DSTERM"] for r in ds}

    # DM: age at the first dose and sex from the ADT the simulator sent, the study's arm.
    feed = CourseFeed(CourseModel(load_scenario("reintubated", START)))
    dm, _, _ = read_back(out, "DM")
    assert float(dm[0]["AGE"]) == age(feed.monitor.birth_date, expected["day0"]) and dm[0]["AGEU"] == "YEARS"
    assert dm[0]["SEX"] == feed.monitor.sex and dm[0]["ARMCD"] == dm[0]["ACTARMCD"] != ""


def test_the_died_course_s_events_and_the_reasons_for_what_is_empty(
    engine, tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    truth, ref, now = ingest_course(engine, "died")
    patient = PatientRef.parse(ref)
    day0 = truth["outcomes"]["day0"]
    entries = [
        ("ecmo_start", day0 + 0.5 * DAY, ""),
        ("ecmo_end", day0 + 1.5 * DAY, ""),
        ("rrt_start", day0 + DAY, ""),  # still running at the death: no end entered
        ("thrombosis", day0 + 1.2 * DAY, "Deep vein thrombosis, left femoral vein (ultrasound)"),
        ("infection", day0 + 2 * DAY, ""),
    ]
    for kind, at, note in entries:
        handlers.record_course_event(
            SqlUnitOfWork(engine),
            RecordCourseEvent(
                patient=patient, kind=kind, at=at, text=note, **acts("Dr Lee"), recorded_at=now
            ),
        )
    # A pulmonary embolism recorded as an adverse event of special interest: in AE, never in CE too.
    handlers.record_adverse_event(
        SqlUnitOfWork(engine),
        RecordAdverseEvent(
            patient=patient,
            term="Thromboembolic event",
            grade=3,
            relatedness="unlikely",
            onset=day0 + 1.8 * DAY,
            **signs("inv", Action.RECORD_ADVERSE_EVENT, at=now),
            recorded_at=now,
        ),
    )
    out = tmp_path / "sdtm"
    rows = export(engine, out, capsys)
    ex, _, _ = read_back(out, "EX")
    assert len(ex) == rows["EX"] == 2

    pr, _, _ = read_back(out, "PR")
    by_trt = {(r["PRTRT"], r["PRSTDTC"], r["PRENDTC"]) for r in pr}
    assert ("EXTRACORPOREAL MEMBRANE OXYGENATION", iso(day0 + 0.5 * DAY), iso(day0 + 1.5 * DAY)) in by_trt
    # Renal replacement still running at the death, and ventilation from the intubation entered to the
    # death with no extubation: both end at the death, marked as derived, and no EXTUBATION is invented.
    dm, _, _ = read_back(out, "DM")
    died_at = dm[0]["DTHDTC"]
    assert died_at
    assert ("RENAL REPLACEMENT THERAPY", iso(day0 + DAY), died_at) in by_trt
    (vent,) = [r for r in pr if r["PRTRT"] == "INVASIVE MECHANICAL VENTILATION"]
    assert vent["PRSTDTC"] == course_events(engine, ref, "intubation")[0] and vent["PRENDTC"] == died_at
    assert "EXTUBATION" not in {r["PRTRT"] for r in pr}
    supppr, _, _ = read_back(out, "SUPPPR")
    derived = {r["IDVARVAL"] for r in supppr if r["QNAM"] == "PRENDDRV" and r["QVAL"] == "Y"}
    assert derived == {r["PRSEQ"] for r in pr if r["PRENDTC"] == died_at}

    ce, ce_xpt, _ = read_back(out, "CE")
    assert [(r["CETERM"], r["CESTDTC"]) for r in ce] == [
        ("THROMBOSIS OR EMBOLISM", course_events(engine, ref, "thrombosis")[0]),
        ("SECONDARY INFECTION", course_events(engine, ref, "infection")[0]),
    ]
    assert len(ce_xpt) == 2 and [r["CESEQ"] for r in ce] == ["1", "2"]
    suppce, _, _ = read_back(out, "SUPPCE")
    assert [(r["IDVARVAL"], r["QNAM"], r["QVAL"]) for r in suppce] == [
        ("1", "CETXT", "Deep vein thrombosis, left femoral vein (ultrasound)")
    ]
    ae, _, _ = read_back(out, "AE")
    assert [r["AETERM"] for r in ae] == ["Thromboembolic event"]
    # The review's outcome set counts the course event and the adverse event; the export has each once.
    assert cli(["--db", _url(engine), "review", "--patient", ref.partition("^")[0], "--json"]) == 0
    outcome = {o["key"]: o for o in json.loads(capsys.readouterr().out)["outcome_set"]}
    assert (
        outcome["thrombosis"]["value"]
        == 2
        == len([r for r in ce if r["CETERM"].startswith("THROMB")]) + len(ae)
    )

    ds, _, _ = read_back(out, "DS")
    assert [r["DSTERM"] for r in ds] == ["DEATH"]

    # Neither a birth date nor a sex ever received, and no arm configured: empty (SEX, which SDTMIG
    # requires, unknown), and SUPPDM says why.
    with engine.begin() as conn:
        conn.execute(text("UPDATE patient SET birth_date = '', sex = ''"))
    study_file = tmp_path / "study.toml"
    study_file.write_text("# no [arm] yet\n", encoding="utf-8")
    again = tmp_path / "again"
    monkeypatch.setattr(common, "resource_path", lambda *parts: study_file)
    export(engine, again, capsys)
    dm, _, _ = read_back(again, "DM")
    assert (dm[0]["AGE"], dm[0]["AGEU"], dm[0]["SEX"], dm[0]["ARMCD"], dm[0]["ACTARM"]) == (
        "",
        "",
        "U",
        "",
        "",
    )
    suppdm, _, _ = read_back(again, "SUPPDM")
    why = {r["QNAM"]: r["QVAL"] for r in suppdm}
    assert why["AGEMISS"] == "birth date (PID-7) never received"
    assert why["SEXMISS"] == "sex (PID-8) never received"
    assert "resources/study.toml [arm] has no code and description" in why["ARMMISS"]
    assert {(r["IDVAR"], r["IDVARVAL"]) for r in suppdm} == {("", "")}  # DM has no --SEQ


def test_age_sex_and_arm_derivations() -> None:
    from bedside_adapters.sdtm.common import Arm, configured_arm
    from bedside_adapters.sdtm.subject import administrative_sex, age_at

    first_dose = datetime(2026, 3, 2, 10, 0, tzinfo=UTC).timestamp()
    assert age_at("19600302", first_dose) == (66.0, "")  # the birthday itself
    assert age_at("19600303", first_dose) == (65.0, "")  # the day before it
    assert age_at("196003021200", first_dose) == (66.0, "")  # PID-7 with a time of birth
    assert age_at("1960", first_dose)[0] is None and "whole date" in age_at("1960", first_dose)[1]
    assert age_at("19600230", first_dose)[0] is None
    assert age_at("20270101", first_dose)[0] is None and "after" in age_at("20270101", first_dose)[1]
    assert age_at("19600302", None) == (
        None,
        "no dose given: no reference start (RFSTDTC) to count the age at",
    )
    assert [administrative_sex(c) for c in ("F", "m", "U", "A", "O", "N", "")] == [
        ("F", ""),
        ("M", ""),
        ("U", ""),
        ("UNDIFFERENTIATED", ""),
        ("U", "O"),
        ("U", "N"),
        ("U", ""),
    ]
    from bedside_adapters.sdtm.subject import _arm

    arm = Arm("ATMSC", "AT-MSC")
    assert _arm(arm, given=True) == (
        {"ARMCD": "ATMSC", "ARM": "AT-MSC", "ACTARMCD": "ATMSC", "ACTARM": "AT-MSC", "ARMNRS": ""},
        "",
    )
    assert _arm(arm, given=False)[0]["ARMNRS"] == "ASSIGNED, NOT TREATED"  # planned, never treated
    assert _arm(arm, given=False)[0]["ACTARMCD"] == ""
    assert configured_arm() == Arm("ATMSC", configured_arm().description)  # type: ignore[union-attr]
    assert "missing" in str(configured_arm(Path("/nonexistent/study.toml")))
