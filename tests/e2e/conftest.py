"""End-to-end fixtures: a real `streamlit run` on a free port and headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from lagesbild import auth, clock, config, db
from lagesbild.demo import DEMO_PASSWORD
from tests.conftest import ROOT, require

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
VIEWPORT = {"width": 1920, "height": 1080}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, database_url: str, log_path: Path, env: dict[str, str] | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        env = {**os.environ, "LAGESBILD_DATABASE_URL": database_url, **(env or {})}
        self.settings = config.load_settings(env, ROOT / ".streamlit" / "secrets.toml")
        self.log = log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {log_path}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        require("Chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator:
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require("playwright is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def start_server(tmp_path):
    servers: list[Server] = []

    def start(database_url: str, env: dict[str, str] | None = None) -> Server:
        server = Server(database_url, tmp_path / f"streamlit-{len(servers)}.log", env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.lb_failed = report.failed
    return report


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
    pg = context.new_page()
    yield pg
    if getattr(request.node, "lb_failed", False):
        shot(pg, f"failed-{request.node.name}")
    context.close()


def settle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script (twice, to let the reruns that
    follow a login or page switch start and finish)."""
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_selector(
            "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout
        )


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form on the page that shows it. Waits for the form: a fresh server
    may still be drawing it when the run looks settled (going to the start address instead would
    open a new session and lose the address the page was opened with)."""
    page.get_by_label("Användarnamn").wait_for(timeout=30_000)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    settle(page)
    wait_for_cookie(page, LOGIN_COOKIE)


LOGIN_COOKIE = "lagesbild_inloggning"


def open_as(page, server: Server, username: str, path: str = "", settled: bool = True) -> None:
    """Open `path` logged in as `username`, with the re-login cookie a login through the form
    leaves (the form itself is driven in test_shell and test_accessibility): the app's cookie
    check lets the new session in without drawing the login page and the start page first.
    `settled=False` for a page that keeps running (a meeting in progress polls every second, so
    on a slow machine it may never look settled): the caller waits for what it expects."""
    engine = db.make_engine(server.database_url)
    try:
        for attempt in range(2):
            try:
                with db.transaction(engine) as session:
                    secret = auth.installation_cookie_secret(session)
                break
            except IntegrityError:  # the server created it at the same moment
                if attempt:
                    raise
    finally:
        engine.dispose()
    settings = server.settings
    token = auth.login_token(
        username, settings.cookie_secret or secret, settings.cookie_expiry_days, clock.epoch()
    )
    page.context.add_cookies(
        [{"name": settings.cookie_name, "value": token, "url": server.url, "sameSite": "Strict"}]
    )
    page.goto(server.url + path)
    if settled:
        settle(page)


def wait_for_cookie(page, name: str, timeout: float = 20.0) -> dict:
    """The login cookie is written by a small component in the page, shortly after login."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for cookie in page.context.cookies():
            if cookie["name"] == name:
                return cookie
        page.wait_for_timeout(250)
    raise AssertionError(f"cookie {name} was never set")
