"""The handoff packet (schema handoff/v1, DESIGN.md §6) built from a tracker.

Issue 16: an action gets a window of the conversation's events, not every one
(``ACTION_EVENTS_TURNS``, default 50; bot/handover/action_window.py), except ``action_handoff``
(``WHOLE_SESSION_ACTIONS``: once per ticket), whose packet is the whole conversation's. A
hand-over from inside another action (two misses in a row, a failed password-reset step, a
re-queue, the Rasa server's own fallback) reads the window: in a longer conversation its
``transcript`` is the last ``ACTION_EVENTS_TURNS`` customer messages before the hand-over (with
the bot's answers between them), and its message count, ``emotion.history``, topic and the
``intake`` entities no slot kept come from those; the slots are the whole conversation's. The
desk shows the packet's transcript and then every message after the hand-over
(``Tickets.transcript``).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Optional, Sequence

from bot.text import NOT_A_NUMBER, NOT_A_PERSONAL_LINE, callback_refusal, phone_in, utcnow
from bot.privacy.masking import mask_pii
from bot.channels.attachments import agent_url, valid_attachment_id
from bot.handover.policy import (Decision, EscalationConfig, Emotion, negativity, priority, sla_due_at, skills,
                                 sla_target_seconds, topic_of)

from bot.handover.troubleshooting import FLOWS, Progress
from bot.domain import (Channel, Flow, HandoffPacket, PacketIntake, PacketJSON, PacketSla, PacketTroubleshooting,
                        TranscriptLine)

NEGATIVE_LABELS = ("anger", "frustration")

REASON_TEXT = {
    "en": {
        "customer_request": "asked for a person",
        "negative_emotion": "is upset",
        "complex_intent": "has a case the bot must not handle",
        "nlu_failure": "was not understood twice in a row",
        "flow_exhausted": "tried the guided steps without success",
        "no_input": "gave no answer the IVR could use",
        "system_error": "wrote while the assistant was unavailable",
    },
    "zh": {
        "customer_request": "要求转人工",
        "negative_emotion": "情绪激动",
        "complex_intent": "的问题需要人工处理",
        "nlu_failure": "连续两次未被理解",
        "flow_exhausted": "按引导步骤操作仍未解决",
        "no_input": "在电话中多次无有效回应",
        "system_error": "在系统故障时留言",
    },
}
STEP_NAMES = {
    Flow.PASSWORD_RESET.value: {
        1: "open 'Forgot password?'", 2: "request the reset link", 3: "open the e-mail link", 4: "set a new password",
    }
}
# The Chinese summary names every code in words (issue 14: a Chinese-speaking agent reads it in five
# seconds); the desk's own tables (connectors/agent_desk/static/app.js) say the same.
WORDS_ZH = {
    "language": {"en": "英文", "zh": "中文"},
    "channel": {"web": "网页聊天", "wechat": "微信", "ivr": "电话", "rest": "接口"},
    "topic": {"orders": "订单", "account": "账户", "billing": "账单", "security": "安全", "complaints": "投诉"},
    "flow": {Flow.PASSWORD_RESET.value: "密码重置"},
    "emotion": {"anger": "生气", "frustration": "沮丧", "sadness": "难过", "neutral": "平静", "joy": "高兴",
                "positive": "积极", "negative": "负面"},
}
# The channel as the desk's column names it (connectors/agent_desk/static/app.js ``channel.*``), so the
# English summary says "Web chat" / "API" as the column beside it does (rev14b #4: one name everywhere).
WORDS_EN = {
    "channel": {"web": "Web chat", "wechat": "WeChat", "ivr": "Phone", "rest": "API"},
}
STEP_NAMES_ZH = {
    Flow.PASSWORD_RESET.value: {1: "打开“忘记密码”", 2: "申请重置链接", 3: "打开邮件中的链接", 4: "设置新密码"},
}


def channel_name(input_channel: Optional[str]) -> str:
    """The packet name (web|wechat|ivr|rest) of a Rasa input channel; unknown or None -> ``rest``.

    Args:
        input_channel: Rasa's ``input_channel`` of a user event, or None.

    Returns:
        ``web``, ``wechat``, ``ivr`` or ``rest``.
    """
    return Channel.from_input(input_channel).value


def _iso(ts: Optional[float]) -> str:
    moment = datetime.fromtimestamp(ts, timezone.utc) if ts else utcnow()
    return moment.isoformat()


def user_turns(events: Iterable[dict]) -> list[dict]:
    """The customer's messages among tracker events (dicts), in order.

    Args:
        events: tracker events as dicts.

    Returns:
        The ``user`` events, oldest first.
    """
    return [e for e in events if e.get("event") == "user"]


def emotion_of(event: dict) -> Optional[Emotion]:
    """The emotion the NLU attached to a user event, or None.

    Args:
        event: a ``user`` event dict (its ``parse_data.emotion``).

    Returns:
        The :class:`Emotion`, or None.
    """
    return Emotion.from_parse((event.get("parse_data") or {}).get("emotion"))


def _negative(facts: dict) -> float:
    """How negative the customer's latest message read, 0..1 (``bot.handover.policy.negativity``): ``facts["mood"]``
    when the packet builder computed it, else the last of the packet's emotion ``history``, else the label's score
    for a negative label."""
    if isinstance(facts.get("mood"), (int, float)):
        return float(facts["mood"])
    emotion = facts.get("emotion") or {}
    history = emotion.get("history")
    if isinstance(history, list) and history and isinstance(history[-1], (int, float)):
        return float(history[-1])
    return float(emotion.get("score") or 0.0) if emotion.get("label") in NEGATIVE_LABELS else 0.0


#: What a button's payload says in a transcript when the channel did not send the button's words (``shown_as``).
PAYLOAD_WORDS = {"request_human": "[button] Talk to a person", "check_order_status": "[button] Check an order",
                 "reset_password": "[button] Reset my password", "affirm": "[button] Yes", "deny": "[button] No"}


def _payload_words(event: dict) -> Optional[str]:
    """The words of a button the customer pressed (a ``/intent`` payload): the button's title the web chat sent
    (metadata ``shown_as``), else :data:`PAYLOAD_WORDS`, else ``[button] <intent>``; None for a channel's own
    greeting (``/greet``, ``/session_start``): a hand-over from "/request_human" alone keeps that line
    (s20eng2 #5: its transcript was empty)."""
    shown = (event.get("metadata") or {}).get("shown_as")
    intent = re.split(r"[{@]", (event.get("text") or "")[1:], maxsplit=1)[0].strip()
    if intent in ("greet", "session_start", "restart", ""):
        return None
    if isinstance(shown, str) and shown.strip():
        return shown
    return PAYLOAD_WORDS.get(intent, f"[button] {intent}")


def transcript(events: Iterable[dict], channel: str) -> list[TranscriptLine]:
    """The masked transcript lines (``from``, ``text``, ``at`` ISO-8601, ``channel``) of tracker
    events; a button's intent payload (``/request_human``) is shown as the button's words (:func:`_payload_words`),
    a channel's own greeting payload is left out.

    Args:
        events: tracker events as dicts.
        channel: the packet name of the conversation's channel (each line's ``channel``).

    Returns:
        The masked :class:`TranscriptLine` list, oldest first.
    """
    out = []
    for event in events:
        text = event.get("text")
        if event.get("event") == "user" and (text or "").startswith("/"):
            text = _payload_words(event)
            if text is None:
                continue  # a channel's own payload (the IVR's or the widget's /greet), not the customer's choice
        if event.get("event") in ("user", "bot") and text:
            line: TranscriptLine = {
                "from": "customer" if event["event"] == "user" else "bot",
                "text": mask_pii(text),
                "at": _iso(event.get("timestamp")),
                "channel": channel_name(event.get("input_channel")) if event["event"] == "user" else channel,
            }
            photo = (event.get("metadata") or {}).get("attachment_id") if event["event"] == "user" else None
            if valid_attachment_id(photo):  # a photo sent before the hand-over (issue 14): the desk completes it
                line["attachments"] = [{"id": photo, "url": agent_url(photo)}]
            out.append(line)
    return out


def intake(slots: dict, events: list[dict], topic: Optional[str]) -> PacketIntake:
    """Intake facts from slots, or from any entity seen earlier in the conversation.

    Args:
        slots: the tracker's slots (``order_number``, ``email``, ``phone``).
        events: tracker events as dicts, for entities a slot did not keep.
        topic: the conversation's topic (``topic_of``), or None.

    Returns:
        ``{"order_number", "email", "phone", "topic"}``; a value not found is None, and so is a phone number a
        colleague would never call back (premium rate, service numbers, international numbers that do not exist).
        On the phone, with no number said or kept, ``phone`` is the caller id (``metadata.caller`` of the IVR turns).
    """
    found: dict[str, Any] = {"order_number": None, "email": None, "phone": None}
    turns = user_turns(events)
    for event in turns:
        for entity in (event.get("parse_data") or {}).get("entities", []):
            if entity.get("entity") in found:
                found[entity["entity"]] = entity.get("value")
    for key in found:
        found[key] = slots.get(key) or found[key]
    if not found["phone"]:  # on the phone: the caller id the platform vouches for (a fresh new user, session 45)
        found["phone"] = next((phone_in(str(caller)) for event in reversed(turns)
                               if event.get("input_channel") == "ivr"
                               and (caller := (event.get("metadata") or {}).get("caller"))), None)
    if found["phone"] and _never_called(str(found["phone"])):
        found["phone"] = None  # a number we would never call back is no contact for the case (a new user's finding)
    return {**found, "topic": topic}  # type: ignore[typeddict-item]


def _never_called(phone: str) -> bool:
    """Whether a colleague must never call ``phone``: a premium-rate, shared-cost, free-phone or other service
    number, or an international number that does not exist (``bot.text.callback_refusal``). Digits keyed on a
    phone with no country code (``5550123``) stay: the IVR bridge reads them back to the caller."""
    refusal = callback_refusal(phone)
    return refusal == NOT_A_PERSONAL_LINE or (refusal == NOT_A_NUMBER and phone.lstrip().startswith(("+", "00")))


#: The slot a failed step of a flow is first recorded in (its number; the tip is given then): ``actions/password_reset``.
RETRY_SLOTS = {Flow.PASSWORD_RESET.value: "reset_retry_step"}


def failed_steps(progress: Optional[Progress], events: Sequence[dict] = ()) -> list[int]:
    """The steps the customer said failed in this session, once per failure, in order: a step's first failure sets
    the flow's retry slot (:data:`RETRY_SLOTS`), its second ends the flow ``exhausted`` on the next step.

    Args:
        progress: the conversation's troubleshooting progress, or None.
        events: the tracker's events as dicts (those after the last ``session_started`` are read).

    Returns:
        Step numbers, e.g. ``[2, 4, 4]``; empty without a flow.
    """
    if progress is None or progress.flow not in RETRY_SLOTS:
        return []
    failed: list[int] = []
    for event in events:
        if event.get("event") == "session_started":
            failed = []
        elif (event.get("event") == "slot" and event.get("name") == RETRY_SLOTS[progress.flow]
              and isinstance(event.get("value"), (int, float)) and not isinstance(event.get("value"), bool)):
            failed.append(int(event["value"]))
    if progress.status == "exhausted" and progress.next_step:
        failed.append(int(progress.next_step))
    return failed


def troubleshooting(progress: Optional[Progress], events: Sequence[dict] = ()) -> Optional[PacketTroubleshooting]:
    """``troubleshooting`` of the packet for a flow's progress (steps done, failed, next step), or None.

    Args:
        progress: the conversation's troubleshooting progress, or None.
        events: the tracker's events as dicts, for the steps that failed (:func:`failed_steps`).

    Returns:
        ``{"flow", "status", "steps_done", "next_step", "total_steps", "steps_failed"}`` (steps as
        ``"2. <name>"``; ``steps_failed`` once per failure, so an agent sees "4." twice when it failed twice, a
        fresh new user's finding, session 45), or None.
    """
    if progress is None:
        return None
    names = STEP_NAMES.get(progress.flow, {})
    return {
        "flow": progress.flow,
        "status": progress.status,
        "steps_done": [f"{n}. {names.get(n, 'step ' + str(n))}" for n in sorted(progress.steps_done)],
        "next_step": (
            f"{progress.next_step}. {names.get(progress.next_step, '')}".strip()
            if progress.next_step and progress.status != "completed" else None
        ),
        "total_steps": FLOWS.get(progress.flow),
        "steps_failed": [f"{n}. {names.get(n, 'step ' + str(n))}" for n in failed_steps(progress, events)],
    }


SUMMARY_TEXT = {
    "zh": {
        "opening": "客户（{language}，{channel}）{reason}，共 {turns} 条消息。",
        "topic": "主题：{topic}。",
        "order": "订单 {order_number}。",
        "steps": "{flow}：已完成 {done} 步，下一步：{next_step}。",
        "failed": "未成功：{failed}。",
        "none": "无",
        "mood": "情绪：负面 {score:.2f}。",
        "safety": "安全事件：机器人已告知客户应立即采取的措施和紧急电话。",
        "last": "最后一句：“{last_message}”",
    },
    "en": {
        "opening": "Customer ({language}, {channel}) {reason} after {turns} {messages}.",
        "topic": "Topic: {topic}.",
        "order": "Order {order_number}.",
        "steps": "{flow}: {done} step(s) done, next: {next_step}.",
        "failed": "Failed: {failed}.",
        "none": "none",
        "mood": "Mood: negative {score:.2f}.",
        "safety": "Safety case: the bot told the customer what to do now and the emergency numbers.",
        "last": "Last message: \"{last_message}\"",
    },
}


def _word(lang: str, kind: str, code: Any) -> Any:
    """``code`` (a language, channel, topic, flow or emotion label) as a word of ``lang``: Chinese words
    for ``zh``; in English the channel's desk label, else the code itself (and for a code without a word)."""
    return (WORDS_ZH if lang == "zh" else WORDS_EN).get(kind, {}).get(code, code)


def _next_step(lang: str, steps: dict) -> Optional[str]:
    """The packet's next step ("3. open the e-mail link") in ``lang``: the Chinese step name for ``zh``."""
    next_step = steps.get("next_step")
    if lang != "zh" or not next_step:
        return next_step
    number = str(next_step).split(".", 1)[0]
    name = STEP_NAMES_ZH.get(steps.get("flow"), {}).get(int(number)) if number.isdigit() else None
    return f"第 {number} 步 {name}" if name else next_step


def _failed(lang: str, steps: dict) -> str:
    """The failed steps of the summary: "step 4 (2×)", "第 4 步（2 次）", in the order they first failed."""
    counts: dict[str, int] = {}
    for step in steps.get("steps_failed") or []:
        number = str(step).split(".", 1)[0]
        counts[number] = counts.get(number, 0) + 1
    if lang == "zh":
        return "、".join(f"第 {n} 步" + (f"（{c} 次）" if c > 1 else "") for n, c in counts.items())
    return ", ".join(f"step {n}" + (f" ({c}×)" if c > 1 else "") for n, c in counts.items())


def summary(lang: str, facts: dict) -> str:
    """A paragraph an agent reads in five seconds, built from facts only; in ``zh`` every code
    (language, channel, topic, flow, step, mood) is a Chinese word.

    Args:
        lang: the desk language to write in (``en`` or ``zh``).
        facts: the packet's facts: ``reason``, ``language``, ``channel``, ``intake``, ``troubleshooting``,
            ``emotion``, the customer's messages; ``safety`` (optional) true when a trigger named a safety
            case, whose advice the customer was given.

    Returns:
        One paragraph of plain text.
    """
    text = SUMMARY_TEXT[lang]
    intake, steps, emotion = facts["intake"], facts["troubleshooting"], facts["emotion"]
    parts = [text["opening"].format(reason=REASON_TEXT[lang][facts["reason"]["code"]],
                                    language=_word(lang, "language", facts["language"]),
                                    channel=_word(lang, "channel", facts["channel"]), turns=facts["turns"],
                                    messages="message" if facts["turns"] == 1 else "messages")]
    if intake.get("topic"):
        parts.append(text["topic"].format(topic=_word(lang, "topic", intake["topic"])))
    if intake.get("order_number"):
        parts.append(text["order"].format(order_number=intake["order_number"]))
    if steps:
        parts.append(text["steps"].format(flow=_word(lang, "flow", steps["flow"]), done=len(steps["steps_done"]),
                                          next_step=_next_step(lang, steps) or text["none"]))
        if steps.get("steps_failed"):
            parts.append(text["failed"].format(failed=_failed(lang, steps)))
    if emotion:
        # the calibrated negativity, as the negative_emotion trigger's detail names it ("negative 0.56"), not the
        # model's label and its own score ("neutral 0.56" beside "is upset"; s20eng2 #5)
        parts.append(text["mood"].format(score=_negative(facts)))
    if facts.get("safety"):  # a gas smell, sparking wiring: the agent knows the advice was given (bot.handover.safety)
        parts.append(text["safety"])
    parts.append(text["last"].format(last_message=facts["last_message"]))
    return " ".join(parts)


def summary_with_last_message(text: str, lang: str, last_message: str) -> str:
    """A summary (``lang``: the language it is written in) whose closing "Last message: …" names
    ``last_message``: what the customer wrote most recently, not what they wrote at the hand-over (a new
    user's finding: the desk's "Last message" never changed while the customer wrote on).

    The closing part is the summary's first "Last message: \"" / "最后一句：“" (nothing before it can hold
    one: the other parts are our words, codes and an order number); a summary in the other language (a packet
    from before ``summaries``) has its own replaced; a summary without one gets one.

    Args:
        text: the summary as stored.
        lang: ``en`` or ``zh``: the language ``text`` is meant to be in.
        last_message: the customer's latest message, PII-masked (at most 200 characters are kept).

    Returns:
        The summary, ending with the latest message.
    """
    order = [lang, *[other for other in SUMMARY_TEXT if other != lang]] if lang in SUMMARY_TEXT else list(SUMMARY_TEXT)
    for written in order:
        template = SUMMARY_TEXT[written]["last"]
        at = text.find(template.split("{last_message}")[0])
        if at >= 0:
            head = text[:at]  # with its separator, as summary() joined it
            break
    else:
        written, head = order[0], f"{text.rstrip()} " if text.strip() else ""
    return head + SUMMARY_TEXT[written]["last"].format(last_message=last_message[:200])


def with_last_message(packet: dict, last_message: str) -> dict:
    """The packet with its ``summaries`` and ``summary`` ending with the customer's latest message
    (:func:`summary_with_last_message`); the rest unchanged.

    Args:
        packet: a stored handoff/v1 packet (dict).
        last_message: the customer's latest message, PII-masked.

    Returns:
        A new packet dict.
    """
    fallback = str(packet.get("summary") or "")
    given = packet.get("summaries") if isinstance(packet.get("summaries"), dict) else {}
    before = {lang: given[lang] if isinstance(given.get(lang), str) and given[lang] else fallback for lang in SUMMARY_TEXT}
    after = {lang: summary_with_last_message(text, lang, last_message) for lang, text in before.items()}
    # ``summary`` is the desk language's (build_packet): the one it equals now; English for an older packet
    desk = next((lang for lang, text in before.items() if text == fallback and given.get(lang)), "en")
    return {**packet, "summaries": after, "summary": after[desk]}


def summaries_of(packet: dict) -> dict[str, str]:
    """The summary in each desk language (``{"en": …, "zh": …}``) of a stored handoff/v1 packet.

    The packet's own ``summaries`` where it has them; a packet written before them (one ``summary``,
    in English) keeps that text as ``en`` and gets the other languages rebuilt from its facts (reason,
    language, channel, intake, troubleshooting, mood, the customer's messages in its transcript).
    Migration 0011 fills ``tickets.summary_en``/``summary_zh`` with it. A packet too damaged to
    rebuild (no reason code one of ours) gets its ``summary`` in every language. Never raises.

    Args:
        packet: a stored handoff/v1 packet (dict).

    Returns:
        ``{"en": str, "zh": str}``.
    """
    given = packet.get("summaries") if isinstance(packet.get("summaries"), dict) else {}
    fallback = str(packet.get("summary") or "")
    out = {lang: given[lang] for lang in ("en", "zh") if isinstance(given.get(lang), str) and given[lang]}
    if len(out) == 2:
        return out
    try:
        reason = packet.get("reason") or {}
        if reason.get("code") not in REASON_TEXT["en"]:
            raise ValueError("unknown reason code")
        own = packet.get("conversation_id")
        said = [line for line in packet.get("transcript") or [] if isinstance(line, dict)
                and line.get("from") == "customer" and line.get("conversation_id", own) == own]
        emotion = packet.get("emotion") if isinstance(packet.get("emotion"), dict) else None
        if emotion and emotion.get("label") == "neutral" and not emotion.get("history"):
            emotion = None  # the packet's stand-in for "no mood seen"
        facts = {
            "language": packet.get("language") or "en", "channel": packet.get("channel") or "rest",
            "reason": {"code": reason["code"]}, "turns": len(said),
            "intake": packet.get("intake") if isinstance(packet.get("intake"), dict) else {},
            "troubleshooting": packet.get("troubleshooting") if isinstance(packet.get("troubleshooting"), dict)
            else None,
            "emotion": ({"label": emotion.get("label"), "score": float(emotion.get("score") or 0.0),
                         "history": emotion.get("history")} if emotion else None),
            "last_message": str(said[-1].get("text") or "")[:200] if said else "",
        }
        for lang in ("en", "zh"):
            out.setdefault(lang, fallback if lang == "en" and fallback else summary(lang, facts))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        for lang in ("en", "zh"):
            out.setdefault(lang, fallback)
    return out


def _across_conversations(conversation_id: str, channel: str, turns: list[dict], events: list[dict],
                          related: Optional[list[tuple[str, list[dict]]]]) -> tuple[set, list, list]:
    """(channels used, conversations, transcript lines) of this conversation and the related ones,
    the lines in time order when there are related ones."""
    used = {channel_name(e.get("input_channel")) for e in turns} or {channel}
    conversations = [{"conversation_id": conversation_id, "channel": channel}]
    lines = [{**line, "conversation_id": conversation_id} for line in transcript(events, channel)]
    for other_id, other_events in related or []:
        other_turns = user_turns(other_events)
        other_channel = channel_name(other_turns[-1].get("input_channel")) if other_turns else "rest"
        used |= {channel_name(e.get("input_channel")) for e in other_turns}
        conversations.append({"conversation_id": other_id, "channel": other_channel})
        lines += [{**line, "conversation_id": other_id} for line in transcript(other_events, other_channel)]
    if related:
        lines.sort(key=lambda line: datetime.fromisoformat(line["at"]))
    return used, conversations, lines


def _full_intents(turns: list[dict], intents: list) -> list:
    """``intents`` with each ``faq`` replaced by its retrieval intent (``faq/<name>``), for topics; a ``report_fraud``
    read of a message with no word of fraud names no topic (``triage.fraud_worded``, session 45)."""
    from bot.handover.triage import fraud_worded

    return [
        ((e.get("parse_data") or {}).get("response_selector", {}).get("faq", {}).get("response", {}) or {}).get(
            "intent_response_key") or i if i == "faq"
        else None if i == "report_fraud" and not fraud_worded(e.get("text") or "") else i
        for e, i in zip(turns, intents)
    ]


def packet_sla(target_s: int, now: datetime, config: EscalationConfig) -> PacketSla:
    """The packet's ``sla`` of a case handed over at ``now``: due after ``target_s`` of support hours.

    Inside support hours the clock starts at ``now``, whether the case is queued or a call-back for want
    of an agent online (one could log in); outside them at the next opening (``next_opening``): a case
    handed over at night is not late before anyone could answer it. The clock stops at closing time and
    runs on at the next opening (``sla_due_at``).

    Args:
        target_s: the priority's SLA target wait, in seconds (``sla_target_seconds``).
        now: the hand-over time (aware UTC).
        config: the escalation rules (``support_hours``).

    Returns:
        ``{"target_wait_s": target_s, "due_at": ISO-8601 UTC}``.
    """
    return {"target_wait_s": target_s, "due_at": sla_due_at(now, target_s, config).isoformat()}


def build_packet(
    *,
    ticket_id: str,
    conversation_id: str,
    events: list[dict],
    slots: dict,
    decision: Decision,
    config: EscalationConfig,
    progress: Optional[Progress] = None,
    customer: Optional[dict] = None,
    escalated_recently: bool = False,
    desk_language: str = "en",
    now: Optional[datetime] = None,
    related: Optional[list[tuple[str, list[dict]]]] = None,
) -> PacketJSON:
    """The handoff packet (DESIGN.md §6) of a conversation handed over now.

    Args:
        ticket_id: the new ticket's id.
        conversation_id: the Rasa sender id.
        events: the conversation's tracker events as dicts, oldest first (from an action: its window).
        slots: the tracker's slots (``language``, ``order_number``, ``email``, ``phone``).
        decision: why it is handed over (every trigger is kept in ``reason.triggers``).
        config: the escalation rules (priority, SLA and ``support_hours``: ``packet_sla``, topics).
        progress: the troubleshooting flow's progress, or None.
        customer: a known customer (``Customer.packet_view()``), or None (the conversation alone).
        escalated_recently: the customer was handed over within ``repeat_escalation_days`` (priority +1).
        desk_language: the language of ``summary`` (``summaries`` holds both).
        now: the hand-over time (aware UTC); None means now.
        related: the customer's other recent conversations as ``(id, events)``, joining
            ``channels_used``, ``conversations`` and the transcript; or None.

    Returns:
        The :class:`bot.domain.PacketJSON` object, keys in ``HandoffPacket.KEYS`` order.

    Raises:
        KeyError: ``decision.code`` is not a :class:`bot.domain.ReasonCode`.
    """
    now = now or utcnow()
    turns = user_turns(events)
    last = turns[-1] if turns else {}
    channel = channel_name(last.get("input_channel"))
    language = slots.get("language") or "en"
    intents = [(e.get("parse_data") or {}).get("intent", {}).get("name") for e in turns]
    topic = topic_of(_full_intents(turns, intents), config, [e.get("text") or "" for e in turns])
    emotions = [emotion_of(e) for e in turns]
    latest_emotion = next((e for e in reversed(emotions) if e), None)
    value = priority(decision, config, intents[-1] if intents else None, latest_emotion, escalated_recently)
    target = sla_target_seconds(value, config)
    facts = {
        "language": language, "channel": channel,
        "reason": {"code": decision.code, "detail": decision.detail,
                   "triggers": [t.as_dict() for t in decision.all_triggers()]},
        "turns": len(turns),
        "intake": intake(slots, events, topic),
        "troubleshooting": troubleshooting(progress, events),
        "emotion": (
            {"label": latest_emotion.label, "score": latest_emotion.score,
             "history": [round(negativity(e, NEGATIVE_LABELS), 2) for e in emotions]}
            if latest_emotion else None
        ),
        "last_message": mask_pii(last.get("text") or "")[:200], "safety": decision.urgent_case,
        "mood": negativity(latest_emotion, NEGATIVE_LABELS) if latest_emotion else None,
    }
    # An anonymous conversation proved nothing; a known customer says how it was
    # verified (token | platform | order_contact | none), so an agent knows how far to trust it.
    customer = customer or {"id": conversation_id, "identities": [{"channel": channel, "id": conversation_id}]}
    customer = {**customer, "verification": customer.get("verification") or "none"}
    used, conversations, lines = _across_conversations(conversation_id, channel, turns, events, related)
    return HandoffPacket(
        ticket_id=ticket_id, created_at=now.isoformat(), conversation_id=conversation_id,
        channel=channel, language=language, customer=customer,
        channels_used=sorted(used), conversations=conversations,
        reason=facts["reason"], priority=value, skills=skills(language, topic),
        summary=summary(desk_language, facts), summaries={lang: summary(lang, facts) for lang in ("en", "zh")},
        intake=facts["intake"], troubleshooting=facts["troubleshooting"],
        emotion=facts["emotion"] or {"label": "neutral", "score": 0.0, "history": []},
        transcript=lines,
        sla=packet_sla(target, now, config),
    ).as_dict()
