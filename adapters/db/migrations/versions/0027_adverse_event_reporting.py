"""adverse_event_reporting: adverse events for SAE/SUSAR reporting (reserved until filled in).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06
"""

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
