"""The replies that come with a ticket following its customer reach them at once (session 47).

Before, the agent's replies not yet delivered on the chat a ticket left moved with it but waited: an open web chat
got them only when it reconnected, a REST client only after the outbox mark expired (up to 2 minutes) and WeChat
with the customer's next message; and the web chat the ticket left kept saying "with Alice". The action server
moves the rows (``bot.services.tickets.follow_within``) and says so on the ``ticket_id`` slot event; the Rasa
server's tracker store reads it after the turn (``bot.storage.stores``) and calls
``bot.services.delivery.after_move``.
"""
from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from bot.channels import live
from bot.domain import TICKET_MOVED_KEY
from bot.handover.handover_dialogue import ticket_slot
from bot.queue import delivery as delivery_registry
from bot.services import delivery
from bot.services import tickets as tickets_service
from bot.storage.fakes import FakeUnitOfWork
from tests.unit.test_follow_customer import customer_with, handed_over_for
from tests.unit.test_services import always_open
from tests.unit.test_tickets import make_ticket

REPLY = "Your refund went out this morning."


@pytest.fixture
def tab(monkeypatch):
    """An open web chat tab of our widget: what it was pushed and signalled; ``acknowledges`` False: it is gone."""
    seen = {"pushed": [], "signals": [], "acknowledges": True}

    async def push(conversation_id, messages):
        if seen["acknowledges"]:
            seen["pushed"].extend((conversation_id, m["text"]) for m in messages)
        return seen["acknowledges"]

    async def signal(conversation_id, event, data):
        seen["signals"].append((conversation_id, event, data))
        return True

    monkeypatch.setitem(delivery_registry._PUSHERS, "webchat", push)
    monkeypatch.setitem(live._SIGNALLERS, "webchat", signal)
    monkeypatch.setattr(delivery, "_MEMORY_HINTS", None)  # a fresh outbox mark store
    return seen


def held_on(uow, conversation_id, channel, customer, reply=REPLY):
    """A ticket of ``customer`` an agent holds on ``conversation_id`` (packet channel ``channel``), with the
    agent's ``reply`` in the outbox, not yet delivered there."""
    ticket = make_ticket(uow, conversation_id, state="with_agent")
    uow.tickets.tickets[ticket.ticket_id] = handed_over_for(ticket, customer, channel)
    delivery_name = {"web": "webchat"}.get(channel, channel)
    with uow:
        uow.outbox.add(conversation_id, delivery_name, [{"text": reply, "custom": {"from": "agent", "agent": "Ann"}}])
        uow.commit()
    return ticket


def written_on(uow, conversation_id, channel, customer, text="I'm on the website now"):
    return tickets_service.relay_message(uow, conversation_id, text, channel, always_open(), customer=customer)


def test_a_reply_waiting_on_rest_is_pushed_to_the_web_chat_the_customer_writes_from(tab):
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("rest-1", "rest_sender"), ("web-1", "web_session"))
    ticket = held_on(uow, "rest-1", "rest", customer)

    relayed = written_on(uow, "web-1", "webchat", customer)
    moved = relayed.moved
    assert (moved.ticket.ticket_id, moved.came_from, moved.left) == (ticket.ticket_id, "rest", "rest-1")
    assert len(moved.replies) == 1

    pushed = asyncio.run(delivery.after_move(lambda: uow, "web-1", "webchat", moved.replies, moved.left,
                                             moved.came_from))
    assert pushed == 1 and tab["pushed"] == [("web-1", REPLY)]
    assert uow.outbox.delivered(list(moved.replies))  # never sent again on the next connection
    assert tab["signals"] == []  # the chat it left is REST: it shows no status


def test_a_tab_that_is_gone_leaves_the_replies_for_its_next_connection(tab):
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("rest-2", "rest_sender"), ("web-2", "web_session"))
    held_on(uow, "rest-2", "rest", customer)
    moved = written_on(uow, "web-2", "webchat", customer).moved
    tab["acknowledges"] = False

    assert asyncio.run(delivery.after_move(lambda: uow, "web-2", "webchat", moved.replies)) == 0
    assert [m["text"] for m in uow.outbox.take_pending("web-2")] == [REPLY]


