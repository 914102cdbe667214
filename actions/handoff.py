"""Hand a conversation to a person, relay while they own it, take it back.

Creating the ticket and moving the conversation to `queued` happen in one
database transaction; the Rasa side follows from the returned slot events.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import OffLoopAction, unit_of_work
from bot.csat import parse_rating
from bot.domain import TicketState
from bot.reasons import INTENT_REASONS
from bot.policy import Decision, Trigger, Turn, decide, load_config, turns_from_events
from bot.services import handover as handover_service
from bot.services import tickets as tickets_service
from bot.services.customers import resolve_customer
from bot.services.handover import Conversation

# What the customer hears first, by reason (then position or call-back).
OPENING = {
    "customer_request": "utter_escalation_customer_request",
    "complex_intent": "utter_escalation_complex_intent",
    "negative_emotion": "utter_escalation_negative_emotion",
    "nlu_failure": "utter_escalation_nlu_failure",
    "flow_exhausted": "utter_escalation_flow_exhausted",
    "no_input": "utter_escalation_customer_request",
}


def turns_of(tracker: Tracker) -> List[Turn]:
    """The customer's turns since the last hand-over, with their triage cues."""
    return turns_from_events(tracker.events)


def decision_for(tracker: Tracker) -> Decision:
    """Every trigger that fired on the latest turn; the primary by escalation.yml's precedence."""
    intent = tracker.latest_message.get("intent", {}).get("name")
    config = load_config()
    decision = decide(turns_of(tracker), config)
    if decision is None and intent in INTENT_REASONS:  # a rule sent us here
        decision = config.combine([Trigger(INTENT_REASONS[intent], f"intent {intent}")])
    return decision or config.combine([Trigger("customer_request", f"intent {intent}")])


def _minutes(seconds: int) -> int:
    return max(1, round(seconds / 60))


def hand_over(
    tracker: Tracker, dispatcher: CollectingDispatcher, decision: Decision
) -> List[Dict[Text, Any]]:
    """Create the ticket (or reuse the open one) and tell the customer what happens next."""
    config = load_config()
    conversation = Conversation(
        tracker.sender_id, tracker.events, tracker.current_slot_values(),
        latest_text=tracker.latest_message.get("text") or "", latest_channel=tracker.get_latest_input_channel(),
    )
    done = handover_service.hand_over(unit_of_work(), conversation, decision, config,
                                       resolve_customer(tracker, unit_of_work))
    if done.already_open:
        return _already_open(tracker, dispatcher, done.ticket)
    ticket = done.ticket
    intent = tracker.latest_message.get("intent", {}).get("name")
    opening = OPENING.get(decision.code, "utter_escalation_customer_request")
    if intent == "report_fraud":
        opening = "utter_escalation_fraud"
    dispatcher.utter_message(response=opening)
    events: List[Dict[Text, Any]] = [
        SlotSet("escalation_reason", decision.code),
        SlotSet("ticket_id", ticket.ticket_id),
        # An offer the bot made before (a code for the order's details) ends
        # with the hand-over: a later "ok" must not take it up.
        SlotSet("order_details_offered", False),
    ]
    if ticket.state == TicketState.CALLBACK:
        dispatcher.utter_message(response="utter_handoff_callback")
        events.append(SlotSet("handoff_state", None))
    else:
        dispatcher.utter_message(response="utter_handoff_queued", position=done.position,
                                 wait_minutes=_minutes(done.wait_s))
        events.append(SlotSet("handoff_state", ticket.state))
    return events + _stop_form(tracker)


def _stop_form(tracker: Tracker) -> List[Dict[Text, Any]]:
    """A person takes over: whatever form was running stops here."""
    return [ActiveLoop(None), SlotSet("requested_slot", None)] if tracker.active_loop.get("name") else []


def _already_open(tracker: Tracker, dispatcher: CollectingDispatcher, ticket: Any) -> List[Dict[Text, Any]]:
    """A second request while a ticket is open (e.g. a call-back): the service filed what the
    customer wrote on that ticket; say so briefly, instead of a second opening."""
    dispatcher.utter_message(response="utter_handoff_already_open")
    events: List[Dict[Text, Any]] = [SlotSet("ticket_id", ticket.ticket_id),
                                     SlotSet("handoff_state", None if ticket.state == TicketState.CALLBACK else ticket.state)]
    return events + _stop_form(tracker)


class ActionHandoff(OffLoopAction):
    def name(self) -> Text:
        return "action_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        return hand_over(tracker, dispatcher, decision_for(tracker))


class ActionOfferHandoff(OffLoopAction):
    """A calm report that needs no action: thank, answer, offer a person (no ticket)."""

    def name(self) -> Text:
        return "action_offer_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_offer_handoff")
        return []


class ActionRelayToAgent(OffLoopAction):
    """While a person owns the conversation the bot only files the message."""

    def name(self) -> Text:
        return "action_relay_to_agent"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        # Masked before it is stored (by the service): the agent reads it (DESIGN.md §6).
        relayed = tickets_service.relay_message(
            unit_of_work(), tracker.sender_id, tracker.latest_message.get("text") or "",
            tracker.get_latest_input_channel() or "rest", load_config(),
        )
        if relayed.ticket is None:  # closed meanwhile: the bot is back
            return [SlotSet("handoff_state", None)]
        if relayed.position is not None:
            dispatcher.utter_message(response="utter_handoff_still_queued", position=relayed.position,
                                     wait_minutes=_minutes(relayed.wait_s))
        return []


class ActionReturnToBot(OffLoopAction):
    """Run by the agent desk when a ticket closes: ask for a rating."""

    def name(self) -> Text:
        return "action_return_to_bot"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_ask_csat")
        return [SlotSet("handoff_state", None), SlotSet("csat_ticket", tracker.get_slot("ticket_id")),
                SlotSet("order_details_offered", False)]


class ActionRecordCsat(OffLoopAction):
    def name(self) -> Text:
        return "action_record_csat"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        rating = parse_rating(tracker.latest_message.get("text", ""))
        ticket_id = tracker.get_slot("csat_ticket")
        if rating is None or not ticket_id:
            return [SlotSet("csat_ticket", None)]
        tickets_service.rate(unit_of_work(), ticket_id, rating)
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return [SlotSet("csat_ticket", None)]
