"""Mönster: when incidents happen – weekday × hour of day, and the year wheel (årshjul)."""

import datetime as dt

import streamlit as st

from lagesbild import fmt
from lagesbild.analysis import patterns
from lagesbild.filters import Window
from lagesbild.fmt import md_escape
from lagesbild.ui import charts, context, data, exports, filters

ctx, actor = context.current()
st.title("Mönster")
scope = filters.filter_bar(ctx, "monster")
lookups = data.lookups(ctx.url)
viewer = context.current_viewer()

# The year wheel needs whole years: a short period is widened to the three years before its end.
if scope.window.days >= 365:
    year_scope, wheel_note = scope, f"för perioden ({scope.label.lower()})"
else:
    year_scope = scope.with_window(
        Window(scope.window.end - dt.timedelta(days=3 * 365), scope.window.end)
    )
    wheel_note = "för de tre senaste åren (perioden är kortare än ett år)"
pd_ = data.pattern_data(
    ctx.url, viewer=viewer, scope=scope, year_scope=year_scope, version=ctx.data_version
)
grid = patterns.grid(pd_["weekday_hour"])
total = int(grid.to_numpy().sum())

st.caption(f"{md_escape(filters.describe(scope, lookups))} · {fmt.integer(total)} händelser")
if total == 0:
    st.info(
        f"Inga händelser matchar urvalet ({md_escape(scope.label.lower())}). "
        "Prova en längre period "
        "eller ta bort några filter.",
        icon=":material/filter_alt_off:",
    )
else:
    for sentence in patterns.summary(pd_["weekday_hour"]):
        st.markdown(f"- {sentence}")
    st.subheader("Veckodag och tid på dygnet")
    weekdays = [d.capitalize() for d in fmt.WEEKDAYS]
    st.plotly_chart(
        charts.weekday_hour_heatmap(pd_["weekday_hour"], weekdays),
        config={"displayModeBar": False},
        key="heatmap",
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Per veckodag**")
        st.plotly_chart(
            charts.profile_bars(weekdays, grid.sum(axis=1).tolist(), "veckodag"),
            config={"displayModeBar": False},
            key="per_weekday",
        )
    with right:
        st.markdown("**Per timme**")
        st.plotly_chart(
            charts.profile_bars(
                [f"{h:02d}" for h in range(24)], grid.sum(axis=0).tolist(), "timme"
            ),
            config={"displayModeBar": False},
            key="per_hour",
        )

months = patterns.per_month(pd_["months"])
st.subheader("Årshjul")
st.caption(f"Genomsnittligt antal händelser per månad {wheel_note}.")
if months["years"].sum() == 0:
    st.info("Inga händelser att visa i årshjulet för urvalet.")
else:
    names = [m.capitalize() for m in fmt.MONTHS]
    st.plotly_chart(
        charts.year_wheel(names, months["average"].round(1).tolist(), "snitt per år"),
        config={"displayModeBar": False},
        key="wheel",
    )
    peak = months.loc[months["average"].idxmax()]
    low = months.loc[months["average"].idxmin()]
    st.markdown(
        f"Flest händelser i **{fmt.MONTHS[int(peak['month']) - 1]}** "
        f"({fmt.decimal(peak['average'])} i snitt), färst i "
        f"**{fmt.MONTHS[int(low['month']) - 1]}** ({fmt.decimal(low['average'])})."
    )

weekday_table = grid.copy()
weekday_table.index = [d.capitalize() for d in fmt.WEEKDAYS]
weekday_table.columns = [f"{h:02d}" for h in range(24)]
exports.export_buttons(
    ctx,
    actor,
    scope,
    filters.describe(scope, lookups),
    "monster",
    {"Veckodag × timme": weekday_table.reset_index(names="Veckodag")},
)
