"""The police feed: fetch the police's public events for the forum's municipality, import them
as one organisation, and record every run, good or bad.

The import is the ordinary one (`imports.read_file` and `imports.run_import`): idempotent by
the events' ids, all or nothing. Nothing is created on the way: a forum without a municipality
or without the organisation is a failed run with a message that says what to do.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from lagesbild import auth, clock, db, municipalities
from lagesbild.actor import SYSTEM
from lagesbild.errors import UserError
from lagesbild.importers import polisen
from lagesbild.importers.polisen_api import COUNTIES, FetchFailed, Policy, events_url, fetch
from lagesbild.importers.reading import ImportFileError
from lagesbild.models import FeedRun
from lagesbild.reference import MUNICIPALITY_KEY, get_setting
from lagesbild.services import imports

log = logging.getLogger("lagesbild.polisen")

FEED = polisen.SOURCE
DEFAULT_ORGANISATION = "Polisen"


@dataclass
class SyncResult:
    """What one run did. Counts are of the fetched answer; nothing is stored when not ok."""

    ok: bool
    message: str
    url: str = ""
    attempts: int = 0
    fetched: int = 0
    added: int = 0
    already: int = 0
    skipped: int = 0
    run_id: int | None = None
    notes: list[str] = field(default_factory=list)  # the import report's notes


class _Failed(Exception):
    def __init__(self, message: str, attempts: int = 0, fetched: int = 0):
        super().__init__(message)
        self.attempts = attempts
        self.fetched = fetched


def _forum(engine: Engine, organisation: str) -> tuple[str, int]:
    """The forum's municipality and the importing organisation's id."""
    with db.transaction(engine) as session:
        municipality = get_setting(session, MUNICIPALITY_KEY).strip()
        if not municipality:
            raise _Failed(
                "Forumets kommun är inte inställd, så polisens händelser kan inte väljas ut. "
                "Skapa forumet med ”lagesbild init --municipality …”."
            )
        try:
            org = auth.find_organisation(session, organisation)
        except UserError as exc:
            raise _Failed(
                f"{exc} Lägg till den (”lagesbild org add {organisation} --kind polis”) eller "
                "ange en annan med --org."
            ) from exc
        return municipality, org.id


def location_names(municipality: str) -> list[str]:
    """The API's location names for a municipality's events: its own name, and its county's
    (from the municipality's code) when the municipality is one of Sweden's."""
    found = municipalities.find(municipality)
    if found is None:
        return [municipality]
    county = COUNTIES.get(found.code[:2])
    return [found.name, county] if county else [found.name]


def without_repeats(content: bytes) -> tuple[bytes, int]:
    """The answer with every event id only once (the first, newest, entry is kept), and how
    many repeats were left out. An answer without repeats is returned as it came."""
    events = json.loads(content)
    seen: set[str] = set()
    kept = []
    for event in events:
        key = event.get("id") if isinstance(event, dict) else None
        if key is not None:
            if str(key) in seen:
                continue
            seen.add(str(key))
        kept.append(event)
    if len(kept) == len(events):
        return content, 0
    return json.dumps(kept, ensure_ascii=False).encode("utf-8"), len(events) - len(kept)


def _import(engine: Engine, content: bytes, url: str, organisation_id: int) -> imports.ImportReport:
    with db.transaction(engine) as session:
        table, mapping, skipped = imports.read_file(session, content, "api.json", FEED)
        return imports.run_import(
            session,
            SYSTEM,
            source=FEED,
            filename=url,
            table=table,
            mapping=mapping,
            organisation_id=organisation_id,
            pre_skipped=skipped,
        )


def sync_police(
    engine: Engine,
    *,
    base_url: str,
    organisation: str = DEFAULT_ORGANISATION,
    policy: Policy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncResult:
    """Fetch, import and record one run. Never raises for a failed fetch or import: the run is
    recorded as failed and the result says why."""
    started = clock.utcnow()
    url = base_url
    try:
        municipality, organisation_id = _forum(engine, organisation)
        url = events_url(base_url, location_names(municipality))
        try:
            answer = fetch(url, policy or Policy(), sleep=sleep)
        except FetchFailed as exc:
            raise _Failed(str(exc), exc.attempts) from exc
        content, repeats = without_repeats(answer.content)
        if repeats:
            log.info("%d händelser stod flera gånger i svaret och importeras en gång.", repeats)
        try:
            report = _import(engine, content, url, organisation_id)
        except (ImportFileError, UserError) as exc:
            raise _Failed(str(exc), answer.attempts, answer.events) from exc
        except IntegrityError as exc:
            raise _Failed(
                "En annan hämtning sparade samma händelser samtidigt; inget sparades två "
                "gånger, och nästa körning tar det som saknas.",
                answer.attempts,
                answer.events,
            ) from exc
        except SQLAlchemyError as exc:
            raise _Failed(
                f"Databasen tog inte emot händelserna ({exc.__class__.__name__}); inget "
                "sparades, och nästa körning försöker igen.",
                answer.attempts,
                answer.events,
            ) from exc
        if not report.ok:
            errors = "; ".join(str(e) for e in report.errors[:3])
            raise _Failed(
                f"Inget sparades: {len(report.errors)} fel i polisens svar ({errors}). Nästa "
                "körning försöker igen.",
                answer.attempts,
                answer.events,
            )
        result = SyncResult(
            ok=True,
            message=report.summary(),
            url=url,
            attempts=answer.attempts,
            fetched=answer.events,
            added=report.added,
            already=report.already,
            skipped=len(report.skipped) + repeats,
            notes=list(report.notes),
        )
        unknown = [n for n in report.notes if n.startswith(polisen.UNKNOWN_TYPES)]
        if unknown:  # kept with the run, so the admin page shows them too
            result.message += " " + " ".join(unknown)
            log.warning("%s", " ".join(unknown))
        if repeats:
            result.message += f" {repeats} stod flera gånger i svaret."
    except _Failed as exc:
        result = SyncResult(
            ok=False, message=str(exc), url=url, attempts=exc.attempts, fetched=exc.fetched
        )
        log.error("Hämtningen av polisens händelser misslyckades: %s", result.message)
    result.run_id = _record(engine, result, started)
    return result


def _record(engine: Engine, result: SyncResult, started) -> int:
    with db.transaction(engine) as session:
        run = FeedRun(
            feed=FEED,
            url=result.url[:500],
            started_at=started,
            finished_at=clock.utcnow(),
            ok=result.ok,
            attempts=result.attempts,
            fetched=result.fetched,
            added=result.added,
            already=result.already,
            skipped=result.skipped,
            message=result.message,
        )
        session.add(run)
        session.flush()
        return run.id


_INTERVAL = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(s|sek|m|min|h|tim)\s*$", re.IGNORECASE)
_UNIT = {"s": 1, "sek": 1, "m": 60, "min": 60, "h": 3600, "tim": 3600}


def parse_interval(text: str) -> float:
    """Seconds from "15m", "1h", "30s" (a unit is required). Raises ValueError in Swedish."""
    match = _INTERVAL.match(text)
    seconds = float(match[1].replace(",", ".")) * _UNIT[match[2].lower()] if match else 0
    if seconds <= 0:
        raise ValueError(
            f"”{text}” är inget intervall; skriv t.ex. 15m (minuter), 1h (timmar) eller 30s."
        )
    return seconds


def run_every(
    seconds: float, job: Callable[[], object], *, wait: Callable[[float], None] = time.sleep
) -> None:
    """Run `job` now and then every `seconds` (start to start) until interrupted (Ctrl-C raises
    KeyboardInterrupt out of here). A job that takes longer than the interval is followed at
    once by the next."""
    while True:
        began = time.monotonic()
        job()
        wait(max(0.0, seconds - (time.monotonic() - began)))
