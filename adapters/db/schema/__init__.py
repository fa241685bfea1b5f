"""SQLAlchemy Core tables. Times are integer epoch milliseconds UTC: one representation, no time zones
or float rounding to compare across senders, and an index that orders them as time does.

The first Alembic revision (migrations/versions/0001_initial.py) creates exactly these tables; a test
compares the two so that they cannot drift.

One module per area (patients, messages, observations, devices, care, records, log), every table
re-exported here: callers write `schema.patient`.
"""

from __future__ import annotations

from bedside_adapters.db.schema.base import Id, metadata
from bedside_adapters.db.schema.care import (
    alarm_dead_letter,
    alert,
    alerting_heartbeat,
    co_medication,
    infusion_episode,
)
from bedside_adapters.db.schema.devices import device_alarm, device_state, infusion_event
from bedside_adapters.db.schema.log import app_user, safety_log, safety_log_head, safety_log_key
from bedside_adapters.db.schema.messages import (
    ack_template,
    inbound_message,
    message_sender,
    message_skipped,
    raw_dictionary,
)
from bedside_adapters.db.schema.observations import (
    feed,
    ingest_heartbeat,
    lab_result,
    observation,
    series,
    series_chunk,
)
from bedside_adapters.db.schema.patients import adt_death, bed_stay, device_binding, patient, patient_merge
from bedside_adapters.db.schema.records import adverse_event, adverse_event_report, course_event

__all__ = [
    "Id",
    "ack_template",
    "adt_death",
    "adverse_event",
    "adverse_event_report",
    "alarm_dead_letter",
    "alert",
    "alerting_heartbeat",
    "app_user",
    "bed_stay",
    "co_medication",
    "course_event",
    "device_alarm",
    "device_binding",
    "device_state",
    "feed",
    "inbound_message",
    "infusion_episode",
    "infusion_event",
    "ingest_heartbeat",
    "lab_result",
    "message_sender",
    "message_skipped",
    "metadata",
    "observation",
    "patient",
    "patient_merge",
    "raw_dictionary",
    "safety_log",
    "safety_log_head",
    "safety_log_key",
    "series",
    "series_chunk",
]
