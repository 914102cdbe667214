"""Session 34 (issue 11): a bare question about when something will come is read at the calm threshold.

After the thirty-first pass's training file (``small_talk_en2.csv``, whose angry third has rows such as "quick question
for the 5th time: when is my order arriving") the emotion model scores some terse status questions just over the
one-message threshold: "when will my fire extinguisher arrive, order 55120" 0.76, "what's the delivery date for order
99120" 0.78. By the label definitions they are calm plain questions. The policy reads a bare one at
``calm_framing_threshold`` (0.9). Only a bare question counts (a reviewer's probes put a grievance beside it that no
anger cue reads: "... you promised it for monday and it's thursday"), not an exasperated "when will it actually /
ever / finally arrive", and the reading does not carry to the next turn. The messages below were written for this test
(the reviewer's own probes are in ``REVIEW``).
"""
import pytest

from bot.handover.policy import Emotion, Turn, decide
from bot.handover.triage.calm import bare_status_question
from tests.unit.escalation_steps import CONFIG, decide_one, escalates_for_emotion

CALM_STATUS_QUESTIONS = [
    "when will my fire extinguisher arrive, order 55120",
    "what's the delivery date for order 99120",
    "when will my sofa be delivered? order 88231",
    "When is my parcel arriving, order number 40912",
    "has my order shipped yet? ref 30021",
    "what time will the driver come tomorrow",
    "when will the bike helmet be back in stock",
    "What is the estimated delivery date for my blender?",
]

ANGRY_STATUS_QUESTIONS = [
    "when will my order arrive?? this is ridiculous",
    "When will my refund be sent? This is the fourth time I'm asking.",
    "so when will my order actually arrive, or is that too hard a question",
    "when will it EVER arrive",
    "When exactly will my sofa be delivered? You've cancelled twice already.",
    "has my order finally shipped or are you still sitting on it",
    "When will my order arrive? Three weeks late now. Unacceptable.",
    "when is my parcel arriving, I've asked three times now",
]


@pytest.mark.parametrize("text", CALM_STATUS_QUESTIONS)
def test_a_bare_status_question_is_read_at_the_calm_threshold(text):
    assert bare_status_question(text)
    # the model's 0.76-0.85 on a terse question no longer hands over by itself; a reading of 0.95 still does
    assert decide_one(text, 0.85) is None
    assert escalates_for_emotion(decide_one(text, 0.95))


@pytest.mark.parametrize("text", ANGRY_STATUS_QUESTIONS)
def test_an_angry_status_question_keeps_the_one_message_threshold(text):
    assert not bare_status_question(text)
    assert escalates_for_emotion(decide_one(text, 0.85))


# A reviewer's angry probes (session 34, /tmp/s34/review34): a grievance beside the question that no anger cue reads.
REVIEW = [
    "when will my order arrive... again",
    "when will my order arrive? you promised it for monday and it's thursday",
    "when will my parcel arrive, nobody has replied to any of my emails",
    "when will my order arrive, been waiting 10 days",
    "when will my order get here, so annoyed",
    "when will my order ship, you took my money fast enough",
    "when will my order arrive, otherwise I'm leaving a review everywhere",
    "what is the expected delivery date, because I'm about to cancel",
]


@pytest.mark.parametrize("text", REVIEW)
def test_a_grievance_beside_the_question_is_no_bare_status_question(text):
    assert not bare_status_question(text)
    assert escalates_for_emotion(decide_one(text, 0.85))


@pytest.mark.parametrize("follow_up", ["I was told 3 days, it's been 3 weeks", "I've been very patient", "not impressed"])
def test_the_reading_does_not_carry_to_the_next_turn(follow_up):
    first = Turn.from_text("order_status", Emotion("neutral", 0.3, 0.3), "when will my order arrive?")
    assert first.status_question and not first.calm_framing
    second = Turn.from_text("inform", Emotion("anger", 0.85, 0.85), follow_up)
    assert escalates_for_emotion(decide([first, second], CONFIG))


@pytest.mark.parametrize("text", ["where is my order 77812?", "is order 23344 out for delivery today?",
                                  "my order says dispatched", "when I ordered it said two days",
                                  "when will my pram be delivered, my baby is due tomorrow and you promised last week"])
def test_other_questions_and_statements_are_no_bare_status_questions(text):
    assert not bare_status_question(text)
