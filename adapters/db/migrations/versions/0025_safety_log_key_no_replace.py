"""safety_log_key: SQLite refuses a key row inserted over an existing one

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06

SQLite's INSERT OR REPLACE deletes the row it conflicts with without firing the table's delete
trigger (recursive triggers are off), so a public key could be swapped for another under the same
fingerprint. A BEFORE INSERT trigger now refuses an insert whose key_id is already there
(bedside_adapters.db.log_guard). PostgreSQL has no INSERT OR REPLACE: nothing changes there.
"""

from alembic import op
from bedside_adapters.db import log_guard

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    log_guard.install_key_guard(op.get_bind())


def downgrade() -> None:
    log_guard.uninstall_key_guard(op.get_bind())
