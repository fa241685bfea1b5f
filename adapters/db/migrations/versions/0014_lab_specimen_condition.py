"""lab results keep the specimen's condition (HL7 table 0493: HEM haemolysed, LIP lipaemic, CLOT ...):
rule L5 does not read an LDH from a haemolysed sample as a rise

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lab_result") as batch:
        batch.add_column(
            sa.Column("specimen_condition", sa.String(length=60), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("lab_result") as batch:
        batch.drop_column("specimen_condition")