def test_a_rest_client_gets_them_with_the_turns_answer_though_it_had_looked_before(tab):
    """The REST channel reads the outbox after a turn only when it may have changed (issue 16): the move marks it."""
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-3", "web_session"), ("rest-3", "rest_sender"))
    held_on(uow, "web-3", "web", customer)

    async def run():
        assert await delivery.take_pending_if_any(lambda: uow, "rest-3", "rest") == []  # an earlier turn looked
        moved = written_on(uow, "rest-3", "rest", customer).moved
        assert await delivery.after_move(lambda: uow, "rest-3", "rest", moved.replies, moved.left,
                                         moved.came_from) == 0  # REST has no push: the turn's answer carries them
        return await delivery.take_pending_if_any(lambda: uow, "rest-3", "rest")

    assert [m["text"] for m in asyncio.run(run())] == [REPLY]


def test_the_web_chat_a_ticket_left_is_told_it_is_the_bots_again(tab):
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-4", "web_session"), ("rest-4", "rest_sender"))
    held_on(uow, "web-4", "web", customer)
    moved = written_on(uow, "rest-4", "rest", customer).moved

    asyncio.run(delivery.after_move(lambda: uow, "rest-4", "rest", moved.replies, moved.left, moved.came_from))

    assert tab["signals"] == [("web-4", "status", {"state": "bot"})]


def test_a_move_naming_another_conversations_replies_pushes_none_of_them(tab):
    """The ids come from an event of the turn: a forged one (a client able to append events) names another
    customer's waiting replies; only the conversation's own are ever claimed."""
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-9", "web_session"))
    held_on(uow, "web-9", "web", customer)
    [victims] = [m["id"] for m in uow.outbox.messages if m["conversation_id"] == "web-9"]

    assert asyncio.run(delivery.after_move(lambda: uow, "web-attacker", "webchat", [victims])) == 0
    assert tab["pushed"] == [] and not uow.outbox.delivered([victims])


def test_a_chat_that_kept_its_own_ticket_moves_nothing():
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-5", "web_session"), ("rest-5", "rest_sender"))
    held_on(uow, "web-5", "web", customer)
    assert written_on(uow, "web-5", "webchat", customer).moved is None  # its own chat: nothing follows
    assert written_on(uow, "rest-5", "rest", None).ticket is None  # nobody proven: nothing follows either


# ---- the signal from the action server to the Rasa server ------------------------------------------------------

def test_the_slot_event_carries_the_move_through_rasa():
    """The relay action's ``ticket_id`` event keeps the move through Rasa's check of the action server's reply and
    its parsing into events (``SlotSet.metadata``)."""
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("rest-6", "rest_sender"), ("web-6", "web_session"))
    held_on(uow, "rest-6", "rest", customer)
    moved = written_on(uow, "web-6", "webchat", customer).moved
    event = ticket_slot(moved.ticket.ticket_id, moved)
    rasa_patches.install_all()
    assert RemoteAction("action_relay_to_agent", None)._validate_action_result({"events": [event], "responses": []})
    [parsed] = [Event.from_parameters(event)]
    assert isinstance(parsed, SlotSet) and parsed.value == moved.ticket.ticket_id
    assert parsed.metadata[TICKET_MOVED_KEY] == {"replies": list(moved.replies), "left": "rest-6", "came_from": "rest"}
    assert "metadata" not in ticket_slot("T-1")  # an ordinary hand-over says nothing of a move


def test_the_tracker_store_pushes_after_a_turn_that_moved_the_ticket(database_url, monkeypatch):
    from bot.storage.stores import ProjectSQLTrackerStore
    from tests.unit.test_speed import DOMAIN

    calls = []

    async def push_moved(factory, conversation_id, channel, replies, left=None, left_channel=None):
        calls.append((conversation_id, channel, replies, left, left_channel))
        return len(replies)

    monkeypatch.setattr(delivery, "push_moved", push_moved)
    store = ProjectSQLTrackerStore(domain=DOMAIN)

    async def turn(sender, slot_event):
        tracker = DialogueStateTracker(sender, DOMAIN.slots)
        tracker.update(UserUttered("I'm on the website now", {"name": "greet"}, input_channel="webchat"))
        tracker.update(ActionExecuted("action_relay_to_agent"))
        tracker.update(BotUttered("Agent Ann will answer you in this chat."))
        tracker.update(slot_event)
        await store.save(tracker)
        await asyncio.gather(*store._background)

    moved = {TICKET_MOVED_KEY: {"replies": [7, 8], "left": "rest-7", "came_from": "rest"}}
    asyncio.run(turn("web-7", SlotSet("ticket_id", "T-7", metadata=moved)))
    asyncio.run(turn("web-8", SlotSet("ticket_id", "T-8")))  # a hand-over without a move: nothing pushed
    assert calls == [("web-7", "webchat", [7, 8], "rest-7", "rest")]


