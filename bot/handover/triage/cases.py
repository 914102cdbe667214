"""Cases a bot must not handle alone, whatever the intent read and however calm the customer
(``needs_person_case``; the needs-a-person definition of issue 11): fraud, a billing dispute or double
charge, a legal threat, a formal complaint, a missing refund, a bereavement, a privacy breach, a safety
hazard (urgent: ``URGENT_CASES``), damaged or missing goods after the usual steps — and what only looks
like one (a phishing message asked about, a hazard asked about before anything happened, a refund not
due yet). ``_CASES`` is one table of kind → phrasings, merged from each pass's table."""
from __future__ import annotations

import re
from functools import lru_cache

from bot.handover.hazards import only_asked, reported_hazards
from bot.text import compile_guarded
from bot.handover.triage.common import HYPOTHETICAL, NOT_COMPLAINING, merged, one_of, unnegated
from bot.handover.triage.goods import STEPS_TRIED, goods_problem


# Cases the lists above miss: a charge for what was not chosen, a wrong amount, a refund short of the
# price; an order or payment that "isn't mine", a bank that flagged payments, 不知情, a child's purchase;
# consumer-protection law, 正式提出; caught between the courier and the shop (each says the other).
_CASES_8 = {
    "fraud": compile_guarded(
        r"\b(order|orders|payment|payments|charge|charges|purchase|purchases|transaction|transactions)\b[^?!]{0,60}"
        r"\b(isn'?t|isnt|is not|aren'?t|arent|are not|wasn'?t|not) mine\b|\b(haven'?t|have not|didn'?t|did not|never) "
        r"(bought|ordered|purchased|buy|order|purchase) anything\b|\bbank (flagged|blocked|stopped|froze|reported)\b"
        r"[^.?!]{0,40}\b(payment|payments|charge|charges|transaction|transactions)\b|"
        r"(我|本人)(完全|根本|并)?不知情|未经(我|本人)(的)?(同意|允许|授权)|\bbehind my back\b|"
        r"\b(son|daughter|kid|child|grandson|granddaughter)\b[^.?!]{0,40}\bused my (card|account|phone|password|login)\b|"
        r"(孩子|小孩|儿子|女儿)[^。！？]{0,10}((偷偷|瞒着我|背着我)[^。！？]{0,15}(买|充|消费|下单|付)|(用|拿)我的(手机|账号|账户|卡|支付宝|微信)[^。！？]{0,15}(买|充值|消费|下单|付)"
        r"(?=[^。！？]{0,30}(不知道|不知情|没同意|没告诉|偷偷)))",
        re.IGNORECASE),
    "double_charge": compile_guarded(
        r"\bcharged\b[^.?!]{0,40}\bbut (i|we) (selected|chose|picked|ordered|paid for|only|asked for|signed up for)\b|"
        r"\bcancel+ed\b[^.?!]{0,40}\b(still|but|yet)\b[^.?!]{0,25}\b(took|take|taken|taking|charging|billing)\b|"
        r"\b(amount|charge|total|refund|price|fee|bill)\b[^.?!]{0,15}\b(is|was|seems|looks) (wrong|incorrect|not right)\b|"
        r"\bwrong (amount|charge|price|fee|total)\b|\brefunded\b[^.?!]{0,25}\bbut\b[^.?!]{0,40}\b(cost|paid|price)\b|"
        r"选(的|了)[^，。！？]{1,12}(却|但|可是|结果)[^，。！？]{0,6}(按|收|扣)|(扣|收|付)了(我)?(两|2|二)份|钱扣了两份|"
        r"取消[^。！？]{0,24}(还|又|照样|仍然|依然)(在)?(扣|收)|(不该|不应该|不应)(收|扣)",
        re.IGNORECASE),
    "legal": compile_guarded(r"(根据|依据|按照|依照|违反|按)[^，。！？]{0,4}(消费者权益保护法|权益保护法|消法)|"
                        r"正式(提出|要求)[^。！？]{0,8}(退货|退款|赔偿|索赔|投诉|维权|解除)|正式(书面)?通知(你们|贵公司|贵司)", re.IGNORECASE),
}
# Caught between the courier and the shop, each saying the other has it: a case after the usual steps.
_RUNAROUND = compile_guarded(
        r"(快递|物流|快递员|骑手|驿站)说[^。！？]{0,30}(你们|商家|店家)[^。！？]{0,20}(你们|商家|店家)(又|却|则|反而)?说[^。！？]{0,20}"
        r"(快递|物流|快递员|骑手|驿站)|(你们|商家|店家)说[^。！？]{0,30}(快递|物流)[^。！？]{0,20}(快递|物流|快递员)(又|却|则|反而)?说"
        r"[^。！？]{0,20}(你们|商家|店家)|"
        r"两边(都)?(推|踢皮球|说不清|问了)|踢皮球|互相推|"
        r"\b(courier|carrier|driver)\b[^.?!]{0,30}\b(says|said)\b[^.?!]{0,40}\b(you|your team|the shop) (say|said)\b|"
        r"\byou (say|said)\b[^.?!]{0,40}\b(courier|carrier|driver)\b[^.?!]{0,10}\b(says|said)\b|\b(back and forth|round in circles)\b",
        re.IGNORECASE)


