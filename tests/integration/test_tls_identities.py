"""MLLP over TLS: a client certificate may send only as the senders the site bound it to, its subject
is kept with each message, and refused handshakes are logged (once per address per minute).

Real TLS sockets against the real ingest service; the CA and the certificates are made per test."""

from __future__ import annotations

import json
import logging
import ssl
import threading
from datetime import UTC, datetime

import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import message_senders
from bedside_adapters.db import schema as t
from bedside_adapters.db.raw_frames import read_frame
from bedside_adapters.mllp.client import MllpClient, MllpError, ack_fields
from bedside_adapters.mllp.framing import frame
from sqlalchemy import select

from tests.conftest import running_ingest
from tests.helpers import adt_a01
from tests.helpers import pcd01 as pcd01_of_2025
from tests.tls_pki import Issued, TestCA

BINDINGS = """
[certificate."monitor-gw-01"]
sending_application = ["GW"]
sending_facility = ["ICU_GW"]

[certificate."lab-gw.hospital.example"]
sending_application = ["LAB"]
"""


@pytest.fixture
def pki(tmp_path):
    ca = TestCA(tmp_path / "pki")
    files = {
        "ca": ca,
        "server": ca.issue(
            "server", "ingest.icu.example", dns=("localhost",), ips=("127.0.0.1",), server=True
        ),
        "monitor": ca.issue("monitor", "monitor-gw-01"),
        "lab": ca.issue(
            "lab", "Laboratory gateway", dns=("lab-gw.hospital.example",), organization="General Hospital"
        ),
        "printer": ca.issue("printer", "printer-07"),
    }
    bindings = tmp_path / "tls-senders.toml"
    bindings.write_text(BINDINGS, encoding="utf-8")
    files["bindings"] = bindings
    return files


def tls_settings(pki, bindings: bool = True, **more):
    return {
        "listen": (),
        "tls_listen": (("127.0.0.1", 0),),
        "tls_cert": str(pki["server"].cert),
        "tls_key": str(pki["server"].key),
        "tls_client_ca": str(pki["ca"].cert),
        "tls_senders": str(pki["bindings"]) if bindings else None,
        **more,
    }


def client_context(ca: TestCA, client: Issued | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(ca.cert))
    if client is not None:
        ctx.load_cert_chain(str(client.cert), str(client.key))
    return ctx


def _today(message: bytes) -> bytes:
    """The message dated today (its times are 2025's): times that far back are clock faults."""
    return message.replace(b"20250101", datetime.now(UTC).strftime("%Y%m%d").encode())


def pcd01(control_id: str) -> bytes:
    """The synthetic gateway's PCD-01 (MSH-3 GW^…, MSH-4 ICU_GW)."""
    return _today(pcd01_of_2025(control_id))


def lab_adt(control: str, name: str) -> bytes:
    """An ADT^A01 as the laboratory's system (MSH-3 LAB, MSH-4 HOSP) sends it."""
    return _today(adt_a01(control, name).replace("|GW|HOSP|", "|LAB|HOSP|").encode())


def err_segment(reply: bytes) -> str:
    return next(s for s in reply.decode().split("\r") if s.startswith("ERR|"))


def rows(engine, *where):
    m = t.inbound_message.c
    stmt = (
        select(
            m.control_id,
            message_senders.name.label("sender"),
            m.ack_code,
            m.quarantine_code,
            m.quarantine_reason,
            m.tls_subject,
            m.id,
        )
        .select_from(message_senders.joined())
        .order_by(m.id)
    )
    with engine.connect() as conn:
        return [r._asdict() for r in conn.execute(stmt.where(*where))]


def family_names(engine) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(select(t.patient.c.family_name))}


