"""The infusion-reaction rules, on the synthetic courses and on data made for each rule."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bedside.course import CourseModel
from bedside.course_spec import HOUR, MINUTE, load_scenario
from bedside.episodes import InfusionEpisode
from bedside.resources import resource_path
from bedside.rules.data import AlarmPoint, Documented, DrugStart, LabPoint, PatientData, upper_limit
from bedside.rules.engine import evaluate
from bedside.rules.expr import RuleExpressionError, compile_condition
from bedside.rules.ruleset import RuleSet, RuleSetError

START = 1_780_000_020.0  # a minute boundary
RULES = RuleSet.load()
CLINICAL = {r.id for r in RULES.rules}


def course_data(model: CourseModel, t0: float, t1: float) -> PatientData:
    """The course as ingest would store it: monitor every 5 s, ventilator every 10 s, the labs."""
    data = PatientData()
    t = np.arange(t0, t1, 5.0)
    for i, (k, v) in enumerate(model.vitals(t).items()):
        ok = ~np.isnan(v)
        data.add(k, i + 1, t[ok], v[ok])
    tv = t[::2]
    for i, (k, v) in enumerate(model.ventilator(tv).items()):
        ok = ~np.isnan(v)
        data.add(k, 100 + i, tv[ok], v[ok])
    ulns = {"crp": 8.0, "ldh": 250.0, "ddimer_feu": 0.5, "lymphocytes": 4.0}
    n = 0
    for draw in model.labs():
        for k, v in draw.values.items():
            n += 1
            data.labs.setdefault(k, []).append(LabPoint(n, draw.at, v, ulns.get(k, float("nan"))))
    return data


def scenario(name: str, dose: int = 0, after_end_hours: float = 26.0):
    model = CourseModel(load_scenario(name, START))
    truth = model.ground_truth()
    d = truth["doses"][dose]
    ep = InfusionEpisode(dose + 1, "SIM^X", dose + 1, d["start"], d["end"], "pcd10")
    data = course_data(model, d["start"] - 2 * HOUR, d["end"] + after_end_hours * HOUR)
    return truth, ep, data, d["end"] + after_end_hours * HOUR


def test_the_reaction_scenario_fires_its_rules_at_the_right_time() -> None:
    truth, ep, data, now = scenario("reaction")
    onset = truth["reaction_onset"]
    findings = evaluate(RULES, ep, data, now).findings
    fired = {f.rule_id: f for f in findings}
    # Fever, tachycardia, hypotension, desaturation and rising FiO2 (what the scenario puts in), and
    # the composites they make (anaphylaxis-like, CRS-like, START IAAE).
    for rule in ("F1", "F2", "H1", "H2", "B1", "B2", "O1", "O3", "C1", "C2", "C3"):
        assert rule in fired, rule
        f = fired[rule]
        assert onset <= f.onset and f.fired_at <= onset + 60 * MINUTE, (rule, (f.fired_at - onset) / 60)
        assert f.observations, rule
    assert (
        fired["B2"].severity == "high" and fired["H1"].severity == "medium" and fired["F1"].severity == "low"
    )
    # Nothing clinical before the reaction starts, and no technical alert: the feed never stopped.
    assert all(f.onset >= onset for f in findings)
    assert "STALE" not in fired


def test_the_calm_course_with_artefacts_raises_nothing_clinical_only_technical_alerts() -> None:
    truth, ep, data, now = scenario("calm-with-artefacts")
    findings = evaluate(RULES, ep, data, now).findings
    # Nothing clinical; what lasted is said as a technical alert (check the patient and the sensor):
    # the SpO2 probe off for 3 min, the oximeter disagreeing with the ECG for 4 min, the temperature
    # probe off for 15 min, and the whole feed silent for 20 min. Short artefacts (a 20 s motion
    # spike, a 30 s flush, a suction) raise nothing.
    assert [f.rule_id for f in findings] == ["TECH_SPO2", "TECH_SPO2", "TECH_TEMP", "STALE"]
    art = {a["kind"]: a for a in truth["artefacts"]}
    probe, poor, temp = findings[:3]
    assert (
        probe.onset == pytest.approx(art["probe_off"]["start"], abs=6) and "No SpO2 values" in probe.message
    )
    assert poor.onset == pytest.approx(art["poor_signal"]["start"], abs=60) and "disagrees" in poor.message
    assert temp.onset == pytest.approx(art["temp_probe_off"]["start"], abs=60)
    stop = art["feed_stop"]
    stale = findings[-1]
    assert stale.onset == pytest.approx(stop["start"], abs=6) and stale.cleared
    assert stale.last_true == pytest.approx(stop["start"] + stop["seconds"], abs=6)


def test_without_artefact_handling_the_same_calm_course_would_alarm() -> None:
    """The artefact filters are what keeps the calm course quiet: a naive rule set (no signal-quality
    check, no suction suppression, no valid ranges) alarms on the same data."""
    _, ep, data, now = scenario("calm-with-artefacts")
    naive_signals = {
        name: dataclasses.replace(s, valid=None, agree_with=None, suppressed_by="", min_difference_from=None)
        for name, s in RULES.signals.items()
    }
    naive = dataclasses.replace(RULES, signals=naive_signals, stale=None)
    fired = {f.rule_id for f in evaluate(naive, ep, data, now).findings}
    assert {"O1", "V1"} <= fired


@pytest.mark.parametrize("dose", [0, 1])
def test_the_improving_course_raises_nothing_clinical(dose: int) -> None:
    truth, ep, data, now = scenario("improving", dose, after_end_hours=7 * 24.0 if dose else 70.0)
    findings = evaluate(RULES, ep, data, now).findings
    if dose == 0:  # its SpO2 probe comes off for 4 min inside the first dose's window: said, not silent
        (probe,) = findings
        assert probe.rule_id == "TECH_SPO2" and probe.onset == pytest.approx(
            truth["artefacts"][0]["start"], abs=6
        )
    else:
        assert findings == []


# ---- per-rule data -------------------------------------------------------------------------------

T0 = START + 3 * HOUR
EP = InfusionEpisode(7, "SIM^X", 1, T0, T0 + 45 * MINUTE, "manual")
BASE = {
    "hr": 90.0,
    "spo2": 95.0,
    "abp_sys": 120.0,
    "abp_dia": 65.0,
    "abp_mean": 83.0,
    "temp": 37.2,
    "rr": 20.0,
    "ppeak": 28.0,
    "pplat": 24.0,
    "vt_exp": 420.0,
    "mv": 9.0,
    "etco2": 38.0,
    "fio2": 50.0,
    "peep": 10.0,
}


def flat(
    changes: dict[str, list[tuple[float, float, float]]],
    start: float = T0 - 2 * HOUR,
    end: float = T0 + 8 * HOUR,
):
    """Every parameter flat at BASE every 5 s; `changes[param]` = [(from min after T0, to min, value)]."""
    data = PatientData()
    t = np.arange(start, end, 5.0)
    for i, (k, v) in enumerate(BASE.items()):
        values = np.full(len(t), v)
        for a, b, x in changes.get(k, []):
            values[(t >= T0 + a * MINUTE) & (t < T0 + b * MINUTE)] = x
        data.add(k, i + 1, t, values)
    data.add("pr_spo2", 99, t, np.interp(t, data.parameters["hr"][0].times, data.parameters["hr"][0].values))
    return data


def fired(data: PatientData, now: float = T0 + 8 * HOUR, rules: RuleSet = RULES, ep: InfusionEpisode = EP):
    return {f.rule_id: f for f in evaluate(rules, ep, data, now).findings}


def test_persistence_is_every_minute_for_the_stated_minutes() -> None:
    four = fired(flat({"hr": [(10, 14, 125.0)]}))
    five = fired(flat({"hr": [(10, 15, 125.0)]}))
    assert "H1" not in four
    f = five["H1"]
    assert f.onset == T0 + 10 * MINUTE and f.fired_at == T0 + 15 * MINUTE
    # One minute below in the middle restarts the count.
    assert "H1" not in fired(flat({"hr": [(10, 13, 125.0), (14, 18, 125.0)]}))


def test_thresholds_are_inclusive_where_the_table_says_so() -> None:
    assert "H1" in fired(flat({"hr": [(10, 20, 110.0)]}))  # > 100 and >= baseline 90 + 20
    assert "H1" not in fired(flat({"hr": [(10, 20, 109.0)]}))
    assert "B1" in fired(flat({"abp_sys": [(10, 20, 96.0)]}))  # fall >= 20% of 120
    assert "B1" not in fired(flat({"abp_sys": [(10, 20, 97.0)]}))


def test_no_baseline_means_absolute_criteria_only_and_says_so() -> None:
    late = flat({"hr": [(10, 20, 135.0)]}, start=T0 - 15 * MINUTE)  # 10 valid baseline minutes, not 20
    found = fired(late)
    # H1's "+20 from baseline" cannot be read: its absolute criterion (CTCAE > 100) fires alone.
    assert "H1" in found and "H2" in found
    assert any("no pre-dose hr" in n and "absolute criterion only" in n for n in found["H1"].notes)
    # A relative-only rule cannot fire and is listed as not evaluable, never silently.
    ev = evaluate(RULES, EP, flat({"abp_sys": [(10, 20, 80.0)]}, start=T0 - 15 * MINUTE), T0 + 8 * HOUR)
    assert "B1" in ev.unevaluable and "B2" in {f.rule_id for f in ev.findings}


def test_re_arming_needs_thirty_minutes_below_threshold() -> None:
    once = fired(flat({"hr": [(10, 20, 125.0), (35, 45, 125.0)]}))
    assert once["H1"].last_true == T0 + 45 * MINUTE
    twice = evaluate(RULES, EP, flat({"hr": [(10, 20, 125.0), (60, 70, 125.0)]}), T0 + 8 * HOUR).findings
    assert [f.onset for f in twice if f.rule_id == "H1"] == [T0 + 10 * MINUTE, T0 + 60 * MINUTE]


def test_outside_the_window_nothing_fires() -> None:
    assert "H1" not in fired(flat({"hr": [(-40, -20, 125.0)]}))  # before the dose
    assert "H1" not in fired(flat({"hr": [(45 + 6 * 60 + 5, 45 + 6 * 60 + 20, 125.0)]}))  # after W6


@pytest.mark.parametrize(
    ("rule", "changes", "severity"),
    [
        ("F3", {"temp": [(20, 40, 40.3)]}, "high"),
        ("H3", {"hr": [(20, 25, 48.0)]}, "medium"),
        ("H3", {"hr": [(20, 25, 38.0)]}, "high"),
        ("H4", {"hr": [(20, 30, 135.0)]}, "medium"),
        ("B4", {"abp_sys": [(20, 35, 165.0)]}, "medium"),
        ("B4", {"abp_sys": [(20, 35, 185.0)]}, "high"),
        ("O2", {"spo2": [(20, 23, 83.0)]}, "high"),
        ("V1", {"ppeak": [(20, 30, 34.0)]}, "medium"),
        ("V3", {"etco2": [(20, 30, 26.0)]}, "medium"),
        ("R1", {"rr": [(20, 30, 31.0)]}, "medium"),
    ],
)
def test_each_signal_rule_fires_on_its_pattern(rule: str, changes: dict, severity: str) -> None:
    found = fired(flat(changes))
    assert rule in found and found[rule].severity == severity
    assert found[rule].onset >= T0 + 20 * MINUTE


def test_the_high_levels_made_of_two_rules() -> None:
    """The table's "O2: O1 together with O3", "V1: high with B2 or O1", "V3: high with B2"."""
    desat = {"spo2": [(10, 40, 86.0)]}
    more_o2 = {"fio2": [(10, 40, 75.0)]}
    assert "O2A" not in fired(flat(desat)) and "O2A" not in fired(flat(more_o2))
    both = fired(flat(desat | more_o2))
    assert both["O2A"].severity == "high" and "O2" not in both  # 86% alone is not below 85%
    resistance = {"ppeak": [(10, 40, 35.0)]}
    hypotension = {"abp_sys": [(10, 40, 82.0)], "abp_dia": [(10, 40, 45.0)], "abp_mean": [(10, 40, 58.0)]}
    assert "V1" in fired(flat(resistance)) and "V1A" not in fired(flat(resistance))
    assert fired(flat(resistance | hypotension))["V1A"].severity == "high"
    assert fired(flat(resistance | desat))["V1A"].severity == "high"
    etco2 = {"etco2": [(10, 40, 25.0)]}
    assert "V3" in fired(flat(etco2)) and "V3A" not in fired(flat(etco2))
    assert fired(flat(etco2 | hypotension))["V3A"].severity == "high"


