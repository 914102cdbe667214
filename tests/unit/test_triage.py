"""What a message asks for, apart from how the customer feels (bot.handover.triage)."""
import pytest

from bot.handover.triage import (
    anger_cue, asks_for_person, calm_framing, is_polite, is_report, needs_person_case, normalise_typos, not_a_request, plain_anger,
    strong_sarcasm, fraud_question, fraud_misread, strong_anger, thanks_for_solved,
    wants_action,
)


@pytest.mark.parametrize("text", [
    "talk to a human", "can I speak with your manager", "agent please", "human",
    "my order is QX-123456, I want to speak to a real person", "13800138000, please have someone call me back",
    "Please put me through to a member of your support team", "are you a bot? I want a person", "can someone from your team look at this",
    "转人工", "人工客服", "订单 QX-654321 帮我转接人工客服", "叫你们经理来", "我的手机号13800138000，请人工联系我",
])
def test_explicit_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "are you a bot?", "are you a real person or a bot?", "你是真人吗", "am I talking to a real human?",
    "where is my order QX-123456", "I don't need a human, just the delivery date",
    "the delivery person was rude", "不用转人工，我自己看看", "我的订单到哪了", "my manager asked me to order this",
])
def test_no_request_for_a_person(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text, expected", [
    ("how long does a refund take?", False), ("I want a refund for the blender", True),
    ("I want to file a complaint", True), ("the box was a bit dented, just so you know", False),
    ("退款多久到账？", False), ("我要退款", True), ("投诉快递员", True), ("包装有点压痕，提醒一下", False),
])
def test_a_demand_is_told_from_a_report_or_a_question(text, expected):
    assert wants_action(text) is expected


def test_apologies_and_thanks():
    assert is_polite("sorry to bother you again") and is_polite("谢谢") and is_polite("不好意思又来问")
    assert not is_polite("where is my parcel")


# Issue 11: an explicit request for a person always hands over, whatever else
# the message carries, in many phrasings, with typos and mixed zh/en.
PERSON_REQUESTS = [
    # English, many phrasings
    "I want to talk to a human", "let me speak to someone", "get me a supervisor now", "can I have a real person please",
    "I'd like to speak with a representative", "put me through to an operator", "transfer me to an agent",
    "connect me with customer service", "is there anyone I can talk to?", "I need a human to look at this",
    "operator!", "REPRESENTATIVE!!!", "Agent.", "live agent", "speak to manager", "I want to talk with your boss",
    "please have someone call me", "can somebody from your team ring me?", "call me back please", "I'd like a callback",
    "escalate this to a person", "I don't want to talk to a bot, get me a human", "no more bot, a real person please",
    "stop the robot and give me a person", "need to speak to customer support", "can I chat with a live person?",
    "human being please", "pls get me an actual person", "I'd prefer to talk to a real one", "reach a human, please",
    # with an order number, a phone number, a complaint
    "Order QX-778812, I need to speak to a person about it", "my number is +44 7700 900123, have an agent call me",
    "this is a disgrace and I want a manager NOW", "refund order 55123 and put me through to a supervisor",
    "The parcel is late again. Human please.",
    # typos
    "tlak to a humna", "i want an agnet", "speak to a reprsentative", "get me a supervsior", "need somone to call me",
    "can i speek to a persn", "operater please", "let me talk to a real peron", "transfr me to a human",
    # Chinese
    "转人工", "人工", "人工！！", "人工客服在吗", "帮我转人工服务", "找个真人", "叫你们经理出来", "我要找你们领导",
    "让你们负责人联系我", "换个人跟我说", "我想跟客服人员沟通", "给我打个电话", "请安排专人处理", "我要跟人说话，不要机器人",
    "别跟我机器人了", "订单QX-123456，转人工", "我的电话13800138000，让客服给我回电", "太气人了，找你们主管来",
    "转人公", "人公客服", "找个能做主的", "叫管事的来",
    # mixed zh/en
    "转 human", "我要 agent", "找个 real person", "人工 please", "can I 转人工?", "给我转manager", "找 supervisor 来处理",
    "human客服", "please 转人工 thanks",
]
NOT_PERSON_REQUESTS = [
    "are you a bot?", "are you a real person or a bot?", "你是真人吗", "am I talking to a real human?", "是真人吗",
    "where is my order QX-123456", "I don't need a human, just the delivery date", "no need for an agent, thanks",
    "the delivery person was rude", "不用转人工，我自己看看", "我的订单到哪了", "my manager asked me to order this",
    "someone else signed for my parcel", "the courier left it with my neighbour", "human error on the label I guess",
    "how do I change my password", "不需要人工，谢谢", "快递员态度不好", "我想查一下订单", "can you tell me when it ships?",
    "I'm not angry, just asking about the refund", "thanks, that's all I needed", "人工智能推荐的商品不错",
    "my husband ordered it for me", "the agent yesterday was very helpful, thanks", "谢谢你们的客服，问题解决了",
]


@pytest.mark.parametrize("text", PERSON_REQUESTS)
def test_every_phrasing_of_a_request_for_a_person(text):
    assert asks_for_person(text), text


@pytest.mark.parametrize("text", NOT_PERSON_REQUESTS)
def test_look_alikes_are_not_a_request_for_a_person(text):
    assert not asks_for_person(text), text


@pytest.mark.parametrize("word, expected", [
    ("humna", "human"), ("agnet", "agent"), ("reprsentative", "representative"), ("supervsior", "supervisor"),
    ("somone", "someone"), ("parcel", "parcel"), ("order", "order"),
])
def test_misspelt_request_words_read_as_meant(word, expected):
    assert normalise_typos(f"talk to a {word}") == f"talk to a {expected}"


@pytest.mark.parametrize("text", [
    "I'll have someone at home to receive it", "you give people the wrong tracking info", "did you get anyone else complaining?",
    "can I have somebody else pick it up?", "I need the person at the door to sign", "people say the app is good",
])
def test_someone_or_people_without_a_request_verb_is_not_a_request(text):
    assert not asks_for_person(text), text


# Third pass (issue 11): requests that carry an order number, a phone, a
# complaint, shorthand or a past tense ("transferred", "connected"), and
# look-alikes (人工费, "don't need to speak to anyone", "did anyone look").
@pytest.mark.parametrize("text", [
    "Could I please be transferred to one of your colleagues? My order is QX-100200.",
    "Hello, I've tried the bot but I'd prefer to deal with a person if that's possible, it's about a refund for QX-554321.",
    "pls put me thru to sum1 real",
    "could someone from customer care phone me back",
    "transfer me please",
    "I would like to be connected to an advisor",
    "可以联系人工吗", "我想人工咨询", "能不能让人工客服联系我，电话13900001111", "我要投诉，转人工",
    "I want to talk to 人工客服", "给我找个agent", "Human please, the tracking for QX-100001 is wrong",
])
def test_third_pass_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "I don't need to speak to anyone, just tell me the delivery date", "安装需要人工费吗", "人工智能能帮我选尺码吗",
    "did anyone look at my request?", "who is the agent for this brand in China?", "human hair wig in stock?",
])
def test_third_pass_look_alikes_are_not_requests(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text, expected", [
    ("sorry to bother you again, did anyone get a chance to look at my exchange?", True),
    ("不好意思又来问，我的退货申请有人处理了吗？", True), ("你是机器人还是真人？", True),
    ("did anyone look at this? I want a human now", False), ("talk to a human", False),
])
def test_asking_after_a_request_is_not_a_request(text, expected):
    assert not_a_request(text) is expected


@pytest.mark.parametrize("text, case", [
    ("Someone used my card on your site, it wasn't me", "fraud"),
    ("订单里有我没下过的单，是不是被盗号了", "fraud"),
    ("I was billed twice for the same subscription this month", "double_charge"),
    ("同一笔订单扣了两次钱", "double_charge"), ("同一个订单扣了我两次钱", "double_charge"),
    ("If this isn't fixed I'll be contacting trading standards", "legal"),
    ("再不处理我就打12315", "legal"),
    ("I want to make a formal complaint about the courier", "formal_complaint"),
    ("the heater started smoking and melted the plug", "safety"),
    ("充电器冒烟了，差点起火", "safety"),
    ("The parcel is marked delivered but it's not here, I've already checked with the neighbours", "after_steps"),
    ("换来的新货也是坏的，我已经按你们说的拍照上传了", "after_steps"),
    ("how long does a refund take?", None), ("not a complaint, just a question about sizes", None),
    ("can I get a replacement for the broken mug?", None), ("my card was declined, any idea why?", None),
    ("退款多久到账？", None), ("包装有点压痕，提醒一下", None),
])
def test_the_case_a_person_must_handle_is_read_apart_from_the_intent(text, case):
    assert needs_person_case(text) == case


# Fourth pass (issue 11): more cases a person must handle, written for this test.
@pytest.mark.parametrize("text, case", [
    ("I haven't bought anything from you since spring, yet there's a charge for a voucher today", "fraud"),
    ("Got a text that my email address was updated, but I didn't change it", "fraud"),
    ("Two orders on my account are going to a flat in Leeds. That address is not mine.", "fraud"),
    ("有人改了我的绑定手机号，不是我改的", "fraud"),
    ("My statement has two identical payments of 19.99 for one order", "double_charge"),
    ("The promo code showed at checkout but I was charged the full price", "double_charge"),
    ("银行卡上有两笔一样的扣款，订单只有一个", "double_charge"),
    ("You confirmed my refund three weeks ago and nothing has arrived, my bank has no record of it", "refund_missing"),
    ("The refund was processed back in March and it still hasn't shown on my card", "refund_missing"),
    ("退款显示成功都两个星期了，卡里还没到账", "refund_missing"),
    ("My daughter came out in a rash after using the face cream you sent", "safety"),
    ("The power bank has a swollen battery and gets hot", "safety"),
    ("吃了你们的鸡胸肉以后一家人都拉肚子", "safety"),
    ("取暖器用了一会儿就有焦味，插头也化了", "safety"),
    ("The tracking shows delivered, I've asked the concierge and the building manager, no box", "after_steps"),
    ("门把手有明显凹陷，联系过快递员，他让我找商家", "after_steps"),
    ("物流显示已签收，问了驿站也查不到", "after_steps"),
    ("包裹十天没动了，打过物流的电话，说让我找你们", "after_steps"),
    ("Tracking has been stuck for two weeks and I already rang the courier, they told me to contact you", "after_steps"),
    ("物流两天没更新了，正常吗？", None),
    # calm look-alikes
    ("my refund was approved yesterday, when will I see it?", None),
    ("投诉的流程是什么？以后备用", None),
    ("how much is delivery to Leeds?", None),
    ("这个暖手宝充电要多久？", None),
])
def test_fourth_pass_cases(text, case):
    assert needs_person_case(text) == case


@pytest.mark.parametrize("text", [
    "I've reinstalled and reset everything and the voucher still won't apply. Could someone check it on your side?",
    "can a colleague look into this for me please",
    "客服呢？", "rg",
])
def test_fourth_pass_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "人工客服周末几点上班？", "晚上有人工客服吗？不急，明天再问也可以", "你们的客服几点下班",
    "If I want to talk to someone next week, what time does the phone line open?",
    "Are your support staff real people?",
])
def test_questions_about_when_people_work_are_not_requests(text):
    assert not asks_for_person(text)
    assert not_a_request(text)


@pytest.mark.parametrize("text", ["我要人工客服，现在就转", "现在有人工客服吗？给我转一下"])
def test_a_question_about_people_that_also_asks_now_is_a_request(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text, expected", [
    ("退款还没到账，银行也查不到", False), ("钱一直没有到账", False), ("it's not sorted yet", False),
    ("退款已经到账了，谢谢", True), ("all sorted now, thanks", True),
])
def test_a_negated_resolution_is_no_report(text, expected):
    from bot.handover.triage import is_report

    assert is_report(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("hello, not upset, just wondering about the issue with my invoice", False),
    ("I went through the steps you sent, though, and it works", False),
    ("what the hell, this is useless", True), ("ugh. seriously?", True),
])
def test_angry_words_are_read_as_whole_words(text, expected):
    from bot.handover.triage import anger_cue

    assert anger_cue(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("Thanks for the 'express' shipping, very express indeed", True),
    ("感谢你们的“加急处理”，处理了十天", True),
    ("what does 'in transit' mean on the tracking page?", False),
    ("“待发货”是什么意思？", False),
])
def test_thanks_beside_a_phrase_in_scare_quotes_is_an_anger_cue(text, expected):
    from bot.handover.triage import anger_cue

    assert anger_cue(text) is expected


# issue 11, fifth pass: families of Chinese requests for a person (colleague, after-sales,
# manager / shop manager, someone who can handle it, call me back, 人工审核, 升级处理, the seller),
# written for this test.
FIFTH_PASS_ZH_REQUESTS = [
    "我需要人工",
    "帮我叫一下客服",
    "能不能让客服打给我",
    "叫个人来处理一下",
    "我想跟你们客服当面说",
    "给我安排个人工",
    "能不能转给你们同事",
    "请转给负责的同事",
    "请让负责售后的同事联系我",
    "这个得找个懂行的人",
    "换个人来跟我说",
    "让你们售后的人联系我",
    "找你们售后",
    "我要跟你们领导反映",
    "你们有没有人能处理一下",
    "请帮我转接售后",
    "帮我转到人工那边",
    "有没有客服小姐姐在",
    "来个客服",
    "让工作人员给我打电话",
    "麻烦客服回个电话",
    "能不能派个人上门看看",
    "我想投诉，请找个人跟我谈",
    "能人工处理一下吗",
    "人工处理吧",
    "你处理不了就转给能处理的人",
    "机器人解决不了，转人工吧",
    "我想和在线客服说话",
    "接线员",
    "找一下值班的",
    "叫你们店长来",
    "我要找店长",
    "请帮我联系商家",
    "我要联系卖家",
    "转售后",
    "能转接电话客服吗",
    "我要打客服电话，号码多少，或者你们打给我",
    "请专人处理",
    "我要人工，订单号123456",
    "请客服联系我 13912345678",
    "请找个会说普通话的客服",
    "能不能安排专属客服",
    "转个活人",
    "给我个真人客服",
    "我想找人聊聊这个订单",
    "找个客服帮我看看",
    "请把我的问题转给人工审核",
    "申请人工审核",
    "我要求人工复核",
    "麻烦人工核实一下",
    "可以升级处理吗",
    "帮我升级一下这个问题",
    "投诉升级",
    "我要跟你上级说",
]
FIFTH_PASS_ZH_LOOK_ALIKES = [
    "会员怎么升级",
    "APP升级以后登不上了",
    "售后政策是什么",
    "售后期是多久",
    "我同事也买了一件",
    "店长推荐的那款还有货吗",
    "这个商家发货快吗",
    "人工费怎么算",
    "你们的客服态度很好，谢谢",
    "客服已经帮我解决了",
    "人工客服几点上班",
    "卖家秀和买家秀差距有点大",
    "领导让我来问一下发票的事怎么开",
    "升级会员有什么好处",
    "我找到订单号了",
    "找个时间再说吧",
    "找一个合适的尺码",
    "我不需要人工，谢谢",
]


@pytest.mark.parametrize("text", FIFTH_PASS_ZH_REQUESTS)
def test_fifth_pass_chinese_requests_for_a_person_hand_over(text):
    assert asks_for_person(text) or needs_person_case(text)


@pytest.mark.parametrize("text", FIFTH_PASS_ZH_LOOK_ALIKES)
def test_fifth_pass_chinese_look_alikes_are_not_requests(text):
    assert not asks_for_person(text)


# issue 11, fifth pass: Chinese cases a person must handle, phrased in ways the rules missed
# (written for this test), and questions that only name the words.
@pytest.mark.parametrize("text", [
    "我的账户被别人登录了，还下了单",
    "收到一条消费短信，可我根本没在你们这买东西",
    "优惠券用了但是还是按原价扣的款",
    "快递说已经送到了，但我问了物业和邻居都没有",
    "我要申请仲裁",
    "这笔账单我不认，我要申诉",
    "我按照提示重启了好几次APP，还是付不了款，钱却扣了",
    "我在你们店买的奶粉里有异物",
    "快递员把东西扔在门口被偷了，监控都拍到了",
])
def test_fifth_pass_chinese_cases_hand_over(text):
    assert needs_person_case(text) or asks_for_person(text)


@pytest.mark.parametrize("text", [
    "面包放了几天会发霉吗", "这个奶粉保质期多久，会不会变质", "请问付款失败会扣钱吗",
    "发货了吗？物流显示已经送到了", "我想知道仲裁是什么意思", "鞋子都没有问题，谢谢",
])
def test_fifth_pass_chinese_case_look_alikes_are_no_case(text):
    assert needs_person_case(text) is None


# issue 11, sixth pass: needs-a-person cases the rules missed (written for this test): a charge
# the customer has no idea about, a compromised account, a message posing as the company, two
# identical amounts with a decimal point, billed after cancelling, a device too hot, a cut, a
# device dead after the steps, a refund the bank cannot see; and their Chinese kin.
@pytest.mark.parametrize("text, case", [
    ("There's a payment on my statement from you that I have no idea about.", "fraud"),
    ("I think my account has been compromised, my email address was changed.", "fraud"),
    ("I got a text pretending to be from you asking for my card number.", "fraud"),
    ("You've taken £49.99 twice for the same order.", "double_charge"),
    ("I was billed for a subscription I had cancelled in March.", "double_charge"),
    ("I cancelled the order on Monday but was still charged.", "double_charge"),
    ("The charger got so hot it left a burn mark on my desk.", "safety"),
    ("My son cut his hand on the lid of the tin.", "safety"),
    ("I followed the troubleshooting steps you sent, reset it twice, and it still won't turn on.", "after_steps"),
    ("I was refunded on the 3rd according to your email but the money isn't in my account, and my bank can't see it.",
     "refund_missing"),
    ("有一笔扣款我完全不知道是什么", "fraud"),
    ("我的账号被人登了，还改了收货地址", "fraud"),
    ("取消了的会员还在扣我的钱", "double_charge"),
    ("我不认可这笔收费，要求退回", "double_charge"),
    ("这个充电器充电的时候烫得不行，还有一股塑料味", "safety"),
    ("孩子玩的时候被玩具划伤了手", "safety"),
    ("按你们说的重启了好几次，还是开不了机", "after_steps"),
])
def test_sixth_pass_cases_hand_over(text, case):
    assert needs_person_case(text) == case


@pytest.mark.parametrize("text", [
    "How do I make sure my account doesn't get compromised?",
    "I'd like to set up two-factor so my account can't be compromised.",
    "If I cancel now, will I be charged for next month?",
    "I cancelled my order yesterday, when will the refund show up?",
    "Does the air fryer basket get too hot to touch?",
    "The printer won't turn on, what should I do?",
    "I paid £12.50 for express, when does it arrive?",
    "Can you explain what this charge on my statement is for?",
    "取消订单后多久退款？", "重启了几次就好了，谢谢", "取消会员之后还会扣费吗？", "这笔扣款是什么费用？麻烦解释一下",
])
def test_sixth_pass_case_look_alikes_are_no_case(text):
    assert needs_person_case(text) is None


# issue 11, sixth pass: a calm how-to question about a problem is a calm frame; the same problem
# said with anger in the wording is not.
@pytest.mark.parametrize("text, calm", [
    ("I asked for a reset link an hour ago and it hasn't arrived, what should I do?", True),
    ("my card got declined at checkout, what are my options?", True),
    ("The verification code isn't coming through, is there another way to log in?", True),
    ("支付失败了怎么办？", True),
    ("付款提示失败，还能用别的卡付吗？", True),
    ("请问验证码收不到该怎么处理", True),
    ("do you take apple pay", True),
    ("Do you ship to Norway? My last order never got here.", True),
    ("do you have any idea how long I've been waiting?", False),
    ("My card got declined AGAIN, what am I supposed to do?!!", False),
    ("支付失败！！你们到底行不行", False),
    ("how do I get my money back from you useless lot", False),
    ("我都说了好几遍了，怎么办你们倒是说啊", False),
])
def test_a_calm_how_to_question_about_a_problem_is_a_calm_frame(text, calm):
    assert calm_framing(text) is calm


