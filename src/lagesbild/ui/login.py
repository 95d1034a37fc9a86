"""Login glue: streamlit-authenticator's form and cookie, hardened with the database.

streamlit-authenticator draws the login form and defines the re-login cookie (a JWT with the
username and its expiry). Everything that decides *who gets in* is ours (`lagesbild.auth`):
the credential check (bcrypt, throttling in a time window, disabled accounts) replaces the
library's, and the cookie is re-validated against the database on every use, so logging out
or changing the password revokes earlier cookies on the server side. Every run of a logged-in
session is re-checked the same way.

The cookie is written by a one-line script drawn until a run completes. The library writes it
through a component iframe that is often removed by the rerun that follows a login before it
has loaded, which left users without a cookie.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from email.utils import format_datetime

import streamlit as st
import streamlit_authenticator as stauth

from lagesbild import auth, clock, db
from lagesbild.actor import Actor
from lagesbild.fmt import md_escape
from lagesbild.models import User
from lagesbild.ui import navigation, notices
from lagesbild.ui.context import ACTOR_KEY, AppContext

log = logging.getLogger("lagesbild.login")

ISSUED_KEY = "lb_session_issued_at"  # epoch seconds this session's login was issued
RESULT_KEY = "lb_login_result"
SET_COOKIE_KEY = "lb_set_cookie"
CLEAR_COOKIE_KEY = "lb_clear_cookie"
_LIB_KEYS = ("name", "username", "authentication_status", "email", "roles")

FIELDS = {
    "Form name": "Logga in",
    "Username": "Användarnamn",
    "Password": "Lösenord",
    "Login": "Logga in",
    "Captcha": "Captcha",
}


def _credentials(ctx: AppContext) -> dict:
    with db.transaction(ctx.engine) as session:
        users = auth.list_users(session)
        return {
            "usernames": {
                u.username: {
                    "name": u.display_name,
                    "password": u.password_hash,
                    "roles": [u.role],
                    "email": None,
                }
                for u in users
            }
        }


def _authenticator(ctx: AppContext) -> stauth.Authenticate:
    """The library's authenticator, with its credential check and cookie reader replaced."""
    authenticator = stauth.Authenticate(
        _credentials(ctx),
        cookie_name=ctx.settings.cookie_name,
        cookie_key=ctx.cookie_secret,
        cookie_expiry_days=ctx.settings.cookie_expiry_days,
        auto_hash=False,
        login_sleep_time=0,
    )

    def check_credentials(username: str, password: str) -> bool:
        with db.transaction(ctx.engine) as session:
            result = auth.verify_login(session, username, password)
        st.session_state[RESULT_KEY] = result
        if result.outcome is auth.LoginOutcome.OK:
            st.session_state[ISSUED_KEY] = clock.epoch()
            st.session_state[SET_COOKIE_KEY] = True
        return result.outcome is auth.LoginOutcome.OK

    def get_cookie():
        token = st.context.cookies.get(ctx.settings.cookie_name)
        checked = auth.login_token_issued_at(
            token, ctx.cookie_secret, ctx.settings.cookie_expiry_days, clock.epoch()
        )
        if checked is None:
            return None
        username, issued_at = checked
        with db.transaction(ctx.engine) as session:
            if not auth.session_is_valid(auth.get_user(session, username), issued_at):
                return None
        st.session_state[ISSUED_KEY] = issued_at
        return {"username": username}

    authenticator.authentication_controller.authentication_model.check_credentials = (
        check_credentials
    )
    authenticator.cookie_controller.get_cookie = get_cookie
    return authenticator


def _clear_session() -> None:
    for key in (ACTOR_KEY, ISSUED_KEY, SET_COOKIE_KEY, *_LIB_KEYS):
        st.session_state.pop(key, None)


