"""Which safety step a safety case gets (``bot.handover.safety.hazards_named``), issue 11, twelfth pass.

The triage (``needs_person_case``) decides that a message is a safety case; ``HAZARDS`` decides which
step the customer is told. The two are separate vocabularies, so a case the triage reads could get the
lead alone ("your safety comes first") and no step: 23 of the 195 safety cases of the development sets
and the tests did (the wrong medicine, a child's car seat, glass in a salad, 洗衣机门电了我一下,
"carbon monxide"). The guard below keeps the two from drifting apart again.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.handover.safety import ADVICE, hazards_named, safety_advice
from bot.handover.triage import needs_person_case

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text, hazards", [
    # written for this test
    ("the pharmacy sent my mum's blood pressure pills but the strip says metformin", ["medicine"]),
    ("药房配的药和处方上的不一样，药盒上的名字也不是我", ["medicine"]),
    ("the high chair's leg folded while my son was sitting in it", ["child"]),
    ("婴儿床的护栏一推就掉下来了", ["child"]),
    ("there was a bit of blue plastic inside the chicken wrap", ["food"]),
    ("面包里发现了一根金属丝", ["food"]),
    ("my 3 year old licked some of the bleach cleaner", ["swallowed"]),
    ("吹风机插头碰了一下就电了我一下", ["electric"]),
    ("fell off the ladder when the step snapped, think I fractured my ankle", ["health"]),
    ("the e-scooter brake失灵了 on the way down", ["vehicle"]),
])
def test_each_kind_of_safety_case_names_its_hazard(text, hazards):
    assert hazards_named(text) == hazards


@pytest.mark.parametrize("text", [
    "the dishwasher tablets arrived crushed in the box",  # no medicine
    "can I order the formula in a bigger tin?",
    "the toy arrived late but my son loves it",
])
def test_look_alikes_name_no_new_hazard(text):
    assert not {"medicine", "child", "food"} & set(hazards_named(text))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_new_steps_are_said_in_the_customers_language(language):
    for hazard, text in (("medicine", "the tablets in the box aren't what the prescription says"),
                         ("child", "the car seat buckle keeps opening"),
                         ("food", "found glass in my soup")):
        advice = safety_advice([text], language)
        assert advice.endswith(ADVICE[hazard][language]), (hazard, advice)


def _development_messages() -> list:
    """The first messages of the development sets (tests/dev*/messages.csv; never the blind set)."""
    texts = []
    for path in sorted(ROOT.glob("tests/dev*/messages.csv")):
        with path.open(encoding="utf-8") as f:
            texts += [row["text"] for row in csv.DictReader(f)]
    return texts


def test_every_safety_case_of_the_development_sets_gets_a_step_for_its_hazard():
    cases = [text for text in _development_messages() if needs_person_case(text) == "safety"]
    assert len(cases) >= 50
    without = [text for text in cases if not hazards_named(text)]
    assert not without, without


@pytest.mark.parametrize("text", [
    # written for this test; the triage's phrases read 3 of the first 10 before the twelfth pass
    "the pharmacy sent my mum's blood pressure pills but the strip says metformin",
    "药房配的药和处方上的不一样，药盒上的名字也不是我",
    "the high chair's leg folded while my son was sitting in it",
    "婴儿床的护栏一推就掉下来了",
    "there was a bit of blue plastic inside the chicken wrap",
    "my 3 year old licked some of the bleach cleaner",
    "fell off the ladder when the step snapped, think I fractured my ankle",
    "the toaster's cable is split and I can see bare wires showing",
    "电动车的后轮刹车完全失灵了，下坡差点撞车",
    "孩子把洗洁精当饮料喝了一口",
])
def test_a_thing_of_a_hazards_kind_and_what_went_wrong_with_it_is_a_safety_case(text):
    assert needs_person_case(text) == "safety", text


@pytest.mark.parametrize("text", [
    "can I pick up my prescription at a different pharmacy this week?",
    "婴儿奶粉又断货了，什么时候补货",
    "I'm sick of waiting for the refund",
    "the app crashes every time I open the basket",
    "my electric bill this month is shocking",
    "I'll be posting a review about this",
    "the heating was cut off for maintenance, when is it back?",
    "我对芒果过敏了解一下这款果汁的配料",
])
def test_look_alikes_of_a_thing_going_wrong_are_no_safety_case(text):
    assert needs_person_case(text) != "safety", text


# A fresh reviewer's probes (twelfth pass review; /tmp/rev12): look-alikes that the hazard reader's first
# version read as safety cases (44 of 52 were), and reports it missed.
REVIEW_LOOK_ALIKES = [
    'what should I do if my kid swallows a magnet from this set?',
    "I'd like a price cut on the sofa",
    'can you cut the price a bit',
    'the system is not working when I try to pay',
    'the entire order failed to go through',
    "I'm tired, the payment failed again",
    "what's the time frame, the delivery failed twice",
    'the suitcase wheel broke in transit',
    'the picture frame came loose in the box',
    "there's a bug in your food app, my order won't go through",
    'the nuts and screws for the wardrobe are missing',
    "I bought a silicone cake mould and it's too small",
    'the price of the glass table is wrong on the website',
    'I ordered 500ml shampoo but got the wrong one',
    'can I collect my prescription on Friday instead',
    'your pharmacy app shows the wrong opening hours',
    'I had a question about the dishwasher tablets',
    'the washing machine ate my sock',
    'I took the tablet out of the box and the screen is wrong',
    'this jumper is itchy I want to return it',
    'my shirt colour bleeds in the wash',
    'the baby monitor box arrived cracked',
    'my kids broke the tv remote, do you sell a new one',
    'the co-op parcel smells a bit',
    'the gas bill gives me a headache every month',
    'my slow cooker smells lovely',
    'the tap is leaking in the kitchen',
    "it's shocking, can I get a refund for my phone",
    '烟雾报警器一直滴滴响，是不是没电了',
    '我的手机屏幕模糊了',
    '收到的东西变形了，想换货',
    '洗衣机把我的袜子吃了',
    '我昨天吃了饭，今天去药店取药',
    '买的药寄到别人家了',
    '药店地址不对',
    '我划了半天也找不到订单',
    '我真的会吐了，这服务',
    '我想睡觉了，明天再说',
    '手机贴膜起泡了，我想退',
    '水龙头有点松',
    '这个玻璃杯里面有气泡',
    '手机屏幕的玻璃裂了，上面全是划痕',
    '电饭煲内胆的塑料盖变形了',
    '宝宝奶粉罐子漏了一点，快递压坏了',
    '婴儿车降价掉了好多，能补差价吗',
    '等充电器等麻了',
    '灯闪了一下就好了',
    '我心痒痒的想买这个',
    '看到页面上有只虫子图标',
    '这个菜单页面上的价格不对',
    '孩子的玩具断了，能换吗',
    '刚提的车轮胎有点软，要打气吗',
    'what if the car seat buckle snaps while driving?',
    'I had a question: can the high chair collapse if my son leans back?',
    'just in case, what happens if the pram folds with a baby in it?',
    'if the toy breaks are the magnets loose?',
    'can the phone battery swell if I leave it charging overnight?',
    '万一安全座椅卡扣断了怎么办',
    '以防万一问一下，小孩喝了洗洁精怎么处理',
    'the high chair collapsed last month but the replacement has been fine ever since',
]
REVIEW_REPORTS = [
    '安全座椅卡扣开车时断了，宝宝撞到头了，赔偿多少钱',
    'the car seat buckle snapped while driving, is it covered by insurance?',
    '宝宝吞了玩具的小零件，医药费多少钱',
    'my son swallowed a magnet, what do I do if he vomits?',
    "my son swallowed a magnet, what's the best way to get to hospital",
    'my daughter drank dishwasher liquid 😂 no seriously help',
    'shocking, the plug melted and the socket is smoking',
    "it's shocking, my daughter got a jolt off the kettle plug",
    "I'm sick of it, the charger sparked again and zapped my son",
    'the buggy collapsed with my son in it, best way to complain?',
    '孩子喝了农药',
    'my son drank some weedkiller',
    "the dishwasher tab was in my toddler's mouth",
    'my toddler bit a dishwasher tablet',
    'a laundry pod burst in his mouth',
    'a battery cover came off and my son put the battery in his mouth',
    'my son swallowed a coin',
    'my son swallowed a small part of the toy',
    '宝宝吞了一枚硬币',
    '宝宝吞了玩具的小零件',
    'I took double the dose by mistake',
    'I accidentally took twice the dose of my tablets',
    "the baby's leg is trapped in the cot",
    'the lamp burst into flames',
    'the curtains caught fire from the lamp',
    '推车突然折叠把宝宝夹住了',
    '餐椅塌了孩子摔到头了',
    '宝宝的头卡在婴儿床栏杆里了',
    'the garage fixed the brakes yesterday and today they failed on the motorway',
    '孩子喝了农药',
    "the pharmacy gave my son someone else's inhaler",
]


@pytest.mark.parametrize("text", REVIEW_LOOK_ALIKES)
def test_the_reviewers_look_alikes_are_no_safety_case(text):
    assert needs_person_case(text) != "safety", text


@pytest.mark.parametrize("text", REVIEW_REPORTS)
def test_the_reviewers_reports_are_safety_cases(text):
    assert needs_person_case(text) == "safety", text


def test_the_steps_come_from_the_messages_that_report_the_case():
    advice = safety_advice(["my gas bill is too high", "my son swallowed a button battery"], "en")
    assert ADVICE["swallowed"]["en"] in advice and ADVICE["gas"]["en"] not in advice
    advice = safety_advice(["孩子喝了农药"], "zh")
    assert ADVICE["swallowed"]["zh"] in advice and ADVICE["medicine"]["zh"] not in advice



# Session 42 (helper-205's finding 4): only the first 2,000 characters were read, so a hazard told at the end of a long
# message (the REST channel takes 4,000) got the fallback reply instead of a priority-1 hand-over with advice.
_FILLER = {"en": "I bought this last month and the delivery was fine, the box was ok, thanks for asking. ",
           "zh": "我上个月买的，送货挺快的，包装也还行，谢谢关心。"}


@pytest.mark.parametrize("language,report,kind", [
    ("en", " The milk is lumpy and smells off and my son drank it.", "food"),
    ("zh", "女儿把磁力积木里的两颗小磁珠吞了", "swallowed"),
])
def test_a_hazard_at_the_end_of_the_longest_message_is_read(language, report, kind):
    from connectors.rest import MAX_MESSAGE_CHARS

    text = (_FILLER[language] * 200)[:MAX_MESSAGE_CHARS - len(report)] + report
    assert len(text) == MAX_MESSAGE_CHARS
    assert kind in hazards_named(text)
    assert needs_person_case(text) == "safety"
