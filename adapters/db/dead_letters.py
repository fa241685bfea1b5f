"""Alerts the alarm manager never acknowledged: kept, counted and listed, never resent by themselves.

The outbound forwarder (bedside_adapters.alerting.outbound) writes one row per message it gave up on,
with the message as it was sent and the last reason, so that an integrator can see what the alarm
manager refused and why. The nurse's screen and `bedside-cli stats` read the counts here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_of, ref_text
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import Connection

from bedside.clock import from_ms, to_ms
from bedside.model import PatientRef


@dataclass(frozen=True)
class DeadLetter:
    control_id: str
    alert_id: int
    patient_ref: PatientRef | None
    """Whose alert it was (None: an alert of no patient)."""
    phase: str
    destination: str
    """The alarm manager as HOST:PORT."""
    attempts: int
    reason: str
    """Why the last try failed: the ACK code with its text, no reply, or the connection error."""
    first_try: float
    dead_at: float
    message: str
    """The ER7 text as sent (segments separated by CR)."""


class SqlDeadLetters:
    """Where the forwarder puts what it gave up on (a table of the Bedside database)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, letter: DeadLetter) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                insert(t.alarm_dead_letter),
                {
                    "control_id": letter.control_id[:40],
                    "alert_id": letter.alert_id,
                    "patient_ref": "" if letter.patient_ref is None else ref_text(letter.patient_ref)[:120],
                    "phase": letter.phase[:10],
                    "destination": letter.destination[:200],
                    "attempts": letter.attempts,
                    "reason": letter.reason[:400],
                    "first_try_ms": to_ms(letter.first_try),
                    "dead_ms": to_ms(letter.dead_at),
                    "message": letter.message,
                },
            )


def list_dead_letters(engine: Engine, since: float | None = None, limit: int = 1000) -> list[DeadLetter]:
    """Newest first."""
    d = t.alarm_dead_letter.c
    stmt = select(t.alarm_dead_letter).order_by(d.dead_ms.desc(), d.id.desc()).limit(limit)
    if since is not None:
        stmt = stmt.where(d.dead_ms >= to_ms(since))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [
        DeadLetter(
            r.control_id,
            int(r.alert_id),
            ref_of(r.patient_ref) if r.patient_ref else None,
            r.phase,
            r.destination,
            int(r.attempts),
            r.reason,
            from_ms(r.first_try_ms),
            from_ms(r.dead_ms),
            r.message,
        )
        for r in rows
    ]


def undelivered_since(conn: Connection, since: float) -> tuple[int, float | None]:
    """(how many alerts were given up on since `since`, when the newest was): for the screens."""
    d = t.alarm_dead_letter.c
    count, newest = conn.execute(
        select(func.count(), func.max(d.dead_ms)).where(d.dead_ms >= to_ms(since))
    ).one()
    return int(count), (from_ms(newest) if newest is not None else None)


def dead_letter_counts(engine: Engine) -> dict[str, Any]:
    """For `bedside-cli stats`: all dead letters, and the newest one's time (epoch ms, or None)."""
    d = t.alarm_dead_letter.c
    with engine.connect() as conn:
        count, newest = conn.execute(select(func.count(), func.max(d.dead_ms))).one()
    return {"alarm_manager_undelivered": int(count), "alarm_manager_last_undelivered_ms": newest}
