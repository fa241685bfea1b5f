"""safety_log: signed entries, the signing keys, and triggers that keep the log append-only

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

Each new entry carries the fingerprint of the installation's key and its signature of the entry's
hash; the public keys are kept in safety_log_key. Entries written before this revision stay unsigned:
the first signed entry covers them through the chain. The triggers (bedside_adapters.db.log_guard)
refuse UPDATE and DELETE on the log and its keys, and let the head move only onto the last entry.
"""

import sqlalchemy as sa
from alembic import op
from bedside_adapters.db import log_guard

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite): the log's rows stay exactly as they were.
    op.add_column("safety_log", sa.Column("key_id", sa.String(48), nullable=True))
    op.add_column("safety_log", sa.Column("signature", sa.String(128), nullable=True))
    op.create_table(
        "safety_log_key",
        sa.Column("key_id", sa.String(48), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_safety_log_key")),
    )
    log_guard.install_append_only(op.get_bind())


def downgrade() -> None:
    log_guard.uninstall(op.get_bind())
    op.drop_table("safety_log_key")
    with op.batch_alter_table("safety_log") as batch:
        batch.drop_column("signature")
        batch.drop_column("key_id")
