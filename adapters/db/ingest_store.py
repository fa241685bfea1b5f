"""The write side of ingest: one transaction per message holding the raw bytes and what was parsed.

The caller sends the ACK only after `store()` has returned, i.e. after the commit (rule 3).
Hot path in SQLAlchemy Core with executemany (architecture-research.md §3.1: 6x the ORM's rate).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from adapters.db import schema as t
from bedside.clock import to_ms
from bedside.model import Observation, Patient, SeriesKey


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


@dataclass(frozen=True, slots=True)
class StoredMessage:
    id: int
    ack: str
    """The ACK to send: this message's, or for a duplicate the one sent the first time."""
    duplicate: bool = False


class IngestStore:
    """Writes inbound messages. One instance per ingest process, used from one thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._series_ids: dict[SeriesKey, int] = {}
        self._patient_ids: dict[tuple[str, str], tuple[int, tuple[str, str, str]]] = {}
        self._upsert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def store(self, message: InboundMessage) -> StoredMessage:
        """Commit the message and its observations atomically. A copy of a message already stored
        (same sender, MSH-10, MSH-7 and bytes) stores nothing and returns the stored ACK."""
        try:
            with self._engine.begin() as conn:
                return self._store(conn, message)
        except Exception:
            # Ids cached during the failed transaction may name rows that were rolled back.
            self._series_ids.clear()
            self._patient_ids.clear()
            raise

    def _store(self, conn: Connection, m: InboundMessage) -> StoredMessage:
        received_ms = to_ms(m.received_at)
        im = t.inbound_message
        sha = hashlib.sha256(m.raw).hexdigest()
        key = {"sender": m.sender[:250], "control_id": m.control_id[:80], "message_time": m.message_time[:40]}
        message_id = conn.execute(
            self._upsert(im)
            .values(
                **key,
                received_ms=received_ms,
                peer=m.peer[:120],
                message_type=m.message_type[:40],
                version=m.version[:20],
                sha256=sha,
                raw=m.raw,
                raw_size=len(m.raw),
                codec=m.codec,
                lossy_decode=m.lossy_decode,
                ack_code=m.ack_code,
                ack=m.ack,
                quarantine_reason=m.quarantine_reason,
                quarantine_code=m.quarantine_code,
                obx_count=m.obx_count,
                observation_count=len(m.observations),
                skipped=json.dumps(m.skipped, sort_keys=True) if m.skipped else "",
            )
            .on_conflict_do_nothing(
                index_elements=[im.c.sender, im.c.control_id, im.c.message_time, im.c.sha256]
            )
            .returning(im.c.id)
        ).scalar_one_or_none()
        if message_id is None:
            first = conn.execute(
                update(im)
                .where(
                    im.c.sender == key["sender"],
                    im.c.control_id == key["control_id"],
                    im.c.message_time == key["message_time"],
                    im.c.sha256 == sha,
                )
                .values(duplicates=im.c.duplicates + 1, last_duplicate_ms=received_ms)
                .returning(im.c.id, im.c.ack)
            ).one()
            return StoredMessage(int(first[0]), first[1], duplicate=True)
        patient_id = self._patient_id(conn, m.patient, received_ms) if m.patient else None
        rows = [
            {
                "series_id": self._series_id(conn, o.series, patient_id),
                "observed_ms": to_ms(o.observed_at),
                "received_ms": received_ms,
                "value": o.value,
                "status": o.status[:2],
                "message_id": message_id,
            }
            for o in m.observations
        ]
        if rows:
            conn.execute(insert(t.observation), rows)
        last_observed = max((to_ms(o.observed_at) for o in m.observations), default=None)
        stmt = self._upsert(t.feed).values(
            sender=m.sender[:250],
            first_received_ms=received_ms,
            last_received_ms=received_ms,
            last_observed_ms=last_observed,
            messages=1,
        )
        excluded = stmt.excluded
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[t.feed.c.sender],
                set_={
                    "last_received_ms": excluded.last_received_ms,
                    "last_observed_ms": excluded.last_observed_ms
                    if last_observed is not None
                    else t.feed.c.last_observed_ms,
                    "messages": t.feed.c.messages + 1,
                },
            )
        )
        return StoredMessage(int(message_id), m.ack)

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

    def _series_id(self, conn: Connection, key: SeriesKey, patient_id: int | None) -> int:
        cached = self._series_ids.get(key)
        if cached is not None:
            return cached
        ref = str(key.patient) if key.patient else ""
        where = (
            (t.series.c.patient_ref == ref)
            & (t.series.c.parameter == key.parameter)
            & (t.series.c.unit == key.unit)
            & (t.series.c.device == key.device[:120])
            & (t.series.c.instance == key.instance[:80])
        )
        found = conn.execute(select(t.series.c.id).where(where)).scalar_one_or_none()
        if found is None:
            conn.execute(
                self._upsert(t.series)
                .values(
                    patient_ref=ref,
                    patient_id=patient_id,
                    parameter=key.parameter,
                    unit=key.unit,
                    device=key.device[:120],
                    instance=key.instance[:80],
                )
                .on_conflict_do_nothing(
                    index_elements=[
                        t.series.c.patient_ref,
                        t.series.c.parameter,
                        t.series.c.unit,
                        t.series.c.device,
                        t.series.c.instance,
                    ]
                )
            )
            found = conn.execute(select(t.series.c.id).where(where)).scalar_one()
        self._series_ids[key] = int(found)
        return int(found)
