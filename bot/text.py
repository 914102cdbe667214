"""Text helpers, each defined once: folding, script detection, phone numbers, markdown, UTC time.

- :func:`fold` / :func:`fold_text`: full-width and look-alike characters to
  plain ASCII, with a map back to the original (below).
- :data:`HAN`, :data:`HAN_RUN`, :func:`has_han`: Chinese script detection.
- :data:`EN_DIGITS`, :data:`EN_REPEAT`, :data:`ZH_DIGITS`: digits as a speech recogniser writes
  them (the voice normaliser ``bot.nlu.spoken`` and card masking ``bot.privacy`` read them).
- :func:`normalise_phone`, :func:`is_e164`, :func:`find_phones`, :func:`phone_in`,
  :func:`keyed_phone`: phone numbers through ``phonenumbers``; :func:`callback_refusal`: whether a
  colleague may call one back (valid, and a mobile or fixed line).
- :data:`ORDER_NUMBER_PATTERN`, :func:`find_order_numbers`, :func:`normalise_order_number`,
  :func:`order_number_of`: order numbers (``QX-123456``), for the orders and the queue's search.
- :func:`markdown_to_text`: what a web client would render, as plain text.
- :func:`markdown_literal`: a value (a customer's words) put into the bot's markdown as literal text.
- :func:`show_bidi_controls`, :func:`show_bidi_controls_in`: bidirectional control characters made visible
  (``[U+202E]``) for the agent desk.
- :func:`utcnow`, :func:`as_utc`: aware UTC datetimes.
- :func:`compile_guarded`, :func:`first_char_guard`: a pattern searched faster, same matches.

Folding text for pattern matching, with a map back to the original.

Chinese input methods type full-width forms (``１３８…``, ``＠``, ``．``,
``ＱＸ－１２３４５６``, the ideographic space), phones paste non-breaking
spaces and typographic dashes, and a zero-width space hides nothing from a
person but everything from a regular expression. Every detector (intake facts,
PII masking, order numbers) runs on :func:`fold` output, so all of them see the
same plain ASCII forms.

What is folded, character by character (so each folded character knows the
original character it came from):

- the full-width and half-width forms block U+FF00–U+FFEF and the small form
  variants U+FE50–U+FE6F: NFKC (``１``→``1``, ``Ａ``→``A``, ``＠``→``@``,
  ``．``→``.``, ``－``→``-``, ``￥``→``¥``, ``：``→``:``);
- every space separator (category Zs: U+3000, no-break and thin spaces): ``" "``;
- every decimal digit of any script (category Nd): its ASCII digit;
- typographic hyphens and dashes (U+2010–U+2015, U+2212): ``-``;
- the ideographic full stop ``。`` (typed for "." in Chinese mode,
  ``li@example。com``): ``.``;
- zero-width characters and the soft hyphen: removed.

NFKC is *not* applied elsewhere: it would turn ``①`` or ``²`` into digits and
``㍻`` into letters, creating numbers the customer never wrote.

Masking replaces spans of the **original** text (found on the folded text and
mapped back with :meth:`Folded.span`), so an agent reads the customer's own
wording and punctuation (``，`` stays a Chinese comma) with only PII replaced.
"""
from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Optional, Sequence

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType

try:  # Python 3.11+ (the old module names warn there)
    from re import _constants as sre_constants, _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants
    import sre_parse

ZERO_WIDTH = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff")
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
FULL_STOPS = frozenset("\u3002")


def fold_char(ch: str) -> str:
    """The folded form of one character: usually one character, ``""`` for zero-width ones.

    Args:
        ch: one character.

    Returns:
        The folded text of ``ch`` (empty, one character, or the ASCII form of a full-width one).
    """
    if ch < "\x80":
        return ch
    if ch in ZERO_WIDTH:
        return ""
    if ch in DASHES:
        return "-"
    if ch in FULL_STOPS:
        return "."
    code = ord(ch)
    if 0xFF00 <= code <= 0xFFEF or 0xFE50 <= code <= 0xFE6F:
        folded = unicodedata.normalize("NFKC", ch)
        return "." if folded in FULL_STOPS else folded
    category = unicodedata.category(ch)
    if category == "Zs":
        return " "
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    return ch


