"""The incidents: a background that follows the season, the weekday, the hour and the kind of
place, plus the planted hot spots, drawn vectorised with numpy and written in bulk."""

from __future__ import annotations

import datetime as dt

import numpy as np

from lagesbild import db
from lagesbild.demo import surges
from lagesbild.demo.calendar import HISTORY_DAYS, special_day_factor
from lagesbild.demo.forum import Forum
from lagesbild.demo.patterns import (
    BASE_CATEGORY_WEIGHT,
    DAYTIME,
    DAYTIME_GROUP,
    DESCRIPTIONS,
    EVENING,
    KIND_BOOST,
    REPORTERS,
    SEASON,
    SEASONAL,
    WEEKDAY,
    WEEKEND_NIGHT,
)
from lagesbild.demo.sampling import cdf, sample
from lagesbild.models import Visibility

BATCH = 200_000


def add_incidents(forum: Forum) -> int:
    """Draw and write every incident; returns how many."""
    days, day_factor = _days(forum)
    names = [c.name for c in forum.categories]
    place_w = np.array([w for _, w in forum.places], dtype=float)
    place_w /= place_w.sum()
    s_day, s_place, s_cat = surges.planted(forum, days, names)
    base_total = max(0, forum.target - len(s_day))
    lam = np.outer(day_factor / day_factor.sum(), place_w) * base_total  # days x places
    counts = forum.rng.poisson(lam)
    day_idx, place_idx = np.nonzero(counts)
    reps = counts[day_idx, place_idx]
    inc_day = np.repeat(day_idx, reps)
    inc_place = np.repeat(place_idx, reps)
    inc_cat = _background_categories(forum, days, inc_day, inc_place, names)
    inc_day = np.concatenate([inc_day, s_day])
    inc_place = np.concatenate([inc_place, s_place])
    inc_cat = np.concatenate([inc_cat, s_cat])
    return _write(forum, days, inc_day, inc_place, inc_cat, names)


def _days(forum: Forum) -> tuple[np.ndarray, np.ndarray]:
    days = [forum.start + dt.timedelta(days=i) for i in range(HISTORY_DAYS)]
    factor = np.array(
        [SEASON[d.month - 1] * WEEKDAY[d.weekday()] * special_day_factor(d) for d in days]
    )
    return np.array(days, dtype="datetime64[D]"), factor


def _background_categories(forum, days, inc_day, inc_place, names) -> np.ndarray:
    """A category for each background incident, by the kind of place and the month."""
    inc_cat = np.empty(len(inc_day), dtype=np.int64)
    months = days.astype("datetime64[M]").astype(int) % 12 + 1
    kinds = np.array([p.kind for p, _ in forum.places])
    kind_names = np.unique(kinds)
    key = np.searchsorted(kind_names, kinds)[inc_place] * 12 + months[inc_day] - 1
    groups = _groups(key, len(kind_names) * 12)
    for k, kind in enumerate(kind_names):
        boost = KIND_BOOST.get(kind, {})
        for month in range(1, 13):
            weights = {n: BASE_CATEGORY_WEIGHT[n] * boost.get(n, 1.0) for n in names}
            for seasonal in SEASONAL:
                if month in seasonal["months"]:
                    weights[seasonal["category"]] *= seasonal["factor"]
            idx = groups[k * 12 + month - 1]
            inc_cat[idx] = sample(forum.rng, cdf(weights, names), len(idx))
    return inc_cat


def _groups(key: np.ndarray, n_groups: int) -> list[np.ndarray]:
    """For each g in 0..n_groups-1 the positions where `key == g`, in increasing order (what a
    boolean mask would select, without scanning the whole array once per group)."""
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(n_groups + 1))
    return [order[bounds[g] : bounds[g + 1]] for g in range(n_groups)]


def _ts_strings(values: np.ndarray) -> list[str]:
    """datetime64[s] -> 'YYYY-MM-DD HH:MM:SS.000000', the storage form on both databases."""
    text = np.char.add(
        np.char.replace(np.datetime_as_string(values, unit="s"), "T", " "), ".000000"
    )
    return text.tolist()


