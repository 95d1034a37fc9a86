"""The screens on this server that show the running meeting, told at once when it changes.

Every follower's screen polls the meeting's state (`meeting.live_badge`): that works with any
number of servers and stays the rule. On top of it, the first run on this server that finds the
meeting changed (the chair moved on, decided, closed; or a poll saw a change made elsewhere)
asks every other screen here that showed the meeting in the last RECENT_S seconds to run again
at once, as Streamlit itself asks a screen to run again when its script is saved. The room then
follows the chair without waiting for its next poll.

Streamlit has no public way to do this from another session's run: the screen's last client
state (its page and widget values, so nothing it shows is reset) is read from the session. If
that ever fails after an upgrade of Streamlit, the failure is logged once and the poll still
brings every change; `tests/e2e/test_meeting.py` fails then, as it waits less than one poll.
"""

from __future__ import annotations

import logging
import threading
import time

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

log = logging.getLogger(__name__)

RECENT_S = 10.0  # a screen that has not run for this long has left the meeting page

_lock = threading.Lock()
_screens: dict[str, dict[str, float]] = {}  # database url -> session id -> last run
_states: dict[str, tuple | None] = {}  # database url -> the meeting's state last seen here
_failed = False


def _this_session() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def seen(url: str, state: tuple | None) -> int:
    """Called by every run of the meeting page, and every poll, with the meeting's state:
    the screen counts as showing the meeting, and if the state is new here, the other screens
    are told. How many were asked to run again."""
    me = _this_session()
    now = time.monotonic()
    with _lock:
        screens = _screens.setdefault(url, {})
        if me is not None:
            screens[me] = now
        for session_id, last in list(screens.items()):
            if now - last > RECENT_S:
                del screens[session_id]
        known = url in _states
        if known and _states[url] == state:
            return 0
        _states[url] = state
        if not known:  # the first run on this server: nothing to compare with
            return 0
        others = [session_id for session_id in screens if session_id != me]
    return sum(_run_again(session_id) for session_id in others)


def _run_again(session_id: str) -> bool:
    global _failed
    if not Runtime.exists():  # not served (a test of the page's script alone)
        return False
    try:
        session = Runtime.instance().get_app_session(session_id)
        if session is None:
            return False
        state = ClientState()
        state.CopyFrom(session._client_state)  # the page and widget values it last ran with
        state.fragment_id = ""  # the whole page, not the fragment that polled last
        state.is_auto_rerun = False
        session.request_rerun(state)
        return True
    except Exception:  # the poll still brings the change
        if not _failed:
            _failed = True
            log.exception("could not ask a meeting screen to run again; the poll will do it")
        return False
