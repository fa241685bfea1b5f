"""Clinicians' records: adverse events (every version), their reports to the sponsor, course events."""

from __future__ import annotations

from bedside_adapters.db.schema.base import Id, metadata
from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

adverse_event = Table(
    "adverse_event",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("patient_ref", String(170), nullable=False),
    Column("episode_id", Id, ForeignKey("infusion_episode.id"), nullable=True),
    Column("term", String(200), nullable=False),
    Column("grade", Integer, nullable=False),
    Column("relatedness", String(40), nullable=False),
    Column("onset_ms", BigInteger, nullable=True),
    Column("alert_ids", Text, nullable=False, server_default="[]"),
    Column("notes", Text, nullable=False, server_default=""),
    Column("reported_by", String(120), nullable=False),
    Column("reported_ms", BigInteger, nullable=False),
    # Expedited reporting (ICH E2A). Each follow-up is a new row: `event_id` names version 1's row
    # (NULL on version 1 itself), and (event_id, version) is unique, so no version is ever replaced.
    # A column NULL on a row written before these existed means unknown, never "no".
    Column("event_id", Id, nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("seriousness", Text, nullable=True),
    Column("expectedness", String(20), nullable=True),
    Column("rsi", String(200), nullable=True),
    Column("ctcae_term", String(120), nullable=True),
    Column("ctcae_version", String(10), nullable=True),
    Column("meddra_code", String(12), nullable=False, server_default=""),
    Column("outcome", String(30), nullable=True),
    Column("end_ms", BigInteger, nullable=True),
    Column("action_taken", String(30), nullable=True),
    Column("treatment", Text, nullable=False, server_default=""),
    Column("assessed_by", String(120), nullable=True),
    Column("assessor_role", String(20), nullable=True),
    Column("awareness_ms", BigInteger, nullable=True),
    Column("special_interest", String(40), nullable=True),
    # Why this version moved the awareness time an earlier one recorded (NULL: it did not; a row
    # written before this column kept it at the head of its notes).
    Column("awareness_reason", Text, nullable=True),
    Index("uq_adverse_event_version", "event_id", "version", unique=True),
    # The nurse's screen reads a patient's events (their report clocks) every refresh.
    Index(None, "patient_ref"),
)


adverse_event_report = Table(
    "adverse_event_report",
    metadata,
    # A serious adverse event reported to the sponsor: when it was sent, which version, who recorded it.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", Id, ForeignKey("adverse_event.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("patient_ref", String(170), nullable=False),
    Column("sent_ms", BigInteger, nullable=False),
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_ms", BigInteger, nullable=False),
)


course_event = Table(
    "course_event",
    metadata,
    # What the review needs that no device says for sure: intubation, extubation (a ventilator that
    # stops may be a gateway fault), ICU discharge, death, radiology notes. Each is also in the log.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("patient_ref", String(170), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("text", Text, nullable=False, server_default=""),
    Column("source", String(40), nullable=False, server_default="clinician"),
    Column("entered_by", String(120), nullable=False),
    Column("entered_ms", BigInteger, nullable=False),
)
