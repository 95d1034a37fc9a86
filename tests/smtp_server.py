"""A real SMTP server for tests (aiosmtpd on 127.0.0.1 and a free port) that keeps what it
receives."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from lagesbild.config import Smtp

SENDER = "lagesbild@kommun.example.se"


class Inbox:
    """What the server received: one parsed message per recipient (header X-Rcpt)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            msg["X-Rcpt"] = rcpt
            self.messages.append(msg)
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["X-Rcpt"] == address]

    def subjects(self) -> list[tuple[str, str]]:
        return sorted((m["X-Rcpt"], m["Subject"]) for m in self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_settings(port: int, timeout: float = 5.0) -> Smtp:
    return Smtp("127.0.0.1", port, "none", None, None, SENDER, timeout)


@contextmanager
def running_server() -> Iterator[tuple[Smtp, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield smtp_settings(port), inbox
    finally:
        controller.stop()
