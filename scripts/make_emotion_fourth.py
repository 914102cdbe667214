"""Write data/emotion/fourth.csv: hand-written messages of the kinds still misread (issue 11, fourth pass).

    .venv/bin/python scripts/make_emotion_fourth.py

Written for this project from the kinds the third pass left open (no dev or
blind row, nor anything from ../shared/bench-data, was copied or
paraphrased): anger with no problem word at all (mock praise, "ten out of
ten", "what a treat"), one- and two-word verdicts, calm-sounding firm threats
(a chargeback, the bank, 12315, a review, never ordering again), doubt about
whether anyone reads the messages, swearing in a plain question; and calm
look-alikes: questions about a code, an e-mail, a payment or a pause that
carry a problem, a negated emotion, an apologetic repeat, mixed reports that
ended well, and plain Chinese account questions with 投诉 / 退款 / 差评 used
neutrally. Seeds that the no-overlap test
(tests/unit/test_blind_overlap.py) found equal or nearly equal to an evaluation
message (common one-word verdicts such as "Pathetic.", 无语。) were deleted,
not replaced. Each seed is its own family and appears in up to three styles
(``make_emotion_third.variants``). Deterministic (seed 1104).
Columns text,label,lang,kind,family.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from make_emotion_data import write_rows  # noqa: E402
from make_emotion_third import ITEMS_EN, ITEMS_ZH, variants  # noqa: E402

OUT = ROOT / "data" / "emotion" / "fourth.csv"

EN = {
    ("anger", "mock_praise_bare"): [
        "Ten out of ten for consistency. Consistently awful.",
        "What a treat this has been. Really.",
        "Honestly, a masterclass in how not to do it.",
        "Bravo. Truly a performance.",
        "Well, you've outdone yourselves this time.",
        "Gold star for effort, I suppose.",
        "Oh good, more of this. Just what my week needed.",
        "Stellar work from the whole team, as ever.",
        "Couldn't have asked for a better way to spend my Sunday. Not.",
        "Such a pleasure dealing with you lot. Every single time.",
        "Marvellous. I'll frame this email.",
        "You really are something else, you know that?",
        "Incredible how you manage it every time.",
        "I'm in awe. Genuinely. Of how bad this is.",
        "Nice one. Really nice one.",
        "Ah yes, the famous customer care. Top notch.",
        "A real joy, this whole experience. Thank you so much.",
        "Chef's kiss on that reply.",
        "Remind me to recommend you to people I don't like.",
        "Oh this is rich. Really rich.",
    ],
    ("anger", "verdict_words"): [
        "Unreal.",
        "Typical.",
        "Figures.",
        "Unbelievable. Again.",
        "Ridiculous, honestly.",
        "What a farce.",
        "Useless. Utterly.",
        "Clowns.",
        "Embarrassing.",
        "Absolute circus.",
        "Amateurs.",
        "wow. just wow.",
        "Classic. Just classic.",
        "Incompetent, the lot of you.",
        "Hopeless service.",
        "Laughable.",
    ],
    ("anger", "verdict_more"): [
        "Shocking.",
        "Dire. Absolutely dire.",
        "Abysmal service.",
        "Woeful, just woeful.",
        "Beyond a joke now.",
        "Shambles from start to finish.",
        "Rubbish. All of it.",
        "What a shower.",
    ],
    ("anger", "calm_firm_threat"): [
        "I'll be asking my bank to reverse the payment on Monday.",
        "If this isn't fixed by Friday I'm raising a chargeback.",
        "My review will describe this exactly as it happened.",
        "Consider this my final order with you.",
        "I'm cancelling my membership at the end of this call.",
        "I will be reporting this to my card provider.",
        "I've screenshotted everything and it's going on the review site tonight.",
        "You've lost a customer of six years. Just so you know.",
        "I'll take my business elsewhere from now on.",
        "Please note I'm disputing this with my credit card company.",
        "I'll be telling everyone I know to avoid you.",
        "Last time I give you my money, rest assured.",
        "Noted. I'll let my followers know how this went.",
        "Fine. I'll have the bank sort it since you won't.",
        "I'm done ordering from here, goodbye.",
        "Deleting my account after this, don't bother with the survey.",
    ],
    ("anger", "doubt_anyone_reads"): [
        "Is anyone actually reading these, or do they go straight in the bin?",
        "Does a single person at your company check this inbox?",
        "Do you even look at the photos people send you?",
        "Is there a brain behind this chat or just a script?",
        "Who trains your staff, honestly?",
        "Does anybody there know what they're doing?",
        "Are you paid to ignore people or does it come naturally?",
        "Do you people ever test your own website?",
        "Has anyone there ever actually used your app?",
        "Is this company run by anyone at all?",
        "Is it me, or does nobody there care?",
        "How is this even a real business?",
    ],
    ("anger", "wall_bot"): [
        "It's like arguing with a vending machine.",
        "My toaster would give me better answers.",
        "I'd get more sense out of a brick.",
        "You're going round in circles and taking me with you.",
        "Same canned answer, fourth time. Impressive.",
        "Stop copying and pasting at me.",
        "This bot is a dead end.",
        "Chatting with you is pointless, frankly.",
        "Reading the same paragraph again won't help me, will it.",
        "Do you have any answer that isn't that link?",
    ],
    ("anger", "swear_question"): [
        "what on earth is happening with my delivery",
        "why the heck has my account been locked",
        "where the hell is my refund",
        "what the heck is this charge",
        "how on earth does a parcel go missing twice",
        "why on earth did you cancel my order",
        "what the hell am I paying for",
        "seriously what is going on with this {item}",
        "where on earth is my {item}",
        "who the hell decided this was acceptable",
    ],
    ("anger", "plain_fury_story"): [
        "I'm absolutely livid. The {item} was a birthday present and it's still not shipped.",
        "I'm so angry I can barely type. Three weeks and nothing.",
        "Honestly fuming. I took the day off to wait in and nobody came.",
        "I am beyond annoyed. My wedding shoes are somewhere in your depot.",
        "Really upset and angry, the cake for my daughter's party never turned up.",
        "I'm seething. You charged me and the order shows as cancelled.",
        "Furious doesn't cover it. The {item} arrived soaking wet.",
        "I'm raging. Nobody answers the phone and the chat closes on me.",
    ],
    ("neutral", "problem_question_calm"): [
        "my verification code hasn't come through, could you send another?",
        "The password link seems to have expired already, can I get a new one?",
        "the app says my card was declined but my bank says all is fine, any ideas?",
        "How do I skip next month's delivery? I'll be away.",
        "Could you tell me why my payment shows as pending?",
        "the login page keeps reloading on my phone, is there a workaround?",
        "I haven't received the confirmation email yet, is that normal?",
        "Checkout gives me an error at the last step, should I try another card?",
        "My discount code says it's expired but the email says it runs till Sunday. Which is right?",
        "can I put my plan on hold for two months",
        "I was charged a small amount then it disappeared, is that a card check?",
        "the tracking hasn't updated since yesterday, is that usual on weekends?",
        "The reset email went to my old address, how do I change it?",
        "What happens if my parcel arrives while I'm out?",
        "my order says processing for 2 days, when does it normally ship?",
        "Why can't I see my order history in the app?",
        "Is there a way to get a copy of an invoice from last year?",
        "Can you check whether my address was saved correctly?",
        "two-factor code keeps saying invalid, am I typing it too late?",
    ],
    ("neutral", "negated_emotion"): [
        "Not upset at all, just curious when the restock is.",
        "No complaints here, I just need the invoice address changed.",
        "I'm not angry, only wondering if the {item} comes in blue.",
        "Not a complaint, just a question about delivery days.",
        "Not annoyed, just want to understand the charge on my statement.",
        "Nothing wrong really, I wanted to check the warranty length.",
        "I'm not cross, it's just that I need the parcel by Friday. Is that doable?",
        "No stress at all, whenever you get a moment could you confirm my order?",
        "not frustrated, genuinely asking: which size runs larger?",
        "I'm not unhappy with it, I'd simply like a different colour.",
    ],
    ("neutral", "apologetic_repeat"): [
        "Sorry to message again, just checking you got my earlier question.",
        "Apologies for the second message, I forgot to add my order number.",
        "Sorry, me again! Did my address change go through?",
        "Sorry to bother you twice today, is there any news on the exchange?",
        "Apologies if this is a duplicate, the chat closed before I could read the reply.",
        "Hi again, sorry, I think my last message got cut off.",
        "Sorry for the follow-up, just want to be sure the return label was sent.",
        "Me once more, sorry! One last question about sizing.",
    ],
    ("neutral", "mixed_report_ok"): [
        "The box was a bit squashed but the {item} inside is perfect, thanks.",
        "Delivery was a day late but the driver was lovely and it all works.",
        "Had a wobble with the payment page but it went through on the second try.",
        "Wrong colour came first, the swap was quick though, all good now.",
        "Took a while to arrive but worth the wait, really pleased.",
        "Had some trouble logging in earlier, sorted it myself. Just letting you know.",
        "One item was missing at first, it turned up the next day in a second box.",
        "The courier went to the wrong door, my neighbour brought it over. No harm done.",
    ],
    ("neutral", "calm_heads_up"): [
        "Just so you know, the link in your newsletter goes to a 404 page.",
        "Small thing: the size chart on the {item} page shows inches twice.",
        "FYI the app's dark mode makes the prices hard to read.",
        "Heads-up, your store hours on the website say closed on Monday but you were open.",
        "Minor typo on the checkout page, 'adress'. Thought you'd like to know.",
        "No action needed, just letting you know the promo banner still shows last month's sale.",
    ],
}

ZH = {
    ("anger", "mock_praise_bare"): [
        "你们可真行，佩服佩服。",
        "厉害，真是一次比一次让人开眼界。",
        "服务满分，满分一百我给你们负的。",
        "真是谢谢你们了，让我长见识了。",
        "绝了，这操作我是学不会。",
        "真不愧是你们，稳定发挥。",
        "给你们鼓个掌吧👏👏",
        "太贴心了，贴心到我想哭。",
        "你们这效率，蜗牛看了都摇头。",
        "好一个“正在加急处理”，加急了半个月。",
        "真是大开眼界，这样也能开店。",
        "哇，又一次刷新了我的下限。",
        "佩服你们的耐心，拖了这么久都不着急。",
        "这服务水平，真是让人难忘啊。",
        "感谢你们让我白跑一趟，真周到。",
        "666，真的666。",
        "你们客服的话术背得真熟练，点赞。",
        "真好，钱收得飞快，东西一点影子都没有。",
    ],
    ("anger", "verdict_words"): [
        "醉了。",
        "绝了真的。",
        "可笑。",
        "太离谱了吧",
        "真行。",
        "失望透顶。",
        "一言难尽。",
        "糟心。",
        "心累。",
        "寒心。",
        "无力吐槽。",
        "就这？",
    ],
    ("anger", "slang_pinyin"): [
        "nmd又没发货",
        "wtm真的服了你们这物流",
        "sb快递又放错地方了",
        "tm的等了十天还在路上",
        "啥玩意儿啊这是，yyds的拖延",
        "我真的栓Q，又发错色了",
        "绝绝子，坏得这么彻底",
        "辣鸡店铺，再也不买",
        "拉胯，太拉胯了",
        "差劲透了",
        "太坑了吧你们",
        "什么烂店啊",
        "破店，骗钱的吧",
        "真够呛，这服务",
    ],
    ("anger", "calm_firm_threat"): [
        "如果周五前还没处理，我就直接打12315了。",
        "我会在平台上把整个经过原原本本写出来。",
        "这是我最后一次在你们家下单。",
        "我已经联系银行申请拒付了。",
        "我会向消费者协会反映这个情况。",
        "截图我都留着了，晚上就发到网上。",
        "会员我会到期就退，不续了。",
        "再这样我就去市场监管局投诉。",
        "行，那就让平台来判吧。",
        "以后不会再推荐任何朋友来买了。",
        "我的评价会如实反映这次体验。",
        "账号我准备注销了，别再给我发短信。",
        "那我只能走法律途径了，你们看着办吧。",
        "我会把聊天记录交给银行处理。",
        "不用再回复我了，我直接找平台客服仲裁。",
        "再拖下去，我就去黑猫投诉了。",
    ],
    ("anger", "doubt_anyone_reads"): [
        "你们到底有没有人在看消息？",
        "我发的照片你们看了吗？还是根本没打开？",
        "你们公司还有正常干活的人吗？",
        "你们自己用过自己的APP吗？",
        "这店到底还开不开了？",
        "有人管没人管啊？",
        "你们内部到底有没有人负责这事？",
        "是不是只会复制粘贴？",
        "你们招人都不培训的吗？",
        "到底有没有一个人能说清楚？",
        "你们还想不想做生意了？",
        "这样的服务是怎么开下去的？",
    ],
    ("anger", "wall_bot"): [
        "跟你说话就像对着墙说。",
        "又是这套话术，第四遍了。",
        "别再复制粘贴那段话了。",
        "你除了发链接还会别的吗？",
        "绕来绕去又绕回来了，有意思吗。",
        "机器人能不能别装懂了。",
        "说了半天等于没说。",
        "你这回答跟没回答一样。",
        "同样的话你已经发了三遍了。",
        "我问东你答西，算了。",
    ],
    ("anger", "stalling_again"): [
        "别再说“正在核实”了，核实了两周了。",
        "每次都说“已加急”，加急到底是多急？",
        "不要再让我等通知了，我等不起。",
        "“耐心等待”这四个字我听腻了。",
        "别跟我说系统问题，系统问题也要有人解决吧。",
        "又是“48小时内回复”，上次的48小时呢？",
        "你们的“稍后联系”是指明年吗？",
        "别再给我发安抚话术了，直接说什么时候退钱。",
    ],
    ("anger", "plain_fury_story"): [
        "我真的气炸了，给孩子的生日礼物到现在还没发货。",
        "火大，特意请了假在家等，结果根本没人来。",
        "太生气了，钱扣了订单却显示取消。",
        "我现在非常愤怒，{item}送来的时候全湿透了。",
        "气得我手都在抖，三个星期了一点消息都没有。",
        "憋了一肚子火，电话打不通，在线客服还自动关闭。",
        "真的很恼火，婚礼要用的东西卡在仓库里出不来。",
        "越想越气，答应好的补发又没下文了。",
    ],
    ("neutral", "plain_account_question_zh"): [
        "退款一般几个工作日能到账？",
        "投诉建议的入口在哪里？我想提个功能建议。",
        "想问下退款进度在哪里可以查到",
        "申请退款以后优惠券会退回来吗？",
        "差评可以修改吗？我想改成好评。",
        "怎么查看我提交过的投诉记录？",
        "退款是原路返回吗？",
        "如果部分退款，运费怎么算？",
        "请问投诉和售后是同一个入口吗",
        "我之前的退款申请需要再补充材料吗？",
        "退货退款和仅退款有什么区别？",
        "想了解一下你们的投诉处理流程，一般多久回复？",
        "退款到账后会有短信通知吗",
        "评价里说的那个问题已经解决了，怎么追加评价？",
        "怎么取消自动续费？",
        "会员到期后积分还保留吗？",
    ],
    ("neutral", "problem_question_calm"): [
        "验证码一直收不到，能再发一次吗？",
        "重置密码的链接好像过期了，能重新发一个吗",
        "付款页面一直在转圈，是不是网络的问题？",
        "银行说卡没问题，但是这边显示支付失败，怎么办呢",
        "下个月我不在家，订阅能暂停一个月吗？",
        "确认邮件还没收到，正常吗？",
        "物流从昨天开始就没更新了，周末是不是不派送？",
        "APP里看不到历史订单，要怎么找？",
        "优惠券显示已过期，但是活动页面写的是到周日，哪个准？",
        "扣了一笔小钱又退回来了，是验证银行卡吗？",
        "登录的时候一直跳回首页，有什么办法吗",
        "发票抬头写错了，可以重开吗？",
        "地址好像没保存成功，能帮我看一下吗",
        "订单显示处理中两天了，一般什么时候发货？",
        "双重验证一直提示验证码无效，是不是我输入太慢了",
    ],
    ("neutral", "negated_emotion"): [
        "没生气哈，就是想问下什么时候补货。",
        "不是投诉，只是想改一下发票地址。",
        "没有不满意，就是想换个颜色。",
        "我不急，您有空的时候帮我确认一下订单就行。",
        "不是抱怨哈，就是问问周末送不送货。",
        "没有什么问题，想确认一下保修期多长。",
        "我没有不高兴，只是想弄清楚账单上这笔钱是什么。",
        "不着急，就想问问哪个尺码偏大。",
    ],
    ("neutral", "apologetic_repeat"): [
        "不好意思又来打扰了，想问下我刚才的问题有人看到吗",
        "抱歉再发一条，刚才忘了写订单号。",
        "不好意思，又是我，地址修改成功了吗？",
        "抱歉今天问第二次了，换货有进展了吗？",
        "不好意思，刚才聊天窗口关了，没看到回复。",
        "又来麻烦你们了，退货标签发出来了吗？",
        "抱歉啰嗦了，最后再问一个尺码的问题。",
        "再打扰一下哈，上条消息好像没发完整。",
    ],
    ("neutral", "mixed_report_ok"): [
        "盒子有点压扁了，不过里面的{item}完好无损，谢谢。",
        "晚到了一天，但快递小哥很客气，东西也没问题。",
        "付款的时候卡了一下，第二次就成功了。",
        "一开始发错了颜色，换得很快，现在都好了。",
        "等得有点久，但是东西很好，值得。",
        "刚才登录有点问题，自己已经解决了，跟你们说一声。",
        "少了一件后来第二天单独送到了，没事了。",
        "快递放错了门，邻居帮我拿过来了，没什么损失。",
    ],
    ("neutral", "calm_heads_up"): [
        "跟你们说一声，公众号文章里的链接打不开了。",
        "小问题：{item}页面的尺码表好像重复了一行。",
        "提醒一下，官网写周一休息，但其实门店是开着的。",
        "结算页面有个错别字，顺便告诉你们一下。",
        "不用处理哈，就是首页横幅还是上个月的活动。",
        "APP的夜间模式下价格看不太清，提个建议。",
    ],
}


def generate() -> list[dict]:
    """The rows of fourth.csv."""
    rng = random.Random(1104)
    rows = []
    for lang, table, items in (("en", EN, ITEMS_EN), ("zh", ZH, ITEMS_ZH)):
        for (label, kind), seeds in table.items():
            for number, seed in enumerate(seeds):
                family = f"f-{lang}-{kind}-{number}"
                text = seed.replace("{item}", rng.choice(items))
                for variant in variants(text, label, lang, rng):
                    rows.append({"text": variant, "label": label, "lang": lang, "kind": kind, "family": family})
    return rows


def main() -> None:
    """Write OUT."""
    write_rows(generate(), OUT)


if __name__ == "__main__":
    main()
