"""Session 37: the readings that take capitals or marks as style share one "anger in the words" test, and the
classifier's features, the keyword baseline and the triage share one loudness cue (a word of four capitals).

Each test states what a reader of a message would check: an angry wording keeps its capitals, a plain question
with an acronym loses them, and a problem named counts as anger only where the reading says so."""
from __future__ import annotations

import pytest

from bot.handover.triage.mood import anger_cue
from bot.nlu.emotion_lexicon import SHOUTED_WORD, acronyms_read_lower, anger_in_words, cue_features, keyword_negative


@pytest.mark.parametrize("text", [
    "this is a joke, where is my parcel",            # an angry word
    "oh great, another delay. thanks a lot",         # sarcasm
    "do you even read these messages",               # rhetorical doubt
    "refund me now",                                 # a demand
    "stop sending me the same link",                 # "same help again"
])
def test_angry_wordings_are_anger_in_the_words(text):
    assert anger_in_words(text)


@pytest.mark.parametrize("text", ["what time do you open on sunday", "can i pay by bank transfer", "is the jpeg format ok"])
def test_plain_questions_carry_no_anger_in_their_words(text):
    assert not anger_in_words(text)


def test_a_problem_named_counts_only_when_the_reading_asks_for_it():
    text = "my parcel is missing, can you check the dpd tracking"
    assert anger_in_words(text)
    assert not anger_in_words(text, problem=False)


def test_an_acronym_in_a_plain_question_is_read_in_lower_case_but_a_shouted_demand_keeps_its_capitals():
    assert acronyms_read_lower("Can I send the photos as JPEG?") == "Can I send the photos as jpeg?"
    assert acronyms_read_lower("REFUND ME NOW, where is the HDR I paid for?") == "REFUND ME NOW, where is the HDR I paid for?"
    # the reading is cached on the text: a second call gives the same string
    assert acronyms_read_lower("Can I send the photos as JPEG?") == "Can I send the photos as jpeg?"


@pytest.mark.parametrize("text, shouted", [("WHERE is my order", True), ("my ISBN is wrong", True), ("ok ABC", False),
                                           ("where is my order", False)])
def test_one_loudness_cue_for_the_features_the_baseline_and_the_triage(text, shouted):
    assert bool(SHOUTED_WORD.search(text)) is shouted
    assert bool(cue_features(text)[1] == 1.0) is shouted  # the second feature, "shouting"


def test_the_triage_reads_a_question_with_an_acronym_as_calm_and_a_shouted_word_as_anger():
    assert not anger_cue("Could you tell me if the HVAC unit ships with a JPEG manual?")
    assert anger_cue("WHERE is my refund?")
    assert keyword_negative("WHERE is my refund?")
