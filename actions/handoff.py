"""Hand a conversation to a person, relay while they own it, take it back.

Creating the ticket and moving the conversation to `queued` happen in one
database transaction; the Rasa side follows from the returned slot events.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, unit_of_work
from bot.text import utcnow
from bot.csat import parse_rating
from bot.customers import related_conversations, resolve_customer
from bot.domain import TicketState
from bot.escalation import INTENT_REASONS
from bot.masking import mask_pii
from bot.packet import build_packet
from bot.policy import (
    Decision,
    Trigger,
    Turn,
    decide,
    escalated_within,
    estimated_wait_s,
    load_config,
    turns_from_events,
    within_support_hours,
)
from bot.tickets import new_ticket_id

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
    now = utcnow()
    intent = tracker.latest_message.get("intent", {}).get("name")
    customer = resolve_customer(tracker)
    with unit_of_work() as uow:
        ticket = uow.tickets.open_for_conversation(tracker.sender_id)
        if ticket is not None:
            return _already_open(tracker, dispatcher, uow, ticket)
        # Tickets of a known customer carry their id; those filed while a
        # conversation was still anonymous carry the conversation id.
        owners = [customer.customer_id, *customer.conversation_ids] if customer else [tracker.sender_id]
        since = now - timedelta(days=30)
        previous = [t for owner in dict.fromkeys(owners) for t in uow.tickets.recent_for_customer(owner, since)]
        progress_of = tracker.sender_id
        if customer is not None:
            progress_of = uow.customers.latest_progress_conversation(
                [tracker.sender_id, *customer.conversation_ids], "password_reset") or tracker.sender_id
        packet = build_packet(
            ticket_id=new_ticket_id(),
            conversation_id=tracker.sender_id,
            events=tracker.events,
            slots=tracker.current_slot_values(),
            decision=decision,
            config=config,
            progress=uow.progress.get(progress_of, "password_reset"),
            customer=customer.packet_view() if customer else None,
            escalated_recently=escalated_within(previous, now, config),
            now=now,
            related=related_conversations(uow, customer, tracker.sender_id, now),
        )
        online = uow.agents.online_count(now)
        state = TicketState.QUEUED if online and within_support_hours(now, config) else TicketState.CALLBACK
        ticket = uow.tickets.add(packet, state, customer_id=packet["customer"]["id"])
        uow.reasons.record(tracker.sender_id, decision.code, decision.detail)
        uow.commit()
        position = uow.tickets.position(ticket)
        online = uow.agents.online_count(now)

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
        wait = estimated_wait_s(position, online, config)
        dispatcher.utter_message(response="utter_handoff_queued", position=position, wait_minutes=_minutes(wait))
        events.append(SlotSet("handoff_state", ticket.state))
    if tracker.active_loop.get("name"):
        # A person takes over: whatever form was running stops here.
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events


def _already_open(tracker: Tracker, dispatcher: CollectingDispatcher, uow: Any, ticket: Any) -> List[Dict[Text, Any]]:
    """A second request while a ticket is open (e.g. a call-back): file what the
    customer wrote on that ticket and say so briefly, instead of a second opening."""
    text = mask_pii(tracker.latest_message.get("text") or "")
    if text:
        uow.tickets.add_event(ticket.ticket_id, "message", "customer", text,
                              {"from": "customer", "channel": tracker.get_latest_input_channel() or "rest"})
        uow.commit()
    dispatcher.utter_message(response="utter_handoff_already_open")
    events: List[Dict[Text, Any]] = [SlotSet("ticket_id", ticket.ticket_id),
                                     SlotSet("handoff_state", None if ticket.state == TicketState.CALLBACK else ticket.state)]
    if tracker.active_loop.get("name"):
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        return hand_over(tracker, dispatcher, decision_for(tracker))


class ActionOfferHandoff(Action):
    """A calm report that needs no action: thank, answer, offer a person (no ticket)."""

    def name(self) -> Text:
        return "action_offer_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_offer_handoff")
        return []


class ActionRelayToAgent(Action):
    """While a person owns the conversation the bot only files the message."""

    def name(self) -> Text:
        return "action_relay_to_agent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        # Masked before it is stored: the agent reads it (DESIGN.md §6).
        text = mask_pii(tracker.latest_message.get("text") or "")
        channel = tracker.get_latest_input_channel() or "rest"
        with unit_of_work() as uow:
            ticket = uow.tickets.open_for_conversation(tracker.sender_id)
            if ticket is None:  # closed meanwhile: the bot is back
                return [SlotSet("handoff_state", None)]
            uow.tickets.add_event(ticket.ticket_id, "message", "customer", text,
                                  {"from": "customer", "channel": channel})
            uow.commit()
            if ticket.state == TicketState.QUEUED:
                position = uow.tickets.position(ticket)
                wait = estimated_wait_s(position, uow.agents.online_count(), load_config())
                dispatcher.utter_message(response="utter_handoff_still_queued", position=position,
                                         wait_minutes=_minutes(wait))
        return []


class ActionReturnToBot(Action):
    """Run by the agent desk when a ticket closes: ask for a rating."""

    def name(self) -> Text:
        return "action_return_to_bot"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_ask_csat")
        return [SlotSet("handoff_state", None), SlotSet("csat_ticket", tracker.get_slot("ticket_id")),
                SlotSet("order_details_offered", False)]


class ActionRecordCsat(Action):
    def name(self) -> Text:
        return "action_record_csat"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        rating = parse_rating(tracker.latest_message.get("text", ""))
        ticket_id = tracker.get_slot("csat_ticket")
        if rating is None or not ticket_id:
            return [SlotSet("csat_ticket", None)]
        with unit_of_work() as uow:
            uow.tickets.rate(ticket_id, rating)
            uow.commit()
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return [SlotSet("csat_ticket", None)]
