"""Meetings: when one was started, its minutes as figures, and only one open at a time

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("minutes_data", sa.JSON(), nullable=True))
    op.create_index(
        "uq_meeting_one_open",
        "meeting",
        ["status"],
        unique=True,
        sqlite_where=sa.text("status = 'pagar'"),
        postgresql_where=sa.text("status = 'pagar'"),
    )


def downgrade() -> None:
    op.drop_index("uq_meeting_one_open", table_name="meeting")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("minutes_data")
        batch.drop_column("started_at")
