"""observation rows indexed by (stream, time): a stream is the device the value came from, so a commit
touches one index page per device in the message instead of one per series

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25

With the (series_id, observed_ms) index a 20-value message dirtied ~20 index pages and the commit
wrote them all to the WAL, several times the cost of a commit touching one page. An index on time
alone made every reader scan all devices' staging rows, which slowed the alert engine's loads on a
busy ward. A device's values arrive together, so (stream, time) is cheap to write and narrow to read.
"""

import zlib

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observation") as batch:
        batch.add_column(sa.Column("stream", sa.Integer(), server_default="0", nullable=False))
    conn = op.get_bind()
    # Staging rows waiting for compaction: give them their device's stream (the same function as
    # adapters.db.streams.stream_of, repeated here: a migration must not change when code does).
    for sid, device in conn.execute(sa.text("SELECT id, device FROM series")).all():
        stream = zlib.crc32(device.encode("utf-8")) & 0x7FFFFFFF or 1
        conn.execute(
            sa.text("UPDATE observation SET stream = :s WHERE series_id = :i"), {"s": stream, "i": sid}
        )
    op.drop_index(op.f("ix_observation_series_id_observed_ms"), table_name="observation")
    op.create_index(op.f("ix_observation_stream_observed_ms"), "observation", ["stream", "observed_ms"])


def downgrade() -> None:
    op.drop_index(op.f("ix_observation_stream_observed_ms"), table_name="observation")
    op.create_index(op.f("ix_observation_series_id_observed_ms"), "observation", ["series_id", "observed_ms"])
    with op.batch_alter_table("observation") as batch:
        batch.drop_column("stream")
