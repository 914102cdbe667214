"""Session 35 (issue 11): a "today" nothing is demanded for, a state "back now", a calm negation and a phishing check
are no anger; a verdict on the service is.

The blind set's English calm message still escalated for emotion is a plain question. Two ways a plain question reaches
the queue were read on the development sets: an anger cue that the wording does not carry (any "today" counted as a
demand, so "so tired today. just want to check my points balance please" needed only 0.5; "it's back now" read as
"now!"; the "scam text" a customer asks about read as "scam"), and a calm negation the calm frames did not list ("I'm
not cross, promise :)", "Not in a hurry or anything"). The messages below were written for this test.
"""
import pytest

from bot.handover.triage.calm import calm_framing
from bot.handover.triage.cases import fraud_question
from bot.handover.triage.mood import anger_cue
from tests.unit.escalation_steps import decide_one, escalates_for_emotion

# a "today" asked about or told, nothing demanded for it and no grievance beside it
CALM_TODAY = [
    "so tired today. just want to check my loyalty points please",
    "how many chats have you had today 😅",
    "my boss is the grumpiest man alive today, hiding in the stockroom chatting to you lol",
    "Is the Leeds branch open today?",
    "what time do you close today",
    "Big day today, moving house! Do you sell packing boxes?",
    "I passed my driving theory test today, do you do learner insurance?",
]

# a "today" demanded, or a grievance beside it
ANGRY_TODAY = [
    "Cancel my contract. Today.",
    "I want the refund processed today.",
    "Fix the boiler today or I'm calling another company.",
    "Put the money back on my card today.",
    "Fourth chat today and nobody can tell me anything",
    "If this isn't sorted today I'm going to the ombudsman.",
    "hi, sort it today please",
    "How are you today? My parcel is two weeks late",
    "how's your day going today, still no refund for me?",
    "It was supposed to be delivered today. Where is it?",
    "Someone needs to ring me today.",
]


@pytest.mark.parametrize("text", CALM_TODAY)
def test_a_today_nothing_is_demanded_for_is_no_anger_cue(text):
    assert not anger_cue(text)
    # at 0.7 (under the one-message threshold, over the cue's 0.5) the message stays with the bot
    assert not escalates_for_emotion(decide_one(text, 0.7))


@pytest.mark.parametrize("text", ANGRY_TODAY)
def test_a_today_demanded_or_beside_a_grievance_stays_a_cue(text):
    assert anger_cue(text)
    assert escalates_for_emotion(decide_one(text, 0.6))


@pytest.mark.parametrize("text, cue", [
    ("The app was down for an hour but it's back now. Any compensation for that?", False),
    ("wifi dropped this morning, it is back now though. how do I check my speed?", False),
    ("I want my money back now", True),
    ("Give me my deposit back now.", True),
])
def test_back_now_after_a_state_is_no_demand(text, cue):
    assert anger_cue(text) is cue


@pytest.mark.parametrize("text", [
    "Horrible service today, can I speak to someone?",
    "awful customer service, three calls and nobody knows anything",
    "very bad company, you charge me two times",
    "Shocking service from start to finish.",
])
def test_a_verdict_on_the_service_is_an_anger_cue(text):
    assert anger_cue(text)
    assert escalates_for_emotion(decide_one(text, 0.6))


def test_a_verdict_on_the_service_that_ended_well_is_not():
    assert not anger_cue("The service was poor last time but it's all sorted now, thanks")


CALM_SAID = [
    "I'm not cross, promise :) just want to check the return reached you.",
    "Not in a hurry or anything, just wondering if my parcel is still due Friday. Tracking 4471 9920.",
    "No hurry at all, when will the sofa be delivered?",
    "It's not urgent, but could you tell me when my refund is due?",
    "I'm really not fussed, just curious whether the blue one comes in a large.",
]

ANGRY_NEGATIONS = [
    "Not urgent?! It's been three weeks.",
    "not in a hurry? I've waited a month",
    "you're not even bothered, are you",
    "No one is in any hurry to help me, clearly.",
]


@pytest.mark.parametrize("text", CALM_SAID)
def test_the_customers_own_calm_said_in_a_negation_is_a_calm_frame(text):
    assert calm_framing(text)
    # read at the calm threshold (0.9): 0.8 stays with the bot
    assert not escalates_for_emotion(decide_one(text, 0.8))


@pytest.mark.parametrize("text", ANGRY_NEGATIONS)
def test_a_negation_asked_back_or_said_of_the_company_is_not(text):
    assert not calm_framing(text)
    assert escalates_for_emotion(decide_one(text, 0.8))


@pytest.mark.parametrize("text", [
    "I'm worried I got a scam text pretending to be you. I didn't click anything. Is there a way to check whether it's fake?",
    "Got an email saying my account is locked. How can I tell if it's really from you?",
])
def test_a_phishing_check_is_a_question_not_anger(text):
    assert fraud_question(text)
    assert not anger_cue(text)
    assert not escalates_for_emotion(decide_one(text, 0.7))


@pytest.mark.parametrize("text", [
    "I got a scam text pretending to be you and I clicked the link and paid £40. How do I check whether it was fake?",
    "your company is a scam. is there a way to check whether this text is real?",
])
def test_a_victim_or_a_scam_said_of_the_company_is_not_a_phishing_check(text):
    assert not (fraud_question(text) and not anger_cue(text))