def test_a_certificate_sends_only_as_the_senders_it_is_bound_to(engine, db_url, pki) -> None:
    impostor = lab_adt("LAB-7", "IMPOSTOR^EVE")
    with running_ingest(engine, db_url, **tls_settings(pki)) as ing:
        host, port = ing.service.tls_addresses[0]
        with MllpClient(host, port, tls=client_context(pki["ca"], pki["monitor"])) as monitor:
            assert ack_fields(monitor.send(pcd01("GW-1"))) == ("AA", "GW-1")
            # The fault: the monitor gateway's certificate sending as the laboratory was stored as its.
            reply = monitor.send(impostor)
            assert ack_fields(reply) == ("AR", "LAB-7")
            err = err_segment(reply)
            assert "certificate CN=monitor-gw-01 may not send as MSH-3 'LAB'" in err
            # Its own MSH-3 with another facility is not its either.
            other = pcd01("GW-2").replace(b"|ICU_GW|", b"|OR_GW|")
            assert ack_fields(monitor.send(other)) == ("AR", "GW-2")
        # Never stored as data: the patient the impostor named is not there.
        assert "IMPOSTOR" not in family_names(engine)
        # The laboratory's certificate, bound by the DNS name in its subjectAltName.
        with MllpClient(host, port, tls=client_context(pki["ca"], pki["lab"])) as lab:
            assert ack_fields(lab.send(lab_adt("LAB-1", "REAL^PATIENT"))) == ("AA", "LAB-1")
            assert "REAL" in family_names(engine)
            # The very bytes the impostor sent, now from the laboratory: stored, not a "duplicate"
            # of the refused copy (which would answer it AR and lose it).
            assert ack_fields(lab.send(impostor)) == ("AA", "LAB-7")
            assert ack_fields(lab.send(pcd01("GW-3"))) == ("AR", "GW-3")
        # A certificate of this CA that the site bound to nothing: every message refused.
        with MllpClient(host, port, tls=client_context(pki["ca"], pki["printer"])) as printer:
            reply = printer.send(pcd01("GW-4"))
            assert ack_fields(reply) == ("AR", "GW-4")
            assert "certificate CN=printer-07 is bound to no sender" in err_segment(reply)

    stored = rows(engine)
    by_id = {}
    for r in stored:
        by_id.setdefault(r["control_id"], []).append(r)
    monitor_subject, lab_subject = "CN=monitor-gw-01", "CN=Laboratory gateway,O=General Hospital"
    assert [(r["ack_code"], r["tls_subject"]) for r in by_id["GW-1"]] == [("AA", monitor_subject)]
    assert [(r["ack_code"], r["tls_subject"]) for r in by_id["LAB-1"]] == [("AA", lab_subject)]
    refused_lab7, accepted_lab7 = by_id["LAB-7"]
    # Kept raw in quarantine with the reason, under a sender name of its own (never "LAB").
    assert refused_lab7["quarantine_code"] == "tls_sender_not_allowed"
    assert refused_lab7["ack_code"] == "AR"
    assert read_frame(engine, refused_lab7["id"]).raw == impostor  # type: ignore[union-attr]
    assert refused_lab7["sender"] == f"(refused for {monitor_subject}: LAB @ HOSP)"
    assert "may not send as MSH-3 'LAB'" in refused_lab7["quarantine_reason"]
    assert refused_lab7["tls_subject"] == monitor_subject
    assert (accepted_lab7["sender"], accepted_lab7["ack_code"], accepted_lab7["tls_subject"]) == (
        "LAB @ HOSP",
        "AA",
        lab_subject,
    )
    assert [r["quarantine_code"] for r in by_id["GW-2"] + by_id["GW-3"] + by_id["GW-4"]] == [
        "tls_sender_not_allowed"
    ] * 3


