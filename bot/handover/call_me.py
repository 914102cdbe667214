"""Whether a customer's message asks to be called back, and which contact it gives as their own.

- :func:`asks_for_call_back`: "Can someone call me back on 13900139000 about my order?", "请给我回电，
  13800138000" (fresh-user report 4: a hand-over that asked for a call with a number was queued as a chat).
- :func:`callback_asked`: the number such a message gives (E.164), else None.
- :func:`own_contact`: the phone number and e-mail address a message gives as the customer's own / the ones to
  reach them on ("my new number is …", "call me on …", a message that is only the number), not a number it
  only mentions ("the courier kept calling me from 13812345678": fresh-user report 5, that number replaced the
  call-back number).

A message is read clause by clause (:func:`clauses`: split at sentence ends, commas, dashes, "but", 但是):
"My courier kept ringing me from +44 20 7946 0018 — call me on +44 7911 123456" asks for a call in its second
clause, and the number in the clause that asks wins; the first clause only says somebody else called (a
fresh new user's finding after s18eng2: the whole message was read as "somebody else called", or the number
nearest any "ringing me" taken).

Found as masking finds them (:func:`bot.privacy.scanner.contact_in`): an order number, a date or a time is
never a phone. Pure: no I/O.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from bot.privacy.scanner import contact_in, scan

# "call me back", "call me on", "ring me", "give me a call", "a call-back"; 回电, 回拨, 打给我, 给我打电话, 打电话给我.
_CALL_ME = re.compile(
    r"\b(?:call|ring|phone)(?:ing)? (?:me|us)\b|\bcall(?:ing)? (?:\w+ )?back\b|\bcall-?back\b"
    r"|\bgive (?:me|us) a (?:call|ring|bell)\b|\b(?:call|ring|phone) (?:this|my|that) (?:number|phone|mobile)\b"
    r"|回电|回拨|回个电话|打给我|给我打(?:个)?电话|打(?:个)?电话给我|回(?:个)?电话给我|致电给?我|打(?:这个|我的?)(?:号码|电话|手机)|拨打(?:这个|我的?)|打\s*(?=[+＋]?\d)",
    re.IGNORECASE)
# "don't call me", "no need to call back", 不用回电, 别打给我.
_NOT_CALL_ME = re.compile(
    r"\b(?:don'?t|do not|dont|never|no need to|not)\b[^.?!]{0,20}\b(?:call|ring|phone)"
    r"|(?:不用|不要|别|无需|不需要|不必)[^。！？.!?]{0,8}(?:回电|回拨|打)",
    re.IGNORECASE)
# Somebody else calling ("the courier kept calling me from …", 快递员一直用…给我打电话): a number they used.
_SOMEONE_ELSE_CALLS = re.compile(
    r"\b(?:he|she|they|courier|driver|rider|postman|delivery \w+|someone from \w+|kept|keeps|keep|always|"
    r"again and again|missed)\b[^.?!]{0,30}\b(?:call(?:ed|ing|s)?|ring(?:ing|s)?|rang|phon(?:ed|ing|es))\b"
    r"|\bcalled me\b|\bcalling me\b|\brang me\b|\bphoned me\b"
    r"|(?:快递|司机|骑手|送货|配送|他们|他|她|一直|总是|老是|多次|反复|刚才|已经)[^。！？.!?]{0,15}(?:打|来电|电话)",
    re.IGNORECASE)
# A contact named as the customer's own: "my (new) number is", "reach me on", "use this number"; 我的手机, 这个号码.
_MINE = re.compile(
    r"\b(?:my|our)\b[^.?!,;]{0,20}\b(?:number|phone|mobile|cell|tel|telephone|e-?mail|address|contact)\b"
    r"|\b(?:reach|contact|text|sms|e-?mail|write to|mail) (?:me|us)\b|\b(?:this|that|new|another|other|different) "
    r"(?:number|phone|mobile|e-?mail|address)\b|\buse\b[^.?!]{0,12}\b(?:number|e-?mail|address)\b"
    r"|我的?(?:新)?(?:手机|电话|号码|手机号|联系方式|邮箱|电子邮件|邮件地址)|(?:这个|新的?|另一个)(?:号码|电话|手机|邮箱)"
    r"|联系我|找我|换(?:个|了|成)?(?:号码|手机|邮箱)|改(?:成|为|用)|发(?:邮件)?到",
    re.IGNORECASE)
# An address something came from: "a mail from noreply@…", "sent by …", 来自…的邮件, 发件人.
_SENT_FROM = re.compile(r"\b(?:from|by)\s+\S*@|来自|发来|发件人|收到[^。！？]{0,12}邮件", re.IGNORECASE)
# What is left of a message that is only a contact: "13900139000", "tel: +44 7911 123456 please", "邮箱 a@b.cn".
_FILLER = re.compile(
    r"(?:my|new|number|phone|mobile|cell|tel|telephone|e-?mail|mail|address|is|it's|here|it|please|pls|thanks?|"
    r"thank you|on|at|to|and|or|contact|call|me|ok|okay|我的|新|手机|电话|号码|手机号|邮箱|电子邮件|是|请|谢谢|好的|"
    r"[\s:：,，.。;；!！()（）+\-])+",
    re.IGNORECASE)


# Where one clause ends and the next starts: a sentence's end, a comma, a semicolon, a dash between words
# (not the hyphen inside "020-7946"), "but"/"however", 但是/不过/可是.
_CLAUSE_BREAK = re.compile(
    r"[.?!;:](?=\s|$)|[,，。！？；：、]|\s[-–—]+\s|[–—]+|\s(?:but|however|though|although)\b|但是|不过|可是",
    re.IGNORECASE)


def clauses(text: str) -> List[Tuple[int, int]]:
    """The clauses of ``text`` as ``(start, end)`` offsets into it, in order, empty ones left out.

    Args:
        text: the customer's message.

    Returns:
        The spans, covering every non-blank part of ``text``.
    """
    spans, start = [], 0
    for match in _CLAUSE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


# A number, however it is spaced ("13812345678", "138 1234 5678", "+44 20 7946 0018"): one character when
# :func:`_someone_else` measures how far the caller and the call are apart.
_NUMBER = re.compile(r"[+＋]?\d[\d\s\-]*\d")


def _someone_else(clause: str) -> bool:
    """The clause says somebody else called ("the courier kept calling me from …", "快递员一直用 138 1234 5678
    给我打电话"), a number in it counted as one character, however long or spaced."""
    return bool(_SOMEONE_ELSE_CALLS.search(_NUMBER.sub("0", clause)))


def _clause_asks(clause: str) -> bool:
    """One clause asks us to call: a call asked for, not refused, not somebody else calling."""
    return bool(_CALL_ME.search(clause)) and not _NOT_CALL_ME.search(clause) and not _someone_else(clause)


def asks_for_call_back(text: Optional[str]) -> bool:
    """Whether ``text`` asks us to call the customer ("call me back", "ring me on …", "给我回电"), not
    refused ("don't call me") and not about somebody else calling ("the courier kept calling me"), in
    one of its clauses: "The courier kept ringing me from …, call me on …" asks in its second.

    Args:
        text: the customer's message, or None.

    Returns:
        True or False.
    """
    text = text or ""
    return any(_clause_asks(text[a:b]) for a, b in clauses(text))


def callback_asked(text: Optional[str]) -> Optional[str]:
    """The number ``text`` asks to be called back on (E.164): :func:`asks_for_call_back` and a phone number
    in it (the first); else None.

    Args:
        text: the customer's message, or None.

    Returns:
        The E.164 number, or None.
    """
    text = text or ""
    if not asks_for_call_back(text):
        return None
    return _framed_phone(text) or _unmentioned(text, contact_in(text)["phone"])


def own_contact(text: Optional[str]) -> Dict[str, Optional[str]]:
    """The phone number and e-mail address ``text`` gives as the customer's own, to reach them on.

    A phone number: asked to be called on it (:func:`asks_for_call_back`), named as theirs or as the one
    to use ("my new number is …", "reach me at …", "这个号码"), or the message is only the number. A number
    only mentioned ("the courier kept calling me from 13812345678", "快递员一直用 13812345678 给我打电话") is
    none. An e-mail address: any but one the message says something came from ("I got a mail from
    noreply@…", "来自 …的邮件").

    Args:
        text: the customer's message, or None.

    Returns:
        ``{"phone": E.164 or None, "email": lower-case address or None}``.
    """
    text = text or ""
    found = contact_in(text)
    phone, email = found["phone"], found["email"]
    if phone and not (asks_for_call_back(text) or _MINE.search(text) or _only_contact(text)):
        phone = None
    elif phone:  # of several numbers, the one next to the words that make it theirs ("my number is …")
        phone = _framed_phone(text) or _unmentioned(text, phone)
    if email and _SENT_FROM.search(text) and not _MINE.search(text):
        email = None
    return {"phone": phone, "email": email}


def _framed_phone(text: str) -> Optional[str]:
    """Of the phone numbers in ``text`` (as masking finds them), the one the message gives to call: the
    number in a clause that asks for the call ("call me on …") or names it the customer's own ("my number
    is …") — of several, the one nearest those words —, else the one nearest such words elsewhere in the
    message; never one in a clause that only says somebody else called. None when there is none."""
    spans = clauses(text)
    mentioned = [(a, b) for a, b in spans if _someone_else(text[a:b])]
    phones = [fact for fact in scan(text) if fact.entity == "phone"
              and not any(a <= fact.start < b for a, b in mentioned)]
    if not phones:
        return None
    framing = [(a, b) for a, b in spans if _clause_asks(text[a:b]) or _MINE.search(text[a:b])]
    framed = [fact for fact in phones if any(a <= fact.start < b for a, b in framing)]
    anchors = [m.end() for pattern in (_MINE, _CALL_ME) for m in pattern.finditer(text)
               if not any(a <= m.start() < b for a, b in mentioned)]
    if not anchors:
        return None
    return min(framed or phones, key=lambda fact: min(abs(fact.start - anchor) for anchor in anchors)).value


def _unmentioned(text: str, phone: Optional[str]) -> Optional[str]:
    """``phone`` unless every place it stands in ``text`` is a clause saying somebody else called from it."""
    if phone is None:
        return None
    spans = [(a, b) for a, b in clauses(text) if _someone_else(text[a:b])]
    places = [fact for fact in scan(text) if fact.entity == "phone" and fact.value == phone]
    if places and all(any(a <= fact.start < b for a, b in spans) for fact in places):
        return None
    return phone


def _only_contact(text: str) -> bool:
    """Whether ``text`` is no more than its contact and a few filler words ("13900139000", "tel: …")."""
    rest = re.sub(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+", " ", text)
    rest = re.sub(r"[+\d][\d\s()\-./]{5,}\d", " ", rest)
    return not _FILLER.sub("", rest).strip()


# When to call, as customers write it: "after 6pm", "between 2 and 4 pm", "6:30pm", "tomorrow morning", "tonight",
# "any time after 3", "on Monday"; 下午六点以后, 晚上6点后, 明天上午, 18:00之后, 周一下午, 随时.
_HOUR = r"(?:[01]?\d|2[0-3])"
_CLOCK = rf"{_HOUR}(?:[:.][0-5]\d)?"
_MERIDIEM = r"\s?(?:am|pm|a\.m\.?|p\.m\.?|o'?clock)\b"
_AFTER_BEFORE = r"(?:after|before|from|around|about|at|by|until|till|til|between|not before|no earlier than|no later than)"
_DAY_PART = r"(?:morning|afternoon|evening|night|lunch(?:\s?time)?|noon|midday)s?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|weekday|weekend)s?"
# an hour alone ("6", "2": the wait question's keypad answers) is no time: it needs am/pm, minutes or "after"
_EN_CLOCK = (rf"(?:{_AFTER_BEFORE}\s+{_CLOCK}(?:{_MERIDIEM})?|{_CLOCK}{_MERIDIEM}|{_HOUR}[:.][0-5]\d)"
             rf"(?:\s?(?:-|–|to|and)\s?{_CLOCK}(?:{_MERIDIEM})?)?")
_EN_TIME = re.compile(
    rf"\b(?:{_AFTER_BEFORE}\s+)?(?:{_EN_CLOCK}(?![\d:])(?!\s*(?:%|days?|weeks?|items?|orders?|minutes?|mins?|hours?|years?)\b)"
    rf"|(?:(?:this|tomorrow|in the|on|next|every|any|later this|early|late|{_WEEKDAY})\s+)*{_DAY_PART}"
    rf"|(?:on\s+|next\s+|this\s+)?{_WEEKDAY}|tonight|today|tomorrow|later(?: today| on)?|any ?time|whenever"
    rf"|(?:in|within) (?:an?|one|two|three|\d+) (?:hours?|hrs?|minutes?|mins?))(?!\w)",
    re.IGNORECASE)
_ZH_NUMBER = r"[0-9０-９一二三四五六七八九十两]+"
_ZH_AROUND = r"(?:以后|之后|后|以前|之前|前|左右|前后|之间|以内)"
_ZH_TIME = re.compile(
    rf"(?:今天|今晚|明天|明早|明晚|后天|下周[一二三四五六日天]?|这周[一二三四五六日天]?|本周[一二三四五六日天]?|周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天])?"
    rf"(?:早上|早晨|上午|中午|下午|傍晚|晚上|夜里|白天)?"
    rf"(?:{_ZH_NUMBER}\s*(?:点钟?|时|[:：]\s*[0-9０-９]{{2}})(?:半|一刻|{_ZH_NUMBER}分?)?"
    rf"(?:\s*(?:到|至|-|–|~)\s*(?:早上|上午|中午|下午|傍晚|晚上)?{_ZH_NUMBER}\s*(?:点钟?|时|[:：]\s*[0-9０-９]{{2}})(?:半|{_ZH_NUMBER}分?)?)?)?"
    rf"{_ZH_AROUND}?"
    r"|随时|任何时间|什么时候都(?:行|可以)")
# What else a message that only says when may hold: "please", "call me", "if possible", "is best", 请, 吧, 打给我.
_TIME_FILLER = re.compile(
    r"(?:please|pls|plz|thanks?|thank you|ok(?:ay)?|sure|yes|yeah|preferably|ideally|if possible|if you can|"
    r"(?:would|will|could) (?:be|work|suit)(?: me)?(?: best| better| fine| good| great)?|is (?:best|better|fine|good|ok|okay)|"
    r"(?:works|suits)(?: me)?(?: best| better)?|are (?:best|better|fine|good|ok|okay)|best|better|only|just|but|and|or|then|instead|sometime|some time|"
    r"the|a|any|for me|i'?m (?:free|available|home|back)|i am (?:free|available|home|back)|"
    r"(?:can|could|would) (?:you|someone|somebody|they|a colleague)|you can|(?:please )?(?:call|ring|phone|reach|contact)(?: me| us)?(?: back)?|"
    r"give me a (?:call|ring)|a call(?: back)?|call-?back|free|available|"
    r"请|麻烦|吧|再|给我|打给我|打电话给我|给我打电话|打电话|回电|回电话|联系我|都可以|都行|可以|比较好|最好|方便|"
    r"有空|谢谢|好的|好|的话|在|的|时候|时间|了|我|呢|哦|啊|嗯|"
    r"[\s,，.。!！;；:：~、\-–—()（）])+",
    re.IGNORECASE)
# Words that make the message something else than a time to call: a refusal, a question, anything about opening hours.
_NOT_A_CALL_TIME = re.compile(
    r"[?？]|吗|\b(?:don'?t|do not|never|not|no)\b(?! (?:earlier|later) than| before)|不要|别|不用|"
    r"\b(?:open|close[sd]?|opening|hours|deliver\w*|arrive\w*|ship\w*|refund\w*|return\w*)\b|营业|开门|关门|送|到货|发货|退",
    re.IGNORECASE)
#: Longer messages are not read as a time alone.
MAX_CALL_TIME_CHARS = 60


def call_time(text: Optional[str]) -> Optional[str]:
    """When the customer wants to be called, if ``text`` says that and nothing else: "after 6pm please",
    "tomorrow morning", "between 2 and 4pm", "请下午六点以后再打给我" (a fresh new user's finding: "after 6pm please",
    given while a call-back was arranged, was also answered with the opening hours). The time is the part of the
    message from its first time word to its last ("after 6pm", "下午六点以后"); a message with anything else in it —
    a question ("are you open after 6pm?"), a refusal ("don't call me after 6pm"), a number, a report — is None.

    Args:
        text: the customer's message, or None.

    Returns:
        The time as the customer wrote it (trimmed), or None.
    """
    text = (text or "").strip()
    if not text or len(text) > MAX_CALL_TIME_CHARS or _NOT_A_CALL_TIME.search(text) or contact_in(text)["phone"]:
        return None
    spans = [(m.start(), m.end()) for pattern in (_EN_TIME, _ZH_TIME) for m in pattern.finditer(text)
             if m.group(0).strip() and not re.fullmatch(_ZH_AROUND, m.group(0).strip())]  # "后" alone is no time
    if not spans:
        return None
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    if _TIME_FILLER.sub("", rest).strip():
        return None
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    return text[start:end].strip(" ,，.。!！")
