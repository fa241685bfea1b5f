"""alarm_dead_letter: alerts the alarm manager never acknowledged (IHE PCD-04), kept with their reason

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

An alert sent to the alarm manager that was refused (AE/AR), got no reply or found no connection
after the configured number of tries is kept here with the message as sent. The screens and
`bedside-cli stats` count these; `bedside-cli dead-letters` lists them. Nothing is resent from here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "alarm_dead_letter",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("control_id", sa.String(40), nullable=False),
        sa.Column("alert_id", sa.BigInteger(), nullable=False),
        sa.Column("patient_ref", sa.String(120), nullable=False),
        sa.Column("phase", sa.String(10), nullable=False),
        sa.Column("destination", sa.String(200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(400), nullable=False),
        sa.Column("first_try_ms", sa.BigInteger(), nullable=False),
        sa.Column("dead_ms", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_dead_letter")),
    )
    op.create_index(op.f("ix_alarm_dead_letter_dead_ms"), "alarm_dead_letter", ["dead_ms"])


def downgrade() -> None:
    op.drop_index(op.f("ix_alarm_dead_letter_dead_ms"), table_name="alarm_dead_letter")
    op.drop_table("alarm_dead_letter")
