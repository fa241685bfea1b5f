"""Raw retention drops the received bytes of old vital-sign frames, and of nothing else.

On SQLite and PostgreSQL (the `engine` fixture), through the real ingest pipeline.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from bedside_adapters.db import schema as t
from bedside_adapters.db.raw_frames import PRUNED, read_frame
from bedside_adapters.db.raw_retention import prune_raw
from bedside_adapters.db.raw_training import RawTrainer
from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.ingest.main import build_parser
from bedside_adapters.ingest.service import IngestService, IngestSettings
from sqlalchemy import func, select

from bedside.clock import to_ms
from bedside.parameters import ParameterCatalog
from tests.helpers import adt_a01
from tests.integration.test_raw_frames import T0, Feed

SYNTHETIC = Path(__file__).resolve().parents[1] / "data" / "synthetic"
DAY = 86400.0


def pump_rates(at: float) -> bytes:
    """A pump's PCD-01 report of its rate, as infusion pumps send it every minute."""
    ts, eui = format_dtm(at), "3333000000010001"
    return (
        "\r".join(
            [
                f"MSH|^~\\&|SIM_PUMP^{eui}^EUI-64|ICU_GW|BEDSIDE|ICU|{ts}||ORU^R01^ORU_R01|PMP1|P|2.6"
                "|||AL|NE||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO",
                "PID|||SIM4417^^^BEDSIDE_DEMO^MR||SYNTHETIC^Patient A",
                "PV1||I|ICU^12^1",
                f"OBR|1|PMP1^SIM_PUMP^{eui}^EUI-64|PMP1^SIM_PUMP^{eui}^EUI-64|182777000^monitoring of patient^SCT|||{ts}",
                f"OBX|1||69985^MDC_DEV_PUMP_INFUS_MDS^MDC|1.0.0.0|||||||X|||||||{eui}^^{eui}^EUI-64",
                f"OBX|2|NM|158014^MDC_FLOW_FLUID_PUMP_CURRENT^MDC|1.1.1.158014|12.5|265266^MDC_DIM_MILLI_L_PER_HR^MDC|||||R|||{ts}",
            ]
        )
        + "\r"
    ).encode()


def kinds(feed: Feed) -> dict[str, int]:
    """One frame of every kind raw retention must keep, all received at the clock's time."""
    files = {
        "lab": "lab_icu_panel_final.hl7",
        "alarm": "pcd04_alarm_start.hl7",
        "pump event": "pcd10_pump_delivery_start.hl7",
        "administration": "ras_o17_gravity_dose.hl7",
    }
    ids = {kind: feed.send((SYNTHETIC / name).read_bytes())[0] for kind, name in files.items()}
    ids["adt"] = feed.send(adt_a01("ADT-KEEP", "SYNTHETIC^Kept").encode())[0]
    ids["pump rates"] = feed.send(pump_rates(feed.now))[0]
    ids["quarantined"] = feed.send(
        b"MSH|^~\\&|ODD|ICU|BEDSIDE|ICU|20251124100000||ZZZ^Z99|Q1|P|2.6\rZZZ|1\r"
    )[0]
    return ids


def row(engine, message_id: int):  # type: ignore[no-untyped-def]
    """(format, prunable, quarantine code, the ACK as read back, stored size)."""
    m = t.inbound_message.c
    with engine.connect() as conn:
        fmt, prunable, code, size = conn.execute(
            select(m.raw_format, m.raw_prunable, m.quarantine_code, func.length(m.raw)).where(
                m.id == message_id
            )
        ).one()
    frame = read_frame(engine, message_id)
    assert frame is not None
    return fmt, prunable, code, frame.ack, size