# Cases a bot must not handle alone whatever the intent read (issue 11, the
# needs-a-person definition): the *what*, apart from how the customer feels.
_CASES_FIRST = {
    "fraud": compile_guarded(
        r"\bunauthori[sz]ed\b|\bwithout my (permission|consent|knowledge)\b|\b(never|didn'?t|did not) "
        r"(place|placed|make|made|order|ordered|authori[sz]e|authori[sz]ed|buy|bought|sign up|signed up|select|selected|"
        r"agree|agreed)\b|\b(don'?t|do not|didn'?t) recogni[sz]e\b|\bunrecogni[sz]ed\b|\b(wasn'?t|was not|not) me\b|"
        r"\bhack(ed|er)\b|\b(someone|somebody) (has )?(got into|accessed|used|logged into|changed)\b|\bstolen\b|"
        r"\bphishing\b|\bidentity theft\b|"
        # issue 11, fourth pass: "I haven't ordered anything in months but ...", "password was changed
        # but I didn't change it", orders to an address that is "not mine"
        r"\b(haven'?t|have not|hadn'?t) (ordered|bought|used|placed|made)\b[^.?!]{0,60}\b(charged|charge|debit\w*|billed|order)|"
        r"\b(didn'?t|did not|never) (change|request|reset|add|authori[sz]e)d? (it|that|this|them|anything)\b|"
        r"\b(address|orders?|card|account|device|login)\b[^?!]{0,60}\bnot mine\b|"
        r"不是我(改|换|绑|设置)的|我(没|没有)(改|修改|换|绑定)(过)?(密码|手机号|地址)|"
        r"盗刷|被盗|盗号|被人(登录|用|买(?!走|光|完|空)|改)|不是我(本人)?(买|下|操作|消费|付|登录)|我(没|从没|从来没)(有)?(买|下单|下过|订|授权|开通)|"
        r"陌生(的)?(订单|扣款|消费)|不认识的(订单|扣款|消费)|异常(扣款|消费|登录)|冒充|钓鱼|"
        # issue 11, fifth pass: 被别人登录, 根本没在你们这买东西
        r"被(别人|他人|陌生人)(登录|登|盗|用|改|下单|买)|根本(就)?没(有)?(在[^，。！？]{0,6})?(买|下单|下过单|订|消费|开通|授权)|"
        # issue 11, sixth pass: a charge the customer has no idea about, an account compromised, an
        # e-mail or call posing as the company asking for card details; 被人登了, 莫名其妙的扣款
        r"\b(payment|charge|transaction|debit)\b[^.?!]{0,50}\bno idea (about|what|where)\b|\b(has been|was|been|got|is|were) compromised\b|"
        r"\bpretending to be (you|from you|your)\b|\b(email|text|sms|call|message)\b[^.?!]{0,40}\b(asking for|asked for|asked me for|wanted) "
        r"(my )?(card|bank|password|pin|login|security)|被人登|(完全|根本)?不知道(是)?(什么|哪来|哪里来)的?(扣款|扣费|消费|钱)|"
        r"(扣款|扣费|消费)[^，。！？]{0,8}(完全|根本)不知道|莫名其妙(的|地)?(扣|多了|少了)",
        re.IGNORECASE),
    "double_charge": compile_guarded(
        r"\b(charged|billed|debited|taken|paid|deducted|went through|gone through|came out)\b[^.?!]{0,30}\b(twice|two times|double)\b|"
        r"\bdouble[- ]?(charged|billed|charge|payment)\b|\bduplicate (charge|payment|transaction)s?\b|"
        r"\b(two|2) (identical )?(charges|payments|transactions)\b|\bovercharg\w*|\bcharged (me )?(extra|more)\b|"
        r"\bdisput\w*|\bchargeback\b|"
        r"\b(two|2) (identical|same|matching) (charges|payments|transactions|debits)\b|\b(debited|charged) (me )?twice\b|"
        r"\bcharged (me )?(the )?full price\b|\b(discount|promo\w*|coupon|voucher)\b[^.?!]{0,40}\b(but|although|yet)\b[^.?!]{0,30}"
        r"\bcharged\b|\bcharged\b[^.?!]{0,30}\b(although|even though|despite)\b|"
        r"两笔[^。！？]{0,12}(扣款|扣费|支付|付款|交易)|(扣|收)了?(原价|全价)|"
        r"(扣|收|付|刷|扣款|付款|支付)(了)?(我)?(两|2|二)(次|遍|笔)|重复扣|重复收费|重复支付|付了两次|两笔(扣款|钱|一样)|多扣|多收|乱扣|扣错|收费不对|金额不对|争议|"
        # issue 11, fifth pass: 按原价扣的款, a payment that failed but took the money, a bill disowned
        r"(按|是)(原价|全价)(扣|收|付)|(付|支付|付款)(不了|失败|没成功)[^。！？]{0,15}(钱|款)[^。！？]{0,4}扣了|"
        r"扣了钱[^。！？]{0,10}(没|失败)|不认(这笔|账单|这个账|扣款)|申诉|"
        # issue 11, sixth pass: "taken £49.99 twice" (a decimal point inside), billed for what was
        # cancelled; 取消了还扣钱, 不认可这笔收费
        r"\b(charged|billed|debited|taken|paid|deducted)\b(?:[^.?!]|\.(?=\d)){0,30}\b(twice|two times)\b|"
        r"\b(charged|billed|debited|taken|took)\b[^.?!]{0,40}\b(i|i'?d|i had|already|was|had been|been) (cancel+ed)\b|"
        r"\bcancel+ed\b[^.?!]{0,40}\b(still|but|yet)\b[^.?!]{0,20}\b(charged|billed|debited|taken)\b|"
        r"取消(了)?的?(订单|会员|订阅|服务)?[^，。！？]{0,10}(还|又|照样|仍然)(在)?(扣|收)|不认可(这笔|这个|该)?(收费|扣款|扣费|账单|费用)|"
        # issue 11, seventh pass: a partial refund, a charge above the price shown, a discount accepted
        # but not taken off, a renewal never agreed to, an extra fee, the same order paid twice two ways
        r"\bonly (been |got |was |were )?(refunded|credited|reimbursed|paid back)\b(?! in full)|\bpartial(ly)? refund\w*\b[^.?!]{0,30}"
        r"\b(but|instead|only|missing|short)\b|\b(refund\w*|credit\w*)\b[^.?!]{0,30}\b(short|less than|missing)\b|"
        r"\b(charged|charge|amount|total|bill|paid)\b[^.?!]{0,40}\b(higher|more|greater) than\b[^.?!]{0,40}"
        r"\b(shown|quoted|advertised|checkout|listed|agreed|displayed|expected)\b|"
        r"\b(voucher|discount|promo\w*|coupon|code)\b[^.?!]{0,60}\b(accepted|applied|showed|shown)\b[^.?!]{0,40}\b(but|yet|though)\b"
        r"[^.?!]{0,40}\b(total|charge\w*|amount|price|paid|bill)\b|"
        r"\b(renew\w*|subscri\w*|upgrad\w*)\b[^.?!]{0,60}\b(never|didn'?t|did not) (agree|consent|opt|ask|sign)|"
        r"(实际|最后|最终)?(扣款|付款|扣的|付的|支付|扣了)[^，。！？]{0,6}(没减|没有减|没抵扣|没抵|没优惠)|金额对不上|钱数对不上|"
        r"(又|另外|额外|单独)(收|扣)了(我)?[^，。！？]{0,4}\d+|只退了?(我)?(一部分|部分|一半|[^，。！？]{0,12}那部分)|部分退款[^。！？]{0,10}(剩下|其余|还有)|少退(了)?|"
        r"(扣|续费|收费|扣费|开通)[^。！？]{0,30}(没同意|没有同意|未经(我)?同意|不同意|没授权)|(没同意|没有同意|未经(我)?同意|没授权)[^。！？]{0,20}(扣|续费|收费)|"
        r"被(自动)?续费(了|成)|(扣|收)(得|的|了)?比[^，。！？]{0,12}(还)?多|(优惠|满减|折扣|红包|补贴)[^，。！？]{0,8}(被)?(全部|全)?扣回|扣了?[^。！？]{0,10}(两|二|2)\s*[×xX*]\s*\d+|扣了(一次|一笔)[^。！？]{0,16}(又|还|再)扣了?(一次|一笔)|申请(复核|复议|重新审核)",
        re.IGNORECASE),
    "legal": compile_guarded(
        r"\b(solicitor|lawyer|attorney|legal action|legal advice|take (you|this|it) to court|court|sue|suing|"
        r"trading standards|ombudsman|consumer rights|citizens advice|small claims|regulator|legally)\b|"
        r"律师|起诉|法院|告你们|消协|消费者协会|12315|工商|市场监管|维权|法律|(申请|去|提起|提交|走)仲裁",
        re.IGNORECASE),
    "formal_complaint": compile_guarded(
        r"\b(formal|official) complaint\b|\bcomplaints? (procedure|process|department)\b|"
        r"\b(make|lodge|file|raise|register|log|submit) (a |an )?complaint\b|正式投诉|投诉(流程|渠道|部门)|我要投诉",
        re.IGNORECASE),
    "safety": compile_guarded(
        r"\b(melt\w*|caught fire|on fire|smok(e|ed|ing)|sparks?|sparked|burn(t|ed|ing)? (my|the|a|out)|"
        r"electric shock|shocked me|explod\w*|injur\w*|hurt (my|me|him|her|them|someone)|nobody was hurt|"
        r"safety (issue|hazard|risk)|fire hazard|overheat\w*|extremely hot)\b|"
        r"起火|着火|冒烟|烧(坏|焦|了)|触电|漏电|爆炸|受伤|烫伤|过热|安全隐患|"
        # issue 11, fourth pass: illness after eating, a swollen battery, a burning smell, melting
        r"\b(sick|ill|vomit\w*|threw up|throwing up|food poisoning|allergic reaction|rash|diarrh\w*)\b[^.?!]{0,40}"
        r"\b(after|from) (eating|drinking|using|taking|wearing)\b|\b(swollen|swelling|bulg\w*) (battery|power ?bank)|"
        r"\bburning smell\b|\bsmells? (of )?burning\b|\bmelted\b|"
        r"吃了?[^。！？]{0,12}(吐|拉肚子|腹泻|过敏|不舒服|去医院|住院)|食物中毒|鼓包|焦味|糊味|烧焦|(化了|熔化|融化)|"
        r"(特别|非常|很|超级?)烫|烫手|变形[^。！？]{0,8}(焦|烫|冒)|"
        # issue 11, fifth pass: a foreign object, insects or mould in food
        r"(有|发现|吃出)(了)?异物|吃出|(里|里面)有(虫|头发|玻璃|塑料)|发霉了|长毛了|(已经|都)(发霉|变质)|变质了|"
        # issue 11, sixth pass: a device that gets too hot, a burn mark, a cut from a product
        r"\b(got|gets|getting|became|becomes|went) (so|really|very|extremely|too|dangerously) hot\b|\bburn (mark|marks)\b|"
        r"\bcut (my|his|her|their|our) (hand|finger|fingers|hands|leg|foot|face)\b|\bsharp edges?\b|"
        r"烫得(不行|厉害|要命|拿不住)|塑料味|(被|让)[^，。！？]{0,6}(划伤|割伤|划破|扎伤)|(划伤|割伤|划破|扎伤)了|"
        # issue 11, seventh pass: a foreign body in food (English), a choking risk, a missing safety
        # mark on goods for children, sparks
        r"\b(piece|bit|shard|fragment|sliver)s? of (glass|metal|plastic|wire)\b|\b(glass|metal|wire|needle)\b[^.?!]{0,25}\b(in|inside) "
        r"(the|my|a|his|her|our)\b[^.?!]{0,25}\b(food|jar|bottle|packet|meal|drink|cereal|snack|tin|pouch|yoghurt|yogurt)\b|"
        r"\bchok(e|ed|ing)\b|\b(nearly|almost) swallow\w*|\bswallowed (a|the|it|part|one)\b|"
        r"\b(no|without|missing|doesn'?t have|does not have|lacks?)\b[^.?!]{0,30}\bsafety (certification|certificate|label|mark|standard|rating)|"
        r"火花|冒火|差点[^，。！？]{0,8}(吞|噎|呛|卡住)|误吞|(吞|咽)(进去|下去)了|窒息|卡(住)?(了)?喉咙|"
        r"(没有|缺少|没|不见)[^，。！？]{0,6}(3c|CCC|安全)(认证|标志|标识)|安全(认证|标准)[^，。！？]{0,6}(没有|不符|不合格)|"
        r"(有|发现|吃出)[^，。！？]{0,4}(玻璃|金属|铁丝|钢丝|针)",
        re.IGNORECASE),
    # issue 11, seventh pass: a data-protection request (subject access, erasure, data kept or leaked)
    "privacy": compile_guarded(
        r"\bsubject access request\b|\bdsar\b|\bgdpr\b|\bdata protection\b|\bright to (be forgotten|erasure)\b|"
        r"\b(delete|erase|remove|wipe|purge)\b[^.?!]{0,40}\b(from your (system|systems|records|database|databases|files|servers|"
        r"mailing data)|all (of )?my (personal )?(data|information|details)|my personal (data|information|details))\b|"
        r"\b(what|which|all the) (personal )?(data|information)\b[^.?!]{0,20}\b(you|your company) (hold|have|keep|store)\b[^.?!]{0,12}"
        r"\b(on|about) me\b|\b(my )?(personal )?(data|details|information)\b[^.?!]{0,20}\b(leaked|breach\w*|sold|shared without)\b|"
        r"\bdata (breach|leak)\b|"
        r"个人信息保护法|(个人)?(信息|隐私|数据|资料)[^，。！？]{0,4}(泄露|被泄漏|泄漏|被卖|被出售|外泄)|"
        r"删除[^，。！？]{0,6}(我的)?(全部|所有)?(个人)?(信息|数据|资料|隐私)[^，。！？]{0,8}(记录|存档)?|"
        r"(查询|查看|告诉我)[^，。！？]{0,6}(你们)?(保存|存储|收集|留存)(了)?[^，。！？]{0,6}(我的)?(个人)?(信息|数据)|"
        r"从(你们的)?(系统|数据库|记录)(里|中)?[^，。！？]{0,4}(删除|删掉|清除)",
        re.IGNORECASE),
    # issue 11, fourth pass: a refund confirmed long ago that never arrived, the bank checked
    "refund_missing": compile_guarded(
        r"\brefund\w*\b[^.?!]{0,60}\b(confirmed|approved|processed|issued|completed|sent)\b[^.?!]{0,40}"
        r"(\b(weeks?|months?|\d{2} days|ago|back in|since)\b)[^.?!]{0,80}\b(nothing|no record|not (arrived|there|received|shown)|"
        r"hasn'?t (arrived|come|shown)|never (arrived|came)|no sign|still (no|not|nothing))\b|"
        r"\brefund\w*\b[^.?!]{0,80}(\.|,|;)?[^.?!]{0,60}\b(my )?bank (says|has|shows|can'?t|cannot|said)\b[^.?!]{0,30}"
        r"\b(nothing|no record|no sign|not|never)\b|"
        r"(退款|退钱)[^。！？]{0,15}(成功|确认|通过|已退|完成)[^。！？]{0,20}(天|周|星期|个月|月)[^。！？]{0,20}"
        r"(没到账|未到账|没有到账|没收到|还没到|查不到|没有记录)|(确认|成功)退款[^。！？]{0,30}(没到账|未到账|没有到账|还没到)|"
        r"(退款|退钱)[^。]{0,40}银行(说|流水|查)[^。]{0,20}(没有|查不到|没)|"
        # issue 11, sixth pass: "my bank can't see it"
        r"\brefund\w*\b[^?!]{0,100}\bbank\b[^.?!]{0,10}\b(can'?t|cannot|couldn'?t|doesn'?t|does not) (see|find|trace|show)\b|"
        # issue 11, seventh pass: a refund past the date it was promised, a return received long ago and
        # still not refunded, 退货一个月了还没退 / 只退了一部分
        r"\brefund\w*\b[^?!]{0,60}\b(was (due|promised|expected|meant to)|date (was|has passed|passed)|should have (arrived|been|come))\b"
        r"[^?!]{0,100}\b(no|nothing|not|hasn'?t|haven'?t|still)\b|"
        r"(\b(return|parcel|item|package)s?\b[^?!]{0,40}\b(delivered|received|arrived|signed for|got back)\b|"
        r"\b(signed for|received|got back) (my|the|our) (return|returned|parcel|package|items?)\b)[^?!]{0,40}"
        r"\b(weeks?|months?|\d\d+ days) ago\b[^?]{0,120}\b(no refund|not (been )?refunded|still (says|shows|awaiting|pending|no)|"
        r"haven'?t (been refunded|received|seen))|"
        r"(退货|退回|寄回|退款)[^。！？]{0,24}(到现在|至今|已经|都)[^，。！？]{0,4}([0-9一二三四五六七八九十两半]+(周|个?星期|个?月)|[1-9][0-9]天|十[几多]?天|二十多?天)了?"
        r"[^。！？]{0,8}(只退|还没退|没退|没收到|还没到|没到账|钱还没)|"
        r"\b(refund\w*|credit\w*|reimburs\w*|money)\b[^?!]{0,60}\bby (the end of |the |last |this )?(\w+ )?(week|month|friday|monday|tuesday|"
        r"wednesday|thursday|saturday|sunday|\d+(st|nd|rd|th)?)\b[^?!]{0,40}\b(hasn'?t|has not|didn'?t|did not|never|still (hasn'?t|not)) "
        r"(happened|arrived|come|appeared|shown|gone through|turned up)\b",
        re.IGNORECASE),
}
# A safety case hands over even in a calm or reassuring frame ("nobody was
# hurt but ...", 人没事): a report of it is still a case.
URGENT_CASES = ("safety",)

