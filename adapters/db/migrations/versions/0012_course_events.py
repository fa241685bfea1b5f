"""course events a clinician enters or confirms: intubation, extubation, ICU discharge, death, radiology

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "course_event",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("source", sa.String(length=40), server_default="clinician", nullable=False),
        sa.Column("entered_by", sa.String(length=120), nullable=False),
        sa.Column("entered_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_event")),
    )
    op.create_index(op.f("ix_course_event_patient_ref"), "course_event", ["patient_ref"])


def downgrade() -> None:
    op.drop_index(op.f("ix_course_event_patient_ref"), table_name="course_event")
    op.drop_table("course_event")
