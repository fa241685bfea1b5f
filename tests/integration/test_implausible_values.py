"""A value that cannot be a measurement (not finite after conversion, beyond float32, outside the
parameter's physical range) quarantines its message with the reason: answered AE, the raw frame kept,
nothing stored as a vital sign, and every `--json` output stays JSON."""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import schema as t
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import func, select

from bedside.parameters import ParameterCatalog
from tests.helpers import PCD01_20OBX, adt_a01

T0 = 1_735_732_800.0  # the fixture's MSH-7, 2025-01-01 12:00 UTC
ABP_SYS = "|86|266016^MDC_DIM_MMHG^MDC|"


def message(control_id: str, abp_sys: str, unit: str = "266016^MDC_DIM_MMHG^MDC") -> bytes:
    text = PCD01_20OBX.read_bytes().decode().replace("GW000123", control_id)
    return text.replace(ABP_SYS, f"|{abp_sys}|{unit}|").encode()


def strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"{constant} in --json output")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def pipeline(engine):
    return IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: T0, UTC)


@pytest.mark.parametrize(
    ("value", "unit", "why"),
    [
        ("1e308", "265987^MDC_DIM_KILO_PASCAL^MDC", "not finite"),  # finite in kPa, inf in mm[Hg]
        ("-inf", "266016^MDC_DIM_MMHG^MDC", "not finite"),
        ("1e39", "266016^MDC_DIM_MMHG^MDC", "does not fit a stored value (float32)"),
        ("1e6", "266016^MDC_DIM_MMHG^MDC", "outside what it can physically be"),
    ],
)
def test_an_impossible_value_quarantines_its_message(pipeline, engine, value, unit, why) -> None:
    frame = message("BAD1", value, unit)
    result = pipeline.handle(frame, "10.0.0.9:5000")
    assert result.ack_code == "AE"
    assert result.observations == 0
    assert result.quarantine_reason is not None and why in result.quarantine_reason
    assert "abp_sys" in result.quarantine_reason and "OBX 5" in result.quarantine_reason
    assert why.encode() in result.ack  # the sender is told why
    m = t.inbound_message.c
    with engine.connect() as conn:
        row = conn.execute(select(m.raw, m.quarantine_code).where(m.id == result.message_id)).one()
        stored = conn.execute(select(func.count()).select_from(t.observation)).scalar_one()
    assert bytes(row.raw) == frame and row.quarantine_code == "implausible_value"
    assert stored == 0


def test_nan_text_is_no_value_and_the_rest_is_stored(pipeline) -> None:
    result = pipeline.handle(message("NAN1", "NaN"), "10.0.0.9:5000")
    assert result.ack_code == "AA" and result.quarantine_reason is None
    assert result.observations == 14  # the fixture's 15 values but the one that said NaN


def test_an_abnormal_value_is_still_a_measurement(pipeline) -> None:
    result = pipeline.handle(message("HIGH1", "310"), "10.0.0.9:5000")
    assert result.ack_code == "AA" and result.observations == 15


def test_json_outputs_never_carry_infinity(pipeline, db_url, capsys) -> None:
    admitted = pipeline.handle(adt_a01("ADM1", "SYNTHETIC^JANE").encode(), "10.0.0.9:5000")
    assert admitted.ack_code == "AA"  # MRN1 in ICU^07^1: the monitor's values are hers
    for n, (value, unit) in enumerate(
        [("1e308", "265987^MDC_DIM_KILO_PASCAL^MDC"), ("-inf", ""), ("NaN", ""), ("3.5e38", ""), ("86", "")]
    ):
        pipeline.handle(message(f"J{n}", value, unit or "266016^MDC_DIM_MMHG^MDC"), "10.0.0.9:5000")
    capsys.readouterr()
    for command in (
        ["stats", "--json"],
        ["devices", "--json"],
        ["observations", "--patient", "MRN1^HOSP", "--json"],
    ):
        cli_main(["--db", db_url, *command])
        out = capsys.readouterr().out
        assert out.strip(), command
        strict_json(out)
    cli_main(["--db", db_url, "stats", "--json"])
    stats = strict_json(capsys.readouterr().out)
    assert stats["messages_quarantined"] == 3  # type: ignore[index]
    cli_main(["--db", db_url, "observations", "--patient", "MRN1^HOSP", "--json"])
    assert "abp_sys" in capsys.readouterr().out  # the good message's values are hers
