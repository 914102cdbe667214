"""The desk's notes, transfers and canned replies on PostgreSQL: migration 0004 (tables, seed)
on a real cluster, the models matching it, and two transfers racing under row locks (a private
PostgreSQL 15 cluster, as `make bench-desk` starts; skipped where it is not installed)."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pytest

from bench.desk import PG_BIN

pytestmark = pytest.mark.skipif(not (PG_BIN / "initdb").exists() or not shutil.which("runuser"),
                                reason="PostgreSQL 15 is not installed (make postgres-deps)")


@pytest.fixture(scope="module")
def postgres_url(postgres):
    """A fresh database in the session's private cluster (tests/conftest.py)."""
    return postgres("desk_tools")


def test_desk_tools_on_postgres(postgres_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.storage.db import make_engine
    from bot.handover.packet import build_packet
    from bot.handover.policy import Decision, load_config
    from bot.storage.schema import head, include_object, target_metadata, upgrade
    from bot.services import desk
    from bot.queue.tickets import new_ticket_id
    from tests.unit.test_desk_tools import race_two_transfers
    from bot.storage.uow import SqlAlchemyUnitOfWork

    assert upgrade(postgres_url) == head()
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        assert compare_metadata(context, target_metadata()) == []
    unit = lambda: SqlAlchemyUnitOfWork(engine)  # noqa: E731
    with unit() as uow:
        uow.agents.upsert("ann", "pass-word-1", "Ann", "agent", ["en", "orders"])
        uow.agents.upsert("bo", "pass-word-1", "Bo", "agent", ["en", "zh"])
        uow.commit()

    assert {r["language"] for r in desk.canned_replies(unit(), None)} == {"en", "zh"}  # seeded by 0004
    made, _ = desk.save_canned(unit(), None, "zh", "延迟", "抱歉让您久等了。", "sue")
    with pytest.raises(desk.CannedTitleTaken):
        desk.save_canned(unit(), None, "zh", "延迟", "again", "sue")
    desk.delete_canned(unit(), made["id"], "sue")

    now = datetime.now(timezone.utc)
    events = [{"event": "user", "text": "agent please", "timestamp": now.timestamp(), "input_channel": "rest",
               "parse_data": {"intent": {"name": "request_human"}, "entities": []}}]
    for attempt in range(5):  # two transfers racing, five times: always exactly one move
        packet = build_packet(ticket_id=new_ticket_id(), conversation_id=f"pg-race-{attempt}", events=events,
                              slots={"language": "en"}, decision=Decision("customer_request", "test"),
                              config=load_config(), now=now)
        with unit() as uow:
            ticket = uow.tickets.add(packet, "queued")
            uow.tickets.claim(ticket.ticket_id, "ann")
            uow.commit()
        desk.add_note(unit(), ticket.ticket_id, "bo", "a note on PostgreSQL")
        race_two_transfers(unit, ticket.ticket_id, now)
        view = desk.ticket_view(unit(), ticket.ticket_id, now)
        assert [n["text"] for n in view["notes"]] == ["a note on PostgreSQL"]
    engine.dispose()
