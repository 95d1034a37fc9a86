"""Meetings: when one was started, its minutes as figures, and only one open at a time

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from lagesbild import clock

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("minutes_data", sa.JSON(), nullable=True))
    close_all_but_the_newest_open_meeting()
    op.create_index(
        "uq_meeting_one_open",
        "meeting",
        ["status"],
        unique=True,
        sqlite_where=sa.text("status = 'pagar'"),
        postgresql_where=sa.text("status = 'pagar'"),
    )


MEETING = sa.table(
    "meeting",
    sa.column("id", sa.Integer),
    sa.column("held_at", sa.DateTime),
    sa.column("status", sa.String),
    sa.column("notes", sa.Text),
    sa.column("closed_at", sa.DateTime),
    sa.column("version", sa.Integer),
)
AUDIT = sa.table(
    "audit_log",
    sa.column("at", sa.DateTime),
    sa.column("username", sa.String),
    sa.column("verb", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("detail", sa.Text),
)


def close_all_but_the_newest_open_meeting() -> None:
    """Older versions let two meetings be in progress at once. The newest one stays open; the
    others are closed (without minutes) with a note saying why, and the audit log records it."""
    bind = op.get_bind()
    running = bind.execute(
        sa.select(MEETING.c.id, MEETING.c.held_at, MEETING.c.notes)
        .where(MEETING.c.status == "pagar")
        .order_by(MEETING.c.held_at.desc(), MEETING.c.id.desc())
    ).all()
    if len(running) < 2:
        return
    kept = running[0]
    now = clock.utcnow()
    for meeting in running[1:]:
        note = (
            f"Mötet avslutades automatiskt när Lägesbild uppdaterades {now:%Y-%m-%d}: bara ett "
            f"möte kan pågå åt gången, och mötet {kept.held_at:%Y-%m-%d %H:%M} fortsätter. "
            "Inget protokoll skapades."
        )
        bind.execute(
            MEETING.update()
            .where(MEETING.c.id == meeting.id)
            .values(
                status="avslutat",
                closed_at=now,
                notes=f"{meeting.notes}\n\n{note}" if meeting.notes else note,
                version=MEETING.c.version + 1,
            )
        )
        bind.execute(
            AUDIT.insert().values(
                at=now,
                username="system",
                verb="update",
                entity="meeting",
                entity_id=str(meeting.id),
                before={"status": "pagar"},
                after={"status": "avslutat"},
                detail=note,
            )
        )


def downgrade() -> None:
    op.drop_index("uq_meeting_one_open", table_name="meeting")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("minutes_data")
        batch.drop_column("started_at")
