"""The product's one clock: every "now" and "today" comes from here.

Times are naive: system times (created_at, audit entries, login bookkeeping) in UTC, wall-clock
times (incidents, meetings, due dates) in Europe/Stockholm.

A deployment never touches this. A test, a demonstration or a benchmark can pin the clock:
either with the environment variable ``LAGESBILD_NOW`` (local time, ``2026-11-21T20:00``), read by
the app, the CLI and a Streamlit server alike, or in-process with :func:`pin`. A pinned clock
starts at the given moment and then runs on with the machine's clock, so that things done one
after another still get increasing times (a report after the start of a meeting is after it).

Only this module may read the machine's time (a test enforces it). The one exception, the
machine's own clock for the browser's cookie store, is :func:`machine_epoch`.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

from lagesbild.config import TIMEZONE

LOCAL = ZoneInfo(TIMEZONE)
ENV_NOW = "LAGESBILD_NOW"

# How far past "now" a reported time may lie (a time typed a few minutes ahead, or the current
# minute itself). Reports accept it, and every period that runs up to now reaches that far, so
# a report just sent is counted and listed at once.
AHEAD = dt.timedelta(minutes=10)

# (where it came from, pinned local time, the machine's monotonic clock when it was pinned)
_anchor: tuple[str, dt.datetime, float] | None = None
# (pinned local time, monotonic clock when pinned, or None for a clock that stands still)
_pinned: tuple[dt.datetime, float | None] | None = None


def parse_moment(text: str) -> dt.datetime:
    """A local moment written as ISO 8601 (``2026-11-21T20:00``, seconds optional). A time
    with a zone is turned into Stockholm time."""
    value = dt.datetime.fromisoformat(text.strip())
    if value.tzinfo is not None:
        value = value.astimezone(LOCAL).replace(tzinfo=None)
    return value


def pin(moment: dt.datetime | None, *, running: bool = True) -> None:
    """Pin the clock in this process to the local `moment` (it runs on from there, or stands
    still with `running=False`, as a benchmark of warm caches needs), or unpin it with None.
    Wins over ``LAGESBILD_NOW``."""
    global _pinned
    if moment is None:
        _pinned = None
    else:
        _pinned = (moment.replace(tzinfo=None), time.monotonic() if running else None)


def _pinned_now() -> dt.datetime | None:
    global _anchor
    if _pinned is not None:
        moment, since = _pinned
        return moment if since is None else moment + dt.timedelta(seconds=time.monotonic() - since)
    text = os.environ.get(ENV_NOW, "").strip()
    if not text:
        return None
    if _anchor is None or _anchor[0] != text:
        _anchor = (text, parse_moment(text), time.monotonic())
    _, moment, since = _anchor
    return moment + dt.timedelta(seconds=time.monotonic() - since)


def is_pinned() -> bool:
    return _pinned_now() is not None


def local_now() -> dt.datetime:
    """The current wall-clock time in Stockholm, naive (how incident times are stored)."""
    pinned = _pinned_now()
    if pinned is not None:
        return pinned
    return dt.datetime.now(LOCAL).replace(tzinfo=None)


def local_today() -> dt.date:
    return local_now().date()


def utcnow() -> dt.datetime:
    """The current time as naive UTC (how system times are stored)."""
    pinned = _pinned_now()
    if pinned is not None:
        return local_to_utc(pinned)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def epoch() -> float:
    """The current time in seconds since 1970 (login tokens and their revocation)."""
    return utcnow().replace(tzinfo=dt.UTC).timestamp()


def machine_epoch() -> float:
    """The machine's own time in seconds since 1970, never pinned. Only for what another
    machine's clock judges: the expiry the browser's cookie store applies to a cookie."""
    return time.time()


def utc_to_local(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC).astimezone(LOCAL).replace(tzinfo=None)


def local_to_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=LOCAL).astimezone(dt.UTC).replace(tzinfo=None)


def week_start(day: dt.date) -> dt.date:
    """Monday of the ISO week that holds `day`."""
    return day - dt.timedelta(days=day.weekday())
