"""Messages built to make the hand-over and emotion readings backtrack (issue 11, session 39: a fresh attacker's review).

Before session 39, "please " twenty times and "today" took the hand-over reading a second, twice as long per added word;
a run of 2,000 spaces took the emotion component 7 s, and 2,000 "!" almost 1 s. Six patterns were rewritten to match the
same texts without trying every split of a run (bot/handover/triage/mood.py ``_TODAY_ORDERED`` and ``_WAIT_OR_COUNT``,
bot/handover/triage/person.py ``_PEOPLE_COUNTED`` and ``PERSON_ZH``, bot/handover/triage/cases.py ``double_charge``,
bot/handover/triage/calm.py ``CALM_SAID``, bot/nlu/emotion_lexicon.py ``_LOUD_ASKING``), and a message's "now"s and
"today"s are read up to 20 of each. Here: each rewritten part finds the same matches as it did (old and new side by side,
on the development sets' messages and on every short message made of the words it reads), and every hostile message of
the review is read to the end. The times are measured by ``bench/hostile_text.py`` (figures in the README), not asserted
here; the bound below only tells a reading that never ends from one that does.
"""
from __future__ import annotations

import csv
import itertools
import re
import threading
from functools import lru_cache
from pathlib import Path

import pytest

from bench.hostile_text import HOSTILE, LONGEST
from bot.handover.policy import Turn
from bot.handover.triage import calm, mood, person
from bot.handover.triage.cases import _CASES_19
from bot.nlu import emotion_lexicon
from bot.text import compile_guarded

ROOT = Path(__file__).resolve().parents[2]
_FILLERS = r"(please|pls|plz|kindly|just|so|and|now|ok|okay|right|look|listen|hi|hello|morning)\b"
_VERBS = r"(sort|fix|cancel|refund|put|send)\b"
_HAN_NUMERALS = "[一二三四五六七八九十两几\\d]"
_OPENERS_ZH = r"(请问|想问(一下|下)?|问一下|问下|你好|您好)"
_SEPARATORS = "[，。！？,!?\\s]"
_COUNT = "[\\d一二两三四五六七八九十几多半]"

# (name, the part as it was, the part as it is now, the pieces every message up to six of them long is made of: the words
# and characters the part reads, its separators and something it does not read): each "now" is the module's rewritten part
REWRITES = [
    ("_TODAY_ORDERED", rf"^(\W*{_FILLERS}[,\s]*)*{_VERBS}", rf"^(\W*{_FILLERS}(\W*{_FILLERS})*[,\s]*)?{_VERBS}",
     ["please", "so", " ", ",", "!", "sort", "x"]),
    ("_WAIT_OR_COUNT", rf"{_HAN_NUMERALS}+(天|次|个?小时|周|个月)", rf"(?<!{_HAN_NUMERALS}){_HAN_NUMERALS}+(天|次|个?小时|周|个月)",
     ["1", "三", "几", "天", "个", "小时", " ", "x"]),
    ("_PEOPLE_COUNTED", r"(几|多少|[\d一二两三四五六七八九十]+)(个|位)?人(?=的|吗|[？?，。,])",
     r"(几|多少|(?<![\d一二两三四五六七八九十])[\d一二两三四五六七八九十]+)(个|位)?人(?=的|吗|[？?，。,])",
     ["1", "三", "几", "多少", "个", "人", "的", "，"]),
    ("double_charge", r"(?:^|[，。！？,!?\s])(?![^，。！？]*(如果|的话|吗|[?？]))[^，。！？]{0,12}(费用|账单|这笔钱)[^，。！？]{0,4}有异议",
     r"(?:^|[，。！？,!?\s])(?=[^，。！？]{0,19}有异议)(?![^，。！？]*(如果|的话|吗|[?？]))"
     r"[^，。！？]{0,12}(费用|账单|这笔钱)[^，。！？]{0,4}有异议",
     [" ", "，", "费用", "这笔钱", "有异议", "如果", "我们的", "x"]),
    ("PERSON_ZH", rf"(^|{_SEPARATORS})(你好|您好)?[，,]?\s*(我)?(想|要)?找(一下)?王老师",
     r"(^|[，。！？,!?]|(?<!\s)\s|\s(?=[你您，,]))(你好|您好)?[，,]?\s*(我)?(想|要)?找(一下)?王老师",
     [" ", "你好", "，", "我", "找", "王老师", "x", "。"]),
    ("_LOUD_ASKING", rf"^\W*{_OPENERS_ZH}?[，,\s]*[^，。！？!?]{{0,24}}(可以|有没有)[^，。！？!?]{{0,24}}(吗|[？?]+)$",
     rf"^\W*(?:{_OPENERS_ZH}[，,\s]*)?[^，。！？!?]{{0,24}}(可以|有没有)[^，。！？!?]{{0,24}}(吗|[？?]+)$",
     ["请问", " ", "，", "@", "可以", "吗", "?", "x"]),
    ("CALM_SAID", r"(?:(\b(i'?m|i am)( really)?|(^|[.!?,;:(]|\b(and|but))\s*)\s*(not|never)\s+(cross|fussed)\b)",
     r"(?:(\b(i'?m|i am)( really)?|(^|[.!?,;:(]|\b(and|but)))\s*(not|never)\s+(cross|fussed)\b)",
     ["i'm", " ", ",", "and", "not", "fussed", "x", "."]),
    ("PERSON_MIXED", r"(转|找|给我)\s*(一下)?\s*(个|一个)?\s*(real )?(human|agent)\b",
     r"(转|找|给我)\s*(?:(一下)\s*)?(?:(个|一个)\s*)?(real )?(human|agent)\b",
     ["转", " ", "一下", "个", "real ", "human", "\t", "x"]),
    ("PERSON_ZH (rg, kf)", r"(转|找)\s*(个|一个)?\s*(?<![a-z])(rg|kf)(?![a-z])",
     r"(转|找)\s*(?:(个|一个)\s*)?(?<![a-z])(rg|kf)(?![a-z])", ["转", " ", "个", "一个", "rg", "kf", "a", "\t"]),
    ("_ANGER_10", r"know anything(?=\s*(at all)?\s*([?.!]|$|or\b))", r"know anything(?=\s*(?:(at all)\s*)?([?.!]|$|or\b))",
     ["know anything", " ", "at all", "?", "or", "x", "."]),
    ("_LOUD_GRIEVANCE", rf"\d+ ?(pounds?|quid)|{_COUNT}+ ?(块|元)|{_COUNT}+ *个? *(天|星期)",
     rf"(?<!\d)\d+ ?(pounds?|quid)|(?<!{_COUNT}){_COUNT}+ ?(块|元)|(?<!{_COUNT}){_COUNT}+ *(?:个 *)?(天|星期)",
     ["1", "两", "几", " ", "个", "天", "块", "pounds"]),
]