@pytest.mark.parametrize("text", [
    "I've told you three times already, for the fourth time: the parcel is not here",
    "退款的事我都说了好几遍了", "都多少天了，一点消息都没有", "great service as always 🙄",
    "Great, yet another delay email. Love that for me.", "真是太棒了呢，让我多等五天", "这服务真感人",
    "好家伙，这答复跟上次一字不差", "这事还管不管了？", "凭什么让我一直等", "少废话，把钱退给我",
    "chatting with you is like talking to a brick wall", "跟你说话就像对着墙讲", "This is the last time I'll ever order here",
    "I'm closing my account.", "app已经卸载了", "你们是不是都下班了？半天没人回",
])
def test_sixth_pass_anger_cues(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", [
    "Great, thanks again for your help!", "Great, another question: do you ship to Norway?",
    "不好意思，打扰一下，请问这个饼干还有货吗", "Love it! The lamp looks great.", "太好了，谢谢你们",
])
def test_sixth_pass_calm_look_alikes_have_no_anger_cue(text):
    assert not anger_cue(text)


# issue 11, sixth pass: mock praise whose wording alone makes the sarcasm plain, and kind look-alikes.
@pytest.mark.parametrize("text, expected", [
    ("Cheers for the 'express' shipping, eight days and counting.", True),
    ("Thanks for nothing, honestly.", True),
    ("Superb, the box came open again. Nailed it 🙄", True),
    ("Lovely, yet another delay email from you.", True),
    ("呵呵，又拖了一周", True),
    ("真有你们的，发票开了三次都是错的", True),
    ("感谢你们的“闪电退款”，二十天了", True),
    ("Perfect. Just perfect.", True),
    ("Great, just what I needed, thanks!", False),
    ("Lovely, just lovely service, thank you so much", False),
    ("Thanks, I clicked 'forgot password' and it worked.", False),
    ("Thanks, I clicked 'track my order' and it shows Thursday now.", False),
    ("Thanks for the 'how to measure' guide, very clear.", False),
    ("Oh great, thanks for letting me know!", False),
    ("Great, another question: is the 'gift wrap' option free?", False),
    ("佩服你们的效率，点赞", False),
    ("谢谢，“确认收货”按钮找到了", False),
])
def test_strong_sarcasm(text, expected):
    assert strong_sarcasm(text) is expected


# issue 11, sixth pass: requests for a person the rules missed (written for this test), and look-alikes.
@pytest.mark.parametrize("text", [
    "Can I get someone on the phone?", "Please escalate.", "Is a human available?",
    "I'd like this looked at by a real member of staff.", "Put a person on please", "can i talk to ur team",
    "Pass me to your billing department please.", "Can you connect me with the returns team?",
    "Is there anybody there who isn't a bot?", "给我转接一下客服", "转接一下退款部门", "我想直接打电话给你们",
])
def test_sixth_pass_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "I talked to your team yesterday, all sorted.", "客服电话多少", "哪个部门负责开发票？", "Is a refund available for sale items?",
    "Was this checked by your quality team before shipping?", "Is someone available to deliver on Sunday?", "我要打印发票",
])
def test_sixth_pass_request_look_alikes(text):
    assert not asks_for_person(text)


# issue 11, seventh pass: needs-a-person cases the rules missed (written for this test from the kinds,
# not from any development message): data-protection requests, a partial refund, a charge above the
# price shown, a discount accepted but not taken off, a renewal never agreed to, an extra fee, a refund
# past its promised date, a return received long ago and not refunded, a foreign body in food, a
# choking risk, a missing safety mark, sparks, a fault still there after a repair.
@pytest.mark.parametrize("text, case", [
    ("Under GDPR I'd like a copy of everything you store on me.", "privacy"),
    ("Please erase all my personal data, I no longer want an account.", "privacy"),
    ("Could you wipe my phone number from your database? I don't want it kept.", "privacy"),
    ("I think my personal details were leaked, I'm getting spam with my order number in it.", "privacy"),
    ("我要求你们删除我的全部个人信息", "privacy"),
    ("我的个人信息好像被泄露了，有陌生人打电话报出我的订单", "privacy"),
    ("I sent back four shirts and was only refunded for three.", "double_charge"),
    ("The amount on my card is more than the price listed on the product page.", "double_charge"),
    ("The discount code was accepted in the basket but the amount I paid stayed the same.", "double_charge"),
    ("My plan was renewed for a year and I didn't ask for it to renew.", "double_charge"),
    ("快递员上门又收了我 80 块的上楼费", "double_charge"),
    ("退货的钱只退了一半，另一半没影了", "double_charge"),
    ("会员被自动续费了，我根本没开", "double_charge"),
    ("用了满减，结果实际付款没减，金额对不上", "double_charge"),
    ("The refund was promised by the 10th and it's now the 20th with nothing on my statement.", "refund_missing"),
    ("Your warehouse signed for my return six weeks ago and there's still no refund.", "refund_missing"),
    ("寄回的货你们仓库早就签收了，到现在两个月了还没退款", "refund_missing"),
    ("There was a shard of glass in the soup I ordered.", "safety"),
    ("My toddler nearly swallowed the button that came off the toy.", "safety"),
    ("The cot arrived with no safety certification label on it at all.", "safety"),
    ("插座插上就冒火花", "safety"),
    ("宝宝差点把小零件吞下去", "safety"),
    ("耳机寄回去维修过一次，拿回来问题依旧存在", "after_steps"),
])
def test_seventh_pass_cases_hand_over(text, case):
    assert needs_person_case(text) == case


@pytest.mark.parametrize("text", [
    "How do I delete a saved address from my account?", "How do I unsubscribe from the newsletter?",
    "Is my card stored safely when I pay?", "When will my refund arrive? I sent the parcel yesterday.",
    "Is the toy suitable for a three-year-old?", "How much is the upgrade to a yearly plan?",
    "Can I use two discount codes on one order?", "运费另外收 10 元吗？", "怎么避免被自动续费？",
    "怎么修改收货地址", "这个玩具有没有小零件？适合几岁", "退款一般几天到账？",
])
def test_seventh_pass_case_look_alikes_are_no_case(text):
    assert needs_person_case(text) is None


# issue 11, seventh pass: indirect and embedded requests for a person (written for this test), and look-alikes.
@pytest.mark.parametrize("text", [
    "Is there a supervisor on shift I could speak with?", "Who should I talk to about a bulk discount?",
    "Could you put me in touch with your corporate sales people?", "Please refer my case to someone who can approve it.",
    "Order QX-100200 has the wrong VAT number. I need someone to reissue the invoice, thanks.",
    "No rush, I'm happy to wait for a colleague to check the payment.", "I'd like the refund split reviewed by the accounts team.",
    "能帮我预约一个电话回访吗", "能转个人吗", "有人在吗？还是全是机器人", "你们有没有专门负责售后配件的同事",
    "麻烦升级给主管处理", "店长在吗？", "这种情况只能人工查吧", "帮我转一下 human", "请安排客服直接跟我沟通",
])
def test_seventh_pass_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "Should I send it to the address on the label?", "Is there a size guide I could look at?",
    "Who makes this brand of kettle?", "不需要回访，谢谢", "都是机器生产的吗", "转个人账户可以吗",
    "Are your advisers around at the weekend?", "人工客服晚上几点下班", "周六能联系到售后吗",
    "How long does it usually take to get through to an adviser? Not now, I'm just planning.",
])
def test_seventh_pass_request_look_alikes(text):
    assert not asks_for_person(text)


# issue 11, seventh pass: short anger whose wording alone makes it plain (written for this test), and
# calm look-alikes with the same words.
@pytest.mark.parametrize("text, expected", [
    ("能退吗？能吗？", True), ("这服务也好意思收钱？", True), ("说好的赠品呢？", True), ("付了款，货呢？", True),
    ("你们有人回消息吗？", True), ("真坑", True), ("破防了，又没货", True), ("答非所问", True),
    ("谢谢啊，第三次发我同一段话", True), ("Brilliant. Half an hour on hold to be told to email instead.", True),
    ("谢谢，第二次买了，很满意", False), ("说好的赠品收到了，谢谢", False), ("有人看过我的申请了吗", False),
    ("Brilliant, it arrived this morning, thanks!", False), ("请问能退吗？", False),
])
def test_plain_anger(text, expected):
    assert plain_anger(text) is expected
    if expected:
        assert strong_sarcasm(text) and anger_cue(text)


@pytest.mark.parametrize("text, expected", [
    ("Just answer the question.", True), ("Nothing works on this app.", True), ("What's the point of tracking then?", True),
    ("Not now, just planning ahead: when are your advisers in?", False), ("衣服还没穿过，可以退吗", False),
])
def test_seventh_pass_anger_cues(text, expected):
    assert anger_cue(text) is expected


# issue 11, seventh pass: an apologetic repeat or correction, a scare that ended well, a heads-up that
# asks for nothing — calm frames (reports), unless a case is named.
@pytest.mark.parametrize("text, report", [
    ("不好意思，刚才地址写错了，是 3 号楼", True), ("打扰了，再确认一下是顺丰发货对吧", True),
    ("Sorry, I meant the grey one, not the black one.", True), ("Apologies, wrong photo, this is the right one.", True),
    ("以为丢了，结果在快递柜里，虚惊一场", True), ("箱子破了，不过东西没问题", True),
    ("不好意思刚才没说清楚，是有一笔我没买过的扣款", False),
    ("Sorry, I meant to say: there's a charge I don't recognise.", False),
])
def test_seventh_pass_apologetic_repeats_and_scares_are_reports(text, report):
    assert is_report(text) is report


@pytest.mark.parametrize("text, expected", [
    ("二维码扫不出来，我自己在官网找到教程了，不用处理", True), ("FYI the link in your email is broken, no action needed.", True),
    ("Is live chat staffed at weekends?", True), ("人工客服是全天在线的吗", True),
    ("不用处理了，但我还是想找个人工聊聊", False), ("I need a person now, not at the weekend", False),
])
def test_seventh_pass_not_a_request(text, expected):
    assert not_a_request(text) is expected


# issue 11, seventh pass (after the retraining moved scores): a refund promised by a date that has not
# come, a discount clawed back beyond the item's price; "a full refund" is a demand.
@pytest.mark.parametrize("text, case", [
    ("I was told my money would be back by the 5th and it still hasn't arrived.", "refund_missing"),
    ("The credit was meant to reach my card by the end of the week. It never turned up.", "refund_missing"),
    ("退了一件，满减的优惠被全扣回了", "double_charge"),
    ("退货后扣的比我付的还多", "double_charge"),
])
def test_seventh_pass_promised_refunds_and_clawbacks(text, case):
    assert needs_person_case(text) == case


def test_a_full_refund_is_a_demand():
    assert wants_action("I want a full refund please, the heel snapped")
    assert not wants_action("Do I get a full refund if I return it unopened?")
    assert needs_person_case("The refund should reach you by Friday, is that right?") is None


# issue 11, seventh pass: "how come?" about a problem is a calm question unless the wording is angry;
# "stop telling me …" is anger.
@pytest.mark.parametrize("text, calm", [
    ("下单时提示库存不足，可页面显示有货，怎么回事", True), ("快递显示已签收但我没拿到，是什么原因", True),
    ("到底怎么回事！！", False), ("别再跟我说在处理了，到底怎么回事", False),
])
def test_seventh_pass_a_how_come_question_is_a_calm_frame(text, calm):
    assert calm_framing(text) is calm


@pytest.mark.parametrize("text", ["不要再说“请耐心等待”了，要等到哪天？", "别再跟我讲等通知了"])
def test_seventh_pass_stop_saying_is_anger(text):
    assert anger_cue(text)


# issue 11, seventh pass: a hedged report of a problem not yet sure is a calm frame unless the wording is angry.
@pytest.mark.parametrize("text, calm", [
    ("你好，我的快递好像送到隔壁小区了", True), ("I think my parcel went to my old address.", True),
    ("好像又丢件了？？你们到底行不行", False), ("I think you've lost it AGAIN", False),
])
def test_seventh_pass_a_hedged_report_is_a_calm_frame(text, calm):
    assert calm_framing(text) is calm


# issue 11, eighth pass (error analysis on tests/dev4; phrasings here are the builder's own)
@pytest.mark.parametrize("text", [
    "I would much prefer speaking with someone about this refund",
    "Could a member of your billing team phone me about invoice 4471?",
    "honestly this needs a human, the photo on the tracking page is not my door",
    "Does your company have someone who handles warranty claims? I'd like them to check mine",
    "Can I schedule a callback with support for tomorrow morning?",
    "Is there a duty manager available this afternoon?",
    "Can someone look at this properly, rather than going through the chat?",
    "请财务同事核对后联系我，邮箱 li@example.com",
    "麻烦你们的人明天上门看一下洗衣机",
    "店里有专门负责退货的同事吗？",
    "想直接跟负责人沟通这个问题",
    "转认工",
    "麻烦登记一下，等人工客服上班了联系我",
])
def test_eighth_pass_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "Is this chat a bot or a real person? Either is fine",
    "just curious, what's your customer service number?",
    "客服一般多久回复邮件呀？",
    "你们售后电话是多少？先存一下",
    "听说你们客服很耐心，是真的吗",
    "the delivery driver was really kind, please pass on my thanks",
    "这个问题让人看不懂说明书",
    "My daughter is speaking to her friends about your shop",
])
def test_eighth_pass_request_look_alikes(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text, case", [
    ("there is an order on my account that isnt mine", "fraud"),
    ("My bank blocked two payments to your shop, I haven't bought anything from you", "fraud"),
    ("我儿子用我的账号充值了会员，我不知情", "fraud"),
    ("I was charged for next-day delivery but I chose the free option", "double_charge"),
    ("The refund amount is wrong, I paid 60 for it", "double_charge"),
    ("会员三个月前就取消了，这个月还在扣费", "double_charge"),
    ("安装费本来写着包含在内，这笔钱不应该收", "double_charge"),
    ("依据消费者权益保护法，我要求退货", "legal"),
    ("快递说已经退给你们了，你们又说在快递那边，到底在哪", "after_steps"),
    ("The courier says it's with you and you say the courier has it", "after_steps"),
    ("快递员说放你们店门口了，你们却说快递员没送来", "after_steps"),
])
def test_eighth_pass_cases(text, case):
    assert needs_person_case(text) == case


@pytest.mark.parametrize("text", [
    "Is my card saved safely on your site?", "my order shows the right amount, thanks",
    "快递说明天送，你们说也是明天，好的", "I cancelled my order yesterday, has the refund started?",
])
def test_eighth_pass_case_look_alikes(text):
    assert needs_person_case(text) is None


@pytest.mark.parametrize("text, report", [
    ("The mug arrived chipped but the replacement came in two days, thanks", True),
    ("The replacement also arrived chipped", False),
    ("The replacement came and it's broken too", False),
    ("小提醒：门口的快递柜坏了一格，我已经取出来了", True),
    ("你们的小程序加载有点慢，仅供参考", True),
    ("If this isn't resolved by Friday I'll go to the ombudsman", False),
    ("It was sorted in the end, thanks", True),
])
def test_eighth_pass_reports(text, report):
    assert is_report(text) is report


@pytest.mark.parametrize("text", [
    "so \"next day delivery\" means next month in your world",
    "你们能看懂中文吗？我问的是发票", "你看不懂中文吗", "do you even read what i wrote?",
    "真好，又要我等三天", "谢谢你们啊，让我白跑一趟", "谢谢你们啊，又让我白跑一趟", "前天问了一次，今天又问，还要再问一遍？",
    "耐心都被耗光了", "My patience has run out",
])
def test_eighth_pass_plain_anger(text):
    assert plain_anger(text)


@pytest.mark.parametrize("text", [
    "Thanks for making me feel welcome!", "谢谢你们让我这么快收到货！", "所谓的性价比是指什么？",
    "The in your world map feature is fun", "Do you understand what I said? I wanted size M.",
    "这天气真的很烦", "I'm really disappointed I missed the sale!",
    "My son was so angry the box wouldn't open, haha. Any trick?",
    "他很生气，因为玩具坏了，不过换货很快，谢谢",
    "I was really disappointed at first but the replacement arrived and it's lovely",
    "不是很失望，就是问一下",
    "真好，终于到了",
])
def test_eighth_pass_plain_anger_look_alikes(text):
    assert not plain_anger(text)


@pytest.mark.parametrize("text, cue", [
    ("这就是所谓的极速退款？", True), ("I'm really disappointed and fed up with this", True), ("我真的很失望", True),
    ("I'm so annoyed at myself, I ordered the wrong size", False), ("不算特别失望，就是问问", False),
("The replacement turned up, thank you. I won't be ordering again after all this.", True),
    ("顺便说一下，这是我最后一次在你们这里买东西。", True), ("我自己解决了，谢谢，你们的客服真是没用。", True),
    ("请问退款一般24小时内退回吗？", False), ("今天之内处理好的话我就不用请假了", False), ("说好的今天到，今天真的到了", False),
    ("说好的周二到，今天都周五了", True),
    ("you said it would ship on monday. it's thursday and still nothing", True),
    ("今天之内处理好", True),
    ("别再让我催了", True),
    ("the parcel was late but it's here now, thanks", False),
])
def test_eighth_pass_anger_cues(text, cue):
    assert anger_cue(text) is cue


def test_a_sigh_with_a_repeated_letdown_is_no_mild_irritation():
    from bot.handover.triage import mild_irritation
    assert mild_irritation("ugh, why won't the page load")
    assert not mild_irritation("sigh. still nothing. you said tuesday")
    assert not mild_irritation("唉，又推迟了，这是第三次改时间")


@pytest.mark.parametrize("text, bare", [
    ("QX-223408", True), ("Order QX-223408.", True), ("13812345678", True), ("li.na@example.com", True),
    ("my number is 13812345678", True), ("!!!", False), ("ok", False), ("订单号 QX-100002", True),
    ("QX-100002 13800138000", True), ("QX-100002 still nothing", False), ("QX-100002 where is it", False),
    ("no", False), ("是", False),
])
def test_bare_details(text, bare):
    from bot.handover.triage import bare_details
    assert bare_details(text) is bare


def test_a_bare_order_number_builds_no_run_of_upset_turns():
    from bot.handover.policy import Emotion, Turn, decide, load_config
    config = load_config()
    first = Turn.from_text("check_order_status", Emotion("frustration", 0.9, 0.6), "my tracking hasn't moved for days")
    number = Turn.from_text("inform", Emotion("anger", 0.9, 0.83), "QX-223408")
    assert decide([first, number], config) is None
    worded = Turn.from_text("inform", Emotion("anger", 0.9, 0.83), "it's QX-223408 and still nothing")
    assert decide([first, worded], config) is not None


@pytest.mark.parametrize("text", ["Great, so I'll just keep waiting then", "perfect. so i'll just sit here then"])
def test_eighth_pass_praise_then_resignation_is_sarcasm(text):
    assert plain_anger(text)


@pytest.mark.parametrize("text", [
    "Hi, just wondering if I could speak to a human please?", "Can I talk to a manager or a supervisor? Either is fine.",
    "What's your customer service number? I'd like to speak to someone.", "Out of curiosity, can I speak to a manager?",
    "Could a member of your staff reach out to me?", "有没有专门处理退款的同事",
])
def test_eighth_pass_review_requests_still_hand_over(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "I hate speaking with a person on the phone, can I do everything here?", "My colleague was speaking with a person at the bank",
    "The problem is not with the chat, it's my wifi", "Can I schedule a video call in the app with my friends?",
    "I need to book a call with my doctor first", "The installation needs a person at home", "我已经叫师傅看过了",
])
def test_eighth_pass_review_request_look_alikes(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text", [
    "我儿子买了一个玩具，请问怎么查物流？", "孩子生日我给她买了礼物，什么时候到？", "The account isn't mine, it's my wife's, can she log in?",
    "My bank called to say the payment went through fine", "我正式提出一下建议：页面字太小", "消法是什么？我在写作业",
])
def test_eighth_pass_review_case_look_alikes(text):
    assert needs_person_case(text) is None


@pytest.mark.parametrize("text, case", [
    ("I was charged £49 but I chose the £29 plan", "double_charge"),
    ("I cancelled last month and you still took a payment", "double_charge"),
    ("孩子偷偷用我的手机充值了游戏", "fraud"),
])
def test_eighth_pass_review_cases(text, case):
    assert needs_person_case(text) == case


