"""Användare (admin): list, add, disable/enable and reset passwords."""

import pandas as pd
import streamlit as st

from lagesbild import auth, fmt, labels
from lagesbild.clock import utc_to_local
from lagesbild.errors import UserError, ValidationError
from lagesbild.fmt import md_escape
from lagesbild.models import Role
from lagesbild.ui import context, data, tables, write

ctx, actor = context.current()
st.title("Användare")

users = data.users(ctx.url)
orgs = data.organisations(ctx.url)

tables.show(
    pd.DataFrame(
        {
            "Användarnamn": users["username"],
            "Namn": users["display_name"],
            "Organisation": users["organisation"],
            "Roll": users["role"].map(labels.ROLE),
            "Status": users["active"].map({True: "Aktiv", False: "Avstängd"}),
            "Senast inloggad": users["last_login_at"].map(
                lambda v: fmt.datetime(utc_to_local(v)) if pd.notna(v) else "–"
            ),
        }
    )
)

new_password = st.session_state.pop("lb_new_password", None)
if new_password:
    st.success(
        f"Lösenord för **{md_escape(new_password[0])}**: `{new_password[1]}` – lämna det säkert "
        "till användaren. Det visas bara nu.",
        icon=":material/key:",
    )

add, change = st.columns(2, gap="large")
with add:
    st.subheader("Ny användare")
    with st.form("add_user"):
        username = st.text_input("Användarnamn", help="Små bokstäver, siffror, punkt, bindestreck")
        display_name = st.text_input("Visningsnamn", help="Gärna en rolltitel, t.ex. Kommunpolis")
        org_id = st.selectbox(
            "Organisation",
            orgs["id"].tolist(),
            format_func=dict(zip(orgs["id"], orgs["name"], strict=True)).get,
        )
        role = st.selectbox(
            "Roll", [r.value for r in Role], format_func=lambda r: labels.ROLE[Role(r)], index=2
        )
        submitted = st.form_submit_button("Lägg till", type="primary")
    if submitted:
        password = auth.generate_password()
        try:
            write.call(
                ctx,
                auth.create_user,
                actor,
                username=username,
                display_name=display_name,
                organisation_id=org_id,
                role=role,
                password=password,
            )
        except ValidationError as exc:
            write.field_errors(exc.problems)
        else:
            st.session_state["lb_new_password"] = (auth.normalise_username(username), password)
            st.rerun()

with change:
    st.subheader("Ändra användare")
    if users.empty:
        st.info("Inga användare.")
    else:
        chosen = st.selectbox("Användare", users["username"].tolist())
        row = users.set_index("username").loc[chosen]
        st.caption(
            f"{md_escape(row['display_name'])} · {md_escape(row['organisation'])} · "
            f"{'aktiv' if row['active'] else 'avstängd'}"
        )
        b1, b2 = st.columns(2)
        toggle = b1.button("Stäng av" if row["active"] else "Aktivera", key="toggle_active")
        reset = b2.button("Nytt lösenord", key="reset_password")
        try:
            if toggle:
                write.call(ctx, auth.set_active, actor, chosen, not row["active"])
                st.rerun()
            if reset:
                password = auth.generate_password()
                write.call(ctx, auth.reset_password, actor, chosen, password)
                st.session_state["lb_new_password"] = (chosen, password)
                st.rerun()
        except UserError as exc:
            st.error(md_escape(exc), icon=":material/error:")
