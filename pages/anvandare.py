"""Användare (admin): list, add (with an invitation by e-mail when e-mail is on), change
addresses, disable/enable, and new passwords or invitations."""

import pandas as pd
import streamlit as st

from lagesbild import auth, fmt, labels
from lagesbild.clock import utc_to_local
from lagesbild.fmt import md_escape
from lagesbild.models import Role
from lagesbild.services import mail
from lagesbild.ui import context, data, notices, tables, write

ctx, actor = context.current()
st.title("Användare")

users = data.users(ctx.url)
orgs = data.organisations(ctx.url)
mail_on = ctx.settings.smtp is not None
if ctx.settings.smtp_error:
    st.error(
        f"E-post är inte påslagen: {md_escape(ctx.settings.smtp_error)} Ingen e-post skickas.",
        icon=":material/mail:",
    )
elif mail_on:
    st.caption(
        f"E-post skickas via {md_escape(ctx.settings.smtp.host)} av `lagesbild notify`: "
        f"{write.read(ctx, mail.outbox_summary)}."
    )
else:
    st.info(
        "E-post är inte påslagen (LAGESBILD_SMTP_HOST saknas): ingen e-post skickas, och nya "
        "användare får ett lösenord som du lämnar över. Se docs/email.md.",
        icon=":material/mail:",
    )

tables.show(
    pd.DataFrame(
        {
            "Användarnamn": users["username"],
            "Namn": users["display_name"],
            "Organisation": users["organisation"],
            "Roll": users["role"].map(labels.ROLE),
            "E-post": users["email"].fillna("–"),
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
            format_func=data.names(orgs).get,
        )
        role = st.selectbox(
            "Roll", [r.value for r in Role], format_func=lambda r: labels.ROLE[Role(r)], index=2
        )
        address = st.text_input(
            "E-post",
            key="new_user_email",
            help="Inbjudan skickas hit; användaren väljer själv sitt lösenord"
            if mail_on
            else "För aviseringar när e-post slås på",
        )
        submitted = st.form_submit_button("Lägg till", type="primary")
    if submitted:
        # with e-mail on, the user chooses their own password through an invitation
        password = None if mail_on else auth.generate_password()
        created = write.attempt(
            ctx,
            auth.create_user,
            actor,
            username=username,
            display_name=display_name,
            organisation_id=org_id,
            role=role,
            password=password,
            email=address,
        )
        if created.ok:
            if password is None:
                notices.flash(f"Inbjudan skickas till {auth.normalise_email(address)}.")
            else:
                st.session_state["lb_new_password"] = (
                    auth.normalise_username(username),
                    password,
                )
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
        current = row["email"] if isinstance(row["email"], str) else ""
        with st.form("user_email"):
            new_address = st.text_input("E-post", value=current, key=f"email_{chosen}")
            save_address = st.form_submit_button("Spara e-post")
        b1, b2 = st.columns(2)
        toggle = b1.button("Stäng av" if row["active"] else "Aktivera", key="toggle_active")
        invite = mail_on and bool(current)
        reset = b2.button("Skicka ny inbjudan" if invite else "Nytt lösenord", key="reset_password")
        if save_address and write.attempt(ctx, auth.set_email, actor, chosen, new_address).ok:
            notices.flash("E-postadressen är sparad.")
            st.rerun()
        if toggle and write.attempt(ctx, auth.set_active, actor, chosen, not row["active"]).ok:
            st.rerun()
        if reset and invite and write.attempt(ctx, auth.invite, actor, chosen).ok:
            notices.flash(f"En ny inbjudan skickas till {current}; den förra slutar gälla.")
            st.rerun()
        elif reset and not invite:
            password = auth.generate_password()
            if write.attempt(ctx, auth.reset_password, actor, chosen, password).ok:
                st.session_state["lb_new_password"] = (chosen, password)
                st.rerun()
