"""One message's identity at rest: 16 bytes that stand for (sender, MSH-10, MSH-7, the bytes received).

A resent copy of a message is recognised by these four together (never MSH-10 alone: monitors
restart their counters). Keeping them as one digest lets one small unique index do what a
four-column index of text did, and lets a stored frame be checked against what was received.

The digest is the first 128 bits of SHA-256 over the three texts, each prefixed with its length
(so no two different triples encode alike), and the SHA-256 of the bytes received (so a row whose
frame was pruned by raw retention keeps a digest that can still be computed, and a frame read
back can be checked). Why 128 bits are enough: two different messages share a digest with
probability about n^2 / 2^129 among n stored messages (the birthday bound); a 30-bed unit sending
3 messages a second per bed for 20 years stores about 6 x 10^10 messages, giving about 5 x 10^-18.
A deliberate collision would need about 2^64 SHA-256 evaluations and a sender trusted to send
messages at all; the consequence would be one message answered as a copy of another, not stored.
"""

from __future__ import annotations

import hashlib

SIZE = 16
_DOMAIN = b"bedside inbound message 1\x00"


def message_digest(sender: str, control_id: str, message_time: str, frame_sha256: bytes) -> bytes:
    h = hashlib.sha256(_DOMAIN)
    for text in (sender, control_id, message_time):
        data = text.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(4, "big"))
        h.update(data)
    h.update(frame_sha256)
    return h.digest()[:SIZE]


def frame_digest(sender: str, control_id: str, message_time: str, frame: bytes) -> bytes:
    return message_digest(sender, control_id, message_time, hashlib.sha256(frame).digest())
