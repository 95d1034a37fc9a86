"""Administration (chairs and admins): categories, areas, places, organisations – and the
audit log. Nothing is deleted: entries are deactivated, and every change is logged."""

import json

import pandas as pd
import streamlit as st

from lagesbild import fmt, labels
from lagesbild.clock import utc_to_local
from lagesbild.errors import ValidationError
from lagesbild.fmt import md_escape
from lagesbild.models import OrganisationKind
from lagesbild.services import admin
from lagesbild.ui import context, data, feed, forms, maps, tables, write

ctx, actor = context.current()
lists = data.admin_lists(ctx.url)
st.title("Forumets listor")
message = st.session_state.pop("lb_admin_saved", None)
if message:
    st.success(md_escape(message), icon=":material/check_circle:")


def save(service, *args, done: str, **kwargs) -> None:
    """Run an admin change; show every problem, or confirm and start over."""
    if write.attempt(ctx, service, actor, *args, **kwargs).ok:
        st.session_state["lb_admin_saved"] = done
        st.rerun()


def active(value) -> str:
    return "Aktiv" if value else "Inaktiv"


def prefill(prefix: str, chosen, values: dict) -> None:
    """When another entry is chosen, fill the fields with its current values."""
    if st.session_state.get(f"{prefix}loaded", "unset") != chosen:
        st.session_state.update({f"{prefix}{k}": v for k, v in values.items()})
        st.session_state[f"{prefix}loaded"] = chosen


tab_cat, tab_area, tab_place, tab_org, tab_feed, tab_log = st.tabs(
    ["Kategorier", "Områden", "Platser", "Organisationer", "Polisens flöde", "Granskningslogg"]
)

with tab_cat:
    groups, cats = lists["groups"], lists["categories"]
    tables.show(
        pd.DataFrame(
            {"Grupp": cats["group"], "Kategori": cats["name"], "Status": cats["active"].map(active)}
        ),
        height=300,
    )
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**Kategori – ny eller ändrad**")
        existing = st.selectbox(
            "Kategori att ändra",
            [None, *cats["id"].tolist()],
            format_func=lambda c: (
                "Ny kategori"
                if c is None
                else f"{data.names(cats, 'group')[c]} – {data.names(cats)[c]}"
            ),
            key="adm_cat_id",
        )
        row = cats.set_index("id").loc[existing] if existing else None
        prefill(
            "adm_cat_",
            existing,
            {
                "group": int(row["group_id"])
                if row is not None
                else next(iter(groups["id"].tolist()), None),
                "name": row["name"] if row is not None else "",
                "active": bool(row["active"]) if row is not None else True,
            },
        )
        group = st.selectbox(
            "Grupp", groups["id"].tolist(), format_func=data.names(groups).get, key="adm_cat_group"
        )
        name = st.text_input("Namn", key="adm_cat_name")
        is_active = st.checkbox("Aktiv (erbjuds i nya rapporter)", key="adm_cat_active")
        if st.button("Spara kategori", type="primary", key="adm_cat_save"):
            save(
                admin.save_category,
                name,
                group,
                existing,
                active=is_active,
                done=f"Kategorin ”{name.strip()}” är sparad.",
            )
    with right, st.container(border=True):
        st.markdown("**Grupp – ny eller ändrad**")
        existing_group = st.selectbox(
            "Grupp att ändra",
            [None, *groups["id"].tolist()],
            format_func=lambda g: "Ny grupp" if g is None else data.names(groups)[g],
            key="adm_group_id",
        )
        row = groups.set_index("id").loc[existing_group] if existing_group else None
        prefill(
            "adm_group_",
            existing_group,
            {
                "name": row["name"] if row is not None else "",
                "colour": row["colour"] if row is not None else "#4C78A8",
                "active": bool(row["active"]) if row is not None else True,
            },
        )
        group_name = st.text_input("Namn", key="adm_group_name")
        colour = st.color_picker("Färg i diagram och kartor", key="adm_group_colour")
        group_active = st.checkbox("Aktiv", key="adm_group_active")
        if st.button("Spara grupp", type="primary", key="adm_group_save"):
            save(
                admin.save_group,
                group_name,
                colour.upper(),
                existing_group,
                active=group_active,
                done=f"Gruppen ”{group_name.strip()}” är sparad.",
            )

