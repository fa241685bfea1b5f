"""app_user: Bedside's own accounts (username, printed name, role, argon2id password hash)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08

Every clinician action is taken by an authenticated user in a role. A site without a directory keeps
its accounts here; creating, disabling and changing an account are logged in the safety log. No row
is ever deleted: a disabled account still names the person behind the record's entries.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("username", sa.String(120), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("changed_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_app_user")),
    )


def downgrade() -> None:
    op.drop_table("app_user")