@pytest.mark.parametrize("text", ["😡😡😡 QX-223408", "No. QX-223408. NO.", "QX-223408!!!"])
def test_details_with_mood_are_not_bare(text):
    from bot.handover.triage import bare_details
    assert not bare_details(text)


@pytest.mark.parametrize("text, named", [
    ("oh, I had to tick the box, found it", False), ("哦，原来要手动勾选，我没看到", False), ("ok thanks", False),
    ("can I talk to someone", True), ("转人工", True), ("another automated reply, great", True), ("客服呢", True),
    ("humna please", True), ("打电话给我", True), ("rg", True),
])
def test_names_staff(text, named):
    from bot.handover.triage import names_staff
    assert names_staff(text) is named


def test_a_request_human_read_of_a_text_naming_no_one_hands_nothing_over():
    from bot.handover.policy import Emotion, Turn, decide, load_config
    config = load_config()
    misread = Turn.from_text("request_human", Emotion("neutral", 0.9, 0.1), "哦，原来要手动勾选，我没看到")
    assert decide([misread], config) is None
    meant = Turn.from_text("request_human", Emotion("neutral", 0.9, 0.1), "could you get me somebody")
    assert decide([meant], config).code == "customer_request"
    # a turn built without its text (older callers) keeps the intent's word
    assert decide([Turn("request_human", Emotion("neutral", 0.9, 0.1))], config).code == "customer_request"


# after a new user's check of the eighth pass: a question about the bot, a negation or a plain "today"
# covers only its own words
@pytest.mark.parametrize("text, asks", [
    ("is this a bot or a person? I'd like a person please", True),
    ("Are you a bot or a human? Put me through to a human please.", True),
    ("你是机器人还是真人？我想找真人客服", True),
    ("Is this a bot? Either way I'd like to speak to a real person.", True),
    ("are you a real person or a bot?", False), ("你是机器人还是真人？好奇", False), ("不用转人工，我自己看看", False),
])
def test_a_question_about_the_bot_does_not_hide_a_request_beside_it(text, asks):
    assert asks_for_person(text) is asks


@pytest.mark.parametrize("text, cue", [
    ("it's here now, thanks", False), ("works now", False), ("refund. now.", True), ("I need it today!", True),
    ("It's now 28 April and nothing", True), ("I'm really disappointed in myself, wrong size again", False),
])
def test_a_now_after_a_state_is_no_demand(text, cue):
    assert anger_cue(text) is cue


def test_eighth_pass_checks_of_a_new_user():
    from bot.handover.triage import bare_details
    assert needs_person_case("my son bought game credits behind my back") == "fraud"
    assert bare_details("13812345678。")


# issue 11, ninth pass: the kinds a sixth development set (tests/dev6, a fresh writer) showed missed, in
# words written for these tests, then two fresh reviewers' look-alikes and variants of the new rules
# (each was wrong before its fix), one list per reading.
@pytest.mark.parametrize("text, asks", [
    ("Is there anybody at all I could talk to on the phone about my late husband's account?", True),
    ('Could a staff member ring me about this please, ref 44-1290', True),
    ('can a member of staff check this order, I think it needs someone to chase the depot', True),
    ('请帮我联系一下你们的经理，上周的安装问题', True),
    ('麻烦对接一下客户经理，我们是企业采购', True),
    ('能转一下技术支持吗，重启过三次了', True),
    ('希望电话沟通一下，打字说不清楚', True),
    ('帮我escalate一下，工单开了十天了', True),
    ('我要转人共', True),
    ('退款还没到，麻烦rg处理一下', True),
    ('不需要电话联系，发短信就行', False),
    ('我已经联系过你们经理了，他说今天处理', False),
    ('找客服有没有隐藏优惠😄 开玩笑的，这个耳机几天能到？', False),
    ('Is there a way I could speak to my bank about this myself?', False),
    ('你们是在开玩笑吗？转人工！', True),
    ('我不是开玩笑的，给我转人工', True),
    ('jk lol. no seriously can I talk to a human', True),
    ('转kf', True),
    ('找kf', True),
    ('能不能打电话沟通', True),
    ('我已经联系你们的主管了，他说明天发货，我就想确认下物流单号', False),
    ('可以打电话联系快递员吗', False),
    ('Do your staff members help with gift wrapping?', False),
    ('我明天call一下你们门店问问', False),
    ('escalate一下是什么意思', False),
    ('请帮我把这个问题escalate一下', True),
    ('麻烦电话联系我一下', True),
    ('kf在吗', True),
    ('will a team member look at the photos I sent', True),
    ('能帮我call一下快递员吗', False),
    ('rg rg rg', True),
])
def test_ninth_pass_requests_for_a_person(text, asks):
    assert asks_for_person(text) is asks, text


@pytest.mark.parametrize("text, case", [
    ("My daughter came up in hives after the 'dairy free' yoghurt. Lot 7781.", 'safety'),
    ("The chemist order had different tablets inside the box, not what the label says. I haven't taken any.", 'safety'),
    ('孩子吃了你们的饼干起了一身疹子，包装上没写含坚果', 'safety'),
    ('婴儿车的刹车自己松开了，感觉很不安全', 'safety'),
    ('My mother passed away in March and her subscription is still being charged.', 'bereavement'),
    ('我爸去年走了，他的手机号还在扣月租', 'bereavement'),
    ('上个月已经注销了宽带，这个月还在扣费', 'double_charge'),
    ('I closed the account in May and you still charged me in June.', 'double_charge'),
    ('微信里多了一笔你们的扣款89元，我没买过东西', 'fraud'),
    ('如果月底还不处理，我会向银保监会反映', 'legal'),
    ('客服说三个工作日内退款到账，现在两周了还没收到', 'refund_missing'),
    ("Your agent promised the refund last week, and it's still not in my account.", 'refund_missing'),
    ('My phone battery died, how do I charge it faster?', None),
    ('我对花生过敏了解一下这款的成分', None),
    ('这个儿童座椅安全吗？', None),
    ('取消会员之后还会扣费吗？', None),
    ('If I cancel today, will you still charge me next month?', None),
    ('我还没买过你们的东西，新用户有优惠吗', None),
    ("Got a text saying my parcel is held. Is this really from you or a scam? I didn't click it.", None),
    ('收到短信说账户异常要点链接，是你们发的还是诈骗？我没点', None),
    ('Does your card have fraud protection for online shopping?', None),
    ('你们的信用卡有盗刷保障吗？', None),
    ("I clicked the reset link and typed in my password but it still won't let me log in", None),
    ('我点了重置密码的链接，输入了新密码还是登不上', None),
    ('点了支付链接付了钱但是订单显示未支付', None),
    ('账户里多了一笔退款，是哪个订单的', None),
    ('起码包邮吧？', None),
    ('一早起来包裹就到了 谢谢', None),
    ('我忘了安全问题的答案', None),
    ("I'd like to swap this iPad for another tablet", None),
    ('民航局规定充电宝能带多大的', None),
    ('我向我老板反映了，他同意报销，能开发票吗', None),
    ('Can I bring my EpiPen on the flight?', None),
    ('我家孩子对牛奶过敏，换成羊奶粉可以吗', None),
    ('我老公走了两步路就到了快递点，你们为什么说没人在家', None),
    ('我爸出门走了，他的快递我能代收吗', None),
    ("My grandad passed away last year and I'm looking for a gift for my nan, any suggestions?", None),
    ('I closed my old account and I still have my billing history there, can I download it', None),
    ('客服说3个工作日退款到账，我还没收到，不过还没到时间', None),
    ('Is this text really from you or a scam? £500 has gone from my account and I never authorised it', 'fraud'),
    ('盗刷险怎么理赔 我昨天被盗刷了3000', 'fraud'),
    ('scammer called me and I told him the verification code', 'fraud'),
    ("my son ate one of the snacks and his lips are swelling and he's struggling to breathe", 'safety'),
    ('the box says ibuprofen but the tablets inside are paracetamol', 'safety'),
    ('我爸没了 他的账户怎么注销', 'bereavement'),
    ('注销账号以后每个月照扣不误', 'double_charge'),
    ('I keep getting texts claiming to be your support, quoting my exact order. Is this a scam?', 'fraud'),
    ("I'm worried, my daughter ate the cake and now has hives", 'safety'),
    ('我对这个面霜过敏了 脸上起了好多红点', 'safety'),
    ('um my kid ate the biscuits and now he cant breathe properly', 'safety'),
    ('I clicked on a link in an email from you and entered my bank details', 'fraud'),
    ('收到短信说退款 点了链接 填了银行卡', 'fraud'),
    ('收到一条短信说是你们发的 我已经把验证码发过去了', 'fraud'),
    ('银行卡莫名其妙被扣了两百', 'fraud'),
    ('我老公走了一个月了，卡还在扣费', 'bereavement'),
    ("I'd like to close my late husband's account", 'bereavement'),
    ('销户了为什么还扣钱？', 'double_charge'),
    ('I have reported you to the FCA', 'legal'),
    ('请问这款面膜敏感肌用了会起红点吗', None),
    ('点开链接输入验证码后提示失败', None),
    ('民航局投诉电话是多少', None),
    ('客服说48小时退款到账 已经一周了', 'refund_missing'),
    ('customer service said the refund would be back in 5 days its been two weeks', 'refund_missing'),
    ('充电宝冒烟了，有安全隐患', 'safety'),
    ('The heater caught fire, is that a fire hazard?', 'safety'),
    ('这个充电宝会不会有安全隐患', None),
    ('Is this heater a fire hazard?', None),
    ('my grandad passed away last year, can I send a card with the order', None),
])
def test_ninth_pass_cases(text, case):
    assert needs_person_case(text) == case, (text, needs_person_case(text))


def test_ninth_pass_a_phishing_victim_is_still_a_fraud_case():
    text = "A text said it was you, I clicked the link and entered my card number before I realised."
    assert not fraud_question(text) and needs_person_case(text) == "fraud"
    assert fraud_question("Is this email really from you or is it phishing? I haven't opened the link.")


@pytest.mark.parametrize("text, cue", [
    ('Thank you for sorting the exchange so fast, really appreciated.', False),
    ('Two weeks late and no update. Really appreciated.', True),
    ('Am I chatting with a real person right now?', False),
    ("Got an email saying my card is blocked, is it a scam? Haven't clicked anything.", False),
    ("Fine, I'll post the video of the broken blender on TikTok and tag you.", True),
    ("I'll share your cake photos on Instagram, my friends loved them", False),
    ('你是我见过最笨的机器人', True),
    ('有人看消息吗？还是根本没人管？', True),
    ('这家店客服太贴心了，好评', False),
    ('How do I share my wishlist to facebook?', False),
    ('Thanks a bunch. Two hours on hold and cut off', True),
    ('Charged me twice. Really appreciated.', True),
    ('is this a bot or a human? answer me now', True),
    ('是不是诈骗短信？你们公司就是骗子', True),
    ('我听明白了没？就是说会员可以免运费是吗', False),
    ("i'll name and shame you on twitter", True),
    ("You've been a great help, thanks! That's all for today.", False),
    ("ok that's it for now, cheers", False),
    ('I need this sorted today.', True),
    ('再不退款我就报警', True),
    ("sort it out or I'm leaving", True),
    ('不想投诉，就是想问下怎么改地址', False),
])
def test_ninth_pass_anger_cues(text, cue):
    assert anger_cue(text) is cue, text


@pytest.mark.parametrize("text, report", [
    ("I don't want to make a complaint or anything, but is it normal for the app to log me out daily?", True),
    ("Just so you know, I'll take this to the small claims court if it isn't settled by the 15th.", False),
    ('说好周五到账的退款，现在还没到', False),
    ('我发的消息你们一直没回复，到底怎么回事', False),
    ("I don't want to make a fuss but I was charged twice and need one of them refunded", False),
    ('只是跟你们说一声，要是三天内不解决我就去投诉', False),
    ('FYI all good now. Otherwise happy with everything', True),
    ('已经好了，谢谢，如果没有问题我就不再联系了', True),
    ('说好上周到账，现在已经到了，谢谢', True),
    ('已经收到了，谢谢，如果还有问题我会再反映', True),
    ('not trying to complain but I was charged twice', False),
])
def test_ninth_pass_reports(text, report):
    assert is_report(text) is report, text


@pytest.mark.parametrize("text, calm", [
    ('hw long does standrd delivery take', True),
    ('How long will the refund take to show on my card?', True),
    ('how long does it take you to answer?!!', False),
])
def test_ninth_pass_how_long_questions_are_calm_frames(text, calm):
    assert calm_framing(text) is calm, text


def test_ninth_pass_a_complaint_taken_back_asks_for_nothing():
    assert not wants_action("I don't want to make a complaint or anything, just wondering why the app logs me out")
    assert not wants_action("I don't want to complain, just wondering why it logs me out")
    assert wants_action("I want to make a complaint about the driver")


# issue 11, tenth pass: the kinds an eighth development set (tests/dev8, fresh writers, weighted to requests
# for a person) showed missed, in words written for these tests, with look-alikes that must not change.
@pytest.mark.parametrize("text, asks", [
    ("Please connect me with a pensions specialist, account 55-0192", True),
    ("could I speak to the warehouse team directly? the courier can't find the loading bay", True),
    ("i have factory reset it three times, can i talk to an engineer", True),
    ("Can you get a supervisor to look at my claim?", True),
    ("the app says I owe £40 but I paid in cash at the front desk. who can sort this out?", True),
    ("Could I get somebody from accounts on the phone? 07700 900123", True),
    ("I spoke to the driver yesterday and he was lovely", False),
    ("Who can use a family plan?", False),
    ("麻烦帮我接一下你们的售后部门，订单 8812", True),
    ("帮我转一下投诉热线", True),
    ("物流一直不动，想知道有没有专人跟进一下", True),
    ("我爸年纪大了，最好有人能电话里一步步教他", True),
    ("想跟你们工作人员当面谈一下合同的事", True),
    ("我想找你们财务的人问一下发票抬头", True),
    ("商家不退款，我想申请平台介入", True),
    ("水表好像走得特别快，能不能请人来看一下", True),
    ("空调不制冷，能不能派个维修师傅过来", True),
    ("麻烦对接一下报销的同事", True),
    ("能不能安排人跟我核实一下账单", True),
    ("唔该帮我搵个客服", True),
    ("zrg", True),
    ("不用安排人联系我，短信告诉我就行", False),
    ("我昨天接到你们客服中心的电话了", False),
    ("No need for a human, just tell me the opening hours", False),
    ("刚才电话客服已经帮我处理好了，谢谢", False),
    ("Thanks, your colleague on the phone already sorted it out", False),
    ("上次的工作人员帮我解决了，这次能不能再安排他联系我？", True),
    ("师傅上门安装一般要提前几天预约？", False),
])
def test_tenth_pass_requests_for_a_person(text, asks):
    assert asks_for_person(text) is asks, text


@pytest.mark.parametrize("text, case", [
    ("I can smell gas in the hallway near the boiler", "safety"),
    ("The ceiling light in our room has exposed wires sparking", "safety"),
    ("the hire car's brakes feel spongy and the warning light is on", "safety"),
    ("厨房里闻到一股煤气味，越来越重", "safety"),
    ("租的车刹车失灵了，现在停在路边", "safety"),
    ("Is the gas cooker in the flat electric or gas?", None),
    ("I see two direct debits on my statement for the same phone contract", "double_charge"),
    ("Can I split the payment into two direct debits?", None),
    ("My refund was approved three weeks ago and still nothing has arrived in my bank", "refund_missing"),
    ("我母亲去年去世了，她有份寿险，我是受益人", "bereavement"),
])
def test_tenth_pass_cases(text, case):
    assert needs_person_case(text) == case, text


@pytest.mark.parametrize("text, strong", [
    ("This is bullshit, third outage this month", True),
    ("What a disgrace. I am really upset with your airline.", True),
    ("Reply to what I actually wrote!!", False),
    ("Answer me properly!!", True),
    ("You cancelled my table. How is that even possible when I booked weeks ago?!", True),
    ("扯淡，信号这么差还涨价", True),
    ("老子不干了", True),
    ("差评已经写好了，你们看着办", True),
    ("好好好，你们就继续拖着吧", True),
    ("太好了，又要等到下周", True),
    ("I'm not upset with your team at all, just asking", False),
    ("My cat is furious the box was too small 😂", False),
    ("How is that possible? I thought the app only allowed one", False),
    ("这个破损能换吗", False),
])
def test_tenth_pass_strong_anger(text, strong):
    assert strong_anger(text) is strong, text
    if strong:
        assert anger_cue(text), text


@pytest.mark.parametrize("text, misread", [
    ("啊找到了，在门卫那，不好意思哈", True),
    ("ok it's arrived now, thanks!", True),
    ("到了到了，谢谢", True),
    ("谢谢，不过这笔扣款我真的没买过", False),
    ("thanks, but I never authorised that payment", False),
    ("someone used my card on your site", False),
    ("我的账号在外地登录了", False),
])
def test_tenth_pass_a_report_fraud_read_of_thanks_for_something_found_is_a_misread(text, misread):
    assert fraud_misread(text) is misread, text


@pytest.mark.parametrize("text, thanked", [
    ("刚才人工客服已经帮我解决了，谢谢你们", True),
    ("Thanks — your colleague fixed it this morning", True),
    ("谢谢，问题解决了，能再帮我查一下另一单吗？", False),
    ("thanks but it's not fixed", False),
])
def test_tenth_pass_thanks_for_a_solved_problem(text, thanked):
    assert thanks_for_solved(text) is thanked, text


@pytest.mark.parametrize("text, asks", [
    ("你好，上周我打电话问过你们客服，说补卡要三天", False),
    ("I spoke to someone on the phone on Monday about my card, she said five days", False),
    ("I spoke to someone on Monday but I'd like to talk to a manager now", True),
    ("我问过你们客服了，还是转人工吧", True),
    ("I spoke to someone last week who said a supervisor would ring me, still nothing", True),
    ("上周问过你们客服，说三天内有人联系我，结果一直没人打", True),
])
def test_tenth_pass_a_person_contacted_before_is_no_request(text, asks):
    assert not_a_request(text) is not asks, text


@pytest.mark.parametrize("text, report", [
    ("The upload failed twice but the third time it worked, ref 8812", True),
    ("went through on the second try, just so you know", True),
    ("哦，原来是超过免费次数了，懂了", True),
    ("ah that makes sense, thanks", True),
    ("third time this week it failed", False),
])
def test_tenth_pass_a_later_try_that_worked_or_an_explanation_understood_is_a_report(text, report):
    assert is_report(text) is report, text
    if report:
        assert not anger_cue(text), text


@pytest.mark.parametrize("text, case", [
    ("Someone changed the email and password on my account overnight, I didn't do it and I'm locked out", "fraud"),
    ("我的账号密码被人改了，现在登不上", "fraud"),
    ("绑定手机换成了一个不是我的号码", "fraud"),
    ("I changed my password yesterday, how do I log out of other devices?", None),
    ("My order page shows another customer's address and phone number", "privacy"),
    ("刷新了一下，看到了别人的收货地址", "privacy"),
    ("We had the soup from that batch and both got sick that evening", "safety"),
    ("充电宝用了一次就鼓起来了，外壳烫手", "safety"),
    ("宝宝差点把掉下来的纽扣放进嘴里", "safety"),
    ("Are these fridge magnets a choking hazard for a toddler?", None),
    ("这个玩具会不会很危险？", None),
])
def test_tenth_pass_takeover_privacy_and_harm_cases(text, case):
    assert needs_person_case(text) == case, text


