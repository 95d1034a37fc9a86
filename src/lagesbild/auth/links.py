"""Single-use links to choose one's own password (invitations, "glömt lösenord"), and
setting a password."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from lagesbild.actor import Actor
from lagesbild.auth import passwords
from lagesbild.auth.passwords import validate_password
from lagesbild.auth.sessions import revoke_sessions
from lagesbild.auth.users import EMAIL_RE, actor_for, managed_user, normalise_email
from lagesbild.clock import utcnow
from lagesbild.errors import ValidationError
from lagesbild.models import LoginThrottle, PasswordToken, User
from lagesbild.services import audit, mail

TOKEN_LIFETIME = dt.timedelta(hours=72)  # an invitation or "glömt lösenord" link
RESET_QUIET = dt.timedelta(minutes=5)  # no second "glömt lösenord" mail within this
INVITATION = "inbjudan"
RESET = "aterstall"


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
    user = managed_user(session, actor, username)
    if not user.email:
        raise ValidationError({"email": "Användaren har ingen e-postadress."})
    _send_link(session, user, INVITATION, "invitation")
    audit.record(session, actor, "update", "user", user.id, detail="inbjudan skickad")
    return user


def _send_link(session: Session, user: User, purpose: str, template: str) -> None:
    """A new link for `user` (`_issue_token`), queued to them in the e-mail `template`."""
    token = _issue_token(session, user, purpose)
    mail.queue(
        session,
        user,
        template,
        _token_hash(token)[:16],
        {"token": token, "username": user.username, "hours": _hours()},
    )


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
    _send_link(session, user, RESET, "reset")
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


def _set_password(session: Session, user: User, password: str) -> None:
    now = utcnow()
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = now
    # a new password ends the throttling of the account, from every client
    session.execute(delete(LoginThrottle).where(LoginThrottle.username == user.username))
    revoke_sessions(session, user, now)
    _revoke_tokens(session, user, now)