def test_documented_urticaria_makes_hypotension_anaphylaxis_like() -> None:
    """C1: "B2 + documented urticaria or angioedema"; S1 itself is no alert (the nurse wrote it)."""
    hypotension = {"abp_sys": [(10, 40, 82.0)], "abp_dia": [(10, 40, 45.0)], "abp_mean": [(10, 40, 58.0)]}
    data = flat(hypotension)
    assert "B2" in fired(data) and "C1" not in fired(data)
    data.documented.append(Documented("check:41", T0 + 20 * MINUTE, "skin: no urticaria, line clean"))
    assert "C1" not in fired(data)  # negated
    data.documented.append(Documented("check:42", T0 + 25 * MINUTE, "Urticaria on both arms, itching"))
    found = fired(data)
    assert found["C1"].severity == "high" and "S1" not in found
    assert "components: B2, S1" in found["C1"].notes
    angio = flat(hypotension)
    angio.documented.append(Documented("adverse:3", T0 + 15 * MINUTE, "Angioedema. lips swollen"))
    assert "C1" in fired(angio)


def test_a_documented_cardioversion_is_a_start_event() -> None:
    data = flat({})
    data.documented.append(Documented("adverse:7", T0 + 2 * HOUR, "Atrial fibrillation. Cardioverted, 120 J"))
    found = fired(data)
    assert found["H4C"].severity == "high" and found["H4C"].observations == ("adverse:7",)
    assert "C3" in found
    calm = flat({})
    calm.documented.append(Documented("check:9", T0 + 2 * HOUR, "no cardioversion needed"))
    assert "H4C" not in fired(calm)


