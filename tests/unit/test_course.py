"""The synthetic course model behind the demo, the simulator and the tests: deterministic, plausible,
scenarios as data."""

import numpy as np
import pytest

from bedside.course import CourseModel
from bedside.course_spec import HOUR, MINUTE, load_scenario

START = 1_780_000_000.0


def model(name: str) -> CourseModel:
    return CourseModel(load_scenario(name, START))


def test_same_seed_same_values_whatever_the_window() -> None:
    m = model("improving")
    t = START + 30 * HOUR + np.arange(0, 600, 1.0)
    whole = m.vitals(t)
    part = m.vitals(t[100:200])
    again = model("improving").vitals(t)
    for k in whole:
        np.testing.assert_array_equal(whole[k][100:200], part[k])
        np.testing.assert_array_equal(whole[k], again[k])


def test_plausible_ranges_for_a_ventilated_ards_patient() -> None:
    """Ranges: typical ventilated-ARDS values (sources below PLAUSIBLE's comment)
    (HR 60-130, SpO2 85-100 % on FiO2 0.3-0.8, MAP 60-100 mmHg, core temperature 36-39 °C)."""
    m = model("improving")
    t = START + np.arange(0, 9 * 24 * HOUR, 97.0)
    v = m.vitals(t)
    ok = ~np.isnan(v["spo2"])
    assert v["hr"].min() >= 60 and v["hr"].max() <= 130
    assert v["spo2"][ok].min() >= 85 and v["spo2"][ok].max() <= 100
    assert v["abp_mean"].min() >= 60 and v["abp_mean"].max() <= 100
    assert v["temp"].min() >= 36 and v["temp"].max() <= 39
    vent = m.ventilator(t)
    on = ~np.isnan(vent["fio2"])
    assert vent["fio2"][on].min() >= 21 and vent["fio2"][on].max() <= 80


# Plausible ranges for a sedated, ventilated adult with ARDS outside any reaction or artefact, each with
# its public source:
# - SpO2 88-95 % is the ventilated target (START, Liu et al., Ann Intensive Care 2014;4:22; ARDSNet
#   protocol, NEJM 2000;342:1301): the 1st-99th percentile may sit a little outside it (92-96 % when
#   improving), never below the CTCAE v5.0 hypoxia 88 % nor above 100.
# - MAP >= 65 mmHg is the usual ICU target (Surviving Sepsis Campaign guidelines); SBP < 90 is
#   hypotension (ASTCT, Lee et al., Biol Blood Marrow Transplant 2019;25:625), >= 160 hypertension
#   (CTCAE v5.0): a stable course stays between them.
# - HR: > 100 is tachycardia (CTCAE v5.0); septic/ARDS ICU patients run 80-110, < 50 is bradycardia (H3).
# - Core temperature: fever is >= 38.0 (F1: CTCAE v5.0, ISBT/NHSN); ARDS patients run 36.5-38.0 without
#   a reaction.
# - Ventilator: PEEP 5-24 and plateau <= 30 cmH2O, tidal volume about 6 mL/kg predicted body weight
#   (ARDSNet); FiO2 0.21-1.0.
# - Variation: vitals are not flat (10-min HR SD > 0.5 at 1 Hz) and follow a day/night rhythm.
PLAUSIBLE = {
    "hr": (50, 120),
    "spo2": (88, 100),
    "abp_sys": (90, 160),
    "abp_mean": (65, 110),
    "temp": (36.0, 38.4),
    "rr": (10, 35),
}


