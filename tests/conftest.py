"""Shared fixtures: databases on SQLite and on a real PostgreSQL server, and the demo forum.

PostgreSQL: the tests create (and drop) their own databases through the admin URL in
LAGESBILD_TEST_POSTGRES_URL (default postgresql+psycopg://lagesbild:lagesbild@localhost/postgres).
Locally, tests that need a component that is missing skip with the reason; in CI (CI=true) they
fail instead, so a missing install step can never pass silently.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lagesbild import clock, db
from lagesbild.demo import build_demo
from lagesbild.models import Base

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATASETS = Path(
    os.environ.get("LAGESBILD_TEST_DATASETS", ROOT.parent / "shared" / "datasets")
)
IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get(
    "LAGESBILD_TEST_POSTGRES_URL", "postgresql+psycopg://lagesbild:lagesbild@localhost/postgres"
)
DEMO_NOW = dt.datetime(2026, 11, 21, 20, 0)
DEMO_SEED = 2026


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch):
    """Every test runs at the demo forum's moment, whatever the machine's date: in this process
    (`clock.pin`) and in every process it starts (`LAGESBILD_NOW`: the CLI, a Streamlit server)."""
    monkeypatch.setenv(clock.ENV_NOW, DEMO_NOW.isoformat(timespec="minutes"))
    clock.pin(DEMO_NOW)
    yield
    clock.pin(None)


@pytest.fixture(autouse=True)
def _fast_bcrypt(monkeypatch):
    """Hash test passwords with bcrypt's lowest cost: same algorithm, far less waiting."""
    import bcrypt

    from lagesbild import auth

    monkeypatch.setattr(
        auth,
        "hash_password",
        lambda password: bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(4)).decode(),
    )


def require(reason: str) -> None:
    """Skip locally, fail in CI: CI must run every test."""
    if IN_CI:
        pytest.fail(f"{reason} – CI must provide it", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    """Tests on the real public data sets need them beside the project."""
    uses_them = item.get_closest_marker("real_data") or "real_engine" in item.fixturenames
    if uses_them and not (SHARED_DATASETS / "polisen").is_dir():
        require(f"the public data sets are not in {SHARED_DATASETS}")


# --- PostgreSQL --------------------------------------------------------------------------------


class PostgresServer:
    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create_database(self) -> str:
        name = f"lagesbild_test_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | None]:
    server = PostgresServer(PG_ADMIN_URL)
    try:
        with server.admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # any failure to connect means: no usable server here
        yield None
        return
    yield server
    for engine in _pg_engines.values():
        engine.dispose()
    server.drop_all()


def _pg_or_skip(postgres: PostgresServer | None) -> PostgresServer:
    if postgres is None:
        require(f"no PostgreSQL server at {db.describe_url(PG_ADMIN_URL)}")
    return postgres


# --- empty, migrated databases -----------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_empty_url(postgres) -> str | None:
    if postgres is None:
        return None
    url = postgres.create_database()
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    return url


_pg_engines: dict[str, object] = {}


def _empty_pg(url: str) -> None:
    """Delete every row (faster than TRUNCATE for a handful of rows in many tables)."""
    engine = _pg_engines.setdefault(url, create_engine(url))
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, sqlite_template, postgres, pg_empty_url) -> str:
    """An empty database at the newest schema, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "lagesbild.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    _pg_or_skip(postgres)
    _empty_pg(pg_empty_url)
    return pg_empty_url


@pytest.fixture
def engine(db_url):
    engine = db.make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template) -> str:
    """An empty SQLite database (for tests about the app, not about the backend)."""
    path = tmp_path / "lagesbild.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


# --- the demo forum ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = db.make_engine(f"sqlite:///{path}")
    build_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def demo_pg_url(postgres) -> str | None:
    if postgres is None:
        return None
    url = postgres.create_database()
    engine = db.make_engine(url)
    build_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_engine(request, demo_sqlite_template, postgres, demo_pg_url):
    """The demo forum (seed 2026, as of 2026-11-21 20:00) on each backend. Read-only."""
    if request.param == "sqlite":
        url = f"sqlite:///{demo_sqlite_template}"
    else:
        _pg_or_skip(postgres)
        url = demo_pg_url
    engine = db.make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_sqlite_url(tmp_path, demo_sqlite_template) -> str:
    """A private, writable copy of the demo forum on SQLite."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_sqlite_template, path)
    return f"sqlite:///{path}"


# --- real public data (Swedish Police events, police.uk) ---------------------------------------


@pytest.fixture(scope="session")
def real_sqlite_template(tmp_path_factory) -> Path:
    from tests import realdata

    path = tmp_path_factory.mktemp("real") / "real.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    realdata.load(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def real_pg_url(postgres) -> str | None:
    from tests import realdata

    if postgres is None:
        return None
    url = postgres.create_database()
    engine = db.make_engine(url)
    db.upgrade(engine)
    realdata.load(engine)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def real_engine(request, real_sqlite_template, postgres, real_pg_url):
    """Both real data sets loaded into one forum, on each backend. Read-only."""
    if request.param == "sqlite":
        url = f"sqlite:///{real_sqlite_template}"
    else:
        _pg_or_skip(postgres)
        url = real_pg_url
    engine = db.make_engine(url)
    yield engine
    engine.dispose()
