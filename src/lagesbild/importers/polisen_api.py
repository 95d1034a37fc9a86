"""Fetching the police's public events API (polisen.se/api/events) over HTTP.

Standard library only. Every request has a timeout; a timeout, a broken connection, HTTP 5xx
or 429, an empty answer and an answer that is not a JSON list of events are logged and tried
again after a growing pause, a bounded number of times. Other HTTP errors (404, 403 …) are
not retried: asking again will not change them.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("lagesbild.polisen")

USER_AGENT = "Lagesbild (lokalt brottsförebyggande råd)"


@dataclass(frozen=True)
class Policy:
    """How patiently to fetch: seconds per request, tries in all, and the first pause between
    tries (doubled after each failure)."""

    timeout: float = 30.0
    attempts: int = 4
    backoff: float = 5.0

    def pause(self, attempt: int) -> float:
        """The pause after failed try number `attempt` (1, 2, …)."""
        return self.backoff * 2 ** (attempt - 1)


@dataclass(frozen=True)
class Answer:
    content: bytes
    events: int  # entries in the answer
    attempts: int


class FetchFailed(Exception):
    """Every try failed (or the server refused for good). The message is Swedish."""

    def __init__(self, message: str, attempts: int):
        super().__init__(message)
        self.attempts = attempts


# Counties by the first two digits of a municipality code (SCB). Since 2026 the API names most
# events' location by the county, so a municipality's events are asked for by both names.
COUNTIES = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}


def events_url(base: str, places: list[str]) -> str:
    """The API address asking for the events of the given location names (`locationname`,
    separated by semicolons), keeping any other query the configured address has."""
    parts = urllib.parse.urlsplit(base.strip())
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "locationname"]
    query.append(("locationname", ";".join(places)))
    encoded = urllib.parse.urlencode(query, safe=";", quote_via=urllib.parse.quote)
    return urllib.parse.urlunsplit(parts._replace(query=encoded))


class _Retry(Exception):
    """A failure worth another try."""


def _problem(content: bytes) -> str | None:
    """Why an answer with status 200 is still unusable, or None."""
    if not content.strip():
        return "tomt svar"
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        return f"svaret är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno})"
    except UnicodeDecodeError:
        return "svaret är inte giltig JSON (okänd teckenkodning)"
    if not isinstance(data, list):
        return "svaret är ingen lista med händelser"
    return None


def _get(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise _Retry(f"HTTP {exc.code} {exc.reason}") from exc
        raise
    except TimeoutError as exc:
        raise _Retry(f"inget svar inom {timeout:g} s") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _Retry(f"inget svar inom {timeout:g} s") from exc
        raise _Retry(f"ingen förbindelse ({exc.reason})") from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        raise _Retry(f"förbindelsen bröts ({exc.__class__.__name__})") from exc


def fetch(
    url: str, policy: Policy = Policy(), *, sleep: Callable[[float], None] = time.sleep
) -> Answer:
    """The events at `url`, as the bytes of a JSON list. Raises FetchFailed."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https") or "//" not in url:
        raise FetchFailed(
            f"Adressen ”{url}” till polisens API är ingen webbadress; den ska börja med "
            "https:// (eller http://).",
            0,
        )
    attempts = max(1, policy.attempts)
    reason = ""
    for attempt in range(1, attempts + 1):
        try:
            content = _get(url, policy.timeout)
            problem = _problem(content)
            if problem:
                raise _Retry(problem)
        except urllib.error.HTTPError as exc:
            log.error("Polisens API svarade HTTP %s %s på %s", exc.code, exc.reason, url)
            raise FetchFailed(
                f"Polisens API svarade HTTP {exc.code} ({exc.reason}); kontrollera adressen {url}.",
                attempt,
            ) from exc
        except _Retry as exc:
            reason = str(exc)
            log.warning("Försök %d av %d mot %s misslyckades: %s", attempt, attempts, url, reason)
            if attempt < attempts:
                pause = policy.pause(attempt)
                log.info("Försöker igen om %g s.", pause)
                sleep(pause)
            continue
        events = len(json.loads(content))
        log.info("Hämtade %d händelser från %s (försök %d).", events, url, attempt)
        return Answer(content=content, events=events, attempts=attempt)
    raise FetchFailed(
        f"Polisens händelser gick inte att hämta efter {attempts} försök: {reason}.", attempts
    )
