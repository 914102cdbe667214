"""Bot replies rendered for the ear: plain speakable text and SSML, pure functions.

Web replies carry markdown, links, emoji and buttons; on the phone those are
noise or unreadable. ``speakable`` strips them, ``shorten`` keeps the first
sentences of a long answer, ``options_prompt`` turns buttons into "say or
press 1 for …", and ``to_ssml`` escapes the text (customer words echoed by
the bot can never break the document) and marks order numbers, codes, times
and dates with ``<say-as>``.
"""
from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Tuple
from xml.sax.saxutils import escape

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

VOICES = {"en": {"xml_lang": "en-US", "espeak": "en", "hint": "en-US-female"},
          "zh": {"xml_lang": "zh-CN", "espeak": "cmn", "hint": "zh-CN-female"}}

_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]+)\)")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|`+|~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+", re.MULTILINE)
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U0001F1E6-\U0001F1FF"
    "\u2B00-\u2BFF\u200d\ufe0e\ufe0f\u20e3\u2300-\u23ff]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_RANGE_DASH = re.compile(r"(?<=[0-9A-Za-z])\s*[–—]\s*(?=[0-9A-Za-z])")  # 9–18, Mon–Fri
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")

MORE = {"en": "Want more details?", "zh": "需要了解更多吗？"}
WEBSITE = {"en": "our website", "zh": "我们的网站"}
RANGE_WORD = {"en": " to ", "zh": "到"}


def language_of(text: str, default: str = "en") -> str:
    """``zh`` when the reply is written in Chinese script, else ``default``/``en``."""
    if HAN.search(text or ""):
        return "zh"
    return default if default in VOICES else "en"


def speakable(text: str, lang: str = "en") -> str:
    """Markdown, URLs, emoji and control characters out; lines into sentences."""
    text = _CONTROL.sub("", text or "")
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(WEBSITE.get(lang, WEBSITE["en"]), text)
    text = _EMOJI.sub("", text)
    text = _HEADING.sub("", text)
    text = _BULLET.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _RANGE_DASH.sub(RANGE_WORD.get(lang, " to "), text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined: List[str] = []
    for line in lines:
        if joined and not re.search(r"[.!?。！？:：;；,，]$", joined[-1]):
            joined[-1] += "。" if lang == "zh" else "."
        joined.append(line)
    separator = "" if lang == "zh" else " "
    return re.sub(r"[ \t]{2,}", " ", separator.join(joined)).strip()


def sentences(text: str) -> List[str]:
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


def _mark(match: "re.Match[str]") -> str:
    if match.group("order"):
        return ('<say-as interpret-as="characters">QX</say-as> '
                f'<say-as interpret-as="digits">{_spaced(match.group("order_digits"))}</say-as>')
    if match.group("date"):
        return f'<say-as interpret-as="date" format="ymd">{match.group("date")}</say-as>'
    if match.group("time"):
        return f'<say-as interpret-as="time" format="hms24">{match.group("time")}</say-as>'
    if match.group("phone"):
        return f'<say-as interpret-as="telephone">{escape(match.group("phone"))}</say-as>'
    code = match.group("code")
    return f'<say-as interpret-as="characters">{escape(code)}</say-as>'


def ssml_body(text: str) -> str:
    """Escaped text with ``<say-as>`` marks (the inside of ``<speak>``)."""
    out: List[str] = []
    position = 0
    for match in _SPECIAL.finditer(text):
        out.append(escape(text[position:match.start()]))
        out.append(_mark(match))
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def to_ssml(text: str, lang: str = "en") -> str:
    """A complete SSML 1.0 document for already speakable text."""
    return speak_document(ssml_body(text), lang)


def speak_document(body: str, lang: str = "en") -> str:
    """``<speak>`` around an already escaped SSML body."""
    xml_lang = VOICES.get(lang, VOICES["en"])["xml_lang"]
    return (f'<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" '
            f'xml:lang="{xml_lang}">{body}</speak>')


PLUS = {"en": "plus ", "zh": "加"}


def phone_digits(number: str, lang: str = "en") -> str:
    """A phone number read digit by digit: ``+8613800138000`` → plus ``<say-as digits>8 6 1 3 …``."""
    digits = re.sub(r"\D", "", number or "")
    plus = PLUS.get(lang, PLUS["en"]) if (number or "").strip().startswith("+") else ""
    return f'{plus}<say-as interpret-as="digits">{_spaced(digits)}</say-as>'


def inner_ssml(document: str) -> str:
    """The content of a ``<speak>`` document produced by :func:`to_ssml`."""
    start = document.index(">") + 1
    end = document.rindex("</speak>")
    return document[start:end]
