"""Bot replies rendered for the ear: plain speakable text and SSML, pure functions.

Web replies carry markdown, links, emoji and buttons; on the phone those are
noise or unreadable. ``speakable`` strips them, ``shorten`` keeps the first
sentences of a long answer, ``options_prompt`` turns buttons into "say or
press 1 for …", and ``to_ssml`` builds the document with ElementTree (text
goes in through ``xml_text`` and is escaped, so customer words echoed by the
bot can never break it) and marks order numbers, codes, times and dates with
``<say-as>``.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from bot.nlu.language import detect_language
from bot.text import markdown_to_text
from connectors.xml_text import xml_text

SSML_NS = "http://www.w3.org/2001/10/synthesis"
# A piece of SSML content: text (escaped when written) or a ``<say-as>`` element.
Piece = Union[str, ET.Element]


VOICES = {"en": {"xml_lang": "en-US", "espeak": "en", "hint": "en-US-female"},
          "zh": {"xml_lang": "zh-CN", "espeak": "cmn", "hint": "zh-CN-female"}}

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|`+|~~)")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+", re.MULTILINE)
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U0001F1E6-\U0001F1FF"
    "\u2B00-\u2BFF\u200d\ufe0e\ufe0f\u20e3\u2300-\u23ff]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A range: 9–18, 9:00–18:00, Mon–Fri, 周一—周五 ("to"). An en/em dash anywhere else is a pause (a comma).
_EN_DAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?"
_ZH_DAY = r"(?:周|星期)[一二三四五六日天]"
_RANGE_END = re.compile(rf"(?:\d|(?<![a-z]){_EN_DAY}|{_ZH_DAY})$", re.I)
_RANGE_START = re.compile(rf"^(?:\d|{_EN_DAY}(?![a-z])|{_ZH_DAY})", re.I)
_DASH = re.compile(r"\s*[–—]+\s*")
# Masked contacts (bot.customers.otp.mask_destination): "e***@example.com", "•••• 2222", their stars
# escaped when a response echoes them (bot/nlg.py: "e\*\*\*@example.com"). Stars and bullets are not
# spoken, and 2222 would be "two thousand two hundred…": said the way a person says them.
_MASKED_EMAIL = re.compile(r"(?<![\w.])([A-Za-z0-9._%+\-]{1,3})(?:\\?\*)+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
# A number shown partly hidden (bot.privacy.masking.shown_phone): "139****9000" (a Chinese mobile's first three
# and last four digits), "+44 ****3456" (the country code and the last four), "•••• 2222" (the last four).
# Said as a person says it: "the number starting 1 3 9 and ending 9 0 0 0", digits one by one, never the
# first digits as a number ("one hundred thirty-nine") nor the stars (a fresh new user's finding).
_MASKED_PHONE = re.compile(
    r"(?<![\w+])(?:(?P<plus>\+)?(?P<first>\d{1,4})\s?)?(?:\\?[•*·]){2,}\s*(?P<last>\d{2,4})\b")
MASKED_EMAIL = {"en": "the e-mail starting with {first} at {domain}", "zh": "以 {first} 开头、艾特 {domain} 的邮箱"}
MASKED_PHONE = {"en": "the number ending {last}", "zh": "尾号 {last} 的号码"}
MASKED_PHONE_BOTH = {"en": "the number starting {first} and ending {last}", "zh": "以 {first} 开头、{last} 结尾的号码"}
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")

MORE = {"en": "Want more details?", "zh": "需要了解更多吗？"}
WEBSITE = {"en": "our website", "zh": "我们的网站"}
RANGE_WORD = {"en": " to ", "zh": "到"}


def language_of(text: str, default: str = "en") -> str:
    """The voice of a reply: ``zh`` when it is Chinese by ``bot.nlu.language.detect_language`` (the one
    script rule), else the call's language ``default`` (``en`` if it has no voice).

    Latin words in a Chinese call stay with the Chinese voice (it reads them; an English
    voice cannot read Chinese characters at all), so only a Chinese text switches the voice.
    """
    if detect_language(text) == "zh":
        return "zh"
    return default if default in VOICES else "en"


def speakable(text: str, lang: str = "en") -> str:
    """Markdown (``bot.text.markdown_to_text``, links by their label), URLs, emoji and control
    characters out; lines into sentences."""
    text = _CONTROL.sub("", text or "")
    text = voice_masks(text, lang)  # before the markdown: a mask's stars are not emphasis
    text = markdown_to_text(text, keep_urls=False)
    text = _URL.sub(WEBSITE.get(lang, WEBSITE["en"]), text)
    text = _EMOJI.sub("", text)
    text = _BULLET.sub("", text)  # markdown_to_text's "•" bullets and numbered lists are not read out
    text = _EMPHASIS.sub("", text)
    text = _dashes(text, lang)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined: List[str] = []
    for line in lines:
        if joined and not re.search(r"[.!?。！？:：;；,，]$", joined[-1]):
            joined[-1] += "。" if lang == "zh" else "."
        joined.append(line)
    separator = "" if lang == "zh" else " "
    return re.sub(r"[ \t]{2,}", " ", separator.join(joined)).strip()


def voice_masks(text: str, lang: str = "en") -> str:
    """Masked contacts in words: ``e***@example.com`` → "the e-mail starting with e at example dot com",
    ``•••• 2222`` → "the number ending 2 2 2 2", ``139****9000`` → "the number starting 1 3 9 and ending
    9 0 0 0", ``+44 ****3456`` → "the number starting plus 4 4 and ending 3 4 5 6" (Chinese: 以 e 开头、艾特
    example 点 com 的邮箱, 尾号 2 2 2 2 的号码, 以 1 3 9 开头、9 0 0 0 结尾的号码, 以加 4 4 开头、3 4 5 6 结尾的号码).
    """
    lang = lang if lang in MASKED_EMAIL else "en"
    dot = " dot " if lang == "en" else " 点 "

    def email(match: "re.Match[str]") -> str:
        first = " ".join(match.group(1))
        return MASKED_EMAIL[lang].format(first=first, domain=dot.join(match.group(2).split(".")))

    def phone(match: "re.Match[str]") -> str:
        last = _spaced(match.group("last"))
        if not match.group("first"):
            return MASKED_PHONE[lang].format(last=last)
        first = (PLUS[lang].strip() + " " if match.group("plus") else "") + _spaced(match.group("first"))
        return MASKED_PHONE_BOTH[lang].format(first=first, last=last)

    return _MASKED_PHONE.sub(phone, _MASKED_EMAIL.sub(email, text))


def _dashes(text: str, lang: str) -> str:
    """En/em dashes: "to" in a range of numbers or days, a pause between words."""
    def one(match: "re.Match[str]") -> str:
        if _RANGE_END.search(text[:match.start()]) and _RANGE_START.match(text[match.end():]):
            return RANGE_WORD.get(lang, " to ")
        return "，" if lang == "zh" else ", "
    return _DASH.sub(one, text)


def sentences(text: str) -> List[str]:
    """``text`` split after each ``.!?`` or ``。！？``, blank parts dropped."""
    return [s for s in _SENTENCE.split(text) if s.strip()]


def shorten(text: str, lang: str = "en", max_chars: Optional[int] = None,
            keep: int = 2) -> Tuple[str, str]:
    """(what to say now, the rest) — long answers keep their first sentences."""
    limit = max_chars or (90 if lang == "zh" else 240)
    if len(text) <= limit:
        return text, ""
    parts = sentences(text)
    if len(parts) <= keep:
        return text, ""
    separator = "" if lang == "zh" else " "
    head = separator.join(parts[:keep]).strip()
    rest = separator.join(parts[keep:]).strip()
    return f"{head}{separator}{MORE.get(lang, MORE['en'])}", rest


def options_prompt(buttons: Iterable[dict], lang: str = "en") -> Tuple[str, Dict[str, str]]:
    """Buttons as a spoken menu and the DTMF digit → payload map (at most 9)."""
    menu: Dict[str, str] = {}
    spoken: List[str] = []
    for digit, button in zip("123456789", buttons):
        title = speakable(str(button.get("title", "")), lang).rstrip(".。")
        payload = button.get("payload")
        if not title or not payload:
            continue
        menu[digit] = str(payload)
        if lang == "zh":
            spoken.append(f"{title}请按{digit}")
        elif not spoken:
            spoken.append(f"Say or press {digit} for {title}")
        else:
            spoken.append(f"{digit} for {title}")
    if not spoken:
        return "", {}
    if lang == "zh":
        return "您可以直接说出选项，或者" + "，".join(spoken) + "。", menu
    return ", ".join(spoken) + ".", menu


def _spaced(digits: str) -> str:
    return " ".join(digits)


_SPECIAL = re.compile(
    r"(?P<order>\bQX[-\s]?(?P<order_digits>\d{6})\b)"
    r"|(?P<date>\b\d{4}-\d{2}-\d{2}\b)"
    r"|(?P<time>\b(?:[01]?\d|2[0-3]):[0-5]\d\b)"
    r"|(?P<phone>\+\d[\d -]{6,}\d)"
    r"|(?P<code>\b[A-Z]{2,4}\d{6,}\b)",
    re.IGNORECASE,
)


def say_as(interpret_as: str, text: str, format: Optional[str] = None) -> ET.Element:
    """A ``<say-as>`` element (text made XML-safe)."""
    element = ET.Element("say-as", {"interpret-as": interpret_as})
    if format:
        element.set("format", format)
    element.text = xml_text(text)
    return element


def _mark(match: "re.Match[str]") -> List[Piece]:
    if match.group("order"):
        return [say_as("characters", "QX"), " ", say_as("digits", _spaced(match.group("order_digits")))]
    if match.group("date"):
        return [say_as("date", match.group("date"), "ymd")]
    if match.group("time"):
        return [say_as("time", match.group("time"), "hms24")]
    if match.group("phone"):
        return [say_as("telephone", match.group("phone"))]
    return [say_as("characters", match.group("code"))]


def ssml_body(text: str) -> List[Piece]:
    """The inside of ``<speak>`` for ``text``: text pieces and ``<say-as>`` marks, in order.

    Characters XML forbids are dropped first; pieces are escaped only when the
    document is written (:func:`speak_document`), never formatted into markup.
    """
    text = xml_text(text or "")
    out: List[Piece] = []
    position = 0
    for match in _SPECIAL.finditer(text):
        out.append(text[position:match.start()])
        out.extend(_mark(match))
        position = match.end()
    out.append(text[position:])
    return [piece for piece in out if not isinstance(piece, str) or piece]


def append_pieces(parent: ET.Element, pieces: Sequence[Piece]) -> ET.Element:
    """Append text and elements to ``parent`` as mixed content (text as ``.text``/``.tail``)."""
    for piece in pieces:
        if isinstance(piece, str):
            piece = xml_text(piece)
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + piece
            else:
                parent.text = (parent.text or "") + piece
        else:
            copy = ET.Element(piece.tag, dict(piece.attrib))
            copy.text = piece.text
            append_pieces(copy, list(piece))
            parent.append(copy)
            if piece.tail:
                append_pieces(parent, [piece.tail])
    return parent


def to_ssml(text: str, lang: str = "en") -> str:
    """A complete SSML 1.0 document for already speakable text."""
    return speak_document(ssml_body(text), lang)


def speak_document(pieces: Sequence[Piece], lang: str = "en") -> str:
    """``<speak>`` around pieces from :func:`ssml_body` / :func:`phone_digits`, serialised by ElementTree."""
    xml_lang = VOICES.get(lang, VOICES["en"])["xml_lang"]
    root = ET.Element("speak", {"version": "1.0", "xmlns": SSML_NS, "xml:lang": xml_lang})
    return ET.tostring(append_pieces(root, pieces), encoding="unicode")


PLUS = {"en": "plus ", "zh": "加"}


def phone_digits(number: str, lang: str = "en") -> List[Piece]:
    """A phone number read digit by digit: ``+8613800138000`` → plus ``<say-as digits>8 6 1 3 …``."""
    digits = re.sub(r"\D", "", number or "")
    plus = PLUS.get(lang, PLUS["en"]) if (number or "").strip().startswith("+") else ""
    return ([plus] if plus else []) + [say_as("digits", _spaced(digits))]


def prompt_content(document: str) -> Tuple[str, List[ET.Element]]:
    """The leading text and the child elements of a ``<speak>`` document, without the SSML namespace.

    For VoiceXML ``<prompt>``, whose SSML elements live in the VoiceXML
    namespace. Elements keep their tails.
    """
    root = ET.fromstring(document)

    def plain(element: ET.Element) -> ET.Element:
        copy = ET.Element(element.tag.rsplit("}", 1)[-1], {k: v for k, v in element.attrib.items()})
        copy.text, copy.tail = element.text, element.tail
        copy.extend(plain(child) for child in element)
        return copy

    return root.text or "", [plain(child) for child in root]
