"""Facts found in free text: intake fields, PII, and what must stay readable.

One scanner, :func:`scan`, serves both intake (order number, e-mail, phone,
ID number, with canonical values) and PII masking (``bot.privacy.masking``). It runs
on :func:`bot.text.fold` output, so full-width digits, ``＠``, ``．``, no-break
spaces and zero-width characters change nothing, and reports offsets into the
original text.

Order of detection (each stage blanks what it found, so later stages cannot
take a piece of it):

1. e-mail addresses (an ``@`` is unambiguous: ``13812345678@163.com`` is one
   e-mail, not a phone);
2. things that must stay readable: order numbers, tracking numbers of known
   carriers, prices, dates, times;
3. number runs (digits joined by a space, up to three spaces, ``-``, ``.``,
   ``/``, one line break, ``_`` or ``;``): Chinese resident ID numbers (18 characters, birth date and check
   digit valid), then payment cards (13–19 digits starting 2–6, Luhn-valid)
   on windows aligned with the customer's digit groups, so a CVV or expiry
   after the card (``4111 1111 1111 1111 123``) neither hides the card nor
   stays readable;
4. card numbers said as words (an IVR recogniser's ``four one one one …``,
   ``四一一一…``, ``double one``, or in pairs: ``forty one eleven …``; numerals may be
   mixed in): the same Luhn and length
   check on a run of digit words, the digits said after the card taken along;
5. phone numbers with ``phonenumbers`` (see :func:`bot.text.find_phones`).
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

from bot.orders.model import ORDER_NUMBER_PATTERN
from bot.text import DEFAULT_REGION, EN_DIGITS, EN_REPEAT, EN_TEENS, EN_TENS, ZH_DIGITS, Folded, find_phones, fold

INTAKE_ENTITIES = ("order_number", "email", "phone")
KEEP = ("order_number", "tracking_number", "price", "date", "time")
PII = ("email", "id_number", "card", "phone")

# Applied to folded text (ASCII @ and dots).
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# Carrier formats only: a generic "letters + digits" rule would also keep
# "tel13812345678" or "ID11010519491231002X" readable.
TRACKING = re.compile(
    r"(?<![A-Za-z0-9])(?:1Z[0-9A-Z]{16}"  # UPS
    r"|(?:SF|JDV|JDX|JD|YT|JT|DPK)\d{9,15}"  # SF Express, JD, YTO, J&T, Deppon
    r"|[A-Z]{2}\d{9}[A-Z]{2})"  # UPU S10 (EMS, China Post, Royal Mail: EA123456789CN)
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.\d{1,2})?"
_CJK_UNIT = r"(?:元|块钱|块|角|美元|欧元|英镑|港币|人民币)"
PRICE = re.compile(
    r"(?<![A-Za-z0-9])(?:US\$|HK\$|A\$|C\$|S\$|[¥$€£₩]|(?:RMB|CNY|USD|EUR|GBP|HKD|JPY)\s?)-?(?P<first>" + _AMOUNT + r")(?![0-9])"
    r"|(?<![0-9.,])(?P<after>" + _AMOUNT + r")\s?(?:" + _CJK_UNIT
    + r"|(?:USD|CNY|RMB|EUR|GBP|HKD|yuan|dollars?|euros?|pounds?)(?![A-Za-z]))",
    re.IGNORECASE,
)
# Between the digit groups of one number: up to three spaces, a dash, dot or slash, one line break
# ("4111\n1111\n…", a number pasted from a card form), or an underscore or semicolon typed for a space.
_GROUP_SEPARATOR = r"(?: {1,3}| ?[-./] ?| {0,3}\r?\n {0,3}|[_;])"
_AFTER_DIGITS = re.compile(r"[0-9]" + _GROUP_SEPARATOR + r"$")
_BEFORE_DIGITS = re.compile(_GROUP_SEPARATOR + r"[0-9]")
_CJK_UNIT_END = re.compile(r"[0-9]" + _CJK_UNIT + r"$")
_YEAR = r"(?:19|20)\d{2}"
DATE = re.compile(
    r"(?<![0-9])(?:"
    rf"(?P<y1>{_YEAR})(?P<s1>[-/.])(?P<m1>\d{{1,2}})(?P=s1)(?P<d1>\d{{1,2}})"  # 2026-11-30
    rf"|(?P<a2>\d{{1,2}})(?P<s2>[-/.])(?P<b2>\d{{1,2}})(?P=s2)(?P<y2>{_YEAR})"  # 30/11/2026, 11/30/2026
    rf"|(?:{_YEAR}\s?年\s?)?(?P<m3>\d{{1,2}})\s?月\s?(?P<d3>\d{{1,2}})\s?[日号]"  # 2026年11月30日, 11月30日
    rf"|{_YEAR}\s?年\s?(?P<m4>\d{{1,2}})\s?月"  # 2026年11月
    r")(?![0-9])"
)
TIME = re.compile(r"(?<![0-9])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?[ap]\.?m\.?)?(?![0-9A-Za-z])", re.IGNORECASE)

# Digits in groups the way people write card and ID numbers.
NUMBER_RUN = re.compile(r"(?<![0-9])[0-9]+(?:" + _GROUP_SEPARATOR + r"[0-9]+)*(?:[Xx](?![A-Za-z0-9]))?")
_GROUP = re.compile(r"[0-9]+[Xx]?")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_SHAPE = re.compile(r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]")
CARD_MIN, CARD_MAX = 13, 19
CARD_FIRST_DIGITS = "23456"  # Mastercard 2-series, Amex/JCB/Diners, Visa, Mastercard, Discover/UnionPay
BLANK = "\x00"  # no detector matches it, so it splits candidates
# Two digits said as a number (``eleven``, ``forty one``, ``forty-one``; ``forty`` alone is 40).
_SAID_PAIR = (r"(?:" + "|".join(EN_TENS) + r")(?:[ -](?:" + "|".join(w for w, d in EN_DIGITS.items() if d != "0")
              + r"))?|" + "|".join(EN_TEENS))
# One digit said aloud (``four``, ``幺``), two said as a number, ``double``/``triple`` before one, or a
# numeral group.
_SAID_DIGIT = re.compile(
    r"(?<![A-Za-z])(?:" + _SAID_PAIR + "|" + "|".join(sorted({**EN_DIGITS, **EN_REPEAT}, key=len, reverse=True))
    + r")(?![A-Za-z])|[" + "".join(ZH_DIGITS) + r"]|[0-9]+", re.IGNORECASE)
# What a recogniser or a customer writes between the digits of one number: spaces, commas, dashes.
_SAID_GAP = re.compile(r"[ ,，、.。-]{0,3}")
_EDGE_GAP = re.compile(r"[ ,，、.。]*")  # before a message's first digit, after its last


@dataclass(frozen=True)
class Found:
    """One fact: ``entity`` (see KEEP and PII), original-text offsets, canonical ``value``."""

    entity: str
    start: int
    end: int
    value: str


def luhn_ok(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn check (payment cards).

    Args:
        digits: ASCII digits only.

    Returns:
        True when the Luhn sum is a multiple of 10.
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def cn_id_ok(value: str) -> bool:
    """Whether 18 characters form a Chinese resident ID number: shape, birth date and check digit.

    Args:
        value: 18 characters (the check character may be ``x``/``X``).

    Returns:
        True or False.
    """
    value = value.upper()
    if not ID_SHAPE.fullmatch(value):
        return False
    return ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS)) % 11] == value[17]


def cn_id_shaped(value: str) -> bool:
    """Whether 18 characters look like a Chinese resident ID number, whatever the check digit: the shape
    (region code, ``19``/``20`` year, 17 digits then a digit or ``X``) and a real birth date not in the
    future. A mistyped ID (a wrong check digit) is still someone's ID number, so masking takes it too
    (fresh-user report 26 #6); :func:`cn_id_ok` is the strict test.

    Args:
        value: 18 characters (the check character may be ``x``/``X``).

    Returns:
        True or False.
    """
    value = value.upper()
    if not ID_SHAPE.fullmatch(value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:  # 30 February, 31 April
        return False
    return born <= date.today()


def _price_ok(text: str, match: re.Match) -> bool:
    """Whether a PRICE match is a price, not one group of a longer number.

    ``RMB 4111 1111 1111 1111`` is a currency word before a card, and in
    ``+1 201 555 0000 RMB`` the amount is the end of a phone. An amount with
    cents or thousands separators is complete, and so is one glued to a
    Chinese unit (``4111 … 1111 45.50元``).
    """
    if match.group("first") is not None:
        amount = match.group("first")
        return "." in amount or "," in amount or not _BEFORE_DIGITS.match(text, match.end())
    if _CJK_UNIT_END.search(match.group(0)):
        return True
    return not _AFTER_DIGITS.search(text, 0, match.start())


def _date_ok(match: re.Match) -> bool:
    g = match.groupdict()
    if g["y1"]:
        return 1 <= int(g["m1"]) <= 12 and 1 <= int(g["d1"]) <= 31
    if g["y2"]:
        a, b = int(g["a2"]), int(g["b2"])
        return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31)
    if g["m3"]:
        return 1 <= int(g["m3"]) <= 12 and 1 <= int(g["d3"]) <= 31
    return 1 <= int(g["m4"]) <= 12


class _Scan:
    """Folded text with the parts already claimed blanked out."""

    def __init__(self, folded: Folded) -> None:
        self.folded = folded
        self.chars = list(folded.text)
        self.found: list[tuple[str, int, int, str]] = []  # folded offsets

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def claim(self, entity: str, start: int, end: int, value: str) -> None:
        if start >= end or any(ch == BLANK for ch in self.chars[start:end]):
            return
        self.chars[start:end] = BLANK * (end - start)
        self.found.append((entity, start, end, value))

    def result(self) -> list[Found]:
        out = []
        for entity, start, end, value in self.found:
            ostart, oend = self.folded.span(start, end)
            out.append(Found(entity, ostart, oend, value))
        return sorted(out, key=lambda f: f.start)


def _number_runs(scan: _Scan) -> None:
    for run in NUMBER_RUN.finditer(scan.text):
        groups = [(g.start() + run.start(), g.end() + run.start(), g.group(0)) for g in _GROUP.finditer(run.group(0))]
        claimed: list[tuple[str, int, int, str]] = []
        i = 0
        while i < len(groups):
            hit = _window_at(groups, i)
            if hit is None:
                i += 1
                continue
            entity, j, value = hit
            claimed.append((entity, groups[i][0], groups[j][1], value))
            i = j + 1
        for n, (entity, start, end, value) in enumerate(claimed):
            if entity == "card":  # digits after a card up to the next find: CVV, expiry
                end = claimed[n + 1][1] if n + 1 < len(claimed) else run.end()
                end = max(e for s, e, _ in groups if e <= end)
            scan.claim(entity, start, end, value)


def _window_at(groups: list[tuple[int, int, str]], i: int) -> Optional[tuple[str, int, str]]:
    """An ID number, else a card, else 18 characters shaped like an ID number with a wrong check digit (a
    typo: still masked), made of groups i..j (shortest card first): (entity, j, value)."""
    joined, id_shaped = "", None
    for j in range(i, len(groups)):
        joined += groups[j][2]
        if len(joined) >= 18:
            if len(joined) == 18 and cn_id_ok(joined):
                return "id_number", j, joined.upper()
            if len(joined) == 18 and cn_id_shaped(joined):
                id_shaped = ("id_number", j, joined.upper())
            break
    joined = ""
    for j in range(i, len(groups)):
        joined += groups[j][2]
        if len(joined) > CARD_MAX or not joined.isdigit():
            break  # an X ends ID numbers only
        if j > i and len(groups[i][2]) < 4:
            break  # cards are written whole or from a group of 4+ ("4111 …", "3782 …", "622202 …")
        if len(joined) >= CARD_MIN and joined[0] in CARD_FIRST_DIGITS and luhn_ok(joined):
            return "card", j, joined
    alone = groups[i][2]
    if 17 <= len(alone) <= 20 and alone.isdigit() and alone[0] in CARD_FIRST_DIGITS:
        for n in (16, 15):  # a 16- or 15-digit card with its CVV typed straight after
            if 0 < len(alone) - n <= 4 and luhn_ok(alone[:n]):
                return "card", i, alone[:n]
    return id_shaped


def said_digit_runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of digits in ``text`` as typed or said: numeral groups, digit words (``four``, ``oh``),
    two-digit words (``eleven``, ``forty one``: one token ``"41"``), Chinese digits (``四``, ``幺``,
    ``〇``) and ``double``/``triple`` before a digit, joined by at
    most three spaces, commas, full stops or dashes.

    Args:
        text: folded text (:func:`bot.text.fold`).

    Returns:
        Each run as its tokens ``(start, end, digits)`` (``double one`` is one token ``"11"``).
    """
    runs: list[list[tuple[int, int, str]]] = []
    run: list[tuple[int, int, str]] = []
    repeat: Optional[tuple[int, int]] = None  # (start, times) of a double/triple waiting for its digit
    last_end: Optional[int] = None  # where the token before ended
    for m in _SAID_DIGIT.finditer(text):
        word = m.group(0).lower()
        if last_end is None or _SAID_GAP.fullmatch(text, last_end, m.start()) is None:
            if run:
                runs.append(run)
            run, repeat = [], None
        last_end = m.end()
        if word in EN_REPEAT:
            repeat = (m.start(), EN_REPEAT[word])
            continue
        digits = _digits_of(word)
        if repeat is not None and len(digits) == 1:
            run.append((repeat[0], m.end(), digits * repeat[1]))
        else:
            run.append((m.start(), m.end(), digits))
        repeat = None
    if run:
        runs.append(run)
    return runs


def digits_said(text: str) -> int:
    """At most how many digits ``text`` holds, typed (any script) or said as words: a cheap bound
    that lets masking skip the scan of text that cannot hold a card number.

    Args:
        text: any text.

    Returns:
        Digit characters plus digit words (``double``/``triple`` counted as three).
    """
    said = sum(3 if m.group(0).lower() in EN_REPEAT else len(_digits_of(m.group(0).lower()))
               for m in _SAID_DIGIT.finditer(text) if not m.group(0).isdigit())
    return said + sum(ch.isdigit() for ch in text)


def _digits_of(word: str) -> str:
    """The digits one :data:`_SAID_DIGIT` match (lower case) stands for."""
    tens, _, unit = word.replace("-", " ").partition(" ")
    if tens in EN_TENS:
        return EN_TENS[tens] + EN_DIGITS.get(unit, "0")
    return EN_DIGITS.get(word) or EN_TEENS.get(word) or ZH_DIGITS.get(word) or word


def _said_cards(scan_: _Scan) -> None:
    """Claim card numbers said as words or in short groups (a run with a digit word or Chinese digit, or
    numerals in groups shorter than four):
    the first Luhn-valid 13–19 digits from a token starting 2–6, with the rest of the run."""
    text = scan_.text  # once: a claim blanks only its own run, and joining the text for each run was quadratic (session 42)
    for run in said_digit_runs(text):
        if all(text[start:end].isdigit() and end - start >= 4 for start, end, _ in run):
            continue  # numerals in groups of four or more: the number runs above decided; digit by digit
            # or in pairs and threes ("4 1 1 1 …", "41 11 11 …", as a recogniser writes them) are read here
            # (review, twelfth pass)
        for i in range(len(run)):
            card = _card_from(run, i)
            if card is not None:
                scan_.claim("card", run[i][0], run[-1][1], card)
                break


# Card lengths, most common first: a run said without groups may hold more than one Luhn-valid
# window (the CVV said after the card), and the tag should end like the card.
_CARD_LENGTHS = (16, 15, 19, 13, 14, 17, 18)


def _card_from(tokens: list[tuple[int, int, str]], i: int, must_pass: int = 0) -> Optional[str]:
    """A card number (13–19 digits, first 2–6, Luhn; 16 digits first, then 15…) made of whole
    tokens from ``i`` that ends at or after token ``must_pass``, else None."""
    joined, ends = "", set()
    for j in range(i, len(tokens)):
        joined += tokens[j][2]
        if j >= must_pass:
            ends.add(len(joined))
        if len(joined) >= CARD_MAX:
            break
    if not joined or joined[0] not in CARD_FIRST_DIGITS:
        return None
    return next((joined[:n] for n in _CARD_LENGTHS if n in ends and luhn_ok(joined[:n])), None)


def split_card(previous: str, text: str) -> Optional[tuple[tuple[int, int], tuple[int, int], str]]:
    """A card number begun at the end of ``previous`` and continued at the start of ``text``
    ("4111 1111" then "1111 1111", typed or said as words).

    The digits ending ``previous`` and those starting ``text`` (numerals, digit words, Chinese
    digits; only spaces and ``, . 、 。`` around them) must together hold a Luhn-valid run of 13–19
    digits starting 2–6 that crosses from one message into the other, starting at one of the
    previous message's digit groups. Digits that are part of an order number, tracking number,
    price, date, time or phone number in either message (:func:`scan`) are never joined.

    Args:
        previous: the customer's previous message (its full card numbers already masked).
        text: the customer's new message.

    Returns:
        ``((start, end) in previous, (start, end) in text, card digits)``: the spans to mask (the
        new message's from its first digit to the end of its first digit run, so a CVV after it
        goes too), or None.
    """
    before, after = fold(previous or ""), fold(text or "")
    tail = next((run for run in reversed(said_digit_runs(before.text))
                 if _EDGE_GAP.fullmatch(before.text, run[-1][1])), None)
    head = next((run for run in said_digit_runs(after.text)[:1] if _EDGE_GAP.fullmatch(after.text, 0, run[0][0])),
                None)
    if not tail or not head:
        return None
    tokens = tail + head
    for i in range(len(tail)):
        card = _card_from(tokens, i, must_pass=len(tail))
        if card is None:
            continue
        spans = (before.span(tail[i][0], tail[-1][1]), after.span(head[0][0], head[-1][1]))
        # a phone number before a code ("415 555 0132" then "482 913") is no card either (review, twelfth pass)
        kept = [(f.start, f.end) for f in scan(previous) if f.entity in KEEP + ("phone",)], \
            [(f.start, f.end) for f in scan(text) if f.entity in KEEP + ("phone",)]
        if any(s < spans[n][1] and e > spans[n][0] for n in (0, 1) for s, e in kept[n]):
            return None
        return spans[0], spans[1], card
    return None


def scan(text: str, region: str = DEFAULT_REGION) -> list[Found]:
    """Every fact in ``text`` (KEEP and PII kinds), non-overlapping, by start offset.

    Offsets refer to ``text`` itself; values are canonical: ``QX-123456``,
    lower-case e-mail, E.164 phone, upper-case ID number, card digits, and
    the folded text for the KEEP kinds.

    The last ``SCAN_CACHE_SIZE`` texts' findings are kept (:class:`Found` is frozen; each call gets a new list): Rasa's
    NLU reads one message three times (the sentence featurizer's mask, the tokenizer, the intake extractor) after the
    card masking read it once, about 0.09 ms each for a development message and 0.1-0.2 s for 4,000 characters of digit
    groups (session 42). A text in which a payment card is found is never kept, nor its findings: a card number stays
    in memory no longer than its message's reading (PCI DSS requirement 3: keep no card data that is not needed; a fresh
    reviewer's finding, helper-206).

    Args:
        text: any text (a message, a transcript line).
        region: the region for phone numbers without a country code (``phonenumbers``, e.g. ``CN``).

    Returns:
        :class:`Found` list (entity, start, end, value) by start offset.
    """
    key = (text or "", region, date.today())  # the day too: cn_id_shaped takes no birth date after today
    with _SCANS_LOCK:
        found = _SCANS.get(key)
        if found is not None:
            _SCANS.move_to_end(key)
    if found is None:
        found = _scanned(*key)
        if not any(fact.entity == "card" for fact in found):
            with _SCANS_LOCK:
                _SCANS[key] = found
                while len(_SCANS) > SCAN_CACHE_SIZE:
                    _SCANS.popitem(last=False)
    return list(found)


SCAN_CACHE_SIZE = 256
_SCANS: "OrderedDict[tuple[str, str, date], tuple[Found, ...]]" = OrderedDict()
_SCANS_LOCK = threading.Lock()


def _scan_cache_clear() -> None:
    """Forget every kept scan (tests and benchmarks: a first read)."""
    with _SCANS_LOCK:
        _SCANS.clear()


# functools.lru_cache's names for the same two things, which the benchmarks' and tests' search for per-text caches reads
# (bench.reading_latency.text_caches)
scan.cache_clear = _scan_cache_clear  # type: ignore[attr-defined]


def _scanned(text: str, region: str, today: date) -> tuple[Found, ...]:
    """:func:`scan`'s findings, computed (``today``: the day they hold for)."""
    scan_ = _Scan(fold(text))
    for m in EMAIL.finditer(scan_.text):
        scan_.claim("email", m.start(), m.end(), m.group(0).lower())
    for m in ORDER_NUMBER_PATTERN.finditer(scan_.text):
        scan_.claim("order_number", m.start(), m.end(), f"QX-{m.group(1)}{m.group(2)}")
    for entity, pattern in (("tracking_number", TRACKING), ("date", DATE), ("time", TIME), ("price", PRICE)):
        text = scan_.text
        for m in pattern.finditer(text):
            if (entity != "date" or _date_ok(m)) and (entity != "price" or _price_ok(text, m)):
                scan_.claim(entity, m.start(), m.end(), m.group(0))
    _number_runs(scan_)
    _said_cards(scan_)
    for start, end, e164 in find_phones(scan_.text, region):
        scan_.claim("phone", start, end, e164)
    return tuple(scan_.result())


scan.__wrapped__ = _scanned  # type: ignore[attr-defined]


def extract_intake(text: str, entities: Iterable[str] = INTAKE_ENTITIES + ("id_number",)) -> list[Found]:
    """Order numbers, e-mails, phones and ID numbers in ``text``, non-overlapping, in order.

    Offsets refer to the original text (tokenizers cut it there); values are
    canonical (``QX-123456``, lower-case e-mail, E.164 phone, upper-case ID).

    Args:
        text: the customer's message.
        entities: the kinds wanted (``order_number``, ``email``, ``phone``, ``id_number``).

    Returns:
        :class:`Found` list by start offset.
    """
    wanted = set(entities)
    return [f for f in scan(text) if f.entity in wanted]


def contact_in(text: str, region: str = DEFAULT_REGION) -> dict[str, Optional[str]]:
    """The phone number and e-mail address a customer gives in ``text`` (issue 14: the contact to
    call back on), found exactly as :func:`scan` finds what masking hides.

    The same scan as masking, so what an agent sees masked in the transcript is what this returns:
    order numbers (``QX-123456``), tracking numbers, prices, dates, times ("after 18:00"), card and
    ID numbers are claimed first and never become a phone; digit runs ``phonenumbers`` does not
    call a number (a 20-digit order number) are none either. Phones through
    :func:`bot.text.find_phones`: a Chinese number without a country code (``13900139000``,
    ``139 0013 9000``, full-width digits), any other with ``+`` or ``00`` (``+44 7700 900123``).
    With several, the first of each kind.

    Args:
        text: the customer's message.
        region: the country of numbers written without a country code (default ``CN``).

    Returns:
        ``{"phone": E.164 or None, "email": lower-case address or None}``.
    """
    found: dict[str, Optional[str]] = {"phone": None, "email": None}
    for fact in scan(text or "", region):
        if fact.entity in found and found[fact.entity] is None:
            found[fact.entity] = fact.value
    return found
