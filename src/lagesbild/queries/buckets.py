"""SQL expressions that must compile differently on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class floor_int(FunctionElement):
    """The largest integer ≤ x (PostgreSQL's CAST rounds; SQLite's truncates). Used for grid
    cells, whose arguments are shifted to be non-negative."""

    type = Integer()
    name = "floor_int"
    inherit_cache = True


def _arg(element, compiler, **kw) -> str:
    return compiler.process(next(iter(element.clauses)), **kw)


@compiles(floor_int, "sqlite")
def _floor_sqlite(element, compiler, **kw):
    return f"CAST({_arg(element, compiler, **kw)} AS INTEGER)"


@compiles(floor_int, "postgresql")
def _floor_pg(element, compiler, **kw):
    return f"CAST(floor({_arg(element, compiler, **kw)}) AS INTEGER)"
