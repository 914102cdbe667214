"""After a close the bot takes the conversation back: a rating is asked only when a colleague served the
customer (fresh-user report 6: "How would you rate the help you got…" after a supervisor closed a call-back
nobody had answered, and a "1" then went into the closer's CSAT)."""
from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.handoff import CLOSED_UNSERVED, ActionReturnToBot
from bot.services import tickets as tickets_service
from tests.actions.conftest import responses, run_action
from tests.rows import RowsUnitOfWork
from tests.unit.test_tickets import make_ticket


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_ticket_nobody_answered_closes_with_no_rating_asked(database_url, tracker_from, dispatcher, language):
    ticket_id = make_ticket(RowsUnitOfWork(), "fx-human-zh", state="callback").ticket_id
    tickets_service.close(RowsUnitOfWork(), ticket_id, "sue", "resolved", supervisor=True)
    events = run_action(ActionReturnToBot(), dispatcher, tracker_from("request_human_zh", ticket_id=ticket_id,
                                                                      language=language), {})
    assert responses(dispatcher) == [None] and dispatcher.messages[0]["text"] == CLOSED_UNSERVED[language]
    assert SlotSet("csat_ticket", None) in events and SlotSet("handoff_state", None) in events


def test_a_ticket_an_agent_answered_asks_for_the_rating(database_url, tracker_from, dispatcher):
    ticket_id = make_ticket(RowsUnitOfWork(), "fx-human-zh").ticket_id
    tickets_service.claim(RowsUnitOfWork(), ticket_id, "ann")
    tickets_service.reply(RowsUnitOfWork(), ticket_id, "ann", "Your refund is on its way.")
    tickets_service.close(RowsUnitOfWork(), ticket_id, "ann", "resolved")
    events = run_action(ActionReturnToBot(), dispatcher, tracker_from("request_human_zh", ticket_id=ticket_id), {})
    assert responses(dispatcher) == ["utter_ask_csat"] and SlotSet("csat_ticket", ticket_id) in events
