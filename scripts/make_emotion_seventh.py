"""Write data/emotion/seventh.csv: the kinds the sixth pass still missed (issue 11, seventh pass).

    .venv/bin/python scripts/make_emotion_seventh.py

Hand-written seeds, each its own family, in up to three styles
(``make_emotion_third.variants``): short Chinese anger the model scored low
(rhetorical doubt that echoes itself, "is anyone reading this", a verdict or
internet slang, "you didn't read what I asked", thanks beside a repeat or a
delay) and English terse or rhetorical anger ("answer me", "nothing works");
and the calm look-alikes of every new needs-a-person kind of this pass, so
that the emotion model does not learn "asking for a person = angry": calm,
matter-of-fact requests for a person or a team; calm questions about when staff
are there; apologetic repeats and corrections; scares that ended well. Written for
this project from the label definitions: no development or blind row, nor
anything from ../shared/bench-data, was copied or paraphrased
(``tests/unit/test_blind_overlap.py`` checks near-duplicates). Deterministic
(seed 1107). Columns text,label,lang,kind,family.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from make_emotion_data import write_rows  # noqa: E402
from make_emotion_third import ITEMS_EN, ITEMS_ZH, expand  # noqa: E402

OUT = ROOT / "data" / "emotion" / "seventh.csv"

EN = {
    ("anger", "terse_rhetorical_en"): [
        "Just answer my question. Yes or no.",
        "Read what I wrote and answer it.",
        "Honestly, does anything on this site work?",
        "Nothing works. The basket, the login, the tracking. Nothing.",
        "Who signed off on this checkout? It's unusable.",
        "What's the point of a delivery slot if nobody turns up in it?",
        "Answer me properly this time.",
        "Great. Forty minutes in the queue to be sent a link to the FAQ again.",
        "Superb. Still no {item}, still no reply.",
        "So the 'guaranteed' date meant nothing then?",
    ],
    ("neutral", "calm_person_request_en"): [
        "Could you put me in touch with whoever handles wholesale orders, please?",
        "Is there a manager I could have a word with about my last order?",
        "Who should I talk to about changing the name on an invoice?",
        "Please pass this to a colleague who can issue a credit note.",
        "I'd prefer someone from the accounts team to confirm the split payment.",
        "No rush, but I'd like a member of staff to check my loyalty points.",
        "Can you route my query to the person who looks after gift cards?",
        "I'd like this looked at by the returns team, please. Thanks.",
    ],
    ("neutral", "staff_hours_en"): [
        "Out of interest, are your advisers around at weekends?",
        "Is phone support 24/7 or just office hours?",
        "What's the typical wait to get through to an adviser on the phone? Just planning.",
        "Can I reach a person in the evenings if I need to, or is it daytime only?",
    ],
    ("neutral", "apologetic_repeat_en"): [
        "Sorry, I meant order QX-314159, not the one I typed before.",
        "Apologies, wrong screenshot, here's the right one.",
        "Sorry to ask again, just to double-check the gift wrap is included?",
        "Oops, typo in my postcode earlier, it should end in 4LP.",
        "My bad, I mixed up the two orders. It's the blue {item} I'm asking about.",
    ],
    ("neutral", "ended_well_en"): [
        "The box looked crushed but the {item} inside is perfect, no harm done.",
        "Thought a part was missing, then found it taped under the lid. All built now.",
        "Panicked for a second when the app logged me out, but it's all fine now.",
        "This isn't a complaint, I'm just curious why my order came in two boxes.",
    ],
}

ZH = {
    ("anger", "short_rhetorical_zh"): [
        "这也叫客服？是吗？",
        "退个款很难吗？难吗？",
        "你们到底有人看消息吗？",
        "说好的包邮呢？",
        "钱都付了，东西呢？",
        "这质量也好意思叫正品？",
        "答应的补偿呢？又没了？",
        "有人理我吗？？",
    ],
    ("anger", "slang_verdict_zh"): [
        "太坑了吧",
        "真坑，再也不来了",
        "破防了，又是坏的",
        "吐了，这物流",
        "啥玩意儿啊这是",
        "被坑惨了",
        "yue，这包装",
        "交智商税了属于是",
    ],
    ("anger", "not_what_i_asked_zh"): [
        "你看清楚我问的是什么再回",
        "答非所问，我问的是退款",
        "我没问这个，别再发链接了",
    ],
    ("anger", "thanks_with_delay_zh"): [
        "谢谢你们啊，又让我等了三天",
        "真贴心，第四次给我发一样的话",
        "感谢感谢，节都过完了礼物才到",
        "又是同一段回复，真用心啊",
    ],
    ("neutral", "calm_person_request_zh"): [
        "麻烦帮我约一个电话回访，周末都方便",
        "你好，有专门负责企业采购的同事吗？想直接沟通",
        "能帮我转给负责开发票的同事吗，谢谢",
        "这个问题可能需要人工核对一下，不急",
        "请问店长在吗？想聊一下团购的事",
        "可以升级到主管帮我看看吗，谢谢",
        "请安排工作人员跟我对接一下安装时间",
    ],
    ("neutral", "staff_hours_zh"): [
        "问一下，晚上十点以后还有人工客服吗",
        "售后周六周日上班吗？我平时要上班",
        "人工客服是全天在线的吗",
        "节假日能联系到工作人员吗",
    ],
    ("neutral", "apologetic_repeat_zh"): [
        "不好意思，刚才订单号打错了，是 QX-271828",
        "抱歉刚刚发错截图了，以这张为准",
        "打扰了，再确认一下发票是电子版的对吧",
        "不好意思再问一下，昨天说的赠品还有吗",
        "补充一下，刚才说的是{item}，不是另一个",
    ],
    ("neutral", "ended_well_zh"): [
        "以为快递丢了，结果在门卫那里，东西完好",
        "外箱压扁了，打开一看{item}没事，虚惊一场",
        "还好后来找到了，没问题了",
        "衣服标签剪了但还没穿过，还能退吗？",
    ],
}


def _fill(seed: str, lang: str, items: list, rng: random.Random) -> str:
    """The seed's item filled in."""
    return seed.replace("{item}", rng.choice(items))


def generate() -> list[dict]:
    """The rows of seventh.csv."""
    return expand("w", (("en", EN, ITEMS_EN), ("zh", ZH, ITEMS_ZH)), random.Random(1107), _fill)


def main() -> None:
    """Write OUT."""
    write_rows(generate(), OUT)


if __name__ == "__main__":
    main()
