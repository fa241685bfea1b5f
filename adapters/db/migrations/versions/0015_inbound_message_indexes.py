"""inbound_message indexes for what is asked of it: a sender's latest messages, the quarantine not yet
diagnosed; no index on receive time alone

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25

Why: every index is one more page each commit writes to the WAL (a one-message commit wrote
10 pages). Nothing queried received_ms alone. The clock-skew figure of `stats` asks for a sender's
last messages by id, which (sender, received_ms) could not give without sorting all of them. The
housekeeping tick looks for undiagnosed quarantine every second, which without an index read the
whole table (every raw message) each time; a partial index holds only those rows, so ordinary
messages never touch it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_UNDIAGNOSED = sa.text("quarantine_reason IS NOT NULL AND diagnosis IS NULL")


def upgrade() -> None:
    op.drop_index(op.f("ix_inbound_message_received_ms"), table_name="inbound_message")
    op.drop_index(op.f("ix_inbound_message_sender_received_ms"), table_name="inbound_message")
    op.create_index(op.f("ix_inbound_message_sender_id"), "inbound_message", ["sender", "id"])
    op.create_index(
        "ix_inbound_message_undiagnosed",
        "inbound_message",
        ["id"],
        sqlite_where=_UNDIAGNOSED,
        postgresql_where=_UNDIAGNOSED,
    )


def downgrade() -> None:
    op.drop_index("ix_inbound_message_undiagnosed", table_name="inbound_message")
    op.drop_index(op.f("ix_inbound_message_sender_id"), table_name="inbound_message")
    op.create_index(
        op.f("ix_inbound_message_sender_received_ms"), "inbound_message", ["sender", "received_ms"]
    )
    op.create_index(op.f("ix_inbound_message_received_ms"), "inbound_message", ["received_ms"])
