"""The hand-over as the customer sees it: the ticket opened (bot.services.handover), what the
bot says, the slots it sets. Shared by ``action_handoff`` (actions/handoff.py) and the Rasa
server's answer while the action server is down (bot/handover/action_fallback.py).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.handover import wait_dialogue
from bot.handover.safety import safety_advice, safety_follow_up
from bot.handover.triage import fraud_worded, needs_person_case
from bot.domain import Channel, ReasonCode, TicketState, language_of
from bot.handover.policy import Decision, EscalationConfig, channel_trigger, load_config, within_support_hours
from bot.services import handover as handover_service
from bot.text import markdown_literal, utcnow
from bot.services.from_tracker import resolve_customer
from bot.services.customers import proven_customer
from bot.services.handover import Conversation
from bot.services.tickets import Followed
from bot.services import UnitOfWorkFactory

# What the customer hears first, by reason (then position or call-back).
OPENING = {
    ReasonCode.CUSTOMER_REQUEST.value: "utter_escalation_customer_request",
    ReasonCode.COMPLEX_INTENT.value: "utter_escalation_complex_intent",
    ReasonCode.NEGATIVE_EMOTION.value: "utter_escalation_negative_emotion",
    ReasonCode.NLU_FAILURE.value: "utter_escalation_nlu_failure",
    ReasonCode.FLOW_EXHAUSTED.value: "utter_escalation_flow_exhausted",
    ReasonCode.NO_INPUT.value: "utter_escalation_customer_request",
}

#: Openings that promise an immediate person ("connecting you", "right away"), and what they say
#: instead when the wait is long and the three choices follow (issue 14).
LONG_WAIT_OPENING = {
    "utter_escalation_customer_request": "utter_escalation_customer_request_long_wait",
    "utter_escalation_negative_emotion": "utter_escalation_negative_emotion_long_wait",
}

#: The call-back inside support hours when no colleague is online (rev14d #4): the outside-hours
#: response (``utter_handoff_callback``) says "when the next shift starts", which reads as tomorrow.
#: Kept here, not in the domain, so the wording needs no retraining.
CALLBACK_NO_AGENT = {
    "en": "No colleague is free right now. Your case is saved with everything you told me, and a colleague "
          "will contact you as soon as one is free.",
    "zh": "现在没有空闲的同事。您的问题和说明都已保存，一有同事空闲就会主动联系您。",
}
#: A call-back on a written channel (web chat, WeChat, REST) without a number or an address to contact the
#: customer on (fresh-user report 3: "a colleague will contact you", and nobody could): the answer comes in
#: this chat, so they are told to come back to it, and how to be called or e-mailed instead (a number or an
#: address they send becomes the case's contact: ``bot.services.tickets.note_callback_contact``). By
#: ``within_support_hours``; the hours are ``utter_handoff_callback``'s (domain/escalation.yml).
CALLBACK_IN_CHAT = {
    True: {
        "en": "No colleague is free right now. Your case is saved with everything you told me, and a colleague will "
              "answer right here in this chat as soon as one is free, so please come back to it. If you'd rather "
              "we call or e-mail you, send me your phone number (with the country code) or your e-mail address.",
        "zh": "现在没有空闲的同事。您的问题和说明都已保存，一有同事空闲就会直接在这个对话里答复您，请回到这里查看。"
              "如果希望我们给您回电或发邮件，请把您的电话号码（带国家区号）或电子邮箱地址发给我。",
    },
    False: {
        "en": "Our team isn't available right now (support hours: Mon–Fri 9:00–18:00, Sat 10:00–16:00, China time). "
              "Your case is saved with everything you told me. When the team is back, a colleague will answer right "
              "here in this chat, so please come back to it. If you'd rather we call or e-mail you, send me your "
              "phone number (with the country code) or your e-mail address.",
        "zh": "现在不在人工客服服务时间（周一至周五 9:00–18:00，周六 10:00–16:00，北京时间）。您的问题和说明都已保存。"
              "上班后同事会直接在这个对话里答复您，请回到这里查看。如果希望我们给您回电或发邮件，请把您的电话号码"
              "（带国家区号）或电子邮箱地址发给我。",
    },
}


#: The call-back on the number the customer asked to be called on (fresh-user report 4: "Can someone call me
#: back on 13900139000…?" was queued as a chat), by ``within_support_hours``.
CALLBACK_ON_NUMBER = {
    True: {
        "en": "Done: a colleague will call you back on {phone} as soon as one is free. Your case keeps everything "
              "you told me.",
        "zh": "好的，同事有空时会拨打 {phone} 给您回电，您说过的情况都已保存在工单里。",
    },
    False: {
        "en": "Our team isn't available right now (support hours: Mon–Fri 9:00–18:00, Sat 10:00–16:00, China time). "
              "A colleague will call you back on {phone} when the next shift starts; your case keeps everything you "
              "told me.",
        "zh": "现在不在人工客服服务时间（周一至周五 9:00–18:00，周六 10:00–16:00，北京时间）。下个班次开始后，同事会拨打 "
              "{phone} 给您回电，您说过的情况都已保存在工单里。",
    },
}


def say_callback(tracker: Tracker, dispatcher: CollectingDispatcher, config: EscalationConfig,
                 now: Optional[datetime] = None, intake: Optional[dict] = None) -> None:
    """Tell the customer their case became a call-back, in their language. With a way to reach them (a
    phone call: the caller id; a phone number or e-mail in ``intake``): inside support hours (nobody
    online) :data:`CALLBACK_NO_AGENT`, outside them ``utter_handoff_callback`` (the hours and "when the
    next shift starts"). Without one, on a written channel: :data:`CALLBACK_IN_CHAT` (the answer comes
    in this chat; send a number or an address to be called or e-mailed).

    Args:
        tracker, dispatcher: rasa-sdk's, of the turn.
        config: the escalation rules (``support_hours``).
        now: the moment (an aware datetime; default: now, UTC).
        intake: the ticket's ``packet.intake`` (``phone``, ``email``), or None (no way to reach them).
    """
    in_hours = within_support_hours(now or utcnow(), config)
    language = language_of(tracker)
    on_phone = Channel.from_input(tracker.get_latest_input_channel()) == Channel.IVR
    reachable = on_phone or any((intake or {}).get(key) for key in ("phone", "email"))
    if not reachable:
        words = CALLBACK_IN_CHAT[in_hours]
        dispatcher.utter_message(text=words.get(language, words["en"]))
    elif in_hours:
        dispatcher.utter_message(text=CALLBACK_NO_AGENT.get(language, CALLBACK_NO_AGENT["en"]))
    else:
        dispatcher.utter_message(response="utter_handoff_callback")


def hand_over(
    tracker: Tracker, dispatcher: CollectingDispatcher, decision: Decision, uow_factory: UnitOfWorkFactory
) -> List[Dict[Text, Any]]:
    """Create the ticket (or reuse the open one) and tell the customer what happens next.

    Args:
        tracker, dispatcher: rasa-sdk's, of the turn (the action's or the Rasa server's copy).
        decision: the triggers and primary reason (bot.handover.policy).
        uow_factory: makes a fresh unit of work (the action server's, or the Rasa server's
            own while the action server is down: bot/handover/action_fallback.py).

    Returns:
        rasa-sdk events as dicts: reason, ticket id, hand-over state; the form stopped.
    """
    config = load_config()
    conversation = Conversation(
        tracker.sender_id, tracker.events, tracker.current_slot_values(),
        latest_text=tracker.latest_message.get("text") or "", latest_channel=tracker.get_latest_input_channel(),
    )
    proven = proven_customer(uow_factory(), tracker.sender_id, tracker.get_latest_input_channel() or "rest",
                             [tracker.latest_message.get("metadata")])
    done = handover_service.hand_over(uow_factory(), conversation, decision, config,
                                       resolve_customer(uow_factory, tracker), proven=proven)
    if done.already_open:
        return _already_open(tracker, dispatcher, done.ticket, done.moved)
    ticket = done.ticket
    intent = tracker.latest_message.get("intent", {}).get("name")
    opening = OPENING.get(decision.code, "utter_escalation_customer_request")
    if channel_trigger(tracker.events) is not None:  # the channel asked for a person on the caller's behalf
        opening = "utter_escalation_customer_request"
    if intent == "report_fraud" and fraud_worded(tracker.latest_message.get("text") or ""):
        opening = "utter_escalation_fraud"  # not for anger read as report_fraud with no word of fraud (session 45)
    elif opening in LONG_WAIT_OPENING and (ticket.state == TicketState.CALLBACK
                                           or wait_dialogue.long_wait(ticket.state, done.wait_s, config)):
        # the choices or the call-back follow: not "connecting you" / "right away" yet (a call-back said right after
        # "connecting you" contradicted it: a fresh new user's finding, issue 11 sixteenth pass)
        opening = LONG_WAIT_OPENING[opening]
    dispatcher.utter_message(response=opening)
    if decision.urgent_case:
        # a gas smell, sparking wiring, an allergic reaction: what to do now, before any colleague calls
        dispatcher.utter_message(text=safety_advice(customer_texts(tracker)[-3:], language_of(tracker),
                                                    config.file.emergency_numbers))
    events: List[Dict[Text, Any]] = [
        SlotSet("escalation_reason", decision.code),
        SlotSet("ticket_id", ticket.ticket_id),
        # An offer the bot made before (a code for the order's details) ends
        # with the hand-over: a later "ok" must not take it up.
        SlotSet("order_details_offered", False),
    ]
    return events + _say_next(tracker, dispatcher, done, config, uow_factory) + _stop_form(tracker)


def _say_next(tracker: Tracker, dispatcher: CollectingDispatcher, done: Any, config: EscalationConfig,
              uow_factory: UnitOfWorkFactory) -> List[Dict[Text, Any]]:
    """After the opening: the call-back on the number the customer asked for (report 4), else the
    call-back as :func:`say_callback` says it, else place and wait; a number asked for that we do not call
    is said first. Returns the ``handoff_state`` slot event."""
    ticket, language = done.ticket, language_of(tracker)
    if done.refused_phone:
        dispatcher.utter_message(text=wait_dialogue.number_refused(done.refused_phone, done.refusal, language,
                                                                   way_on=False))
    if done.callback_phone:
        words = CALLBACK_ON_NUMBER[within_support_hours(utcnow(), config)]
        phone = markdown_literal(done.callback_phone)
        dispatcher.utter_message(text=words.get(language, words["en"]).format(phone=phone))
    elif ticket.state == TicketState.CALLBACK:
        # in hours with nobody online, or outside them (rev14d #4); in this chat when no way to reach them is known
        say_callback(tracker, dispatcher, config, intake=ticket.packet.get("intake"))
    else:
        # Place and wait ("about 9 hours"); a long wait adds the three choices (issue 14).
        wait_dialogue.say_queued(tracker, dispatcher, ticket.ticket_id, done.position, done.wait_s, config,
                                 uow_factory)
    # a call-back: the bot serves meanwhile, but every message also goes on the case (rev14c #2: the policy relays)
    return [SlotSet("handoff_state", str(ticket.state))]


def ticket_slot(ticket_id: str, moved: Optional[Followed] = None) -> Dict[Text, Any]:
    """rasa-sdk's ``SlotSet("ticket_id", ticket_id)``; when the ticket followed its customer to this chat in this
    turn, it carries the move as its metadata (:meth:`bot.services.tickets.Followed.as_metadata`). The Rasa server's
    tracker store reads it after the turn: the replies that came with the ticket are pushed to this chat at once,
    and the chat it left is told it is the bot's again (``bot.storage.stores``).

    Args:
        ticket_id: the ticket's id.
        moved: the move (``bot.services.tickets.follow_within``), or None.

    Returns:
        The slot event, as a rasa-sdk dict (``metadata`` set only for a move).
    """
    event = SlotSet("ticket_id", ticket_id)
    if moved is not None:
        event["metadata"] = moved.as_metadata()
    return event


def customer_texts(tracker: Tracker) -> List[str]:
    """The customer's messages in the tracker's events (an action's window), oldest first.

    Args:
        tracker: rasa-sdk's tracker of the turn.

    Returns:
        The texts of its ``user`` events (``""`` for one without text).
    """
    return [event.get("text") or "" for event in tracker.events if event.get("event") == "user"]


def case_named(tracker: Tracker) -> Optional[str]:
    """The case the customer's latest message names (``bot.handover.triage.needs_person_case``: a gas smell,
    an allergic reaction…), or None; while a ticket is open it makes the ticket as urgent as that case
    (``bot.services.tickets.relay_message``).

    Args:
        tracker: rasa-sdk's tracker of the turn.

    Returns:
        The case name, or None.
    """
    texts = customer_texts(tracker)
    return needs_person_case(texts[-1]) if texts else None


def safety_while_waiting(tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
    """A message while the conversation's ticket waits: a hazard, a question about what to do or "it's getting
    worse" in a safety conversation gets the advice again (``bot.handover.safety.safety_follow_up``). The ticket
    was made as urgent as the case when the message was filed (:func:`case_named`).

    Args:
        tracker, dispatcher: rasa-sdk's, of the turn.
    """
    texts = customer_texts(tracker)
    if safety_follow_up(texts):  # "should I leave the house?" after a gas smell: what to do, again
        dispatcher.utter_message(text=safety_advice(texts[-3:], language_of(tracker),
                                                    load_config().file.emergency_numbers))


def _stop_form(tracker: Tracker) -> List[Dict[Text, Any]]:
    """A person takes over: whatever form was running stops here."""
    return [ActiveLoop(None), SlotSet("requested_slot", None)] if tracker.active_loop.get("name") else []


def _already_open(tracker: Tracker, dispatcher: CollectingDispatcher, ticket: Any,
                  moved: Optional[Followed] = None) -> List[Dict[Text, Any]]:
    """A second request while a ticket is open (e.g. a call-back), or the customer's own that followed them here
    (``moved``): the service filed what the customer wrote on that ticket; say so briefly, instead of a second
    opening."""
    dispatcher.utter_message(response="utter_handoff_already_open")
    events: List[Dict[Text, Any]] = [ticket_slot(ticket.ticket_id, moved),
                                     SlotSet("handoff_state", ticket.state)]  # callback too (rev14c #2)
    return events + _stop_form(tracker)