# ... and cases a bot must not handle alone: a bereaved family's account, charges after an account was
# closed, an unexplained debit (多了一笔扣款, 没点过购买), a complaint to a regulator (向银保监会反映), a
# refund promised by a date or a colleague and still missing, a phishing victim (details given to a
# fake caller or link). Allergic reactions and the wrong medicine: _SAFETY_9 below.
_CASES_9 = {
    "bereavement": compile_guarded(
        r"(\b(passed away|deceased|bereave\w*|death certificate|probate|lost (his|her) (battle|fight))\b|\b(my|our|his|her) (dad|father|"
        r"mum|mom|mother|husband|wife|partner|son|daughter|brother|sister|grandad|grandpa|grandfather|grandmother|grandma|nan|uncle|"
        r"aunt)\b[^.?!]{0,20}\bdied\b|\b(father|mother|dad|mum|mom|husband|wife|partner)'s death\b|\blate (husband|wife|mother|father|mum|mom|dad|partner|"
        r"son|daughter|brother|sister)'?s?\b|\b(dad|father|mum|mom|mother|husband|wife|partner|grandad|grandma)('s| has| had)? passed( on)?\b)"
        r"(?=[^\n]{0,120}\b(account|subscription|policy|bills?|contract|estate|close|closing|cancel\w*|transfer|in (his|her) name|"
        r"membership|direct debit|charg\w*|statement|(his|her|their) (card|phone|line|number|mobile))\b)"
        r"|\b(account|subscription|policy|bills?|contract|estate|close|cancel\w*|membership)\b[^\n]{0,80}"
        r"\b(passed away|deceased|death certificate|probate)\b"
        r"|(去世|过世|离世|病故|(爸|妈|父亲|母亲|老公|丈夫|妻子|老婆|爷爷|奶奶|外公|外婆|老伴)[^。！？，]{0,4}(?<!出门)(?<!出去)(走了|没了|不在了)(?!(一趟|两步|几步|路|过去|出去|过来|回来|[0-9一二两三四五六七八九十几]+(步|趟|公里|分钟|米|里|圈))))"
        r"(?=[^\n]{0,40}(账户|账号|手机号|号码|扣费|卡|账单|会员|订阅|注销|名下|过户|保单|套餐|月租|宽带|合同))"
        r"|(账户|账号|手机号|号码|卡|会员|订阅|保单|套餐)[^\n]{0,30}(去世|过世|离世|病故)",
        re.IGNORECASE),
    "double_charge": compile_guarded(
        # (twenty-first pass, tests/dev23: 年卡一月份就申请退了，之后每个月还在自动扣58，能退回来吗？ — a refund asked after the
        # comma is no question whether it still charges)
        r"(销户|退订|取消|注销|解约|退掉|申请退(了|卡|会员|订)?|退(卡|会员)了?)[^。！？]{0,30}((还在|仍在|仍然|依然|照样|继续|还|又)[^。！？]{0,4}(扣|收)|照扣)"
        r"(?![^。！？，,]{0,8}(吗|么|嘛|[?？]))"
        r"|(销户|退订|取消|注销|解约|退掉)[^。！？]{0,10}(为什么|怎么)[^。！？]{0,6}(还|又)[^。！？]{0,4}(扣|收)"
        r"|\b(closed|cancell?ed|terminated)\b[^.?!]{0,40}\b(still|again|every month)\b[^.?!]{0,20}\b(charg|bill(?!ing history)|debit|tak)\w*"
        r"(?![^.!]*\?)|\b(closed|cancell?ed|terminated)\b[^.?!]{0,60}\b(debit|charge|payment)\b[^.?!]{0,40}\bevery month\b(?![^.!]*\?)",
        re.IGNORECASE),
    "fraud": compile_guarded(
        r"(扣款|扣费|扣了|付款|账单|消费记录)[^。]{0,40}(没|没有|从没|从来没)(点|买|下单|购买|订|授权)过"
        r"|(没|没有|从没|从来没)(点|买|下单|购买|订|授权)过[^。]{0,20}(扣款|扣费|扣了)"
        r"|(多了|多出|莫名|莫名其妙)[^。！？]{0,12}(扣款|扣费|被扣|扣了)|盗用(了)?(我的)?(账号|账户|卡|银行卡|信息)"
        r"|\brandom\b[^.?!]{0,20}\b(charge|payment|debit|\d+(\.\d\d)?)\b[^.?!]{0,20}\b(taken|came out|charged|debited|on my)\b"
        # a phishing victim: details given to a fake caller, message or link
        r"|\b(pretend\w*|claiming|posing|impersonat\w*|said (it was|they were)|fake|scam\w*|phishing|fraudster|caller)\b[^?!]{0,60}"
        r"\b(entered|typed|gave|given|put in|shared|read out|told (him|her|them))\b[^.?!]{0,10}\b(my|our|the) (card|bank|account|password|"
        r"pin|login|security|one-time|otp|verification|code)\b"
        r"|\b(?<!reset )(?<!verification )(?<!payment )(?<!password )link\b[^?!]{0,60}\b(entered|typed|gave|put in|filled in)\b[^.?!]{0,10}"
        r"\b(my|our) (card|bank|pin|cvv|security code|one-time|otp|sort code)\b"
        r"|\b(entered|typed|gave|given|put in|shared|read out)\b[^.?!]{0,10}\b(my|our) (card|bank|pin|cvv|security|one-time|otp|"
        r"verification|password|login)\b[^?!]{0,80}\b(scam|fake|phishing|fraud\w*|not (really )?(from )?you)\b"
        r"|(冒充|诈骗|骗子|陌生|可疑|假的|假冒|短信|中奖|说是|自称)[^。！？]{0,40}(点了|点开|打开了|输入|输了|填了|告诉|给了|转了|付了|下载了|发过去)"
        r"|(验证码|密码|卡号)[^。！？]{0,4}(告诉|给|发给|发)(了)?(他|她|对方|他们|过去)"
        # an impostor who knew the customer's order or details (a leak)
        r"|\b(claiming|pretending|posing|purporting)\b[^?!]{0,80}\b(quoting|quoted|knew|knows|had|gave) (me )?(my|all my) (exact |full )?"
        r"(order|address|name|details|account|date of birth)",
        re.IGNORECASE),
    "legal": compile_guarded(
        r"\b(complained|reported (you|this|it)|complaint|escalat\w+ (it|this)) (to|with) (the )?(ofcom|fca|ofgem|ofwat|cma|ico|asa|"
        r"financial ombudsman|ftc|cfpb|bbb|better business bureau|attorney general)\b|"
        r"(银保监会|银监会|保监会|证监会|金融监管(总)?局|人民银行|工信部|通管局|民航局|邮政管理局|市场监督管理局)[^，。！？]{0,4}(反映|投诉|举报|申诉)(?![^。！？]{0,6}(电话|热线|有用吗|怎么|流程|是多少|吗))"
        r"|(反映|投诉|举报|申诉)(到|给)[^，。！？]{0,2}(银保监会|银监会|保监会|证监会|金融监管|人民银行|工信部|通管局|民航局|邮政管理局)",
        re.IGNORECASE),
    "refund_missing": compile_guarded(
        r"(说好|承诺|答应|说|保证)[^。！？]{0,20}(到账|退款|退回|退还|返还|处理好)[^。！？]{0,8}[，,。]?[^。！？]{0,20}"
        r"(还没|没有?收到|仍未|还是没|没到|没看到|还没有|里没有(?!问题))"
        r"|(说好|承诺|答应|说|保证)[^。！？]{0,20}(到账|退款|退回|退还|返还|处理好)[^。！？]{0,12}?(已经|都)(过了|[0-9一二两三四五六七八九十几半]+"
        r"(天|周|个?星期|个?月|个?工作日))|(说好|承诺|答应|说|保证)[^。！？]{0,20}(到账|退款|处理好)[^。！？]{0,6}结果呢"
        r"|\b(said|told me|promised|confirmed|assured)\b[^.?!]{0,60}\b(refund|money|credit)\b[^.?!]{0,60}\b(it'?s|its|it has) been "
        r"(\d+|two|three|four|five|six|a|over a) (days?|weeks?|months?)\b"
        r"|\b(said|told me|promised|confirmed|assured)\b[^.?!]{0,60}\b(refund|money|credit)\b[^?!]{0,60}"
        r"\b(still (not|isn'?t|hasn'?t|haven'?t|no|nothing)|not (yet )?(in|received|arrived|there)|never (arrived|came|received))\b",
        re.IGNORECASE),
}
# issue 11, fifteenth pass (tests/dev15): charged after a membership card was handed back (已经确认退卡了，结果这个月
#还扣了299), charged for a plan other than the one bought (我买的是月卡，却被扣了年费), a regulator named by its kind
# (向能源监管部门反映); goods that leak or a locker found empty after the usual steps (按说明书重新装过了，还是漏;
# "resealed it per your troubleshooting guide and it still leaks"; "重新开柜"我都点过了).
_NOT_ASKED_15 = r"(?![^。！？]{0,8}(吗|么|嘛|[?？]))"
_CASES_15 = {
    "double_charge": compile_guarded(
        r"(退卡|停卡|退会|退掉(了)?会员|关(闭|掉)(了)?自动续费|解除(了)?(合约|合同)|退订(了)?)[^。！？]{0,30}(还|又|照样|仍然|依然|继续)"
        rf"[^。！？]{{0,4}}(扣|收)(了)?{_NOT_ASKED_15}"
        rf"|(买|订|办|开通|下单|选)的(是|明明是)[^，。！？]{{1,12}}[，,]?\s*(却|但|可是|结果)[^，。！？]{{0,4}}(被)?(扣|收)(了)?{_NOT_ASKED_15}"
        r"|(买|订|办|开通|下单|选)的(是|明明是)[^，。！？]{1,12}[，,]?\s*怎么[^，。！？]{0,4}(被)?(扣|收)(了)?"
        r"|(处理好|退订|取消|关闭|解决)(了)?[^。！？]{0,12}(可是|但是|结果|却)[^。！？]{0,8}又(扣|收)(了)?"
        r"|\b(bought|ordered|booked|signed up for|chose|picked|paid for) (the|a|an) [a-z0-9 -]{1,25}\b(but|yet)\b[^.?!]{0,15}"
        r"\b(was|got|have been|i'?ve been) (charged|billed|debited)\b(?![^.!?]*\b(fine|correct|nice|right|what i wanted|expected|"
        r"the value)\b)"
        # session 24's review: a double charge asked about after it happened ("did you charge me twice?", "did u guys take the
        # payment twice?", "why do I see the same charge twice on my bank")
        r"|\b(did|have|has) (you|u|your (company|system|app|shop|site)|they)( guys)? (just )?(take|taken|charge|charged|bill|billed|debit|"
        r"debited)( me| my card| my account| the payment| the money| my money)? (twice|two times|double)\b"
        r"|\bsame (charge|payment|amount|transaction|debit) (twice|two times)\b",
        re.IGNORECASE),
    "legal": compile_guarded(
        r"(向|到|去|给)[^，。！？]{0,8}(监管部门|监管局|监管机构|主管部门|能源局|消协|消费者协会|市场监管|12315|信访)[^，。！？]{0,4}"
        rf"(反映|投诉|举报|申诉){_NOT_ASKED_15}"
        r"|\b(report|reporting|escalate|escalating|take|taking) (you|this|it|the matter) to (the )?([a-z]+ )?(regulator|ombudsman|"
        r"trading standards)\b(?![^.!]*\?)",
        re.IGNORECASE),
}
# A refund still inside the window it was promised in ("it's day 3 of 5-7, that's fine", 还没到时间) is not missing.
_NOT_DUE = compile_guarded(r"还没到(时间|期限|日子)|还在(时效|期限|时间)内|\b(not (due|overdue) yet|that'?s fine|no rush|just confirming|"
                      r"still within)\b"
                      # issue 11, tenth pass: the window stated ("I know it takes 5 days"; "no rush" alone is politeness
                      # and is read after the negated-emotion strip, which removes it)
                      r"|\bi know (it|they|refunds?) (can )?takes? (up to )?\d+|知道(要|需要)[0-9一二两三四五六七八九十]+(个)?(工作日|天)",
                      re.IGNORECASE)
