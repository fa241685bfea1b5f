"""Devices' own reports inside the ingest transaction: their alarms (IHE PCD-04) and their text
states (ventilation mode, pump infusing status), a state kept only when it changes."""

from __future__ import annotations

from collections.abc import Sequence

from bedside_adapters.db import schema as t
from bedside_adapters.db.device_episodes import store_pump_event
from sqlalchemy import Connection, insert, select

from bedside.clock import to_ms
from bedside.device_alarms import DeviceAlarm
from bedside.episode_lifecycle import device_state_change
from bedside.model import DeviceState


def store_alarms(conn: Connection, alarms: Sequence[DeviceAlarm], message_id: int) -> None:
    conn.execute(
        insert(t.device_alarm),
        [
            {
                "message_id": message_id,
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
            for a in alarms
        ],
    )


class DeviceStates:
    """The last state kept per device and state, read once from the database and then remembered
    (one ingest process, one thread)."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, str], str] = {}

    def clear(self) -> None:
        """Forget what a rolled-back transaction may have written."""
        self._last.clear()

    def store(self, conn: Connection, s: DeviceState, message_id: int, received_ms: int) -> None:
        """Keep a state only when it changes; a pump's infusing status changing is also a candidate
        start or end of an infusion (source pcd01-status)."""
        ds = t.device_state.c
        key = (s.device[:120], s.key)
        last = self._last.get(key)
        if last is None:
            last = conn.execute(
                select(ds.value)
                .where(ds.device == key[0], ds.state == key[1])
                .order_by(ds.at_ms.desc())
                .limit(1)
            ).scalar_one_or_none()
        change = device_state_change(last, s)
        if change is None:
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
        self._last[key] = s.value
        if change.infusion is not None:
            store_pump_event(conn, change.infusion, message_id, received_ms)
