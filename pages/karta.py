"""Karta: where incidents happen, with areas, unsafe places, open actions and coming events."""

import streamlit as st

from lagesbild import fmt, geo, municipalities
from lagesbild.fmt import md_escape
from lagesbild.ui import context, data, exports, filters, maps

ctx, actor = context.current()
st.title("Karta")
scope = filters.filter_bar(ctx, "karta")
lookups = data.lookups(ctx.url)

MODES = {"Automatiskt": None, "Punkter": True, "Rutor": False, "Täthet": False}
LAYERS = ["Områden", "Otrygga platser", "Öppna åtgärder", "Kommande arrangemang"]
left, right = st.columns([2, 3])
mode = (
    left.segmented_control("Visa händelser som", list(MODES), default="Automatiskt", key="map_mode")
    or "Automatiskt"
)
shown = right.pills("Lager", LAYERS, selection_mode="multi", default=LAYERS[:2], key="map_layers")

boundary = municipalities.boundary(ctx.municipality)
forum_box = lookups.extent or geo.bbox(boundary)
md = data.map_data(
    ctx.url,
    viewer=context.current_viewer(),
    scope=scope,
    want_points=MODES[mode],
    forum_box=forum_box,
    version=ctx.data_version,
)
summary = md.summary
total = summary.occurrences
approximate = int(summary.approximate["occurrences"].sum())
st.caption(
    f"{md_escape(filters.describe(scope, lookups))} · {fmt.integer(total)} händelser med position"
    + (f" · {fmt.integer(approximate)} med ungefärlig position" if approximate else "")
)

if ctx.municipality and boundary is None:
    st.warning(
        f"Forumets kommun ”{md_escape(ctx.municipality)}” känns inte igen, så kommungränsen "
        "saknas på kartan. En administratör rättar den med ”lagesbild forum set --municipality …”.",
        icon=":material/warning:",
    )
target = maps.place_search("map_search", lookups.places, lookups.areas)
layer_list = []
if "Områden" in shown:
    layer_list += maps.area_layer(lookups.areas, summary.area_counts)
layer_list += maps.boundary_layer(boundary)
if mode == "Täthet":
    layer_list += maps.density_layer(summary.cells, summary.size)
elif md.mode == "punkter":
    pictures = data.map_photos(ctx.url, actor, tuple(md.points["id"]))
    layer_list += maps.point_layer(md.points, pictures)
else:
    layer_list += maps.cell_layer(summary.cells, summary.size)
layer_list += maps.approximate_layer(summary.approximate)
if "Otrygga platser" in shown:
    unsafe_pictures = data.map_photos(
        ctx.url, actor, tuple(md.observations["id"]), of="observation"
    )
    layer_list += maps.observation_layer(md.observations, unsafe_pictures)
if "Öppna åtgärder" in shown:
    layer_list += maps.action_layer(md.actions)
if "Kommande arrangemang" in shown:
    layer_list += maps.event_layer(md.events)

if total == 0 and approximate == 0:
    st.info(
        f"Inga händelser matchar urvalet ({md_escape(scope.label.lower())}). "
        "Prova en längre period "
        "eller ta bort några filter i sidopanelen.",
        icon=":material/filter_alt_off:",
    )

if md.mode == "punkter":
    shown_points = len(md.points)
    note = (
        f"Varje punkt är en rapport ({fmt.integer(shown_points)} st; en rapport kan gälla "
        "flera händelser). Rapporter från samma plats ligger i en liten spiral runt platsen."
    )
    if summary.reports > shown_points:
        note += (
            f" Visar de {fmt.integer(shown_points)} senaste av "
            f"{fmt.integer(summary.reports)} – välj ett snävare urval för att se alla."
        )
elif mode == "Täthet":
    note = "Täthet: ju varmare färg, desto fler händelser i närheten."
else:
    note = (
        "Händelserna är sammanräknade i rutor (mörkare = fler); välj ett snävare urval för "
        "att se enskilda händelser."
    )
keys = list(maps.BASE_KEYS)
if md.mode == "punkter" and mode != "Täthet":
    keys += maps.group_keys(data.only_active(lookups.groups))
elif mode != "Täthet":
    keys.append(maps.Key("■", "#F03B20", "ruta, mörkare = fler händelser"))
if "Otrygga platser" in shown:
    keys.append(maps.Key("⬢", "#D81B60", "upplevd otrygg plats (trygghetsvandring m.m.)"))
if "Öppna åtgärder" in shown:
    keys.append(maps.Key("◆", "#00897B", "öppen åtgärd"))
if "Kommande arrangemang" in shown:
    keys.append(maps.Key("▲", "#F9A825", "arrangemang eller riskperiod (60 dagar)"))
if approximate:
    keys.append(maps.Key("○", "#5A5A5A", "ungefärlig position – aldrig hot spot"))
if target:
    keys.append(maps.SEARCHED_KEY)

box = target.box if target else maps.covering(geo.bbox(boundary), lookups.extent, summary.extent)
view = maps.view_for(box, legend=maps.legend_size(keys, note))
reported = md.points["place"].value_counts().to_dict() if not md.points.empty else {}
layer_list += maps.names(
    lookups.areas if "Områden" in shown else lookups.areas.iloc[0:0],
    data.only_active(lookups.places),
    {**reported, **({target.name: 1000} if target else {})},
    view=view,
)
layer_list += maps.searched_layer(target)
maps.show(
    maps.deck(layer_list, view, ctx.settings.basemap, boundary),
    height=640,
    key="karta",
    keys=keys,
    note=note,
)

exports.export_buttons(ctx, actor, scope, filters.describe(scope, lookups), "karta")
