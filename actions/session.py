"""Session start: Rasa's default, plus "you still have an open case" for a known customer.

Rasa runs ``action_session_start`` before the first message of every session
(a new conversation, or the first message after 60 idle minutes) with the
slot ``session_started_metadata`` set to that message's metadata. Our
connectors put the channel there (``metadata.channel``, set server-side), so
the customer is resolved from what the metadata proves, with the linking rules
of bot.services.customers (a signed token, the IVR caller on the IVR channel, the
WeChat openid on WeChat, or the conversation id already remembered).

A known customer with an open case hears about it before the answer to their
first message — one of, in this order: a queued or call-back ticket, an
unfinished password reset, an order they asked about in the last 24 h. A
request for a person queued or served on another of their chats (web, WeChat,
REST) is announced here as continuing in this chat; this action only reads:
the relay of the customer's words moves it (``bot.services.tickets.follow_within``).
Anonymous and case-less customers get exactly Rasa's default session start.
A database error is logged and the session starts normally.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import OffLoopAction, unit_of_work
from bot.domain import Flow, TicketState
from bot.handover.packet import channel_name
from bot.services.customers import resolve_session_customer
from bot.services.open_case import CONTINUED, OpenCase, open_case_of
from bot.text import markdown_literal

logger = logging.getLogger(__name__)

SESSION_METADATA_SLOT = "session_started_metadata"
OPEN_CASE_SLOT = "open_case"
HANDOFF_STATE_SLOT = "handoff_state"
PLACE = {
    "en": {"web": "on the website", "wechat": "on WeChat", "ivr": "on the phone", "rest": "in the chat"},
    "zh": {"web": "网站上", "wechat": "微信上", "ivr": "电话里", "rest": "聊天窗口中"},
}
ORDER_STATUS = {
    "en": {"processing": "being prepared in our warehouse", "shipped": "on its way",
           "delivered": "delivered", "cancelled": "cancelled"},
    "zh": {"processing": "正在仓库备货", "shipped": "已发货，正在路上", "delivered": "已签收", "cancelled": "已取消"},
}


def carried_over_slots(tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
    """Like Rasa's ActionSessionStart: the SlotSet events of the last session, in order."""
    carry = (domain.get("session_config") or {}).get("carry_over_slots_to_new_session", True)
    events: List[Dict[Text, Any]] = []
    for event in tracker.applied_events():
        if event.get("event") == "session_started":
            events = []
        elif event.get("event") == "slot" and carry:
            events.append(SlotSet(event["name"], event.get("value")))
    if not carry:  # Rasa keeps the metadata even then: it was set for this session
        metadata = tracker.get_slot(SESSION_METADATA_SLOT)
        if metadata is not None:
            events.append(SlotSet(SESSION_METADATA_SLOT, metadata))
    return events


#: Said when a queued request for a person moves to this conversation (``bot.services.tickets.follow_within``):
#: ``{place}`` is where it was made (:data:`PLACE`). The relay then files the message and tells the place in the queue.
CONTINUED_QUEUED = {
    "en": "Welcome back. Your request for a colleague {place} continues here: what you write goes to your case, "
          "and a colleague will answer you in this chat. You won't need to repeat anything.",
    "zh": "欢迎回来！您在{place}提出的转人工请求已转到这里：您在这里发送的消息都会加入您的工单，同事会在这里回复您，您无需重复说明。",
}
#: Said instead when the session opens with the widget's own hidden message (nothing written yet): the ticket moves
#: here with the customer's first words, not before (a fresh reviewer, session 46: "answer you in this chat" was
#: said while the replies still went to the other device).
CONTINUED_ON_WRITING = {
    "en": "Welcome back. Your request for a colleague {place} is still open: write here and it continues in this "
          "chat, and you won't need to repeat anything.",
    "zh": "欢迎回来！您在{place}提出的转人工请求仍在处理中：在这里发送消息，即可在这里继续，您无需重复说明。",
}
#: Said when a conversation an agent serves moves here: ``{name}`` is the agent's display name as literal text.
CONTINUED_WITH_AGENT = {
    "en": "Welcome back. {name} from our support team, who is helping you {place}, will read what you write here "
          "and answer you in this chat.",
    "zh": "欢迎回来！正在处理您在{place}的请求的客服{name}会看到您在这里发送的消息，并在这里回复您。",
}


def continued_words(language: str, ticket: Any, came_from: Optional[str]) -> str:
    """What the customer is told when their request for a person follows them to this chat: :data:`CONTINUED_QUEUED`
    or, when an agent holds it, :data:`CONTINUED_WITH_AGENT` named after them.

    Args:
        language: ``en`` or ``zh``.
        ticket: the ticket (``state``, ``assigned_to``; ``bot.queue.tickets.Ticket``).
        came_from: the packet channel it came from (``web``, ``wechat``, ``rest``), or None.

    Returns:
        The sentence.
    """
    agent = None
    if ticket.state == TicketState.WITH_AGENT and ticket.assigned_to:
        with unit_of_work() as uow:
            agent = uow.agents.display_name(ticket.assigned_to)
    return _continued(language, str(ticket.state), came_from, agent)