def test_a_reply_sent_while_the_ticket_moves_goes_where_the_customer_is_now(uow, monkeypatch):
    """Session 46 left it open: an agent's reply recorded while the ticket moved (read before the move committed,
    written after) stayed on the chat the ticket left, where nobody reads it."""
    from bot.queue.tickets import SqlAlchemyTicketRepository
    from bot.storage.uow import SqlAlchemyUnitOfWork

    ticket = make_ticket(uow, "race-a")
    with uow:
        uow.tickets.claim(ticket.ticket_id, "ann")
        uow.commit()
    original, moved = SqlAlchemyTicketRepository.add_event, []

    def add_event_once_the_ticket_moved(self, ticket_id, kind, *args, **kwargs):
        if kind == "message" and not moved:  # the customer's other chat moves the ticket now, on another connection
            with SqlAlchemyUnitOfWork() as other:
                moved.append(other.tickets.continue_on(ticket_id, "race-b", "rest"))
                other.outbox.move_pending("race-a", "race-b", "rest")
                other.commit()
        return original(self, ticket_id, kind, *args, **kwargs)

    monkeypatch.setattr(SqlAlchemyTicketRepository, "add_event", add_event_once_the_ticket_moved)
    tickets_service.record_reply(SqlAlchemyUnitOfWork(), ticket.ticket_id, "ann", "On it", {"text": "On it"})

    assert moved == [True]
    with SqlAlchemyUnitOfWork() as check:
        assert [row["message"]["text"] for row in check.outbox.all_for("race-b")] == ["On it"]
        assert check.outbox.all_for("race-a") == []


def test_of_two_claimers_on_two_connections_only_one_gets_a_reply(uow, monkeypatch):
    """A fresh reviewer (session 47): on SQLite a SELECT takes no lock and FOR UPDATE is ignored, so two claimers
    (the push after a move and the web chat's reconnect, or WeChat's retry) both took the same reply. Here the
    second claims and commits after the first has read the row undelivered."""
    from bot.queue import delivery as outbox_module
    from bot.storage.uow import SqlAlchemyUnitOfWork

    with uow:
        ids = uow.outbox.add("claim-a", "webchat", [{"text": "once"}])
        uow.commit()
    real_now, others = outbox_module.utcnow, []

    def now_after_another_claim():  # called by the first claimer between its read and its write
        if not others:
            others.append(None)
            with SqlAlchemyUnitOfWork() as other:
                others[0] = other.outbox.claim("claim-a", ids)
                other.commit()
        return real_now()

    monkeypatch.setattr(outbox_module, "utcnow", now_after_another_claim)
    with SqlAlchemyUnitOfWork() as first:
        mine = first.outbox.claim("claim-a", ids)
        first.commit()
    assert [[(i, m["text"]) for i, m in claimed] for claimed in others] == [[(ids[0], "once")]] and mine == []


def test_a_push_cancelled_by_a_stopping_server_leaves_the_replies_for_the_next_chance(monkeypatch):
    uow = FakeUnitOfWork()
    ids = uow.outbox.add("web-10", "webchat", [{"text": REPLY}])

    async def never_answers(conversation_id, messages):
        await asyncio.sleep(3600)

    monkeypatch.setitem(delivery_registry._PUSHERS, "webchat", never_answers)

    async def run():
        task = asyncio.ensure_future(delivery.after_move(lambda: uow, "web-10", "webchat", ids))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(run())
    assert not uow.outbox.delivered(ids)


