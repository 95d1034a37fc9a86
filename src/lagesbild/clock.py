"""Time helpers: naive UTC for system times, naive Europe/Stockholm for wall-clock times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from lagesbild.config import TIMEZONE

LOCAL = ZoneInfo(TIMEZONE)


def utcnow() -> dt.datetime:
    """The current time as naive UTC (how system times are stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_now() -> dt.datetime:
    """The current wall-clock time in Stockholm, naive (how incident times are stored)."""
    return dt.datetime.now(LOCAL).replace(tzinfo=None)


def local_today() -> dt.date:
    return local_now().date()


def utc_to_local(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC).astimezone(LOCAL).replace(tzinfo=None)


def local_to_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=LOCAL).astimezone(dt.UTC).replace(tzinfo=None)


def week_start(day: dt.date) -> dt.date:
    """Monday of the ISO week that holds `day`."""
    return day - dt.timedelta(days=day.weekday())
