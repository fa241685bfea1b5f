"""messages_compact: a message's identity as a 16-byte digest, its ACK as a template and what varies,
its sender as a number

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06

The four-column duplicate index (sender, MSH-10, MSH-7, the hex SHA-256 of the bytes) gives way to
one unique index on a 16-byte digest of the same four (message_digest.py), and the hex SHA-256
column to that digest. An ACK that can be rebuilt byte for byte from a template (stored_acks.py) is
kept as the template's id and the two numbers that vary; any other stays whole. The sender's name is
kept once in message_sender, and the row and the (sender, id) index keep its number; what was not read
of a message (JSON, the same for most of a sender's messages) is kept once in message_skipped. Every
existing row
is converted here: its digest computed from its sender, control id, message time and stored SHA-256
(so a frame pruned by raw retention keeps its identity), its ACK split only where the rebuilt ACK
equals the stored one. Columns are added and dropped without a table rebuild (SQLite 3.35's DROP
COLUMN), so foreign keys naming the messages are untouched.
"""

import hashlib
import json
import re

import sqlalchemy as sa
from alembic import op
from bedside_adapters.db.message_digest import message_digest
from bedside_adapters.db.stored_acks import rebuild, split_ack

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BATCH = 2000
_HEX = re.compile(r"[0-9a-f]{64}")


def _frame_sha256(stored: str) -> bytes:
    """The stored hex SHA-256 as bytes; a value that is not one (hand-made rows) is hashed as text, so
    that it stays distinct and never matches a frame."""
    if _HEX.fullmatch(stored):
        return bytes.fromhex(stored)
    return hashlib.sha256(b"not a sha256: " + stored.encode("utf-8", "surrogatepass")).digest()


