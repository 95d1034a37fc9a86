"""Engine, sessions and schema upgrades for SQLite (embedded) and PostgreSQL (shared server)."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from lagesbild.errors import ConflictError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
log = logging.getLogger("lagesbild")


class DatabaseError(Exception):
    """A database problem with a message fit to show anyone (in Swedish): it never names the
    database's address, user, server or port; those go to the server log."""


class DatabaseUnavailable(DatabaseError):
    pass


class SchemaMismatch(DatabaseError):
    pass


UNREACHABLE = (
    "Kunde inte ansluta till databasen. Kontrollera att databasservern är igång och att "
    "adressen, användaren och lösenordet i LAGESBILD_DATABASE_URL stämmer."
)


def describe_url(url: str) -> str:
    """The URL without its password, for the server log and the command line (never a page)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(ogiltig adress)"


# Audit rows are append-only (migration 0007); deleting them is allowed only inside
# `audit_purge_allowed`, through this PostgreSQL setting or this SQLite function.
AUDIT_PURGE_SETTING = "lagesbild.allow_audit_purge"
AUDIT_PURGE_FUNCTION = "lagesbild_audit_purge_allowed"


# How long a write on SQLite waits for another one to finish before it fails. The longest
# single write is an import publishing its rows (a few seconds for 150,000 rows on a busy
# machine, see services/staging.py); a member's report waits for it rather than failing.
SQLITE_WRITE_WAIT_SECONDS = 30


def _audit_purge(dbapi_connection, allowed: bool) -> None:
    dbapi_connection.create_function(AUDIT_PURGE_FUNCTION, 0, lambda: int(allowed))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    _audit_purge(dbapi_connection, False)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_WRITE_WAIT_SECONDS * 1000}")
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
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                log.error("cannot create the folder of %s: %s", describe_url(url), exc)
                raise DatabaseUnavailable(
                    "Mappen för databasfilen kan inte skapas. Kontrollera sökvägen i "
                    "LAGESBILD_DATABASE_URL och att programmet får skriva där."
                ) from exc
        kwargs = {
            "connect_args": {"timeout": SQLITE_WRITE_WAIT_SECONDS},
            "json_serializer": kwargs["json_serializer"],
        }
    elif parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": 5}
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        log.error("unsupported database %s: %s", describe_url(url), exc)
        raise DatabaseUnavailable(
            "Databastypen i LAGESBILD_DATABASE_URL stöds inte. Använd SQLite eller PostgreSQL."
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


@contextmanager
def audit_purge_allowed(conn: Connection) -> Iterator[None]:
    """Let this connection's transaction delete audit rows (never update them) for the length
    of the block. Only for replacing a whole database: the demo's --reset, test fixtures."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"SET LOCAL {AUDIT_PURGE_SETTING} = 'on'"
        )  # until the transaction ends
        yield
        conn.exec_driver_sql(f"SET LOCAL {AUDIT_PURGE_SETTING} = 'off'")
        return
    raw = conn.connection.driver_connection
    _audit_purge(raw, True)
    try:
        yield
    finally:
        _audit_purge(raw, False)


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


UPGRADE_LOCK = 5_801_042_026  # PostgreSQL advisory lock key held while upgrading


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision. Safe to call on every start.

    An empty database gets the whole schema; an older one is migrated in one transaction (all
    steps or none; nothing is dropped, every row is kept); one newer than this program, or one
    not made by Lägesbild, is refused with a message instead of being touched.
    """
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            current = MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        log.warning("cannot connect to %s: %s", describe_url(str(engine.url)), exc)
        raise DatabaseUnavailable(UNREACHABLE) from exc
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
    if current == script.get_current_head():
        return
    with engine.connect() as conn:
        try:
            if conn.dialect.name == "sqlite":
                _migrate_sqlite(conn)
            else:
                with conn.begin():
                    # one upgrader at a time: a second app server starting at the same moment
                    # waits here, then finds the schema current
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})")
                    command.upgrade(_alembic_config(conn), "head")
        except SQLAlchemyError as exc:
            log.exception("schema upgrade of %s failed", describe_url(str(engine.url)))
            raise SchemaMismatch(
                "Databasen kunde inte uppgraderas till den här versionen av Lägesbild. "
                "Inget har ändrats i den. Kontakta den som driftar Lägesbild."
            ) from exc


def _broken_links(conn) -> Counter:
    """Rows whose foreign key points at nothing, counted per (table, referenced table)."""
    return Counter((row[0], row[2]) for row in conn.exec_driver_sql("PRAGMA foreign_key_check"))


def _migrate_sqlite(conn) -> None:
    """Run the migrations on SQLite in one real transaction with foreign keys off.

    SQLite alters a table by rebuilding it (copy, drop, rename); with foreign keys on, dropping
    the old table deletes every row that points at it through ON DELETE CASCADE (the links
    between actions and incidents). The driver also commits DDL on its own unless the
    transaction is begun explicitly, which would leave a failed upgrade half done. Foreign keys
    can only be switched outside a transaction; they are checked before the commit.
    """
    raw = conn.connection.driver_connection
    driver_mode = raw.isolation_level
    raw.isolation_level = None  # the driver begins nothing by itself: BEGIN below is the one
    try:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        if conn.exec_driver_sql("PRAGMA foreign_keys").scalar() != 0:
            raise SchemaMismatch("Databasen kan inte uppgraderas säkert just nu. Försök igen.")
        conn.commit()
        with conn.begin():
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # one upgrader at a time
            broken_before = _broken_links(conn)
            command.upgrade(_alembic_config(conn), "head")
            broken = _broken_links(conn) - broken_before
            if broken:
                log.error("links broken by the upgrade (table, parent): %s", dict(broken))
                raise SchemaMismatch(
                    "Uppgraderingen av databasen skulle ha brutit kopplingar mellan raderna "
                    "och avbröts. Inget har ändrats. Kontakta den som driftar Lägesbild."
                )
    finally:
        if conn.in_transaction():
            conn.rollback()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()
        raw.isolation_level = driver_mode


def bulk_insert(conn, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """Insert many rows fast, bypassing the ORM: COPY on PostgreSQL, executemany on SQLite.

    Values must already be in storage form (datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' text,
    booleans as 0/1 or True/False) — used by the demo generator and large imports. `rows` may
    be any iterable (a `zip` of column lists is streamed, never held as a list).
    """
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


@contextmanager
def bulk_load(conn, table: str) -> Iterator[None]:
    """Make way for loading millions of rows into `table`: drop its plain indexes (not those
    behind its key or unique constraints) and, on PostgreSQL, its foreign keys, and put them
    back exactly as they were when the load is done. Building an index once and checking a
    foreign key with one join is much faster than doing both row by row (PostgreSQL checks a
    foreign key with a trigger per row). Inside the caller's transaction: a failed load leaves
    the table as it was, and the foreign keys are checked again over every row when added."""
    if conn.dialect.name == "postgresql":
        indexes = conn.execute(
            text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.schemaname = current_schema() AND i.tablename = :t "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conname = i.indexname AND c.conrelid = CAST(:t AS regclass))"
            ),
            {"t": table},
        ).all()
        foreign_keys = conn.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = CAST(:t AS regclass) AND contype = 'f' ORDER BY conname"
            ),
            {"t": table},
        ).all()
    else:
        indexes = conn.execute(
            text(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL"
            ),
            {"t": table},
        ).all()
        foreign_keys = []  # SQLite cannot drop them; its check per row is cheap
    for name, _ in foreign_keys:
        conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, definition in indexes:
        conn.exec_driver_sql(definition)
    for name, definition in foreign_keys:
        conn.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
