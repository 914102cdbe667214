"""bot.nlu.spoken.yes_or_no: the answer to a read-back ("…, is that right?") or a call-back offer.

One table, both languages: answers that contain a "no" word but mean yes
(没错, "no problem"), plain and colloquial yeses and noes, negations, and
answers that are no answer (asked again). The bridge used to check a "no"
pattern (错, 不, \\bno\\b) first, so 没错 was a no, and did not know 嗯 or "yup".
"""
from __future__ import annotations

import pytest

from bot.nlu.spoken import NO_PHRASES, YES_PHRASES, yes_or_no

YES = [
    # yes said with a "no" word in it
    "没错", "对，没错", "没有错", "不错", "yeah no problem", "yes, no mistake", "no problem", "not wrong",
    "nothing wrong with it",
    # Chinese
    "是", "是的", "对", "对的", "嗯", "嗯嗯", "正确", "没问题", "行", "好的", "可以", "确认", "对对对", "嗯，是的",
    # English
    "yes", "Yes.", "yeah", "yup", "yep", "uh huh", "uh-huh", "mm-hmm", "mhm", "exactly", "absolutely",
    "sounds good", "correct", "that's right", "That’s right", "that is correct", "sure", "okay", "yes please",
    "yes that's my order", "um, yes", "right", "spot on",
    # said the way recognisers write it (full width)
    "ＹＥＳ",
]
NO = [
    "no", "No.", "nope", "nah", "that's wrong", "no it isn't", "no, it is not", "that's not right",
    "that is not correct", "incorrect", "wrong number", "not quite", "I don't think so", "no no",
    "不对", "不是", "不是的", "错了", "不正确", "不对，不是这个", "嗯，不对不对",
]
UNCLEAR = [
    "", "hello", "what?", "I want to check my order", "yes, no, wait", "是不是", "你好", "我不知道", "not sure",
    "is it?", "对不对", "hmm",
]


# Second review of issue 15: a no split by punctuation or a pause is no yes (不，错了 holds 不错,
# "no, mistake there" holds "no mistake"); a negator before a yes word is a no; half answers are unclear.
NO_ACROSS_CLAUSES = [
    "不，错了", "不！错了！", "不 错", "没，错了", "不，错", "no, mistake there", "no! mistake", "nope, wrong",
    "no, problem is you got it wrong", "that ain't right", "not exactly right", "not exactly", "not quite right",
    "no not quite", "不完全对", "不是很对", "对不上", "不是，是三", "no, it is three", "不太对吧", "并不对", "not even close",
]
UNCLEAR_HALF_ANSWERS = ["差不多", "不好说", "差不多吧", "more or less"]
YES_STILL = ["没错，没错", "对，不错", "yes, no problem", "yes it is", "是对的", "没有问题", "不错不错", "bang on"]


@pytest.mark.parametrize("text", NO_ACROSS_CLAUSES)
def test_a_no_split_by_punctuation_or_negated_is_a_no(text):
    assert yes_or_no(text) is False, text


@pytest.mark.parametrize("text", UNCLEAR_HALF_ANSWERS)
def test_half_answers_are_asked_again(text):
    assert yes_or_no(text) is None, text


@pytest.mark.parametrize("text", YES_STILL)
def test_yes_phrases_still_yes_after_the_clause_split(text):
    assert yes_or_no(text) is True, text


@pytest.mark.parametrize("text", YES)
def test_yes(text):
    assert yes_or_no(text) is True, text


@pytest.mark.parametrize("text", NO)
def test_no(text):
    assert yes_or_no(text) is False, text


@pytest.mark.parametrize("text", UNCLEAR)
def test_unclear_answers_are_asked_again(text):
    assert yes_or_no(text) is None, text


def test_no_phrase_is_both_a_yes_and_a_no():
    assert not set(YES_PHRASES) & set(NO_PHRASES)
