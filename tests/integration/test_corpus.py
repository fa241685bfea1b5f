"""The public HL7 corpus (tests/data/corpus, see PROVENANCE.md there) through our reader and the
whole pipeline, with hl7apy as the differential oracle."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.hl7.decode import count_obx_lines, decode, normalise_segments
from bedside_adapters.hl7.er7 import read_er7
from bedside_adapters.ingest.pipeline import IngestPipeline
from hl7apy.parser import parse_message

from bedside.parameters import ParameterCatalog
from tests.helpers import CORPUS, SYNTHETIC

# Deliberately unreadable fixtures are tested for being quarantined, not for reading.
UNREADABLE = {"pcd01_wrapped_msh10.hl7"}
FILES = [
    f for f in sorted(CORPUS.glob("*.hl7")) + sorted(SYNTHETIC.glob("*.hl7")) if f.name not in UNREADABLE
]
SINGLE = [f for f in FILES if not f.name.startswith("batch_")]


def test_corpus_is_there_with_its_provenance() -> None:
    assert len(FILES) >= 10
    provenance = (CORPUS / "PROVENANCE.md").read_text()
    for f in CORPUS.glob("*.hl7"):
        assert f.name in provenance


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_corpus_file_reads_without_exception(path: Path) -> None:
    text = normalise_segments(decode(path.read_bytes()).text)
    if path.name.startswith("batch_"):
        # A batch is several messages: each one reads (the CLI splits files the same way).
        from bedside_adapters.cli import _split_messages

        messages = [read_er7(m.rstrip("\r")) for m in _split_messages(text)]
        assert len(messages) == 2
        return
    msg = read_er7(text)
    assert len(list(msg.all("OBX"))) == count_obx_lines(text)


# hl7apy rewrites these data types when it serialises them (XTN gets its components shifted to the
# v2.5+ layout, SPS is restructured), so it is no oracle for them; they are compared as text elsewhere.
HL7APY_REWRITES = {"XTN", "SPS"}


def _their_fields(segment) -> dict[int, str]:
    """hl7apy's fields of one segment by HL7 number, repetitions joined with ~ (as ER7 has them)."""
    by_number: dict[int, list[str]] = {}
    for child in segment.children:
        if child.datatype in HL7APY_REWRITES:
            continue
        by_number.setdefault(int(child.name.split("_")[1]), []).append(child.to_er7())
    return {n: "~".join(reps) for n, reps in by_number.items()}


def _canonical(field: str) -> str:
    """hl7apy writes components back without trailing empty ones; compare on that footing."""
    out = []
    for rep in field.split("~"):
        comps = [c.rstrip("&") for c in rep.split("^")]
        while comps and comps[-1] == "":
            comps.pop()
        out.append("^".join(comps))
    return "~".join(out)


@pytest.mark.parametrize("path", SINGLE, ids=lambda p: p.name)
def test_our_reader_agrees_with_hl7apy_field_by_field(path: Path) -> None:
    text = normalise_segments(decode(path.read_bytes()).text)
    ours = read_er7(text)
    theirs = parse_message(text, find_groups=False)
    assert [s.name for s in ours.segments] == [s.name for s in theirs.children]
    compared = 0
    for our_seg, their_seg in zip(ours.segments, theirs.children, strict=True):
        for number, value in _their_fields(their_seg).items():
            if our_seg.name == "MSH" and number <= 2:
                continue  # the delimiters themselves
            assert _canonical(our_seg.raw(number)) == _canonical(value), f"{our_seg.name}-{number}"
            compared += 1
        # Nothing hl7apy did not see: our extra fields are empty (hl7apy drops trailing empties).
        known = _their_fields(their_seg)
        rewritten = {int(c.name.split("_")[1]) for c in their_seg.children if c.datatype in HL7APY_REWRITES}
        for number in range(3, len(our_seg.fields) + 1):
            if number not in known and number not in rewritten:
                assert our_seg.raw(number) == "", f"{our_seg.name}-{number}"
    assert compared > 10
    assert ours.control_id == theirs.msh.msh_10.to_er7()


def test_the_corpus_through_the_pipeline_every_message_answered_and_kept(engine) -> None:
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: 1.7e9, UTC)
    codes = {}
    for path in SINGLE:
        result = pipeline.handle(path.read_bytes(), "127.0.0.1:5")
        codes[path.name] = result.ack_code
        assert result.message_id is not None  # stored: accepted or quarantined, never lost
    assert codes["pcd01_gateway_20obx.hl7"] == "AA"
    assert codes["lab_nist_elr_lead_final.hl7"] == "AA"  # a public lab result: accepted and stored
    assert codes["adt_a01_hapi_docs.hl7"] == "AA"  # ADT: patients and bed stays


def test_a_wrapped_msh_is_quarantined_not_accepted_with_a_truncated_control_id(engine) -> None:
    from bedside_adapters.db import schema as t
    from sqlalchemy import select

    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: 1.7e9, UTC)
    result = pipeline.handle((SYNTHETIC / "pcd01_wrapped_msh10.hl7").read_bytes(), "127.0.0.1:5")
    assert result.ack_code == "AR" and result.quarantine_reason is not None
    assert "no valid segment id" in result.quarantine_reason
    with engine.connect() as conn:
        assert conn.execute(select(t.observation)).all() == []
        assert conn.execute(select(t.inbound_message.c.control_id)).scalar_one() == ""
