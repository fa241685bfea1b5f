"""alert.folded_into: the composite alert an alert is folded under

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

One reaction is one clinical problem: the components of a composite alert (and the alerts of the
same episode that belong to the reaction) are shown under it and acknowledged with it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("alert") as batch:
        batch.add_column(sa.Column("folded_into", _ID, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alert") as batch:
        batch.drop_column("folded_into")
