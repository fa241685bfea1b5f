"""Severity end to end: the simulated course's labs, GCS, blood pressure and ventilator through the real
ingest pipeline into SQLite, read back as the review's daily SOFA and mechanics, and checked against
the simulator's own values (its lab draws and ventilator settings)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.review_store import load_review
from bedside_adapters.sim.co_medication import schedule

from bedside.course import CourseModel
from bedside.course_spec import load_beds
from bedside.review import DAY, HOUR
from bedside.sofa import coagulation_score, liver_score, renal_score
from tests.helpers import COURSE_START as START
from tests.helpers import COURSE_STEP, build_course_db

NOW = START + 4 * DAY
CREATININE_MG_DL = 88.4


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("severity") / "course.sqlite3"
    build_course_db(path, "improving", NOW)
    return path


def test_daily_sofa_from_the_simulated_course(course: Path) -> None:
    (bed,) = load_beds("improving", START)
    model = CourseModel(bed.spec)
    engine = make_engine(f"sqlite:///{course}")
    try:
        data = load_review(engine, f"{bed.mrn}^BEDSIDE_DEMO", NOW)
    finally:
        engine.dispose()
    severity = data.severity
    assert severity is not None and data.doses
    assert severity.anchor == data.doses[0].start
    full = [d for d in severity.days if d.start >= START + 6 * HOUR and d.end <= NOW]
    assert full, "at least one whole day of the course"
    draws = model.labs()
    pressors = [g for g in schedule(model) if g.code == "C01CA03"]
    for day in full:
        # Each lab component: the simulator's worst draw of that day, converted to µmol/L where sent in mg/dL.
        in_day = [d for d in draws if day.start <= d.at < day.end]
        platelets = [d.values["platelets"] for d in in_day if "platelets" in d.values]
        creatinine = [d.values["creatinine"] * CREATININE_MG_DL for d in in_day if "creatinine" in d.values]
        bilirubin = [d.values["bilirubin"] for d in in_day if "bilirubin" in d.values]
        gcs = [d.values["gcs"] for d in in_day if "gcs" in d.values]
        coag, renal, liver = day.component("Coagulation"), day.component("Renal"), day.component("Liver")
        if platelets:
            assert coag.score == coagulation_score(min(platelets))
            assert f"platelets {min(platelets):g}" in coag.value
        else:
            assert coag.score is None and coag.missing
        if creatinine:
            assert renal.score == renal_score(max(creatinine))
            assert "µmol/L" in renal.value and "urine output not recorded" in renal.note
        if bilirubin:
            assert liver.score == liver_score(max(bilirubin))
        if gcs:
            assert day.component("CNS").value == f"GCS {min(gcs):g}"
        # The course is ventilated with an arterial line: no component missing.
        assert len(day.scored) == 6, [c.missing for c in day.components]
        assert day.total_text() == f"SOFA {day.total}"
        resp = day.component("Respiration")
        assert resp.score is not None and "ventilated, PEEP" in resp.value
        # The simulated eMAR's noradrenaline (µg/kg/min): scored on each day it ran for an hour or more.
        cv = day.component("Cardiovascular")
        ran = [
            g
            for g in pressors
            if min(day.end, g.end or NOW) - max(day.start, g.start) >= HOUR and (g.end or NOW) + 300 <= NOW
        ]
        if ran:
            assert cv.score == 3 and cv.value.startswith(f"noradrenaline {ran[0].amount} µg/kg/min")
            assert "co-medication record" in cv.source
        else:
            assert (
                cv.score in (0, 1) and "no vasopressor recorded" in cv.note and "arterial line" in cv.source
            )
    assert any("noradrenaline" in d.component("Cardiovascular").value for d in full), (
        "the course's noradrenaline is scored on some day"
    )
    # A day before the first lab panel has only some components, and says how many.
    partial = [d for d in severity.days if 0 < len(d.scored) < 6]
    for d in partial:
        assert f"({len(d.scored)} of 6 components)" in d.total_text()


def test_mechanics_from_the_simulated_ventilator(course: Path) -> None:
    (bed,) = load_beds("improving", START)
    model = CourseModel(bed.spec)
    engine = make_engine(f"sqlite:///{course}")
    try:
        data = load_review(engine, f"{bed.mrn}^BEDSIDE_DEMO", NOW)
    finally:
        engine.dispose()
    assert data.severity is not None
    m = data.severity.mechanics
    assert m.plateau_readings > 100 and m.times.size > 100
    vent = model.ventilator(m.times)
    ok = np.isfinite(vent["pplat"]) & np.isfinite(vent["peep"])
    assert np.allclose(m.driving[ok], (vent["pplat"] - vent["peep"])[ok])
    good = ok & (m.driving > 0)
    assert np.allclose(m.compliance[good], (vent["vt_exp"] / (vent["pplat"] - vent["peep"]))[good])
    # P/F: one per blood gas, each PaO2 over the FiO2 the simulated ventilator last reported before the
    # draw (it reports every COURSE_STEP s at most: the setting of one of those moments).
    pf = data.severity.pf
    assert len(pf) >= 8
    pao2 = {round(d.at): d.values["pao2"] for d in model.labs() if "pao2" in d.values}
    for at, value in zip(pf.times, pf.values, strict=True):
        reported = model.ventilator(at - np.arange(0.0, COURSE_STEP + 11.0))["fio2"]
        assert any(value == pytest.approx(pao2[round(at)] / (f / 100.0)) for f in reported)
