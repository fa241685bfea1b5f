"""How the rules behave at the edges: missing baselines, pre-existing abnormal values, intermittent
readings, persisting extremes, START's own limits, notes, P/F noise, one problem per reaction."""

from __future__ import annotations

from bedside.alerts import Alert, AlertState, fold
from bedside.rules.data import AlarmPoint, Documented, LabPoint, PatientData
from bedside.rules.engine import evaluate
from bedside.rules.watching import watching
from tests.unit.test_rules import EP, HOUR, MINUTE, RULES, T0, fired, flat


def sparse(data: PatientData, parameter: str, readings: list[tuple[float, float]], sid: int = 500) -> None:
    """Intermittent readings (minutes after T0, value), e.g. a cuff pressure or a manual temperature."""
    data.add(parameter, sid, [T0 + m * MINUTE for m, _ in readings], [v for _, v in readings])


def without(data: PatientData, *parameters: str) -> PatientData:
    for p in parameters:
        data.parameters.pop(p, None)
    return data


def test_fever_without_a_pre_dose_temperature_fires_on_38_alone() -> None:
    data = without(flat({}), "temp")
    sparse(data, "temp", [(60, 38.4), (90, 38.6)])  # manual readings after the dose, none before
    found = fired(data)
    assert "F1" in found and any("absolute criterion only" in n for n in found["F1"].notes)
    assert found["F1"].fired_at == T0 + 91 * MINUTE  # two readings at least 5 min apart


def test_relative_only_rules_are_listed_as_not_evaluable() -> None:
    ev = evaluate(RULES, EP, without(flat({}), "fio2", "peep"), T0 + 8 * HOUR)
    assert "O3" in ev.unevaluable and "fio2" in ev.unevaluable["O3"]
    w = watching(RULES, ev.baselines)
    assert "O3" in w.without_baseline and "without baseline: " in w.summary()


def test_intermittent_cuff_pressure_persists_over_its_readings() -> None:
    data = without(flat({}), "abp_sys", "abp_dia", "abp_mean")
    before = [(-60 + 10 * i, 118.0) for i in range(6)]
    after = [(20, 84.0), (30, 82.0), (40, 83.0)]
    sparse(data, "nibp_sys", before + after, 501)
    sparse(data, "nibp_dia", [(m, 60.0 if v > 100 else 45.0) for m, v in before + after], 502)
    found = fired(data)
    assert "B2" in found and found["B2"].fired_at <= T0 + 31 * MINUTE
    # One low reading alone is not persistence.
    one = without(flat({}), "abp_sys", "abp_dia", "abp_mean")
    sparse(one, "nibp_sys", [*before, (20, 84.0), (30, 118.0)], 501)
    assert "B2" not in fired(one)


def test_a_pre_existing_low_saturation_is_a_target_not_a_reaction() -> None:
    low = flat({"spo2": [(-120, 600, 86.0)]}, start=T0 - 2 * HOUR)
    assert not {"O1", "O2"} & set(fired(low))  # 86 % before and after: the ARDS target
    worse = flat({"spo2": [(-120, 30, 86.0), (30, 40, 81.0)]})
    found = fired(worse)
    assert "O1" in found and any("already met before the dose" in n for n in found["O1"].notes)
    own = evaluate(RULES, EP.__class__(**{**EP.__dict__, "targets": (("spo2", 85.0),)}), worse, T0 + 8 * HOUR)
    assert "O1" in {f.rule_id for f in own.findings}


def test_a_map_on_target_under_a_vasopressor_is_not_hypotension() -> None:
    dia = {"abp_dia": [(-120, 600, 48.0)]}
    on_target = flat({"abp_mean": [(-120, 600, 63.0)], "abp_sys": [(-120, 600, 95.0)], **dia})
    assert "B2" not in fired(on_target)
    falling = flat({"abp_mean": [(-120, 30, 63.0), (30, 45, 50.0)], "abp_sys": [(-120, 600, 95.0)], **dia})
    assert "B2" in fired(falling)


def test_persisting_extreme_values_are_physiology_and_say_so() -> None:
    data = flat({"spo2": [(30, 36, 45.0)]})
    found = fired(data)
    assert "O2" in found  # read, not dropped as out of range
    assert "plausible range" in found["TECH_SPO2"].message
    brief = flat({"spo2": [(30, 30.5, 45.0)]})
    assert "O2" not in fired(brief) and "TECH_SPO2" not in fired(brief)


def test_a_pulse_deficit_keeps_the_saturation_read() -> None:
    data = flat({"spo2": [(60, 70, 92.0), (70, 80, 89.0), (80, 90, 86.0), (90, 100, 84.0)]})
    pr = data.parameters["pr_spo2"][0]
    pr.values[pr.times >= T0 - 30 * MINUTE] -= 35  # atrial fibrillation: the oximeter misses beats
    found = fired(data)
    assert "O1" in found and "disagrees" in found["TECH_SPO2"].message


def test_one_stream_stopping_is_a_technical_alert() -> None:
    data = flat({})
    s = data.parameters["spo2"][0]
    keep = (s.times < T0 + 20 * MINUTE) | (s.times >= T0 + 24 * MINUTE)
    data.parameters["spo2"][0] = s.__class__(s.series_id, s.times[keep], s.values[keep])
    found = fired(data)
    assert "No SpO2 values for 4 min" in found["TECH_SPO2"].message and "STALE" not in found