def _write(forum: Forum, days, inc_day, inc_place, inc_cat, names) -> int:
    rng = forum.rng
    n = len(inc_day)
    dow = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday
    daytime = np.array([forum.cat_group[c.id] == DAYTIME_GROUP for c in forum.categories])
    hour = np.empty(n, dtype=np.int64)
    by_dow_and_daytime = _groups(dow[inc_day] * 2 + daytime[inc_cat], 14)
    for d in range(7):
        night_profile = WEEKEND_NIGHT if d in (5, 6) else EVENING
        for is_day, profile in ((False, night_profile), (True, DAYTIME)):
            idx = by_dow_and_daytime[d * 2 + is_day]
            hour[idx] = sample(rng, np.cumsum(profile) / profile.sum(), len(idx))
    minute = rng.integers(0, 60, n)
    occurred = (
        days[inc_day].astype("datetime64[s]")
        + hour.astype("timedelta64[h]")
        + minute.astype("timedelta64[m]")
    )
    keep = occurred <= np.datetime64(forum.now, "s")
    order = np.argsort(occurred[keep], kind="stable")
    occurred = occurred[keep][order]
    inc_place, inc_cat = inc_place[keep][order], inc_cat[keep][order]
    n = len(occurred)
    delay_h = rng.gamma(1.5, 12.0, n).astype(np.int64) + 1
    reported = np.minimum(
        occurred + delay_h.astype("timedelta64[h]"), np.datetime64(forum.now, "s")
    )
    month = reported.astype("datetime64[M]").astype(int) % 12 + 1
    utc_offset = np.where((month >= 4) & (month <= 9), 2, 1).astype("timedelta64[h]")
    created = reported - utc_offset

    org_keys = list(forum.orgs)
    org_idx = np.empty(n, dtype=np.int64)
    for ci, idx in enumerate(_groups(inc_cat, len(names))):
        org_idx[idx] = sample(rng, cdf(REPORTERS[names[ci]], org_keys), len(idx))
    counts = np.where(inc_cat == names.index("Klotter"), rng.geometric(0.55, n), 1)
    restricted = (
        np.isin(inc_cat, [names.index("Misstänkt narkotikahantering"), names.index("Rån")])
        & (np.array(org_keys)[org_idx] == "polis")
        & (rng.random(n) < 0.3)
    )
    point_only = rng.random(n) < 0.08
    place_lat = np.array([p.lat for p, _ in forum.places])[inc_place]
    place_lon = np.array([p.lon for p, _ in forum.places])[inc_place]
    lat = np.where(point_only, place_lat + rng.normal(0, 0.0015, n), place_lat).round(6)
    lon = np.where(point_only, place_lon + rng.normal(0, 0.0025, n), place_lon).round(6)
    desc_pick = rng.random(n)

    # Every column as a whole, in storage form; rows are zipped from them chunk by chunk.
    place_ids = np.array([p.id for p, _ in forum.places])
    area_ids = np.array([p.area_id for p, _ in forum.places])
    cat_ids = np.array([c.id for c in forum.categories])
    org_ids = np.array([forum.orgs[k].id for k in org_keys])
    user_ids = np.array([forum.reporter_user(k) for k in org_keys])
    desc_lists = [DESCRIPTIONS[name] for name in names]
    desc_texts = np.array([d for descs in desc_lists for d in descs], dtype=object)
    desc_first = np.cumsum([0] + [len(descs) for descs in desc_lists])[:-1]
    desc_count = np.array([len(descs) for descs in desc_lists])
    description = desc_first[inc_cat] + (desc_pick * desc_count[inc_cat]).astype(np.int64)
    place_id = place_ids[inc_place].astype(object)
    place_id[point_only] = None  # a point, not a place
    precision = np.where(point_only, "punkt", "plats")
    visibility = np.where(restricted, Visibility.RESTRICTED.value, Visibility.FORUM.value)
    day_numbers = occurred.astype("datetime64[D]").astype(np.int64)
    hours = (occurred - occurred.astype("datetime64[D]")).astype("timedelta64[h]").astype(np.int64)
    columns = {
        "occurred_at": lambda c: _ts_strings(occurred[c]),
        "day": lambda c: day_numbers[c].tolist(),
        "hour": lambda c: hours[c].tolist(),
        "category_id": lambda c: cat_ids[inc_cat[c]].tolist(),
        "place_id": lambda c: place_id[c].tolist(),
        "area_id": lambda c: area_ids[inc_place[c]].tolist(),
        "lat": lambda c: lat[c].tolist(),
        "lon": lambda c: lon[c].tolist(),
        "precision": lambda c: precision[c].tolist(),
        "reporting_org_id": lambda c: org_ids[org_idx[c]].tolist(),
        "count": lambda c: counts[c].tolist(),
        "description": lambda c: desc_texts[description[c]].tolist(),
        "visibility": lambda c: visibility[c].tolist(),
        "source": lambda c: ["demo"] * (c.stop - c.start),
        "created_by_id": lambda c: user_ids[org_idx[c]].tolist(),
        "created_at": lambda c: _ts_strings(created[c]),
        "version": lambda c: [1] * (c.stop - c.start),
    }
    conn = forum.session.connection()
    with db.bulk_load(conn, "incident"):
        for lo in range(0, n, BATCH):
            chunk = slice(lo, min(n, lo + BATCH))
            rows = zip(*(column(chunk) for column in columns.values()), strict=True)
            db.bulk_insert(conn, "incident", list(columns), rows)
    return n
