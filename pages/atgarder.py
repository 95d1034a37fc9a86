"""Åtgärder: open actions per organisation at a glance, their follow-up and their effect."""

import pandas as pd
import streamlit as st

from lagesbild import fmt, labels, permissions
from lagesbild.clock import local_today
from lagesbild.fmt import md_escape
from lagesbild.models import OPEN_ACTION_STATUSES, ActionStatus
from lagesbild.services import actions, exports
from lagesbild.ui import actions as action_ui
from lagesbild.ui import context, data, form_state, write

ctx, actor = context.current()
lookups = data.lookups(ctx.url)
viewer = context.current_viewer()
today = local_today()
STATUS = action_ui.STATUS
FOCUS, TABLE_GENERATION = "lb_act_focus", "lb_act_table_generation"


def after_save(action_id: int | None) -> None:
    """Keep the action the user worked on open while the table is drawn anew."""
    st.session_state[TABLE_GENERATION] = st.session_state.get(TABLE_GENERATION, 0) + 1
    if action_id is not None:
        st.session_state[FOCUS] = action_id
    else:
        st.session_state.pop(FOCUS, None)


st.title("Åtgärder")

all_actions = data.actions(ctx.url, today)
open_ = all_actions[all_actions["status"].isin(OPEN_ACTION_STATUSES)]
k1, k2, k3, k4 = st.columns(4)
k1.metric("Öppna åtgärder", fmt.integer(len(open_)), border=True)
k2.metric(
    "Försenade",
    fmt.integer(int(open_["overdue"].sum())),
    help=f"Försenad: {labels.OVERDUE_MEANING}.",
    border=True,
)
done_this_year = all_actions[
    (all_actions["status"] == ActionStatus.DONE.value)
    & (pd.to_datetime(all_actions["closed_at"]).dt.year == today.year)
]
k3.metric(f"Klara {today.year}", fmt.integer(len(done_this_year)), border=True)
k4.metric("Medborgarlöften", fmt.integer(int(open_["citizen_promise"].sum())), border=True)

left, middle, right = st.columns([1.2, 2, 1.2])
whose = left.segmented_control(
    "Visa",
    ["Min organisation", "Alla"],
    key="act_whose",
    default="Alla"
    if permissions.is_chair(actor) or not permissions.may_write(actor)
    else "Min organisation",
)
statuses = middle.multiselect(
    "Status",
    list(STATUS),
    default=list(OPEN_ACTION_STATUSES),
    format_func=STATUS.get,
    key="act_status",
    placeholder="Välj status",
)
grouping = right.segmented_control(
    "Gruppera efter", ["Organisation", "Status"], default="Organisation", key="act_group"
)
shown = all_actions[all_actions["status"].isin(statuses)]
if whose == "Min organisation":
    shown = shown[shown["owner_org_id"] == actor.organisation_id]
by_owner = grouping != "Status"
shown = shown.sort_values(
    ["owner" if by_owner else "status", "overdue", "due_date"], ascending=[True, False, True]
)

picked_id = None
if shown.empty:
    st.info(
        "Inga åtgärder med valda statusar"
        + (" för din organisation." if whose == "Min organisation" else "."),
        icon=":material/checklist:",
    )
else:
    st.caption(
        f"⚠ = försenad ({labels.OVERDUE_MEANING}). Markera en rad för att följa upp åtgärden."
    )
    # After a save the rows may move (new status, new due date, a new action): the table is
    # drawn anew without a marked row, and the action just saved stays open below it.
    generation = st.session_state.get(TABLE_GENERATION, 0)
    picked_id = action_ui.pick_from_table(
        shown, by_owner, "act_table" + (f"_{generation}" if generation else "")
    )
if picked_id is None:
    picked_id = st.session_state.get(FOCUS)
else:
    st.session_state.pop(FOCUS, None)

if picked_id is not None:
    loaded = data.action_details(ctx.url, picked_id)
    if loaded is None:
        st.warning("Åtgärden finns inte längre.")
        st.stop()
    detail, history = loaded
    st.divider()
    st.subheader(md_escape(detail["title"]))
    st.markdown(action_ui.summary_line(detail))
    if detail["description"]:
        st.text(detail["description"])  # as typed: no Markdown from another user's text
    if detail["categories"]:
        st.caption(f"Kategorier: {md_escape(detail['categories'])}")
    if detail["evaluation_note"]:
        st.info(
            f"Utvärdering: {md_escape(detail['evaluation_note'])}", icon=":material/rate_review:"
        )
    action_ui.effect_panel(ctx, viewer, detail, today)
    if permissions.may_change_action(actor, detail["owner_org_id"]):
        with st.container(border=True):
            st.markdown("**Ändra status**")
            action_ui.status_changer(
                ctx, actor, picked_id, detail, on_saved=lambda: after_save(picked_id)
            )
        with st.expander("Redigera åtgärden", icon=":material/edit:"):
            action_ui.edit_form(
                ctx, actor, picked_id, detail, lookups, on_saved=lambda: after_save(picked_id)
            )
    elif permissions.may_write(actor):
        st.caption(permissions.ACTION_DENIED)
    st.markdown("**Historik**")
    action_ui.history_table(history)

if permissions.may_write(actor):
    with st.expander("Ny åtgärd", icon=":material/add_task:"):
        st.caption("Beskriv vad som ska göras på platsen – aldrig personer.")
        own = actor.organisation_id
        active = set(data.only_active(lookups.orgs)["id"])
        item = action_ui.form(
            "act_new_", lookups, {"owner": own if own in active else None}, actor=actor
        )
        form_state.field("act_new_status", OPEN_ACTION_STATUSES[0])
        initial = st.radio(
            "Status",
            list(OPEN_ACTION_STATUSES),
            format_func=STATUS.get,
            key="act_new_status",
            horizontal=True,
        )
        saving = st.button("Spara åtgärden", type="primary", key="act_new_save")
        if saving and write.attempt(ctx, actions.create_action, actor, item, initial).ok:
            after_save(picked_id)
            form_state.saved("act_new_", f"Åtgärden ”{item.title.strip()}” är sparad.")
        form_state.confirmation("act_new_")

st.subheader("Åtgärdsplan")
st.caption(
    "Alla föreslagna, beslutade och pågående åtgärder per område och organisation. Exporten loggas."
)
c1, c2 = st.columns(2)
c1.download_button(
    "Åtgärdsplan som Excel",
    lambda: exports.action_plan_file(ctx.engine, actor, "xlsx", ctx.forum_name, today),
    file_name=f"atgardsplan-{today}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table:",
    key="act_plan_xlsx",
    on_click="ignore",
)
c2.download_button(
    "Åtgärdsplan som PDF",
    lambda: exports.action_plan_file(ctx.engine, actor, "pdf", ctx.forum_name, today),
    file_name=f"atgardsplan-{today}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    key="act_plan_pdf",
    on_click="ignore",
)
