"""The write side of ingest: one transaction per message holding the raw bytes and what was parsed.

The caller sends the ACK only after `store()` has returned, i.e. after the commit: an acknowledged
message is never lost. The hot path (the message row, its observations, the feed) speaks the DB-API with
executemany; the rarer tables are written by their own modules (ADT, device states and alarms, labs,
infusion events and the doses they change).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bedside_adapters.db import schema as t
from bedside_adapters.db.adt_store import apply_adt, bind_devices
from bedside_adapters.db.co_medication_store import insert_administrations
from bedside_adapters.db.device_episodes import store_infusion_events
from bedside_adapters.db.device_store import DeviceStates, store_alarms
from bedside_adapters.db.ingest_ids import IngestIds
from bedside_adapters.db.interned import text_id
from bedside_adapters.db.lab_store import store_lab_result
from bedside_adapters.db.message_digest import frame_digest
from bedside_adapters.db.message_senders import SenderIds
from bedside_adapters.db.raw_frames import RawCodec
from bedside_adapters.db.stored_acks import AckTemplates, ack_columns, split_ack
from bedside_adapters.db.streams import stream_of
from bedside_adapters.inbound_message import InboundMessage
from sqlalchemy import Connection, Engine, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bedside.clock import to_ms

_MESSAGE_COLUMNS = (
    "sender_id",
    "control_id",
    "message_time",
    "received_ms",
    "peer",
    "message_type",
    "version",
    "digest",
    "raw",
    "raw_size",
    "raw_format",
    "raw_dictionary_id",
    "raw_prunable",
    "codec",
    "lossy_decode",
    "ack_code",
    "ack",
    "ack_template",
    "ack_at",
    "ack_seq",
    "quarantine_reason",
    "quarantine_code",
    "obx_count",
    "observation_count",
    "skipped_id",
    "tls_subject",
)


@dataclass(frozen=True, slots=True)
class StoredMessage:
    id: int
    ack: str
    """The ACK to send: this message's, or for a duplicate the one sent the first time."""
    duplicate: bool = False


class DigestMismatch(RuntimeError):
    """A stored message has this message's digest but not its sender, control id or time."""