def test_ventilator_rules_are_suppressed_around_a_suction() -> None:
    # Circuit open for a minute (pressures 0), then coughing raises the peak pressure for 5 min.
    changes = {"ppeak": [(20, 21, 0.0), (21, 26, 36.0)], "vt_exp": [(20, 21, 0.0)]}
    assert "V1" not in fired(flat(changes))
    assert "V1" in fired(flat({"ppeak": [(21, 27, 36.0)]}))  # the same rise without the opening alarms


def test_spo2_with_a_disagreeing_pulse_rate_is_poor_signal() -> None:
    data = flat({"spo2": [(20, 25, 80.0)]})
    assert "O1" in fired(data)
    data.parameters["pr_spo2"][0].values[(data.parameters["pr_spo2"][0].times >= T0 + 20 * MINUTE)] += 40
    found = fired(data)
    assert "O1" not in found  # a sudden drop with a disagreeing pulse: a poor signal ...
    assert "disagrees" in found["TECH_SPO2"].message  # ... that persists, so a person is asked to look


def test_device_alarm_and_new_vasopressor() -> None:
    data = flat({})
    data.alarms.append(AlarmPoint(5, T0 + 30 * MINUTE, "MDC_EVT_ECG_V_TACHY"))
    data.alarms.append(AlarmPoint(6, T0 + 31 * MINUTE, "MDC_EVT_LO_VOL_INFUS"))  # not an arrhythmia
    data.drugs.append(DrugStart(9, T0 + 50 * MINUTE, "Norepinephrine 8 mg/50 mL"))
    data.drugs.append(DrugStart(10, T0 - 2 * HOUR, "Propofol 1%"))
    found = fired(data)
    assert found["H4A"].observations == ("alarm:5",) and found["H4A"].severity == "high"
    assert found["B3"].observations == ("drug:9",) and found["B3"].severity == "medium"
    # Neither is a START event yet: one monitor VT alarm is unconfirmed, a new agent is not at START's
    # limits. The alarm repeating over 2 min confirms it.
    assert "C3" not in found
    data.alarms.append(AlarmPoint(7, T0 + 32.5 * MINUTE, "MDC_EVT_ECG_V_TACHY"))
    found = fired(data)
    assert "C3" in found and found["H4A"].tags == {"confirmed"}


