"""The demo forum's calendar: named days (skolavslutning, midsommarafton …), how much busier a
day is than its season and weekday suggest, and when the forum met and meets next."""

from __future__ import annotations

import datetime as dt

from lagesbild.reference import load_json

HISTORY_DAYS = 3 * 365

MEETING_TIME = dt.time(9, 0)
MEETING_LENGTH = dt.timedelta(hours=1, minutes=30)
MIN_DAYS_SINCE = 5  # a shorter stretch "sedan förra mötet" would not look like a normal week


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The `n`th `weekday` (0 = Monday) of the month."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def school_end(year: int) -> dt.date:
    return dt.date.fromisocalendar(year, 24, 5)


def midsummer_eve(year: int) -> dt.date:
    day = dt.date(year, 6, 19)
    return day + dt.timedelta(days=(4 - day.weekday()) % 7)


def first_advent_saturday(year: int) -> dt.date:
    day = dt.date(year, 11, 27)
    sunday = day + dt.timedelta(days=(6 - day.weekday()) % 7)
    return sunday - dt.timedelta(days=1)


NAMED_DAYS = {
    "school_end": school_end,
    "midsummer_eve": midsummer_eve,
    "first_advent_saturday": first_advent_saturday,
}


def day_in(year: int, text: str) -> dt.date:
    """A day of `year` as the scenario files write it: `MM-DD`, a named day, `isoweek W D`
    or `nth_weekday M W N`, optionally followed by `+N` days."""
    text, _, plus = text.partition("+")
    word, *numbers = text.split()
    args = [int(n) for n in numbers]
    if word in NAMED_DAYS:
        day = NAMED_DAYS[word](year)
    elif word == "isoweek":
        day = dt.date.fromisocalendar(year, *args)
    elif word == "nth_weekday":
        day = nth_weekday(year, *args)
    else:
        month, day_of_month = (int(n) for n in word.split("-"))
        day = dt.date(year, month, day_of_month)
    return day + dt.timedelta(days=int(plus or 0))


def moment_in(year: int, when: list[str]) -> dt.datetime:
    """`[day, "HH:MM"]` of `year` as a local datetime."""
    day, clock_time = when
    return dt.datetime.combine(day_in(year, day), dt.time.fromisoformat(clock_time))


def special_day_factor(day: dt.date) -> float:
    """How much busier a day is than its season and weekday alone suggest."""
    patterns = load_json("demo", "incidents.json")
    for special in patterns["special_days"]:
        if day == day_in(day.year, special["day"]):
            return special["factor"]
    sportlov = patterns["sportlov"]
    if day.isocalendar().week == sportlov["iso_week"] and day.weekday() < 5:
        return sportlov["factor"]
    return 1.0


def _slot(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, MEETING_TIME)


def meeting_schedule(now: dt.datetime, first: dt.date) -> tuple[list[dt.datetime], dt.datetime]:
    """When the demo forum met and meets next, so that the demo shows its best whatever
    moment it is built at. The next meeting is due: the first weekday 09:00 meeting that has
    not ended yet (today, or within three days). The forum meets weekly, so the last meeting
    was a week before the next one – unless that leaves less than five days behind `now`
    (late on a Friday), when it is the weekday meeting nearest to a week ago. Either way a
    chair who starts a meeting finds 5–8½ days, a normal week, "sedan förra mötet".
    Returns the held meetings (oldest first, weekly from `first`) and the planned one."""
    day = now.date()
    while day.weekday() >= 5 or _slot(day) + MEETING_LENGTH <= now:
        day += dt.timedelta(days=1)
    planned = _slot(day)
    last = planned - dt.timedelta(days=7)
    if now - last < dt.timedelta(days=MIN_DAYS_SINCE):
        week_ago = now - dt.timedelta(days=7)
        weekdays = [week_ago.date() + dt.timedelta(days=d) for d in range(-3, 4)]
        last = min(
            (_slot(d) for d in weekdays if d.weekday() < 5),
            key=lambda slot: (abs(slot - week_ago), slot),
        )
    held = [last]
    while held[-1].date() - dt.timedelta(days=7) >= first:
        held.append(held[-1] - dt.timedelta(days=7))
    return held[::-1], planned
