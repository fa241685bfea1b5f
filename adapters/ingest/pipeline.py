"""One received frame → decoded, read, mapped, stored in one transaction → the ACK to send.

Every frame gets an answer and every frame's bytes are kept: as an accepted message with its
observations, or in quarantine with the reason (rule 3). Only a failing database loses a frame, and
then the sender gets AE/CE and resends it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import tzinfo

from adapters.db.ingest_store import InboundMessage, IngestStore
from adapters.hl7.ack import AckRequest, Outcome, build_ack
from adapters.hl7.decode import count_obx_lines, decode, normalise_segments, sending_application
from adapters.hl7.er7 import Er7Error, Er7Message, read_er7
from adapters.hl7.pcd01 import MappingError, read_pcd01, sender_of
from bedside.clock import Clock
from bedside.parameters import ParameterCatalog

log = logging.getLogger(__name__)

SUPPORTED_TYPES = {"ORU^R01"}
SUPPORTED_VERSIONS = {"2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2"}


@dataclass(frozen=True, slots=True)
class IngestResult:
    ack: bytes
    ack_code: str
    message_id: int | None
    observations: int
    quarantine_reason: str | None
    duplicate: bool = False


class IngestPipeline:
    def __init__(
        self,
        store: IngestStore,
        catalog: ParameterCatalog,
        clock: Clock,
        sender_zone: tzinfo,
        fallback_codec: str = "utf-8",
        sender_codecs: dict[str, str] | None = None,
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._clock = clock
        self._zone = sender_zone
        self._fallback_codec = fallback_codec
        self._sender_codecs = dict(sender_codecs or {})

    def _fallback_for(self, raw: bytes) -> str:
        """The charset for a message without a usable MSH-18: the sender's configured one, else the
        listener's default. Senders that send latin-1 without saying so are common."""
        if self._sender_codecs:
            return self._sender_codecs.get(sending_application(raw), self._fallback_codec)
        return self._fallback_codec

    def handle(self, frame: bytes, peer: str) -> IngestResult:
        received_at = self._clock()
        decoded = decode(frame, self._fallback_for(frame))
        text = normalise_segments(decoded.text)
        base = InboundMessage(
            raw=frame,
            received_at=received_at,
            peer=peer,
            sender=f"(unreadable, from {peer.rsplit(':', 1)[0]})",
            ack_code="",
            ack="",
            codec=decoded.codec,
            lossy_decode=decoded.lossy,
        )
        try:
            msg = read_er7(text)
        except Er7Error as exc:
            return self._quarantine(
                base, AckRequest(), Outcome.REJECTED, exc.reason, exc.err_code, "unreadable"
            )

        request = AckRequest.from_message(msg)
        base = replace(
            base,
            sender=sender_of(msg),
            control_id=msg.control_id,
            message_time=msg.msh.get(7),
            message_type=msg.message_type,
            version=msg.version,
            obx_count=sum(1 for _ in msg.all("OBX")),
        )
        if msg.message_type not in SUPPORTED_TYPES:
            code = msg.msh.get(9, 1)
            if any(t.split("^")[0] == code for t in SUPPORTED_TYPES):
                reason = f"unsupported event {msg.message_type}"
                return self._quarantine(base, request, Outcome.REJECTED, reason, 201, "unsupported_event")
            reason = f"unsupported message type {msg.message_type or '(empty)'}"
            return self._quarantine(base, request, Outcome.REJECTED, reason, 200, "unsupported_type")
        if msg.version and msg.version not in SUPPORTED_VERSIONS:
            reason = f"unsupported version {msg.version}"
            return self._quarantine(base, request, Outcome.REJECTED, reason, 203, "unsupported_version")
        if not msg.control_id:
            reason = "MSH-10 (message control id) is empty: the ACK could not name the message"
            return self._quarantine(base, request, Outcome.REJECTED, reason, 101, "missing_field")
        expected_obx = count_obx_lines(decoded.text, msg.delimiters.field)
        if expected_obx != base.obx_count:
            reason = f"{expected_obx} OBX lines in the text but {base.obx_count} OBX segments read"
            return self._quarantine(base, request, Outcome.ERROR, reason, 100, "obx_count")
        return self._accept(base, request, msg, received_at)

    def handle_oversize(self, head: bytes, size: int, limit: int, peer: str) -> IngestResult:
        """A frame over the size limit: refused (AR), its head kept in quarantine with the reason."""
        received_at = self._clock()
        decoded = decode(head, self._fallback_for(head))
        request = AckRequest()
        sender = f"(unreadable, from {peer.rsplit(':', 1)[0]})"
        try:
            msg = read_er7(normalise_segments(decoded.text).split("\r", 1)[0])
            request = AckRequest.from_message(msg)
            sender = sender_of(msg)
        except Er7Error:
            pass
        reason = (
            f"frame of {size} bytes exceeds the maximum frame size of {limit} bytes; "
            f"refused, and only its first {len(head)} bytes were kept"
        )
        base = InboundMessage(
            raw=head,
            received_at=received_at,
            peer=peer,
            sender=sender,
            ack_code="",
            ack="",
            control_id=request.control_id,
            codec=decoded.codec,
            lossy_decode=decoded.lossy,
        )
        return self._quarantine(base, request, Outcome.REJECTED, reason, 100, "oversize")

    def _accept(self, base: InboundMessage, request: AckRequest, msg: Er7Message, received_at: float):
        try:
            report = read_pcd01(msg, self._catalog, received_at, self._zone)
        except MappingError as exc:
            return self._quarantine(base, request, Outcome.ERROR, exc.reason, exc.err_code, "content")
        note = ""
        if base.lossy_decode:
            note = f"stored; some bytes were not valid {base.codec} and were replaced"
        ack = build_ack(request, Outcome.ACCEPTED, self._clock(), text=note)
        message = replace(
            base,
            ack_code=_msa1(ack),
            ack=ack,
            skipped=report.skipped,
            # Only device data makes a patient known to the screens (ADT will own patients, issue 6).
            patient=report.patient if report.observations else None,
            observations=report.observations,
        )
        return self._commit(message, request)

    def _quarantine(
        self,
        base: InboundMessage,
        request: AckRequest,
        outcome: Outcome,
        reason: str,
        err_code: int,
        category: str,
    ) -> IngestResult:
        ack = build_ack(request, outcome, self._clock(), text=reason, err_code=err_code)
        message = replace(
            base, ack_code=_msa1(ack), ack=ack, quarantine_reason=reason, quarantine_code=category
        )
        log.warning("quarantined a message from %s: %s", base.sender, reason)
        return self._commit(message, request)

    def _commit(self, message: InboundMessage, request: AckRequest) -> IngestResult:
        try:
            stored = self._store.store(message)
        except Exception as exc:  # the database failed: nothing stored, so the sender must resend
            log.exception("storing a message from %s failed", message.sender)
            ack = build_ack(
                request, Outcome.ERROR, self._clock(), text=f"not stored: {type(exc).__name__}", err_code=207
            )
            return IngestResult(ack.encode("utf-8"), _msa1(ack), None, 0, None)
        if stored.duplicate:
            log.info(
                "duplicate of message %d from %s (MSH-10 %s): answered with the stored ACK",
                stored.id,
                message.sender,
                message.control_id,
            )
            return IngestResult(
                stored.ack.encode("utf-8"), _msa1(stored.ack), stored.id, 0, None, duplicate=True
            )
        return IngestResult(
            message.ack.encode("utf-8"),
            message.ack_code,
            stored.id,
            len(message.observations),
            message.quarantine_reason,
        )


def _msa1(ack: str) -> str:
    return ack.split("\r")[1].split("|")[1]