def test_a_vasopressor_running_before_the_dose_is_not_new() -> None:
    data = flat({})
    data.drugs.append(DrugStart(1, T0 - HOUR, "noradrenaline 4 mg/50 mL"))
    data.drugs.append(DrugStart(2, T0 + 30 * MINUTE, "noradrenaline 8 mg/50 mL"))
    assert "B3" not in fired(data)


def pump(
    data: PatientData,
    label: str,
    rates: list[tuple[float, float]],
    conc: float | None = None,
    device: str = "PUMP-1",
    channel: str = "1.1.1",
    label_at: float = T0 - HOUR,
) -> None:
    """A pump channel with `label` from `label_at`, its rate (mL/h) changing at [(min after T0, rate)]
    and reported every 30 s until T0 + 8 h, and the concentration (µg/mL) sent with each report."""
    data.drugs.append(DrugStart(len(data.drugs) + 1, label_at, label, device))
    t = np.arange(label_at, T0 + 8 * HOUR, 30.0)
    rate = np.zeros(len(t))
    for minute, value in rates:
        rate[t >= T0 + minute * MINUTE] = value
    sid = 500 + 2 * len(data.parameters.get("pump_rate", []))
    data.add("pump_rate", sid, t, rate, device, f"{channel}.157784")
    if conc is not None:
        data.add("pump_drug_conc", sid + 1, t, np.full(len(t), conc), device, f"{channel}.157760")


