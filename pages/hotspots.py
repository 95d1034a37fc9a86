"""Hot spots: places that are new or escalating against their own normal level."""

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild import fmt, geo
from lagesbild.analysis import hotspots
from lagesbild.filters import Window
from lagesbild.reference import municipality_boundary
from lagesbild.ui import charts, context, data, exports, filters, maps, tables

ctx, actor = context.current()
st.title("Hot spots")
scope = filters.filter_bar(ctx, "hotspots")
lookups = data.lookups(ctx.url)
viewer = context.current_viewer()

weeks = (
    st.segmented_control(
        "Jämför de senaste",
        [2, 4, 8],
        default=4,
        format_func=lambda w: f"{w} veckorna",
        key="hot_weeks",
    )
    or 4
)
rule = hotspots.Rule(recent_days=7 * weeks)
# Whole days: the recent window ends with the period's last day.
end = dt.datetime.combine((scope.window.end - dt.timedelta(microseconds=1)).date(), dt.time())
end += dt.timedelta(days=1)
recent = Window(end - dt.timedelta(days=rule.recent_days), end)

baseline = Window(recent.start - dt.timedelta(days=rule.baseline_days), recent.start)

with st.expander("Så hittas en hot spot", expanded=False, icon=":material/help:"):
    st.markdown(
        f"""
En plats räknas som **hot spot** när den har fått klart fler rapporter de senaste **{weeks}
veckorna** ({fmt.date(recent.start)} – {fmt.date(recent.end - dt.timedelta(seconds=1))})
än sin egen normalnivå, räknad på de **52 veckorna** innan.

1. Vi räknar rapporterna på varje plats i båda perioderna.
2. Om nivån vore oförändrad borde ungefär {fmt.percent(weeks / (weeks + 52))} av platsens
   rapporter hamna i de senaste veckorna. Vi räknar ut hur osannolikt det är att så många
   som faktiskt gjorde det hamnar där av en slump (ett binomialtest).
3. Eftersom många platser prövas samtidigt justeras sannolikheterna
   (Benjamini–Hochberg): bland de platser som markeras väntas högst 5 % vara falsklarm.
4. En plats markeras om den justerade sannolikheten är högst 5 %, den har minst
   {rule.min_recent} rapporter och minst {fmt.decimal(rule.min_ratio)} gånger sin normalnivå.
   **Ny** = inga rapporter alls under normalperioden. **Minskande** = tydligt färre än normalt.

**Säkerhet:** *Mycket säker* (under 0,1 % risk att det är slumpen), *Säker* (under 1 %),
*Trolig* (under 5 %). Händelser med ungefärlig position (t.ex. polisens händelser på kommunens
mittpunkt) räknas inte. Rapporter med en punkt men ingen namngiven plats prövas i rutor om
ungefär 250 × 250 meter. Urvalet i sidopanelen (kategorier, områden, organisationer) gäller;
perioden bestämmer slutdatumet.

"""
    )

forum_box = lookups.extent
mid_lat = (forum_box[1] + forum_box[3]) / 2 if forum_box else 60.0
counts = data.hotspot_counts(ctx.url, viewer, scope, recent, baseline, mid_lat)

result = hotspots.evaluate(counts, rule)
place_names = dict(zip(lookups.places["id"], lookups.places["name"], strict=True))
candidates = list(
    zip(lookups.places["name"], lookups.places["lat"], lookups.places["lon"], strict=True)
)


def unit_name(row) -> str:
    if row.kind == "plats":
        return place_names.get(row.place_id, "Okänd plats")
    near = geo.nearest(row.cell_lat, row.cell_lon, candidates)
    return f"Ruta nära {near}" if near else f"Ruta {row.cell_lat:.3f}, {row.cell_lon:.3f}"


result["name"] = [unit_name(r) for r in result.itertuples()]
flagged = result[result["status"].isin([hotspots.NEW, hotspots.ESCALATING])].sort_values(
    ["q_up", "ratio"], ascending=[True, False]
)
falling = result[result["status"] == hotspots.DECREASING].sort_values("q_down")