def test_only_old_vital_sign_frames_lose_their_bytes(engine) -> None:
    feed = Feed(engine)
    old_id, old_frame, old_ack = feed.vitals()
    kept = kinds(feed)
    feed.now = T0 + 10 * DAY
    new_id, new_frame, _ = feed.vitals()
    with engine.connect() as conn:
        values_before = conn.execute(select(func.count()).select_from(t.observation)).scalar_one()

    result = prune_raw(engine, to_ms(T0 + 5 * DAY))

    assert result.frames == 1 and result.bytes > 0
    fmt, prunable, _, ack, size = row(engine, old_id)
    assert (fmt, prunable, size) == (PRUNED, True, 0)
    assert ack.encode() == old_ack  # the row and its ACK stay
    for kind, message_id in kept.items():
        fmt, prunable, code, _, _ = row(engine, message_id)
        assert (kind, fmt, prunable) != (kind, PRUNED, True) and not prunable, kind
        if kind not in ("pump event", "administration", "quarantined"):
            assert code is None, f"the {kind} frame was accepted, so the rule (not quarantine) kept it"
        read = read_frame(engine, message_id)
        assert read is not None and read.intact, kind
    assert row(engine, kept["quarantined"])[2] is not None
    read = read_frame(engine, new_id)
    assert read is not None and read.raw == new_frame  # not old enough
    with engine.connect() as conn:  # the values are the numerics' retention's, not this one's
        assert conn.execute(select(func.count()).select_from(t.observation)).scalar_one() == values_before

    # A pruned frame resent is still recognised: the stored ACK, nothing stored twice.
    feed.now = T0 + 11 * DAY
    resent = feed.pipeline.handle(old_frame, "127.0.0.1:5000")
    assert resent.duplicate and resent.ack == old_ack
    # Walking again (from where the last walk stopped, or from the start) prunes nothing more.
    assert prune_raw(engine, to_ms(T0 + 5 * DAY), after=result.after).frames == 0
    assert prune_raw(engine, to_ms(T0 + 5 * DAY)).frames == 0


def test_the_walk_goes_in_batches_and_stops_at_the_cut_off(engine) -> None:
    feed = Feed(engine)
    old = [feed.vitals()[0] for _ in range(7)]
    feed.now = T0 + 10 * DAY
    new = [feed.vitals()[0] for _ in range(5)]
    result = prune_raw(engine, to_ms(T0 + 5 * DAY), batch=3)
    assert result.frames == 7
    assert [row(engine, i)[0] for i in old] == [PRUNED] * 7
    assert PRUNED not in [row(engine, i)[0] for i in new]
    assert result.after == new[0] - 1  # the next walk starts at the first frame not yet old enough


def test_every_pump_parameter_is_named_as_raw_retention_expects() -> None:
    """Raw retention keeps a frame with any pump parameter by the key's prefix (ingest_store)."""
    catalog = ParameterCatalog.load()
    parameters = list(catalog)
    pumps = [p.key for p in parameters if p.group == "pump"]
    assert pumps and all(k.startswith("pump_") for k in pumps)
    assert not [p.key for p in parameters if p.group != "pump" and p.key.startswith("pump_")]


def test_the_ingest_service_prunes_raw_frames_by_its_own_setting(engine) -> None:
    feed = Feed(engine)
    old_id = feed.vitals()[0]
    lab_id = feed.send((SYNTHETIC / "lab_icu_panel_final.hl7").read_bytes())[0]
    # The numerics' retention is off: raw retention does not need it, nor touch what it keeps.
    settings = IngestSettings(raw_retention_days=30, retention_days=None, alerting="off", sender_zone=UTC)
    service = IngestService(engine, settings, clock=lambda: T0 + 31 * DAY)
    service._prune()
    assert row(engine, old_id)[0] == PRUNED
    assert row(engine, lab_id)[0] != PRUNED
    assert build_parser().parse_args(["--raw-retention-days", "30"]).raw_retention_days == 30


def test_the_trainer_thread_trains_a_dictionary_the_store_then_uses(engine) -> None:
    feed = Feed(engine)
    for _ in range(60):
        feed.vitals()
    trainer = RawTrainer(engine, feed.store.raw, lambda: T0, interval=0.001, min_frames=50).start()
    try:
        assert trainer.wait_for(1, timeout=60)
    finally:
        trainer.stop()
    assert trainer.trained == [1]
    message_id = feed.vitals()[0]
    m = t.inbound_message.c
    with engine.connect() as conn:
        used = conn.execute(select(m.raw_dictionary_id).where(m.id == message_id)).scalar_one()
    assert used == 1