# issue 11, tenth pass: a fresh reviewer's look-alikes and variants of the tenth pass's rules (each was wrong
# before its fix): past tense, reported speech, questions of policy, delight, products, resolved hazards, and the
# variants the first rules missed.
_TENTH_REVIEW = [
    ("My neighbour told me to talk to the branch but I'd rather just do it online, how do I update my address?", 'asks_for_person', False),
    ("I can't get to the branch before it closes, can I do the ID check online?", 'asks_for_person', False),
    ('You connected me to the right department yesterday, really helpful.', 'asks_for_person', False),
    ("I'll ask a colleague to check the invoice and get back to you.", 'asks_for_person', False),
    ('My landlord will send an engineer to inspect it, so nothing needed from your side.', 'asks_for_person', False),
    ("The guy who can fix it is coming on Monday, so we're fine.", 'asks_for_person', False),
    ('请问怎么转到个人中心修改地址？', 'asks_for_person', False),
    ('可以接受这个组合套餐吗？', 'asks_for_person', False),
    ('麻烦转一下热线号码给我，我自己打。', 'asks_for_person', False),
    ('我已经帮我妈把钱转过去了，不用管了。', 'asks_for_person', False),
    ('请把退款转过去我的新银行卡，谢谢。', 'asks_for_person', False),
    ('快递送来的时候最好有人在家吗？', 'asks_for_person', False),
    ('安装的时候需要有人在家帮忙吗？', 'asks_for_person', False),
    ('我已经当面说过了，他们也答应了，谢谢。', 'asks_for_person', False),
    ('我跟朋友当面聊过了，决定买两台。', 'asks_for_person', False),
    ('签收时我当面办理了退货，没问题。', 'asks_for_person', False),
    ('这个业务可以网上办还是必须当面办理？', 'asks_for_person', False),
    ('我上次找物业的人看了，说没问题。', 'asks_for_person', False),
    ('我找了你们公司的人问，他们说可以退。', 'asks_for_person', False),
    ('平台介入一般要多久？', 'asks_for_person', False),
    ('平台介入的话需要准备什么材料？', 'asks_for_person', False),
    ('平台介入是怎么收费的？', 'asks_for_person', False),
    ('买家申请了平台介入，我作为卖家需要做什么？', 'asks_for_person', False),
    ('之前平台介入过，现在没事了。', 'asks_for_person', False),
    ('我已经找人来修好了，不用麻烦你们了。', 'asks_for_person', False),
    ('上周你们派了个师傅来，修好了，谢谢。', 'asks_for_person', False),
    ('你们派的师傅很专业，点赞！', 'asks_for_person', False),
    ('派来的师傅态度很好。', 'asks_for_person', False),
    ('师傅明天会来吧？派个师傅的事我昨天已经约好了。', 'asks_for_person', False),
    ('我们公司的对接人员换了，请更新一下联系人信息。', 'asks_for_person', False),
    ('你们安排的人已经联系我了，谢谢。', 'asks_for_person', False),
    ('我搵咗人帮我收件，唔该。', 'asks_for_person', False),
    ('Holy shit, it arrived a day early, you guys are amazing!', 'strong_anger', False),
    ("This is fucking brilliant, best service I've had all year.", 'strong_anger', False),
    ("Shit happens, no worries, I'll just reorder.", 'strong_anger', False),
    ("This service is the dog's bollocks, cheers!", 'strong_anger', False),
    ('The box was missing a screw this time, could you post one?', 'strong_anger', False),
    ('Not pissed off, just curious how long it takes.', 'strong_anger', False),
    ('Not pissed, just confused about the bill.', 'strong_anger', False),
    ('Wow, delivered in two hours, how is that even possible?', 'strong_anger', False),
    ('Read your email and loved the offer!!', 'strong_anger', False),
    ("Stop, you've made my day!!", 'strong_anger', False),
    ('Cancel that, found it!!', 'strong_anger', False),
    ('我想买《老子》这本书，有货吗？', 'strong_anger', False),
    ('我老子让我来问一下保单的事。', 'strong_anger', False),
    ('颜色你们看着办吧，都行。', 'strong_anger', False),
    ('你看着办就行，我都可以。', 'strong_anger', False),
    ('携号转网怎么办理？', 'strong_anger', False),
    ('我想了解一下携号转网的流程。', 'strong_anger', False),
    ('我不小心点了一星差评，怎么改成五星？', 'strong_anger', False),
    ('我不小心打破店里的花瓶了，要赔多少？', 'strong_anger', False),
    ('光纤被老鼠咬破网线了，能上门修吗？', 'strong_anger', False),
    ('好好好，谢谢你，已经收到了。', 'strong_anger', False),
    ('好好好，我知道了，谢谢。', 'strong_anger', False),
    ('太好了，又要出去旅游了，帮我查下机票。', 'strong_anger', False),
    ('真好，又是满减活动，我再买两件。', 'strong_anger', False),
    ('The gas smell is gone now, the engineer fixed it, thank you.', 'needs_person_case', None),
    ('Is there a gas leak check included in the annual service?', 'needs_person_case', None),
    ('Do you sell a CO alarm?', 'needs_person_case', None),
    ('Is a carbon monoxide detector included in the boiler install?', 'needs_person_case', None),
    ('The electrician said there were no live wires, all safe now, thanks.', 'needs_person_case', None),
    ('The fitter tidied up the exposed wiring, looks great.', 'needs_person_case', None),
    ('燃气泄漏保险怎么买？', 'needs_person_case', None),
    ('一氧化碳报警器多少钱？', 'needs_person_case', None),
    ('煤气味已经没有了，师傅修好了，谢谢。', 'needs_person_case', None),
    ('我爷爷去世多年了，现在想给自己买份寿险。', 'needs_person_case', None),
    ('I had two direct debits set up, one for each car, both on the same day - is that right?', 'needs_person_case', None),
    ("The app is working now thanks but I'd like to talk to someone about the bill.", 'asks_for_person', True),
    ("The app is working now thanks but I'd like to talk to someone about the bill.", 'not_a_request', False),
    ('Thanks, the login is fixed. Now put me through to billing about the overcharge.', 'asks_for_person', True),
    ("The app is sorted, thanks. I'd like a manager to call me about the overcharge though.", 'asks_for_person', True),
    ('Thanks, the first issue is resolved. Connect me to an agent for the second one.', 'asks_for_person', True),
    ('Cheers, sorted. Now let me speak to a human about my contract.', 'asks_for_person', True),
    ("They told me it was resolved but it clearly isn't, thanks. Get me a person.", 'asks_for_person', True),
    ("They told me it was resolved but it clearly isn't, thanks. Get me a person.", 'thanks_for_solved', False),
    ("The engineer came but it wasn't fixed, thanks anyway. Get me someone else out.", 'thanks_for_solved', False),
    ("The engineer came but it wasn't fixed, thanks anyway. Get me someone else out.", 'not_a_request', False),
    ('密码问题解决了，谢谢。另外帮我转人工问一下账单。', 'asks_for_person', True),
    ('解决了，谢谢，转人工。', 'asks_for_person', True),
    ('客服说处理好了，结果还是不行，谢谢，帮我转人工。', 'asks_for_person', True),
    ('客服说处理好了，结果还是不行，谢谢，帮我转人工。', 'thanks_for_solved', False),
    ("I don't need a person, I need a manager.", 'not_a_request', False),
    ("Found it, thanks! But there's also a payment to a company I've never heard of.", 'fraud_misread', False),
    ("It's arrived, thanks, but someone ordered another phone in my name.", 'fraud_misread', False),
    ('收到了，谢谢。不过账户里多了一笔我不知道的支出。', 'fraud_misread', False),
    ('找到了，谢谢。但是信用卡上有一笔境外消费我完全不清楚。', 'fraud_misread', False),
    ('It smells like gas in the hallway since the fitter left.', 'needs_person_case', 'safety'),
    ("There's a whiff of gas near the boiler.", 'needs_person_case', 'safety'),
    ('The wires are exposed behind the socket your electrician fitted.', 'needs_person_case', 'safety'),
    ('Bare wires are sticking out of the ceiling rose.', 'needs_person_case', 'safety'),
    ('There are wires hanging out of the wall where the fitter took the socket off.', 'needs_person_case', 'safety'),
    ("The brakes aren't working properly after your service.", 'needs_person_case', 'safety'),
    ('The brakes stopped working on the hill.', 'needs_person_case', 'safety'),
    ('The socket is sparking when I plug anything in.', 'needs_person_case', 'safety'),
    ('煤气好像漏了，怎么办？', 'needs_person_case', 'safety'),
    ('电线都露在外面了。', 'needs_person_case', 'safety'),
    ('墙上有裸露的电线。', 'needs_person_case', 'safety'),
    ('家里有一股燃气的味道。', 'needs_person_case', 'safety'),
    ('刹车不太灵了。', 'needs_person_case', 'safety'),
    ('刹车踩不下去。', 'needs_person_case', 'safety'),
    ('刹车坏了，刚提的车。', 'needs_person_case', 'safety'),
    ('刹车有点软。', 'needs_person_case', 'safety'),
    ('Could a technician come out and look at the meter?', 'asks_for_person', True),
    ('Please send an engineer, the router is dead.', 'asks_for_person', True),
    ('Could a technician pop round this week?', 'asks_for_person', True),
    ('Please arrange for an engineer to visit.', 'asks_for_person', True),
    ('Please get a technician out to me.', 'asks_for_person', True),
    ('Can I have a word with someone from the claims team?', 'asks_for_person', True),
    ('Is there a specialist I could have a word with?', 'asks_for_person', True),
    ("Who's in charge of refunds? I want to talk to them.", 'asks_for_person', True),
    ('能帮我接一下售后吗？', 'asks_for_person', True),
    ('麻烦帮我联系一下理赔的同事。', 'asks_for_person', True),
    ('我想跟负责这块的人聊聊。', 'asks_for_person', True),
    ('叫你们技术过来看看。', 'asks_for_person', True),
    ('找个师傅上门修一下吧。', 'asks_for_person', True),
    ('请派维修人员上门。', 'asks_for_person', True),
    ('叫个人过来看一下。', 'asks_for_person', True),
    ('我要揾客服。', 'asks_for_person', True),
    ('我想同你哋嘅职员倾下。', 'asks_for_person', True),
    ('有冇人可以帮下我？', 'asks_for_person', True),
    ('找你们管理的人来处理。', 'asks_for_person', True),
    ('他妈的，又没送到。', 'strong_anger', True),
    ('傻逼客服。', 'strong_anger', True),
    ('Do you know who will handle my claim? Just curious, no rush.', 'asks_for_person', False),
    ('上次派个师傅来看过，没修好。', 'asks_for_person', False),
    ("Honestly the flowers you delivered for my mum's funeral were not a disgrace at all, they were perfect.", 'strong_anger', False),
    ('Cancel my order please!!', 'strong_anger', False),
    ('Give me a call when you can!! Thanks!!', 'strong_anger', False),
    ("Thanks, I found the charge, it was my husband's order.", 'fraud_misread', True),
    ('Thanks, found the transaction, it was Netflix.', 'fraud_misread', True),
    ("Ah it's my son's Roblox purchase, sorry for the fuss!", 'fraud_misread', True),
    ('It never got sorted, thanks for nothing.', 'thanks_for_solved', False),
    ('It never got sorted, thanks for nothing.', 'not_a_request', False),
    ("The refund was approved yesterday, it's not come through yet but I know it takes 5 days, no rush.", 'needs_person_case', None),
    ('That was a piss-poor effort.', 'strong_anger', True),
    ('妈的，什么破服务。', 'strong_anger', True),
    ('tmd 三次了还没修好。', 'strong_anger', True),
    ('什么垃圾公司。', 'strong_anger', True),
]


@pytest.mark.parametrize("text, reading, expected", _TENTH_REVIEW)
def test_tenth_pass_review(text, reading, expected):
    import bot.handover.triage as triage
    assert getattr(triage, reading)(text) == expected, text


@pytest.mark.parametrize("text, reading, expected", [
    ("They transferred me to billing and then the line dropped, get me a human please", "asks_for_person", True),
    ("You connected me to the right team yesterday, thanks", "asks_for_person", False),
    ("Makes sense, but I was still charged twice for the same order", "is_report", False),
    ("That makes sense now, thanks", "is_report", True),
    ("No rush, but you promised my refund last week and it still hasn't come through", "needs_person_case", "refund_missing"),
    ("The refund was approved on Monday and isn't in yet, I know it takes 5 days", "needs_person_case", None),
])
def test_tenth_pass_second_look(text, reading, expected):
    # issue 11, tenth pass: a told hand-over strips only its own clause; an explanation understood beside a case
    # is no report; "no rush" alone does not make a missing refund not due (the window stated does)
    import bot.handover.triage as triage
    assert getattr(triage, reading)(text) == expected, text


def _project_texts() -> list:
    import csv
    import glob

    import yaml

    from tests.conftest import PROJECT_ROOT

    root = str(PROJECT_ROOT)
    texts = set()
    for path in glob.glob(f"{root}/tests/dev*/messages.csv") + glob.glob(f"{root}/data/emotion/*.csv"):
        with open(path, encoding="utf-8") as f:
            texts |= {row.get("text") or "" for row in csv.DictReader(f)}
    for path in glob.glob(f"{root}/data/nlu/*.yml"):
        with open(path, encoding="utf-8") as f:
            for item in yaml.safe_load(f).get("nlu", []):
                texts |= {line.lstrip("- ").strip() for line in (item.get("examples") or "").splitlines()}
    return sorted(texts)


def test_the_person_readings_are_skipped_only_where_they_cannot_match():
    # asks_for_person skips PERSON_ZH on text with neither Han characters nor pinyin (_PINYIN_PERSON) and
    # PERSON_EN on text with no Latin letter: a new alternative must keep that true
    from bot.handover.triage.person import _LATIN, _PINYIN_PERSON, HAN, PERSON_EN, PERSON_ZH

    texts = _project_texts() + ["zrg", "rgkf", "zhuan rengong", "RG", "kf在吗", "ren gong please"]
    assert len(texts) > 10000
    for text in texts:
        found = PERSON_ZH.search(text)
        assert not found or HAN.search(text) or _PINYIN_PERSON.search(text), text
        assert not PERSON_EN.search(text) or _LATIN.search(text), text
    assert all(asks_for_person(t) for t in ["zrg", "rgkf", "zhuan rengong", "ren gong please"])


# eleventh pass: a fresh new user's probes of the safety advice and the declined person
@pytest.mark.parametrize("text, case", [
    ("Do you sell smoke alarms?", None),
    ("When will the smoke detector I ordered arrive? QX-100001", None),
    ("I'd like to buy new brake pads for my e-bike", None),
    ("How do I pay my gas bill with you?", None),
    ("灭火器多少钱一个", None),
    ("the smoke alarm is going off and there's smoke coming from the dryer", "safety"),
    ("一氧化碳报警器一直在响", "safety"),
    ("The engineer said he fixed the leak but I can still smell gas", "safety"),
    ("说是修好了，但是还是有煤气味", "safety"),
    ("the cover fell off the socket and there are exposed wires", "safety"),
    ("the gas smell is gone now, thanks for the quick visit", None),
    ("Is the heater covered by the insurance if the wiring is exposed?", None),
    # a fresh new user's hazards the earlier readings missed
    ("The brakes on my new e-bike are failing, I nearly crashed", "safety"),
    ("the carbon monoxide detector you sold me keeps beeping and I feel sick", "safety"),
    ("I can smell gas and the flame on the cooker has gone out", "safety"),
    ("我闻到煤气味，燃气灶的火没了", "safety"),
    ("the heater is giving off fumes and I feel dizzy", "safety"),
    ("it smells like rotten eggs near the boiler", "safety"),
    ("宝宝误食了玩具里的纽扣电池", "safety"),
    ("the carpet is smouldering", "safety"),
    ("the charger is melting, is it a fire hazard?", "safety"),
    ("我想买一个一氧化碳报警器", None),
    ("煤气味已经散了，谢谢师傅", None),
    ("Is this charger a fire hazard?", None),
])
def test_eleventh_pass_safety_cases(text, case):
    assert needs_person_case(text) == case


@pytest.mark.parametrize("text", [
    "No need for a person, there's a charge on my card I never made",
    "no need for an agent. I received someone else's order with their name and address on it",
])
def test_eleventh_pass_a_declined_person_is_no_calm_report(text):
    assert not is_report(text)  # "no need" was read as a heads-up that needs no action


def test_eleventh_pass_a_declined_person_is_a_calm_frame():
    assert calm_framing("I don't need someone to call me, just tell me when QX-100006 arrives")
    assert not calm_framing("I don't need a human, I need my money back NOW, you useless lot!!")


# eleventh pass: a fresh reviewer's probes (its own wording), each wrong before its fix
@pytest.mark.parametrize("text", [
    "smelling gas strongly near the oven, is it safe", "fire in the microwave when i used it normally",
    "gas hob wont turn off and the flame is huge", "the wall socket you installed has scorch marks and crackles",
    "the electric blanket is scorching the sheets", "the brake pads you replaced aren't working, car won't stop properly",
    "tires came apart on the highway, the ones you fitted yesterday", "steering locked up while driving, just had it serviced by you",
    "my baby is vomiting after the formula from your shop", "my partner collapsed after eating the nut-free cake, ambulance on way",
    "my wife is in hospital after eating your shrimp", "my kid ate some of the detergent pods, he's coughing",
    "no need for a person, my face is swelling after eating your snack",
    "你们装的灶台好像漏气了", "燃气灶关不掉，火很大", "燃气热水器洗澡的时候头晕恶心，是不是一氧化碳", "电线破皮了，刚才被电了一下",
    "插座烧黑了还噼啪响", "热水壶底座熔了还有火苗", "充电器直接烧起来了 在桌子上", "电热毯把床单烤焦了", "個暖爐冒緊煙，點算好",
    "部机冒晒烟啊", "你们换的刹车片不行，车刹不住", "你们昨天换的轮胎高速上爆了", "开车方向盘突然锁死了，刚在你们这保养完",
    "车的brake失灵了 刚从你们店里修完", "用了面霜以后脸肿起来了", "食咗你哋啲饼之后个嘴肿晒", "宝宝喝了你们店的奶粉以后一直吐",
    "老公吃了蛋糕晕倒了，救护车在路上", "小孩吃了洗衣凝珠，一直咳嗽", "不用人工，吃了你们的零食脸肿了",
])
def test_eleventh_pass_review_safety_cases(text):
    assert needs_person_case(text) == "safety"


@pytest.mark.parametrize("text", [
    "上周闻到煤气味，结果是邻居家的，现在没事了。能改收货地址吗", "上次电池鼓包那个已经换好了，谢谢你们", "我吃花生会过敏，这款有花生吗",
    "the spark plug I ordered is the wrong size", "火花塞尺寸买错了", "I need a new filter for the smoke extractor",
    "is the epipen case in stock", "your delivery guy was on fire today, super fast 🔥",
])
def test_eleventh_pass_review_no_emergency(text):
    assert needs_person_case(text) != "safety"


@pytest.mark.parametrize("text", [
    "dont transfer me to anyone, how do i reset my password", "no need to connect me to staff, when will my refund arrive",
    "I don't want to talk to a person. just track order 12345", "don't get a human, just how do I cancel my subscription",
    "no human thx, whats the discount code for new users", "i dont want an agent just update my phone number pls",
    "我不想跟人说话，帮我查订单12345", "唔使转人工，我想知道几时退款", "唔该唔使搵真人，运费几钱", "不用给我转客服，发票怎么开",
])
def test_eleventh_pass_review_a_declined_person_is_no_request(text):
    assert not asks_for_person(text)


# eleventh pass: a second fresh reviewer's probes (measured first: 56 of 292 wrong), each wrong before its fix
@pytest.mark.parametrize("text", [
    "kid drank some of the dishwasher liquid, what now", "dishwasher tablet got swallowed by my 2 yr old",
    "my little boy swallowed some washing powder", "两岁的孩子吞了洗碗块", "女儿咬破了洗衣凝珠，一直在咳嗽",
    "CO detector reads 150 ppm in the kitchen", "carbon monxide detector beeping nonstop and my head hurts",
    "i feel dizzy and sick since the new gas heater was fitted", "the car's brake pedal goes straight to the floor",
    "brakes failing on the car you fixed", "wires poking out of the back of the lamp, bare copper showing",
    "i got burned by your heating pad", "老人家用了你们的暖宝宝，皮肤烫起水泡了", "i cut myself badly on the blender, bleeding",
    "the ladder collapsed under me and i broke my wrist", "梯子塌了，我摔断了手腕",
    "my baby's face went red and puffy after the baby lotion", "throat feels tight after eating ur cookies, they said nut free",
    "洗衣机门电了我一下", "你们师傅装完燃气灶以后一直有臭鸡蛋味",
])
def test_eleventh_pass_second_review_safety_cases(text):
    assert needs_person_case(text) == "safety"