st.caption(
    f"{filters.describe(scope, lookups)} · senaste {weeks} veckorna jämfört med de "
    "52 veckorna innan"
)
k1, k2, k3 = st.columns(3)
k1.metric("Hot spots", fmt.integer(len(flagged)), border=True)
k2.metric("Platser och rutor prövade", fmt.integer(len(result)), border=True)
k3.metric("Tydligt minskande", fmt.integer(len(falling)), border=True)


def people_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Plats": frame["name"],
            "Status": frame["status"],
            f"Rapporter senaste {weeks} v.": frame["recent"].astype(int),
            "Normalt för perioden": frame["expected"].map(lambda v: fmt.decimal(v)),
            "Gånger normalt": frame["ratio"].map(
                lambda v: "ny" if v == float("inf") else fmt.decimal(v)
            ),
            "Säkerhet": frame["certainty"],
        }
    )


if result.empty:
    st.info(
        "Inga rapporter med känd plats i urvalet under perioden eller normalperioden.",
        icon=":material/filter_alt_off:",
    )
elif flagged.empty:
    st.success(
        f"Ingen plats sticker ut de senaste {weeks} veckorna jämfört med sin normalnivå.",
        icon=":material/check_circle:",
    )
else:
    st.subheader("Nya och eskalerande platser")
    picked = st.dataframe(
        people_table(flagged),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="hot_table",
    )
    chosen = flagged.iloc[picked.selection.rows[0]] if picked.selection.rows else None
    positions = lookups.places.set_index("id")
    is_place = flagged["kind"] == "plats"
    layer = pd.DataFrame(
        {
            "lat": flagged["place_id"].map(positions["lat"]).where(is_place, flagged["cell_lat"]),
            "lon": flagged["place_id"].map(positions["lon"]).where(is_place, flagged["cell_lon"]),
            "ratio": flagged["ratio"].clip(upper=10),
            "tooltip": [
                f"{r.name}: {r.status.lower()}, {r.recent} rapporter ({r.certainty.lower()})"
                for r in flagged.itertuples()
            ],
        }
    )
    box = (
        layer["lon"].min() - 0.06,
        layer["lat"].min() - 0.03,
        layer["lon"].max() + 0.06,
        layer["lat"].max() + 0.03,
    )

    boundary = municipality_boundary(ctx.municipality) if ctx.municipality else None
    layer_list = (
        maps.boundary_layer(boundary)
        + maps.area_layer(lookups.areas, {})
        + maps.hotspot_layer(layer)
    )
    st.pydeck_chart(
        maps.deck(layer_list, maps.view_for(box, height_px=420), ctx.settings.basemap),
        height=420,
        key="hot_map",
    )
    if chosen is not None and chosen["kind"] == "plats":
        place_id = int(chosen["place_id"])
        history = scope.with_window(Window(baseline.start, recent.end)).only_place(place_id)
        weekly = data.weekly_series(ctx.url, viewer, history)

        st.subheader(f"{chosen['name']}: rapporter per vecka")
        st.plotly_chart(
            charts.weekly_line(
                weekly, chosen["name"], [(recent.start, recent.end, f"senaste {weeks} veckorna")]
            ),
            config={"displayModeBar": False},
            key="hot_weekly",
        )
        tables.show(
            tables.incident_list(
                data.drill_down(ctx.url, viewer, scope.with_window(recent), place_id=place_id)
            )
        )
    elif chosen is not None:
        st.caption("Rutor saknar namngiven plats – se kartan för var de ligger.")
    else:
        st.caption("Markera en rad för att se platsens utveckling vecka för vecka.")

if not falling.empty:
    st.subheader("Tydligt minskande")
    tables.show(people_table(falling))

exports.export_buttons(
    ctx,
    actor,
    scope.with_window(recent),
    filters.describe(scope, lookups),
    "hotspots",
    {"Hot spots": people_table(flagged), "Minskande": people_table(falling)},
)
