"""The daily SOFA: every published threshold at its boundary (Vincent et al., Intensive Care Med 1996),
missing components reported and never imputed, and the total that says how many components it sums."""

from __future__ import annotations

import pytest

from bedside import i18n
from bedside.labs import LabCatalog
from bedside.review import DAY, HOUR, Samples
from bedside.severity import component_text, sofa_notes, sofa_rows
from bedside.sofa import (
    SofaInputs,
    VasopressorRate,
    cns_score,
    coagulation_score,
    daily_sofa,
    liver_score,
    map_score,
    renal_score,
    respiration_score,
    sofa_day,
    vasopressor_score,
)

T0 = 1_780_000_000.0


@pytest.mark.parametrize(
    ("pf", "supported", "score"),
    [
        (400, True, 0),
        (399.9, False, 1),
        (300, False, 1),
        (299.9, False, 2),
        (200, True, 2),
        (199.9, True, 3),
        (199.9, False, 2),
        (100, True, 3),
        (99.9, True, 4),
        (99.9, False, 2),
        (50, False, 2),
    ],
)
def test_respiration_thresholds_and_support(pf: float, supported: bool, score: int) -> None:
    assert respiration_score(pf, supported) == score


@pytest.mark.parametrize(
    ("platelets", "score"),
    [(150, 0), (149.9, 1), (100, 1), (99.9, 2), (50, 2), (49.9, 3), (20, 3), (19.9, 4), (0, 4)],
)
def test_coagulation_thresholds(platelets: float, score: int) -> None:
    assert coagulation_score(platelets) == score


@pytest.mark.parametrize(
    ("bilirubin", "score"),
    [(19.9, 0), (20, 1), (32, 1), (32.9, 1), (33, 2), (101, 2), (102, 3), (204, 3), (204.1, 4), (600, 4)],
)
def test_liver_thresholds_in_umol_per_litre(bilirubin: float, score: int) -> None:
    assert liver_score(bilirubin) == score


@pytest.mark.parametrize(
    ("creatinine", "score"),
    [(109.9, 0), (110, 1), (170, 1), (171, 2), (299, 2), (300, 3), (440, 3), (440.1, 4)],
)
def test_renal_thresholds_in_umol_per_litre(creatinine: float, score: int) -> None:
    assert renal_score(creatinine) == score


@pytest.mark.parametrize(
    ("gcs", "score"), [(15, 0), (14, 1), (13, 1), (12, 2), (10, 2), (9, 3), (6, 3), (5, 4), (3, 4)]
)
def test_cns_thresholds(gcs: float, score: int) -> None:
    assert cns_score(gcs) == score


@pytest.mark.parametrize(("pressure", "score"), [(70, 0), (69.9, 1), (40, 1)])
def test_map_threshold(pressure: float, score: int) -> None:
    assert map_score(pressure) == score


@pytest.mark.parametrize(
    ("drug", "rate", "score"),
    [
        ("dopamine", 5, 2),
        ("dopamine", 5.1, 3),
        ("dopamine", 15, 3),
        ("dopamine", 15.1, 4),
        ("dobutamine", 1, 2),
        ("dobutamine", 20, 2),
        ("noradrenaline", 0.1, 3),
        ("noradrenaline", 0.11, 4),
        ("adrenaline", 0.05, 3),
        ("adrenaline", 0.2, 4),
        ("noradrenaline", 0, 0),
    ],
)
def test_vasopressor_thresholds(drug: str, rate: float, score: int) -> None:
    assert vasopressor_score(drug, rate) == score


def test_unit_conversions_of_the_sofa_analytes() -> None:
    labs = LabCatalog.load()
    _loinc, bili = labs.resolve("LAB", "1975-2", "LN")
    assert bili is not None and bili.unit == "umol/L"
    assert bili.to_canonical(1.2, "mg/dL") == pytest.approx(20.52)
    assert bili.to_canonical(12.0, "mg/dL") == pytest.approx(205.2)
    _loinc, crea = labs.resolve("LAB", "2160-0", "LN")
    assert crea is not None and crea.unit == "umol/L"
    assert crea.to_canonical(1.2, "mg/dL") == pytest.approx(106.08)
    assert crea.to_canonical(5.0, "mg/dL") == pytest.approx(442.0)
    _loinc, plt = labs.resolve("LAB", "777-3", "LN")
    assert plt is not None and plt.to_canonical(180, "10*3/uL") == 180
    assert plt.to_canonical(180000, "/uL") == pytest.approx(180)
    _loinc, gcs = labs.resolve("CHART", "9269-2", "LN")
    assert gcs is not None and gcs.to_canonical(14, "{score}") == 14
    assert bili.to_canonical(1.0, "g/L") is None  # not a listed unit: kept as sent, never scored


