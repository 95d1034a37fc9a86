"""Short messages that must survive the reruns around a page switch (login, logout, a denied
deep link): shown on every run until they expire."""

from __future__ import annotations

import time

import streamlit as st

from lagesbild.fmt import md_escape

KEY = "lb_notices"


def flash(message: str, kind: str = "info", seconds: float = 12.0) -> None:
    st.session_state.setdefault(KEY, []).append((message, kind, time.monotonic() + seconds))


def show() -> None:
    now = time.monotonic()
    alive = [n for n in st.session_state.get(KEY, []) if n[2] > now]
    st.session_state[KEY] = alive
    for message, kind, _ in alive:
        if kind == "warning":
            st.warning(md_escape(message), icon=":material/block:")
        else:
            st.info(md_escape(message), icon=":material/info:")
