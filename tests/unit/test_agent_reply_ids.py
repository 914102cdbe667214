"""An agent reply with a client-chosen ``message_id`` is recorded and delivered once (issue 13,
DESIGN.md §8): a retry with the same id answers as the first call and sends nothing again, even
when both calls run at once (the database's unique index on ``(ticket_id, client_id)``,
migration 0006; per ``(ticket_id, author, client_id)`` since 0008). SQLite here; the same race on PostgreSQL is ``test_the_race_on_postgres``."""
from __future__ import annotations

import asyncio
import shutil
import threading

import pytest
from sqlalchemy import func, select

from bench.desk import PG_BIN
from bot.queue import delivery as delivery_registry
from bot.queue.tickets import TicketClosed
from bot.services import tickets as tickets_service
from bot.services.delivery import reply_and_deliver
from bot.storage.db import OutboxRow, TicketEventRow
from tests.rows import RowsUnitOfWork
from tests.unit.test_tickets import make_ticket


@pytest.fixture
def pushes(monkeypatch):
    """The REST channel given a pusher that records what it is asked to push (and confirms it)."""
    pushed: list = []

    async def push(conversation_id, messages):
        pushed.extend((conversation_id, m["text"]) for m in messages)
        return True

    monkeypatch.setitem(delivery_registry._PUSHERS, "rest", push)
    return pushed


def held_ticket(unit, conversation_id: str = "c1", agent: str = "ann") -> str:
    ticket = make_ticket(unit(), conversation_id)
    with unit() as u:
        u.tickets.claim(ticket.ticket_id, agent)
        u.commit()
    return ticket.ticket_id


def stored(unit, ticket_id: str, text: str) -> tuple:
    """(reply events with ``text`` on the ticket, outbox rows with ``text`` for its conversation)."""
    with unit() as u:
        events = u.execute(select(func.count()).select_from(TicketEventRow).where(
            TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == "message",
            TicketEventRow.text == text)).scalar()
        conversation_id = u.tickets.get(ticket_id).conversation_id
        rows = [r for r in u.execute(select(OutboxRow).where(OutboxRow.conversation_id == conversation_id)).scalars()
                if (r.message or {}).get("text") == text]
    return events, len(rows)


def reply(unit, ticket_id, text, message_id=None, agent="ann"):
    return asyncio.run(reply_and_deliver(unit, ticket_id, agent, agent.title(), text, message_id=message_id))


def test_a_retry_with_the_same_id_answers_as_the_first_and_delivers_nothing_again(uow, pushes):
    ticket_id = held_ticket(RowsUnitOfWork)
    first = reply(RowsUnitOfWork, ticket_id, "Your refund is on its way.", "desk-1a2b")
    assert first == {"status": "sent", "message_id": "desk-1a2b"}
    for _ in range(3):
        again = reply(RowsUnitOfWork, ticket_id, "Your refund is on its way.", "desk-1a2b")
        assert again == {"status": "sent", "message_id": "desk-1a2b", "duplicate": True}
    assert pushes == [("c1", "Your refund is on its way.")]
    assert stored(RowsUnitOfWork, ticket_id, "Your refund is on its way.") == (1, 1)


def test_different_ids_are_different_replies_even_with_the_same_text(uow, pushes):
    ticket_id = held_ticket(RowsUnitOfWork)
    assert reply(RowsUnitOfWork, ticket_id, "Thanks!", "a-1")["status"] == "sent"
    assert "duplicate" not in reply(RowsUnitOfWork, ticket_id, "Thanks!", "a-2")
    assert "duplicate" not in reply(RowsUnitOfWork, ticket_id, "Thanks!")  # no id: sent as asked
    assert pushes == [("c1", "Thanks!")] * 3
    assert stored(RowsUnitOfWork, ticket_id, "Thanks!") == (3, 3)


def test_an_id_is_per_ticket_and_cannot_name_another_reply(uow, pushes):
    ticket_id = held_ticket(RowsUnitOfWork)
    other = held_ticket(RowsUnitOfWork, "c2", agent="bo")
    reply(RowsUnitOfWork, ticket_id, "One", "id-7")
    assert "duplicate" not in reply(RowsUnitOfWork, other, "One", "id-7", agent="bo")  # another ticket
    with pytest.raises(tickets_service.ReplyIdConflict, match="different reply"):
        reply(RowsUnitOfWork, ticket_id, "Two", "id-7")  # same id, another text
    with pytest.raises(tickets_service.ClaimConflict):  # same id, an agent not holding it: refused as any reply
        reply(RowsUnitOfWork, ticket_id, "One", "id-7", agent="bo")
    assert stored(RowsUnitOfWork, ticket_id, "Two") == (0, 0)
    assert pushes == [("c1", "One"), ("c2", "One")]


def test_a_retry_after_the_ticket_was_closed_still_answers_as_the_first_call(uow, pushes):
    ticket_id = held_ticket(RowsUnitOfWork)
    reply(RowsUnitOfWork, ticket_id, "Bye", "last-1")
    tickets_service.close(RowsUnitOfWork(), ticket_id, "ann", "resolved")
    assert reply(RowsUnitOfWork, ticket_id, "Bye", "last-1")["duplicate"] is True
    with pytest.raises(TicketClosed, match="^ticket is closed"):  # a new reply is refused: the ticket is over
        reply(RowsUnitOfWork, ticket_id, "Bye", "last-2")


