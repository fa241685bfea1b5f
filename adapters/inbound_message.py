"""What ingest made of one received frame, ready to be stored: ingest (`bedside_adapters.ingest`) builds
it from HL7 and hands it to the database's `ingest_store`. It sits beside the ingest package rather than
in it because the store takes it as its input and ingest uses the store: a type inside either package
would make the two import each other. It holds only the core's types."""

from __future__ import annotations

from dataclasses import dataclass, field

from bedside.adt import AdtEvent
from bedside.co_medication import MedicationAdministration
from bedside.device_alarms import DeviceAlarm
from bedside.infusion import InfusionEvent
from bedside.labs import LabResult
from bedside.model import DeviceState, Observation, Patient


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One received frame and what ingest made of it, ready to be stored."""

    raw: bytes
    received_at: float
    peer: str
    sender: str
    ack_code: str
    ack: str
    control_id: str = ""
    message_time: str = ""
    message_type: str = ""
    version: str = ""
    codec: str = ""
    lossy_decode: bool = False
    quarantine_reason: str | None = None
    quarantine_code: str | None = None
    obx_count: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    patient: Patient | None = None
    observations: tuple[Observation, ...] = ()
    lab_results: tuple[LabResult, ...] = ()
    infusion_events: tuple[InfusionEvent, ...] = ()
    adt: AdtEvent | None = None
    co_medication: tuple[MedicationAdministration, ...] = ()
    """Co-medication from the eMAR (RAS^O17) or a pharmacy order (RDE^O11)."""
    device_states: tuple[DeviceState, ...] = ()
    device_alarms: tuple[DeviceAlarm, ...] = ()
    device_bed: str = ""
    """PV1-3 of a device message: the bed its devices are at."""
    tls_subject: str | None = None
    """The subject of the client certificate it came with over TLS (None: plain TCP, or none)."""
