"""A realistic demo forum: a Vellinge-like trygghetsforum with three years of history.

Deterministic: the same seed and the same `now` give the same database. Patterns follow what
forums see: evenings and weekend nights, summer, Valborg, skolavslutning, nyår; a handful of
genuine hot spots that rise and fall (some after an action was completed), and two that are
rising right now so the picture has something new to show.

`incidents` scales the volume (1,000,000 for benchmarks); incidents are generated vectorised
with numpy and written with the database's bulk path, everything else through the ORM.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from lagesbild import db, fmt, municipalities
from lagesbild.auth import hash_password
from lagesbild.clock import local_now, local_to_utc
from lagesbild.export import minutes as minutes_text
from lagesbild.models import (
    Action,
    ActionStatus,
    ActionStatusChange,
    ActionType,
    Area,
    AuditLog,
    Base,
    Category,
    CategoryGroup,
    Decision,
    DecisionKind,
    Event,
    EventKind,
    Horizon,
    Impact,
    Meeting,
    MeetingStatus,
    Observation,
    Organisation,
    Place,
    SafetyWalk,
    UnsafeReason,
    User,
    Visibility,
)
from lagesbild.queries import minutes
from lagesbild.reference import (
    FORUM_NAME_KEY,
    MUNICIPALITY_CODE_KEY,
    MUNICIPALITY_KEY,
    ellipse_polygon,
    load_json,
    seed_default_categories,
    set_setting,
)

DEMO_PASSWORD = "lagesbild-demo"
DEFAULT_INCIDENTS = 15_000
HISTORY_DAYS = 3 * 365
BATCH = 200_000

# --- what happens where ----------------------------------------------------------------------

BASE_CATEGORY_WEIGHT = {
    "Klotter": 14,
    "Glaskross": 5,
    "Brand/anlagd brand": 2,
    "Annan skadegörelse": 6,
    "Trapphus": 2,
    "Källare": 1,
    "Garage": 1,
    "Centrum": 5,
    "Utomhus": 6,
    "Bråk/våld": 4,
    "Inbrott": 3,
    "Stöld": 6,
    "Rån": 0.5,
    "Misstänkt narkotikahantering": 3,
    "Olovligt boende": 0.5,
    "Buskörning (moped, EPA/A-traktor)": 4,
    "Hot mot personal": 1,
    "Dålig belysning": 1.5,
    "Skymd sikt/vegetation": 1,
    "Nedskräpning": 5,
    "Ödslig plats": 0.5,
    "Arrangemang": 0.2,
}

KIND_BOOST = {
    "bostadsområde": {"Trapphus": 6, "Källare": 6, "Garage": 3, "Inbrott": 2, "Centrum": 0.1},
    "centrum": {"Centrum": 3, "Stöld": 2.5, "Hot mot personal": 3, "Bråk/våld": 2, "Klotter": 1.3},
    "handel": {
        "Stöld": 4,
        "Hot mot personal": 3,
        "Centrum": 1.5,
        "Buskörning (moped, EPA/A-traktor)": 1.5,
    },
    "kollektivtrafik": {"Utomhus": 2, "Bråk/våld": 1.5, "Klotter": 1.5, "Glaskross": 2.5},
    "skola": {
        "Glaskross": 3,
        "Klotter": 1.5,
        "Brand/anlagd brand": 2,
        "Utomhus": 1.5,
        "Centrum": 0.1,
    },
    "strand": {
        "Buskörning (moped, EPA/A-traktor)": 1.5,
        "Utomhus": 2.5,
        "Nedskräpning": 3,
        "Centrum": 0.1,
    },
    "hamn": {"Buskörning (moped, EPA/A-traktor)": 2, "Utomhus": 2, "Stöld": 2.5, "Centrum": 0.1},
    "natur": {
        "Ödslig plats": 6,
        "Nedskräpning": 2,
        "Buskörning (moped, EPA/A-traktor)": 2.5,
        "Skymd sikt/vegetation": 3,
        "Centrum": 0.05,
    },
    "parkering": {
        "Stöld": 3,
        "Buskörning (moped, EPA/A-traktor)": 2,
        "Dålig belysning": 2,
        "Centrum": 0.1,
    },
    "park": {
        "Utomhus": 3,
        "Dålig belysning": 2.5,
        "Skymd sikt/vegetation": 2,
        "Misstänkt narkotikahantering": 1.5,
        "Centrum": 0.1,
    },
    "fritidsgård": {"Utomhus": 2, "Misstänkt narkotikahantering": 2, "Hot mot personal": 2},
    "passage": {"Dålig belysning": 4, "Klotter": 2, "Skymd sikt/vegetation": 2, "Centrum": 0.1},
    "idrott": {"Klotter": 1.5, "Utomhus": 2, "Glaskross": 1.5, "Centrum": 0.1},
}

REPORTERS = {
    "Klotter": {"teknik": 5, "bostader": 2, "vakt": 1.5, "naringsliv": 1.5},
    "Glaskross": {"teknik": 3, "skola": 3, "bostader": 2, "polis": 2},
    "Brand/anlagd brand": {"raddning": 8, "polis": 2},
    "Annan skadegörelse": {"teknik": 4, "bostader": 3, "vakt": 3},
    "Trapphus": {"bostader": 8, "vakt": 2},
    "Källare": {"bostader": 8, "vakt": 2},
    "Garage": {"bostader": 7, "vakt": 3},
    "Centrum": {"vakt": 5, "naringsliv": 3, "polis": 2},
    "Utomhus": {"fritid": 5, "polis": 3, "vakt": 2},
    "Bråk/våld": {"polis": 8, "vakt": 2},
    "Inbrott": {"polis": 6, "bostader": 2, "skola": 2},
    "Stöld": {"polis": 6, "naringsliv": 3, "vakt": 1},
    "Rån": {"polis": 1},
    "Misstänkt narkotikahantering": {"polis": 6, "fritid": 4},
    "Olovligt boende": {"bostader": 5, "teknik": 5},
    "Buskörning (moped, EPA/A-traktor)": {"polis": 5, "fritid": 3, "teknik": 2},
    "Hot mot personal": {"naringsliv": 4, "skola": 3, "bostader": 3},
    "Dålig belysning": {"teknik": 6, "bostader": 2, "fritid": 2},
    "Skymd sikt/vegetation": {"teknik": 6, "bostader": 2, "fritid": 2},
    "Nedskräpning": {"teknik": 6, "bostader": 2, "fritid": 2},
    "Ödslig plats": {"teknik": 4, "fritid": 4, "polis": 2},
    "Arrangemang": {"trygghet": 1},
}

DESCRIPTIONS = {
    "Klotter": [
        "Klotter på fasad",
        "Taggar på elskåp och skyltar",
        "Nytt klotter på bullerplank",
        "Klotter i gångtunnel",
        "Klotter på busskur",
    ],
    "Glaskross": [
        "Krossad ruta i entrédörr",
        "Glaskross i busskur",
        "Sönderslagen fönsterruta",
        "Krossat glas på gångbanan",
    ],
    "Brand/anlagd brand": [
        "Brand i papperskorg",
        "Anlagd brand i container",
        "Brand i soprum",
        "Smällare i brevlåda, brandskada",
    ],
    "Annan skadegörelse": [
        "Sönderslagen belysningsarmatur",
        "Skadad parkbänk",
        "Vandalisering av lekplats",
        "Uppbrutet elskåp",
    ],
    "Trapphus": [
        "Ungdomar samlas i trapphus kvällstid",
        "Samling i trapphus, nedskräpat",
        "Boende upplever otrygghet i trapphuset",
    ],
    "Källare": ["Uppbrutet källarförråd, spår av vistelse", "Samling i källargång"],
    "Garage": ["Samling i garaget nattetid", "Personer vistas i garage utan behörighet"],
    "Centrum": [
        "Större grupp samlas vid centrumtorget",
        "Stökigt vid entrén kvällstid",
        "Samling utanför butik vid stängning",
    ],
    "Utomhus": [
        "Grupp samlas på skolgården kvällstid",
        "Samling med alkohol i parken",
        "Högljudd samling vid hållplatsen",
        "Samling vid stranden nattetid",
    ],
    "Bråk/våld": [
        "Bråk mellan ungdomar",
        "Slagsmål utanför restaurang",
        "Misshandel anmäld på platsen",
    ],
    "Inbrott": ["Inbrott i förråd", "Inbrott i skolans lokaler", "Inbrottsförsök i lokal"],
    "Stöld": ["Cykelstöld", "Snatteri i butik", "Stöld ur bil", "Stöld av båtmotor"],
    "Rån": ["Rån på allmän plats", "Rånförsök vid hållplats"],
    "Misstänkt narkotikahantering": [
        "Misstänkt langning vid platsen",
        "Fynd av narkotikarester",
        "Misstänkt försäljning",
    ],
    "Olovligt boende": ["Spår av övernattning i förråd", "Tältläger i skogsdunge"],
    "Buskörning (moped, EPA/A-traktor)": [
        "Mopedbuskörning på gång- och cykelväg",
        "EPA-traktorer kör i hög fart",
        "Buskörning på parkering",
    ],
    "Hot mot personal": ["Personal hotad vid tillsägelse", "Hot mot butikspersonal"],
    "Dålig belysning": [
        "Trasig gatubelysning",
        "Mörk gångväg utan belysning",
        "Belysningen släckt i tunneln",
    ],
    "Skymd sikt/vegetation": [
        "Igenvuxna buskar skymmer gångvägen",
        "Häck skymmer sikt vid passage",
    ],
    "Nedskräpning": [
        "Mycket skräp efter helgen",
        "Nedskräpat med flaskor och burkar",
        "Fulla papperskorgar, skräp runt",
    ],
    "Ödslig plats": ["Ödsligt och mörkt kvällstid", "Ingen rörelse, upplevs otryggt"],
    "Arrangemang": ["Arrangemang med många besökare"],
}

DAYTIME_GROUP = "Otrygg plats"
SEASON = np.array([0.8, 0.8, 0.9, 1.0, 1.15, 1.3, 1.45, 1.4, 1.1, 1.0, 0.9, 0.95])
WEEKDAY = np.array([0.85, 0.85, 0.9, 0.95, 1.2, 1.4, 1.1])
_EVENING = np.array(
    [
        0.6,
        0.45,
        0.3,
        0.15,
        0.1,
        0.1,
        0.2,
        0.4,
        0.6,
        0.6,
        0.6,
        0.7,
        0.8,
        0.8,
        0.9,
        1.0,
        1.2,
        1.4,
        1.8,
        2.2,
        2.4,
        2.3,
        1.9,
        1.1,
    ]
)
_WEEKEND_NIGHT = _EVENING.copy()
_WEEKEND_NIGHT[[0, 1, 2, 3]] = [1.9, 1.6, 1.2, 0.6]
_WEEKEND_NIGHT[[21, 22, 23]] = [2.8, 2.8, 2.3]
_DAYTIME = np.array(
    [
        0.02,
        0.01,
        0.01,
        0.01,
        0.02,
        0.1,
        0.4,
        1.2,
        2.0,
        2.0,
        1.8,
        1.5,
        1.4,
        1.6,
        1.6,
        1.3,
        0.9,
        0.5,
        0.3,
        0.2,
        0.15,
        0.1,
        0.05,
        0.03,
    ]
)


@dataclass(frozen=True)
class Surge:
    """A hot spot: extra incidents at one place, for a while."""

    place: str
    categories: dict[str, float]
    start_days_ago: int
    end_days_ago: int
    peak_per_day: float
    rising: bool = False  # ramps up towards the end instead of staying flat
    months: tuple[int, ...] = ()  # if set: repeats every year in these months only


SURGES = [
    Surge(
        "Vellinge busstation",
        {"Utomhus": 4, "Bråk/våld": 2, "Misstänkt narkotikahantering": 2},
        35,
        0,
        1.4,
        rising=True,
    ),
    Surge("Solgården", {"Trapphus": 3, "Källare": 2}, 21, 0, 1.8, rising=True),
    Surge("Höllvikens centrum", {"Klotter": 1}, 300, 190, 1.6),
    Surge("Norrevångsskolan", {"Glaskross": 2, "Annan skadegörelse": 1}, 430, 310, 0.7),
    Surge(
        "Skanörs hamn",
        {"Buskörning (moped, EPA/A-traktor)": 2, "Utomhus": 2},
        HISTORY_DAYS,
        0,
        0.9,
        months=(6, 7, 8),
    ),
    Surge("Kanalhamnen", {"Stöld": 1}, HISTORY_DAYS, 0, 0.35, months=(4, 5)),
]


# Nights when the whole municipality is busier, with their own kinds of incidents:
# (month, day), categories, extra incidents per night at the default volume.
SPECIAL_NIGHTS = [
    ((12, 31), {"Brand/anlagd brand": 4, "Annan skadegörelse": 2, "Glaskross": 1}, 14.0),
    ((1, 1), {"Brand/anlagd brand": 2, "Nedskräpning": 2, "Annan skadegörelse": 1}, 6.0),
    ((4, 30), {"Utomhus": 3, "Nedskräpning": 2, "Bråk/våld": 1}, 10.0),
]


@dataclass
class DemoSummary:
    incidents: int = 0
    observations: int = 0
    actions: int = 0
    meetings: int = 0
    events: int = 0
    places: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, org


class DemoExists(Exception):
    pass


# --- calendar helpers ------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _school_end(year: int) -> dt.date:
    return dt.date.fromisocalendar(year, 24, 5)


def _midsummer_eve(year: int) -> dt.date:
    day = dt.date(year, 6, 19)
    return day + dt.timedelta(days=(4 - day.weekday()) % 7)


def _first_advent_saturday(year: int) -> dt.date:
    day = dt.date(year, 11, 27)
    sunday = day + dt.timedelta(days=(6 - day.weekday()) % 7)
    return sunday - dt.timedelta(days=1)


def special_day_factor(day: dt.date) -> float:
    """How much busier a day is than its season and weekday alone suggest."""
    md = (day.month, day.day)
    if md == (12, 31):
        return 3.0
    if md == (1, 1):
        return 2.4
    if md == (4, 30):
        return 3.2
    if md == (10, 31):
        return 1.7
    if day == _school_end(day.year):
        return 2.6
    if day == _midsummer_eve(day.year):
        return 2.0
    if day.isocalendar().week == 7 and day.weekday() < 5:
        return 1.2  # sportlov in Skåne
    return 1.0


# --- generation ------------------------------------------------------------------------------


def _wipe(session: Session) -> None:
    with db.audit_purge_allowed(session.connection()):  # the demo replaces the audit log too
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "setting":
                session.execute(delete(table))


def _cdf(weights: dict[str, float], names: list[str]) -> np.ndarray:
    w = np.array([weights.get(n, 0.0) for n in names], dtype=float)
    return np.cumsum(w) / w.sum()


def _sample(rng: np.random.Generator, cdf: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


def _ts_strings(values: np.ndarray) -> list[str]:
    """datetime64[s] -> 'YYYY-MM-DD HH:MM:SS.000000', the storage form on both databases."""
    text = np.char.add(
        np.char.replace(np.datetime_as_string(values, unit="s"), "T", " "), ".000000"
    )
    return text.tolist()


MEETING_TIME = dt.time(9, 0)
MEETING_LENGTH = dt.timedelta(hours=1, minutes=30)
MIN_DAYS_SINCE = 5  # a shorter stretch "sedan förra mötet" would not look like a normal week


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


class _Generator:
    def __init__(self, session: Session, seed: int, now: dt.datetime, incidents: int):
        self.s = session
        self.rng = np.random.default_rng(seed)
        self.py = random.Random(seed)
        self.now = now.replace(second=0, microsecond=0)
        self.today = self.now.date()
        self.start = self.today - dt.timedelta(days=HISTORY_DAYS - 1)
        self.target = incidents
        self.spec = load_json("demo", "vellinge.json")

    # reference data
    def reference(self, summary: DemoSummary) -> None:
        spec = self.spec
        set_setting(self.s, FORUM_NAME_KEY, spec["forum_name"])
        set_setting(self.s, MUNICIPALITY_KEY, spec["municipality"])
        set_setting(
            self.s, MUNICIPALITY_CODE_KEY, municipalities.resolve(spec["municipality"]).code
        )
        self.orgs = {}
        for o in spec["organisations"]:
            org = Organisation(name=o["name"], short_name=o["short_name"], kind=o["kind"])
            self.s.add(org)
            self.orgs[o["key"]] = org
        self.s.flush()
        password_hash = hash_password(DEMO_PASSWORD)
        self.users = {}
        for u in spec["users"]:
            user = User(
                username=u["username"],
                display_name=u["display_name"],
                organisation_id=self.orgs[u["org"]].id,
                role=u["role"],
                password_hash=password_hash,
                email=f"{u['username']}@example.se",
            )
            self.s.add(user)
            self.users[u["org"] if u["role"] == "medlem" else u["username"]] = user
            summary.logins.append((u["username"], u["role"], self.orgs[u["org"]].short_name))
        seed_default_categories(self.s)
        self.areas = {}
        for a in spec["areas"]:
            geo = None
            if a["centre"]:
                geo = ellipse_polygon(*a["centre"], *a["radius_m"])
            area = Area(name=a["name"], kind=a["kind"], geojson=geo)
            self.s.add(area)
            self.areas[a["name"]] = area
        self.s.flush()
        self.places = []
        for p in spec["places"]:
            place = Place(
                name=p["name"],
                area_id=self.areas[p["area"]].id,
                kind=p["kind"],
                lat=p["lat"],
                lon=p["lon"],
            )
            self.s.add(place)
            self.places.append((place, p["weight"]))
        self.s.flush()
        summary.places = len(self.places)
        self.place_by_name = {p.name: p for p, _ in self.places}
        self.categories = list(
            self.s.scalars(
                select(Category)
                .join(CategoryGroup)
                .order_by(CategoryGroup.sort_order, Category.sort_order)
            )
        )
        self.cat_by_name = {c.name: c for c in self.categories}
        self.cat_group = {c.id: c.group.name for c in self.categories}

    def reporter_user(self, org_key: str) -> int:
        user = self.users.get(org_key) or self.users["samordnare"]
        return user.id

    # incidents
    def _days(self) -> tuple[np.ndarray, np.ndarray]:
        days = [self.start + dt.timedelta(days=i) for i in range(HISTORY_DAYS)]
        factor = np.array(
            [SEASON[d.month - 1] * WEEKDAY[d.weekday()] * special_day_factor(d) for d in days]
        )
        return np.array(days, dtype="datetime64[D]"), factor

    def incidents(self) -> int:
        days, day_factor = self._days()
        names = [c.name for c in self.categories]
        place_w = np.array([w for _, w in self.places], dtype=float)
        place_w /= place_w.sum()
        s_day, s_place, s_cat = self._surges(days, names)
        base_total = max(0, self.target - len(s_day))
        lam = np.outer(day_factor / day_factor.sum(), place_w) * base_total  # days x places
        counts = self.rng.poisson(lam)
        day_idx, place_idx = np.nonzero(counts)
        reps = counts[day_idx, place_idx]
        inc_day = np.repeat(day_idx, reps)
        inc_place = np.repeat(place_idx, reps)
        inc_cat = np.empty(len(inc_day), dtype=np.int64)
        months = days.astype("datetime64[M]").astype(int) % 12 + 1
        inc_month = months[inc_day]
        kinds = np.array([p.kind for p, _ in self.places])
        for kind in np.unique(kinds):
            boost = KIND_BOOST.get(kind, {})
            for month in range(1, 13):
                weights = {n: BASE_CATEGORY_WEIGHT[n] * boost.get(n, 1.0) for n in names}
                if month in (4, 5, 6, 7, 8):
                    weights["Buskörning (moped, EPA/A-traktor)"] *= 2.2
                if month in (11, 12, 1, 2):
                    weights["Dålig belysning"] *= 3
                if month in (12, 1):
                    weights["Brand/anlagd brand"] *= 2
                mask = (kinds[inc_place] == kind) & (inc_month == month)
                inc_cat[mask] = _sample(self.rng, _cdf(weights, names), int(mask.sum()))
        inc_day = np.concatenate([inc_day, s_day])
        inc_place = np.concatenate([inc_place, s_place])
        inc_cat = np.concatenate([inc_cat, s_cat])
        return self._write_incidents(days, inc_day, inc_place, inc_cat, names)

    def _surges(self, days: np.ndarray, names: list[str]):
        scale = self.target / DEFAULT_INCIDENTS
        n_days = len(days)
        months = days.astype("datetime64[M]").astype(int) % 12 + 1
        out_day, out_place, out_cat = [], [], []
        place_index = {p.name: i for i, (p, _) in enumerate(self.places)}
        for surge in SURGES:
            first = max(0, n_days - surge.start_days_ago)
            last = n_days - surge.end_days_ago
            idx = np.arange(first, last)
            if surge.months:
                idx = idx[np.isin(months[idx], surge.months)]
            rate = np.full(len(idx), surge.peak_per_day)
            if surge.rising and len(idx):
                rate *= np.linspace(0.15, 1.0, len(idx))
            n = self.rng.poisson(rate * scale)
            d = np.repeat(idx, n)
            out_day.append(d)
            out_place.append(np.full(len(d), place_index[surge.place]))
            out_cat.append(
                np.array([names.index(c) for c in surge.categories])[
                    _sample(self.rng, _cdf(surge.categories, list(surge.categories)), len(d))
                ]
            )
        day_of_month = (days - days.astype("datetime64[M]")).astype(int) + 1
        place_w = np.array([w for _, w in self.places], dtype=float)
        place_cdf = np.cumsum(place_w) / place_w.sum()
        for (month, day), categories, per_night in SPECIAL_NIGHTS:
            idx = np.nonzero((months == month) & (day_of_month == day))[0]
            d = np.repeat(idx, self.rng.poisson(per_night * scale, len(idx)))
            out_day.append(d)
            out_place.append(_sample(self.rng, place_cdf, len(d)))
            out_cat.append(
                np.array([names.index(c) for c in categories])[
                    _sample(self.rng, _cdf(categories, list(categories)), len(d))
                ]
            )
        return (np.concatenate(out_day), np.concatenate(out_place), np.concatenate(out_cat))

    def _write_incidents(self, days, inc_day, inc_place, inc_cat, names) -> int:
        rng = self.rng
        n = len(inc_day)
        dow = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday
        inc_dow = dow[inc_day]
        daytime = np.array([self.cat_group[c.id] == DAYTIME_GROUP for c in self.categories])
        hour = np.empty(n, dtype=np.int64)
        for d in range(7):
            night_profile = _WEEKEND_NIGHT if d in (5, 6) else _EVENING
            for is_day, profile in ((False, night_profile), (True, _DAYTIME)):
                mask = (inc_dow == d) & (daytime[inc_cat] == is_day)
                hour[mask] = _sample(rng, np.cumsum(profile) / profile.sum(), int(mask.sum()))
        minute = rng.integers(0, 60, n)
        occurred = (
            days[inc_day].astype("datetime64[s]")
            + hour.astype("timedelta64[h]")
            + minute.astype("timedelta64[m]")
        )
        keep = occurred <= np.datetime64(self.now, "s")
        order = np.argsort(occurred[keep], kind="stable")
        occurred = occurred[keep][order]
        inc_place, inc_cat = inc_place[keep][order], inc_cat[keep][order]
        n = len(occurred)
        delay_h = rng.gamma(1.5, 12.0, n).astype(np.int64) + 1
        reported = np.minimum(
            occurred + delay_h.astype("timedelta64[h]"), np.datetime64(self.now, "s")
        )
        month = reported.astype("datetime64[M]").astype(int) % 12 + 1
        utc_offset = np.where((month >= 4) & (month <= 9), 2, 1).astype("timedelta64[h]")
        created = reported - utc_offset

        org_keys = list(self.orgs)
        org_idx = np.empty(n, dtype=np.int64)
        for ci, name in enumerate(names):
            mask = inc_cat == ci
            org_idx[mask] = _sample(rng, _cdf(REPORTERS[name], org_keys), int(mask.sum()))
        counts = np.where(inc_cat == names.index("Klotter"), rng.geometric(0.55, n), 1)
        restricted = (
            np.isin(inc_cat, [names.index("Misstänkt narkotikahantering"), names.index("Rån")])
            & (np.array(org_keys)[org_idx] == "polis")
            & (rng.random(n) < 0.3)
        )
        point_only = rng.random(n) < 0.08
        place_lat = np.array([p.lat for p, _ in self.places])[inc_place]
        place_lon = np.array([p.lon for p, _ in self.places])[inc_place]
        lat = np.where(point_only, place_lat + rng.normal(0, 0.0015, n), place_lat).round(6)
        lon = np.where(point_only, place_lon + rng.normal(0, 0.0025, n), place_lon).round(6)
        desc_pick = rng.random(n)

        place_ids = np.array([p.id for p, _ in self.places])
        area_ids = np.array([p.area_id for p, _ in self.places])
        cat_ids = np.array([c.id for c in self.categories])
        org_ids = np.array([self.orgs[k].id for k in org_keys])
        user_ids = np.array([self.reporter_user(k) for k in org_keys])
        desc_lists = [DESCRIPTIONS[name] for name in names]

        day_numbers = occurred.astype("datetime64[D]").astype(np.int64)
        hours = (
            (occurred - occurred.astype("datetime64[D]")).astype("timedelta64[h]").astype(np.int64)
        )
        columns = [
            "occurred_at",
            "day",
            "hour",
            "category_id",
            "place_id",
            "area_id",
            "lat",
            "lon",
            "precision",
            "reporting_org_id",
            "count",
            "description",
            "visibility",
            "source",
            "created_by_id",
            "created_at",
            "version",
        ]
        conn = self.s.connection()
        for lo in range(0, n, BATCH):
            hi = min(n, lo + BATCH)
            occ_s, cre_s = _ts_strings(occurred[lo:hi]), _ts_strings(created[lo:hi])
            rows = []
            for j in range(lo, hi):
                c = inc_cat[j]
                descs = desc_lists[c]
                rows.append(
                    (
                        occ_s[j - lo],
                        int(day_numbers[j]),
                        int(hours[j]),
                        int(cat_ids[c]),
                        None if point_only[j] else int(place_ids[inc_place[j]]),
                        int(area_ids[inc_place[j]]),
                        float(lat[j]),
                        float(lon[j]),
                        "punkt" if point_only[j] else "plats",
                        int(org_ids[org_idx[j]]),
                        int(counts[j]),
                        descs[int(desc_pick[j] * len(descs))],
                        Visibility.RESTRICTED.value if restricted[j] else Visibility.FORUM.value,
                        "demo",
                        int(user_ids[org_idx[j]]),
                        cre_s[j - lo],
                        1,
                    )
                )
            db.bulk_insert(conn, "incident", columns, rows)
        return n

    # unsafe places
    def observations(self) -> int:
        reasons = [r.value for r in UnsafeReason if r is not UnsafeReason.OTHER]
        texts = {
            "belysning": (
                "Trasig eller saknad belysning längs gångvägen",
                "Byt armaturer och komplettera med LED-belysning",
            ),
            "sikt": (
                "Skymd sikt i kurvan, svårt att se vem som kommer",
                "Flytta staket och öppna upp siktlinjen",
            ),
            "vegetation": (
                "Täta buskage intill gångvägen",
                "Beskär buskage till under en meters höjd",
            ),
            "nedskrapning": (
                "Mycket skräp och trasiga papperskorgar",
                "Tätare tömning och fler papperskorgar",
            ),
            "odslig": (
                "Ödsligt kvällstid, ingen rörelse",
                "Tillför aktivitet eller bättre belysning",
            ),
        }
        candidates = [
            p
            for p, _ in self.places
            if p.kind
            in (
                "park",
                "natur",
                "passage",
                "parkering",
                "strand",
                "kollektivtrafik",
                "bostadsområde",
                "idrott",
            )
        ]
        count = 0
        for i in range(90):
            place = self.py.choice(candidates)
            reason = self.py.choice(reasons)
            when = self.now - dt.timedelta(
                days=self.py.randint(1, HISTORY_DAYS - 1), hours=self.py.randint(0, 8)
            )
            self.s.add(
                self._observation(
                    place,
                    reason,
                    when,
                    texts[reason],
                    resolved=self.py.random() < 0.5 and i % 3 != 0,
                )
            )
            count += 1
        walks = [
            (
                "Trygghetsvandring Vellinge centrum",
                "Vellinge tätort",
                400,
                [
                    "Vellinge centrum",
                    "Vellinge busstation",
                    "Gångtunneln Norrevångsvägen",
                    "Lärkparken",
                    "Vellinge skatepark",
                    "Solgården",
                ],
            ),
            (
                "Trygghetsvandring Höllviken",
                "Höllviken",
                40,
                [
                    "Höllvikens centrum",
                    "Höllviken Centrum hållplats",
                    "Pendlarparkeringen Höllviken",
                    "Bäckaskolan",
                    "Höllvikens idrottsplats",
                    "Stora Hammar",
                ],
            ),
        ]
        for title, area, days_ago, route in walks:
            walked = (self.now - dt.timedelta(days=days_ago)).replace(hour=18, minute=30)
            points = [self.place_by_name[n] for n in route]
            walk = SafetyWalk(
                title=title,
                area_id=self.areas[area].id,
                walked_at=walked,
                route={"type": "LineString", "coordinates": [[p.lon, p.lat] for p in points]},
                participants="Trygghet, Polisen, Vellingebostäder, Teknik, Fritid",
                created_by_id=self.users["samordnare"].id,
            )
            self.s.add(walk)
            self.s.flush()
            for place in points:
                reason = self.py.choice(reasons)
                obs = self._observation(
                    place, reason, walked, texts[reason], resolved=days_ago > 100
                )
                obs.safety_walk_id = walk.id
                self.s.add(obs)
                count += 1
        return count

    def _observation(
        self, place: Place, reason: str, when: dt.datetime, text: tuple[str, str], resolved: bool
    ) -> Observation:
        org = self.py.choice(["teknik", "bostader", "fritid", "polis", "trygghet"])
        return Observation(
            observed_at=when,
            reason=reason,
            description=text[0],
            proposed_remedy=text[1],
            place_id=place.id,
            area_id=place.area_id,
            lat=place.lat,
            lon=place.lon,
            reporting_org_id=self.orgs[org].id,
            created_by_id=self.reporter_user(org),
            created_at=local_to_utc(when) + dt.timedelta(hours=2),
            resolved_at=local_to_utc(when) + dt.timedelta(days=30) if resolved else None,
        )

    # meetings, actions, decisions
    def meetings(self) -> list[Meeting]:
        held_at, planned_at = meeting_schedule(self.now, self.start)
        meetings = []
        regulars = [
            "polis",
            "bostader",
            "fritid",
            "teknik",
            "raddning",
            "vakt",
            "skola",
            "naringsliv",
        ]
        for held in [*held_at, planned_at]:
            past = held != planned_at
            meeting = Meeting(
                held_at=held,
                status=MeetingStatus.CLOSED.value if past else MeetingStatus.PLANNED.value,
                chair_user_id=self.users["samordnare"].id,
                since=meetings[-1].held_at if meetings else None,
                closed_at=local_to_utc(held + MEETING_LENGTH) if past else None,
                created_at=local_to_utc(held - dt.timedelta(days=7)),
                notes="" if not past else "Genomgång av nya händelser, uppföljning av åtgärder.",
            )
            if past:
                meeting.attendees = [self.orgs["trygghet"], self.orgs["polis"]] + [
                    self.orgs[k] for k in regulars if k != "polis" and self.py.random() < 0.7
                ]
            self.s.add(meeting)
            meetings.append(meeting)
        self.s.flush()
        return meetings

    def minutes(self, meetings: list[Meeting], keep: int = 8) -> None:
        """Minutes for the latest closed meetings, made as a real meeting makes them."""
        closed = [m for m in meetings if m.status == MeetingStatus.CLOSED.value]
        for meeting in closed:
            meeting.started_at = local_to_utc(meeting.held_at)
        self.s.flush()
        lat = float(np.mean([p.lat for p in self.place_by_name.values()]))
        for meeting in closed[-keep:]:
            data = minutes.collect(
                self.s.connection(), meeting.id, self.spec["forum_name"], lat, meeting.closed_at
            )
            meeting.minutes_data = data
            meeting.minutes_markdown = minutes_text.to_markdown(data)

    def _meeting_before(self, meetings: list[Meeting], day: dt.date) -> Meeting:
        past = [m for m in meetings if m.held_at.date() <= day and m.status == "avslutat"]
        return past[-1] if past else meetings[0]

    def actions(self, meetings: list[Meeting]) -> int:
        d = self.today
        cats = self.cat_by_name
        P = self.place_by_name
        specs = [
            # title, owner, place, categories, type, horizon, status, decided_days_ago,
            # due_in_days (from today), closed_days_ago, evaluation
            (
                "Klottersanering inom 24 timmar i Höllvikens centrum",
                "teknik",
                "Höllvikens centrum",
                ["Klotter"],
                ActionType.PHYSICAL,
                Horizon.SHORT,
                ActionStatus.DONE,
                265,
                -200,
                190,
                "Snabb sanering och dialog med fastighetsägare. Klottret minskade tydligt.",
            ),
            (
                "Kamerabevakning av skolgården vid Norrevångsskolan",
                "skola",
                "Norrevångsskolan",
                ["Glaskross", "Annan skadegörelse"],
                ActionType.PHYSICAL,
                Horizon.LONG,
                ActionStatus.DONE,
                380,
                -320,
                310,
                "Kamera uppsatt i januari; skadegörelsen minskade.",
            ),
            (
                "Kvällsnärvaro av fältgrupp och polis vid Vellinge busstation",
                "fritid",
                "Vellinge busstation",
                ["Utomhus", "Bråk/våld"],
                ActionType.PRESENCE,
                Horizon.SHORT,
                ActionStatus.IN_PROGRESS,
                14,
                21,
                None,
                "",
            ),
            (
                "Förbättrad belysning vid Vellinge busstation",
                "teknik",
                "Vellinge busstation",
                ["Utomhus", "Bråk/våld"],
                ActionType.PHYSICAL,
                Horizon.LONG,
                ActionStatus.DECIDED,
                7,
                75,
                None,
                "",
            ),
            (
                "Passersystem till källarförråden i Solgården",
                "bostader",
                "Solgården",
                ["Trapphus", "Källare"],
                ActionType.PHYSICAL,
                Horizon.LONG,
                ActionStatus.PROPOSED,
                None,
                90,
                None,
                "",
            ),
            (
                "Sommarvärdar i Skanörs hamn",
                "fritid",
                "Skanörs hamn",
                ["Buskörning (moped, EPA/A-traktor)", "Utomhus"],
                ActionType.PRESENCE,
                Horizon.SHORT,
                ActionStatus.DONE,
                170,
                -80,
                82,
                "Sommarvärdar på plats juni–augusti; färre samlingar helgkvällar.",
            ),
            (
                "Märkning av båtmotorer och information i Kanalhamnen",
                "polis",
                "Kanalhamnen",
                ["Stöld"],
                ActionType.DIALOGUE,
                Horizon.SHORT,
                ActionStatus.DONE,
                230,
                -180,
                185,
                "Informationsträff med båtklubben genomförd.",
            ),
            (
                "Beskärning av buskage i Lärkparken",
                "teknik",
                "Lärkparken",
                ["Skymd sikt/vegetation"],
                ActionType.PHYSICAL,
                Horizon.SHORT,
                ActionStatus.IN_PROGRESS,
                60,
                -10,
                None,
                "",
            ),
            (
                "Nattvandring helgkvällar i Höllviken",
                "fritid",
                "Höllvikens centrum",
                ["Utomhus", "Centrum"],
                ActionType.PRESENCE,
                Horizon.LONG,
                ActionStatus.DECIDED,
                45,
                -5,
                None,
                "",
            ),
            (
                "Väktarrondering nattetid vid Vellinge handelsplats",
                "vakt",
                "Vellinge handelsplats",
                ["Stöld", "Hot mot personal"],
                ActionType.PRESENCE,
                Horizon.SHORT,
                ActionStatus.IN_PROGRESS,
                30,
                30,
                None,
                "",
            ),
            (
                "Dialog med föräldrar om mopedåkning",
                "skola",
                "Bäckaskolan",
                ["Buskörning (moped, EPA/A-traktor)"],
                ActionType.DIALOGUE,
                Horizon.SHORT,
                ActionStatus.PROPOSED,
                None,
                40,
                None,
                "",
            ),
            (
                "Flytta busshållplatsen vid Ljunghusen",
                "teknik",
                "Ljunghusens hållplats",
                ["Ödslig plats"],
                ActionType.PHYSICAL,
                Horizon.LONG,
                ActionStatus.CANCELLED,
                300,
                -100,
                250,
                "Avbruten: Skånetrafiken behåller hållplatsen; belysning åtgärdad.",
            ),
            (
                "LED-belysning i gångtunneln Norrevångsvägen",
                "teknik",
                "Gångtunneln Norrevångsvägen",
                ["Dålig belysning", "Klotter"],
                ActionType.PHYSICAL,
                Horizon.LONG,
                ActionStatus.DONE,
                520,
                -420,
                430,
                "Ny belysning och klotterskydd; tunneln upplevs tryggare.",
            ),
            (
                "Fritidsgården öppen fredagskvällar i Skanör",
                "fritid",
                "Skanörs fritidsgård",
                ["Utomhus"],
                ActionType.SOCIAL,
                Horizon.LONG,
                ActionStatus.IN_PROGRESS,
                120,
                60,
                None,
                "",
            ),
            (
                "Medborgarlöfte: trygg trafikmiljö vid skolorna",
                "polis",
                "Sundsskolan",
                ["Buskörning (moped, EPA/A-traktor)"],
                ActionType.PRESENCE,
                Horizon.LONG,
                ActionStatus.IN_PROGRESS,
                200,
                40,
                None,
                "",
            ),
        ]
        generic = [
            ("Utökad renhållning vid {p}", "teknik", ["Nedskräpning"], ActionType.PHYSICAL),
            (
                "Byte till LED-belysning längs gångväg vid {p}",
                "teknik",
                ["Dålig belysning"],
                ActionType.PHYSICAL,
            ),
            ("Trygghetsvandring vid {p}", "trygghet", ["Ödslig plats"], ActionType.DIALOGUE),
            (
                "Beskärning av vegetation vid {p}",
                "teknik",
                ["Skymd sikt/vegetation"],
                ActionType.PHYSICAL,
            ),
            (
                "Informationsinsats till boende vid {p}",
                "bostader",
                ["Trapphus", "Källare"],
                ActionType.DIALOGUE,
            ),
            ("Fältgruppen prioriterar {p} helgkvällar", "fritid", ["Utomhus"], ActionType.PRESENCE),
        ]
        for i in range(30):
            title, owner, cat_names, kind = generic[i % len(generic)]
            place = self.places[self.py.randrange(len(self.places))][0]
            decided = self.py.randint(60, HISTORY_DAYS - 60)
            done = self.py.random() < 0.8
            specs.append(
                (
                    title.format(p=place.name),
                    owner,
                    place.name,
                    cat_names,
                    kind,
                    Horizon.SHORT if i % 3 else Horizon.LONG,
                    ActionStatus.DONE if done else ActionStatus.CANCELLED,
                    decided,
                    -(decided - 60),
                    decided - self.py.randint(20, 55),
                    "Genomförd enligt plan." if done else "Avbruten: ersatt av annan insats.",
                )
            )
        count = 0
        for (
            title,
            owner,
            place_name,
            cat_names,
            kind,
            horizon,
            status,
            decided_ago,
            due_in,
            closed_ago,
            evaluation,
        ) in specs:
            place = P[place_name]
            decided_day = d - dt.timedelta(days=decided_ago) if decided_ago else None
            meeting = self._meeting_before(meetings, decided_day) if decided_day else None
            created_day = decided_day or d - dt.timedelta(days=3)
            action = Action(
                title=title,
                owner_org_id=self.orgs[owner].id,
                place_id=place.id,
                area_id=place.area_id,
                horizon=horizon.value,
                action_type=kind.value,
                status=status.value,
                start_date=decided_day,
                due_date=d + dt.timedelta(days=due_in),
                decided_meeting_id=meeting.id if meeting else None,
                closed_at=d - dt.timedelta(days=closed_ago) if closed_ago else None,
                evaluation_note=evaluation,
                citizen_promise=title.startswith("Medborgarlöfte"),
                responsible_role={
                    "teknik": "Driftchef",
                    "fritid": "Fältsamordnare",
                    "polis": "Kommunpolis",
                    "skola": "Rektor",
                    "bostader": "Förvaltare",
                    "vakt": "Uppdragsansvarig",
                    "trygghet": "Trygghetssamordnare",
                }.get(owner, ""),
                description=f"Beslutad åtgärd för {place.name}.",
                created_by_id=self.users["samordnare"].id,
                created_at=local_to_utc(dt.datetime.combine(created_day, dt.time(10))),
            )
            action.categories = [cats[c] for c in cat_names]
            self.s.add(action)
            self.s.flush()
            self._history(action, decided_day, closed_ago)
            if meeting is not None:
                self.s.add(
                    Decision(
                        meeting_id=meeting.id,
                        kind=DecisionKind.ACTION.value,
                        text=f"Ny åtgärd: {title}",
                        action_id=action.id,
                        place_id=place.id,
                        created_by_id=self.users["samordnare"].id,
                        created_at=meeting.closed_at or meeting.created_at,
                    )
                )
            count += 1
        self._focus_decisions(meetings)
        return count

    def _history(self, action: Action, decided_day: dt.date | None, closed_ago: int | None):
        chain = {
            ActionStatus.PROPOSED.value: [ActionStatus.PROPOSED],
            ActionStatus.DECIDED.value: [ActionStatus.PROPOSED, ActionStatus.DECIDED],
            ActionStatus.IN_PROGRESS.value: [
                ActionStatus.PROPOSED,
                ActionStatus.DECIDED,
                ActionStatus.IN_PROGRESS,
            ],
            ActionStatus.DONE.value: [
                ActionStatus.PROPOSED,
                ActionStatus.DECIDED,
                ActionStatus.IN_PROGRESS,
                ActionStatus.DONE,
            ],
            ActionStatus.CANCELLED.value: [
                ActionStatus.PROPOSED,
                ActionStatus.DECIDED,
                ActionStatus.CANCELLED,
            ],
        }[action.status]
        start = dt.datetime.combine(decided_day or self.today - dt.timedelta(days=3), dt.time(10))
        end = (
            dt.datetime.combine(self.today - dt.timedelta(days=closed_ago), dt.time(15))
            if closed_ago
            else start + dt.timedelta(days=7)
        )
        previous = None
        for i, status in enumerate(chain):
            when = start + (end - start) * (i / max(1, len(chain) - 1))
            self.s.add(
                ActionStatusChange(
                    action_id=action.id,
                    from_status=previous,
                    to_status=status.value,
                    changed_by_id=self.users["samordnare"].id,
                    changed_at=local_to_utc(when),
                )
            )
            previous = status.value

    def _focus_decisions(self, meetings: list[Meeting]) -> None:
        focus_places = [
            "Vellinge centrum",
            "Höllvikens centrum",
            "Vellinge busstation",
            "Skanörs hamn",
            "Solgården",
            "Norrevångsskolan",
            "Kanalhamnen",
        ]
        for i, meeting in enumerate(meetings):
            if meeting.status != MeetingStatus.CLOSED.value:
                continue
            if i % 2 == 0:
                place = self.place_by_name[focus_places[(i // 2) % len(focus_places)]]
                self.s.add(
                    Decision(
                        meeting_id=meeting.id,
                        kind=DecisionKind.FOCUS_AREA.value,
                        text=f"Fokus kommande period: {place.name}",
                        place_id=place.id,
                        created_by_id=self.users["samordnare"].id,
                        created_at=meeting.closed_at,
                    )
                )
            meeting.feedback_reporters = "Tack för rapporterna – fortsätt rapportera klotter."
            meeting.feedback_leadership = "Läget stabilt; fokus på kvällstid i centrum."

    # upcoming events and risk periods
    def events(self) -> int:
        P, A = self.place_by_name, self.areas
        defs: list[
            tuple[
                str,
                str,
                Callable[[int], tuple[dt.datetime, dt.datetime]],
                Place | None,
                Area | None,
                Impact,
                str,
            ]
        ] = [
            (
                "Valborgsmässoafton",
                EventKind.RISK_PERIOD,
                lambda y: (dt.datetime(y, 4, 30, 16), dt.datetime(y, 5, 1, 4)),
                None,
                None,
                Impact.HIGH,
                "Firande utomhus, erfarenhetsmässigt fler samlingar.",
            ),
            (
                "Skolavslutning",
                EventKind.RISK_PERIOD,
                lambda y: (
                    dt.datetime.combine(_school_end(y), dt.time(12)),
                    dt.datetime.combine(_school_end(y), dt.time(23, 59)),
                ),
                P["Kämpinge strand"],
                None,
                Impact.HIGH,
                "Firande på stränderna.",
            ),
            (
                "Midsommarafton",
                EventKind.RISK_PERIOD,
                lambda y: (
                    dt.datetime.combine(_midsummer_eve(y), dt.time(12)),
                    dt.datetime.combine(_midsummer_eve(y) + dt.timedelta(days=1), dt.time(4)),
                ),
                None,
                A["Skanör"],
                Impact.MEDIUM,
                "",
            ),
            (
                "Falsterbo Horse Show",
                EventKind.EVENT,
                lambda y: (
                    dt.datetime.combine(dt.date.fromisocalendar(y, 28, 1), dt.time(9)),
                    dt.datetime.combine(dt.date.fromisocalendar(y, 28, 7), dt.time(20)),
                ),
                P["Falsterbo Horse Show-området"],
                None,
                Impact.HIGH,
                "Stort publikevenemang, trafik och parkering.",
            ),
            (
                "Löparfesten",
                EventKind.EVENT,
                lambda y: (
                    dt.datetime.combine(_nth_weekday(y, 9, 5, 2), dt.time(9)),
                    dt.datetime.combine(_nth_weekday(y, 9, 5, 2), dt.time(17)),
                ),
                P["Höllvikens centrum"],
                None,
                Impact.MEDIUM,
                "Lopp genom Höllviken.",
            ),
            (
                "Halloween",
                EventKind.RISK_PERIOD,
                lambda y: (dt.datetime(y, 10, 31, 17), dt.datetime(y, 10, 31, 23, 59)),
                None,
                None,
                Impact.LOW,
                "Äggkastning och smällare förekommer.",
            ),
            (
                "Julmarknad i Skanör",
                EventKind.EVENT,
                lambda y: (
                    dt.datetime.combine(_first_advent_saturday(y), dt.time(11)),
                    dt.datetime.combine(_first_advent_saturday(y), dt.time(16)),
                ),
                P["Skanörs torg"],
                None,
                Impact.LOW,
                "",
            ),
            (
                "Luciafirande i Vellinge centrum",
                EventKind.EVENT,
                lambda y: (dt.datetime(y, 12, 13, 16), dt.datetime(y, 12, 13, 19)),
                P["Vellinge centrum"],
                None,
                Impact.LOW,
                "",
            ),
            (
                "Nyårsafton",
                EventKind.RISK_PERIOD,
                lambda y: (dt.datetime(y, 12, 31, 18), dt.datetime(y + 1, 1, 1, 4)),
                None,
                None,
                Impact.HIGH,
                "Fyrverkerier och anlagda bränder; räddningstjänsten i beredskap.",
            ),
            (
                "Sportlov",
                EventKind.RISK_PERIOD,
                lambda y: (
                    dt.datetime.combine(dt.date.fromisocalendar(y, 7, 1), dt.time(0)),
                    dt.datetime.combine(dt.date.fromisocalendar(y, 7, 5), dt.time(23, 59)),
                ),
                None,
                None,
                Impact.MEDIUM,
                "Lediga ungdomar dagtid.",
            ),
        ]
        count = 0
        horizon_end = self.now + dt.timedelta(days=365)
        for year in range(self.start.year, self.today.year + 2):
            for title, kind, when, place, area, impact, text in defs:
                starts, ends = when(year)
                if starts.date() < self.start or starts > horizon_end:
                    continue
                self.s.add(
                    Event(
                        title=title,
                        kind=kind.value,
                        starts_at=starts,
                        ends_at=ends,
                        place_id=place.id if place else None,
                        area_id=(place.area_id if place else area.id if area else None),
                        expected_impact=impact.value,
                        description=text,
                        owner_org_id=self.users["samordnare"].organisation_id,
                        created_by_id=self.users["samordnare"].id,
                        created_at=local_to_utc(starts - dt.timedelta(days=30)),
                    )
                )
                count += 1
        return count


def build_demo(
    engine: Engine,
    *,
    seed: int = 2026,
    now: dt.datetime | None = None,
    incidents: int = DEFAULT_INCIDENTS,
    reset: bool = False,
    progress: Callable[[str], None] = lambda _msg: None,
) -> DemoSummary:
    """Fill the database with the demo forum. Refuses a non-empty database unless `reset`."""
    db.upgrade(engine)
    summary = DemoSummary()
    with db.transaction(engine) as session:
        if session.scalar(select(func.count()).select_from(Organisation)):
            if not reset:
                raise DemoExists("Databasen innehåller redan data.")
            _wipe(session)
            session.flush()
        gen = _Generator(session, seed, now or local_now(), incidents)
        progress("Organisationer, användare, kategorier och platser …")
        gen.reference(summary)
        progress(f"Händelser (omkring {fmt.integer(incidents)}) …")
        summary.incidents = gen.incidents()
        progress("Otrygga platser, möten, åtgärder och arrangemang …")
        summary.observations = gen.observations()
        meetings = gen.meetings()
        summary.meetings = len(meetings)
        summary.actions = gen.actions(meetings)
        summary.events = gen.events()
        progress("Protokoll från de senaste mötena …")
        gen.minutes(meetings)

        session.add(
            AuditLog(
                username="system",
                verb="create",
                entity="demo",
                detail=f"Demoforum skapat (seed {seed})",
            )
        )
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    return summary
