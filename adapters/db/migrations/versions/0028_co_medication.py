"""co_medication: drugs given around each dose (eMAR RAS^O17 / RDE^O11, or entered by a clinician)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06

Corticosteroids, IL-6 blockade, antipyretics, anticoagulants and vasopressors change how fever, CRP,
blood pressure and thrombosis read after a dose; the review shows them per dose. One row per
administration (or ordered administration), never updated. A new table: nothing to rebuild.
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "co_medication",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("message_id", Id, nullable=True),
        sa.Column("drug", sa.String(length=200), nullable=False),
        sa.Column("drug_class", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=60), server_default="", nullable=False),
        sa.Column("code_system", sa.String(length=40), server_default="", nullable=False),
        sa.Column("dose", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=40), server_default="", nullable=False),
        sa.Column("dose_as_sent", sa.String(length=80), server_default="", nullable=False),
        sa.Column("route", sa.String(length=40), server_default="", nullable=False),
        sa.Column("start_ms", sa.BigInteger(), nullable=False),
        sa.Column("end_ms", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_id", sa.String(length=200), server_default="", nullable=False),
        sa.Column("status", sa.String(length=10), server_default="given", nullable=False),
        sa.Column("entered_by", sa.String(length=120), server_default="", nullable=False),
        sa.Column("recorded_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_message.id"], name=op.f("fk_co_medication_message_id_inbound_message")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_co_medication")),
    )
    op.create_index(
        op.f("ix_co_medication_patient_ref_start_ms"), "co_medication", ["patient_ref", "start_ms"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_co_medication_patient_ref_start_ms"), table_name="co_medication")
    op.drop_table("co_medication")
