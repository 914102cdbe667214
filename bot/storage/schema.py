"""Schema migrations (Alembic, bot/storage/migrations): applied once, checked everywhere.

``make run`` (scripts/run.sh), ``make migrate``, ``python -m bot.cli migrate``
and the tests' database fixtures call :func:`upgrade` before any server
starts; every process then only calls :func:`check` (bot/storage/uow.py
``engine_for``, the tracker store in bot/storage/stores.py), so no two processes
ever create tables at once. The migrations cover the project's tables and
Rasa's tracker table (``events``), so Rasa's own ``create_all`` finds
everything in place. A database made by ``create_all`` before migrations
existed upgrades in place: the baseline revision creates only the tables
that are missing, then later revisions apply.
"""
from __future__ import annotations

import fcntl
import os
import logging
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy.engine import Connection, Engine, make_url

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# pg_advisory_lock key: one migration at a time per PostgreSQL database.
_PG_LOCK_KEY = 0x51584D4947  # "QXMIG"


class SchemaNotCurrent(RuntimeError):
    """The database's schema revision is not the code's (run ``make migrate``)."""


def target_metadata() -> list:
    """The project's tables and Rasa's SQL tracker store table (for autogenerate)."""
    from rasa.core.tracker_store import SQLTrackerStore

    from bot.storage.db import Base

    return [Base.metadata, SQLTrackerStore.Base.metadata]


def include_object(obj, name: Optional[str], type_: str, reflected: bool, compare_to) -> bool:
    """Alembic's filter for comparing the database with the models: the desk's indexes and
    text-index tables are made by raw DDL (migrations 0003 and 0008, bot/storage/migrations/
    desk_queue_0003.py and ticket_stats_0008.py: partial, covering and full-text indexes the
    models do not declare), so they are not drift.

    Args:
        obj: the schema object Alembic compares (table, index, …).
        name: its name, or None.
        type_: ``table``, ``index``, ``column``, …
        reflected: True when read from the database rather than the models.
        compare_to: the object it is compared with, or None.

    Returns:
        False for the raw-DDL indexes and tables (not drift), True otherwise.
    """
    from bot.storage.migrations.desk_queue_0003 import RAW_DDL_INDEXES, RAW_DDL_TABLE_PREFIX
    from bot.storage.migrations.ticket_stats_0008 import WAITING_CREATED_INDEX

    if type_ == "index" and (name in RAW_DDL_INDEXES or name == WAITING_CREATED_INDEX):
        return False
    if type_ == "table" and name and name.startswith(RAW_DDL_TABLE_PREFIX):
        return False
    return True


def alembic_config(url: Optional[str] = None):
    """An Alembic ``Config`` for bot/storage/migrations (``url``: the database, else DATABASE_URL).

    Args:
        url: the database URL; None uses ``DATABASE_URL`` (bot/storage/migrations/env.py reads it).

    Returns:
        An ``alembic.config.Config``.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision in bot/storage/migrations.

    Raises:
        RuntimeError: the migrations have more than one head (merge them).
    """
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"bot/storage/migrations has {len(heads)} heads {heads}: merge them (alembic merge)")
    return heads[0]


def current(connection: Connection) -> Optional[str]:
    """The database's revision (None: never migrated).

    Args:
        connection: an open connection to the database.

    Returns:
        The revision id, or None.
    """
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def check(engine: Engine) -> None:
    """Raise :class:`SchemaNotCurrent` unless the database is at :func:`head`.

    One query (``alembic_version``); never changes the database.

    Args:
        engine: the database to check.

    Raises:
        SchemaNotCurrent: the database is behind (or ahead of) this code's revision (``make migrate``).
    """
    with engine.connect() as connection:
        revision = current(connection)
    if revision != head():
        raise SchemaNotCurrent(
            f"the database {engine.url.render_as_string(hide_password=True)} is at schema revision "
            f"{revision or 'none'}, this code needs {head()}: run `make migrate` "
            f"(.venv/bin/python -m bot.cli migrate) before starting servers")


@contextmanager
def _migration_lock(engine: Engine, connection: Connection) -> Iterator[None]:
    """One migration at a time: a PostgreSQL advisory lock, or a lock file beside a SQLite database."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy import text

        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_LOCK_KEY})
            connection.commit()
        return
    database = make_url(str(engine.url)).database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    # the lock file beside the database is private like it (0600), whatever the umask
    with os.fdopen(os.open(f"{database}.migrate-lock", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(url: str, revision: str = "head") -> Optional[str]:
    """Apply the migrations up to ``revision`` on the database at ``url``.

    Idempotent and safe when several processes call it at once (they take
    turns). Returns the database's revision afterwards.

    Args:
        url: the database URL.
        revision: the target revision (``head``: the newest).

    Returns:
        The database's revision afterwards (None if it has none).
    """
    from alembic import command

    from bot.storage.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            with _migration_lock(engine, connection):
                config = alembic_config(url)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                connection.commit()
                return current(connection)
    finally:
        engine.dispose()
