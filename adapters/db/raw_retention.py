"""Raw retention: the received bytes of old vital-sign frames, dropped; everything else kept.

Separate from the numerics' retention (compaction.prune): the values a frame carried stay in their
series for as long as that setting keeps them, and the message row stays for good (its sender, times,
digest and the ACK it was answered with), so a resent copy is still recognised and answered with the
same ACK, and every table that names the message still finds it. Only frames marked prunable at
ingest lose their bytes: never quarantined frames, nor those of labs, ADT, pumps or alarms.

The walk goes by primary key in batches, each its own short transaction, and stops at the first batch
that reaches the cut-off: frames are stored in the order they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass

from bedside_adapters.db import schema as t
from bedside_adapters.db.raw_frames import PRUNED
from sqlalchemy import Engine, func, select, update

BATCH = 5000


@dataclass(frozen=True, slots=True)
class RawPruneResult:
    frames: int
    """Frames whose bytes were dropped."""
    bytes: int
    """Stored bytes dropped."""
    after: int
    """The last id walked: the next walk may start there."""


def prune_raw(engine: Engine, older_than_ms: int, after: int = 0, batch: int = BATCH) -> RawPruneResult:
    m = t.inbound_message.c
    frames = dropped = 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                select(m.id, m.received_ms, m.raw_prunable, m.raw_format, func.length(m.raw))
                .where(m.id > after)
                .order_by(m.id)
                .limit(batch)
            ).all()
            if not rows:
                return RawPruneResult(frames, dropped, after)
            due = [r for r in rows if r[2] and r[3] != PRUNED and r[1] < older_than_ms]
            if due:
                conn.execute(
                    update(t.inbound_message)
                    .where(m.id.in_([r[0] for r in due]))
                    .values(raw=b"", raw_format=PRUNED, raw_dictionary_id=None)
                )
                frames += len(due)
                dropped += sum(int(r[4] or 0) for r in due)
            reached = next((r for r in rows if r[1] >= older_than_ms), None)
            if reached is not None:
                # Walk again from before the first frame not yet old enough.
                return RawPruneResult(frames, dropped, int(reached[0]) - 1)
            after = int(rows[-1][0])
