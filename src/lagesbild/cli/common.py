"""What the commands share: the database, passwords, logging, signals and argument types."""

from __future__ import annotations

import argparse
import sys

from lagesbild import auth, db
from lagesbild.config import load_settings

# The engines a command opened, closed when the command is done (see `main`).
_OPEN_ENGINES: list = []


def _engine(args):
    url = args.database_url or load_settings().database_url
    engine = db.make_engine(url)
    _OPEN_ENGINES.append(engine)
    db.upgrade(engine)
    return engine


def close_engines() -> None:
    """Close the database connections the command opened, so that a program calling the
    command many times (a test, a scheduler in-process) never runs out of connections."""
    while _OPEN_ENGINES:
        _OPEN_ENGINES.pop().dispose()


def _read_password(args) -> tuple[str, bool]:
    """The password from stdin if asked for, else a generated one. Returns (password, shown)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    return auth.generate_password(), True


def _log_to_stderr() -> None:
    """Progress and retries of long-running commands, with time stamps, on stderr."""
    import logging

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _duration(seconds: float) -> str:
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


def _number(text: str, kind: type, lowest: float, what: str) -> float:
    try:
        value = kind(text.replace(",", "."))
    except ValueError:
        value = None
    if value is None or not value >= lowest:
        raise argparse.ArgumentTypeError(f"”{text}” är inte {what}.")
    return value


def _positive(text: str) -> float:
    return _number(text, float, 0.001, "ett antal sekunder större än noll")


def _seconds(text: str) -> float:
    return _number(text, float, 0, "ett antal sekunder")


def _count(text: str) -> int:
    return _number(text, int, 1, "ett heltal från 1")


def _interval(text: str) -> float:
    from lagesbild.services.feed import parse_interval

    try:
        return parse_interval(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


# argparse's own words (usage, help, errors), in Swedish: the command speaks one language.
SWEDISH_ARGPARSE = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "de här argumenten behövs: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ogiltigt val: %(value)r (välj bland %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "expected one argument": "ett värde behövs",
    "expected at most one argument": "högst ett värde",
    "expected at least one argument": "minst ett värde behövs",
    "unrecognized arguments: %s": "okända argument: %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "flaggan %(option)s kan betyda %(matches)s"
    ),
    "not allowed with argument %s": "går inte tillsammans med %s",
    "one of the arguments %s is required": "ett av argumenten %s behövs",
    "ignored explicit argument %r": "värdet %r används inte",
}


def speak_swedish() -> None:
    """Make argparse's usage lines, headings and error messages Swedish."""
    argparse._ = lambda text: SWEDISH_ARGPARSE.get(text, text)