def _interned(bind: sa.Connection, table: str, column: str, text: str, known: dict[str, int]) -> int:
    found = known.get(text)
    if found is None:
        found = bind.execute(
            sa.text(f"INSERT INTO {table} (digest, {column}) VALUES (:d, :t) RETURNING id"),
            {"d": hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), "t": text},
        ).scalar_one()
        known[text] = found
    return found


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        "ack_template",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("digest", sa.LargeBinary(), nullable=False),
        sa.Column("parts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ack_template")),
        sa.UniqueConstraint("digest", name=op.f("uq_ack_template_digest")),
    )
    op.create_table(
        "message_skipped",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("digest", sa.LargeBinary(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_skipped")),
        sa.UniqueConstraint("digest", name=op.f("uq_message_skipped_digest")),
    )
    op.add_column("inbound_message", sa.Column("skipped_id", sa.Integer(), nullable=True))
    op.create_table(
        "message_sender",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(250), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_sender")),
        sa.UniqueConstraint("name", name=op.f("uq_message_sender_name")),
    )
    # SQLite adds a NOT NULL column only with a default; every row gets its own value below.
    op.add_column(
        "inbound_message",
        sa.Column("sender_id", sa.Integer(), nullable=not sqlite, server_default="0" if sqlite else None),
    )
    op.execute(
        "INSERT INTO message_sender (name) SELECT DISTINCT sender FROM inbound_message ORDER BY sender"
    )
    op.execute(
        "UPDATE inbound_message SET sender_id = "
        "(SELECT message_sender.id FROM message_sender WHERE message_sender.name = inbound_message.sender)"
    )
    op.add_column(
        "inbound_message",
        sa.Column(
            "digest", sa.LargeBinary(), nullable=not sqlite, server_default=sa.text("x''") if sqlite else None
        ),
    )
    op.add_column("inbound_message", sa.Column("ack_template", sa.Integer(), nullable=True))
    op.add_column("inbound_message", sa.Column("ack_at", sa.Integer(), nullable=True))
    op.add_column("inbound_message", sa.Column("ack_seq", sa.BigInteger(), nullable=True))

    templates: dict[str, int] = {}
    skipped_ids: dict[str, int] = {}
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, sender, control_id, message_time, sha256, ack, received_ms, skipped "
                "FROM inbound_message WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        updates = []
        for id_, sender, control_id, message_time, sha, ack, received_ms, skipped in rows:
            digest = message_digest(sender, control_id, message_time, _frame_sha256(sha))
            values = {"id": id_, "digest": digest, "ack": ack, "tpl": None, "at": None, "seq": None}
            values["skipped"] = (
                _interned(bind, "message_skipped", "text", skipped, skipped_ids) if skipped else None
            )
            split = split_ack(ack, control_id, int(received_ms))
            if split is not None:
                tpl = _interned(bind, "ack_template", "parts", split.template, templates)
                values.update(ack="", tpl=tpl, at=split.at, seq=split.seq)
            updates.append(values)
        bind.execute(
            sa.text(
                "UPDATE inbound_message SET digest = :digest, ack = :ack, ack_template = :tpl, ack_at = :at, "
                "ack_seq = :seq, skipped_id = :skipped WHERE id = :id"
            ),
            updates,
        )
        last = rows[-1][0]

    op.drop_index("uq_inbound_message_dedupe", table_name="inbound_message")
    op.drop_index(op.f("ix_inbound_message_sender_id"), table_name="inbound_message")
    for column in ("sha256", "sender", "skipped"):
        if sqlite:
            op.execute(f"ALTER TABLE inbound_message DROP COLUMN {column}")
        else:
            op.drop_column("inbound_message", column)
    if not sqlite:
        op.alter_column("inbound_message", "digest", nullable=False)
        op.alter_column("inbound_message", "sender_id", nullable=False)
    op.create_index("uq_inbound_message_digest", "inbound_message", ["digest"], unique=True)
    op.create_index(op.f("ix_inbound_message_sender_id_id"), "inbound_message", ["sender_id", "id"])


def downgrade() -> None:
    """Back to the hex SHA-256 and whole ACKs. The SHA-256 of a frame is computed from its bytes, so a
    frame pruned by raw retention (its bytes gone) cannot go back."""
    from bedside_adapters.db.raw_frames import PRUNED, RawCodec

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    pruned = bind.execute(
        sa.text("SELECT 1 FROM inbound_message WHERE raw_format = :p LIMIT 1"), {"p": PRUNED}
    )
    if pruned.first() is not None:
        raise RuntimeError("frames were pruned by raw retention: their SHA-256 cannot be computed again")
    op.add_column(
        "inbound_message",
        sa.Column("sha256", sa.String(64), nullable=not sqlite, server_default="" if sqlite else None),
    )
    op.add_column(
        "inbound_message",
        sa.Column("sender", sa.String(250), nullable=not sqlite, server_default="" if sqlite else None),
    )
    op.add_column("inbound_message", sa.Column("skipped", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE inbound_message SET skipped = (SELECT message_skipped.text FROM message_skipped "
        "WHERE message_skipped.id = inbound_message.skipped_id) WHERE skipped_id IS NOT NULL"
    )
    op.execute(
        "UPDATE inbound_message SET sender = "
        "(SELECT message_sender.name FROM message_sender WHERE message_sender.id = inbound_message.sender_id)"
    )
    codec = RawCodec()
    templates = {
        int(i): json.loads(p) for i, p in bind.execute(sa.text("SELECT id, parts FROM ack_template")).all()
    }
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, raw, raw_format, raw_dictionary_id, raw_size, ack, ack_template, ack_at, "
                "ack_seq, received_ms, control_id FROM inbound_message WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        updates = []
        for id_, raw, fmt, dictionary, size, ack, tpl, at, seq, received_ms, control_id in rows:
            frame = codec.unpack(bind, bytes(raw), fmt, dictionary, size)
            if tpl is not None:
                ack = rebuild(templates[int(tpl)], int(received_ms), int(at or 0), int(seq or 0), control_id)
            updates.append({"id": id_, "sha": hashlib.sha256(frame).hexdigest(), "ack": ack})
        bind.execute(sa.text("UPDATE inbound_message SET sha256 = :sha, ack = :ack WHERE id = :id"), updates)
        last = rows[-1][0]
    op.drop_index("uq_inbound_message_digest", table_name="inbound_message")
    op.drop_index(op.f("ix_inbound_message_sender_id_id"), table_name="inbound_message")
    for column in ("ack_seq", "ack_at", "ack_template", "digest", "sender_id", "skipped_id"):
        if sqlite:
            op.execute(f"ALTER TABLE inbound_message DROP COLUMN {column}")
        else:
            op.drop_column("inbound_message", column)
    if not sqlite:
        op.alter_column("inbound_message", "sha256", nullable=False)
        op.alter_column("inbound_message", "sender", nullable=False)
    op.create_index(op.f("ix_inbound_message_sender_id"), "inbound_message", ["sender", "id"])
    op.create_index(
        "uq_inbound_message_dedupe",
        "inbound_message",
        ["sender", "control_id", "message_time", "sha256"],
        unique=True,
    )
    op.drop_table("message_sender")
    op.drop_table("message_skipped")
    op.drop_table("ack_template")
