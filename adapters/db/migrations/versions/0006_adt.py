"""ADT: bed stays, device bindings, patient merges

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "bed_stay",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("patient_id", Id, nullable=True),
        sa.Column("bed", sa.String(length=80), nullable=False),
        sa.Column("from_ms", sa.BigInteger(), nullable=False),
        sa.Column("to_ms", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("visit", sa.String(length=80), server_default="", nullable=False),
        sa.Column("cancelled", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("message_id", Id, nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_message.id"], name=op.f("fk_bed_stay_message_id_inbound_message")
        ),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], name=op.f("fk_bed_stay_patient_id_patient")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bed_stay")),
    )
    with op.batch_alter_table("bed_stay") as batch:
        batch.create_index(batch.f("ix_bed_stay_patient_ref_from_ms"), ["patient_ref", "from_ms"])
        batch.create_index(batch.f("ix_bed_stay_bed_from_ms"), ["bed", "from_ms"])
    op.create_table(
        "device_binding",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("device", sa.String(length=120), nullable=False),
        sa.Column("bed", sa.String(length=80), nullable=False),
        sa.Column("from_ms", sa.BigInteger(), nullable=False),
        sa.Column("to_ms", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_binding")),
    )
    with op.batch_alter_table("device_binding") as batch:
        batch.create_index(batch.f("ix_device_binding_device_from_ms"), ["device", "from_ms"])
        batch.create_index(batch.f("ix_device_binding_bed_from_ms"), ["bed", "from_ms"])
    op.create_table(
        "patient_merge",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("surviving_ref", sa.String(length=170), nullable=False),
        sa.Column("retired_ref", sa.String(length=170), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column("message_id", Id, nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_message.id"], name=op.f("fk_patient_merge_message_id_inbound_message")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_merge")),
    )


def downgrade() -> None:
    op.drop_table("patient_merge")
    op.drop_table("device_binding")
    op.drop_table("bed_stay")
