"""Lägesbild – entry point. Routes only: page config, login gate, the role's pages."""

import streamlit as st

from lagesbild.ui import context, forms, login, navigation, notices, shell, swedish
from lagesbild.ui.data import organisation_name

st.set_page_config(page_title="Lägesbild", page_icon="🛡️", layout="wide")
swedish.install()

ctx = context.app_context()
with shell.error_boundary():
    actor = login.login_gate(ctx)
    st.session_state[context.CONTEXT_KEY] = ctx
    page = navigation.navigation(actor.role)
    shell.sidebar(ctx, actor, organisation_name(ctx.url, actor.organisation_id))
    notices.show()
    forms.empty_pending()
    page.run()
    forms.remember_defaults()
    login.run_completed()
