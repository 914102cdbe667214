"""PII masking for everything an agent reads: transcript, summary, and what
the customer writes after the hand-over (DESIGN.md §6).

Card numbers, Chinese resident ID numbers, e-mail addresses and phone numbers
are replaced by a type tag keeping the last digits, so an agent can still say
"the card ending 4242" without seeing the number:
``[card …4242]``, ``[ID …002X]``, ``[email]``, ``[phone …5678]``.

What an agent sees: the customer's **original** text with only the PII spans
replaced. Detection runs on folded text (``bot.text.fold``: full-width digits,
``＠``, ``．``, zero-width characters…) and the spans are mapped back, so
``我的手机：１３８１２３４５６７８，谢谢`` becomes ``我的手机：[phone …5678]，谢谢``
— the Chinese punctuation stays as written. Order numbers, tracking numbers,
prices, dates and times are claimed before any PII detector runs and are
never changed (see ``bot.privacy.scanner.scan``). The intake fields of the packet are
not masked: an agent needs them to act.

Masking is idempotent: masking masked text changes nothing.

Card numbers are masked even earlier, in everything the customer writes on any channel,
before the Rasa server stores or parses it (:func:`mask_cards`, installed on Rasa's
``MessageProcessor.log_message`` by ``bot.rasa_patches``): a full card number (PAN) is never
stored (PCI DSS), while e-mail addresses, phone numbers and order numbers stay in the tracker
for call-backs and order look-ups. So are a card's security code named as such (``[cvv]``) and a
password named as such (``[password]``: "my password is Hunter2!", 密码是abc123): no agent needs them.
"""
from __future__ import annotations

import re
from typing import Any, Collection, Optional, Sequence, Tuple

import phonenumbers

from bot.text import EN_DIGITS, ZH_DIGITS
from bot.privacy.scanner import CARD_MIN, PII, Found, cn_id_ok, digits_said, luhn_ok, scan, split_card

__all__ = ["mask_pii", "mask_cards", "mask_cards_in", "mask_split_card", "tag_for", "cn_id_ok", "luhn_ok",
           "shown_phone", "shown_email"]


def _last_digits(value: str, n: int = 4) -> str:
    return "".join(ch for ch in value if ch.isdigit() or ch == "X")[-n:]


def tag_for(found: Found) -> str:
    """The text that replaces one PII finding (``[card …4242]`` …).

    Args:
        found: one PII finding of :func:`bot.privacy.scanner.scan`.

    Returns:
        ``[card …NNNN]``, ``[ID …NNNN]``, ``[phone …NNNN]`` (the last digits only) or ``[email]``.
    """
    if found.entity == "card":
        return f"[card …{_last_digits(found.value)}]"
    if found.entity == "id_number":
        return f"[ID …{_last_digits(found.value)}]"
    if found.entity == "phone":
        return f"[phone …{_last_digits(found.value)}]"
    return "[email]"


def mask_pii(text: str) -> str:
    """``text`` with card, ID, e-mail and phone numbers replaced by tags.

    Args:
        text: any customer or bot text (``None`` and ``""`` come back as is).
    Returns:
        The same text with each PII span replaced by :func:`tag_for`; order
        numbers, tracking numbers, prices, dates and times unchanged.
    """
    return _masked(text, PII)


def mask_cards(text: str) -> str:
    """``text`` with full payment card numbers replaced by ``[card …NNNN]``, a security code by ``[cvv]`` and a
    password by ``[password]``, nothing else changed.

    The same detector as :func:`mask_pii` (Luhn-valid runs of 13–19 digits starting 2–6, grouped
    by spaces, dashes, dots, line breaks, ``_`` or ``;``, with a CVV or expiry typed straight after
    taken along; or said as words, ``four one one one …``, ``forty one eleven …``, ``四一一一…``,
    ``double one``), so the tag is
    the one an agent sees in the transcript; a security code named as such anywhere ("cvv 123",
    安全码 123) becomes ``[cvv]``, and a password named as such ("my password is Hunter2!", 密码是abc123; what
    stays: :func:`_password_masked`) becomes ``[password]``. Order numbers, phone numbers, e-mail addresses,
    ID numbers, a one-time code (验证码, 动态密码) and a 16-digit number that fails the Luhn check stay as written.

    Args:
        text: what a customer wrote or said (``None`` and ``""`` come back as is).

    Returns:
        The text with each card number replaced; the same object when it holds none.
    """
    if not text:
        return text
    if _CVV.search(text):  # "exp 12/28 cvv 123": the security code is never stored either
        text = _CVV.sub(lambda m: m.group(0)[: m.start("code") - m.start()] + "[cvv]", text)
    if _PASSWORD_WORD.search(text):  # "my password is Hunter2!": nor is a password
        text = _PASSWORD.sub(_password_masked, text)
    if digits_said(text) < CARD_MIN:  # the common case: no scan
        return text
    return _masked(text, ("card",))


