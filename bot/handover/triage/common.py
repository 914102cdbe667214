"""What every triage reading shares: the lowered message with its negated emotions blanked, ``one_of`` and
``merged`` (how a later pass's phrasings join the reading they extend), politeness, a question asked for
later (``HYPOTHETICAL``) and "I don't want to complain" (``NOT_COMPLAINING``)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping

from bot.nlu.emotion_lexicon import NEGATED_EMOTION
from bot.text import compile_guarded


@lru_cache(maxsize=1024)  # pure on the text; most readings start from it
def unnegated(text: str) -> str:
    """The message lowered, with its negated emotions ("not upset", 没生气; ``NEGATED_EMOTION``) blanked.

    Args:
        text: the customer's message (None reads as empty).

    Returns:
        The lowered text, its apostrophes straight (:func:`straight_apostrophes`), each negated emotion replaced by a space.
    """
    return NEGATED_EMOTION.sub(" ", straight_apostrophes(text or "").lower())


_CURLY_APOSTROPHE = compile_guarded(r"(?<=[A-Za-z])[’‘`´](?=[A-Za-z])")


def straight_apostrophes(text: str) -> str:
    """The text with each typographic apostrophe inside a word ("hasn’t", which phones type) written straight ("hasn't"),
    as every reading's phrasings are; quotation marks around words (‘fresh’) stay as they are (eighteenth pass).

    Args:
        text: the customer's message.

    Returns:
        The text, the same length.
    """
    return _CURLY_APOSTROPHE.sub("'", text)


def one_of(*patterns: "re.Pattern[str]") -> "re.Pattern[str]":
    """One pattern matching wherever any of ``patterns`` does, each with its own flags: how a later pass's
    phrasings join the reading they extend. Each pattern is wrapped in a scoped group of its flags
    (``(?i-msx:…)``, Python's ``re`` syntax since 3.7): until the thirteenth pass only the first pattern's
    flags were kept, so ``re.IGNORECASE`` of a later list was lost ("Zrg", a declined "No human"); until
    session 24 all flags were merged, so a case-sensitive pattern (a person's name with its capital) was
    read ignoring case when joined with one that ignores it.

    Args:
        patterns: compiled patterns, at least one.

    Returns:
        The compiled alternation, in the order given.

    Raises:
        ValueError: no pattern given.
    """
    if not patterns:
        raise ValueError("one_of needs at least one pattern")
    return compile_guarded("|".join(_scoped(pattern) for pattern in patterns))


#: The ``re`` flags a scoped group can turn on and off, with their letters.
_SCOPED_FLAGS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"))


def _scoped(pattern: "re.Pattern[str]") -> str:
    """``pattern``'s source in a group that turns its own flags on and the others off (``(?i-msx:…)``).

    Raises:
        ValueError: the pattern has a flag a scoped group cannot carry (``re.ASCII``, ``re.LOCALE``).
    """
    if pattern.flags & (re.ASCII | re.LOCALE):
        raise ValueError(f"one_of cannot scope the flags of {pattern.pattern[:40]!r}")
    on = "".join(letter for flag, letter in _SCOPED_FLAGS if pattern.flags & flag)
    off = "".join(letter for flag, letter in _SCOPED_FLAGS if not pattern.flags & flag)
    return f"(?{on}-{off}:{pattern.pattern})"


def merged(*tables: "Mapping[str, re.Pattern[str]] | Iterable[tuple[str, re.Pattern[str]]]") -> "dict[str, re.Pattern[str]]":
    """Tables of kind → pattern joined into one: a kind's patterns from every table (``one_of``, in the
    order given); a kind first named by a later table comes after the earlier tables' kinds.

    Args:
        tables: dicts of kind name → compiled pattern, or sequences of (kind name, pattern) pairs (a kind
            may then come twice).

    Returns:
        A new dict of kind name → compiled pattern.
    """
    parts: "dict[str, list[re.Pattern[str]]]" = {}
    for table in tables:
        for kind, pattern in (table.items() if isinstance(table, Mapping) else table):
            parts.setdefault(kind, []).append(pattern)
    return {kind: one_of(*patterns) for kind, patterns in parts.items()}


POLITE = compile_guarded(
    r"\b(sorry|apolog\w*|thanks|thank you|thx|ty|cheers|appreciate\w*|grateful|no worries)\b"
    r"|不好意思|抱歉|对不起|谢谢|感谢|多谢|辛苦|麻烦(你|您)(们)?了",
    re.IGNORECASE,
)
# "I don't want to make a complaint or anything, but …": no complaint, no action asked.
NOT_COMPLAINING = compile_guarded(
    r"\b(i )?(don'?t|do not) (want|mean|intend|need) to (make|file|raise|lodge|log|put in) (a |an )?(formal |big )?"
    r"(complaint|fuss)\b|\b(i )?(don'?t|do not) (want|mean|intend|need) to complain\b|"
    r"\bnot (trying|wanting|looking|here) to (complain|make a (complaint|fuss))\b|不想投诉|不打算投诉|不是来投诉",
    re.IGNORECASE)


# A question for later, not a case now: "投诉的流程是什么样的？以后备用", "just in case".
HYPOTHETICAL = compile_guarded(
    r"(投诉|退款)(的)?(流程|方式|途径|规则)是(什么|怎样)|以后备用|(先)?存着|备用|(我)?(就|只是|先)?了解一下|不是现在|以防万一|以后(用|参考)|明天再来问也行|"
    r"\b(just in case|for future reference|for later|for the future|not right now|hypothetically)\b",
    re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def is_polite(text: str) -> bool:
    """True for an apology or thanks.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    return bool(POLITE.search(text or ""))


# issue 11, sixteenth pass (tests/dev16; the label definitions' calm look-alike "negative words about things that are not
# the company"): a bad day, the weather, the commute, a boss, an illness — "So I had a horrible commute, my boss yelled at
# me, and it's pouring", "Terrible weather here so I won't make my 3pm check-up", 今天被领导骂，地铁又挤，还下雨.
LIFE_TROUBLE = compile_guarded(
    r"\b(terrible|horrible|awful|rubbish|miserable|lousy|crap|crappy|bad|rough|long|hellish|nightmare) (weather|day|week|morning|"
    r"commute|traffic|cold|flu|shift|monday|year)\b( (here|today|this morning|tonight|again))?"
    r"|\b(the )?(weather|traffic|commute|rain) (here )?(is|was|has been)( so| really| absolutely)? (terrible|horrible|awful|"
    r"rubbish|miserable|bad|a nightmare|dreadful)\b( (here|today|this morning|tonight|again))?"
    r"|\bmy (boss|manager|landlord|neighbou?rs?|kids?|husband|wife|partner|teacher) (yelled|shouted|screamed|snapped|moaned) at me\b"
    r"|\bit'?s (pouring|chucking it down|freezing|boiling)( (outside|here|down))?\b|\b(i'?m|i am|i'?ve been|i have been) "
    r"(ill|sick(?! (of|to death|and tired))|poorly|down with (a |the )?(cold|flu|bug))\b"
    r"|(天气|路上|地铁|公交|高速)[^，。！？]{0,4}(太|好|真|又|超)?(差|糟|堵|挤|冷|热|烂)|(被)(领导|老板|上司|老师)(骂|批|说)了?"
    r"|我(感冒|发烧|生病)了|(今天|这周|最近)(好|真|太)?(倒霉|累|惨)"
    # session 25 (tests/dev25): the weather sworn at ("Raining cats and dogs here, damn", "Bloody hell, this heatwave"), a
    # low mood or a diagnosis told plainly, a film or a book that "destroyed me", a day made hard by someone else
    # ("Frustrating day with my landlord"), 热死了
    r"|\b((bloody hell|damn|ugh|god|jeez|blimey),? )?(it'?s )?(raining cats and dogs|pouring down|this heat(wave)?|the heat(wave)?|"
    r"this (rain|snow|cold|wind|storm|weather)|(so |bloody |damn |freaking )?(cold|hot|freezing|boiling|windy|wet) (today|out there|outside|here))"
    r"( (here|outside|today|again))?(,? (damn|ugh|lol))?\b"
    r"|\b(bloody hell|damn|ugh),? (this|the) (heat(wave)?|rain|snow|cold|weather|wind|storm)\b"
    r"|\b(i'?m |i am |been )?feeling (a bit |quite |really |pretty |so )?(low|down|blue|flat|rough|fragile)( today| lately| this week)?\b"
    r"|\b(i'?ve|i have) (just )?been diagnosed with\b"
    r"|\b(plot twist|ending|finale|episode|film|movie|book|season|match|game|show)( [a-z]+){0,2} (absolutely |totally |completely |just )?"
    r"(destroyed|wrecked|broke|killed|ruined) me\b"
    r"|\b(frustrating|stressful|rough|awful|terrible|horrible|long|bad) (day|week|morning) (with|at|because of) (my|the) (landlord|boss|"
    r"manager|kids?|neighbou?rs?|in-laws|ex|builders?|car|dog|cat|printer|exams?)\b"
    r"|(热|冷|晒|困|累)死(我)?了",
    re.IGNORECASE)
# ... and what makes such words a complaint after all: the company named at fault, or a problem word (the review of the
# sixteenth pass: "The traffic was terrible because your engineer gave the wrong address", 今天好累，你们的客服电话打了一个小时都没人接).
_OUR_FAULT = compile_guarded(
    r"\byour\b|你们|贵司|你家|\byou('?ve| have)? (lost|sent|broke|left|gave|charged|never|didn'?t|installed|delivered|keep|kept|"
    r"promised|cancel+ed|ignored)\b|\bstill\b(?! (open|available|in stock|valid|running|going ahead|happening|on offer|"
    r"(have|has|got) (space|room|stock|any|tables?|seats?)))|\b(again|never|nobody|no one|wrong|broken|stopped|lost|late|delay\w*|missing|soaked|"
    r"ruined|damaged|refund|charg\w*|harass\w*)\b|坏|没人|还没|又|退款|扣|错",
    re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; anger_cue, anger_not_at_us and calm_framing each ask (session 42)
def life_trouble_only(text: str) -> bool:
    """True when the message's negative words are about the customer's life (``LIFE_TROUBLE``: the weather, the commute,
    a boss, an illness) and the rest names no fault of the company and no problem (``_OUR_FAULT``): "Terrible weather
    here so I won't make my 3pm check-up. Can I move it to Friday?".

    Args:
        text: the customer's message (any case).

    Returns:
        True or False.
    """
    lowered = (text or "").lower()
    return bool(LIFE_TROUBLE.search(lowered)) and not _OUR_FAULT.search(LIFE_TROUBLE.sub(" ", lowered))
