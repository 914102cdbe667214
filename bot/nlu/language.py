"""Which language a text is written in: Chinese script versus Latin script, one rule for every reader.

The rule (:func:`detect_language`): the dominant script wins, one English word
weighing as much as two Chinese characters (a Chinese word is one to two
characters long on average), identifiers (order numbers, e-mails, URLs) and
digits counting for nothing; a text without either script keeps the caller's
``default``. "How do I 退货 please, it is broken" is English; "我的order到哪了"
is Chinese; "QX-123456" is neither.

The NLU (``bot.nlu.extractors``), the emotion model (``bot.nlu.emotion``:
which calibration and sentiment library apply) and the phone voice
(``connectors.ivr.ssml.language_of``) all read a text's language here.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional, Tuple

from bot.orders.model import ORDER_NUMBER_PATTERN
from bot.text import HAN, compile_guarded

# Identifiers are not language: order numbers, e-mails, URLs; nor is markup pasted into a message ("<svg
# onload=…> 我要人工客服" is Chinese: a fresh new user's finding, issue 11 sixteenth pass).
_URLS_AND_TAGS = r"https?://\S+|www\.\S+|</?[A-Za-z][^<>]{0,200}>"
IDENTIFIERS_SOURCE = ORDER_NUMBER_PATTERN.pattern + r"|\S+@\S+|" + _URLS_AND_TAGS

# The same matches in linear time (issue 11, session 41). Written as one `re` pattern, the e-mail branch `\S+@\S+` was
# tried from every position of a run without spaces and read to the run's end from each: 4,000 Chinese characters took
# 89 ms, and every message is read here at least twice. An e-mail can only start inside a run holding an "@" with a
# character on each side, before the run's last such "@", and then runs to the run's end; so the runs are found once
# (`_EMAIL_RUN`, tried at run starts only) and merged with the other branches' matches (`_IDENTIFIERS_BUT_EMAIL`) as the
# one pattern's leftmost-first search would: at the same position an order number comes before an e-mail, an e-mail
# before a URL or a tag. A first rewrite with the `regex` module's `\G` was still quadratic on many short matches in one
# run (a fresh reviewer's finding, helper-203, whose merge this is). `tests/unit/test_language_identifiers.py` compares
# it with the one pattern, `IDENTIFIERS_SOURCE`.
_IDENTIFIERS_BUT_EMAIL = re.compile(ORDER_NUMBER_PATTERN.pattern + "|" + _URLS_AND_TAGS)
_EMAIL_RUN = re.compile(r"(?<!\S)\S+@\S+")


def _identifier_spans(text: str) -> Iterator[Tuple[int, int]]:
    """The ``(start, end)`` of each match of ``IDENTIFIERS_SOURCE`` in ``text``, in order, as ``re``'s ``finditer``
    finds them, in time linear in the text's length."""
    if "@" not in text:
        yield from (found.span() for found in _IDENTIFIERS_BUT_EMAIL.finditer(text))
        return
    # each run that holds an e-mail: (start, end, its last "@" with a character after it); an e-mail starts at q in it
    # exactly when start <= q < that "@"
    runs = [(m.start(), m.end(), text.rfind("@", m.start() + 1, m.end() - 1)) for m in _EMAIL_RUN.finditer(text)]
    run, position, other, searched = 0, 0, None, False
    while True:
        if not searched or (other is not None and other.start() < position):
            other, searched = _IDENTIFIERS_BUT_EMAIL.search(text, position), True
        while run < len(runs) and runs[run][2] <= position:
            run += 1
        email = max(runs[run][0], position) if run < len(runs) else None
        if email is not None and (other is None or email < other.start()
                                  or (email == other.start() and other.group(1) is None)):  # group 1: an order number
            yield email, runs[run][1]
            position = runs[run][1]
        elif other is not None:
            yield other.span()
            position = other.end()
        else:
            return


LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:'[A-Za-z]+)?")

# A Chinese word is one to two characters long on average; one English word
# weighs as much as two Chinese characters so "我的order到哪了" stays Chinese
# and "How do I 退货" stays English.
LATIN_WORD_WEIGHT = 2.0