def test_norepinephrine_escalated_to_the_start_limit() -> None:
    # 4 mg/50 mL = 80 µg/mL: 3 mL/h = 4 µg/min at the start, 7.5 mL/h = 10 µg/min from +40 min.
    data = flat({})
    pump(data, "Noradrenaline 4 mg/50 mL", [(-60, 3.0), (40, 7.5)])
    f = fired(data)["B3"]
    assert f.onset == T0 + 40 * MINUTE and f.severity == "high"
    assert "norepinephrine 10 µg/min" in f.message and "4 at the dose start" in f.message
    assert f.observations == (f"obs:500:{int((T0 + 40 * MINUTE) * 1000)}",)
    assert "C3" in fired(data)
    # Just under the limit (9.9 µg/min), or already at it before the dose: not a rise to it.
    under = flat({})
    pump(under, "Noradrenaline 4 mg/50 mL", [(-60, 3.0), (40, 7.4)])
    assert "B3" not in fired(under)
    before = flat({})
    pump(before, "Noradrenaline 4 mg/50 mL", [(-60, 8.0), (40, 12.0)])
    assert "B3" not in fired(before)


def test_the_concentration_the_pump_sends_wins_over_the_label() -> None:
    # The label says 4 mg/50 mL but the pump reports 160 µg/mL (a double-strength syringe): 4 mL/h is
    # 10.7 µg/min, not 5.3.
    data = flat({})
    pump(data, "Norepinephrine 4 mg/50 mL", [(-60, 2.0), (30, 4.0)], conc=160.0)
    f = fired(data)["B3"]
    assert f.onset == T0 + 30 * MINUTE and "10.7 µg/min" in f.message
    assert len(f.observations) == 2  # the rate and the concentration in force
    label_only = flat({})
    pump(label_only, "Norepinephrine 4 mg/50 mL", [(-60, 2.0), (30, 4.0)])
    assert "B3" not in fired(label_only)
    unknown = flat({})  # neither: the dose is unknown, never guessed
    pump(unknown, "Norepinephrine", [(-60, 2.0), (30, 40.0)])
    assert "B3" not in fired(unknown)


