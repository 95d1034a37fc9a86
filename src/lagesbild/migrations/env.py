"""Alembic environment: runs on the connection handed over by `lagesbild.db.upgrade`."""

from alembic import context
from sqlalchemy import create_engine

from lagesbild.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # `alembic` command line: the URL comes from the usual settings
    from lagesbild.config import load_settings

    engine = create_engine(config.get_main_option("sqlalchemy.url") or load_settings().database_url)
    with engine.begin() as conn:
        _run(conn)
