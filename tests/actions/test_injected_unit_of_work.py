"""Actions get their unit of work injected: with FakeUnitOfWork they run without any database."""
import pytest

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
