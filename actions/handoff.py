"""Hand a conversation to a person, relay while they own it, take it back.

Creating the ticket and moving the conversation to `queued` happen in one
database transaction; the Rasa side follows from the returned slot events.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActionReverted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import OffLoopAction, unit_of_work
from bot.queue.csat import parse_rating
from bot.handover.policy import Decision, Turn, handoff_decision, load_config, turns_from_events
from bot.services import tickets as tickets_service
from bot.services.customers import proven_customer
from actions.session import continued_words
from bot.handover import handover_dialogue
from bot.domain import language_of
from bot.privacy.masking import shown_email, shown_phone
from bot.text import markdown_literal
from bot.handover import wait_dialogue
from bot.handover.triage import goods_problem, sorted_itself
from bot.handover.call_me import call_time
from bot.nlu.declined import withdraws_request
from bot.services.waiting import wait_phrase


def turns_of(tracker: Tracker) -> List[Turn]:
    """The customer's turns since the last hand-over, with their triage cues."""
    return turns_from_events(tracker.events)


def decision_for(tracker: Tracker) -> Decision:
    """Why this conversation is handed over now: ``bot.handover.policy.handoff_decision`` (the
    channel's reason, the triggers that fired, a rule's intent, else ``customer_request``)."""
    return handoff_decision(tracker.events, tracker.latest_message.get("intent", {}).get("name"))


def hand_over(
    tracker: Tracker, dispatcher: CollectingDispatcher, decision: Decision
) -> List[Dict[Text, Any]]:
    """Create the ticket (or reuse the open one) and tell the customer what happens next
    (bot.handover.handover_dialogue, on this action server's unit of work)."""
    return handover_dialogue.hand_over(tracker, dispatcher, decision, unit_of_work)


class ActionHandoff(OffLoopAction):
    """Hand the conversation to a person for the reasons that fired (``hand_over``)."""

    def name(self) -> Text:
        """Rasa's action name: ``action_handoff``."""
        return "action_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        """Open (or reuse) the ticket and tell the customer their place and wait; returns the hand-over's slots."""
        return hand_over(tracker, dispatcher, decision_for(tracker))


