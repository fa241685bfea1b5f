"""What a nurse may enter by hand, and what it becomes (bedside/vitals.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bedside.live import drawn_as_markers
from bedside.model import PatientRef, Series, SeriesKey, SeriesWindow
from bedside.numerics import readings
from bedside.parameters import ParameterCatalog
from bedside.vitals import (
    LIMITS,
    MANUAL_DEVICE,
    RecordVitals,
    VitalsError,
    describe,
    mean_pressure,
    parse_number,
    validate,
)

NOW = 1_790_000_000.0
REF = "MRN1^HOSP"


def entry(**values: object) -> RecordVitals:
    return RecordVitals(patient=PatientRef("MRN1"), at=NOW - 600, by="RN Ada", **values)  # type: ignore[arg-type]


def test_every_value_in_its_canonical_parameter_and_unit() -> None:
    values = validate(entry(temp=38.4, temp_site="Core", sys=85, dia=50, spo2=91, hr=120, rr=28), NOW, REF)
    got = {v.parameter: (v.value, v.unit, v.instance, v.computed) for v in values}
    assert got == {
        "temp": (38.4, "Cel", "core", False),
        "nibp_sys": (85.0, "mm[Hg]", "", False),
        "nibp_dia": (50.0, "mm[Hg]", "", False),
        "nibp_mean": (61.7, "mm[Hg]", "", True),
        "spo2": (91.0, "%", "", False),
        "hr": (120.0, "/min", "", False),
        "rr": (28.0, "/min", "", False),
    }
    assert describe(values) == (
        "Temp 38.4 °C (core), BP 85/50 (62 computed) mmHg, SpO2 91 %, HR 120 /min, RR 28 /min"
    )


def test_the_units_are_the_catalogues() -> None:
    catalog = ParameterCatalog.load()
    for key, limit in LIMITS.items():
        assert catalog.get(key).unit == limit.unit, key


def test_a_given_mean_is_kept_and_checked() -> None:
    (_, _, mean) = validate(entry(sys=120, dia=60, mean=75), NOW, REF)
    assert (mean.value, mean.computed) == (75.0, False)
    assert mean_pressure(120, 60) == 80.0
    with pytest.raises(VitalsError, match="between diastolic"):
        validate(entry(sys=120, dia=60, mean=130), NOW, REF)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "enter at least one value"),
        ({"temp": 384.0, "temp_site": "core"}, r"Temperature 384 °C is outside 25-45 °C"),
        ({"temp": 38.4}, "give the temperature's site"),
        ({"temp": 38.4, "temp_site": "forehead"}, "'forehead' is not a temperature site"),
        ({"temp_site": "core", "hr": 80.0}, "site was given without a temperature"),
        ({"sys": 85.0}, "needs both systolic and diastolic"),
        ({"mean": 70.0}, "mean pressure needs its systolic and diastolic"),
        ({"sys": 50.0, "dia": 85.0}, "systolic .50. must be higher than the diastolic .85."),
        ({"spo2": 101.0}, "SpO2 101 % is outside 50-100 %"),
        ({"hr": 0.0}, "Heart rate 0 /min is outside"),
        ({"rr": math.nan}, "Respiratory rate nan /min is outside"),
    ],
)
def test_refusals_say_what_to_correct(values: dict, message: str) -> None:
    with pytest.raises(VitalsError, match=message):
        validate(entry(**values), NOW, REF)


def test_time_who_and_patient() -> None:
    with pytest.raises(VitalsError, match="in the future"):
        validate(RecordVitals(PatientRef("MRN1"), NOW + 3600, "RN Ada", hr=80), NOW, REF)
    validate(RecordVitals(PatientRef("MRN1"), NOW + 60, "RN Ada", hr=80), NOW, REF)  # a clock a minute fast
    with pytest.raises(VitalsError, match="more than 7 days ago"):
        validate(RecordVitals(PatientRef("MRN1"), NOW - 8 * 86400, "RN Ada", hr=80), NOW, REF)
    with pytest.raises(VitalsError, match="say who"):
        validate(RecordVitals(PatientRef("MRN1"), NOW, "  ", hr=80), NOW, REF)
    with pytest.raises(VitalsError, match="no patient 'MRN9'"):
        validate(RecordVitals(PatientRef("MRN9"), NOW, "RN Ada", hr=80), NOW, None)


def test_typed_numbers() -> None:
    assert parse_number(" 38,4 ", "Temperature") == 38.4
    assert parse_number("", "Temperature") is None
    for bad in ("abc", "inf", "38.4.1"):
        with pytest.raises(VitalsError, match=r"Temperature: .* is not a number"):
            parse_number(bad, "Temperature")


def _window(device: str, times: list[float]) -> SeriesWindow:
    key = SeriesKey(PatientRef("MRN1", "HOSP"), "temp", "Cel", device)
    return SeriesWindow(Series(1, key), np.asarray(times), np.full(len(times), 37.0))


def test_manual_and_sparse_series_are_drawn_as_markers() -> None:
    minutes = [NOW + 60.0 * i for i in range(30)]
    assert not drawn_as_markers(_window("MONITOR^0001", minutes))
    assert drawn_as_markers(_window(MANUAL_DEVICE, minutes))  # whatever their spacing
    assert drawn_as_markers(_window("MONITOR^0001", [NOW + 900.0 * i for i in range(8)]))  # a cuff


def test_a_tile_says_its_value_was_entered_by_hand() -> None:
    latest = {"temp": (NOW - 1800, 38.4), "hr": (NOW - 5, 110.0)}
    by_key = {r.spec.key: r for r in readings(latest, {}, [], {}, NOW, manual={"temp": "tympanic"})}
    temp, hr = by_key["temp"], by_key["hr"]
    assert (temp.manual, temp.site, temp.stale) == (True, "tympanic", False)  # 30 min: still current
    assert (hr.manual, hr.site) == (False, "")
    late = {r.spec.key: r for r in readings(latest, {}, [], {}, NOW + 3 * 3600, manual={"temp": "core"})}
    assert late["temp"].stale


@pytest.mark.parametrize(
    ("field", "typed", "sentence"),
    [
        (
            "rr",
            "30,5",
            "Respiratory rate 30.5 /min is not a whole number: enter a whole number from 1 to 80 /min",
        ),
        (
            "hr",
            "88.5",
            "Heart rate 88.5 /min is not a whole number: enter a whole number from 20 to 300 /min",
        ),
        ("spo2", "94,2", "SpO2 94.2 % is not a whole number: enter a whole number from 50 to 100 %"),
        (
            "temp",
            "38,45",
            "Temperature 38.45 °C has more than one decimal: enter it to one decimal, from 25 to 45 °C",
        ),
    ],
)
def test_a_reading_with_more_decimals_than_it_has_is_refused_saying_the_format(
    field: str, typed: str, sentence: str
) -> None:
    """A rate counts breaths or beats, a spot SpO2 and a cuff pressure read in whole units, a
    thermometer to a tenth: "30,5" is a typo, refused with the range and format, never rounded."""
    value = parse_number(typed, field)
    more = {"temp_site": "core"} if field == "temp" else {}
    with pytest.raises(VitalsError) as refused:
        validate(entry(**{field: value}, **more), NOW, REF)
    assert str(refused.value) == sentence


def test_a_cuff_pressure_with_a_fraction_is_refused() -> None:
    with pytest.raises(VitalsError, match=r"Systolic 120\.5 mmHg is not a whole number"):
        validate(entry(sys=120.5, dia=60), NOW, REF)
    with pytest.raises(VitalsError, match=r"Mean 80\.5 mmHg is not a whole number"):
        validate(entry(sys=120, dia=60, mean=80.5), NOW, REF)
    assert validate(entry(rr=30, temp=38.4, temp_site="core"), NOW, REF)  # whole counts, one decimal


@pytest.fixture
def spanish():  # type: ignore[no-untyped-def]
    from bedside import i18n

    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_a_refused_site_lists_the_sites_in_the_readers_language(spanish) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VitalsError) as refused:
        validate(entry(temp=38.4, temp_site="forehead"), NOW, REF)
    said = str(refused.value)
    assert "central, esofágica, vesical, rectal, timpánica, axilar, oral" in said
    assert "core" not in said and "oesophageal" not in said


def test_what_was_recorded_reads_in_the_readers_language(spanish) -> None:  # type: ignore[no-untyped-def]
    stored = validate(entry(temp=38.2, temp_site="tympanic", sys=85, dia=50, hr=112), NOW, REF)
    assert describe(stored).startswith("Temp 38.2 °C (tympanic), BP 85/50")  # the log's English line
    from bedside.vitals import reading_text

    said = reading_text({v.parameter: v.value for v in stored}, "tympanic", True)
    assert said == "Temperatura 38,2 °C (timpánica), PA 85/50 (62 calculada) mmHg, FC 112 /min"
