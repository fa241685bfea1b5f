"""An ACK kept as a template and its varying parts is rebuilt character for character, or kept whole."""

from __future__ import annotations

import json

import pytest
from bedside_adapters.db.message_digest import frame_digest
from bedside_adapters.db.stored_acks import rebuild, split_ack
from bedside_adapters.hl7.ack import AckRequest, Outcome, build_ack

RECEIVED_MS = 1_790_000_123_456

REQUESTS = {
    "original mode": AckRequest("MON", "ICU_GW", "MSG0001", "P", "2.6", "R01"),
    "enhanced AL|NE": AckRequest("MON", "ICU_GW", "MSG0002", "P", "2.6", "R01", "AL", "NE"),
    "NE|AL": AckRequest("GE", "ICU", "42", "P", "2.5", "R01", "NE", "AL"),
    "delimiters echoed": AckRequest("A\\S\\B", "F\\T\\G", "C|1^2&3~4\\5", "T", "2.3.1", "R^01"),
    "not ASCII": AckRequest("MONITÖR", "INTENSIVSTATION_Ä", "Ü7", "P", "2.6", "R01"),
    "no trigger, empty control id": AckRequest("X", "", "", "P", "2.6", ""),
    "long control id": AckRequest("MON", "ICU", "9" * 80, "D", "2.8", "O17"),
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("lag_s", [0.0, 0.999, 1.5, -2.0, 3600.0])
def test_an_ack_without_err_is_rebuilt_exactly(name: str, outcome: Outcome, lag_s: float) -> None:
    request = REQUESTS[name]
    ack = build_ack(
        request, outcome, RECEIVED_MS / 1000 + lag_s, text="stored" if outcome != Outcome.ACCEPTED else ""
    )
    split = split_ack(ack, request.control_id, RECEIVED_MS)
    assert split is not None, ack
    assert rebuild(json.loads(split.template), RECEIVED_MS, split.at, split.seq, request.control_id) == ack


def test_one_senders_acks_share_one_template() -> None:
    request = REQUESTS["original mode"]
    templates = set()
    for k in range(5):
        control_id = f"MSG{k:04d}"
        r = AckRequest("MON", "ICU_GW", control_id, "P", "2.6", "R01")
        ack = build_ack(r, Outcome.ACCEPTED, RECEIVED_MS / 1000 + k)
        split = split_ack(ack, control_id, RECEIVED_MS + k * 1000)
        assert split is not None
        templates.add(split.template)
    assert len(templates) == 1, request


def test_an_ack_with_an_err_segment_is_kept_whole() -> None:
    request = REQUESTS["original mode"]
    ack = build_ack(request, Outcome.REJECTED, RECEIVED_MS / 1000, text="OBX-5 1e308 kPa", err_code=102)
    assert split_ack(ack, request.control_id, RECEIVED_MS) is None


@pytest.mark.parametrize(
    "ack",
    [
        "MSH|^~\\&|B|I|S|F|20260101000000||ACK|X|P|2.6\rMSA|AA|C|\r",  # no +0000: not ours
        "MSH|^~\\&|B|I|S|F|20260101000000+0100||ACK|X1|P|2.6\rMSA|AA|C|\r",
        "MSH#!@%$#B#I#S#F#20260101000000+0000##ACK#X1#P#2.6\rMSA#AA#C#\r",
        "MSH|^~\\&|B|I|S|F|20260101000000+0000||ACK|ABC|P|2.6\rMSA|AA|C|\r",  # no number to vary
        "MSH|^~\\&|B|I\r",
        "",
    ],
)
def test_an_ack_of_an_unforeseen_shape_is_kept_whole(ack: str) -> None:
    assert split_ack(ack, "C", RECEIVED_MS) is None


def test_an_echo_that_is_not_the_rows_control_id_stays_in_the_template() -> None:
    """The MSA-2 of an ACK built from a control id longer than the row keeps is not rebuilt from it."""
    ack = build_ack(REQUESTS["long control id"], Outcome.ACCEPTED, RECEIVED_MS / 1000)
    split = split_ack(ack, "9" * 40, RECEIVED_MS)
    assert split is not None and "9" * 80 in split.template
    assert rebuild(json.loads(split.template), RECEIVED_MS, split.at, split.seq, "9" * 40) == ack


def test_the_digest_tells_every_part_of_the_key_apart() -> None:
    frame = b"MSH|^~\\&|MON|ICU|...\r"
    base = frame_digest("MON @ ICU", "C1", "20260101", frame)
    assert len(base) == 16
    assert base == frame_digest("MON @ ICU", "C1", "20260101", frame)
    others = {
        frame_digest("MON @ ICU2", "C1", "20260101", frame),
        frame_digest("MON @ ICU", "C2", "20260101", frame),
        frame_digest("MON @ ICU", "C1", "20260102", frame),
        frame_digest("MON @ ICU", "C1", "20260101", frame + b"x"),
        frame_digest("MON @ ICUC", "1", "20260101", frame),  # the boundary between two texts counts
    }
    assert base not in others and len(others) == 5
