"""Incident day and hour, and one covering index for the analysis queries

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FACT_COLUMNS = [
    "day",
    "category_id",
    "place_id",
    "area_id",
    "reporting_org_id",
    "hour",
    "count",
    "visibility",
    "withdrawn_at",
    "precision",
    "occurred_at",
    "lat",
    "lon",
]
OLD_INDEXES = {
    "ix_incident_category_occurred": ["category_id", "occurred_at"],
    "ix_incident_place_occurred": ["place_id", "occurred_at"],
    "ix_incident_area_occurred": ["area_id", "occurred_at"],
    "ix_incident_org_occurred": ["reporting_org_id", "occurred_at"],
}


def upgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.add_column(sa.Column("day", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("hour", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE incident SET day = occurred_at::date - DATE '1970-01-01', "
            "hour = EXTRACT(hour FROM occurred_at)::int"
        )
    else:
        op.execute(
            "UPDATE incident SET "
            "day = CAST(julianday(substr(occurred_at, 1, 10)) - 2440587.5 AS INTEGER), "
            "hour = CAST(substr(occurred_at, 12, 2) AS INTEGER)"
        )
    with op.batch_alter_table("incident") as batch:
        batch.alter_column("day", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("hour", existing_type=sa.Integer(), nullable=False)
        for name in OLD_INDEXES:
            batch.drop_index(name)
        batch.create_index("ix_incident_place_id", ["place_id"])
        batch.create_index("ix_incident_facts", FACT_COLUMNS)


def downgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.drop_index("ix_incident_facts")
        batch.drop_index("ix_incident_place_id")
        for name, columns in OLD_INDEXES.items():
            batch.create_index(name, columns)
        batch.drop_column("hour")
        batch.drop_column("day")
