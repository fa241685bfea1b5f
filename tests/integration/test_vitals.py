"""Vital signs entered by hand through `bedside-cli vitals`, in a real database: stored as manual
series with their safety-log entry, refused with one line when wrong, read by the rule engine."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from bedside_adapters.alerting.loader import load_patient_data
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import schema as t
from bedside_adapters.db.compaction import compact_all
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.db.safety_store import log_listing, verify_log
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import func, select

from bedside.clock import to_ms
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet
from tests.helpers import adt_a01
from tests.signed_in import signed_in

REF = "MRN1^HOSP"


@pytest.fixture
def url(engine) -> str:
    """A database with one admitted patient (MRN1, authority HOSP) and nothing else."""
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), time.time, UTC)
    assert pipeline.handle(adt_a01("ADT1", "DOE^JANE").encode(), "127.0.0.1:9").ack_code == "AA"
    return engine.url.render_as_string(hide_password=False)


def cli(url: str, *args: str) -> int:
    return cli_main(["--db", url, *args])


def minutes_ago(n: float) -> tuple[float, str]:
    at = float(int(time.time() - n * 60))
    return at, datetime.fromtimestamp(at, UTC).isoformat()


def test_cli_stores_manual_vitals_with_their_log_entry(url, engine, capsys) -> None:
    at, when = minutes_ago(20)
    args = ["--temp", "38.4", "--temp-site", "core", "--sys", "85", "--dia", "50", "--spo2", "91"]
    rc = cli(
        url,
        "vitals",
        "--patient",
        "MRN1",
        "--at",
        when,
        *signed_in(url, "RN Ada"),
        *args,
        "--hr",
        "120",
        "--rr",
        "28",
        "--json",
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["patient"], out["at"], out["by"]) == (REF, at, "RN Ada")
    stored = {v["parameter"]: v for v in out["values"]}
    assert {k: v["value"] for k, v in stored.items()} == {
        "temp": 38.4,
        "nibp_sys": 85.0,
        "nibp_dia": 50.0,
        "nibp_mean": 61.7,
        "spo2": 91.0,
        "hr": 120.0,
        "rr": 28.0,
    }
    assert stored["nibp_mean"]["computed"] and stored["temp"]["instance"] == "core"
    with engine.connect() as conn:
        series = {r.id: r for r in conn.execute(select(t.series).where(t.series.c.device == "manual"))}
        rows = conn.execute(select(t.observation).where(t.observation.c.series_id.in_(list(series)))).all()
    # Ordinary observations of series whose identity says "manual"; no message behind them.
    assert {(s.patient_ref, s.parameter, s.unit, s.instance) for s in series.values()} == {
        (REF, "temp", "Cel", "core"),
        (REF, "nibp_sys", "mm[Hg]", ""),
        (REF, "nibp_dia", "mm[Hg]", ""),
        (REF, "nibp_mean", "mm[Hg]", ""),
        (REF, "spo2", "%", ""),
        (REF, "hr", "/min", ""),
        (REF, "rr", "/min", ""),
    }
    assert len(rows) == 7 and {r.observed_ms for r in rows} == {to_ms(at)}
    assert all(r.message_id is None for r in rows)
    (entry,) = [e for e in log_listing(engine, MrnQuery("MRN1")) if e["kind"] == "vitals.recorded"]
    assert (entry["actor"], entry["patient"]) == ("RN Ada", REF)
    assert entry["payload"]["values"]["temp"] == 38.4 and entry["payload"]["temp_site"] == "core"
    assert entry["payload"]["observed_at"] == at and entry["payload"]["mean_computed"] is True
    assert sorted(entry["payload"]["observations"]) == sorted(v["observation"] for v in out["values"])
    assert entry["seq"] == out["safety_log_seq"]
    assert verify_log(engine).ok

    # Without --json: one readable line. A second entry goes into the same series.
    _, later = minutes_ago(5)
    assert (
        cli(
            url,
            "vitals",
            "--patient",
            REF,
            "--at",
            later,
            *signed_in(url, "RN Ada"),
            "--temp",
            "38,9",
            "--temp-site",
            "core",
        )
        == 0
    )
    line = capsys.readouterr().out.strip()
    assert (
        line.startswith(f"recorded for {REF} at ")
        and "by RN Ada (intensivist): Temperature 38.9 °C (core)" in line
    )
    with engine.connect() as conn:
        assert (
            conn.execute(
                select(func.count()).select_from(t.series).where(t.series.c.device == "manual")
            ).scalar_one()
            == 7
        )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--patient", "MRN1", "--at", "now"], "enter at least one value"),
        (
            ["--patient", "MRN1", "--at", "now", "--temp", "384", "--temp-site", "core"],
            "Temperature 384 °C is outside 25-45 °C",
        ),
        (["--patient", "MRN1", "--at", "now", "--spo2", "120"], "SpO2 120 % is outside"),
        (["--patient", "MRN1", "--at", "now", "--sys", "85"], "needs both systolic and diastolic"),
        (["--patient", "MRN1", "--at", "now", "--temp", "38.4"], "give the temperature's site"),
        (["--patient", "MRN1", "--at", "now", "--hr", "12O"], "--hr: '12O' is not a number"),
        (["--patient", "NOBODY", "--at", "now", "--hr", "80"], "no patient 'NOBODY' in this database"),
        (
            ["--patient", "MRN1", "--at", "yesterday 10:00", "--hr", "80"],
            "is not a date and time: use ISO 8601",
        ),
        (
            ["--patient", "MRN1", "--at", "2026-13-01T10:00", "--hr", "80"],
            "is not a date and time: use ISO 8601",
        ),
        (["--patient", "MRN1", "--at", "2099-01-01T10:00", "--hr", "80"], "is in the future"),
    ],
)
def test_cli_refusals_are_one_line_and_store_nothing(url, engine, capsys, args, says) -> None:
    assert cli(url, "vitals", *signed_in(url, "RN Ada"), *args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bedside-cli: ") and says in lines[0], captured.err
    with engine.connect() as conn:
        assert (
            conn.execute(
                select(func.count()).select_from(t.series).where(t.series.c.device == "manual")
            ).scalar_one()
            == 0
        )
        assert (
            conn.execute(
                select(func.count()).select_from(t.safety_log).where(t.safety_log.c.kind == "vitals.recorded")
            ).scalar_one()
            == 0
        )


def test_the_rule_engine_reads_manual_values(url, engine, capsys) -> None:
    at, when = minutes_ago(30)
    assert (
        cli(
            url,
            "vitals",
            "--patient",
            "MRN1",
            "--at",
            when,
            *signed_in(url, "RN Ada"),
            "--temp",
            "38.6",
            "--temp-site",
            "tympanic",
            "--sys",
            "82",
            "--dia",
            "48",
            "--spo2",
            "89",
        )
        == 0
    )
    capsys.readouterr()
    rules = RuleSet.load()
    for compacted in (False, True):  # from the staging rows, then from the hour chunks
        if compacted:
            compact_all(engine, to_ms(time.time()))
        data = load_patient_data(engine, rules, PatientRef.parse(REF), at - 3600, at + 3600)
        # A tympanic reading is the peripheral temperature the rules read where no core value exists.
        readings = (("temp_peripheral", 38.6), ("nibp_sys", 82.0), ("nibp_dia", 48.0), ("spo2", 89.0))
        for parameter, value in readings:
            (samples,) = data.parameters[parameter]
            assert samples.device == "manual", parameter
            assert list(samples.times) == [at] and samples.values[0] == pytest.approx(value), parameter
        assert data.parameters["nibp_mean"][0].values[0] == pytest.approx(59.3, abs=0.01)
    # The patient's series as every reader sees them: whole (owned by the patient), never clipped.
    series = SqlSeriesStore(engine).series_for(PatientRef("MRN1", "HOSP"), ["temp_peripheral"])
    assert [(s.key.device, s.key.instance, s.attached) for s in series] == [("manual", "tympanic", None)]


def test_the_last_hand_entered_time_is_read_from_staging_rows_and_from_compacted_chunks(engine) -> None:
    """What a death correction is checked against: the newest hand-entered value, whether still a
    staging row or already folded into an hour chunk by the compactor."""
    from bedside_adapters.db.vitals_store import last_manual_time, store_manual_values

    from bedside.vitals import ManualValue

    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), time.time, UTC)
    assert pipeline.handle(adt_a01("ADT1", "DOE^JANE").encode(), "127.0.0.1:9").ack_code == "AA"
    now = float(int(time.time()))
    with engine.begin() as conn:
        assert last_manual_time(conn, PatientRef.parse(REF)) is None
        store_manual_values(conn, PatientRef.parse(REF), [ManualValue("hr", "/min", 80.0)], now - 7200, now)
        assert last_manual_time(conn, PatientRef.parse(REF)) == now - 7200
    compact_all(engine, to_ms(now + 3600))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.observation)).scalar_one() == 0
        assert last_manual_time(conn, PatientRef.parse(REF)) == now - 7200
    with engine.begin() as conn:
        store_manual_values(conn, PatientRef.parse(REF), [ManualValue("hr", "/min", 82.0)], now - 9000, now)
        assert (
            last_manual_time(conn, PatientRef.parse(REF)) == now - 7200
        )  # the older staging row does not win
