"""infusion episodes, alerts, the safety log, adverse events, the alerting heartbeat

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "infusion_episode",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("dose_number", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=200), server_default="", nullable=False),
        sa.Column("cells", sa.Float(), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("cells_per_kg", sa.Float(), nullable=True),
        sa.Column("planned_start_ms", sa.BigInteger(), nullable=True),
        sa.Column("start_ms", sa.BigInteger(), nullable=False),
        sa.Column("end_ms", sa.BigInteger(), nullable=True),
        sa.Column("start_source", sa.String(length=20), nullable=False),
        sa.Column("end_source", sa.String(length=20), server_default="", nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("confirmed_by", sa.String(length=120), server_default="", nullable=False),
        sa.Column("confirmed_ms", sa.BigInteger(), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infusion_episode")),
        sa.UniqueConstraint(
            "patient_ref", "dose_number", name=op.f("uq_infusion_episode_patient_ref_dose_number")
        ),
    )
    op.create_table(
        "alert",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("episode_id", Id, nullable=False),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("rule_id", sa.String(length=20), nullable=False),
        sa.Column("ruleset", sa.String(length=120), nullable=False),
        sa.Column("ruleset_digest", sa.String(length=64), nullable=False),
        sa.Column("grading", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=120), server_default="", nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("onset_ms", sa.BigInteger(), nullable=False),
        sa.Column("fired_ms", sa.BigInteger(), nullable=False),
        sa.Column("last_true_ms", sa.BigInteger(), nullable=False),
        sa.Column("raised_ms", sa.BigInteger(), nullable=False),
        sa.Column("start_unconfirmed", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("on_import", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("observations", sa.Text(), server_default="[]", nullable=False),
        sa.Column("detail", sa.Text(), server_default="{}", nullable=False),
        sa.Column("annotation", sa.Text(), server_default="", nullable=False),
        sa.Column("acked_by", sa.String(length=120), server_default="", nullable=False),
        sa.Column("acked_ms", sa.BigInteger(), nullable=True),
        sa.Column("ack_comment", sa.Text(), server_default="", nullable=False),
        sa.Column("escalated_ms", sa.BigInteger(), nullable=True),
        sa.Column("resolved_ms", sa.BigInteger(), nullable=True),
        sa.Column("resolved_reason", sa.String(length=200), server_default="", nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["infusion_episode.id"], name=op.f("fk_alert_episode_id_infusion_episode")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
    )
    with op.batch_alter_table("alert") as batch:
        batch.create_index(batch.f("ix_alert_episode_id_rule_id"), ["episode_id", "rule_id"])
        batch.create_index(batch.f("ix_alert_state"), ["state"])
    op.create_table(
        "safety_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("patient_ref", sa.String(length=170), server_default="", nullable=False),
        sa.Column("episode_id", sa.BigInteger(), nullable=True),
        sa.Column("alert_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_safety_log")),
    )
    op.create_table(
        "safety_log_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_log_head")),
    )
    op.create_table(
        "adverse_event",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("episode_id", Id, nullable=True),
        sa.Column("term", sa.String(length=200), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("relatedness", sa.String(length=40), nullable=False),
        sa.Column("onset_ms", sa.BigInteger(), nullable=True),
        sa.Column("alert_ids", sa.Text(), server_default="[]", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("reported_by", sa.String(length=120), nullable=False),
        sa.Column("reported_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["infusion_episode.id"], name=op.f("fk_adverse_event_episode_id_infusion_episode")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adverse_event")),
    )
    op.create_table(
        "alerting_heartbeat",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("instance", sa.String(length=120), nullable=False),
        sa.Column("beat_ms", sa.BigInteger(), nullable=False),
        sa.Column("ruleset", sa.String(length=120), nullable=False),
        sa.Column("evaluated_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_alerting_heartbeat")),
    )


def downgrade() -> None:
    for name in (
        "alerting_heartbeat",
        "adverse_event",
        "safety_log_head",
        "safety_log",
        "alert",
        "infusion_episode",
    ):
        op.drop_table(name)
