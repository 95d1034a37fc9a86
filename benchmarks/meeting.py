"""A projected meeting with a room of followers: `python -m benchmarks --only meeting`.

A real `streamlit run` server on a free port on 127.0.0.1 serves the ordinary demo forum (built
at BENCH_NOW; the server's clock is pinned there and runs on). One chair and FOLLOWERS members
open Möte in headless Chromium (one browser context each, that is one Streamlit session each).
The chair clicks "Nästa →" STEPS times; each follower's page records, in the page itself, the
moment the new step's heading appears. Printed: each follower's delay after the click (p50,
p95, worst, misses) and the first load of the meeting page (the first follower alone on a cold
server, then the rest at once). Bounded: every wait gives up after WAIT_S.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.common import BENCH_NOW, Figure
from lagesbild import auth, db
from lagesbild.demo import build_demo
from lagesbild.services import meetings

ROOT = Path(__file__).resolve().parents[1]
FOLLOWERS = 10
STEPS = 5
WAIT_S = 60.0
PASSWORD = "lagesbild-demo"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
# Records (in the page's own clock, ms since the epoch) when each step heading first shows.
WATCH_JS = """() => {
  window.lbSeen = {};
  const look = () => {
    for (const h of document.querySelectorAll('h3')) {
      const t = (h.innerText || '').trim();
      if (/^[1-6]\\. /.test(t) && !(t in window.lbSeen)) window.lbSeen[t] = Date.now();
    }
  };
  new MutationObserver(look).observe(document.body, {childList: true, subtree: true,
                                                     characterData: true});
  look();
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "LAGESBILD_DATABASE_URL": url,
        "LAGESBILD_NOW": BENCH_NOW.isoformat(timespec="minutes"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"streamlit did not start; see {log}")


def _heading(step: int) -> str:
    return f"{step + 1}. {meetings.AGENDA[step]}"


async def _log_in(browser, base: str, username: str):
    context = await browser.new_context(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    page = await context.new_page()
    await page.goto(base)
    await page.get_by_label("Användarnamn").fill(username)
    await page.get_by_label("Lösenord").fill(PASSWORD)
    await page.get_by_role("button", name="Logga in").click()
    deadline = time.time() + WAIT_S
    while not any(c["name"] == "lagesbild_inloggning" for c in await context.cookies()):
        if time.time() > deadline:
            raise RuntimeError("login cookie never set")
        await page.wait_for_timeout(250)
    return context, page


async def _open_meeting(page, base: str) -> float:
    """Seconds from opening Möte until step 1's heading shows (nan: not within WAIT_S)."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    start = time.time()
    try:
        await page.goto(base + "/mote", wait_until="commit", timeout=WAIT_S * 1000)
        await page.get_by_text(_heading(0), exact=True).wait_for(timeout=WAIT_S * 1000)
    except PlaywrightTimeout:
        return float("nan")
    seconds = time.time() - start
    await page.evaluate(WATCH_JS)
    return seconds


async def _run(base: str, followers: int, steps: int) -> dict:
    from playwright.async_api import async_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=FLAGS)
        _, chair = await _log_in(browser, base, "samordnare")
        await chair.goto(base + "/mote")
        await chair.get_by_role("button", name="Starta mötet").click()
        await chair.get_by_text(_heading(0), exact=True).wait_for(timeout=WAIT_S * 1000)
        member, _ = await _log_in(browser, base, "bostader")
        state = await member.storage_state()
        pages = []
        for _ in range(followers):
            context = await browser.new_context(
                viewport={"width": 1920, "height": 1080}, locale="sv-SE", storage_state=state
            )
            pages.append(await context.new_page())
        first = await _open_meeting(pages[0], base)
        rest = await asyncio.gather(*(_open_meeting(pg, base) for pg in pages[1:]))
        delays: list[float] = []
        misses = 0
        for step in range(1, steps + 1):
            await chair.wait_for_timeout(3000)  # a chair talks a while on every step
            clicked = time.time()
            await chair.get_by_role("button", name="Nästa →").click()
            heading = _heading(step)
            limit = clicked + WAIT_S
            waiting = set(range(followers))
            while waiting and time.time() < limit:
                for i in list(waiting):
                    seen = await pages[i].evaluate(
                        "(h) => (window.lbSeen || {})[h] || null", heading
                    )
                    if seen is not None:
                        delays.append(seen / 1000 - clicked)
                        waiting.discard(i)
                await asyncio.sleep(0.2)
            misses += len(waiting)
        await browser.close()
    return {"first": first, "rest": list(rest), "delays": delays, "misses": misses}


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def run(followers: int = FOLLOWERS, steps: int = STEPS) -> list[Figure]:
    steps = max(1, min(steps, len(meetings.AGENDA) - 1))
    with tempfile.TemporaryDirectory(prefix="lagesbild-mote-") as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        engine = db.make_engine(url)
        print("Bygger demoforumet …")
        build_demo(engine, now=BENCH_NOW, reset=True)
        with db.transaction(engine) as s:
            assert auth.get_user(s, "samordnare") is not None
        engine.dispose()
        proc, base = _serve(url, Path(tmp) / "streamlit.log")
        try:
            print(f"Mötet med 1 ordförande och {followers} följare, {steps} byten av punkt …")
            result = asyncio.run(_run(base, followers, steps))
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    delays, rest = result["delays"], result["rest"]
    return [
        Figure("Möte: första laddningen, första följaren (kall server)", result["first"], "s"),
        Figure(
            f"Möte: första laddningen, {len(rest)} följare samtidigt (median)",
            statistics.median([r for r in rest if r == r] or [float("nan")]),
            "s",
        ),
        Figure(
            f"Möte: följarnas fördröjning p50 ({len(delays)} mätningar)",
            _quantile(delays, 0.5),
            "s",
        ),
        Figure("Möte: följarnas fördröjning p95", _quantile(delays, 0.95), "s", target=3.0),
        Figure("Möte: följarnas fördröjning, längsta", max(delays, default=float("nan")), "s"),
        Figure("Möte: byten som inte syntes inom gränsen", result["misses"], "st", target=0),
        Figure(
            "Möte: följare som inte laddade mötet inom gränsen",
            sum(1 for r in [result["first"], *rest] if r != r),
            "st",
            target=0,
        ),
    ]
