"""Settings for one installation, read from the environment and `.streamlit/secrets.toml`.

Precedence: environment variable, then `[lagesbild]` in `.streamlit/secrets.toml`, then the
default. Nothing here imports streamlit: the CLI, the tests and the app share it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("data")
DEFAULT_BASEMAP = "carto-positron"
DEFAULT_POLISEN_URL = "https://polisen.se/api/events"
TIMEZONE = "Europe/Stockholm"


@dataclass(frozen=True)
class Settings:
    database_url: str
    cookie_secret: str | None
    cookie_name: str
    cookie_expiry_days: float
    basemap: str
    data_dir: Path
    meeting_refresh_seconds: float = 15.0  # how often the meeting view looks for news
    # how often a follower's screen checks the meeting's step itself (a change made on the same
    # server reaches it at once, see ui.room; this is for one made on another server)
    meeting_poll_seconds: float = 1.0
    polisen_url: str = DEFAULT_POLISEN_URL  # the police's public events API
    smtp: Smtp | None = None  # None: no e-mail is sent
    smtp_error: str = ""  # why the SMTP settings could not be used (Swedish)
    base_url: str = ""  # the app's public address, for links in e-mail


SMTP_TLS = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class Smtp:
    """The municipality's own mail server (LAGESBILD_SMTP_*)."""

    host: str
    port: int
    tls: str  # none, starttls or ssl
    user: str | None
    password: str | None
    sender: str
    timeout: float = 30.0


def _smtp(pick) -> tuple[Smtp | None, str]:
    """The mail server, or None and why not (empty when simply not configured)."""
    host = pick("smtp_host")
    if not host:
        return None, ""
    tls = (pick("smtp_tls", "starttls") or "").lower()
    if tls not in SMTP_TLS:
        return None, "LAGESBILD_SMTP_TLS ska vara none, starttls eller ssl."
    default_port = {"none": "25", "starttls": "587", "ssl": "465"}[tls]
    try:
        port = int(pick("smtp_port", default_port))
        timeout = float(pick("smtp_timeout", "30"))
    except ValueError:
        return None, "LAGESBILD_SMTP_PORT och LAGESBILD_SMTP_TIMEOUT ska vara tal."
    sender = pick("smtp_sender")
    if not sender or "@" not in sender:
        return None, "Ange avsändarens e-postadress i LAGESBILD_SMTP_SENDER."
    return Smtp(
        host=host,
        port=port,
        tls=tls,
        user=pick("smtp_user"),
        password=pick("smtp_password"),
        sender=sender,
        timeout=timeout,
    ), ""


def _secrets(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh).get("lagesbild", {})
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'lagesbild.db').resolve()}"


def load_settings(env: dict[str, str] | None = None, secrets_path: Path | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    secrets = _secrets(secrets_path or Path(".streamlit") / "secrets.toml")

    def pick(key: str, default: str | None = None) -> str | None:
        value = env.get(f"LAGESBILD_{key.upper()}")
        if value:
            return value
        value = secrets.get(key)
        return str(value) if value not in (None, "") else default

    data_dir = Path(pick("data_dir", str(DEFAULT_DATA_DIR)))
    smtp, smtp_error = _smtp(pick)
    return Settings(
        database_url=pick("database_url") or default_database_url(data_dir),
        cookie_secret=pick("cookie_secret"),
        cookie_name=pick("cookie_name", "lagesbild_inloggning"),
        cookie_expiry_days=float(pick("cookie_expiry_days", "14")),
        basemap=pick("basemap", DEFAULT_BASEMAP),
        data_dir=data_dir,
        meeting_refresh_seconds=max(1.0, float(pick("meeting_refresh_seconds", "15"))),
        meeting_poll_seconds=max(0.5, float(pick("meeting_poll_seconds", "1"))),
        polisen_url=pick("polisen_url", DEFAULT_POLISEN_URL),
        smtp=smtp,
        smtp_error=smtp_error,
        base_url=(pick("base_url", "") or "").rstrip("/"),
    )