_SAFETY_QUESTION = compile_guarded(
    r"\b(might|in case|is (it|this|the [a-z]+) safe|does (it|this|the [a-z ]+) contain|can i bring|"
    r"glasses|lenses|frames)\b|会[^。！？]{0,10}(吗|么)|对[^，。！？]{1,6}过敏(?!了)|过敏(体质|原)|放门口",
    re.IGNORECASE)
# ... unless a reaction already happened ("I'm worried, she ate it and now has hives", 起了好多红点, 吃了以后).
_REACTED = compile_guarded(r"\b(now (has|have|he|she|they|i)|came up in|broke out|had an?|ate|used|after (eating|using|taking)|"
                      r"(is|are|was|were) (swelling|swollen)|caught fire|melted|smok(ed|ing)|sparked|exploded|burn(t|ed)|"
                      r"(is|are|keeps?) (melting|sparking|burning|smouldering|overheating))\b|"
                      r"起火|着火|冒烟|烧(坏|焦|了)|爆炸|漏电|触电|受伤|起了|肿了|(吃|用|喝)了(以后|之后)?(?!会)|已经", re.IGNORECASE)
# A phishing check: a message, e-mail, text or call that claims to be the company, asked about ("is this
# really from you or a scam?", 是你们发的还是诈骗) or reported ("how do I report a suspicious text that
# says it's from you?"), with nothing clicked, paid, given or taken — a question the bot answers (and
# offers a person), not a fraud case.
PHISHING_CHECK = compile_guarded(
    r"\b(is|was) (this|it|that)( really| actually| genuinely)? (from|sent by|you)\b|\bor (is it |was it |is this )?(a |an )?"
    r"(scam|phishing|fake|fraud)\b|\b(is|was) (this|it|that)( really| actually| just)? (a |an )?(scam|phishing|fake|fraud)\b"
    r"|\bhow (do|can|should) i report (a |an |this |the )?(suspicious|scam|phishing|fake|fraudulent)\b"
    # session 35: "is there a way to check whether it's fake?", "how can I tell if it's really from you?"
    r"|\b(check|tell|know|verify|confirm|find out|see) (whether|if) (it'?s|it is|this is|that'?s|that is|it was|this was|they'?re|"
    r"they are)( really| actually| genuinely)? (real|genuine|fake|legit|legitimate|a scam|phishing|from you|you)\b"
    r"|是(不是)?你们(发|打)的|还是诈骗|是(不是)?诈骗|举报[^。！？]{0,12}(诈骗|钓鱼)(短信|电话|邮件|链接|网站)?",
    re.IGNORECASE)
# the kinds of message a phishing check asks about (also mood._SCAM_MESSAGE's "scam text")
MESSAGE_NOUNS = r"e-?mails?|texts?|sms|messages?|calls?|links?|letters?|websites?"
_SUSPICIOUS_MESSAGE = compile_guarded(rf"\b({MESSAGE_NOUNS})\b|短信|邮件|电话|链接|消息|网站", re.IGNORECASE)
# ... and the victim: what the customer did, or what was taken.
_PHISHING_VICTIM = compile_guarded(
    r"\b(i|i'?ve|i have|we)( already| then)? (clicked|entered|gave|given|paid|typed|sent|shared|transferred|downloaded|installed|"
    r"put in|filled|read out|told|logged in|signed in)\b|\bbefore realis|\bi did (click|pay|enter|give)\b|\b(taken|gone|stolen|drained|took)\b|"
    r"\bnever authori[sz]ed\b|\bhacked\b|\b(quoting|quoted|knew|knows|had|gave) (me )?(my|all my) (exact |full )?(order|address|name|"
    r"details|account|date of birth)"
    # session 35's reviewer: a message called fake that carried the customer's own data ("a fake text using your name with
    # my actual order number"); not a plain "an email mentioning my order number, is it really from you?"
    r"|\b(fake|scam|phishing|fraudulent|dodgy|bogus)\b[^.!?]{0,40}\b(with|using|includ\w*|contain\w*|mention\w*|knew|knows|"
    r"had) (me )?(my|all my) (exact |full |actual |real |last |recent )?(order|address|name|details|account|date of birth|"
    r"purchase|delivery|data|personal)"
    r"|\bhow (did|do|would|could) (they|these people|the scammers|scammers|the sender|he|she) (get|got|have|know|find)\b"
    r"|\bsome(one|body) (at your (end|company|side)|(clearly |obviously )?has (got )?your)\b|\byour (own |real |genuine )?(texts|emails|e-mails|"
    r"messages|sms) (look|come|are|all look)\b|(报出|说出|知道|说对)(了)?我的(订单|地址|姓名|名字|手机号|电话|身份证|购买)"
    r"|(点了|点开了|输入了|输了|填了|告诉(他|她|对方|他们)了|转了|付了|给了(他|她|对方)|下载了|被骗|转账|被(扣|盗刷|刷|转走|盗)|扣了\d|发过去了?)",
    re.IGNORECASE)