@pytest.mark.parametrize("name", ["improving", "reaction", "calm-with-artefacts"])
def test_vitals_statistics_stay_in_sourced_ranges(name: str) -> None:
    m = model(name)
    t = START + np.arange(0, m.spec.days * 24 * HOUR, 13.0)
    quiet = np.ones_like(t, dtype=bool)
    truth = m.ground_truth()
    if truth["reaction_onset"] is not None:
        quiet &= (t < truth["reaction_onset"]) | (t > truth["reaction_onset"] + 4 * HOUR)
    for a in truth["artefacts"]:
        quiet &= (t < a["start"]) | (t > a["start"] + a["seconds"])
    v = m.vitals(t[quiet])
    for key, (lo, hi) in PLAUSIBLE.items():
        x = v[key][~np.isnan(v[key])]
        p1, p99 = np.percentile(x, [1, 99])
        assert lo <= p1 and p99 <= hi, (key, p1, p99)
    vent = m.ventilator(t[quiet])
    on = ~np.isnan(vent["peep"])
    assert vent["peep"][on].min() >= 5 and vent["peep"][on].max() <= 24
    assert vent["pplat"][on].max() <= 30
    assert vent["fio2"][on].min() >= 21 and vent["fio2"][on].max() <= 100
    vt_per_kg = vent["vt_exp"][on] / 70.0  # predicted body weight of a 175 cm man, about 70 kg
    assert 5.0 <= np.median(vt_per_kg) <= 7.0
    # Not flat: noise within ten minutes, and a day/night rhythm (nights slower).
    ten_minutes = m.vitals(START + 40 * HOUR + np.arange(0, 600, 1.0))["hr"]
    assert np.std(ten_minutes) > 0.5
    hours = (t[quiet] % 86400) / 3600
    assert np.mean(v["hr"][(hours > 2) & (hours < 6)]) < np.mean(v["hr"][(hours > 14) & (hours < 18)])


def test_improving_course_weans_and_inflammation_falls() -> None:
    m = model("improving")
    early, late = np.array([START + 10 * HOUR]), np.array([START + 190 * HOUR])
    assert m.ventilator(late)["fio2"][0] < m.ventilator(early)["fio2"][0]
    assert np.isnan(m.ventilator(np.array([START + 200 * HOUR]))["fio2"][0])  # extubated
    crp = [d.values["crp"] for d in m.labs() if "crp" in d.values]
    lymph = [d.values["lymphocytes"] for d in m.labs() if "lymphocytes" in d.values]
    assert crp[-1] < 0.5 * crp[0] and lymph[-1] > 1.5 * lymph[0]
    assert any("pao2" in d.values for d in m.labs())


def test_the_reaction_is_where_the_ground_truth_says() -> None:
    m = model("reaction")
    truth = m.ground_truth()
    onset = truth["reaction_onset"]
    assert onset == truth["doses"][0]["start"] + 25 * MINUTE
    before = m.vitals(np.arange(onset - 40 * MINUTE, onset - 10 * MINUTE, 60.0))
    during = m.vitals(np.arange(onset + 25 * MINUTE, onset + 60 * MINUTE, 60.0))
    assert np.median(during["hr"]) - np.median(before["hr"]) > 25
    assert np.median(during["temp"]) - np.median(before["temp"]) > 1.2
    assert np.median(during["abp_sys"]) < 0.75 * np.median(before["abp_sys"])
    assert np.median(during["spo2"]) < np.median(before["spo2"]) - 4
    vent_before = m.ventilator(np.array([onset - 10 * MINUTE]))["fio2"][0]
    assert m.ventilator(np.array([onset + 40 * MINUTE]))["fio2"][0] >= vent_before + 20


@pytest.mark.parametrize("kind", ["probe_off", "motion", "flush", "temp_probe_off", "feed_stop"])
def test_artefacts_are_in_the_values_at_their_times(kind: str) -> None:
    m = model("calm-with-artefacts")
    art = next(a for a in m.ground_truth()["artefacts"] if a["kind"] == kind)
    inside = m.vitals(np.array([art["start"] + art["seconds"] / 2]))
    outside = m.vitals(np.array([art["start"] - 120]))
    checks = {
        "probe_off": lambda v: np.isnan(v["spo2"][0]),
        "motion": lambda v: v["hr"][0] > 170,
        "flush": lambda v: v["abp_sys"][0] >= 250,
        "temp_probe_off": lambda v: v["temp"][0] < 32,
        "feed_stop": lambda v: np.isnan(v["hr"][0]),
    }
    assert checks[kind](inside) and not checks[kind](outside)
    assert m.ground_truth()["reaction_onset"] is None  # calm: no reaction at all


def test_ground_truth_names_doses_and_cells_per_kg() -> None:
    truth = model("improving").ground_truth()
    assert [d["route"] for d in truth["doses"]] == ["pump", "gravity"]
    assert truth["doses"][0]["cells"] == pytest.approx(78e6)
    assert truth["extubation"] == START + 196 * HOUR