def _full_day(**over: object) -> SofaInputs:
    at = T0 + 6 * HOUR
    values = dict(
        pao2=Samples.of([(at, 80.0)]),
        fio2=Samples.of([(at - 60, 50.0)]),
        peep=Samples.of([(at - 60, 10.0)]),
        platelets=Samples.of([(at, 140.0), (at + 8 * HOUR, 90.0)]),
        bilirubin=Samples.of([(at, 40.0)]),
        creatinine=Samples.of([(at, 120.0)]),
        gcs=Samples.of([(at + HOUR, 14.0)]),
        arterial_map=Samples.of([(T0 + k * 10.0, 75.0) for k in range(600)]),
    )
    values.update(over)
    return SofaInputs(**values)  # type: ignore[arg-type]


def test_a_full_day_sums_six_components_from_the_worst_values() -> None:
    day = sofa_day(_full_day(vasopressors=[]), 0, T0, T0 + DAY, T0 + DAY)
    scores = {c.system: c.score for c in day.components}
    # P/F 160 ventilated → 3; platelets worst 90 → 2; bilirubin 40 → 2; MAP 75 → 0; GCS 14 → 1; creat 120 → 1
    assert scores == {
        "Respiration": 3,
        "Coagulation": 2,
        "Liver": 2,
        "Cardiovascular": 0,
        "CNS": 1,
        "Renal": 1,
    }
    assert day.total == 9
    assert day.total_text() == "SOFA 9"
    coag = day.component("Coagulation")
    assert coag.at == T0 + 14 * HOUR and "90" in coag.value and "777-3" in coag.source


def test_missing_components_are_reported_not_imputed() -> None:
    inputs = _full_day(bilirubin=Samples(), gcs=Samples(), pao2=Samples())
    day = sofa_day(inputs, 0, T0, T0 + DAY, T0 + DAY)
    assert day.total == 2 + 0 + 1
    assert day.total_text() == "SOFA 3 (3 of 6 components)"
    liver = day.component("Liver")
    assert liver.score is None and liver.missing == "no bilirubin result this day"
    assert day.component("CNS").missing == "no GCS recorded this day"
    assert day.component("Respiration").missing == "no arterial blood gas (PaO2) this day"
    assert component_text(liver).startswith("—\n")
    # On paper's narrow columns a line wraps at spaces only: "components)" is never cut inside.
    i18n.set_language("es")
    try:
        (row,) = sofa_rows([day], 11)
    finally:
        i18n.set_language("en")
    assert row[1].split("\n") == ["SOFA 3", "(3 de 6", "componentes)"], row[1]
    assert all(w in component_text(liver, 8).split() for w in ("bilirubin", "result"))


def test_nothing_at_all_is_never_a_score() -> None:
    day = sofa_day(SofaInputs(), 0, T0, T0 + DAY, T0 + DAY)
    assert day.total is None
    assert day.total_text() == "SOFA not computable (no component has data)"


def test_pao2_without_fio2_in_force_is_missing_with_the_reason() -> None:
    at = T0 + 6 * HOUR
    inputs = _full_day(fio2=Samples.of([(at - 2 * HOUR, 50.0)]))
    resp = sofa_day(inputs, 0, T0, T0 + DAY, T0 + DAY).component("Respiration")
    assert resp.score is None and "without a FiO2 in force" in resp.missing


def test_without_a_ventilator_a_low_pf_scores_at_most_two() -> None:
    resp = sofa_day(_full_day(peep=Samples()), 0, T0, T0 + DAY, T0 + DAY).component("Respiration")
    assert resp.score == 2 and "without respiratory support" in resp.value


def test_cardiovascular_without_vasopressor_records_says_so() -> None:
    day = sofa_day(_full_day(), 0, T0, T0 + DAY, T0 + DAY)
    cv = day.component("Cardiovascular")
    assert cv.score == 0 and "vasopressor data not recorded" in cv.note
    assert any("vasopressor data not recorded" in n for n in sofa_notes([day]))


def test_a_map_artefact_shorter_than_five_minutes_is_not_scored() -> None:
    line = [(T0 + k * 10.0, 75.0) for k in range(600)]
    line[100:103] = [(T0 + k * 10.0, 20.0) for k in range(100, 103)]  # a 30-s flush
    cv = sofa_day(_full_day(arterial_map=Samples.of(line)), 0, T0, T0 + DAY, T0 + DAY).component(
        "Cardiovascular"
    )
    assert cv.score == 0
    sustained = [(T0 + k * 10.0, 65.0 if 60 <= k < 120 else 75.0) for k in range(600)]
    cv = sofa_day(_full_day(arterial_map=Samples.of(sustained)), 0, T0, T0 + DAY, T0 + DAY).component(
        "Cardiovascular"
    )
    assert cv.score == 1 and cv.value == "MAP 65 mmHg"


def test_cuff_map_when_there_is_no_arterial_line() -> None:
    inputs = _full_day(
        arterial_map=Samples(), cuff_map=Samples.of([(T0 + HOUR, 72.0), (T0 + 2 * HOUR, 64.0)])
    )
    cv = sofa_day(inputs, 0, T0, T0 + DAY, T0 + DAY).component("Cardiovascular")
    assert cv.score == 1 and "cuff" in cv.source and cv.at == T0 + 2 * HOUR


