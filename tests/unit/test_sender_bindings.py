"""The site's bindings of client certificates to senders: the file, the matching, the refusal."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest
from bedside_adapters.ingest.main import _plain_listen, build_parser, main
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.ingest.sender_bindings import REFUSED_CODE, SenderBindings, SenderBindingsError, secured
from bedside_adapters.mllp.tls_identity import CertificateIdentity, TlsPeer, certificate_subject, identity_of

from bedside.parameters import ParameterCatalog

MONITOR = CertificateIdentity("CN=monitor-gw-01", ("monitor-gw-01",))


def bindings(tmp_path: Path, text: str) -> SenderBindings:
    path = tmp_path / "senders.toml"
    path.write_text(text, encoding="utf-8")
    return SenderBindings.load(path)


def test_identity_of_a_verified_certificate() -> None:
    peercert = {
        "subject": (
            (("countryName", "DE"),),
            (("organizationName", "General Hospital"),),
            (("commonName", "Lab GW"),),
        ),
        "subjectAltName": (("DNS", "Lab-GW.hospital.example"), ("IP Address", "10.0.0.7"), ("DNS", "lab gw")),
    }
    identity = identity_of(peercert)
    assert identity == CertificateIdentity(
        "CN=Lab GW,O=General Hospital,C=DE", ("lab gw", "lab-gw.hospital.example")
    )
    assert identity_of({}) is None and identity_of(None) is None
    peer = TlsPeer("10.0.0.7:40000", identity)
    assert peer == "10.0.0.7:40000" and peer.rsplit(":", 1)[0] == "10.0.0.7"
    assert certificate_subject(peer) == "CN=Lab GW,O=General Hospital,C=DE"
    assert certificate_subject("10.0.0.7:40000") is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "no [certificate"),
        ("[certificates.x]\nsending_application = ['A']\n", "unknown table 'certificates'"),
        ("[certificate.x]\n", "names no sending_application or sending_facility"),
        ("[certificate.x]\nsending_app = ['A']\n", "unknown key 'sending_app'"),
        ("[certificate.x]\nsending_application = [1]\n", "must be a list of non-empty strings"),
        ("[certificate.x]\nsending_application = ['']\n", "must be a list of non-empty strings"),
        ("[certificate.x\n", "senders.toml"),
    ],
)
def test_a_file_it_cannot_use_is_refused(tmp_path: Path, text: str, error: str) -> None:
    with pytest.raises(SenderBindingsError, match=error.replace("[", r"\[")):
        bindings(tmp_path, text)


def test_what_a_certificate_may_send_as(tmp_path: Path) -> None:
    b = bindings(
        tmp_path,
        """
        [certificate."Monitor-GW-01"]
        sending_application = ["GW", "GW2"]
        sending_facility = "ICU_GW"
        [certificate."lab-gw.hospital.example"]
        sending_application = ["*"]
        sending_facility = ["HOSP"]
        [certificate."pumps"]
        sending_facility = ["ICU"]
        """,
    )
    assert b.refusal(MONITOR, "GW", "ICU_GW") is None
    assert b.refusal(MONITOR, "GW2", "ICU_GW") is None
    assert (
        b.refusal(MONITOR, "LAB", "ICU_GW")
        == "certificate CN=monitor-gw-01 may not send as MSH-3 'LAB' / MSH-4 'ICU_GW'"
    )
    assert (
        b.refusal(MONITOR, "GW", "")
        == "certificate CN=monitor-gw-01 may not send as MSH-3 'GW' / MSH-4 '(empty)'"
    )
    lab = CertificateIdentity("CN=Laboratory,O=H", ("laboratory", "lab-gw.hospital.example"))
    assert b.refusal(lab, "ANYTHING", "HOSP") is None
    assert b.refusal(lab, "LAB", "ICU") is not None
    pumps = CertificateIdentity("CN=pumps", ("pumps",))
    assert b.refusal(pumps, "PUMP-7", "ICU") is None
    stranger = CertificateIdentity("CN=printer", ("printer",))
    assert b.refusal(stranger, "GW", "ICU_GW") == "certificate CN=printer is bound to no sender"
    assert "no client certificate" in (b.refusal(None, "GW", "ICU_GW") or "")


def _prepared(text: str):
    pipeline = IngestPipeline(None, ParameterCatalog.load(), lambda: 1_790_000_000.0, UTC)  # type: ignore[arg-type]
    return pipeline.prepare(text.encode(), "10.0.0.7:40000", 1_790_000_000.0)


def test_a_refused_message_keeps_its_bytes_and_nothing_of_its_content(tmp_path: Path) -> None:
    b = bindings(tmp_path, '[certificate."monitor-gw-01"]\nsending_application = ["GW"]\n')
    text = (
        "MSH|^~\\&|LAB^1.2.3^ISO|HOSP|BEDSIDE|ICU|20260920100000+0000||ADT^A01^ADT_A01|C-1|P|2.5|||AL|NE\r"
        "EVN|A01|20260920100000+0000\rPID|||MRN1^^^HOSP^MR||DOE^JANE\rPV1||I|ICU^07^1\r"
    )
    prepared = _prepared(text)
    assert prepared.message.patient is not None and prepared.message.adt is not None
    out = secured(prepared, MONITOR, b)
    m = out.message
    assert (m.quarantine_code, m.ack_code, m.tls_subject) == (REFUSED_CODE, "CR", "CN=monitor-gw-01")
    assert m.raw == text.encode() and m.control_id == "C-1" and m.message_type == "ADT^A01"
    assert m.patient is None and m.adt is None
    assert m.sender == "(refused for CN=monitor-gw-01: LAB^1.2.3^ISO @ HOSP)"
    assert "ERR|||207^" in m.ack and "may not send as MSH-3 'LAB'" in m.ack
    # Allowed, or with no bindings: unchanged but for the subject.
    allowed = secured(_prepared(text.replace("LAB^1.2.3^ISO", "GW")), MONITOR, b).message
    assert (allowed.quarantine_code, allowed.ack_code, allowed.tls_subject) == (
        None,
        "CA",
        "CN=monitor-gw-01",
    )
    assert allowed.adt is not None
    assert secured(prepared, MONITOR, None).message.ack_code == "CA"


def test_an_unreadable_frame_stays_quarantined_as_unreadable(tmp_path: Path) -> None:
    b = bindings(tmp_path, '[certificate."monitor-gw-01"]\nsending_application = ["GW"]\n')
    out = secured(_prepared("not hl7 at all"), MONITOR, b).message
    assert out.quarantine_code == "unreadable" and out.tls_subject == "CN=monitor-gw-01"


def test_tls_senders_needs_client_certificates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "senders.toml"
    path.write_text('[certificate."a"]\nsending_application = ["A"]\n', encoding="utf-8")
    argv = ["--db", str(tmp_path / "x.sqlite3"), "--listen-tls", "127.0.0.1:0", "--tls-senders", str(path)]
    assert main(argv) == 2
    assert "--tls-senders needs --tls-client-ca" in capsys.readouterr().err
    assert not (tmp_path / "x.sqlite3").exists()


def test_plain_listening_only_when_asked() -> None:
    parse = build_parser().parse_args
    assert _plain_listen(parse([])) == [("127.0.0.1", 2575)]
    assert _plain_listen(parse(["--listen-tls", "0.0.0.0:2576"])) == []
    both = ["--listen-tls", "0.0.0.0:2576", "--listen", "127.0.0.1:2575"]
    assert _plain_listen(parse(both)) == [("127.0.0.1", 2575)]
