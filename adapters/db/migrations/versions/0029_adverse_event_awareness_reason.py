"""adverse_event_awareness_reason: why a follow-up moved the awareness time, in its own column

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06

A follow-up may move the time the team became aware of an adverse event only with a reason (ICH E2A:
day 0 is the first knowledge of the event, and the 24-hour clock keeps running from the earliest).
The reason gets a column of its own, so the history, the SAE listing and SUPPAE read it as a field,
not as free text at the head of the notes.

Rows already there stay as they were: a version that corrected the awareness before this column
existed keeps the reason at the head of its notes (its signed safety-log entry says so), and is read
back from there. Plain ADD COLUMN: no table is rebuilt on SQLite.

adt_death: a death an ADT message reported (PV1-36 "expired", or PID-30/PID-29), kept apart from the
clinicians' course events: offered on the review until an investigator confirms it. A new table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("adverse_event", sa.Column("awareness_reason", sa.Text(), nullable=True))
    op.create_table(
        "adt_death",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("cancelled", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("message_id", Id, nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_message.id"], name=op.f("fk_adt_death_message_id_inbound_message")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adt_death")),
    )
    op.create_index(op.f("ix_adt_death_patient_ref"), "adt_death", ["patient_ref"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_adt_death_patient_ref"), table_name="adt_death")
    op.drop_table("adt_death")
    with op.batch_alter_table("adverse_event") as batch:
        batch.drop_column("awareness_reason")
