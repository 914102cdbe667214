"""Write data/emotion/sixth.csv: the kinds the fifth pass still missed (issue 11, sixth pass).

    .venv/bin/python scripts/make_emotion_sixth.py

Hand-written seeds, each its own family, in up to three styles
(``make_emotion_third.variants``): sarcasm and mock praise with no problem
word or with the problem said as praise (en and zh, emoji such as 🙄 🙃 👏,
"love it", 真是太棒了, 可真高啊); short Chinese anger (rhetorical questions
that doubt the company, demands to be paid back or served now, one-word
verdicts, a row of exclamation marks, pinyin and internet slang); and their
calm look-alikes, so that precision holds: genuine praise and thanks, calm
how-to questions with a problem in them (a reset e-mail not arriving, a card
declined, 支付失败怎么办), plain follow-up details of a problem ("it says
the code has expired"), and short calm Chinese questions with 到底/行不行/
退款 used neutrally. Written for this project: no development or blind row,
nor anything from ../shared/bench-data, was copied or paraphrased
(``tests/unit/test_blind_overlap.py`` checks near-duplicates). Deterministic
(seed 1106). Columns text,label,lang,kind,family.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from make_emotion_data import write_rows  # noqa: E402
from make_emotion_third import ITEMS_EN, ITEMS_ZH, expand  # noqa: E402

OUT = ROOT / "data" / "emotion" / "sixth.csv"

EN = {
    ("anger", "sarcasm_no_problem_word"): [
        "Oh fantastic, the {item} is 'on its way' for the ninth day running. Love it.",
        "Superb service as ever 🙄",
        "Amazing. Truly amazing. Three chats and still nobody can tell me anything.",
        "Wow, what a shock, the delivery window moved again. Who could have guessed.",
        "Love that for me. Another 'we're looking into it'.",
        "Outstanding work, team. My refund is now a myth.",
        "Stellar customer care, really. Ten days and a form letter.",
        "Oh good, the same canned apology. So personal. 🙃",
        "Another day, another excuse. You lot never disappoint.",
        "Wonderful, you cancelled my order without asking. Just wonderful.",
        "Gold star for the tracking page, it has said 'processing' since the 3rd 👏",
        "Bravo. The replacement {item} is broken in exactly the same place.",
        "You've really outdone yourselves this time. Wrong colour, wrong size, wrong address.",
        "Thanks heaps for charging me for a delivery that never came. Very kind.",
        "What a delight it is to explain this for the fourth time.",
        "Perfect. Just perfect. My order vanished and so did your answers.",
        "Such fast shipping! Only took a month and a half. 🙄🙄",
        "so glad I paid extra for express. really paid off. not.",
        "Thank you SO much for the thirty-minute hold music, what a treat",
        "Oh brilliant, another bot. Exactly what I needed today.",
        "Ah yes, 'your call is important to us'. Clearly.",
        "Top-notch stuff. Parcel left in the rain again, well done.",
        "Five-star experience: lost parcel, no reply, and a survey asking how you did.",
        "Great job guys, you managed to break a box that said FRAGILE on every side 👍",
        "Really loving the 'we'll get back to you in 24-48 hours' that never ends.",
        "Nice one. Paid on the 2nd, still 'awaiting payment' today.",
        "Fabulous, the coupon 'expired' while I was typing it in. Lovely touch.",
        "I'm so impressed. Nobody has answered a single email in two weeks.",
        "Wonderful service as always 🙄 still no {item}",
        "awesome, the app logged me out mid-payment. again. great stuff",
        "sure, take another week, it's not like I needed the {item} for anything",
        "Cheers, really helpful, the link you sent goes to a 404 page.",
        "Incredible how you manage to be wrong every single time.",
        "Well done on making a simple return take three weeks. Impressive.",
        "Lovely to be ignored again. Thanks, really.",
        "so nice of you to send me someone else's order. very thoughtful",
        "Oh perfect timing, the sale ended the minute my order failed 🙃",
        "Fantastic. Fourth 'sorry for the inconvenience' this month.",
    ],
    ("anger", "terse_anger_en"): [
        "Unbelievable. Still nothing.",
        "Useless, as always.",
        "Absolute joke of a company.",
        "NO. Fix it. Today.",
        "Do your job.",
        "Enough. I want my money back now.",
        "Seriously?? AGAIN??",
        "You have got to be kidding me.",
        "Not good enough. Not even close.",
    ],
    ("anger", "rhetorical_doubt_en"): [
        "Does anybody there actually read what I write?",
        "Is there a single person in this company who knows what they're doing?",
        "Why is it impossible to get a straight answer from you?",
        "What exactly do I have to do to get my money back, beg?",
        "How many more times do I need to send the same photos?",
        "Are you even a real business or just a website that takes money?",
        "Does your tracking page ever tell the truth?",
        "Why am I the one chasing you for my own refund?",
    ],
    ("neutral", "genuine_praise_en"): [
        "Great service as always, thank you! The {item} arrived this morning.",
        "Love it! The {item} looks even better than the photos.",
        "Wow, that was quick, the parcel came a day early. Thanks!",
        "Brilliant, that's sorted then. Have a good day.",
        "Perfect, thank you, that's exactly what I needed to know.",
        "Amazing, the refund is already in my account. Cheers!",
        "Just wanted to say the courier was lovely today.",
        "Another great order from you, the {item} is perfect 😊",
        "Oh great, the code worked this time. Thanks for your help!",
        "Nice one, the new address shows up now. Thank you.",
        "Well done to whoever packed this, not a scratch on it 👍",
        "Really impressed with how fast the exchange went, thank you.",
    ],
    ("neutral", "calm_problem_question_en"): [
        "I asked for a password reset but the email hasn't come through yet, should I wait or try again?",
        "My card got declined at checkout, what are my options?",
        "The verification code isn't reaching my phone, is there another way to log in?",
        "Payment failed when I tried to pay, what should I do?",
        "I can't find the reset link in my inbox, could it have gone to spam?",
        "The app says my session expired, how do I sign back in?",
        "My coupon code says invalid, is it only for new customers?",
        "I entered the wrong postcode on my order, can I still fix it?",
        "The tracking number you sent doesn't show anything yet, is that normal for the first day?",
        "My bank flagged the payment, do I need to do anything on your side?",
        "How do I pause my subscription while I'm away for three weeks?",
        "The order page shows 'pending', how long does that usually take?",
        "I got charged in euros instead of pounds, how does that work?",
        "The gift card balance shows zero but I haven't used it, could you tell me how to check it?",
        "I'm not getting the one-time password by SMS, can it be sent by email instead?",
        "What happens if my payment is declined twice, do I need a new card?",
        "Where do I go to update an expired card on my account?",
        "The checkout page keeps reloading on my phone, is there a way to order by laptop instead?",
    ],
    ("neutral", "plain_followup_en"): [
        "it says the link has expired",
        "It shows error 502 when I press pay.",
        "the code is 6 digits but it only lets me type 5",
        "It still says pending on my side.",
        "The button is greyed out.",
        "It asks me to verify my email first.",
        "it goes back to the login page after I enter it",
        "Nothing happens when I click confirm.",
        "The page says 'something went wrong, try again later'.",
        "It says my card number is not valid but I checked it twice.",
        "I typed the new password and it says it doesn't meet the rules.",
        "It shows two different dates, the 12th and the 14th.",
        "The email came from a no-reply address, is that you?",
        "It's the blue one, size M.",
        "I tried Chrome and Safari, same thing.",
    ],
}

ZH = {
    ("anger", "sarcasm_no_problem_word"): [
        "哇，你们发货速度真是感人，半个月了还在“备货中”。",
        "真是太棒了呢，又让我等三天🙄",
        "你们的客服效率可真高啊，一个问题回了一个礼拜。",
        "真贴心，退款审核审了二十天，辛苦你们了哈。",
        "厉害厉害，一个{item}能寄丢两次👏",
        "好家伙，又是“已反馈”，反馈到火星去了吧。",
        "呵呵，你们家的“极速退款”我算是见识了。",
        "太感谢了，让我白跑一趟快递站，服务真到位。",
        "不愧是你们，每次都能给我惊喜，这次直接发了个空盒子。",
        "真有你们的，下单一个月，物流信息还停在揽收。",
        "绝了，我买的{item}跟图片上完全是两个东西。",
        "可以的，客服说的话一次比一次好听，就是不办事。",
        "好一个“24小时内处理”，我等了四天。",
        "感谢你们让我学会了什么叫耐心。",
        "真是服了，这速度蜗牛都比你们快。",
        "你们这服务真是一绝，问啥都说不知道。",
        "哈哈，又延迟了，我一点都不意外呢🙂",
        "666，退个款比考驾照还难。",
        "真是优质服务啊，打了五次电话都没人接。",
        "好棒哦，{item}到手就是坏的，开箱惊喜。",
        "谢谢啊，又一次刷新了我对你们的认识。",
        "挺好，买的新品送来是旧的，真省心。",
        "你们真会做生意，优惠券永远用不了。",
        "这效率，真的绝绝子🙄",
        "我真的会谢，等了十天等来一句“亲再耐心等等”。",
    ],
    ("anger", "rhetorical_zh"): [
        "有没有人管管？",
        "这事还有人管吗？",
        "你们还想不想做生意了？",
        "到底有没有人在看消息？",
        "你们是不是就想拖到我不要了？",
        "这么简单的事很难吗？",
        "凭什么让我一直等？",
        "你们这样做合适吗？",
        "拖了半个月了，还要拖到什么时候？",
        "我花钱是来受气的吗？",
        "说好的三天到呢？人呢？",
        "能不能给个准话？到底什么时候退？",
    ],
    ("anger", "demand_zh"): [
        "退钱！",
        "赶紧处理，别再拖了。",
        "立刻给我退款，不要再找借口。",
        "马上给我解决，今天必须有结果！",
        "少废话，把钱退给我。",
        "别再让我等了，现在就处理！",
        "赶紧的，给个说法！",
        "钱退了再说别的。",
        "要么退款要么赔偿，自己选。",
        "快点退款！！！",
    ],
    ("anger", "verdict_zh"): [
        "垃圾！",
        "无语了。",
        "离谱！！",
        "太差劲了。",
        "坑人！",
        "黑店。",
        "骗钱的吧。",
        "真恶心。",
        "什么破平台。",
        "醉了醉了。",
        "服气，真服气。",
        "麻了，彻底麻了。",
        "气笑了。",
        "血压上来了！！",
        "再也不买了！！！",
        "烂透了！！！",
    ],
    ("anger", "slang_zh"): [
        "tmd等了两周还没发货",
        "wc，又给我发错了",
        "nmd退款呢？",
        "无语子，客服已读不回",
        "我真的栓Q，你们能不能靠点谱",
        "sb物流，包裹都压扁了",
        "离了个大谱，付了钱订单没了",
        "yue了，吃出一股怪味还不给退",
    ],
    ("neutral", "genuine_praise_zh"): [
        "太棒了，{item}今天就到了，谢谢你们！",
        "你们效率真高，昨天下单今天就收到了，点赞👍",
        "真贴心，还送了小礼物，谢谢～",
        "厉害，问题一下就解决了，谢谢客服。",
        "好评！包装很好，{item}完好无损。",
        "绝了，这个{item}比想象中好用太多。",
        "谢谢啊，退款已经收到了。",
        "666，这次物流真快。",
        "服务真到位，师傅还帮我搬上楼了。",
        "挺好的，尺码刚好，颜色也喜欢。",
    ],
    ("neutral", "calm_problem_question_zh"): [
        "支付失败了怎么办？要换一张卡吗？",
        "付款一直提示失败，是银行那边的问题吗？",
        "找回密码的邮件一直没收到，会不会在垃圾箱里？",
        "验证码收不到，还有别的方式登录吗？",
        "银行卡被拒了，可以用支付宝付吗？",
        "优惠券显示无效，是不是有使用门槛？",
        "订单一直显示待付款，我已经付过了，要怎么查？",
        "地址填错了一个字，还能改吗？",
        "物流三天没更新，一般正常吗？",
        "退款到底退到哪里了？原路返回吗？",
        "这个套餐到底包不包含安装？",
        "请问退款一般几天到账？",
        "你们这个会员行不行用在门店？",
        "登录提示账号异常，我需要怎么处理？",
        "发票开错抬头了，可以重开吗？",
        "扫码付款没反应，换个浏览器能行吗？",
        "忘记支付密码了，怎么重置？",
        "下单时提示库存不足，什么时候补货？",
    ],
    ("neutral", "plain_followup_zh"): [
        "它显示链接已过期",
        "点付款之后显示网络错误",
        "页面一直在转圈",
        "提示验证码错误，我输了两次",
        "还是显示待发货",
        "按钮是灰色的，点不了",
        "订单号是QX开头的那个",
        "我用的是安卓手机",
        "显示两个不同的日期，12号和14号",
        "提示“系统繁忙，请稍后再试”",
        "换了浏览器也是一样",
        "就是蓝色那件，M码",
    ],
}


def _fill(seed: str, lang: str, items: list, rng: random.Random) -> str:
    """The seed's item filled in."""
    return seed.replace("{item}", rng.choice(items))


def generate() -> list[dict]:
    """The rows of sixth.csv."""
    return expand("s", (("en", EN, ITEMS_EN), ("zh", ZH, ITEMS_ZH)), random.Random(1106), _fill)


def main() -> None:
    """Write OUT."""
    write_rows(generate(), OUT)


if __name__ == "__main__":
    main()
