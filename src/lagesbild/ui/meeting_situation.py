"""Agenda steps 1 and 2 of the meeting view: what is new since the last meeting (figures,
map, hot spots) and the police's and rescue service's picture."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lagesbild import fmt, geo, labels, municipalities
from lagesbild.analysis import hotspots
from lagesbild.filters import Scope
from lagesbild.models import OrganisationKind
from lagesbild.queries.minutes import FORUM_VIEW
from lagesbild.ui import bars, data, live, maps
from lagesbild.ui import photos as photo_ui
from lagesbild.ui.meeting import View, table

MAP_W, MAP_H = 760, 520  # step 1's map on a 1920×1080 projector (the right column)

# --- 1. new since the last meeting ----------------------------------------------------------


def step_new(view: View) -> None:
    left, right = st.columns([5, 4], gap="large")
    with left:
        new_figures(view)
    with right:
        picture = live.since_meeting(view.ctx.url, FORUM_VIEW, view.since, view.lat)
        scope = Scope(window=view.since, label="")
        md = data.map_data(
            view.ctx.url,
            viewer=FORUM_VIEW,
            scope=scope,
            want_points=None,
            forum_box=view.lookups.extent,
        )
        boundary = municipalities.boundary(view.ctx.municipality)
        keys = [*maps.BASE_KEYS, maps.HOTSPOT_KEY]
        if md.mode == "punkter":
            keys += maps.group_keys(data.only_active(view.lookups.groups))
        else:
            keys.append(maps.Key("■", "#F03B20", "ruta, mörkare = fler händelser"))
        box = maps.covering(geo.bbox(boundary), view.lookups.extent, md.summary.extent)
        shown = maps.view_for(box, MAP_W, MAP_H, legend=maps.legend_size(keys))
        layers = maps.area_layer(view.lookups.areas, md.summary.area_counts)
        layers += maps.boundary_layer(boundary)
        if md.mode == "punkter":
            layers += maps.point_layer(md.points)
        else:
            layers += maps.cell_layer(md.summary.cells, md.summary.size)
        layers += maps.hotspot_layer(picture.hotspots, shown)
        reported = md.points["place"].value_counts().to_dict() if not md.points.empty else {}
        layers += maps.names(
            view.lookups.areas,
            data.only_active(view.lookups.places),
            reported,
            skip=set(picture.hotspots["name"]) if not picture.hotspots.empty else set(),
            view=shown,
            hotspots=picture.hotspots,
        )
        maps.show(
            maps.deck(layers, shown, view.ctx.settings.basemap, boundary),
            height=MAP_H,
            key="mote_map",
            keys=keys,
        )
        weeks = hotspots.window_name(picture.hotspot_rule)
        st.markdown(f"**Hot spots – nya och eskalerande platser, {weeks}**")
        if picture.hotspots.empty:
            st.markdown(f"Ingen plats sticker ut de {weeks} jämfört med sin normalnivå.")
        else:
            top = picture.hotspots.head(4)
            table(
                pd.DataFrame(
                    {
                        "Plats": top["name"],
                        "Status": top["status"],
                        f"Rapporter {weeks}": top["recent"].astype(int),
                        "Normalt": top["expected"].astype(float),
                    }
                ),
            )
            if len(picture.hotspots) > 4:
                st.caption(f"… och {len(picture.hotspots) - 4} till på sidan Hot spots.")


def new_figures(view: View) -> None:
    url, window, lat = view.ctx.url, view.since, view.lat

    @st.fragment(run_every=view.ctx.settings.meeting_refresh_seconds)
    def figures() -> None:
        picture = live.since_meeting(url, FORUM_VIEW, window, lat)
        count, latest = live.reported_since(url, FORUM_VIEW, view.meeting["started_at"])
        m1, m2, m3 = st.columns(3)
        m1.metric(
            "Händelser sedan förra mötet",
            fmt.integer(picture.total),
            delta=f"{picture.total - picture.usual_total:+.0f} mot normalt",
            delta_color="inverse",
            border=True,
        )
        low, high = picture.usual_range
        m2.metric(
            "Normalt för perioden",
            fmt.decimal(picture.usual_total),
            delta=f"vanligen {fmt.integer(round(low))}–{fmt.integer(round(high))}",
            delta_color="off",
            delta_arrow="off",
            help="Genomsnittet för en lika lång period under året innan; vanligen = åtta "
            "perioder av tio det året låg där.",
            border=True,
        )
        m3.metric(
            "Hot spots",
            fmt.integer(len(picture.hotspots)),
            delta=hotspots.window_name(picture.hotspot_rule),
            delta_color="off",
            delta_arrow="off",
            help="Samma regel och fönster som sidan Hot spots, till och med i dag.",
            border=True,
        )
        groups = picture.groups.head(6)
        if groups.empty:
            st.markdown("Inga händelser sedan förra mötet.")
        else:
            bars.show(groups["group"], groups, "Kategorigrupp")
        areas = picture.areas.head(4)
        if not areas.empty:
            table(
                pd.DataFrame(
                    {
                        "Område": areas["area"],
                        "Sedan förra mötet": areas["current"].astype(int),
                        "Normalt": areas["usual"].astype(float),
                    }
                ),
            )
        if count:
            newest = latest.iloc[0]
            where = next(
                (v for v in (newest["place"], newest["area"]) if isinstance(v, str) and v),
                "okänd plats",
            )
            st.markdown(
                f"**Nytt under mötet:** {fmt.md_escape(newest['category'])}, "
                f"{fmt.md_escape(where)} ({fmt.md_escape(newest['organisation'])}, "
                f"{fmt.short_datetime(newest['occurred_at'])})"
                + (f" och {count - 1} till" if count > 1 else "")
            )
            photo_ui.thumbnails(
                view.ctx, view.actor, incident_ids=latest["id"].tolist(), width=120, room=True
            )

    figures()


# --- 2. police and rescue service -----------------------------------------------------------


def step_police_rescue(view: View) -> None:
    orgs = view.lookups.orgs
    columns = st.columns(2, gap="large")
    for column, kind in zip(
        columns, (OrganisationKind.POLICE, OrganisationKind.RESCUE), strict=True
    ):
        ids = tuple(int(i) for i in orgs[orgs["kind"] == kind.value]["id"])
        with column:
            st.subheader(labels.ORGANISATION_KIND[kind])
            if not ids:
                st.markdown("Ingen organisation av den typen är med i forumet.")
                continue
            counts, latest = live.organisation_picture(view.ctx.url, FORUM_VIEW, view.since, ids)
            total, usual = int(counts["current"].sum()), float(counts["usual"].sum())
            st.metric(
                "Rapporter sedan förra mötet",
                fmt.integer(total),
                delta=f"normalt {fmt.decimal(usual)}",
                delta_color="off",
                delta_arrow="off",
                border=True,
            )
            top = counts.head(5)
            if top.empty:
                st.markdown("Inga rapporter sedan förra mötet.")
                continue
            bars.show(top["category"], top, "Kategori")
            table(
                pd.DataFrame(
                    {
                        "När": latest["occurred_at"].head(4).map(fmt.short_datetime),
                        "Vad": latest["category"].head(4),
                        "Var": latest["place"].fillna(latest["area"]).fillna("–").head(4),
                    }
                ),
            )
