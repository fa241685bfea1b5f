"""One received frame → decoded, read, mapped, stored in one transaction → the ACK to send.

Every frame gets an answer and every frame's bytes are kept: as an accepted message with its
observations, or in quarantine with the reason (rule 3). Only a failing database loses a frame, and
then the sender gets AE/CE and resends it.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from bedside_adapters.alerting.notices import Bed, Whose
from bedside_adapters.db.ingest_store import IngestStore, StoredMessage
from bedside_adapters.hl7.ack import AckRequest, Outcome, build_ack
from bedside_adapters.hl7.adt import ADT_TYPES, read_adt
from bedside_adapters.hl7.alarm import read_alarms
from bedside_adapters.hl7.decode import count_obx_lines, decode, normalise_segments, sending_application
from bedside_adapters.hl7.er7 import Er7Error, Er7Message, read_er7
from bedside_adapters.hl7.oru_lab import is_device_report, read_lab
from bedside_adapters.hl7.pcd01 import MappingError, patient_of, read_pcd01, sender_of
from bedside_adapters.hl7.pharmacy import is_product_rxa, read_ras_co_medication, read_rde_order
from bedside_adapters.hl7.pump import read_administrations, read_pump_events
from bedside_adapters.inbound_message import InboundMessage
from bedside_adapters.ingest.clock_faults import clock_fault

from bedside.clock import Clock
from bedside.clock_window import ClockWindow
from bedside.co_medication import CoMedicationCatalogue
from bedside.labs import LabCatalog
from bedside.parameters import ParameterCatalog

log = logging.getLogger(__name__)

SUPPORTED_TYPES = {"ORU^R01", "ORU^R40", "ORU^R42", "RAS^O17", "RDE^O11", *ADT_TYPES}
SUPPORTED_VERSIONS = {"2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2"}


@dataclass(frozen=True, slots=True)
class Prepared:
    """A frame read and mapped, with the ACK it gets once stored; not yet in the database."""

    message: InboundMessage
    request: AckRequest


@dataclass(frozen=True, slots=True)
class IngestResult:
    ack: bytes
    ack_code: str
    message_id: int | None
    observations: int
    quarantine_reason: str | None
    duplicate: bool = False
    whose: Whose = None
    """Whose data this message brought (for the rule engine): the patient it names, or for device
    data its bed (the patient is whoever ADT put in that bed); None when it says neither."""
    observed_until: float | None = None
    """The latest observation time in it (None: no device values, e.g. a lab result or ADT)."""


class IngestPipeline:
    def __init__(
        self,
        store: IngestStore,
        catalog: ParameterCatalog,
        clock: Clock,
        sender_zone: tzinfo,
        fallback_codec: str = "utf-8",
        sender_codecs: dict[str, str] | None = None,
        labs: LabCatalog | None = None,
        clock_window: ClockWindow | None = None,
        co_medication: CoMedicationCatalogue | None = None,
    ) -> None:
        """`clock_window`: quarantine messages setting a time this far from their receive time as
        clock faults (None: every time is believed, e.g. importing old files)."""
        self.store = store
        self._catalog = catalog
        self._clock = clock
        self._zone = sender_zone
        self._fallback_codec = fallback_codec
        self._labs = labs or LabCatalog.load()
        self._sender_codecs = dict(sender_codecs or {})
        self._clock_window = clock_window
        self._co_medication = co_medication or CoMedicationCatalogue.load()

    def _fallback_for(self, raw: bytes) -> str:
        """The charset for a message without a usable MSH-18: the sender's configured one, else the
        listener's default. Senders that send latin-1 without saying so are common."""
        if self._sender_codecs:
            return self._sender_codecs.get(sending_application(raw), self._fallback_codec)
        return self._fallback_codec

    def handle(self, frame: bytes, peer: str) -> IngestResult:
        """Read, store (one transaction) and answer one frame."""
        return self.commit_many([self.prepare(frame, peer)])[0]

    def prepare(self, frame: bytes, peer: str, received_at: float | None = None) -> Prepared:
        """Everything short of the database: decode, read, map, and the ACK to send once stored.
        `received_at`: when the listener read the frame, if that was not now (read-ahead)."""
        if received_at is None:
            received_at = self._clock()
        decoded = decode(frame, self._fallback_for(frame))
        text = normalise_segments(decoded.text)
        # The message's fields gather here and become one InboundMessage at the end: building it
        # early and copying it with dataclasses.replace cost more than storing its values.
        base: dict[str, Any] = {
            "raw": frame,
            "received_at": received_at,
            "peer": peer,
            "sender": _unreadable_sender(peer),
            "codec": decoded.codec,
            "lossy_decode": decoded.lossy,
        }
        try:
            msg = read_er7(text)
        except Er7Error as exc:
            return self._quarantine(
                base, AckRequest(), Outcome.REJECTED, exc.reason, exc.err_code, "unreadable"
            )

        request = AckRequest.from_message(msg)
        message_type = msg.message_type
        obx_count = sum(s.name == "OBX" for s in msg.segments)
        base.update(
            sender=sender_of(msg),
            control_id=request.control_id,
            message_time=msg.msh.get(7),
            message_type=message_type,
            version=msg.version,
            obx_count=obx_count,
        )
        if message_type not in SUPPORTED_TYPES:
            code = msg.msh.get(9, 1)
            if any(t.split("^")[0] == code for t in SUPPORTED_TYPES):
                reason = f"unsupported event {message_type}"
                return self._quarantine(base, request, Outcome.REJECTED, reason, 201, "unsupported_event")
            reason = f"unsupported message type {message_type or '(empty)'}"
            return self._quarantine(base, request, Outcome.REJECTED, reason, 200, "unsupported_type")
        if base["version"] and base["version"] not in SUPPORTED_VERSIONS:
            reason = f"unsupported version {base['version']}"
            return self._quarantine(base, request, Outcome.REJECTED, reason, 203, "unsupported_version")
        if not request.control_id:
            reason = "MSH-10 (message control id) is empty: the ACK could not name the message"
            return self._quarantine(base, request, Outcome.REJECTED, reason, 101, "missing_field")
        expected_obx = count_obx_lines(decoded.text, msg.delimiters.field)
        if expected_obx != obx_count:
            reason = f"{expected_obx} OBX lines in the text but {obx_count} OBX segments read"
            return self._quarantine(base, request, Outcome.ERROR, reason, 100, "obx_count")
        return self._accept(base, request, msg, received_at)

    def handle_oversize(self, head: bytes, size: int, limit: int, peer: str) -> IngestResult:
        return self.commit_many([self.prepare_oversize(head, size, limit, peer)])[0]

    def prepare_oversize(self, head: bytes, size: int, limit: int, peer: str) -> Prepared:
        """A frame over the size limit: refused (AR), its head kept in quarantine with the reason."""
        reason = (
            f"frame of {size} bytes exceeds the maximum frame size of {limit} bytes; "
            f"refused, and only its first {len(head)} bytes were kept"
        )
        return self._refused_frame(head, peer, reason, "oversize")

    def prepare_unterminated(self, head: bytes, size: int, peer: str) -> Prepared:
        """A frame cut short by the sender's next start block: kept in quarantine with the reason.
        The listener stores it but sends no answer (the sender never ended this frame)."""
        reason = (
            f"no end block (FS CR) before the sender's next start block: {size} bytes of an unfinished frame"
        )
        if len(head) < size:
            reason += f", only its first {len(head)} bytes kept"
        return self._refused_frame(head, peer, reason, "unterminated")

    def _refused_frame(self, head: bytes, peer: str, reason: str, category: str) -> Prepared:
        received_at = self._clock()
        decoded = decode(head, self._fallback_for(head))
        request = AckRequest()
        sender = _unreadable_sender(peer)
        try:
            msg = read_er7(normalise_segments(decoded.text).split("\r", 1)[0])
            request = AckRequest.from_message(msg)
            sender = sender_of(msg)
        except Er7Error:
            pass
        base = {
            "raw": head,
            "received_at": received_at,
            "peer": peer,
            "sender": sender,
            "control_id": request.control_id,
            "codec": decoded.codec,
            "lossy_decode": decoded.lossy,
        }
        return self._quarantine(base, request, Outcome.REJECTED, reason, 100, category)

    def _accept(
        self, base: dict[str, Any], request: AckRequest, msg: Er7Message, received_at: float
    ) -> Prepared:
        try:
            content = self._read(msg, received_at, base["sender"], base["message_type"])
        except MappingError as exc:
            return self._quarantine(base, request, Outcome.ERROR, exc.reason, exc.err_code, exc.category)
        if self._clock_window is not None:
            fault = clock_fault(self._clock_window, msg, content, received_at, self._zone)
            if fault is not None:
                return self._quarantine(base, request, Outcome.ERROR, fault, 102, "clock_fault")
        return self._accepted(base, request, **content)

    def _read(self, msg: Er7Message, received_at: float, sender: str, mtype: str) -> dict[str, Any]:
        """What a supported message says, as the fields of its InboundMessage. Raises MappingError."""
        if mtype in ADT_TYPES:
            event = read_adt(msg, self._zone)
            return {"patient": event.patient, "adt": event}
        if mtype == "ORU^R40":
            alarms = read_alarms(msg, self._zone)
            return {"device_alarms": tuple(alarms), "skipped": {} if alarms else {"no alarm event row": 1}}
        if mtype == "ORU^R42":
            events = read_pump_events(msg, self._zone)
            return {
                "patient": patient_of(msg) if events else None,
                "infusion_events": tuple(events),
                "skipped": {} if events else {"no infusion start or end in the message": 1},
            }
        if mtype == "RAS^O17":
            return self._read_ras(msg)
        if mtype == "RDE^O11":
            orders = read_rde_order(msg, self._zone, self._co_medication)
            skipped = orders.skipped or ({} if orders.administrations else {"no RXE in the message": 1})
            return {
                "patient": patient_of(msg) if orders.administrations else None,
                "co_medication": orders.administrations,
                "skipped": skipped,
            }
        if not is_device_report(msg):
            lab = read_lab(msg, self._labs, received_at, self._zone)
            return {
                "skipped": lab.skipped,
                "patient": lab.patient if lab.results else None,
                "lab_results": lab.results,
            }
        report = read_pcd01(msg, self._catalog, received_at, self._zone, sender)
        return {
            "skipped": report.skipped,
            "observations": report.observations,
            "device_states": report.states,
            "device_bed": report.bed,
        }

    def _read_ras(self, msg: Er7Message) -> dict[str, Any]:
        """A RAS^O17: the study product's RXAs are dose starts and ends, every other RXA is
        co-medication."""
        catalogue = self._co_medication
        events = read_administrations(msg, self._zone, lambda rxa: is_product_rxa(catalogue, rxa))
        given = read_ras_co_medication(msg, self._zone, catalogue)
        skipped = dict(given.skipped)
        if not events and not given.administrations and not skipped:
            skipped = {"no administration in the message": 1}
        return {
            "patient": patient_of(msg) if events or given.administrations else None,
            "infusion_events": tuple(events),
            "co_medication": given.administrations,
            "skipped": skipped,
        }

    def _accepted(self, base: dict[str, Any], request: AckRequest, **content: Any) -> Prepared:
        """A readable, supported message with what was read from it, and its AA/CA-to-be."""
        note = (
            f"stored; some bytes were not valid {base['codec']} and were replaced"
            if base["lossy_decode"]
            else ""
        )
        ack = build_ack(request, Outcome.ACCEPTED, self._clock(), text=note)
        return Prepared(InboundMessage(**base, ack_code=_msa1(ack), ack=ack, **content), request)

    def _quarantine(
        self,
        base: dict[str, Any],
        request: AckRequest,
        outcome: Outcome,
        reason: str,
        err_code: int,
        category: str,
    ) -> Prepared:
        ack = build_ack(request, outcome, self._clock(), text=reason, err_code=err_code)
        message = InboundMessage(
            **base, ack_code=_msa1(ack), ack=ack, quarantine_reason=reason, quarantine_code=category
        )
        log.warning(
            "quarantined event=quarantine sender=%r control_id=%r category=%s reason=%r",
            message.sender,
            message.control_id,
            category,
            reason,
        )
        return Prepared(message, request)

    def commit_many(self, batch: list[Prepared]) -> list[IngestResult]:
        """Store a batch in one transaction (group commit), then answer each. If the batch fails,
        each message is tried alone, so one bad message cannot cost the others their ACK."""
        try:
            stored = self.store.store_many([p.message for p in batch])
        except Exception:
            if len(batch) == 1:
                return [self._failed(batch[0], sys.exc_info()[1])]
            log.warning("a batch of %d messages failed; storing them one by one", len(batch))
            return [self.commit_many([p])[0] for p in batch]
        return [self._answer(p.message, s) for p, s in zip(batch, stored, strict=True)]

    def prepare_unreadable(self, raw: bytes, peer: str, exc: BaseException) -> Prepared:
        """A frame whose reading failed unexpectedly (a bug): kept in quarantine with the error, so
        it can be diagnosed and replayed, and answered AE with ERR 207 (a resent copy is a duplicate
        of this row and gets the same answer)."""
        base: dict[str, Any] = {
            "raw": raw,
            "received_at": self._clock(),
            "peer": peer,
            "sender": _unreadable_sender(peer),
        }
        reason = f"internal error while reading the message ({type(exc).__name__}: {exc})"[:400]
        return self._quarantine(base, AckRequest(), Outcome.ERROR, reason, 207, "internal_error")

    def internal_error(self) -> IngestResult:
        """The answer when reading a frame failed unexpectedly (a bug): AE with ERR 207."""
        ack = build_ack(AckRequest(), Outcome.ERROR, self._clock(), text="internal error", err_code=207)
        return IngestResult(ack.encode("utf-8"), _msa1(ack), None, 0, None)

    def _failed(self, prepared: Prepared, exc: BaseException | None) -> IngestResult:
        """The database failed: nothing was stored, so the answer is AE/CE and the sender resends."""
        log.error(
            "not stored event=storage_failure sender=%r control_id=%r error=%r",
            prepared.message.sender,
            prepared.message.control_id,
            exc,
        )
        text = f"not stored: {type(exc).__name__}" if exc else "not stored"
        ack = build_ack(prepared.request, Outcome.ERROR, self._clock(), text=text, err_code=207)
        return IngestResult(ack.encode("utf-8"), _msa1(ack), None, 0, None)

    def _answer(self, message: InboundMessage, stored: StoredMessage) -> IngestResult:
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
            whose=(
                message.patient.ref
                if message.patient is not None
                else (Bed(message.device_bed) if message.device_bed else None)
            ),
            observed_until=max((o.observed_at for o in message.observations), default=None),
        )


def _unreadable_sender(peer: str) -> str:
    """The sender of a frame whose MSH could not be read: where it came from."""
    return f"(unreadable, from {peer.rsplit(':', 1)[0]})"


def _msa1(ack: str) -> str:
    return ack.split("\r")[1].split("|")[1]
