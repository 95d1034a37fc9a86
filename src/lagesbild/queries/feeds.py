"""The runs of the automatic feeds (the police's events), newest first."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from lagesbild.models import FeedRun
from lagesbild.queries.common import frame

COLUMNS = [
    FeedRun.id,
    FeedRun.started_at,
    FeedRun.finished_at,
    FeedRun.ok,
    FeedRun.attempts,
    FeedRun.fetched,
    FeedRun.added,
    FeedRun.already,
    FeedRun.skipped,
    FeedRun.message,
    FeedRun.url,
]


def runs(conn: Connection, feed: str, limit: int = 20) -> pd.DataFrame:
    """The newest runs of one feed. Columns: id, started_at and finished_at (UTC), ok,
    attempts, fetched, added, already, skipped, message, url."""
    stmt = select(*COLUMNS).where(FeedRun.feed == feed).order_by(FeedRun.id.desc()).limit(limit)
    return frame(conn, stmt)


def last_success(conn: Connection, feed: str) -> dict | None:
    """The newest run of the feed that went well, as a dict of the columns above."""
    stmt = (
        select(*COLUMNS)
        .where(FeedRun.feed == feed, FeedRun.ok)
        .order_by(FeedRun.id.desc())
        .limit(1)
    )
    row = conn.execute(stmt).mappings().first()
    return dict(row) if row else None
