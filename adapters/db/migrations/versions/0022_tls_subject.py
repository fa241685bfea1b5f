"""inbound_message.tls_subject: the client certificate each message came with over TLS

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

A certificate proves who held the connection; the message names its sender itself (MSH-3/MSH-4).
Keeping the certificate's subject beside each message lets an integration engineer see which
certificate spoke for which sender. Messages received before this revision, and over plain TCP,
have none (NULL). A nullable column without a default: no table rebuild on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("inbound_message", sa.Column("tls_subject", sa.String(250), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_message") as batch:
        batch.drop_column("tls_subject")
