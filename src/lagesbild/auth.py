"""Users, roles and organisations; password checks with throttling; session revocation.

No streamlit here: the login glue in `lagesbild.ui.login` calls these functions, and so do the
CLI and the tests.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import math
import re
import secrets
from dataclasses import dataclass

import bcrypt
import jwt
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lagesbild import db, permissions
from lagesbild.actor import Actor
from lagesbild.clock import utcnow
from lagesbild.errors import NotFound, ValidationError
from lagesbild.models import LoginThrottle, Organisation, PasswordToken, Role, Setting, User
from lagesbild.services import audit, mail

MAX_FAILED_LOGINS = 5  # failures per username and client before guesses have to wait
FIRST_DELAY = dt.timedelta(minutes=1)  # the wait after them, doubling with each failure …
MAX_DELAY = dt.timedelta(hours=1)  # … up to this
FORGET_AFTER = dt.timedelta(hours=24)  # failures are forgotten this long after the last one
RESERVE_TRIES = 50
UNKNOWN_CLIENT = "*"
DEVICE_COOKIE_DAYS = 365
MIN_PASSWORD_LENGTH = 10
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
TOKEN_LIFETIME = dt.timedelta(hours=72)  # an invitation or "glömt lösenord" link
RESET_QUIET = dt.timedelta(minutes=5)  # no second "glömt lösenord" mail within this
INVITATION = "inbjudan"
RESET = "aterstall"

# Compared against when the username is unknown, so that a wrong username costs as much time
# as a wrong password and does not reveal which usernames exist.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt()).decode()

_USER_FIELDS = ["username", "display_name", "organisation_id", "role", "active", "email"]


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


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode()


def check_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode())
    except ValueError:
        return False


def validate_password(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken."}
        )
    if len(password.encode("utf-8")) > 72:
        raise ValidationError({"password": "Lösenordet får vara högst 72 byte långt."})
    if password != password.strip():
        raise ValidationError({"password": "Lösenordet får inte börja eller sluta med mellanslag."})
    if username and normalise_username(username) in password.lower():
        raise ValidationError({"password": "Lösenordet får inte innehålla användarnamnet."})


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        organisation_id=user.organisation_id,
        role=user.role,
    )


def get_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == normalise_username(username)))


def _require_admin(actor: Actor) -> None:
    permissions.require_manage_users(actor)


# --- login -----------------------------------------------------------------------------------
#
# Failed logins are counted per username *and client* (`LoginThrottle`). A client is a browser
# that has logged in as this user before and shows its signed device token (see
# `device_token`), or else the one shared bucket of every unknown client. The first
# MAX_FAILED_LOGINS failures cost nothing; after that each further guess waits a delay that
# doubles with every failure, up to MAX_DELAY. So an attacker's guesses from unknown clients are
# slowed, while the owner, logging in from a browser they have used before, is never held up
# by them. Failures are forgotten FORGET_AFTER the last one, and when the bucket sees a success.
#
# A guess is reserved (counted as a failure) with a compare-and-set in its own committed
# transaction *before* the password is checked, so parallel guesses cannot pass the count.


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
    elif not check_password(password, known[1] if known else _DUMMY_HASH) or known is None:
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


# --- sessions and cookies --------------------------------------------------------------------


def session_is_valid(user: User | None, issued_at: float) -> bool:
    """Whether a session (cookie or open browser tab) issued at `issued_at` (epoch seconds)
    still holds: the user exists, is active, and has not logged out or changed password since."""
    if user is None or not user.active:
        return False
    revoked = user.sessions_revoked_at
    return revoked is None or issued_at > revoked.replace(tzinfo=dt.UTC).timestamp()


def login_token(username: str, secret: str, expiry_days: float, issued_at: float) -> str:
    """A login cookie in streamlit-authenticator's format: a JWT with `username` and
    `exp_date` (epoch seconds), signed with the installation's secret, and the issue time
    `iat` that revocation is judged by."""
    return jwt.encode(
        {
            "username": username,
            "exp_date": issued_at + expiry_days * 86400,
            "iat": issued_at,
        },
        secret,
        algorithm="HS256",
    )


def _decode(token: str | None, secret: str) -> dict | None:
    if not token:
        return None
    try:
        # iat is checked here, by the product's clock, not by the library's
        return jwt.decode(token, secret, algorithms=["HS256"], options={"verify_iat": False})
    except jwt.InvalidTokenError:
        return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def login_token_issued_at(
    token: str | None, secret: str, expiry_days: float, now: float
) -> tuple[str, float] | None:
    """Validate a login cookie (`login_token`). Returns (username, issued_at) or None for a
    missing, forged, malformed or expired token, and for one without its issue time `iat`.

    The token expires at `exp_date` or `expiry_days` after `iat`, whichever comes first: a
    shorter expiry configured later also shortens the cookies already out."""
    payload = _decode(token, secret)
    if payload is None or "device" in payload:
        return None
    username, exp_date, iat = payload.get("username"), payload.get("exp_date"), payload.get("iat")
    if not isinstance(username, str) or not (_is_number(exp_date) and _is_number(iat)):
        return None
    if min(exp_date, iat + expiry_days * 86400) <= now:
        return None
    return normalise_username(username), float(iat)


def new_device_id() -> str:
    return secrets.token_hex(16)


def device_token(username: str, secret: str, device_id: str, issued_at: float) -> str:
    """The device cookie: proof that this browser has logged in as `username` before. It
    opens nothing by itself; it gives the browser its own throttling bucket (`verify_login`)."""
    return jwt.encode(
        {"device": device_id, "username": normalise_username(username), "iat": issued_at},
        secret,
        algorithm="HS256",
    )


def device_from_token(token: str | None, secret: str, username: str) -> str | None:
    """The device id of a valid device token issued for `username`, else None."""
    payload = _decode(token, secret)
    if payload is None or payload.get("username") != normalise_username(username):
        return None
    device = payload.get("device")
    if not isinstance(device, str) or not re.fullmatch(r"[0-9a-f]{32}", device):
        return None
    return device


def revoke_sessions(session: Session, user: User, now: dt.datetime | None = None) -> None:
    """Invalidate every cookie and open session the user has (logout, password change)."""
    user.sessions_revoked_at = now or utcnow()


# --- user administration ---------------------------------------------------------------------


def find_organisation(session: Session, name: str) -> Organisation:
    org = session.scalar(
        select(Organisation).where((Organisation.name == name) | (Organisation.short_name == name))
    )
    if org is None:
        raise NotFound(f"Organisationen ”{name}” finns inte.")
    return org


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    organisation_id: int,
    role: str,
    password: str | None = None,
    email: str = "",
) -> User:
    """A new account. Without a password the user gets an invitation by e-mail to choose
    their own (`email` is then required); the admin never sees a password."""
    _require_admin(actor)
    username = normalise_username(username)
    problems = {}
    email = normalise_email(email)
    if email and not EMAIL_RE.match(email):
        problems["email"] = "E-postadressen ser inte ut som en e-postadress."
    elif password is None and not email:
        problems["email"] = "Ange en e-postadress: inbjudan skickas dit."
    if not USERNAME_RE.match(username):
        problems["username"] = (
            "Användarnamnet ska vara 2–64 tecken: små bokstäver a–z, siffror, punkt, "
            "bindestreck eller understreck."
        )
    elif get_user(session, username) is not None:
        problems["username"] = f"Användarnamnet ”{username}” är upptaget."
    if not display_name.strip():
        problems["display_name"] = "Ange ett visningsnamn."
    if role not in {r.value for r in Role}:
        problems["role"] = "Okänd roll. Välj admin, samordnare, medlem eller ledning."
    if session.get(Organisation, organisation_id) is None:
        problems["organisation_id"] = "Okänd organisation."
    try:
        if password is not None:
            validate_password(password, username)
    except ValidationError as exc:
        problems.update(exc.problems)
    if problems:
        raise ValidationError(problems)
    user = User(
        username=username,
        display_name=display_name.strip(),
        organisation_id=organisation_id,
        role=role,
        # without a password: a hash of a random secret nobody knows, until the invitation
        password_hash=hash_password(password or secrets.token_urlsafe(32)),
        password_changed_at=utcnow() if password is not None else None,
        email=email or None,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor, "create", "user", user.id, after=audit.snapshot(user, _USER_FIELDS)
    )
    if password is None:
        invite(session, actor, user.username)
    return user


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def set_email(session: Session, actor: Actor, username: str, email: str) -> User:
    """An admin changes a user's address (empty: none)."""
    _require_admin(actor)
    user = get_user(session, username)
    if user is None:
        raise NotFound(f"Användaren ”{username}” finns inte.")
    email = normalise_email(email)
    if email and not EMAIL_RE.match(email):
        raise ValidationError({"email": "E-postadressen ser inte ut som en e-postadress."})
    before = audit.snapshot(user, _USER_FIELDS)
    user.email = email or None
    audit.record(
        session,
        actor,
        "update",
        "user",
        user.id,
        before=before,
        after=audit.snapshot(user, _USER_FIELDS),
        detail="ny e-postadress",
    )
    return user


