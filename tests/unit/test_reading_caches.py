"""Per-text caches added in session 42 (issue 11, latency): the privacy scanner's findings and four readings the
hand-over asks for more than once per message. A cache must never change what a caller gets, and the benchmarks must
still time a first read."""
from __future__ import annotations

import datetime as dt

import pytest

import bot.privacy.scanner as scanner
from bench.reading_latency import clear_reading_caches, text_caches
from bot.handover import policy
from bot.handover.policy import Turn
from bot.privacy.masking import mask_cards
from bot.privacy.scanner import cn_id_ok, extract_intake, scan


def test_each_caller_gets_its_own_list_of_findings() -> None:
    text = "Order QX-123456, call me on +44 7700 900123 or mail ann@example.com"
    first = scan(text)
    first.clear()  # a caller that edits its list (masking pops what it has masked)
    again = scan(text)
    assert [f.entity for f in again] == ["order_number", "phone", "email"]
    assert again is not scan(text)
    assert [f.value for f in extract_intake(text)] == ["QX-123456", "+447700900123", "ann@example.com"]


def test_a_card_number_is_never_kept_after_its_reading() -> None:
    """PCI DSS: no card data kept that is not needed. The card masking scans the raw text before the NLU (a fresh
    reviewer's finding, helper-206: the cache held the text and the card's digits until 256 newer texts came)."""
    text = "my card is 4111 1111 1111 1111 123, exp 12/28"
    assert mask_cards(text) == "my card is [card …1111], exp 12/28"
    assert [f.entity for f in scan(text)] == ["card"]
    assert not any("4111" in key[0] for key in scanner._SCANS)
    assert not any("4111111111111111" in repr(found) for found in scanner._SCANS.values())
    assert scan("ring 13800138000") and any("13800138000" in key[0] for key in scanner._SCANS)  # others are kept


def test_the_region_is_part_of_what_is_kept() -> None:
    text = "ring 07700 900123 please"
    assert [f.value for f in scan(text, "CN")] == ["+867700900123"]
    assert scan(text, "GB") == []  # not the CN reading kept from the call before
    assert [f.value for f in scan(text, "CN")] == ["+867700900123"]


class _Day(dt.date):
    """A ``date`` whose ``today()`` the test sets."""

    fake = dt.date(2026, 12, 7)

    @classmethod
    def today(cls) -> dt.date:  # type: ignore[override]
        return cls.fake


def test_an_id_number_born_tomorrow_is_one_the_next_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scanner takes no ID number whose birth date is after today; a finding kept yesterday must not decide today."""
    base = "110105" + "20261208" + "123"
    mistyped = next(base + c for c in "0123456789X" if not cn_id_ok(base + c))  # masked all the same (a typo)
    text = f"my ID is {mistyped} thanks"
    monkeypatch.setattr(scanner, "date", _Day)
    monkeypatch.setattr(_Day, "fake", dt.date(2026, 12, 7))
    assert scan(text) == []
    monkeypatch.setattr(_Day, "fake", dt.date(2026, 12, 8))
    assert [(f.entity, f.value) for f in scan(text)] == [("id_number", mistyped)]


def test_the_benchmarks_clear_every_hand_over_text_cache_and_keep_the_config() -> None:
    text = "Terrible day, and 'worst shop ever' says the review — do you think my time is worthless? Get me a manager."
    Turn.from_text("complain", None, text)
    caches = text_caches("bot.handover")
    names = {c.__name__ for c in caches}
    assert {"about_people_hours", "life_trouble_only", "_wording_anger", "anger_cue", "asks_for_person", "scan"} <= names
    kept = [c for c in caches if c is not scan]  # the scanner keeps its own (it never keeps a card), checked above
    assert any(c.cache_info().currsize for c in kept) and scanner._SCANS
    config_loads = policy._load.cache_info().currsize
    assert clear_reading_caches() == len(caches)
    assert all(c.cache_info().currsize == 0 for c in kept) and not scanner._SCANS
    assert policy._load.cache_info().currsize == config_loads  # a resource, as a running server keeps it


def test_a_reading_read_twice_is_the_same() -> None:
    texts = ["I'm not angry, but 'worst app ever' was my son's review lol. When do agents work on Sundays?",
             "Horrible commute today. Can I move my 3pm check-up to Friday?",
             "你们到底行不行？转人工！", "do you think my time is worthless??"]
    first = [Turn.from_text("complain", None, t) for t in texts]
    clear_reading_caches()
    assert [Turn.from_text("complain", None, t) for t in texts] == first
    assert [Turn.from_text("complain", None, t) for t in texts] == first
