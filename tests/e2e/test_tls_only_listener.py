"""`bedside-ingest --listen-tls` alone listens on TLS only: no plain port is opened beside it."""

from __future__ import annotations

import signal
import ssl
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bedside_adapters.mllp.client import MllpClient, ack_fields

from tests.tls_pki import TestCA

BIN = Path(sys.executable).parent


@pytest.mark.e2e
def test_listen_tls_alone_opens_no_plain_port(sqlite_url: str, tmp_path: Path) -> None:
    ca = TestCA(tmp_path / "pki")
    server = ca.issue("server", "ingest.icu.example", ips=("127.0.0.1",), server=True)
    client = ca.issue("client", "monitor-gw-01")
    proc = subprocess.Popen(
        [
            str(BIN / "bedside-ingest"),
            "--db",
            sqlite_url,
            "--listen-tls",
            "127.0.0.1:0",
            "--tls-cert",
            str(server.cert),
            "--tls-key",
            str(server.key),
            "--tls-client-ca",
            str(ca.cert),
            "--no-alerting",
            "--log-level",
            "WARNING",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        # The first line names the first address listened on: before, the plain default port.
        first = proc.stdout.readline()  # pytest-timeout guards this read
        assert first.startswith("bedside-ingest: listening on 127.0.0.1:"), first
        assert first.rstrip().endswith("(MLLP over TLS)"), first
        port = int(first.split("listening on 127.0.0.1:")[1].split()[0])
        ctx = ssl.create_default_context(cafile=str(ca.cert))
        ctx.load_cert_chain(str(client.cert), str(client.key))
        now = datetime.now(UTC).strftime("%Y%m%d%H%M%S+0000")
        message = (
            f"MSH|^~\\&|GW|ICU|BEDSIDE|ICU|{now}||ADT^A01^ADT_A01|T-1|P|2.5\r"
            f"EVN|A01|{now}\rPID|||MRN1^^^HOSP^MR||DOE^JANE\r"
        )
        with MllpClient("127.0.0.1", port, tls=ctx) as c:
            reply = c.send(message)
            assert ack_fields(reply) == ("AA", "T-1"), reply
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert [line for line in rest.splitlines() if "listening on" in line] == []
