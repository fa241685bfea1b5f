"""co_medication: Co-medication around each dose (reserved; filled in by the change that needs it).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06
"""

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
