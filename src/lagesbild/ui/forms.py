"""Form pieces shared by the reporting pages: category, location (list, map or coordinates),
date and time. Every widget is keyed, so what was typed stays when a save is refused, and
every field's starting value is declared (`form_state.field`), never left to Streamlit."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pydeck as pdk
import streamlit as st

from lagesbild import labels, permissions
from lagesbild.clock import local_now
from lagesbild.errors import ConflictError
from lagesbild.fmt import md_escape
from lagesbild.ui import data, form_state, maps
from lagesbild.ui.data import Lookups

LIST, POINT = "Plats i listan", "Punkt på kartan eller koordinater"


def _names(frame: pd.DataFrame, column: str = "name") -> dict:
    return dict(zip(frame["id"], frame[column], strict=True))


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
        format_func=_names(groups).get,
        placeholder="Välj grupp",
    )
    options = cats[cats["group_id"] == group] if group is not None else cats.iloc[0:0]
    if st.session_state.get(f"{prefix}category") not in set(options["id"]):
        st.session_state[f"{prefix}category"] = None
    return right.selectbox(
        "Kategori",
        options["id"].tolist(),
        key=f"{prefix}category",
        format_func=_names(options).get,
        placeholder="Välj kategori" if group is not None else "Välj grupp först",
    )


def pick_map(prefix: str, lookups: Lookups, basemap: str) -> None:
    """A map to click a point on: a fine invisible grid over the forum's extent; the chosen
    cell's centre fills the coordinate fields."""
    box = lookups.extent or (10.5, 55.0, 24.3, 69.2)
    rows, cols = 45, 70
    dlat = (box[3] - box[1] + 0.02) / rows
    dlon = (box[2] - box[0] + 0.04) / cols
    south, west = box[1] - 0.01, box[0] - 0.02
    cells = [
        {
            "lat": south + (r + 0.5) * dlat,
            "lon": west + (c + 0.5) * dlon,
            "polygon": [
                [west + c * dlon, south + r * dlat],
                [west + (c + 1) * dlon, south + r * dlat],
                [west + (c + 1) * dlon, south + (r + 1) * dlat],
                [west + c * dlon, south + (r + 1) * dlat],
            ],
        }
        for r in range(rows)
        for c in range(cols)
    ]
    for cell in cells:
        cell["tooltip"] = f"Välj {cell['lat']:.5f}, {cell['lon']:.5f}"
    layer_list = maps.area_layer(lookups.areas, {})
    layer_list.append(
        pdk.Layer(
            "PolygonLayer",
            pd.DataFrame(cells),
            id="valj",
            get_polygon="polygon",
            get_fill_color=[0, 0, 0, 0],
            stroked=False,
            pickable=True,
            auto_highlight=True,
            highlight_color=[11, 92, 173, 90],
        )
    )
    lat, lon = st.session_state.get(f"{prefix}lat"), st.session_state.get(f"{prefix}lon")
    if lat is not None and lon is not None:
        layer_list += maps.circles(
            "vald",
            pd.DataFrame({"lat": [lat], "lon": [lon], "tooltip": ["Vald punkt"]}),
            get_radius=8,
            get_fill_color=[192, 57, 43, 255],
            get_line_color=[255, 255, 255, 255],
            line_width_min_pixels=2,
        )
    event = st.pydeck_chart(
        maps.deck(layer_list, maps.view_for(box, 900, 360), basemap),
        height=360,
        on_select="rerun",
        selection_mode="single-object",
        key=f"{prefix}map",
    )
    chosen = (event.selection.get("objects", {}) if event and event.selection else {}).get("valj")
    if chosen:
        picked = (round(chosen[0]["lat"], 5), round(chosen[0]["lon"], 5))
        if st.session_state.get(f"{prefix}picked") != picked:
            st.session_state[f"{prefix}picked"] = picked
            st.session_state[f"{prefix}lat"], st.session_state[f"{prefix}lon"] = picked
            st.rerun()


def location_picker(
    prefix: str, lookups: Lookups, basemap: str
) -> tuple[int | None, float | None, float | None]:
    """A place from the list, or a point (clicked on a map or typed as coordinates)."""
    places = lookups.places
    place_names = _names(places)
    area_names = _names(places, "area")

    def label(place_id) -> str:
        area = area_names.get(place_id)
        return place_names[place_id] + (f" ({area})" if area else "")

    form_state.field(f"{prefix}mode", LIST)
    form_state.field(f"{prefix}place", None)
    form_state.field(f"{prefix}lat", None)
    form_state.field(f"{prefix}lon", None)
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
    with st.expander("Klicka på kartan för att välja punkt", icon=":material/place:"):
        pick_map(prefix, lookups, basemap)
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
            format_func=_names(orgs).get,
        )
    st.caption(f"Rapporteras av {md_escape(_names(orgs).get(actor.organisation_id, ''))}.")
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