def mask_split_card(previous: str, text: str) -> Optional[Tuple[str, str]]:
    """Both messages masked when a card number is split over them ("4111 1111" then "1111 1111",
    "my card is 4111111111" then "111111", or said as words over two speech turns).

    The end of ``previous`` and the start of ``text`` must join into a Luhn-valid 13–19 digit card
    (:func:`bot.privacy.scanner.split_card`): an order number, phone number or amount that merely
    follows another stays. Each part becomes the card's tag, ``[card …NNNN]``.

    Args:
        previous: the customer's previous message, as stored (full card numbers already masked).
        text: the customer's new message (full card numbers already masked).

    Returns:
        ``(previous, text)`` masked, or None when no card is split over them.
    """
    found = split_card(previous, text)
    if found is None:
        return None
    (a, b), (c, d), card = found
    tag = f"[card …{card[-4:]}]"
    return previous[:a] + tag + previous[b:], text[:c] + tag + text[d:]


#: A card security code named as such ("cvv 123", "CVC: 4567", "security code is 123", 安全码123); a
#: verification code the bot sends (验证码) is not one and stays (the customer types it to prove an order).
_EN_DIGIT_WORD = r"(?:" + "|".join(sorted((w for w in EN_DIGITS if len(w) > 1), key=len, reverse=True)) + r")"
_CVV = re.compile(r"(?:\b(?:cvv2?|cvc2?|cv2|csc|security code|card code)\b|安全码|卡背面?(?:的)?(?:三位|3位)(?:数字|数)?)"
                  r"\W{0,3}(?:is\W{0,2}|是\W{0,2})?"
                  # the code as numerals, or said as digit words or Chinese digits (review, twelfth pass)
                  r"(?P<code>\d{3,4}(?!\d)|" + _EN_DIGIT_WORD + r"(?:[\s,-]+" + _EN_DIGIT_WORD + r"){2,3}\b(?![\s,-]+" + _EN_DIGIT_WORD + r"\b)|"
                  r"[" + "".join(ZH_DIGITS) + r"]{3,4}(?![" + "".join(ZH_DIGITS) + r"]))", re.IGNORECASE)


#: A password the customer types, named as such, is never stored either (helper-210: "my password is Hunter2!xyz"
#: reached the tracker store and the agent's transcript as typed). English: password / passwd / passphrase / pwd / pw,
#: then "is", "was", "to", "'s", ":", "=" or "-" (or nothing), then the value; Chinese: 密码, then 是 / 为 / 设成 / 改成…
#: and or a colon (or nothing), then the value in ASCII or full-width characters, or quoted. A one-time code is no
#: password: 动态密码, 短信密码, 一次性密码, 临时密码, "one-time password" and 验证码 stay, as "the code" does (the customer
#: types it to prove an order). What stays is decided by :func:`_password_masked`. Each separator is either one run of
#: spaces or spaces around a required mark, so a run of spaces is read one way only (helper-212: two ``\s*`` around an
#: optional colon took 0.36 s on 4,000 spaces, 3.4 s on 16 KB of metadata).
_PASSWORD_WORD = re.compile(r"pass(?:word|wd|phrase)|pwd|\bpw\b|密码", re.IGNORECASE)
_SEP = r"[:=：\-]+"
_VALUE_EN = r"(?P<value>\"[^\"\n]{1,64}\"|'[^'\n]{1,64}'|“[^”\n]{1,64}”|[^\s\"“]{1,64})"
_PASSWORD = re.compile(
    r"(?P<otp>\bone[- ]?time\s+|\btemporary\s+)?\b(?P<kw>pass(?:word|wd|phrase)|pwd|pw)s?"
    r"(?:(?P<said>'s\b|\s+(?:is|was|to)\b(?:\s*" + _SEP + r")?|\s*" + _SEP + r")\s*|\b\s+)" + _VALUE_EN
    + r"|(?P<zh_otp>动态|短信\s*|一次性|临时|验证)?密码"
    r"(?P<zh_said>(?:是|为|(?:设置|设|改|换)(?:成|为))(?:\s*" + _SEP + r")?|\s*" + _SEP + r")?\s*"
    r"(?P<zh_value>“[^”\n]{1,64}”|「[^」\n]{1,64}」|\"[^\"\n]{1,64}\"|[!-~\uFF01-\uFF5E]{1,64})",
    re.IGNORECASE)
#: Kept outside the tag: a trailing comma, full stop, semicolon or bracket.
_TRAILING_PUNCTUATION = re.compile(r"[,.;)）。，；]+$")
#: Not read as part of the value when deciding: a trailing mark of any kind ("my password is wrong!").
_TRAILING_MARKS = re.compile(r"[,.;:!?)）。，；：！？]+$")
#: A plain word, hyphens allowed ("case-sensitive", "e-mail"), or a range of small numbers ("8-16"): no password.
_PLAIN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d{1,3}(?:\s*[-–~到至]\s*\d{1,3})?")
#: What the scanner claims as an identifier a customer gives for a reset: an order, an e-mail, a phone, a tracking number.
_IDENTIFIERS = ("order_number", "email", "phone", "tracking_number")


