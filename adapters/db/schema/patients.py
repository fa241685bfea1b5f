"""Patients and where they lie: the patient, bed stays (ADT), device-to-bed bindings, merges."""

from __future__ import annotations

from bedside_adapters.db.schema.base import Id, metadata
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
)

patient = Table(
    "patient",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("identifier", String(80), nullable=False),
    Column("authority", String(80), nullable=False, server_default=""),
    Column("family_name", String(120), nullable=False, server_default=""),
    Column("given_name", String(120), nullable=False, server_default=""),
    Column("bed", String(80), nullable=False, server_default=""),
    Column("updated_ms", BigInteger, nullable=False),
    # PID-7 (birth date, HL7 DTM as sent: a calendar date, not an instant) and PID-8 (administrative
    # sex, HL7 table 0001 as sent), the latest a message sent; "" while none has. The trial's
    # demographics derive age and sex from them.
    Column("birth_date", String(24), nullable=False, server_default=""),
    Column("sex", String(20), nullable=False, server_default=""),
    UniqueConstraint("identifier", "authority"),
)


bed_stay = Table(
    "bed_stay",
    metadata,
    # A patient in a bed, from ADT. Device data reaches the patient through the devices bound to the
    # bed during the stay; a cancelled stay (A11, A12) no longer attaches anything.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("patient_ref", String(170), nullable=False),
    Column("patient_id", Id, ForeignKey("patient.id"), nullable=True),
    Column("bed", String(80), nullable=False),
    Column("from_ms", BigInteger, nullable=False),
    Column("to_ms", BigInteger, nullable=True),
    Column("kind", String(20), nullable=False),
    Column("visit", String(80), nullable=False, server_default=""),
    Column("cancelled", Boolean, nullable=False, server_default="0"),
    Column("message_id", Id, ForeignKey("inbound_message.id"), nullable=True),
    Index(None, "patient_ref", "from_ms"),
    Index(None, "bed", "from_ms"),
)


adt_death = Table(
    "adt_death",
    metadata,
    # A death an ADT message reported (PV1-36 discharge disposition "expired", HL7 table 0112 code 20;
    # or PID-30 death indicator Y with PID-29 its time). Never the death itself: it is offered on the
    # review's outcomes until an investigator confirms it as the death (a course event, signed).
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("patient_ref", String(170), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("source", String(40), nullable=False),
    Column("cancelled", Boolean, nullable=False, server_default="0"),
    Column("message_id", Id, ForeignKey("inbound_message.id"), nullable=True),
    Index(None, "patient_ref"),
)


device_binding = Table(
    "device_binding",
    metadata,
    # A device at a bed, from the location the device reports (PV1-3 of its PCD-01 messages) or a
    # clinician's confirmation; never from the patient name or id typed into the device.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("device", String(120), nullable=False),
    Column("bed", String(80), nullable=False),
    Column("from_ms", BigInteger, nullable=False),
    Column("to_ms", BigInteger, nullable=True),
    Column("source", String(20), nullable=False),
    Index(None, "device", "from_ms"),
    Index(None, "bed", "from_ms"),
)


patient_merge = Table(
    "patient_merge",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("surviving_ref", String(170), nullable=False),
    Column("retired_ref", String(170), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("message_id", Id, ForeignKey("inbound_message.id"), nullable=True),
)
