"""MLLP over TLS (with client certificates), the sender allow-list and per-sender charsets."""

from __future__ import annotations

import ssl
import warnings

import pytest
import trustme
from bedside_adapters.db import schema as t
from bedside_adapters.mllp.client import MllpClient, MllpError, ack_fields
from sqlalchemy import create_engine, select

from tests.conftest import running_ingest
from tests.helpers import adt_a01, pcd01


@pytest.fixture
def pki(tmp_path):
    """A CA, a server certificate for 127.0.0.1 and a client certificate, made for this test."""
    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    client = ca.issue_cert("monitor-gateway.icu.example")
    files = {
        "ca": tmp_path / "ca.pem",
        "cert": tmp_path / "server.pem",
        "key": tmp_path / "server.key",
    }
    ca.cert_pem.write_to_path(files["ca"])
    server.private_key_pem.write_to_path(files["key"])
    server.cert_chain_pems[0].write_to_path(files["cert"])
    for pem in server.cert_chain_pems[1:]:
        pem.write_to_path(files["cert"], append=True)
    return ca, client, {k: str(v) for k, v in files.items()}


def client_context(ca, client=None) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    if client is not None:
        client.configure_cert(ctx)
    return ctx


def test_mllp_over_tls_with_client_certificates(sqlite_engine, sqlite_url, pki) -> None:
    ca, client_cert, files = pki
    settings = {
        "listen": (),
        "tls_listen": (("127.0.0.1", 0),),
        "tls_cert": files["cert"],
        "tls_key": files["key"],
        "tls_client_ca": files["ca"],
    }
    with running_ingest(sqlite_engine, sqlite_url, **settings) as ing:
        host, port = ing.service.tls_addresses[0]
        with MllpClient(host, port, tls=client_context(ca, client_cert)) as client:
            assert ack_fields(client.send(pcd01("TLS-1"))) == ("AA", "TLS-1")
            assert client._sock.version() in ("TLSv1.2", "TLSv1.3")
        # Without a client certificate: refused.
        with (
            pytest.raises((ssl.SSLError, MllpError, OSError)),
            MllpClient(host, port, timeout=5, tls=client_context(ca)) as client,
        ):
            client.send(pcd01("TLS-2"))
        # Plain MLLP on the TLS port: refused, never read as HL7.
        with pytest.raises((MllpError, OSError)), MllpClient(host, port, timeout=5) as client:
            client.send(pcd01("PLAIN-1"))
        # TLS 1.1 is refused too.
        old = client_context(ca, client_cert)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # naming TLS 1.1 at all is deprecated
            old.minimum_version = ssl.TLSVersion.TLSv1_1
            old.maximum_version = ssl.TLSVersion.TLSv1_1
        with pytest.raises((ssl.SSLError, OSError)):
            MllpClient(host, port, timeout=5, tls=old).connect()
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(t.inbound_message.c.control_id))]
    engine.dispose()
    assert ids == ["TLS-1"]


def test_allow_list_refuses_other_addresses(sqlite_engine, sqlite_url) -> None:
    with running_ingest(sqlite_engine, sqlite_url, allow=("10.20.0.0/16",)) as ing:
        with pytest.raises((MllpError, OSError)), MllpClient(ing.host, ing.port, timeout=5) as client:
            client.send(pcd01("NOPE-1"))
        assert ing.service.server.stats.refused == 1
    with (
        running_ingest(sqlite_engine, sqlite_url, allow=("127.0.0.0/8",)) as ing,
        MllpClient(ing.host, ing.port) as client,
    ):
        assert ack_fields(client.send(pcd01("OK-1"))) == ("AA", "OK-1")


def test_the_connection_limit_refuses_one_more_and_frees_a_place_when_one_closes(
    sqlite_engine, sqlite_url
) -> None:
    with running_ingest(sqlite_engine, sqlite_url, max_connections=2) as ing:
        first = MllpClient(ing.host, ing.port).connect()
        second = MllpClient(ing.host, ing.port).connect()
        for n, client in enumerate((first, second)):  # both are being served
            assert ack_fields(client.send(pcd01(f"LIM-{n}"))) == ("AA", f"LIM-{n}")
        with pytest.raises((MllpError, OSError)), MllpClient(ing.host, ing.port, timeout=5) as third:
            third.send(pcd01("LIM-X"))
        assert ing.service.server.stats.refused == 1
        first.close()
        for _ in range(10**7):  # until the listener has seen the close (no sleeping)
            if len(ing.service.server.stats.open_connections) < 2:
                break
        with MllpClient(ing.host, ing.port) as fourth:
            assert ack_fields(fourth.send(pcd01("LIM-3"))) == ("AA", "LIM-3")
        second.close()


def test_a_senders_charset_when_msh18_is_missing(sqlite_engine, sqlite_url) -> None:
    msg = adt_a01("CS-1", "MÜLLER^JÖRG").encode("latin-1")
    with (
        running_ingest(sqlite_engine, sqlite_url, sender_codecs=(("GW", "latin-1"),)) as ing,
        MllpClient(ing.host, ing.port) as client,
    ):
        assert ack_fields(client.send(msg)) == ("AA", "CS-1")
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        row = conn.execute(select(t.patient.c.family_name, t.patient.c.given_name)).one()
        lossy = conn.execute(select(t.inbound_message.c.lossy_decode)).scalar_one()
    engine.dispose()
    assert tuple(row) == ("MÜLLER", "JÖRG")
    assert not lossy


def test_without_the_senders_charset_the_loss_is_flagged_not_hidden(sqlite_engine, sqlite_url) -> None:
    msg = pcd01("CS-2").replace(b"UNICODE UTF-8", b"").replace(b"SYNTHETIC", "MÜLLER".encode("latin-1"))
    with running_ingest(sqlite_engine, sqlite_url) as ing, MllpClient(ing.host, ing.port) as client:
        reply = client.send(msg)
    assert ack_fields(reply) == ("AA", "CS-2")
    assert b"replaced" in reply  # MSA-3 says that bytes were replaced
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(select(t.inbound_message.c.lossy_decode)).scalar_one()
    engine.dispose()
