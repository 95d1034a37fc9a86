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
md = data.map_data(ctx.url, context.current_viewer(), scope, MODES[mode], forum_box)
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
layer_list = maps.boundary_layer(boundary)
if "Områden" in shown:
    layer_list += maps.area_layer(lookups.areas, summary.area_counts)
if mode == "Täthet":
    layer_list += maps.density_layer(summary.cells, summary.size)
elif md.mode == "punkter":
    layer_list += maps.point_layer(md.points)
else:
    layer_list += maps.cell_layer(summary.cells, summary.size)
layer_list += maps.approximate_layer(summary.approximate)
if "Otrygga platser" in shown:
    layer_list += maps.observation_layer(md.observations)
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

box = summary.extent or geo.bbox(boundary) or lookups.extent
st.pydeck_chart(
    maps.deck(layer_list, maps.view_for(box), ctx.settings.basemap), height=640, key="karta"
)

if md.mode == "punkter":
    shown_points = len(md.points)
    note = (
        f"Varje punkt är en rapport ({fmt.integer(shown_points)} st; en rapport kan gälla "
        "flera händelser), färgad efter kategorigrupp. Rapporter från samma plats ligger "
        "i en liten spiral runt platsen."
    )

    if summary.reports > shown_points:
        note += (
            f" Visar de {fmt.integer(shown_points)} senaste av "
            f"{fmt.integer(summary.reports)} – välj ett snävare urval för att se alla."
        )
else:
    note = (
        "Händelserna är sammanräknade i rutor (mörkare = fler) så att kartan förblir snabb; "
        "välj ett snävare urval för att se enskilda händelser."
    )
legend = [note]
if md.mode == "punkter" and mode != "Täthet":
    legend.append(maps.group_legend(lookups.groups))
if "Otrygga platser" in shown:
    legend.append(":red[⬢] otrygg plats")
if "Öppna åtgärder" in shown:
    legend.append(":green[◆] öppen åtgärd")
if "Kommande arrangemang" in shown:
    legend.append(":orange[▲] arrangemang eller riskperiod (60 dagar)")

if approximate:
    legend.append(
        "○ ungefärlig position (t.ex. polisens händelser, på en punkt i kommunen) – "
        "räknas aldrig som hot spot"
    )
st.caption(" · ".join(legend))

exports.export_buttons(ctx, actor, scope, filters.describe(scope, lookups), "karta")
