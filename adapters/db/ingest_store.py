"""The write side of ingest: one transaction per message holding the raw bytes and what was parsed.

The caller sends the ACK only after `store()` has returned, i.e. after the commit (rule 3).
Hot path in SQLAlchemy Core with executemany (architecture-research.md §3.1: 6x the ORM's rate).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from bedside_adapters.db import schema as t
from bedside_adapters.db.adt_store import apply_adt, bind_devices
from bedside_adapters.db.device_episodes import record_device_event
from bedside_adapters.db.streams import stream_of
from bedside_adapters.hl7.alarm import DeviceAlarm
from sqlalchemy import Connection, Engine, bindparam, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from bedside.adt import AdtEvent
from bedside.clock import to_ms
from bedside.infusion import EventKind, EventSource, InfusionEvent
from bedside.labs import RETRACTING_STATUSES, LabResult, supersedes
from bedside.model import DeviceState, Observation, Patient, SeriesKey

_MESSAGE_COLUMNS = (
    "sender",
    "control_id",
    "message_time",
    "received_ms",
    "peer",
    "message_type",
    "version",
    "sha256",
    "raw",
    "raw_size",
    "codec",
    "lossy_decode",
    "ack_code",
    "ack",
    "quarantine_reason",
    "quarantine_code",
    "obx_count",
    "observation_count",
    "skipped",
)


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
    device_states: tuple[DeviceState, ...] = ()
    device_alarms: tuple[DeviceAlarm, ...] = ()
    device_bed: str = ""
    """PV1-3 of a device message: the bed its devices are at."""


@dataclass(frozen=True, slots=True)
class StoredMessage:
    id: int
    ack: str
    """The ACK to send: this message's, or for a duplicate the one sent the first time."""
    duplicate: bool = False


