"""Shared fixtures: databases on SQLite and on a real PostgreSQL server, and the demo forum.

PostgreSQL: the tests create (and drop) their own databases through the admin URL in
LAGESBILD_TEST_POSTGRES_URL (default postgresql+psycopg://lagesbild:lagesbild@localhost/postgres).
Locally, tests that need a component that is missing skip with the reason; in CI (CI=true) they
fail instead, so a missing install step can never pass silently.

The suite runs in parallel (pytest-xdist): each worker has its own databases and ports, while the
read-only forums (the demo forum and the real data sets, on SQLite and PostgreSQL) are built once
per run, under a file lock, and shared by every worker. The run's databases carry the run's id and
are dropped at the end by the controlling process.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lagesbild import clock, db
from lagesbild.auth import passwords
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
RUN_ID_ENV = "LAGESBILD_TEST_RUN"


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config):
    """The controlling process names the run; its workers inherit the name."""
    if not _is_worker(config):
        os.environ.setdefault(RUN_ID_ENV, uuid.uuid4().hex[:10])


# The longest tests go first. `make test` runs xdist's work-stealing scheduler: each worker
# starts with one contiguous share of the list, and a worker that runs out takes the second half
# of another's queue, so the browser tests start early and are shared out as the others finish
# (dealing them to every worker at the start ran three browsers at once on two cores: slower,
# and a fresh server's first page missed its waits).
_SLOW_FIRST = ("tests/e2e/test_accessibility.py", "tests/e2e/", "tests/app/")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        return next(
            (i for i, prefix in enumerate(_SLOW_FIRST) if item.nodeid.startswith(prefix)),
            len(_SLOW_FIRST),
        )

    items.sort(key=rank)  # stable: the order within each group is kept


def run_id() -> str:
    return os.environ.setdefault(RUN_ID_ENV, uuid.uuid4().hex[:10])


def pytest_sessionfinish(session, exitstatus):
    """The controlling process drops the run's shared databases once every worker is done."""
    if _is_worker(session.config):
        return
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            names = conn.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                {"p": f"lagesbild_test_{run_id()}%"},
            ).scalars()
            for name in list(names):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    except Exception:  # no server here: nothing was created on it
        pass


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch):
    """Every test runs at the demo forum's moment, whatever the machine's date: in this process
    (`clock.pin`) and in every process it starts (`LAGESBILD_NOW`: the CLI, a Streamlit server)."""
    monkeypatch.setenv(clock.ENV_NOW, DEMO_NOW.isoformat(timespec="minutes"))
    clock.pin(DEMO_NOW)
    yield
    clock.pin(None)


SHIPPED_BCRYPT_ROUNDS = passwords.BCRYPT_ROUNDS


@pytest.fixture(scope="session", autouse=True)
def _fast_bcrypt():
    """Hash test passwords with bcrypt's lowest cost (same algorithm, far less waiting), from
    the session's start, so the demo forums the tests copy hold cheap hashes too: every login
    against them, in this process or a server the tests start, is checked in about a
    millisecond instead of 0.3 s. `test_auth` checks what ships."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "BCRYPT_ROUNDS", 4)
        yield


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

    def url_of(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create_database(self) -> str:
        """A database of this worker's own, dropped when the worker ends."""
        name = f"lagesbild_test_{run_id()}_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.url_of(name)

    def shared_database(self, key: str, fill: Callable[[str], None]) -> str:
        """A database shared by every worker of the run, created and filled once."""
        name = f"lagesbild_test_{run_id()}_shared_{key}"
        with _run_lock(f"pg-{key}"):
            with self.admin.connect() as conn:
                exists = conn.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": f"{name}_ready"}
                ).first()
                if not exists:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
            if not exists:
                fill(self.url_of(name))
                with self.admin.connect() as conn:
                    conn.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{name}_ready"'))
        return self.url_of(f"{name}_ready")

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


# --- built once per run, shared by the workers --------------------------------------------------


def _run_dir(tmp_path_factory) -> Path:
    """A folder every worker of this run sees (the workers' temporary folders' parent)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


_RUN_DIR: list[Path] = []


def _run_lock(key: str) -> FileLock:
    return FileLock(str(_RUN_DIR[0] / f"{key}.lock"))


@pytest.fixture(scope="session", autouse=True)
def _run_folder(tmp_path_factory) -> Path:
    _RUN_DIR[:] = [_run_dir(tmp_path_factory)]
    return _RUN_DIR[0]


def shared_file(name: str, build: Callable[[Path], None]) -> Path:
    """A file built once per run (by whichever worker comes first) and shared by all."""
    path = _RUN_DIR[0] / name
    with _run_lock(name):
        if not path.exists():
            partial = path.with_name(f"{name}.partial")
            build(partial)
            partial.rename(path)
    return path


def _sqlite_forum(fill: Callable) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        engine = db.make_engine(f"sqlite:///{path}")
        fill(engine)
        with engine.connect() as conn:  # one file: fold the write-ahead log back in
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()

    return build


def _pg_forum(fill: Callable) -> Callable[[str], None]:
    def build(url: str) -> None:
        engine = db.make_engine(url)
        fill(engine)
        engine.dispose()

    return build


def _demo(engine) -> None:
    build_demo(engine, seed=DEMO_SEED, now=DEMO_NOW)


def _real(engine) -> None:
    from tests import realdata

    db.upgrade(engine)
    realdata.load(engine)


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
    """Delete every row (faster than TRUNCATE for a handful of rows in many tables) and start
    every id sequence again, so each test sees the database as new – ids included."""
    engine = _pg_engines.setdefault(url, create_engine(url))
    with engine.begin() as conn, db.audit_purge_allowed(conn):  # the audit log is append-only
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        sequences = conn.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        ).scalars()
        for name in list(sequences):
            conn.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))


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
def demo_sqlite_template(_run_folder) -> Path:
    """The demo forum on SQLite, built once per run. Copy it before writing."""
    return shared_file("demo.db", _sqlite_forum(_demo))


@pytest.fixture(scope="session")
def demo_pg_url(postgres, _run_folder) -> str | None:
    if postgres is None:
        return None
    return postgres.shared_database("demo", _pg_forum(_demo))


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
def real_sqlite_template(_run_folder) -> Path:
    return shared_file("real.db", _sqlite_forum(_real))


@pytest.fixture(scope="session")
def real_pg_url(postgres, _run_folder) -> str | None:
    if postgres is None:
        return None
    return postgres.shared_database("real", _pg_forum(_real))


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