# A fresh reviewer's probes against the first version (/tmp/s35/review): anger the change had lost or nearly lost.
REVIEW_ANGER_CUES = [
    "Your support today was abysmal.",
    'So the "fixed" bug is back now. Shocking.',
    "Great, the error is back now. Well done everyone.",
    "I'm reporting you to trading standards today.",
    "Contacting my solicitor today.",
    "Leaving a 1 star review today, you've earned it.",
    "This is the last time I deal with you, today was the final straw.",
    "Can someone actually call me today, like you said you would.",
    "Thanks for absolutely nothing today.",
    "thanks for wrecking my birthday today",
    "Your company sent me a scam text? Is there a way to check whether it's fake or have you sold my data?",
    "Got another scam email using your logo, how can I tell if it's real? Sort your security out.",
]

REVIEW_NOT_CALM = [
    "No pressure, it's only my wedding dress you've lost.",
    "Not urgent apparently, says your agent, while I sit in the cold.",
    "Not urgent at all, just my entire month's rent you've taken.",
    "No hurry, it's only been six weeks.",
    "I'm not in a hurry, I'm in a rage.",
    "no hurry my foot. sort it.",
    "Apparently my complaint is not urgent to your team.",
    "Not in any hurry to give you another penny",
    "I'm not bothered about your excuses, I want this sorted.",
]

REVIEW_CALM = [
    "I'm not fussed either way, happy with a refund or a replacement.",
    "No hurry, it's only a birthday card, next week is fine",
    "Got a suspicious letter with your logo, how do I verify if it's genuine?",
]


@pytest.mark.parametrize("text", REVIEW_ANGER_CUES)
def test_the_reviewers_anger_keeps_its_cue(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", REVIEW_NOT_CALM)
def test_the_reviewers_sarcasm_hearsay_and_grudges_are_no_calm_frame(text):
    assert not calm_framing(text)
    assert escalates_for_emotion(decide_one(text, 0.8))


@pytest.mark.parametrize("text", REVIEW_CALM)
def test_the_reviewers_calm_look_alikes_are_calm_frames(text):
    assert calm_framing(text) and not anger_cue(text)


# session 34's reviewer: anger said without "I'm", understated, or as a debt
@pytest.mark.parametrize("text, cue", [
    ("when will my order arrive, so annoyed", True),
    ("when will my order arrive, I'm not impressed", True),
    ("Not impressed.", True),
    ("my patience has limits", True),
    ("I'm owed an answer", True),
    ("you took my money fast enough", True),
    ("so annoyed with myself, I ordered the wrong size", False),
    ("I'm not impressed with myself lol", False),
    ("I was so impressed with the driver", False),
])
def test_anger_said_without_the_subject_or_understated_is_a_cue(text, cue):
    assert anger_cue(text) is cue


# A second fresh reviewer's probes (/tmp/s35/review3): a "today" demanded in other words, a fault "back now" in other
# words, sarcasm beside "no hurry", and phishing checks whose sender had the customer's own data (a fraud case)
@pytest.mark.parametrize("text", [
    "Kindly sort this out today.",
    "Today, not tomorrow.",
    "Maybe today someone will read my emails.",
    "I trust this will be sorted today.",
    "Oh good, the buffering is back now.",
    "the issue has come back now",
    "Annnnd the outage came back now",
    "so the slow speeds are back now",
    "Typical, the delays are back now",
])
def test_the_second_reviewers_anger_keeps_its_cue(text):
    assert anger_cue(text)


def test_sarcasm_beside_no_hurry_is_no_calm_frame():
    assert not calm_framing("No hurry, I've only waited a month.")


@pytest.mark.parametrize("text", [
    "I've had a fake text using your name with my actual order number on it. How do I check whether it's real? "
    "How did they get my order details?!",
    "Fake texts again, someone clearly has your customer list. How do I know if it's real?",
    "How am I meant to know if it's genuine when your own emails come from random addresses?",
    "Got a fake text mentioning my recent order. How do I check if it's genuine? How did they get that??",
])
def test_a_sender_who_had_the_customers_data_is_no_phishing_check(text):
    assert not fraud_question(text)


@pytest.mark.parametrize("text", [
    "Thank you for destroying my old hard drive securely as requested, very professional.",
    "Thanks for spoiling us with the extra samples!",
    "thanks for making moving day less of a nightmare",
])
def test_thanks_that_mean_it_are_no_sarcasm(text):
    assert not anger_cue(text)


@pytest.mark.parametrize("text", [
    "Got a text with my delivery slot for tomorrow, is it really from you?",
    "I got an email mentioning my order number, is this really from you or a scam?",
])
def test_a_message_that_carries_the_customers_own_details_is_still_a_phishing_check(text):
    # a genuine message carries the customer's details too: only one called fake that did is a fraud case
    assert fraud_question(text) and not anger_cue(text)


# a fresh new user's probe: a word of ours dismissed is anger; a foot is a foot
@pytest.mark.parametrize("text, cue", [
    ("no hurry my foot, sort it", True),
    ("Shortly my foot. It's been two weeks.", True),
    ("I dropped the kettle on my foot, do you sell a lighter one?", False),
])
def test_a_word_of_ours_dismissed_is_an_anger_cue(text, cue):
    assert anger_cue(text) is cue
