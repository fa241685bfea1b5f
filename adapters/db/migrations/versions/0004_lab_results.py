"""lab result versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "lab_result",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("message_id", Id, nullable=False),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("patient_id", Id, nullable=True),
        sa.Column("sender", sa.String(length=250), nullable=False),
        sa.Column("filler_order", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("code_system", sa.String(length=40), nullable=False),
        sa.Column("sub_id", sa.String(length=40), server_default="", nullable=False),
        sa.Column("analyte", sa.String(length=40), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("comparator", sa.String(length=4), server_default="", nullable=False),
        sa.Column("unit", sa.String(length=40), server_default="", nullable=False),
        sa.Column("value_as_sent", sa.Text(), server_default="", nullable=False),
        sa.Column("unit_as_sent", sa.String(length=60), server_default="", nullable=False),
        sa.Column("reference_range", sa.String(length=120), server_default="", nullable=False),
        sa.Column("abnormal_flags", sa.String(length=60), server_default="", nullable=False),
        sa.Column("status", sa.String(length=2), nullable=False),
        sa.Column("observed_ms", sa.BigInteger(), nullable=False),
        sa.Column("reported_ms", sa.BigInteger(), nullable=True),
        sa.Column("received_ms", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("retracted", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("superseded_by", Id, nullable=True),
        sa.Column("note", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_message.id"], name=op.f("fk_lab_result_message_id_inbound_message")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_lab_result_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_result")),
    )
    with op.batch_alter_table("lab_result") as batch:
        batch.create_index(
            batch.f("ix_lab_result_patient_ref_analyte_observed_ms"),
            ["patient_ref", "analyte", "observed_ms"],
        )
        batch.create_index(
            batch.f("ix_lab_result_sender_filler_order_code_sub_id"),
            ["sender", "filler_order", "code", "sub_id"],
        )


def downgrade() -> None:
    op.drop_table("lab_result")
