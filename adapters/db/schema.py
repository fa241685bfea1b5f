"""SQLAlchemy Core tables. Times are integer epoch milliseconds UTC: one representation, no time zones
or float rounding to compare across senders, and an index that orders them as time does.

The first Alembic revision (migrations/versions/0001_initial.py) creates exactly these tables; a test
compares the two so that they cannot drift.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY (the rowid); PostgreSQL gets a bigint identity.
Id = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
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
    UniqueConstraint("identifier", "authority"),
)

inbound_message = Table(
    "inbound_message",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("received_ms", BigInteger, nullable=False),
    Column("peer", String(120), nullable=False),
    # The subject of the client certificate it came with over TLS (NULL: plain TCP, or none).
    Column("tls_subject", String(250), nullable=True),
    # The sender (MSH-3 @ MSH-4) by its number in message_sender (message_senders.py, migration 0026).
    Column("sender_id", Integer, nullable=False),
    Column("control_id", String(80), nullable=False, server_default=""),
    Column("message_time", String(40), nullable=False, server_default=""),
    Column("message_type", String(40), nullable=False, server_default=""),
    Column("version", String(20), nullable=False, server_default=""),
    # The message's identity (sender, MSH-10, MSH-7 and the SHA-256 of the bytes received) as 16 bytes
    # (message_digest.py): what recognises a resent copy, and what a frame read back is checked against.
    Column("digest", LargeBinary, nullable=False),
    # The frame as received, or compressed (raw_format): raw_size is the received bytes'.
    Column("raw", LargeBinary, nullable=False),
    Column("raw_size", Integer, nullable=False),
    # "": the bytes as received; "zstd": a zstd frame, with the dictionary raw_dictionary_id (none when
    # NULL); "pruned": dropped by the raw-retention setting (the row and its ACK stay).
    Column("raw_format", String(8), nullable=False, server_default=""),
    # No foreign key: adding one rebuilds the whole table on SQLite. A dictionary is never deleted.
    Column("raw_dictionary_id", Integer, nullable=True),
    # Vital-sign frames only (never quarantined, lab, ADT, pump or alarm frames): what raw retention
    # may prune.
    Column("raw_prunable", Boolean, nullable=False, server_default="0"),
    Column("codec", String(20), nullable=False, server_default=""),
    Column("lossy_decode", Boolean, nullable=False, server_default="0"),
    Column("ack_code", String(2), nullable=False),
    # The ACK sent, whole; or "" when it is rebuilt from ack_template, the ACK's second as an offset
    # from received_ms (ack_at) and the number ending its control id (ack_seq): stored_acks.py.
    Column("ack", Text, nullable=False),
    Column("ack_template", Integer, nullable=True),
    Column("ack_at", Integer, nullable=True),
    Column("ack_seq", BigInteger, nullable=True),
    Column("quarantine_reason", Text, nullable=True),
    # A short, stable category of the reason (unreadable, unsupported_type, …) for counting.
    Column("quarantine_code", String(40), nullable=True),
    # hl7apy's view of a quarantined message's structure, filled in after the ACK (it is slow).
    Column("diagnosis", Text, nullable=True),
    # A resent copy (same sender, MSH-10, MSH-7 and bytes) is not stored again: it is counted here
    # and answered with the stored ACK.
    Column("duplicates", Integer, nullable=False, server_default="0"),
    Column("last_duplicate_ms", BigInteger, nullable=True),
    Column("obx_count", Integer, nullable=False, server_default="0"),
    Column("observation_count", Integer, nullable=False, server_default="0"),
    # What was not read (a count per kind), as JSON kept once in message_skipped (NULL: nothing).
    Column("skipped_id", Integer, nullable=True),
    Index(None, "sender_id", "id"),
    # Only quarantined rows not yet diagnosed: ordinary messages never write to it (migration 0015).
    Index(
        "ix_inbound_message_undiagnosed",
        "id",
        sqlite_where=text("quarantine_reason IS NOT NULL AND diagnosis IS NULL"),
        postgresql_where=text("quarantine_reason IS NOT NULL AND diagnosis IS NULL"),
    ),
    # Never MSH-10 alone: monitors restart their counters, so a control id repeats after a reboot.
    # The digest stands for sender, MSH-10, MSH-7 and the bytes (migration 0026).
    Index("uq_inbound_message_digest", "digest", unique=True),
)

ack_template = Table(
    "ack_template",
    metadata,
    # What the ACKs of one sender's messages share, kept once (stored_acks.py); never changed or
    # deleted, so every stored ACK can be rebuilt. Found by the SHA-256 of its parts.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("digest", LargeBinary, nullable=False),
    Column("parts", Text, nullable=False),
    UniqueConstraint("digest"),
)

message_skipped = Table(
    "message_skipped",
    metadata,
    # Each distinct "what was not read" of the messages (JSON), kept once (interned.py).
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("digest", LargeBinary, nullable=False),
    Column("text", Text, nullable=False),
    UniqueConstraint("digest"),
)

message_sender = Table(
    "message_sender",
    metadata,
    # Each sender's name once; a message row keeps its number. Never changed or deleted.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(250), nullable=False),
    UniqueConstraint("name"),
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

safety_log = Table(
    "safety_log",
    metadata,
    # Append-only; each entry carries the hash of the one before (bedside/safety_log.py).
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("patient_ref", String(170), nullable=False, server_default=""),
    Column("episode_id", BigInteger, nullable=True),
    Column("alert_id", BigInteger, nullable=True),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # The installation key's fingerprint and its signature of `hash` (bedside/log_signing.py); null on
    # entries written before entries were signed.
    Column("key_id", String(48), nullable=True),
    Column("signature", String(128), nullable=True),
)

safety_log_head = Table(
    "safety_log_head",
    metadata,
    # The chain's last entry, updated in the same transaction: rows cut off the end are noticed.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

safety_log_key = Table(
    "safety_log_key",
    metadata,
    # The public keys that signed entries, by fingerprint. What a verifier trusts comes from outside
    # the database (the installation's key file, a fingerprint printed in a report).
    Column("key_id", String(48), primary_key=True),
    Column("public_key", String(64), nullable=False),
    Column("first_seq", BigInteger, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
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

raw_dictionary = Table(
    "raw_dictionary",
    metadata,
    # A zstd dictionary trained on one sender's frames. Versioned by id and never changed or deleted:
    # every frame compressed with it names it, so any stored frame decompresses forever.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sender", String(250), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("bytes", LargeBinary, nullable=False),
    Index(None, "sender", "id"),
)

app_user = Table(
    "app_user",
    metadata,
    # Bedside's own accounts (a site with a directory signs people in there instead). A disabled
    # account is kept: the record's names still resolve to a person and a role. The password is kept
    # only as its argon2id hash.
    Column("username", String(120), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("changed_ms", BigInteger, nullable=False),
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