def _password_masked(match: "re.Match[str]") -> str:
    """The text of a :data:`_PASSWORD` match with its value replaced by ``[password]``, or as it was when the value
    looks like words about the password, an identifier, or a one-time code.

    Kept: after a one-time code's name ("one-time password", 临时密码); a value with no letter or digit (":(", "???");
    an order number, e-mail, phone or tracking number (``bot.privacy.scanner.scan``: "forgot password QX-123456",
    忘记密码 13800138000); "pw" with nothing between it and the value. Masked: a quoted value ("the password 'hunter'");
    after "is" / "to" / ":" / 是…, a value that is not a plain word or a range of small numbers ("Hunter2!", "qwerty123",
    "1234", "HunterTwo", "P@ss"; "wrong!", "case-sensitive", "8-16" and all capitals stay); with nothing between,
    six characters or more holding a digit ("my password Summer2024 fails", 密码123456). A trailing comma, full stop,
    semicolon or bracket stays outside the tag. Not recognised: a password of plain lower-case letters, one split over
    two messages, and the words of one with spaces in it after the first.

    Args:
        match: a match of :data:`_PASSWORD`.

    Returns:
        The matched text, its value replaced or not.
    """
    text, english = match.group(0), match.group("value") is not None
    name = "value" if english else "zh_value"
    said = match.group("said" if english else "zh_said") is not None
    value = match.group(name)
    kept = _TRAILING_PUNCTUATION.search(value)
    masked_part = value[: kept.start()] if kept else value
    core = _TRAILING_MARKS.sub("", value)
    if (match.group("otp" if english else "zh_otp") or (english and match.group("kw").lower() == "pw" and not said)
            or not any(ch.isalnum() for ch in core) or core == "[password]"):
        return text
    quoted = len(core) > 1 and core[0] in "\"'“「"
    if not quoted and any(found.entity in _IDENTIFIERS for found in scan(core)):
        return text
    digits = sum(ch.isdigit() for ch in core)
    if quoted:
        secret = True
    elif said:
        secret = not _PLAIN.fullmatch(core) or (digits >= 4) or (
            not core.isupper() and any(ch.isupper() for ch in core[1:]))
    else:
        secret = len(core) >= 6 and digits > 0
    if not secret:
        return text
    start = match.start(name) - match.start()
    return text[:start] + "[password]" + text[start + len(masked_part):]


def mask_cards_in(value: Any) -> Any:
    """:func:`mask_cards` applied to every string inside ``value`` (dicts, lists, tuples, nested).

    Args:
        value: a JSON-like value (a message's parse data, an IVR recogniser's ``spoken`` record).

    Returns:
        A copy with card numbers masked in every string, dict keys included (a client's metadata
        may hold one there too); other values as is.
    """
    if isinstance(value, str):
        return mask_cards(value)
    if isinstance(value, dict):
        return {mask_cards_in(key): mask_cards_in(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_cards_in(item) for item in value)
    return value


def mask_found(text: str, found: Sequence[Found]) -> str:
    """:func:`mask_pii` for a caller that scanned ``text`` already: one scan then serves the masking and what
    else the caller reads in it (``bot.services.tickets.file_customer_message``: the order number).

    Args:
        text: the scanned text (``None`` and ``""`` come back as is).
        found: :func:`bot.privacy.scanner.scan` of ``text``.

    Returns:
        The text as :func:`mask_pii` returns it.
    """
    return _masked(text, PII, found)


def _masked(text: str, kinds: Collection[str], scanned: Optional[Sequence[Found]] = None) -> str:
    """``text`` with the findings of :func:`scan` of ``kinds`` replaced by :func:`tag_for` (``scanned``: the scan,
    when the caller made it)."""
    if not text:
        return text
    out, cursor = [], 0
    for found in (scan(text) if scanned is None else scanned):
        if found.entity in kinds:
            out.append(text[cursor:found.start])
            out.append(tag_for(found))
            cursor = found.end
    if cursor == 0:
        return text
    out.append(text[cursor:])
    return "".join(out)


def shown_phone(e164: str) -> str:
    """A phone number partly hidden, for telling the customer which number was noted (issue 14).

    A Chinese mobile keeps its first three and last four digits (``+8613900139000`` →
    ``139****9000``), as Chinese services write it; any other number its country code and last
    four digits (``+447700900123`` → ``+44 ****0123``). Never raises.

    Args:
        e164: the number in E.164 (as :func:`bot.text.find_phones` writes it).

    Returns:
        The partly hidden number.
    """
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return f"****{_last_digits(e164)}"
    national = str(number.national_number)
    if number.country_code == 86 and len(national) == 11:
        return f"{national[:3]}****{national[-4:]}"
    return f"+{number.country_code} ****{national[-4:]}"


def shown_email(address: str) -> str:
    """An e-mail address partly hidden (``li.wei@example.com`` → ``l***@example.com``), for telling the
    customer which address was noted (issue 14).

    Args:
        address: the address.

    Returns:
        The partly hidden address (``***`` when it has no ``@``).
    """
    local, at, domain = (address or "").partition("@")
    return f"{local[:1]}***@{domain}" if at else "***"
