"""Alembic environment: the project's tables and Rasa's tracker table (``events``).

Run through ``bot.storage.schema.upgrade`` (``python -m bot.cli migrate``, ``make migrate``),
which passes the connection; the ``alembic`` command line works too
(``.venv/bin/alembic revision -m "..."`` from the project root, alembic.ini), on
``DATABASE_URL``.
"""
from __future__ import annotations

from alembic import context

from bot.storage.db import Base
from bot.storage.schema import include_object, target_metadata

config = context.config


def run_migrations(connection, autogenerate: bool) -> None:
    # The models matter only to `alembic revision --autogenerate` (and importing
    # Rasa's tracker store for them takes seconds): not to an upgrade.
    context.configure(connection=connection, target_metadata=target_metadata() if autogenerate else None,
                      render_as_batch=connection.dialect.name == "sqlite", include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection, autogenerate=False)
        return
    from bot.storage.db import make_engine
    from bot.settings import get_settings

    engine = make_engine(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    with engine.connect() as connection:
        run_migrations(connection, autogenerate=True)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them on a database")
assert Base is not None
run_migrations_online()
