"""The meeting view: one agenda step per screen, drawn for a projector at 1920×1080.

The chair who leads the meeting moves between steps and enters decisions; everyone else
follows the same step read-only: the chair's change reaches the other screens on the same
server at once (`room`), and a small fragment reads the meeting's step and version (one tiny
query) every `meeting_poll_seconds` and reruns the page when they changed; the heavy figures
are cached per minute, so the rerun draws from the cache. Every figure is the whole forum's
view: the room sees the screen, so reports marked for a narrower audience are never
projected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lagesbild import fmt, permissions
from lagesbild.actor import Actor
from lagesbild.clock import local_now
from lagesbild.errors import UserError
from lagesbild.filters import Window
from lagesbild.queries import meetings as meeting_queries
from lagesbild.queries.minutes import FORUM_VIEW
from lagesbild.services import meetings
from lagesbild.ui import bars, data, live, room, write
from lagesbild.ui.context import AppContext
from lagesbild.ui.data import Lookups

SHORT_NAMES = ["1 Nytt", "2 Polis och RTJ", "3 Åtgärder", "4 Arrangemang", "5 Beslut", "6 Avslut"]
ERROR_KEY = "mote_error"
SEEN_KEY = "mote_state"
SCREEN_KEY = "mote_screen"
PLACE_KEY = "mote_place"
CLOSED_KEY = "mote_closed"
# The chair's own clicks redraw the chair's screen at once; the chair's poll only notices what
# another screen did (a take-over, a decision entered elsewhere). Polling every second there
# kept the chair's session busy on a loaded server, and every poll run competes with the
# chair's next click.
CHAIR_POLL_SECONDS = 5.0
# Between meetings the page looks for a started meeting this often (a screen left open before
# the meeting is taken into it; on the same server `room` tells it at once anyway).
WAITING_POLL_SECONDS = 5.0


@dataclass(frozen=True)
class View:
    ctx: AppContext
    actor: Actor
    meeting: dict
    lookups: Lookups

    @property
    def lat(self) -> float:
        return self.lookups.latitude

    @property
    def leading(self) -> bool:
        return permissions.leads_meeting(self.actor, self.meeting["chair_user_id"])

    @property
    def id(self) -> int:
        return self.meeting["id"]

    @property
    def step(self) -> int:
        return int(self.meeting["agenda_step"])

    @property
    def since(self) -> Window:
        """Since the last meeting, up to this minute: the minutes' window too."""
        return meeting_queries.since_window(self.meeting, local_now())


def screen(current: dict | None, closed: int | None) -> tuple:
    """What the page shows: a meeting's step, or the time between meetings (with the minutes
    of the one just closed)."""
    if current is None:
        return ("between", closed)
    return ("meeting", current["id"], int(current["agenda_step"]))


def root(shown: tuple) -> DeltaGenerator:
    """The page's root container, in one of two places that take turns. On a new screen the
    place the old screen was drawn in is emptied and the new screen is drawn in the other, so
    the old screen's elements are gone at once instead of staying (greyed) on the projector
    until the new screen has been drawn over them. Two places, not one place emptied and
    refilled: Streamlit merges an element's messages that are still waiting to be sent, and
    under load "empty it" and "fill it" in one place arrived as "fill it" alone, leaving the old
    step's tables under the new step's heading. On the same screen the place stays, and the old
    elements stay until redrawn, so nothing flickers."""
    changed = st.session_state.get(SCREEN_KEY) != shown
    st.session_state[SCREEN_KEY] = shown
    place = st.session_state.get(PLACE_KEY, 0)
    if changed:
        place = 1 - place
        st.session_state[PLACE_KEY] = place
    places = (st.empty(), st.empty())
    return places[place].container()


def just_closed(current: dict | None) -> int | None:
    """The meeting this session saw close, led or followed: its minutes lead the page until
    the next meeting starts."""
    if current is not None:
        st.session_state.pop(CLOSED_KEY, None)
        return None
    seen = st.session_state.pop(SEEN_KEY, None)
    if seen is not None:
        st.session_state[CLOSED_KEY] = seen[0]
    return st.session_state.get(CLOSED_KEY)


def table(df: pd.DataFrame) -> None:
    """A static table in the projector's type size; numbers in Swedish form, aligned right
    (`bars.table_html`)."""
    st.html(bars.table_html(df))


def run(view: View, service: Callable, *args, message: str | None = None) -> bool:
    """A write for the meeting: saved at once; a refusal is shown in Swedish, nothing lost."""
    if not write.attempt(view.ctx, service, view.actor, *args).ok:
        return False
    if message:
        st.toast(fmt.md_escape(message), icon=":material/check_circle:")
    return True


