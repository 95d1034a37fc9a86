"""Otrygg plats: report a place that feels unsafe, or a whole safety walk."""

import streamlit as st

from lagesbild import fmt, municipalities
from lagesbild.services import observations
from lagesbild.ui import context, data, form_state, forms, tables, write
from lagesbild.ui import photos as photo_ui

ctx, actor = context.current()
lookups = data.lookups(ctx.url)
boundary = municipalities.boundary(ctx.municipality)
REASONS = list(forms.UNSAFE_REASONS)

st.title("Otrygg plats")
st.caption(
    "Rapportera en plats som känns otrygg och varför – eller för in en hel "
    "trygghetsvandring med alla platser ni stannade vid. Det här är inte en "
    "polisanmälan."
)
mode = (
    st.segmented_control(
        "Vad vill du rapportera",
        ["En plats", "En trygghetsvandring"],
        default="En plats",
        key="lb_obs_kind",
    )
    or "En plats"
)


def point_inputs(prefix: str) -> observations.ObservationInput:
    form_state.start(prefix, {"reason": None, "description": "", "remedy": ""})
    reason = st.selectbox(
        "Varför känns platsen otrygg",
        REASONS,
        key=f"{prefix}reason",
        format_func=forms.UNSAFE_REASONS.get,
        placeholder="Välj orsak",
    )
    place, lat, lon = forms.location_picker(
        prefix, lookups, ctx.settings.basemap, boundary, ctx.municipality or ""
    )
    description = st.text_area(
        "Beskrivning",
        key=f"{prefix}description",
        max_chars=1000,
        height=80,
        placeholder="Hur ser det ut på platsen?",
    )
    remedy = st.text_area(
        "Förslag på åtgärd",
        key=f"{prefix}remedy",
        max_chars=1000,
        height=80,
        placeholder="T.ex. byt armatur, beskär buskarna",
    )
    return observations.ObservationInput(
        reason=reason,
        place_id=place,
        lat=lat,
        lon=lon,
        description=description,
        proposed_remedy=remedy,
    )


if mode == "En plats":
    P = "obs_"
    org_id = forms.organisation_picker(P, lookups, actor)
    with st.container(border=True):
        item = point_inputs(P)
        observed_at = forms.when_input(P, "Besökt")
    with st.container(border=True):
        pictures = photo_ui.photo_input(P, P)
    if st.button("Spara otrygg plats", type="primary", key=f"{P}save"):
        if pictures is None:
            forms.problems({"photo": photo_ui.UNREADABLE})
        elif write.attempt(
            ctx,
            observations.create_observation,
            actor,
            item,
            observed_at,
            organisation_id=org_id,
            photos=pictures,
        ).ok:
            photo_ui.empty_after_save(P)
            form_state.saved(P, "Tack! Platsen är sparad och syns på kartan. Formuläret är tömt.")
    form_state.confirmation(P)
else:
    P = "walk_"
    orgs = data.only_active(lookups.orgs)
    form_state.start(P, {"title": "", "area": None, "participants": [], "route": [], "n": 1})
    org_id = forms.organisation_picker(P, lookups, actor)
    title = st.text_input(
        "Rubrik", key=f"{P}title", placeholder="T.ex. Trygghetsvandring Höllvikens centrum"
    )
    left, right = st.columns(2)
    area = left.selectbox(
        "Område",
        lookups.areas["id"].tolist(),
        key=f"{P}area",
        format_func=data.names(lookups.areas).get,
        placeholder="Välj område",
    )
    participants = right.multiselect(
        "Deltagande organisationer",
        orgs["id"].tolist(),
        key=f"{P}participants",
        placeholder="Välj organisationer",
        format_func=data.names(orgs, "short_name").get,
    )
    walked_at = forms.when_input(P, "Genomförd")
    route = st.multiselect(
        "Rutt (platserna i den ordning ni gick)",
        lookups.places["id"].tolist(),
        key=f"{P}route",
        placeholder="Välj platser i ordning",
        format_func=data.names(lookups.places).get,
    )
    count = st.session_state[f"{P}n"]
    points = []
    for i in range(count):
        with st.container(border=True):
            st.markdown(f"**Punkt {i + 1}**")
            points.append(point_inputs(f"{P}{i}_"))
    send = forms.more_or_fewer(P, count, "Lägg till en punkt")
    if send.button("Spara trygghetsvandringen", type="primary", key=f"{P}save"):
        walk = observations.WalkInput(
            title=title,
            area_id=area,
            walked_at=walked_at,
            participants=participants,
            route=route,
            points=points,
        )
        if write.attempt(
            ctx, observations.create_safety_walk, actor, walk, organisation_id=org_id
        ).ok:
            form_state.saved(
                P, f"Tack! Trygghetsvandringen är sparad med {fmt.integer(len(points))} punkter."
            )
    form_state.confirmation(P)


st.subheader("Otrygga platser som inte är åtgärdade")
recent = data.open_observations(ctx.url)
if recent.empty:
    st.info("Inga otrygga platser är rapporterade.")
else:
    tables.show(tables.observations(recent), height=320)
