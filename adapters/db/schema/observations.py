"""Observations: the series of each numeric, its values (recent rows and compacted hour chunks), the
feeds, ingest's heartbeat, and lab results."""

from __future__ import annotations

from bedside_adapters.db.schema.base import Id, metadata
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

series = Table(
    "series",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    # The patient as the sender identified it ("" = not yet bound to a patient). Kept as text so
    # that the identity (and its unique constraint) also covers unbound device data.
    Column("patient_ref", String(170), nullable=False),
    Column("patient_id", Id, ForeignKey("patient.id"), nullable=True),
    Column("parameter", String(40), nullable=False),
    Column("unit", String(40), nullable=False),
    Column("device", String(120), nullable=False),
    Column("instance", String(80), nullable=False, server_default=""),
    UniqueConstraint("patient_ref", "parameter", "unit", "device", "instance"),
    Index(None, "patient_id", "parameter"),
)


observation = Table(
    "observation",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("series_id", Id, ForeignKey("series.id"), nullable=False),
    Column("observed_ms", BigInteger, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
    Column("value", Float, nullable=False),
    Column("status", String(2), nullable=False, server_default="R"),
    # NULL for a value a clinician entered by hand (bedside/vitals.py): it came in no message; the
    # safety log holds who entered it (migration 0016).
    Column("message_id", Id, ForeignKey("inbound_message.id"), nullable=True),
    Column("stream", Integer, nullable=False, server_default="0"),
    # Staging rows (compaction folds them into chunks every few seconds), indexed by the device they
    # came from and time: a (series, time) index cost a dirty page per series per commit (0013).
    Index(None, "stream", "observed_ms"),
)


feed = Table(
    "feed",
    metadata,
    # One row per sender: what the screens read every second, so they never scan the messages.
    Column("sender", String(250), primary_key=True),
    Column("first_received_ms", BigInteger, nullable=False),
    Column("last_received_ms", BigInteger, nullable=False),
    Column("last_observed_ms", BigInteger, nullable=True),
    Column("messages", BigInteger, nullable=False, server_default="0"),
    # Messages quarantined as clock faults (a time too far from their arrival), the last one's
    # receive time and reason: shown on the feed line and in `stats`.
    Column("clock_faults", BigInteger, nullable=False, server_default="0"),
    Column("last_clock_fault_ms", BigInteger, nullable=True),
    Column("last_clock_fault", String(300), nullable=True),
)


ingest_heartbeat = Table(
    "ingest_heartbeat",
    metadata,
    Column("instance", String(80), primary_key=True),
    Column("host", String(120), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("listen", String(250), nullable=False),
    Column("started_ms", BigInteger, nullable=False),
    Column("beat_ms", BigInteger, nullable=False),
)


series_chunk = Table(
    "series_chunk",
    metadata,
    # One hour of one series: 3,600 little-endian float32 slots (bedside/chunks.py), NaN = no value.
    # Filled by the compactor from `observation` rows; count/min/max let coarse views skip the blob.
    Column("series_id", Id, ForeignKey("series.id"), primary_key=True),
    Column("start_ms", BigInteger, primary_key=True),
    Column("count", Integer, nullable=False),
    Column("vmin", Float, nullable=True),
    Column("vmax", Float, nullable=True),
    Column("grid", LargeBinary, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)


lab_result = Table(
    "lab_result",
    metadata,
    # One row per version of a result; versions of one result share (sender, filler_order, code,
    # sub_id). Never updated except for `current`/`superseded_by`, which say which version trends.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("message_id", Id, ForeignKey("inbound_message.id"), nullable=False),
    Column("patient_ref", String(170), nullable=False),
    Column("patient_id", Id, ForeignKey("patient.id"), nullable=True),
    Column("sender", String(250), nullable=False),
    Column("filler_order", String(120), nullable=False),
    Column("code", String(40), nullable=False),
    Column("code_system", String(40), nullable=False),
    Column("sub_id", String(40), nullable=False, server_default=""),
    Column("analyte", String(40), nullable=True),
    Column("value", Float, nullable=True),
    Column("comparator", String(4), nullable=False, server_default=""),
    Column("unit", String(40), nullable=False, server_default=""),
    Column("value_as_sent", Text, nullable=False, server_default=""),
    Column("unit_as_sent", String(60), nullable=False, server_default=""),
    Column("reference_range", String(120), nullable=False, server_default=""),
    Column("abnormal_flags", String(60), nullable=False, server_default=""),
    Column("status", String(2), nullable=False),
    Column("observed_ms", BigInteger, nullable=False),
    Column("reported_ms", BigInteger, nullable=True),
    Column("received_ms", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("current", Boolean, nullable=False),
    Column("retracted", Boolean, nullable=False, server_default="0"),
    Column("superseded_by", Id, nullable=True),
    Column("note", String(200), nullable=False, server_default=""),
    # SPM-24 codes (HL7 table 0493), or HEM from a comment saying the sample was haemolysed (0014).
    Column("specimen_condition", String(60), nullable=False, server_default=""),
    Index(None, "patient_ref", "analyte", "observed_ms"),
    Index(None, "sender", "filler_order", "code", "sub_id"),
)
