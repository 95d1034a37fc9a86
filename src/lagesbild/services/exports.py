"""Exports of the picture: each file handed out is recorded in the audit log, because a file
given to another organisation becomes an allmän handling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine

from lagesbild import db
from lagesbild.actor import Actor
from lagesbild.errors import NotFound
from lagesbild.export import action_plan, minutes, tables
from lagesbild.filters import Scope
from lagesbild.queries import actions as action_queries
from lagesbild.queries import incidents, meetings
from lagesbild.queries import summary as summary_queries
from lagesbild.queries.common import Viewer
from lagesbild.services import audit

MAX_ROWS = 200_000


def record(
    engine: Engine, actor: Actor, what: str, file_format: str, rows: int, description: str
) -> None:
    with db.transaction(engine) as session:
        audit.record(
            session,
            actor,
            "export",
            what,
            None,
            after={"format": file_format, "rows": rows, "urval": description},
            detail=f"{file_format.upper()}: {rows} rader – {description}",
        )


def incident_file(
    engine: Engine,
    actor: Actor,
    viewer: Viewer,
    scope: Scope,
    file_format: str,
    description: str,
    summaries: dict[str, pd.DataFrame] | None = None,
) -> bytes:
    """The incidents of a selection (and, in Excel, the page's summary tables) as a file,
    recorded in the audit log when it is made."""
    with engine.connect() as conn:
        listing = incidents.listing(conn, scope=scope, viewer=viewer, limit=MAX_ROWS)
    people = tables.incidents_for_people(listing)
    if file_format == "csv":
        data = tables.to_csv(people)
    else:
        sheets = {"Händelser": people, **(summaries or {})}
        data = tables.to_excel(sheets, title=f"Lägesbild – {description}")
    record(engine, actor, "incident", file_format, len(people), description)
    return data


def deferred(
    engine: Engine,
    actor: Actor,
    viewer: Viewer,
    scope: Scope,
    file_format: str,
    description: str,
    summaries: dict[str, pd.DataFrame] | None = None,
) -> Callable[[], bytes]:
    """The same, made only when the user clicks download."""
    return lambda: incident_file(engine, actor, viewer, scope, file_format, description, summaries)


def action_plan_file(
    engine: Engine, actor: Actor, file_format: str, forum: str, today: dt.date
) -> bytes:
    """The current action plan as Excel or PDF, recorded in the audit log when it is made."""
    with engine.connect() as conn:
        plan = action_plan.plan_table(action_queries.action_list(conn, today), today)
    data = (
        action_plan.to_excel(plan, forum, today)
        if file_format == "xlsx"
        else action_plan.to_pdf(plan, forum, today)
    )
    record(engine, actor, "action_plan", file_format, len(plan), f"åtgärdsplan {today}")
    return data


def minutes_file(engine: Engine, actor: Actor, meeting_id: int, file_format: str) -> bytes:
    """A closed meeting's minutes as PDF or Markdown, recorded in the audit log. Both are made
    from the meeting's data (the Markdown with every text escaped)."""
    with engine.connect() as conn:
        data, markdown = meetings.minutes(conn, meeting_id)
    if data is None or markdown is None:
        raise NotFound("Mötet har inget protokoll.")
    out = minutes.to_markdown(data).encode("utf-8") if file_format == "md" else minutes.to_pdf(data)
    record(engine, actor, "minutes", file_format, 1, minutes.title(data))
    return out


def _report_makers(document: str) -> tuple[str, dict[str, Callable]]:
    """A leadership report's title and its makers by format: (summary, plan, forum) -> bytes.
    Imported here, when a report is made: the pages that only show its download buttons do
    not load matplotlib, reportlab and python-docx."""
    from lagesbild.export import statutory
    from lagesbild.export import summary as summary_export

    if document == "summary":
        return summary_export.TITLE, {
            "pdf": lambda s, plan, forum: summary_export.to_pdf(s, forum),
            "xlsx": lambda s, plan, forum: summary_export.to_excel(s, forum),
        }
    if document == "statutory":
        return statutory.TITLE, {"pdf": statutory.to_pdf, "docx": statutory.to_docx}
    raise ValueError(f"unknown report {document!r}")


def report_file(
    engine: Engine,
    actor: Actor,
    summary: summary_queries.Summary,
    forum: str,
    document: str,
    file_format: str,
) -> bytes:
    """A report for leadership from the figures the reader has on the page – the lägesrapport
    (PDF, Excel) or the lägesbild och åtgärdsplan (PDF, Word) –, recorded in the audit log
    when it is made."""
    title, makers = _report_makers(document)
    plan = None
    if document == "statutory":
        with engine.connect() as conn:
            plan = action_plan.plan_table(
                action_queries.action_list(conn, summary.today), summary.today
            )
    data = makers[file_format](summary, plan, forum)
    rows = summary.totals["current"]
    record(engine, actor, document, file_format, rows, f"{title} {summary.label}")
    return data
