"""The ingest process's heartbeat: one row per running listener, rewritten every few seconds, which
the screens read to tell a silent ward from a stopped ingest."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from sqlalchemy import Engine, delete, insert


def write_heartbeat(
    engine: Engine, instance: str, host: str, pid: int, listen: str, started_ms: int, beat_ms: int
) -> None:
    h = t.ingest_heartbeat
    with engine.begin() as conn:
        conn.execute(delete(h).where(h.c.instance == instance))
        conn.execute(
            insert(h),
            {
                "instance": instance,
                "host": host[:120],
                "pid": pid,
                "listen": listen[:250],
                "started_ms": started_ms,
                "beat_ms": beat_ms,
            },
        )
