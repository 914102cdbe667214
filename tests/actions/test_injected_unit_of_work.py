"""Actions get their unit of work injected: with FakeUnitOfWork they run without any database."""
import pytest
from rasa_sdk import Tracker

import actions.common
from actions.handoff import ActionHandoff, ActionRecordCsat, ActionRelayToAgent
from bot.storage.fakes import FakeUnitOfWork
from tests.actions.conftest import responses, run_action


@pytest.fixture
def fake(monkeypatch, always_open):
    def no_database(url):
        raise AssertionError(f"an action opened the database {url}")

    monkeypatch.setattr("bot.storage.uow.engine_for", no_database)
    uow = FakeUnitOfWork(agents_online=1)
    previous = actions.common.use_unit_of_work(lambda: uow)
    yield uow
    actions.common.use_unit_of_work(previous)


def test_hand_over_relay_and_rating_on_the_fake(fake, tracker_from, dispatcher):
    events = run_action(ActionHandoff(), dispatcher, tracker_from("request_human_zh"), {})
    [ticket] = fake.tickets.tickets.values()
    assert {"event": "slot", "name": "ticket_id", "value": ticket.ticket_id, "timestamp": None} in events
    assert responses(dispatcher)[-1] == "utter_handoff_queued"

    relay = tracker_from("request_human_zh", handoff_state="queued")
    relay.latest_message = {"text": "我的手机 13812345678", "intent": {"name": "inform"}, "entities": []}
    dispatcher.messages.clear()
    assert run_action(ActionRelayToAgent(), dispatcher, relay, {}) == []
    assert responses(dispatcher) == ["utter_handoff_still_queued"]
    assert fake.tickets.events[-1][1] == "message" and "13812345678" not in fake.tickets.events[-1][3]

    rating = tracker_from("request_human_zh", csat_ticket=ticket.ticket_id)
    rating.latest_message = {"text": "5", "intent": {"name": "inform"}, "entities": []}
    run_action(ActionRecordCsat(), dispatcher, rating, {})
    assert fake.tickets.ratings == [(ticket.ticket_id, 5)]


def test_a_reason_sent_with_the_request_opens_the_ticket_with_it(fake, tracker_from, dispatcher):
    """The IVR sends ``flow_exhausted`` with its request for a person: the ticket is opened with it
    (packet, reason row), the caller hears the plain opening; a REST-style code outside the
    channel reasons is ignored."""
    tracker = tracker_from("request_human_zh")
    [user] = [e for e in tracker.events if e.get("event") == "user"][-1:]
    user["metadata"] = {**(user.get("metadata") or {}), "ivr_escalation": "flow_exhausted",
                        "ivr_escalation_detail": "spoken identifiers not understood, keypad offered twice"}
    run_action(ActionHandoff(), dispatcher, tracker, {})
    [ticket] = fake.tickets.tickets.values()
    assert ticket.reason == {"code": "flow_exhausted", "detail": "spoken identifiers not understood, keypad offered twice"}
    assert ticket.packet["reason"]["code"] == "flow_exhausted"
    assert [t["code"] for t in ticket.packet["reason"]["triggers"]] == ["flow_exhausted"]
    assert fake.reasons.recorded[-1][1] == "flow_exhausted"
    assert responses(dispatcher)[0] == "utter_escalation_customer_request"

    other = tracker_from("request_human_zh")
    [user] = [e for e in other.events if e.get("event") == "user"][-1:]
    user["metadata"] = {"ivr_escalation": "negative_emotion"}
    fake.tickets.tickets.clear()
    run_action(ActionHandoff(), dispatcher, other, {})
    [ticket] = fake.tickets.tickets.values()
    assert ticket.reason["code"] == "customer_request"


@pytest.mark.parametrize("fixture, short, long", [
    ("request_human_zh", "utter_escalation_customer_request", "utter_escalation_customer_request_long_wait"),
    ("handoff_angry_en", "utter_escalation_negative_emotion", "utter_escalation_negative_emotion_long_wait"),
])
def test_a_long_wait_opens_without_promising_a_person_at_once(fake, tracker_from, dispatcher, fixture, short, long):
    """Issue 14: "connecting you" / "right away" only when the wait is short; before a long wait
    (and its three choices) the opening promises nothing immediate."""
    def customer(n: int):
        tracker = tracker_from(fixture)
        return Tracker.from_dict({**tracker.current_state(), "sender_id": f"customer-{n}"})

    run_action(ActionHandoff(), dispatcher, customer(0), {})
    assert responses(dispatcher)[0] == short
    for n in range(1, 7):  # six waiting before the next customer, one agent: 7 × 240 s ≥ 900 s
        run_action(ActionHandoff(), dispatcher, customer(n), {})
    dispatcher.messages.clear()
    run_action(ActionHandoff(), dispatcher, customer(7), {})
    assert responses(dispatcher)[0] == long