@pytest.mark.parametrize("text", [
    "what's the smoke point of your olive oil", "your deals are smoking hot this week", "price is melting my wallet haha",
    "my heart is on fire for this brand 😍", "心里急得冒火，什么时候开始打折",
    "the hives were from pollen, doc said, nothing to do with your cream. can i reorder?",
    "last month i had food poisoning but not from you, anyway where's my order", "上个月食物中毒了但不是你们的问题，我的订单到哪了",
    "a product review said the charger sparked once, is that true for the new model", "听说充电器会冒火花，新款还会吗",
])
def test_eleventh_pass_second_review_no_emergency(text):
    assert needs_person_case(text) != "safety"


@pytest.mark.parametrize("text", [
    "I don't need staff, just the warranty length", "not looking for a real person, can you track parcel 12345",
    "不要人工客服，保修期多久", "不要人工，退货地址在哪",
])
def test_eleventh_pass_second_review_a_declined_person_is_no_request(text):
    assert not asks_for_person(text)


# issue 11, thirteenth pass: kinds a fresh writer's tests/dev13 showed (written here in other words)
@pytest.mark.parametrize("text", [
    "could I go through this with a member of staff please, it's about a corporate booking",
    "I'd rather deal with a staff member on this one", "would like a person rather than a bot for this, thanks",
    "can a human look at this instead of a chatbot", "想约一下你们门店经理，聊聊团购的事", "麻烦帮我对接一下宴会部的负责人",
])
def test_thirteenth_pass_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "the room key didn't work at first but the manager sorted it, lovely stay. when is checkout?",
    "your agent was really helpful yesterday, quick question about my invoice date",
    "I don't need to speak to anyone, just tell me the opening hours", "we do not need to talk with a person, where are the docs",
    "我找了门店经理，他已经帮我处理好了，谢谢",
])
def test_thirteenth_pass_a_person_told_about_or_declined_is_no_request(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text", [
    "Apologies again! I forgot one thing, can I pay the deposit through this chat?", "I forgot my pin, how do I reset it",
])
def test_thirteenth_pass_the_chat_itself_or_a_word_with_rg_names_no_one(text):
    from bot.handover.triage import names_staff

    assert not names_staff(text)


@pytest.mark.parametrize("text", [
    "you invoiced us for a consultation we never had, please correct it",
    "the plan was upgraded to premium and nobody in our team authorised that",
    "I was billed after I cancelled in the trial period. I have the email.",
    "套餐被升级成了更贵的档位，我没同意过", "没经过我同意就擅自给我开通了会员续费",
])
def test_thirteenth_pass_a_charge_not_agreed_or_not_had_is_a_dispute(text):
    assert needs_person_case(text) == "double_charge"


@pytest.mark.parametrize("text", [
    "I'd like the fee on my last bill reviewed please", "要求恢复原来的套餐", "申请重新核对上个月的电费",
])
def test_thirteenth_pass_a_review_asked_for_is_an_action(text):
    assert wants_action(text)


@pytest.mark.parametrize("text", [
    "were we billed for the seats we didn't use?", "if I cancel during the trial, will I be charged after?",
    "we never had any billing problems, thanks! how do I add a user?",
])
def test_thirteenth_pass_a_question_about_a_charge_is_no_dispute(text):
    assert needs_person_case(text) != "double_charge"


# the thirteenth pass's review: what its first rules got wrong
@pytest.mark.parametrize("text", [
    "i want to talk to a human was waiting 2 hours already", "get me a manager was that so hard",
    "need to speak to a supervisor sent 4 emails no reply", "I want a supervisor called in right now",
    "让销售经理联系我", "想和销售经理聊一下", "Zrg",
])
def test_thirteenth_pass_review_requests_still_read(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "不用找销售经理了，我自己搞定", "我不想找销售经理，直接在这办就行", "我之前联系销售经理，他说下周发货", "找销售经理谈过了，说没问题",
    "听说找大堂经理能打折？", "I don't need to talk to a member of staff, just the opening hours please",
])
def test_thirteenth_pass_review_no_request(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text", [
    "I was charged less because I didn't use all the data, thanks!", "I was charged shipping since I didn't use the coupon, my mistake",
    "I was charged the cancellation fee after cancelling, as the terms say, no problem",
    "We moved office last week and no one has approved the delivery address change yet, can you help",
    "你们会不会没经过我同意就自动续费？", "如果没有授权就不会扣款，对吧", "被改成了月付套餐，我没办理别的业务",
])
def test_thirteenth_pass_review_no_dispute(text):
    assert needs_person_case(text) != "double_charge"


@pytest.mark.parametrize("text", ["thanks, I can see it's been adjusted now", "I would like to know if late fees can be waived",
                                  "你们要求取消订单需要什么材料", "我没有要求取消订单啊，怎么被取消了"])
def test_thirteenth_pass_review_no_action_asked(text):
    assert not wants_action(text)


@pytest.mark.parametrize("text", ["Zrg", "zrgkf", "rgkf please", "can I go on the live chat"])
def test_thirteenth_pass_review_staff_still_named(text):
    from bot.handover.triage import names_staff

    assert names_staff(text)


# issue 11, fourteenth pass: kinds a fresh writer's tests/dev14 showed (written here in other words)
@pytest.mark.parametrize("text", [
    "My dad has a hearing aid and gets confused online, I'd be happier going through the booking with one of your advisers",
    "would prefer to talk it over with someone from the claims team if possible",
    "can I run through the options with one of your specialists before I decide?",
    "请帮我转交物业处理一下，楼上漏水到我家了", "麻烦转给财务部，发票抬头开错了", "请安排专人和我核实一下这笔保费",
])
def test_fourteenth_pass_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "I already went through it with someone at the branch and it's sorted, thanks", "we're moving to a different address next month",
    "I'd like to chat with my partner about the plan first", "can I go through the checkout with two gift cards?",
    "帮我把全部积分转给家人可以吗", "我已经和财务部说过了，发票重开好了", "不需要安排专人核对，我自己看明白了",
])
def test_fourteenth_pass_no_request(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text", [
    "The jacket arrived torn, I sent photos twice as the returns page asked and nobody replied. I need it sorted this week.",
    "parcel shows delivered, I asked the neighbours and the concierge already, please get this fixed",
])
def test_fourteenth_pass_asked_to_be_sorted_is_no_report(text):
    assert not is_report(text)
    assert needs_person_case(text) == "after_steps"


@pytest.mark.parametrize("text", ["The replacement came and everything is sorted now, thanks", "it was fixed in the end",
                                  "饮料有点洒了，小事，不需要赔偿，下次封口紧一点就好"])
def test_fourteenth_pass_sorted_or_nothing_wanted_is_a_report(text):
    assert is_report(text)


@pytest.mark.parametrize("text", ["饮料有点洒了，小事，不需要赔偿，下次封口紧一点就好", "no refund needed, just a heads-up about the lid"])
def test_fourteenth_pass_amends_declined_ask_for_nothing(text):
    assert not wants_action(text)


@pytest.mark.parametrize("text", ["不用补偿，但是我要退款", "I don't want compensation, I want a refund"])
def test_fourteenth_pass_amends_declined_but_another_asked(text):
    assert wants_action(text)


@pytest.mark.parametrize("text", [
    "感谢客服，我女儿第一次一个人坐高铁，全程很顺利", "第一次下单，谢谢你们这么快",
])
def test_fourteenth_pass_a_first_time_is_no_repeat(text):
    assert not plain_anger(text)
    assert not anger_cue(text)


@pytest.mark.parametrize("text", ["谢谢你们，第三回打电话了还是没人管", "感谢，第2天了还没发货"])
def test_fourteenth_pass_thanks_beside_a_repeat_is_still_mock_praise(text):
    assert plain_anger(text)


@pytest.mark.parametrize("text", [
    "Fourth dropped call today. Sort it by Monday or I'm switching to a network that actually works",
    "If the refund isn't here by Friday we're taking our business to a competitor",
    "取消订单还要扣200？抢钱呢？", "这电费你们是拍脑袋定的吗？", "行李丢了也没人管，你们就是这么对待顾客的", "运费比东西还贵，抢钱呢",
])
def test_fourteenth_pass_threats_to_leave_and_rhetorical_anger(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", [
    "I'm switching to another provider, how do I get my PAC code?", "I'm going to another country next week, can I use roaming?",
    "I'll go to another branch then, thanks", "我们公司是另一家供应商", "防抢钱的诈骗短信怎么识别",
])
def test_fourteenth_pass_calm_look_alikes_carry_no_anger(text):
    assert not anger_cue(text)


@pytest.mark.parametrize("text", [
    "the pizza came an hour late and stone cold, lovely, just lovely",
    "Sure, take another month, it's not like I need the money for anything",
    "航班取消了，就赔了二十块钱，真大方",
])
def test_fourteenth_pass_sarcasm(text):
    assert strong_sarcasm(text)


@pytest.mark.parametrize("text", ["Great, just great service from start to finish", "送了我一张优惠券，真大方，谢谢",
                                  "it's not like I'm in a hurry, whenever suits you"])
def test_fourteenth_pass_no_sarcasm(text):
    assert not strong_sarcasm(text)


@pytest.mark.parametrize("text", ["不好意思再问一下，体验课开始前会有提醒吗？", "sorry, one more thing: will I get a reminder before the class starts?"])
def test_fourteenth_pass_a_plain_question_read_as_report_fraud_is_a_misread(text):
    assert fraud_misread(text)


@pytest.mark.parametrize("text", ["我的卡被刷了吗？", "有人登录了我的账号吗？", "is this text from you?", "what is this charge on my card?"])
def test_fourteenth_pass_a_question_of_money_or_account_is_no_misread(text):
    assert not fraud_misread(text)


@pytest.mark.parametrize("text", ["安装师傅把我家的柜门刮花了一道，还磕破了，说会报给公司赔，至今没人联系我",
                                  "快递把箱子压坏了，客服说会安排补发，到现在一周了也没有人联系"])
def test_fourteenth_pass_damage_and_no_one_came_back(text):
    assert needs_person_case(text) == "after_steps"


@pytest.mark.parametrize("text", ["跑了三趟都没办成，这不是折腾人吗", "让我一个老人去网上弄，这不是为难人么"])
def test_fourteenth_pass_rhetorical_bullying_is_anger_and_no_misread(text):
    assert anger_cue(text)
    assert not fraud_misread(text)


# the fourteenth pass's review: what its first rules got wrong
@pytest.mark.parametrize("text", [
    "I don't need to go through it with someone, the FAQ is enough",
    "I would rather not go through it with one of your agents, the chat is fine",
    "I need to discuss it with someone in my family before I commit",
    "I need to discuss my treatment with a specialist before I order the larger dose",
    "I wouldn't want to discuss this with someone over the phone",
    "能不能帮我转换成东部时间显示", "可以帮我把号码转到另一部手机吗", "请帮我转到第二部，第一部看完了", "可以帮我转运到北部仓吗",
    "快递能不能帮我转到物业代收，我今天不在家", "请帮我转寄到公司财务部", "请帮我把积分转给俱乐部账户", "帮我转到手机管家里清理一下",
    "上次客服帮我转给财务部了，已经解决了", "需要专人核对吗？我自己可以看吗", "你们会不会安排专人核对？还是系统自动",
])
def test_fourteenth_pass_review_no_request(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text", ["帮忙转给管家，谢谢", "请帮我转到工程部", "麻烦转交理赔部处理一下"])
def test_fourteenth_pass_review_requests_still_read(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "The jacket arrived torn, I sent photos as asked and you were able to get it sorted, thanks",
    "parcel went missing, I asked the neighbours and reported it, you managed to get it resolved, thank you",
    "thanks for getting it sorted so quickly",
])
def test_fourteenth_pass_review_sorted_for_me_is_a_report(text):
    assert is_report(text)


@pytest.mark.parametrize("text", [
    "Delivered a day early and the driver even carried it upstairs. Lovely, just lovely!",
    "Your support team sorted my issue in five minutes, great, just great", "就给我退了全款，真大方，谢谢",
    "只送了一张优惠券，真大方，谢谢啦，下次还来", "It's not like I had plans for the weekend anyway, so Saturday delivery is perfect",
])
def test_fourteenth_pass_review_sincere_praise_is_no_sarcasm(text):
    assert not strong_sarcasm(text)


@pytest.mark.parametrize("text", ["ripped jeans, size 10, I already checked the size guide, do you have them in stock?",
                                  "my jeans are torn — that's the style I ordered, I already checked the listing, thanks"])
def test_fourteenth_pass_review_a_product_style_is_no_damage(text):
    assert needs_person_case(text) is None


@pytest.mark.parametrize("text", [
    "I'm moving to another provider next month, can you tell me my final bill date?",
    "I'm switching to another network, thanks for all the years of good service",
    "I'm leaving for a rival firm next week, please update my work email on the account",
    "双十一抢钱包优惠券的活动什么时候开始？", "我被抢钱了，手机也被抢了，能帮我冻结卡吗", "今天心态崩了，考试没考好，想买点零食安慰自己，有什么推荐吗",
])
def test_fourteenth_pass_review_calm_text_carries_no_anger_cue(text):
    assert not anger_cue(text)


@pytest.mark.parametrize("text", [
    "a stranger is logged into my profile?", "who changed my phone number on my profile?", "为什么有人用我的手机号注册了？",
    "谁改了我的会员资料？", "I got a weird message saying I won a prize from you, is it real?",
])
def test_fourteenth_pass_review_a_fraud_question_is_no_misread(text):
    assert not fraud_misread(text)


def test_fourteenth_pass_review_first_time_seen_is_still_mock_praise():
    assert plain_anger("谢谢你们，第1次见这么慢的快递")


@pytest.mark.parametrize("text", [
    "IS THIS HOW YOU TREAT LOYAL CUSTOMERS", "HOW IS THIS ACCEPTABLE", "WHAT IS THE POINT OF THIS CHAT",
    "CAN SOMEONE TELL ME WHAT IS GOING ON WITH MY ORDER", "WHEN WILL I GET MY PARCEL, IT WAS DUE ON MONDAY",
    "HOW LONG DOES IT TAKE TO PROCESS A SIMPLE RETURN",
])
def test_fourteenth_pass_review_rhetorical_or_chasing_capitals_are_not_style(text):
    from bot.nlu.emotion_lexicon import capitals_as_style

    assert not capitals_as_style(text)


# issue 11, fifteenth pass: kinds a fresh writer's tests/dev15 showed (written here in other words)
@pytest.mark.parametrize("text", [
    "I want this reviewed by an underwriter rather than a bot please", "Could you put me through to a supervisor?",
    "can you put me through to whoever deals with deposits", "please transfer me to billing", "connect me with the claims department",
    "is there someone I can write to about this directly?", "sorry, I'd like an actual employee for this one",
    "有人工吗", "人工在吗？", "有没有在线人工，想问个合同的事",
])
def test_fifteenth_pass_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "You put me through to the wrong team yesterday, but it's all sorted now, thanks",
    "they transferred me to billing last week and it got fixed", "how do I transfer money to my savings account?",
    "my employee deals with it rather than me", "I don't need an employee for this, the app is fine",
    "晚上有人工吗", "周末有人工客服吗", "人工客服几点上班？", "有人工费吗？",
    "上次人工客服说两天内到账，今天收到了，谢谢", "之前客服帮我改过地址了，我来确认一下是不是改好了",
])
def test_fifteenth_pass_no_request(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text", [
    "上次人工客服说两天内到账，今天收到了，谢谢", "之前客服帮我登记过了，想确认下是不是这个编号 R123",
    "Just curious: are your agents real people or is it all AI? Nothing needed right now.",
])
def test_fifteenth_pass_a_person_told_about_or_asked_about_is_no_request(text):
    assert not_a_request(text)


@pytest.mark.parametrize("text", [
    "上次客服答应给我补偿，到现在一个星期了还没到", "上次人工客服说会回电，结果一直没人联系",
])
def test_fifteenth_pass_a_promise_not_kept_is_no_report_of_the_past(text):
    assert not not_a_request(text)


@pytest.mark.parametrize("text, case", [
    ("The kettle arrived leaking, I followed your troubleshooting guide and it still leaks", "after_steps"),
    ("热水壶到手就漏水，按说明书重新装过了，还是漏", "after_steps"),
    ("取件码显示在5号柜，打开柜子是空的，重新开柜我也点过了", "after_steps"),
    ("游泳馆已经同意退卡了，这个月还是扣了199", "double_charge"),
    ("我办的是季卡，却被扣了年卡的钱", "double_charge"),
    ("I bought the monthly plan but was charged the annual price", "double_charge"),
    ("这件事我准备向市场监管部门反映", "legal"),
    ("I'll be reporting this to the energy regulator", "legal"),
])
def test_fifteenth_pass_cases_a_bot_must_not_handle_alone(text, case):
    assert needs_person_case(text) == case


@pytest.mark.parametrize("text", [
    "上个月空调漏水，师傅已经修好了，想问下保修期多久", "我办的是季卡，请问能升级成年卡吗？", "怎么向监管部门反映问题？",
    "the bath was leaking last week but your plumber fixed it, thanks", "is it normal for the locker to be empty after collection?",
])
def test_fifteenth_pass_no_case(text):
    assert needs_person_case(text) is None


@pytest.mark.parametrize("text", [
    "Moved my booking twice now. Do you think I'm made of money?", "Can your bot actually read or not?",
    "Answer the question instead of sending me links.", "合同写的是包邮，现在又收运费，忽悠人呢？",
    "扣了钱不发货，是不是想骗钱", "就这质量还卖这么贵？", "退款拖了一个月，天天让我等，等什么？",
])
def test_fifteenth_pass_rhetorical_doubt_and_accusations_are_strong_anger(text):
    assert anger_cue(text) and strong_anger(text)


@pytest.mark.parametrize("text", [
    "Could you answer my question about the delivery slot when you have a moment?", "do you think my order will arrive by Friday?",
    "Out of curiosity, do real people read these? Nothing needed right now.", "等什么时候能收到呀？", "就这样吧，谢谢你",
])
def test_fifteenth_pass_calm_look_alikes_carry_no_anger(text):
    assert not anger_cue(text)


@pytest.mark.parametrize("text", [
    "Ordered a double bed, got a single frame. Brilliant work.", "Paid for a room with a balcony, got one facing a wall. Stellar job, really.",
    "The hotel room came with no hot water for three days. Truly first-class service.",
])
def test_fifteenth_pass_closing_praise_after_a_problem_is_sarcasm(text):
    assert strong_sarcasm(text) and anger_cue(text)


@pytest.mark.parametrize("text", [
    "Booked a table for two, got the window seat. Amazing, thanks!", "Booked a standard room, got upgraded to a suite. Incredible work, really.",
    "The parcel was late but the driver was lovely. Great job.", "The film had no sound for a minute, then your staff fixed it. Great job.",
    "Booked the 9am slot and everything went smoothly. Amazing work.",
])
def test_fifteenth_pass_praise_meant_is_no_sarcasm(text):
    assert not strong_sarcasm(text)


# the fifteenth pass's review (a fresh reviewer's probes): what its first rules got wrong
@pytest.mark.parametrize("text", [
    "你们是不是打算黑色星期五打折？", "是不是要坑位费？", "等什么？我明天就下单！", "就这速度也太快了吧，昨天下单今天到",
    "就这质量也能卖这么便宜，真划算！", "Does your system read PDFs or not?", "Can you understand English or not? My mum only speaks Cantonese.",
    "Answer the question below: what is your address?", "Instead of sending links, could you explain it in the chat? Thanks!",
    "Do you think I'm made of money? Haha, joking, what's the cheapest plan?", "玩文字游戏好好玩，你们出的谜语活动很有意思",
])
def test_fifteenth_pass_review_no_strong_anger(text):
    assert not strong_anger(text)


@pytest.mark.parametrize("text", [
    "Ordered a large pizza, got a large pizza. Great.", "Paid for express, got it the next day. Stellar service.",
    "Booked a standard room, got a suite. Incredible work, really.", "Ordered a cake for my mum, got it delivered to her door. Amazing.",
])
def test_fifteenth_pass_review_praise_for_what_was_ordered_is_no_sarcasm(text):
    assert not strong_sarcasm(text)


