"""Received messages as a list (`bedside-cli messages`) and what each client certificate sent (`stats`).

A certificate proves who held a TLS connection; the message names its sender (MSH-3/MSH-4). Both are
kept with each message, so an integration engineer can see which certificate spoke for which
sender, and what was refused because the certificate could not speak for it.
"""

from __future__ import annotations

from typing import Any

from bedside_adapters.db import message_senders as senders
from bedside_adapters.db import schema as t
from sqlalchemy import Engine, func, select

from bedside.clock import from_ms

ACCEPT_CODES = ("AA", "CA")


def recent_messages(
    engine: Engine,
    limit: int = 50,
    quarantined: bool = False,
    tls_subject: str | None = None,
    sender: str | None = None,
) -> list[dict[str, Any]]:
    """The latest messages, newest first: when, from where, whose, what, the answer and why."""
    m = t.inbound_message.c
    stmt = (
        select(
            m.id,
            m.received_ms,
            m.peer,
            m.tls_subject,
            senders.name.label("sender"),
            m.control_id,
            m.message_type,
            m.ack_code,
            m.quarantine_code,
            m.quarantine_reason,
            m.duplicates,
        )
        .select_from(senders.joined())
        .order_by(m.id.desc())
    )
    if quarantined:
        stmt = stmt.where(m.quarantine_reason.is_not(None))
    if tls_subject is not None:
        stmt = stmt.where(m.tls_subject == tls_subject)
    if sender is not None:
        stmt = stmt.where(m.sender_id == senders.id_of(sender))
    with engine.connect() as conn:
        rows = conn.execute(stmt.limit(limit)).all()
    return [
        {
            "id": int(r.id),
            "received_at": from_ms(r.received_ms),
            "peer": r.peer,
            "tls_subject": r.tls_subject,
            "sender": r.sender,
            "control_id": r.control_id,
            "message_type": r.message_type,
            "ack_code": r.ack_code,
            "quarantine_code": r.quarantine_code,
            "quarantine_reason": r.quarantine_reason,
            "duplicates": int(r.duplicates),
        }
        for r in rows
    ]


def tls_subject_counts(engine: Engine, refused_code: str) -> dict[str, dict[str, Any]]:
    """Per client certificate subject: messages received with it (copies included), how many were
    acknowledged, how many refused because it may not send as their sender, and as whom it sent."""
    m = t.inbound_message.c
    stmt = (
        select(
            m.tls_subject,
            senders.name,
            m.ack_code,
            m.quarantine_code,
            func.count(),
            func.coalesce(func.sum(m.duplicates), 0),
        )
        .select_from(senders.joined())
        .where(m.tls_subject.is_not(None))
        .group_by(m.tls_subject, senders.name, m.ack_code, m.quarantine_code)
    )
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for subject, sender, ack_code, qcode, stored, dups in conn.execute(stmt):
            s = out.setdefault(
                subject,
                {"messages_received": 0, "messages_acknowledged": 0, "messages_refused": 0, "senders": []},
            )
            s["messages_received"] += int(stored) + int(dups)
            if ack_code in ACCEPT_CODES:
                s["messages_acknowledged"] += int(stored)
            if qcode == refused_code:
                s["messages_refused"] += int(stored)
            elif sender not in s["senders"]:
                s["senders"].append(sender)
    for s in out.values():
        s["senders"].sort()
    return dict(sorted(out.items()))