# A lone Latin word this short ("ok", "x", "hi") is typed by Chinese customers too: it keeps the
# conversation's language, like a bare order number.
NEUTRAL_WORD_LETTERS = 2

def strip_identifiers(text: str) -> str:
    """``text`` with its identifiers (order numbers, e-mail addresses, URLs, markup tags) replaced by spaces: what is
    left is language (``detect_language``) or mood (``bot.handover.triage.bare_details``).

    Args:
        text: any text (None reads as empty).

    Returns:
        The text without identifiers.
    """
    text = text or ""
    pieces, last = [], 0
    for start, end in _identifier_spans(text):
        pieces += [text[last:start], " "]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def has_identifier(text: str) -> bool:
    """True when ``text`` holds an order number, an e-mail address or a URL.

    Args:
        text: any text (None reads as empty).

    Returns:
        True or False.
    """
    return next(_identifier_spans(text or ""), None) is not None


def detect_language(text: str, default: Optional[str] = None) -> Optional[str]:
    """``"zh"`` or ``"en"`` by dominant script (see the module docstring); ``default`` when there is no script.

    A bare order number, a phone number, an emoji or a lone word of at most
    ``NEUTRAL_WORD_LETTERS`` letters ("ok", "x") says nothing about the
    language, so the caller keeps whatever it knew before.

    Args:
        text: the message.
        default: what to return when the text has no letters of either script.

    Returns:
        ``zh``, ``en`` or ``default``.
    """
    stripped = strip_identifiers(text)
    han = len(HAN.findall(stripped))
    words = LATIN_WORD.findall(stripped)
    latin = len(words) * LATIN_WORD_WEIGHT
    if han == 0 and (latin == 0 or (len(words) == 1 and len(words[0]) <= NEUTRAL_WORD_LETTERS)):
        return default
    return "zh" if han >= latin else "en"


# session 29 (a new user's probe: "Can you speak English please" went to the human queue, 能用中文吗 got the payment FAQ,
# "Do you speak Chinese?" was answered in English): a customer who asks the bot to use a language is answered in it.
# Only the frames of asking the bot to use a language, not any mention of one ("Is the manual in Chinese?" stays English).
_LANGUAGE_NAME = {"zh": r"(chinese|mandarin|中文|汉语|普通话|华语)", "en": r"(english|英文|英语)"}
_ASKS_FOR_LANGUAGE = {
    code: compile_guarded(
        rf"\b(can|could|do|will|would) (you|u|we|i)( please)? (speak|talk|reply|write|answer|respond|chat|type|communicate|"
        rf"continue|carry on|help me|use)( to me| with me)?( in)? {name}\b"
        rf"|\b(please )?(speak|reply|write|answer|respond|talk|type|chat|continue|switch|change)( to me| with me)?( back)?"
        rf"( in| to| into)? {name}( please| pls| plz)?\W*$"
        rf"|^\W*(in )?{name}( please| pls| plz)?\W*$|\b(in|to) {name},? (please|pls|plz)\W*$|\b{name} (please|pls|plz)\W*$"
        rf"|(能|可以|会|能不能|可不可以|会不会|麻烦|请)?(你|您)?(说|讲|用|换成?|切换(到|成)?|改成?|回复|回答|打)(一下)?{name}"
        rf"(回复|回答|交流|沟通|聊|说|吗|嘛|么|吧|行吗|可以吗|好吗)?[\W吗嘛么吧]*$"
        rf"|^\W*{name}(可以|行|能)?(吗|嘛|么)?[\W]*$|有{name}(客服|服务)(吗|嘛|么)?\W*$",
        re.IGNORECASE)
    for code, name in _LANGUAGE_NAME.items()
}


def requested_language(text: str) -> Optional[str]:
    """The language a message asks the bot to use ("Can you speak English please", "Do you speak Chinese?", 请说英文,
    能用中文吗, "English please"), or None when it asks for none. A language merely mentioned ("Is the manual in
    Chinese?", "my English order") asks for nothing.

    Args:
        text: the message (None reads as empty).

    Returns:
        ``"zh"``, ``"en"`` or None (None too when it names both).
    """
    found = [code for code, pattern in _ASKS_FOR_LANGUAGE.items() if pattern.search(text or "")]
    return found[0] if len(found) == 1 else None
