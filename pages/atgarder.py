"""Åtgärder: open actions per organisation at a glance, their follow-up and their effect."""

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild import fmt, labels
from lagesbild.analysis import effect
from lagesbild.clock import local_today, utc_to_local
from lagesbild.errors import ConflictError, UserError, ValidationError
from lagesbild.models import ActionStatus
from lagesbild.services import actions, exports
from lagesbild.ui import charts, context, data, forms, write

ctx, actor = context.current()
lookups = data.lookups(ctx.url)
viewer = context.current_viewer()
today = local_today()
STATUS = {k.value: v for k, v in labels.ACTION_STATUS.items()}
TYPES = {k.value: v for k, v in labels.ACTION_TYPE.items()}
HORIZONS = {k.value: v for k, v in labels.HORIZON.items()}
orgs = data.only_active(lookups.orgs)
org_names = dict(zip(lookups.orgs["id"], lookups.orgs["short_name"], strict=True))

st.title("Åtgärder")
message = st.session_state.pop("lb_action_saved", None)
if message:
    st.success(message, icon=":material/check_circle:")

all_actions = data.actions(ctx.url, today)
open_ = all_actions[all_actions["status"].isin(actions.OPEN)]
k1, k2, k3, k4 = st.columns(4)
k1.metric("Öppna åtgärder", fmt.integer(len(open_)), border=True)
k2.metric("Försenade", fmt.integer(int(open_["overdue"].sum())), border=True)
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
    default="Alla" if actor.is_chair or not actor.can_write else "Min organisation",
)
statuses = middle.multiselect(
    "Status",
    list(STATUS),
    default=list(actions.OPEN),
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
group_col = "owner" if grouping != "Status" else "status"
shown = shown.sort_values([group_col, "overdue", "due_date"], ascending=[True, False, True])

if shown.empty:
    st.info(
        "Inga åtgärder med valda statusar"
        + (" för din organisation." if whose == "Min organisation" else "."),
        icon=":material/checklist:",
    )
    picked_id = None
else:
    table = pd.DataFrame(
        {
            "Organisation" if group_col == "owner" else "Status": shown[group_col]
            if group_col == "owner"
            else shown["status"].map(STATUS),
            "Åtgärd": shown["title"],
            "Status" if group_col == "owner" else "Organisation": shown["status"].map(STATUS)
            if group_col == "owner"
            else shown["owner"],
            "Klart senast": [
                ("⚠ " if late else "") + (fmt.date(d) if pd.notna(d) else "–")
                for d, late in zip(shown["due_date"], shown["overdue"], strict=True)
            ],
            "Plats/område": shown["place"].fillna(shown["area"]).fillna("–"),
            "Typ": shown["action_type"].map(TYPES),
            "Medborgarlöfte": shown["citizen_promise"].map({True: "Ja", False: ""}),
        }
    )
    st.caption(
        "⚠ = försenad (klart-datumet har passerats). Markera en rad för att följa upp åtgärden."
    )
    picked = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=360,
        on_select="rerun",
        selection_mode="single-row",
        key="act_table",
    )
    picked_id = int(shown.iloc[picked.selection.rows[0]]["id"]) if picked.selection.rows else None


def action_form(prefix: str, values: dict | None) -> actions.ActionInput:
    """The fields of an action; `values` fills them when another action is opened."""
    if values is not None and st.session_state.get(f"{prefix}loaded") != values.get("key"):
        forms.clear(prefix)
        st.session_state.update({f"{prefix}{k}": v for k, v in values.items() if k != "key"})
        st.session_state[f"{prefix}loaded"] = values.get("key")
    for name in ("owner", "place", "area", "start", "due"):
        st.session_state.setdefault(f"{prefix}{name}", None)
    title = st.text_input("Rubrik", key=f"{prefix}title", max_chars=200)
    description = st.text_area("Beskrivning", key=f"{prefix}description", height=80)
    c1, c2 = st.columns(2)
    owner = c1.selectbox(
        "Ansvarig organisation",
        orgs["id"].tolist(),
        key=f"{prefix}owner",
        format_func=org_names.get,
        placeholder="Välj",
    )
    role = c2.text_input(
        "Ansvarig roll", key=f"{prefix}role", placeholder="T.ex. driftchef – en roll, inte ett namn"
    )
    c1, c2 = st.columns(2)
    place = c1.selectbox(
        "Plats",
        lookups.places["id"].tolist(),
        key=f"{prefix}place",
        format_func=dict(zip(lookups.places["id"], lookups.places["name"], strict=True)).get,
        placeholder="Ingen särskild plats",
    )
    area = c2.selectbox(
        "Område",
        lookups.areas["id"].tolist(),
        key=f"{prefix}area",
        format_func=dict(zip(lookups.areas["id"], lookups.areas["name"], strict=True)).get,
        placeholder="Följer platsen",
    )
    c1, c2, c3, c4 = st.columns(4)
    horizon = c1.radio("Sikt", list(HORIZONS), key=f"{prefix}horizon", format_func=HORIZONS.get)
    kind = c2.selectbox("Typ", list(TYPES), key=f"{prefix}type", format_func=TYPES.get)
    start = c3.date_input("Start", key=f"{prefix}start", format="YYYY-MM-DD")
    due = c4.date_input("Klart senast", key=f"{prefix}due", format="YYYY-MM-DD")
    cats = data.only_active(lookups.categories)
    categories = st.multiselect(
        "Kategorier som åtgärden ska påverka",
        cats["id"].tolist(),
        key=f"{prefix}categories",
        placeholder="Alla kategorier",
        format_func=dict(zip(cats["id"], cats["group"] + " – " + cats["name"], strict=True)).get,
    )
    promise = st.checkbox("Medborgarlöfte", key=f"{prefix}promise")
    return actions.ActionInput(
        title=title,
        description=description,
        owner_org_id=owner,
        responsible_role=role,
        place_id=place,
        area_id=area,
        horizon=horizon,
        action_type=kind,
        start_date=start,
        due_date=due,
        category_ids=categories,
        citizen_promise=promise,
        evaluation_note=st.session_state.get(f"{prefix}evaluation", "") or "",
    )


