"""``bot.text.compile_guarded``: a pattern with a lookahead of its possible first characters finds
exactly what the plain pattern finds (thirteenth pass of issue 11: the hand-over readings' speed).

Each hand-over reading module is run a second time with ``re.compile`` in place of
``compile_guarded``, and every pattern it defines is compared with its guarded twin on the
development sets' messages: the same spans from ``finditer``, the same ``sub`` output.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings, strategies as st

from bot.handover.triage import common as triage_common
from bot.text import compile_guarded, first_char_guard
from tests.conftest import PROJECT_ROOT

READING_MODULES = tuple(f"bot/handover/triage/{name}.py" for name in ("common", "person", "goods", "cases", "reports",
                                                                    "mood", "calm", "misreads")) + (
    "bot/handover/hazards.py", "bot/nlu/emotion_lexicon.py", "bot/nlu/declined.py")

# Patterns the guard must leave alone (a match may start anywhere or be empty) and ones it must guard.
UNGUARDED = [r"a*", r"(x)?", r".bc", r"[^a]bc", r"(?i)abc", r"\bfoo|", r"(?:\d+)?x?"]
GUARDED = [r"\b(talk|speak) to\b", r"(?<!请问)(今天|明天)(处理|退)", r"(转|转接)(一下)?[^，]{0,4}部门", r"\d{4} ?\d{4}",
           r"(?:a|b)?c", r"[A-Za-z]+-\s*x", r"\bfire\b|着火", r"(?=foo)\w+", r"x{2,3}y|[-\]]z", r"(a)\1",
           # one_of's scoped groups: a case-sensitive name beside a list that ignores case
           r"(?-imsx:\bis [A-Z][a-z]+ to)|(?i-msx:\btalk\b|转接)", r"(?i-msx:(?-i:T)alk)|(?-imsx:x+)"]
TRICKY = st.text(alphabet=st.sampled_from(list("abcxyzfiretoTALKSpeak -]\\1234\n今天明天处理退转接一下部门请问着火，")),
                 max_size=40)


def _dev_texts(limit: int = 1500) -> list[str]:
    texts: list[str] = []
    for path in sorted((PROJECT_ROOT / "tests").glob("dev*/messages.csv")):
        with path.open(encoding="utf-8") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    texts = list(dict.fromkeys(texts))
    return texts[::max(1, len(texts) // limit)] + [t.lower() for t in texts[1::max(1, len(texts) // 300)]]


def _patterns(namespace: dict) -> dict:
    """Every compiled pattern a module defines, by name (dict values as ``NAME[key]``)."""
    found = {}
    for name, value in namespace.items():
        if isinstance(value, re.Pattern):
            found[name] = value
        elif isinstance(value, dict):
            found.update({f"{name}[{key}]": v for key, v in value.items() if isinstance(v, re.Pattern)})
    return found


def _module_twice(path: str) -> tuple[dict, dict]:
    """The module's patterns as imported (guarded) and from its source run with ``re.compile``."""
    import importlib

    module = importlib.import_module(path[:-3].replace("/", "."))
    source = Path(PROJECT_ROOT / path).read_text(encoding="utf-8")
    assert "compile_guarded(" in source
    plain: dict = {"__name__": f"plain_{module.__name__}"}
    # the triage tables are joined by ``one_of`` / ``merged``, which compile in bot.handover.triage.common
    with mock.patch.object(triage_common, "compile_guarded", re.compile):
        exec(compile(source.replace("compile_guarded(", "re.compile("), path, "exec"), plain)  # noqa: S102
    return _patterns(vars(module)), _patterns(plain)