@dataclass(frozen=True)
class Folded:
    """Folded text plus, per folded character, the original span it came from.

    ``starts[i]``/``ends[i]`` are offsets into ``original`` for ``text[i]``.
    """

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``[start, end)`` (``end > start``).

        Characters removed by folding (zero-width) inside the span belong to it.

        Args:
            start: the first folded offset.
            end: the folded offset after the last.

        Returns:
            ``(start, end)`` offsets into ``original``.

        Raises:
            ValueError: the span is empty or outside the folded text.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad folded span {start}:{end} of {len(self.text)}")
        return self.starts[start], self.ends[end - 1]


def fold(text: str) -> Folded:
    """Fold ``text`` (see the module docstring); ASCII text comes back as is.

    Args:
        text: any text.

    Returns:
        The :class:`Folded` text with its offsets back into ``text``.
    """
    text = text or ""
    if text.isascii():
        offsets = range(len(text))
        return Folded(text, text, offsets, range(1, len(text) + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        out.append(folded)
        starts.extend([i] * len(folded))
        ends.extend([i + 1] * len(folded))
    return Folded(text, "".join(out), starts, ends)


def fold_text(text: str) -> str:
    """Just the folded string, for comparing or normalising a value.

    Args:
        text: any text.

    Returns:
        The folded string.
    """
    return fold(text).text


# --- order numbers -----------------------------------------------------------

#: ``QX-`` followed by 6 digits; customers also type ``qx123456``, ``QX 123456``,
#: ``QX-123 456``, an en/em dash or full-width characters (``ＱＸ－１２３４５６`` from Chinese
#: IMEs; matched on :func:`fold` output). Group 1 and 2: the two halves of the digits.
ORDER_NUMBER_PATTERN = re.compile(
    r"(?<![A-Za-z0-9])[Qq][Xx][\s\-_–—]?(\d{3})[\s\-]?(\d{3})(?!\d)"
)


def find_order_numbers(text: Optional[str]) -> list[tuple[int, int, str]]:
    """All order numbers in ``text``.

    Args:
        text: any text (None: none found).

    Returns:
        ``(start, end, "QX-123456")`` per number, offsets into the original (unfolded) text.
    """
    folded = fold(text or "")
    return [
        (*folded.span(m.start(), m.end()), f"QX-{m.group(1)}{m.group(2)}")
        for m in ORDER_NUMBER_PATTERN.finditer(folded.text)
    ]


def normalise_order_number(text: Optional[str]) -> Optional[str]:
    """The canonical form of the first order number in ``text``.

    Args:
        text: any text, or None.

    Returns:
        ``QX-123456``, or None when there is none.
    """
    found = find_order_numbers(text or "")
    return found[0][2] if found else None


def order_number_of(value: object) -> Optional[str]:
    """The canonical ``QX-123456`` when the whole of ``value`` (spaces around aside) is one order
    number in any form :data:`ORDER_NUMBER_PATTERN` reads (``ＱＸ－１２３４５６``, ``QX–123456``,
    ``qx 123 456``).

    Args:
        value: an order number as typed (any type).

    Returns:
        ``QX-123456``, or None (not a string, other text around it, 5 or 7 digits).
    """
    if not isinstance(value, str):
        return None
    match = ORDER_NUMBER_PATTERN.fullmatch(fold_text(value).strip())
    return f"QX-{match.group(1)}{match.group(2)}" if match else None


# --- script detection ------------------------------------------------------

#: One Han (Chinese) character: CJK unified ideographs, extension A, compatibility ideographs.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: A run of Han characters.
HAN_RUN = re.compile(HAN.pattern + "+")


def has_han(text: Optional[str]) -> bool:
    """Whether ``text`` holds any Chinese character (``None`` -> False).

    Args:
        text: any text, or None.

    Returns:
        True or False.
    """
    return bool(text) and HAN.search(text) is not None


# --- digits said aloud --------------------------------------------------------

#: English words a recogniser writes for one digit.
EN_DIGITS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "naught": "0", "nil": "0",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9", "niner": "9",
}
#: "double one" is 11, "triple nine" 999.
EN_REPEAT = {"double": 2, "triple": 3, "treble": 3}
#: Two digits said as one word, as people read a card number in pairs ("forty one eleven eleven …").
EN_TEENS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
    "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}
#: The first digit of a tens word: "forty" is 40, "forty one" or "forty-one" 41.
EN_TENS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7", "eighty": "8",
    "ninety": "9",
}
#: Chinese characters a recogniser writes for one digit (幺 for 1, 洞 for 0, 拐 for 7, 勾 for 9 on the phone).
ZH_DIGITS = {
    "零": "0", "〇": "0", "洞": "0", "幺": "1", "一": "1", "二": "2", "两": "2", "三": "3", "四": "4",
    "五": "5", "六": "6", "拐": "7", "七": "7", "八": "8", "九": "9", "勾": "9",
}


