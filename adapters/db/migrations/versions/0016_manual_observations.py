"""observation.message_id may be NULL: vital signs entered by hand came in no message

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

A nurse's temperature or cuff pressure is stored as an ordinary observation of a series whose
source device is `manual`, so the screens and the rule engine read it like any other value. Such a
value has no inbound message; who entered it, when and what is in the safety log (`vitals.recorded`),
written in the same transaction.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("observation") as batch:
        batch.alter_column("message_id", existing_type=_ID, nullable=True)


def downgrade() -> None:
    # Hand-entered rows still waiting for compaction have no message to point at: fold them first
    # (`bedside-cli compact`), or they are lost here.
    op.execute("DELETE FROM observation WHERE message_id IS NULL")
    with op.batch_alter_table("observation") as batch:
        batch.alter_column("message_id", existing_type=_ID, nullable=False)
