"""What a form's fields hold: only what the form itself declares, for the user who fills it.

Rules (see docs/forms.md):
- A form declares the starting value of every field (`start`, `field`) before its widgets are
  drawn, on every run. A widget never falls back on Streamlit's own default (the first option,
  the server's clock): when Streamlit drops a widget's value (the user left the page), the
  declared value comes back, never another form's or another record's.
- A form's keys share one prefix ending in "_" that no other form's prefix starts with.
- After a save the form is emptied on the next run, before any widget (`saved`), and its
  confirmation is drawn right after the form's button and shown as a toast (`confirmation`).
- The state of the pages belongs to the user who filled it: when another user logs in in the
  same browser tab, everything but the login itself is forgotten (`begin`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import streamlit as st

from lagesbild.fmt import md_escape
from lagesbild.ui import context, login, notices

OWNER = "lb_forms_owner"  # the user id the session's form state belongs to
PENDING = "lb_forms_to_empty"  # prefixes to empty at the start of the next run
SOURCES = "lb_form_sources"  # prefix -> what the form's values were loaded from
DONE = "lb_form_done"  # prefix -> confirmation to show next to the form's button

# Kept when another user logs in: the login itself, never anything a page put there.
SESSION_KEYS = frozenset(
    {
        OWNER,
        context.ACTOR_KEY,
        context.CONTEXT_KEY,
        login.ISSUED_KEY,
        login.RESULT_KEY,
        login.SET_COOKIE_KEY,
        login.CLEAR_COOKIE_KEY,
        login.DEVICE_KEY,
        notices.KEY,
        "name",
        "username",
        "authentication_status",
        "email",
        "roles",
        "logout",
        "password_hint",
    }
)


def begin(user_id: int) -> None:
    """At the start of every run, after login and before any widget: forget another user's
    state, then empty the forms saved on the last run."""
    owner = st.session_state.get(OWNER)
    if owner is not None and owner != user_id:
        for key in [k for k in list(st.session_state) if k not in SESSION_KEYS]:
            del st.session_state[key]
    st.session_state[OWNER] = user_id
    for prefix in st.session_state.pop(PENDING, []):
        clear(prefix)


def clear(prefix: str) -> None:
    """Forget a form's values; its declarations fill it again before its widgets are drawn
    (an explicit value, so the browser shows it too)."""
    for key in [k for k in list(st.session_state) if str(k).startswith(prefix)]:
        del st.session_state[key]
    st.session_state.get(SOURCES, {}).pop(prefix, None)


def field(key: str, default: Any) -> str:
    """Declare one field's starting value (kept while the user is editing it); its key."""
    if key not in st.session_state:
        st.session_state[key] = default
    return key


def start(prefix: str, values: Mapping[str, Any], source: Hashable = None) -> None:
    """Declare a form's fields (`{prefix}{name}` = value) before its widgets. `source` names
    what the values come from (an event's id and version, None for a new one): when it
    changes, every field takes the new values; otherwise only fields without a value do."""
    sources = st.session_state.setdefault(SOURCES, {})
    if prefix in sources and sources[prefix] != source:
        clear(prefix)
    st.session_state.setdefault(SOURCES, {})[prefix] = source
    for name, value in values.items():
        field(f"{prefix}{name}", value)


def saved(prefix: str, message: str, empty: bool = True) -> None:
    """After a successful save: empty the form on the next run (unless `empty` is False) and
    confirm there. Ends this run."""
    if empty:
        st.session_state.setdefault(PENDING, []).append(prefix)
    st.session_state.setdefault(DONE, {})[prefix] = message
    st.rerun()


def empty_after_save(prefix: str) -> None:
    """Empty a form on the next run without a confirmation of its own (call st.rerun())."""
    st.session_state.setdefault(PENDING, []).append(prefix)


def confirmation(prefix: str) -> bool:
    """Draw the confirmation of the form's last save here (right after its button) and as a
    toast; whether there was one."""
    message = st.session_state.get(DONE, {}).pop(prefix, None)
    if not message:
        return False
    st.success(md_escape(message), icon=":material/check_circle:")
    st.toast(md_escape(message), icon=":material/check_circle:")
    return True
