"""device text states (ventilation mode, pump infusing status)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "device_state",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("device", sa.String(length=120), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column("message_id", Id, nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_message.id"], name=op.f("fk_device_state_message_id_inbound_message")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_state")),
    )
    with op.batch_alter_table("device_state") as batch:
        batch.create_index(batch.f("ix_device_state_device_state_at_ms"), ["device", "state", "at_ms"])


def downgrade() -> None:
    op.drop_table("device_state")
