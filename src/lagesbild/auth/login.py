"""Checking a login, throttled per username and client, and auditing every attempt.

Failed logins are counted per username *and client* (`LoginThrottle`). A client is a browser
that has logged in as this user before and shows its signed device token (see
`device_token`), or else the one shared bucket of every unknown client. The first
MAX_FAILED_LOGINS failures cost nothing; after that each further guess waits a delay that
doubles with every failure, up to MAX_DELAY. So an attacker's guesses from unknown clients are
slowed, while the owner, logging in from a browser they have used before, is never held up
by them. Failures are forgotten FORGET_AFTER the last one, and when the bucket sees a success.

A guess is reserved (counted as a failure) with a compare-and-set in its own committed
transaction *before* the password is checked, so parallel guesses cannot pass the count.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lagesbild import db
from lagesbild.actor import Actor
from lagesbild.auth import passwords
from lagesbild.auth.passwords import _DUMMY_HASH, normalise_username
from lagesbild.auth.users import actor_for, get_user
from lagesbild.clock import utcnow
from lagesbild.models import LoginThrottle, User
from lagesbild.services import audit

MAX_FAILED_LOGINS = 5  # failures per username and client before guesses have to wait
FIRST_DELAY = dt.timedelta(minutes=1)  # the wait after them, doubling with each failure …
MAX_DELAY = dt.timedelta(hours=1)  # … up to this
FORGET_AFTER = dt.timedelta(hours=24)  # failures are forgotten this long after the last one
RESERVE_TRIES = 50
UNKNOWN_CLIENT = "*"


class LoginOutcome(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    DISABLED = "disabled"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user_id: int | None = None
    retry_after: dt.timedelta | None = None

    @property
    def message(self) -> str:
        """The Swedish message to show; empty on success."""
        if self.outcome is LoginOutcome.WRONG:
            return "Fel användarnamn eller lösenord."
        if self.outcome is LoginOutcome.DISABLED:
            return "Kontot är avstängt. Kontakta forumets administratör."
        if self.outcome is LoginOutcome.THROTTLED:
            seconds = (self.retry_after or FIRST_DELAY).total_seconds()
            minutes = max(1, math.ceil(seconds / 60))
            return (
                "För många misslyckade inloggningsförsök. "
                f"Försök igen om {minutes} {'minut' if minutes == 1 else 'minuter'}."
            )
        return ""


def delay_after(failures: int) -> dt.timedelta:
    """How long the next guess of a bucket waits after its `failures`-th failure."""
    if failures < MAX_FAILED_LOGINS:
        return dt.timedelta(0)
    doublings = min(failures - MAX_FAILED_LOGINS, 30)  # far past MAX_DELAY, no overflow
    return min(MAX_DELAY, FIRST_DELAY * 2**doublings)


def _bucket_name(username: str) -> str:
    return normalise_username(username)[:64]


def _reserve_guess(
    engine: Engine, username: str, client: str, now: dt.datetime
) -> dt.timedelta | None:
    """Count one guess for (username, client) if its delay has passed: None when reserved,
    otherwise how long it still has to wait."""
    for _ in range(RESERVE_TRIES):
        with db.transaction(engine) as session:
            insert = (pg_insert if engine.dialect.name == "postgresql" else sqlite_insert)(
                LoginThrottle
            )
            session.execute(
                insert.values(
                    username=username, client=client, failures=0, version=0
                ).on_conflict_do_nothing(index_elements=["username", "client"])
            )
            row = session.execute(
                select(
                    LoginThrottle.id,
                    LoginThrottle.failures,
                    LoginThrottle.last_failure_at,
                    LoginThrottle.version,
                ).where(LoginThrottle.username == username, LoginThrottle.client == client)
            ).one_or_none()
            if row is None:  # deleted by a success in between: try again
                continue
            last = row.last_failure_at
            failures = 0 if last is None or now - last >= FORGET_AFTER else row.failures
            if last is not None and failures:
                # capped: a clock set back must not stretch the wait
                wait = min(last + delay_after(failures) - now, delay_after(failures))
                if wait > dt.timedelta(0):
                    return wait
            reserved = session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.id == row.id, LoginThrottle.version == row.version)
                .values(failures=failures + 1, last_failure_at=now, version=row.version + 1)
            ).rowcount
        if reserved:
            return None
    return FIRST_DELAY  # endless contention is itself a flood of guesses


def client_key(device: str | None) -> str:
    return f"device:{device}" if device else UNKNOWN_CLIENT


def verify_login(
    engine: Engine,
    username: str,
    password: str,
    *,
    device: str | None = None,
    now: dt.datetime | None = None,
) -> LoginResult:
    """Check a username and password from a client, throttled per username and client.

    `device` is the id from a valid device token of this user (`device_from_token`), None for
    an unknown client. Runs in its own short transactions: the guess is reserved and committed
    before bcrypt runs. Unknown usernames are counted and throttled exactly like known ones and
    get the same answers. Every attempt leaves an audit row (never the password).
    """
    now = now or utcnow()
    name = _bucket_name(username)
    client = client_key(device)
    with db.transaction(engine) as session:
        user = get_user(session, name)
        known = None if user is None else (user.id, user.password_hash, user.active)
    wait = _reserve_guess(engine, name, client, now)
    if wait is not None:
        result = LoginResult(LoginOutcome.THROTTLED, retry_after=wait)
    elif (
        not passwords.check_password(password, known[1] if known else _DUMMY_HASH) or known is None
    ):
        result = LoginResult(LoginOutcome.WRONG)
    elif not known[2]:
        result = LoginResult(LoginOutcome.DISABLED, known[0])
    else:
        result = LoginResult(LoginOutcome.OK, known[0])
    with db.transaction(engine) as session:
        if result.outcome in (LoginOutcome.OK, LoginOutcome.DISABLED):
            # the password was right: this bucket's failures are over
            session.execute(
                delete(LoginThrottle).where(
                    LoginThrottle.username == name, LoginThrottle.client == client
                )
            )
        session.execute(
            delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER)
        )
        user = None if known is None else session.get(User, known[0])
        if result.outcome is LoginOutcome.OK and user is not None:
            user.last_login_at = now
        _audit_login(session, user, result, device is not None)
    return result


_AUDIT_VERBS = {
    LoginOutcome.OK: ("login", "inloggad"),
    LoginOutcome.WRONG: ("login_failed", "fel lösenord"),
    LoginOutcome.DISABLED: ("login_failed", "kontot är avstängt"),
    LoginOutcome.THROTTLED: ("login_throttled", "för många försök, inte prövat"),
}


def _audit_login(session: Session, user: User | None, result: LoginResult, known: bool) -> None:
    """One audit row per attempt. The typed name of an unknown user is not kept: people type
    their password into the username field."""
    verb, detail = _AUDIT_VERBS[result.outcome]
    if user is None:
        detail += " (okänt användarnamn)"
    if result.retry_after is not None:
        detail += f", väntetid {max(1, round(result.retry_after.total_seconds()))} s"
    detail += ", känd webbläsare" if known else ", okänd webbläsare"
    actor = (
        actor_for(user)
        if user is not None
        else Actor(user_id=None, username="", display_name="", organisation_id=None, role="")
    )
    audit.record(session, actor, verb, "user", None if user is None else user.id, detail=detail)
