"""The six agenda steps of the meeting view, each one screen on the projector."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lagesbild import agenda, fmt, geo, labels, municipalities
from lagesbild.analysis import hotspots
from lagesbild.clock import local_now, local_today
from lagesbild.filters import Scope
from lagesbild.models import OPEN_ACTION_STATUSES, DecisionKind, OrganisationKind
from lagesbild.queries.minutes import FORUM_VIEW
from lagesbild.services import meetings
from lagesbild.ui import actions as action_ui
from lagesbild.ui import charts, data, form_state, live, maps
from lagesbild.ui import photos as photo_ui
from lagesbild.ui.meeting import BIG, View, header, in_callback, remember_state, run, table

EVENT_DAYS = 28
MAP_W, MAP_H = 760, 520  # step 1's map on a 1920×1080 projector (the right column)

# --- 1. new since the last meeting ----------------------------------------------------------


def step_new(view: View) -> None:
    left, right = st.columns([5, 4], gap="large")
    with left:
        new_figures(view)
    with right:
        picture = live.since_meeting(view.ctx.url, FORUM_VIEW, view.since, view.lat)
        scope = Scope(window=view.since, label="")
        md = data.map_data(view.ctx.url, FORUM_VIEW, scope, None, view.lookups.extent)
        boundary = municipalities.boundary(view.ctx.municipality)
        keys = [*maps.BASE_KEYS, maps.HOTSPOT_KEY]
        if md.mode == "punkter":
            keys += maps.group_keys(data.only_active(view.lookups.groups))
        else:
            keys.append(maps.Key("■", "#F03B20", "ruta, mörkare = fler händelser"))
        box = maps.covering(geo.bbox(boundary), view.lookups.extent, md.summary.extent)
        shown = maps.view_for(box, MAP_W, MAP_H, legend=maps.legend_size(keys))
        layers = maps.area_layer(view.lookups.areas, md.summary.area_counts)
        layers += maps.boundary_layer(boundary)
        if md.mode == "punkter":
            layers += maps.point_layer(md.points)
        else:
            layers += maps.cell_layer(md.summary.cells, md.summary.size)
        layers += maps.hotspot_layer(picture.hotspots, shown)
        reported = md.points["place"].value_counts().to_dict() if not md.points.empty else {}
        layers += maps.names(
            view.lookups.areas,
            data.only_active(view.lookups.places),
            reported,
            skip=set(picture.hotspots["name"]) if not picture.hotspots.empty else set(),
            view=shown,
            hotspots=picture.hotspots,
        )
        maps.show(
            maps.deck(layers, shown, view.ctx.settings.basemap, boundary),
            height=MAP_H,
            key="mote_map",
            keys=keys,
        )
        weeks = hotspots.window_name(picture.hotspot_rule)
        st.markdown(f"**Hot spots – nya och eskalerande platser, {weeks}**")
        if picture.hotspots.empty:
            st.markdown(f"Ingen plats sticker ut de {weeks} jämfört med sin normalnivå.")
        else:
            top = picture.hotspots.head(4)
            table(
                pd.DataFrame(
                    {
                        "Plats": top["name"],
                        "Status": top["status"],
                        f"Rapporter {weeks}": top["recent"].astype(int),
                        "Normalt": top["expected"].astype(float),
                    }
                ),
                hide_index=True,
            )
            if len(picture.hotspots) > 4:
                st.caption(f"… och {len(picture.hotspots) - 4} till på sidan Hot spots.")


def new_figures(view: View) -> None:
    url, window, lat = view.ctx.url, view.since, view.lat

    @st.fragment(run_every=view.ctx.settings.meeting_refresh_seconds)
    def figures() -> None:
        picture = live.since_meeting(url, FORUM_VIEW, window, lat)
        count, latest = live.reported_since(url, FORUM_VIEW, view.meeting["started_at"])
        m1, m2, m3 = st.columns(3)
        m1.metric(
            "Händelser sedan förra mötet",
            fmt.integer(picture.total),
            delta=f"{picture.total - picture.usual_total:+.0f} mot normalt",
            delta_color="inverse",
            border=True,
        )
        low, high = picture.usual_range
        m2.metric(
            "Normalt för perioden",
            fmt.decimal(picture.usual_total),
            delta=f"vanligen {fmt.integer(round(low))}–{fmt.integer(round(high))}",
            delta_color="off",
            delta_arrow="off",
            help="Genomsnittet för en lika lång period under året innan; vanligen = åtta "
            "perioder av tio det året låg där.",
            border=True,
        )
        m3.metric(
            "Hot spots",
            fmt.integer(len(picture.hotspots)),
            delta=hotspots.window_name(picture.hotspot_rule),
            delta_color="off",
            delta_arrow="off",
            help="Samma regel och fönster som sidan Hot spots, till och med i dag.",
            border=True,
        )
        groups = picture.groups.head(6)
        if groups.empty:
            st.markdown("Inga händelser sedan förra mötet.")
        else:
            st.plotly_chart(
                charts.versus_bar(
                    groups["group"],
                    groups["current"],
                    groups["usual"],
                    "Sedan förra mötet",
                    "Normalt",
                    font_size=BIG,
                    height=90 + 56 * len(groups),
                ),
                config={"displayModeBar": False, "staticPlot": True},
                theme=None,
                key="mote_groups",
            )
        areas = picture.areas.head(4)
        if not areas.empty:
            table(
                pd.DataFrame(
                    {
                        "Område": areas["area"],
                        "Sedan förra mötet": areas["current"].astype(int),
                        "Normalt": areas["usual"].astype(float),
                    }
                ),
                hide_index=True,
            )
        if count:
            newest = latest.iloc[0]
            where = next(
                (v for v in (newest["place"], newest["area"]) if isinstance(v, str) and v),
                "okänd plats",
            )
            st.markdown(
                f"**Nytt under mötet:** {fmt.md_escape(newest['category'])}, "
                f"{fmt.md_escape(where)} ({fmt.md_escape(newest['organisation'])}, "
                f"{fmt.short_datetime(newest['occurred_at'])})"
                + (f" och {count - 1} till" if count > 1 else "")
            )
            photo_ui.thumbnails(
                view.ctx, view.actor, incident_ids=latest["id"].tolist(), width=120, room=True
            )

    figures()


# --- 2. police and rescue service -----------------------------------------------------------


def step_police_rescue(view: View) -> None:
    orgs = view.lookups.orgs
    columns = st.columns(2, gap="large")
    for column, kind in zip(
        columns, (OrganisationKind.POLICE, OrganisationKind.RESCUE), strict=True
    ):
        ids = tuple(int(i) for i in orgs[orgs["kind"] == kind.value]["id"])
        with column:
            st.subheader(labels.ORGANISATION_KIND[kind])
            if not ids:
                st.markdown("Ingen organisation av den typen är med i forumet.")
                continue
            counts, latest = live.organisation_picture(view.ctx.url, FORUM_VIEW, view.since, ids)
            total, usual = int(counts["current"].sum()), float(counts["usual"].sum())
            st.metric(
                "Rapporter sedan förra mötet",
                fmt.integer(total),
                delta=f"normalt {fmt.decimal(usual)}",
                delta_color="off",
                delta_arrow="off",
                border=True,
            )
            top = counts.head(5)
            if top.empty:
                st.markdown("Inga rapporter sedan förra mötet.")
                continue
            st.plotly_chart(
                charts.versus_bar(
                    top["category"],
                    top["current"],
                    top["usual"],
                    "Sedan förra mötet",
                    "Normalt",
                    font_size=BIG,
                    height=90 + 44 * len(top),
                ),
                config={"displayModeBar": False, "staticPlot": True},
                theme=None,
                key=f"mote_org_{kind.value}",
            )
            table(
                pd.DataFrame(
                    {
                        "När": latest["occurred_at"].head(4).map(fmt.short_datetime),
                        "Vad": latest["category"].head(4),
                        "Var": latest["place"].fillna(latest["area"]).fillna("–").head(4),
                    }
                ),
                hide_index=True,
            )


# --- 3. follow-up of open actions -----------------------------------------------------------


def step_actions(view: View) -> None:
    today = local_today()
    all_actions = data.actions(view.ctx.url, today)
    open_ = all_actions[all_actions["status"].isin(OPEN_ACTION_STATUSES)]
    if open_.empty:
        st.markdown("Inga öppna åtgärder att följa upp.")
        return
    per_org = (
        open_.groupby("owner", as_index=False)
        .agg(open=("id", "size"), overdue=("overdue", "sum"))
        .sort_values(["overdue", "open", "owner"], ascending=[False, False, True])
    )
    left, right = st.columns([2, 5], gap="large")
    with left:
        st.metric(
            "Öppna åtgärder",
            fmt.integer(len(open_)),
            delta=f"{int(open_['overdue'].sum())} försenade",
            delta_color="off",
            delta_arrow="off",
            border=True,
        )
        table(
            pd.DataFrame(
                {
                    "Organisation": per_org["owner"],
                    "Öppna": per_org["open"].astype(int),
                    "Försenade": per_org["overdue"].astype(int),
                }
            ).head(9),
            hide_index=True,
        )
    with right:
        owner = st.segmented_control(
            "Organisation",
            per_org["owner"].tolist(),
            default=per_org["owner"].iloc[0],
            format_func=fmt.md_escape,
            key="mote_owner",
        )
        owner = owner or per_org["owner"].iloc[0]
        mine = open_[open_["owner"] == owner].sort_values(
            ["overdue", "due_date"], ascending=[False, True]
        )
        table(
            pd.DataFrame(
                {
                    "Åtgärd": mine["title"],
                    "Status": mine["status"].map(action_ui.STATUS),
                    "Klart senast": [
                        action_ui.due_text(d, late)
                        for d, late in zip(mine["due_date"], mine["overdue"], strict=True)
                    ],
                    "Plats": mine["place"].fillna(mine["area"]).fillna("–"),
                }
            ).head(7),
            hide_index=True,
        )
        if len(mine) > 7:
            st.caption(f"… och {len(mine) - 7} till på sidan Åtgärder.")
        if view.leading:
            titles = dict(zip(mine["id"], mine["title"], strict=True))
            picked = st.selectbox(
                "Uppdatera status för",
                list(titles),
                format_func=titles.get,
                key=f"mote_pick_{owner}",
            )
            loaded = data.action_details(view.ctx.url, int(picked)) if picked else None
            if loaded is not None:
                action_ui.status_changer(
                    view.ctx, view.actor, int(picked), loaded[0], prefix="mote_status_"
                )
        form_state.confirmation("mote_status_")  # also when the action is no longer listed


# --- 4. coming events and risk periods ------------------------------------------------------


def step_events(view: View) -> None:
    now = local_now()
    coming = data.events(view.ctx.url, now, now + dt.timedelta(days=EVENT_DAYS))
    st.caption(f"De närmaste fyra veckorna, till {fmt.date(now + dt.timedelta(days=EVENT_DAYS))}.")
    if coming.empty:
        st.markdown("Inga arrangemang eller riskperioder de närmaste fyra veckorna.")
        return
    table(
        pd.DataFrame(
            {
                "När": [
                    fmt.span(a, b, short=True)
                    for a, b in zip(coming["starts_at"], coming["ends_at"], strict=True)
                ],
                "Vad": coming["title"],
                "Typ": coming["kind"].map(labels.EVENT_KIND),
                "Var": coming["place"].fillna(coming["area"]).fillna("Hela kommunen"),
                "Påverkan": coming["expected_impact"].map(labels.IMPACT),
                "Åtgärder": coming["actions"].replace("", "–"),
            }
        ).head(10),
        hide_index=True,
    )
    if len(coming) > 10:
        st.caption(f"… och {len(coming) - 10} till på sidan Arrangemang.")


# --- 5. decisions ---------------------------------------------------------------------------


def step_decisions(view: View) -> None:
    decided = live.decisions(view.ctx.url, view.id)
    if view.leading:
        left, right = st.columns([3, 2], gap="large")
        with left:
            decision_forms(view)
    else:
        right = st.container()
    with right:
        st.markdown(f"**Beslut på mötet ({len(decided)})**")
        if decided.empty:
            st.markdown("Inga beslut ännu.")
            return
        kinds = {k.value: v for k, v in labels.DECISION_KIND.items()}
        table(
            pd.DataFrame(
                {
                    "Typ": decided["kind"].map(kinds),
                    "Beslut": decided["text"],
                    "Ansvarig / plats": decided["owner"]
                    .where(decided["owner"].notna(), decided["place"])
                    .fillna(decided["area"])
                    .fillna("–"),
                }
            ).tail(9),
            hide_index=True,
        )
        if view.leading:
            texts = dict(zip(decided["id"], decided["text"], strict=True))
            c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
            chosen = c1.selectbox(
                "Ta tillbaka ett beslut", list(texts), format_func=texts.get, key="mote_undo"
            )
            if c2.button("Ta tillbaka", key="mote_undo_go") and run(
                view, meetings.remove_decision, int(chosen), message="Beslutet är borttaget."
            ):
                st.rerun()


def decision_forms(view: View) -> None:
    focus, action, other = st.tabs(["Fokus eller hot spot", "Ny åtgärd", "Annat beslut"])
    lookups = view.lookups
    with focus:
        picture = live.since_meeting(view.ctx.url, FORUM_VIEW, view.since, view.lat)
        hot = [int(p) for p in picture.hotspots["place_id"].dropna()]
        places = data.only_active(lookups.places)
        names = dict(zip(places["id"], places["name"], strict=True))
        order = [p for p in hot if p in names] + [p for p in names if p not in hot]
        form_state.start(
            "mote_focus_",
            {"kind": DecisionKind.FOCUS_AREA.value, "place": None, "area": None, "text": ""},
        )
        kind = st.radio(
            "Typ av beslut",
            [DecisionKind.FOCUS_AREA.value, DecisionKind.HOT_SPOT.value],
            format_func={k.value: v for k, v in labels.DECISION_KIND.items()}.get,
            horizontal=True,
            key="mote_focus_kind",
        )
        c1, c2 = st.columns(2)
        place = c1.selectbox(
            "Plats",
            order,
            format_func=lambda p: names[p] + (" (hot spot nu)" if p in hot else ""),
            placeholder="Välj plats",
            key="mote_focus_place",
        )
        area = c2.selectbox(
            "eller område",
            lookups.areas["id"].tolist(),
            format_func=dict(zip(lookups.areas["id"], lookups.areas["name"], strict=True)).get,
            placeholder="Välj område",
            key="mote_focus_area",
        )
        text = st.text_input(
            "Beslut (frivilligt)",
            key="mote_focus_text",
            placeholder="T.ex. polisens närvaro kvällstid",
        )
        if st.button("Spara beslutet", type="primary", key="mote_focus_save") and run(
            view,
            meetings.add_decision,
            view.id,
            kind,
            text,
            place,
            None if place is not None else area,
            message="Beslutet är sparat.",
        ):
            form_state.empty_after_save("mote_focus_")
            st.rerun()
    with action:
        item = action_ui.form("mote_act_", lookups, compact=True, actor=view.actor)
        if st.button("Spara åtgärden", type="primary", key="mote_act_save") and run(
            view, meetings.add_action, view.id, item, message="Åtgärden är beslutad och sparad."
        ):
            form_state.empty_after_save("mote_act_")
            st.rerun()
    with other:
        form_state.field("mote_other_text", "")
        text = st.text_area("Beslut", key="mote_other_text", height=120)
        if st.button("Spara beslutet", type="primary", key="mote_other_save") and run(
            view,
            meetings.add_decision,
            view.id,
            DecisionKind.OTHER.value,
            text,
            message="Beslutet är sparat.",
        ):
            form_state.empty_after_save("mote_other_")
            st.rerun()


# --- 6. feedback and closing ----------------------------------------------------------------


def step_feedback(view: View) -> None:
    m = view.meeting
    if not view.leading:
        left, right = st.columns(2, gap="large")
        left.markdown("**Till rapportörerna**")
        left.text(m["feedback_reporters"] or "–")
        right.markdown("**Till ledningen**")
        right.text(m["feedback_leadership"] or "–")
        return
    for name in meetings.FEEDBACK_FIELDS:
        if st.session_state.get("mote_text_for") != view.id:
            st.session_state[f"mote_{name}"] = m[name]
    st.session_state["mote_text_for"] = view.id
    left, right = st.columns(2, gap="large")
    for column, name, label in [
        (left, "feedback_reporters", "Till rapportörerna – vad har hänt med det ni rapporterat?"),
        (right, "feedback_leadership", "Till ledningen – läget och vad forumet behöver"),
    ]:
        column.text_area(
            label,
            key=f"mote_{name}",
            height=170,
            on_change=lambda n=name: in_callback(
                view, meetings.save_text, view.id, n, st.session_state[f"mote_{n}"]
            ),
        )
    st.text_input(
        "Övriga anteckningar",
        key="mote_notes",
        on_change=lambda: in_callback(
            view, meetings.save_text, view.id, "notes", st.session_state["mote_notes"]
        ),
    )
    orgs = data.only_active(view.lookups.orgs)
    names = dict(zip(orgs["id"], orgs["short_name"], strict=True))
    if st.session_state.get("mote_attendance_for") != view.id:
        st.session_state["mote_attendance"] = [i for i in m["attendee_ids"] if i in names]
        st.session_state["mote_attendance_for"] = view.id
    st.multiselect(
        "Närvarande organisationer",
        list(names),
        format_func=names.get,
        key="mote_attendance",
        placeholder="Välj organisationer",
        on_change=lambda: in_callback(
            view, meetings.save_attendance, view.id, st.session_state["mote_attendance"]
        ),
    )
    st.caption("Texterna sparas när du lämnar rutan.")
    decided = live.decisions(view.ctx.url, view.id)
    c1, c2 = st.columns([2, 3], vertical_alignment="center")
    without = False
    if decided.empty:
        without = c2.checkbox("Mötet har inga beslut – avsluta ändå", key="mote_without_decisions")
    else:
        c2.markdown(f"{len(decided)} beslut tas med i protokollet.")
    if c1.button("Avsluta mötet och skapa protokoll", type="primary", key="mote_close"):
        save_texts(view)
        if run(
            view,
            meetings.close_meeting,
            view.id,
            view.ctx.forum_name,
            view.lat,
            without,
        ):
            st.session_state["mote_closed"] = view.id
            st.rerun()


def save_texts(view: View) -> None:
    """What is typed in the feedback boxes is saved before closing, even without leaving them."""
    for name in meetings.FEEDBACK_FIELDS:
        value = st.session_state.get(f"mote_{name}")
        if value is not None and value != view.meeting[name]:
            run(view, meetings.save_text, view.id, name, value)


STEPS = [step_new, step_police_rescue, step_actions, step_events, step_decisions, step_feedback]


def show(view: View) -> None:
    remember_state(view.ctx.url)
    header(view)
    st.subheader(agenda.heading(view.step))
    STEPS[view.step](view)
