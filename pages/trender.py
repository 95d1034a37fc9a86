"""Trender: counts over time by category group, area or place; comparisons; what rose and fell."""

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild import fmt
from lagesbild.analysis.changes import largest_changes
from lagesbild.filters import Window
from lagesbild.fmt import md_escape
from lagesbild.ui import charts, context, data, exports, filters, tables

ctx, actor = context.current()
st.title("Trender")
scope = filters.filter_bar(ctx, "trender")
lookups = data.lookups(ctx.url)
viewer = context.current_viewer()

left, right = st.columns(2)
default_bucket = "Vecka" if scope.window.days <= 200 else "Månad"
bucket_label = left.segmented_control(
    "Tidsindelning", ["Dag", "Vecka", "Månad"], default=default_bucket, key="trend_bucket"
)
bucket_label = bucket_label or default_bucket
bucket = {"Dag": "day", "Vecka": "week", "Månad": "month"}[bucket_label]
split_label = right.segmented_control(
    "Dela upp efter",
    ["Kategorigrupp", "Område", "Plats"],
    default="Kategorigrupp",
    key="trend_split",
)
split_label = split_label or "Kategorigrupp"
split = {"Kategorigrupp": "group", "Område": "area", "Plats": "place"}[split_label]

td = data.trend_data(
    ctx.url, viewer=viewer, scope=scope, bucket=bucket, split=split, version=ctx.data_version
)
cmp = td["compare"]
cats = lookups.categories.set_index("id")
current, previous, last_year = (int(cmp[c].sum()) for c in ("current", "previous", "last_year"))

st.caption(md_escape(filters.describe(scope, lookups)))
k1, k2, k3 = st.columns(3)
k1.metric(
    "Händelser i perioden",
    fmt.integer(current),
    delta=f"{current - previous:+d}",
    delta_description="mot föregående period",
    delta_color="inverse",
    border=True,
)
k2.metric("Föregående period", fmt.integer(previous), border=True)
k3.metric(
    "Samma period i fjol",
    fmt.integer(last_year),
    delta=f"{current - last_year:+d}",
    delta_description="i år mot i fjol",
    delta_color="inverse",
    border=True,
)

series = td["series"]
if current == 0:
    st.info(
        f"Inga händelser matchar urvalet ({md_escape(scope.label.lower())}). "
        "Prova en längre period "
        "eller ta bort några filter.",
        icon=":material/filter_alt_off:",
    )
else:
    if split == "group":
        series = series.assign(group=series["category"].map(cats["group_id"]))
        series = series.groupby(["bucket", "group"], as_index=False)["occurrences"].sum()
        names = data.names(lookups.groups)
        colours = data.names(lookups.groups, "colour")
        key = "group"
    else:
        frame = lookups.areas if split == "area" else lookups.places
        names = data.names(frame)
        colours, key = None, split
        top = series.groupby(split)["occurrences"].sum().nlargest(8).index
        if series[split].nunique() > 8:
            series = series.assign(**{split: series[split].where(series[split].isin(top), -2)})
            names[-2] = "Övriga"
            series = series.groupby(["bucket", split], as_index=False, dropna=False)[
                "occurrences"
            ].sum()
    st.subheader(f"Händelser per {bucket_label.lower()} och {split_label.lower()}")
    event = st.plotly_chart(
        charts.trend_bars(series, key, names, colours, bucket_label),
        on_select="rerun",
        selection_mode="points",
        key="trend_chart",
        config={"displayModeBar": False},
    )
    if bucket != "day":
        st.caption(
            f"Perioden är {fmt.date(scope.window.start)} – "
            f"{fmt.date(scope.window.end - dt.timedelta(seconds=1))}; den första och "
            f"sista staplen kan därför täcka en del av en {bucket_label.lower()}."
        )

    points = event.selection.points if event and event.selection else []

    if points:
        chosen = points[0]
        start = pd.Timestamp(chosen["x"]).to_pydatetime()
        end = {
            "day": start + dt.timedelta(days=1),
            "week": start + dt.timedelta(days=7),
            "month": (start + dt.timedelta(days=32)).replace(day=1),
        }[bucket]
        window = Window(max(start, scope.window.start), min(end, scope.window.end))
        value = chosen.get("customdata")
        value = value[0] if isinstance(value, list) else value
        kwargs = {}
        if value is not None and value >= 0:
            kwargs = {f"{key}_id": int(value)}
        label = names.get(value, "alla") if value is not None else "alla"
        st.subheader(
            f"Händelserna bakom: {md_escape(label)}, {bucket_label.lower()} från {fmt.date(start)}"
        )
        rows = data.drill_down(
            ctx.url,
            viewer=viewer,
            scope=scope.with_window(window),
            **kwargs,
            version=ctx.data_version,
        )
        tables.show(tables.incident_list(rows))
    else:
        st.caption("Klicka på en stapel för att se händelserna bakom den.")

    by_group = cmp.assign(group_id=cmp["category"].map(cats["group_id"]))
    by_group = by_group.groupby("group_id", as_index=False)[
        ["current", "previous", "last_year"]
    ].sum()
    by_group["name"] = by_group["group_id"].map(data.names(lookups.groups))
    st.subheader("Jämförelse per kategorigrupp")
    tables.show(
        tables.comparison(by_group.sort_values("current", ascending=False), "name", "Kategorigrupp")
    )

    by_place = (
        cmp.dropna(subset=["place"])
        .groupby("place", as_index=False)[["current", "previous", "last_year"]]
        .sum()
    )
    by_place["name"] = by_place["place"].map(data.names(lookups.places))
    rising, falling = largest_changes(by_place, n=10)
    st.subheader("Platser med störst förändring mot föregående period")
    up, down = st.columns(2)
    picked = None
    for column, frame, title, key_name in (
        (up, rising, "Ökat mest", "rising"),
        (down, falling, "Minskat mest", "falling"),
    ):
        with column:
            st.markdown(f"**{title}**")
            if frame.empty:
                st.caption("Ingen plats.")
                continue
            shown = pd.DataFrame(
                {
                    "Plats": frame["name"],
                    "Perioden": frame["current"],
                    "Föregående": frame["previous"],
                    "Förändring": frame["change"],
                }
            )
            selected = st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                on_select="rerun",
                selection_mode="single-row",
                key=f"change_{key_name}",
            )
            if selected.selection.rows:
                picked = frame.iloc[selected.selection.rows[0]]
    if picked is not None:
        st.subheader(f"Händelserna i perioden: {md_escape(picked['name'])}")
        tables.show(
            tables.incident_list(
                data.drill_down(
                    ctx.url,
                    viewer=viewer,
                    scope=scope,
                    place_id=int(picked["place"]),
                    version=ctx.data_version,
                )
            )
        )
    else:
        st.caption("Markera en plats i tabellerna för att se händelserna där.")

    summaries = {
        "Per kategorigrupp": tables.comparison(by_group, "name", "Kategorigrupp"),
        "Ökat mest": tables.comparison(rising, "name", "Plats"),
        "Minskat mest": tables.comparison(falling, "name", "Plats"),
    }
    exports.export_buttons(
        ctx, actor, scope, filters.describe(scope, lookups), "trender", summaries
    )
