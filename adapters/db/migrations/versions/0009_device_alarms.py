"""device alarms (IHE PCD-04)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "device_alarm",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("message_id", Id, nullable=False),
        sa.Column("device", sa.String(length=120), nullable=False),
        sa.Column("alarm_id", sa.String(length=120), nullable=False),
        sa.Column("phase", sa.String(length=40), server_default="", nullable=False),
        sa.Column("state", sa.String(length=40), server_default="", nullable=False),
        sa.Column("priority", sa.String(length=20), server_default="", nullable=False),
        sa.Column("event_code", sa.String(length=20), nullable=False),
        sa.Column("event_refid", sa.String(length=80), server_default="", nullable=False),
        sa.Column("event_text", sa.String(length=200), server_default="", nullable=False),
        sa.Column("source_refid", sa.String(length=80), server_default="", nullable=False),
        sa.Column("source_value", sa.String(length=80), server_default="", nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_message.id"], name=op.f("fk_device_alarm_message_id_inbound_message")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_alarm")),
    )
    with op.batch_alter_table("device_alarm") as batch:
        batch.create_index(batch.f("ix_device_alarm_device_alarm_id_at_ms"), ["device", "alarm_id", "at_ms"])


def downgrade() -> None:
    op.drop_table("device_alarm")