def in_callback(view: View, service: Callable, *args, keep_figures: bool = False) -> None:
    """The same from a widget callback (the error is shown on the run that follows)."""
    store = write.call_keeping_figures if keep_figures else write.call
    try:
        store(view.ctx, service, view.actor, *args)
    except UserError as exc:
        st.session_state[ERROR_KEY] = str(exc)


def go_to(view: View, step: int) -> None:
    """The chair moves the meeting to `step` from the step this screen shows (a late second
    click moves nothing). Only the meeting's step changes: the room's cached figures stay."""
    in_callback(view, meetings.go_to_step, view.id, step, view.step, keep_figures=True)


def header(view: View) -> None:
    """Title, the chair, the live badge and the agenda with previous/next."""
    m = view.meeting
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.title(f"Trygghetsforum {fmt.long_date(m['held_at'].date())}")
    attending = data.organisations(view.ctx.url)
    names = attending[attending["id"].isin(m["attendee_ids"])]["short_name"].tolist()
    left.caption(
        f"{fmt.md_escape(view.ctx.forum_name)} · ordförande {fmt.md_escape(m['chair'] or '–')} · "
        f"sedan förra mötet {fmt.datetime(m['since'])} · "
        f"närvarande: {fmt.md_escape(', '.join(names) or '–')}"
    )
    with right:
        live_badge(view)
        st.toggle("Projektorläge", key="mote_projector")
    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error(fmt.md_escape(error), icon=":material/block:")
    back, agenda, forward = st.columns([1, 8, 1], vertical_alignment="center")
    # One control per meeting and step, drawn with the step as its value and never set from
    # the script: a value set from the script can reach the browser after the browser has
    # already reported the control's old value (the poll below runs every second), and that
    # old value would read as the chair picking the old step.
    key = agenda_key(view)

    def picked() -> None:
        choice = st.session_state.get(key)
        if choice is None:  # the chair clicked the current step again: keep it marked
            st.session_state[key] = SHORT_NAMES[view.step]
        elif choice != SHORT_NAMES[view.step]:
            go_to(view, SHORT_NAMES.index(choice))

    agenda.segmented_control(
        "Dagordning",
        SHORT_NAMES,
        default=SHORT_NAMES[view.step],
        key=key,
        label_visibility="collapsed",
        disabled=not view.leading,
        width="stretch",
        on_change=picked,
    )
    if not view.leading:
        back.caption("Du följer mötet")
        forward.caption("Ordföranden styr")
        return
    back.button(
        "← Föregående",
        disabled=view.step == 0,
        width="stretch",
        on_click=go_to,
        args=(view, view.step - 1),
    )
    forward.button(
        "Nästa →",
        disabled=view.step == len(SHORT_NAMES) - 1,
        type="primary",
        width="stretch",
        on_click=go_to,
        args=(view, view.step + 1),
    )


def agenda_key(view: View) -> str:
    return f"mote_agenda_{view.id}_{view.step}"


def live_badge(view: View) -> None:
    """Refreshes on its own every `meeting_poll_seconds`: first the meeting's step and version
    (one tiny query) – the whole page is drawn again only when they changed (the chair moved
    on, decided, closed, or another screen did; on the same server `room` has usually asked for
    that already) – then the time and the reports that arrived during the meeting."""
    url, started, settings = view.ctx.url, view.meeting["started_at"], view.ctx.settings
    every = CHAIR_POLL_SECONDS if view.leading else settings.meeting_poll_seconds

    @st.fragment(run_every=min(every, settings.meeting_refresh_seconds))
    def badge() -> None:
        now_state = live.state(url)
        room.seen(url, now_state)
        if now_state != st.session_state.get(SEEN_KEY):
            st.rerun(scope="app")
        count, _ = live.reported_since(url, FORUM_VIEW, started)
        st.html(
            f"<div class='lb-live'>● Live {local_now():%H.%M}<br>"
            f"{fmt.counted(count, 'ny rapport', 'nya rapporter')} "
            "under mötet</div>"
        )

    badge()


def await_start(url: str) -> None:
    """Between meetings: a screen left on the page (members open it before the meeting, the
    projector is set up early) goes into the meeting when a chair starts it elsewhere."""

    @st.fragment(run_every=WAITING_POLL_SECONDS)
    def waiting() -> None:
        state = live.state(url)
        room.seen(url, state)  # this screen counts as in the room: told at once of a start
        if state is not None:
            st.rerun(scope="app")

    waiting()


def remember_state(url: str) -> None:
    """The meeting's state this screen shows, which its poll compares with; a state new on
    this server is told to the other screens of the meeting."""
    state = live.state(url)
    st.session_state[SEEN_KEY] = state
    room.seen(url, state)