class IngestStore:
    """Writes inbound messages. One instance per ingest process, used from one thread."""

    def __init__(self, engine: Engine, hold_connection: bool = False) -> None:
        """`hold_connection`: keep one connection across batches (the ingest service, which calls
        close() when it stops); otherwise each batch checks one out of the pool."""
        self._engine = engine
        self._hold = hold_connection
        self._conn: Connection | None = None
        self._bindings: dict[str, tuple[str, int]] = {}
        self._states = DeviceStates()
        self.raw = RawCodec()
        """Frames at rest: the trainer adopts each new dictionary here (raw_frames.py)."""
        self._raw_loaded = False
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._ids = IngestIds(self._insert)
        self._acks = AckTemplates()
        self._senders = SenderIds(self._insert)
        self._skipped: dict[str, int] = {}
        # The hot path speaks the DB-API directly, inside SQLAlchemy's transaction: Core's per-statement
        # work (compiling the cached statement, processing each parameter) cost more than SQLite's
        # insert and commit together. Duplicates and the rarer tables use Core.
        mark = "?" if engine.dialect.name == "sqlite" else "%s"
        im = t.inbound_message
        columns = ", ".join(_MESSAGE_COLUMNS)
        self._insert_message_sql = (
            f"INSERT INTO inbound_message ({columns}) VALUES ({', '.join([mark] * len(_MESSAGE_COLUMNS))}) "
            "ON CONFLICT (digest) DO NOTHING RETURNING id"
        )
        self._count_duplicate = (
            update(im)
            .where(im.c.digest == bindparam("k_digest"))
            .values(duplicates=im.c.duplicates + 1, last_duplicate_ms=bindparam("k_now"))
            .returning(im.c.id, *ack_columns())
        )
        self._insert_observations_sql = (
            "INSERT INTO observation "
            "(series_id, observed_ms, received_ms, value, status, message_id, stream) "
            f"VALUES ({', '.join([mark] * 7)})"
        )
        # One row per sender, written once per batch (not once per message) with the batch's counts.
        self._upsert_feed_sql = (
            "INSERT INTO feed (sender, first_received_ms, last_received_ms, last_observed_ms, messages, "
            "clock_faults, last_clock_fault_ms, last_clock_fault) "
            f"VALUES ({', '.join([mark] * 8)}) ON CONFLICT (sender) DO UPDATE SET "
            "last_received_ms = excluded.last_received_ms, "
            "last_observed_ms = COALESCE(excluded.last_observed_ms, feed.last_observed_ms), "
            "messages = feed.messages + excluded.messages, "
            "clock_faults = feed.clock_faults + excluded.clock_faults, "
            "last_clock_fault_ms = COALESCE(excluded.last_clock_fault_ms, feed.last_clock_fault_ms), "
            "last_clock_fault = COALESCE(excluded.last_clock_fault, feed.last_clock_fault)"
        )

    def store(self, message: InboundMessage) -> StoredMessage:
        """Commit the message and its observations atomically. A copy of a message already stored
        (same sender, MSH-10, MSH-7 and bytes) stores nothing and returns the stored ACK."""
        return self.store_many([message])[0]

    def _connection(self) -> Connection:
        # Held across batches: checking a connection out of the pool and back in (with its reset)
        # for every commit cost more than a message's own statements.
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self._conn = self._engine.connect()
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def store_many(self, messages: list[InboundMessage]) -> list[StoredMessage]:
        """Several messages in one transaction (group commit across connections): one commit, then
        every one of them may be acknowledged."""
        try:
            if not self._hold:
                with self._engine.begin() as conn:
                    return self._store_all(conn, messages)
            conn = self._connection()
            with conn.begin():
                return self._store_all(conn, messages)
        except Exception:
            # A connection that failed (a server restart, a lock timeout) is not trusted again: the
            # next batch takes a fresh one. Ids cached during the failed transaction may name rows
            # that were rolled back.
            self.close()
            self._ids.clear()
            self._acks.clear()
            self._senders.clear()
            self._skipped.clear()
            self._bindings.clear()
            self._states.clear()
            raise

    def _store_all(self, conn: Connection, messages: list[InboundMessage]) -> list[StoredMessage]:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        if not self._raw_loaded:  # the dictionaries stored so far; later ones come from the trainer
            self.raw.refresh(conn)
            self._raw_loaded = True
        feeds: dict[str, list[Any]] = {}
        stored = [self._store(conn, cursor, m, feeds) for m in messages]
        cursor.executemany(self._upsert_feed_sql, [tuple(v) for v in feeds.values()])
        return stored

    def _check_same_message(self, conn: Connection, digest: bytes, key: tuple[int, str, str]) -> None:
        """A duplicate is answered with the first copy's ACK only when the stored row is the same
        message: the digest covers sender, control id and time, so a row whose digest matches but
        whose own columns differ was altered in the database (or two messages collided). Answering
        it as a duplicate would drop the new message and name another's control id in its ACK;
        raising leaves it unstored, answered AE, and logged for an operator."""
        im = t.inbound_message
        found = conn.execute(
            select(im.c.id, im.c.sender_id, im.c.control_id, im.c.message_time).where(im.c.digest == digest)
        ).first()
        if found is not None and tuple(found[1:]) != key:
            raise DigestMismatch(
                f"message {found[0]} has the digest of this message but another sender, control id or "
                "time: the stored row was altered, or two messages collided; check it before resending"
            )

    def _store(
        self, conn: Connection, cursor: Any, m: InboundMessage, feeds: dict[str, list[Any]]
    ) -> StoredMessage:
        received_ms = to_ms(m.received_at)
        sender, control_id, message_time = m.sender[:250], m.control_id[:80], m.message_time[:40]
        digest = frame_digest(sender, control_id, message_time, m.raw)
        packed = self.raw.pack(sender, m.raw, m.quarantine_reason is not None)
        ack, template_id, ack_at, ack_seq = m.ack, None, None, None
        split = split_ack(m.ack, control_id, received_ms)
        if split is not None:
            ack, ack_at, ack_seq = "", split.at, split.seq
            template_id = self._acks.id_for(conn, split, self._insert)
        sender_id = self._senders.id_for(conn, sender)
        cursor.execute(
            self._insert_message_sql,
            (
                sender_id,
                control_id,
                message_time,
                received_ms,
                m.peer[:120],
                m.message_type[:40],
                m.version[:20],
                digest,
                packed.stored,
                len(m.raw),
                packed.format,
                packed.dictionary_id,
                _vitals_only(m),
                m.codec,
                m.lossy_decode,
                m.ack_code,
                ack,
                template_id,
                ack_at,
                ack_seq,
                m.quarantine_reason,
                m.quarantine_code,
                m.obx_count,
                len(m.observations),
                self._skipped_id(conn, m.skipped) if m.skipped else None,
                m.tls_subject,
            ),
        )
        row = cursor.fetchone()
        if row is None:
            self._check_same_message(conn, digest, (sender_id, control_id, message_time))
            first = conn.execute(
                self._count_duplicate,
                {"k_digest": digest, "k_now": received_ms},
            ).one()
            return StoredMessage(int(first[0]), self._acks.text(conn, *first[1:]), duplicate=True)
        message_id = int(row[0])
        patient_id = self._ids.patient(conn, m.patient, received_ms) if m.patient else None
        last_observed = None
        rows: list[tuple[Any, ...]] = []
        if m.observations:
            series_ids = self._ids.series(conn, {o.series for o in m.observations}, patient_id)
            rows = [
                (
                    series_ids[o.series],
                    to_ms(o.observed_at),
                    received_ms,
                    o.value,
                    o.status[:2],
                    message_id,
                    stream_of(o.series.device[:120]),
                )
                for o in m.observations
            ]
            cursor.executemany(self._insert_observations_sql, rows)
            last_observed = max(r[1] for r in rows)
        fault = m.quarantine_code == "clock_fault"
        feed = feeds.get(sender)
        if feed is None:
            feeds[sender] = [sender, received_ms, received_ms, last_observed, 1, 0, None, None]
            feed = feeds[sender]
        else:  # as if upserted once per message, in order
            feed[2] = received_ms
            feed[3] = last_observed if last_observed is not None else feed[3]
            feed[4] += 1
        if fault:  # shown on the feed line: a device whose clock cannot be believed
            feed[5:8] = [feed[5] + 1, received_ms, (m.quarantine_reason or "")[:300]]
        if m.adt is not None and patient_id is not None:
            apply_adt(conn, m.adt, int(message_id), patient_id)
        if m.device_bed and m.observations:
            first_seen: dict[str, int] = {}
            for o, r in zip(m.observations, rows, strict=True):  # rows: this message's, in order
                t_ms = r[1]
                if t_ms < first_seen.get(o.series.device, t_ms + 1):
                    first_seen[o.series.device] = t_ms
            bind_devices(conn, m.device_bed, first_seen, self._bindings)
        if m.device_alarms:
            store_alarms(conn, m.device_alarms, message_id)
        for state in m.device_states:
            self._states.store(conn, state, message_id, received_ms)
        for result in m.lab_results:
            store_lab_result(conn, result, message_id, patient_id)
        if m.infusion_events:
            store_infusion_events(conn, m.infusion_events, message_id, patient_id, m.received_at)
        if m.co_medication:
            insert_administrations(conn, m.co_medication, m.received_at, message_id=message_id)
        return StoredMessage(int(message_id), m.ack)

    def _skipped_id(self, conn: Connection, skipped: dict[str, int]) -> int:
        text = json.dumps(skipped, sort_keys=True)
        found = self._skipped.get(text)
        if found is None:
            found = text_id(conn, t.message_skipped, "text", text, self._insert)
            if len(self._skipped) >= 4096:
                self._skipped.clear()
            self._skipped[text] = found
        return found


def _vitals_only(m: InboundMessage) -> bool:
    """A frame that raw retention may prune: an accepted report of vital signs and nothing else.
    Quarantined frames and frames of labs, ADT, pumps (their rates, states and events) and alarms are
    kept for as long as the record."""
    if m.quarantine_reason is not None or not m.observations or not m.message_type.startswith("ORU^R01"):
        return False
    if m.lab_results or m.infusion_events or m.device_alarms or m.adt is not None or m.co_medication:
        return False
    # The parameter catalogue's pump group: every key of it begins so (resources/parameters.toml).
    if any(o.series.parameter.startswith("pump_") for o in m.observations):
        return False
    return not any(s.key.startswith("pump_") for s in m.device_states)
