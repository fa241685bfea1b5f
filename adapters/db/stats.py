"""Counts for `bedside-cli stats --json`: what was received, acknowledged, quarantined and stored,
and per sender its clock: the skew, and the messages quarantined as clock faults.

Message times (MSH-7) are read by the caller's `message_time` (HL7's DTM lives with ingest)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bedside_adapters.db import message_senders
from bedside_adapters.db import schema as t
from bedside_adapters.db.care import database_bytes
from sqlalchemy import Engine, func, select

from bedside.clock import from_ms

ACCEPT_CODES = ("AA", "CA")


CATCHING_UP_PACE = 2.0
"""Message times moving at least this many times faster than their arrival: a backlog."""


MessageTime = Callable[[str], float]
"""A message's MSH-7 text to epoch seconds (ValueError: not a time)."""


def _clock_skew(
    conn, sender: str, message_time: MessageTime, last: int = 200
) -> tuple[float | None, float | None]:
    """(clock skew, behind) over the sender's last messages, in seconds. The skew is the median of
    (our receive time − the sender's MSH-7): how far the sender's clock is behind ours (negative:
    ahead), plus transit; a drifting device clock would misplace values around a dose. A sender
    delivering a backlog (history, what a gateway buffered) also lags, but its message times run
    faster than they arrive: that is catching up, reported as `behind` (the newest message's lag),
    never as a skew."""
    m = t.inbound_message.c
    rows = conn.execute(
        select(m.received_ms, m.message_time)
        .where(m.sender_id == message_senders.id_of(sender), m.message_time != "")
        .order_by(m.id.desc())
        .limit(last)
    ).all()
    pairs = []
    for received_ms, text in rows:
        try:
            pairs.append((received_ms / 1000.0, message_time(text)))
        except ValueError:
            continue
    if not pairs:
        return None, None
    diffs = [r - sent for r, sent in pairs]
    received_span = max(r for r, _ in pairs) - min(r for r, _ in pairs)
    sent_span = max(s for _, s in pairs) - min(s for _, s in pairs)
    lag = statistics.median(diffs)
    if len(pairs) >= 2 and lag > 60.0 and sent_span > CATCHING_UP_PACE * received_span:
        return None, round(diffs[0], 3)
    return round(lag, 3), None


def _clock_faults(conn) -> dict[str, dict[str, Any]]:
    """Per sender with any: its messages quarantined as clock faults, when the last one came and why
    (kept on the feed row by ingest, beside what the screens read)."""
    f = t.feed.c
    rows = conn.execute(
        select(f.sender, f.clock_faults, f.last_clock_fault_ms, f.last_clock_fault)
        .where(f.clock_faults > 0)
        .order_by(f.sender)
    )
    return {
        sender: {
            "messages": int(n),
            "last_at": from_ms(at_ms) if at_ms is not None else None,
            "last_reason": reason or "",
        }
        for sender, n, at_ms, reason in rows
    }


def ingest_counts(engine: Engine, message_time: MessageTime) -> dict[str, Any]:
    """Per sender: frames received (copies included), stored messages by ACK code, duplicates,
    quarantine by category, last message time; and the totals of the same."""
    m = t.inbound_message.c
    stmt = (
        select(
            message_senders.name,
            m.ack_code,
            m.quarantine_code,
            func.count(),
            func.coalesce(func.sum(m.duplicates), 0),
            func.coalesce(func.sum(m.observation_count), 0),
            func.max(m.received_ms),
            func.max(m.last_duplicate_ms),
        )
        .select_from(message_senders.joined())
        .group_by(message_senders.name, m.ack_code, m.quarantine_code)
    )
    senders: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "messages_received": 0,
            "messages_acknowledged": 0,
            "messages_quarantined": 0,
            "duplicates": 0,
            "observations": 0,
            "acks": defaultdict(int),
            "quarantined_by_reason": defaultdict(int),
            "last_message_ms": None,
        }
    )
    with engine.connect() as conn:
        for sender, ack_code, qcode, stored, dups, obs, last_ms, last_dup_ms in conn.execute(stmt):
            s = senders[sender]
            stored, dups = int(stored), int(dups)
            s["messages_received"] += stored + dups
            s["duplicates"] += dups
            s["acks"][ack_code] += stored + dups  # a copy is answered with the same code
            if ack_code in ACCEPT_CODES:
                s["messages_acknowledged"] += stored
            if qcode is not None:
                s["messages_quarantined"] += stored
                s["quarantined_by_reason"][qcode] += stored
            s["observations"] += int(obs)
            last = (
                max(x for x in (last_ms, last_dup_ms, s["last_message_ms"]) if x is not None)
                if (last_ms is not None or last_dup_ms is not None)
                else s["last_message_ms"]
            )
            s["last_message_ms"] = last
        by_type: dict[str, dict[str, int]] = {}
        type_stmt = select(
            m.message_type,
            m.ack_code,
            m.quarantine_code,
            func.count(),
            func.coalesce(func.sum(m.duplicates), 0),
        ).group_by(m.message_type, m.ack_code, m.quarantine_code)
        for mtype, ack_code, qcode, stored, dups in conn.execute(type_stmt):
            entry = by_type.setdefault(
                mtype or "(unreadable)",
                {"messages_received": 0, "messages_acknowledged": 0, "messages_quarantined": 0},
            )
            entry["messages_received"] += int(stored) + int(dups)
            entry["messages_acknowledged"] += int(stored) if ack_code in ACCEPT_CODES else 0
            entry["messages_quarantined"] += int(stored) if qcode is not None else 0
        lab_versions = conn.execute(select(func.count()).select_from(t.lab_result)).scalar_one()
        pending_rows = conn.execute(select(func.count()).select_from(t.observation)).scalar_one()
        chunk_values = conn.execute(select(func.coalesce(func.sum(t.series_chunk.c.count), 0))).scalar_one()
        chunks = conn.execute(select(func.count()).select_from(t.series_chunk)).scalar_one()
        patients = conn.execute(select(func.count()).select_from(t.patient)).scalar_one()
        series = conn.execute(select(func.count()).select_from(t.series)).scalar_one()

        skews = {name: _clock_skew(conn, name, message_time) for name in senders}
        clock_faults = _clock_faults(conn)

    out_senders = {}
    for name, s in senders.items():
        s["clock_skew_s"], s["catching_up_behind_s"] = skews[name]
        s["acks"] = dict(sorted(s["acks"].items()))
        s["quarantined_by_reason"] = dict(sorted(s["quarantined_by_reason"].items()))
        s["last_message_at"] = from_ms(s["last_message_ms"]) if s["last_message_ms"] is not None else None
        del s["last_message_ms"]
        out_senders[name] = s

    def total(key: str) -> int:
        return sum(s[key] for s in out_senders.values())

    return {
        "messages_received": total("messages_received"),
        "messages_acknowledged": total("messages_acknowledged"),
        "messages_quarantined": total("messages_quarantined"),
        "duplicates": total("duplicates"),
        "clock_faults": sum(c["messages"] for c in clock_faults.values()),
        "clock_faults_by_sender": clock_faults,
        # Numeric values held: rows not yet compacted + values in hour chunks (a value resent for the
        # same second counts once after compaction).
        "observations": int(pending_rows) + int(chunk_values),
        "observation_rows_pending": int(pending_rows),
        "series_chunks": int(chunks),
        "patients": int(patients),
        "series": int(series),
        "lab_results": int(lab_versions),
        "database_bytes": database_bytes(engine),
        "by_type": dict(sorted(by_type.items())),
        "senders": out_senders,
    }
