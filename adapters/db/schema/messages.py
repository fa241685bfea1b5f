"""Messages as received: the raw bytes and what became of them, ACKs, senders, skipped messages, codes
nobody mapped."""

from __future__ import annotations

from bedside_adapters.db.schema.base import Id, metadata
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

inbound_message = Table(
    "inbound_message",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("received_ms", BigInteger, nullable=False),
    Column("peer", String(120), nullable=False),
    # The subject of the client certificate it came with over TLS (NULL: plain TCP, or none).
    Column("tls_subject", String(250), nullable=True),
    # The sender (MSH-3 @ MSH-4) by its number in message_sender (message_senders.py, migration 0026).
    Column("sender_id", Integer, nullable=False),
    Column("control_id", String(80), nullable=False, server_default=""),
    Column("message_time", String(40), nullable=False, server_default=""),
    Column("message_type", String(40), nullable=False, server_default=""),
    Column("version", String(20), nullable=False, server_default=""),
    # The message's identity (sender, MSH-10, MSH-7 and the SHA-256 of the bytes received) as 16 bytes
    # (message_digest.py): what recognises a resent copy, and what a frame read back is checked against.
    Column("digest", LargeBinary, nullable=False),
    # The frame as received, or compressed (raw_format): raw_size is the received bytes'.
    Column("raw", LargeBinary, nullable=False),
    Column("raw_size", Integer, nullable=False),
    # "": the bytes as received; "zstd": a zstd frame, with the dictionary raw_dictionary_id (none when
    # NULL); "pruned": dropped by the raw-retention setting (the row and its ACK stay).
    Column("raw_format", String(8), nullable=False, server_default=""),
    # No foreign key: adding one rebuilds the whole table on SQLite. A dictionary is never deleted.
    Column("raw_dictionary_id", Integer, nullable=True),
    # Vital-sign frames only (never quarantined, lab, ADT, pump or alarm frames): what raw retention
    # may prune.
    Column("raw_prunable", Boolean, nullable=False, server_default="0"),
    Column("codec", String(20), nullable=False, server_default=""),
    Column("lossy_decode", Boolean, nullable=False, server_default="0"),
    Column("ack_code", String(2), nullable=False),
    # The ACK sent, whole; or "" when it is rebuilt from ack_template, the ACK's second as an offset
    # from received_ms (ack_at) and the number ending its control id (ack_seq): stored_acks.py.
    Column("ack", Text, nullable=False),
    Column("ack_template", Integer, nullable=True),
    Column("ack_at", Integer, nullable=True),
    Column("ack_seq", BigInteger, nullable=True),
    Column("quarantine_reason", Text, nullable=True),
    # A short, stable category of the reason (unreadable, unsupported_type, …) for counting.
    Column("quarantine_code", String(40), nullable=True),
    # hl7apy's view of a quarantined message's structure, filled in after the ACK (it is slow).
    Column("diagnosis", Text, nullable=True),
    # A resent copy (same sender, MSH-10, MSH-7 and bytes) is not stored again: it is counted here
    # and answered with the stored ACK.
    Column("duplicates", Integer, nullable=False, server_default="0"),
    Column("last_duplicate_ms", BigInteger, nullable=True),
    Column("obx_count", Integer, nullable=False, server_default="0"),
    Column("observation_count", Integer, nullable=False, server_default="0"),
    # What was not read (a count per kind), as JSON kept once in message_skipped (NULL: nothing).
    Column("skipped_id", Integer, nullable=True),
    Index(None, "sender_id", "id"),
    # Only quarantined rows not yet diagnosed: ordinary messages never write to it (migration 0015).
    Index(
        "ix_inbound_message_undiagnosed",
        "id",
        sqlite_where=text("quarantine_reason IS NOT NULL AND diagnosis IS NULL"),
        postgresql_where=text("quarantine_reason IS NOT NULL AND diagnosis IS NULL"),
    ),
    # Never MSH-10 alone: monitors restart their counters, so a control id repeats after a reboot.
    # The digest stands for sender, MSH-10, MSH-7 and the bytes (migration 0026).
    Index("uq_inbound_message_digest", "digest", unique=True),
)


ack_template = Table(
    "ack_template",
    metadata,
    # What the ACKs of one sender's messages share, kept once (stored_acks.py); never changed or
    # deleted, so every stored ACK can be rebuilt. Found by the SHA-256 of its parts.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("digest", LargeBinary, nullable=False),
    Column("parts", Text, nullable=False),
    UniqueConstraint("digest"),
)


message_skipped = Table(
    "message_skipped",
    metadata,
    # Each distinct "what was not read" of the messages (JSON), kept once (interned.py).
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("digest", LargeBinary, nullable=False),
    Column("text", Text, nullable=False),
    UniqueConstraint("digest"),
)


message_sender = Table(
    "message_sender",
    metadata,
    # Each sender's name once; a message row keeps its number. Never changed or deleted.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(250), nullable=False),
    UniqueConstraint("name"),
)


raw_dictionary = Table(
    "raw_dictionary",
    metadata,
    # A zstd dictionary trained on one sender's frames. Versioned by id and never changed or deleted:
    # every frame compressed with it names it, so any stored frame decompresses forever.
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sender", String(250), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("bytes", LargeBinary, nullable=False),
    Index(None, "sender", "id"),
)
