from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from bedside_adapters.hl7.decode import normalise_segments
from bedside_adapters.hl7.dtm import DtmError, format_dtm, parse_dtm
from bedside_adapters.hl7.er7 import read_er7
from bedside_adapters.hl7.pcd01 import MappingError, read_pcd01

from bedside.parameters import ParameterCatalog
from tests.helpers import PCD01_20OBX

CATALOG = ParameterCatalog.load()
RECEIVED = 1735732800.5


def report(text: str, zone=UTC):
    return read_pcd01(read_er7(normalise_segments(text)), CATALOG, RECEIVED, zone)


@pytest.mark.parametrize("separator", ["\r", "\n", "\r\n"])
def test_gateway_message_maps_every_measurement(separator: str) -> None:
    r = report(PCD01_20OBX.read_bytes().decode().replace("\r", separator))
    by_param = {}
    for o in r.observations:
        by_param.setdefault(o.series.parameter, []).append(o)
    assert r.obx_total == 20
    assert sorted(by_param) == sorted(
        [
            "hr",
            "spo2",
            "pr_spo2",
            "abp_sys",
            "abp_dia",
            "abp_mean",
            "temp",
            "rr",
            "nibp_sys",
            "nibp_dia",
            "nibp_mean",
            "fio2",
            "peep",
            "ppeak",
        ]
    )
    assert len(r.observations) == 15
    assert r.skipped == {
        "hierarchy row": 2,
        "MDC code not in the parameter table": 1,  # a vendor-private code
        "DEMO-flagged value": 1,
    }
    assert [(s.key, s.value, s.device) for s in r.states] == [("vent_mode", "VC-AC", "VENT01")]
    assert sum(r.skipped.values()) + len(r.observations) + len(r.states) == r.obx_total
    hr = by_param["hr"][0]
    assert hr.value == 112.0
    assert hr.series.unit == "/min"
    assert hr.observed_at == datetime(2025, 1, 1, 11, 59, 58, tzinfo=UTC).timestamp()
    assert hr.received_at == RECEIVED
    assert hr.series.device == "MON01"  # the entity identifier of the MDS row's OBX-18
    assert by_param["fio2"][0].series.device == "VENT01"  # the ventilator MDS
    assert r.patient is not None and r.patient.ref.identifier == "MRN12345"
    assert r.patient.ref.authority == "HOSP"
    assert r.patient.location == "ICU · room 07 · bed 1"


def test_two_temperatures_that_differ_only_in_obx4_stay_two_series() -> None:
    temps = [
        o for o in report(PCD01_20OBX.read_bytes().decode()).observations if o.series.parameter == "temp"
    ]
    assert [(o.series.instance, o.value) for o in temps] == [("1.4.1.1", 38.9), ("1.4.1.2", 37.4)]
    assert temps[0].series != temps[1].series


def test_observation_time_falls_back_to_obr7() -> None:
    ppeak = next(
        o for o in report(PCD01_20OBX.read_bytes().decode()).observations if o.series.parameter == "ppeak"
    )
    assert ppeak.observed_at == datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC).timestamp()


def test_times_without_offset_are_in_the_senders_zone() -> None:
    text = PCD01_20OBX.read_bytes().decode().replace("+0000", "")
    berlin = ZoneInfo("Europe/Berlin")
    hr = next(o for o in report(text, berlin).observations if o.series.parameter == "hr")
    assert hr.observed_at == datetime(2025, 1, 1, 11, 59, 58, tzinfo=berlin).timestamp()


def test_refid_that_contradicts_the_code_is_not_trusted() -> None:
    text = (
        PCD01_20OBX.read_bytes().decode().replace("147842^MDC_ECG_HEART_RATE", "147842^MDC_PULS_OXIM_SAT_O2")
    )
    r = report(text)
    assert "hr" not in {o.series.parameter for o in r.observations}
    assert r.skipped["REFID does not match the MDC code"] == 1


