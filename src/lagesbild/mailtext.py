"""The words of each e-mail: subject, plain text and simple HTML, in Swedish, each with a link
to the page it is about. Rendered from an outbox message's payload when it is sent."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from urllib.parse import quote

from lagesbild import fmt
from lagesbild.labels import ACTION_STATUS
from lagesbild.models import ActionStatus

DEFAULT_BASE_URL = "http://localhost:8501"


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def _status(value: str | None) -> str:
    try:
        return ACTION_STATUS[ActionStatus(value)].lower()
    except ValueError:
        return value or ""


def _date(value: str | None) -> str:
    return fmt.date(dt.date.fromisoformat(value)) if value else "inget datum"


def _when(value: str) -> str:
    return fmt.datetime(dt.datetime.fromisoformat(value))


def link(base_url: str, path: str) -> str:
    return f"{(base_url or DEFAULT_BASE_URL).rstrip('/')}/{path}"


def render(kind: str, p: dict, base_url: str) -> Mail:
    """The message of `kind` with payload `p`."""
    lines, target, label = _BUILDERS[kind](p, base_url)
    subject, *body = lines
    greeting = f"Hej {p.get('name', '')}!".replace(" !", "!")
    footer = (
        "Du får det här brevet från Lägesbild. Vad du får väljer du under Mitt konto: "
        f"{link(base_url, 'konto')}"
        if kind not in ("invitation", "reset")
        else "Du får det här brevet från Lägesbild."
    )
    text = "\n\n".join([greeting, *body, f"{label}: {target}", "-- ", footer]) + "\n"
    paragraphs = "".join(
        f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in [greeting, *body]
    )
    html_body = (
        '<!doctype html><html lang="sv"><body style="font-family: sans-serif">'
        f"{paragraphs}"
        f'<p><a href="{html.escape(target)}">{html.escape(label)}</a></p>'
        f'<hr><p style="color: #666; font-size: small">{html.escape(footer)}</p>'
        "</body></html>"
    )
    return Mail(subject=subject, text=text, html=html_body)


def _assigned(p: dict, base: str):
    return (
        [
            f"Ny åtgärd för {p['owner']}: {p['title']}",
            f"Åtgärden ”{p['title']}” har lagts på {p['owner']}.",
            f"Status: {_status(p['status'])}. Ska vara klar: {_date(p.get('due_date'))}.",
            *([p["description"]] if p.get("description") else []),
        ],
        link(base, "atgarder"),
        "Öppna Åtgärder",
    )


def _status_changed(p: dict, base: str):
    return (
        [
            f"Åtgärden ”{p['title']}” är {_status(p['status'])}",
            f"Åtgärden ”{p['title']}” ({p['owner']}) har gått från {_status(p['from'])} "
            f"till {_status(p['status'])}.",
            *([f"Kommentar: {p['note']}"] if p.get("note") else []),
        ],
        link(base, "atgarder"),
        "Öppna Åtgärder",
    )


def _due(p: dict, base: str):
    if p["stage"] == "forsenad":
        head = f"Försenad åtgärd: {p['title']}"
        line = (
            f"Åtgärden ”{p['title']}” ({p['owner']}) skulle ha varit klar {_date(p['due_date'])}."
        )
    else:
        head = f"Åtgärden ”{p['title']}” ska vara klar {_date(p['due_date'])}"
        line = (
            f"Åtgärden ”{p['title']}” ({p['owner']}) ska vara klar {_date(p['due_date'])}, "
            "inom en vecka."
        )
    return (
        [head, line, f"Status: {_status(p['status'])}. Uppdatera statusen när den är klar."],
        link(base, "atgarder"),
        "Öppna Åtgärder",
    )


def _agenda(p: dict, base: str):
    news = p["news"]
    agenda = "\n".join(f"{i}. {item}" for i, item in enumerate(p["agenda"], start=1))
    if news["total"]:
        groups = "\n".join(f"– {name}: {count}" for name, count in news["groups"])
        new = (
            f"Nytt sedan förra mötet ({_when(news['since'])}): {news['total']} händelser.\n{groups}"
        )
    else:
        new = f"Nytt sedan förra mötet ({_when(news['since'])}): inga nya händelser."
    return (
        [
            f"Möte {_when(p['held_at'])}: dagordning",
            f"Trygghetsforumet har möte {_when(p['held_at'])}.",
            f"Dagordning:\n{agenda}",
            new,
        ],
        link(base, "mote"),
        "Öppna Möte",
    )


def _minutes(p: dict, base: str):
    return (
        [
            f"Protokoll från mötet {_when(p['held_at'])}",
            f"Mötet {_when(p['held_at'])} är avslutat. Här är protokollet.",
            p["minutes"],
        ],
        link(base, "mote"),
        "Öppna Möte",
    )


def _invitation(p: dict, base: str):
    return (
        [
            "Välkommen till Lägesbild – välj ditt lösenord",
            f"Du har fått ett konto i Lägesbild med användarnamnet {p['username']}.",
            "Följ länken och välj ditt eget lösenord. Länken fungerar en gång och gäller i "
            f"{p['hours']} timmar.",
        ],
        link(base, f"?token={quote(p['token'])}"),
        "Välj lösenord",
    )


def _reset(p: dict, base: str):
    return (
        [
            "Lägesbild: välj ett nytt lösenord",
            f"Någon har bett om ett nytt lösenord för kontot {p['username']}. Följ länken och "
            f"välj ett nytt. Länken fungerar en gång och gäller i {p['hours']} timmar.",
            "Har du inte bett om det kan du strunta i det här brevet: ditt lösenord är oförändrat.",
        ],
        link(base, f"?token={quote(p['token'])}"),
        "Välj nytt lösenord",
    )


_BUILDERS = {
    "assigned": _assigned,
    "status": _status_changed,
    "due": _due,
    "agenda": _agenda,
    "minutes": _minutes,
    "invitation": _invitation,
    "reset": _reset,
}
