"""Users, roles and organisations; password checks with throttling; session revocation.

No streamlit here: the login glue in `lagesbild.ui.login` calls these functions, and so do the
CLI and the tests.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import secrets
from dataclasses import dataclass

import bcrypt
import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from lagesbild import permissions
from lagesbild.actor import Actor
from lagesbild.clock import utcnow
from lagesbild.errors import NotFound, ValidationError
from lagesbild.models import Organisation, Role, Setting, User
from lagesbild.services import audit

MAX_FAILED_LOGINS = 5
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

# Compared against when the username is unknown, so that a wrong username costs as much time
# as a wrong password and does not reveal which usernames exist.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt()).decode()

_USER_FIELDS = ["username", "display_name", "organisation_id", "role", "active"]


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
            minutes = max(1, round((self.retry_after or THROTTLE_WINDOW).total_seconds() / 60))
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


def _throttled_for(user: User, now: dt.datetime) -> dt.timedelta | None:
    start = user.failed_login_window_start
    if start is None or now - start >= THROTTLE_WINDOW:
        return None
    if user.failed_login_count >= MAX_FAILED_LOGINS:
        return start + THROTTLE_WINDOW - now
    return None


def verify_login(
    session: Session, username: str, password: str, now: dt.datetime | None = None
) -> LoginResult:
    """Check a username and password, counting failures in a time window.

    After MAX_FAILED_LOGINS failures within THROTTLE_WINDOW the account refuses every attempt,
    even a correct one, until the window has passed; then it opens by itself (no permanent
    lockout that an attacker could use to shut a chair out before a meeting).
    """
    now = now or utcnow()
    user = get_user(session, username)
    if user is None:
        check_password(password, _DUMMY_HASH)
        return LoginResult(LoginOutcome.WRONG)
    wait = _throttled_for(user, now)
    if wait is not None:
        return LoginResult(LoginOutcome.THROTTLED, user.id, wait)
    if not check_password(password, user.password_hash):
        if user.failed_login_window_start is None or (
            now - user.failed_login_window_start >= THROTTLE_WINDOW
        ):
            user.failed_login_window_start = now
            user.failed_login_count = 0
        user.failed_login_count += 1
        return LoginResult(LoginOutcome.WRONG, user.id)
    if not user.active:
        return LoginResult(LoginOutcome.DISABLED, user.id)
    user.failed_login_count = 0
    user.failed_login_window_start = None
    user.last_login_at = now
    return LoginResult(LoginOutcome.OK, user.id)


def session_is_valid(user: User | None, issued_at: float) -> bool:
    """Whether a session (cookie or open browser tab) issued at `issued_at` (epoch seconds)
    still holds: the user exists, is active, and has not logged out or changed password since."""
    if user is None or not user.active:
        return False
    revoked = user.sessions_revoked_at
    return revoked is None or issued_at > revoked.replace(tzinfo=dt.UTC).timestamp()


def login_token(username: str, secret: str, expiry_days: float, issued_at: float) -> str:
    """A login cookie in streamlit-authenticator's format: a JWT with `username` and
    `exp_date` (epoch seconds), signed with the installation's secret."""
    return jwt.encode(
        {"username": username, "exp_date": issued_at + expiry_days * 86400},
        secret,
        algorithm="HS256",
    )


def login_token_issued_at(
    token: str | None, secret: str, expiry_days: float, now: float
) -> tuple[str, float] | None:
    """Validate a login cookie written by streamlit-authenticator (a JWT with `username` and
    `exp_date`). Returns (username, issued_at) or None for a missing, forged, malformed or
    expired token. The issue time is `exp_date` minus the configured expiry."""
    if not token:
        return None
    try:
        payload = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None
    username, exp_date = payload.get("username"), payload.get("exp_date")
    if not isinstance(username, str) or not isinstance(exp_date, int | float):
        return None
    if exp_date <= now:
        return None
    return normalise_username(username), float(exp_date) - expiry_days * 86400


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
    password: str,
) -> User:
    _require_admin(actor)
    username = normalise_username(username)
    problems = {}
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
        password_hash=hash_password(password),
        password_changed_at=utcnow(),
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor, "create", "user", user.id, after=audit.snapshot(user, _USER_FIELDS)
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
    user.failed_login_count = 0
    user.failed_login_window_start = None
    revoke_sessions(session, user, now)


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
