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
from functools import lru_cache
from typing import Iterator, Optional, Tuple

from bot.orders.model import ORDER_NUMBER_PATTERN
from bot.privacy.scanner import EMAIL
from bot.text import HAN, compile_guarded, fold

# Identifiers are not language: e-mail addresses, order numbers, URLs; nor is markup pasted into a message ("<svg
# onload=…> 我要人工客服" is Chinese: a fresh new user's finding, issue 11 sixteenth pass).
# An e-mail address is what the privacy scanner masks and the NLU extracts (``bot.privacy.scanner.EMAIL``: ASCII name,
# domain, a top-level domain of letters), one definition for the project, and a URL is printable ASCII (session 42).
# Until then they were ``\S+@\S+`` and ``https?://\S+``, which took the Chinese typed before an address or after a
# link without a space for part of it: 你们太过分了！！！…联系我li.na@example.com lost its language (the bot answered in English)
# and its mood (``bare_details``), a fresh reviewer's finding (helper-205). E-mails are found as the scanner finds
# them (QX123456me@example.com is one address), and an identifier overlapping another is joined with it. Each pattern
# is read in time linear in the text's length: the e-mail's look-behind starts it at a name's first character only
# (session 41: ``\S+@\S+`` read a run without spaces to its end from each of its positions).
_LINKS_AND_TAGS = re.compile(r"https?://[!-~]+|www\.[!-~]+|</?[A-Za-z][^<>]{0,200}>")


@lru_cache(maxsize=256)  # pure on the text; the NLU, the emotion component and the hand-over each ask (session 42)
def _identifier_spans(text: str) -> Tuple[Tuple[int, int], ...]:
    """The ``(start, end)`` of each identifier in ``text``, in order, found on its folded form (``bot.text.fold``:
    full-width letters and digits, other scripts' digits, ``。`` as ``.``) as the privacy scanner finds them."""
    folded = fold(text)
    return tuple(folded.span(start, end) for start, end in _folded_spans(folded.text))


def _folded_spans(text: str) -> Iterator[Tuple[int, int]]:
    """The ``(start, end)`` of each identifier in folded ``text``, in order: every e-mail address (``EMAIL``), order
    number (``ORDER_NUMBER_PATTERN``), URL or tag (``_LINKS_AND_TAGS``), each found on its own as the scanner finds it,
    those that overlap joined into one (a link or a tag that holds an address is one identifier:
    ``<a href='mailto:li@example.com'>``; a fresh reviewer's finding, helper-206)."""
    found = [m.span() for m in EMAIL.finditer(text)] if "@" in text else []
    found += [m.span() for m in ORDER_NUMBER_PATTERN.finditer(text)]
    found = sorted(found + [m.span() for m in _LINKS_AND_TAGS.finditer(text)])
    start = end = -1
    for span_start, span_end in found:
        if span_start < end:
            end = max(end, span_end)
            continue
        if end > start:
            yield start, end
        start, end = span_start, span_end
    if end > start:
        yield start, end


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
    return bool(_identifier_spans(text or ""))


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
