"""observation rows indexed by time only: each commit then touches the index's last page, not one
page per series (the staging rows live about 10 s before compaction folds them into chunks)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25

Measured (issue 5): with the (series_id, observed_ms) index a 20-value message dirtied ~20 index
pages, and the commit wrote them all to the WAL: 170 µs a commit against 49 µs with a time index.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_observation_series_id_observed_ms"), table_name="observation")
    op.create_index(op.f("ix_observation_observed_ms"), "observation", ["observed_ms"])


def downgrade() -> None:
    op.drop_index(op.f("ix_observation_observed_ms"), table_name="observation")
    op.create_index(op.f("ix_observation_series_id_observed_ms"), "observation", ["series_id", "observed_ms"])
