"""raw frames compressed: per-sender zstd dictionaries, each frame's format and dictionary

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

Frames stored before this revision keep raw_format "" (the bytes as received) and stay readable as
they are. The columns are added without a foreign key or a table rebuild: on SQLite a rebuild copies
every stored frame.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "raw_dictionary",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("sender", sa.String(250), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raw_dictionary")),
    )
    op.create_index(op.f("ix_raw_dictionary_sender_id"), "raw_dictionary", ["sender", "id"])
    op.add_column("inbound_message", sa.Column("raw_format", sa.String(8), nullable=False, server_default=""))
    op.add_column("inbound_message", sa.Column("raw_dictionary_id", sa.Integer(), nullable=True))
    op.add_column(
        "inbound_message", sa.Column("raw_prunable", sa.Boolean(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    # The older schema cannot tell a compressed or pruned frame from one as received.
    changed = op.get_bind().execute(sa.text("SELECT 1 FROM inbound_message WHERE raw_format <> '' LIMIT 1"))
    if changed.first() is not None:
        raise RuntimeError("frames are stored compressed or pruned: this revision cannot be downgraded")
    with op.batch_alter_table("inbound_message") as batch:
        batch.drop_column("raw_prunable")
        batch.drop_column("raw_dictionary_id")
        batch.drop_column("raw_format")
    op.drop_index(op.f("ix_raw_dictionary_sender_id"), table_name="raw_dictionary")
    op.drop_table("raw_dictionary")
