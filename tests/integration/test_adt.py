"""ADT and device bindings: device values end up on the right patient at the right times, through
admit, transfer, discharge, cancel and merge, whatever order the messages arrive in."""

from __future__ import annotations

from datetime import UTC

import numpy as np
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.pcd01 import SimulatedMonitor

from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog

T0 = 1_780_000_000.0
H = 3600.0
M1 = SimulatedMonitor(
    eui64="00000000000000M1", room="1", mrn="WRONG1", family_name="TYPED", given_name="On monitor"
)
M2 = SimulatedMonitor(
    eui64="00000000000000M2", room="2", mrn="WRONG2", family_name="TYPED", given_name="On monitor"
)


def adt(event: str, control: str, mrn: str, at: float, bed: str = "", extra: str = "") -> bytes:
    ts = format_dtm(at)
    return (
        f"MSH|^~\\&|ADT|HOSP|BEDSIDE|ICU|{ts}||ADT^{event}^ADT_A01|{control}|P|2.5\r"
        f"EVN|{event}|{ts}||||{ts}\rPID|||{mrn}^^^HOSP^MR||PATIENT^{mrn}\rPV1||I|{bed}\r{extra}"
    ).encode()


def values(store: SqlSeriesStore, mrn: str) -> dict[str, np.ndarray]:
    """The heart-rate times (s after T0) shown for a patient, per device."""
    out = {}
    for s in store.series_for(PatientRef(mrn, "HOSP"), ["hr"]):
        w = store.window(s, T0 - H, T0 + 4 * H)
        out[s.key.device] = w.times - T0
    return out


def test_adt_sequence_puts_device_values_on_the_right_patient(engine) -> None:
    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: T0 + 5 * H, UTC)

    def send(raw: bytes) -> None:
        assert p.handle(raw, "10.1.1.1:1").ack_code in ("AA", "CA"), raw[:80]

    # The monitors report every 10 min for 3 h, each from its own bed; what is typed into them is wrong.
    for i in range(19):
        t = T0 + i * 600
        send(M1.message(f"A{i}", t, {"hr": 80}).encode())
        send(M2.message(f"B{i}", t, {"hr": 90}).encode())
    # ADT arrives afterwards (a late interface): the values must re-attach by time.
    send(adt("A01", "1", "A", T0 + 0.5 * H, "ICU^1^1"))
    send(adt("A02", "2", "A", T0 + 1 * H, "ICU^2^1"))
    send(adt("A03", "3", "A", T0 + 2 * H))
    send(adt("A01", "4", "B", T0 + 1.5 * H, "ICU^1^1"))
    send(adt("A01", "5", "D", T0 + 2.5 * H, "ICU^2^1"))
    send(adt("A11", "6", "D", T0 + 2.6 * H))  # D's admission was a mistake

    store = SqlSeriesStore(engine)
    a = values(store, "A")
    assert a["00000000000000M1"].tolist() == [
        1800.0,
        2400.0,
        3000.0,
    ]  # bed 1 from 0:30 until the transfer at 1:00
    assert a["00000000000000M2"].tolist() == [
        3600.0,
        4200.0,
        4800.0,
        5400.0,
        6000.0,
        6600.0,
    ]  # bed 2 until discharge
    b = values(store, "B")
    assert b["00000000000000M1"].tolist() == [
        5400.0 + 600 * k for k in range(10)
    ]  # from 1:30 on, still there
    assert values(store, "D") == {}  # cancelled: nothing attaches
    assert values(store, "WRONG1") == {}  # the id typed into the monitor is never a patient

    # A40: B was a duplicate registration of A. Everything of B's is A's now.
    send(adt("A40", "7", "A", T0 + 4 * H, extra="MRG|B^^^HOSP^MR\r"))
    merged = values(store, "A")
    assert merged["00000000000000M1"].tolist() == [1800.0, 2400.0, 3000.0] + [
        5400.0 + 600 * k for k in range(10)
    ]
    assert values(store, "B") == {}


