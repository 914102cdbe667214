"""Intake facts found in free text: order numbers, e-mails, phone numbers."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.orders import find_order_numbers

EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Boundaries are ASCII-only: "手机号15800003927" has no space before the number.
# Chinese mobile numbers (11 digits starting 1[3-9], optionally +86) and
# international numbers written with a leading +; separators allowed.
PHONE = re.compile(
    r"(?<![A-Za-z0-9+])(?:\+86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)"
    r"|(?<![A-Za-z0-9+])\+\d{1,3}(?:[\s-]?\d){6,13}(?!\d)"
)


@dataclass(frozen=True)
class Found:
    entity: str
    start: int
    end: int
    value: str


def normalise_phone(raw: str) -> str:
    """E.164 where the country is known (bare Chinese mobiles become +86)."""
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("+"):
        return digits
    if len(digits) == 11 and digits[0] == "1":
        return "+86" + digits
    return digits


def extract_intake(text: str) -> list[Found]:
    """Order numbers, e-mails and phones in ``text``, non-overlapping, in order."""
    found: list[Found] = [Found("order_number", s, e, v) for s, e, v in find_order_numbers(text)]
    taken = [(f.start, f.end) for f in found]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in EMAIL.finditer(text):
        if free(match.start(), match.end()):
            found.append(Found("email", match.start(), match.end(), match.group(0).lower()))
            taken.append((match.start(), match.end()))
    for match in PHONE.finditer(text):
        if free(match.start(), match.end()):
            found.append(Found("phone", match.start(), match.end(), normalise_phone(match.group(0))))
            taken.append((match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)