# ... and a question about fraud cover ("does your card have fraud protection?", 有盗刷保障吗).
_FRAUD_COVER = compile_guarded(r"\bfraud (protection|cover|insurance|guarantee|liability)\b|盗刷(保障|险|保险|赔付|保护)", re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def fraud_question(text: str) -> bool:
    """True for a question about, or report of, a message that claims to be the company, with nothing
    clicked, paid or given ("Is this really from you or is it a scam?", 收到短信…是你们发的还是诈骗？),
    or a question about fraud cover ("does your card have fraud protection?"): the bot answers it and
    offers a person (issue 11, ninth pass); a customer who clicked, paid or gave details is a fraud case.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = text or ""
    if _PHISHING_VICTIM.search(text):
        return False
    return bool(PHISHING_CHECK.search(text) and _SUSPICIOUS_MESSAGE.search(text)) or bool(_FRAUD_COVER.search(text))


# issue 11, eighteenth pass (reviewer 1 of the seventeenth pass; the first pass's legal words): law named only to say it is not
# wanted (没必要走法律程序, 不想打官司, "no need to involve lawyers", "I don't want to take this to court") or as the customer's own
# trade (我是律师，想问…, "I'm a solicitor, could you tell me…") is no legal case; what else the message says still counts.
_NO_LEGAL_MATTER = compile_guarded(
    r"((没必要|不想|不会|不打算|不需要|用不着|犯不着|不至于|不用|没打算|并不想)(去|走|找|请|上|闹到|到)?(法律程序|法律途径|律师|法院|起诉|打官司|仲裁|12315|消协)"
    r"|\bno need (for|to involve|to get|to go to) (a |the |any )?(lawyers?|solicitors?|court|legal action)\b"
    r"|\b(don'?t|do not|won'?t|will not|never) (want|intend|plan|need) to (take (this|it|you) to court|sue|involve (a |any )?(lawyers?|solicitors?)|"
    r"go legal|take legal action)\b|\b(i'?m |i am )?not (suing|going to sue|taking (you|this|it) to court)\b)"
    # ... unless a condition follows (its review: "I don't want to take this to court, but I will if I have to", 我不会起诉的，前提是…)
    r"(?![^.!?。！？]{0,40}(\bbut\b|\bunless\b|\bif\b|\bas long as\b|\bprovided\b|前提|但|可是|要是|如果|除非|否则))"
    r"|((我|本人)(是|作为)(一名|一个|个)?(律师|法务|法官)|作为(一名|一个)?(律师|法务)|(我|本人)是做(律师|法务)的)(?![^。！？]{0,6}受[^，。！？]{0,8}委托)"
    r"|(我)?(老公|老婆|爸|妈|爸爸|妈妈|哥|姐|弟|妹|朋友|爱人|先生|太太)是(一名|个)?(律师|法务|法官)"
    r"|\b(i'?m|i am|as) an? (lawyer|solicitor|attorney|barrister|paralegal)\b(?! (and|&) (i'?ll|i will|we'?ll|we will))"
    r"(?![^.!?]{0,40}\b(on behalf of|acting for|representing)\b)"
    r"|\b(my|our) (husband|wife|partner|dad|father|mum|mom|mother|brother|sister|son|daughter|friend) (is|was) an? (lawyer|solicitor|attorney)\b",
    re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def needs_person_case(text: str) -> str | None:
    """The kind of case a bot must not handle alone that the message names, or None:
    ``fraud`` (unauthorised charge, an order never placed), ``double_charge``
    (charged twice, overcharged, a dispute), ``legal`` (solicitor, court,
    trading standards, 律师, 12315), ``formal_complaint``, ``safety`` (melted,
    smoke, injury), ``after_steps`` (a problem with the goods, ``goods.goods_problem``,
    after the usual steps were tried, ``goods.STEPS_TRIED``). A negated phrase ("not a
    complaint") does not count.

    Args:
        text: the customer's message.

    Returns:
        One of the kinds named above, or None.
    """
    lowered = NOT_COMPLAINING.sub(" ", unnegated(text))
    asked_about_fraud = fraud_question(text)
    hazard = _CONDITION.sub(" ", _SAFETY_PRODUCTS.sub(" ", lowered))  # "do you sell smoke alarms?" (eleventh pass), "what if…"
    hazard = _PERSON_MELTING.sub(" ", hazard)
    if _HAZARD_FIGURATIVE.search(hazard) or (_SETTLED.search(hazard) and not (_STILL_HAZARD.search(hazard) or _NOW.search(hazard))):
        hazard = ""  # "on fire today, super fast", a spark plug, 已经换好了 (eleventh pass); "fine ever since" (twelfth)
    read = {"safety": hazard, "legal": _NO_LEGAL_MATTER.sub(" ", lowered)}  # eighteenth pass: 没必要走法律程序, "I'm a lawyer"
    for name, pattern in _CASES.items():
        if name == "formal_complaint" and HYPOTHETICAL.search(lowered):
            continue  # how to complain, asked for later
        if name == "safety" and (_SAFETY_ASKED.search(lowered) or _SAFETY_QUESTION.search(lowered)) and not _REACTED.search(lowered):
            continue  # 有安全隐患吗 / 会不会有安全隐患 / 我吃花生会过敏，这款有花生吗: asked before anything happened
        if name == "double_charge" and _CHARGE_TO_COME.search(lowered) and not _CHARGED_BEFORE.search(lowered):
            continue  # session 24 (tests/dev24): "will I get charged twice this month?", 会不会扣两次费 — asked before it happens
        if (name == "fraud" and asked_about_fraud) or (name == "refund_missing" and _NOT_DUE.search(lowered)):
            continue  # "is this text really from you?" with nothing clicked; a refund not due yet (ninth pass)
        if pattern.search(read.get(name, lowered)):
            return name
    if (_HAZARD_10.search(hazard) or _HAZARD_11.search(hazard)) and (not _HAZARD_NOT.search(hazard) or _STILL_HAZARD.search(hazard)):
        return "safety"  # issue 11, tenth pass: a gas smell, exposed wiring, failing brakes (not once fixed, unless still there)
    if _SAFETY_9.search(hazard) and (_REACTED.search(lowered) or not (_SAFETY_QUESTION.search(lowered) or _SAFETY_ASKED.search(lowered))):
        return "safety"  # issue 11, ninth pass: an allergic reaction, the wrong medicine
    if (reported_hazards(hazard) and not only_asked(lowered)
            and (_REACTED.search(lowered) or not (_SAFETY_QUESTION.search(lowered) or _SAFETY_ASKED.search(lowered)))
            and (not _FIXED.search(hazard) or _STILL_HAZARD.search(hazard) or _NOW.search(hazard)) and not _BUYING.search(hazard)):
        return "safety"  # issue 11, twelfth pass: a thing of a hazard's kind and what went wrong with it (bot.handover.hazards)
    if (STEPS_TRIED.search(lowered) and goods_problem(lowered)) or _RUNAROUND.search(lowered):
        return "after_steps"
    return None

# A double charge asked about before it happens (session 24, a fresh writer's conversations): "will I get charged twice
# for this month?", "would I be billed twice if I switch?", "will there be a double charge?", 会不会扣两次费, 这个月会重复扣费吗,
# 会被扣两次钱吗 — a question for the bot, not a dispute; "again" or a charge already made ("I was charged twice") stays one.
_CHARGE_TO_COME = compile_guarded(
    r"\b(will|would|could|might|do|does|is it going to|am i going to|are we going to)( i| we| you| they| it| there)?( still| then| also)?"
    r"( get| be| end up( being)?| have to)? (charged|billed|charge( me| us)?|bill( me| us)?|pay(ing)?|debited|a double charge)"
    r"( for( it| that| this| both( months)?)?)?( twice| double| two times|\?|$)"
    r"|\b(won'?t|wouldn'?t|will not|would not) (\w+ ){0,2}(double[- ]charge|charge (me|us) twice|bill (me|us) twice)\b"
    r"|\b(possible|chance|risk|likely) (to|that|of) (\w+ ){0,2}(get(ting)?|be(ing)?) (charged|billed) twice\b"
    r"|(会不会|是否会|会)(被)?(重复|多)?(扣|收|计|付)(两次|两遍|双份|重复)?(费|钱|款)?(吗|么|呢)?",
    re.IGNORECASE)
_CHARGED_BEFORE = compile_guarded(r"\b(again|was|were|been|already|have been|has been|got charged|last (month|time|year))\b|又|已经|上(个)?月|上次|了两次",
                                  re.IGNORECASE)


# Cases: a gas smell, exposed wiring, failing brakes (safety, urgent); two debits for the same thing;
# a refund approved weeks ago that never came; a death beside a life policy (寿险, 受益人).
_HAZARD_10 = compile_guarded(
    r"\b(smell of gas|gas (smell|leak)|smell gas|smells? (of|like) gas|whiff of gas|exposed (wir(e|es|ing)|cables?)|live wires?|"
    r"bare wires?|wires? (are |is )?(exposed|bare|hanging|sticking)( out)?|"
    r"(brakes?|steering) (feels? (soft|spongy)|failed|failing|(are|is)n'?t working|(are|is) not working|not working|stopped working|"
    r"gave out)|brake warning( light)?|sparks? (coming )?from|sparking|(co|carbon monoxide) alarm (is |keeps |has been |went )?"
    r"(going off|beeping|sounding|off)|carbon monoxide (leak|poisoning))\b"
    r"|(煤气|燃气|天然气)[^。！？，]{0,4}(泄漏|泄露|漏了|漏气|漏)|(煤气|燃气|天然气)的?(味|味道)|闻到[^。！？]{0,6}(煤气|燃气|天然气|烧焦)|"
    r"电线[^。！？]{0,4}(裸露|外露|露出来|露在外面)|(裸露|露在外面)的?电线|"
    r"刹车(失灵|变软|软了|不灵|没反应|不太灵|坏了|有点软|踩不下去)|一氧化碳(报警器)?(响|报警|超标|中毒|泄漏)|冒火花|打火花", re.IGNORECASE)
# ... unless it is gone or fixed, or a product or a question about cover ("the gas smell is gone now", 煤气味已经没有了,
# 燃气泄漏保险怎么买, "is a gas leak check included?").
#: A hazard fixed or tidied: the reader's own guard. ``_HAZARD_NOT`` (the older readings') also takes "insurance",
#: "covered by", 多少钱, which a report may end with ("宝宝吞了玩具的小零件，医药费多少钱", "is it covered by insurance?").
_FIXED = compile_guarded(r"\b((smell|smells|it|leak|the gas|fumes)( is| has| has been|'s)? gone|gone now|(?<!you )(?<!you've )(?<!you just )fixed|"
                    r"sorted|repaired|all safe|no (live )?wires?|tidied)\b|修好了|(味道?|气味|味儿)[^，。！？]{0,3}(没了|没有了|散了)",
                    re.IGNORECASE)
_HAZARD_NOT = one_of(_FIXED, compile_guarded(r"\b(included|insurance|covered (by|under)|cover (for|against|it|this|that))\b|多少钱|保险|"
                                          r"(检查|检测)(服务|项目)", re.IGNORECASE))
# twelfth pass: a past episode that settled ("got really hot last summer but it's been fine since") is no safety
# case for any of the readings, unless the hazard is still there
_SETTLED = compile_guarded(r"\b(it'?s|has|have) been fine (ever )?since\b(?![^.!?]{0,20}\b(until|till|but)\b)|\bfine ever since\b|"
                      r"(之后|后来)(就)?(一直)?(正常|没事|好好的)"
                      # seventeenth pass (tests/dev17): a professional has said it is fine ("No need to reprint, the vet says
                      # it's fine"; 医生说没关系)
                      # (its review: only as the last word — "the electrician said it's fine but the socket is sparking" is a hazard)
                      r"|\b(the |our |my )?(vet|doctor|pharmacist|gp|nurse|dentist|electrician|engineer|plumber)( has)? (says|said|confirmed|checked)"
                      r"( (that|and))? (it'?s|it is|that'?s|they'?re|he'?s|she'?s|all is|everything is|it was) (fine|ok|okay|safe|alright|all right|"
                      r"harmless|no problem)\W*$|(医生|兽医|药剂师|师傅|电工)(说|看了说|确认)[^，。！？]{0,4}(没事|没关系|没问题|不要紧|安全)[。！!～~]*$",
                      re.IGNORECASE)
#: ... and something to buy or included, asked about ("燃气泄漏保险怎么买?", "is a gas leak check included?").
_BUYING = compile_guarded(r"(怎么|如何|哪里|在哪)(买|购买|办理)|\b(how (do|can) i (buy|get|order)|where can i buy|included)\b|"
                     r"(服务|项目|检测|检查)[^，。！？]{0,6}多少钱", re.IGNORECASE)
#: A condition's clause, to its sentence's end: what might happen is no report of what did ("what should I do if my
#: kid swallows a magnet?", 万一卡扣断了怎么办), what came before it still is ("my son swallowed a magnet, what do I do
#: if he vomits?"); review, twelfth pass.
_CONDITION = compile_guarded(r"(\b(what if|what happens if|what (should|do|can|would) (i|we|you) do if|in case|if)\b|万一|如果|假如|"
                        r"以防万一)[^.!?。！？\n]*", re.IGNORECASE)
#: ... and "today", "again", 突然: what happens now, whatever settled or was fixed before ("the garage fixed the brakes
#: yesterday and today they failed").
_NOW = compile_guarded(r"\b(today|tonight|again|suddenly|just now|this (morning|afternoon|evening))\b|现在|今天|刚才|突然|又", re.IGNORECASE)
# ... and more hazards a fresh new user reported (eleventh pass): failing brakes said with words between, a CO
# detector beeping, fumes or a rotten-egg smell with symptoms, smouldering, a swallowed button battery or magnet.
_HAZARD_11 = compile_guarded(
    r"\bbrakes?\b[^.!?]{0,30}\b(failing|failed|not working|stopped working|gave out|gone)\b|"
    r"\b(co|carbon monoxide) (alarm|detector|sensor)s?\b[^.!?]{0,30}\b(going off|beeping|sounding|went off|alarming)\b|"
    r"\b(fumes|rotten eggs?)\b[^.!?]{0,60}\b(dizzy|light-?headed|headache|sick|nause\w*|faint|boiler|cooker|heater|kitchen)\b|"
    r"\bsmells? (of|like) rotten eggs?\b|\bsmoulder\w*|\bsmolder\w*|"
    r"\bswallow(ed|s)?\b[^.!?]{0,30}\b(button battery|battery|batteries|magnets?|coin cell)\b|"
    r"误食|吞(了|下)[^。！？，]{0,8}(电池|磁铁|纽扣)|一氧化碳报警器[^。！？]{0,8}(响|报警|叫)|(头晕|恶心)[^。！？]{0,10}(煤气|燃气|味)|"
    # ... and a fresh reviewer's probes: fire, gas, electrics, vehicles and health said plainly (eleventh pass)
    r"\b(fire|flames?) (in|inside|from|coming (out of|from)) (the|my|our|a)\b|\b(flame|fire) (is )?(huge|massive|won'?t go out)|"
    r"\b(hob|cooker|stove|oven)\b[^.!?]{0,20}\b(won'?t|will not|can'?t) (turn|switch) off\b|\bscorch(ed|ing)?\b|\bscorch marks?\b|"
    r"\bcrackl(e|es|ing)\b|\bshorted( out)?\b|\b(car|bike|van|scooter)\b[^.!?]{0,20}\b(won'?t|doesn'?t|can'?t|couldn'?t) (stop|brake)\b|"
    r"\b(tyres?|tires?)\b[^.!?]{0,20}\b(came apart|blew out|burst|blowout|exploded|came off)\b|\bsteering\b[^.!?]{0,15}\b(locked|lock(ed)? up|failed|went)\b|"
    r"\b(vomit\w*|throwing up|collapsed|passed out|fainted|unconscious|in (the )?hospital|ambulance|anaphyla\w*|epi-?pen used|"
    r"throat (is )?(closing|swelling)|swell(ing|ed)? up|face (is )?swell\w*|lips? (are |is )?swell\w*)\b[^.!?]{0,60}"
    r"\b(after|since|from) (eating|drinking|using|taking|the|your|our|it)\b|"
    r"\b(ate|swallowed|drank|eaten)\b[^.!?]{0,30}\b(detergent|pods?|bleach|battery|batteries|magnets?|cleaner|tablets?)\b|"
    r"\banaphyla\w*|\bthroat (is )?closing\b|\bepi-?pen (used|given)\b|"
    r"\bsmell(ing|s)? (of )?gas\b|(?<![a-z])brakes?(?![a-z])[^。！？.!?]{0,6}(失灵|不灵|坏了)|"
    r"漏气|(燃气灶|煤气灶|灶)[^。！？]{0,6}(关不掉|关不了|火很大)|(热水器|取暖器)[^。！？]{0,15}(头晕|恶心|想吐)|熏得[^。！？]{0,4}(头晕|想吐)|"
    r"被电(了|到)|电线破皮|(烧黑|烧起来|烤焦|焦糊|噼啪|噼里啪啦|冒火星|冒緊煙|冒晒烟|冒紧烟|熔了|化了[^。！？]{0,8}(烧|味))|"
    r"(好似|好像)?要爆|刹不住|刹车[^。！？]{0,6}(不行|不灵|失灵)|(轮胎|胎)[^。！？]{0,8}(爆了|爆胎|飞了)|方向盘[^。！？]{0,6}(锁死|失灵|卡死)|"
    r"(脸|嘴|喉咙|嘴唇|眼睛)[^。！？]{0,4}(肿|发紧)|喘不上气|晕倒|昏迷|救护车|上吐下泻|(一直|不停)(吐|拉)|(剧痛|高烧|发烧)[^。！？]{0,6}(吃|外卖)|"
    r"(吃|喝|食)(了|咗)[^。！？]{0,12}(以后|之后|后)[^。！？]{0,10}(吐|肿|晕|痛|疼|过敏|拉肚子|发烧)|"
    r"(吃|吞|喝)(了|咗)[^。！？]{0,8}(洗衣凝珠|洗衣液|电池|磁铁|消毒液|漂白)|"
    # ... and a second fresh reviewer's (measured before these were added: 30 of 127 safety cases missed)
    r"\b(swallow\w*|drank|drunk|ate|eaten)\b[^.!?]{0,30}\b(dishwasher|washing|detergent|bleach|cleaner|powder|liquid|tablet)s?\b|"
    r"\b(dishwasher|washing|detergent)\b[^.!?]{0,20}\b(swallowed|drunk|eaten)\b|(吞|喝|吃|咬破)(了|咗)?[^。！？]{0,8}(洗碗|洗衣|清洁剂|消毒)|"
    r"\b(co|carbon mon\w*ide|carbon monxide)\b[^.!?]{0,30}\b(\d+ ?ppm|beeping|going off|alarm(ing)?)\b|"
    r"\b(dizzy|headache|sick|nause\w*)\b[^.!?]{0,40}\bgas (heater|boiler|fire|cooker)\b|"
    r"\bbrake pedal\b[^.!?]{0,30}\b(floor|spongy|soft|no resistance)\b|"
    r"\b(bare|exposed) copper\b|\bwires? (poking|sticking|hanging) out\b|"
    r"\b(burn(ed|t)|scald(ed)?) by\b|\bblister\w*|\bcut (myself|my (hand|finger|arm))\b[^.!?]{0,30}\b(badly|bleeding|stitches)|"
    r"\b(broke|broken) my (wrist|arm|leg|ankle|finger|nose)\b|\bcollapsed under\b|"
    r"\b(face|skin|lips?)\b[^.!?]{0,12}\b(puffy|red and puffy|swollen)\b|\bthroat (feels )?tight\b|"
    r"\b(regulator|hose|pipe|bottle|cylinder)\b[^.!?]{0,20}\bleak\w*|"
    r"烫(起)?(了)?水泡|起水泡|摔断|电了我|臭鸡蛋味|(皮肤|脸)[^。！？]{0,4}(红肿|肿)",
    re.IGNORECASE)
# session 30 (tests/dev26): a person melting in the heat ("so hot today i'm melting 🥵", 今天好热啊 我要化了) is no hazard;
# left out of the reading, so a melted charger beside it still is one.
_PERSON_MELTING = compile_guarded(
    r"\b(i'?m|i am|we'?re|we are|i'?ve been|we'?ve been|everyone'?s|everyone is) (literally |actually |just |slowly |basically )?"
    r"(melting|melted)\b(?! (the|a|my|our|your|this|it))|(我|人)(都|快|要|快要)?(被)?(热|晒)?(化了|融化了|热化了)", re.IGNORECASE)
# ... unless it is figurative or a part ("the delivery guy was on fire today", 这个优惠太火了, a spark plug, 火花塞,
# a smoke extractor filter, an epipen case) or past and settled (上周…现在没事了, 已经换好了，谢谢).
_HAZARD_FIGURATIVE = compile_guarded(
    r"\b(was|is|were|are|been) on fire (today|lately|this|with)|\bspark ?plugs?\b|\bsmoke (extractor|machine)\b|"
    r"\bepi-?pen (case|holder|bag|pouch)|\b(scorching|scorcher) (hot|day|weather|deal|price)|火花塞|太火了|火爆|"
    r"(现在|已经)(没事|好)了|已经(换|修|处理)好了|(是|结果是)邻居|"
    r"\bsmok(ing|in'?) hot\b|\bsmoke point\b|\bmelting my (wallet|heart|brain)\b|\bheart is on fire\b|急得冒火|火冒三丈|"
    r"\b(not|nothing to do with) (from )?(you|your)\b|\bnot your fault\b|不是你们的(问题|原因|责任)|\bas a (kid|child)\b|"
    r"\b(a )?(review|reviews|someone|people) said\b|\bi (heard|read) (that )?|听说|据说", re.IGNORECASE)
# eleventh pass (a fresh new user): a safety product asked about is no hazard ("do you sell smoke alarms?", "when
# will the smoke detector I ordered arrive?", 灭火器多少钱) unless it is going off; a hazard still there after a
# fix is one ("he fixed the leak but I can still smell gas", 说修好了还是有煤气味).
_SAFETY_PRODUCTS = compile_guarded(
    r"(\b(smoke|fire|heat|co|carbon monoxide|gas) (alarm|detector|sensor)s?\b|\bfire (extinguisher|blanket|door)s?\b|"
    r"\bbrake (pads?|discs?|cables?|levers?|fluid)\b|\bgas (bill|meter|bottle|canister|tariff)s?\b|"
    r"烟雾报警器|烟感|灭火器|(燃气|煤气)(费|表)|报警器)"
    r"(?![^.!?]{0,30}\b(going off|beeping|sounding|went off|ringing|alarming|\d+ ?ppm)\b)(?![^。！？，]{0,8}(响|报警|叫))",
    re.IGNORECASE)
_STILL_HAZARD = compile_guarded(r"\b(can )?still (smell|smells|see|hear|sparks?|sparking|leaking|there|getting)\b|"
                           r"还是?(有|能闻到|闻到|在冒|在漏|漏)|(仍然|依然)(有|能闻到|闻到)", re.IGNORECASE)


_SAFETY_9 = one_of(
    # A reaction after using or eating something, or the wrong medicine: a safety case (urgent), unless asked
    # about before anything happened ("might I react?", "is it safe for…", 会起红点吗, 对牛奶过敏 as a trait).
    compile_guarded(
        r"\b(hives|anaphyla\w*|allergic reaction|epipen|swell(ed|ing) up|broke out in|(difficulty|trouble|struggling|hard to) "
        r"(breathing|breathe)|(can'?t|cannot|could ?n'?t|not) breath(e|ing)|throat (is )?(closing|swelling|swollen)|lips? (are |is )?(swelling|swollen))\b"
        r"|\b(wrong|different|another|someone else'?s) (medication|medicine|tablets|pills|drugs)\b"
        r"|\b(medication|medicine|tablets|pills|strips|capsules)\b[^.?!]{0,20}\b(inside|in it|in the box)\b[^.?!]{0,15}"
        r"\b(something else|different|wrong|not the same|are)\b"
        r"|起了?(一身|满身|很多|好多|一片)?(疹子?|红疹|红点|风团|包(?!邮|装|裹))|过敏了(?!解)|过敏反应|出现过敏|呼吸困难|喘不(上|过)气|嘴唇肿|红肿刺痛"
        r"|(药|药品)(发|拿|给|配|寄)错|错(的)?药|药[^。！？]{0,8}(跟|和)处方不一样|(不安全|安全隐患)(?![^。！？]{0,6}(吗|么|嘛|\?|？))"
        # session 29 (tests/dev10, found when the intent classifier was retrained and no longer read them as complaints): a
        # medicine not the one prescribed or usually taken, or for a child sent in an adult's dose
        r"|(药|胰岛素|处方|剂)[^。！？]{0,12}(跟|和|与)我(平时|平常|一直|之前)?(用|吃|打)的不是一(种|样|个)"
        r"|(儿童|小孩|孩子|宝宝)[^。！？]{0,10}(药|退烧|止咳|感冒)[^。！？]{0,14}(寄|发|送|给)(来|过来)?的是成人(剂量|用|的)"
        r"|\b(child'?s|children'?s|kids'?|infant|baby) [a-z ]{0,20}(medicine|medication|paracetamol|ibuprofen)\b[^.?!]{0,40}\badult (dose|strength|version)\b",
        re.IGNORECASE),
    compile_guarded(
        r"\b(we|i|he|she|they|my [a-z]+)( were| was| got| have been| has been)?( both| all)? (sick|ill|poorly|vomiting)\b[^?]{0,60}"
        r"\b(ate|eating|after|batch|bag)\b|\b(ate|eating|had|drank)\b[^?]{0,60}\b(were|was|got|fell|became)( both| all)? (sick|ill|poorly)\b|\bfood poisoning\b"
        r"|\bchoking hazard\b|\b(scorched|singed|burn(ed|t) (my|his|her|their|a hole))\b"
        r"|烫(焦|伤|坏)|鼓(起来|包)了?|差点[^。！？]{0,8}(吞|放(进)?嘴|噎|烫|割|夹)|太危险|很危险|食物中毒|吃了[^。！？]{0,12}(拉肚子|上吐下泻|吐了|进医院)",
        re.IGNORECASE),
)


_SAFETY_ASKED = one_of(
    # A safety word asked about (有安全隐患吗, 会不会不安全, "is it a fire hazard?") before anything happened.
    compile_guarded(r"(安全隐患|安全|危险)[^。！？]{0,4}(吗|么|嘛|[?？])|会不会[^。！？]{0,8}(安全隐患|不安全|危险)|"
               r"\b(is|are|could) (it|this|they|the|that)( [a-z]+)? (a )?(fire hazard|safety (risk|hazard)|dangerous)\b", re.IGNORECASE),
    compile_guarded(
        r"\b(is|are|could|would) (it|this|they|the|that|these|those)( [a-z]+){0,2} (a )?(choking|fire|safety|health) (hazard|risk)\b",
        re.IGNORECASE),
)


# issue 11, eleventh pass (fresh reviewers and a new user): more phrasings of the kinds above.
_CASES_11 = (
    # A charge the customer never made, said as a question (为什么有一笔我没消费的扣款; eleventh pass, a fresh reviewer).
    ("fraud", compile_guarded(
        r"(没|没有|从没|从来没)(消费|买|操作|授权|刷)(过)?的(扣款|扣费|扣钱|消费|账单|钱)|"
        r"一笔[^。！？，]{0,4}(没|没有|从没|从来没)(消费|买|操作|授权|刷)(过)?的(?!话)|"
        r"\b(charge|payment|debit)s?\b[^.!?]{0,20}\bi (never|didn'?t|did not) (make|made|authori[sz]e|buy|bought)\b", re.IGNORECASE)),
    ("double_charge", compile_guarded(
        r"\b(two|2|duplicate|double) (direct debits|debits|payments|charges|transactions)\b[^.?!]{0,40}"
        r"\b(same|leaving|taken|came out|went out|come out|on my (statement|account|bank)|every month)\b"
        r"(?![^?]*\?)(?![^.!]{0,40}\b(one for each|each|set up)\b)", re.IGNORECASE)),
    ("refund_missing", compile_guarded(
        r"\brefund\b[^.?!]{0,40}\b(approved|processed|issued|confirmed|authori[sz]ed)\b[^?!]{0,80}\b(nothing (has )?(come|arrived|"
        r"shown|appeared)|not (come|arrived|shown|appeared|received)|still (not|no|nothing|hasn'?t))", re.IGNORECASE)),
    ("bereavement", compile_guarded(
        r"(去世|过世|离世|病故)(?!多年)(?![^\n]{0,40}给自己)(?=[^\n]{0,40}(寿险|保险|理赔|受益人|遗产|继承))", re.IGNORECASE)),
    # ... and an account taken over (the password or bound phone changed by someone else), another customer's
    # details shown (a privacy breach), and harm from a product (both sick after eating it, scorched, a choking
    # hazard, 太危险).
    ("fraud", compile_guarded(
        r"(密码|绑定(的)?手机(号)?|手机号|邮箱)[^。！？]{0,6}被(人)?(改|换|修改|更换)|(绑定|登录)(的)?(手机|邮箱)(号)?[^。！？]{0,4}(换成|改成)了?[^。！？]{0,4}(不是我|别人|陌生)"
        r"|\b(password|e-?mail|phone number|email address)s?\b[^.?!]{0,30}\b(was|were|has been|have been|got) changed\b[^?!]{0,60}"
        r"\b(didn'?t|did not|wasn'?t me|not me|locked out)\b"
        r"|\bnew (shipping |delivery )?address\b[^.?!]{0,40}\b(on|in|added to) my account\b[^?!]{0,60}\b(orders?|i live|not mine|didn'?t)\b",
        re.IGNORECASE)),
    ("privacy", compile_guarded(
        r"\b(another|other|someone else'?s|a different) (customer'?s?|person'?s|people'?s|user'?s?)\b[^.?!]{0,20}\b(name|address|phone|"
        r"details|order|data|information|email)"
        r"|(看到|显示|收到)(了)?(别人|其他人|陌生人|其他用户)的?(收货)?(地址|电话|手机号|姓名|名字|订单|信息|身份证)", re.IGNORECASE)),
)

_CASES_13 = (
    # issue 11, thirteenth pass (a fresh writer's tests/dev13, read after it was scored untuned): a charge the
    # customer did not agree to or did not get is a billing dispute ("billed for 40 seats … nobody authorised the
    # increase", "billed for a filling I didn't have", "charged for the annual plan after cancelling in the
    # trial", 被改成了更贵的套餐，我没同意过); a question about such a charge is not.
    ("double_charge", compile_guarded(
        r"(?:\b(billed|charged|invoiced) (me |us )?for\b[^.?!]{0,40}\b((i|we) (didn'?t|did not|never) (have|had|get|got|receive|"
        r"received|order|ordered|use|used|book|booked|stay|stayed|add|added|ask for|asked for|agree to|agreed to)|(that|which) "
        r"(never|didn'?t) (arrive|arrived|came|come|happen|happened))\b"
        r"|\b(billed|charged|invoiced|upgraded|increased)\b[^.?!]{0,60}\b(nobody|no one|we never|i never|never)\b[^.?!]{0,25}"
        r"\b(authori[sz]ed|approved|agreed to|asked for|consented to) (it|this|that|the (increase|change|upgrade|charge|plan))\b"
        r"|\b(charged|billed|debited)\b(?! (a |the )?cancell?ation fee)[^.?!]{0,40}\bafter (i |we )?(had )?(cancel+ed|cancel+ing|"
        r"unsubscrib\w+)\b)"
        r"(?![^.!]*\?)(?![^.?!]{0,40}\b(that'?s fine|no problem|all good|my mistake|my bad|as (the|your) terms)\b)"
        r"|(?:(?<!如果)(?<!会不会)(?<!不会)(被|给我)(改|换|升级|变更|调)(成|到|为)?了?[^。！？]{0,12}(套餐|资费|会员|计划|档位)|"
        r"(套餐|资费|会员|计划|档位)[^。！？]{0,6}被(改|换|升级|变更|调))[^。！？]{0,10}(没|没有|未)(同意|授权|申请)"
        r"(?![^。！]*[？?吗吧])"
        r"|(?<!如果)(?<!会不会)(?<!不会)(?<!如果)(没|没有|未)(经过|经)?(我)?(的)?(同意|授权)[^。！？]{0,12}(就|擅自|直接)[^。！？]{0,4}"
        r"(扣|改|升级|变更|开通|续费)(?![^。！]*[？?吗吧])",
        re.IGNORECASE)),
)

# issue 11, sixteenth pass (a fresh writer's tests/dev16, read after it was scored untuned): a bill for what the
# customer (or their pet) never had ("My invoice lists a dental procedure that my dog did not have"), charged for a
# service that never came (取衣的人根本没上门…还扣了我39块，请撤销这笔费用), an invoice that does not match what was
# paid (发票金额跟我实际付的不一样).
_CASES_16 = {
    "double_charge": compile_guarded(
        r"\b(invoice|bill|statement|receipt)s?\b[^.?!]{0,20}\b(lists?|shows?|includes?|has|have|charges? (me |us )?for)\b[^.?!]{0,50}"
        r"\b(that|which) (i|we|my [a-z]+|he|she|they|it) (did not|didn'?t|never) (have|had|get|got|order|ordered|receive|received|"
        r"use|used|book|booked|need|needed)\b"
        # (its review: asked before anything happened — 快递没到之前会先扣钱吗？, 师傅没来的话会扣多少钱？ — is no dispute)
        r"|(根本)?(没|没有)(上门|来|取|送|到|服务)(?!的话|之前)[^。！？]{0,30}(扣|收)了(我)?[^。！？]{0,6}(钱|块|元|费)(?![^。！？]{0,10}(吗|么|[？?]))"
        r"|(撤销|退回|撤回)(这笔|该笔|此笔)(费用|扣款|收费|钱)(?!的)"
        r"|(发票|账单|收费|扣款)(的)?金额[^。！？]{0,12}(不一样|不一致|不符|对不上)(?![^。！？]{0,10}(吗|么|[？?]))"
        # ... and in English, a visit that never came but was charged ("The technician never came but you still took £60")
        r"|\b(never (came|turned up|showed( up)?|arrived|happened)|nobody (came|turned up|showed up)|no-?one (came|turned up))\b[^.?!]{0,40}"
        r"\b(took|charged|billed|debited|taken)\b"
        r"|\b(billed|charged)( me| us)? for (a|an|the) [a-z ]{1,20}(nobody|no one) (made|did|came)\b",
        re.IGNORECASE),
}

# issue 11, seventeenth pass (a fresh writer's tests/dev17, read after it was scored untuned): a charge from a company the
# customer never had an account with; a fee or deposit charged for what was handed back or returned fine ("A £15
# late-return fee was charged …, but I handed it in at the desk"; "charged my deposit for a 'broken pole' but the tent was
# fine when we returned it"); a bill for more than was had ("The March invoice lists eight sessions but my daughter only
# had six", 账单写的是八节课，但我女儿实际只上了六节); paid once and again (网上付了一次，到店又付了一次); a lawsuit named (小额诉讼).
_COUNT = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty|thirty)"
# (its review: a guest asking how to pay, a deposit and then the balance paid, a bill "that is 500 but I only have 300", 我不想打官司,
# "the electrician said it's fine but the socket is sparking" are no cases)
_RETURNED = r"(returned|handed (it |them |the [a-z ]{1,20})?(in|back)|brought (it |them |the [a-z ]{1,20})?back|dropped (it |them |the [a-z ]{1,20})?(off|back))"
_COUNT_ZH = r"[0-9一二三四五六七八九十两]+(节|次|晚|天|件|个|份|小时|课时|堂)"
_CASES_17 = {
    "fraud": compile_guarded(
        r"\b(charged|charging|charge|charges|debited|debit|taken from|payment of|on my (card|statement))\b[^!]{0,80}"
        r"\b(i'?ve never|i have never|i never|i don'?t even|i do not even|i'?ve not ever) (had|have|held|opened|created|set up|signed up for) "
        r"(an|any|a) (account|subscription|membership)\b"
        r"|\b(i'?ve never|i have never|i never) (had|held|opened|created|set up|signed up for) (an|any|a) (account|subscription|membership)\b"
        r"[^?!]{0,60}\b(charged|a charge|debited|taken from|billed)\b"
        r"|(从来|根本|从|压根)没(有)?(注册|开通|办)过[^，。！？]{0,8}(账号|账户|会员)[^。！？]{0,20}(扣|收)(了)?",
        re.IGNORECASE),
    "double_charge": compile_guarded(
        rf"\b(fee|charge|fine|penalty|deposit)\b[^.?!]{{0,40}}\b(charged|taken|applied|kept|deducted|withheld)\b[^.?!]{{0,40}}"
        rf"\b(but|even though|although)\b[^.?!]{{0,30}}\b{_RETURNED}\b"
        rf"|\b(charged|took|kept|deducted|withheld)\b[^.?!]{{0,40}}\b(fee|charge|fine|penalty|deposit)\b[^.?!]{{0,40}}"
        rf"\b(but|even though|although)\b[^.?!]{{0,30}}\b{_RETURNED}\b"
        rf"|\b(invoice|bill|statement|receipt)s?\b[^.?!]{{0,20}}\b(lists?|shows?|says|charges? (me |us )?for|includes?|has) ([a-z]+ )?{_COUNT} "
        rf"(?P<noun>[a-z]+)\b[^.?!%]{{0,30}}\bbut\b[^.?!]{{0,30}}\bonly (had|got|used|attended|received|took|ordered|came to|did|booked) "
        rf"{_COUNT}( (?P=noun))?(?=\s*([.,;!?]|$|\b(of|in|this|last|so)\b))"
        rf"|(账单|发票|收费单|扣费记录|对账单)[^。！？]{{0,8}}(写的是|显示|写着|列了|列的是|算的是|按)[^，。！？]{{0,6}}{_COUNT_ZH}[^。！？]{{0,12}}"
        rf"(但|可是|但是|可)[^。！？]{{0,10}}(实际|其实|只|才)[^。！？]{{0,4}}(上了|用了|来了|去了|住了|收到)[^。！？]{{0,3}}[0-9一二三四五六七八九十两]+"
        r"|(网上|线上|app|APP|小程序|店里|到店|现场|门店|微信|支付宝)[^。！？，]{0,4}(付|交|扣|刷|支付)(了|过)一次[^。！？]{0,12}(又|再)[^。！？]{0,4}"
        r"(付|交|扣|刷|支付)了一次",
        re.IGNORECASE),
    "legal": compile_guarded(r"我(们)?(要|会|准备|打算|已经|将|只能|在考虑|考虑|正在)[^，。！？]{0,6}(走)?(小额|民事)?(诉讼|打官司|法律程序|起诉)"
                             r"(?!费|服务|相关)", re.IGNORECASE),
}
# ... and on a second fresh writer's set (tests/dev18): a claim's refusal appealed ("Claim CL-20331 was declined, but section 4 seems to
# cover it. I'd like to appeal the decision."), notice given formally of costs to be sought, a child's purchase with the parent's
# card ("My son bought 8,000 gems with my card without asking"), a bill for what was not done ("billed for an X-ray … that wasn't
# done"), a fee disowned (这笔费用我不认可).
_CASES_17_DEV18 = {
    "fraud": compile_guarded(
        r"\b(son|daughter|kid|child|children|grandson|granddaughter|kids|\d+-year-old)\b[^.?!]{0,40}\b(bought|purchased|spent|paid|ordered|topped up)\b"
        r"[^.?!]{0,40}\b(with|on|using) my (card|account|phone|paypal|ipad|tablet)\b[^.?!]{0,20}\b(without (asking|permission|my (knowledge|permission|ok))|"
        r"behind my back)\b|\b(son|daughter|kid|child|\d+-year-old)\b[^.?!]{0,60}\bwithout (asking|permission|my (knowledge|permission))\b"
        r"[^.?!]{0,40}\b(with|on|using) my (card|account|phone|paypal|ipad|tablet)\b",
        re.IGNORECASE),
    "double_charge": compile_guarded(
        r"\b(my|our) (claim|refund|application|cover|request)\b[^.?!]{0,40}\b(was |has been |got )?(declined|rejected|refused|denied|turned down)\b"
        r"(?! by (the|a) (council|league|referee|judges?|embassy|court|bank|panel))"
        r"[^.?!]{0,80}([.;,]\s*)?[^.?!]{0,60}\b(i|we)('d| would)? (like|want|wish|intend) to (appeal|dispute|challenge|contest)\b"
        r"(?![^\n]*\?\s*$)(?![^\n]*\b(kidding|joking|contest|competition|raffle)\b)"
        r"|\b(claim|decision|refusal)\b[^.?!]{0,40}\b(declined|rejected|refused|denied|turned down)\b"
        r"(?! by (the|a) (council|league|referee|judges?|embassy|court|bank|panel))[^?!]{0,120}\b(i|we)('d| would)? (like|want|wish|intend) "
        r"to (appeal|dispute|challenge|contest) (the|this|that|your|it)\b(?![^\n]*\?\s*$)(?![^\n]*\b(kidding|joking|contest|competition|raffle)\b)"
        r"|\b(i was|we were|i'?ve been|we'?ve been|you (billed|charged)( me| us)?)( billed| charged| invoiced)? for (a|an|the) [a-z -]{1,30}\b(that|which) "
        r"(wasn'?t|was not|was never|never|weren'?t|were not|were never|has never been|hasn'?t been) (done|carried out|performed|provided|delivered|given|fitted)\b"
        r"(?![^.?!]{0,40}\b(refunded|credited|sorted|fixed)\b)"
        r"|(这笔|这个|该)[^，。！？]{0,4}(费用|费|收费|扣款)[^，。！？]{0,3}(我)?(不认可|不认|不同意|不承认)(?![^。！？]{0,8}(也没关系|的话|吗|么))"
        r"(?![\s\S]*(后来|解释清楚|没问题了))",
        re.IGNORECASE),
    "legal": compile_guarded(
        r"\b(put|putting) you on notice\b"
        r"|\b(notify|inform|notifying|informing) you formally\b[^.!?]{0,80}\b(claim|court|solicitor|breach|liable|liability|costs?|damages|deposit|"
        r"proceedings|compensation)\b|\bformally notify(ing)? you\b[^.!?]{0,80}\b(claim|court|solicitor|breach|liable|liability|costs?|damages|deposit|"
        r"proceedings|compensation)\b"
        r"|\bwe will be seeking (the )?[a-z ]{0,15}(costs?|damages|compensation)\b(?! from (the|our|my|an?) (airline|employer|venue|insurer|hotel|"
        r"council|landlord))(?![^.!?]{0,30}\bnot you\b)",
        re.IGNORECASE),
}

# issue 11, eighteenth pass (a fresh writer's tests/dev19, read after it was scored untuned): a charge made while the customer was
# nowhere near ("a charge … on my card … and I wasn't anywhere near a car that day", "I haven't shared my login with anyone"), a
# renewal never switched on (自动扣了三次会员费，但我从来没开过自动续费); two deductions or debits for the same thing; a fee disputed with
# proof ("You charged a £150 cleaning fee … I have timestamped photos"); an adjustment or refund agreed and not made ("the staff at
# the desk agreed to adjust it. The adjustment still hasn't happened.", 答应退差价…到现在还没退); a bill above what was agreed
# (说好的首年每月99，结果账单是每月159); a lawyer writing for a client.
# (its review: "The payment was for my son's taxi home, I wasn't in the car myself", "does that apply if I wasn't in the hotel that
# night?", 我从来没开过自动续费，怎么开？, "split the deposit into two separate debits", "charged me the consultation fee today and I
# have the receipts, can I claim it on my health insurance?", "offered to waive the late fee, which was really kind. Unrelated: the
# app still hasn't updated my address", 答应给我补的积分已经到账了, 说好的3点送到，结果收到货已经6点了, 受朋友委托帮他问一下价格,
# "on behalf of my client to book a double room" are no cases)
_NOT_ASKED_18 = r"(?![^.!?]*\?)"
_CASES_18 = {
    "fraud": compile_guarded(
        r"\b(charges?|payments?|transactions?|debits?)\b[^!?]{0,120}\b(i (wasn'?t|was not) (even )?(anywhere near|near)\b|"
        r"i (wasn'?t|was not) (even )?in the (country|city|area|state)\b|i was (abroad|overseas|out of the country)\b|"
        r"i('ve| have)? never (shared|given|lent|told) (anyone |anybody )?my (login|password|card|details|account|pin|card details)\b|"
        r"i (haven'?t|have not) (shared|given|lent|told) (anyone |anybody )?my (login|password|card|details|account|pin|card details)\b)"
        + _NOT_ASKED_18 +
        r"|(扣|收|续费|划走)[^。！？]{0,40}(但|可是|可|然而)?(我)?(从来|根本|压根|从|也)没(有)?(开|开通|开启|设置|同意|授权|订)(过)?[^，。！？]{0,4}"
        r"(自动续费|自动扣款|免密支付|连续包月|自动扣费)(?![，,]?\s*(怎么|如何)(开|设置))"
        r"|(从来|根本|压根|从|也)?没(有)?(开|开通|开启|设置|同意|授权|订)(过)?[^，。！？]{0,4}(自动续费|自动扣款|免密支付|连续包月|自动扣费)"
        r"[，,]?[^。！？]{0,12}(扣|收|续费|划走)了",
        re.IGNORECASE),
    "double_charge": compile_guarded(
        r"\b(see|seeing|noticed|there are|there were|i have|i'?ve got|got|spotted|found|shows?|showing) (two|2|three|3) (identical |separate |matching )?"
        r"(deductions|debits|withdrawals)\b|\b(two|2|three|3) (identical |separate |matching )?(deductions|debits|withdrawals)\b[^.?!]{0,30}"
        r"\b(for the same|of the same|on my|from my|both)\b|\b(deducted|debited|withdrawn) (twice|two times)\b"
        # a fee disputed with proof (the review: "I have the receipts, can I claim it on my insurance?" is none)
        r"|\b(charged|billed|took|deducted|applied|added|kept)\b[^.?!]{0,40}\b(fee|charge|fine|penalty|deposit)\b[^?!]{0,120}"
        r"\b(i|we)('ve| have)?( got| taken| took| have)? (the |dated |time-?stamped |clear )*(photos|pictures|proof|evidence|video|footage)\b"
        r"(?![^.!?]{0,40}\b(no problem|for my (expenses|records|claim|insurance))\b)" + _NOT_ASKED_18 +
        r"|(扣|收)(了|掉)?[^。！？]{0,10}(清洁费|押金|罚款|违约金|赔偿|维修费|损坏费|赔偿金)[^。！？]{0,30}(我)?(有|拍了|留了|录了)[^。！？]{0,6}(照片|视频|录像|监控|证据)"
        # an adjustment or refund agreed and not made (the review: "… it still hasn't shown but I know it takes 5-7 working days,
        # so no rush" is not due yet)
        r"|\b((agreed|promised|offered) to|said (they|she|he)( would|'d| will|'ll)) (adjust|refund|credit|reimburse|waive|correct|amend|"
        r"reduce|take [a-z ]{1,25} off)\b[^?!]{0,80}\b(still (hasn'?t|has not|haven'?t|have not) (happened|come|arrived|appeared|gone through|shown|"
        r"been (done|made|applied|refunded|credited))|never (happened|came|arrived|showed)|hasn'?t (happened|come|arrived|appeared|gone through)|"
        r"has not (happened|come|arrived|appeared|gone through)|nothing has (come|arrived|happened|changed|gone through)|still waiting)\b"
        r"(?![^.!?]{0,60}\b(no rush|takes? \d|working days|i know|not due)\b)"
        r"|(答应|承诺|说好|说了会)(给我|帮我)?(退|调整|调|改|补|减免|返还|退还)[^。！？]{0,30}(到现在|至今|还是|一直|都[^。！？]{0,6}了?也|也|还)"
        r"(没|没有)(有)?(退|调|改|补|到|到账|减|返|处理|动静|消息|下文)"
        # a bill above what was agreed (the review: 实际收了199，没问题 matches; 收到货已经6点了 is no bill)
        r"|(说好的?|约定的?|承诺的?|合同上?(写的)?|宣传的?|页面上?写的)[^。！？]{0,20}(结果|但|可是|实际|却|现在|怎么|这个月|这月)[^。！？]{0,6}"
        r"(账单|扣了|扣费|扣款|扣的|收了|收费|收的)[^。！？]{0,10}\d+(?![^。！？]{0,10}(吗|么|没问题|一样|一致|对的|正确))",
        re.IGNORECASE),
    # ... and a lawyer writing for a client (我是律师，受当事人委托就订单…与贵司联系), which the customer's own trade named does not undo
    "legal": compile_guarded(r"(律师|代理人|法务)[^。！？]{0,10}受[^，。！？]{0,8}委托|受当事人[^，。！？]{0,4}委托|律师函|代理律师"
                             r"|\bon behalf of (my|our) client\b[^.?!]{0,80}\b(claim|dispute|complaint|damages|breach|liability|legal|injur\w*|"
                             r"compensation|refund|proceedings)\b|\b(i'?m|i am) (a|an|their|her|his) (solicitor|lawyer|attorney)\b[^.?!]{0,40}"
                             r"\b(on behalf of|acting for|representing)\b",
                             re.IGNORECASE),
}

# Every kind with its phrasings from each pass, the kinds in the order they were first named.
# nineteenth pass (a fresh writer's tests/dev20, read after it was scored untuned): a debt collector's letter about a bill the customer
# disputes ("A debt recovery firm has written to me about a bill I'd already cancelled"), payment held on a solicitor's advice ("our
# lawyer has told us to withhold the last instalment"), a charge disputed in so many words (这笔增项费用我们有异议; not 如果有异议怎么办).
_CASES_19 = {
    "legal": compile_guarded(
        r"\b(letter|letters|call|calls|email|e-mail|notice|demand)s? from (a |an |the )?debt (collection|collector|collectors|recovery)"
        r"( agency| company| firm)?\b|\bdebt (collectors?|collection agency|recovery (agency|firm|company)) (have|has|are|is|keeps?|keep) "
        r"(contact|chas|writ|call|ring|threaten)\w*"
        r"|\b(our|my) (solicitor|lawyer|attorney|legal adviser)s? (has|have) (advised|told|instructed) (us|me) to (hold|withhold|stop|not pay|suspend|"
        r"keep back|delay)\b", re.IGNORECASE),
    "double_charge": compile_guarded(
        # session 39: the lookahead (?=…有异议) only states what the match needs anyway (at most 12 + 3 + 4 characters before
        # 有异议), so the scan of the clause to its end runs near a 有异议 only: before, it ran from every space, comma and "!"
        # of the message, about 0.9 s for 2,000 of them (a fresh attacker's review)
        r"(?:^|[，。！？,!?\s])(?=[^，。！？]{0,19}有异议)(?![^，。！？]*(如果|若是|万一|的话|怎么|吗|流程|[?？]))"
        r"[^，。！？]{0,12}(费用|账单|扣款|收费|金额|增项|这笔钱)[^，。！？]{0,4}有异议"),
}
_CASES = merged(_CASES_FIRST, _CASES_8, _CASES_9, _CASES_11, _CASES_13, _CASES_15, _CASES_16, _CASES_17, _CASES_17_DEV18, _CASES_18, _CASES_19)
