"""Mitt konto: who I am, and changing my password (which logs out my other sessions)."""

import streamlit as st

from lagesbild import auth, labels
from lagesbild.errors import ValidationError
from lagesbild.fmt import md_escape
from lagesbild.models import Role
from lagesbild.ui import context, data, login, write

ctx, actor = context.current()

st.title("Mitt konto")
st.markdown(
    f"**{md_escape(actor.display_name)}** · användarnamn `{actor.username}` · "
    f"{md_escape(data.organisation_name(ctx.url, actor.organisation_id))} · "
    f"{labels.ROLE[Role(actor.role)]}"
)

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
if submitted:
    try:
        write.call(ctx, auth.change_password, actor, current, new, repeat)
    except ValidationError as exc:
        write.field_errors(exc.problems)
    else:
        login.renew_session()
        st.success(
            "Lösenordet är bytt. Dina andra inloggningar är utloggade.",
            icon=":material/check_circle:",
        )