def test_weight_based_limits_need_the_weight() -> None:
    # Epinephrine 16 µg/mL at 30 mL/h = 8 µg/min: 0.1 µg/kg/min for 80 kg.
    data = flat({})
    pump(data, "Adrenaline 16 mcg/mL", [(-60, 3.0), (20, 30.0)], label_at=T0 - 3 * HOUR)
    heavy = dataclasses.replace(EP, weight_kg=80.0)
    assert (
        "B3" in fired(data, ep=heavy) and "epinephrine 0.1 µg/kg/min" in fired(data, ep=heavy)["B3"].message
    )
    assert "B3" not in fired(data, ep=dataclasses.replace(EP, weight_kg=90.0))  # 0.089 µg/kg/min
    assert "B3" not in fired(data)  # no weight: µg/kg/min limits are not checked


def test_doses_add_up_across_pumps() -> None:
    # Two noradrenaline syringes (e.g. a changeover) of 6 µg/min each: 12 µg/min together.
    data = flat({})
    pump(data, "Noradrenaline 4 mg/50 mL", [(-60, 3.0), (50, 4.5)])
    pump(data, "Noradrenaline 4 mg/50 mL", [(50, 4.5)], device="PUMP-2")
    assert fired(data)["B3"].onset == T0 + 50 * MINUTE


def b3(data: PatientData) -> list:  # type: ignore[type-arg]
    return [f for f in evaluate(RULES, EP, data, T0 + 8 * HOUR).findings if f.rule_id == "B3"]


def test_a_third_agent_delivered_at_once() -> None:
    # Noradrenaline and vasopressin running; phenylephrine started at +90 min: a new agent and a third.
    third = flat({})
    pump(third, "Noradrenaline 4 mg/50 mL", [(-60, 3.0)])
    pump(third, "Vasopressin 20 U/100 mL", [(-60, 3.0)], device="PUMP-2")
    pump(third, "Phenylephrine 100 mcg/mL", [(90, 10.0)], device="PUMP-3", label_at=T0 + 90 * MINUTE)
    (f,) = b3(third)  # one moment, told both ways
    assert f.onset == T0 + 90 * MINUTE and "a pump started Phenylephrine" in f.message
    assert "a third agent delivered at once (norepinephrine, phenylephrine, vasopressin)" in f.message
    # Epinephrine ran until 5 h before the dose: its restart is not a new agent, but it is a third.
    again = flat({})
    pump(again, "Noradrenaline 4 mg/50 mL", [(-60, 3.0)])
    pump(again, "Vasopressin 20 U/100 mL", [(-60, 3.0)], device="PUMP-2")
    pump(
        again,
        "Adrenaline 16 mcg/mL",
        [(-300, 3.0), (-290, 0.0), (120, 3.0)],
        device="PUMP-3",
        label_at=T0 - 5 * HOUR,
    )
    (f,) = b3(again)
    assert f.onset == T0 + 120 * MINUTE and "third agent" in f.message and len(f.observations) == 3
    # Three running before the dose: nothing new.
    before = flat({})
    for k, label in enumerate(
        ("Noradrenaline 4 mg/50 mL", "Vasopressin 20 U/100 mL", "Adrenaline 16 mcg/mL")
    ):
        pump(before, label, [(-60, 3.0)], device=f"PUMP-{k}")
    assert b3(before) == []


def test_a_rate_reported_before_the_dose_and_a_fall_re_arm_the_dose_rule() -> None:
    # Risen at +30 min, back down at +60, up again at +200 (re-armed after 30 min below): two findings.
    data = flat({})
    pump(data, "Noradrenaline 4 mg/50 mL", [(-60, 3.0), (30, 9.0), (60, 3.0), (200, 9.0)])
    found = [f for f in evaluate(RULES, EP, data, T0 + 8 * HOUR).findings if f.rule_id == "B3"]
    assert [(f.onset - T0) / MINUTE for f in found] == [30, 200]
    assert found[0].cleared and found[0].last_true == T0 + 60 * MINUTE and not found[1].cleared


def lab(
    data: PatientData, analyte: str, points: list[tuple[float, float]], uln: float = float("nan")
) -> None:
    for i, (hours, value) in enumerate(points):
        data.labs.setdefault(analyte, []).append(
            LabPoint(1000 * len(data.labs) + i, T0 + hours * HOUR, value, uln)
        )


