"""The intensivist's tables on a real SQLite file the simulator's courses were ingested into, checked
against the simulator's own ground truth (its lab draws and doses), and the cohort on the ward."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.sim.course_run import WardFeed

from bedside.course import CourseModel
from bedside.course_spec import HOUR, load_beds
from bedside.review import DAY
from tests.helpers import COURSE_START as START
from tests.helpers import COURSE_STEP as STEP
from tests.helpers import build_course_db as build
from tests.signed_in import signed_in


@pytest.fixture(scope="module")
def improving_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("improving") / "course.sqlite3"
    build(path, "improving", START + 10 * DAY)
    return path


@pytest.fixture
def improving(improving_file: Path, data_dir: Path) -> str:
    """This test's own copy of the course (tests never share a database they could change)."""
    path = data_dir / "course.sqlite3"
    shutil.copy(improving_file, path)
    return f"sqlite:///{path}"


def cli_json(capsys, *args: str):  # type: ignore[no-untyped-def]
    assert cli_main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def expected_lab(
    model: CourseModel, analyte: str, target: float, tolerance: float, not_before: float
) -> float | None:
    """The simulator's own draw nearest the target (with the lab's correction applied)."""
    corrected = {(c["analyte"], c["drawn"]): c["corrected_value"] for c in model.lab_corrections()}
    draws = [
        (abs(d.at - target), corrected.get((analyte, d.at), d.values[analyte]))
        for d in model.labs()
        if analyte in d.values and abs(d.at - target) <= tolerance and d.at >= not_before
    ]
    return min(draws)[1] if draws else None


def test_before_after_table_matches_the_simulator(improving, capsys) -> None:  # type: ignore[no-untyped-def]
    (bed,) = load_beds("improving", START)
    model = CourseModel(bed.spec)
    truth = model.ground_truth()
    review = cli_json(capsys, "--db", improving, "review", "--patient", bed.mrn, "--json")
    assert [d["dose"] for d in review["doses"]] == [1, 2]
    for dose, true_dose in zip(review["doses"], truth["doses"], strict=True):
        assert dose["start"] == pytest.approx(true_dose["start"], abs=60)
        rows = {r["marker"]: r for r in dose["before_after"]}
        t0 = dose["start"]
        for analyte in ("crp", "ferritin", "ddimer_feu", "ldh", "lymphocytes", "cd19_abs"):
            row = rows[analyte]
            base = [d for d in model.labs() if analyte in d.values and t0 - DAY <= d.at < t0]
            assert row["baseline"]["at"] == max(d.at for d in base)
            for label, offset in (("+24 h", DAY), ("+72 h", 3 * DAY), ("+7 d", 7 * DAY)):
                want = expected_lab(model, analyte, t0 + offset, 12 * HOUR, t0)
                cell = row[label]
                if want is None:  # past the end of the course: shown as missing, never filled in
                    assert cell["value"] is None and cell["missing"]
                else:
                    assert cell["value"] == pytest.approx(want)
                    assert abs(cell["at"] - (t0 + offset)) <= 12 * HOUR
                    assert cell["change"] == pytest.approx(want - row["baseline"]["value"])
        # P/F: a blood gas near each time point over the FiO2 in force at the draw, until extubation
        pf = rows["pf"]
        assert pf["baseline"] is not None and 50 < pf["baseline"]["value"] < 400
        assert rows["fio2"]["baseline"]["value"] > 21
    # Dose 2 starts 98 h in: its +7 d falls after the 10-day course ends, and after extubation.
    dose2 = {r["marker"]: r for r in review["doses"][1]["before_after"]}
    assert dose2["crp"]["+7 d"]["value"] is None
    assert dose2["pf"]["+7 d"]["value"] is None and "no value" in dose2["pf"]["+7 d"]["missing"]
    # Improving: CRP falls from dose 1 to +72 h.
    dose1 = {r["marker"]: r for r in review["doses"][0]["before_after"]}
    assert dose1["crp"]["+72 h"]["change_percent"] < 0
    # Dose 1's values taken after dose 2 began (98 h) say so; those before it do not.
    dose2_start = review["doses"][1]["start"]
    for label in ("+24 h", "+72 h", "+7 d", "+14 d", "+28 d"):
        cell = dose1["crp"][label]
        if cell["value"] is not None:
            assert cell["after_dose"] == (2 if cell["at"] >= dose2_start else None), (label, cell)
    assert dose1["crp"]["+24 h"]["after_dose"] is None and dose1["crp"]["+7 d"]["after_dose"] == 2
    assert dose1["crp"]["+28 d"]["value"] is None and dose1["crp"]["+28 d"]["missing"]  # a 10-day course


