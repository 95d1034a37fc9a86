"""The filter bar shared by every analysis page, bound to the URL query string.

The first analysis page a session opens reads its filter from the URL (a shared link); after
that the filter lives in the session and every change is written back to the URL, so the
address in the browser always reproduces the view.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lagesbild import filters as flt
from lagesbild.clock import local_now
from lagesbild.filters import Filters, Period, Scope
from lagesbild.fmt import md_escape
from lagesbild.ui import data, shell
from lagesbild.ui.context import AppContext, current_viewer

STATE = "lb_filters"
NOTICES = "lb_filter_notices"
PAGE = "lb_filter_page"

K_PERIOD, K_RANGE = "flt_period", "flt_range"
K_LISTS = {
    "groups": "flt_groups",
    "categories": "flt_categories",
    "areas": "flt_areas",
    "places": "flt_places",
    "orgs": "flt_orgs",
}


def _now() -> dt.datetime:
    return local_now().replace(second=0, microsecond=0)


def _to_widgets(f: Filters) -> None:
    st.session_state[K_PERIOD] = f.period.value
    if f.start and f.end:
        st.session_state[K_RANGE] = (f.start, f.end)
    for attr, key in K_LISTS.items():
        st.session_state[key] = list(getattr(f, attr))


def _from_widgets() -> Filters:
    period = Period(st.session_state.get(K_PERIOD, flt.DEFAULT_PERIOD.value))
    start = end = None
    if period is Period.CUSTOM:
        chosen = st.session_state.get(K_RANGE) or ()
        if len(chosen) == 2:
            start, end = chosen
        elif len(chosen) == 1:
            start = end = chosen[0]
        else:
            period = flt.DEFAULT_PERIOD
    lists = {attr: tuple(st.session_state.get(key) or ()) for attr, key in K_LISTS.items()}
    return Filters(period=period, start=start, end=end, **lists)


def _reset() -> None:
    _to_widgets(Filters())
    st.session_state.pop(K_RANGE, None)


def filter_bar(ctx: AppContext, page: str) -> Scope:
    """Draw the filter bar in the sidebar and return the resolved scope. `page` names the
    calling page: widgets do not keep their state from one page to another in Streamlit, so
    the bar is re-seeded from the session's filter whenever the page changes."""
    viewer = current_viewer()
    now = _now()
    lookups = data.lookups(ctx.url)
    known = lookups.known
    if STATE not in st.session_state:
        parsed, notices = flt.from_query(st.query_params.to_dict(), known, now.date())
        st.session_state[STATE] = parsed
        st.session_state[NOTICES] = notices
        _to_widgets(parsed)
    elif st.session_state.get(PAGE) != page or K_PERIOD not in st.session_state:
        _to_widgets(st.session_state[STATE])
    st.session_state[PAGE] = page

    groups = lookups.groups
    categories = lookups.categories
    areas = lookups.areas
    places = lookups.places
    orgs = lookups.orgs
    with shell.sidebar_top():
        st.subheader("Urval")
        st.selectbox(
            "Period",
            [p.value for p in Period],
            key=K_PERIOD,
            format_func=lambda p: flt.PERIOD_LABELS[Period(p)],
        )
        if st.session_state[K_PERIOD] == Period.CUSTOM.value:
            st.session_state.setdefault(K_RANGE, (now.date() - dt.timedelta(days=30), now.date()))
            st.date_input(
                "Från och med – till och med",
                key=K_RANGE,
                format="YYYY-MM-DD",
                min_value=flt.EARLIEST,
                max_value=now.date(),
            )
        st.multiselect(
            "Kategorigrupper",
            groups["id"].tolist(),
            key=K_LISTS["groups"],
            format_func=_names(groups),
            placeholder="Alla grupper",
        )
        chosen_groups = set(st.session_state[K_LISTS["groups"]])
        cat_options = (
            categories[categories["group_id"].isin(chosen_groups)] if chosen_groups else categories
        )
        _keep_valid(K_LISTS["categories"], cat_options["id"])
        st.multiselect(
            "Kategorier",
            cat_options["id"].tolist(),
            key=K_LISTS["categories"],
            format_func=_names(categories),
            placeholder="Alla i valda grupper",
        )
        st.multiselect(
            "Områden",
            areas["id"].tolist(),
            key=K_LISTS["areas"],
            format_func=_names(areas),
            placeholder="Alla områden",
        )
        chosen_areas = set(st.session_state[K_LISTS["areas"]])
        place_options = places[places["area_id"].isin(chosen_areas)] if chosen_areas else places
        _keep_valid(K_LISTS["places"], place_options["id"])
        st.multiselect(
            "Platser",
            place_options["id"].tolist(),
            key=K_LISTS["places"],
            format_func=_names(places),
            placeholder="Alla platser",
        )
        st.multiselect(
            "Rapporterande organisationer",
            orgs["id"].tolist(),
            key=K_LISTS["orgs"],
            format_func=_names(orgs, "short_name"),
            placeholder="Alla organisationer",
        )
        st.button(
            "Återställ urvalet", on_click=_reset, icon=":material/restart_alt:", key="flt_reset"
        )

    current = _from_widgets()
    st.session_state[STATE] = current
    query = flt.to_query(current)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    for notice in st.session_state.pop(NOTICES, []):
        st.warning(md_escape(notice), icon=":material/link_off:")

    _, previous = data.meeting_dates(ctx.url, now)
    first = data.first_incident(ctx.url, viewer=viewer, version=ctx.data_version)
    return flt.resolve(current, known, now, previous, first)


def _names(frame, column: str = "name"):
    known = data.names(frame, column)
    return lambda value: known.get(value, str(value))


def _keep_valid(key: str, valid) -> None:
    """Drop choices that are no longer offered (a group or area was deselected)."""
    allowed = set(valid)
    chosen = st.session_state.get(key) or []
    if any(v not in allowed for v in chosen):
        st.session_state[key] = [v for v in chosen if v in allowed]


def describe(scope: Scope, lookups: data.Lookups) -> str:
    """One line saying what the figures cover, for captions and exports."""
    parts = [scope.label]
    if scope.categories:
        names = data.names(lookups.categories)
        parts.append(
            ", ".join(names.get(c, "?") for c in scope.categories[:4])
            + (" …" if len(scope.categories) > 4 else "")
        )
    for ids, frame in ((scope.areas, lookups.areas), (scope.places, lookups.places)):
        if ids:
            names = data.names(frame)
            parts.append(
                ", ".join(names.get(i, "?") for i in ids[:4]) + (" …" if len(ids) > 4 else "")
            )
    if scope.orgs:
        names = data.names(lookups.orgs, "short_name")
        parts.append("rapporterat av " + ", ".join(names.get(o, "?") for o in scope.orgs))
    return " · ".join(parts)
