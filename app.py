"""Lägesbild – entry point. Routes only: page config, login gate, the role's pages."""

import streamlit as st

from lagesbild.ui import context, form_state, login, navigation, notices, shell, swedish
from lagesbild.ui.data import organisation_name

st.set_page_config(page_title="Lägesbild", page_icon="🛡️", layout="wide")
swedish.install()

ctx = context.app_context()
with shell.error_boundary():
    actor = login.login_gate(ctx)
    ctx = context.with_data_version(ctx)
    st.session_state[context.CONTEXT_KEY] = ctx
    form_state.begin(actor.user_id)
    page = navigation.navigation(actor.role)
    shell.sidebar(ctx, actor, organisation_name(ctx.url, actor.organisation_id))
    notices.show()
    page.run()
    login.run_completed()
