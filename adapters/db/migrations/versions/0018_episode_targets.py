"""infusion_episode.targets: the patient's own SpO2 and MAP limits for a dose

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

In ventilated ARDS an SpO2 of 88-92 % or a MAP of 65 mmHg on a vasopressor are treatment targets. An
intensivist may set the limits below which a fall counts for a patient whose baseline already sits
past the absolute thresholds; unset, the rules derive them from the baseline.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("infusion_episode") as batch:
        batch.add_column(sa.Column("targets", sa.Text(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("infusion_episode") as batch:
        batch.drop_column("targets")
