"""What a message asks for, apart from how the customer feels (issue 11).

Three cues the escalation policy reads beside the NLU intent and the emotion:

- ``asks_for_person``: an explicit request for a person ("talk to a human",
  转人工). It hands over whatever else the message carries — an order
  number, a phone number, a complaint — so the intent classifier reading
  such a message as ``inform`` cannot keep the customer with the bot.
- ``wants_action``: a complaint that asks for something to be done (a formal
  complaint, a refund, compensation). A complaint-like intent without it,
  from a calm customer, is a report: answered, and offered a person.
- ``is_polite``: an apology or thanks, which lowers the conversation's mood.
- ``is_report``: the message says the problem is already sorted ("but it
  arrived in the end") or needs nothing done ("just a heads-up, no need to do
  anything"): even under a complex intent, a calm customer saying so gets an
  answer and the offer of a person, not a ticket.
"""
from __future__ import annotations

import re

from bot.emotion_lexicon import HEADS_UP, NEGATED_EMOTION, RESOLVED

_PERSON_EN = (
    r"(human|person|people|agent|someone|somebody|representative|rep|manager|supervisor|operator|"
    r"staff|colleague|advisor|adviser|employee|team member|member of (your|the) [a-z ]{0,20}team)"
)
PERSON_EN = re.compile(
    r"\b(talk|speak|chat|connect|put me through|transfer|escalate|pass|hand|get|need|want|give)\b[^.?!]{0,30}"
    rf"\b(a |an |to |with |me |your |some |the |one |of |real |actual |live )*(real |actual |live )?{_PERSON_EN}s?\b"
    r"|\b(real|actual|live) (human|person|agent|people)\b"
    r"|\b(human|person|agent|operator|representative),? (please|pls|plz|now)\b"
    r"|^\s*(human|agent|operator|representative|manager)[\s.!?]*$"
    r"|\b(someone|somebody|a person|an agent|a human) (to )?(call|ring|phone|contact) me\b"
    r"|\b(someone|somebody) (from|on|in) (your|the) (team|staff|office|support|customer service)\b"
    r"|\bescalate (this|it|my case|me)\b"
    r"|\bcall me back\b",
    re.IGNORECASE,
)
NOT_PERSON_EN = re.compile(
    r"\b(do ?n[o']t|don't|do not|no need (for|to)|not|never|without)\b[^.?!]{0,20}"
    r"\b(human|person|agent|someone|representative|manager|colleague)\b",
    re.IGNORECASE,
)
PERSON_ZH = re.compile(
    r"转人工|人工客服|人工服务|人工坐席|人工处理|人工介入|人工跟进|找人工|要人工|接人工|转接人工|"
    r"(请|让|安排)人工|人工(联系|回复|回电)|真人|活人|客服人员|工作人员|客服专员|(找|叫|让|要|转|换)(你们|个|一个|一位)?(的)?(经理|主管|领导|负责人|客服)|"
    r"(有没有|来个|来一个|给我找个?)人|打(个)?电话给我|给我(回|打)(个)?电话|人工[!！。?？]*$"
)
NOT_PERSON_ZH = re.compile(r"(不用|不需要|不必|别|无需)(转)?(人工|真人|找人|客服人员)|你(是|是不是)(个)?真人|是真人(吗|还是)")
# "Are you a real person?" asks what the bot is, not for a person.
ASKS_WHAT_BOT_IS = re.compile(
    r"\b(are|r) (you|u) (a |an )?(real |actual |live )?(human|person|bot|robot|machine)\b|"
    r"\b(is this|am i (talking|speaking|chatting) (to|with)) (a |an )?(real |actual |live )?(human|person|bot|robot)\b",
    re.IGNORECASE,
)

# A demand, not a question about a topic: "how long does a refund take?" asks
# for information; "I want a refund" / "refund me" asks for something done.
WANTS_ACTION = re.compile(
    r"\b(complain\w*|complaint|grievance|lodge|formal\w*|compensat\w*|reimburs\w*|escalate|"
    r"report (him|her|them|this|the)|investigat\w*|disciplin\w*|want (this|it) (recorded|logged)|"
    r"(want|demand|need|expect|give me|get me|insist on) (a |my |the |full )?(refund|money back|replacement)|"
    r"refund me|money back)\b"
    r"|投诉|举报|赔偿|补偿|给个说法|严肃处理|登记|要求(退款|赔|补|换|处理)|(我要|给我|必须|马上|立刻)(退款|退钱|换货|处理)|退钱",
    re.IGNORECASE,
)
POLITE = re.compile(
    r"\b(sorry|apolog\w*|thanks|thank you|thx|ty|cheers|appreciate\w*|grateful|no worries)\b"
    r"|不好意思|抱歉|对不起|谢谢|感谢|多谢|辛苦|麻烦(你|您)(们)?了",
    re.IGNORECASE,
)


def asks_for_person(text: str) -> bool:
    """True when the message explicitly asks for a person (en or zh), not negated."""
    text = text or ""
    if PERSON_ZH.search(text) and not NOT_PERSON_ZH.search(text):
        return True
    if ASKS_WHAT_BOT_IS.search(text) and not re.search(r"\b(want|need|let me|get me|transfer|connect)\b", text, re.I):
        return False
    return bool(PERSON_EN.search(text)) and not NOT_PERSON_EN.search(text)


def wants_action(text: str) -> bool:
    """True when a complaint asks for something to be done (formal complaint, refund, compensation)."""
    return bool(WANTS_ACTION.search(text or ""))


def is_polite(text: str) -> bool:
    """True for an apology or thanks."""
    return bool(POLITE.search(text or ""))


def is_report(text: str) -> bool:
    """True when the message reports a problem as sorted or needing no action."""
    lowered = (text or "").lower()
    return bool(HEADS_UP.search(lowered) or RESOLVED.search(lowered) or NEGATED_EMOTION.search(lowered))