# --- single-use links to choose one's own password -------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _issue_token(session: Session, user: User, purpose: str) -> str:
    """A new link for `user`; every earlier unused link of theirs stops working."""
    now = utcnow()
    _revoke_tokens(session, user, now)
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            purpose=purpose,
            created_at=now,
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    session.flush()
    return token


def _revoke_tokens(session: Session, user: User, now: dt.datetime) -> None:
    session.execute(
        update(PasswordToken)
        .where(
            PasswordToken.user_id == user.id,
            PasswordToken.used_at.is_(None),
            PasswordToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


def invite(session: Session, actor: Actor, username: str) -> User:
    """Send (again) an invitation to choose a password; an earlier one stops working."""
    _require_admin(actor)
    user = get_user(session, username)
    if user is None:
        raise NotFound(f"Användaren ”{username}” finns inte.")
    if not user.email:
        raise ValidationError({"email": "Användaren har ingen e-postadress."})
    token = _issue_token(session, user, INVITATION)
    mail.queue(
        session,
        user,
        "invitation",
        _token_hash(token)[:16],
        {"token": token, "username": user.username, "hours": _hours()},
    )
    audit.record(session, actor, "update", "user", user.id, detail="inbjudan skickad")
    return user


def _hours() -> int:
    return int(TOKEN_LIFETIME.total_seconds() // 3600)


def request_reset(session: Session, address: str) -> None:
    """ "Glömt lösenord": a link to the account with this address, if there is one. Answers
    nothing either way (the page says the same whatever happens), and at most one link per
    account every RESET_QUIET, so that the form cannot flood anyone's inbox."""
    email = normalise_email(address)
    user = (
        session.scalar(select(User).where(User.email == email, User.active.is_(True)))
        if EMAIL_RE.match(email)
        else None
    )
    if user is None:
        return
    recent = session.scalar(
        select(PasswordToken.id).where(
            PasswordToken.user_id == user.id,
            PasswordToken.created_at > utcnow() - RESET_QUIET,
        )
    )
    if recent is not None:
        return
    token = _issue_token(session, user, RESET)
    mail.queue(
        session,
        user,
        "reset",
        _token_hash(token)[:16],
        {"token": token, "username": user.username, "hours": _hours()},
    )
    audit.record(session, actor_for(user), "update", "user", user.id, detail="glömt lösenord")


TOKEN_INVALID = "Länken gäller inte längre. Be om en ny med ”Glömt lösenord?”."


def token_user(session: Session, token: str | None) -> tuple[PasswordToken, User] | None:
    """The link's token and user while it can still be used, else None."""
    if not token:
        return None
    row = session.scalar(
        select(PasswordToken).where(PasswordToken.token_hash == _token_hash(token))
    )
    if row is None or row.used_at or row.revoked_at or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return row, user


def set_password_with_token(session: Session, token: str, password: str, repeat: str) -> User:
    """Choose one's own password through a link; the link is then used up."""
    found = token_user(session, token)
    if found is None:
        raise ValidationError({"token": TOKEN_INVALID})
    row, user = found
    if password != repeat:
        raise ValidationError({"repeat": "De två lösenorden är inte lika."})
    validate_password(password, user.username)
    # the link is used up with a compare-and-set: two tabs cannot both use it
    used = session.execute(
        update(PasswordToken)
        .where(PasswordToken.id == row.id, PasswordToken.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if not used:
        raise ValidationError({"token": TOKEN_INVALID})
    _set_password(session, user, password)
    audit.record(
        session,
        actor_for(user),
        "update",
        "user",
        user.id,
        detail="valde eget lösenord via " + ("inbjudan" if row.purpose == INVITATION else "länk"),
    )
    return user


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    _require_admin(actor)
    user = get_user(session, username)
    if user is None:
        raise NotFound(f"Användaren ”{username}” finns inte.")
    if not active and user.id == actor.user_id:
        raise ValidationError("Du kan inte stänga av ditt eget konto.")
    before = audit.snapshot(user, _USER_FIELDS)
    user.active = active
    if not active:
        revoke_sessions(session, user)
    audit.record(
        session,
        actor,
        "update",
        "user",
        user.id,
        before=before,
        after=audit.snapshot(user, _USER_FIELDS),
        detail="aktiverad" if active else "avstängd",
    )
    return user


def reset_password(session: Session, actor: Actor, username: str, new_password: str) -> User:
    """An admin sets a new password; the user's earlier sessions stop working."""
    _require_admin(actor)
    user = get_user(session, username)
    if user is None:
        raise NotFound(f"Användaren ”{username}” finns inte.")
    validate_password(new_password, user.username)
    _set_password(session, user, new_password)
    audit.record(session, actor, "update", "user", user.id, detail="lösenord återställt")
    return user


def change_password(
    session: Session, actor: Actor, current_password: str, new_password: str, repeat: str
) -> User:
    """The user changes their own password; every earlier session (other devices) ends."""
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound("Användaren finns inte längre.")
    if not check_password(current_password, user.password_hash):
        raise ValidationError({"current": "Nuvarande lösenord stämmer inte."})
    if new_password != repeat:
        raise ValidationError({"repeat": "De två nya lösenorden är inte lika."})
    if new_password == current_password:
        raise ValidationError({"password": "Välj ett annat lösenord än det nuvarande."})
    validate_password(new_password, user.username)
    _set_password(session, user, new_password)
    audit.record(session, actor, "update", "user", user.id, detail="bytte eget lösenord")
    return user


def _set_password(session: Session, user: User, password: str) -> None:
    now = utcnow()
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    # a new password ends the throttling of the account, from every client
    session.execute(delete(LoginThrottle).where(LoginThrottle.username == user.username))
    revoke_sessions(session, user, now)
    _revoke_tokens(session, user, now)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def generate_password() -> str:
    """A random password that meets the policy, for new accounts and resets."""
    return secrets.token_urlsafe(12)


# --- installation secret ---------------------------------------------------------------------

COOKIE_SECRET_KEY = "cookie_secret"


def installation_cookie_secret(session: Session) -> str:
    """The secret that signs login cookies: random per installation, created on first use and
    kept in the database (shared by every app server of the installation, never in git)."""
    row = session.get(Setting, COOKIE_SECRET_KEY)
    if row is None:
        row = Setting(key=COOKIE_SECRET_KEY, value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return row.value
