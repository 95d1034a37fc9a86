"""Kvartal: the periodic summary leadership reads – a quarter, tertial or year against the
period before and the same period last year – with the report and the lägesbild och
åtgärdsplan to download."""

import streamlit as st

from lagesbild.clock import local_today
from lagesbild.fmt import md_escape
from lagesbild.ui import context, data
from lagesbild.ui import summary as summary_ui

ctx, actor = context.current()
viewer = context.current_viewer()
lookups = data.lookups(ctx.url)
today = local_today()

st.title("Kvartal")
first = data.first_incident(ctx.url, viewer=viewer, version=ctx.data_version)
period = summary_ui.period_picker(today, first.date() if first else None)
summary = data.summary(
    ctx.url,
    viewer=viewer,
    period=period,
    lat=lookups.latitude,
    today=today,
    version=ctx.data_version,
)
st.caption(
    f"{md_escape(ctx.forum_name)} · {summary.label} · jämförs med "
    f"{period.previous_label()} och samma "
    "period i fjol."
)
summary_ui.downloads(ctx, actor, summary)
summary_ui.key_figures(summary)
summary_ui.summary_text(summary)
summary_ui.charts_and_tables(summary, lookups)
summary_ui.actions_and_risks(summary)
