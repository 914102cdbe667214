"""Write data/emotion/third.csv: hand-written messages of the kinds still misread (issue 11, third pass).

    .venv/bin/python scripts/make_emotion_third.py

Every seed below is a whole message written for this project (not a template of
parts): anger that carries no angry keyword (sarcasm with thanks or "cheers",
scare quotes around the company's stock phrases, flat "great." after bad news,
mild swearing, "furious"/"disgusted" in plain sentences, giving up on the bot,
stalling phrases thrown back, threats to leave or to review), and the calm
look-alikes that the model over-reads (plain password, login, payment, coupon
and card questions, words like "worst", "angry", "complaint", 投诉, 气 used
calmly or as names, mixed reports that ended well). Each seed is its own
family (held out whole for calibration) and appears in up to ``VARIANTS``
styles: as written, lower case / typo / emoji (``style_en``/``style_zh``), and
with a greeting or a filler in front. ``{order}`` becomes an order number and
``{item}`` a product. Deterministic (seed 1103). Columns text,label,lang,kind,family.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from make_emotion_data import style_en, style_zh, write_rows  # noqa: E402

OUT = ROOT / "data" / "emotion" / "third.csv"
VARIANTS = 3

ITEMS_EN = ["jacket", "kettle", "desk lamp", "rice cooker", "backpack", "phone case", "blender", "rug", "sofa cover",
            "hiking boots", "printer", "coffee grinder", "duvet", "air fryer", "bookshelf", "scarf", "monitor stand"]
ITEMS_ZH = ["外套", "电水壶", "台灯", "电饭煲", "双肩包", "手机壳", "榨汁机", "地毯", "沙发套", "登山鞋", "打印机",
            "磨豆机", "被子", "空气炸锅", "书架", "围巾", "显示器支架"]
PREFIX_EN = ["hi, ", "hello, ", "ok so ", "right, ", "hey. ", "um ", "so, ", "morning. "]
PREFIX_ZH = ["你好，", "在吗，", "亲，", "喂，", "客服，", "嗯，", "那个，", "您好，"]

EN = {
    ("anger", "sarcasm_thanks"): [
        "Brilliant, the parcel went back to the depot again. Thanks so much for that.",
        "Cheers for the update that tells me absolutely nothing.",
        "Oh lovely, another 'sorry for the inconvenience' email. Very comforting.",
        "Thanks for cancelling my order without telling me, really appreciated.",
        "Wow, eleven days to move a box across town. Impressive stuff, thanks.",
        "So the refund is 'on its way' for the fourth week running. Thanks, truly.",
        "Thank you for the automated reply, it was exactly as useless as the last one.",
        "Great service as always, the {item} turned up in pieces. Well done.",
        "Really appreciate being told to 'check back later' five days in a row.",
        "Fantastic, the delivery slot I picked has been moved again. Thanks a bunch.",
        "Love that I paid for express and it's slower than the free option. Genius.",
        "Amazing how you can take my money in a second but need a month to return it.",
        "Good to see the 'two day delivery' means two weeks. Cheers.",
        "Oh perfect, the tracking number doesn't exist. Very reassuring, thanks.",
        "Well that's great, another call centre hold of forty minutes. Thanks for nothing much.",
        "Wonderful job losing a parcel the size of a fridge. Truly gifted.",
        "Great, so my 'guaranteed' delivery date was a suggestion. Good to know.",
        "Thanks for the coupon for my next order. As if there'll be one.",
        "Super helpful to send me a link to the page I just told you doesn't load.",
    ],
    ("anger", "flat_verdict"): [
        "ok. so still no refund. great.",
        "Right. Another week then. Fantastic.",
        "Perfect. Absolutely perfect.",
        "Incredible.",
        "Typical.",
        "Pathetic service, honestly.",
        "wow. just wow.",
        "Figures.",
        "Hopeless. Completely hopeless.",
        "Classic. Wrong item again.",
        "So nobody's accountable. Good to know. Great.",
        "Shocking. Absolutely shocking.",
        "Ridiculous. That's all I can say.",
    ],
    ("anger", "swearing"): [
        "this bloody app logs me out every five minutes",
        "damn it, wrong size again",
        "this is a load of rubbish, where is my money",
        "why the hell was I charged for shipping",
        "piece of junk {item}, stopped working in a week",
        "are you kidding me, the box was empty",
        "for god's sake just tell me when it arrives",
        "what a shambles, three couriers and still no parcel",
        "this crappy tracking page hasn't updated since Monday",
    ],
    ("anger", "plain_fury"): [
        "I am absolutely livid that my order was sent to the wrong city.",
        "I'm fuming. I took a day off work to wait for a delivery that never came.",
        "I'm really angry about how I've been treated by your returns team.",
        "I'm beyond annoyed that nobody has answered my emails for two weeks.",
        "Honestly I'm outraged that you charged me before the {item} was even in stock.",
        "I'm extremely upset with how long this refund is taking.",
        "I am very unhappy and I want someone to explain why my order was cancelled.",
        "I'm sick to death of chasing you for a simple answer.",
        "I've had enough of this, it's been a month.",
        "This is the worst customer experience I've had in years.",
        "I'm seething. Third missed delivery this week.",
        "Honestly appalled that the seal on the box was already broken.",
        "I'm losing my patience with this whole process.",
    ],
    ("anger", "bot_fed_up"): [
        "you're like a broken record, same answer every time",
        "Stop giving me the FAQ link, I've read it, it doesn't help.",
        "What's the use of a chat bot that can't answer one question?",
        "I'm wasting my time typing to a machine that doesn't understand.",
        "You clearly haven't understood a single thing I've written.",
        "Why do you keep asking for my order number, I've given it three times.",
        "Pointless. You just repeat yourself.",
        "Is anyone actually reading this or is it just you, the useless bot?",
        "Read what I wrote. Not what you think I wrote.",
        "This bot is driving me up the wall.",
        "Every answer you give is irrelevant to my question.",
        "I'm done talking in circles with a bot.",
    ],
    ("anger", "stalling_thrown_back"): [
        "Please don't say 'we are escalating this' again. You said that last week.",
        "Stop telling me it's 'in progress'. Nothing has progressed.",
        "I don't want another 'we'll get back to you'. I want my money.",
        "Enough with the 'please allow 3-5 working days'. It's been fifteen.",
        "Don't give me 'our team is aware'. Fix it.",
        "Spare me the 'we understand your frustration' line.",
        "'Being processed' for three weeks isn't processing, it's ignoring.",
        "You keep saying 'shortly'. Define shortly.",
        "Not interested in another apology, just refund the {item}.",
    ],
    ("anger", "threat_leave_review"): [
        "I'm closing my account and telling everyone I know to avoid you.",
        "You've lost a loyal customer today.",
        "Going straight to Trustpilot after this.",
        "One star, and I'll make sure the review explains why.",
        "Cancel my membership. I'm done with this company.",
        "Won't be recommending you to anyone ever again.",
        "Enjoy the bad review, you earned it.",
        "I'm taking my business elsewhere after this fiasco.",
        "Happy to tell all my followers how you treat customers.",
    ],
    ("anger", "refund_demand"): [
        "Just give me my money back. I'm not waiting any longer.",
        "I want a full refund for the {item}, today, not next month.",
        "Put the money back on my card. That's all I'm asking.",
        "I've been patient long enough. Refund me.",
        "I paid for something I never got. Give it back.",
    ],
    ("neutral", "account_question"): [
        "forgot my password, how do I reset it?",
        "the password reset link says it's expired, can you send a new one?",
        "The verification text isn't arriving on my phone, what should I do?",
        "Can I log in with my phone number instead of my email?",
        "How do I turn off marketing emails?",
        "My account shows an old address, where do I update it?",
        "Is there a way to merge two accounts I accidentally created?",
        "I can't remember which email I signed up with, can you help?",
        "How do I delete a saved card from my account?",
        "The app keeps asking me to log in again, is there a setting for that?",
        "Where can I see my order history?",
    ],
    ("neutral", "payment_question"): [
        "Do you accept PayPal?",
        "can i pay with google pay",
        "Do you take American Express?",
        "Is it possible to split the payment across two cards?",
        "Can I pay on delivery?",
        "Why is there a pending charge on my card for an order I cancelled?",
        "How long does a refund take to show on a credit card?",
        "Can I get a VAT invoice for my order {order}?",
        "Is there an instalment option for bigger orders?",
        "My bank asked me to confirm a payment, is that normal?",
        "which currencies can I pay in",
        "Do you charge extra for paying by card?",
    ],
    ("neutral", "coupon_question"): [
        "Can I use two promo codes on one order?",
        "Does the student discount apply to sale items?",
        "I had a code from your newsletter but it doesn't seem to work on shoes, is that right?",
        "Is the free shipping code still valid this week?",
        "How do I redeem my loyalty points?",
        "The coupon took off less than I expected, how is it calculated?",
    ],
    ("neutral", "trigger_word_calm"): [
        "Do you still sell the Mad Hatter costume in adult sizes?",
        "Is the 'Hell's Kitchen' cookbook back in stock?",
        "My son is obsessed with the grumpy cat mug, do you have it in blue?",
        "Angry Orchard cider gift set, do you deliver it on weekends?",
        "Is the Furious Five action figure set suitable for a 5 year old?",
        "What's the damage for next-day delivery to Leeds?",
        "Killer deal on the {item}! Is it still on sale tomorrow?",
        "How do I complain to my bank about a card fee? You said you can't help, but any tips?",
        "Which is the worst-selling colour? I like unusual ones, haha.",
        "Is the 'Rage Room' gift voucher refundable if they close?",
        "The {item} is so good it's dangerous, do you have a second colour?",
        "Could the parcel get damaged if it's left outside in the rain?",
        "What happens if the courier loses the parcel? Just asking before I order.",
    ],
    ("neutral", "mixed_report_ok"): [
        "Had a small issue with the size, but the exchange was easy. Happy now.",
        "The first {item} was scratched, your team sent another quickly and it's lovely.",
        "Took a while to arrive but my mum loves the gift, thanks.",
        "Payment failed the first time but went through on the second try, all sorted.",
        "A button was loose but I sewed it back on, no need to do anything.",
        "Box was a bit battered but the {item} inside is perfect.",
    ],
    ("neutral", "polite_heads_up"): [
        "Just so you know, the product page says 100% cotton but the label says a linen mix. No rush.",
        "Small thing: the photo for the green {item} shows the grey one. Not a problem for me.",
        "Thought you'd want to know the delivery email had my name spelt wrong. Nothing to fix on my side.",
        "Quick note, the app shows prices in dollars for me even though I'm in the UK.",
    ],
    ("neutral", "short_question"): [
        "do you ship to ireland", "can i pay by bank transfer", "is there a size chart", "got this in black?",
        "do you deliver on sundays", "any student discount", "how much is postage", "can i change my delivery address",
        "is the {item} dishwasher safe", "do you do gift wrapping", "what's your returns window", "can i collect in store",
        "how do i track my parcel", "is there a warranty on the {item}", "can i cancel an order",
        "when does the sale end", "do you sell gift cards", "can i reset my pin", "is klarna available",
        "do you take cash on delivery", "how do i update my card details", "login code not coming through, any tips?",
        "where do i enter a promo code",
    ],
    ("anger", "doubt_company"): [
        "Are you even a real shop or just a website that takes money?",
        "Is there actually anyone running this company?",
        "Does anyone at your company know what they're doing?",
        "Do you people ever deliver anything on time?",
        "Is this how you treat every customer or am I special?",
        "Why should I believe a single thing you tell me now?",
        "Honestly, is anybody there or is this all automated nonsense?",
        "What exactly do I pay delivery fees for?",
        "How many more times do I have to explain this?",
        "Who on earth designed this returns process?",
    ],
    ("anger", "futile_bot"): [
        "I might as well be talking to my fridge.",
        "This chat is like shouting into the void.",
        "You're about as useful as a chocolate teapot.",
        "What is even the point of this chat?",
        "Fifteen minutes with you and I'm exactly where I started.",
        "Stop pretending to understand me.",
        "You're not helping. At all.",
        "I've had more useful conversations with my cat.",
    ],
    ("anger", "short_verdict"): [
        "Unacceptable.", "Disgraceful.", "Seriously?", "What a joke.", "Useless as ever.", "Appalling.",
        "Absolute shambles.", "Embarrassing, honestly.", "Beyond a joke now.",
        "Terrible. Just terrible.", "You're kidding me.",
    ],
    ("anger", "sarcasm_love"): [
        "Love that the 'next day' parcel is now on day six.",
        "Good job, you've managed to lose two parcels in one week.",
        "Nice one, charging me for a delivery that never came.",
        "Gotta love a refund that takes longer than the delivery did.",
        "Brilliant system you've got, it cancelled my order and kept my money.",
        "Really impressive, the {item} came with someone else's receipt and a crack.",
        "So glad I paid extra for 'premium support'. Money well spent.",
        "Oh good, the status says 'preparing' again. What a surprise.",
    ],
    ("anger", "threat_other"): [
        "I'm reporting this to my bank as a chargeback if I don't hear back today.",
        "Everyone in my neighbourhood group is going to hear about this.",
        "Never shopping here again after this mess.",
        "Consider this my last order, ever.",
        "I'm cancelling everything and moving to your competitor.",
        "If this isn't sorted by Friday I'm posting the whole chat online.",
    ],
    ("anger", "plain_fury_more"): [
        "I'm furious that my refund was rejected without any reason.",
        "I am so angry, the courier threw the box over the gate.",
        "This has made me really mad, I paid for express for a reason.",
        "I'm absolutely fed up with being passed from one department to another.",
        "I'm livid, you sent the wrong colour twice.",
        "I'm really annoyed that nobody told me the item was out of stock.",
        "Honestly I'm so frustrated I could scream.",
        "I'm upset and angry, this was supposed to be a wedding present.",
    ],
    ("neutral", "problem_question_calm"): [
        "My verification code expired before I could type it in, can I get a new one?",
        "The checkout button is greyed out, is there something I missed?",
        "The app closed while I was paying, did my order go through?",
        "My points haven't appeared yet, do they take a few days?",
        "The refund shows as completed but it's not on my card yet, is that normal?",
        "How do I switch off the automatic renewal on my membership?",
        "I typed one letter of my address wrong, can it still be changed?",
        "The invoice has the wrong company name, could you reissue it?",
        "The page says out of stock, any idea when it comes back?",
        "Tracking has said out for delivery all day, roughly what time do drivers finish?",
        "I changed my password but still can't log in, should I clear the cache?",
        "The two-step code goes to my old number, how do I update it?",
        "Payment page keeps loading, should I wait or try again later?",
        "My gift card balance shows zero but I haven't used it, can you check?",
        "The size I want is greyed out, does that mean sold out?",
        "I got an email about a delivery I don't remember ordering, is it maybe my partner's account?",
    ],
    ("neutral", "mixed_report_more"): [
        "There was a small mix-up in the middle, but it all got sorted. Thank you.",
        "It came two days late but the {item} is great, I'll order again.",
        "One item was missing at first but you sent it on and it's all here now.",
        "Had to try the code twice but it worked in the end, cheers.",
        "The courier was a bit late, no harm done though.",
        "Wasn't sure the payment went through, but I got the confirmation now. All good.",
    ],
    ("neutral", "chatter_same"): [
        "lol my dad says that exact thing every Sunday",
        "Same here, we had the same idea last week!",
        "Ha, my colleague asked me the same question this morning.",
        "We watched it again last night, still just as funny.",
        "My brother keeps repeating that joke, it never gets old haha",
        "Funny, my neighbour ordered the same lamp last month",
        "Oh same, I said that too when I first tried it",
        "My mum always gives me the same advice, she's usually right",
        "I read the same article last week, interesting stuff",
        "Haha we had exactly the same conversation at dinner",
        "Same thing happened to me at the cinema once, so funny",
    ],
}

ZH = {
    ("anger", "sarcasm_thanks"): [
        "太感谢了，包裹又退回仓库了，你们可真行。",
        "谢谢你们的“温馨提示”，说了等于没说。",
        "真贴心啊，取消我的订单都不带通知一声的。",
        "十一天送不到同城，效率真是让人佩服。",
        "退款“正在路上”已经第四周了，真是辛苦你们了。",
        "感谢你们又发来一封自动回复，跟上一封一样没用。",
        "服务一如既往的好，{item}到手直接碎成几块，厉害。",
        "连续五天让我“稍后再查”，太谢谢了。",
        "付了加急费比免费配送还慢，这操作绝了。",
        "收钱一秒钟，退钱一个月，真是高效。",
        "说好的两天送达变成两周，给你们鼓掌。",
        "物流单号查无此件，真让人放心呢。",
        "还送我下次购物的优惠券，还有下次吗？真会做生意。",
        "我刚说链接打不开，你又发同一个链接给我，真是帮大忙了。",
        "谢谢你们让我白请了一天假在家等快递。",
    ],
    ("anger", "flat_verdict"): [
        "好嘛，退款还是没有，真好。",
        "绝了。",
        "无敌了。",
        "服气。",
        "呵，意料之中。",
        "又发错了，经典。",
        "没人负责是吧，好的，知道了。",
        "真是离大谱。",
        "我真的会谢。",
        "就这？",
        "太能了你们。",
        "笑死，又是这样。",
    ],
    ("anger", "swearing"): [
        "我的快递到底怎么回事啊，搞什么鬼",
        "这破app五分钟就把我踢下线一次",
        "见鬼了，尺码又发错",
        "这垃圾{item}第二天就散架了",
        "运费凭什么乱收，搞什么名堂",
        "坑死人了，箱子里是空的",
        "烂透了，三个快递员都送不到",
        "这破物流页面周一到现在一动不动",
        "真是活见鬼，钱扣了货没有",
    ],
    ("anger", "plain_fury"): [
        "订单被寄到别的城市去了，我现在非常火大。",
        "我特意请假在家等快递，结果根本没来，气得不行。",
        "你们退货部门对我的态度让我非常愤怒。",
        "两个星期发邮件都没人回，我真的很恼火。",
        "货还没到库存就先扣我钱，太让人生气了。",
        "{item}送到的时候那个样子，看了真让人反感。",
        "退款拖这么久，我对你们非常不满意。",
        "一个简单的问题追了你们一个月，我受够了。",
        "这是我几年来最差的一次购物体验。",
        "这周第三次送不到了，我快气炸了。",
        "我的耐心已经被你们耗光了。",
        "箱子封条到手就是破的，太过分了。",
    ],
    ("anger", "bot_fed_up"): [
        "你就是个复读机，每次回答都一样",
        "别再给我发常见问题链接了，我看过了，没用。",
        "一个问题都回答不了的机器人有什么用？",
        "跟机器打字简直浪费时间，根本听不懂人话。",
        "我写的你是一个字都没看懂吧。",
        "订单号我都给了三遍了，你还问？",
        "鸡同鸭讲，说了等于白说。",
        "能不能认真看看我发的内容？",
        "每个回答都跟我的问题不沾边。",
        "不想再跟机器人绕圈子了。",
        "这个智能客服一点都不智能，气人。",
    ],
    ("anger", "stalling_thrown_back"): [
        "别再跟我说“正在加急处理”了，上周就这么说。",
        "不要再说“处理中”了，根本没有任何进展。",
        "我不要再听“稍后给您回复”，我要我的钱。",
        "别再说“请耐心等待3到5个工作日”，都十五天了。",
        "别跟我说“我们已知晓”，赶紧解决。",
        "“理解您的心情”这种话就省省吧。",
        "“审核中”审了三个星期，这不叫审核，叫不管。",
        "你们一直说“马上”，马上是多久？",
        "不需要再道歉了，把{item}的钱退了就行。",
    ],
    ("anger", "threat_leave_review"): [
        "我要注销账号，还要告诉身边所有人别买你们的。",
        "你们今天失去了一个老顾客。",
        "等着吧，我这就去写评价。",
        "一星，评价里我会把经过写得清清楚楚。",
        "会员给我取消，这家公司我不伺候了。",
        "以后谁问我都让他们别买。",
        "差评是你们自找的。",
        "我去别家买了，这次真的够了。",
    ],
    ("anger", "refund_demand"): [
        "把钱退给我就行，我不想再等了。",
        "{item}全额退款，今天就退，不是下个月。",
        "把钱原路退回我的卡，就这一个要求。",
        "我已经够有耐心了，退钱。",
        "东西没收到钱却扣了，还给我。",
    ],
    ("neutral", "account_question"): [
        "忘记密码了，怎么重置？",
        "重置密码的链接提示过期了，能再发一个吗？",
        "手机一直收不到验证短信，怎么办？",
        "可以用手机号登录吗，不用邮箱？",
        "怎么关闭营销邮件？",
        "账号里的地址还是旧的，在哪里改？",
        "不小心注册了两个账号，能合并吗？",
        "忘了当时用哪个邮箱注册的，能帮我查一下吗？",
        "怎么删除账号里保存的银行卡？",
        "app老是让我重新登录，有设置可以改吗？",
        "在哪里看历史订单？",
        "用户名怎么改",
    ],
    ("neutral", "payment_question"): [
        "微信支付支持吗？",
        "能用花呗分期吗",
        "支持信用卡付款吗？",
        "一个订单能分两张卡付吗？",
        "可以货到付款吗？",
        "取消的订单为什么卡上还有一笔预授权？",
        "退款退到信用卡一般要几天？",
        "订单{order}可以开增值税发票吗？",
        "大件商品有分期付款吗？",
        "银行让我确认一笔付款，这正常吗？",
        "可以用哪些币种付款",
        "刷卡付款要加手续费吗？",
    ],
    ("neutral", "coupon_question"): [
        "一个订单能叠加两张优惠券吗？",
        "学生优惠适用于打折商品吗？",
        "邮件里给的优惠码买鞋好像用不了，是这样规定的吗？",
        "包邮券这周还能用吗？",
        "积分怎么兑换？",
        "优惠券减的比我以为的少，是怎么算的？",
    ],
    ("neutral", "trigger_word_calm"): [
        "疯帽子那款服装还有成人码吗？",
        "《地狱厨房》那本菜谱补货了吗？",
        "我儿子超喜欢那个生气猫的杯子，有蓝色的吗？",
        "功夫熊猫那套手办适合五岁小孩吗？",
        "{item}便宜得吓人！明天还有这个价吗？",
        "想问问怎么跟银行投诉手续费的事，你们说管不了，有什么建议吗？",
        "哪个颜色卖得最差？我就喜欢小众的，哈哈。",
        "{item}好用到让人上瘾，还有别的颜色吗？",
        "包裹放门口淋雨会不会坏？下单前先问问。",
        "快递要是把包裹弄丢了会怎么处理？只是先问一下。",
        "气死我了哈哈，刚下单就降价了，能补差价吗？",
    ],
    ("neutral", "mixed_report_ok"): [
        "尺码有点小问题，换货很顺利，现在很满意。",
        "第一个{item}有划痕，你们很快补发了，新的很好看。",
        "到得有点慢，但我妈很喜欢这份礼物，谢谢。",
        "第一次付款失败，第二次就成功了，已经搞定。",
        "有颗扣子松了，我自己缝好了，不用处理。",
        "外箱有点压扁，里面的{item}完好无损。",
    ],
    ("neutral", "polite_heads_up"): [
        "顺便说一下，商品详情写的是纯棉，吊牌上写的是棉麻，跟你们说一声。",
        "小问题：绿色{item}的图片放的是灰色的，对我没影响。",
        "跟你们说一声，送货通知里我的名字拼错了，我这边不用处理。",
        "告诉你们一下，app上价格显示的是美元，我在国内。",
    ],
    ("neutral", "short_question"): [
        "能寄到香港吗", "可以银行转账付款吗", "有尺码表吗", "这个有黑色的吗", "周日送货吗", "有学生优惠吗", "运费多少",
        "收货地址能改吗", "{item}能放洗碗机吗", "可以包装成礼物吗", "退货期限是几天", "可以到店自提吗", "怎么查物流",
        "可以保价吗", "{item}有保修吗", "订单可以取消吗", "活动什么时候结束", "有礼品卡卖吗", "支付密码怎么重置",
        "能用云闪付吗", "支持货到付款吗", "银行卡信息怎么更新", "登录验证码收不到，有什么办法吗？", "优惠码在哪里填",
    ],
    ("anger", "doubt_company"): [
        "你们是真没人管了吗？",
        "这公司还开着吗？怎么一个人都找不到",
        "你们到底有没有一个懂行的？",
        "你们家就没有一次是准时的吧？",
        "每个顾客都是这么对待的吗？",
        "现在你们说什么我还能信吗？",
        "我交的运费到底是干嘛用的？",
        "还要我解释几遍你们才明白？",
        "这退货流程是谁设计的，能不能用点心？",
    ],
    ("anger", "futile_bot"): [
        "跟你聊还不如跟墙聊。",
        "聊了十五分钟，一点进展都没有。",
        "别装听懂了，你根本没懂。",
        "你一点忙都没帮上。",
        "这聊天有什么意义？浪费我时间。",
        "问东答西，你是来添乱的吧。",
    ],
    ("anger", "short_verdict"): [
        "不可接受。", "丢人。", "认真的吗？", "简直是笑话。", "一如既往地没用。", "太差劲了。", "离谱到家了。",
        "开什么玩笑。", "真够可以的。", "一塌糊涂。",
    ],
    ("anger", "sarcasm_love"): [
        "次日达的包裹第六天还没到，真是次日达。",
        "一周弄丢我两个包裹，你们真有本事。",
        "没送到的快递还收我运费，真是好算盘。",
        "退款比发货还慢，佩服佩服。",
        "订单取消了钱不退，这系统真先进。",
        "多花钱买的“尊享客服”，真是物超所值啊。",
        "状态又变回“备货中”了，好惊喜哦。",
        "你们家效率真是业界标杆，一个退款办了一个月。",
        "这服务我给满分，满分一百我给五分。",
    ],
    ("anger", "threat_other"): [
        "今天再没答复我就找银行拒付。",
        "我会在小区群里把这事说清楚。",
        "经过这次，再也不会在这买东西了。",
        "账号我注销了，以后不会再来。",
        "周五前不解决，我就把聊天记录发到网上。",
        "等着收差评吧，一条都不会少。",
    ],
    ("anger", "plain_fury_more"): [
        "退款无缘无故被驳回，我非常愤怒。",
        "快递员直接把箱子扔进院子里，我气坏了。",
        "花钱买的加急，结果这样，我真的很恼火。",
        "被各个部门踢来踢去，我已经烦透了。",
        "颜色连续发错两次，我真是火冒三丈。",
        "缺货也不通知一声，太让人生气了。",
        "这是结婚礼物啊，你们让我怎么办，我真的又急又气。",
    ],
    ("anger", "irritated_repeat"): [
        "有完没完啊，又让我重启一遍",
        "烦不烦啊，每次都问订单号",
        "我说第三遍了，东西少了一件！",
        "同样的话我不想再说第四次了",
        "能不能别再问我同一个问题了",
        "翻翻上面的记录好吗，我都写了",
    ],
    ("neutral", "problem_question_calm"): [
        "验证码还没输完就过期了，能再发一次吗？",
        "结算按钮是灰的，是不是我漏填了什么？",
        "付款时app闪退了，订单成功了吗？",
        "积分还没到账，是要等几天吗？",
        "退款显示成功了，但卡上还没看到，正常吗？",
        "会员自动续费怎么关？",
        "收货地址填错了一个字，还能改吗？",
        "发票抬头写错了，能重开一张吗？",
        "商品页显示缺货，大概什么时候补货？",
        "物流显示派送中一整天了，一般几点前能送到？",
        "密码改完了还是登不上，需要清缓存吗？",
        "两步验证的短信发到旧号码了，怎么更新？",
        "支付页面一直在转圈，是等一下还是过会儿再试？",
        "礼品卡余额显示0，可我还没用过，能帮忙看看吗？",
        "想要的尺码是灰色的，是卖完了的意思吗？",
        "收到一封不记得下过单的发货邮件，会不会是家人用我账号买的？",
    ],
    ("neutral", "mixed_report_more"): [
        "中间出了点小差错，最后都解决了，谢谢。",
        "虽然晚到两天，{item}很好，下次还来。",
        "一开始少发了一件，后来补寄到了，现在齐了。",
        "优惠码试了两次才成功，不过最后用上了。",
        "快递员来得有点晚，不过没什么影响。",
        "一开始不确定有没有付款成功，现在收到确认了，没问题。",
    ],
    ("neutral", "chatter_same"): [
        "哈哈我朋友昨天也跟我讲了一模一样的事",
        "笑死，我爸每个周末都说这句话",
        "我也是，上周我们也想到一块去了",
        "我同事今天早上也问了我同样的问题哈哈",
        "昨晚又看了一遍，还是那么好笑",
        "我邻居上个月也买了同款台灯",
        "我第一次用的时候也是这么说的",
        "我妈总是给我同样的建议，不过她一般都对",
        "上周我也看到这篇文章了，挺有意思",
        "哈哈我们吃饭时也聊过一样的话题",
    ],
    ("neutral", "plain_account_question_zh"): [
        "手机号换了，登录时验证码发到旧手机上了，怎么处理？",
        "人脸识别一直不通过，还有别的验证方式吗？",
        "绑定银行卡时提示信息有误，是要填开户行吗？",
        "为什么我的账号显示异常需要验证，是正常的安全检查吗？",
        "App更新以后找不到退出登录的按钮了，在哪里？",
        "余额提现一直显示审核中，一般要多长时间？",
        "实名认证提交了两天还没通过，是还在审核吗？",
        "扫码付款显示超时，钱会自动退回吗？",
        "退款原路返回的话，信用卡账单上怎么显示？",
        "下单时地址选不了我们小区，是不是不配送？",
        "发票申请提交后在哪里下载？",
        "积分快过期了，能兑换什么？",
        "会员到期后之前的优惠券还能用吗？",
        "登录提示账号不存在，是不是我注册用的另一个手机号？",
        "收货人名字能改成我家人的吗？",
        "下单后想加一件商品，能合并发货吗？",
        "订单一直显示待付款，可我已经付过了，要等一会儿吗？",
        "优惠券显示未达到使用门槛，是要满多少才能用？",
        "换了新手机，原来的登录记录还在吗？",
        "支付宝付款时提示风险校验，要怎么操作？",
    ],
}


def variants(text: str, label: str, lang: str, rng: random.Random) -> list[str]:
    """Up to VARIANTS distinct renderings of one seed."""
    out = [text]
    style = style_en if lang == "en" else style_zh
    prefixes = PREFIX_EN if lang == "en" else PREFIX_ZH
    for _ in range(6):
        if len(out) >= VARIANTS:
            break
        candidate = style(text, label, rng)
        if rng.random() < 0.4:
            prefix = rng.choice(prefixes)
            candidate = prefix + (candidate[0].lower() + candidate[1:] if lang == "en" and candidate[:1].isupper()
                                  and not candidate[:2].isupper() else candidate)
        if candidate not in out:
            out.append(candidate)
    return out


def expand(prefix: str, tables: tuple, rng: random.Random, fill) -> list[dict]:
    """Rows of every seed of ``tables`` in up to three styles (:func:`variants`); each seed its own family.

    Args:
        prefix: the family prefix of this data file (``t``, ``f``, ``v``).
        tables: ``(lang, {(label, kind): [seed, ...]}, items)`` per language.
        rng: the file's seeded random source (draws happen in a fixed order: deterministic).
        fill: ``fill(seed, lang, items, rng) -> text``, the seed's placeholders filled.

    Returns:
        Dicts with text, label, lang, kind, family.
    """
    rows = []
    for lang, table, items in tables:
        for (label, kind), seeds in table.items():
            for number, seed in enumerate(seeds):
                family = f"{prefix}-{lang}-{kind}-{number}"
                for variant in variants(fill(seed, lang, items, rng), label, lang, rng):
                    rows.append({"text": variant, "label": label, "lang": lang, "kind": kind, "family": family})
    return rows


def generate() -> list[dict]:
    """The rows of third.csv."""
    return expand("t", (("en", EN, ITEMS_EN), ("zh", ZH, ITEMS_ZH)), random.Random(1103),
                  lambda seed, lang, items, rng: seed.replace("{item}", rng.choice(items))
                  .replace("{order}", f"QX-{rng.randint(100000, 999999)}"))


def main() -> None:
    """Write OUT."""
    write_rows(generate(), OUT)


if __name__ == "__main__":
    main()
