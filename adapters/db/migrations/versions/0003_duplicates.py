"""duplicate detection and quarantine categories on inbound_message

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_message") as batch:
        batch.add_column(sa.Column("quarantine_code", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("duplicates", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("last_duplicate_ms", sa.BigInteger(), nullable=True))
    # Messages stored before this revision may contain resent copies; keep the first of each and
    # count the others on it, so that the unique index can be built and nothing is lost silently.
    op.execute(
        """
        UPDATE inbound_message SET duplicates = (
            SELECT COUNT(*) FROM inbound_message AS later
            WHERE later.sender = inbound_message.sender AND later.control_id = inbound_message.control_id
              AND later.message_time = inbound_message.message_time AND later.sha256 = inbound_message.sha256
              AND later.id > inbound_message.id)
        WHERE id IN (
            SELECT MIN(id) FROM inbound_message GROUP BY sender, control_id, message_time, sha256
            HAVING COUNT(*) > 1)
        """
    )
    later_copies = """
        SELECT id FROM inbound_message WHERE id NOT IN (
            SELECT MIN(id) FROM inbound_message GROUP BY sender, control_id, message_time, sha256)
    """
    # Their observations now point at the first copy (same bytes, same values), then they go.
    op.execute(
        f"""
        UPDATE observation SET message_id = (
            SELECT MIN(m2.id) FROM inbound_message AS m1, inbound_message AS m2
            WHERE m1.id = observation.message_id AND m2.sender = m1.sender
              AND m2.control_id = m1.control_id AND m2.message_time = m1.message_time
              AND m2.sha256 = m1.sha256)
        WHERE message_id IN ({later_copies})
        """
    )
    op.execute(f"DELETE FROM inbound_message WHERE id IN ({later_copies})")
    op.execute("UPDATE inbound_message SET quarantine_code = 'legacy' WHERE quarantine_reason IS NOT NULL")
    with op.batch_alter_table("inbound_message") as batch:
        batch.create_index(
            "uq_inbound_message_dedupe", ["sender", "control_id", "message_time", "sha256"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_message") as batch:
        batch.drop_index("uq_inbound_message_dedupe")
        batch.drop_column("last_duplicate_ms")
        batch.drop_column("duplicates")
        batch.drop_column("quarantine_code")
