"""Sending the outbox (`lagesbild notify`): outside page runs, once per message.

Each message moves queued → sending → sent. It is claimed (sending, with its Message-ID chosen)
in a committed compare-and-set before it is handed to the server, and recorded as sent, with an
audit row, right after the server accepts it. So two runs at once never send one message twice,
and a run that stops between handing a message over and recording it leaves it "sending": the
next run finds it there after CLAIM_LEASE and marks it uncertain instead of sending it again
(the server may well have delivered it). A server that refuses the connection or times out
leaves the messages queued; each failed attempt waits longer (back-off) up to MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import Engine, select, update

from lagesbild import clock, db, mailtext
from lagesbild.actor import SYSTEM
from lagesbild.config import Smtp
from lagesbild.models import MailState, OutboxMessage
from lagesbild.services import audit, mail

log = logging.getLogger("lagesbild.notify")

Q = MailState
FIRST_RETRY = dt.timedelta(minutes=1)  # the wait after a failed attempt, doubling …
MAX_RETRY = dt.timedelta(hours=2)  # … up to this
MAX_ATTEMPTS = 8  # then the message is given up (failed)
CLAIM_LEASE = dt.timedelta(minutes=10)  # far longer than one message takes to send
BATCH = 200  # messages per run at most


@dataclass
class Outcome:
    queued: int = 0  # reminders and agendas added by this run
    sent: int = 0
    retry: int = 0
    failed: int = 0
    uncertain: int = 0
    lines: list[str] = field(default_factory=list)  # what a dry run would send

    def summary(self) -> str:
        return (
            f"{self.queued} nya i kön, {self.sent} skickade, {self.retry} försöks igen senare, "
            f"{self.failed} gav upp, {self.uncertain} osäkra"
        )


def retry_delay(attempts: int) -> dt.timedelta:
    return min(MAX_RETRY, FIRST_RETRY * 2 ** min(attempts - 1, 20))


def find_due(engine: Engine) -> int:
    """Queue what time has brought: due and overdue actions, meetings two days ahead."""
    with db.transaction(engine) as session:
        return mail.due_reminders(session) + mail.agenda_notices(session)


def build(row: OutboxMessage, smtp: Smtp | None, base_url: str, message_id: str) -> EmailMessage:
    text = mailtext.render(row.kind, row.payload, base_url)
    msg = EmailMessage()
    msg["Subject"] = text.subject
    msg["From"] = f"Lägesbild <{smtp.sender}>" if smtp else "Lägesbild"
    msg["To"] = row.address
    msg["Date"] = format_datetime(clock.utcnow().replace(tzinfo=dt.UTC))
    msg["Message-ID"] = message_id
    msg.set_content(text.text)
    msg.add_alternative(text.html, subtype="html")
    return msg


def dry_run(engine: Engine, base_url: str) -> list[str]:
    """What a run would send now, as text; nothing is written."""
    lines = []
    with db.transaction(engine) as session:
        mail.due_reminders(session)
        mail.agenda_notices(session)
        session.flush()
        rows = session.scalars(_sendable(clock.utcnow())).all()
        for row in rows:
            text = mailtext.render(row.kind, row.payload, base_url)
            lines.append(f"Till: {row.address}\nÄmne: {text.subject}\n\n{text.text}")
        session.rollback()
    return lines


def _sendable(now: dt.datetime):
    return (
        select(OutboxMessage)
        .where(OutboxMessage.state == Q.QUEUED.value, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(BATCH)
    )


def _settle_stale(engine: Engine, now: dt.datetime) -> int:
    """Messages a stopped run left "sending": uncertain, never sent again."""
    with db.transaction(engine) as session:
        stale = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.state == Q.SENDING.value,
                OutboxMessage.claimed_at < now - CLAIM_LEASE,
            )
        ).all()
        for row in stale:
            row.state = Q.UNCERTAIN.value
            row.last_error = "Sändningen avbröts; kan ha kommit fram och skickas inte igen."
            audit.record(
                session,
                SYSTEM,
                "mail_uncertain",
                "mail",
                row.id,
                detail=f"{row.kind} till {row.address}, {row.message_id}: {row.last_error}",
            )
        return len(stale)


def _claim(engine: Engine, row_id: int, domain: str, now: dt.datetime) -> str | None:
    """Take a queued message for this run (compare-and-set); its Message-ID, or None if
    another run took it."""
    message_id = make_msgid(domain=domain)
    with db.transaction(engine) as session:
        taken = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.state == Q.QUEUED.value)
            .values(
                state=Q.SENDING.value,
                claimed_at=now,
                message_id=message_id,
                attempts=OutboxMessage.attempts + 1,
            )
        ).rowcount
    return message_id if taken else None


def record_sent(engine: Engine, row_id: int, subject: str) -> None:
    with db.transaction(engine) as session:
        row = session.get(OutboxMessage, row_id)
        row.state = Q.SENT.value
        row.sent_at = clock.utcnow()
        row.subject = subject[:300]
        row.last_error = ""
        audit.record(
            session,
            SYSTEM,
            "mail_sent",
            "mail",
            row.id,
            detail=f"{row.kind} till {row.address}: {subject} ({row.message_id})",
        )
        # a link is only needed until it has been handed over
        if "token" in row.payload:
            row.payload = {**row.payload, "token": "(skickad)"}


def _record_failure(engine: Engine, row_id: int, error: str, permanent: bool) -> str:
    with db.transaction(engine) as session:
        row = session.get(OutboxMessage, row_id)
        row.last_error = error[:1000]
        if permanent or row.attempts >= MAX_ATTEMPTS:
            row.state = Q.FAILED.value
            audit.record(
                session,
                SYSTEM,
                "mail_failed",
                "mail",
                row.id,
                detail=f"{row.kind} till {row.address} gick inte att skicka: {error}",
            )
            return Q.FAILED.value
        row.state = Q.QUEUED.value
        row.next_attempt_at = clock.utcnow() + retry_delay(row.attempts)
        return Q.QUEUED.value


def connect(smtp: Smtp) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.tls == "ssl":
        server = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.tls == "starttls":
            server.starttls(context=context)
    if smtp.user:
        server.login(smtp.user, smtp.password or "")
    return server


def send_outbox(
    engine: Engine,
    smtp: Smtp,
    base_url: str,
    *,
    connector: Callable[[Smtp], smtplib.SMTP] = connect,
) -> Outcome:
    """One run: queue what time has brought, settle stopped runs, send what is due."""
    outcome = Outcome()
    outcome.queued = find_due(engine)
    now = clock.utcnow()
    outcome.uncertain = _settle_stale(engine, now)
    with db.transaction(engine) as session:
        ids = [row.id for row in session.scalars(_sendable(now))]
    if not ids:
        return outcome
    domain = smtp.sender.rpartition("@")[2]
    server = None
    try:
        for row_id in ids:
            if server is None:
                try:
                    server = connector(smtp)
                except (OSError, smtplib.SMTPException) as exc:
                    # the server is away: every message waits for a later attempt
                    log.warning("mail server unreachable: %s", exc)
                    for rest in ids[ids.index(row_id) :]:
                        if _claim(engine, rest, domain, now):
                            state = _record_failure(engine, rest, _describe(exc), False)
                            outcome.failed += state == Q.FAILED.value
                            outcome.retry += state == Q.QUEUED.value
                    break
            message_id = _claim(engine, row_id, domain, now)
            if message_id is None:
                continue  # another run has it
            with db.transaction(engine) as session:
                row = session.get(OutboxMessage, row_id)
                msg = build(row, smtp, base_url, message_id)
            try:
                deliver(server, smtp.sender, row_address(msg), msg)
            except Handed as exc:
                _record_uncertain(engine, row_id, _describe(exc.__cause__))
                outcome.uncertain += 1
                _quit(server)
                server = None
                continue
            except smtplib.SMTPRecipientsRefused as exc:
                _record_failure(engine, row_id, _describe(exc), True)
                outcome.failed += 1
                continue
            except (OSError, smtplib.SMTPException) as exc:
                state = _record_failure(engine, row_id, _describe(exc), False)
                outcome.failed += state == Q.FAILED.value
                outcome.retry += state == Q.QUEUED.value
                _quit(server)
                server = None  # reconnect for the next one
                continue
            record_sent(engine, row_id, msg["Subject"])
            outcome.sent += 1
    finally:
        if server is not None:
            _quit(server)
    return outcome


class Handed(Exception):
    """The message went to the server, but its answer never came: it may have been
    delivered, so it is not sent again."""


def row_address(msg: EmailMessage) -> str:
    return str(msg["To"])


def deliver(server: smtplib.SMTP, sender: str, to: str, msg: EmailMessage) -> None:
    """Send one message step by step, so that a failure before the message's text went out
    (safe to try again) is told apart from one after it (`Handed`: perhaps delivered)."""
    server.ehlo_or_helo_if_needed()
    code, answer = server.mail(sender)
    if code != 250:
        server.rset()
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = server.rcpt(to)
    if code not in (250, 251):
        server.rset()
        raise smtplib.SMTPRecipientsRefused({to: (code, answer)})
    try:
        code, answer = server.data(msg.as_bytes(policy=email.policy.SMTP))
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise Handed() from exc
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)


def _record_uncertain(engine: Engine, row_id: int, error: str) -> None:
    with db.transaction(engine) as session:
        row = session.get(OutboxMessage, row_id)
        row.state = Q.UNCERTAIN.value
        row.last_error = f"{error} Kan ha kommit fram och skickas inte igen."
        audit.record(
            session,
            SYSTEM,
            "mail_uncertain",
            "mail",
            row.id,
            detail=f"{row.kind} till {row.address}, {row.message_id}: {row.last_error}",
        )


def _quit(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError) or (
        isinstance(exc, smtplib.SMTPServerDisconnected) and "timed out" in str(exc)
    ):
        return "E-postservern svarade inte i tid."
    if isinstance(exc, ConnectionRefusedError):
        return "E-postservern tog inte emot anslutningen."
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "E-postservern tog inte emot mottagarens adress."
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"E-postservern svarade {exc.smtp_code}: {exc.smtp_error!r}"
    return f"E-postservern kunde inte nås: {exc}"
