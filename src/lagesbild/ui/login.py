"""Login glue: streamlit-authenticator's form and cookie, hardened with the database.

streamlit-authenticator draws the login form and defines the re-login cookie (a JWT with the
username and its expiry; ours adds the issue time). Everything that decides *who gets in* is
ours (`lagesbild.auth`): the credential check (bcrypt, throttling per user and client, disabled
accounts) replaces the library's, and the cookie is re-validated against the database on every
use, so logging out or changing the password revokes earlier cookies on the server side. Every
run of a logged-in session is re-checked the same way.

The client that throttling counts per user (`auth.verify_login`) is this browser. It is known
when it shows a device token of the user trying to log in: from the device cookie (written with
the login cookie after a successful login, kept after logout, for auth.DEVICE_COOKIE_DAYS days)
or from this browser session's state (a tab that has logged in before). A browser with neither
is an unknown client. AppTest sends no cookies, so there one AppTest instance is one browser
tab: unknown until it has logged in, known afterwards.

The cookies are written by a one-line script drawn until a run completes, not by the library:
it writes through a component iframe that is often removed by the rerun that follows a login
before it has loaded, which left users without a cookie.

A new session that shows a valid re-login cookie is let in by the gate itself
(`_cookie_login`), in its first run: the library's way draws the login page, reads the cookie
and reruns, so every new session ran the app twice.
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
from lagesbild.errors import ValidationError
from lagesbild.fmt import md_escape
from lagesbild.models import User
from lagesbild.ui import navigation, notices
from lagesbild.ui.context import ACTOR_KEY, AppContext

log = logging.getLogger("lagesbild.login")

ISSUED_KEY = "lb_session_issued_at"  # epoch seconds this session's login was issued
RESULT_KEY = "lb_login_result"
SET_COOKIE_KEY = "lb_set_cookie"
CLEAR_COOKIE_KEY = "lb_clear_cookie"
DEVICE_KEY = "lb_device_token"  # this browser's device token; survives logout
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
        device = _known_device(ctx, username)
        result = auth.verify_login(ctx.engine, username, password, device=device)
        st.session_state[RESULT_KEY] = result
        if result.outcome is auth.LoginOutcome.OK:
            now = clock.epoch()
            st.session_state[ISSUED_KEY] = now
            st.session_state[SET_COOKIE_KEY] = True
            st.session_state[DEVICE_KEY] = auth.device_token(
                username, ctx.cookie_secret, device or auth.new_device_id(), now
            )
        return result.outcome is auth.LoginOutcome.OK

    authenticator.authentication_controller.authentication_model.check_credentials = (
        check_credentials
    )
    # the gate has read the cookie before drawing this page (`_cookie_login`): a valid one
    # never gets here
    authenticator.cookie_controller.get_cookie = lambda: None
    # our script writes the cookie, with its issue time (`_write_cookie`); the library's would
    # lack it and be refused
    authenticator.cookie_controller.set_cookie = lambda: None
    return authenticator


def device_cookie_name(ctx: AppContext) -> str:
    return f"{ctx.settings.cookie_name}_enhet"


def _known_device(ctx: AppContext, username: str) -> str | None:
    """The device id this browser shows for `username`, if any (see the module's docstring)."""
    for token in (
        st.session_state.get(DEVICE_KEY),
        st.context.cookies.get(device_cookie_name(ctx)),
    ):
        device = auth.device_from_token(token, ctx.cookie_secret, username)
        if device is not None:
            return device
    return None


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


def _cookie_login(ctx: AppContext) -> Actor | None:
    """Log a new session in from a valid re-login cookie, in the run that sees it: no login
    page is drawn and no second run follows. The cookie is checked against the database like
    every session (`auth.session_is_valid`)."""
    checked = auth.login_token_issued_at(
        st.context.cookies.get(ctx.settings.cookie_name),
        ctx.cookie_secret,
        ctx.settings.cookie_expiry_days,
        clock.epoch(),
    )
    if checked is None:
        return None
    username, issued_at = checked
    with db.transaction(ctx.engine) as session:
        user = auth.get_user(session, username)
        if not auth.session_is_valid(user, issued_at):
            return None
        actor = auth.actor_for(user)
        # what streamlit-authenticator's own cookie login would have set
        st.session_state.update(
            {
                "email": None,
                "name": user.display_name,
                "roles": [user.role],
                "username": username,
                "authentication_status": True,
                ISSUED_KEY: issued_at,
            }
        )
    return actor


def _login_page(ctx: AppContext) -> None:
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        st.title("Lägesbild")
        st.subheader(md_escape(ctx.forum_name))
        notices.show()
        if st.session_state.pop(CLEAR_COOKIE_KEY, False):
            gone = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
            _cookie_script([(ctx.settings.cookie_name, "", gone)])
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
        _forgotten(ctx)


FORGOT_KEY = "lb_forgot"
TOKEN_PARAM = "token"


def _forgotten(ctx: AppContext) -> None:
    """ "Glömt lösenord?": a link by e-mail, the same answer whether the address exists or not."""
    if ctx.settings.smtp is None:
        st.caption("Glömt lösenordet? Kontakta forumets administratör eller samordnare.")
        return
    if not st.session_state.get(FORGOT_KEY):
        if st.button("Glömt lösenord?", type="tertiary"):
            st.session_state[FORGOT_KEY] = "ask"
            st.rerun()
        return
    if st.session_state[FORGOT_KEY] == "sent":
        st.info(
            "Om adressen hör till ett konto här har vi skickat en länk dit. Följ den inom "
            f"{auth.TOKEN_LIFETIME.total_seconds() / 3600:.0f} timmar för att välja ett nytt "
            "lösenord.",
            icon=":material/mail:",
        )
        return
    with st.form("forgot"):
        st.markdown("**Glömt lösenord?** Ange din e-postadress, så skickar vi en länk.")
        address = st.text_input("Din e-postadress")
        sent = st.form_submit_button("Skicka länk")
    if sent:
        with db.transaction(ctx.engine) as session:
            auth.request_reset(session, address)
        st.session_state[FORGOT_KEY] = "sent"
        st.rerun()


def _choose_password(ctx: AppContext, token: str) -> None:
    """The page an invitation or "glömt lösenord" link opens: choose one's own password."""
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        st.title("Lägesbild")
        st.subheader("Välj lösenord")
        with db.transaction(ctx.engine) as session:
            found = auth.token_user(session, token)
            username = found[1].username if found else None
        if username is None:
            st.error(auth.TOKEN_INVALID, icon=":material/link_off:")
            if st.button("Till inloggningen"):
                st.query_params.pop(TOKEN_PARAM, None)
                st.rerun()
            return
        st.markdown(f"Användarnamn: `{username}`")
        st.caption(f"Minst {auth.MIN_PASSWORD_LENGTH} tecken. Länken fungerar en gång.")
        with st.form("choose_password"):
            new = st.text_input("Nytt lösenord", type="password")
            repeat = st.text_input("Nytt lösenord igen", type="password")
            saved = st.form_submit_button("Spara lösenord", type="primary")
        if saved:
            try:
                with db.writing(ctx.engine) as session:
                    auth.set_password_with_token(session, token, new, repeat)
            except ValidationError as exc:
                st.error(
                    "\n".join(f"- {md_escape(m)}" for m in exc.problems.values()),
                    icon=":material/error:",
                )
            else:
                st.query_params.pop(TOKEN_PARAM, None)
                st.session_state.pop(FORGOT_KEY, None)
                notices.flash("Lösenordet är sparat. Logga in med ditt nya lösenord.")
                st.rerun()


def login_gate(ctx: AppContext) -> Actor:
    """Return the logged-in actor, or draw the login page and stop the run."""
    actor = _valid_actor(ctx)
    if actor is None and st.session_state.get("authentication_status"):
        _clear_session()
        notices.flash(
            "Du har loggats ut: kontot har loggats ut på annat håll, fått nytt lösenord eller "
            "stängts av."
        )
    token = st.query_params.get(TOKEN_PARAM)
    if actor is None and not token and not st.session_state.get(CLEAR_COOKIE_KEY):
        actor = _cookie_login(ctx)
    if actor is None and token:
        navigation.navigation(None)
        _choose_password(ctx, token)
        st.stop()
    if actor is None:
        navigation.navigation(None)  # keeps the requested address; runs no page
        _login_page(ctx)
        st.stop()
    st.session_state[ACTOR_KEY] = actor
    if st.session_state.get(SET_COOKIE_KEY):
        _write_cookie(ctx, actor)
    return actor


def _write_cookie(ctx: AppContext, actor: Actor) -> None:
    """Write the re-login cookie (streamlit-authenticator's token format) and the device
    cookie with a one-line script in the page. Drawn on every run until a run completes, so a
    run cut short by a rerun or a page switch cannot lose it. The script holds only the signed
    tokens."""
    issued_at = st.session_state[ISSUED_KEY]
    days = ctx.settings.cookie_expiry_days
    token = auth.login_token(actor.username, ctx.cookie_secret, days, issued_at)
    # The server judges the token by the product's clock; the browser keeps the cookie by its
    # own, so the cookie's lifetime is counted from the machine's time.
    cookies = [(ctx.settings.cookie_name, token, _expires(days))]
    device = st.session_state.get(DEVICE_KEY)
    if device:
        cookies.append((device_cookie_name(ctx), device, _expires(auth.DEVICE_COOKIE_DAYS)))
    _cookie_script(cookies)


def _expires(days: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(clock.machine_epoch() + days * 86400, tz=dt.UTC)


def _cookie_script(cookies: list[tuple[str, str, dt.datetime]]) -> None:
    """Set the cookies (name, value, expiry) in the browser: SameSite=Strict, and Secure when
    the page is served over HTTPS (judged by the browser itself, so also behind a proxy). They
    cannot be HttpOnly: a script writes them (see docs/security.md)."""
    lines = "".join(
        f"document.cookie = {json.dumps(cookie_text(name, value, expires))} + secure;"
        for name, value, expires in cookies
    )
    with st.sidebar:
        st.html(
            f'<script>var secure = location.protocol === "https:" ? "; Secure" : "";{lines}'
            "</script>",
            unsafe_allow_javascript=True,
        )


def cookie_text(name: str, value: str, expires: dt.datetime) -> str:
    return (
        f"{name}={value}; Path=/; Expires={format_datetime(expires, usegmt=True)}; SameSite=Strict"
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
