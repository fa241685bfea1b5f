"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed",
        sa.Column("sender", sa.String(length=250), nullable=False),
        sa.Column("first_received_ms", sa.BigInteger(), nullable=False),
        sa.Column("last_received_ms", sa.BigInteger(), nullable=False),
        sa.Column("last_observed_ms", sa.BigInteger(), nullable=True),
        sa.Column("messages", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("sender", name=op.f("pk_feed")),
    )
    op.create_table(
        "inbound_message",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("received_ms", sa.BigInteger(), nullable=False),
        sa.Column("peer", sa.String(length=120), nullable=False),
        sa.Column("sender", sa.String(length=250), nullable=False),
        sa.Column("control_id", sa.String(length=80), server_default="", nullable=False),
        sa.Column("message_time", sa.String(length=40), server_default="", nullable=False),
        sa.Column("message_type", sa.String(length=40), server_default="", nullable=False),
        sa.Column("version", sa.String(length=20), server_default="", nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("raw_size", sa.Integer(), nullable=False),
        sa.Column("codec", sa.String(length=20), server_default="", nullable=False),
        sa.Column("lossy_decode", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("ack_code", sa.String(length=2), nullable=False),
        sa.Column("ack", sa.Text(), nullable=False),
        sa.Column("quarantine_reason", sa.Text(), nullable=True),
        sa.Column("obx_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("observation_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("skipped", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_message")),
    )
    with op.batch_alter_table("inbound_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbound_message_received_ms"), ["received_ms"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inbound_message_sender_received_ms"), ["sender", "received_ms"], unique=False
        )

    op.create_table(
        "ingest_heartbeat",
        sa.Column("instance", sa.String(length=80), nullable=False),
        sa.Column("host", sa.String(length=120), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("listen", sa.String(length=250), nullable=False),
        sa.Column("started_ms", sa.BigInteger(), nullable=False),
        sa.Column("beat_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("instance", name=op.f("pk_ingest_heartbeat")),
    )
    op.create_table(
        "patient",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("identifier", sa.String(length=80), nullable=False),
        sa.Column("authority", sa.String(length=80), server_default="", nullable=False),
        sa.Column("family_name", sa.String(length=120), server_default="", nullable=False),
        sa.Column("given_name", sa.String(length=120), server_default="", nullable=False),
        sa.Column("bed", sa.String(length=80), server_default="", nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
        sa.UniqueConstraint("identifier", "authority", name=op.f("uq_patient_identifier_authority")),
    )
    op.create_table(
        "series",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("patient_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("parameter", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("device", sa.String(length=120), nullable=False),
        sa.Column("instance", sa.String(length=80), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], name=op.f("fk_series_patient_id_patient")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint(
            "patient_ref",
            "parameter",
            "unit",
            "device",
            "instance",
            name=op.f("uq_series_patient_ref_parameter_unit_device_instance"),
        ),
    )
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_series_patient_id_parameter"), ["patient_id", "parameter"], unique=False
        )

    op.create_table(
        "observation",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("series_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("observed_ms", sa.BigInteger(), nullable=False),
        sa.Column("received_ms", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=2), server_default="R", nullable=False),
        sa.Column("message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_message.id"], name=op.f("fk_observation_message_id_inbound_message")
        ),
        sa.ForeignKeyConstraint(["series_id"], ["series.id"], name=op.f("fk_observation_series_id_series")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_observation_series_id_observed_ms"), ["series_id", "observed_ms"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_series_id_observed_ms"))

    op.drop_table("observation")
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_series_patient_id_parameter"))

    op.drop_table("series")
    op.drop_table("patient")
    op.drop_table("ingest_heartbeat")
    with op.batch_alter_table("inbound_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_message_sender_received_ms"))
        batch_op.drop_index(batch_op.f("ix_inbound_message_received_ms"))

    op.drop_table("inbound_message")
    op.drop_table("feed")