class ActionOfferHandoff(OffLoopAction):
    """A calm report that needs no action: thank, answer, offer a person (no ticket)."""

    def name(self) -> Text:
        """Rasa's action name: ``action_offer_handoff``."""
        return "action_offer_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        """Say ``utter_offer_handoff``; no ticket, no events. While the conversation's case waits for a
        call-back (rev14b #2) the report is filed on that case instead, and the customer told so."""
        filed = tickets_service.file_on_callback_case(
            unit_of_work(), tracker.sender_id, tracker.latest_message.get("text") or "",
            tracker.get_latest_input_channel() or "rest", latest_attachment_id(tracker))
        if filed is not None:
            added = REPORT_ADDED_TO_CASE[language_of(tracker)]
            dispatcher.utter_message(text=contact_noted(filed.contact, language_of(tracker), added, filed.route)
                                     or added)
            # the conversation's case waits for a call-back: from now on every message goes there (the
            # policy relays, rev14c #2), and a "yes" next accepts no offer (none was made)
            return [SlotSet("handoff_state", "callback")]
        dispatcher.utter_message(response="utter_offer_handoff")
        return []


# A report while the case waits for a call-back (rev14b #2): it goes on the case, not into an offer.
REPORT_ADDED_TO_CASE = {
    "en": "Thank you for letting us know, and sorry about the trouble. I've added this to your case; "
          "a colleague will see it when they contact you.",
    "zh": "谢谢您告诉我们，给您添麻烦了。这条信息已补充到您的工单里，同事联系您时会看到。",
}


def latest_attachment_id(tracker: Tracker) -> Optional[str]:
    """The photo the customer's latest message carries (its metadata ``attachment_id``, set by the
    web chat and WeChat connectors, issue 14), or None. The service files it only if it is theirs."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            found = (event.get("metadata") or {}).get("attachment_id")
            return found if isinstance(found, str) else None
    return None


# A photo the customer sends (review rev14 #1): filed on the case waiting for a call-back, or, with no
# case open, kept for a colleague should they ask for one (the hand-over's packet carries it).
PHOTO_ADDED_TO_CASE = {
    "en": "Thank you, I've added your photo to your case. A colleague will see it when they contact you.",
    "zh": "谢谢，您的图片已添加到工单中，同事联系您时会看到。",
}
# Who reads what the customer adds while the case waits, by how the hand-over agreed to answer them
# (``bot.services.tickets.contact_route``; a new user's finding: "the colleague who calls you back" was said
# after "a colleague will answer right here in this chat", and to customers who chose e-mail or a message).
WHO_SEES_IT = {
    "en": {
        tickets_service.PHONE: "the colleague who calls you back will see it.",
        tickets_service.EMAIL: "the colleague who answers you by e-mail will see it.",
        tickets_service.SMS: "the colleague who answers you by text message will see it.",
        tickets_service.CHAT: "the colleague who answers you right here in this chat will see it.",
        tickets_service.MESSAGE: "the colleague who answers your message right here will see it.",
    },
    "zh": {
        tickets_service.PHONE: "给您回电的同事会看到。",
        tickets_service.EMAIL: "通过电子邮件答复您的同事会看到。",
        tickets_service.SMS: "通过短信答复您的同事会看到。",
        tickets_service.CHAT: "在这个对话里答复您的同事会看到。",
        tickets_service.MESSAGE: "在这里答复您留言的同事会看到。",
    },
}
# Any other message while the case waits for a call-back (rev14c #2): on the case, and the customer told so.
TEXT_ADDED_TO_CASE = {
    "en": "Thank you, I've added this to your case; {who}",
    "zh": "谢谢，这条信息已补充到您的工单里，{who}",
}


def added_to_case(route: Optional[str], language: str) -> str:
    """The acknowledgement of a message filed on a case waiting for a call-back (:data:`TEXT_ADDED_TO_CASE`),
    naming who will read it by the case's contact route.

    Args:
        route: ``bot.services.tickets.contact_route``'s answer (``phone``, ``email``, ``sms``, ``chat``,
            ``message``); None or another value: ``phone``, as before routes were told apart.
        language: ``en`` or ``zh`` (another: English).

    Returns:
        The message.
    """
    language = language if language in TEXT_ADDED_TO_CASE else "en"
    return TEXT_ADDED_TO_CASE[language].format(who=_who_sees_it(route, language))


def _who_sees_it(route: Optional[str], language: str) -> str:
    """:data:`WHO_SEES_IT` of ``route`` in ``language`` (``phone`` for an unknown route)."""
    words = WHO_SEES_IT.get(language, WHO_SEES_IT["en"])
    return words.get(route or tickets_service.PHONE, words[tickets_service.PHONE])


# A phone number or e-mail address given while the case waits for a call-back (issue 14): kept as the
# case's contact (the agent's intake panel shows it unmasked); the customer hears it partly hidden.
CONTACT_NOTED = {
    "en": {
        "phone": "I've noted {phone} as the number to call you back on",
        "email": "I've noted {email} as the e-mail address to reach you at",
        "joint": " and ",
        "end": "Thank you, {noted}, and added this to your case; {who}",
    },
    "zh": {
        "phone": "已记下 {phone} 作为给您回电的号码",
        "email": "已记下 {email} 作为联系您的邮箱",
        "joint": "，",
        "end": "谢谢，{noted}，这条信息已补充到您的工单里，{who}",
    },
}

# A time to call given while a call-back by phone is arranged (a new user's finding: "after 6pm please" was
# also answered with the opening hours): kept on the case (``intake.callback_time``) and confirmed, nothing else.
CALL_TIME_NOTED = {
    "en": "Thank you, I've noted when you'd like us to call: {when}. The colleague who calls you back will see it.",
    "zh": "好的，已记下您希望的回电时间：{when}，给您回电的同事会看到。",
}


def call_time_noted(when: str, language: str) -> str:
    """The confirmation of a time to call noted on a call-back's case (:data:`CALL_TIME_NOTED`), the time as
    the customer wrote it, shown literally (markdown escaped).

    Args:
        when: the time ("after 6pm", "下午六点以后": ``bot.services.tickets.Relayed.call_time``).
        language: ``en`` or ``zh`` (another: English).

    Returns:
        The message.
    """
    return CALL_TIME_NOTED.get(language, CALL_TIME_NOTED["en"]).format(when=markdown_literal(when))


def contact_noted(contact: Optional[dict], language: str, added: str = "", route: Optional[str] = None) -> Optional[str]:
    """The acknowledgement of a contact noted on a call-back's case (issue 14), in ``language``
    (``en``/``zh``), the number and address partly hidden (``139****9000``); None when ``contact``
    (``{"phone", "email"}`` of ``bot.services.tickets.Relayed.contact``) holds neither. A number we do
    not call back (``contact["refused"]``) is said so first, then the acknowledgement or ``added``.

    Args:
        contact: the contact the message gave (``Relayed.contact``), or None.
        language: ``en`` or ``zh``.
        added: what to say after a refused number when nothing was noted (the plain acknowledgement).
        route: the case's contact route now (``Relayed.route``): who will read it; None: ``phone`` when a
            number was noted, else ``email``.

    Returns:
        The message, or None.
    """
    words = CONTACT_NOTED.get(language, CONTACT_NOTED["en"])
    parts = []
    # as markdown, literally: a mask's stars are no emphasis on the desk or in the widget (report 1)
    if (contact or {}).get("phone"):
        parts.append(words["phone"].format(phone=markdown_literal(shown_phone(contact["phone"]))))
    if (contact or {}).get("email"):
        parts.append(words["email"].format(email=markdown_literal(shown_email(contact["email"]))))
    if route is None:
        route = tickets_service.PHONE if (contact or {}).get("phone") else tickets_service.EMAIL
    who = _who_sees_it(route, language if language in CONTACT_NOTED else "en")
    noted = words["end"].format(noted=words["joint"].join(parts), who=who) if parts else None
    refused = (contact or {}).get("refused")
    if not refused:
        return noted
    sorry = wait_dialogue.number_refused(refused["phone"], refused["refusal"], language, way_on=False)
    return sorry + ("" if language == "zh" else " ") + (noted or added)


# What the bot answers itself while a case waits for a call-back (rev14d #1: "the bot keeps serving
# simple requests meanwhile"): its self-service requests and small talk. The rest (a report, a fraud
# or billing case, a request for a person, "call me after 6pm", a new number, what NLU cannot place)
# is for the colleague who calls back: filed and acknowledged only.
SELF_SERVICE_INTENTS = frozenset({
    "faq", "check_order_status", "change_address", "reset_password",
    "greet", "goodbye", "thank", "bot_challenge",
})
# Answers to a question: the bot's when the bot asked it ("Want the carrier…? yes / no", its "Yes,
# send a code" button), not after a call-back's acknowledgement (that asked nothing)
REPLY_INTENTS = frozenset({"affirm", "deny"})
CASE_ACTIONS = frozenset({"action_relay_to_agent", "action_offer_handoff", "action_handoff"})
# An intent guessed with less confidence than this ("Please call me after 6pm instead" read as an
# address change at 0.50) is not served by the bot during a call-back: the colleague reads it
SELF_SERVICE_CONFIDENCE = 0.7


def bot_answers_too(tracker: Tracker) -> bool:
    """Whether the bot also answers a message it filed on a call-back's case (rev14c #2, rev14d #1):
    a self-service request or small talk (``SELF_SERVICE_INTENTS``: an FAQ, an order's status, an
    address change, a password reset, hello / thanks / bye) recognised with at least
    ``SELF_SERVICE_CONFIDENCE``, a message naming an order number, an
    answer to the form that is asking, or a yes / no to a question the bot itself asked last (its
    order-details offer). A time alone ("after 6pm please": ``bot.handover.call_me.call_time``) is never
    answered. Anything else ("call me after 6pm", "my new number is ...", another
    report, goods reported damaged, wrong, missing or late (``reports_problem``), a request for a person) is for
    the colleague who calls back: filed and acknowledged only.

    Args:
        tracker: the rasa-sdk tracker of the turn (its latest message, active form and events).

    Returns:
        True when the bot's own policies should answer the message as well.
    """
    latest = tracker.latest_message or {}
    intent = (latest.get("intent") or {}).get("name")
    if (tracker.active_loop or {}).get("name"):
        return True
    if call_time(latest.get("text") or ""):
        # "after 6pm please", "tomorrow morning": when to call, not a question about opening hours, payment or a
        # greeting (as NLU reads it: a new user's finding)
        return False
    if reports_problem(latest.get("text") or ""):
        # "my order QX-100003 arrived broken", "QX-100003 still missing": for the colleague, not "it has been
        # delivered" or "it is on its way" (a fresh new user's findings, issue 11 sixteenth and seventeenth passes)
        return False
    confident = (latest.get("intent") or {}).get("confidence", 1.0) >= SELF_SERVICE_CONFIDENCE
    if intent in SELF_SERVICE_INTENTS and confident and _faq_key(latest) not in CALLBACK_SILENT_FAQS:
        return True
    if any(e.get("entity") == "order_number" for e in latest.get("entities") or []):
        return True
    return intent in REPLY_INTENTS and _bot_asked_last(tracker.events)


def reports_problem(text: str) -> bool:
    """Whether a message reports a problem with the goods (``bot.handover.triage.goods_problem``, the reading the
    ``after_steps`` case shares: broken, wrong, missing or lost goods (not a lost order number), never came, not
    received, late, delayed, not shipped, tracking not moving, "says delivered but ...", faulty, leaking): during a
    call-back it is for the colleague, not answered with the order's status ("has it been marked delivered yet?",
    "what's the status of QX-100003" still are).

    Args:
        text: the customer's message.

    Returns:
        True when it names such a problem.
    """
    return goods_problem(text)


# FAQ answers that make no sense while a colleague is already coming back to the customer: how to
# reach a person ("Please call me after 6pm" reads as the contact FAQ, whose answer offers "Talk to a
# person"; rev14e #3)
CALLBACK_SILENT_FAQS = frozenset({"faq/contact_us"})


def _faq_key(latest: dict) -> Optional[str]:
    """The retrieval intent (``faq/<name>``) the response selector chose for the latest message, or None."""
    selector = (latest.get("response_selector") or {}).get("faq") or {}
    return ((selector.get("response") or {}).get("intent_response_key")) if isinstance(selector, dict) else None


def _bot_asked_last(events: list) -> bool:
    """Whether the last action before the latest user message (``events``: rasa-sdk event dicts,
    oldest first) was the bot's own answer rather than a call-back case's acknowledgement."""
    users = 0
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users == 2:
                return False
        elif users == 1 and kind == "action" and event.get("name") not in (None, "action_listen"):
            return event.get("name") not in CASE_ACTIONS
    return False


PHOTO_NO_CASE = {
    "en": "Thank you for the photo. I can't read photos myself, but a colleague can: say \"talk to a person\" "
          "and they will see it, or tell me in words what you need.",
    "zh": "谢谢您的图片。我无法识别图片，但人工客服可以查看：请说“转人工”，同事会看到这张图片；也可以用文字告诉我您需要什么。",
}


#: Said when a queued customer calls their request for a person off ("cancel that", 不用转人工了).
WITHDRAWN = {
    "en": "OK, I've cancelled your request for a colleague. I'm back: what can I help you with?",
    "zh": "好的，已为您取消转人工的请求。我回来了：请问有什么可以帮您？",
}
#: Said when a queued customer says the problem sorted itself ("found it, sorry!", 没事了，是我看错了): how to leave the queue.
SORTED_OFFER = {
    "en": "Glad that's sorted! If you no longer need a colleague, say \"cancel\" and I'll take you out of the queue; "
          "otherwise they'll be with you soon.",
    "zh": "太好了，问题解决了！如果不再需要人工客服，请回复“取消”，我会为您取消排队；否则同事会尽快为您服务。",
}
#: Said when the customer calls it off after a colleague took the conversation: the message goes to them.
COLLEAGUE_HAS_IT = {
    "en": "A colleague already has your conversation, so I've passed your message on to them.",
    "zh": "同事已经在处理您的对话，我已把您的消息转给他们。",
}


def _proven(tracker: Tracker, channel: str) -> Any:
    """Who the latest message proves it is (a token it carries, valid now; a WeChat openid;
    ``bot.services.customers.proven_customer``): only then does their ticket, moved to another of their chats, come
    back here with the agent's replies (``bot.services.tickets.FOLLOW_PROOFS``). A signed-in widget and a REST
    client send the token with every message; a message without one proves nobody (a fresh reviewer, session 46:
    the session's first token vouched for a later message on a shared computer)."""
    return proven_customer(unit_of_work(), tracker.sender_id, channel, [tracker.latest_message.get("metadata")])


def _session_opened_with_it(tracker: Tracker) -> bool:
    """Whether the latest message is the session's first the customer wrote (the widget's hidden opening message
    does not count): the session start has just said where the ticket goes."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        users += event.get("event") == "user" and not (event.get("metadata") or {}).get("hidden")
    return users <= 1


class ActionRelayToAgent(OffLoopAction):
    """While a person owns the conversation the bot only files the message."""

    def name(self) -> Text:
        """Rasa's action name: ``action_relay_to_agent``."""
        return "action_relay_to_agent"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        """File the customer's message (masked) on the open ticket; tell a queued customer their place again.

        Returns:
            ``handoff_state`` cleared if the ticket closed meanwhile; the hand-over's slots when
            the ticket was abandoned while the customer was away (they are queued again); ``ticket_id`` with the
            move as its metadata when the ticket followed the customer here; else no events.
        """
        if (tracker.latest_message.get("metadata") or {}).get("hidden"):
            # the widget's own opening payload ("/greet{…}" when a chat with no history opens): not the customer's
            # words, never filed on the case nor a reason to move it here (session 46's attacker)
            return []
        text = tracker.latest_message.get("text") or ""
        channel = tracker.get_latest_input_channel() or "rest"
        proven = _proven(tracker, channel)
        withdrawing = withdraws_request(text)
        if withdrawing and tickets_service.withdraw_request(
                unit_of_work(), tracker.sender_id, text, channel, customer=proven):
            # the customer calls the request off while it still waits: the ticket ends, the bot is back
            dispatcher.utter_message(text=WITHDRAWN[language_of(tracker)])
            return [SlotSet("handoff_state", None)]
        # An answer to the long-wait offer (keep waiting / call me back / leave a message; issue 14).
        answered = wait_dialogue.answer(tracker, dispatcher, load_config(), unit_of_work)
        if answered is not None:
            return answered
        # Masked before it is stored (by the service): the agent reads it (DESIGN.md §6).
        relayed = tickets_service.relay_message(
            unit_of_work(), tracker.sender_id, text, channel, load_config(), latest_attachment_id(tracker),
            # a gas smell reported while the ticket waits: priority 1, before the place is counted
            case=handover_dialogue.case_named(tracker), customer=proven,
        )
        requeue = relayed.outcome == tickets_service.REQUEUE
        if requeue and relayed.previous.ticket_id == tracker.get_slot("ticket_id"):
            # abandoned while away (issue 14): queue again; only the ticket this chat's state is about (a ticket that
            # followed the customer elsewhere and closed there leaves this chat's older abandoned one alone)
            return [SlotSet("handoff_state", None)] + hand_over(tracker, dispatcher, relayed.requeue)
        photo = latest_attachment_id(tracker)
        if requeue or relayed.outcome == tickets_service.BOT_BACK:  # closed meanwhile, or no case at all
            if photo:  # review rev14 #1: a photo is not a question for the bot
                dispatcher.utter_message(text=PHOTO_NO_CASE[language_of(tracker)])
                return [SlotSet("handoff_state", None)]
            # the bot serves again and answers the message (it was left unanswered: a ticket that followed the
            # customer to another chat and closed there left this chat's state behind); the relay is undone for
            # the dialogue, as for a call-back's self-service question, and the state cleared after it
            return [ActionReverted(), SlotSet("handoff_state", None)]
        # a gas smell reported while the ticket waits: the advice (again)
        handover_dialogue.safety_while_waiting(tracker, dispatcher)
        # the ticket followed the customer here with this message: the Rasa server pushes the replies that came with it
        moved = [handover_dialogue.ticket_slot(relayed.ticket.ticket_id, relayed.moved)] if relayed.moved else []
        if withdrawing and relayed.ticket.state == "with_agent":  # too late to call off: the colleague reads it
            dispatcher.utter_message(text=COLLEAGUE_HAS_IT[language_of(tracker)])
            return moved
        if relayed.came_from and relayed.ticket.state == "with_agent" and not _session_opened_with_it(tracker):
            # back on a chat the ticket had left, mid-session: where the agent answers now (a fresh new user,
            # session 46: "Back on my laptop now" got no answer at all)
            dispatcher.utter_message(text=continued_words(language_of(tracker), relayed.ticket, relayed.came_from))
        if relayed.position is not None and sorted_itself(text):
            # session 24: a customer queued on a sharp first message says it sorted itself ("found it, sorry!"): the
            # message is on the case, and the customer hears how to leave the queue (nothing is called off for them)
            dispatcher.utter_message(text=SORTED_OFFER[language_of(tracker)])
        elif relayed.position is not None:
            dispatcher.utter_message(response="utter_handoff_still_queued", position=relayed.position,
                                     wait=wait_phrase(relayed.wait_s, language_of(tracker)))
        elif photo and relayed.ticket.state == "callback":  # the case waits for a call-back: say it is there
            dispatcher.utter_message(text=PHOTO_ADDED_TO_CASE[language_of(tracker)])
        elif relayed.ticket.state == "callback":  # rev14c #2: any text on a call-back's case
            language = language_of(tracker)
            if relayed.call_time:  # "after 6pm please" while a call-back is arranged: kept and confirmed only
                dispatcher.utter_message(text=call_time_noted(relayed.call_time, language))
                return [SlotSet("handoff_state", "callback")]
            # who reads it as the hand-over agreed: the colleague who calls, e-mails or answers here
            added = added_to_case(relayed.route, language)
            dispatcher.utter_message(text=contact_noted(relayed.contact, language, added, relayed.route) or added)
            if bot_answers_too(tracker):
                # this action is undone for the dialogue (what it said and filed stays): the other
                # policies then answer the message as if the bot had just heard it; the hand-off
                # policy sees the relay in the raw events and does not relay it again
                return [ActionReverted()]
            return [SlotSet("handoff_state", "callback")]
        return moved


#: Said instead of the rating question when a ticket closes that no colleague answered (fresh-user report 6:
#: "How would you rate the help you got…" after a supervisor closed an unclaimed call-back).
CLOSED_UNSERVED = {
    "en": "Our team has closed your request without a colleague replying to you. If you still need help, tell me "
          "what you need, or ask for a person again.",
    "zh": "我们的团队已关闭您的请求，期间没有同事回复您。如果仍需要帮助，请告诉我您需要什么，或再次要求转人工。",
}


class ActionReturnToBot(OffLoopAction):
    """Run by the agent desk when a ticket closes: ask for a rating."""

    def name(self) -> Text:
        """Rasa's action name: ``action_return_to_bot``."""
        return "action_return_to_bot"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        """Ask for a 1–5 rating and remember the ticket in ``csat_ticket``; when no colleague served the
        customer (``bot.services.tickets.was_served``: a supervisor closed a ticket nobody answered) say so
        plainly instead (:data:`CLOSED_UNSERVED`), with no rating asked. Clears ``handoff_state``."""
        # the ticket that closed is this conversation's newest, also one that followed the customer here
        ticket_id = tickets_service.latest_ticket_id(unit_of_work(), tracker.sender_id) or tracker.get_slot("ticket_id")
        if ticket_id and not tickets_service.was_served(unit_of_work(), ticket_id):
            dispatcher.utter_message(text=CLOSED_UNSERVED.get(language_of(tracker), CLOSED_UNSERVED["en"]))
            ticket_id = None
        else:
            dispatcher.utter_message(response="utter_ask_csat")
        return [SlotSet("handoff_state", None), SlotSet("csat_ticket", ticket_id),
                SlotSet("order_details_offered", False)]


class ActionRecordCsat(OffLoopAction):
    """Record the customer's 1–5 rating of the ticket that just closed."""

    def name(self) -> Text:
        """Rasa's action name: ``action_record_csat``."""
        return "action_record_csat"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        """Store the rating (if the message is one) and thank the customer; always clears ``csat_ticket``."""
        rating = parse_rating(tracker.latest_message.get("text", ""))
        ticket_id = tracker.get_slot("csat_ticket")
        if rating is None or not ticket_id:
            return [SlotSet("csat_ticket", None)]
        tickets_service.rate(unit_of_work(), ticket_id, rating)
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return [SlotSet("csat_ticket", None)]