@pytest.mark.parametrize(
    ("rule", "analyte", "points", "uln", "severity"),
    [
        ("L1", "ddimer_feu", [(-10, 0.9), (24, 2.0)], 0.5, "medium"),
        ("L2", "fibrinogen", [(-10, 3.0), (24, 2.1)], float("nan"), "medium"),
        ("L2", "fibrinogen", [(-10, 3.0), (24, 0.9)], float("nan"), "high"),
        ("L3", "crp", [(-10, 40.0), (24, 65.0)], 8.0, "low"),
        ("L4", "ferritin", [(-10, 800.0), (24, 1250.0)], float("nan"), "low"),
        ("L5", "ldh", [(-10, 300.0), (24, 390.0)], 250.0, "low"),
        ("L6", "lymphocytes", [(-10, 0.9), (24, 0.6)], 4.0, "low"),
        ("L6", "lymphocytes", [(-10, 0.9), (24, 0.4)], 4.0, "medium"),
    ],
)
def test_each_lab_rule_fires_on_a_post_dose_result(rule, analyte, points, uln, severity) -> None:  # type: ignore[no-untyped-def]
    data = flat({}, end=T0 + 30 * HOUR)
    lab(data, analyte, points, uln)
    found = fired(data, now=T0 + 30 * HOUR)
    assert found[rule].severity == severity and found[rule].onset == T0 + 24 * HOUR
    # A result before WL (12 h after the end) is not the post-dose course yet, except D-dimer's: an
    # embolism after the dose shows within hours.
    early = flat({}, end=T0 + 30 * HOUR)
    lab(early, analyte, [points[0], (6, points[1][1])], uln)
    assert (rule in fired(early, now=T0 + 30 * HOUR)) == (rule == "L1")


def test_an_ldh_from_a_haemolysed_sample_is_not_read() -> None:
    data = flat({}, end=T0 + 30 * HOUR)
    data.labs["ldh"] = [LabPoint(1, T0 - 10 * HOUR, 300.0, 250.0), LabPoint(2, T0 + 24 * HOUR, 390.0, 250.0)]
    assert "L5" in fired(data, now=T0 + 30 * HOUR)
    data.labs["ldh"][1] = dataclasses.replace(data.labs["ldh"][1], specimen="HEM")
    assert "L5" not in fired(data, now=T0 + 30 * HOUR)
    # A haemolysed pre-dose sample is no baseline either: the next clean one is compared with nothing.
    data.labs["ldh"] = [
        LabPoint(1, T0 - 10 * HOUR, 150.0, 250.0, specimen="HEM~LIP"),
        LabPoint(2, T0 + 24 * HOUR, 390.0, 250.0),
    ]
    assert "L5" not in fired(data, now=T0 + 30 * HOUR)


def test_d_dimer_rise_goes_high_with_desaturation_in_the_episode() -> None:
    data = flat({"spo2": [(20, 23, 86.0)]}, end=T0 + 30 * HOUR)
    lab(data, "ddimer_feu", [(-10, 0.9), (24, 2.0)], 0.5)
    found = fired(data, now=T0 + 30 * HOUR)
    assert found["L1"].severity == "high" and "O1" in found["L1"].notes[-1]


def test_lab_baseline_older_than_24_hours_is_used_with_a_warning() -> None:
    data = flat({}, end=T0 + 30 * HOUR)
    lab(data, "crp", [(-40, 40.0), (24, 65.0)], 8.0)
    found = fired(data, now=T0 + 30 * HOUR)
    assert "pre-dose result older than 24 h" in found["L3"].notes


def test_pf_ratio_uses_the_fio2_at_sample_time() -> None:
    data = flat({"fio2": [(300, 600, 80.0)]}, start=T0 - 5 * HOUR, end=T0 + 30 * HOUR)
    lab(data, "pao2", [(-3, 110.0), (8, 96.0)])  # P/F 220 before, 120 after (FiO2 0.8): Berlin 200 crossed
    found = fired(data, now=T0 + 30 * HOUR)
    assert found["O4"].severity == "medium" and found["O4"].values["value"] == 120


