"""infusion events (pump PCD-10, eMAR RAS^O17)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "infusion_event",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("message_id", Id, nullable=True),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("patient_id", Id, nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.String(length=120), server_default="", nullable=False),
        sa.Column("product", sa.String(length=200), server_default="", nullable=False),
        sa.Column("amount", sa.String(length=80), server_default="", nullable=False),
        sa.Column("reason", sa.String(length=200), server_default="", nullable=False),
        sa.Column("order_id", sa.String(length=120), server_default="", nullable=False),
        sa.Column("received_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_message.id"], name=op.f("fk_infusion_event_message_id_inbound_message")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_infusion_event_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infusion_event")),
    )
    with op.batch_alter_table("infusion_event") as batch:
        batch.create_index(batch.f("ix_infusion_event_patient_ref_at_ms"), ["patient_ref", "at_ms"])


def downgrade() -> None:
    op.drop_table("infusion_event")