def _same(a: "re.Pattern[str]", b: "re.Pattern[str]", text: str) -> bool:
    return ([m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
            and a.sub("<>", text) == b.sub("<>", text) and bool(a.fullmatch(text)) == bool(b.fullmatch(text)))


@pytest.mark.parametrize("path", READING_MODULES)
def test_every_reading_pattern_finds_what_the_plain_pattern_finds(path):
    guarded, plain = _module_twice(path)
    assert guarded.keys() == plain.keys()
    texts = _dev_texts()
    differ = [(name, text) for name, pattern in guarded.items() for text in texts
              if not _same(pattern, plain[name], text)]
    assert not differ, differ[:5]
    # and the guard is in place on most of them (else the speed-up is gone unnoticed)
    assert sum(p.pattern.startswith(("(?=[", "(?=(?i:[")) for p in guarded.values()) >= 0.8 * len(guarded)


@pytest.mark.parametrize("source", GUARDED)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@settings(max_examples=150, deadline=None)
@given(text=TRICKY)
def test_a_guarded_pattern_matches_like_re(source, flags, text):
    guarded = compile_guarded(source, flags)
    assert guarded.pattern.startswith(("(?=[", "(?=(?i:["))
    assert _same(guarded, re.compile(source, flags), text)


@pytest.mark.parametrize("source", UNGUARDED)
def test_a_pattern_that_may_start_anywhere_is_left_alone(source):
    pattern = re.compile(source)
    assert first_char_guard(pattern) is pattern
    assert compile_guarded(source).pattern == source


def test_a_verbose_pattern_with_a_trailing_comment_still_compiles():
    guarded = compile_guarded("ab  # a comment", re.VERBOSE)
    assert guarded.search("xxab") and guarded.search("xxab").span() == (2, 4)


def test_ignorecase_folds_the_guard_too():
    assert compile_guarded(r"\bhuman\b", re.IGNORECASE).search("get me a HUMAN").span() == (9, 14)
    assert compile_guarded(r"\bhuman\b").search("get me a HUMAN") is None


def test_a_cased_letter_above_the_bmp_still_matches_under_ignorecase():
    # CPython compares a case-insensitive class's non-BMP literal unfolded: the guard writes it as a range
    for source, text in [("x?\U00010400", "\U00010400"), ("x?\U00010400", "\U00010428"), ("\\bx?\U0001E900|s{2}", "\U0001E900")]:
        assert bool(compile_guarded(source, re.IGNORECASE).search(text)) == bool(re.compile(source, re.IGNORECASE).search(text))


@pytest.mark.parametrize("source, flags", [("(?#c)(?i)abc", 0), (" (?i)abc", re.VERBOSE), ("#c\n(?i)abc", re.VERBOSE)])
def test_a_global_flag_after_a_comment_is_left_alone(source, flags):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert compile_guarded(source, flags).search("xABC").span() == (1, 4)


def test_one_of_keeps_each_patterns_own_case():
    """A case-sensitive pattern joined with one that ignores case keeps its capitals (until session 24 ``one_of``
    merged the flags, so "is someone from your team" read as a person asked for by name), and the join is guarded."""
    from bot.handover.triage.common import one_of

    joined = one_of(re.compile(r"\bis [A-Z][a-z]+ (from|at)\b"), re.compile(r"\bhuman\b", re.IGNORECASE))
    assert joined.search("Hi, is Anna from billing in today?")
    assert not joined.search("is someone from billing in today?")
    assert joined.search("A HUMAN please") and joined.search("a human please")
    assert joined.pattern.startswith("(?=(?i:[")
    with pytest.raises(ValueError):
        one_of(re.compile("x", re.ASCII))


BRANCHED = [r"\b(talk|speak) to\b|\bhuman agent\b|(?<!not )\bperson please\b|x",
            r"(?i-msx:\bfoo bar\b|\bbaz qux\b|\bquux zz\b)|(?-imsx:[A-Z]\w+ desk)|zz",
            r"(a)\1|\bxxxx+ yy\b|\byyyyyyyy\b|(?P<n>\d{2,}) ?units|(?=ab)ab\w+c|[(|]abcdefgh|\(ab|cd\)",
            r"((?:\d+ )?times|\bagain and again\b|\bover and over\b)+!"]


def test_each_long_alternative_gets_its_own_guard():
    """Session 25: an alternation of long alternatives (groups included) has a first-character lookahead in front
    of each, so a failed alternative costs one class test; an alternative already guarded gets no second one."""
    from bot.text import _guard_branches

    rewritten = compile_guarded(BRANCHED[0], re.IGNORECASE).pattern
    assert "(?=[ts])\\b(talk|speak) to\\b|(?=[h])\\bhuman agent\\b" in rewritten
    assert "(?=(?=" not in compile_guarded(compile_guarded(BRANCHED[1]).pattern).pattern.replace("(?=(?i:", "")
    assert _guard_branches("ab  # c|d|e", re.VERBOSE) == "ab  # c|d|e"
    assert _guard_branches(r"(?#a[b)\bfoo bar\b|\bbaz qux\b|\bquux zz\b", 0).startswith("(?#")


@pytest.mark.parametrize("source", BRANCHED)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("abcdefghnoprstuxyzqABFXZ (|)!\\0123 .")), max_size=40)
       | st.sampled_from(["talk to human agent", "FOO BAR", "Xavier desk", "12 units", "again and again 3 times!",
                          "aa xxxxx yy", "(abcdefgh", "abz c", "not person please"]))
def test_a_branch_guarded_pattern_matches_like_re(source, flags, text):
    guarded, plain = compile_guarded(source, flags), re.compile(source, flags)
    assert _same(guarded, plain, text)
    assert [m.groups() for m in guarded.finditer(text)] == [m.groups() for m in plain.finditer(text)]
