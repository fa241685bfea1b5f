"""the baselines the rule engine computed for each dose, and how many doses the course plans

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("infusion_episode") as batch:
        batch.add_column(sa.Column("baselines", sa.Text(), server_default="{}", nullable=False))
        batch.add_column(sa.Column("course_doses", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("infusion_episode") as batch:
        batch.drop_column("course_doses")
        batch.drop_column("baselines")