def test_a_retry_while_the_first_call_is_still_delivering_reports_the_outbox(uow):
    """The first call recorded the reply and its outbox message but has not pushed it (no
    stored answer yet): the retry says where it is instead of sending it again."""
    ticket_id = held_ticket(RowsUnitOfWork)
    message = {"text": "Hold on", "custom": {"from": "agent", "agent": "Ann"}}
    first = tickets_service.record_reply(RowsUnitOfWork(), ticket_id, "ann", "Hold on", message, "m-1")
    assert not first.duplicate and len(first.outbox_ids) == 1
    assert reply(RowsUnitOfWork, ticket_id, "Hold on", "m-1") == {
        "status": "queued_for_delivery", "message_id": "m-1", "duplicate": True}
    with RowsUnitOfWork() as u:
        u.outbox.mark_delivered(first.outbox_ids)
        u.commit()
    assert reply(RowsUnitOfWork, ticket_id, "Hold on", "m-1")["status"] == "sent"


def race_same_reply_id(unit, ticket_id: str, calls: int = 4) -> None:
    """``calls`` threads record the same reply with the same id at once (``unit()`` makes a unit
    of work): exactly one records it, the others are answered as retries; one outbox message."""
    barrier = threading.Barrier(calls)
    outcomes: list = []
    message = {"text": "Raced", "custom": {"from": "agent", "agent": "Ann"}}

    def send() -> None:
        barrier.wait()
        outcomes.append(tickets_service.record_reply(unit(), ticket_id, "ann", "Raced", message, "race-1").duplicate)

    threads = [threading.Thread(target=send) for _ in range(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False] + [True] * (calls - 1), outcomes
    assert stored(unit, ticket_id, "Raced") == (1, 1)


def test_calls_with_the_same_id_racing_record_one_reply(uow):
    race_same_reply_id(RowsUnitOfWork, held_ticket(RowsUnitOfWork))


@pytest.mark.skipif(not (PG_BIN / "initdb").exists() or not shutil.which("runuser"),
                    reason="PostgreSQL 15 is not installed (make postgres-deps)")
def test_the_race_on_postgres(postgres):
    """The same race on PostgreSQL (the unique index refuses the second INSERT once the first
    commits; the loser reads the winner's reply), five times over."""
    from bot.storage.db import make_engine
    from bot.storage.schema import upgrade

    url = postgres("agent_reply_ids")
    upgrade(url)
    engine = make_engine(url)
    unit = lambda: RowsUnitOfWork(engine)  # noqa: E731
    try:
        for attempt in range(5):
            race_same_reply_id(unit, held_ticket(unit, f"pg-reply-{attempt}"), calls=6)
    finally:
        engine.dispose()


# --- ids per (ticket, author), the holder check before any lookup (0009_reply_ids_per_author) -----

def test_a_non_holder_cannot_tell_used_ids_from_unused_ones(uow, pushes):
    ticket_id = held_ticket(RowsUnitOfWork)
    reply(RowsUnitOfWork, ticket_id, "One", "li-0001")
    refusals = []
    for used_or_not in ("li-0001", "li-0002"):
        with pytest.raises(tickets_service.ClaimConflict) as refused:
            reply(RowsUnitOfWork, ticket_id, "One", used_or_not, agent="bo")
        refusals.append(str(refused.value))
    assert refusals[0] == refusals[1]  # the same answer for a used and an unused id
    assert pushes == [("c1", "One")]


def test_after_a_transfer_the_new_holder_may_count_ids_the_same_way(uow, pushes):
    from bot.services import desk as desk_service

    ticket_id = held_ticket(RowsUnitOfWork)
    with RowsUnitOfWork() as u:
        u.agents.save("bo", "pass-word-1", "Bo", "agent")
        u.commit()
    assert reply(RowsUnitOfWork, ticket_id, "Hello, Ann here.", "li-0001")["status"] == "sent"
    desk_service.transfer(RowsUnitOfWork(), ticket_id, "ann", False, agent="bo")
    second = reply(RowsUnitOfWork, ticket_id, "Hi, Bo here now.", "li-0001", agent="bo")
    assert second == {"status": "sent", "message_id": "li-0001"}  # a new reply, not a 409
    assert reply(RowsUnitOfWork, ticket_id, "Hi, Bo here now.", "li-0001", agent="bo")["duplicate"] is True
    # Ann's retry of her own reply still answers as her first call, and sends nothing again
    assert reply(RowsUnitOfWork, ticket_id, "Hello, Ann here.", "li-0001")["duplicate"] is True
    assert pushes == [("c1", "Hello, Ann here."), ("c1", "Hi, Bo here now.")]


def test_the_fake_repository_scopes_ids_per_author_as_the_index_does():
    from bot.queue.tickets import DuplicateClientId
    from bot.storage.fakes import FakeTicketRepository

    repo = FakeTicketRepository()
    first = repo.add_event("t1", "message", "ann", "One", client_id="li-0001")
    assert repo.add_event("t1", "message", "bo", "Two", client_id="li-0001") != first
    assert repo.event_by_client_id("t1", "bo", "li-0001")["text"] == "Two"
    assert repo.event_by_client_id("t1", "cy", "li-0001") is None
    with pytest.raises(DuplicateClientId):
        repo.add_event("t1", "message", "ann", "One", client_id="li-0001")


def test_a_database_at_0007_upgrades_to_ids_per_author(tmp_path):
    from sqlalchemy import create_engine, inspect

    from bot.storage.schema import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    assert upgrade(url, "0007_attachments") == "0007_attachments"
    upgrade(url)
    engine = create_engine(url)
    indexes = {i["name"]: i for i in inspect(engine).get_indexes("ticket_events")}
    engine.dispose()
    assert "uq_ticket_events_client_id" not in indexes
    assert indexes["uq_ticket_events_author_client_id"]["column_names"] == ["ticket_id", "author", "client_id"]