@lru_cache(maxsize=1)  # read once for all the parametrized cases
def _development_texts() -> tuple[str, ...]:
    texts = []
    for path in sorted(ROOT.glob("tests/dev*/messages.csv")):
        with path.open(encoding="utf-8") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    return tuple(texts)


def _spans(pattern: "re.Pattern[str]", text: str) -> list:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name, before, after, _pieces", REWRITES, ids=[r[0] for r in REWRITES])
def test_each_rewritten_part_matches_the_development_messages_as_before(name, before, after, _pieces):
    old, new = compile_guarded(before, re.IGNORECASE), compile_guarded(after, re.IGNORECASE)
    for text in _development_texts():
        for variant in (text, text.lower()):
            assert _spans(new, variant) == _spans(old, variant), (name, variant)


@pytest.mark.parametrize("name, before, after, pieces", REWRITES, ids=[r[0] for r in REWRITES])
def test_each_rewritten_part_matches_every_short_message_of_its_pieces_as_before(name, before, after, pieces):
    """Every message of up to six pieces (8 pieces: 299,593 messages), so no arrangement of them is left to chance."""
    old, new = compile_guarded(before, re.IGNORECASE), compile_guarded(after, re.IGNORECASE)
    for length in range(7):
        for chosen in itertools.product(pieces, repeat=length):
            text = "".join(chosen)
            assert _spans(new, text) == _spans(old, text), (name, text)


def test_the_rewritten_parts_are_the_modules_own():
    """The parts above are the ones the modules read with: each module pattern carries the rewritten wording."""
    assert "(?<![\\d一二两三四五六七八九十])" in person._PEOPLE_COUNTED.pattern
    assert "(?<![一二三四五六七八九十两几\\d])" in mood._WAIT_OR_COUNT.pattern
    assert "(?=[^，。！？]{0,19}有异议)" in _CASES_19["double_charge"].pattern
    assert "(?<!\\s)\\s" in person.PERSON_ZH.pattern and "\\s(?=[你您，,])" in person.PERSON_ZH.pattern
    assert "|^\\W*(?:(请问|" in emotion_lexicon._LOUD_ASKING.pattern
    assert "seriously)))\\s*(not|never)" in calm.CALM_SAID.pattern
    assert "(转|找|要|叫|换|接|联系|给我)\\s*(?:(一下)\\s*)?(?:(" in person.PERSON_MIXED.pattern
    assert "(?=\\s*(?:(at all)\\s*)?(" in mood._ANGER_10.pattern
    assert emotion_lexicon._LOUD_GRIEVANCE.pattern.count("(?<![\\d一二") == 2
    assert "(?<!\\d)\\d+ ?(pounds?" in emotion_lexicon._LOUD_GRIEVANCE.pattern
    assert "+ *(?:个 *)?(星期|礼拜|钟头|个月)" in emotion_lexicon._LOUD_VERDICT.pattern
    assert mood._TODAY_ORDERED.search("please, just sort it today") and mood._TODAY_ORDERED.search("hi  so fix it")
    assert not mood._TODAY_ORDERED.search("please!! sort it")  # after the last opening word only commas and spaces


def test_a_message_is_read_for_its_first_twenty_nows_and_todays():
    """Each "today" and "now" is read on the text around it; a message of hundreds of them took 0.7 s, so the first 20
    of each are read (``mood._MOST_READ``): no customer writes more."""
    demanded = "so tired today. " * 3 + "Sort it today."
    assert mood._demands(demanded.lower())
    assert not mood._demands(("so tired today. " * mood._MOST_READ + "sort it today.").lower())
    assert mood._demands(("so tired today. " * (mood._MOST_READ - 1) + "sort it today.").lower())


def _finishes(call, text: str, seconds: float) -> bool:
    done = threading.Event()

    def run() -> None:
        call(text)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(seconds)


@pytest.mark.parametrize("label, text", list(HOSTILE.items()), ids=list(HOSTILE))
def test_every_hostile_message_is_read_to_the_end(label, text, emotion_model):
    from bot.nlu.featurizers import embed

    assert len(text) <= LONGEST  # what the channels let through
    from connectors.rest import MAX_MESSAGE_CHARS

    assert LONGEST == MAX_MESSAGE_CHARS
    # a hang guard, not a speed figure: before session 39 the worst of these took 12 s, or grew without bound
    assert _finishes(lambda t: Turn.from_text("complain", None, t), text, 30), label
    vector = embed([text])
    assert _finishes(lambda t: emotion_model.predict([t], vector), text, 30), label
