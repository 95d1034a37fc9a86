"""Hot spots: places that are new or escalating against their own normal level."""

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild import fmt, geo, municipalities
from lagesbild.analysis import hotspots
from lagesbild.filters import Window
from lagesbild.fmt import md_escape
from lagesbild.ui import charts, context, data, exports, filters, maps, tables

ctx, actor = context.current()
st.title("Hot spots")
scope = filters.filter_bar(ctx, "hotspots")
lookups = data.lookups(ctx.url)
viewer = context.current_viewer()
DEFAULT_WEEKS = hotspots.Rule().recent_days // 7  # the rule the meeting and reports use

weeks = (
    st.segmented_control(
        "Jämför de senaste",
        [2, 4, 8],
        default=DEFAULT_WEEKS,
        format_func=lambda w: f"{w} veckorna",
        key="hot_weeks",
    )
    or DEFAULT_WEEKS
)
rule = hotspots.Rule(recent_days=7 * weeks)
recent, baseline = hotspots.windows(scope.window.end, rule)  # whole days, ending with the period

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

# The rule reads whole days ending with the period's last day: keyed by those days, the figures
# are computed once a day (and again when something new is reported).
result = data.hotspots(
    ctx.url,
    viewer=viewer,
    scope=scope.with_window(recent),
    rule=rule,
    lat=lookups.latitude,
    version=ctx.data_version,
)
flagged = hotspots.flagged(result)
falling = hotspots.falling(result)

st.caption(
    f"{md_escape(filters.describe(scope, lookups))} · senaste {weeks} veckorna jämfört med de "
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
    box = (
        flagged["lon"].min() - 0.06,
        flagged["lat"].min() - 0.03,
        flagged["lon"].max() + 0.06,
        flagged["lat"].max() + 0.03,
    )

    boundary = municipalities.boundary(ctx.municipality)
    keys = [*maps.BASE_KEYS, maps.HOTSPOT_KEY]
    view = maps.view_for(
        maps.covering(box, geo.bbox(boundary)), height_px=420, legend=maps.legend_size(keys)
    )
    layer_list = (
        maps.area_layer(lookups.areas, {})
        + maps.boundary_layer(boundary)
        + maps.hotspot_layer(flagged, view)
        + maps.names(
            lookups.areas,
            data.only_active(lookups.places),
            skip=set(flagged["name"]),
            view=view,
            hotspots=flagged,
        )
    )
    maps.show(
        maps.deck(layer_list, view, ctx.settings.basemap, boundary),
        height=420,
        key="hot_map",
        keys=keys,
    )
    if chosen is not None and chosen["kind"] == "plats":
        place_id = int(chosen["place_id"])
        history = scope.with_window(Window(baseline.start, recent.end)).only_place(place_id)
        weekly = data.weekly_series(ctx.url, viewer=viewer, scope=history, version=ctx.data_version)

        st.subheader(f"{md_escape(chosen['name'])}: rapporter per vecka")
        st.plotly_chart(
            charts.weekly_line(
                weekly, chosen["name"], [(recent.start, recent.end, f"senaste {weeks} veckorna")]
            ),
            config={"displayModeBar": False},
            key="hot_weekly",
        )
        tables.show(
            tables.incident_list(
                data.drill_down(
                    ctx.url,
                    viewer=viewer,
                    scope=scope.with_window(recent),
                    place_id=place_id,
                    version=ctx.data_version,
                )
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
