"""Form pieces shared by the reporting pages: category, location (list, map or coordinates),
date and time. Every widget is keyed, so what was typed stays when a save is refused, and
every field's starting value is declared (`form_state.field`), never left to Streamlit."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild import geo, labels, permissions
from lagesbild.clock import local_now
from lagesbild.errors import ConflictError, UserError, ValidationError
from lagesbild.fmt import md_escape
from lagesbild.ui import data, form_state, maps, position
from lagesbild.ui.data import Lookups

LIST, POINT = "Plats i listan", "Punkt på kartan eller koordinater"


def category_picker(prefix: str, lookups: Lookups) -> int | None:
    """Group, then sub-type; only active ones are offered."""
    groups = data.only_active(lookups.groups)
    cats = data.only_active(lookups.categories)
    left, right = st.columns(2)
    form_state.field(f"{prefix}group", None)
    group = left.selectbox(
        "Kategorigrupp",
        groups["id"].tolist(),
        key=f"{prefix}group",
        format_func=data.names(groups).get,
        placeholder="Välj grupp",
    )
    options = cats[cats["group_id"] == group] if group is not None else cats.iloc[0:0]
    if st.session_state.get(f"{prefix}category") not in set(options["id"]):
        st.session_state[f"{prefix}category"] = None
    return right.selectbox(
        "Kategori",
        options["id"].tolist(),
        key=f"{prefix}category",
        format_func=data.names(options).get,
        placeholder="Välj kategori" if group is not None else "Välj grupp först",
    )


def pick_map(prefix: str, lookups: Lookups, basemap: str, boundary: dict | None = None) -> None:
    """A map to click a point on: the exact point clicked fills the coordinate fields (drawn
    after it, so no rerun is needed and the first tap counts)."""
    box = st.session_state.get(f"{prefix}target") or maps.covering(
        geo.bbox(boundary), lookups.extent
    )
    areas = []
    for row in lookups.areas.itertuples():
        centre = geo.centroid(row.geojson)
        areas.append(
            {
                "name": row.name,
                "geojson": row.geojson,
                "lat": centre[0] if centre else None,
                "lon": centre[1] if centre else None,
            }
        )
    places = data.only_active(lookups.places).dropna(subset=["lat", "lon"])
    lat, lon = st.session_state.get(f"{prefix}lat"), st.session_state.get(f"{prefix}lon")
    answer = position.click_map(
        f"{POS}{prefix}map",
        box=box or geo.SWEDEN,
        boundary=boundary,
        areas=areas,
        places=places[["name", "lat", "lon"]].to_dict("records"),
        selected=(lat, lon) if lat is not None and lon is not None else None,
        tiles=maps.tile_template(basemap),
    )
    if answer and answer.get("n") != st.session_state.get(f"{POS}{prefix}clicked"):
        st.session_state[f"{POS}{prefix}clicked"] = answer["n"]
        st.session_state[f"{prefix}lat"] = round(float(answer["lat"]), 5)
        st.session_state[f"{prefix}lon"] = round(float(answer["lon"]), 5)
    st.caption(
        "Klicka där det hände; dra för att flytta kartan, scrolla eller använd + och − för "
        "att zooma. Blå linjer är områden, den mörka linjen kommungränsen."
    )


# Keys of the position component start with "lb_": they are not form values, so emptying a
# form after a save does not touch them (the answers they hold are remembered as handled).
POS = "lb_pos_"


def my_position(prefix: str, boundary: dict | None, municipality: str) -> None:
    """ "Använd min position": a position inside the municipality becomes the point (its
    accuracy said); outside it or refused, a Swedish message says why."""
    answer = position.locate_button(f"{POS}{prefix}locate")
    if answer and answer.get("n") != st.session_state.get(f"{POS}{prefix}located"):
        st.session_state[f"{POS}{prefix}located"] = answer["n"]
        fix = position.judge(answer, boundary, municipality)
        st.session_state[f"{prefix}fix"] = fix
        if fix.ok:
            st.session_state[f"{prefix}mode"] = POINT
            st.session_state[f"{prefix}lat"], st.session_state[f"{prefix}lon"] = fix.lat, fix.lon
            st.session_state[f"{prefix}target"] = maps.around(fix.lat, fix.lon, maps.NEAR_M)
    fix = st.session_state.get(f"{prefix}fix")
    if fix:
        if fix.ok:
            st.success(fix.message, icon=":material/my_location:")
        else:
            st.error(fix.message, icon=":material/location_off:")


def search_point(prefix: str, lookups: Lookups) -> None:
    """Find a place or an area by name: its position fills the coordinate fields (before
    they are drawn) and the map centres there. Only a new choice moves the point."""
    target = maps.place_search(f"{prefix}search", data.only_active(lookups.places), lookups.areas)
    label = target.label if target else None
    if label != st.session_state.get(f"{prefix}searched"):
        st.session_state[f"{prefix}searched"] = label
        st.session_state[f"{prefix}target"] = target.box if target else None
        if target:
            st.session_state[f"{prefix}lat"] = round(target.lat, 5)
            st.session_state[f"{prefix}lon"] = round(target.lon, 5)


def location_picker(
    prefix: str,
    lookups: Lookups,
    basemap: str,
    boundary: dict | None = None,
    municipality: str = "",
) -> tuple[int | None, float | None, float | None]:
    """A place from the list, or a point (the phone's position, clicked on a map or typed
    as coordinates)."""
    places = lookups.places
    place_names = data.names(places)
    area_names = data.names(places, "area")

    def label(place_id) -> str:
        area = area_names.get(place_id)
        return place_names[place_id] + (f" ({area})" if area else "")

    form_state.field(f"{prefix}mode", LIST)
    form_state.field(f"{prefix}place", None)
    form_state.field(f"{prefix}lat", None)
    form_state.field(f"{prefix}lon", None)
    my_position(prefix, boundary, municipality)
    mode = st.radio("Var", [LIST, POINT], key=f"{prefix}mode", horizontal=True)
    if mode == LIST:
        place = st.selectbox(
            "Plats",
            places["id"].tolist(),
            key=f"{prefix}place",
            format_func=label,
            placeholder="Välj plats",
        )
        return place, None, None
    search_point(prefix, lookups)
    with st.expander("Klicka på kartan för att välja punkt", icon=":material/place:"):
        pick_map(prefix, lookups, basemap, boundary)
    left, right = st.columns(2)
    lat = left.number_input(
        "Latitud", key=f"{prefix}lat", format="%.5f", step=0.0001, placeholder="t.ex. 55,47160"
    )
    lon = right.number_input(
        "Longitud", key=f"{prefix}lon", format="%.5f", step=0.0001, placeholder="t.ex. 13,01940"
    )
    return None, lat, lon


def when_input(prefix: str, label: str = "När") -> dt.datetime:
    left, right = st.columns(2)
    now = local_now()
    form_state.field(f"{prefix}date", now.date())
    form_state.field(f"{prefix}time", now.time().replace(second=0, microsecond=0))
    day = left.date_input(
        f"{label} – datum", key=f"{prefix}date", max_value=now.date(), format="YYYY-MM-DD"
    )
    time = right.time_input(
        f"{label} – klockslag", key=f"{prefix}time", step=dt.timedelta(minutes=5)
    )
    return dt.datetime.combine(day, time)


def organisation_picker(prefix: str, lookups: Lookups, actor) -> int:
    """The organisations the actor may report for (chairs and admins: any; members: their
    own, shown as a caption)."""
    orgs = data.only_active(lookups.orgs)
    ids = [i for i in orgs["id"].tolist() if permissions.may_report_for(actor, i)]
    if ids and ids != [actor.organisation_id]:
        own = actor.organisation_id if actor.organisation_id in ids else ids[0]
        if st.session_state.get(form_state.field(f"{prefix}org", own)) not in ids:
            st.session_state[f"{prefix}org"] = own
        return st.selectbox(
            "Rapporterande organisation",
            ids,
            key=f"{prefix}org",
            format_func=data.names(orgs).get,
        )
    st.caption(f"Rapporteras av {md_escape(data.names(orgs).get(actor.organisation_id, ''))}.")
    return actor.organisation_id


def problems(found: dict[str, str]) -> None:
    """All reasons a save was refused, as one list."""
    st.error(
        "Inget sparades. Rätta följande och försök igen:\n"
        + "\n".join(f"- {md_escape(message)}" for message in found.values()),
        icon=":material/error:",
    )


UNSAFE_REASONS = {k.value: v for k, v in labels.UNSAFE_REASON.items()}


def conflict(exc: ConflictError) -> None:
    """Someone else saved first: say so, and show what they changed."""
    st.error(md_escape(exc), icon=":material/sync_problem:")
    if exc.changes:
        st.dataframe(
            pd.DataFrame(
                {
                    "Uppgift": list(exc.changes),
                    "När du öppnade den": [str(a) for a, _ in exc.changes.values()],
                    "Nu": [str(b) for _, b in exc.changes.values()],
                }
            ),
            hide_index=True,
        )


def refused(exc: UserError) -> None:
    """Why a save was refused, in the form it calls for: every problem with the input, what
    someone else changed first, or the one reason (not allowed, no longer there …)."""
    if isinstance(exc, ConflictError):
        conflict(exc)
    elif isinstance(exc, ValidationError):
        problems(exc.problems)
    else:
        st.error(md_escape(exc), icon=":material/error:")


def more_or_fewer(prefix: str, count: int, add_label: str):
    """'Add one' and 'remove the last' for a form of repeated parts (keys `{prefix}{i}_…`,
    the number in `{prefix}n`); returns the column left for the form's own save button."""
    add, remove, save = st.columns([1, 1, 2])
    if add.button(add_label, icon=":material/add:", key=f"{prefix}add"):
        st.session_state[f"{prefix}n"] = count + 1
        st.rerun()
    if count > 1 and remove.button(
        "Ta bort den sista", icon=":material/remove:", key=f"{prefix}remove"
    ):
        form_state.clear(f"{prefix}{count - 1}_")
        st.session_state[f"{prefix}n"] = count - 1
        st.rerun()
    return save