def test_coverage_and_outcomes(improving, capsys) -> None:  # type: ignore[no-untyped-def]
    (bed,) = load_beds("improving", START)
    truth = CourseModel(bed.spec).ground_truth()
    review = cli_json(capsys, "--db", improving, "review", "--patient", bed.mrn, "--json")
    cov = review["doses"][0]["coverage"]
    assert cov["Heart rate"]["0-6 h"] == pytest.approx(1.0, abs=0.05)
    assert cov["Daily labs (CRP)"]["1-3 d"] == pytest.approx(1.0, abs=0.01)
    # The SpO2 probe came off for 4 min at 30 h: visible as less than full coverage in 0-6 h of dose 1.
    assert cov["SpO2"]["0-6 h"] < 1.0
    out = review["outcomes"]
    assert out["intubated_source"] == "first ventilator value"
    # The first ventilator value that is this patient's: the ventilator reported from 2 h before the
    # course, but its values belong to the patient from the ADT admission (1 h before) on.
    admitted = next(
        m.at
        for m in WardFeed("improving", START).messages(START - 2 * HOUR, START + HOUR, STEP)
        if m.feed == "adt"
    )
    first_vent = next(
        m.at
        for m in WardFeed("improving", START).messages(admitted, START + HOUR, STEP)
        if m.feed == "ventilator"
    )
    assert out["intubated"] == pytest.approx(first_vent, abs=1)
    assert out["ventilated_days_before_first_dose"] == pytest.approx(
        (truth["doses"][0]["start"] - first_vent) / DAY
    )
    # The ventilator stopped at extubation while the monitor went on: a candidate, not yet confirmed.
    assert out["extubated"] is None
    assert out["extubation_candidate"] == pytest.approx(truth["extubation"], abs=STEP + 10)
    assert (
        cli_main(
            [
                "--db",
                improving,
                "course-event",
                "--patient",
                bed.mrn,
                "--kind",
                "extubation",
                "--at",
                "2026-09-01T10:00:00+00:00",
                *signed_in(improving, "Dr Lee"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    review = cli_json(capsys, "--db", improving, "review", "--patient", bed.mrn, "--json")
    assert review["outcomes"]["extubation_source"] == "confirmed by Dr Lee"
    assert (
        cli_main(
            [
                "--db",
                improving,
                "course-event",
                "--patient",
                bed.mrn,
                "--kind",
                "radiology",
                "--at",
                "2026-09-01T10:00:00+00:00",
                *signed_in(improving, "Dr Lee"),
            ]
        )
        == 2
    )  # a note needs text
    log = cli_json(capsys, "--db", improving, "log", "--json")
    assert [e["kind"] for e in log if e["kind"] == "course.event"] == ["course.event"]


@pytest.fixture
def ward(data_dir: Path) -> str:
    path = data_dir / "ward.sqlite3"
    build(path, "ward", START + 4 * DAY)
    return f"sqlite:///{path}"


def test_the_review_and_the_cohort_read_as_text_in_the_readers_language(improving, capsys) -> None:  # type: ignore[no-untyped-def]
    """Without --json a person reads them: the course, each dose's values before and after, the
    outcome set; and one line per treated patient. Spanish with its decimal comma, day-first dates."""
    bed = load_beds("improving", START)[0]
    assert cli_main(["--db", improving, "review", "--patient", bed.mrn, "--dose", "1"]) == 0
    english = capsys.readouterr().out
    assert f"MRN {bed.mrn}" in english.splitlines()[0]
    assert "Dose 1, started " in english and "Dose 2, started " not in english
    assert "CRP (mg/L): Pre-dose value " in english and "; +24 h " in english
    assert "Outcome set. Day 0: the start of the first dose" in english
    assert "{" not in english and "<b>" not in english
    assert cli_main(["--lang", "es", "--db", improving, "review", "--patient", bed.mrn]) == 0
    spanish = capsys.readouterr().out
    assert "Dosis 1, iniciada " in spanish and "Dosis 2, iniciada " in spanish
    assert "PCR (mg/L): Valor predosis " in spanish and "Variables de desenlace." in spanish
    assert re.search(r"\d,\d", spanish) and not re.search(r"\d\.\d \(", spanish)
    assert cli_main(["--lang", "es", "--db", improving, "cohort"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert f"({bed.mrn})" in line and "Dosis: 2" in line and "Vivo el día 28: " in line, line
    assert cli_main(["--lang", "es", "--db", improving, "cohort", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["doses"] == 2


def test_cohort_on_the_ward(ward, capsys) -> None:  # type: ignore[no-untyped-def]
    beds = load_beds("ward", START)
    rows = cli_json(capsys, "--db", ward, "cohort", "--json")
    treated = [
        b for b in beds if b.spec.doses and START + b.spec.doses[0].after_hours * HOUR < START + 4 * DAY
    ]
    assert sorted(r["patient"].split("^")[0] for r in rows) == sorted(b.mrn for b in treated)
    for r in rows:
        bed = next(b for b in beds if b.mrn == r["patient"].split("^")[0])
        assert r["doses"] == sum(1 for d in bed.spec.doses if START + d.after_hours * HOUR < START + 4 * DAY)
        assert r["alive_day_28"] is None  # 4 days in: not known yet, never assumed
        assert set(r["change_7d_percent"]) >= {"crp", "pf", "lymphocytes"}