@pytest.mark.parametrize("text", [
    "Parcel arrived damaged, box crushed. Great work.", "The heating doesn't work. Brilliant.", "你们是不是想把钱吞了？", "你们是在耍我吗",
    "You keep pasting the same policy at me.", "Is my time worth nothing to you?", "上次客服说好了会退款，谢谢你们个鬼",
])
def test_fifteenth_pass_review_anger_still_read(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", [
    "上次客服说给我补偿，到现在没收到，谢谢", "上次客服说好了会退款，谢谢你们个鬼", "刚才客服说帮我改好了，确认一下是否生效？",
])
def test_fifteenth_pass_review_a_promise_or_a_check_is_no_report_of_the_past(text):
    assert not not_a_request(text)


@pytest.mark.parametrize("text, asks", [
    ("I need an employee ID to log in, where do I find it?", False), ("We need an employee to sign the form at collection, right?", False),
    ("Is there a person I can email about invoices, or is it all via the app?", False),
    ("Could I be transferred to whoever handles refunds?", True), ("Who handles warranty claims? Can I speak to them?", True),
    ("有人工的话帮我转一下", True), ("上次人工客服态度很差，我要投诉他", True),
])
def test_fifteenth_pass_review_requests(text, asks):
    assert asks_for_person(text) is asks


@pytest.mark.parametrize("text, case", [
    ("我买的是月卡，怎么被扣了年费？", "double_charge"), ("I bought the monthly plan but was charged the annual fee?", "double_charge"),
    ("昨天客服说已经处理好了，可是今天又扣了一次费", "double_charge"),
    ("I bought the annual plan but was charged monthly, which is fine, it's what I wanted.", None),
    ("I bought a gift card but you charged my card £50 — correct, that's the value.", None),
])
def test_fifteenth_pass_review_wrong_plan_charges(text, case):
    assert needs_person_case(text) == case


# issue 11, sixteenth pass: kinds a fresh writer's tests/dev16 showed (written here in other words)
@pytest.mark.parametrize("text", [
    "Can my complaint please be escalated to a supervisor?", "I'd like this case escalated, it's been a month.",
    "Could a friendly person phone me about the renewal? 07700 900123", "能让项目经理加我一下微信吗？",
    "保单号 PX2231，麻烦请审核员亲自核一下材料", "那个丢失的包裹，有人能联系我吗？13800138000", "能不能升级给工程师处理？",
    "报销的事想联系你们财务部的同事", "想先和负责安装的师傅电话确认一下时间，能安排吗",
])
def test_sixteenth_pass_requests_for_a_person_hand_over(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "The ticket was escalated last week and sorted, thanks.", "我不想找销售经理，直接在这办就行", "昨天已经和你们工程师沟通过了",
    "你们是真人在回复还是系统自动的？随便问问", "这一步是有人工审核的吗？还是自动通过？", "不用转，我就问个营业时间",
    "Do real people answer these chats? Just curious.", "上次转人工等了好久，不过最后都解决了，这次想问下运费",
])
def test_sixteenth_pass_look_alikes_are_no_request(text):
    assert not asks_for_person(text) or not_a_request(text)


@pytest.mark.parametrize("text, case", [
    ("The bill charges me for a repair that we never had.", "double_charge"),
    ("师傅根本没上门，却扣了我50块上门费", "double_charge"), ("请撤销这笔费用，我没有用过这个服务", "double_charge"),
    ("账单金额和我实际付的对不上，多了80元", "double_charge"),
    ("Does the bill list everything I ordered?", None), ("发票金额是多少？", None),
])
def test_sixteenth_pass_billing_disputes(text, case):
    assert needs_person_case(text) == case


@pytest.mark.parametrize("text", [
    "Is this even a real bank or a group chat with a logo?", "No hurry at all, it's only my money.",
    "Not impressed. Not at all.", "Stop sending me the same help article again.",
    "Cancelling today. The garage across the street at least answers the phone.", "我去大众点评写差评", "有没有搞错？又扣钱",
    "别跟我说什么流程，退款", "你们是在处理还是在摸鱼？", "这个APP是实习生做的吧", "以后再也不买你们家的了", "我的退款呢？？？",
])
def test_sixteenth_pass_anger_the_wording_makes_plain(text):
    assert strong_anger(text)


@pytest.mark.parametrize("text", [
    "Lovely, the courier lost the parcel and charged me anyway. Classic.",
    "The 'express' lane took forty minutes. Wonderful planning.", "Great, another 3 weeks to wait. Brilliant, thanks.",
    "真棒，衣服送回来又破了个洞，谢谢你们哦",
])
def test_sixteenth_pass_praise_around_a_problem_is_sarcasm(text):
    assert strong_sarcasm(text)


@pytest.mark.parametrize("text", [
    "Great, the parcel arrived early. Brilliant, thanks.", "Fantastic, the refund came through. Classic you lot, always quick.",
    "太棒了，包裹提前到了，谢谢你们哦", "The replacement arrived on time. Great communication.",
])
def test_sixteenth_pass_praise_for_good_news_is_no_sarcasm(text):
    assert not strong_sarcasm(text)


@pytest.mark.parametrize("text", [
    "Horrible weather today so I'll miss my slot. Can I move it to Thursday?", "My boss yelled at me all day. Anyway, when does my parcel come?",
    "今天被老板骂了，地铁又挤，就想问下包裹几点到", "My order comes back today, what time roughly?",
    "I'M FINALLY CONNECTED!!! How do I see my usage?", "The app works FLAWLESSLY. Seriously impressed. Is there a dark mode?",
    "抢到了！！！能开发票吗", "I'm ill this week so I missed the delivery, can you redeliver?",
])
def test_sixteenth_pass_calm_look_alikes_carry_no_anger(text):
    assert not anger_cue(text)


@pytest.mark.parametrize("text", [
    "The app is FLAWLESSLY broken!!! Where is my refund??", "Horrible service today, can I speak to someone?",
    "I'm sick of waiting, where is my parcel?", "FINALLY!!! Three weeks late. Why??",
])
def test_sixteenth_pass_anger_beside_those_words_is_still_read(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", [
    "朋友说你们售后特别耐心，我就是来表扬一下的，没别的事", "Just wanted to say thanks to the driver, no question.",
    "Asking for planning, I don't need anyone now.", "先了解下，现在不需要",
])
def test_sixteenth_pass_praise_or_nothing_needed_is_a_report(text):
    assert is_report(text)


def test_sixteenth_pass_relief_at_a_false_alarm_is_no_report_of_fraud():
    assert fraud_misread("吓我一跳，原来验证短信在垃圾箱里，找到了")
    assert not fraud_misread("吓我一跳，原来有人盗刷了我的卡")


# the sixteenth pass's review (a fresh reviewer's probes): what its first rules got wrong
@pytest.mark.parametrize("text", [
    "Is this a real company? I can't find you on Companies House and want to check before paying.",
    "It is only my car so can I leave the keys with reception?",
    "Please don't send me the FAQ link again, I've already read it, thanks - is there another way to reset the password?",
    "I might cancel and go with the shop across the road, at least it's closer to my house. How do I cancel?",
    "是要让我先付款再发货吗？", "有没有搞错地址？我再核对一下", "手机壳呢？？还有耳机呢？？帮我查查是不是漏发了",
])
def test_sixteenth_pass_review_questions_are_no_strong_anger(text):
    assert not strong_anger(text)


@pytest.mark.parametrize("text", [
    "Parcel arrived a day late, no problem at all, it was a gift for next week. Lovely, thanks.",
    "The course got cancelled because of the snow, totally understandable. Great communication.",
    "My flight was delayed but the crew were brilliant. Wonderful customer service.",
    "The package was missing a screw but I found a spare. Brilliant, thanks.",
])
def test_sixteenth_pass_review_sincere_thanks_after_a_small_problem_is_no_sarcasm(text):
    assert not strong_sarcasm(text)


@pytest.mark.parametrize("text", [
    "太棒了，又迟到了一个小时。谢谢你们哦。", "The app crashed while paying and took the money anyway. Classic.",
    "Excellent, my order is late again.",
])
def test_sixteenth_pass_review_mock_praise_still_read(text):
    assert strong_sarcasm(text)


@pytest.mark.parametrize("text", [
    "Seriously impressed... that it took you six weeks to send a replacement. Is that normal?",
    "I'm seriously impressed by how slow your refunds are. Is there a record?",
    "Seriously good at losing parcels, aren't you? Where is it?", "FINALLY WORKING!!! After 3 weeks?? Is that really the best you can do?",
    "The traffic was terrible because your engineer gave the wrong address and I had to drive across town for nothing.",
    "My laundry comes back today, right?? It was supposed to be back Monday.",
])
def test_sixteenth_pass_review_anger_beside_praise_words_or_the_weather_is_still_read(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", [
    "Awful weather, and your driver left my parcel out in the rain. Everything inside is soaked and ruined.",
    "Bad day made worse by your company losing my passport application.", "Long day. Long queue. Long wait. Your support is a nightmare.",
    "I've been ill all week and your team keep ringing me about a debt I don't owe. Stop harassing me.",
    "最近真倒霉，买了你们的手机用了三天就坏了，屏幕全黑", "今天好累，你们的客服电话打了一个小时都没人接",
    "我是来表扬的，但是你们的快递员把我的包裹弄坏了", "没有其他问题了？你们就这么打发我？",
    "I don't need help today, I need you to stop charging my card twice.",
    "No question, just wanted to say how disappointed I am with the service.",
    "Just here to praise your courier for throwing my parcel over the fence. Brilliant.", "目前不需要你们道歉，我只要退款",
    "Planning ahead: if my boiler breaks again like the last three times, who do I call?",
])
def test_sixteenth_pass_review_a_complaint_beside_life_trouble_or_praise_is_no_calm_frame(text):
    assert not calm_framing(text) and not is_report(text)


@pytest.mark.parametrize("text, case", [
    ("快递没到之前会先扣钱吗？", None), ("师傅没来的话会扣多少钱？", None), ("我想撤销这笔费用的自动续费，怎么操作？", None),
    ("请问发票金额和订单金额不一致是正常的吗？因为用了优惠券", None),
    ("The technician never came but you still took £60 from my account.", "double_charge"),
    ("I was billed for a visit nobody made.", "double_charge"), ("先了解下，你们是不是扣了我两次钱？", "double_charge"),
])
def test_sixteenth_pass_review_billing_questions_and_disputes(text, case):
    assert needs_person_case(text) == case


def test_sixteenth_pass_review_requests():
    assert not asks_for_person("Can this be escalated if the part doesn't arrive by Friday? Just asking how it works.")
    assert asks_for_person("我跟你们经理沟通过了，他说会退款，到现在也没退")  # a broken promise: not told about only
    assert not is_report("先了解下，你们是不是扣了我两次钱？") and not is_report("Nothing needed, just want my money back.")


# issue 11, seventeenth pass: kinds a fresh writer's tests/dev17 showed (written here in other words)
@pytest.mark.parametrize("text", [
    "I'd like to talk to your dentist directly about the crown before I pay.", "Can we set up a video call with the head of admissions?",
    "Please have the florist herself phone me, booking FL-221.", "Could a nurse look at these results instead of the bot?",
    "我想直接跟营养师确认一下这个食谱", "麻烦帮我转到退费窗口", "请把这段聊天转给你们的售后团队，订单 88213",
    "Please have the installer ring me before Friday.",
])
def test_seventeenth_pass_a_professional_or_a_desk_asked_for_hands_over(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "Do I need to talk to a pharmacist before ordering?", "Is the vet in on Saturdays?", "服务台几点开门？",
    "上周电话里有位姓王的客服帮我改好了地址，想问下多久生效？", "第一个师傅说要换整套，第二个师傅看了说不用，帮我省了钱，谢谢你们",
    "I never want to talk to a doctor again about this, just send the form.",
])
def test_seventeenth_pass_look_alikes_are_no_request(text):
    assert not asks_for_person(text) or not_a_request(text)


def test_seventeenth_pass_a_person_thanked_after_a_promise_broken_is_still_no_thanks():
    assert not not_a_request("上次师傅说给我补寄，到现在没收到，谢谢")


@pytest.mark.parametrize("text, case", [
    ("A payment of £20 from your gym is on my statement but I've never had a membership with you.", "fraud"),
    ("They charged a cleaning fee on my deposit, but we returned the van spotless.", "double_charge"),
    ("You kept my deposit for a scratch but the bike was fine when I returned it.", "double_charge"),
    ("My bill shows twelve lessons but my son only attended nine.", "double_charge"),
    ("账单上显示十次课，但孩子实际只上了七次", "double_charge"), ("门店付了一次，app里又付了一次", "double_charge"),
    ("再不处理我就去法院提起诉讼", "legal"),
    ("Does my bill show the lessons he attended?", None), ("Do I need an account with you to book?", None),
    ("The vet label says Max but he's Maxi. No need to reprint, the vet says it's fine.", None),
])
def test_seventeenth_pass_cases(text, case):
    assert needs_person_case(text) == case


@pytest.mark.parametrize("text", [
    "How is it possible that I renewed in March and still have no card?", "Anything else I should have inspected myself?",
    "Do your drivers get any training at all, or is a dented door part of the service?",
    "Do you actually understand anything I write or do you just send the same FAQ?",
    "Cancelling at the end of the month. No need to send me a loyalty offer.", "I want my full deposit back, not a credit note.",
    "The cleaner lost my spare key. Looking forward to your explanation.", "那会员卡的意义在哪里？", "我花这么多钱买的是什么？",
    "月底前不处理，我就把整个经过发到微博上。", "算了，说了也没用。", "蛋糕送错了！！你们说怎么办！！", "原来这就叫“准时送达”，期待你们的解释。",
])
def test_seventeenth_pass_anger_the_wording_makes_plain(text):
    assert strong_anger(text)


@pytest.mark.parametrize("text", [
    "Is it possible to move my class?", "Is there anything else I should bring?", "还有什么需要我准备的吗？",
    "我花钱买的是什么套餐？想确认一下", "I look forward to your reply about the quote.", "期待你们的新品！",
    "We won't be booking again this year as we're moving abroad, thanks for everything!",
])
def test_seventeenth_pass_look_alikes_carry_no_strong_anger(text):
    assert not strong_anger(text)


@pytest.mark.parametrize("text", [
    "I trust you understand why I won't be ordering again.", "This is my third email about the missing lamp.",
    "我就不多说了，以后不会再来了。",
])
def test_seventeenth_pass_a_customer_lost_or_counting_contacts_is_an_anger_cue(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", [
    "The membership I paid for in April is 'pending' in July. Good to know.",
    "Love that the lock died with me outside. Really clever design.", "Great. The bike dies on the bridge, I'm charged anyway, and a fine on top.",
    "好极了，车又没电，还送了一张罚单", "门锁自己锁死，把我关在外面，这设计真是绝了。", "谢谢你们的“贴心提醒”，我的包裹照样没到。",
    "Nice show. Shame about the queue, I really got to know the cloakroom.", "演出挺好，可惜排队让我印象更深刻。",
    "my bike was towed even though I paid for the bay so thanks for that",
])
def test_seventeenth_pass_mock_praise_is_sarcasm(text):
    assert strong_sarcasm(text)


@pytest.mark.parametrize("text", [
    "The order arrived early. Good to know.", "Love that you remembered my birthday! Really great touch.",
    "Great. The bike was ready early and the staff were lovely.", "Thanks for that, really appreciate it.",
])
def test_seventeenth_pass_praise_or_thanks_meant_is_no_sarcasm(text):
    assert not strong_sarcasm(text)


@pytest.mark.parametrize("text", [
    "I CAN SEE PROPERLY AGAIN!!! Thank you so much, the new lenses are perfect.", "the new camera app is INSANE!!! where are the settings?",
    "终于能听清了！！！太感谢了", "新菜单也太好吃了吧！！！周末营业吗？",
    "That review saying 'WORST GYM EVER, FURIOUS' is about another branch I think. What time do you open?",
    "网上那条“气死了，再也不来”的差评说的是别的店吧？你们几点开门？", "被放鸽子倒也不生气，就是想问下怎么改时间",
])
def test_seventeenth_pass_joy_said_loud_or_others_quoted_carries_no_anger(text):
    assert not anger_cue(text)


@pytest.mark.parametrize("text", [
    "I CAN'T SEE ANYTHING AGAIN!!! Thank you so much for nothing.", "THE APP IS INSANE!!! WHY IS MY MONEY GONE AGAIN",
    "I am furious: 'WORST GYM EVER' is what I will write if this isn't fixed!!",
])
def test_seventeenth_pass_anger_beside_those_words_is_still_read(text):
    assert anger_cue(text)


def test_seventeenth_pass_others_quoted_words_are_not_read_by_the_model():
    from bot.nlu.emotion_lexicon import read_as_style
    read = read_as_style("My neighbour keeps saying 'you lot are USELESS' but mine came early. Can I add a second box?")
    assert "USELESS" not in read and "useless" not in read and "second box" in read


@pytest.mark.parametrize("text", [
    "Will the host see that I viewed their listing? Don't want to seem nosy haha", "我收藏了别人的作品，作者会知道吗？有点不好意思哈哈",
    "Your staff found my lost wallet in the changing room. Thanks!",
])
def test_seventeenth_pass_a_question_or_thanks_is_no_report_of_fraud(text):
    assert fraud_misread(text)


def test_seventeenth_pass_fraud_words_still_count():
    assert not fraud_misread("Did someone use my card? There's a charge I never made haha")
    assert not fraud_misread("别人用了我的账号，我会收到通知吗？哈哈")