def test_a_reply_recorded_after_the_ticket_was_closed_meanwhile_is_refused(uow, monkeypatch):
    """The reply's locked re-read also sees a close committed since its first read (a fresh reviewer, session 47)."""
    from bot.queue.tickets import ClaimConflict, SqlAlchemyTicketRepository, TicketClosed
    from bot.storage.uow import SqlAlchemyUnitOfWork

    ticket = make_ticket(uow, "race-c")
    with uow:
        uow.tickets.claim(ticket.ticket_id, "ann")
        uow.commit()
    original = SqlAlchemyTicketRepository.add_event

    def add_event_once_closed(self, ticket_id, kind, *args, **kwargs):
        if kind == "message":
            with SqlAlchemyUnitOfWork() as other:
                other.tickets.close(ticket_id, "ann", "resolved")
                other.commit()
        return original(self, ticket_id, kind, *args, **kwargs)

    monkeypatch.setattr(SqlAlchemyTicketRepository, "add_event", add_event_once_closed)
    with pytest.raises((TicketClosed, ClaimConflict)):
        tickets_service.record_reply(SqlAlchemyUnitOfWork(), ticket.ticket_id, "ann", "On it", {"text": "On it"})
    with SqlAlchemyUnitOfWork() as check:
        assert check.outbox.all_for("race-c") == []


def test_calling_off_too_late_on_another_chat_moves_the_ticket_through_the_relay():
    """A fresh reviewer (session 47): "never mind" on another chat while an agent held the ticket moved it inside the
    call-off, so the relay saw no move: nothing was pushed and the chat it left kept "with Agent 4"."""
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-11", "web_session"), ("rest-11", "rest_sender"))
    ticket = held_on(uow, "web-11", "web", customer)
    assert tickets_service.withdraw_request(uow, "rest-11", "never mind, cancel it", "rest", customer=customer) is None
    assert uow.tickets.open_for_conversation("web-11").ticket_id == ticket.ticket_id  # the call-off moved nothing
    moved = written_on(uow, "rest-11", "rest", customer, "never mind, cancel it").moved
    assert (moved.ticket.ticket_id, moved.left, len(moved.replies)) == (ticket.ticket_id, "web-11", 1)


def test_the_agent_joined_line_follows_a_ticket_that_moved_since_it_was_read(uow, monkeypatch):
    """Helper-218 (session 47): "Agent 4 has joined" is delivered after the claim's own transaction, from the
    ticket as the claim read it; a move committed in between left the line on the chat the ticket left."""
    from bot.storage.uow import SqlAlchemyUnitOfWork

    monkeypatch.setattr(delivery, "_MEMORY_HINTS", None)
    ticket = make_ticket(uow, "join-a")
    with uow:
        uow.tickets.claim(ticket.ticket_id, "ann")
        uow.tickets.continue_on(ticket.ticket_id, "join-b", "rest")  # the customer wrote on their other chat
        uow.commit()
    line = {"text": "Ann from our support team has joined the chat.", "custom": {"from": "system"}}

    asyncio.run(delivery.deliver(SqlAlchemyUnitOfWork, "join-a", "webchat", [line], ticket_id=ticket.ticket_id))

    with SqlAlchemyUnitOfWork() as check:
        assert check.outbox.all_for("join-a") == []
        assert [row["message"]["text"] for row in check.outbox.all_for("join-b")] == [line["text"]]
        assert check.outbox.take_pending("join-b", "rest") == [line]


def test_the_http_web_chat_shows_a_reply_that_waited_at_the_time_it_was_written():
    """Helper-219 (session 47): over the web chat's HTTP API the replies that came with a ticket were stamped with
    the time of the poll that took them, after the customer's own message; a reload then showed them earlier."""
    from datetime import datetime, timedelta, timezone

    from bot.services import webchat as webchat_service

    uow = FakeUnitOfWork()
    written = datetime.now(timezone.utc) - timedelta(minutes=3)
    uow.outbox.add("web-12", "webchat", [{"text": REPLY, "custom": {"from": "agent", "agent": "Ann"}}],
                   created_at=written)
    [pending], status = webchat_service.pending_and_status(uow, "web-12")
    assert pending["timestamp"] == written.timestamp() and pending["text"] == REPLY
    assert uow.outbox.take_pending("web-12") == []
