"""Long waits and abandonment (issue 14; DESIGN.md §4, §9a).

- :func:`wait_phrase`: an estimate as a customer hears it, minutes under an
  hour, then hours ("about 9 hours", "约9小时"), never "512 minutes".
- :func:`should_offer`: a wait of at least ``long_wait_offer_s``
  (escalation.yml, 900 s by default) or one that runs past today's closing
  time (``support_hours``) gets three choices: keep waiting, call me back,
  leave a message and get the answer later.
- :func:`record_offer`, :func:`answer`: the offer and the customer's answers,
  kept as ticket events (bot/queue/waits.py) so any server can take the next turn.
  Call me back moves the ticket to ``callback`` once a number is known;
  leaving a message moves it to ``callback`` with how to answer (e-mail, a
  text message to the caller, or this channel).
- :func:`forward_reply`: an agent's reply on a ticket whose customer left a
  message by e-mail or text goes out through the notifier (bot/queue/notifier.py).
- :func:`abandon_hung_up`, :func:`sweep_abandoned`: a caller who hangs up
  while queued, a web customer silent for ``WEB_ABANDON_AFTER_S`` → the
  ticket becomes ``abandoned`` (once, whichever server notices).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import List, Optional
from zoneinfo import ZoneInfo

from bot.domain import Channel, TicketEvent, TicketState
from bot.privacy.scanner import EMAIL
from bot.queue.notifier import Notification, Notifier
from bot.handover.call_me import callback_asked
from bot.handover.packet import packet_sla
from bot.handover.policy import EscalationConfig, estimated_wait_s, sla_target_seconds
from bot.services.tickets import file_customer_message
from bot.text import callback_refusal, phone_in, utcnow
from bot.queue.tickets import Ticket
from bot.storage.uow import AbstractUnitOfWork

KEEP, CALLBACK, MESSAGE = "keep", "callback", "message"
#: The outcome when an agent claimed the ticket while the customer chose a call-back or left a message.
TAKEN = "taken"
OFFERED, ASK_NUMBER, ASK_MESSAGE = "offered", "callback_number", "message"
#: Waiting for the message itself after the customer sent only their e-mail address (review rev14 #7):
#: the address is in the ticket's intake and the answer goes there.
ASK_MESSAGE_AFTER_EMAIL = "message_after_email"
#: What is left of a message once its e-mail addresses, phone numbers and filler are taken out: when
#: nothing of it is a word, the message was only a contact ("qa@example.com", "my email: a@b.cn").
_CONTACT_FILLER = re.compile(r"(?:my|e-?mail|mail|address|is|here|it's|it|to|reply|please|at|and|phone|number|"
                             r"我的|邮箱|地址|是|电子邮件|电话|号码|请|回复|发到|发送到|[\s:：,，.。;；!！-])+", re.I)

_CHOICES = (
    (KEEP, re.compile(r"^\s*1\s*$|\b(?:keep|continue|carry on|stay|hold)\b.*\bwait|\bi(?:'ll| will) wait\b|"
                      r"^\s*wait\W*$|继续等|我等|等待|继续排队", re.I)),
    (CALLBACK, re.compile(r"^\s*2\s*$|\bcall(?:ing)? (?:me )?back\b|\bcall-?back\b|\bring me\b|回电|回拨|打给我|"
                          r"给我打电话", re.I)),
    (MESSAGE, re.compile(r"^\s*3\s*$|\bleave (?:a |my )?message\b|\bmessage\b|\be-?mail me\b|留言|邮件", re.I)),
)
#: Longer messages are never read as a choice (a question that mentions "message" or "wait").
MAX_CHOICE_CHARS = 40


def wait_phrase(seconds: int, language: str) -> str:
    """``seconds`` of expected wait as the customer hears it, in ``language`` (en|zh).

    Under an hour: whole minutes, at least 1 ("about 12 minutes", "约12分钟"). From an
    hour: hours, to the half hour below 3 hours ("about 1.5 hours", "约1.5小时"), else
    whole hours ("about 9 hours", "约9小时").

    Args:
        seconds: the expected wait, in seconds.
        language: ``en`` or ``zh``.

    Returns:
        The phrase (str).
    """
    minutes = max(1, round(seconds / 60))
    zh = language == "zh"
    if minutes < 60:
        return f"约{minutes}分钟" if zh else f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 30) / 2 if minutes < 180 else float(round(minutes / 60))
    shown = f"{hours:g}"
    return f"约{shown}小时" if zh else f"about {shown} hour{'s' if hours != 1 else ''}"


def offer_threshold_s(config: EscalationConfig) -> int:
    """``long_wait_offer_s`` of escalation.yml (seconds; 900 when absent).

    Args:
        config: escalation.yml, validated (``EscalationConfig``).

    Returns:
        Seconds.
    """
    return config.file.long_wait_offer_s


def closing_time(now: datetime, config: EscalationConfig) -> Optional[datetime]:
    """When today's support hours end (UTC-aware), or None when always open / closed today /
    already past today's window's end.

    Args:
        now: the current moment, a UTC-aware datetime.
        config: escalation.yml, validated (``EscalationConfig``).

    Returns:
        A UTC-aware datetime, or None.
    """
    hours = config.file.support_hours
    if hours.always_open:
        return None
    zone = ZoneInfo(hours.timezone)
    local = now.astimezone(zone)
    window = hours.weekly.get(local.weekday())
    if not window:
        return None
    end_text = window.split("-")[1]
    if end_text == "24:00":
        end = datetime.combine(local.date() + timedelta(days=1), time(0, 0), zone)
    else:
        end = datetime.combine(local.date(), time.fromisoformat(end_text), zone)
    return end if end > local else None


def should_offer(wait_s: int, now: datetime, config: EscalationConfig) -> bool:
    """Whether a customer told to expect ``wait_s`` seconds at ``now`` gets the three choices:
    the wait reaches ``long_wait_offer_s``, or it ends after today's closing time.

    Args:
        wait_s: the expected wait, in seconds.
        now: the current moment, a UTC-aware datetime.
        config: escalation.yml, validated (``EscalationConfig``).

    Returns:
        Whether to offer the choices.
    """
    if wait_s >= offer_threshold_s(config):
        return True
    closes = closing_time(now, config)
    return closes is not None and now + timedelta(seconds=wait_s) > closes


def parse_choice(text: str) -> Optional[str]:
    """``keep`` | ``callback`` | ``message`` from a button payload or keypad digit (1/2/3) or the
    customer's words (English or Chinese), else None.

    Args:
        text: the message text, as written.

    Returns:
        ``keep``, ``callback``, ``message`` or None.
    """
    if len((text or "").strip()) > MAX_CHOICE_CHARS:  # a longer message is about something else
        return None
    for choice, pattern in _CHOICES:
        if pattern.search(text or ""):
            return choice
    return None


def record_offer(uow: AbstractUnitOfWork, ticket_id: str, wait_s: int, past_closing: bool = False) -> None:
    """The customer was offered the three choices: their next message is read as an answer.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        wait_s: the expected wait, in seconds.
        past_closing: whether the wait ends after today's closing time.

    Returns:
        None.
    """
    with uow:
        uow.waits.set_step(ticket_id, OFFERED, {"wait_s": wait_s, "past_closing": past_closing})
        uow.commit()


def pending_step(uow: AbstractUnitOfWork, ticket_id: str) -> Optional[str]:
    """The ticket's open question (``offered``, ``callback_number``, ``message``) while it is
    queued, else None.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        ticket_id: the ticket's id.

    Returns:
        ``offered``, ``callback_number``, ``message`` or None.
    """
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None or ticket.state != TicketState.QUEUED:
            return None
        return uow.waits.step(ticket_id)


@dataclass(frozen=True)
class Answered:
    """What the customer's answer did.

    ``outcome``: ``kept`` (stays queued; ``position``, ``wait_s``), ``ask_number`` (which
    number to call?), ``bad_number`` (that was not one), ``refused_number`` (``phone`` is one we do not
    call back, ``refusal`` says why: ``bot.text.callback_refusal``), ``callback`` (the ticket is
    ``callback``; ``phone`` the number, None on the phone where the IVR confirms the caller
    id), ``ask_message`` (say the message), ``message_left`` (the ticket is ``callback``;
    ``reply_to`` email|sms|channel, ``to`` the address or number), ``taken`` (an agent claimed the
    ticket while the customer answered: no call-back, no left message; ``ticket`` as it is now).
    """

    outcome: str
    ticket: Ticket
    position: Optional[int] = None
    wait_s: Optional[int] = None
    phone: Optional[str] = None
    reply_to: Optional[str] = None
    to: Optional[str] = None
    refusal: Optional[str] = None


def answer(uow: AbstractUnitOfWork, conversation_id: str, text: str, channel: str, config: EscalationConfig,
           caller: Optional[str] = None, shown: Optional[str] = None) -> Optional[Answered]:
    """Take the customer's message as the answer to the open wait question, if there is one.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        text: the message (a button payload "1"/"2"/"3", keypad digits, or words).
        channel: Rasa's input channel name (``ivr``: a call-back confirms the caller id in the
            bridge; a left message is answered by text message to ``caller``).
        config: escalation.yml, validated (``EscalationConfig``).
        caller: the caller id of a phone call (E.164 or digits), else None.
        shown: what the customer saw themselves send (a button's title for its payload "2"): the
            ticket's transcript shows it (review rev14 #8).

    Returns:
        None when nothing is pending (unless the message asks to be called back on a number we call:
        then the call-back, as *Call me back* with that number), the message answers nothing, or the ticket was closed or
        abandoned between the read and the call-back (nothing is kept: the caller relays it as
        usual, as a message after the close); else what was done (``taken`` when an agent claimed
        the ticket meanwhile). The message is filed on the ticket when it is used.
    """
    on_phone = Channel.from_input(channel) == Channel.IVR
    with uow:
        ticket = uow.tickets.open_for_conversation(conversation_id)
        if ticket is None or ticket.state != TicketState.QUEUED:
            return None
        step = uow.waits.step(ticket.ticket_id)
        if step is None:  # no question open; "please call me back on 139…" still makes it a call-back (report 4)
            done = None if on_phone else _asked_call_back(uow, ticket, text, channel, config)
            if done is not None:
                uow.commit()
            return done
        choice = parse_choice(text)
        if step in (ASK_MESSAGE, ASK_MESSAGE_AFTER_EMAIL):
            done = _leave_message(uow, ticket, text, channel, on_phone, caller, config,
                                  after_email=step == ASK_MESSAGE_AFTER_EMAIL)
        elif step == ASK_NUMBER and choice not in (KEEP, MESSAGE) and phone_in(text):
            done = _number_given(uow, ticket, text, channel, phone_in(text) or "", config)
        elif step == ASK_NUMBER and choice is None:
            file_customer_message(uow, ticket.ticket_id, text, channel)
            done = Answered("bad_number", ticket)
        elif choice is None:
            return None
        else:
            done = _choose(uow, ticket, choice, text, channel, on_phone, config, shown)
        if done is None:  # closed or abandoned meanwhile: rolled back, relayed as usual
            return None
        uow.commit()
        return done


def _choose(uow: AbstractUnitOfWork, ticket: Ticket, choice: str, text: str, channel: str, on_phone: bool,
            config: EscalationConfig, shown: Optional[str] = None) -> Optional[Answered]:
    file_customer_message(uow, ticket.ticket_id, shown if shown and shown.strip() else text, channel)
    uow.tickets.add_event(ticket.ticket_id, TicketEvent.WAIT_CHOICE.value, "customer", None, {"choice": choice})
    if choice == KEEP:
        uow.waits.set_step(ticket.ticket_id, None)
        position = uow.tickets.position(ticket)
        return Answered("kept", ticket, position=position,
                        wait_s=estimated_wait_s(position, uow.agents.online_count(), config))
    if choice == MESSAGE:
        uow.waits.set_step(ticket.ticket_id, ASK_MESSAGE)
        return Answered("ask_message", ticket)
    if on_phone:  # the bridge reads the caller id back and records the confirmed number
        uow.waits.set_step(ticket.ticket_id, None)
        return Answered(CALLBACK, ticket) if _request_callback(uow, ticket, config) else _instead(uow, ticket)
    known = (ticket.packet.get("intake") or {}).get("phone")
    if known and callback_refusal(known) is None:  # a number we would not call is asked for again
        return _call_back(uow, ticket, None, channel, known, config)
    uow.waits.set_step(ticket.ticket_id, ASK_NUMBER)
    return Answered("ask_number", ticket)


def _request_callback(uow: AbstractUnitOfWork, ticket: Ticket, config: EscalationConfig,
                      phone: Optional[str] = None) -> bool:
    """The queued ticket becomes ``callback``; the call-back's own SLA (``sla_target_wait_s`` of support hours for
    its priority) counts from now (a fresh new user's finding, issue 11 seventeenth pass). A ticket still within
    its SLA has it restarted; one already past it keeps the breach (a reviewer's finding: a customer who waited
    40 minutes on a 5-minute SLA is late, whatever they chose then). A ticket an agent claimed meanwhile stays
    theirs (``request_callback`` changes only a ``queued`` one).

    ``phone``: the number to call, recorded with the state change (None: confirmed later, on the phone).

    Returns whether the ticket is ``callback`` now (also when something else made it one meanwhile); False when
    it was claimed, closed or abandoned since it was read (see :func:`_instead`)."""
    now = utcnow()
    if uow.tickets.request_callback(ticket.ticket_id, now, packet_sla(sla_target_seconds(ticket.priority, config),
                                                                      now, config), phone):
        return True
    current = uow.tickets.get(ticket.ticket_id)
    return current is not None and current.state == TicketState.CALLBACK


def _instead(uow: AbstractUnitOfWork, ticket: Ticket) -> Optional[Answered]:
    """What the customer's call-back or message became when the ticket left the queue before it was asked for:
    ``taken`` when an agent holds it (the customer is told a colleague picked the conversation up; what they
    typed is on the ticket, the wait question is closed); None when it was closed or abandoned (the answer
    rolls back and the message is relayed as any message after a close: the bot, or the queue again)."""
    current = uow.tickets.get(ticket.ticket_id)
    return Answered(TAKEN, current) if current is not None and current.state == TicketState.WITH_AGENT else None


def _asked_call_back(uow: AbstractUnitOfWork, ticket: Ticket, text: str, channel: str,
                     config: EscalationConfig) -> Optional[Answered]:
    """A queued customer's message that asks to be called back on a number we call
    (``bot.handover.call_me.callback_asked``, ``bot.text.callback_refusal``): the call-back on it, as
    *Call me back* with that number; else None (the message is relayed as any other)."""
    number = callback_asked(text)
    if number is None or callback_refusal(number) is not None:
        return None
    return _call_back(uow, ticket, text, channel, number, config)


def _number_given(uow: AbstractUnitOfWork, ticket: Ticket, text: str, channel: str, phone: str,
                  config: EscalationConfig) -> Optional[Answered]:
    """The number the customer sent at "Which phone number should we call you on?": the call-back, or
    ``refused_number`` (the question stays open) for one we do not call (``bot.text.callback_refusal``:
    premium rate and other service numbers, numbers that do not exist)."""
    refusal = callback_refusal(phone)
    if refusal is None:
        return _call_back(uow, ticket, text, channel, phone, config)
    file_customer_message(uow, ticket.ticket_id, text, channel)
    return Answered("refused_number", ticket, phone=phone, refusal=refusal)


def _call_back(uow: AbstractUnitOfWork, ticket: Ticket, text: Optional[str], channel: str, phone: str,
               config: EscalationConfig) -> Optional[Answered]:
    if text is not None:
        file_customer_message(uow, ticket.ticket_id, text, channel)
    uow.waits.set_step(ticket.ticket_id, None)
    uow.tickets.fill_intake(ticket.ticket_id, "phone", phone)  # kept for the agent either way
    if not _request_callback(uow, ticket, config, phone):  # one "callback" event, with the number (fresh-user report 7)
        return _instead(uow, ticket)
    return Answered(CALLBACK, ticket, phone=phone)


def _is_verified_email(uow: AbstractUnitOfWork, ticket: Ticket, email: str) -> bool:
    """Whether ``email`` (lower case) is a trusted identity of the ticket's customer (a signed
    token, a proven order contact), not only an address typed in the chat."""
    customer = uow.customers.get(ticket.customer_id) if ticket.customer_id else None
    proven = ticket.packet.get("customer") if isinstance(ticket.packet, dict) else None
    if customer is None and isinstance(proven, dict) and proven.get("verification") not in (None, "none") \
            and isinstance(proven.get("id"), str):
        # a ticket the chat proved by a code only is filed under its conversation id since session 48
        # (bot.services.tickets.ticket_owner): the packet names the customer the code proved
        customer = uow.customers.get(proven["id"])
    return customer is not None and any(
        i.kind == "email" and i.trusted and i.value.lower() == email for i in customer.identities)


def only_contact(text: str) -> bool:
    """Whether ``text`` holds an e-mail address and nothing else worth reading (a few filler words
    such as "my e-mail is", punctuation): not a message an agent could answer.

    Args:
        text: the customer's message.

    Returns:
        True when it is only a contact address.
    """
    found = EMAIL.search(text or "")
    if not found:
        return False
    rest = EMAIL.sub(" ", text)
    return not _CONTACT_FILLER.sub("", rest).strip()


def _leave_message(uow: AbstractUnitOfWork, ticket: Ticket, text: str, channel: str, on_phone: bool,
                   caller: Optional[str], config: EscalationConfig, after_email: bool = False) -> Optional[Answered]:
    file_customer_message(uow, ticket.ticket_id, text, channel)
    typed = EMAIL.search(text or "")
    email = typed.group(0).lower() if typed else None
    if email and not on_phone and only_contact(text):
        # the address alone is no message (review rev14 #7): keep it, ask for the message itself
        uow.tickets.fill_intake(ticket.ticket_id, "email", email)
        uow.waits.set_step(ticket.ticket_id, ASK_MESSAGE_AFTER_EMAIL, {"email": email})
        return Answered("ask_message_text", ticket, reply_to="email", to=email)
    if email is None and after_email:  # the message after the address sent on its own
        email = str(uow.waits.step_data(ticket.ticket_id).get("email") or "").lower() or None
    verified = email is not None and _is_verified_email(uow, ticket, email)
    intake = ticket.packet.get("intake") or {}
    number = phone_in(caller) or intake.get("phone") if on_phone else None
    if email:
        reply_to, to = "email", email
        uow.tickets.fill_intake(ticket.ticket_id, "email", to)
    elif on_phone and number:
        reply_to, to = "sms", number
    else:
        reply_to, to = "channel", None
    uow.waits.set_step(ticket.ticket_id, None)
    if not _request_callback(uow, ticket, config):  # an agent's now: replies go to the conversation, not mail
        return _instead(uow, ticket)
    # A typed address is not proof: it may be a typo or someone else's (bot/services/otp.py never
    # trusts typed contacts either); forward_reply mails it only a notice, never the agent's text.
    uow.waits.record_left_message(ticket.ticket_id, reply_to, to, verified if reply_to == "email" else True)
    return Answered("message_left", ticket, reply_to=reply_to, to=to)


REPLY_TEXT = {
    "en": {"subject": "Your message to QX Shop ({ticket_id})",
           "body": "Hello,\n\nYou left us a message while our team was busy. Our colleague {agent} replied:\n\n"
                   "{text}\n\nYou can reply to us in the chat or on the phone at any time; quote {ticket_id}.\n"},
    "zh": {"subject": "QX Shop 对您留言的答复（{ticket_id}）",
           "body": "您好：\n\n您在客服繁忙时给我们留了言，我们的同事 {agent} 回复如下：\n\n{text}\n\n"
                   "如需继续咨询，请在聊天或电话中提供工单号 {ticket_id}。\n"},
}
# To an address the customer only typed (unverified): that a reply exists, never its text.
NOTICE_TEXT = {
    "en": {"subject": "Your message to QX Shop ({ticket_id})",
           "body": "Hello,\n\nOur colleague {agent} has answered the message you left us. For your privacy the "
                   "answer is not sent by e-mail: please read it in the chat, or call us and quote {ticket_id}.\n"},
    "zh": {"subject": "QX Shop 对您留言的答复（{ticket_id}）",
           "body": "您好：\n\n我们的同事 {agent} 已经答复了您的留言。为保护您的隐私，答复内容不通过邮件发送："
                   "请在聊天中查看，或致电我们并提供工单号 {ticket_id}。\n"},
}
SMS_TEXT = {"en": "QX Shop ({ticket_id}): {text}", "zh": "QX Shop（{ticket_id}）：{text}"}


def forward_reply(uow: AbstractUnitOfWork, notifier: Notifier, ticket_id: str, agent: str, text: str) -> Optional[str]:
    """Send an agent's reply through the notifier when the customer left a message to be
    answered by e-mail or text message (DESIGN.md §9a). An e-mail address the customer only
    typed gets a notice that an answer is waiting, not the answer itself.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        notifier: sends the e-mail or text message (``bot.queue.notifier.Notifier``).
        ticket_id: the ticket's id.
        agent: the agent's display name, as the customer sees it.
        text: the message text, as written.

    Returns:
        ``email`` or ``sms`` when it was sent, None when the customer waits on the channel
        (the reply goes there as usual) or left no message.

    Raises:
        bot.queue.notifier.NotifierError: the transport refused it (the caller tells the agent).
    """
    with uow:
        ticket = uow.tickets.get(ticket_id)
        left = uow.waits.left_message(ticket_id) if ticket is not None else None
    if ticket is None or not left or left.get("reply_to") not in ("email", "sms") or not left.get("to"):
        return None
    lang = ticket.language if ticket.language in REPLY_TEXT else "en"
    if left["reply_to"] == "email":
        words = REPLY_TEXT[lang] if left.get("verified", True) else NOTICE_TEXT[lang]
        notification = Notification("email", left["to"], words["subject"].format(ticket_id=ticket_id),
                                    words["body"].format(ticket_id=ticket_id, agent=agent, text=text))
    else:
        notification = Notification("sms", left["to"], "", SMS_TEXT[lang].format(ticket_id=ticket_id, text=text))
    notifier.send(notification)
    with uow:
        uow.tickets.add_event(ticket_id, TicketEvent.NOTIFIED.value, "system", None,
                              {"channel": notification.channel, "to": notification.to})
        uow.commit()
    return notification.channel


def abandon_hung_up(uow: AbstractUnitOfWork, conversation_id: str, now: Optional[datetime] = None) -> Optional[str]:
    """The caller hung up: the conversation's queued ticket becomes ``abandoned`` (id returned); a ticket an agent
    holds stays theirs, with a ``call_ended`` event (the desk shows the call is over:
    ``bot.services.tickets.call_is_live``); a call-back or none: None, nothing changes.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        now: the current moment, UTC-aware (default: now).

    Returns:
        The id of the ticket now ``abandoned``, or None.
    """
    with uow:
        marked = uow.waits.abandon_if_queued(conversation_id, now or utcnow(), "hung up")
        held = None if marked else uow.tickets.open_for_conversation(conversation_id)
        if held is not None and held.state == TicketState.WITH_AGENT:
            uow.tickets.add_event(held.ticket_id, TicketEvent.CALL_ENDED.value, "customer", None, {})
        uow.commit()
        return marked


def sweep_abandoned(uow: AbstractUnitOfWork, silence_s: int, now: Optional[datetime] = None) -> List[str]:
    """Queued web tickets whose customer wrote nothing for ``silence_s`` seconds become
    ``abandoned``; returns the ids this sweep marked (each ticket is marked by one sweep only,
    however many servers sweep at once). ``silence_s`` 0 or less: nothing is swept.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        silence_s: how long (seconds) a queued web ticket's customer may stay silent; 0 or less: never.
        now: the current moment, UTC-aware (default: now).

    Returns:
        The ids of the tickets this sweep marked ``abandoned``.
    """
    if silence_s <= 0:
        return []
    now = now or utcnow()
    with uow:
        marked = uow.waits.abandon_silent(Channel.WEB.value, now - timedelta(seconds=silence_s), now)
        uow.commit()
        return marked


def after_phone_turn(uow: AbstractUnitOfWork, ticket_id: str) -> Optional[str]:
    """What the phone bridge does after a turn on a ticket that is or was queued (issue 14).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        ticket_id: the ticket's id.

    Returns:
        ``answer`` (a wait question is open: listen for the keypad or speech, no transfer yet),
        ``transfer`` (queued, nothing pending), ``callback`` (the caller chose a call-back:
        confirm the number), ``goodbye`` (a message was left: hang up), None (anything else).
    """
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            return None
        if ticket.state == TicketState.QUEUED:
            return "answer" if uow.waits.step(ticket_id) in (OFFERED, ASK_MESSAGE, ASK_MESSAGE_AFTER_EMAIL) \
                else "transfer"
        if ticket.state == TicketState.CALLBACK:
            return "goodbye" if uow.waits.left_message(ticket_id) else "callback"
        return None
