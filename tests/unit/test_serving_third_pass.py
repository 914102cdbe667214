"""Issue 16, third pass: per-turn database work the project's server no longer repeats."""
from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, UserUttered

from tests.unit.test_speed import DOMAIN, _conversation, _turn


@pytest.fixture
def store(database_url):
    from bot.storage.stores import ProjectSQLTrackerStore

    return ProjectSQLTrackerStore(domain=DOMAIN)


def _statements(engine, into: list):
    def listen(conn, cursor, statement, parameters, context, executemany):
        into.append(" ".join(statement.split()).lower())

    sa.event.listen(engine, "before_cursor_execute", listen)
    return listen


def _rows(store, sender_id: str) -> int:
    with store.session_scope() as session:
        return session.execute(sa.select(sa.func.count()).select_from(store.SQLEvent.__table__)
                               .where(store.SQLEvent.sender_id == sender_id)).scalar()


def test_a_warm_turn_is_checked_and_saved_without_an_orm_session(store, monkeypatch):
    _conversation(store, "third-1", 2)
    tracker = asyncio.run(store.retrieve("third-1"))
    before, stored = len(tracker.events), _rows(store, "third-1")
    _turn(tracker, 7)
    statements: list = []
    listener = _statements(store.engine, statements)
    sessionmaker = store.sessionmaker
    monkeypatch.setattr(store, "sessionmaker", lambda **kw: pytest.fail("an ORM session on the turn path"))
    try:
        asyncio.run(store.save(tracker))
        assert asyncio.run(store.retrieve("third-1")) is tracker
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", listener)
        monkeypatch.setattr(store, "sessionmaker", sessionmaker)
    assert [s.split()[0] for s in statements if not s.startswith(("begin", "commit", "rollback"))] == [
        "select", "insert", "select", "select"]  # check, insert, new highest id; the next turn's check
    assert store._warm["third-1"].last_id == store._last_id("third-1")
    again = asyncio.run(store.retrieve("third-1"))
    assert again is tracker and len(again.events) == before + 5
    assert _rows(store, "third-1") == stored + 5  # every new event stored once
    fresh = type(store)(domain=DOMAIN)  # and read back as stored
    assert [e.type_name for e in asyncio.run(fresh.retrieve("third-1")).events] == [e.type_name for e in again.events]
    # a first save of a long history writes every event too
    long = asyncio.run(store.get_or_create_tracker("third-long"))
    for n in range(60):
        _turn(long, n)
    asyncio.run(store.save(long))
    read = asyncio.run(type(store)(domain=DOMAIN).retrieve("third-long"))
    assert len(read.events) == len(long.events) and read.get_slot("topic") == "t59"


def test_the_tracker_store_does_not_claim_again_what_the_rest_channel_claimed(store, monkeypatch):
    from bot.services import conversations
    from bot.storage.uow import SqlAlchemyUnitOfWork
    from connectors import rest

    calls = []
    original = conversations.claim
    monkeypatch.setattr(conversations, "claim", lambda *a: calls.append(a[1:]) or original(*a))
    assert asyncio.run(rest.claim_rest("third-rest-1")) == "rest"
    tracker = asyncio.run(store.get_or_create_tracker("third-rest-1"))
    tracker.update(UserUttered("hello", {"name": "greet", "confidence": 1.0}, input_channel="rest"))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    assert calls == [("third-rest-1", "rest")]
    assert conversations.owner(SqlAlchemyUnitOfWork, "third-rest-1") == "rest"
    # a conversation no channel claimed before its turn is still claimed by the store
    web = asyncio.run(store.get_or_create_tracker("third-web-1"))
    web.update(UserUttered("hello", {"name": "greet", "confidence": 1.0}, input_channel="socketio"))
    web.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(web))
    assert calls[1:] == [("third-web-1", "web")]
    assert conversations.owner(SqlAlchemyUnitOfWork, "third-web-1") == "web"


def test_settings_are_read_again_only_when_the_environment_changed(monkeypatch):
    from bot.settings import get_settings

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    first = get_settings()
    assert get_settings() is first  # nothing changed: not parsed again
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:2/0")
    assert get_settings().redis_url == "redis://127.0.0.1:2/0"
    monkeypatch.delenv("REDIS_URL")
    assert get_settings().redis_url is None
    monkeypatch.setenv("ACTIONS_PORT", "not-a-port")
    for _ in range(2):  # a bad value is refused on every call, never remembered
        with pytest.raises(ValueError, match="ACTIONS_PORT"):
            get_settings()