# --- phone numbers ---------------------------------------------------------

def phone_region(environ: Optional[dict] = None) -> str:
    """The country of phone numbers written without a country code: ``PHONE_REGION`` from the environment
    (a ``phonenumbers`` region code such as ``GB`` or ``US``, any case), else ``CN``.

    Chinese customers write national numbers (13812345678, 010-6552 9988); a deployment whose customers write
    their own national form (a UK company's "07700 900123") sets ``PHONE_REGION=GB``. Numbers in international
    form (+44 …, or 00 44 … where 00 is the region's international prefix) are read whatever the region.

    Args:
        environ: the environment to read (default ``os.environ``).

    Returns:
        An upper-case region code that ``phonenumbers`` supports.

    Raises:
        ValueError: ``PHONE_REGION`` is set to a code ``phonenumbers`` does not know (a typo would otherwise read
            every customer's number in the wrong country).
    """
    import os

    value = ((os.environ if environ is None else environ).get("PHONE_REGION") or "CN").strip().upper()
    if value not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"PHONE_REGION={value!r} is not a region phonenumbers knows (e.g. CN, GB, US)")
    return value


# Region for numbers written without a country code (PHONE_REGION, default CN).
DEFAULT_REGION = phone_region()
INTERNATIONAL_PREFIX = re.compile(r"[\s(\[]*(?:\+|00[1-9])")


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 (``+447700900111``) for a phone number as :func:`find_phones` accepts it.

    ``0044 7700 900111``, ``+44 7700 900111`` and ``＋４４ ７７００ ９００１１１``
    all give ``+447700900111``; a bare Chinese mobile ``138-1234-5678`` gives
    ``+8613812345678`` (``region`` is the country of numbers written without a
    country code). Anything else (not a valid national number, nor a possible
    number in international form) comes back as its digits and a leading
    ``+``, so comparisons stay stable. Never raises.

    Args:
        raw: a phone number as typed or stored.
        region: the country of numbers without a country code (``phonenumbers`` region, default ``CN``).

    Returns:
        The E.164 string; otherwise the folded value with everything but digits and ``+`` removed.
    """
    folded = fold(raw or "").text
    try:
        number = phonenumbers.parse(folded, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number) and (
        phonenumbers.is_valid_number(number) or INTERNATIONAL_PREFIX.match(folded)
    ):
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return re.sub(r"[^\d+]", "", folded)


_E164 = re.compile(r"\+[1-9]\d{6,14}")


def is_e164(value: Optional[str]) -> bool:
    """Whether ``value`` is already a possible phone number in E.164 form (as :func:`normalise_phone` writes it).

    ``+`` and 7-15 digits, the first not 0, that :func:`normalise_phone` leaves as
    they are: ``+447700900111`` yes; ``+123``, ``00447700900111``, ``+44 7700 900111`` no.

    Args:
        value: a string, or None.

    Returns:
        True or False.
    """
    return bool(value) and _E164.fullmatch(value) is not None and normalise_phone(value) == value


def find_phones(text: str, region: str = DEFAULT_REGION) -> list[tuple[int, int, str]]:
    """Phone numbers in (folded, see :func:`fold`) ``text`` as (start, end, E.164), in order.

    ``PhoneNumberMatcher`` with leniency POSSIBLE, keeping a match if it is a
    *valid* number (national numbers: ``13812345678``, ``010 6552 9988``) or
    written in international form (``+``/``00``: the prefix itself says
    "phone"; metadata marks reserved ranges such as UK 07700 900xxx invalid,
    and customers still type them). VALID leniency alone would miss those and
    numbers touching Latin letters (``tel13812345678``); POSSIBLE alone would
    call any 5–17 digit run a phone. A second pass with VALID recovers valid
    numbers inside a longer candidate that POSSIBLE accepted and we refused.
    ``region``: the country of numbers written without a country code. Never raises.

    Args:
        text: any text.
        region: the country of numbers without a country code (default ``CN``).

    Returns:
        ``(start, end, E.164)`` tuples, offsets into ``text``.
    """
    if sum(ch.isdigit() for ch in text) < 6:
        return []
    found: list[tuple[int, int, str]] = []

    def add(match) -> None:
        if any(match.start < e and s < match.end for s, e, _ in found):
            return
        found.append((match.start, match.end, phonenumbers.format_number(match.number, PhoneNumberFormat.E164)))

    for match in PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
        if phonenumbers.is_valid_number(match.number) or INTERNATIONAL_PREFIX.match(match.raw_string):
            add(match)
    for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
        add(match)
    return sorted(found)


def phone_in(text: Optional[str]) -> Optional[str]:
    """The first phone number in ``text`` in E.164, as :func:`find_phones` finds it on the folded text; else None.

    The one finder for a number typed in chat, a caller id and digits spoken on
    a call, and the one intake uses: ``0044 7700 900111`` → ``+447700900111``,
    ``+1 (201) 555-0123`` → ``+12015550123``, ``(010) 6552 9988`` →
    ``+861065529988``, ``13512345678#`` → ``+8613512345678``; ``order 123456
    ok`` → None (six digits are no phone number). Never raises.

    Args:
        text: any text, or None.

    Returns:
        The E.164 number, or None.
    """
    found = find_phones(fold_text(text or ""))
    return found[0][2] if found else None


#: The kinds of number (``phonenumbers.PhoneNumberType``) a colleague calls back: a person's own line.
#: phonenumbers' documentation of the types (phonenumberutil.PhoneNumberType, from libphonenumber's
#: ``PhoneNumberUtil.PhoneNumberType``): FIXED_LINE, MOBILE and FIXED_LINE_OR_MOBILE ("in some regions
#: (e.g. the USA), it is impossible to distinguish between fixed-line and mobile numbers") are the
#: personal lines. Refused: PREMIUM_RATE (``+1 900 …``: whoever owns it is paid for our call, the toll fraud
#: an anonymous chat could run), SHARED_COST ("the cost of this call is shared between the caller and the
#: recipient"), TOLL_FREE (a company's free-phone line, not the customer's), UAN ("Universal Access
#: Numbers or Company Numbers … routed to specific offices"), PERSONAL_NUMBER (a forwarding number, UK 070,
#: charged like premium rate), VOIP (a number rented on line and routed anywhere), PAGER, VOICEMAIL
#: ("Voice Mail Access Numbers") and UNKNOWN ("does not fit any of the known patterns").
CALLBACK_TYPES = frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
                            PhoneNumberType.FIXED_LINE_OR_MOBILE})
#: :func:`callback_refusal`'s answers: no such number (``+44 7700 900123``: reserved for drama), or one
#: of a kind we do not call (premium rate, shared cost, free-phone, company, forwarding, VoIP, pager,
#: voicemail).
NOT_A_NUMBER, NOT_A_PERSONAL_LINE = "invalid", "not_personal"


def callback_refusal(number: Optional[str]) -> Optional[str]:
    """Why a colleague must not call ``number`` back, or None when it is a person's own line.

    A call-back is made to a number phonenumbers says is *valid* (its metadata, not only the length:
    ``+44 7700 900123`` is in a range reserved for drama and invalid) and of one of
    :data:`CALLBACK_TYPES` (mobile or fixed line; ``+1 900 555 0100`` is premium rate).

    Args:
        number: the number as :func:`phone_in` or :func:`normalise_phone` writes it (E.164), or None.

    Returns:
        None (call it), :data:`NOT_A_NUMBER` or :data:`NOT_A_PERSONAL_LINE`.
    """
    try:
        parsed = phonenumbers.parse(fold(number or "").text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return NOT_A_NUMBER
    if not phonenumbers.is_valid_number(parsed):
        return NOT_A_NUMBER
    return None if phonenumbers.number_type(parsed) in CALLBACK_TYPES else NOT_A_PERSONAL_LINE


_KEYED_DIGITS = re.compile(r"\d{6,15}")


def keyed_phone(digits: Optional[str]) -> Optional[str]:
    """A number to call back from digits keyed on a telephone keypad (DTMF), else None.

    :func:`phone_in` first; keypad input has no spaces, brackets nor ``+`` to say
    "phone", so 6-15 bare digits it does not recognise (a local number without an
    area code, ``5550123``) are kept as :func:`normalise_phone` writes them
    (``5550123``): the caller keyed them on purpose after being asked for a
    number. A trailing ``#``/``*`` (the keypad's "done") is ignored. Only for
    keypad input: in chat text, ``order 123456`` must not become a phone. Never raises.

    Args:
        digits: the keyed digits (``#`` and ``*`` allowed), or None.

    Returns:
        The number as :func:`phone_in` or :func:`normalise_phone` writes it (E.164 when it parses), or None.
    """
    keyed = (digits or "").strip().rstrip("#*")
    number = phone_in(keyed)
    if number is None and _KEYED_DIGITS.fullmatch(keyed):
        number = normalise_phone(keyed)
    return number

# --- bidirectional controls ------------------------------------------------

#: Characters that change the order text is displayed in without being seen: the embeddings and overrides
#: U+202A–U+202E, the isolates U+2066–U+2069, the marks U+200E/U+200F and the Arabic letter mark U+061C.
#: "invoice_\u202efdp.exe" is shown as "invoice_exe.pdf", an order number backwards.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def show_bidi_controls(text: str) -> str:
    """``text`` with each bidirectional control character written as a visible marker (``[U+202E]``), so
    what a customer sent reads in the order it was typed (a fresh new user and attacker's finding: a file
    name or an order number shown backwards on the agent desk). The stored text keeps the characters.

    Args:
        text: any text.

    Returns:
        The text, each control replaced by ``[U+XXXX]``.
    """
    if not BIDI_CONTROLS.search(text):
        return text
    return BIDI_CONTROLS.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)


def show_bidi_controls_in(value: Any) -> Any:
    """:func:`show_bidi_controls` on every string in a JSON-shaped value (dicts, lists, tuples; keys too),
    except the values of identifier keys (``id``, ``*_id``: a conversation id the desk sends back in a URL
    must stay the stored one).

    Args:
        value: a JSON-shaped value.

    Returns:
        A copy where a string changed; the value itself otherwise.
    """
    if isinstance(value, str):
        return show_bidi_controls(value)
    if isinstance(value, dict):
        return {show_bidi_controls_in(k): v if _identifier_key(k) else show_bidi_controls_in(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [show_bidi_controls_in(item) for item in value]
    return value


def _identifier_key(key: Any) -> bool:
    return isinstance(key, str) and (key == "id" or key.endswith("_id"))


# --- markdown --------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1", re.S)
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)")
_CODE = re.compile(r"`([^`]*)`")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.M)


# Backslash escapes (CommonMark: any ASCII punctuation); kept aside as private-use characters while the
# patterns below run, so an escaped "[" or "*" is never a link or emphasis, then given back as the character.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_KEPT = re.compile("[\ue000-\ue07f]")
# What markdown_literal escapes: link, code, emphasis, strike-through and HTML/autolink marks (an "_" inside
# a word is never emphasis, so e-mail addresses keep theirs), a URL's "://" and "www." (auto-linked).
_MARKUP = re.compile(r"[\\`*\[\]<>~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_AUTOLINK = re.compile(r"(?<=:)//|(?<=\bwww)\.", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def markdown_literal(value: Any) -> str:
    """``value`` as markdown that shows it as written and never as a link or markup: the form a value the
    customer gave (an address, a name, an e-mail) takes when the bot's reply echoes it (bot.nlg).

    Link, code, emphasis and HTML marks get a backslash (CommonMark escapes, which the desk, the widget
    and :func:`markdown_to_text` take back out), so do the ``//`` of ``https://`` and the ``.`` of
    ``www.`` (auto-linked by markdown renderers); line breaks become one space (a value is echoed inside
    a sentence, so it cannot start a list or a heading).

    Args:
        value: any value; ``str(value)`` is escaped.

    Returns:
        The escaped text (the same text when it holds none of those marks).
    """
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _MARKUP.sub(r"\\\g<0>", text)
    return _AUTOLINK.sub(lambda m: "\\/\\/" if m.group(0) == "//" else "\\.", text)


def _keep_escaped(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)


def _give_back(text: str) -> str:
    return _KEPT.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text)


def markdown_to_text(text: str, keep_urls: bool = True) -> str:
    """Markdown a web client would render, as plain text a text-only channel shows as is.

    ``[label](url)`` -> ``label url`` (the URL alone when it is its own label);
    with ``keep_urls=False`` (voice: nobody can follow a spoken link) just
    ``label``. Bold, italic and code marks dropped; headings lose their ``#``;
    bullets become ``•``; a backslash-escaped character (:func:`markdown_literal`) is that character,
    never a mark. Surrounding white space is stripped.

    Args:
        text: Markdown as the bot's responses write it.
        keep_urls: keep link URLs beside their labels (False for voice).

    Returns:
        The plain text.
    """
    text = _keep_escaped(text)
    if keep_urls:
        text = _LINK.sub(lambda m: f"{m.group(1)} {m.group(2)}".strip() if m.group(1) != m.group(2) else m.group(2),
                         text)
    else:
        text = _LINK.sub(r"\1", text)
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _HEADING.sub("", text)
    text = _BULLET.sub(r"\1• ", text)
    return _give_back(text).strip()


# --- time ------------------------------------------------------------------

def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def as_utc(moment: Optional[datetime]) -> Optional[datetime]:
    """``moment`` with UTC attached if it is naive (SQLite hands back naive datetimes); None stays None.

    Args:
        moment: a datetime, or None.

    Returns:
        An aware datetime (the same instant when it was aware), or None.
    """
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def to_utc(moment: datetime) -> datetime:
    """``moment`` converted to UTC (a naive one is taken as UTC): an instant that binds the
    same on SQLite (text without zone) and PostgreSQL (timestamptz).

    Unlike :func:`as_utc`, an aware ``moment`` in another zone is converted, not kept.

    Args:
        moment: a datetime (naive is taken as UTC).

    Returns:
        The aware UTC datetime.
    """
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# ---- patterns with their first characters looked at first ------------------------------------------
_CATEGORY_CLASS = {
    sre_constants.CATEGORY_DIGIT: r"\d", sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s", sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w", sre_constants.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH_OPS = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
_REPEAT_OPS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)


def _first_of_sequence(items: Sequence) -> Optional[tuple[list[str], bool]]:
    """The class items a match of a parsed sequence can start with, and whether it can match empty;
    None when any character could start it (``.``, a negated class, a back-reference, a flag change)."""
    starts: list[str] = []
    for op, av in items:
        first = _first_of_op(op, av)
        if first is None:
            return None
        starts += first[0]
        if not first[1]:
            return starts, False
    return starts, True


def _class_literal(code: int) -> str:
    """A character for a class. Above U+FFFF as a one-character range: CPython 3.10–3.12 compares a
    case-insensitive class's non-BMP literal as written but the text's character folded, so ``[𐐀]``
    misses "𐐀" under ``re.IGNORECASE`` where a range does not (the thirteenth pass's review)."""
    return f"\\U{code:08x}-\\U{code:08x}" if code > 0xFFFF else re.escape(chr(code))


def _first_of_op(op: object, av: object) -> Optional[tuple[list[str], bool]]:
    """:func:`_first_of_sequence` for one parsed item (``sre_parse``'s ``(op, av)``)."""
    if op is sre_constants.LITERAL:
        return [_class_literal(av)], False
    if op is sre_constants.IN:
        items = []
        for kind, value in av:
            if kind is sre_constants.LITERAL:
                items.append(_class_literal(value))
            elif kind is sre_constants.RANGE:
                items.append(f"\\U{value[0]:08x}-\\U{value[1]:08x}")
            elif kind is sre_constants.CATEGORY and value in _CATEGORY_CLASS:
                items.append(_CATEGORY_CLASS[value])
            else:
                return None  # a negated class (or anything else): any character may start it
        return items, False
    if op is sre_constants.BRANCH:
        starts, empty = [], False
        for alternative in av[1]:
            first = _first_of_sequence(alternative)
            if first is None:
                return None
            starts += first[0]
            empty = empty or first[1]
        return starts, empty
    if op is sre_constants.SUBPATTERN:
        _group, added, removed, sub = av
        if (added | removed) & ~_SCOPED:
            return None
        # a scoped (?i-msx:…) group (bot.handover.triage.common.one_of): its first characters are its
        # body's; the guard then ignores case (_guarded_source), a superset of what any scope matches
        return _first_of_sequence(sub)
    if op in _REPEAT_OPS:
        low, _high, sub = av
        first = _first_of_sequence(sub)
        return None if first is None else (first[0], first[1] or low == 0)
    if op in _ZERO_WIDTH_OPS:
        return [], True  # \b, ^, a lookahead or lookbehind: the character after it starts the match
    return None


def _guarded_source(source: str, flags: int) -> Optional[str]:
    """``source`` with the lookahead of :func:`first_char_guard` in front, or None when there is none to add."""
    if re.match(r"\(\?[aiLmsux]+\)", source):
        return None  # a global inline flag must stay at the start
    parsed = sre_parse.parse(source, flags)
    first = _first_of_sequence(parsed.data)
    if first is None or first[1] or not first[0]:
        branched = _guard_branches(source, flags)
        return None if branched == source else branched
    source = _guard_branches(source, flags)
    end = "\n)" if flags & re.VERBOSE else ")"  # a trailing comment must not swallow the ")"
    guard = f"[{''.join(dict.fromkeys(first[0]))}]"
    if not flags & re.IGNORECASE and _adds_ignorecase(parsed.data):
        guard = f"(?i:{guard})"
    return f"(?={guard})(?:{source}{end}"


#: The flags a scoped group may turn on or off and still be seen through by the guard.
_SCOPED = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE


def _adds_ignorecase(items: Sequence) -> bool:
    """Whether a parsed sequence holds a group that turns ``re.IGNORECASE`` on (``(?i:…)``)."""
    for op, av in items:
        if op is sre_constants.SUBPATTERN:
            if av[1] & re.IGNORECASE or _adds_ignorecase(av[3]):
                return True
        elif op is sre_constants.BRANCH:
            if any(_adds_ignorecase(alternative) for alternative in av[1]):
                return True
        elif op in _REPEAT_OPS and _adds_ignorecase(av[2]):
            return True
    return False


#: An alternation gets a guard in front of each alternative only with this many alternatives, and an alternative
#: only when its source is this long: a short one (``a|b|c``) is better left to ``sre_parse``, which makes it a set.
_BRANCH_GUARD_MIN_ALTERNATIVES = 3
_BRANCH_GUARD_MIN_LENGTH = 8
_GROUP_FLAGS = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]+))?:")
_FLAG_OF = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE, "a": re.ASCII, "L": re.LOCALE,
            "u": re.UNICODE}


