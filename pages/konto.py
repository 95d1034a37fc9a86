"""Mitt konto: who I am, what e-mail I receive, and changing my password (which logs out my
other sessions)."""

import streamlit as st

from lagesbild import auth, labels
from lagesbild.fmt import md_escape
from lagesbild.models import Role
from lagesbild.services import mail
from lagesbild.ui import context, data, login, write

ctx, actor = context.current()

st.title("Mitt konto")
st.markdown(
    f"**{md_escape(actor.display_name)}** · användarnamn `{actor.username}` · "
    f"{md_escape(data.organisation_name(ctx.url, actor.organisation_id))} · "
    f"{labels.ROLE[Role(actor.role)]}"
)

st.subheader("E-post")
address, receiving = write.read(ctx, mail.choices, actor.user_id)
if ctx.settings.smtp is None:
    st.caption("E-post är inte påslagen i forumet ännu; dina val gäller när den slås på.")
if address:
    st.caption(f"Vi skickar till {md_escape(address)}. Ändra adressen hos forumets administratör.")
else:
    st.caption("Du har ingen e-postadress. Be forumets administratör lägga till den.")
with st.form("mail_choices"):
    st.markdown("Skicka e-post till mig när:")
    wanted = {k for k, label in mail.KINDS.items() if st.checkbox(label, value=k in receiving)}
    chosen = st.form_submit_button("Spara val")
if chosen and write.attempt(ctx, mail.set_choices, actor.user_id, wanted).ok:
    st.success("Dina val är sparade.", icon=":material/check_circle:")

st.subheader("Byt lösenord")
st.caption(
    f"Minst {auth.MIN_PASSWORD_LENGTH} tecken. När du byter lösenord loggas du ut på "
    "alla andra enheter."
)
with st.form("change_password"):
    current = st.text_input("Nuvarande lösenord", type="password")
    new = st.text_input("Nytt lösenord", type="password")
    repeat = st.text_input("Nytt lösenord igen", type="password")
    submitted = st.form_submit_button("Byt lösenord", type="primary")
if submitted and write.attempt(ctx, auth.change_password, actor, current, new, repeat).ok:
    login.renew_session()
    st.success(
        "Lösenordet är bytt. Dina andra inloggningar är utloggade.",
        icon=":material/check_circle:",
    )
