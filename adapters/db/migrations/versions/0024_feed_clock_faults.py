"""feed.clock_faults: messages quarantined because a time they set was implausible

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06

A device whose clock is wrong (a year 9999, a year 1800) sends times that cannot be believed; ingest
quarantines such messages as clock faults (bedside.clock_window). The screens read the feed table
every second, so the count, the time of the last one and its reason are kept there, beside the
feed's other counts, rather than counted from the messages. Columns added in place: no table rebuild
on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feed", sa.Column("clock_faults", sa.BigInteger, nullable=False, server_default="0"))
    op.add_column("feed", sa.Column("last_clock_fault_ms", sa.BigInteger, nullable=True))
    op.add_column("feed", sa.Column("last_clock_fault", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feed") as batch:
        batch.drop_column("last_clock_fault")
        batch.drop_column("last_clock_fault_ms")
        batch.drop_column("clock_faults")
