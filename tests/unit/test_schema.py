"""Alembic migrations (bot/storage/schema.py, bot/storage/migrations): applied once, checked everywhere (issue 13)."""
from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, insert, select, text

from bot.storage.db import Base, OrderRow, TicketRow, make_engine, server_pool_options
from bot.storage.schema import SchemaNotCurrent, check, head, upgrade


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_new_database_gets_every_model_table_and_rasa_events_and_matches_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.storage.schema import include_object, target_metadata

    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert upgrade(url) == head()
    made = {t for t in tables(url) if not t.startswith("tickets_fts")}  # FTS5's tables (migration 0003)
    assert set(Base.metadata.tables) | {"events", "alembic_version"} == made
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        differences = compare_metadata(context, target_metadata())
    engine.dispose()
    # A model change without its migration shows up here (add a revision: README, Migrations).
    assert differences == []


def test_a_database_made_by_create_all_upgrades_in_place_and_keeps_its_rows(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    # The code path before migrations: bot.storage.db.create_schema and Rasa's own create_all.
    Base.metadata.create_all(engine)
    SQLTrackerStore.Base.metadata.create_all(engine)
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE conversation_channels"))  # a table added later
        connection.execute(text("DROP INDEX uq_tickets_open_conversation"))  # not in the models then
        connection.execute(insert(OrderRow).values(
            order_number="QX-999999", customer_name="Old Row", status="shipped", shipping_address="x"))
        connection.execute(insert(TicketRow).values(
            id="TOLD", conversation_id="c1", channel="rest", language="en", state="queued", priority=3,
            reason_code="customer_request", skills=[], summary="s", packet={}, sla_due_at=now + timedelta(hours=1)))
        # Two open tickets for one conversation, as racing hand-overs left them: the newer one is kept.
        for ticket_id, created in (("TDUP1", now - timedelta(minutes=5)), ("TDUP2", now)):
            connection.execute(insert(TicketRow).values(
                id=ticket_id, conversation_id="c2", channel="rest", language="en", state="callback", priority=3,
                reason_code="customer_request", skills=[], summary="s", packet={}, created_at=created,
                sla_due_at=now + timedelta(hours=1)))
        connection.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                                "VALUES ('c1', 'user', 1.0, '{}')"))
    engine.dispose()
    with pytest.raises(SchemaNotCurrent):
        check(make_engine(url))

    assert upgrade(url) == head()

    assert "conversation_channels" in tables(url)
    engine = make_engine(url)
    check(engine)
    with engine.connect() as connection:
        assert connection.execute(select(OrderRow.customer_name).where(
            OrderRow.order_number == "QX-999999")).scalar_one() == "Old Row"
        assert connection.execute(select(TicketRow.state).where(TicketRow.id == "TOLD")).scalar_one() == "queued"
        assert connection.execute(text("SELECT count(*) FROM events WHERE sender_id = 'c1'")).scalar_one() == 1
        duplicates = dict(connection.execute(select(TicketRow.id, TicketRow.disposition).where(
            TicketRow.conversation_id == "c2")).all())
        assert duplicates == {"TDUP1": "duplicate", "TDUP2": None}
    engine.dispose()
    assert upgrade(url) == head()  # again: nothing to do


def test_a_process_only_checks_and_never_creates_tables(tmp_path, monkeypatch):
    from bot.storage.uow import SqlAlchemyUnitOfWork, engine_for

    url = f"sqlite:///{tmp_path / 'unmigrated.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SchemaNotCurrent, match="make migrate"):
        engine_for(url)
    with pytest.raises(SchemaNotCurrent):
        with SqlAlchemyUnitOfWork():
            pass
    assert tables(url) == set()
    upgrade(url)
    engine_for(url)  # now it starts


def _upgrade(url: str) -> str:
    return upgrade(url)


def test_processes_migrating_one_database_together_take_turns(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert pool.map(_upgrade, [url] * 4) == [head()] * 4


def test_the_tracker_store_checks_the_schema_and_shares_the_project_engine(tmp_path, monkeypatch):
    from bot.storage.stores import ProjectSQLTrackerStore
    from bot.storage.uow import engine_for

    url = f"sqlite:///{tmp_path / 'rasa.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SchemaNotCurrent):
        ProjectSQLTrackerStore()
    upgrade(url)
    store = ProjectSQLTrackerStore()
    assert store.engine is engine_for(url)
    with store.session_scope() as session:
        assert session.execute(text("SELECT count(*) FROM events")).scalar_one() == 0


def test_pool_size_comes_from_settings(monkeypatch):
    monkeypatch.setenv("DB_POOL_SIZE", "3")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "2")
    engine = make_engine("postgresql://user:pw@127.0.0.1:1/none")  # no connection is made
    assert engine.pool.size() == 3 and server_pool_options()["max_overflow"] == 2  # QueuePool keeps it private
    monkeypatch.setenv("DB_POOL_SIZE", "lots")
    with pytest.raises(ValueError, match="DB_POOL_SIZE"):
        make_engine("postgresql://user:pw@127.0.0.1:1/none")


def test_the_migration_lock_beside_a_sqlite_database_is_private(tmp_path):
    # a fresh new user found var/bot.db.migrate-lock at 0644 beside a 0600 database
    import os
    import stat

    from bot.storage.schema import upgrade

    old = os.umask(0o022)
    try:
        upgrade(f"sqlite:///{tmp_path / 'bot.db'}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "bot.db.migrate-lock").st_mode) == 0o600