def _class_end(source: str, start: int) -> int:
    """The index just past the character class that opens at ``source[start] == "["``."""
    i = start + 1
    if i < len(source) and source[i] == "^":
        i += 1
    if i < len(source) and source[i] == "]":
        i += 1  # a "]" first in a class is a literal
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return i + 1


def _group_end(source: str, start: int, end: int) -> int:
    """The index of the ``)`` that closes a group whose body starts at ``start`` (escapes and character classes
    skipped, nested groups counted), or ``end`` when it is not closed before it."""
    depth, i = 0, start
    while i < end:
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(source, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return end


def _guard_alternatives(source: str, start: int, end: int, flags: int) -> tuple[str, int]:
    """``source[start:end]`` (a group's body, or the whole pattern) with :func:`_guard_branches` applied inside its
    groups and, when it is an alternation worth it, a first-character lookahead in front of each long alternative.

    Returns:
        ``(new text, index where the scan stopped)``: at ``end``, or at an unmatched ``)``.
    """
    pieces: list[str] = []
    alternatives: list[tuple[str, str]] = []  # (original, rewritten)
    begin = i = start
    while i < end:
        char = source[i]
        if char == "\\":
            pieces.append(source[i:i + 2])
            i += 2
        elif char == "[":
            stop = _class_end(source, i)
            pieces.append(source[i:stop])
            i = stop
        elif char == ")":
            break
        elif char == "|":
            alternatives.append((source[begin:i], "".join(pieces)))
            pieces, begin = [], i + 1
            i += 1
        elif char == "(":
            opened = _GROUP_FLAGS.match(source, i)
            if opened:  # (?i-msx:…), (?:…): a body read with the group's own flags
                added = sum(_FLAG_OF[f] for f in opened.group(1))
                removed = sum(_FLAG_OF[f] for f in opened.group(2) or "")
                body_start, body_flags = opened.end(), (flags | added) & ~removed
            elif source.startswith("(?P<", i):
                body_start, body_flags = source.index(">", i) + 1, flags
            elif source.startswith("(?", i):
                body_start, body_flags = None, flags  # a lookaround, conditional, comment or back-reference: as written
            else:
                body_start, body_flags = i + 1, flags
            if body_start is None:
                stop = _group_end(source, i + 1, end)
                pieces.append(source[i:stop + 1])
                i = stop + 1
                continue
            body, stop = _guard_alternatives(source, body_start, end, body_flags)
            pieces.append(source[i:body_start] + body + ")")
            i = stop + 1
        else:
            pieces.append(char)
            i += 1
    alternatives.append((source[begin:i], "".join(pieces)))
    if len(alternatives) < _BRANCH_GUARD_MIN_ALTERNATIVES:
        return "|".join(rewritten for _original, rewritten in alternatives), i
    guarded = []
    for original, rewritten in alternatives:
        guard = None
        if len(original) >= _BRANCH_GUARD_MIN_LENGTH and not rewritten.startswith("(?="):
            try:
                parsed = sre_parse.parse(original, flags)
            except (re.error, IndexError, ValueError):
                parsed = None  # it refers to a group outside it: left as it is
            first = None if parsed is None else _first_of_sequence(parsed.data)
            if first is not None and not first[1] and first[0]:
                guard = f"[{''.join(dict.fromkeys(first[0]))}]"
                if not flags & re.IGNORECASE and _adds_ignorecase(parsed.data):
                    guard = f"(?i:{guard})"
        guarded.append(rewritten if guard is None else f"(?={guard}){rewritten}")
    return "|".join(guarded), i


def _guard_branches(source: str, flags: int) -> str:
    """``source`` with a lookahead of each alternative's possible first characters in front of it, in every
    alternation of three or more long alternatives (groups included; lookarounds and conditionals as written).

    The top-level guard of :func:`first_char_guard` lets a search skip positions no match can start at; at the
    positions left, Python's engine still tries every alternative in turn, and a long one (``\\b(talk|speak|…)``)
    costs far more to fail than one class test. Like that guard, each lookahead only states what its alternative's
    match already starts with: the same matches, spans and groups. Session 25, measured on the development sets'
    English messages on one machine: ``PERSON_EN`` 0.55 → about 0.4 ms a message, ``PERSON_ZH`` 0.29 → 0.07,
    the hand-over reading of a message (``Turn.from_text``) about 3.1 → 2.7 ms.

    Args:
        source: the regular expression.
        flags: its ``re`` flags.

    Returns:
        The rewritten expression, or ``source`` itself when it is verbose, sets global flags inline, or does not
        scan cleanly.
    """
    if flags & re.VERBOSE or re.match(r"\(\?[aiLmsux]+\)", source) or "(?x" in source or "(?#" in source:
        return source
    try:
        rewritten, stop = _guard_alternatives(source, 0, len(source), flags)
    except (ValueError, IndexError):
        return source
    return rewritten if stop == len(source) else source


def first_char_guard(pattern: "re.Pattern[str]") -> "re.Pattern[str]":
    """``pattern`` with a lookahead of the characters a match of it can start with put in front, so a
    search skips every other position with one class test instead of trying each alternative there.

    The lookahead only states what any match already starts with, so every method (``search``,
    ``sub``, ``finditer``, ``match``, ``fullmatch``) gives the same matches and spans; only the time
    changes. Python's own engine does this only for a pattern whose alternatives all begin with a
    case-less literal (``sre_compile._get_charset_prefix``), which rules out a ``\\b`` in front, a
    group or ``re.IGNORECASE`` on letters: the long alternations of the hand-over readings
    (``bot.handover.triage``, ``bot.handover.hazards``) were searched about two to four times slower.

    Args:
        pattern: a compiled ``str`` pattern.

    Returns:
        A new compiled pattern with the same flags, or ``pattern`` itself when a match could start
        with any character or be empty (nothing to gain), or the pattern sets its flags inline.
    """
    guarded = compile_guarded(pattern.pattern, pattern.flags)
    return pattern if guarded.pattern == pattern.pattern else guarded


def compile_guarded(source: str, flags: int = 0) -> "re.Pattern[str]":
    """``re.compile(source, flags)`` with :func:`first_char_guard` applied: the same matches, found faster.

    Args:
        source: the regular expression.
        flags: ``re`` flags.

    Returns:
        The compiled pattern.

    Raises:
        re.error: ``source`` is not a valid expression.
    """
    guarded = _guarded_source(source, flags)
    if guarded is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            try:
                return re.compile(guarded, flags)
            except (re.error, DeprecationWarning):
                pass  # a global flag after a comment or space ("(?#c)(?i)…"): it must stay first
    return re.compile(source, flags)
