"""Times far from the receive time (a device clock in 9999 or 1800) are clock faults: the message is
quarantined (AE, raw kept), counted on its feed and in `stats`, shown on the feed line, and none of
its times reaches a trend, the alerting process's newest minute or a device's bed binding."""

from __future__ import annotations

import io
import json
import marshal
import re
from datetime import UTC

import pytest
from bedside_adapters.alerting.notices import Bed
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import schema as t
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.ingest import prepared_codec
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.ingest.read_ahead import ReadAhead, reader_settings
from bedside_adapters.ingest.read_worker import read_record, serve, write_record
from sqlalchemy import func, select

from bedside.clock_window import DAY, ClockWindow
from bedside.feeds import FeedPace, assess_feed
from bedside.nurse_screen import feed_chips
from bedside.parameters import ParameterCatalog
from tests.helpers import PCD01_20OBX

NOW = 1_796_000_000.0  # 2026-11-30, the receive time of every message here
TIMES = re.compile(r"2025010111\d{4}\+0000|20250101120000\+0000")
MONITOR = "MON01"  # the fixture's monitor (OBX-18 of its MDS row)


def message(control_id: str, at: float, msh7: str | None = None, obx14: str | None = None) -> bytes:
    """The 20-OBX gateway message with every time set to `at`, or MSH-7 / OBX-14 as given."""
    text = PCD01_20OBX.read_bytes().decode().replace("GW000123", control_id)
    text = TIMES.sub(format_dtm(at), text)
    if msh7 is not None:
        text = text.replace(f"|{format_dtm(at)}||ORU^R01", f"|{msh7}||ORU^R01", 1)
    if obx14 is not None:
        text = text.replace("|R|||" + format_dtm(at), "|R|||" + obx14)
    return text.encode()


@pytest.fixture
def pipeline(engine):
    return IngestPipeline(
        IngestStore(engine), ParameterCatalog.load(), lambda: NOW, UTC, clock_window=ClockWindow()
    )


def bindings(engine) -> list[tuple[str, str, int, int | None]]:
    b = t.device_binding.c
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(b.device, b.bed, b.from_ms, b.to_ms).order_by(b.id))]


def observation_count(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.observation)).scalar_one())


@pytest.mark.parametrize(
    ("msh7", "obx14", "why"),
    [
        (None, "99991231235959+0000", "observation time (OBX-14) 9999-12-31 23:59:59 UTC is"),
        ("99991231235959+0000", None, "MSH-7 9999-12-31 23:59:59 UTC is"),
        (None, "18000101000000+0000", "observation time (OBX-14) 1800-01-01 00:00:00 UTC is"),
        (None, format_dtm(NOW + DAY + 60), "24.0 h ahead of the receive time"),
        (None, format_dtm(NOW - 366 * DAY), "366 days behind the receive time"),
    ],
)
def test_a_time_outside_the_window_quarantines_the_message(pipeline, engine, msh7, obx14, why) -> None:
    frame = message("CF1", NOW, msh7, obx14)
    result = pipeline.handle(frame, "10.0.0.9:5000")
    assert result.ack_code == "AE"
    assert result.quarantine_reason is not None and why in result.quarantine_reason
    assert result.quarantine_reason.startswith("clock fault: ")
    assert result.observed_until is None and result.whose is None  # nothing for the rule engine
    m = t.inbound_message.c
    with engine.connect() as conn:
        row = conn.execute(select(m.raw, m.quarantine_code).where(m.id == result.message_id)).one()
    assert bytes(row.raw) == frame and row.quarantine_code == "clock_fault"
    assert observation_count(engine) == 0 and bindings(engine) == []


def test_times_inside_the_window_are_believed(pipeline) -> None:
    for n, at in enumerate((NOW + DAY - 60, NOW - 364 * DAY)):
        result = pipeline.handle(message(f"OK{n}", NOW, obx14=format_dtm(at)), "10.0.0.9:5000")
        assert result.ack_code == "AA", result.quarantine_reason
        assert result.observations == 15


