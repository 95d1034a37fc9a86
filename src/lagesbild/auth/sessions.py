"""Sessions and cookies: login and device tokens, session revocation, and the
installation secret that signs the cookies."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import jwt
from sqlalchemy.orm import Session

from lagesbild.auth.passwords import normalise_username
from lagesbild.clock import utcnow
from lagesbild.models import Setting, User

DEVICE_COOKIE_DAYS = 365


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
