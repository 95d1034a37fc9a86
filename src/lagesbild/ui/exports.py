"""Download buttons for the current selection (files are made on click and audited)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lagesbild.actor import Actor
from lagesbild.filters import Scope
from lagesbild.services import exports
from lagesbild.ui.context import AppContext, current_viewer


def export_buttons(
    ctx: AppContext,
    actor: Actor,
    scope: Scope,
    description: str,
    name: str,
    summaries: dict[str, pd.DataFrame] | None = None,
) -> None:
    viewer = current_viewer()
    with st.expander("Exportera urvalet", icon=":material/download:"):
        st.caption(
            "Filen innehåller händelserna i urvalet"
            + (" och sidans sammanställningar" if summaries else "")
            + ". Varje export loggas: en fil som lämnas till en annan organisation "
            "blir en allmän handling."
        )
        left, right = st.columns(2)
        left.download_button(
            "Ladda ned CSV",
            exports.deferred(ctx.engine, actor, viewer, scope, "csv", description),
            file_name=f"lagesbild-{name}.csv",
            mime="text/csv",
            icon=":material/csv:",
            key=f"export_csv_{name}",
            on_click="ignore",
        )
        right.download_button(
            "Ladda ned Excel",
            exports.deferred(ctx.engine, actor, viewer, scope, "xlsx", description, summaries),
            file_name=f"lagesbild-{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/table:",
            key=f"export_xlsx_{name}",
            on_click="ignore",
        )
