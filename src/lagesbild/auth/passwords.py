"""Passwords: the policy, hashing and checking (bcrypt), generated passwords."""

from __future__ import annotations

import secrets

import bcrypt

from lagesbild.errors import ValidationError

MIN_PASSWORD_LENGTH = 10
# bcrypt's work factor for new hashes (2^12 rounds, about 0.3 s on a small server). A stored
# hash keeps the factor it was made with.
BCRYPT_ROUNDS = 12
# Compared against when the username is unknown, so that a wrong username costs as much time
# as a wrong password and does not reveal which usernames exist. A fixed hash at the same work
# factor (of a random text nobody knows), not one made at import: making it cost every process
# that imports this module 0.35 s of CPU (each app server's first page, each command).
_DUMMY_HASH = "$2b$12$3OXNAPsQffB2fwbLxDr6.eIg6YPswHNNwBe762jo..0GJE41ga47K"


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


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


def generate_password() -> str:
    """A random password that meets the policy, for new accounts and resets."""
    return secrets.token_urlsafe(12)