def test_transfer_cancel_and_discharge_cancel(engine) -> None:
    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: T0 + 5 * H, UTC)
    for i in range(19):
        t = T0 + i * 600
        p.handle(M1.message(f"A{i}", t, {"hr": 80}).encode(), "x:1")
        p.handle(M2.message(f"B{i}", t, {"hr": 90}).encode(), "x:1")
    for raw in (
        adt("A01", "1", "A", T0, "ICU^1^1"),
        adt("A02", "2", "A", T0 + 1 * H, "ICU^2^1"),
        adt("A12", "3", "A", T0 + 1.1 * H),  # the transfer did not happen: A stays in bed 1
        adt("A03", "4", "A", T0 + 2 * H),
        adt("A13", "5", "A", T0 + 2.1 * H),  # nor did the discharge
    ):
        assert p.handle(raw, "x:1").ack_code == "AA"
    a = values(SqlSeriesStore(engine), "A")
    assert set(a) == {"00000000000000M1"}
    assert a["00000000000000M1"].tolist() == [600.0 * k for k in range(19)]


def test_corpus_adt_messages_give_the_expected_patients_and_stays(engine) -> None:
    from datetime import datetime

    from bedside_adapters.db import schema as t
    from sqlalchemy import select

    from tests.helpers import CORPUS

    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: 1.7e9, UTC)
    names = ["adt_a01_hapi_docs.hl7", "adt_a08_lfh_test.hl7", "adt_a03_hapi_test.hl7", "adt_a02_lfh_test.hl7"]
    assert [p.handle((CORPUS / n).read_bytes(), "x:1").ack_code for n in names] == ["AA"] * 4
    with engine.connect() as conn:
        patients = {
            (r.identifier, r.authority): (r.family_name, r.given_name)
            for r in conn.execute(select(t.patient))
        }
        stays = conn.execute(
            select(t.bed_stay.c.patient_ref, t.bed_stay.c.bed, t.bed_stay.c.from_ms, t.bed_stay.c.to_ms)
        ).all()
    assert patients == {
        ("2216506", ""): ("Duck", "Donald"),
        ("555444222111", "MPI"): ("james", "anderson"),
        ("5520255", "PK"): ("ZZZ", "ZZZ"),
        ("1234", ""): ("DOE", "JANE"),
    }
    # Only the admission opens a stay (its time has no offset: the sender's zone, UTC here).
    admitted = datetime(2001, 5, 23, 19, 27, tzinfo=UTC).timestamp() * 1000
    assert [tuple(s) for s in stays] == [("2216506", "ZFAST TRACK^WAITING^13", admitted, None)]


def test_devices_show_unassigned_until_adt_covers_their_bed(engine, capsys) -> None:
    import json
    import time

    from bedside_adapters.cli import main as cli_main

    now = time.time()
    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: now, UTC)
    p.handle(M1.message("U1", now - 60, {"hr": 70}).encode(), "x:1")
    url = engine.url.render_as_string(hide_password=False)
    assert cli_main(["--db", url, "devices", "--json"]) == 0
    (device,) = json.loads(capsys.readouterr().out)
    assert (device["device"], device["bed"], device["patient_now"]) == (
        "00000000000000M1",
        "ICU^1^1",
        "unassigned",
    )
    p.handle(adt("A01", "1", "A", now - 3600, "ICU^1^1"), "x:1")
    assert cli_main(["--db", url, "devices", "--json"]) == 0
    (device,) = json.loads(capsys.readouterr().out)
    assert device["patient_now"] == "A^HOSP"
    store = SqlSeriesStore(engine)
    (series,) = store.series_for(PatientRef("A", "HOSP"), ["hr"])
    assert len(store.window(series, now - 7200, now)) == 1  # the value sent before the ADT re-attached
