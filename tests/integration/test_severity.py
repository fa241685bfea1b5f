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
from bedside.model import PatientRef
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
        data = load_review(engine, PatientRef.parse(f"{bed.mrn}^BEDSIDE_DEMO"), NOW)
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
        data = load_review(engine, PatientRef.parse(f"{bed.mrn}^BEDSIDE_DEMO"), NOW)
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


def _oru(control: str, drawn: str, obx: list[str]) -> bytes:
    segs = [
        f"MSH|^~\\&|LIS|HOSP|BEDSIDE|ICU|{drawn}||ORU^R01^ORU_R01|{control}|P|2.5.1|||AL|NE||UNICODE UTF-8",
        "PID|1||SEV1^^^BEDSIDE_DEMO^MR||TEST^Severity",
        "PV1|1|I|ICU^3^1",
        f"OBR|1|ORD-{control}|FIL-{control}|24331-1^panel^LN|||{drawn}|||||||||||||||{drawn}|||F",
        *obx,
    ]
    return ("\r".join(segs) + "\r").encode()


def test_sofa_labs_in_each_unit_through_ingest(engine) -> None:  # type: ignore[no-untyped-def]
    """Units converted at ingest are scored in µmol/L; a bound or an unconvertible unit is named, not scored."""
    from datetime import UTC

    from bedside_adapters.db.ingest_store import IngestStore
    from bedside_adapters.db.severity_store import load_severity
    from bedside_adapters.ingest.pipeline import IngestPipeline

    from bedside.parameters import ParameterCatalog

    drawn = 1_764_000_000.0
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: drawn + 3600, UTC)
    ts = "20251124160000"  # drawn (UTC), matching `drawn`
    first = _oru(
        "SEV1",
        ts,
        [
            f"OBX|1|SN|777-3^Platelets^LN||<^20|10*9/L^10*9/L^UCUM|150-400||||F|||{ts}",
            f"OBX|2|NM|1975-2^Bilirubin^LN||6.1|mg/dL^mg/dL^UCUM|||||F|||{ts}",
            f"OBX|3|NM|2160-0^Creatinine^LN||3.5|mg/dL^mg/dL^UCUM|||||F|||{ts}",
            f"OBX|4|NM|9269-2^GCS total^LN||9|{{score}}^{{score}}^UCUM|||||F|||{ts}",
        ],
    )
    second = _oru("SEV2", ts, [f"OBX|1|NM|1975-2^Bilirubin^LN||3|g/L^g/L^UCUM|||||F|||{ts}"])
    assert [pipeline.handle(m, "10.0.0.5:4000").ack_code for m in (first, second)] == ["CA", "CA"]
    severity = load_severity(engine, PatientRef("SEV1", "BEDSIDE_DEMO"), drawn + 2 * 3600, [])
    (day,) = [d for d in severity.days if d.start <= drawn < d.end]
    # 6.1 mg/dL = 104.31 µmol/L, kept to the lab's two digits and a guard digit: 104, in 102-204.
    assert day.component("Liver").score == 3
    assert day.component("Liver").value == "bilirubin 104 µmol/L"
    assert day.component("Renal").score == 3  # 3.5 mg/dL = 309.4 µmol/L: 300-440
    assert day.component("CNS").score == 3 and day.component("CNS").value == "GCS 9"
    coag = day.component("Coagulation")
    assert coag.score is None and coag.missing == "platelets only as '<20 10*9/L': not scorable"
    assert day.total_text() == "SOFA 9 (3 of 6 components)"
