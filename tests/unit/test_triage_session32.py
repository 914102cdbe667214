"""Session 32 (issue 11): small talk about the customer's own day followed by one plain question or request about what
the company sells or does is no anger at us.

The emotion model scores such messages 0.85-1.0 angry ("so tired today. just want to check my points balance please",
tests/dev28; "It's freezing here!!! Do you have any warm gloves in stock?", tests/dev27; the calm probes of session 31's
review). Session 31's rule let only filler stand beside the small talk, because its review found questions beside small
talk to be grievances ("So tired today. Would it kill you to answer an email?"). Now one plain request may stand there
too: a question about stock, delivery, opening hours or the customer's own account, opened by nothing but punctuation,
emoji and filler, with no doubt, dig or person in it, no wait or count, no problem word and no anger cue of its own.
"""
import pytest

from bot.handover.triage.mood import small_talk_not_at_us
from tests.unit.escalation_steps import decide_one, escalates_for_emotion

SMALL_TALK_THEN_A_REQUEST = [
    "so tired today. just want to check my points balance please",
    "It's freezing here!!! ❄️❄️ Do you have any warm gloves in stock?",
    "Ugh what a Monday!!! Anyway, do you sell umbrellas?",
    "I'm SO tired today!!! 😴 can you tell me when my order ships?",
    "Exhausted!!! Quick q, do you ship to Ireland?",
    "my neighbour's been drilling since 7am lol. do you sell ear plugs?",
    "what a week. how do I change my delivery address?",
    "knackered today, what time do you close?",
    "唉今天好累啊！！！对了你们有护腰靠枕吗",
    "今天好累！！！有没有颈椎按摩仪？",
    "啊啊啊周一真的好累！！！对了你们卖雨伞吗",
]

# Its look-alikes: the question beside the small talk is the grievance, a doubt, a person or a way out.
READ_AS_TYPED = [
    "So tired today. Would it kill you to answer an email?",
    "Exhausted today. Who do I have to call to get this sorted?",
    "so tired today. do you have anyone who actually knows what they're doing?",
    "So tired today. Do you sell patience? I ran out waiting for my refund",
    "so tired today. can you tell me when someone will actually reply?",
    "ugh what a monday!!! anyway how do I close my account with you for good?",
    "what a week. do you sell anything that isn't broken?",
    "so tired today. how do I get my money back, it's the third time I ask",
    "今天好累，你们能不能快点处理？？？",
    "今天好累，有没有人管啊",
    # a tiredness of the customer's own beside a demand for an explanation or for someone who can fix it was read as
    # no anger at us by the life-trouble reading of anger_not_at_us (session 31's review)
    "今天好累，有没有一个能解决问题的人？",
    "最近好累，能不能给我一个说法？",
]
NOT_SMALL_TALK = READ_AS_TYPED


@pytest.mark.parametrize("text", SMALL_TALK_THEN_A_REQUEST)
def test_small_talk_then_a_plain_request_is_not_at_us(text):
    assert small_talk_not_at_us(text)
    assert decide_one(text, 0.98, "out_of_scope") is None


@pytest.mark.parametrize("text", NOT_SMALL_TALK)
def test_its_look_alikes_are_not_small_talk(text):
    assert not small_talk_not_at_us(text)


@pytest.mark.parametrize("text", READ_AS_TYPED)
def test_its_look_alikes_hand_over_as_typed(text):
    assert escalates_for_emotion(decide_one(text, 0.98, "out_of_scope"))


def test_the_request_alone_is_not_small_talk():
    assert not small_talk_not_at_us("do you sell umbrellas?")
