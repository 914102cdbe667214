"""Customer satisfaction ratings typed or tapped after a human conversation."""
from __future__ import annotations

import re
from typing import Optional

CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}


def parse_rating(text: str) -> Optional[int]:
    """1–5 from "4", "4/5", "5 stars", "五星", "★★★★", "/csat{\"rating\": 3}".

    Args:
        text: the customer's message (typed, a button payload ``/csat{"rating": n}``, or stars).

    Returns:
        The rating 1-5, or None when the message is not a rating.
    """
    text = (text or "").strip()
    stars = text.count("★") or text.count("⭐")
    if stars and 1 <= stars <= 5:
        return stars
    match = re.fullmatch(r"(?:/csat\{\"rating\":\s*)?([1-5])(?:\s*(?:/\s*5|stars?|分|星|颗星)?)\}?[.!。！]*", text, re.I)
    if match:
        return int(match.group(1))
    match = re.fullmatch(r"([一二两三四五])\s*(?:分|星|颗星)[.!。！]*", text)
    if match:
        return CHINESE_DIGITS[match.group(1)]
    return None
