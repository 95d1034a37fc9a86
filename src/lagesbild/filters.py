"""The filter every analysis page shares: a period and what to include.

Pure values, no streamlit: parsed from and written to the URL query string, so a copied link
reproduces the same view. Unknown or malformed values in a link are dropped with a Swedish
notice instead of failing.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from lagesbild import clock, fmt


class Period(enum.StrEnum):
    SINCE_MEETING = "sedan-mote"
    DAYS_7 = "7d"
    DAYS_30 = "30d"
    DAYS_90 = "90d"
    QUARTER = "kvartal"
    YEAR = "ar"
    ALL = "allt"
    CUSTOM = "egen"


PERIOD_LABELS = {
    Period.SINCE_MEETING: "Sedan förra mötet",
    Period.DAYS_7: "Senaste 7 dagarna",
    Period.DAYS_30: "Senaste 30 dagarna",
    Period.DAYS_90: "Senaste 90 dagarna",
    Period.QUARTER: "Detta kvartal",
    Period.YEAR: "Detta år",
    Period.ALL: "Hela historiken",
    Period.CUSTOM: "Eget intervall",
}
DEFAULT_PERIOD = Period.DAYS_30
# The earliest day a custom period may start (the last is today): a link with year 0001 or
# 9999 is brought inside, with a notice, instead of overflowing the date arithmetic.
EARLIEST = dt.date(1970, 1, 1)
QUOTED = 40  # characters of an unreadable value a notice repeats

# URL parameter names (Swedish, readable in a shared link)
P_PERIOD, P_FROM, P_TO = "period", "fran", "till"
P_GROUP, P_CATEGORY, P_AREA, P_PLACE, P_ORG = "grupp", "kategori", "omrade", "plats", "org"
LIST_PARAMS = {
    P_GROUP: "groups",
    P_CATEGORY: "categories",
    P_AREA: "areas",
    P_PLACE: "places",
    P_ORG: "orgs",
}
LIST_LABELS = {
    "groups": "kategorigrupp",
    "categories": "kategori",
    "areas": "område",
    "places": "plats",
    "orgs": "organisation",
}


@dataclass(frozen=True)
class Filters:
    """What the user asked for. Empty tuples mean "all"."""

    period: Period = DEFAULT_PERIOD
    start: dt.date | None = None  # only for Period.CUSTOM (inclusive)
    end: dt.date | None = None  # only for Period.CUSTOM (inclusive)
    groups: tuple[int, ...] = ()
    categories: tuple[int, ...] = ()
    areas: tuple[int, ...] = ()
    places: tuple[int, ...] = ()
    orgs: tuple[int, ...] = ()

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)


@dataclass(frozen=True)
class Known:
    """The ids that exist (and may be filtered on) in this forum."""

    groups: frozenset[int] = frozenset()
    categories: frozenset[int] = frozenset()
    areas: frozenset[int] = frozenset()
    places: frozenset[int] = frozenset()
    orgs: frozenset[int] = frozenset()
    category_group: Mapping[int, int] = field(default_factory=dict)  # category id -> group id
    place_area: Mapping[int, int | None] = field(default_factory=dict)  # place id -> area id


@dataclass(frozen=True)
class Window:
    """A half-open interval of wall-clock time [start, end)."""

    start: dt.datetime
    end: dt.datetime

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    def shifted(self, delta: dt.timedelta) -> Window:
        return Window(self.start - delta, self.end - delta)

    def year_before(self) -> Window:
        return Window(_minus_year(self.start), _minus_year(self.end))


@dataclass(frozen=True)
class Scope:
    """A resolved filter: concrete time window and id sets, ready for the queries."""

    window: Window
    label: str
    categories: tuple[int, ...] = ()  # empty: all
    areas: tuple[int, ...] = ()
    places: tuple[int, ...] = ()
    orgs: tuple[int, ...] = ()

    def with_window(self, window: Window, label: str | None = None) -> Scope:
        return replace(self, window=window, label=label or self.label)

    @classmethod
    def everywhere(cls) -> Scope:
        """No restriction on place or category (for queries that ignore the window)."""
        return cls(window=Window(dt.datetime.min, dt.datetime.max), label="")

    def only_place(self, place_id: int) -> Scope:
        return replace(self, places=(place_id,), areas=())

    @property
    def previous(self) -> Scope:
        """The equally long period just before."""
        span = self.window.end - self.window.start
        return self.with_window(self.window.shifted(span), "föregående period")

    @property
    def last_year(self) -> Scope:
        return self.with_window(self.window.year_before(), "samma period i fjol")


def _minus_year(value: dt.datetime) -> dt.datetime:
    try:
        return value.replace(year=value.year - 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year - 1, day=28)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_window(
    filters: Filters,
    now: dt.datetime,
    last_meeting: dt.datetime | None,
    first_incident: dt.datetime | None = None,
) -> tuple[Window, str]:
    """The concrete time window of a filter's period, and a Swedish label for it.

    A period up to now holds every report accepted so far – one sent this minute has the
    current minute as its time, and a report may lie up to `clock.AHEAD` ahead – and ends with
    the hour after that (`hour_end`), so the window, and every figure cached for it, stays the
    same for the whole hour instead of changing every minute. The last 7/30/90 days are counted
    back from there."""
    end = hour_end(now + clock.AHEAD)
    today = now.date()
    match filters.period:
        case Period.SINCE_MEETING:
            if last_meeting is None:
                start = end - dt.timedelta(days=7)
                label = "Senaste 7 dagarna (inget tidigare möte)"
            else:
                start = last_meeting
                label = f"Sedan förra mötet {fmt.datetime(last_meeting)}"
        case Period.DAYS_7 | Period.DAYS_30 | Period.DAYS_90:
            days = {Period.DAYS_7: 7, Period.DAYS_30: 30, Period.DAYS_90: 90}[filters.period]
            start = end - dt.timedelta(days=days)
            label = PERIOD_LABELS[filters.period]
        case Period.QUARTER:
            q = quarter_start(today)
            start = dt.datetime.combine(q, dt.time())
            label = f"Kvartal {(q.month - 1) // 3 + 1} {q.year}"
        case Period.YEAR:
            start = dt.datetime(today.year, 1, 1)
            label = f"År {today.year}"
        case Period.ALL:
            start = first_incident or end - dt.timedelta(days=365)
            start = min(start, end - dt.timedelta(days=1))
            label = PERIOD_LABELS[Period.ALL]
        case Period.CUSTOM:
            first = within(filters.start or today - dt.timedelta(days=30), today)
            last = within(filters.end or today, today)
            start = dt.datetime.combine(first, dt.time())
            end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
            label = f"{fmt.date(first)} – {fmt.date(last)}"
    return Window(start, end), label


def hour_end(now: dt.datetime) -> dt.datetime:
    """The end of the hour `now` is in (now itself when it is a whole hour)."""
    start = now.replace(minute=0, second=0, microsecond=0)
    return start if start == now else start + dt.timedelta(hours=1)


def within(day: dt.date, today: dt.date) -> dt.date:
    """The day, moved inside the range a custom period may cover (EARLIEST … today)."""
    return min(max(day, EARLIEST), max(today, EARLIEST))


def resolve(
    filters: Filters,
    known: Known,
    now: dt.datetime,
    last_meeting: dt.datetime | None,
    first_incident: dt.datetime | None = None,
) -> Scope:
    """Turn a filter into concrete ids and a window. Sub-types narrow their groups: chosen
    categories win over chosen groups, chosen places over chosen areas."""
    window, label = period_window(filters, now, last_meeting, first_incident)
    if filters.categories:
        categories = tuple(sorted(filters.categories))
    elif filters.groups:
        chosen = set(filters.groups)
        categories = tuple(sorted(c for c, g in known.category_group.items() if g in chosen))
        categories = categories or (-1,)  # a group without categories matches nothing
    else:
        categories = ()
    return Scope(
        window=window,
        label=label,
        categories=categories,
        areas=tuple(sorted(filters.areas)) if not filters.places else (),
        places=tuple(sorted(filters.places)),
        orgs=tuple(sorted(filters.orgs)),
    )


# --- the URL ---------------------------------------------------------------------------------


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.split(",") if v != ""]
    out: list[str] = []
    for item in value:
        out.extend(v for v in str(item).split(",") if v != "")
    return out


def _quoted(value: str) -> str:
    """A value from the address as a notice repeats it: never more than a short line."""
    return value if len(value) <= QUOTED else value[:QUOTED] + "…"


def from_query(
    params: Mapping[str, str | list[str]], known: Known, today: dt.date | None = None
) -> tuple[Filters, list[str]]:
    """Read a filter from URL parameters. Returns the filter and Swedish notices about every
    value that was ignored or changed (unknown period, malformed date, a date outside what can
    be shown, id that does not exist …). The notices are plain text: they repeat what the
    address said, so whoever shows them must not read them as markup."""
    today = today or clock.local_today()
    notices: list[str] = []
    raw_period = _as_list(params.get(P_PERIOD))
    period = DEFAULT_PERIOD
    if raw_period:
        try:
            period = Period(raw_period[-1])
        except ValueError:
            notices.append(
                f"Okänd period ”{_quoted(raw_period[-1])}” i länken – visar "
                f"{PERIOD_LABELS[DEFAULT_PERIOD].lower()}."
            )

    def parse_date(key: str) -> dt.date | None:
        values = _as_list(params.get(key))
        if not values:
            return None
        try:
            day = dt.date.fromisoformat(values[-1])
        except ValueError:
            notices.append(
                f"Datumet ”{_quoted(values[-1])}” i länken är inte ett datum (ÅÅÅÅ-MM-DD) "
                "och har ignorerats."
            )
            return None
        moved = within(day, today)
        if moved != day:
            notices.append(
                f"Datumet {day.isoformat()} i länken ligger utanför det som kan visas "
                f"({fmt.date(EARLIEST)} – {fmt.date(today)}) och har ändrats till "
                f"{fmt.date(moved)}."
            )
        return moved

    start, end = parse_date(P_FROM), parse_date(P_TO)
    if period is Period.CUSTOM:
        if start is None or end is None:
            notices.append(
                "Eget intervall saknar start- eller slutdatum – visar "
                f"{PERIOD_LABELS[DEFAULT_PERIOD].lower()}."
            )
            period, start, end = DEFAULT_PERIOD, None, None
        elif end < start:
            notices.append("Slutdatumet ligger före startdatumet – datumen har bytt plats.")
            start, end = end, start
    else:
        start = end = None

    lists: dict[str, tuple[int, ...]] = {}
    for param, attr in LIST_PARAMS.items():
        valid: set[int] = getattr(known, attr)
        kept: list[int] = []
        dropped: list[str] = []
        for value in _as_list(params.get(param)):
            try:
                number = int(value)
            except ValueError:
                dropped.append(value)
                continue
            if number in valid:
                kept.append(number)
            else:
                dropped.append(value)
        if dropped:
            notices.append(
                f"Okänd {LIST_LABELS[attr]} i länken "
                f"({', '.join(_quoted(d) for d in dropped[:5])}) har ignorerats."
            )
        lists[attr] = tuple(dict.fromkeys(kept))
    return Filters(period=period, start=start, end=end, **lists), notices


def to_query(filters: Filters) -> dict[str, str]:
    """URL parameters for a filter (defaults left out, lists comma-separated)."""
    params: dict[str, str] = {}
    if filters.period is not DEFAULT_PERIOD:
        params[P_PERIOD] = filters.period.value
    if filters.period is Period.CUSTOM and filters.start and filters.end:
        params[P_FROM] = filters.start.isoformat()
        params[P_TO] = filters.end.isoformat()
    for param, attr in LIST_PARAMS.items():
        values = getattr(filters, attr)
        if values:
            params[param] = ",".join(str(v) for v in values)
    return params