class IngestStore:
    """Writes inbound messages. One instance per ingest process, used from one thread."""

    def __init__(self, engine: Engine, hold_connection: bool = False) -> None:
        """`hold_connection`: keep one connection across batches (the ingest service, which calls
        close() when it stops); otherwise each batch checks one out of the pool."""
        self._engine = engine
        self._hold = hold_connection
        self._conn: Connection | None = None
        self._series_ids: dict[SeriesKey, int] = {}
        self._bindings: dict[str, tuple[str, int]] = {}
        self._states: dict[tuple[str, str], str] = {}
        self._patient_ids: dict[tuple[str, str], tuple[int, tuple[str, str, str]]] = {}
        self._upsert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        # The hot path speaks the DB-API directly, inside SQLAlchemy's transaction: Core's per-statement
        # work (compiling the cached statement, processing each parameter) cost more than SQLite's
        # insert and commit together (cProfile, issue 5). Duplicates and the rarer tables use Core.
        mark = "?" if engine.dialect.name == "sqlite" else "%s"
        im = t.inbound_message
        columns = ", ".join(_MESSAGE_COLUMNS)
        self._insert_message_sql = (
            f"INSERT INTO inbound_message ({columns}) VALUES ({', '.join([mark] * len(_MESSAGE_COLUMNS))}) "
            "ON CONFLICT (sender, control_id, message_time, sha256) DO NOTHING RETURNING id"
        )
        self._count_duplicate = (
            update(im)
            .where(
                im.c.sender == bindparam("k_sender"),
                im.c.control_id == bindparam("k_control_id"),
                im.c.message_time == bindparam("k_message_time"),
                im.c.sha256 == bindparam("k_sha256"),
            )
            .values(duplicates=im.c.duplicates + 1, last_duplicate_ms=bindparam("k_now"))
            .returning(im.c.id, im.c.ack)
        )
        self._insert_observations_sql = (
            "INSERT INTO observation "
            "(series_id, observed_ms, received_ms, value, status, message_id, stream) "
            f"VALUES ({', '.join([mark] * 7)})"
        )
        # One row per sender, written once per batch (not once per message) with the batch's counts.
        self._upsert_feed_sql = (
            "INSERT INTO feed (sender, first_received_ms, last_received_ms, last_observed_ms, messages) "
            f"VALUES ({', '.join([mark] * 5)}) ON CONFLICT (sender) DO UPDATE SET "
            "last_received_ms = excluded.last_received_ms, "
            "last_observed_ms = COALESCE(excluded.last_observed_ms, feed.last_observed_ms), "
            "messages = feed.messages + excluded.messages"
        )

    def store(self, message: InboundMessage) -> StoredMessage:
        """Commit the message and its observations atomically. A copy of a message already stored
        (same sender, MSH-10, MSH-7 and bytes) stores nothing and returns the stored ACK."""
        return self.store_many([message])[0]

    def _connection(self) -> Connection:
        # Held across batches: checking a connection out of the pool and back in (with its reset)
        # for every commit cost ~20 µs a message on one connection (issue 5).
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
            self._series_ids.clear()
            self._patient_ids.clear()
            self._bindings.clear()
            self._states.clear()
            raise

    def _store_all(self, conn: Connection, messages: list[InboundMessage]) -> list[StoredMessage]:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        feeds: dict[str, list[Any]] = {}
        stored = [self._store(conn, cursor, m, feeds) for m in messages]
        cursor.executemany(self._upsert_feed_sql, [tuple(v) for v in feeds.values()])
        return stored

    def _store(
        self, conn: Connection, cursor: Any, m: InboundMessage, feeds: dict[str, list[Any]]
    ) -> StoredMessage:
        received_ms = to_ms(m.received_at)
        sha = hashlib.sha256(m.raw).hexdigest()
        sender, control_id, message_time = m.sender[:250], m.control_id[:80], m.message_time[:40]
        cursor.execute(
            self._insert_message_sql,
            (
                sender,
                control_id,
                message_time,
                received_ms,
                m.peer[:120],
                m.message_type[:40],
                m.version[:20],
                sha,
                m.raw,
                len(m.raw),
                m.codec,
                m.lossy_decode,
                m.ack_code,
                m.ack,
                m.quarantine_reason,
                m.quarantine_code,
                m.obx_count,
                len(m.observations),
                json.dumps(m.skipped, sort_keys=True) if m.skipped else "",
            ),
        )
        row = cursor.fetchone()
        if row is None:
            first = conn.execute(
                self._count_duplicate,
                {
                    "k_sender": sender,
                    "k_control_id": control_id,
                    "k_message_time": message_time,
                    "k_sha256": sha,
                    "k_now": received_ms,
                },
            ).one()
            return StoredMessage(int(first[0]), first[1], duplicate=True)
        message_id = int(row[0])
        patient_id = self._patient_id(conn, m.patient, received_ms) if m.patient else None
        last_observed = None
        rows: list[tuple[Any, ...]] = []
        if m.observations:
            series_ids = self._resolve_series(conn, {o.series for o in m.observations}, patient_id)
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
        feed = feeds.get(sender)
        if feed is None:
            feeds[sender] = [sender, received_ms, received_ms, last_observed, 1]
        else:  # as if upserted once per message, in order
            feed[2] = received_ms
            feed[3] = last_observed if last_observed is not None else feed[3]
            feed[4] += 1
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
            conn.execute(
                insert(t.device_alarm),
                [
                    {
                        "message_id": int(message_id),
                        "device": a.device[:120],
                        "alarm_id": a.alarm_id[:120],
                        "phase": a.phase[:40],
                        "state": a.state[:40],
                        "priority": a.priority[:20],
                        "event_code": a.event_code[:20],
                        "event_refid": a.event_refid[:80],
                        "event_text": a.event_text[:200],
                        "source_refid": a.source_refid[:80],
                        "source_value": a.source_value[:80],
                        "at_ms": to_ms(a.at),
                    }
                    for a in m.device_alarms
                ],
            )
        for state in m.device_states:
            self._store_state(conn, state, int(message_id), received_ms)
        for result in m.lab_results:
            self._store_lab(conn, result, int(message_id), patient_id)
        if m.infusion_events:
            conn.execute(
                insert(t.infusion_event),
                [
                    {
                        "message_id": int(message_id),
                        "patient_ref": str(e.patient) if e.patient else "",
                        "patient_id": patient_id,
                        "source": e.source.value,
                        "kind": e.kind.value,
                        "at_ms": to_ms(e.at),
                        "device": e.device[:120],
                        "product": e.product[:200],
                        "amount": e.amount[:80],
                        "reason": e.reason[:200],
                        "order_id": e.order[:120],
                        "received_ms": received_ms,
                    }
                    for e in m.infusion_events
                ],
            )
            for e in m.infusion_events:
                record_device_event(conn, e, m.received_at)
        return StoredMessage(int(message_id), m.ack)

    def _store_state(self, conn: Connection, s: DeviceState, message_id: int, received_ms: int) -> None:
        """Keep a state only when it changes; a pump's infusing status changing is also a candidate
        start or end of an infusion (source pcd01-status)."""
        ds = t.device_state.c
        key = (s.device[:120], s.key)
        last = self._states.get(key)
        if last is None:
            last = conn.execute(
                select(ds.value)
                .where(ds.device == key[0], ds.state == key[1])
                .order_by(ds.at_ms.desc())
                .limit(1)
            ).scalar_one_or_none()
        if last == s.value:
            return
        conn.execute(
            insert(t.device_state),
            {
                "device": key[0],
                "state": s.key,
                "value": s.value[:120],
                "at_ms": to_ms(s.at),
                "message_id": message_id,
            },
        )
        self._states[key] = s.value
        if s.key == "pump_infusing_status":
            infusing = "infusing" in s.value and "not" not in s.value
            was_infusing = last is not None and "infusing" in last and "not" not in last
            if infusing != was_infusing and (infusing or last is not None):
                conn.execute(
                    insert(t.infusion_event),
                    {
                        "message_id": message_id,
                        "patient_ref": "",
                        "source": EventSource.PUMP_STATUS.value,
                        "kind": (EventKind.START if infusing else EventKind.STOP).value,
                        "at_ms": to_ms(s.at),
                        "device": key[0],
                        "reason": "" if infusing else s.value[:200],
                        "received_ms": received_ms,
                    },
                )

    def _store_lab(self, conn: Connection, r: LabResult, message_id: int, patient_id: int | None) -> None:
        """Append a version; never overwrite. Decide which version is current (hl7-research.md §2.2)."""
        c = t.lab_result.c
        same = (
            (c.sender == r.sender[:250])
            & (c.filler_order == r.filler_order[:120])
            & (c.code == r.code[:40])
            & (c.sub_id == r.sub_id[:40])
        )
        versions = conn.execute(select(c.id, c.status, c.current, c.version).where(same)).all()
        current = [v for v in versions if v.current]
        retract = r.status in RETRACTING_STATUSES
        becomes_current = not retract and all(supersedes(r.status, v.status) for v in current)
        new_id = conn.execute(
            insert(t.lab_result).returning(c.id),
            {
                "message_id": message_id,
                "patient_ref": str(r.patient) if r.patient else "",
                "patient_id": patient_id,
                "sender": r.sender[:250],
                "filler_order": r.filler_order[:120],
                "code": r.code[:40],
                "code_system": r.code_system[:40],
                "sub_id": r.sub_id[:40],
                "analyte": r.analyte,
                "value": r.value,
                "comparator": r.comparator[:4],
                "unit": r.unit[:40],
                "value_as_sent": r.value_as_sent,
                "unit_as_sent": r.unit_as_sent[:60],
                "reference_range": r.reference_range[:120],
                "abnormal_flags": r.abnormal_flags[:60],
                "status": r.status[:2],
                "observed_ms": to_ms(r.observed_at),
                "reported_ms": to_ms(r.reported_at) if r.reported_at is not None else None,
                "received_ms": to_ms(r.received_at),
                "version": max((v.version for v in versions), default=0) + 1,
                "current": becomes_current,
                "retracted": retract,
                "note": r.note[:200],
                "specimen_condition": r.specimen_condition[:60],
            },
        ).scalar_one()
        if (retract or becomes_current) and current:
            conn.execute(
                update(t.lab_result)
                .where(c.id.in_([v.id for v in current]))
                .values(current=False, superseded_by=new_id, retracted=retract)
            )

    def _patient_id(self, conn: Connection, p: Patient, now_ms: int) -> int:
        key = (p.ref.identifier[:80], p.ref.authority[:80])
        shown = (p.family_name[:120], p.given_name[:120], p.bed[:80])
        values = {"family_name": shown[0], "given_name": shown[1], "bed": shown[2], "updated_ms": now_ms}
        cached = self._patient_ids.get(key)
        if cached is None:
            # Insert-or-ignore, then read: two ingest processes may meet the same patient at once.
            conn.execute(
                self._upsert(t.patient)
                .values(identifier=key[0], authority=key[1], **values)
                .on_conflict_do_nothing(index_elements=[t.patient.c.identifier, t.patient.c.authority])
            )
            row = conn.execute(
                select(
                    t.patient.c.id, t.patient.c.family_name, t.patient.c.given_name, t.patient.c.bed
                ).where(t.patient.c.identifier == key[0], t.patient.c.authority == key[1])
            ).one()
            cached = (int(row[0]), (row[1], row[2], row[3]))
        if cached[1] != shown:
            # Names and beds change (ADT will own this, issue 6); keep the latest the sender gave.
            conn.execute(update(t.patient).where(t.patient.c.id == cached[0]).values(**values))
            cached = (cached[0], shown)
        self._patient_ids[key] = cached
        return cached[0]

    def _resolve_series(
        self, conn: Connection, keys: set[SeriesKey], patient_id: int | None
    ) -> dict[SeriesKey, int]:
        """Ids of the series of one message, creating the missing ones: a few statements whatever
        the number of series (a message may carry thousands of OBX-4 instances)."""
        out = {k: self._series_ids[k] for k in keys if k in self._series_ids}
        missing = [k for k in keys if k not in out]
        if not missing:
            return out
        c = t.series.c
        identity = (c.patient_ref, c.parameter, c.unit, c.device, c.instance)

        def row(k: SeriesKey) -> tuple[str, str, str, str, str]:
            return (str(k.patient) if k.patient else "", k.parameter, k.unit, k.device[:120], k.instance[:80])

        wanted = {row(k): k for k in missing}

        def lookup() -> None:
            items = list(wanted)
            for i in range(0, len(items), 400):
                stmt = select(c.id, *identity).where(tuple_(*identity).in_(items[i : i + 400]))
                for sid, *ident in conn.execute(stmt):
                    key = wanted.pop(tuple(ident), None)
                    if key is not None:
                        out[key] = self._series_ids[key] = int(sid)

        lookup()
        if wanted:
            # Insert-or-ignore, then read: another ingest process may create the same series now.
            conn.execute(
                self._upsert(t.series).on_conflict_do_nothing(index_elements=list(identity)),
                [
                    {
                        "patient_ref": r[0],
                        "patient_id": patient_id,
                        "parameter": r[1],
                        "unit": r[2],
                        "device": r[3],
                        "instance": r[4],
                    }
                    for r in wanted
                ],
            )
            lookup()
        assert not wanted, f"series could not be created: {list(wanted)[:3]}"
        return out
