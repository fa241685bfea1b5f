"""`bedside-cli validate`: hl7apy's view of a message's structure, for integration work."""

from bedside_adapters.cli import main as cli_main

from tests.helpers import CORPUS


def test_validate_reports_structure_problems_and_unreadable_files(tmp_path, capsys) -> None:
    junk = tmp_path / "junk.hl7"
    junk.write_bytes(b"garbage without MSH")
    code = cli_main(["validate", str(CORPUS / "adt_a01_hapi_docs.hl7"), str(junk)])
    out = capsys.readouterr().out
    assert "ADT^A01^ADT_A01 v2.4" in out
    assert "junk.hl7#1: not readable" in out
    assert code == 2


def test_quarantined_messages_get_hl7apys_diagnosis_after_the_ack(engine) -> None:
    from datetime import UTC

    from bedside_adapters.db import schema as t
    from bedside_adapters.db.ingest_store import IngestStore
    from bedside_adapters.ingest.diagnosis import diagnose_quarantine
    from bedside_adapters.ingest.pipeline import IngestPipeline
    from sqlalchemy import select

    from bedside.parameters import ParameterCatalog

    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: 1.7e9, UTC)
    assert p.handle(b"MSH|^~\\&|X|Y|||2025||MDM^T02|Q1|P|2.5\rPID|||1\r", "x:1").ack_code == "AR"
    assert p.handle(b"complete garbage", "x:1").ack_code == "AR"
    assert diagnose_quarantine(engine) == 2
    assert diagnose_quarantine(engine) == 0  # each once
    with engine.connect() as conn:
        found = [
            r[0] for r in conn.execute(select(t.inbound_message.c.diagnosis).order_by(t.inbound_message.c.id))
        ]
    assert found[0].startswith("MDM^T02 v2.5")
    assert found[1].startswith("not readable")
