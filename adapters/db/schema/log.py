"""The safety log (append-only, hash-chained), its head and signing keys, and the accounts that sign it."""

from __future__ import annotations

from bedside_adapters.db.schema.base import metadata
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    String,
    Table,
    Text,
)

safety_log = Table(
    "safety_log",
    metadata,
    # Append-only; each entry carries the hash of the one before (bedside/safety_log.py).
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("patient_ref", String(170), nullable=False, server_default=""),
    Column("episode_id", BigInteger, nullable=True),
    Column("alert_id", BigInteger, nullable=True),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # The installation key's fingerprint and its signature of `hash` (bedside/log_signing.py); null on
    # entries written before entries were signed.
    Column("key_id", String(48), nullable=True),
    Column("signature", String(128), nullable=True),
)


safety_log_head = Table(
    "safety_log_head",
    metadata,
    # The chain's last entry, updated in the same transaction: rows cut off the end are noticed.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)


safety_log_key = Table(
    "safety_log_key",
    metadata,
    # The public keys that signed entries, by fingerprint. What a verifier trusts comes from outside
    # the database (the installation's key file, a fingerprint printed in a report).
    Column("key_id", String(48), primary_key=True),
    Column("public_key", String(64), nullable=False),
    Column("first_seq", BigInteger, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)


app_user = Table(
    "app_user",
    metadata,
    # Bedside's own accounts (a site with a directory signs people in there instead). A disabled
    # account is kept: the record's names still resolve to a person and a role. The password is kept
    # only as its argon2id hash.
    Column("username", String(120), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("changed_ms", BigInteger, nullable=False),
)
