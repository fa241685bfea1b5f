"""What pumps and devices said: infusion events, each device's state, device alarms."""

from __future__ import annotations

from bedside_adapters.db.schema.base import Id, metadata
from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
)

infusion_event = Table(
    "infusion_event",
    metadata,
    # Where a dose's start and end may come from (pump PCD-10, eMAR RAS^O17, later manual entry);
    # candidate episodes are built from these, and a clinician confirms them.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("message_id", Id, ForeignKey("inbound_message.id"), nullable=True),
    Column("patient_ref", String(170), nullable=False),
    Column("patient_id", Id, ForeignKey("patient.id"), nullable=True),
    Column("source", String(20), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("device", String(120), nullable=False, server_default=""),
    Column("product", String(200), nullable=False, server_default=""),
    Column("amount", String(80), nullable=False, server_default=""),
    Column("reason", String(200), nullable=False, server_default=""),
    Column("order_id", String(120), nullable=False, server_default=""),
    Column("received_ms", BigInteger, nullable=False),
    Index(None, "patient_ref", "at_ms"),
)


device_state = Table(
    "device_state",
    metadata,
    # A device's text states (ventilation mode, pump infusing status), one row per change.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("device", String(120), nullable=False),
    Column("state", String(40), nullable=False),
    Column("value", String(120), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("message_id", Id, ForeignKey("inbound_message.id"), nullable=True),
    Index(None, "device", "state", "at_ms"),
)


device_alarm = Table(
    "device_alarm",
    metadata,
    # A device's own alarm (IHE PCD-04), one row per report: start, updates and end share alarm_id.
    # The monitor and the pump keep the primary alarms; these are for the record and for rules.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("message_id", Id, ForeignKey("inbound_message.id"), nullable=False),
    Column("device", String(120), nullable=False),
    Column("alarm_id", String(120), nullable=False),
    Column("phase", String(40), nullable=False, server_default=""),
    Column("state", String(40), nullable=False, server_default=""),
    Column("priority", String(20), nullable=False, server_default=""),
    Column("event_code", String(20), nullable=False),
    Column("event_refid", String(80), nullable=False, server_default=""),
    Column("event_text", String(200), nullable=False, server_default=""),
    Column("source_refid", String(80), nullable=False, server_default=""),
    Column("source_value", String(80), nullable=False, server_default=""),
    Column("at_ms", BigInteger, nullable=False),
    Index(None, "device", "alarm_id", "at_ms"),
)