with tab_area:
    areas = lists["areas"]
    tables.show(
        pd.DataFrame(
            {
                "Område": areas["name"],
                "Typ": areas["kind"],
                "Avgränsning": areas["geojson"].map(lambda g: "Polygon" if g else "Saknas"),
                "Status": areas["active"].map(active),
            }
        ),
        height=260,
    )
    st.pydeck_chart(
        maps.deck(
            maps.area_layer(data.only_active(areas), {}),
            maps.view_for(data.lookups(ctx.url).extent, 1200, 360),
            ctx.settings.basemap,
        ),
        height=360,
        key="adm_area_map",
    )
    with st.container(border=True):
        st.markdown("**Område – nytt eller ändrat**")
        existing_area = st.selectbox(
            "Område att ändra",
            [None, *areas["id"].tolist()],
            format_func=lambda a: "Nytt område" if a is None else data.names(areas)[a],
            key="adm_area_id",
        )
        row = areas.set_index("id").loc[existing_area] if existing_area else None
        prefill(
            "adm_area_",
            existing_area,
            {
                "name": row["name"] if row is not None else "",
                "kind": row["kind"] if row is not None else "område",
                "active": bool(row["active"]) if row is not None else True,
            },
        )
        left, right = st.columns(2)
        area_name = left.text_input("Namn", key="adm_area_name")
        kind = right.text_input(
            "Typ", key="adm_area_kind", help="T.ex. tätort, stadsdel eller fokusområde"
        )
        upload = st.file_uploader(
            "Avgränsning (GeoJSON-polygon i WGS84)"
            + (" – lämna tom för att behålla den nuvarande" if existing_area else ""),
            type=["geojson", "json"],
            key="adm_area_file",
        )
        area_active = st.checkbox("Aktivt", key="adm_area_active")
        if st.button("Spara område", type="primary", key="adm_area_save"):
            try:
                shape = admin.parse_area_geojson(upload.getvalue()) if upload else None
            except ValidationError as exc:
                forms.problems(exc.problems)
            else:
                save(
                    admin.save_area,
                    area_name,
                    kind,
                    shape,
                    existing_area,
                    active=area_active,
                    done=f"Området ”{area_name.strip()}” är sparat.",
                )

with tab_place:
    places = lists["places"]
    tables.show(
        pd.DataFrame(
            {
                "Plats": places["name"],
                "Område": places["area"].fillna("–"),
                "Typ": places["kind"],
                "Position": [
                    f"{a:.5f}, {b:.5f}" for a, b in zip(places["lat"], places["lon"], strict=True)
                ],
                "Status": places["active"].map(active),
            }
        ),
        height=300,
    )
    existing_place = st.selectbox(
        "Plats att ändra",
        [None, *places["id"].tolist()],
        format_func=lambda p: "Ny plats" if p is None else data.names(places)[p],
        key="adm_place_id",
    )
    row = places.set_index("id").loc[existing_place] if existing_place else None
    prefill(
        "adm_place_",
        existing_place,
        {
            "name": row["name"] if row is not None else "",
            "kind": row["kind"] if row is not None else "plats",
            "area": int(row["area_id"]) if row is not None and pd.notna(row["area_id"]) else None,
            "lat": float(row["lat"]) if row is not None else None,
            "lon": float(row["lon"]) if row is not None else None,
            "active": bool(row["active"]) if row is not None else True,
        },
    )
    left, right = st.columns(2)
    place_name = left.text_input("Namn", key="adm_place_name")
    place_kind = right.text_input(
        "Typ", key="adm_place_kind", help="T.ex. centrum, skola, park, hållplats"
    )
    place_area = st.selectbox(
        "Område",
        [None, *areas["id"].tolist()],
        key="adm_place_area",
        format_func=lambda a: "Inget område" if a is None else data.names(areas)[a],
    )
    with st.expander("Klicka på kartan för att välja läge", icon=":material/place:"):
        forms.pick_map("adm_place_", data.lookups(ctx.url), ctx.settings.basemap)
    left, right = st.columns(2)
    lat = left.number_input("Latitud", key="adm_place_lat", format="%.5f")
    lon = right.number_input("Longitud", key="adm_place_lon", format="%.5f")
    place_active = st.checkbox("Aktiv (erbjuds i nya rapporter)", key="adm_place_active")
    if st.button("Spara plats", type="primary", key="adm_place_save"):
        save(
            admin.save_place,
            place_name,
            lat,
            lon,
            place_area,
            place_kind,
            existing_place,
            active=place_active,
            done=f"Platsen ”{place_name.strip()}” är sparad.",
        )

