"""User administration: creating accounts, addresses, disabling, password resets and
changes."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from lagesbild.actor import Actor
from lagesbild.auth import passwords
from lagesbild.auth.links import _set_password, invite
from lagesbild.auth.passwords import validate_password
from lagesbild.auth.sessions import revoke_sessions
from lagesbild.auth.users import (
    _USER_FIELDS,
    EMAIL_RE,
    USERNAME_RE,
    _require_admin,
    audit_change,
    get_user,
    managed_user,
    normalise_email,
    normalise_username,
)
from lagesbild.clock import utcnow
from lagesbild.errors import NotFound, ValidationError
from lagesbild.models import Organisation, Role, User
from lagesbild.services import audit


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
        password_hash=passwords.hash_password(password or secrets.token_urlsafe(32)),
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


def set_email(session: Session, actor: Actor, username: str, email: str) -> User:
    """An admin changes a user's address (empty: none)."""
    user = managed_user(session, actor, username)
    email = normalise_email(email)
    if email and not EMAIL_RE.match(email):
        raise ValidationError({"email": "E-postadressen ser inte ut som en e-postadress."})
    before = audit.snapshot(user, _USER_FIELDS)
    user.email = email or None
    audit_change(session, actor, user, before, "ny e-postadress")
    return user


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    user = managed_user(session, actor, username)
    if not active and user.id == actor.user_id:
        raise ValidationError("Du kan inte stänga av ditt eget konto.")
    before = audit.snapshot(user, _USER_FIELDS)
    user.active = active
    if not active:
        revoke_sessions(session, user)
    audit_change(session, actor, user, before, "aktiverad" if active else "avstängd")
    return user


def reset_password(session: Session, actor: Actor, username: str, new_password: str) -> User:
    """An admin sets a new password; the user's earlier sessions stop working."""
    user = managed_user(session, actor, username)
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
    if not passwords.check_password(current_password, user.password_hash):
        raise ValidationError({"current": "Nuvarande lösenord stämmer inte."})
    if new_password != repeat:
        raise ValidationError({"repeat": "De två nya lösenorden är inte lika."})
    if new_password == current_password:
        raise ValidationError({"password": "Välj ett annat lösenord än det nuvarande."})
    validate_password(new_password, user.username)
    _set_password(session, user, new_password)
    audit.record(session, actor, "update", "user", user.id, detail="bytte eget lösenord")
    return user