# the seventeenth pass's review (a fresh reviewer's probes): what its first rules got wrong
@pytest.mark.parametrize("reading, text, expected", [
('asks_for_person', "Can I talk to a real person? Not a specialist or anything, just someone who can check my order.", True),
 ('asks_for_person', "Please put me through to an agent - no engineer needed, it's just a billing thing.", True),
 ('asks_for_person', "Transfer me to an agent please, no specialist has replied to my emails in two weeks.", True),
 ('asks_for_person', "Can I speak to someone please? I'm not the owner of the account, but I pay the bills.", True),
 ('asks_for_person', "Box says to talk to a pharmacist about interactions. Does it contain paracetamol?", False),
 ('asks_for_person', "I'd like to book a meeting with the wedding planner for next Tuesday at 3pm.", False),
 ('asks_for_person', "It's always lovely to have a chat with the baker when I pick up my bread!", False),
 ('asks_for_person', "I bought the lamp from the designer directly, not the website - can I still register the warranty?", False),
 ('asks_for_person', "The coach said to use the website, not the app, for bookings. Is that right?", False),
 ('asks_for_person', "我儿子很想跟教练聊聊他的训练计划，下节课可以吗？", False),
 ('asks_for_person', "麻烦帮我转寄到公司前台", False),
 ('asks_for_person', "麻烦转告一下前台，我们晚点到", False),
 ('asks_for_person', "我会把情况转达给我们财务部门，他们会尽快付款", False),
 ('needs_person_case', "Is the transaction secure if I don't have an account? Just checking before I buy.", None),
 ('needs_person_case', "我先交了一笔押金，后来又交了一笔房租，麻烦给我开个收据", None),
 ('needs_person_case', "The delivery charge was added at checkout but we paid for it by voucher, it all went through fine, thanks.", None),
 ('needs_person_case', "这本《打官司那些事》还有货吗", None),
 ('needs_person_case', "My son had an allergic reaction to your cereal bar - the doctor says he's fine now but it isn't labelled as containing nuts.", 'safety'),
 ('strong_anger', "Is parking charged separately or is that included in the price?", False),
 ('strong_anger', "Do I need any training at all to use the rental kayak, or can beginners just go?", False),
 ('strong_anger', "Do you assign seats in advance or do you just pick a random one at check-in?", False),
 ('strong_anger', "How is it possible that the battery lasts three days? Genuinely curious how you did it.", False),
 ('strong_anger', "Anything else we should have brought? First time camping with you guys.", False),
 ('strong_anger', "Is there anything else I should have checked myself before the engineer comes tomorrow?", False),
 ('strong_anger', "好的，还有什么是我应该自己准备的吗？", False),
 ('strong_anger', "会员积分的意义在哪里？能换什么东西？", False),
 ('strong_anger', "这个“稍后提醒”按钮的意义在哪里呢？", False),
 ('strong_anger', "帮我查查我上个月花了300块买的是什么？记不清了", False),
 ('strong_anger', "这次体验太棒了，我会把整个经过写到小红书上推荐给大家！", False),
 ('strong_anger', "我会发到朋友圈推荐给朋友们，太好吃了", False),
 ('strong_anger', "忘记密码了，你说怎么办？", False),
 ('strong_anger', "护照快过期了，你说该怎么办？", False),
 ('strong_anger', "第三题我没看懂，期待您的解释！", False),
 ('strong_anger', "I've sent the homework over. Looking forward to your explanation!", False),
 ('strong_anger', "Thanks for the lesson. Looking forward to the explanation.", False),
 ('strong_anger', "Don't try to keep the old filter, just recycle it please.", False),
 ('strong_sarcasm', "We really got to know the city thanks to your walking tour, the guide was wonderful.", False),
 ('strong_sarcasm', "酒店整体不错，不过早餐让我印象更深刻，特别好吃", False),
 ('strong_sarcasm', "Ah ok, so the parcel is delayed because of the bank holiday. Good to know.", False),
 ('strong_sarcasm', "Ah ok, the courier is delayed by the storm. Noted.", False),
 ('strong_sarcasm', "My order arrived a day late but came with a handwritten note. How lovely!", False),
 ('strong_sarcasm', "The app crashed once but autosaved everything. Brilliant design feature.", False),
 ('strong_sarcasm', "Our flight was delayed so we landed at 2am, and the hotel still had a hot meal waiting. Really great touch.", False),
 ('strong_sarcasm', "又买了一台，这个设计真是绝了！", False),
 ('strong_sarcasm', "我又来续费啦，这个功能真是人性化", False),
 ('strong_sarcasm', "Love how the scooter locked itself when I parked outside the shop. Really great safety feature.", False),
 ('strong_sarcasm', "Perfect, I'll have the chocolate one with extra cream on top.", False),
 ('strong_sarcasm', "Lovely! Could you add a little bow on top?", False),
 ('strong_sarcasm', "Brilliant, I'll take the medium size and the matching scarf for good measure.", False),
 ('strong_sarcasm', "太好了，下单还送了一个小礼品！", False),
 ('strong_sarcasm', "太棒了，买咖啡机还送了两包咖啡豆", False),
 ('strong_sarcasm', "Although we booked last minute, you found us a table by the window, so thanks for that.", False),
 ('strong_sarcasm', "Even though I was ten minutes late, the driver waited for me. Thanks for that!", False),
 ('strong_sarcasm', "Thanks for the 'Getting Started' guide, I'm still reading it but it's great.", False),
 ('strong_sarcasm', "Thank you for the 'welcome pack' - still working through it, lovely touch.", False),
 ('strong_sarcasm', "感谢你们的“新手礼包”，我依旧每天都在用", False),
 ('strong_sarcasm', "They put a clamp on it even though my permit is valid, so thanks for that.", True),
 ('anger_cue', "We won't be using the car this weekend, can we pause the rental?", False),
 ('anger_cue', "I won't be back until Monday, please deliver then.", False),
 ('anger_cue', "I won't be returning the jacket after all, I love it! Can you cancel the return label?", False),
 ('anger_cue', "我们下个月搬去上海，以后不会再约了，谢谢这两年的照顾", False),
 ('anger_cue', "孩子大了，以后不用了，怎么取消订阅", False),
 ('anger_cue', "具体的我就不多说了，反正已经解决了，谢谢", False),
 ('anger_cue', "I trust you understand why I need the receipt quickly - it's for my visa appointment.", False),
 ('anger_cue', "This is my fourth call with you this year and every time you've been brilliant.", False),
 ('anger_cue', "This is the fifth time I'm writing about the same refund.", True),
 ('anger_cue', "The wait times are INSANE!!! Thank you so much for wasting my whole afternoon!!!", True),
 ('anger_cue', "Delivery took 6 weeks, which is INSANE!!! Thanks so much!!!", True),
 ('anger_cue', "My husband said 'this is the worst company ever' and honestly I agree. Where is my refund?!", True),
 ('anger_cue', "My review saying 'WORST SERVICE EVER, never again' still stands. Where is my refund?!", True),
 ('anger_cue', "That review saying 'it's the worst music app ever, RAGE' is about a different app I think", False),
 ('strong_anger', "That review saying 'absolute bullshit service, a disgrace' is about a different shop I think", False),
 ('strong_sarcasm', "网上有条评论说“呵呵，这家店真有你们的”，是在说你们吗？", False),
 ('strong_sarcasm', "My neighbour keeps saying 'yeah right, like they'll ever deliver' but mine came early, thanks!", False),
 ('not_a_request', "店员说可以退，麻烦帮我处理退款，谢谢", False),
 ('not_a_request', "经理说会给我补偿，麻烦帮我落实一下，谢谢", False),
 ('fraud_misread', "Thanks, I returned my card to the bank and they said the 300 pound payment wasn't made by me.", False),
 ('is_report', "说实话我倒不生气，我是彻底失望了，你们赶紧退钱", False),
])
def test_seventeenth_pass_review(reading, text, expected):
    import bot.handover.triage as triage
    assert getattr(triage, reading)(text) == expected


# issue 11, seventeenth pass on a second fresh writer's set (tests/dev18, read after it was scored untuned), in other words
@pytest.mark.parametrize("reading, text, expected", [
    ("asks_for_person", "Could I speak with whoever is site manager for the install on Monday?", True),
    ("asks_for_person", "I'd like somebody from your events team to contact me about a private booking.", True),
    ("asks_for_person", "Honestly I'd rather explain this to a real person than type it all out.", True),
    ("asks_for_person", "Can I talk to one of the dental nurses please?", True),
    ("asks_for_person", "Hi, is Tom from the Leeds branch available? I'd like to go through the quote with him again.", True),
    ("asks_for_person", "想找营养师聊一下减脂餐的搭配，能安排吗？", True),
    ("asks_for_person", "能不能安排一位工程师远程协助一下？", True),
    ("asks_for_person", "麻烦让主治医生给我回个电话", True), ("asks_for_person", "麻烦帮我找一下张老师", True),
    ("asks_for_person", "陈教练还在吗？想继续约他上私教课", False), ("asks_for_person", "我想跟人工确认一下地址", True),
    ("asks_for_person", "Who is crew lead tomorrow?", False), ("asks_for_person", "Is Priya's class on Monday still running?", False),
    ("asks_for_person", "我儿子想跟教练学游泳，周末有课吗？", False), ("asks_for_person", "王医生今天出诊吗？", False),
    ("asks_for_person", "I'd rather explain it here than call, is that ok?", False),
    ("not_a_request", "Can I transfer my membership to my brother?", True),
    ("needs_person_case", "Our claim was rejected even though the policy covers flooding, and we want to appeal the decision.", "double_charge"),
    ("needs_person_case", "I was charged for a filling that was never done.", "double_charge"),
    ("needs_person_case", "My daughter spent £60 on the app using my card without asking.", "fraud"),
    ("needs_person_case", "We are formally notifying you that we will be seeking the cleaning costs.", "legal"),
    ("needs_person_case", "这笔清洁费我不认可，合同里没有写", "double_charge"),
    ("needs_person_case", "How do I appeal if my claim is declined? Is there a form?", None),
    ("needs_person_case", "My son bought a gift card with his own pocket money, can he use it online?", None),
    ("strong_anger", "I want my deposit refunded. Not a voucher.", True), ("strong_anger", "不要代金券，我就要退款", True),
    ("strong_anger", "同一个问题说了多少遍了？", True), ("strong_anger", "你们发一句“不好意思”就完了？", True),
    ("strong_anger", "鞋子穿一天就坏了，再也不买了", True),
    ("strong_anger", "我们搬家了，谢谢你们，以后再也不用订了", False), ("strong_anger", "Can I get a refund, not a voucher, if I cancel early?", False),
    ("strong_sarcasm", "Impressive how quick you are to bill me and how slow you are to fix anything.", True),
    ("strong_sarcasm", "Ah yes, the 'express' delivery. Three weeks.", True),
    ("strong_sarcasm", "Oh cool, the update deleted all my saves. Great patch, guys.", True),
    ("strong_sarcasm", "The 'gourmet' box arrived smelling like a bin. Delicious.", True),
    ("strong_sarcasm", "谢谢你们啊，让我白跑了一趟", True),
    ("strong_sarcasm", "Oh cool, the update added dark mode. Great patch, guys.", False),
    ("strong_sarcasm", "Impressive how fast the delivery was and how easy the setup!", False),
    ("strong_sarcasm", "谢谢你们，让我及时赶上了飞机", False),
])
def test_seventeenth_pass_dev18_kinds(reading, text, expected):
    import bot.handover.triage as triage
    assert getattr(triage, reading)(text) == expected


# the seventeenth pass's second review (a fresh reviewer's probes of the dev18 rules)
@pytest.mark.parametrize("reading, text, expected", [
    ('strong_anger', '扫个码就完了吗？不用去柜台？太方便了', False),
    ('strong_anger', '注册个账号就完了吗？还需要实名吗？', False),
    ('strong_anger', '点一个“同意”就完了吗？不需要签字？', False),
    ('strong_anger', "Can I get a refund, not a credit? I'm moving abroad so credit is no use to me. Thanks!", False),
    ('strong_anger', "Refund, not a voucher please, since I won't be travelling again this year. Thanks so much for being flexible!", False),
    ('strong_anger', "I want the full cost refunded, not a voucher — that's what your policy says, right?", False),
    ('strong_anger', '不要优惠券，我只要退款就行，麻烦了，谢谢！', False),
    ('strong_anger', '我不要补偿，我只想要退款，因为我要出国了，谢谢理解', False),
    ('strong_anger', '朋友问了多少遍了，你们的蛋糕在哪买，能发个地址吗', False),
    ('strong_anger', '这个绕口令要我说几遍？孩子在用你们的点读笔玩得很开心', False),
    ('strong_anger', '这个音箱要我说几遍才会响应？', False),
    ('strong_anger', '以前用的那个牌子漏水，再也不买了，换了你们家的，很满意！', False),
    ('strong_sarcasm', 'Amazing how quick the delivery was and how long the battery lasts — really happy with it.', False),
    ('strong_sarcasm', 'Love how quickly the app loads and how fast the checkout is now. Great update.', False),
    ('strong_sarcasm', "Oh yes, the 'Family Saver' plan — can you tell me if it covers two adults?", False),
    ('strong_sarcasm', 'Oh yes, the "Sunday roast" box was the one my mum loved! Can I order it again?', False),
    ('strong_sarcasm', "The 'rustic' loaf smelled like a real French bakery. Wonderful.", False),
    ('strong_sarcasm', 'The "vintage" dress looked like something from a film set. Gorgeous, thanks!', False),
    ('strong_sarcasm', '感谢你们，让我排了十分钟就拿到了，比去年快多了', False),
    ('strong_sarcasm', '谢谢了，让我白跑一趟也不要紧，下次再来，店员态度很好', False),
    ('strong_sarcasm', 'I deleted the old drafts myself to tidy up. Great update, guys!', False),
    ('strong_sarcasm', "Cool, the update wiped my saved filters but I'd exported them already. Great update, guys!", False),
    ('needs_person_case', 'If my claim is declined, can I appeal the decision? How does that work?', None),
    ('needs_person_case', 'My planning application was refused by the council and I want to appeal it, so can I pause my builder booking for 3 months?', None),
    ('needs_person_case', "I'd like to appeal the decision of the judges in your photo contest, is there a form?", None),
    ('needs_person_case', 'Will I be charged for a delivery that was never needed if I cancel now?', None),
    ('needs_person_case', "I was charged for a service that wasn't needed in the end, but the clinic already refunded it. Thanks!", None),
    ('needs_person_case', '这个钱我不接受现金，可以转账吗', None),
    ('needs_person_case', '之前对这笔扣款我不认可，后来客服解释清楚了，没问题了，谢谢', None),
    ('needs_person_case', "I'd like to formally notify you that I'm moving house next month, my new address is 12 Elm Road.", None),
    ('needs_person_case', 'We will be seeking compensation from the airline, can you send me the booking confirmation?', None),
    ('needs_person_case', 'My daughter paid for the tickets with my card, I said she could. Can the booking be put in her name?', None),
    ('needs_person_case', 'My son bought me a gift card with my card as a surprise, how do I redeem it?', None),
    ('needs_person_case', '我女儿用我的手机充了话费，怎么开发票？', None),
    ('asks_for_person', 'Is Netflix on the basic plan available in 4K?', False),
    ('asks_for_person', 'Is Anna from the Leeds branch available to book for a haircut next Friday?', False),
    ('asks_for_person', 'We got to chat with one of the pilots during the tour, amazing experience. Do you do gift vouchers?', False),
    ('asks_for_person', 'Could I chat with one of the trainers at my induction on Monday?', False),
    ('asks_for_person', "Can I speak to whoever's lead on the tour group tomorrow at the meeting point? I'll bring the tickets.", False),
    ('asks_for_person', 'How do I talk to whoever is the owner of a listing on your site?', False),
    ('asks_for_person', 'Do I need someone from the IT department to contact you, or can I reset it myself?', False),
    ('asks_for_person', "Maria was lovely, I'd love to talk to her again when I'm back in June.", False),
    ('asks_for_person', "I had a great session with Dr Lee and I'd like to go through it with her again next month.", False),
    ('asks_for_person', '我想跟摄影师说一声谢谢，照片拍得太好了！', False),
    ('asks_for_person', '希望和营养师聊聊减脂餐，你们有这个服务吗？', False),
    ('asks_for_person', '上次你们安排一个工程师远程协助，很快就搞定了，非常满意', False),
    ('asks_for_person', '你们会安排工程师上门检查吗？大概多少钱', False),
    ('asks_for_person', '麻烦帮我找一下王老师上次推荐的那本书的链接', False),
    ('asks_for_person', '请帮我找张医生的出诊时间表', False),
    ('asks_for_person', '如果检查结果有问题，请医生直接联系我就好，没问题就不用了', False),
    ('names_staff', '怎么打开专家模式？', False),
    ('strong_anger', 'I want a refund. Not store credit. Not another apology.', True),
    ('strong_sarcasm', 'Wow, so impressive how quickly you take my money and how slowly you fix anything.', True),
    ('strong_sarcasm', '多谢你们，害我在雨里等了一个多小时', True),
    ('needs_person_case', 'I am putting you on notice that I will seek my costs.', 'legal'),
    ('needs_person_case', 'My 9-year-old bought 3,000 coins on my iPad without asking.', 'fraud'),
])
def test_seventeenth_pass_second_review(reading, text, expected):
    import bot.handover.triage as triage
    assert getattr(triage, reading)(text) == expected


# issue 11, eighteenth pass: the phrasings read after a fresh writer's tests/dev19 was scored untuned (written anew here, not
# copied), each beside look-alikes that must stay as they are.
@pytest.mark.parametrize("reading, text, expected", [
    # a professional, a team or a supervisor asked to call or look; the person dealt with asked for again
    ('asks_for_person', 'Could the dentist on duty ring me about the crown that fell out?', True),
    ('asks_for_person', 'Can the head chef contact me about the allergy menu for the wedding?', True),
    ('asks_for_person', 'Could your tech support call me about the modem? 07700 900123', True),
    ('asks_for_person', 'Can a manager look at my invoice please? Booking BK-2231.', True),
    ('asks_for_person', 'I spoke to Helen at the branch on Tuesday about the loan. Can I get back to her?', True),
    ('asks_for_person', "Is Tom around? He fitted my kitchen and I'd like to talk to him about the worktop.", True),
    ('asks_for_person', '我找刘老师，孩子一直是她带的', True),
    ('asks_for_person', '麻烦帮我找一下前台的小李，我的伞落在大堂了', True),
    ('asks_for_person', '能否安排专人跟进一下我的报销单？', True),
    ('asks_for_person', '可以帮我转接专业的理财顾问吗？', True),
    ('asks_for_person', 'Could the driver call me when he is on his way?', False),
    ('asks_for_person', 'Can the technician ring me before arriving on Friday?', False),
    ('asks_for_person', 'Can a manager approve discounts in store, or only online?', False),
    ('asks_for_person', 'Is Tom around on Saturdays for haircuts?', False),
    ('asks_for_person', '我找李老师的课表，在哪里能看到？', False),
    ('asks_for_person', '请帮我找一下前台的电话，我想预约', False),
    ('asks_for_person', '你们有专人负责售后吗？', False),
    ('asks_for_person', '上次已经转接过财务的同事了，问题解决了，谢谢', False),
    # cases: a charge while far away, a renewal never switched on, two deductions, a fee disputed with proof, an adjustment
    # agreed and not made, a bill above what was agreed; goods warped or snapped after the usual steps
    ('needs_person_case', "There's a payment on my card from your hotel for Friday night, and I wasn't anywhere near the hotel that week.", 'fraud'),
    ('needs_person_case', '这个月被扣了两次会员费，可我从来没开过自动续费', 'fraud'),
    ('needs_person_case', 'I can see two deductions for the same lesson on my statement.', 'double_charge'),
    ('needs_person_case', 'You charged me a £60 damage fee for the bike but I have dated photos showing it was fine.', 'double_charge'),
    ('needs_person_case', 'Your agent agreed to refund the delivery charge last week, but it still hasn’t come through.', 'double_charge'),
    ('needs_person_case', '客服答应给我退差价，到现在还没有退', 'double_charge'),
    ('needs_person_case', '说好的每月59元，结果这个月扣了89元', 'double_charge'),
    ('needs_person_case', 'The shelf arrived warped. I already sent photos through the returns form and heard nothing.', 'after_steps'),
    ('needs_person_case', 'The vase came with a chipped rim. I filled in the damage form as you asked and no reply since.', 'after_steps'),
    ('needs_person_case', "I wasn't anywhere near the shop, could you tell me the opening hours?", None),
    ('needs_person_case', 'Do I have photos to send for a damage claim, or is a description enough?', None),
    ('needs_person_case', '说好的每月59元，结果这个月扣了多少？', None),
    ('needs_person_case', 'The shelf arrived warped, what do I do?', None),
    # anger in the wording
    ('anger_cue', 'Is there any point writing to you at all?', True),
    ('anger_cue', 'Do you actually read my messages?', True),
    ('anger_cue', 'Google reviews will be hearing about this, believe me.', True),
    ('anger_cue', "Ten out of ten for the paint job, if the look you were going for was 'toddler with a roller'.", True),
    ('anger_cue', 'Thanks a lot for charging me twice and then ignoring my emails.', True),
    ('anger_cue', '你们这生意做得可真聪明', True),
    ('anger_cue', '老人的钱就这么好骗？', True),
    ('anger_cue', 'Is there any point in booking early for the summer?', False),
    ('anger_cue', 'Do you actually deliver to Jersey?', False),
    ('anger_cue', 'Thanks for cancelling my order so quickly, that was exactly what I needed.', False),
    ('anger_cue', 'Is anyone trained in balayage at the Leeds salon?', False),
    ('anger_cue', 'Does anyone there speak Polish? My mum would like to ask about her order.', False),
    ('fraud_misread', '刚开始有点慌，付款页面打不开，后来换了浏览器就支付成功了', True),
    ('fraud_misread', '后来发现被盗刷了三笔', False),
    ('anger_cue', '最后还是没成功，你们到底行不行', True),
    ('is_report', 'You billed us for ten guests but only seven of us turned up, and the manager agreed to fix the bill. Nothing has changed yet.', False),
    ('needs_person_case', "You billed us for ten guests but only 7 turned up. Your colleague agreed to adjust it but it still hasn't happened.", 'double_charge'),
    ('is_report', 'The parcel turned up in the end, all fine.', True),
    ('needs_person_case', '我是律师，受客户委托就订单 QX-100233 与贵司联系', 'legal'),
    ('needs_person_case', "I'm a solicitor writing on behalf of my client about order QX-100233.", 'legal'),
    ('anger_cue', 'Is anyone at your shop capable of reading an address? Anyone at all?', True),
    # law not wanted, or the customer's trade, is no legal case (reviewer 1 of the seventeenth pass)
    ('needs_person_case', '这点小事没必要走法律程序，退我运费就行', None),
    ('needs_person_case', '我是律师，想问一下你们的退货政策写在哪里', None),
    ('needs_person_case', "I'm a solicitor and I'd like to know your opening hours on Saturday.", None),
    ('needs_person_case', "No need to involve lawyers, I just want to know when my refund lands.", None),
    ('needs_person_case', '我不想打官司，但如果再不退款我就去12315投诉', 'legal'),
    ('needs_person_case', "I'm a lawyer and I'll be taking you to court over this.", 'legal'),
    ('anger_cue', '会员办了就找不到人了，客服电话根本打不通', True),
    ('anger_cue', 'Does anybody at the depot actually check the parcels?', True),
    ('needs_person_case', '第一次提示失败我又付了一次，结果两次都成功了，扣了我两次钱', 'double_charge'),
    ('is_report', '第一次提示失败我又付了一次，结果两次都成功了', False),
    # a phone's curly apostrophe reads as the straight one
    ('asks_for_person', 'I’d prefer to explain this to a person than type it all out.', True),
    ('needs_person_case', 'I didn’t make this purchase, someone has used my card.', 'fraud'),
    ('anger_cue', 'I’m not upset, just wondering when it ships.', False),
])
def test_eighteenth_pass_dev19(reading, text, expected):
    import bot.handover.triage as triage
    assert getattr(triage, reading)(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("OMG WE GOT THE TICKETS!!! What time do the doors open?", True),
    ("YESSS the cake is PERFECT!!!! Can I order another for Sunday?", True),
    ("OMG this is SO late!!! Where is it?", False),
    ("OMG what is going on with your app??? I can't log in AT ALL", False),
    ("PERFECT!!! Another delay. When will it arrive?", False),
])
def test_eighteenth_pass_excitement_said_loud(text, expected):
    from bot.nlu.emotion_lexicon import excitement_as_style
    assert excitement_as_style(text) == expected


