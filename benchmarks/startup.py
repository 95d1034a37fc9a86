"""A fresh start: the CPU a new process spends importing what every page of the app needs (each
app server's first page after a start pays it) and the time `lagesbild --help` takes. The
libraries only some screens need (scipy.stats, openpyxl, matplotlib, reportlab, python-docx)
are left to those screens; `tests/unit/test_startup.py` holds that."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

from benchmarks.common import Figure

# What app.py imports for every page, and the command line.
ENTRY_MODULES = [
    "lagesbild.ui.context",
    "lagesbild.ui.data",
    "lagesbild.ui.form_state",
    "lagesbild.ui.login",
    "lagesbild.ui.navigation",
    "lagesbild.ui.notices",
    "lagesbild.ui.shell",
    "lagesbild.ui.swedish",
    "lagesbild.cli",
]
# Imported only by the screens and commands that use them.
HEAVY = ["scipy.stats", "openpyxl", "matplotlib", "reportlab", "docx"]
RUNS = 3


def imports(modules: list[str]) -> tuple[float, list[str]]:
    """A fresh interpreter imports `modules`: its CPU seconds for them, and which of HEAVY it
    then holds."""
    code = (
        "import json, sys, time\n"
        "start = time.process_time()\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(json.dumps([time.process_time() - start, "
        + f"[m for m in {HEAVY!r} if m in sys.modules]]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    seconds, heavy = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, heavy


def command_seconds() -> float:
    command = shutil.which("lagesbild") or f"{sys.prefix}/bin/lagesbild"
    start = time.perf_counter()
    subprocess.run([command, "--help"], capture_output=True, timeout=120, check=True)
    return time.perf_counter() - start


def run() -> list[Figure]:
    cpu = min(imports(ENTRY_MODULES)[0] for _ in range(RUNS))
    help_s = min(command_seconds() for _ in range(RUNS))
    figures = [
        Figure("Start: appens moduler för varje sida, CPU", cpu, "s", target=3.0),
        Figure("Start: lagesbild --help", help_s, "s", target=2.0),
    ]
    for figure in figures:
        print(figure.line(), flush=True)
    return figures
