"""One reading of "a problem with the goods" for both its readers (``bot.handover.triage.goods``).

``needs_person_case`` reads it after the usual steps (``after_steps``); ``actions/handoff.py`` ``reports_problem``
reads it during a call-back (for the colleague, not the order's status). Until the eighteenth pass each had its own
table and they disagreed ("破损", "少发", "faulty" read by one; "late", "迟迟不到", "stolen" by the other).
"""
from __future__ import annotations

import pytest

from actions.handoff import reports_problem
from bot.handover.triage import GOODS_PROBLEM, goods_problem, needs_person_case

STEPS = {"en": " I already asked the courier.", "zh": "，我已经问过快递员了。"}

PROBLEMS = [
    # damaged, wrong, faulty
    ("en", "My order arrived damaged."), ("en", "The mug came broken and the box was smashed."),
    ("en", "You sent the wrong size."), ("en", "The headphones are faulty."), ("en", "The lamp stopped working."),
    ("en", "The vase arrived leaking water."), ("en", "The kettle has a dent in it."),
    ("zh", "收到的杯子破损了"), ("zh", "衣服发错了"), ("zh", "耳机开不了机"), ("zh", "屏幕碎了"), ("zh", "到了就漏水"),
    # missing, lost, stolen, empty
    ("en", "One item is missing from my parcel."), ("en", "My parcel was lost in the post."),
    ("en", "The box was empty."),
    ("zh", "少发了一件"), ("zh", "漏发了一个配件"), ("zh", "快递被偷了"), ("zh", "包裹丢了"), ("zh", "快递柜里是空的"),
    # never arrived, not received
    ("en", "My parcel never arrived."), ("en", "It never came."), ("en", "I haven't received my order."),
    ("en", "Tracking says delivered but nothing came."), ("en", "The package is stuck in customs."),
    ("zh", "我没收到快递"), ("zh", "显示已签收，但是我没收到"), ("zh", "物流一直不动"), ("zh", "还没发货"),
    # late
    ("en", "My order is late."), ("en", "The delivery is delayed by a week."), ("en", "My order is overdue."),
    ("zh", "快递迟迟不到"), ("zh", "包裹延误了"), ("zh", "快递延迟了三天"),
]

# Not a problem with the goods, even beside steps tried: questions, a lost order number or code, thanks.
CALM = [
    ("en", "What's the status of QX-100003?"), ("en", "Has it been shipped yet?"), ("en", "What are your opening hours?"),
    ("en", "I lost the order number, what's the status of QX-100003"), ("en", "I didn't get the reset code."),
    ("en", "Can I pay with Alipay?"), ("en", "The parcel arrived today, thank you!"),
    ("zh", "QX-100003 到哪了？"), ("zh", "QX-100003 发货了吗？"), ("zh", "我把单号丢了，QX-100003 到哪了？"),
    ("zh", "我没收到验证码"), ("zh", "可以用支付宝付款吗？"), ("zh", "包裹今天到了，谢谢！"),
]

# A problem only beside steps tried; a question (or nothing) alone.
BESIDE_STEPS = [
    ("en", "Tracking shows delivered."), ("en", "Has it been marked delivered yet?"),
    ("zh", "显示已签收"), ("zh", "显示签收了吗？"), ("zh", "物流查不到"),
]


def _after_steps(text: str) -> bool:
    return needs_person_case(text) == "after_steps"


@pytest.mark.parametrize("language,text", PROBLEMS)
def test_both_readings_take_a_problem_with_the_goods(language, text):
    with_steps = text + STEPS[language]
    assert reports_problem(text) and goods_problem(text), text  # during a call-back: for the colleague
    assert reports_problem(with_steps) and _after_steps(with_steps), with_steps  # after the steps: a person


@pytest.mark.parametrize("language,text", CALM)
def test_neither_reading_takes_a_calm_question_or_what_is_no_goods(language, text):
    with_steps = text + STEPS[language]
    assert not reports_problem(text) and not goods_problem(text), text
    assert not reports_problem(with_steps) and not _after_steps(with_steps), with_steps


@pytest.mark.parametrize("language,text", BESIDE_STEPS)
def test_a_phrasing_that_needs_steps_beside_it_is_read_the_same_way_by_both(language, text):
    with_steps = text + STEPS[language]
    assert not reports_problem(text) and not _after_steps(text), text  # a status question still gets the status
    assert reports_problem(with_steps) and _after_steps(with_steps), with_steps


@pytest.mark.parametrize("language,text", PROBLEMS + CALM + BESIDE_STEPS)
def test_the_two_readers_agree_on_every_phrasing(language, text):
    for said in (text, text + STEPS[language]):
        assert reports_problem(said) == goods_problem(said)
        assert _after_steps(said) == (goods_problem(said) and said != text), said


def test_a_fixed_leak_is_no_problem_and_the_table_is_one_pattern():
    assert not reports_problem("家里水管漏了一点，已经修好了，这种情况需要报保险吗？")
    assert not _after_steps("车胎补完又漏了一次，不过第二次师傅换了内胎就好了，谢谢啦。")
    assert GOODS_PROBLEM.search("最坏的情况能免费退吗？") is None  # "the worst case", not a broken thing


@pytest.mark.parametrize("text,case", [("The parcel was stolen from my porch. I already asked the courier.", "fraud"),
                                       ("The water bottle arrived leaking. I already asked the courier.", "safety")])
def test_a_more_urgent_case_comes_before_after_steps(text, case):
    assert reports_problem(text) and needs_person_case(text) == case
