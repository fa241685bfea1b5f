"""Acknowledgements: original mode (AA/AE/AR) or enhanced mode (CA/CE/CR) as MSH-15/16 ask.

Built from a string template, far cheaper than building it with hl7apy, and the fields we copy
are re-escaped so a sender's odd delimiters cannot corrupt our reply.
"""

from __future__ import annotations

import enum
import itertools
import os
from dataclasses import dataclass

from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.hl7.er7 import STANDARD, Er7Message, escape


class Outcome(enum.Enum):
    ACCEPTED = "accepted"  # stored: AA / CA
    ERROR = "error"  # could not process or store; the sender may retry: AE / CE
    REJECTED = "rejected"  # will never be processed as sent: AR / CR


ERR_TEXT = {
    100: "Segment sequence error",
    101: "Required field missing",
    102: "Data type error",
    103: "Table value not found",
    200: "Unsupported message type",
    201: "Unsupported event code",
    203: "Unsupported version id",
    205: "Duplicate key identifier",
    207: "Application internal error",
}


@dataclass(frozen=True, slots=True)
class AckRequest:
    """What the reply must echo, taken from the received MSH (or empty when MSH was unreadable)."""

    sending_application: str = ""
    sending_facility: str = ""
    control_id: str = ""
    processing_id: str = "P"
    version: str = "2.6"
    trigger_event: str = ""
    accept_ack_type: str = ""  # MSH-15
    application_ack_type: str = ""  # MSH-16

    @classmethod
    def from_message(cls, msg: Er7Message) -> AckRequest:
        msh = msg.msh
        return cls(
            sending_application=_reescape(msh.components(3)),
            sending_facility=_reescape(msh.components(4)),
            control_id=msh.get(10),
            processing_id=msh.get(11) or "P",
            version=msh.get(12) or "2.6",
            trigger_event=msh.get(9, 2),
            accept_ack_type=msh.get(15).upper(),
            application_ack_type=msh.get(16).upper(),
        )

    @property
    def enhanced_mode(self) -> bool:
        return bool(self.accept_ack_type or self.application_ack_type)


def _reescape(components: list[str]) -> str:
    """A sender's HD field, rewritten with our delimiters whatever delimiters it used."""
    return STANDARD.component.join(escape(c) for c in components)


def ack_code(request: AckRequest, outcome: Outcome) -> str:
    """Original mode → AA/AE/AR. Enhanced mode → the commit ACK CA/CE/CR, except for senders that
    ask only for an application ACK (MSH-15 NE, MSH-16 set: GE's NE|AL), which get AA/AE/AR.

    We answer every frame, even when MSH-15/16 say NE: a silent listener is indistinguishable from a
    dead one, and senders that asked for nothing ignore the reply.
    """
    letter = {Outcome.ACCEPTED: "A", Outcome.ERROR: "E", Outcome.REJECTED: "R"}[outcome]
    if not request.enhanced_mode:
        return "A" + letter
    if request.accept_ack_type == "NE" and request.application_ack_type not in ("", "NE"):
        return "A" + letter
    return "C" + letter


_counter = itertools.count(1)
_PREFIX = f"BS{os.getpid() % 100000:05d}"


def next_control_id() -> str:
    return f"{_PREFIX}{next(_counter):010d}"


def build_ack(
    request: AckRequest,
    outcome: Outcome,
    now: float,
    text: str = "",
    err_code: int | None = None,
    receiving_application: str = "BEDSIDE",
    receiving_facility: str = "ICU",
) -> str:
    """The reply to one message, segments separated by CR, without MLLP framing."""
    code = ack_code(request, outcome)
    d = STANDARD
    event = escape(request.trigger_event, d)
    msh = "|".join(
        [
            "MSH",
            d.encoding_characters,
            receiving_application,
            receiving_facility,
            request.sending_application,
            request.sending_facility,
            format_dtm(now),
            "",
            f"ACK^{event}^ACK" if event else "ACK",
            next_control_id(),
            escape(request.processing_id, d),
            escape(request.version, d),
        ]
    )
    msa = "|".join(["MSA", code, escape(request.control_id, d), escape(text[:80], d)])
    segments = [msh, msa]
    if err_code is not None:
        severity = "E"
        segments.append(f"ERR|||{err_code}^{ERR_TEXT.get(err_code, 'Error')}^HL70357|{severity}")
        if text:
            # ERR-8 user message: the full reason, for integration engineers reading their logs.
            segments[-1] += "||||" + escape(text[:400], d)
    return "\r".join(segments) + "\r"
