"""A fresh start stays light: what every app server's first page and every `lagesbild` command
import leaves out the libraries only some screens need (scipy.stats for hot spots and effects,
about a second; openpyxl for workbooks; matplotlib, reportlab and python-docx for documents).
They are imported where they are used, so the first page after a restart and a command such
as `lagesbild --help` do not wait for them. And what still uses them works."""

from __future__ import annotations

import pandas as pd

from benchmarks.startup import ENTRY_MODULES, imports
from lagesbild.analysis import effect, hotspots
from lagesbild.export import tables


def imported_after(modules: list[str]) -> set[str]:
    """Which of the heavy libraries a fresh interpreter holds after importing `modules`."""
    return set(imports(modules)[1])


def test_the_first_page_and_the_command_line_leave_the_heavy_libraries_out():
    assert imported_after(ENTRY_MODULES) == set()


# What Möte (its minutes as text, the download buttons), Kvartal (the documents' tables) and
# the analysis pages' download buttons import: the document libraries are loaded when a file
# is made, not when its button is shown.
DOWNLOAD_BUTTON_MODULES = [
    "lagesbild.ui.meeting",
    "lagesbild.ui.meeting_start",
    "lagesbild.ui.summary",
    "lagesbild.ui.exports",
    "lagesbild.services.exports",
]


def test_meeting_and_download_buttons_leave_the_document_libraries_out():
    assert imported_after(DOWNLOAD_BUTTON_MODULES) == set()


def test_the_check_sees_a_heavy_library_that_is_imported():
    assert imported_after(["lagesbild.export.pdf"]) >= {"matplotlib", "reportlab"}
    assert imported_after(["lagesbild.export.word"]) >= {"docx"}


def test_what_uses_them_still_works():
    """The libraries now imported inside the functions are there when the functions run."""
    assert tables.to_excel({"Blad": pd.DataFrame({"a": [1]})}, title="Titel")[:2] == b"PK"
    found = hotspots.evaluate(pd.DataFrame({"recent": [30, 2], "baseline": [20, 60]}))
    assert found["p_up"].iloc[0] < 1e-6 < found["p_up"].iloc[1]
    assert found["status"].iloc[0] == hotspots.ESCALATING
    change = effect.evaluate(10, 30, 200, 200, after_days=90)
    assert change.p_value is not None and change.p_value < 0.01
