"""series chunks: one row per series-hour of float32 values

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # Existing `observation` rows stay as they are: they are the compactor's input, so a database
    # upgraded from 0001 is folded into chunks by the first compaction, losing nothing.
    op.create_table(
        "series_chunk",
        sa.Column("series_id", Id, nullable=False),
        sa.Column("start_ms", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("vmin", sa.Float(), nullable=True),
        sa.Column("vmax", sa.Float(), nullable=True),
        sa.Column("grid", sa.LargeBinary(), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["series_id"], ["series.id"], name=op.f("fk_series_chunk_series_id_series")),
        sa.PrimaryKeyConstraint("series_id", "start_ms", name=op.f("pk_series_chunk")),
    )


def downgrade() -> None:
    op.drop_table("series_chunk")
