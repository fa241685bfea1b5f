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
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("adverse_event", sa.Column("awareness_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("adverse_event") as batch:
        batch.drop_column("awareness_reason")
