"""One clock: only `lagesbild.clock` reads the machine's time, and a test can pin it."""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lagesbild import clock
from tests.conftest import DEMO_NOW, ROOT

PRODUCT_FILES = sorted(
    [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "src" / "lagesbild").rglob("*.py")]
)
CLOCK = ROOT / "src" / "lagesbild" / "clock.py"

# Calls that read the machine's clock for a date or time of day.
TIME_CALLS = {"now", "today", "utcnow"}
TIME_MODULE_CALLS = {"time", "time_ns", "localtime", "gmtime", "ctime", "asctime", "strftime"}
SQL_CLOCKS = ("current_timestamp", "current_date", "current_time", "localtimestamp")


def clock_reads(path: Path) -> list[str]:
    """Every place in a file that reads the machine's clock, as 'file:line: what'."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr, owner = node.func.attr, node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if owner_name == "clock":
                pass  # the product's clock
            elif attr in TIME_CALLS:
                what = f"{owner_name}.{attr}()"
            elif owner_name == "time" and attr in TIME_MODULE_CALLS:
                what = f"time.{attr}()"
            elif owner_name == "func" and attr.lower() in ("now", *SQL_CLOCKS):
                what = f"func.{attr}()"
            # pd.Timestamp("now"), pd.to_datetime("today"), np.datetime64("now")
            elif any(
                isinstance(a, ast.Constant) and a.value in ("now", "today") for a in node.args
            ):
                what = f"{owner_name}.{attr}({node.args[0].value!r})"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("Timestamp", "to_datetime", "datetime64") and any(
                isinstance(a, ast.Constant) and a.value in ("now", "today") for a in node.args
            ):
                what = f"{node.func.id}({node.args[0].value!r})"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.lower()
            if "datetime('now'" in text or any(f"{c}" in text.split() for c in SQL_CLOCKS):
                what = f"SQL clock in {node.value[:40]!r}"
        if what:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {what}")
    return found


def test_only_the_clock_module_reads_the_machines_clock():
    offenders = [hit for path in PRODUCT_FILES if path != CLOCK for hit in clock_reads(path)]
    assert not offenders, "read the time through lagesbild.clock instead:\n" + "\n".join(offenders)


def test_the_scan_finds_every_kind_of_clock_read(tmp_path):
    """The guard above must be able to fail."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt, time\nimport pandas as pd\n"
        "a = dt.datetime.now()\nb = dt.date.today()\nc = time.time()\n"
        "d = pd.Timestamp('now')\ne = pd.Timestamp.now()\nf = func.now()\n"
        "g = 'SELECT CURRENT_TIMESTAMP'\nh = time.localtime()\n",
        encoding="utf-8",
    )
    sample = sample.rename(ROOT / "tests" / f"_clock_sample_{os.getpid()}.py")
    try:
        hits = clock_reads(sample)
    finally:
        sample.unlink()
    assert len(hits) == 8, hits


def test_a_pinned_clock_starts_at_its_moment_and_runs_on():
    moment = dt.datetime(2027, 1, 1, 0, 0)
    clock.pin(moment)
    first = clock.local_now()
    second = clock.local_now()
    assert moment <= first <= second < moment + dt.timedelta(seconds=5)
    assert clock.local_today() == dt.date(2027, 1, 1)
    # Stockholm is UTC+1 in winter
    assert abs(clock.utcnow() - dt.datetime(2026, 12, 31, 23, 0)) < dt.timedelta(seconds=5)
    assert abs(clock.epoch() - dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC).timestamp()) < 5


def test_the_environment_pins_the_clock_and_pin_wins(monkeypatch):
    clock.pin(None)
    monkeypatch.setenv(clock.ENV_NOW, "2030-06-15T12:30")
    assert clock.is_pinned()
    assert dt.datetime(2030, 6, 15, 12, 30) <= clock.local_now() < dt.datetime(2030, 6, 15, 12, 31)
    assert abs(clock.utcnow() - dt.datetime(2030, 6, 15, 10, 30)) < dt.timedelta(seconds=5)
    clock.pin(DEMO_NOW)
    assert clock.local_now().date() == DEMO_NOW.date()


def test_unpinned_the_clock_is_the_machines(monkeypatch):
    clock.pin(None)
    monkeypatch.delenv(clock.ENV_NOW)
    assert not clock.is_pinned()
    assert abs(clock.epoch() - clock.machine_epoch()) < 5


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-11-21T20:00", dt.datetime(2026, 11, 21, 20, 0)),
        ("2026-11-21 20:00:30", dt.datetime(2026, 11, 21, 20, 0, 30)),
        ("2026-07-01T10:00+00:00", dt.datetime(2026, 7, 1, 12, 0)),  # summer time
        (" 2027-01-01 ", dt.datetime(2027, 1, 1)),
    ],
)
def test_moments_are_read_as_stockholm_time(text, moment):
    assert clock.parse_moment(text) == moment


def test_the_command_line_runs_at_the_pinned_moment(tmp_path):
    """`LAGESBILD_NOW` reaches a started process: the demo forum is built at that moment."""
    env = {**os.environ, clock.ENV_NOW: "2027-03-02T08:15"}
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "lagesbild.cli",
            "--database-url",
            url,
            "demo",
            "--incidents",
            "400",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        latest = conn.execute(text("SELECT max(occurred_at) FROM incident")).scalar_one()
    engine.dispose()
    latest = dt.datetime.fromisoformat(str(latest))
    assert dt.datetime(2027, 2, 23) < latest <= dt.datetime(2027, 3, 2, 8, 16)
