"""Write data/emotion/fifth.csv: calm requests for a person (issue 11, fifth pass).

    .venv/bin/python scripts/make_emotion_fifth.py

A reviewer found "I want to talk to a human" and 我要人工客服 read as anger
(0.71 / 0.53), so most tickets on the desk showed "angry": the training data
had angry requests for a person ("I want a REAL person, not this useless
bot!!!") and no calm ones. These seeds are calm, plain or polite requests
for a person in both languages, alone or beside an order number, a phone
number, a reason or a time (label ``neutral``: the request still hands over,
by the ``customer_request`` trigger, not by emotion), with a few angry
requests beside them so the model learns that the anger is in the wording
(capitals, "!!!", insults), not in asking for a person. Written for this
project (no dev or blind row, nor anything from ../shared/bench-data, was
copied or paraphrased). Each seed is its own family and appears in up to three
styles (``make_emotion_third.variants``). Deterministic (seed 1105).
Columns text,label,lang,kind,family.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from make_emotion_data import write_rows  # noqa: E402
from make_emotion_third import ITEMS_EN, ITEMS_ZH, expand  # noqa: E402

OUT = ROOT / "data" / "emotion" / "fifth.csv"

EN = {
    ("neutral", "calm_person_request"): [
        "I'd like to talk to a human, please.",
        "Could I speak with one of your staff about the {item}?",
        "Can you put me through to a person? It's about order {order}.",
        "Please connect me with an agent when one is free.",
        "I'd prefer to chat with a real person about this if that's possible.",
        "Is it possible to talk to a member of the team? No rush.",
        "Could a human look at my account? My number is 07700 900{digits}.",
        "I'd rather explain this to a person, thank you.",
        "Can I get a callback from someone in customer service? Any time after 3pm is fine.",
        "Transfer me to an agent please, it's a bit complicated to type out.",
        "Hello, may I speak to a representative about a delivery question?",
        "I think this one needs a person. Could you pass me on?",
        "Happy to wait for a human if there's a queue.",
        "Could you hand this over to a colleague? It's about a gift order.",
        "I'd like a person to help me with changing the address on order {order}.",
        "Agent please, it's about the invoice for {order}.",
        "I want to talk to a human about my subscription, thanks.",
        "Can I have a word with someone from the team about the {item}?",
        "Good morning, I'd like to speak to an advisor about my order.",
        "Would it be possible to have someone call me? 07700 900{digits}, thanks.",
        "Could I be connected to a live agent? Thank you in advance.",
        "I'll need a person for this one, it's about a warranty claim.",
        "Please put me through to customer service, I have a few questions.",
        "Is there a person I could talk to about a bulk order?",
        "Hi! Can I speak to a real person? Nothing's wrong, I just have a few questions.",
        "I'd like to be transferred to a human agent, please.",
        "Can a member of staff get in touch with me by email about the {item}?",
        "Not complaining at all, I'd just like to talk to someone about the {item}.",
        "Could you connect me to a person who handles business accounts?",
        "Speak to a human, please. Order {order}.",
        "Let me talk to an agent please, I'm not very good with chatbots.",
        "I'm happy to hold. Could you get me a human when one's available?",
    ],
    ("anger", "angry_person_request"): [
        "GET ME A HUMAN. NOW.",
        "I've asked three times, put me through to a PERSON!!!",
        "Stop wasting my time with this stupid bot and get me a manager.",
        "Useless machine. Human. Now.",
        "Give me a real person before I lose my mind!!!",
        "I am sick of this bot, connect me to someone who can actually do something!",
    ],
}

ZH = {
    ("neutral", "calm_person_request"): [
        "你好，麻烦帮我转一下人工客服，谢谢。",
        "我想咨询人工客服，关于{item}的保修问题。",
        "可以帮我接通人工吗？订单号{order}。",
        "请问能转人工服务吗？不着急，我可以等。",
        "我想找人工客服聊一下，问题有点复杂。",
        "麻烦安排一位客服人员联系我，电话139{digits}。",
        "想跟真人客服确认一下发票抬头，谢谢。",
        "您好，请帮我转接人工，我想改一下收货地址。",
        "我还是想和人工客服沟通一下，谢谢啦。",
        "能不能让客服给我回个电话？下午三点以后都可以。",
        "请转人工，关于{item}的安装问题。",
        "有人工客服吗？想问一下企业采购的事。",
        "麻烦帮我找个工作人员，我打字不太方便。",
        "我要人工客服，订单{order}想加一件。",
        "没什么问题，就是想找人工问几个细节。",
        "请帮我联系一下人工，谢谢你。",
        "人工客服在吗？想咨询一下会员续费。",
        "这个问题我想找人工处理，麻烦了。",
        "能帮我转接客服专员吗？是关于退货运费的。",
        "我要转人工，想问一下{item}有没有别的颜色。",
        "可以请人工客服看一下我的账户吗？手机号186{digits}。",
        "我不太会用机器人，帮我转个人工吧，谢谢。",
        "请让专人跟进一下我的订单{order}，辛苦了。",
        "想找人工客服确认一下发货时间，不急。",
        "麻烦转人工客服，我在排队也没关系。",
        "你好，我要人工服务，想开增值税发票。",
        "我想和真人聊一下定制的事，谢谢。",
        "帮我接一下人工好吗？关于{item}的尺寸。",
        "请安排人工客服回电，电话是139{digits}，谢谢。",
        "不是投诉，只是想找人工问问会员积分。",
    ],
    ("anger", "angry_person_request"): [
        "别废话了，马上给我转人工！！！",
        "说了三遍了，转人工！！听不懂吗？",
        "破机器人，赶紧叫你们经理出来！",
        "烦死了，给我找个真人，立刻！！",
        "什么垃圾机器人，我要人工，现在！",
        "受够了，叫个能管事的人出来！！！",
    ],
}


def _fill(seed: str, lang: str, items: list, rng: random.Random) -> str:
    """The seed's item, order number and digits filled in (in that order of draws)."""
    return (seed.replace("{item}", rng.choice(items))
            .replace("{order}", f"QX-{rng.randint(100000, 999999)}")
            .replace("{digits}", f"{rng.randint(0, 99999):05d}" if lang == "zh" else f"{rng.randint(0, 999):03d}"))


def generate() -> list[dict]:
    """The rows of fifth.csv."""
    return expand("v", (("en", EN, ITEMS_EN), ("zh", ZH, ITEMS_ZH)), random.Random(1105), _fill)


def main() -> None:
    """Write OUT."""
    write_rows(generate(), OUT)


if __name__ == "__main__":
    main()