def test_wrong_unit_and_sentinels_never_become_values() -> None:
    text = (
        PCD01_20OBX.read_bytes()
        .decode()
        .replace("|112|264864^MDC_DIM_BEAT_PER_MIN", "|112|266016^MDC_DIM_MMHG")
        .replace("|91|262688", "|-999|262688")
    )
    r = report(text)
    params = {o.series.parameter for o in r.observations}
    assert "hr" not in params and "spo2" not in params
    assert r.skipped["unit missing or not convertible to the parameter's unit"] == 1
    assert r.skipped["no numeric value"] == 1


def test_placeholder_patient_is_not_a_patient() -> None:
    text = PCD01_20OBX.read_bytes().decode().replace("MRN12345^^^HOSP^MR", "Unknown Patient^Unknown Patient")
    r = report(text)
    assert r.patient is None
    assert all(o.series.patient is None for o in r.observations)


def test_bad_msh7_is_a_mapping_error() -> None:
    with pytest.raises(MappingError):
        report(PCD01_20OBX.read_bytes().decode().replace("|20250101120000+0000||ORU", "|yesterday||ORU"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20250101120000+0000", datetime(2025, 1, 1, 12, tzinfo=UTC)),
        ("20250101120000.25-0130", datetime(2025, 1, 1, 13, 30, 0, 250000, tzinfo=UTC)),
        ("202501011200", datetime(2025, 1, 1, 12, tzinfo=UTC)),
        ("2025", datetime(2025, 1, 1, tzinfo=UTC)),
        ("20260727124424.0000+0000^S", datetime(2026, 7, 27, 12, 44, 24, tzinfo=UTC)),
    ],
)
def test_parse_dtm(text: str, expected: datetime) -> None:
    assert parse_dtm(text, UTC) == expected.timestamp()


@pytest.mark.parametrize("text", ["", "2025-01-01T12:00", "20251301", "20250101120000+9900", "x"])
def test_parse_dtm_rejects(text: str) -> None:
    with pytest.raises(DtmError):
        parse_dtm(text, UTC)


def test_format_dtm_round_trips() -> None:
    t = 1735732800.0
    assert format_dtm(t) == "20250101120000+0000"
    assert parse_dtm(format_dtm(t), ZoneInfo("Asia/Tokyo")) == t


def test_a_setting_is_kept_apart_from_the_measurement() -> None:
    text = (
        PCD01_20OBX.read_bytes()
        .decode()
        .replace(
            "OBX|16|NM|151976^MDC_VENT_PRESS_AWAY_END_EXP_POS^MDC",
            "OBX|16|NM|16929192^MDC_VENT_PRESS_AWAY_END_EXP_POS_SETTING^MDC",
        )
    )
    params = {o.series.parameter: o.value for o in report(text).observations}
    assert "peep" not in params and params["peep_set"] == 10.0


def test_other_units_are_converted_to_the_canonical_one_at_the_edge() -> None:
    text = (
        PCD01_20OBX.read_bytes()
        .decode()
        .replace("|38.9|268192^MDC_DIM_DEGC^MDC", "|102.02|266560^MDC_DIM_FAHR^MDC")
        .replace("|86|266016^MDC_DIM_MMHG^MDC", "|11.466|265987^MDC_DIM_KILO_PASCAL^MDC")
        .replace("|60|262688^MDC_DIM_PERCENT^MDC", "|0.6|262656^MDC_DIM_DIMLESS^MDC")
    )
    obs = {(o.series.parameter, o.series.instance): o for o in report(text).observations}
    temp = obs[("temp", "1.4.1.1")]
    assert temp.value == pytest.approx(38.9, abs=0.01) and temp.series.unit == "Cel"
    assert obs[("abp_sys", "1.3.1.150033")].value == pytest.approx(86.0, abs=0.01)
    fio2 = obs[("fio2", "2.1.1.152196")]
    assert fio2.value == pytest.approx(60.0) and fio2.series.unit == "%"
    # the same parameter sent in °F and in °C lands in one series: the unit is the canonical one
    assert temp.series.unit == obs[("temp", "1.4.1.2")].series.unit
