"""Doses and alerts: infusion episodes, alerts, the alerting engine's heartbeat, alarms the alarm
manager did not take, and co-medications."""

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
    String,
    Table,
    Text,
    UniqueConstraint,
)

infusion_episode = Table(
    "infusion_episode",
    metadata,
    # One dose of a cell product: where its start and end came from, who confirmed it.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("patient_ref", String(170), nullable=False),
    Column("dose_number", Integer, nullable=False),
    Column("product", String(200), nullable=False, server_default=""),
    Column("cells", Float, nullable=True),
    Column("weight_kg", Float, nullable=True),
    Column("cells_per_kg", Float, nullable=True),
    Column("planned_start_ms", BigInteger, nullable=True),
    Column("start_ms", BigInteger, nullable=False),
    Column("end_ms", BigInteger, nullable=True),
    Column("start_source", String(20), nullable=False),
    Column("end_source", String(20), nullable=False, server_default=""),
    Column("state", String(20), nullable=False),
    Column("confirmed_by", String(120), nullable=False, server_default=""),
    Column("confirmed_ms", BigInteger, nullable=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    # What the rule engine measured before the start (signal -> value, method, minutes, note): the
    # nurse's screen shows each value against it.
    Column("baselines", Text, nullable=False, server_default="{}"),
    Column("course_doses", Integer, nullable=True),
    # The patient's own limits for this dose set by the intensivist ({"spo2": 85, "abp_mean": 60}):
    # where the baseline is already past an absolute threshold, the rules count a fall past these.
    Column("targets", Text, nullable=False, server_default="{}"),
    UniqueConstraint("patient_ref", "dose_number"),
)


alert = Table(
    "alert",
    metadata,
    # An infusion-reaction (or technical) alert: rule, rule-set version, the observations that fired it.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("episode_id", Id, ForeignKey("infusion_episode.id"), nullable=False),
    Column("patient_ref", String(170), nullable=False),
    Column("rule_id", String(20), nullable=False),
    Column("ruleset", String(120), nullable=False),
    Column("ruleset_digest", String(64), nullable=False),
    Column("grading", String(60), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("state", String(20), nullable=False),
    Column("title", String(120), nullable=False, server_default=""),
    Column("message", Text, nullable=False),
    Column("onset_ms", BigInteger, nullable=False),
    Column("fired_ms", BigInteger, nullable=False),
    Column("last_true_ms", BigInteger, nullable=False),
    Column("raised_ms", BigInteger, nullable=False),
    Column("start_unconfirmed", Boolean, nullable=False, server_default="0"),
    Column("on_import", Boolean, nullable=False, server_default="0"),
    Column("observations", Text, nullable=False, server_default="[]"),
    Column("detail", Text, nullable=False, server_default="{}"),
    Column("annotation", Text, nullable=False, server_default=""),
    Column("acked_by", String(120), nullable=False, server_default=""),
    Column("acked_ms", BigInteger, nullable=True),
    Column("ack_comment", Text, nullable=False, server_default=""),
    Column("escalated_ms", BigInteger, nullable=True),
    Column("resolved_ms", BigInteger, nullable=True),
    Column("resolved_reason", String(200), nullable=False, server_default=""),
    Column("latency_ms", Float, nullable=True),
    # The composite alert this one is folded under (one reaction, one problem to acknowledge).
    Column("folded_into", Id, nullable=True),
    Index(None, "episode_id", "rule_id"),
    Index(None, "state"),
)


alerting_heartbeat = Table(
    "alerting_heartbeat",
    metadata,
    # The rule engine's lease and heartbeat: one engine alerts at a time; the screens show its age.
    Column("name", String(40), primary_key=True),
    Column("instance", String(120), nullable=False),
    Column("beat_ms", BigInteger, nullable=False),
    Column("ruleset", String(120), nullable=False),
    Column("evaluated_ms", BigInteger, nullable=True),
)


alarm_dead_letter = Table(
    "alarm_dead_letter",
    metadata,
    # An alert the alarm manager never acknowledged (refused, no reply, or not reachable) after the
    # configured number of tries, kept with the message as sent: the screens and `stats` show it, and
    # it is never resent by itself (a late alarm would mislead).
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("control_id", String(40), nullable=False),
    Column("alert_id", BigInteger, nullable=False),
    Column("patient_ref", String(120), nullable=False),
    Column("phase", String(10), nullable=False),
    Column("destination", String(200), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("reason", String(400), nullable=False),
    Column("first_try_ms", BigInteger, nullable=False),
    Column("dead_ms", BigInteger, nullable=False),
    Column("message", Text, nullable=False),
    Index(None, "dead_ms"),
)


co_medication = Table(
    "co_medication",
    metadata,
    # Drugs given around the study product's doses that change how the course reads (steroids,
    # IL-6 blockade, antipyretics, anticoagulants, vasopressors; others kept as "other"): from the
    # eMAR (RAS^O17 administrations, RDE^O11 orders, with message_id) or entered by a clinician
    # (entered_by; the safety log holds the signed entry). Rows are never updated.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("patient_ref", String(170), nullable=False),
    Column("message_id", Id, ForeignKey("inbound_message.id"), nullable=True),
    Column("drug", String(200), nullable=False),
    Column("drug_class", String(20), nullable=False),
    Column("code", String(60), nullable=False, server_default=""),
    Column("code_system", String(40), nullable=False, server_default=""),
    Column("dose", Float, nullable=True),
    Column("unit", String(40), nullable=False, server_default=""),
    Column("dose_as_sent", String(80), nullable=False, server_default=""),
    Column("route", String(40), nullable=False, server_default=""),
    Column("start_ms", BigInteger, nullable=False),
    Column("end_ms", BigInteger, nullable=True),
    Column("source", String(10), nullable=False),
    Column("source_id", String(200), nullable=False, server_default=""),
    Column("status", String(10), nullable=False, server_default="given"),
    Column("entered_by", String(120), nullable=False, server_default=""),
    Column("recorded_ms", BigInteger, nullable=False),
    Index(None, "patient_ref", "start_ms"),
)