def conflict(exc: ConflictError) -> None:
    st.error(str(exc), icon=":material/sync_problem:")
    if exc.changes:
        st.dataframe(
            pd.DataFrame(
                {
                    "Uppgift": list(exc.changes),
                    "När du öppnade den": [str(a) for a, _ in exc.changes.values()],
                    "Nu": [str(b) for _, b in exc.changes.values()],
                }
            ),
            hide_index=True,
        )


if picked_id is not None:
    loaded = data.action_details(ctx.url, picked_id)
    if loaded is None:
        st.warning("Åtgärden finns inte längre.")
        st.stop()
    detail, history = loaded
    may = actions.may_change(actor, detail["owner_org_id"])
    st.divider()
    st.subheader(detail["title"])
    st.markdown(
        f"**{STATUS[detail['status']]}**"
        + (" · :red[försenad]" if detail["overdue"] else "")
        + f" · {detail['owner']}"
        + (f" ({detail['responsible_role']})" if detail["responsible_role"] else "")
        + f" · klart senast {fmt.date(detail['due_date'])}"
        + (
            f" · beslutad på mötet {fmt.date(detail['decided_at'])}"
            if pd.notna(detail["decided_at"])
            else ""
        )
    )
    if detail["description"]:
        st.markdown(detail["description"])
    if detail["categories"]:
        st.caption(f"Kategorier: {detail['categories']}")
    if detail["evaluation_note"]:
        st.info(f"Utvärdering: {detail['evaluation_note']}", icon=":material/rate_review:")

    # effect follow-up
    closed_at = detail["closed_at"]
    if (
        detail["status"] == ActionStatus.DONE.value
        and pd.notna(closed_at)
        and (pd.notna(detail["place_id"]) or pd.notna(detail["area_id"]))
    ):
        start = detail["start_date"] if pd.notna(detail["start_date"]) else None
        before, after = effect.windows(start, closed_at, today)
        counts, days = data.action_effect(
            ctx.url,
            viewer,
            int(detail["place_id"]) if pd.notna(detail["place_id"]) else None,
            None if pd.notna(detail["place_id"]) else int(detail["area_id"]),
            tuple(detail["category_ids"]),
            before,
            after,
        )
        result = effect.evaluate(**counts, after_days=after.days)
        with st.container(border=True):
            st.markdown(f"#### Effekt: {result.verdict}")
            st.markdown(result.explanation)
            st.caption(
                f"Före: {fmt.date(before.start)} – {fmt.date(before.end - dt.timedelta(1))} "
                f"({counts['treated_before']} rapporter på platsen, "
                f"{counts['control_before']} i resten av kommunen). Efter: "
                f"{fmt.date(after.start)} – {fmt.date(after.end - dt.timedelta(1))} "
                f"({counts['treated_after']} respektive {counts['control_after']}). "
                "Jämförelsen räknar åtgärdens kategorier och tar hänsyn till hur resten av "
                "kommunen utvecklades under samma veckor."
            )
            if not days.empty:
                days["week"] = pd.to_datetime(days["day"].astype("int64"), unit="D")
                days["week"] = days["week"] - pd.to_timedelta(days["week"].dt.day_of_week, unit="D")
                weeks = days.groupby("week", as_index=False)[["here", "elsewhere"]].sum()
                st.plotly_chart(
                    charts.effect_chart(weeks, before, after),
                    config={"displayModeBar": False},
                    key="act_effect",
                )

    if may:
        allowed = sorted(actions.TRANSITIONS[detail["status"]], key=list(STATUS).index)
        with st.container(border=True):
            st.markdown("**Ändra status**")
            c1, c2 = st.columns([1, 2])
            new_status = c1.selectbox(
                "Ny status", allowed, format_func=STATUS.get, key=f"act_new_status_{picked_id}"
            )
            note = c2.text_input(
                "Kommentar", key=f"act_note_{picked_id}", placeholder="Vad har hänt?"
            )
            evaluation = None
            if new_status in actions.CLOSED:
                evaluation = st.text_area(
                    "Utvärdering – fungerade åtgärden?",
                    value=detail["evaluation_note"] or "",
                    key=f"act_eval_{picked_id}",
                )
            if st.button("Spara status", type="primary", key=f"act_status_save_{picked_id}"):
                try:
                    write.call(
                        ctx,
                        actions.change_status,
                        actor,
                        picked_id,
                        detail["version"],
                        new_status,
                        note,
                        evaluation,
                    )
                except ConflictError as exc:
                    conflict(exc)
                except ValidationError as exc:
                    forms.problems(exc.problems)
                else:
                    st.session_state["lb_action_saved"] = (
                        f"”{detail['title']}” är nu {STATUS[new_status].lower()}."
                    )
                    st.rerun()
        with st.expander("Redigera åtgärden", icon=":material/edit:"):
            values = {
                "key": (picked_id, detail["version"]),
                "title": detail["title"],
                "description": detail["description"],
                "owner": detail["owner_org_id"],
                "role": detail["responsible_role"],
                "place": int(detail["place_id"]) if pd.notna(detail["place_id"]) else None,
                "area": int(detail["area_id"]) if pd.notna(detail["area_id"]) else None,
                "horizon": detail["horizon"],
                "type": detail["action_type"],
                "start": detail["start_date"] if pd.notna(detail["start_date"]) else None,
                "due": detail["due_date"] if pd.notna(detail["due_date"]) else None,
                "categories": detail["category_ids"],
                "promise": bool(detail["citizen_promise"]),
                "evaluation": detail["evaluation_note"],
            }
            item = action_form("act_edit_", values)
            if st.button("Spara ändringar", type="primary", key="act_edit_save"):
                seen = {
                    "title": detail["title"],
                    "description": detail["description"],
                    "owner_org_id": detail["owner_org_id"],
                    "status": detail["status"],
                    "due_date": fmt.date(detail["due_date"])
                    if pd.notna(detail["due_date"])
                    else None,
                }
                try:
                    write.call(
                        ctx,
                        actions.update_action,
                        actor,
                        picked_id,
                        detail["version"],
                        item,
                        seen=seen,
                    )
                except ConflictError as exc:
                    conflict(exc)
                except ValidationError as exc:
                    forms.problems(exc.problems)
                else:
                    st.session_state["lb_action_saved"] = "Ändringarna är sparade."
                    st.rerun()
    elif actor.can_write:
        st.caption(
            "Bara den ansvariga organisationen, samordnare och administratörer kan ändra åtgärden."
        )
    st.markdown("**Historik**")
    st.dataframe(
        pd.DataFrame(
            {
                "När": history["changed_at"].map(lambda v: fmt.datetime(utc_to_local(v))),
                "Från": history["from_status"].map(lambda s: STATUS.get(s, "–") if s else "–"),
                "Till": history["to_status"].map(STATUS),
                "Kommentar": history["note"].fillna(""),
                "Av": history["username"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )

if actor.can_write:
    with st.expander("Ny åtgärd", icon=":material/add_task:"):
        st.caption("Beskriv vad som ska göras på platsen – aldrig personer.")
        if "act_new_owner" not in st.session_state and actor.organisation_id in set(orgs["id"]):
            st.session_state["act_new_owner"] = actor.organisation_id
        item = action_form("act_new_", None)
        initial = st.radio(
            "Status",
            list(actions.OPEN),
            format_func=STATUS.get,
            key="act_new_status",
            horizontal=True,
        )
        if st.button("Spara åtgärden", type="primary", key="act_new_save"):
            try:
                write.call(ctx, actions.create_action, actor, item, initial)
            except ValidationError as exc:
                forms.problems(exc.problems)
            except UserError as exc:
                st.error(str(exc), icon=":material/block:")
            else:
                forms.clear("act_new_")
                st.session_state["lb_action_saved"] = f"Åtgärden ”{item.title.strip()}” är sparad."
                st.rerun()

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
