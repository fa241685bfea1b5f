"""patient_birth_date_sex: the birth date (PID-7) and administrative sex (PID-8) ADT and ORU send

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07

The trial's demographics (SDTM DM) need the subject's age at the first dose and sex. Both arrive in
the PID segment of ADT and result messages; they are kept as sent (PID-7 an HL7 date, a calendar
date rather than an instant; PID-8 a code of HL7 table 0001), the latest a message sent. Rows
already there have neither ("": not received), and fill in with the next message that sends them.
Plain ADD COLUMN with a default: no table is rebuilt on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("patient", sa.Column("birth_date", sa.String(length=24), server_default="", nullable=False))
    op.add_column("patient", sa.Column("sex", sa.String(length=20), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("sex")
        batch.drop_column("birth_date")