def _valid_actor(ctx: AppContext) -> Actor | None:
    """The actor of an already logged-in session, if the session still holds."""
    username = st.session_state.get("username")
    issued_at = st.session_state.get(ISSUED_KEY)
    if not st.session_state.get("authentication_status") or not username or issued_at is None:
        return None
    with db.transaction(ctx.engine) as session:
        user = auth.get_user(session, username)
        if not auth.session_is_valid(user, issued_at):
            return None
        return auth.actor_for(user)


def _login_page(ctx: AppContext) -> None:
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        st.title("Lägesbild")
        st.subheader(md_escape(ctx.forum_name))
        notices.show()
        if st.session_state.pop(CLEAR_COOKIE_KEY, False):
            _cookie_script(ctx, "", dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
        authenticator = _authenticator(ctx)
        try:
            authenticator.login(location="main", fields=FIELDS, key="login")
        except Exception:  # the library's own errors are English; never show them
            log.exception("login widget failed")
            st.error("Inloggningen kunde inte genomföras. Försök igen.")
        result = st.session_state.pop(RESULT_KEY, None)
        if st.session_state.get("authentication_status"):
            st.rerun()
        if result is not None and result.message:
            st.error(md_escape(result.message), icon=":material/lock:")
        st.caption("Glömt lösenordet? Kontakta forumets administratör eller samordnare.")


def login_gate(ctx: AppContext) -> Actor:
    """Return the logged-in actor, or draw the login page and stop the run."""
    actor = _valid_actor(ctx)
    if actor is None and st.session_state.get("authentication_status"):
        _clear_session()
        notices.flash(
            "Du har loggats ut: kontot har loggats ut på annat håll, fått nytt lösenord eller "
            "stängts av."
        )
    if actor is None:
        navigation.navigation(None)  # keeps the requested address; runs no page
        _login_page(ctx)
        st.stop()
    st.session_state[ACTOR_KEY] = actor
    if st.session_state.get(SET_COOKIE_KEY):
        _write_cookie(ctx, actor)
    return actor


def _write_cookie(ctx: AppContext, actor: Actor) -> None:
    """Write the re-login cookie (streamlit-authenticator's token format) with a one-line
    script in the page. Drawn on every run until a run completes, so a run cut short by a
    rerun or a page switch cannot lose it. The script holds only the signed token."""
    issued_at = st.session_state[ISSUED_KEY]
    days = ctx.settings.cookie_expiry_days
    token = auth.login_token(actor.username, ctx.cookie_secret, days, issued_at)
    # The server judges the token by the product's clock; the browser keeps the cookie by its
    # own, so the cookie's lifetime is counted from the machine's time.
    expires = dt.datetime.fromtimestamp(clock.machine_epoch() + days * 86400, tz=dt.UTC)
    _cookie_script(ctx, token, expires)


def _cookie_script(ctx: AppContext, value: str, expires: dt.datetime) -> None:
    secure = "; Secure" if (st.context.url or "").startswith("https:") else ""
    cookie = (
        f"{ctx.settings.cookie_name}={value}; Path=/; "
        f"Expires={format_datetime(expires, usegmt=True)}; SameSite=Strict{secure}"
    )
    with st.sidebar:
        st.html(
            f"<script>document.cookie = {json.dumps(cookie)};</script>",
            unsafe_allow_javascript=True,
        )


def run_completed() -> None:
    """Called at the end of a run that was not cut short: the cookie script drawn in it has
    reached the page, so it need not be drawn again."""
    st.session_state.pop(SET_COOKIE_KEY, None)


def logout(ctx: AppContext, actor: Actor) -> None:
    """Log out here and everywhere: earlier cookies of this user stop working on the server."""
    with db.transaction(ctx.engine) as session:
        user = session.get(User, actor.user_id)
        if user is not None:
            auth.revoke_sessions(session, user)
    _clear_session()
    st.session_state[CLEAR_COOKIE_KEY] = True  # the login page deletes it from the browser
    notices.flash("Du är utloggad.")


def renew_session() -> None:
    """After a password change: this session continues with a fresh cookie, others end."""
    st.session_state[ISSUED_KEY] = clock.epoch() + 0.001
    st.session_state[SET_COOKIE_KEY] = True