def test_stats_and_the_message_listing_show_each_certificate(engine, db_url, pki, capsys) -> None:
    with running_ingest(engine, db_url, **tls_settings(pki)) as ing:
        host, port = ing.service.tls_addresses[0]
        with MllpClient(host, port, tls=client_context(pki["ca"], pki["monitor"])) as monitor:
            assert ack_fields(monitor.send(pcd01("GW-1")))[0] == "AA"
            assert ack_fields(monitor.send(lab_adt("LAB-9", "IMPOSTOR^EVE")))[0] == "AR"
    capsys.readouterr()
    assert cli_main(["--db", db_url, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["tls_subjects"] == {
        "CN=monitor-gw-01": {
            "messages_received": 2,
            "messages_acknowledged": 1,
            "messages_refused": 1,
            "senders": ["GW^0012345678ABCDEF^EUI-64 @ ICU_GW"],
        }
    }
    assert cli_main(["--db", db_url, "stats"]) == 0
    assert "certificate CN=monitor-gw-01: received 2" in capsys.readouterr().out
    assert cli_main(["--db", db_url, "messages", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert [(m["control_id"], m["tls_subject"], m["ack_code"]) for m in listing] == [
        ("LAB-9", "CN=monitor-gw-01", "AR"),
        ("GW-1", "CN=monitor-gw-01", "AA"),
    ]
    assert cli_main(["--db", db_url, "messages", "--quarantined"]) == 0
    text = capsys.readouterr().out
    assert "[CN=monitor-gw-01]" in text and "tls_sender_not_allowed" in text and "GW-1" not in text


def test_without_bindings_the_subject_is_still_kept(sqlite_engine, sqlite_url, pki) -> None:
    with running_ingest(sqlite_engine, sqlite_url, **tls_settings(pki, bindings=False)) as ing:
        host, port = ing.service.tls_addresses[0]
        with MllpClient(host, port, tls=client_context(pki["ca"], pki["printer"])) as printer:
            assert ack_fields(printer.send(pcd01("GW-1")))[0] == "AA"
    assert [r["tls_subject"] for r in rows(sqlite_engine)] == ["CN=printer-07"]
    # The service's heartbeat names its TLS address (it has no plain one).
    with sqlite_engine.connect() as conn:
        listen = conn.execute(select(t.ingest_heartbeat.c.listen)).scalar_one()
    assert listen == f"{host}:{port}/tls"


def test_frames_read_ahead_are_checked_too(sqlite_engine, sqlite_url, pki) -> None:
    """Pipelined frames are read in the read-ahead process: its results are checked as well."""
    settings = tls_settings(pki, read_ahead=True)
    with running_ingest(sqlite_engine, sqlite_url, **settings) as ing:
        host, port = ing.service.tls_addresses[0]
        messages = [pcd01(f"GW-{i}") if i % 2 else lab_adt(f"LAB-{i}", "IMPOSTOR^EVE") for i in range(12)]
        with MllpClient(host, port, tls=client_context(pki["ca"], pki["monitor"])) as monitor:
            monitor.send_raw(b"".join(frame(m) for m in messages))
            answers = [ack_fields(monitor.receive()) for _ in messages]
        assert ing.service.read_ahead is not None
    assert answers == [("AA", f"GW-{i}") if i % 2 else ("AR", f"LAB-{i}") for i in range(12)]
    refused = rows(sqlite_engine, t.inbound_message.c.quarantine_code == "tls_sender_not_allowed")
    assert len(refused) == 6
    assert all(r["tls_subject"] == "CN=monitor-gw-01" for r in rows(sqlite_engine))


class _Lines(logging.Handler):
    """The listener's log lines about refused handshakes, as they are written."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.first = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        line = record.getMessage()
        if "TLS handshake" in line:
            self.lines.append(line)
            self.first.set()


def test_refused_handshakes_are_logged_once_per_address_per_minute(
    sqlite_engine, sqlite_url, pki, tmp_path
) -> None:
    stranger_ca = TestCA(tmp_path / "other", "Another CA")
    stranger = stranger_ca.issue("stranger", "monitor-gw-01")  # the right name, from a CA not trusted
    lines = _Lines()
    logger = logging.getLogger("bedside_adapters.mllp.tls_identity")
    logger.addHandler(lines)
    try:
        with running_ingest(sqlite_engine, sqlite_url, **tls_settings(pki)) as ing:
            host, port = ing.service.tls_addresses[0]
            for i in range(3):
                with (
                    pytest.raises((ssl.SSLError, MllpError, OSError)),
                    MllpClient(host, port, timeout=10, tls=client_context(pki["ca"], stranger)) as client,
                ):
                    client.send(pcd01(f"X-{i}"))
                if i == 0:
                    assert lines.first.wait(10), "the refused handshake was not logged"
            # A good sender afterwards: the refusals before it have all been handled by then.
            with MllpClient(host, port, tls=client_context(pki["ca"], pki["monitor"])) as monitor:
                assert ack_fields(monitor.send(pcd01("GW-1")))[0] == "AA"
            during = list(lines.lines)
    finally:
        logger.removeHandler(lines)
    assert len(during) == 1, during
    assert during[0].startswith("refused a TLS handshake from 127.0.0.1: certificate not accepted")
    # The rest are summed up in one line when the listener stops (or when the minute has passed).
    assert len(lines.lines) == 2, lines.lines
    assert lines.lines[1].startswith("refused 2 more TLS handshakes from 127.0.0.1 since the last line")
    assert [r["control_id"] for r in rows(sqlite_engine)] == ["GW-1"]