def test_straight_apostrophes_keeps_quotation_marks():
    from bot.handover.triage.common import straight_apostrophes
    assert straight_apostrophes("it hasn’t come, the ‘fresh’ bread") == "it hasn't come, the ‘fresh’ bread"


# issue 11, eighteenth pass: a fresh reviewer's probes of the dev19 rules (the rules were too wide and missed plain variants).
@pytest.mark.parametrize("reading, text, expected", [
    ('asks_for_person', 'Will the doctor call me with the blood test results or do I need to phone in?', False),
    ('asks_for_person', 'Will the engineer text me on the morning of the visit?', False),
    ('asks_for_person', 'Will your support team email me a copy of the receipt automatically?', False),
    ('asks_for_person', 'Will the nurse ring me to confirm the appointment time?', False),
    ('asks_for_person', 'Can the dentist email me my x-rays for my new practice abroad?', False),
    ('asks_for_person', 'Would the manager check the fridge temperatures every day? asking for my food hygiene course', False),
    ('asks_for_person', 'Can a manager deal with a group booking of 30 or do I book online?', False),
    ('asks_for_person', 'Would the duty manager handle lost property or is that reception?', False),
    ('asks_for_person', 'I was dealing with Marcus yesterday about my claim. Can I speak to him again please?', True),
    ('asks_for_person', 'I spoke to Priya on Monday about the quote, could I speak to her tomorrow?', True),
    ('asks_for_person', 'Alan sorted my boiler last year. Is it possible to speak to him again?', True),
    ('asks_for_person', 'I was chatting with someone on here yesterday about my refund. Can I get back to them?', True),
    ('asks_for_person', 'Could someone senior look at my car rental invoice please?', True),
    ('asks_for_person', "My daughter's maths grade dropped this term, I'd like to talk to her about it at home first, can you send me the report?", False),
    ("asks_for_person", "I'd like to talk to him about it when he's back from leave, no rush.", False),
    ('asks_for_person', '我想找私人教练，一节课多少钱？', False),
    ('asks_for_person', '我想找装修师傅，你们提供上门服务吗？', False),
    ('asks_for_person', '我想找个好老师，你们有推荐吗？', False),
    ('asks_for_person', '我想找外教老师，你们有外教课吗', False),
    ('asks_for_person', '我想找女医生，有吗', False),
    ('asks_for_person', '在哪里找财务的发票？', False),
    ('asks_for_person', '请问是否有专人负责安装？', False),
    ('asks_for_person', '请问你们的VIP客户是否有专人对接？', False),
    ('asks_for_person', '转接顾问需要收费吗？', False),
    ('asks_for_person', '上次转接的顾问很专业，谢谢', False),
    ('asks_for_person', '我想找王小明老师，问一下孩子的情况', True),
    ('asks_for_person', '找一下王老师，我想问孩子作业的事', True),
    ('asks_for_person', '我要找王经理，上次他说帮我处理', True),
    ('asks_for_person', '能转一下税务顾问吗', True),
    ('needs_person_case', "The payment was for my son's taxi home, I wasn't in the car myself. Can the receipt be emailed to him?", None),
    ('needs_person_case', 'The hotel charges a cleaning fee per night, does that apply if I wasn\'t in the hotel that night?', None),
    ('needs_person_case', '我想开通自动续费，之前扣款都是手动的，我从来没开过自动续费，怎么开？', None),
    ('needs_person_case', "There's a charge from the restaurant on my card and I wasn't anywhere near it that day", 'fraud'),
    ('needs_person_case', "There's a £40 ride charge on my card from Saturday and I wasn't even in the country.", 'fraud'),
    ('needs_person_case', "There's a payment to you on my card from last night and I've never given anyone my card details.", 'fraud'),
    ('needs_person_case', '我根本没开自动续费，你们怎么连着扣了我三个月？', 'fraud'),
    ('needs_person_case', '我没开自动续费，怎么被扣了68', 'fraud'),
    ('needs_person_case', 'Can I split the deposit into two separate debits from different accounts?', None),
    ('needs_person_case', 'Does the gym take three deductions a year for the annual plan or one?', None),
    ('needs_person_case', 'The clinic charged me the consultation fee today and I have the receipts, can I claim it on my health insurance?', None),
    ('needs_person_case', 'You added the delivery fee to my order, no problem, I have the receipt for my expenses claim. Can you send a VAT invoice?', None),
    ('needs_person_case', "Your colleague offered to waive the late fee, which was really kind. Unrelated: the app still hasn't updated my address.", None),
    ('needs_person_case', "The hotel agreed to refund my deposit, it still hasn't shown but I know it takes 5-7 working days, so no rush.", None),
    ('needs_person_case', '之前答应给我补的积分已经到账了，一直没顾上说声谢谢', None),
    ('needs_person_case', '说好的3点送到，结果收到货已经6点了，不过东西挺好的', None),
    ('needs_person_case', '宣传的活动价是199，实际收了199，没问题，就是想问发票怎么开', None),
    ('needs_person_case', "You charged me a £150 cleaning fee and I've got photos showing the flat was spotless.", 'double_charge'),
    ('needs_person_case', 'You charged a £150 cleaning fee, but I took timestamped photos when I left.', 'double_charge'),
    ('needs_person_case', '押金扣了300清洁费，我走的时候拍了照片，房间很干净', 'double_charge'),
    ('needs_person_case', "The manager said they'd refund the cleaning fee two weeks ago and nothing has come through.", 'double_charge'),
    ('needs_person_case', 'Your staff agreed to take the late fee off. Still waiting.', 'double_charge'),
    ('needs_person_case', '客服答应退差价，都半个月了也没退', 'double_charge'),
    ('needs_person_case', '说好首年每月99，现在怎么扣了159', 'double_charge'),
    ('needs_person_case', '合同写的每月200，怎么这个月扣了260？', 'double_charge'),
    ('needs_person_case', '请问办理过户需要当事人本人到场吗？', None),
    ('needs_person_case', '受朋友委托帮他问一下少儿游泳课的价格', None),
    ('needs_person_case', '我受公司委托采购一批办公椅，能开专票吗？', None),
    ('needs_person_case', "I'm writing on behalf of my client to book a double room for three nights in May.", None),
    ('needs_person_case', "My client's instructions are to deliver the sofa to the back door, is that OK?", None),
    ('needs_person_case', "I don't want to take this to court, but I will if I have to.", 'legal'),
    ('needs_person_case', "There's no need for legal action as long as the deposit is back in my account by Friday.", 'legal'),
    ('needs_person_case', '我不会起诉的，前提是今天之内把钱退给我', 'legal'),
    ('needs_person_case', '我不想找律师，但你们要是再拖下去我也只能找了', 'legal'),
    ('needs_person_case', "No, I'm not suing anyone lol, I just want to know how to cancel my membership.", None),
    ('needs_person_case', '我是做律师的，想问下你们的会议室能按小时租吗', None),
    ('needs_person_case', 'My husband is a lawyer and he says the contract is fine, so where do I sign?', None),
    ('needs_person_case', '我老公是律师，他说合同没问题，在哪里签字？', None),
    ('needs_person_case', 'Are they crushed or whole? The almonds in your granola, I mean. I already checked the website.', None),
    ('needs_person_case', 'Do you have the jeans with a split hem in a size 12? I already checked the app and the website.', None),
    ('needs_person_case', "My old mug was chipped so I ordered a new one from you, it's lovely, already tried the dishwasher too.", None),
    ('needs_person_case', "It's warped. I've already sent photos and requested a replacement twice.", 'after_steps'),
    ('needs_person_case', "The frame arrived really badly warped, I've already sent photos and heard nothing.", 'after_steps'),
    ('needs_person_case', 'The chair came with a leg snapped. I already returned one and the second is the same.', 'after_steps'),
    ('anger_cue', "Is there any point talking to your mortgage advisers before I've saved a deposit?", False),
    ('anger_cue', 'Is there any point speaking to your careers team if my son is only in Year 10?', False),
    ('anger_cue', 'Do you ever look at these old coins? My grandad left me a tin of them.', False),
    ('anger_cue', 'Do you actually look at anything older than 2010? I have a 2008 Fiesta that needs an MOT.', False),
    ('anger_cue', 'My friends on Facebook will be hearing about this — best wedding cake ever!', False),
    ('anger_cue', 'Everyone I know is going to hear about this place, amazing service, thank you!', False),
    ('anger_cue', 'Google reviews will be hearing about this, the staff were incredible', False),
    ('anger_cue', 'Thanks so much for wasting no time in sorting my refund, really appreciate it!', False),
    ('anger_cue', 'Thanks for charging my car overnight and then leaving the keys at reception, super helpful.', False),
    ('anger_cue', '你们这生意模式挺聪明的，想了解一下加盟条件', False),
    ('anger_cue', '孩子在你们这学了半年珠心算，现在算盘打得真精，谢谢老师', False),
    ('anger_cue', '做主播的钱那么好赚吗？想报个直播培训班', False),
    ('anger_cue', '听说有些机构交了钱就找不到人了，你们售后怎么样？', False),
    ('anger_cue', 'Thanks a lot for keeping me on hold for an hour.', True),
    ('anger_cue', 'Thanks so much for double charging me and then ignoring my emails.', True),
    ('anger_cue', 'is there even any point messaging you', True),
    ('anger_cue', 'Is there much point in me emailing you again?', True),
    ('anger_cue', 'Do you actually read the messages people send?', True),
    ("anger_cue", "I'll be putting this on Trustpilot.", True),
    ('anger_cue', 'Everyone I know will hear how you treated my mum.', True),
    ('anger_cue', '交了学费就找不到人了', True),
    ('anger_cue', 'Is anybody working on Boxing Day? Need a prescription.', False),
    ('anger_cue', 'Is anyone able to help me with my visa application form?', False),
    ('anger_cue', 'Is anyone in charge of lost property at the leisure centre?', False),
    ('anger_cue', 'Is anyone responsible for parking permits at your block?', False),
    ('anger_cue', 'Is anyone going to be at the shop on Sunday so I can collect?', False),
    ('anger_cue', 'Does anyone at the branch know sign language? My dad is deaf.', False),
    ('anger_cue', 'Does anyone work on Saturdays at the Hove office?', False),
    ('anger_cue', 'Does anyone monitor this inbox at weekends?', False),
    ('anger_cue', 'Is anyone at the clinic actually trained in acupuncture?', False),
    ('anger_cue', 'Does anybody there give a damn?', True),
    ('anger_cue', 'Is nobody going to reply to me?', True),
    ('anger_cue', 'Is anyone actually running this shop or is it all bots?', True),
    ('anger_cue', '电费怎么这么高？你们抄表是靠猜的吗？', True),
    ('anger_cue', 'OMG WHERE IS MY PARCEL??? I ORDERED IT ON MONDAY', True),
    ('anger_cue', 'OMG WHY IS MY BILL SO HIGH THIS MONTH???', True),
    ('is_report', '我付款的时候卡住了，结果扣款成功了两次', False),
    ('is_report', '我上个月退订了会员，结果这个月又续费成功了', False),
    ('is_report', '有人登录了我的账号，后来我改密码成功了，但余额少了500', False),
    ('is_report', '我一直没收到验证码，结果有人用我的账号下单成功了', False),
    ('is_report', '我绑定了银行卡，结果别的手机登录成功了，不是我本人', False),
    ('fraud_misread', '我付款的时候卡住了，结果扣款成功了两次', False),
    ('is_report', 'Ordered 3 rugs and all 3 turned up today, thanks!', True),
])
def test_eighteenth_pass_review(reading, text, expected):
    import bot.handover.triage as triage
    assert getattr(triage, reading)(text) == expected


# issue 11, nineteenth pass: the requests for a person read after a fresh writer's tests/dev20 was scored untuned (written
# anew here, not copied), each beside calm look-alikes near the new rules (questions about the service, negations, third
# parties, the past) that must stay as they are.
@pytest.mark.parametrize("reading, text, expected", [
    ('asks_for_person', 'Would it be possible for someone from the fitting team to come out and look at the door?', True),
    ('asks_for_person', "Would a member of staff be able to help me fill in the claim form? My eyesight isn't great.", True),
    ('asks_for_person', 'Is there a bike mechanic in the store today I could talk to about my gears?', True),
    ('asks_for_person', 'Is there anyone in the lettings team I could speak with about my deposit?', True),
    ('asks_for_person', "I'd find it easier to go over the paperwork with someone, if possible.", True),
    ('asks_for_person', "i'd like to speak to the hall warden himself if that's possible about the noise", True),
    ('asks_for_person', 'hello can i speak to um sam she is my tutor about the exam', True),
    ('asks_for_person', 'Is Mr Okafor available? I need to discuss the quote.', True),
    ('asks_for_person', "Is Jonah in today? He fitted my glasses and I'd like him to check the fit.", True),
    ('asks_for_person', '请帮我接一下值班经理，想问一下昨晚的事', True),
    ('asks_for_person', '能帮我联系一下教务处吗？成绩单打错了', True),
    ('asks_for_person', '这单比较复杂，想找个摄影师对接一下', True),
    ('asks_for_person', '能不能找你们的营养师聊一下？', True),
    ('asks_for_person', '想找一下你们的售后部 谈一下退货', True),
    ('asks_for_person', '麻烦让你们的业务员回我个电话', True),
    ('asks_for_person', '方便的话请教练跟我电话聊一下', True),
    ('asks_for_person', '我想跟宿管当面说一下，怎么约？', True),
    ('asks_for_person', '陈师傅在吗？想跟他确认一下上门时间', True),
    ('asks_for_person', '请问刘阿姨在吗 我东西落她那了', True),
    ('asks_for_person', '小周还在你们店做吗？之前都是她帮我配的，想再找她', True),
    ('asks_for_person', '王老师今天在店里吗？上次她说帮我问货，想问问有消息没', True),
    ('asks_for_person', '想跟你们的 manager 直接沟通一下', True),
    ('asks_for_person', '能装人工吗', True),
    ('asks_for_person', 'Would it be possible for someone to deliver on Saturday instead?', False),
    ('asks_for_person', 'Would a member of staff be able to help carry it to my car?', False),
    ('asks_for_person', "I'd like to go through the options with my wife first.", False),
    ('asks_for_person', "It's easier to go over it with someone at home, so I'll come back later.", False),
    ('asks_for_person', "I don't need to talk to the piano tuner, just tell me the price.", False),
    ('asks_for_person', 'Is Mrs Patel around on Saturdays? I want to book a lesson.', False),
    ('asks_for_person', 'Is Klarna available? I want to pay in three.', False),
    ('asks_for_person', 'Is it in today? I ordered it last week.', False),
    ('asks_for_person', 'Does the warden live on site?', False),
    ('asks_for_person', 'Can I speak to my bank first? He said he is my adviser.', False),
    ('asks_for_person', '请帮我找一下王医生的出诊时间', False),
    ('asks_for_person', '怎么联系财务处？', False),
    ('asks_for_person', '想找个设计师，你们提供设计服务吗？多少钱', False),
    ('asks_for_person', '你们有验光师吗？', False),
    ('asks_for_person', '不用联系财务处，我自己去就行', False),
    ('asks_for_person', '上次已经帮我联系过财务处了，谢谢', False),
    ('asks_for_person', '王老师周六在琴行吗？想问问能不能约课', False),
    ('asks_for_person', '小林还在你们家做吗？好久没见她了', False),
    ('asks_for_person', '我妈刚才打电话给我，说报警器一直响，电池什么型号？', False),
    ('asks_for_person', '我老公昨天给我打电话说快递到了，谢谢', False),
    ('asks_for_person', '你们的业务员上门收费吗？', False),
    ('asks_for_person', '我想跟设计师当面聊的话，需要另外收费吗？', False),
    ('asks_for_person', '我是店长，想问一下批发价', False),
    ('asks_for_person', '这个装修要装人工费吗', False),
    ('asks_for_person', '让你们的人打电话给我', True),
])
def test_nineteenth_pass_dev20_requests(reading, text, expected):
    import bot.handover.triage as triage
    assert getattr(triage, reading)(text) == expected


# issue 11, nineteenth pass (tests/dev20): anger in the wording, each beside calm look-alikes of the same words.
@pytest.mark.parametrize("reading, text, expected", [
    ('strong_anger', 'Expect a very frank review after this.', True),
    ('strong_anger', '我会在点评上写清楚的！', True),
    ('strong_anger', '学费交得可真值啊', True),
    ('strong_anger', '你们是用脚装的吗', True),
    ('strong_anger', 'How does a courier manage to lose a sofa?', True),
    ('strong_anger', 'Where is my £120? It has been six weeks.', True),
    ('anger_cue', 'Is there any point booking with you people if nobody shows?', True),
    ('anger_cue', '尺码发错了。给我换，今天就办。', True),
    ('anger_cue', 'Expect a very honest review, the team were amazing!', False),
    ('anger_cue', 'I left an honest review, five stars', False),
    ('anger_cue', '我会在点评上写清楚，给你们好评', False),
    ('anger_cue', '这钱花得真值，孩子进步很大', False),
    ('anger_cue', '你们是用手工做的吗？', False),
    ('anger_cue', 'How does a pharmacist manage to fill so many prescriptions?', False),
    ('anger_cue', 'Where is my £120 refund tracking page?', False),
    ('anger_cue', 'Thank you people so much!', False),
    ('anger_cue', '给我换一下，今天能办吗？', False),
])
def test_nineteenth_pass_dev20_anger(reading, text, expected):
    import bot.handover.triage as triage
    assert getattr(triage, reading)(text) == expected


# issue 11, nineteenth pass (tests/dev20): cases read in new words, beside look-alikes that name none.
@pytest.mark.parametrize("text, expected", [
    ("I got a letter from a debt collection agency about a contract I cancelled last year.", 'legal'),
    ("Our lawyer has told us to withhold the last instalment until the repairs are done.", 'legal'),
    ("这笔增项费用我们有异议，需要核实。", 'double_charge'),
    ("如果对账单有异议怎么办？", None),
    ("费用有异议的话找谁？", None),
    ("Do you use a debt collection agency for late payers?", None),
    ("我们对服务没有异议，谢谢", None),
])
def test_nineteenth_pass_dev20_cases(text, expected):
    from bot.handover.triage import needs_person_case
    assert needs_person_case(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("不用打电话给我，13800138000", False),  # a call declined, a number given for texts
    ("别给我打电话，发短信就行 13800138000", False),
    ("不用回电话给我了，谢谢", False),
    ("不要打给我", False),
    ("不用打电话给我，我要转人工", True),  # the rest of the message still asks
    ("请打电话给我 13800138000", True),
    ("打电话给我", True),
])
def test_twenty_first_pass_a_declined_call_is_no_request(text, expected):
    assert asks_for_person(text) is expected
