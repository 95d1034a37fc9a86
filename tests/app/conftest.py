"""AppTest helpers: run app.py against a given database and log in through the real form."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lagesbild.demo import DEMO_PASSWORD
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _navigation_mode(request, monkeypatch):
    """A running server treats the app as st.navigation-based once app.py has called
    st.navigation; AppTest re-detects the pages/ folder on every run instead, which drops
    form submissions. Give AppTest the server's steady state (tests marked `first_request`
    keep the fresh-server behaviour)."""
    if request.node.get_closest_marker("first_request"):
        return
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def pytest_configure(config):
    config.addinivalue_line("markers", "first_request: run as a fresh server's first request")


@pytest.fixture
def make_app(monkeypatch):
    def make(url: str) -> AppTest:
        monkeypatch.setenv("LAGESBILD_DATABASE_URL", url)
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)

    return make


def login(at: AppTest, username: str, password: str = DEMO_PASSWORD) -> AppTest:
    if not at.text_input:
        at.run()
    fields = {t.label: t for t in at.text_input}
    fields["Användarnamn"].input(username)
    fields["Lösenord"].input(password)
    next(b for b in at.button if b.label == "Logga in").click()
    return at.run()


def texts(elements) -> list[str]:
    return [e.value for e in elements]


class _TableReader(HTMLParser):
    """The app's static HTML tables (`ui.bars.table_html`): headings and cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "lb-table") in attrs:
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("th", "td") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(app) -> list[pd.DataFrame]:
    """Every static table the run drew, as text (figures in Swedish form, as shown)."""
    found = []
    for element in app.html:
        reader = _TableReader()
        reader.feed(element.value)
        found += [pd.DataFrame(rows[1:], columns=rows[0]) for rows in reader.tables if rows]
    return found
