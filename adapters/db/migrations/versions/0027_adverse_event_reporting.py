"""adverse_event_reporting: adverse events for SAE/SUSAR reporting

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06

Adverse events gain what expedited reporting needs (ICH E2A): seriousness criteria, expectedness and
the reference safety information it was judged against, outcome and end, action taken with the
product, treatment, the CTCAE term and version, an optional MedDRA code, who assessed causality and
in what role, when the team became aware, and the special interest. Follow-ups are new rows: version
1's id in event_id, unique with the version. Reports to the sponsor get a table of their own.

Rows already there stay as they were and read as version 1 with every new field unknown (NULL).
Plain ADD COLUMN: no table is rebuilt on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_COLUMNS = (
    ("event_id", Id, True, None),
    ("version", sa.Integer(), False, "1"),
    ("seriousness", sa.Text(), True, None),
    ("expectedness", sa.String(20), True, None),
    ("rsi", sa.String(200), True, None),
    ("ctcae_term", sa.String(120), True, None),
    ("ctcae_version", sa.String(10), True, None),
    ("meddra_code", sa.String(12), False, ""),
    ("outcome", sa.String(30), True, None),
    ("end_ms", sa.BigInteger(), True, None),
    ("action_taken", sa.String(30), True, None),
    ("treatment", sa.Text(), False, ""),
    ("assessed_by", sa.String(120), True, None),
    ("assessor_role", sa.String(20), True, None),
    ("awareness_ms", sa.BigInteger(), True, None),
    ("special_interest", sa.String(40), True, None),
)


def upgrade() -> None:
    for name, type_, nullable, default in _COLUMNS:
        op.add_column("adverse_event", sa.Column(name, type_, nullable=nullable, server_default=default))
    op.create_index("uq_adverse_event_version", "adverse_event", ["event_id", "version"], unique=True)
    op.create_index(op.f("ix_adverse_event_patient_ref"), "adverse_event", ["patient_ref"], unique=False)
    op.create_table(
        "adverse_event_report",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("event_id", Id, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("patient_ref", sa.String(length=170), nullable=False),
        sa.Column("sent_ms", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["adverse_event.id"], name=op.f("fk_adverse_event_report_event_id_adverse_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adverse_event_report")),
    )
    op.create_index(
        op.f("ix_adverse_event_report_event_id"), "adverse_event_report", ["event_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_adverse_event_report_event_id"), table_name="adverse_event_report")
    op.drop_table("adverse_event_report")
    op.drop_index(op.f("ix_adverse_event_patient_ref"), table_name="adverse_event")
    op.drop_index("uq_adverse_event_version", table_name="adverse_event")
    with op.batch_alter_table("adverse_event") as batch:
        for name, *_ in reversed(_COLUMNS):
            batch.drop_column(name)