def test_start_counts_only_at_its_limits_and_confirmed_arrhythmias() -> None:
    data = flat({})
    data.alarms.append(AlarmPoint(1, T0 + 30 * MINUTE, "MDC_EVT_ECG_V_TACHY"))
    assert "C3" not in fired(data)
    data.documented.append(Documented("check:4", T0 + 35 * MINUTE, "ECG reviewed: ventricular tachycardia"))
    assert "C3" in fired(data)
    death = flat({}, end=T0 + 20 * HOUR)
    death.documented.append(Documented("course:1", T0 + 18 * HOUR, "death. "))
    found = fired(death, now=T0 + 20 * HOUR)
    assert "D24" in found and "C3" in found


def test_negation_is_scoped_to_its_clause_and_shocks_are_recognised() -> None:
    for text, rule in [
        ("no fever but urticaria on both arms", "C3"),
        ("DC shock 150 J for fast AF", "H4C"),
        ("patient defibrillated once", "H4C"),
        ("audible wheeze, bronchospasm treated", "C3"),
    ]:
        data = flat({})
        data.documented.append(Documented("adverse:1", T0 + 40 * MINUTE, text))
        assert rule in fired(data), text
    calm = flat({})
    calm.documented.append(Documented("check:2", T0 + 40 * MINUTE, "skin: no urticaria, no wheeze"))
    assert not {"C3", "H4C"} & set(fired(calm))


def test_a_trivial_pf_change_at_a_cut_off_is_not_trali_like() -> None:
    def pf(values: list[tuple[float, float]]) -> dict:  # type: ignore[type-arg]
        data = flat({"fio2": [(-600, 600, 50.0)]}, start=T0 - 7 * HOUR, end=T0 + 6 * HOUR)
        for i, (h, v) in enumerate(values):
            data.labs.setdefault("pao2", []).append(LabPoint(i + 1, T0 + h * HOUR, v * 0.5))
        return fired(data, now=T0 + 6 * HOUR)

    assert "O4" not in pf([(-1, 205.0), (2, 198.0)])
    assert pf([(-1, 205.0), (2, 150.0)])["O4"].severity == "high"


def test_d_dimer_in_ddu_is_read_as_a_ratio_to_its_upper_limit() -> None:
    data = flat({}, end=T0 + 30 * HOUR)
    data.labs["ddimer_feu"] = [LabPoint(1, T0 - 10 * HOUR, 0.6, 0.5)]
    data.labs["ddimer_ddu"] = [LabPoint(2, T0 + 8 * HOUR, 700.0, 240.0)]  # 2.9 × ULN against 1.2
    found = fired(data, now=T0 + 30 * HOUR)
    assert "L1" in found and "×ULN" in found["L1"].message


def test_short_repeated_dips_are_one_alert() -> None:
    data = flat({"spo2": [(20, 22, 84.0), (32, 34, 84.0), (44, 46, 84.0)]})
    found = [f for f in evaluate(RULES, EP, data, T0 + 8 * HOUR).findings if f.rule_id == "O2"]
    assert len(found) == 1


def test_a_reaction_folds_into_one_problem_until_it_is_acknowledged() -> None:
    def alert(i: int, rule: str, onset: float, comps: tuple[str, ...] = (), raised: float = 0.0) -> Alert:
        at = T0 + onset * MINUTE
        return Alert(
            i, 1, rule, "high", AlertState.RAISED, at, at, at + 20 * MINUTE, raised or at, components=comps
        )

    alerts = [
        alert(1, "B2", 10),
        alert(2, "H1", 12),
        alert(3, "C1", 15, ("B2", "O1")),
        alert(4, "C3", 16, ("B2", "C1", "O1")),
        alert(5, "L3", 14),
        alert(6, "STALE", 14),
    ]
    parents = fold(alerts, {"B2", "H1", "C1", "C3", "O1"})
    assert parents == {1: 3, 2: 3, 3: None, 4: 3, 5: None, 6: None}
    acked = [*alerts[:3], Alert(**{**alerts[2].__dict__, "acked_at": T0 + 16 * MINUTE})]
    later = alert(7, "H2", 25, raised=T0 + 30 * MINUTE)
    assert fold([*acked[:2], acked[3], later], {"B2", "H1", "H2"})[7] is None


def test_every_rule_that_reads_a_baseline_says_what_it_does_without_one() -> None:
    for r in RULES.rules:
        if r.kind == "signal" and r.baseline_signals:
            assert r.relative_only or any(lv.no_baseline is not None for lv in r.levels), r.id


def test_the_tiles_say_when_a_value_was_already_abnormal_and_what_alerts() -> None:
    from bedside.rules.targets import preexisting

    ctx = preexisting({}, 86.0, 62.0)
    assert ctx["spo2"] == "below 88 before the dose: alerts below 82"
    assert ctx["abp_sys"] == "MAP below 65 before the dose: alerts below 52"
    assert preexisting({"spo2": 85.0}, 86.0, 80.0) == {"spo2": "below 88 before the dose: alerts below 85"}
    assert preexisting({}, 95.0, 80.0) == {}


def test_a_core_temperature_is_preferred_over_a_peripheral_one() -> None:
    both = flat({})  # core 37.2 every 5 s
    sparse(both, "temp_peripheral", [(30, 38.6), (45, 38.7)])
    assert "F1" not in fired(both)  # a warm tympanic reading does not override the core probe
    only = without(flat({}), "temp")
    sparse(only, "temp_peripheral", [(-30, 37.0), (30, 38.6), (45, 38.7)])
    assert "F1" in fired(only)  # without a core site, the peripheral one is read
