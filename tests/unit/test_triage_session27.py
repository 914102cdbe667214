"""Session 27 (issue 11, twenty-fifth pass): a plain question asked loud — rows of "!" or "?", a detail in capitals —
with nothing of a grievance in its words is read by its words, not its marks (bot.nlu.emotion_lexicon
.loud_question_as_style, used by ``read_as_style`` for the emotion model and by the triage's anger cue). Read as typed,
"Do you deliver on SUNDAYS??" scored 1.0 angry and was queued.

Each calm wording has angry look-alikes: a status chase, a wait, money back, doubt, sarcasm, a statement of a fault beside
the question, an urgent word in capitals. Those stay as typed (the model and the anger cue read the marks).
"""
import pytest

from bot.handover.policy import Emotion, Turn, decide, load_config
from bot.handover.triage.mood import anger_cue
from bot.nlu.emotion_lexicon import loud_question_as_style, read_as_style
from tests.unit.escalation_steps import decide_one, escalates_for_emotion

CONFIG = load_config()

CALM = [
    # tests/dev25's (read as typed: 0.96 and 0.94, queued)
    "Hello!!! Just checking that my appointment at 3 is still on!!",
    "Is the sale ON tomorrow too or just today???",
    # written for this pass
    "Do you deliver on SUNDAYS??",
    "Hi!!! Can I bring my dog to the store??",
    "Quick one!! Does the large come in BLUE?",
    "Hi, do you deliver on SUNDAYS??",
    "Morning!!! Which platform does the 8:15 to Leeds leave from??",
    "Is the pool open on bank holidays?!?!",
    "Are you open today??",
    "你好！！！想问一下明天还打折吗？？",
    "亲！！这款还有没有货？？",
    "你好，想问一下，明天还打折吗？？",
    "请问！！！会员日是每月几号？？",
    "哈喽！！周末可以预约上门安装吗？？？",
]

ANGRY_LOOK_ALIKES = [
    "WHERE IS MY ORDER???",
    "Is anyone actually there???",
    "Do you even read these???",
    "Hello??? Is my refund coming or not???",
    "WHY is it taking so long???",
    "Is it really that hard to deliver on time???",
    "Can someone PLEASE answer me???",
    "When will my parcel ARRIVE???",
    "The box came CRUSHED, do you do exchanges??",
    "Is it coming TODAY or not???",
    "can you ship it today???",
    "Is the Black Friday price going to be honoured or was that ad just a lie???",
    "upgraded to BUSINESS class with my points and you put me in economy anyway???",
    "Do you deliver at all??? Three weeks now!!",
    "Can I get my money back??? This is the second broken one!!",
    "Hello??? Anybody??",
    "Are you still there???",
    "How long does a refund take here??? I sent it back in MAY",
    "到底什么时候发货？？？",
    "东西都寄回去十天了，仓库也签收了，钱呢？？",
    "抢票的时候服务器崩了，现在黄牛手里全是票，你们是不是跟黄牛一伙的？？",
    "有人管吗？？",
    "在吗？？？在吗？？？",
    "我的快递怎么还没到？？？",
    "又涨价了？？？",
    "能不能快点发货！！！",
    "你们把我的座位换到经济舱了？？？",
]


@pytest.mark.parametrize("text", CALM)
def test_a_plain_question_asked_loud_is_read_by_its_words(text):
    assert loud_question_as_style(text)
    quiet = read_as_style(text)
    assert quiet == quiet.lower() and not any(m in quiet for m in ("!!", "??", "！！", "？？"))
    if "today" not in text:  # the triage's anger cue reads a "today" in a question as a demand (mood._demands); the
        assert not anger_cue(text)  # cue alone does not escalate (test below)


@pytest.mark.parametrize("text", ANGRY_LOOK_ALIKES)
def test_a_chase_a_wait_a_doubt_or_a_fault_beside_the_marks_stays_as_typed(text):
    assert not loud_question_as_style(text)
    assert read_as_style(text) == text


@pytest.mark.parametrize("text", [
    "Do you deliver on SUNDAYS??", "Is the sale ON tomorrow too or just today???", "请问！！！会员日是每月几号？？"])
def test_the_loud_question_does_not_escalate_when_the_words_read_calm(text):
    # the model's reading of the words in lower case (0.0026, 0.0077, 0.0015 with the trained model)
    assert decide([Turn.from_text("faq_hours", Emotion("neutral", 0.9, 0.01), text)], CONFIG) is None


@pytest.mark.parametrize("text", ["WHERE IS MY ORDER???", "Hello??? Is my refund coming or not???", "到底什么时候发货？？？"])
def test_the_look_alikes_still_escalate_for_emotion(text):
    assert escalates_for_emotion(decide_one(text, 0.99, "inform"))


def test_quiet_text_is_not_loud_style():
    assert not loud_question_as_style("Do you deliver on Sundays?")
    assert not loud_question_as_style("")


# Its reviews (helpers, session 27). review27: 280 loud messages written from the label definitions only (140 angry, 140
# calm), before the rule was measured on them; review27b: the 71 angry questions of 166 written to pass the first rule's
# word lists that it took out of the queue; review27c: 112 of 114 angry questions written to pass the reviewed lists (the
# two left out, "Is oxygen extra on the flight too???" and "Is actual internet included … or is that extra???", are read as
# style: README, twenty-fifth pass). No angry one may be read as style; most calm questions are.
def _review_rows():
    from pathlib import Path

    path = Path(__file__).with_name("loud_questions_review27.tsv")
    rows = [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    return [(label, source, text) for label, source, text in rows]


@pytest.mark.parametrize("label, source, text", [r for r in _review_rows() if r[0] == "angry"])
def test_no_reviewed_angry_message_is_read_as_style(label, source, text):
    assert not loud_question_as_style(text)


def test_most_reviewed_calm_questions_are_read_by_their_words():
    calm = [text for label, source, text in _review_rows() if label == "calm"]
    # 49 of review27's 140 calm (the others are news, thanks or statements beside a question: left to the model as typed)
    assert sum(map(loud_question_as_style, calm)) >= 45
