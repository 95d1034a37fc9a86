"""Figures for the overview page: this week against last, latest reports, open actions, next
meeting and the coming events. Every count is a number of occurrences (sum of `count`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from lagesbild.clock import week_start
from lagesbild.models import (
    Action,
    ActionStatus,
    Area,
    Category,
    CategoryGroup,
    Event,
    Incident,
    Meeting,
    MeetingStatus,
    Organisation,
    Place,
)
from lagesbild.queries.common import Viewer, frame, visible_incidents

OPEN_STATUSES = (
    ActionStatus.PROPOSED.value,
    ActionStatus.DECIDED.value,
    ActionStatus.IN_PROGRESS.value,
)


def week_comparison(conn: Connection, viewer: Viewer, now: dt.datetime) -> pd.DataFrame:
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
            & visible_incidents(viewer),
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


def latest_incidents(conn: Connection, viewer: Viewer, limit: int = 10) -> pd.DataFrame:
    """The most recently reported incidents. Columns: id, occurred_at, group, category, place,
    area, organisation, count, reported_at (UTC)."""
    stmt = (
        select(
            Incident.id,
            Incident.occurred_at,
            CategoryGroup.name.label("group"),
            Category.name.label("category"),
            Place.name.label("place"),
            Area.name.label("area"),
            Organisation.short_name.label("organisation"),
            Incident.count,
            Incident.created_at.label("reported_at"),
        )
        .join(Category, Incident.category_id == Category.id)
        .join(CategoryGroup, Category.group_id == CategoryGroup.id)
        .join(Organisation, Incident.reporting_org_id == Organisation.id)
        .outerjoin(Place, Incident.place_id == Place.id)
        .outerjoin(Area, Incident.area_id == Area.id)
        .where(visible_incidents(viewer))
        .order_by(Incident.created_at.desc(), Incident.id.desc())
        .limit(limit)
    )
    return frame(conn, stmt)


def open_actions_by_organisation(conn: Connection, today: dt.date) -> pd.DataFrame:
    """Open actions (föreslagen, beslutad, pågår) per owner organisation.
    Columns: organisation, open, overdue."""
    overdue = case(((Action.due_date < today), 1), else_=0)
    stmt = (
        select(
            Organisation.short_name.label("organisation"),
            func.count(Action.id).label("open"),
            func.sum(overdue).label("overdue"),
        )
        .join(Organisation, Action.owner_org_id == Organisation.id)
        .where(Action.status.in_(OPEN_STATUSES))
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


def upcoming_events(conn: Connection, now: dt.datetime, days: int = 21) -> pd.DataFrame:
    """Events and risk periods that are on now or start within `days`.
    Columns: title, kind, starts_at, ends_at, expected_impact, place, area."""
    stmt = (
        select(
            Event.title,
            Event.kind,
            Event.starts_at,
            Event.ends_at,
            Event.expected_impact,
            Place.name.label("place"),
            Area.name.label("area"),
        )
        .outerjoin(Place, Event.place_id == Place.id)
        .outerjoin(Area, Event.area_id == Area.id)
        .where(Event.ends_at >= now)
        .where(Event.starts_at <= now + dt.timedelta(days=days))
        .order_by(Event.starts_at)
    )
    return frame(conn, stmt)
