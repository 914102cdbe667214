"""Long waits as the customer sees them (issue 14): the offer after a long estimate and the
answers to it, rendered as responses of domain/waiting.yml. The use cases are
bot.services.waiting; shared by ``action_handoff``/``action_relay_to_agent`` (actions/handoff.py)
and the Rasa server's own hand-over while the action server is down (bot/handover/handover_dialogue.py).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.domain import TicketState, language_of
from bot.handover.policy import EscalationConfig
from bot.services import waiting
from bot.text import NOT_A_NUMBER, NOT_A_PERSONAL_LINE, markdown_literal, utcnow
from bot.services import UnitOfWorkFactory

#: How the answer to a left message reaches the customer, as the confirmation says it.
REPLY_WAY = {
    "en": {"email": "by e-mail to {to}", "sms": "by text message to {to}", "channel": "right here"},
    "zh": {"email": "通过电子邮件（{to}）", "sms": "通过短信（{to}）", "channel": "在这里"},
}


def say_queued(tracker: Tracker, dispatcher: CollectingDispatcher, ticket_id: str, position: int, wait_s: int,
               config: EscalationConfig, uow_factory: UnitOfWorkFactory) -> None:
    """Tell a newly queued customer their place and wait; a long wait (or one past closing time)
    says only place and wait (``utter_handoff_queued_long``: on the phone, not "stay on the line, I'm
    putting you through"), adds the three choices (``utter_wait_options``) and records the offer.

    Args:
        tracker: the conversation's rasa-sdk ``Tracker`` (its language).
        dispatcher: where the messages go.
        ticket_id: the new ticket.
        position: its place in the queue (1 = next).
        wait_s: the estimated wait, in seconds.
        config: the escalation rules (the offer threshold, support hours).
        uow_factory: makes the unit of work that records the offer.
    """
    lang = language_of(tracker)
    now = utcnow()
    offer = waiting.should_offer(wait_s, now, config)
    # a long wait is only place and wait ("about 9 hours"), never "putting you through": the choices follow
    dispatcher.utter_message(response="utter_handoff_queued_long" if offer else "utter_handoff_queued",
                             position=position, wait=waiting.wait_phrase(wait_s, lang))
    if offer:
        past_closing = wait_s < waiting.offer_threshold_s(config)
        dispatcher.utter_message(response="utter_wait_options_closing" if past_closing else "utter_wait_options")
        waiting.record_offer(uow_factory(), ticket_id, wait_s, past_closing)


def long_wait(ticket_state: Any, wait_s: Optional[int], config: EscalationConfig) -> bool:
    """Whether a new ticket in ``ticket_state`` with ``wait_s`` seconds of expected wait gets the
    three choices (so the opening must not promise to put the customer through).

    Args:
        ticket_state: the new ticket's state (a :class:`TicketState` or its name).
        wait_s: the estimated wait in seconds, or None.
        config: the escalation rules.

    Returns:
        True or False.
    """
    return str(ticket_state) == TicketState.QUEUED and wait_s is not None and waiting.should_offer(wait_s, utcnow(), config)


# After a message that was only an e-mail address (review rev14 #7).
ASK_MESSAGE_TEXT = {
    "en": "Thank you, we'll answer by e-mail to {to}. What is your message? Please send it in one go.",
    "zh": "谢谢，我们会通过电子邮件答复到 {to}。请问您要留言的内容是什么？请一次发过来。",
}


#: A call-back number refused (``bot.text.callback_refusal``), by reason and language: why, then (at the wait
#: question, which stays open) the way on.
NUMBER_REFUSED = {
    NOT_A_NUMBER: {
        "en": "Sorry, {phone} is not a phone number in use.",
        "zh": "抱歉，{phone} 不是在用的电话号码。",
    },
    NOT_A_PERSONAL_LINE: {
        "en": "Sorry, we only call back mobile and landline numbers, and {phone} is a premium-rate, shared-cost, "
              "free-phone or other service number.",
        "zh": "抱歉，我们只回拨手机和固定电话号码，{phone} 是付费、分摊费用、免费或其他服务号码。",
    },
}
NUMBER_REFUSED_WAY_ON = {
    NOT_A_NUMBER: {
        "en": " Please check it and send it again with its country code, or answer 1 to keep waiting or 3 to leave "
              "a message.",
        "zh": "请核对后带上国家区号重新发送，或者回复 1 继续等待、回复 3 留言。",
    },
    NOT_A_PERSONAL_LINE: {
        "en": " Please send your own mobile or landline number with its country code, or answer 1 to keep waiting "
              "or 3 to leave a message.",
        "zh": "请发送您本人的手机或固定电话号码（带国家区号），或者回复 1 继续等待、回复 3 留言。",
    },
}


def number_refused(phone: str, refusal: str, language: str, way_on: bool = True) -> str:
    """What the customer is told when ``phone`` is not called back (:data:`NUMBER_REFUSED`).

    Args:
        phone: the number as they gave it, E.164.
        refusal: ``bot.text.callback_refusal``'s answer (not None).
        language: ``en`` or ``zh`` (another: English).
        way_on: add how to go on at the wait question (:data:`NUMBER_REFUSED_WAY_ON`: another number, 1 to
            keep waiting, 3 to leave a message).

    Returns:
        The message.
    """
    refusal = refusal if refusal in NUMBER_REFUSED else NOT_A_NUMBER
    words, more = NUMBER_REFUSED[refusal], NUMBER_REFUSED_WAY_ON[refusal]
    text = words.get(language, words["en"]) + (more.get(language, more["en"]) if way_on else "")
    return text.format(phone=markdown_literal(phone))


def shown_as(metadata: Any) -> Optional[str]:
    """The button title the customer pressed (metadata ``shown_as``, the web chat's), capped; None.

    Args:
        metadata: the message's metadata (any value).

    Returns:
        The title (at most 80 characters), or None.
    """
    shown = metadata.get("shown_as") if isinstance(metadata, dict) else None
    return shown.strip()[:80] if isinstance(shown, str) and shown.strip() else None


def answer(tracker: Tracker, dispatcher: CollectingDispatcher, config: EscalationConfig,
           uow_factory: UnitOfWorkFactory) -> Optional[List[Dict[Text, Any]]]:
    """The customer's message as an answer to the open wait question: respond and return the
    slot events; None when nothing is pending or it answers nothing (relay it as usual).

    Args:
        tracker: the conversation's rasa-sdk ``Tracker``.
        dispatcher: where the answer goes.
        config: the escalation rules.
        uow_factory: makes the unit of work the answer is filed in.

    Returns:
        Rasa slot events (``handoff_state`` ``callback`` after a call-back or a left message,
        ``with_agent`` when an agent claimed the ticket as the customer answered), or None.
    """
    metadata = tracker.latest_message.get("metadata") or {}
    done = waiting.answer(uow_factory(), tracker.sender_id, tracker.latest_message.get("text") or "",
                          tracker.get_latest_input_channel() or "rest", config,
                          caller=metadata.get("caller") if isinstance(metadata, dict) else None,
                          shown=shown_as(metadata))
    if done is None:
        return None
    lang = language_of(tracker)
    if done.outcome == "kept":
        dispatcher.utter_message(response="utter_wait_keep", position=done.position,
                                 wait=waiting.wait_phrase(done.wait_s or 0, lang))
        return []
    if done.outcome in ("ask_number", "bad_number", "ask_message"):
        dispatcher.utter_message(response={"ask_number": "utter_wait_ask_number", "bad_number": "utter_wait_bad_number",
                                           "ask_message": "utter_wait_ask_message"}[done.outcome])
        return []
    if done.outcome == "refused_number":
        dispatcher.utter_message(text=number_refused(done.phone or "", done.refusal or NOT_A_NUMBER, lang))
        return []
    if done.outcome == "ask_message_text":  # only an address came: ask for the message (review rev14 #7)
        dispatcher.utter_message(text=ASK_MESSAGE_TEXT[lang].format(to=markdown_literal(done.to or "")))
        return []
    if done.outcome == waiting.TAKEN:  # an agent claimed it as the customer answered: no call-back, no message
        dispatcher.utter_message(response="utter_wait_taken")  # on the phone the bridge then puts the call through
        return [SlotSet("handoff_state", TicketState.WITH_AGENT.value)]
    if done.outcome == waiting.CALLBACK:
        if done.phone:
            dispatcher.utter_message(response="utter_wait_callback_set", phone=done.phone)
        else:
            dispatcher.utter_message(response="utter_wait_callback_phone")
    else:  # message_left
        way = REPLY_WAY[lang][done.reply_to or "channel"].format(to=done.to or "")
        dispatcher.utter_message(response="utter_wait_message_saved", reply_way=way)
    # The ticket waits for the next free colleague as a call-back: the bot serves meanwhile, and every
    # message also goes on the case (rev14c #2: the policy relays while handoff_state is "callback").
    return [SlotSet("handoff_state", TicketState.CALLBACK.value)]

