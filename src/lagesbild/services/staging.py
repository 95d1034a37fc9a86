"""Storing many incidents at once without shutting members out, still all or nothing.

The rows are first written, in batches, to a temporary table of the import's own database
connection. No other connection sees that table and filling it locks nothing the others use
(on SQLite the shared write lock is not taken at all), so members keep reporting while a large
file is stored. If the process dies, the table disappears with its connection.

`publish` then copies the rows into `incident` with one INSERT … SELECT in the caller's
transaction: the only moment others wait, and nothing is visible before the caller commits.
If another import published one of the same source ids in the meantime, the unique source id
refuses it and the whole import is rolled back (a collision, `db.is_collision`); run again, it
adds what is still missing.

On SQLite this relies on the driver beginning its transaction only at the first write: the
import reads nothing from the shared tables between its first staged row and `publish`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    insert,
    literal,
    select,
    text,
)

from lagesbild.models import Incident

NAME = "incident_staging"
BATCH = 2_000  # rows per write: short, so a progress bar moves and memory stays flat


class Staging:
    """A temporary table for incidents on one connection (see the module docstring)."""

    def __init__(self, conn: Connection, columns: list[str]):
        self.conn = conn
        target = Incident.__table__
        self.columns = columns
        self.table = Table(
            NAME,
            MetaData(),
            Column("n", Integer, primary_key=True),  # the row's place in the file
            *(Column(name, target.c[name].type) for name in columns),
            prefixes=["TEMPORARY"],
        )
        self.count = 0

    def add(self, rows: list[dict]) -> None:
        """Stage rows (each with exactly `columns`)."""
        if not rows:
            return
        self.conn.execute(
            insert(self.table),
            [{"n": self.count + i, **row} for i, row in enumerate(rows)],
        )
        self.count += len(rows)

    def publish(self, import_batch_id: int) -> int:
        """Copy the staged rows into `incident` in file order; returns how many were added."""
        staged = self.table
        rows = select(*(staged.c[name] for name in self.columns), literal(import_batch_id))
        publish = insert(Incident.__table__).from_select(
            [*self.columns, "import_batch_id"], rows.order_by(staged.c.n)
        )
        result = self.conn.execute(publish.execution_options(preserve_rowcount=True))
        return result.rowcount

    def _drop(self) -> None:
        schema = "pg_temp" if self.conn.dialect.name == "postgresql" else "temp"
        self.conn.execute(text(f"DROP TABLE IF EXISTS {schema}.{NAME}"))


@contextmanager
def staging(conn: Connection, columns: list[str]) -> Iterator[Staging]:
    """A fresh staging table for the block; dropped at the end, whatever happens."""
    stage = Staging(conn, columns)
    postgresql = conn.dialect.name == "postgresql"
    stage._drop()
    stage.table.create(conn)
    try:
        yield stage
    except BaseException:
        # PostgreSQL: the caller's rollback removes the table (a failed transaction accepts
        # no more statements). SQLite created it before its transaction began: drop it here
        # (if the rollback brings it back, empty, the next import drops it first).
        if not postgresql:
            stage._drop()
        raise
    stage._drop()
