"""Engine, sessions and schema upgrades for SQLite (embedded) and PostgreSQL (shared server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from lagesbild.errors import ConflictError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class DatabaseError(Exception):
    """A database problem with a message fit to show a user (in Swedish)."""


class DatabaseUnavailable(DatabaseError):
    pass


class SchemaMismatch(DatabaseError):
    pass


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(ogiltig adress)"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(
            "Databasadressen i LAGESBILD_DATABASE_URL går inte att tolka. "
            "Ange den som t.ex. sqlite:///data/lagesbild.db eller "
            "postgresql+psycopg://användare:lösenord@server/databas."
        ) from exc
    # JSON (audit before/after, mappings) stays readable: å, ä and ö are not escaped
    kwargs: dict = {
        "pool_pre_ping": True,
        "json_serializer": lambda obj: json.dumps(obj, ensure_ascii=False),
    }
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"connect_args": {"timeout": 10}, "json_serializer": kwargs["json_serializer"]}
    elif parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": 5}
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseUnavailable(
            f"Databastypen i {describe_url(url)} stöds inte. Använd SQLite eller PostgreSQL."
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@cache
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    with session_factory(engine)() as session, session.begin():
        yield session


# What a collision with another user's write at the same moment looks like from the database.
PG_COLLISIONS = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "23505",  # unique_violation: the same row added twice at once
    "23503",  # foreign_key_violation: what it refers to was removed at the same moment
}
SQLITE_COLLISIONS = {
    517,  # SQLITE_BUSY_SNAPSHOT: someone wrote since this transaction started reading
    2067,  # SQLITE_CONSTRAINT_UNIQUE
    1555,  # SQLITE_CONSTRAINT_PRIMARYKEY
    787,  # SQLITE_CONSTRAINT_FOREIGNKEY
}
COLLISION = (
    "Någon annan ändrade samma uppgifter i samma ögonblick. Inget av det du gjorde har "
    "sparats; läs in sidan igen och gör din ändring på nytt."
)


def is_collision(exc: BaseException) -> bool:
    """Whether an error means another write got there first (rather than a fault): a versioned
    row changed since it was read, the same unique row added twice, a referenced row removed,
    a serialization failure or deadlock on PostgreSQL, a stale snapshot on SQLite."""
    if isinstance(exc, StaleDataError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate is not None:
        return sqlstate in PG_COLLISIONS
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code in SQLITE_COLLISIONS
    return isinstance(exc, IntegrityError) and "UNIQUE constraint failed" in str(orig)


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """`transaction` for a user's change: when it collides with someone else's change at the
    same moment, the user gets a `ConflictError` saying so (nothing is stored) instead of a
    database error."""
    try:
        with transaction(engine) as session:
            yield session
    except (StaleDataError, DBAPIError) as exc:
        if is_collision(exc):
            raise ConflictError(COLLISION) from exc
        raise


def _alembic_config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision. Safe to call on every start.

    An empty database gets the whole schema; an older one is migrated in one transaction per
    step (nothing is dropped); one newer than this program, or one not made by Lägesbild, is
    refused with a message instead of being touched.
    """
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            current = MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise DatabaseUnavailable(
            f"Kunde inte ansluta till databasen {describe_url(str(engine.url))}. "
            "Kontrollera att databasservern är igång och att adressen, användaren och "
            "lösenordet stämmer."
        ) from exc
    script = ScriptDirectory.from_config(_alembic_config(None))
    if current is None and tables - {"alembic_version"}:
        raise SchemaMismatch(
            "Databasen innehåller tabeller som inte kommer från Lägesbild. "
            "Ange en tom databas eller en som Lägesbild har skapat."
        )
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise SchemaMismatch(
            "Databasen har skapats av en nyare version av Lägesbild "
            f"(schemaversion {current}). Uppdatera programmet innan du öppnar den."
        )
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


def bulk_insert(conn, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows fast, bypassing the ORM: COPY on PostgreSQL, executemany on SQLite.

    Values must already be in storage form (datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' text,
    booleans as 0/1 or True/False) — used by the demo generator and large imports.
    """
    if not rows:
        return
    raw = conn.connection.driver_connection
    cols = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        cursor = raw.cursor()
        try:
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
        finally:
            cursor.close()