def _continued(language: str, state: str, came_from: Optional[str], agent: Optional[str],
               on_writing: bool = False) -> str:
    place = PLACE[language].get(came_from or "rest", PLACE[language]["rest"])
    if on_writing:
        return CONTINUED_ON_WRITING[language].format(place=place)
    if state == TicketState.WITH_AGENT:
        name = markdown_literal(agent) if agent else ("A colleague" if language == "en" else "同事")
        return CONTINUED_WITH_AGENT[language].format(name=name, place=place)
    return CONTINUED_QUEUED[language].format(place=place)


def announce(dispatcher: CollectingDispatcher, case: OpenCase, language: str, hidden: bool = False) -> None:
    """The greeting, from responses named per language (the ``language`` slot
    is not set yet when a session starts), or for a ticket that follows the customer here, the texts above
    (``hidden``: the session opens with the widget's own message, before the customer writes)."""
    if case.kind == CONTINUED:
        dispatcher.utter_message(text=_continued(language, case.status or "", case.channel, case.agent, hidden))
    elif case.kind == TicketState.QUEUED:
        dispatcher.utter_message(response=f"utter_open_case_queued_{language}", position=case.position)
    elif case.kind == TicketState.CALLBACK:
        dispatcher.utter_message(response=f"utter_open_case_callback_{language}")
    elif case.kind == Flow.PASSWORD_RESET:
        dispatcher.utter_message(response=f"utter_open_case_password_reset_{language}", step=case.step,
                                 place=PLACE[language].get(case.channel or "rest", PLACE[language]["rest"]))
    elif case.kind == "order":
        dispatcher.utter_message(response=f"utter_open_case_order_{language}", order_number=case.order_number,
                                 status=ORDER_STATUS[language].get(case.status or "", case.status or ""))


class ActionSessionStart(OffLoopAction):
    """Start a session as Rasa does, then tell a known customer about their open case on any channel."""

    def name(self) -> Text:
        """Rasa's action name: ``action_session_start``."""
        return "action_session_start"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """``SessionStarted``, the carried-over slots, the open case announced (a failed lookup is logged
        and skipped), then ``action_listen``.
        """
        events: List[Dict[Text, Any]] = [SessionStarted()]
        events.extend(carried_over_slots(tracker, domain))
        metadata = tracker.get_slot(SESSION_METADATA_SLOT)
        metadata = metadata if isinstance(metadata, dict) else {}
        case_slot: Optional[str] = None
        try:
            found = self.open_case(tracker.sender_id, metadata)
        except Exception:  # never block a conversation on the lookup
            logger.exception("open case of %s could not be looked up; session starts without it", tracker.sender_id)
            found = None
        if found is not None:
            case, language = found
            announce(dispatcher, case, language, hidden=bool(metadata.get("hidden")))
            # "yes" now continues the reset (rule in data/rules/continuity.yml).
            case_slot = Flow.PASSWORD_RESET.value if case.kind == Flow.PASSWORD_RESET else None
            if case.kind == CONTINUED:  # the ticket comes here: the message goes to it (the hand-off policy)
                events += [SlotSet(HANDOFF_STATE_SLOT, case.status), SlotSet("ticket_id", case.ticket_id)]
        if case_slot is not None or tracker.get_slot(OPEN_CASE_SLOT) is not None:
            events.append(SlotSet(OPEN_CASE_SLOT, case_slot))
        events.append(ActionExecuted("action_listen"))
        return events

    @staticmethod
    def open_case(conversation_id: str, metadata: dict) -> Optional[tuple[OpenCase, str]]:
        """The customer's open case and the language to tell it in, or None (unknown customer or no case).

        Args:
            conversation_id: the Rasa sender id.
            metadata: the session-start metadata (channel, customer token).
        """
        customer = resolve_session_customer(unit_of_work, conversation_id, metadata)
        if customer is None:
            return None
        found = open_case_of(unit_of_work(), customer, conversation_id, metadata)
        if found is not None:
            logger.info("open case of %s on %s: %s", conversation_id,
                        channel_name(metadata.get("channel") if isinstance(metadata.get("channel"), str) else None),
                        found[0].kind)
        return found


class ActionDeclineOpenCase(OffLoopAction):
    """"No thanks" to continuing the open case: nothing is cancelled, we just move on."""

    def name(self) -> Text:
        """Rasa's action name: ``action_decline_open_case``."""
        return "action_decline_open_case"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Acknowledge and clear ``open_case``; nothing is cancelled."""
        dispatcher.utter_message(response="utter_open_case_declined")
        return [SlotSet(OPEN_CASE_SLOT, None)]
