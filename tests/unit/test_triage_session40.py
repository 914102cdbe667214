"""Session 40: "you people" addresses the company and names no person.

A new user's report: "You people are useless!!! I've been waiting 3 weeks for QX-100006, refund me NOW" was read by
the intent classifier as ``request_human`` (0.39; the request reader said 0.007) and, because "people" counted as a
person named, handed over as "asked for a person" with the reply "Of course, I'm connecting you with a colleague".
The customer asked for a refund, angrily: the hand-over is for emotion."""
import pytest

from bot.handover.policy import Emotion, Turn, decide, load_config
from bot.handover.triage.person import names_staff

ANGRY = "You people are useless!!! I've been waiting 3 weeks for QX-100006, refund me NOW"


@pytest.mark.parametrize("text", [ANGRY, "Do you people even read these messages?", "I am so fed up with you guys",
                                  "Cancel my membership. I'm done with you lot.", "Honestly, what is wrong with you people?",
                                  "Been on hold with you people for 70 minutes.", "you poeple are useless"])
def test_the_company_addressed_names_no_person(text):
    assert not names_staff(text)


@pytest.mark.parametrize("text", ["can one of you people call me", "I want to talk to one of you guys",
                                  "you guys, I need a human", "get me someone from you people", "let your people ring me",
                                  # a fresh reviewer's: "you people" as the ones to contact
                                  "I want a word with you people", "Can I message you people", "get you people on the line",
                                  "Can I email you people directly", "can one of\nyou people deal with it"])
def test_a_person_asked_for_beside_it_is_still_named(text):
    assert names_staff(text)


def test_the_angry_refund_demand_misread_as_a_request_is_handed_over_for_its_anger():
    decision = decide([Turn.from_text("request_human", Emotion("anger", 0.9, 0.9), ANGRY)], load_config())
    assert decision is not None and decision.code == "negative_emotion"
    assert "customer_request" not in [trigger.code for trigger in decision.triggers]


def test_a_real_request_addressed_to_you_people_stays_a_request():
    text = "You people are useless, just put me through to a manager"
    decision = decide([Turn.from_text("request_human", Emotion("anger", 0.9, 0.9), text)], load_config())
    assert decision is not None and decision.code == "customer_request"
