"""Figures for the overview page: this week against last, latest reports, open actions, next
meeting and the coming events. Every count is a number of occurrences (sum of `count`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from lagesbild.clock import week_start
from lagesbild.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Category,
    CategoryGroup,
    Incident,
    Meeting,
    MeetingStatus,
    Organisation,
)
from lagesbild.queries import actions as action_queries
from lagesbild.queries import incidents
from lagesbild.queries.common import Viewer, frame, visible_incidents


def week_comparison(conn: Connection, *, viewer: Viewer, now: dt.datetime) -> pd.DataFrame:
    """Per category group: this ISO week so far, the same span of last week, all of last week.

    Columns: group, colour, this_week, last_week_same_span, last_week.
    """
    this_start = dt.datetime.combine(week_start(now.date()), dt.time())
    last_start = this_start - dt.timedelta(days=7)
    last_same_end = now - dt.timedelta(days=7)
    occurred = Incident.occurred_at
    n = Incident.count

    def window(lo, hi):
        return func.coalesce(func.sum(case(((occurred >= lo) & (occurred < hi), n), else_=0)), 0)

    stmt = (
        select(
            CategoryGroup.name.label("group"),
            CategoryGroup.colour.label("colour"),
            window(this_start, now + dt.timedelta(seconds=1)).label("this_week"),
            window(last_start, last_same_end + dt.timedelta(seconds=1)).label(
                "last_week_same_span"
            ),
            window(last_start, this_start).label("last_week"),
        )
        .select_from(CategoryGroup)
        .join(Category, Category.group_id == CategoryGroup.id)
        .outerjoin(
            Incident,
            (Incident.category_id == Category.id)
            & (occurred >= last_start)
            & (occurred <= now)
            & visible_incidents(viewer=viewer),
        )
        .where(CategoryGroup.active)
        .group_by(
            CategoryGroup.id, CategoryGroup.name, CategoryGroup.colour, CategoryGroup.sort_order
        )
        .order_by(CategoryGroup.sort_order)
    )
    df = frame(conn, stmt)
    for col in ("this_week", "last_week_same_span", "last_week"):
        df[col] = df[col].astype(int)
    return df


def latest_incidents(conn: Connection, *, viewer: Viewer, limit: int = 10) -> pd.DataFrame:
    """The most recently reported incidents (columns of `incidents.incident_rows`, plus
    reported_at in UTC)."""
    stmt = (
        incidents.incident_rows()
        .add_columns(Incident.created_at.label("reported_at"))
        .where(visible_incidents(viewer=viewer))
        .order_by(Incident.created_at.desc(), Incident.id.desc())
        .limit(limit)
    )
    return frame(conn, stmt)


def open_actions_by_organisation(conn: Connection, today: dt.date) -> pd.DataFrame:
    """Open actions (föreslagen, beslutad, pågår) per owner organisation.
    Columns: organisation, open, overdue."""
    overdue = case((action_queries.is_overdue(today), 1), else_=0)
    stmt = (
        select(
            Organisation.short_name.label("organisation"),
            func.count(Action.id).label("open"),
            func.sum(overdue).label("overdue"),
        )
        .join(Organisation, Action.owner_org_id == Organisation.id)
        .where(Action.status.in_(OPEN_ACTION_STATUSES))
        .group_by(Organisation.id, Organisation.short_name)
        .order_by(func.count(Action.id).desc(), Organisation.short_name)
    )
    df = frame(conn, stmt)
    df["overdue"] = df["overdue"].fillna(0).astype(int)
    return df


def next_meeting(conn: Connection, now: dt.datetime) -> dict | None:
    """The meeting in progress, or else the next planned one: id, held_at, status."""
    row = conn.execute(
        select(Meeting.id, Meeting.held_at, Meeting.status)
        .where(Meeting.status != MeetingStatus.CLOSED.value)
        .where(
            (Meeting.held_at >= now - dt.timedelta(hours=12))
            | (Meeting.status == MeetingStatus.OPEN.value)
        )
        .order_by(case((Meeting.status == MeetingStatus.OPEN.value, 0), else_=1), Meeting.held_at)
        .limit(1)
    ).first()
    return row._asdict() if row else None


def last_meeting(conn: Connection, now: dt.datetime) -> dt.datetime | None:
    return conn.scalar(
        select(func.max(Meeting.held_at))
        .where(Meeting.status == MeetingStatus.CLOSED.value)
        .where(Meeting.held_at <= now)
    )