with tab_org:
    orgs = lists["orgs"]
    kinds = {k.value: v for k, v in labels.ORGANISATION_KIND.items()}
    tables.show(
        pd.DataFrame(
            {
                "Organisation": orgs["name"],
                "Kortnamn": orgs["short_name"],
                "Typ": orgs["kind"].map(kinds),
                "Status": orgs["active"].map(active),
            }
        ),
        height=300,
    )
    with st.container(border=True):
        existing_org = st.selectbox(
            "Organisation att ändra",
            [None, *orgs["id"].tolist()],
            format_func=lambda o: "Ny organisation" if o is None else data.names(orgs)[o],
            key="adm_org_id",
        )
        row = orgs.set_index("id").loc[existing_org] if existing_org else None
        prefill(
            "adm_org_",
            existing_org,
            {
                "name": row["name"] if row is not None else "",
                "short": row["short_name"] if row is not None else "",
                "kind": row["kind"] if row is not None else OrganisationKind.OTHER.value,
                "active": bool(row["active"]) if row is not None else True,
            },
        )
        left, middle, right = st.columns(3)
        org_name = left.text_input("Namn", key="adm_org_name")
        short = middle.text_input("Kortnamn", key="adm_org_short")
        kind = right.selectbox(
            "Typ", [k.value for k in OrganisationKind], key="adm_org_kind", format_func=kinds.get
        )
        org_active = st.checkbox("Aktiv", key="adm_org_active")
        if st.button("Spara organisation", type="primary", key="adm_org_save"):
            save(
                admin.save_organisation,
                org_name,
                short,
                kind,
                existing_org,
                active=org_active,
                done=f"Organisationen ”{org_name.strip()}” är sparad.",
            )

with tab_feed:
    feed.police_feed(ctx.url)

with tab_log:
    st.caption("Varje ändring och export: vem, när, vad, och hur det såg ut före och efter.")
    entity = st.selectbox(
        "Visa",
        [
            None,
            "incident",
            "action",
            "category",
            "area",
            "place",
            "organisation",
            "user",
            "import_mapping",
            "meeting",
        ],
        format_func=lambda e: "Allt" if e is None else e,
        key="adm_log_entity",
    )
    log = data.audit_entries(ctx.url, entity)
    if log.empty:
        st.info("Inga händelser i loggen.")
    else:
        shown = st.dataframe(
            pd.DataFrame(
                {
                    "När": log["at"].map(lambda v: fmt.datetime(utc_to_local(v))),
                    "Vem": log["username"],
                    "Vad": log["verb"],
                    "Objekt": log["entity"],
                    "Id": log["entity_id"].fillna(""),
                    "Detalj": log["detail"],
                }
            ),
            hide_index=True,
            width="stretch",
            height=360,
            on_select="rerun",
            selection_mode="single-row",
            key="adm_log_table",
        )
        if shown.selection.rows:
            entry = log.iloc[shown.selection.rows[0]]
            left, right = st.columns(2)
            left.markdown("**Före**")
            left.code(
                json.dumps(entry["before"], ensure_ascii=False, indent=1)
                if entry["before"]
                else "–",
                language="json",
            )
            right.markdown("**Efter**")
            right.code(
                json.dumps(entry["after"], ensure_ascii=False, indent=1) if entry["after"] else "–",
                language="json",
            )