def test_year_1800_does_not_move_the_bed_binding(pipeline, engine) -> None:
    assert pipeline.handle(message("B1", NOW - 120), "10.0.0.9:5000").ack_code == "AA"
    bound = bindings(engine)
    assert (MONITOR, "ICU^07^1", int((NOW - 120) * 1000), None) in bound
    late = pipeline.handle(message("B2", NOW, obx14="18000101000000+0000"), "10.0.0.9:5000")
    assert late.ack_code == "AE"
    assert bindings(engine) == bound  # the start stays where the believable values put it


def test_year_9999_then_a_normal_message_closes_minutes_on_time(pipeline) -> None:
    future = pipeline.handle(message("F1", NOW, msh7="99991231235959+0000"), "10.0.0.9:5000")
    assert future.ack_code == "AE" and future.observed_until is None
    normal = pipeline.handle(message("F2", NOW), "10.0.0.9:5000")
    assert normal.ack_code == "AA" and normal.observed_until == pytest.approx(NOW)
    assert normal.whose == Bed("ICU^07^1")


def test_clock_faults_in_stats_and_on_the_feed_line(pipeline, engine, db_url, capsys) -> None:
    pipeline.handle(message("S1", NOW), "10.0.0.9:5000")
    pipeline.handle(message("S2", NOW, msh7="99991231235959+0000"), "10.0.0.9:5000")
    pipeline.handle(message("S3", NOW, obx14="18000101000000+0000"), "10.0.0.9:5000")
    capsys.readouterr()
    cli_main(["--db", db_url, "stats", "--json"])
    stats = json.loads(capsys.readouterr().out)
    assert stats["clock_faults"] == 2
    gateway = "GW^0012345678ABCDEF^EUI-64 @ ICU_GW"
    assert stats["senders"][gateway]["quarantined_by_reason"] == {"clock_fault": 2}
    fault = stats["clock_faults_by_sender"][gateway]
    assert fault["messages"] == 2 and fault["last_at"] == pytest.approx(NOW)
    assert fault["last_reason"].startswith("clock fault: observation time (OBX-14) 1800-01-01")
    cli_main(["--db", db_url, "stats"])
    text = capsys.readouterr().out
    assert re.search(r"^messages with a clock fault +2$", text, re.M)
    assert f"clock faults of {gateway}: 2, the last: clock fault: observation time (OBX-14) 1800" in text

    feeds = SqlSeriesStore(engine).feed_activity(now=NOW + 300)
    chips = feed_chips([assess_feed(a, NOW + 300, 15.0) for a in feeds], FeedPace(), NOW + 300)
    faults = [c for c in chips if "clock fault" in c.text]
    assert len(faults) == 1 and faults[0].technical
    assert faults[0].text == (
        "■ GW: clock fault 5 min ago (2 messages refused so far): "
        "observation time (OBX-14) 1800-01-01 00:00:00 UTC is 82,878 days behind"
    )
    later = NOW + 2 * 3600  # an hour after the last fault the line no longer says it
    chips = feed_chips([assess_feed(a, later, 15.0) for a in feeds], FeedPace(), later)
    assert not any("clock fault" in c.text for c in chips)


def test_without_a_window_every_time_is_believed(engine) -> None:
    """`bedside-cli import` and other callers that read old files pass no window."""
    plain = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: NOW, UTC)
    result = plain.handle(message("W1", NOW - 3 * 365 * DAY), "10.0.0.9:5000")
    assert result.ack_code == "AA"


def test_the_read_ahead_process_applies_the_same_window() -> None:
    """Frames read in the read-ahead process are judged as on the listener (its settings travel)."""
    settings = ReadAhead(reader_settings(UTC, "utf-8", {}, None, ClockWindow()))._settings
    frames = [message("RA1", NOW), message("RA2", NOW, msh7="99991231235959+0000")]
    inp = io.BytesIO()
    write_record(inp, settings)
    write_record(inp, marshal.dumps([(n, f, "10.0.0.9:5000", NOW) for n, f in enumerate(frames)]))
    inp.seek(0)
    out = io.BytesIO()
    serve(inp, out)
    out.seek(0)
    read_record(out)  # READY
    answers = marshal.loads(read_record(out) or b"")
    prepared = [prepared_codec.decode(kind, payload, frames[n]) for n, kind, payload in answers]
    assert [p.message.quarantine_code for p in prepared] == [None, "clock_fault"]
