"""The simulator's outcome options: the ventilator stops at the extubation and reports again from the
reintubation to the liberation, every feed stops at death or ICU discharge, and the ADT discharge
says which; the scenarios without them keep their ground truth."""

from __future__ import annotations

import numpy as np

from bedside.course import CourseModel
from bedside.course_spec import DAY, HOUR, load_scenario

START = 1_780_000_000.0


def at(hours: float) -> np.ndarray:
    return np.array([START + hours * HOUR])


def test_the_ventilator_reports_again_after_a_reintubation() -> None:
    m = CourseModel(load_scenario("reintubated", START))
    vent = [np.isfinite(m.ventilator(at(h))["fio2"][0]) for h in (100, 130, 170, 300, 400)]
    assert vent == [True, False, True, True, False]
    assert np.isfinite(m.vitals(at(400))["hr"][0]) and not np.isfinite(m.vitals(at(510))["hr"][0])
    pao2 = [d.at for d in m.labs() if "pao2" in d.values]
    assert pao2 and all(m.on_ventilator(np.array([t]))[0] for t in pao2)
    kinds = [e["kind"] for e in m.ground_truth()["clinician_events"]]
    assert kinds == [
        "intubation",
        "symptom_onset",
        "extubation",
        "intubation",
        "tracheostomy",
        "extubation",
        "icu_discharge",
        "alive",
    ]


def test_every_feed_and_lab_stops_at_death() -> None:
    m = CourseModel(load_scenario("died", START))
    died = m.ground_truth()["outcomes"]["death"]
    assert died == START + 90 * HOUR
    assert not np.isfinite(m.vitals(at(91))["hr"][0]) and not np.isfinite(m.ventilator(at(91))["fio2"][0])
    assert max(d.at for d in m.labs()) < died
    assert m.ground_truth()["outcomes"]["vfd28"] == 0.0


def test_the_adt_discharge_says_expired_or_discharged() -> None:
    from bedside_adapters.sim.course_feed import CourseFeed

    for name, disposition in (("died", "20"), ("reintubated", "01")):
        model = CourseModel(load_scenario(name, START))
        msgs = [
            m
            for m in CourseFeed(model).messages(START - 2 * HOUR, START + 40 * DAY, 3600.0)
            if m.feed == "adt"
        ]
        assert [m.text.split("|")[8] for m in msgs] == ["ADT^A01^ADT_A01", "ADT^A03^ADT_A03"]
        pv1 = next(s for s in msgs[1].text.split("\r") if s.startswith("PV1")).split("|")
        assert pv1[36] == disposition


def test_scenarios_without_outcome_options_keep_their_ground_truth() -> None:
    for name in ("improving", "reaction", "calm-with-artefacts"):
        truth = CourseModel(load_scenario(name, START)).ground_truth()
        assert "outcomes" not in truth and "clinician_events" not in truth