def test_a_pf_fall_within_six_hours_after_a_stable_baseline_is_trali_like() -> None:
    """O4 high: "the TRALI-like pattern (stable baseline, then deterioration <= 6 h)"."""
    data = flat({"fio2": [(120, 600, 80.0)]}, start=T0 - 14 * HOUR, end=T0 + 30 * HOUR)
    lab(data, "pao2", [(-3, 110.0), (3, 96.0)])  # 220 → 120 at 2 h 15 min after the end
    assert fired(data, now=T0 + 30 * HOUR)["O4"].severity == "high"
    # The same fall after a baseline that had itself fallen >= 20% in the 12 h before: medium.
    unstable = flat({"fio2": [(120, 600, 80.0)]}, start=T0 - 14 * HOUR, end=T0 + 30 * HOUR)
    lab(unstable, "pao2", [(-10, 150.0), (-3, 110.0), (3, 96.0)])  # P/F 300 → 220 before the dose
    found = fired(unstable, now=T0 + 30 * HOUR)["O4"]
    assert found.severity == "medium" and any("unstable" in n for n in found.notes)


def test_windows_end_at_the_next_dose() -> None:
    data = flat({"hr": [(200, 215, 125.0)]})
    assert "H1" in fired(data)
    assert "H1" not in {
        f.rule_id for f in evaluate(RULES, EP, data, T0 + 8 * HOUR, next_start=T0 + 150 * MINUTE).findings
    }


def test_the_stale_feed_alert_is_open_while_the_feed_is_silent() -> None:
    data = flat({}, end=T0 + 60 * MINUTE)
    found = fired(data, now=T0 + 70 * MINUTE)
    stale = found["STALE"]
    assert not stale.cleared and "at least" in stale.message
    assert stale.fired_at == pytest.approx(T0 + 60 * MINUTE + 60, abs=6)


# ---- the rule file itself ------------------------------------------------------------------------


def test_every_rule_of_the_clinical_table_is_in_the_shipped_rule_set() -> None:
    table = {"F1", "F2", "F3", "H1", "H2", "H3", "H4", "B1", "B2", "B3", "B4", "O1", "O2", "O3", "O4"}
    table |= {"V1", "V2", "V3", "R1", "C1", "C2", "C3", "L1", "L2", "L3", "L4", "L5", "L6"}
    assert table <= CLINICAL
    assert RULES.version and RULES.grading.startswith("CTCAE v5.0") and len(RULES.digest) == 64
    for r in RULES.rules:
        assert r.source and r.message


def test_conditions_cannot_run_code() -> None:
    with pytest.raises(RuleExpressionError):
        compile_condition("__import__('os').system('true')")
    with pytest.raises(RuleExpressionError):
        compile_condition("[hr]")
    assert bool(compile_condition("abs(hr - 3) >= 2 and not (x < 1)")({"hr": 6.0, "x": np.nan}))


def test_a_broken_rule_file_names_the_rule_and_field(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = resource_path("rules", "infusion-reaction.toml").read_text(encoding="utf-8")
    bad = tmp_path / "rules.toml"
    bad.write_text(
        text.replace('when = "hr > 100 and hr >= base.hr + 20"', 'when = "hr > 100 and heart >= 3"')
    )
    with pytest.raises(RuleSetError, match="rule H1: unknown signal 'heart'"):
        RuleSet.load(bad)


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ('at_least = 10, unit = "ug/min"', 'at_least = 10, unit = "mg/h"', "unit must be one of"),
        ('agent = "dopamine", at_least = 10', 'agent = "levosimendan", at_least = 10', "not listed"),
        ('agent = "dopamine", at_least = 10', 'agent = "dopamine", at_least = "ten"', "a number"),
    ],
)
def test_a_broken_dose_limit_is_refused(tmp_path, old: str, new: str, error: str) -> None:  # type: ignore[no-untyped-def]
    text = resource_path("rules", "infusion-reaction.toml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "rules.toml"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(RuleSetError, match=f"rule B3: .*{error}"):
        RuleSet.load(bad)


def test_upper_limit_of_reference_ranges() -> None:
    assert upper_limit("120-250") == 250 and upper_limit("<8") == 8 and upper_limit("<=0.5") == 0.5
    assert np.isnan(upper_limit("")) and np.isnan(upper_limit("negative"))
