"""`bedside-cli stats`: the database's counts, with each sender's clock read from its MSH-7."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bedside_adapters.db.dead_letters import dead_letter_counts
from bedside_adapters.db.engine import Engine
from bedside_adapters.db.message_listing import tls_subject_counts
from bedside_adapters.db.stats import ingest_counts
from bedside_adapters.hl7.dtm import parse_dtm


def ingest_stats(engine: Engine) -> dict[str, Any]:
    """Per sender: frames received (copies included), stored messages by ACK code, duplicates,
    quarantine by category, last message time, clock skew; and the totals of the same; per TLS client
    certificate, what it sent and what it was refused. A message
    time without an offset is read in this machine's zone."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    counts = ingest_counts(engine, lambda text: parse_dtm(text, zone))
    # Which client certificate sent as whom, and what it was refused (sender_bindings.REFUSED_CODE).
    counts["tls_subjects"] = tls_subject_counts(engine, "tls_sender_not_allowed")
    counts.update(dead_letter_counts(engine))  # alerts the alarm manager never acknowledged
    return counts
