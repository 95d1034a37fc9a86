"""Översikt: this week against last, latest reports, open actions, next meeting."""

import datetime as dt

import streamlit as st

from lagesbild import fmt, labels
from lagesbild.clock import local_now
from lagesbild.fmt import md_escape
from lagesbild.ui import charts, context, data, tables

ctx, actor = context.current()
now = local_now().replace(second=0, microsecond=0)
figures = data.overview_figures(ctx.url, viewer=context.current_viewer(), now=now)
upcoming, previous = data.meeting_dates(ctx.url, now)

st.title("Översikt")
st.caption(
    f"{md_escape(ctx.forum_name)} · {fmt.long_date(now.date())} · {fmt.week_label(now.date())}"
)

weeks = figures["weeks"]
actions = figures["actions"]
this_week = int(weeks["this_week"].sum())
same_span = int(weeks["last_week_same_span"].sum())
last_week_day = now.date() - dt.timedelta(days=7)

c1, c2, c3, c4 = st.columns(4)
c1.metric(
    f"Händelser {fmt.week_label(now.date())} hittills",
    fmt.integer(this_week),
    delta=f"{this_week - same_span:+d}",
    delta_description="mot samma dagar förra veckan",
    delta_color="inverse",
    border=True,
)
c2.metric(
    f"Hela {fmt.week_label(last_week_day)}", fmt.integer(int(weeks["last_week"].sum())), border=True
)
c3.metric(
    "Öppna åtgärder",
    fmt.integer(int(actions["open"].sum())),
    delta=f"{int(actions['overdue'].sum())} försenade",
    delta_color="off",
    delta_arrow="off",
    help=f"Försenad: {labels.OVERDUE_MEANING}.",
    border=True,
)
if upcoming:
    when = upcoming["held_at"]
    label = "Möte pågår" if upcoming["status"] == "pagar" else "Nästa möte"
    c4.metric(
        label,
        fmt.short_datetime(when),
        delta=fmt.days_until(when.date(), now.date()),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
else:
    c4.metric("Nästa möte", "Inget planerat", border=True)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Denna vecka mot förra, per kategorigrupp")
    if this_week == 0 and same_span == 0:
        st.info("Inga händelser rapporterade den här eller förra veckan.")
    else:
        st.plotly_chart(
            charts.week_comparison_bar(
                weeks,
                f"{fmt.week_label(now.date())} hittills",
                f"Samma dagar {fmt.week_label(last_week_day)}",
            ),
            config={"displayModeBar": False},
        )
with right:
    st.subheader("Öppna åtgärder per organisation")
    if actions.empty:
        st.info("Inga öppna åtgärder.")
    else:
        st.plotly_chart(charts.open_actions_bar(actions), config={"displayModeBar": False})

st.subheader("Senast rapporterat")
if figures["latest"].empty:
    st.info("Inga händelser är rapporterade ännu.")
else:
    tables.show(tables.latest_incidents(figures["latest"]))

st.subheader("Kommande arrangemang och riskperioder (tre veckor)")
if figures["events"].empty:
    st.info("Inga arrangemang eller riskperioder de närmaste tre veckorna.")
else:
    tables.show(tables.events(figures["events"]))
if previous:
    st.caption(f"Förra mötet hölls {fmt.datetime(previous)}.")