def test_vasopressors_given_for_an_hour_raise_the_score() -> None:
    rates = [
        VasopressorRate("noradrenaline", 0.15, T0 + 2 * HOUR, T0 + 2.5 * HOUR),  # 30 min: does not count
        VasopressorRate("noradrenaline", 0.08, T0 + 3 * HOUR, T0 + 9 * HOUR),
        VasopressorRate("dopamine", None, T0 + 3 * HOUR, None, "8 mL/h"),
    ]
    cv = sofa_day(_full_day(vasopressors=rates), 0, T0, T0 + DAY, T0 + DAY).component("Cardiovascular")
    assert cv.score == 3 and "noradrenaline 0.08" in cv.value
    assert "not in µg/kg/min" in cv.note and "dopamine 8 mL/h" in cv.note


def test_days_are_counted_from_the_anchor() -> None:
    days = daily_sofa(_full_day(), anchor=T0 + 12 * HOUR, first=T0, now=T0 + 2 * DAY)
    assert [d.index for d in days] == [-1, 0, 1]
    assert days[1].start == T0 + 12 * HOUR
    rows = sofa_rows(days)
    assert rows[0][0].startswith("Day +1") and rows[-1][0].startswith("Day -1")


def test_vasopressor_rates_from_the_recorded_co_medication() -> None:
    from bedside.co_medication import DrugClass, MedicationAdministration
    from bedside.vasopressors import vasopressor_rates

    def given(drug: str, start: float, dose: float, unit: str, code: str = "", status: str = "given"):  # type: ignore[no-untyped-def]
        return MedicationAdministration(
            "P^A", drug, DrugClass.VASOPRESSOR, start, dose=dose, unit=unit, code=code, status=status
        )

    rates = vasopressor_rates(
        [
            given("Norepinephrine 8 mg/50 mL", T0, 0.05, "ug/kg/min"),
            given("noradrenaline", T0 + 2 * HOUR, 0.2, "ug/kg/min"),
            given("x", T0, 5, "ug/kg/min", code="C01CA04"),  # dopamine by its ATC code
            given("dobutamine", T0, 10, "mL/h"),
            given("epinephrine", T0, 0.3, "ug/kg/min", status="ordered"),  # an order, not given
            given("vasopressin", T0, 0.03, "[iU]/min"),  # not a SOFA agent
        ]
    )
    by = [(r.drug, r.rate, r.start, r.end) for r in rates]
    assert ("noradrenaline", 0.05, T0, T0 + 2 * HOUR) in by  # runs until its next rate
    assert ("noradrenaline", 0.2, T0 + 2 * HOUR, None) in by
    assert ("dopamine", 5, T0, None) in by
    assert ("dobutamine", None, T0, None) in by  # mL/h: listed, not scored
    assert len(rates) == 4
    day = sofa_day(_full_day(vasopressors=rates), 0, T0, T0 + DAY, T0 + DAY)
    cv = day.component("Cardiovascular")
    assert cv.score == 4 and "noradrenaline 0.2" in cv.value and "dobutamine 10 mL/h" in cv.note


def test_latest_text_names_the_last_whole_day_and_the_running_one() -> None:
    from bedside.severity import latest_text

    days = daily_sofa(_full_day(), anchor=T0, first=T0, now=T0 + DAY + HOUR)
    text = latest_text(days, T0 + DAY + HOUR)
    assert text.startswith(f"Last whole day (day 0): {days[0].total_text()}.")
    assert "So far on day +1: SOFA not computable" in text
    assert latest_text([], T0).startswith("No day has any SOFA input")


def test_a_result_that_cannot_be_scored_is_named_not_taken_for_no_result() -> None:
    at = T0 + 6 * HOUR
    inputs = _full_day(
        platelets=Samples(),
        unscorable={
            "platelets": [(at, "'<20 10*9/L'")],
            "gcs": [(at, "'T'")],
            "bilirubin": [(at - DAY, "'x'")],
        },
    )
    day = sofa_day(inputs, 0, T0, T0 + DAY, T0 + DAY)
    assert day.component("Coagulation").missing == "platelets only as '<20 10*9/L': not scorable"
    assert day.component("CNS").score == 1  # a scorable GCS that day wins; the other is not needed
    assert day.component("Liver").score == 2  # yesterday's unscorable result is not this day's
    inputs = _full_day(gcs=Samples(), unscorable={"gcs": [(at, "'T'")]})
    assert (
        sofa_day(inputs, 0, T0, T0 + DAY, T0 + DAY).component("CNS").missing
        == "GCS only as 'T': not scorable"
    )


def test_notes_name_their_days_unless_every_day_has_them() -> None:
    from bedside.severity import sofa_notes

    rates = [VasopressorRate("noradrenaline", 0.05, T0, T0 + 5 * HOUR)]
    days = daily_sofa(_full_day(vasopressors=rates), anchor=T0, first=T0 - DAY, now=T0 + DAY)
    notes = sofa_notes(days)
    assert "Renal: urine output not recorded: creatinine only" in notes
    assert (
        "Cardiovascular: no vasopressor recorded (eMAR or entered) for an hour or more this day (day -1)"
        in notes
    )
