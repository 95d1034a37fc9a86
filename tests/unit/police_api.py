"""A stand-in for the police's events API in the tests: http.server in a thread on 127.0.0.1 (a
free port), answering with recorded responses and scripted failures, one reply per request
(the last reply repeats)."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDED = Path(__file__).parent / "data" / "polisen_api"


def recorded(name: str) -> bytes:
    """A recorded answer of the API (see data/polisen_api/README.md)."""
    return (RECORDED / name).read_bytes()


def events(content: bytes) -> list[dict]:
    return json.loads(content)


@dataclass(frozen=True)
class Reply:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0  # seconds before answering: past the client's timeout, a timeout


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        reply = self.server.api.take(self.path)
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:
        pass


class PoliceApi:
    """`with PoliceApi(Reply(...), ...) as api:` serves at `api.url`; `api.requests` holds the
    paths asked for."""

    def __init__(self, *replies: Reply):
        self.replies = list(replies)
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/events"

    def take(self, path: str) -> Reply:
        with self._lock:
            self.requests.append(path)
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def then(self, *replies: Reply) -> None:
        """Answer the next requests with these instead."""
        with self._lock:
            self.replies = list(replies)

    def query(self, number: int = -1) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.requests[number]).query)

    def __enter__(self) -> PoliceApi:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
