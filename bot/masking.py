"""PII masking for transcripts and summaries an agent reads.

Card numbers (Luhn-valid 13–19 digits), Chinese resident ID numbers
(18 characters with a valid check digit), e-mail addresses and phone numbers
are replaced by a type tag keeping the last digits, so an agent can still
say "the card ending 4242" without seeing the number.
"""
from __future__ import annotations

import re

from bot.intake import EMAIL, PHONE

CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
CN_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def luhn_ok(digits: str) -> bool:
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
    body, check = value[:17], value[17].upper()
    return ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11] == check


def _mask_ids(text: str) -> str:
    return CN_ID.sub(lambda m: f"[ID …{m.group(0)[-4:]}]" if cn_id_ok(m.group(0)) else m.group(0), text)


def _mask_cards(text: str) -> str:
    def repl(m: re.Match) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            return f"[card …{digits[-4:]}]"
        return m.group(0)

    return CARD.sub(repl, text)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def mask_pii(text: str) -> str:
    """Text with card, ID, e-mail and phone numbers masked. Order numbers stay."""
    if not text:
        return text
    text = _mask_ids(text)
    text = _mask_cards(text)
    text = EMAIL.sub(lambda m: "[email]", text)
    text = PHONE.sub(lambda m: f"[phone …{_digits(m.group(0))[-4:]}]", text)
    return text
