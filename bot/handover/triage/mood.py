"""Anger in the wording, apart from the emotion model's score: ``anger_cue`` (the wording carries anger;
the model must agree), ``plain_anger`` and ``strong_anger`` (the wording alone makes it plain),
``strong_sarcasm`` (mock praise) and ``mild_irritation`` (a softened irritation, no escalation on its own)."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from bot.nlu.emotion_lexicon import (
    ANGRY_WORDS_ZH, ANGRY_WORD_EN, DEMAND, MEANT_INTENSIFIER, PRAISE_OWN_WORDS, PROBLEM, REPEAT_HELP, RESOLVED, RHETORICAL, SARCASM,
    SHOUTED_WORD, acronyms_read_lower, capitals_excused, excitement_as_style, joy_as_style, loud_greeting_as_style, loud_question_as_style, without_others_words,
)
from bot.text import HAN, compile_guarded
from bot.handover.triage.common import (
    HYPOTHETICAL, LIFE_TROUBLE, NOT_COMPLAINING, is_polite, life_trouble_only, one_of, unnegated,
)
from bot.handover.triage.person import ASKS_WHAT_BOT_IS, NOTHING_NEEDED
from bot.handover.triage.cases import MESSAGE_NOUNS, PHISHING_CHECK, fraud_question
from bot.handover.triage.reports import ENDED_WELL, LATER_TRY_WORKED, RESOLVED_LATER_ZH, ULTIMATUM
from bot.handover.triage.common import straight_apostrophes  # twentieth pass: insult_after_but


# A sigh that comes with a repeated let-down ("sigh. still nothing. you said monday", 唉，又延迟了，第三个
#预计送达时间) is exasperation, not a softened irritation.
_LETDOWN = compile_guarded(r"\bstill (nothing|no|not)\b|\byou (said|promised|told me)\b|\bagain and again\b|\b(third|fourth|fifth) time\b|"
                      r"又(延迟|推迟|改期|改|拖|没到|没送)|第[二三四五六七八九十几0-9]+(个|次|回)|说好的|已经是第", re.IGNORECASE)
# A broken promise is anger in the wording: 说好的周一到，今天周四了; "you said monday. it's thursday."
BROKEN_PROMISE = compile_guarded(r"说好(的)?[^。！？]{0,20}(还是没|还没|都没|又没|怎么还|到现在还|结果又|结果还|"
                             r"都(周|星期|礼拜|[0-9一二三四五六七八九十几]{1,3}号)[^，。！？]{0,3}了)|"
                             r"答应(的|过)[^。！？]{0,12}(还是没|还没|结果)|"
                             r"\byou (said|promised|told me)\b[^?!]{0,60}\b(still|nothing|not yet|no sign|hasn'?t|isn'?t|never)\b",
                             re.IGNORECASE)
# Anger whose wording alone makes it plain (plain_anger): "do you even read", 你能看懂中文吗, thanks for
# making me wait (谢谢你们啊，让我…), asked yesterday and today again, patience worn out, a shop's promise
# in scare quotes read as "means 3 weeks in your world", 所谓的.
_PLAIN_ANGER_MORE = compile_guarded(
    r"(你|你们)(到底)?(能|会|是不是)?(看|听)(得)?懂(中文|人话|我说的话?|我的意思|汉字)?(吗|么|嘛)|"
    r"(你|你们)(是)?(看|听)不懂(中文|人话|我说的话?|汉字)?(吗|么|嘛)|"
    r"\b(can|do) you even (read|understand)\b|"
    r"(谢谢|感谢)(你们)?(啊|呀|哈)?[，,\s]*(又|还)?让我(白|多等|等了|在[^，。！？]{0,10}等|又|再|跑|空跑)|"
    r"\bthanks? (you )?for making me (wait|waste|chase|repeat|go|run|stand|sit|miss)\b|"
    r"(真棒|太好了|真好|好极了|可以的|厉害)[，,！!\s]*又(让|要|给|是)|"
    r"还要(再)?(问|说|等|来|找)(一遍|一次|一回)|(昨天|前天)[^。！？]{0,8}问了[^。！？]{0,12}(今天|又)|"
    r"耐心[^，。！？]{0,4}(耗|磨|用)(光|尽|完)|忍无可忍|\b(losing|lost|running out of) (my |all )?patience\b|"
    r"\b(my )?patience (is|has) (wearing|running|run|worn|ran|gone) (thin|out)\b|\bpatience (ran|wore) (out|thin)\b|"
    r"\bmeans?\b[^.?!]{0,40}\bin your world\b|"
    r"^\W*(great|perfect|brilliant|lovely|fantastic|wonderful|super|cool)[,.!]*\s+so (i'?ll|i will|i'?m going to) just "
    r"(keep |sit |carry on |go on )?(wait|waiting|sit|hang)",
    re.IGNORECASE)
# Anger in the wording that needs the model's agreement (an anger cue, not plain anger): "so-called",
# a threat to take one's custom elsewhere, "useless".
_ANGER_8 = compile_guarded(
    r"所谓的|\bso-called\b|\b(won'?t|will not|never) (be )?(order|shop|buy|buying|ordering|shopping|coming back)\w*"
    r"( (from|with|here|again))*\b[^.?!]{0,20}\b(again|after (this|all this))\b|\blast time i('?ll| will)? (order|shop|buy)\b|"
    r"最后一次在你们|再也不(买|来|点|用)|不会再(在你们|来你们|找你们)|(真是|真|太|简直|完全)没用|\buseless\b",
    re.IGNORECASE)
# An intensified feeling said outright ("really disappointed", 真的很失望，也很烦) — unless it ended well.
_FELT_ANGER = compile_guarded(
    r"(?<!不是)(?<!没有)(?<!不算)(?<!谈不上)(?<!不至于)(?<!没那么)(?<![不没别他她它])(真的|非常|特别|太|超级?)(很)?"
    r"(失望|烦|生气|恼火|火大|气愤|无语|窝火)|"
    r"(?<!不是)(?<!没有)(?<!不算)(?<!谈不上)(?<!不至于)(?<![不没别他她它])很(失望|烦人|生气|恼火|气愤)|"
    r"\b(i'?m|i am|i was|i feel|i'?ve been|i have been|feeling|makes me|made me|leaves me|left me|we'?re|we are) "
    r"(really|very|so|extremely|incredibly|totally|absolutely|seriously) (disappointed|annoyed|frustrated|angry|upset|fed up|"
    r"livid|furious|irritated)\b"
    # session 35 (session 34's reviewer): said without the "I'm" ("when will my order arrive, so annoyed"), "not impressed",
    # a patience at its end, a debt owed, money taken fast
    r"|(^|[,.;:!?(]\s*|\b(and|but|just|honestly)\s+)(really|very|so|extremely|incredibly|totally|absolutely|seriously) "
    r"(disappointed|annoyed|frustrated|angry|upset|fed up|livid|furious|irritated)\b"
    r"|\b(i'?m|i am|we'?re|we are|i was|very|really|seriously|definitely|frankly)( really| very| seriously| definitely)? "
    r"(not|un)( at all)? ?impressed\b|^\W*not impressed\b"
    r"|\b(my )?patience (has (its )?limits|is (running|wearing) (out|thin)|has run out|ran out)\b"
    r"|\bi'?m owed (an? )?(answer|apology|explanation|refund|reply|response)\b"
    r"|\b(took|take|taking) my money (fast|quick|quickly|happily) enough\b|\bhappy (enough )?to take my money\b",
    re.IGNORECASE)
# Anger in the wording the lists above miss: a threat to go public, an insult to the bot, 根本没人管,
# mock praise (准时迟到).
_ANGER_9 = compile_guarded(
    r"\b(i'?ll|i will|i'?m going to|i am going to|gonna|going to)\b[^.?!]{0,20}\b(post|share|put|plaster|tell everyone|"
    r"telling everyone|name and shame)\b[^.?!]{0,50}\b(on|to|all over|about) (twitter|x|facebook|instagram|tiktok|reddit|"
    r"social media|youtube|trustpilot|this|you)\b(?![^.?!]{0,40}\b(love|loved|recommend|great|amazing|lovely|giveaway)\b)"
    r"|\bname and shame\b|\b(leave|give|write) (you )?(a )?(1|one)[- ]star\b"
    r"|(最|真|好)(笨|蠢|傻)的?(机器人|ai|AI|客服)|(机器人|客服)(真|好|太)(笨|蠢|傻)|破机器人|笨死了?|你是不是傻"
    r"|(你们|客服|这里|店里)?(根本|压根)没(有)?人(管|理)(?![^。！？]{0,8}(我能|可以|能不能))|准时迟到|(?<!我)听(明白|懂)了(吗|没)",
    re.IGNORECASE)

# A count of days a wait has lasted, said as a diary ("Day 14 of waiting for my refund", "day 5 without broadband").
_DAY_COUNT = (
    r"\bday (\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty|thirty)\b,? (of|without) "
    r"((still )?(waiting|chasing|being ignored|no (reply|answer|refund|parcel|delivery|response|update|internet|wifi|signal|power|heating|"
    r"hot water))\b|(my |a |any |the )?(internet|wifi|wi-fi|broadband|signal|power|electricity|heating|hot water|phone line|refund|"
    r"parcel|order|reply|answer|response)\b)")
# Anger the wording makes plain whatever the model reads (a swear word, "a disgrace", "very upset with
# you", an imperative with "!!", 扯淡, 老子, 冤大头, 你们看着办, a one-star review written, 携号转网, mock praise
# before 又): strong, the wording decides (escalation.yml strong_anger_threshold).
_ANGER_10 = compile_guarded(
    r"\b(bullshit|shit|shite|fuck\w*|f\*+(c)?k\w*|f\*+ing|ffs|wtf|pissed( off)?|piss-poor|taking the piss|bollocks|"
    # session 30 (tests/dev27): a swear word written with its letters starred, said of something ("this is bullsh*t",
    # "s**t service"; not a word only mentioned: "words like sh*t", the "No Bullsh*t" cookbook — its review)
    r"(this is|that'?s|it'?s|what|such|total|complete|absolute|utter|pure)( an?)? ((bull)?s(h[*#@]|[*#@]{2})t|b[*#@]+llsh[*#@i]t)|"
    r"((bull)?s(h[*#@]|[*#@]{2})t|b[*#@]+llsh[*#@i]t) (service|company|app|shop|bank|support|website|customer service)|"
    r"disgrace\w*|(very|really|extremely|so) (upset|angry|annoyed) (with|at) (you|your)\b)"
    r"|(?:^|[.,;!?]\s*)screw (you|this|that|it)\b"
    # session 30 (tests/dev27): doubt that the bot knows anything ("do you actually know anything or just repeat the FAQ?";
    # not "do you actually know anything about vintage watches"), and a day or trip ruined by the company ("Mine's ruined
    # thanks to your 'express' shipping")
    # (its review: not a capability asked, "does the bot actually understand anything other than English?", nor said in jest;
    # the repeating done by the bot, not "or just copy the postcode"; no praise beside the ruin, "my diet is ruined thanks to
    # your amazing chocolate cake 😂")
    r"|\b(do|can|does) (you|this bot|the bot|it) (actually|even|really|honestly) (know|understand) (anything|a thing)"
    r"(?=\s*(?:(at all)\s*)?([?.!]|$|or\b))(?!.*(\bhaha|\blol\b|🙂|😂|😄|😅))"  # session 39: one \s* per gap
    r"|\bor (do you|does it|are you|you) (just|only) (repeat\w*|copy\w*|past\w*|parrot\w*|recit\w*|regurgitat\w*)\b"
    r"|\bor just (repeat|copy|paste|recite)( the)? (faq|same|script|help page|answer)"
    r"|\b(ruined|wrecked) (thanks to|because of|by) (you|your)\b(?!.*(\bamazing|\bdelicious|\blovely|\bgorgeous|\btasty|"
    r"\bthank|😂|🤣|😍|\blol\b|\bhaha))"
    r"|\bhow (is|was|can|could) (that|this|it) even (possible|allowed|legal|acceptable|fair)\b"
    r"|\bhow (is|was|can|could) (that|this|it) (possible|allowed|legal|acceptable|fair)\b[^.]{0,60}(\?!|!\?|？！|！？|\?\?|？？)"
    r"|^\W*(answer|listen|read|stop|fix|give|refund|cancel|sort)\b[^.?]{0,60}[!！]{2,}"
    r"|扯淡|扯蛋|(?<![《我他你她])老子(?!》)|冤大头|你们(自己)?看着办(?![吧就]|[^。！？]{0,6}(都行|都可以|就行))"
    r"|(一|1)星差评(已经)?(写好|发了|给你们)|差评(已经)?写好|(给你们|我要|就)[^，。！？]{0,4}(一|1)星差评"
    r"|(就|我要|马上|明天|立刻|直接)[^，。！？]{0,4}携号转网(?![^。！？]{0,6}(怎么|流程|吗|[?？]))"
    r"|(?<![不没打咬摔撕弄扯])破(运营商|公司|银行|平台|软件|app)"
    r"|(跟|和)没(回答|说|回)(有什么)?(区别|两样|一样)|(就|继续)拖着吧|^\W*好好好[，,、\s](?![^。！？]{0,12}(谢谢|知道了|收到|明白|好的))"
    r"|(太棒了|真好|真棒|好极了|太好了|厉害)[^。！？]{0,10}又(要|得|是)[^。！？]{0,6}(等|拖|坏|错|延|涨|扣|没)"
    r"|他妈的|(?<![a-z])tmd(?![a-z])|妈的|傻逼|傻b|煞笔|垃圾(公司|客服|服务|平台|银行|运营商)",
    re.IGNORECASE)
# issue 11, fourteenth pass (tests/dev14): leaving for a rival said as a threat ("if this isn't sorted by
# Friday I'm cancelling and going to a provider that can actually…", "…or I'm switching to another bank"),
# and Chinese rhetorical anger (抢钱啊, 靠猜的吗, 就是这么对待乘客的, 这不是欺负老人吗).
_LEAVE_FOR_RIVAL = (
    r"(i'?m|i am|i'?ll|i will|we'?re|we will|we'?ll|going to|gonna)( be)?( just)? (cancel\w*|switch\w*|mov\w*|leav\w*|go(ing)?|"
    r"tak\w* (my|our) (business|money|custom))\b[^.!?]{0,40}\b")
_ANGER_14 = compile_guarded(
    # a threat: after "if … / … or / unless / otherwise" in the same sentence, or to one "that can actually …"
    r"\b(if|unless|or|otherwise)\b[^.!?]{0,60}\b" + _LEAVE_FOR_RIVAL + r"(elsewhere|competitors?|rivals?|"
    r"(another|a different|a better|other|a proper|a real) (provider|bank|company|supplier|network|carrier|airline|insurer|shop|retailer|"
    r"firm|courier|platform|broadband|energy company)s?|(a|one) (provider|bank|company|airline|network|supplier|insurer))\b"
    r"|\b" + _LEAVE_FOR_RIVAL + r"(an?|one) ([a-z]+ ){0,2}(that|who|which) (can |will )?actually\b"
    # session 29 (tests/dev26): the threat first, its condition after ("I'll be switching to another provider tomorrow unless
    # someone explains this bill")
    r"|\b" + _LEAVE_FOR_RIVAL + r"(elsewhere|competitors?|rivals?|(another|a different|a better|other|a proper|a real) "
    r"(provider|bank|company|supplier|network|carrier|airline|insurer|shop|retailer|firm|courier|platform|broadband|"
    r"energy company)s?)\b[^.!?]{0,40}\bunless\b"
    # ... a count of days a wait has lasted, said as a diary ("Good morning! Day 14 of waiting for my refund", "day 5 without
    # broadband"), and the bot or a helpline asked whether it is only decoration ("is this thing on? or is it just decoration")
    r"|" + _DAY_COUNT +
    r"|\bis (this thing|this (bot|chat|helpline|number|button)|the (bot|chat|helpline|number|button)) (just |only |purely )?(for )?"
    r"(decoration|decorative|ornamental|for show|there for show)\b|\bis this thing (even )?on\b[^.!]{0,12}\bor\b[^.!]{0,30}"
    r"\b(decoration|decorative|for show|ornament|just me|talking to myself|anyone)\b"
    r"|(?<!被)(?<!在)抢钱(啊|吗|呢|么|呀|吧)?(?![包的]|活动|红包)|(靠|是)(猜|蒙|瞎猜|拍脑袋)(定|算|收|抄|估)?的(吗|么|嘛|[?？])(?![^。！]{0,8}(了解|请问|想问))"
    r"|谁(来)?赔(我|偿我)(的)?(工资|损失|钱|误工费|时间)|就是这么对待(客户|乘客|顾客|用户|消费者|业主|租客|学员)的?|(这|这样)?不是(在)?(欺负|坑|骗|耍|糊弄|折腾|为难)(?!小朋友)[^，。！？]{0,6}(吗|么|嘛)",
    re.IGNORECASE)
# issue 11, fifteenth pass (tests/dev15): rhetorical doubt of the customer's worth or of the bot's understanding ("Do
# you think my time is worthless?", "Can you actually understand English or not?"), being told to answer instead of
# being sent policies, and accusations (玩文字游戏是吧, 你们是不是想吞钱, 就这服务还敢涨价, 等什么？).
_WORDING_ANGER = one_of(
    compile_guarded(
        r"\bdo you (think|reckon|believe|expect)\b[^.?!]{0,20}\b(my time is (worthless|free|meaningless|nothing|not important)|"
        r"i'?m (stupid|an idiot|a fool|thick|made of money|blind|joking|a mug)|i am (stupid|an idiot|a fool|made of money|a mug)|"
        r"i (have|'ve got) (nothing better to do|all day))|\bis my time worth (nothing|so little)\b"
        # the review: a capability question ("Can your bot read handwriting or not?") is no doubt; the customer's own words are
        r"|\b(can|do|does) (you|your (bot|system|team)) (actually|even|really) (understand|read|listen to) (english|plain english|"
        r"what i (wrote|said|asked|typed)|my (message|messages|question|questions)|a (word|thing) i)\b"
        r"|\b(can|do|does) (you|your (bot|system|team)) (actually|even|really) (read|understand|listen)( anything| at all)?,? or not\b"
        r"|(^|[.!?]\s*)(just |please just )?answer (the|my) (damn |bloody |simple )?question\b(?!\s*(below|above|about|on|regarding|for|:))"
        r"|\b(instead of|keep|stop) (pasting|copying|quoting|throwing) (me )?(policies|policy|links|the same|templates|scripts|your)\b"
        r"(?![^.?!]*[?])"
        r"|(你们|你|这是|在|跟我|又)[^，。！？]{0,3}玩文字游戏|玩文字游戏(是吧|吧|呢|吗|么|[？?])|(耍|糊弄|忽悠|敷衍|坑|骗)(我|人|消费者|顾客|用户)(是吧|呢[？?]|玩)|(是)?在(耍|糊弄|忽悠|骗)我(吗|么|呢|吧)"
        r"|是不是(想|要|打算|故意)(吞|骗|坑|黑|贪)(钱|我|人|我们)|是不是(想|要|打算|故意)把[^，。！？]{0,6}(吞|骗|坑|黑)(了|掉)"
        r"|(谢谢|感谢)[^，。！？]{0,4}个鬼"
        r"|就这(服务|质量|态度|水平|效率|速度)(还|也)(敢|好意思|涨|收|要|卖)"
        r"|(让我|叫我|天天|一直|还要|还得)等[^。！？]{0,10}[，,]?\s*等(什么|啥)[？?]|等(什么|啥)[？?]\s*等[^。！？]{1,10}(吗|么|嘛|呢)"
        r"|等到(猴年马月|天荒地老)",
        re.IGNORECASE),
    # issue 11, sixteenth pass (a fresh writer's tests/dev16, read after it was scored untuned): doubt that the company is
    # real ("Is this a real company or a group chat with a logo?"), "it's only my money", "Not impressed. Not remotely.",
    # "don't send me the FAQ link again, I can read", cancelling for the place across the road; a threat to post
    # (我去小红书发帖), 有没有搞错, 别跟我扯什么规定, 是打算让我家变游泳池吗, 是在审核还是在睡觉, 实习生写的吧, 再也不用你们家了, 药呢？？？
    compile_guarded(
        # the review: "Is this a real company? I can't find you on Companies House" checks, it does not doubt
        r"\bis this (even )?a real (company|business|shop|service|airline|bank|firm) or (just )?(a|an|some)\b|\bor a group chat\b"
        r"|\bhow is this (even )?a real (company|business|shop|service|airline|bank|firm)\b"
        r"|\b(it'?s|it is) only my (money|time|life)\W*$"
        r"|\bnot impressed\W+(not (remotely|at all|in the slightest|one bit|even slightly)|at all)\b"
        # (the review: "please don't send me the FAQ link again, I've already read it, thanks" asks politely)
        r"|\b(stop|quit) (sending|giving|pasting|linking)( me)? (the|that|another|this|your|a|an) ([a-z]+ ){0,2}"
        r"(links?|faqs?|articles?|guides?|pages?|templates?|scripts?)\b[^.!?]{0,12}\bagain\b"
        r"|\b(don'?t|do not|no more) (send|sending|giving|pasting|linking)( me)? (the|that|another|this|your|a|an) ([a-z]+ ){0,2}"
        r"(links?|faqs?|articles?|guides?|pages?|templates?|scripts?)\b[^.!?]{0,12}\bagain\b[^.!?]{0,6}\bi can read\b"
        # (the review: "I might cancel and go with the shop across the road, at least it's closer" compares calmly)
        r"|\bcancel\w*\b[^?]{0,60}[.!]\s*(the (place|shop|one|garage|company|guys?|lot)|they) (across|over|down|up) the (road|street)\b"
        r"[^.!?]{0,30}\bat least\b"
        r"|我(就|要|会|得)?(去)?(小红书|微博|抖音|大众点评|点评|黑猫(投诉)?|朋友圈|知乎|[bB]站|网上)(上)?(发帖|发文|发视频|曝光|吐槽|说道说道|写差评)"
        r"|(^|[，。！？!?\s])有没有搞错(?=[，。！？!?\s]|$)|(别|不要)(跟|和)我(扯|提|说|讲|来)(什么)?[^，。！？]{0,6}(规定|政策|流程|制度|代金券|优惠券|积分|补偿|道歉|抱歉)"
        r"|是(打算|想)让我(家)?[^。！？]{0,8}变(成)?[^。！？]{1,6}(吗|么|嘛)[？?]"
        r"|是在[^，。！？]{1,8}还是在(睡觉|摸鱼|玩|度假|放假|冬眠|喝茶)"
        r"|(实习生|小学生|临时工)(写|做|设计|弄|开发|搭)的吧"
        r"|(以后)?再也不(会)?(买|来|用|点|找|选|坐|订)(你们|你家|这家)"
        r"|呢[?？]{3,}",
        re.IGNORECASE),
    # issue 11, seventeenth pass (a fresh writer's tests/dev17, read after it was scored untuned): rhetorical doubt ("How is it
    # possible that I pay for premium and …?", "Anything else I should have checked myself?", "Do your cleaners get any training
    # at all, or is bleach on a wool rug part of the package?", "Do you actually understand anything I type or do you just pick
    # a random FAQ?", 那预约的意义在哪里呢, 我花钱买的是什么, 还有什么是我应该自己提前检查的吗); a retention offer refused ("No need to
    # send me a retention offer"); money back demanded, not a voucher; a cold demand for an explanation at the end ("Looking
    # forward to the explanation.", 期待你们的解释); a threat to post it all online (我就把聊天记录全部发到网上, 整个经过我会写到小红书上);
    # 说了也没用; 你们说怎么办！！
    # (its review: "Is breakfast extra, or is it part of the package?", "Is there any supervision at all for the kids?", "How is it
    # possible that you delivered so fast? amazing", 会员积分的意义在哪里？, 我会把整个经过写到小红书上推荐给大家, 你说该怎么办？ are no anger)
    compile_guarded(
        r"\bhow is it (even )?(possible|acceptable|okay|ok|fair|right|legal) that\b(?![^\n]{0,80}\b(amazing|impressive|brilliant|love|wow|"
        r"curious|how you (did|do) it|so (fast|quick|good))\b)|\bhow come (i|we) (pay|paid|am paying|are paying)\b"
        r"|\b(anything|something) else (i|we) should have (checked|done|known|brought|tested|inspected|asked) (myself|ourselves)\b"
        r"(?![^.?!]{0,20}\b(before|first)\b)"
        r"|\b(do|does) (your|the) [a-z]+( [a-z]+)? (get|have|receive|undergo) any (training|checks?|supervision|quality control) (at all|whatsoever)\b"
        r"|\b(bleach\w*|damag\w*|ruin\w*|broke\w*|stain\w*|scratch\w*|dent\w*|lost|missing|mould\w*|dirty|wrong)\b[^?]{0,40}\bpart of the "
        r"(package|service|deal|plan|price|experience|offer)\W*$"
        r"|\b(do|does|can) (you|your (bot|system)) (actually|even|really) (understand|read) anything (i|we) (type|write|say|send|ask)\b"
        r"|\bor do you (just )?(pick|send|copy|paste|throw|spit out) (a |the )?(random|same|first|stock|canned) (faq|answer|reply|response|article|"
        r"template|link)s?\b"
        r"|\bno need to (send|offer|give)( me)? (a |any |your )?(retention|loyalty|win-?back|discount|special) (offer|deal|discount|email|call)s?\b"
        r"|\b(don'?t|do not) (bother|try) (to )?(keep|retain|win back) me\b|\b(don'?t|do not) (bother|try) (to )?talk me out\b"
        r"|\b(want|expect|demand|need)( my| the)? (full |whole |entire )?([a-z-]+ )?(money|refund|fee|payment|deposit|cost|price|amount)( back)?"
        r",? not (a |another |some |more )?(voucher|credit|coupon|gift card|points|discount|partial)"
        r"|[.!]\s*(i'?m |i am )?(looking forward to|i look forward to|awaiting|waiting for) your excuses?[.!…]*\s*$"
        r"|期待(你们|您|贵司)?的?(说法|交代)[。！!…]*\s*$"
        r"|(那|那么|那这|这样的话)[^，。！？]{0,8}的?意义(在哪|何在)(里|儿)?|还有什么意义[？?]"
        r"|我花(了)?(钱|这么多钱|[0-9一二两三四五六七八九十百千万]+(块|元)?)?[^。？！]{0,6}买的是(什么|啥)(?=[？?！!]|$)"
        r"|[，。,]\s*还有(什么|啥)(是)?我(应该|该|得)自己[^。？！]{0,6}检查[^。？！]{0,4}(的)?(吗|么|[？?])"
        r"|(我就|我会|我要|就会|我将|我只能)[^。！？]{0,20}(聊天记录|截图|经过|遭遇|这件事)[^。！？]{0,10}(写到|发到|发在|贴到|晒到|挂到|曝光到|发上)"
        r"[^。！？]{0,8}(网上|小红书|微博|抖音|大众点评|点评|朋友圈|知乎|黑猫)(?![^。！？]{0,10}(推荐|分享|好评|安利))"
        r"|说了(也|都)(白说|没用)|(反映|投诉|催)(了|过)?(也|都)没用|你们说(该)?怎么办[!！]"
        # ... and on a second fresh writer's set (tests/dev18): money back with no substitute ("I want the full cost refunded. Not a
        # discount, not a credit.", 不要优惠券，不要积分，我就要退款), asked how many times to say it (说了多少遍了…还要我再说几遍), an apology
        # as all the answer (你们回一句“抱歉”就完了？), 再也不买了 beside a fault
        r"|(?<!朋友)(?<![他她])(?<!别人)(?<!孩子)(说|讲)了多少(遍|次)(了)?(?![^，。！？]{0,6}(才|绕口令))|(还|到底)要我(再)?(说|讲)几(遍|次)(?![^，。！？]{0,4}(才|绕口令))"
        r"|(回|给|说|发)(了)?(一句|个)[“\"「](抱歉|对不起|不好意思|sorry|sorry啊)[”\"」]就(完了|想打发|打发)(我)?(吗|么|[？?])",
        re.IGNORECASE),
    # issue 11, eighteenth pass (a fresh writer's tests/dev19, read after it was scored untuned): doubt that talking to the bot
    # is any use ("Is there any point talking to you?", "Do you actually read what I type …?"), praise undone by its condition
    # ("Top marks for the haircut, if the look you were going for was …"), the customer taken for a fool (把我们当冤大头), a line
    # that never answers (退卡电话永远打不通). (Its review: "Is there any point talking to your mortgage advisers before I've saved a
    # deposit?", "Do you ever look at these old coins?" ask.)
    compile_guarded(
        r"\bis there (any|even any|really any|much|a|even a) point (in )?(me )?(talking|speaking|writing|messaging|chatting|emailing|"
        r"contacting|calling|asking)( (to|with))? (you|this (bot|chat|thing)|a bot|the bot|your (bot|chat ?bot|support|customer service|team))\b"
        r"(?! (before|if|when|about)\b)"
        r"|\bdo you (actually|really|even) (read|listen to|understand) (what i|my (message|question|messages|questions|emails?)|these|"
        r"anything (i|we)|a (single )?word|the messages)\b"
        r"|\b(top marks|full marks|ten out of ten|10/10|five stars|5 stars|well done|great job|nice work|bravo|gold star)\b[^.!?]{0,60}"
        r"\bif (the |your )?(look|idea|plan|goal|aim|point|intention|target|brief)( you were going for| you had| was)\b"
        r"|(把|拿)(我们|顾客|消费者|家长|用户|客户|我)当(傻子|冤大头|韭菜|提款机)"
        # (and on the retrained model, tests/dev8: 健身房卡办了就找不到人了是吧？退卡电话永远打不通)
        r"|(电话|客服|热线)[^，。！？]{0,4}(永远|根本|压根|从来)(都)?打不通|(是)?靠猜的(吗|么|嘛|[？?])",
        re.IGNORECASE),
    # twenty-first pass (a fresh writer's tests/dev23, read after it was scored untuned): a public review threatened everywhere or
    # unless the fault is put right ("I'm posting the photos on every review site tonight", "1 star everywhere unless this gets
    # sorted this week", 今天就去大众点评发图); not a review promised for good service ("I'll post on every review site how
    # great you were" has praise beside it: _PRAISE_18 below guards the English).
    compile_guarded(
        # (its review: "I'm putting a 5-star review on every site", "…photos on all the review sites, the venue looked stunning",
        # "Your competitors have 1 star everywhere", "Is it true I can't leave 1 star unless…?", 今晚就去小红书晒图，这衣服太好看了)
        r"\b(post|posting|put|putting|share|sharing|upload\w*|plaster\w*|going up|go up|goes up)\b(?![^.?!]{0,30}\b(5|five)[- ]stars?)"
        r"[^.?!]{0,30}\b(on|to|across|all over) (every|all the|each) (review )?(sites?|platforms?|websites?)\b"
        r"(?![\s\S]{0,80}\b(love|loved|recommend\w*|great|amazing|lovely|brilliant|fantastic|stunning|stars|(5|five)[- ]stars?|deserve\w*|"
        r"incredible|best|thank\w*)\b)"
        r"|\b(leave|leaving|give|giving|post|posting|write|writing|rate|rating)( you| it| this| them)? (a )?(1|one)[- ]stars?"
        r"( reviews?| ratings?)? (everywhere|on every|across|all over)\b(?![^?]*[?])"
        r"|\b(1|one)[- ]stars?( everywhere)?[^.?!]{0,20}\bunless (this|it|you|my|i|someone|somebody|the)\b(?![^?]*[?])"
        r"|\b(1|one)[- ]stars?( everywhere| on every [a-z]+)?[^.?!]{0,20}\bif (my|this|it|the|you)\b[^.?!]{0,40}"
        r"\b(not|isn'?t|aren'?t|doesn'?t|don'?t|won'?t|hasn'?t|haven'?t)\b(?![^?]*[?])"
        r"|(就|马上|今天|今晚|明天|立刻|直接|我要|我会)(就)?(去)?(大众点评|点评|小红书|微博|抖音|黑猫(投诉)?|朋友圈|网上)(上)?(发图|晒图|发照片|晒照片|曝光|发帖)"
        r"(?![\s\S]{0,20}(推荐|好评|夸|安利|表扬|种草|五星|好看|喜欢|好吃|开心|满意|太棒|超棒|漂亮|可爱|问问|请教|求助|咨询|怎么用|期待))",
        re.IGNORECASE),
    # ... a command and then "Now." on its own (把自动续费关了。现在。 / "Cancel it. Now."), a swear word opening (靠，…; not 靠！抢到了),
    # the customer asked what the company takes them for (当乘客是货吗？, 把我们当猴耍; not 当用户是什么等级的时候…), doubt that the
    # company even wants the work or believes itself (你们是真不想做这单吗？, 你们自己信这叫公平抢票吗？; not …好期待啊), "what exactly
    # were you doing with it?" (not "what are you doing with my data under GDPR?")
    compile_guarded(
        r"^\W*(cancel|refund|stop|fix|send|give|close|delete|remove|turn|switch|call|answer|sort|return|take|unsubscribe|end)\b[^.?!]{0,60}"
        r"[.!]\s*(now|right now|immediately)[.!]*\s*$"
        r"|(关|退|停|取消|处理|办|删|撤|改|换|修|发)(掉|了|好)?[。！!]\s*(现在|马上|立刻|立即|立马)(就)?[。！!]*\s*$"
        r"|^\W*(靠|我靠|tmd|TMD|妈的|他妈的|特么|尼玛)[，,！!\s](?![^。]{0,20}(抢到|开心|太快|太好|好看|厉害|牛|终于|成功|中了|赢|哈哈|太棒|绝了|爽))"
        r"|当(我|我们|乘客|客户|顾客|消费者|用户|业主|家长|病人|患者)(是)?(傻子|傻瓜|猴子?|货|空气|提款机|韭菜|冤大头|三岁小孩|小孩)"
        r"|当(我|我们|乘客|客户|顾客|消费者|用户|业主|家长|病人|患者)是什么(人|东西)?(了|吗|呢|啊)?[?？]"
        r"|(把|拿)(我|我们|乘客|客户|顾客|消费者|用户|业主|家长)当(猴子?耍|猴子?|傻子|傻瓜|三岁小孩|小孩|空气|提款机|韭菜|冤大头)"
        r"|你们(是)?(真|根本|到底|压根)(就)?(不想|不打算|没打算|不愿意)[^，。！？]{0,8}(吗|么|嘛|是吧)[?？]"
        r"(?![\s\S]{0,12}(好期待|期待|好想|希望|求求|喜欢|想要))"
        r"|你们自己(信|相信)[^。！？]{0,16}(吗|么|嘛)[?？]"
        r"|\bwhat (exactly|on earth|the hell|the heck) (were you doing|did you do) (with|to) (it|that|them|my [a-z]+)\b",
        re.IGNORECASE),
)
# ... and, each only when the message carries none of its guard's words (kept apart: a guard reads the whole message — a table
# entry opening on ^(?![\s\S]*…) would make the table's first-character filter try every position; the bench's triage time
# doubled): money back with no substitute, not asked nicely ("I want the full cost refunded. Not a discount, not a credit.";
# not "Refund, not a voucher please, since …", 不要优惠券，我只要退款就行，麻烦了), 再也不买了 beside a fault of ours (not 以前那个牌子漏水，
# 再也不买了，换了你们家的).
_GUARDED_ANGER_17 = (
    (compile_guarded(r"\b(refund(ed)?|money back|back in full)\W+(not|no) (a |another |more |store )?(discount|voucher|credit|coupon|"
                     r"gift card|points|partial|apology)\b", re.IGNORECASE),
     compile_guarded(r"\?|\b(please|thanks|thank you|since|because|policy)\b", re.IGNORECASE)),
    (compile_guarded(r"不要(优惠券|代金券|积分|补偿|券|代金卷|换货)[，,、]\s*(不要[^。！？]{1,6}[，,]\s*)?(我)?(就|只)(要|想要)(退款|退钱|全额退)"),
     compile_guarded(r"谢谢|麻烦|就行|的话|吗|因为|理解")),
    (compile_guarded(r"(坏|烂|臭|漏|假|差)[^。！？]{0,20}再也不(会)?(买|来|用|点|订)了"),
     compile_guarded(r"搬家|搬去|搬到|毕业|谢谢|感谢|照顾|解决了|好评|感动|五星|满意|换了|以前|之前|别家|那个牌子|你们家的|正品|推荐")),
)
# ... and a customer lost said in Chinese (以后不会再约了, 我就不多说了), an anger cue unless they moved, finished or thank us.
_LEFT_US_ZH = compile_guarded(r"(再也不(会)?|以后不会再|不会再)(约|来|买|订|找|点)(你们|你家|这家)?了|我就不多说了|不想多说了")
_LEFT_US_GUARD = compile_guarded(r"搬家|搬去|搬到|毕业|谢谢|感谢|照顾|解决了|好评|感动|五星")

# ... and on tests/dev19, each with its guard (its review: "Google reviews will be hearing about this, the staff were incredible",
# "Thanks so much for wasting no time in sorting my refund", "Thanks for charging my car overnight", 你们这生意模式挺聪明的，想了解
# 一下加盟条件, 孩子…现在算盘打得可真精，谢谢老师, 做主播的钱那么好赚吗？想报个直播培训班, 听说有些机构交了钱就找不到人了): a review site
# told to expect the story ("Trustpilot will be hearing about this", "I'll be putting this on Trustpilot"), thanks for a harm ("Thanks
# so much for charging me surge pricing and then cancelling the ride", "… for keeping me on hold for an hour"), a business called
# clever at the customer's cost (你们这生意做得挺聪明啊, 算盘打得真响), the customer's money called easy to make (家长的钱就这么好赚？), nobody
# to be found once paid (交了学费就找不到人了).
_PRAISE_18 = (r"\b(best|amazing|incredible|great|thanks|thank you|love|loved|brilliant|wonderful|fantastic|excellent|recommend\w*|"
              r"lovely|superb|delicious|beautiful|kind|helpful|perfect|gorgeous|stunning)\b")
_GUARDED_ANGER_18 = (
    (compile_guarded(r"\b(trustpilot|google( reviews?)?|yelp|tripadvisor|reddit|twitter|facebook|instagram|tiktok|social media|"
                     r"the (local )?(papers?|press|news)|watchdog|everyone i know)\b[^.!?]{0,20}\b(will|'ll|is going to|are going to|gonna) "
                     r"(be )?(hear(ing)?|know(ing)?|find(ing)? out|read(ing)?) (all )?(about|of|how)\b"
                     r"|\b(i'?ll|i will|i'?m going to|going to) (be )?(put|putting|post|posting|write|writing|leave|leaving) (this|it|a review|"
                     r"my experience|about (this|it|you))( up)? on (trustpilot|google|yelp|tripadvisor|facebook|twitter|reddit|social media)\b",
                     re.IGNORECASE),
     compile_guarded(_PRAISE_18, re.IGNORECASE)),
    (compile_guarded(r"\b(thanks|thank you)( so much| very much| a lot| again)? for (overcharging|double[- ]charging|ignoring|losing|wasting|"
                     r"ruining|stranding|keeping me (on hold|waiting)|making me wait|(charging|billing|cancel+ing)\b[^.!?]{0,60}\b(and then|then|"
                     r"only to|before) (cancel+ing|charging|billing|ignoring|leaving|losing))", re.IGNORECASE),
     compile_guarded(r"\bwasting no time\b|\bno time\b|\bcharging (my|the|our) (car|phone|battery|ev|scooter|bike|van)\b", re.IGNORECASE)),
    (compile_guarded(r"(你们|你家)(这)?(生意|买卖)[^，。！？]{0,3}(挺|真|可真|太|很)(聪明|精明|会做)|算盘打得(真|挺|可真|太|好)?(响|精)"),
     compile_guarded(r"加盟|模式|了解|合作|学|孩子|珠心算|谢谢|感谢|老师")),
    (compile_guarded(r"的钱(就|也)?(这么|那么)好(赚|挣|骗|坑)"),
     compile_guarded(r"想报|培训|学|怎么做|入行|主播|课程|请问")),
    (compile_guarded(r"(办了|交了[^，。！？]{0,3}|付了钱|买了)[^，。！？]{0,4}就找不到人了"),
     compile_guarded(r"听说|有些|别家|别的|其他|会不会|怎么样")),
)

# ... and on tests/dev20 (nineteenth pass), each with its guard: an honest review promised ("Expect a very frank review", 我会在点评上
# 写清楚的; not beside praise), the customer's money called well spent after a loss (学费交得可真值啊; not "花得真值，孩子进步很大"), a
# workshop asked whether it works with its feet (你们是用脚装的吗, 拿手算的吗), how a business "manages to" lose or break a thing ("How
# does a courier manage to lose a sofa?"), a sum asked after ("Where is my £120?"; not with tracking or how long things take).
_GUARDED_ANGER_19 = (
    (compile_guarded(r"\b(expect|look out for|watch out for|there will be|you'?ll (get|see|be getting)|i'?ll (be )?(leav|writ|post)(e|ing)) "
                     r"an? (very |brutally |really |extremely )?(honest|frank|detailed|long|scathing|candid) review\b"
                     r"|我(会|要|就|得)(去|在)?(大众点评|点评|小红书|网上|微博|抖音|朋友圈)(上)?(写清楚|如实写|如实说|说清楚|写出来|好好写|说道说道)",
                     re.IGNORECASE),
     compile_guarded(_PRAISE_18 + r"|好评|推荐|满意|五星", re.IGNORECASE)),
    (compile_guarded(r"(这钱|钱|学费|费用|这费用|报名费)[^，。！？]{0,3}(花|交|付|出)得(可)?(真|太|好)值(啊|呀|了|呢|哦)?"),
     compile_guarded(r"进步|满意|推荐|喜欢|好评|效果好|很好|不错|开心|值得")),
    (compile_guarded(r"(你们|你)是(不是)?(拿|用)脚[^，。！？]{0,4}的|(你们|你)是(不是)?(拿|用)手(算|数)的(吗|吧)"),
     compile_guarded(r"手工|手作|纯手")),
    (compile_guarded(r"\bhow (does|do|did|can|could) (a|an|the|your|you|anyone|someone|one) ([a-z-]+ ){0,3}manage to (lose|break|forget|mess up|"
                     r"miss|mix up|ruin|damage|misspell|smash|crack|spill|drop)\b", re.IGNORECASE),
     compile_guarded(_PRAISE_18, re.IGNORECASE)),
    (compile_guarded(r"\bwhere('?s| is) my (£|\$|€|¥)\s?\d", re.IGNORECASE),
     compile_guarded(r"\b(track\w*|normally|usually|how long|expected|should i expect)\b", re.IGNORECASE)),
)


def _guarded_anger_17(lowered: str) -> bool:
    """A ``_GUARDED_ANGER_17``, ``_GUARDED_ANGER_18`` or ``_GUARDED_ANGER_19`` phrase in the lowered text with none of its guard's words."""
    return any(phrase.search(lowered) and not guard.search(lowered)
               for phrase, guard in _GUARDED_ANGER_17 + _GUARDED_ANGER_18 + _GUARDED_ANGER_19)
# ... said in jest ("Do you think I'm made of money? Haha, joking, what's the cheapest plan?"): no anger (the review)
_JOKE = compile_guarded(r"\b(haha\w*|lol|joking|jk|kidding)\b|😂|🤣|😆|哈哈|开玩笑", re.IGNORECASE)


# seventeenth pass (tests/dev17): an explanation awaited after a problem or a word in scare quotes ("Apparently 'quiet time' at your
# nursery means my son misses lunch. Looking forward to the explanation.", 原来你们园的“午休”就是不给孩子吃午饭，期待你们的解释) — not
# after a lesson or homework ("I've sent the homework over. Looking forward to your explanation!"; its review).
_EXPLANATION_DUE = compile_guarded(r"[.!。！，,]\s*(i'?m |i am )?(looking forward to|i look forward to|awaiting|waiting for) (the|your) explanation"
                                   r"[.!…]*\s*$|期待(你们|您|贵司)?的?解释[。！!…]*\s*$")
_NOT_OWED = compile_guarded(r"\b(thanks|thank you|lesson|homework|exercise|question \d|class)\b|题|课|作业|谢谢")


@lru_cache(maxsize=1024)  # pure on the text; anger_cue and strong_anger both ask with the same lowered text (session 42)
def _wording_anger(text: str) -> bool:
    """``_WORDING_ANGER`` in ``text`` (lowered by the caller), or an explanation awaited after a problem
    (``_EXPLANATION_DUE``), not said in jest. The parameter is named ``text`` because the benchmarks clear the caches
    of functions whose first parameter has that name (``bench.reading_latency.text_caches``)."""
    if _JOKE.search(text):
        return False
    if _WORDING_ANGER.search(text) or _guarded_anger_17(text):
        return True
    due = _EXPLANATION_DUE.search(text)
    if not due or _NOT_OWED.search(text):
        return False
    before = text[:due.start()]
    return bool(PROBLEM.search(before) or _QUOTED_WORD.search(before) or _PROBLEM_16.search(before))


# ... but not a swear word of delight ("holy shit, a day early, amazing", "the dog's bollocks", "shit happens, no
# worries"), "how is that even possible?" in wonder, nor "!!" beside thanks or good news ("Cancel that, found it!!"),
# nor a negated one ("not pissed off, just curious", "not a disgrace at all").
_DELIGHT = compile_guarded(r"\b(amazing|brilliant|awesome|best|love[ds]?|great|perfect|fantastic|excellent|no worries|happens|dog'?s|"
                      r"cheers|thanks?|thank you|early|legend|wow|impressive|made my day|found it|loved|please|pls)\b", re.IGNORECASE)
_NOT_STRONG = compile_guarded(r"\b(not|never|wasn'?t|isn'?t|aren'?t|weren'?t|no)( (a|at all|even|really|remotely))? "
                         r"(pissed( off)?|a disgrace|disgraceful|(very |really |so )?(upset|angry|annoyed))\b", re.IGNORECASE)
_ENGLISH_STRONG_WORD = compile_guarded(r"\b(bullshit|shit|shite|fuck\w*|f\*+(c)?k\w*|f\*+ing|bollocks|pissed( off)?|"
                                  r"(bull)?s(h[*#@]|[*#@]{2})t|b[*#@]+llsh[*#@i]t)\b|"
                                  r"\bhow (is|was|can|could) (that|this|it)|^\W*(answer|listen|read|stop|fix|give|refund|cancel|sort)\b",
                                  re.IGNORECASE)


# issue 11, twentieth pass (a fresh new user): an insult or an accusation after "but" is anger whatever polite opening comes
# before it ("Thanks a lot, take your time, but you lot are a bunch of thieves", "no worries, but I'm going to report you to the
# police", 谢谢，慢慢来，但是你们这群骗子…): the calm frame and the thanks (calm_framing, is_polite) must not swallow what follows.
_BUT_INSULT = compile_guarded(r"\b(but|however|though)\b|但是|可是|不过|但", re.IGNORECASE)
_INSULT = compile_guarded(
    r"\byou('re| are)?( people| lot| guys| all| lying| thieving| absolute| total| complete| bloody| rotten| are| a bunch of| a pack of|"
    r" a load of| a gang of| such| just)*\s(cheats?|cheaters|thie(f|ves)|liars?|scammers?|scam artists|crooks|frauds|fraudsters|"
    r"con artists|swindlers|robbers|shysters|scumbags|criminals)\b"
    r"|\b(lying|thieving|crooked|dishonest) (cheats?|thieves|scammers|crooks|liars|scumbags|shysters|company|firm|shop|lot)\b"
    r"|\brip-?off merchants\b|\b(daylight robbery|you (stole|robbed|conned|scammed|cheated|swindled) (me|us|my))\b"
    r"|\b(report(ing)?|going to report|will report|i'?ll report|i'?m reporting) (you|your (company|shop|firm|business)|this company)"
    r"( all)? to (the )?(police|cops|trading standards|ftc|bbb|authorities|consumer (council|protection)|fraud (squad|office))\b"
    r"|\b(call(ing)?|phon(e|ing)|contact(ing)?) the (police|cops) on you\b"
    r"|(你们|这帮|这群|一群|这家|真是|就是|简直是?)[^，。！？,.!?]{0,6}(骗子|黑店|强盗|小偷|奸商|土匪|流氓|无赖|骗钱|坑人)|黑店|奸商"
    r"|你们[^，。！？,.!?]{0,6}(骗|坑)(了|走)?(我|人)|(我要|我会|我去|要去|准备|已经|马上)(去)?(报警|向警方|找警察)|举报你们",
    re.IGNORECASE)


def insult_after_but(text: str) -> bool:
    """True when an insult or accusation aimed at the company (cheats, thieves, liars, scammers, reported to the police,
    骗子, 黑店, 奸商, 报警) follows a "but" (但是, 可是, 不过): the wording after the "but" decides, whatever thanks or
    "no rush" came before it (twentieth pass).

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = straight_apostrophes(text or "")
    but = _BUT_INSULT.search(text)
    return bool(but and _INSULT.search(text[but.end():]))


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def strong_anger(text: str) -> bool:
    """True when the wording alone makes anger plain (issue 11, tenth pass): a swear word, "a disgrace",
    "very upset with your bank", an imperative with "!!" ("Answer the question I asked!!"), "how is
    that even possible…?", 扯淡, 老子, 冤大头, 你们看着办, 一星差评已经写好, 携号转网, mock praise before 又; doubt of
    the customer's worth or the bot's understanding, "answer the question", 玩文字游戏是吧, 是不是想吞钱 (fifteenth pass).
    A negated emotion ("not furious, just…", 没生气) does not count. escalation.yml's
    ``negative_emotion.strong_anger_threshold`` then applies to the one-message trigger.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    if insult_after_but(text):
        return True  # twentieth pass: "Thanks, no rush, but you lot are thieves" — the wording after the "but" decides
    lowered = _NOT_STRONG.sub(" ", unnegated(without_others_words(text)))  # seventeenth pass: a review quoted is not the customer
    if _wording_anger(lowered):
        return True  # fifteenth and sixteenth passes: "do you think my time is worthless?", 玩文字游戏是吧, 你们是不是想吞钱
    found = _ANGER_10.search(lowered)
    if not found:
        return False
    if _ENGLISH_STRONG_WORD.search(found.group(0)) and _DELIGHT.search(lowered):
        # a swear word, a wondering "how is that even possible" or an imperative beside delight or thanks
        return bool(_ANGER_10.search(lowered[found.end():])) and not _DELIGHT.search(lowered[found.end():])
    return True


# Thanks or praise beside a stock phrase in scare quotes: "thanks for the 'priority' delivery",
# 感谢你们的“加急处理” — mock praise with no problem word in it.
_SCARE_QUOTES = compile_guarded(
    r"(thanks|thank you|cheers|great|love|lovely|nice|wonderful|brilliant|amazing|so much for|谢谢|感谢|真是|真好|好一个|不愧)"
    r"[^.!?。！？]{0,40}(['‘“\"「][^'’”\"」]{2,30}['’”\"」])"
    r"|(['‘“\"「][^'’”\"」]{2,30}['’”\"」])[^.!?。！？]{0,40}(thanks|thank you|cheers|谢谢|感谢|真是|厉害)")


# issue 11, sixth pass: exasperation the lexicon's lists miss — said it many times, "how many days
# now", an eye-roll or angry emoji.
_ANGER_EXTRA = compile_guarded(
    r"(说|讲|问|打|发)了(好几|很多|无数|n|N|十几|好多)(遍|次)|(都|这都)(第)?(几|多少)天了|第几次了|"
    r"[🙄😒😤😡🤬😠💢🖕]|\b(how many (more )?days|for the (\w+) time)\b|"
    # the bot or the company as a wall, threats to leave, being ignored
    r"\btalking to a (brick )?wall\b|对着(一堵)?墙(说|讲)|对牛弹琴|\blast (order|time) i('ll| will)? ever\b|"
    r"\b(closing|cancelling|deleting) my account\b|\btaking my (business|money) elsewhere\b|卸载了|销户|"
    r"(客服|你们)(是不是|都)下班了|(一整天|半天|几天|一天)(都)?没人(回|理)",
    re.IGNORECASE)
# issue 11, seventeenth pass (tests/dev17): a customer lost said coldly ("I trust you understand why I won't be booking again",
# 以后不会再约了), the count of contacts ("This is my fifth message about …"), 我就不多说了 — anger cues; the model's score decides.
# (its review: "I won't be coming to the session on Friday", "I trust you understand why I need the receipt quickly", "This is my
# fourth call with you this year and every time you've been brilliant", 我们搬去上海，以后不会再约了，谢谢 are no anger)
_ANGER_EXTRA = one_of(_ANGER_EXTRA, compile_guarded(
    r"\b(won'?t|will not|never) be (booking|ordering|using|buying|renewing|shopping|recommending|coming back|returning)\b[^.!?]{0,25}"
    r"\b(again|ever|anymore|any more)\b"
    r"(?![^.!?]{0,30}\b(because|as|since) (we'?re|i'?m|we are|i am) (moving|relocating|emigrating|leaving the (area|country)))"
    r"|\bi trust you (understand|can see|will understand|see) why (i|we) (won'?t|will not|am not|'m not|are not|'re not|am|'m|are|'re) "
    r"(be )?(booking|using|coming|cancel\w*|leaving|renewing|ordering|returning)\b"
    r"|\b(this is|it'?s|that'?s) (my|the) (third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(rd|th)) (message|email|e-mail|call|chat|"
    r"request|complaint|attempt)s? (about|regarding|chasing|re\b|on the same)"
    r"|\b(this is|it'?s|that'?s) (my|the) (third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(rd|th)) time (i'?m|i am|i have|i'?ve|i) "
    r"(writing|asking|contacting|chasing|calling|messaging|emailing)\b",
    re.IGNORECASE))


# issue 11, seventh pass: short anger whose wording alone makes it plain, which the model scores low
# (Chinese rhetorical doubt, verdicts and internet slang, "stop answering something I didn't ask",
# thanks beside a repeat or a delay); strong_sarcasm lets it decide like plain mock praise.
# A second or later time or day (第三次, 第2天); 第一次 ("the first time") counts no repeat (tests/dev14:
# 谢谢…宝宝第一次坐飞机 is thanks).
# nineteenth pass (tests/dev20): "you people" said to the company ("when you people never turn up"; not "thank you people"), a
# demand with "today" after it (给我换，今天就办).
_ANGER_EXTRA = one_of(_ANGER_EXTRA, compile_guarded(
    r"(?<!thank )(?<!thanks )\byou people\b(?! (are|were|have been) (amazing|great|brilliant|lovely|fantastic|the best|so helpful|wonderful))"
    r"|给我[^，。！？]{0,4}[，,。]\s*(今天|马上|立刻|现在|立即)(就)?(办|处理|解决|弄|换|退|发)(?![^，。！？]{0,4}(吗|可以|行吗|好吗))",
    re.IGNORECASE))
# 第二天一早 / 第二天就 is "the next morning / the very next day" (speed, not a repeat; twenty-first pass, tests/dev23:
# 真的太太太感谢了，半夜牙疼，第二天一早就给我插了号).
# (its review: 第二天傍晚就送到了 is speed too; 真贴心，第二天就涨价了 is not — a fault after 就 keeps it a repeat)
_REPEAT_COUNT = (r"(第(?![一1](?![0-9一二三四五六七八九十]))[0-9一二三四五六七八九十几]+(次|遍|回|天(?!(一?大?早|早上|上午|中午|下午|傍晚|晚上|凌晨|清早|"
                 r"晚饭前|午饭前|夜里)|[^，。！？]{0,4}(就|便)(?![^，。！？]{0,6}(涨|坏|降|不|没|停|掉|取消|变|出问题|漏|裂|过期|失效|关))))"
                 r"|第[一1]次(见|遇到|碰到))")


_PLAIN_ANGER = one_of(
    compile_guarded(
        r"吗[？?]\s*(能|会|行|有用|是)吗[？?]|也好意思|(承诺|说好|答应|保证)的[^，。！？?]{1,10}呢[？?]|"
        r"((钱|款)(都)?(收|付|扣)了|(付|交|收|扣)了(钱|款))[^。！？]{0,4}(货|东西|人|服务)呢|(你们)?有(没有)?人(看|回|理)(一下)?(消息|留言|我)?(吗|没有)[？?]|"
        r"太坑|真坑|坑死|被坑|破防|吐了|\byue\b|yue了|什么玩意|啥玩意|辣鸡|智商税|割韭菜|"
        r"你看清楚|看清楚(我|问题)|答非所问|我(没|没有)问(你)?(这个|常见问题|这些)|"
        r"(谢谢|感谢|真棒|太棒|真好|真行|厉害|佩服|有心|贴心)[^。！？]{0,24}(又(等|是|发|给|来)|" + _REPEAT_COUNT + r"|"
        r"同一(条|句|个回复|段)|才到|过完)|(又(等|是|发|给)|" + _REPEAT_COUNT + r"|同一(条|句|段)|才到)[^。！？]{0,24}"
        r"(谢谢你们|感谢你们|真棒|真有心|真贴心|真用心|有心了|真行|厉害)|"
        r"^\W*(brilliant|great|perfect|fantastic|lovely|wonderful|superb|marvellous)[.!]+\s+[^!?]{0,80}"
        r"\b(on hold|to be told|again|still (no|not|waiting))\b",
        re.IGNORECASE),
    _PLAIN_ANGER_MORE,  # issue 11, eighth pass
)
# Praise that is meant: a repeat customer's thanks is no sarcasm (第二次买了，很满意).
_MEANT_PRAISE = compile_guarded(r"满意|好评|喜欢|回购|推荐|不错|\b(love it|happy with|recommend)\b", re.IGNORECASE)
# ... and plain cues of anger in the wording (anger_cue only).
_ANGER_SEVENTH = compile_guarded(
    r"\bnothing (works|worked|is working|ever works)\b|^\W*(just )?answer (the|my) (question|query)\W*$|"
    r"\bwho (designed|made|built|thought up|came up with) this\b|\bwhat'?s the point\b|"
    r"(不要|别)再(跟我)?(说|讲|回|拿|用|给我发)|(不要|别)再让我(催|等|问|说|跑|打)|"
    # issue 11, eighth pass: a deadline set as an order (今天之内处理好)
    r"(?<!请问)(?<!一般)(今天|今晚|明天|[0-9一二三两]{1,3}个?小时)之?内(给我)?(处理|解决|回复|退|办)"
    r"(?![好完]?的话)(?![^，。！？]{0,7}(吗|么|嘛|[?？]))",
    re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; anger_cue and strong_sarcasm both ask
def plain_anger(text: str) -> bool:
    """True for short anger whose wording alone makes it plain (issue 11, seventh pass): Chinese
    rhetorical doubt (…也好意思…?, 说好的…呢?, 能吗?能吗?), verdicts and slang (太坑, 破防, 吐了), "stop
    answering what I didn't ask" (你看清楚, 答非所问), thanks beside a repeat or a delay (谢谢…又等了…),
    an English praise word opening on being put on hold or told the same again. Meant praise
    (满意, 好评, "love it") is not.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    lowered = unnegated(without_others_words(text))  # seventeenth pass: a review quoted is not the customer
    if HYPOTHETICAL.search(lowered):
        return False
    if not _PLAIN_ANGER.search(lowered):
        return False
    return not _MEANT_PRAISE.search(lowered)


# A bare "now" after one of these tells a state ("it's here now"), not a demand; so does "back now" after a state verb
# ("the internet was down but it's back now"; not "I want my money back now").
_STATE_WORDS = {"here", "there", "arrived", "working", "works", "fine", "ok", "okay", "sorted", "fixed"}
_BACK_NOW = compile_guarded(r"\b(it'?s|it is|is|are|they'?re|they are|we'?re|we are|was|were|came|come|comes|got) back now$")
# ... unless the thing back is a fault ("the error is back now", "so the 'fixed' bug is back now"; session 35's reviewer)
_FAULT_BACK = compile_guarded(r"\b(bug|error|glitch|fault|issue|problem|charge|fee|overcharge|pop-?up|ad|crash|message|outage|"
                              r"noise|leak|smell|buffering|lag|slowness|slow speed|speed|crackl\w*|buzz\w*|static|interference|delay|"
                              r"drop-?out|disconnection|damp|mou?ld)s?( \w+)?( (is|are|was|were|has come|have come|came|comes)|'s|'re) back now$")


# Session 35: what makes a "today" a demand. A "today" is one only when something is demanded for it: wanted, needed or
# expected ("I want it processed today", "Someone needs to fix this today"), an order ("Fix it today.", "Put the £89 back
# on my card today"), a condition or threat ("if this isn't sorted today", "unless I hear back today", "today or I'm
# switching"), a count of tries ("third chat today") or a promise broken ("it was supposed to come today"); or "Today."
# said alone. A question about today ("can I pick up my order today?", "how many people have you talked to today"), a
# day described ("so tired today", "the angriest man alive today") and a farewell are not: on the development sets no
# angry message with a negativity between the two thresholds had such a "today" as its only cue, and two calm ones did.
_TODAY_WANTED = compile_guarded(
    r"\b(want|wanted|need|needs|needed|expect|expected|expecting|demand|insist|must|mustn'?t|ha(ve|s) to|got to|gotta|"
    r"supposed to|should (have|be|get)|was due|promised|unless|or (else|i|i'?ll|i'?m|we|we'?ll|you|my)|else)\b|"
    r"\bif\b[^.!?]{0,40}(\b(not|no)\b|n['’]?t\b)|\b(by|before) (the )?end of\b|\bno later than\b"
    r"|\bi trust (this|it|that|my|the|i'?ll|i will|you will|you'?ll)\b"
    r"|\btoday,? (and )?not (tomorrow|later|next \w+|on \w+|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(maybe|perhaps) today (some(one|body)|any(one|body)|you|i'?ll (get|hear))\b")
# Session 39: the words before the verb as one run, each after its own \W* ("please, just sort"); written as a repeat of
# "\W*word[,\s]*" (the same texts), a message of "please please … today" tried every split of each space between the two
# and took twice as long per word (1 s for 20; a fresh attacker's review).
_OPENING_WORD = r"(please|pls|plz|kindly|just|so|and|now|ok|okay|right|look|listen|hi|hello|morning)\b"
_TODAY_ORDERED = compile_guarded(
    rf"^(\W*{_OPENING_WORD}(\W*{_OPENING_WORD})*[,\s]*)?"
    r"(sort|fix|cancel|refund|put|send|process|call|ring|get|resolve|deliver|ship|give|pay|answer|reply|respond|deal|return|"
    r"credit|reverse|stop|close|reconnect|restore|replace|collect|escalate|release|unblock|unlock|do|make|finish|tell|email|"
    r"transfer|reimburse|compensate|repair|connect|switch)\b")
_TODAY_COUNTED = compile_guarded(
    r"\b(second|third|fourth|fifth|sixth|\d+(st|nd|rd|th)|another|one more|(two|three|four|five|six|\d+) (times|calls|"
    r"chats|messages|msgs|texts|emails|e-mails|attempts|tries))\b")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


def _today_demanded(lowered: str, start: int) -> bool:
    """True when the "today" at ``start`` of ``lowered`` is demanded, not asked about or told (``_TODAY_WANTED``,
    ``_TODAY_ORDERED``, ``_TODAY_COUNTED``, "Today." alone); session 35."""
    for sentence in _SENTENCE.finditer(lowered):
        if sentence.start() <= start < sentence.end():
            break
    else:
        return True
    words = sentence.group(0).strip(" .!?\n")
    if words == "today":
        return True
    before = lowered[sentence.start(): start]
    if _TODAY_COUNTED.search(before) or _TODAY_WANTED.search(words):
        return True
    if sentence.group(0).rstrip().endswith("?"):
        return False  # asked about ("can I pick up my order today?")
    # an order: the clause the "today" ends opens on a verb ("hi, sort it today", "Refund the tickets today")
    clause = re.split(r"[,;:]", before)[-1]
    return bool(_TODAY_ORDERED.search(clause.strip()) or _TODAY_ORDERED.search(words))


# "comes back today", "is arriving today", "due today": when something comes, not a demand that it come.
_ARRIVES_TODAY = compile_guarded(r"\b(comes?( back)?|coming( back)?|arriv(es|ing)|due|deliver(s|ing)|being delivered|gets? here|"
                                 r"ships?|shipping|is out for delivery)( \w+)? today$")


# ... and the threats, verdicts and broken promises a "today" chases beside (session 35's reviewer: "I'm reporting you
# to trading standards today.", "Your support today was abysmal.", "Can someone actually call me today, like you said
# you would.")
_TODAY_GRIEVANCE = compile_guarded(
    r"\b(service|support|supposed to|should have|was due|promised|report\w*|trading standards|ombudsman|solicitor|lawyer|"
    r"court|chargeback|reviews?|bank|final straw|last time|never again|enough|treated|treat|for once|bother\w*|ever|"
    r"actually|said you would|told me|you'?ve earned|clowns?|value|believe|telling everyone)\b")


def _problem_beside(lowered: str) -> bool:
    """True when a problem, a wait or count, or a grievance word sits in the message (``PROBLEM``, ``_WAIT_OR_COUNT``,
    ``_SMALL_TALK_GRIEVANCE``): then small talk's "today" is read as typed (session 28)."""
    return bool(PROBLEM.search(lowered) or _WAIT_OR_COUNT.search(lowered) or _SMALL_TALK_GRIEVANCE.search(lowered))


def _grievance_beside(lowered: str) -> bool:
    """True when :func:`_problem_beside`, or a threat, verdict or broken promise (``_TODAY_GRIEVANCE``), sits in the
    message: then a "today" reads as before session 35, a chase's."""
    return _problem_beside(lowered) or bool(_TODAY_GRIEVANCE.search(lowered))


def _demands(lowered: str) -> bool:
    """The lexicon's DEMAND in the wording, except a bare "now" after a state ("it's here now", "works
    now": issue 11, eighth pass; "it's back now": session 35) and a "today" nothing is demanded for
    (``_today_demanded``: "how many people have you talked to today", "so tired today"; session 35) when no
    grievance sits beside it (``_grievance_beside``: "How are you today? My order is 3 weeks late" keeps it)."""
    grievance = None  # _grievance_beside(lowered), read once (session 39: not once per "today" of the message)
    seen: Counter = Counter()
    for match in DEMAND.finditer(lowered):
        if match.group(0) in ("now", "today"):
            seen[match.group(0)] += 1
            if seen[match.group(0)] > _MOST_READ:
                continue  # each is read on the text before or around it: a message of hundreds was read in 0.7 s
        if match.group(0) == "now":
            before = lowered[: match.start()].split()[-1:]
            upto = lowered[: match.end()]
            if (before and before[0] in _STATE_WORDS) or (_BACK_NOW.search(upto) and not _FAULT_BACK.search(upto)):
                continue
        if match.group(0) == "today":
            if grievance is None:
                grievance = _grievance_beside(lowered)
            if not grievance and not _today_demanded(lowered, match.start()):
                continue
            if _ARRIVES_TODAY.search(lowered[max(0, match.start() - 30): match.end()]) and not _WAS_DUE.search(lowered):
                continue  # sixteenth pass: "my laundry comes back today, what time roughly?" tells when, demands nothing
        return True
    return False


# Session 39: the first 20 "now"s and 20 "today"s of a message are read (no customer writes more; a message built of
# 666 of them took 0.7 s, each read on the whole text before or around it).
_MOST_READ = 20
_WAS_DUE = compile_guarded(r"\b(supposed to|should have|was due|promised)\b")


# Thanks the lexicon reads as sarcasm beside a problem ("3 weeks late, really appreciated"); without a
# problem word they are thanks.
_THANKS_NOT_SARCASM = compile_guarded(r"\b(really appreciated|thanks a bunch|cheers for (that|the update)|no problem at all)\b")
# ... which are thanks beside something done well ("thanks for sorting the refund so quickly").
_GENUINE_THANKS = compile_guarded(r"\b(thanks|thank you|cheers)( so much| very much| a lot| again)? (for|to you for) (sorting|fixing|helping|"
                             r"resolving|getting|sending|processing|replacing|refunding|the quick|the fast|your help|being)\b|"
                             r"\bso (quickly|fast|promptly)\b")
# "right now" that belongs to "am I talking to a real person right now?"
_BOT_QUESTION_NOW = compile_guarded(f"(?:{ASKS_WHAT_BOT_IS.pattern})\\s*(right )?now\\b", re.IGNORECASE)


# session 25 (tests/dev25): the clause before "nothing to do with you" / "not your fault" / 不是说你们 (its anger is at
# someone else), a self-blaming insult ("idiot me", "silly me", "my own stupid fault"), a laughing 气死我了哈哈. Not "I'm an
# idiot for trusting you" (sarcasm at the company).
# "… for trusting you", "… to book with you": the blame is for choosing us (sarcasm at the company), no self-blame
_FOR_CHOOSING_US = r"(?! (for|to) (trust|believ|choos|us|buy|order|pick|book|stay|fly|expect|pay|sign|think|give))"
_NOT_AT_US = compile_guarded(
    # the clause up to the disclaimer only: what follows it ("…, but your company charged me twice") is read as it is;
    # not a disclaimer asked back ("Nothing to do with you?", 不关你们的事？, 跟你们无关是吧)
    r"^[^.!?。！？]{0,80}\b(nothing to do with you( guys| lot)?|not (your|you guys'?) fault|not aimed at you|not at you)\b"
    r"(?![^.!?。！？,，]{0,3}[?？])"
    r"|^[^。！？]{0,30}(不是说你们|不是针对你们|跟你们没关系|和你们没关系|跟你们无关|不关你们的事)(?![^，。！？]{0,3}([？?]|是吧|吗))"
    r"|\b(idiot|stupid|silly|dumb|dozy|daft|clumsy) me\b"
    r"|\bmy own (stupid |silly |dumb )?fault\b" + _FOR_CHOOSING_US +
    r"|\b(i'?m|i am|i was|i'?ve been) (such )?an? (idiot|moron|numpty|muppet|dummy|doofus|plonker)\b"
    + _FOR_CHOOSING_US +
    r"|\bwhat an? (idiot|moron|numpty|muppet|dummy|doofus|plonker),? i\b"
    r"|(气死我了|气死了|烦死了|笑死)(哈{2,}|😂|🤣)|(?<![还敢说都])(怪我自己|是我自己(的错|的问题|搞错|弄错|填错|看错))(?![^，。！？]{0,3}[？?吗])",
    re.IGNORECASE)


_RATING_AND_TIME = re.compile(r"10/10|\b(today|yesterday|this morning|tonight|again)\b")
# session 28 (the blind set's calm English message escalated for emotion is small talk): the "today" of small talk —
# "How are you today?", "Lovely weather today", "Busy day today?" — demands nothing; a chase's "today" ("I need it
# today", "could you ship it today?") is not in these frames and stays one (_demands)
_SMALL_TALK_TODAY = compile_guarded(
    r"(?P<frame>\bhow('?s| is| are| has| have)? (you|u|ya|everyone|everybody|it|things|life|your (day|morning|afternoon|week|shift)|the "
    r"(day|weather|team))( all| guys| lot| folks)?( been)?( going| doing| keeping| getting on| treating you| holding up)?"
    r"( so far)? |\b(weather|day|sun|sunshine|sunny|rain|rainy|snow|snowy|windy|hot|cold|warm|chilly|freezing|boiling|muggy|grey|gray|busy|"
    r"quiet|chatty|cheerful|lovely|nice|beautiful|gorgeous|glorious|friday|monday|weekend)( day| out| outside| here| there)? )"
    r"today\b")
# ... and a tag question after a remark ("…, isn't it?", "…, don't you think?"): the negation asks for agreement and
# names no problem; the remark before it is read as it is ("It's late again, isn't it?" keeps "late again")
_TAG_QUESTION = compile_guarded(
    r"\b(isn'?t|aren'?t|wasn'?t|weren'?t|don'?t|doesn'?t|didn'?t|haven'?t|hasn'?t|won'?t|can'?t) (it|you|they|we|she|he|there|"
    r"you think)\b(?=[\s?!.…]*($|[,;]))")
# ... unless a grievance sits beside the small talk ("How are you today? My order is 3 weeks late", "how's it going today,
# still no refund?", "Great weather today for my parcel to sit outside in the rain"): then it is read as typed
_SMALL_TALK_GRIEVANCE = compile_guarded(
    r"\b(still|refund\w*|money|charg\w*|where|why|when|complain\w*|rain|outside|doorstep|hold|queue|bot|robot|anyone|anybody|"
    r"my (order|parcel|package|delivery|refund|money|booking|account|bill|engineer|appointment|claim|case|ticket))\b")


# A joke asked for or offered ("Tell me a joke before I ask my question 😂", "know any good jokes?").
_JOKE_ASKED = compile_guarded(r"\b(tell|know|hear|share)( me| us)? (a|any|another|one more|your best|some)( good| funny| bad| dad)? "
                              r"jokes?\b(?!.{0,60}\b(your|you lot|already (is|are)|like your)\b)|\b(just|only|i'?m|i am) (joking|kidding)\b",
                              re.IGNORECASE)


# Sarcastic thanks a "today" used to carry ("Thanks for absolutely nothing today", "cheers for ruining my birthday"):
# session 35's reviewer; an anger cue of its own.
_SARCASTIC_THANKS = compile_guarded(
    r"\b(thanks|thank you|cheers)( so much| very much| a lot| a bunch)? for (absolutely |literally |precisely )?nothing\b|"
    r"\b(thanks|thank you|cheers)( so much| very much| a lot| a bunch)? for (ruining|wrecking|wasting|spoiling|destroying|"
    r"making [^.!?]{0,20}(?<!less of a )(?<!not a )(nightmare|hell|misery|worse))\b(?! (no|little|zero) (time|effort))"
    # not "wasting no time in sorting it", "spoiling us with …", "destroying my old drive securely as requested"
    r"(?! (me|us|him|her|them|the kids|my (kids|son|daughter|mum|mom|dad|wife|husband|partner)) with)"
    r"(?! [^.!?]{0,40}\b(securely|as requested|for (me|us)))")


# A word of ours dismissed ("no hurry my foot, sort it", "shortly my foot"): a new user's probe, session 35.
_DISMISSED = compile_guarded(r"\b(hurry|rush|urgent|sorry|apolog\w*|excuses?|policy|procedure|fine|ok|okay|soon|shortly|"
                             r"processing|on (its|the) way|dispatched|delivered|resolved|sorted|priority) my foot\b")


# A verdict on the service ("Horrible service today, can I speak to someone?", "very bad company"): session 35, when a
# "today" stopped counting as a demand by itself; on the development sets every English message with one is angry.
_BAD_SERVICE = compile_guarded(
    r"\b(horrible|awful|shocking|dreadful|lousy|poor|bad|crap|crappy|rubbish|abysmal|diabolical|woeful|atrocious|shoddy|sloppy|"
    r"terrible|appalling|disgusting|pathetic)( customer| delivery)? (service|support|communication|company)\b"
    # ... and a verdict after it, on the company's own ("Your support today was abysmal"; not "mobile service is bad here")
    r"|\b(your|ur|the|customer|delivery) (service|support|communication)( \w+){0,4} (was|is|has been|were)( \w+)? (horrible|awful|"
    r"shocking|dreadful|lousy|poor|bad|crap|rubbish|abysmal|diabolical|woeful|atrocious|shoddy|terrible|appalling|disgusting|"
    r"pathetic|a joke|a shambles)\b")


# The message a phishing check asks about ("I got a scam text pretending to be you … is there a way to check whether
# it's fake?"): its "scam" names the message, not the company (session 35).
_SCAM_MESSAGE = compile_guarded(r"\b(scam|scammy|phishing|fake|fraudulent|dodgy|suspicious)( looking)? "
                                rf"({MESSAGE_NOUNS}|numbers?)\b")
# ... unless the company is blamed for it ("Your company sent me a scam text? … or have you sold my data?", "Sort your
# security out."; session 35's reviewer)
_SCAM_BLAMED = compile_guarded(r"\b(sold|leaked|leak|breach\w*|hacked|sort (out )?your|your security|(you|your company|you guys|"
                               r"you lot) (sent|send|gave|sold|leaked|lost))\b")


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text, fraud_misread and the other readings ask again
def anger_cue(text: str) -> bool:
    """True when the wording itself carries anger: sarcasm, rhetorical doubt,
    a demand, "same help again", an angry word, "!!" or a shouted word.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    if insult_after_but(text):
        return True  # twentieth pass: an insult after a polite opening and a "but"
    text = without_others_words(text)  # seventeenth pass: a review's "worst app ever, RAGE" quoted is not the customer's anger
    lowered = unnegated(text)  # "not upset", 没生气: no angry word
    if HYPOTHETICAL.search(lowered):  # 投诉的流程…以后备用: the word asked about, not felt
        lowered = lowered.replace("投诉", " ")
    # issue 11, seventh pass: "not now" (later, planning ahead) and 还没穿过 (not worn yet) carry no anger
    lowered = re.sub(r"\bnot (right )?now\b|还没(穿|用|拆|开封|洗|戴|使用|安装)过?", " ", lowered)
    lowered = NOTHING_NEEDED.sub(" ", lowered)
    lowered = _JOKE_ASKED.sub(" ", lowered)  # session 30 (tests/dev27): "tell me a joke" is small talk, not "what a joke"
    lowered = _WEATHER_SURPRISE.sub(" ", lowered)  # session 30 (tests/dev26): the weather's "what a surprise"
    lowered = lowered.replace("有没有人工", "人工")  # twentieth pass: 有没有人工啊 asks for a person, no rhetorical 有没有人
    if not PROBLEM.search(lowered):
        lowered = MEANT_INTENSIFIER.sub(" ", lowered)  # sixteenth pass: "Seriously impressed." is praise
    # session 25 (tests/dev25): anger said to be at someone else ("Frustrating day with my landlord, nothing to do with you!",
    # 不是说你们) or at oneself ("Idiot me left my charger", 怪我自己), and a playful 气死我了哈哈 are not the company's fault
    lowered = _NOT_AT_US.sub(" ", lowered)
    if life_trouble_only(lowered):
        lowered = LIFE_TROUBLE.sub(" ", lowered)  # ... and a bad day or the weather, with no fault of ours beside it  # fifteenth pass: "nothing needed right now" is no urgency
    # issue 11, ninth pass: "a scam?" asked of a message (fraud_question), "right now" in "am I talking to a
    # real person right now?", and thanks with no problem beside it ("really appreciated") carry no anger
    if fraud_question(text):  # ... and the "scam text" it asks about, unless the company is blamed for it (session 35)
        lowered = PHISHING_CHECK.sub(" ", lowered)
        lowered = lowered if _SCAM_BLAMED.search(lowered) else _SCAM_MESSAGE.sub(" ", lowered)
    lowered = _BOT_QUESTION_NOW.sub(" ", NOT_COMPLAINING.sub(" ", lowered))
    lowered = LATER_TRY_WORKED.sub(" ", lowered)  # tenth pass: "third time it worked" is no "third time"
    # session 25: "10/10 would rent again", "an absolute star today": the praise stays, its rating and time words go
    unpraised = PRAISE_OWN_WORDS.sub(" ", lowered)
    if unpraised != lowered and not PROBLEM.search(unpraised):  # its review: "a real hero today, lost my booking" as typed
        lowered = PRAISE_OWN_WORDS.sub(lambda m: _RATING_AND_TIME.sub(" ", m.group(0)), lowered)
    # ... nor a farewell's "today" / "now" ("that's all for today", "bye for now")
    lowered = re.sub(r"\b(that'?s|that is|that'?ll be|this is) (all|it|everything) for (today|now)\b|\b(bye|cheers|thanks) for now\b",
                     " ", lowered)
    # session 28: nor small talk's "today" ("How are you today?", "Lovely weather today") or a tag question ("isn't it?")
    lowered = _TAG_QUESTION.sub(" ", lowered)
    if not _problem_beside(lowered):
        lowered = _SMALL_TALK_TODAY.sub(lambda m: m.group("frame"), lowered)
    if _GENUINE_THANKS.search(lowered) and not PROBLEM.search(lowered):
        lowered = _THANKS_NOT_SARCASM.sub(" ", lowered)
    if (plain_anger(text) or _ANGER_SEVENTH.search(lowered) or BROKEN_PROMISE.search(lowered) or _ANGER_8.search(lowered)
            or _ANGER_9.search(lowered) or ULTIMATUM.search(lowered) or _ANGER_10.search(lowered)
            or _ANGER_14.search(lowered) or _wording_anger(lowered)):
        return True
    if _SARCASTIC_THANKS.search(lowered) or _DISMISSED.search(lowered):
        return True
    if _BAD_SERVICE.search(lowered) and not (RESOLVED.search(lowered) or ENDED_WELL.search(lowered)):
        return True  # session 35: "Horrible service today" was read by its "today" alone
    if _LEFT_US_ZH.search(lowered) and not _LEFT_US_GUARD.search(lowered):
        return True  # seventeenth pass (tests/dev17): 以后不会再约了, 我就不多说了
    if _FELT_ANGER.search(lowered) and not (re.search(r"\b(at|with|in) myself\b|自己", lowered) or RESOLVED.search(lowered)
                                            or RESOLVED_LATER_ZH.search(lowered) or ENDED_WELL.search(lowered)):
        return True
    return bool(
        SARCASM.search(lowered) or _SCARE_QUOTES.search(lowered) or RHETORICAL.search(lowered) or _demands(lowered) or REPEAT_HELP.search(lowered)
        or ANGRY_WORD_EN.search(lowered) or any(w in lowered for w in ANGRY_WORDS_ZH)
        or ((re.search(r"[!！]{2,}", text) or SHOUTED_WORD.search(acronyms_read_lower(text))) and not excitement_as_style(text) and not joy_as_style(text)
            and not loud_question_as_style(text) and not loud_greeting_as_style(text) and not capitals_excused(text))
        or _ANGER_EXTRA.search(lowered) or _STRONG_SARCASM.search(lowered)
        or _sarcasm_beside_a_problem(lowered) or _closing_praise_after_a_problem(lowered) or _praise_around_a_problem(lowered, text)
    )


# issue 11, sixth pass: mock praise whose wording alone makes the sarcasm plain. The emotion model
# reads the praise words and scores such messages calm (0.0-0.4 on the development sets), so the
# policy lets this cue decide (escalation.yml negative_emotion.sarcasm_threshold). Only markers that
# are hardly ever meant kindly: an eye-roll, "thanks for nothing", "yeah right", "nailed it", "love
# that for me", praise opening on "another <delay/excuse/e-mail>", 呵呵, 双叒叕, 真有你们的, 不愧是你们,
# 我都习惯了, 会谢, doubled 佩服佩服; and thanks or praise beside a stock phrase in scare quotes when
# the message neither says it worked out nor asks a question.
_STRONG_SARCASM = compile_guarded(
    r"🙄|\b(thanks|cheers|thank you) (so much |very much )?for nothing\b|\byeah,? right\b|\bnailed it\b|\blove that for me\b|"
    r"\bslow clap\b|\bsurprise,? surprise\b|\bwhat a (shock|surprise)\b|\bwho could have (guessed|known)\b|"
    r"\byou (never|don'?t ever) disappoint\b|\boutdone yourselves\b|"
    # session 30 (tests/dev27): a greeting, then the day count of a wait ("Good morning! Day 9 of waiting for my order."),
    # and an order said to travel to the moon ("…shipped to the moon, since it's taking that long 🙂")
    r"^\W*(good (morning|afternoon|evening)|morning|evening|hi|hello|hey|happy (monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday))\b[^.!?]{0,20}[!.,]+\s*" + _DAY_COUNT +
    # (its review: not a cheerful wait or a bad day nobody here caused: "…Day 3 of waiting for my new sofa and I'm so excited!")
    r"(?!.*(excit\w*|can'?t wait|so happy|loving|yay|woo+|storm|holiday|camping|at sea|festival|hospital|😀|😃|😄|😁|😊|🥰|😍|🎉))|"
    r"\b(my|the|our) (order|parcel|package|delivery|item|stuff)\b[^.!?]{0,40}\b(shipped|sent|posted|delivered|dispatched|coming|"
    r"travell?ing|going|routed) (to|from|via|by way of) (the moon|mars|pluto|jupiter|narnia|another planet|outer space)\b(?!, ?[a-z]{2}\b)|"
    r"^\W*(oh |wow,? |ah )?(great|perfect|lovely|wonderful|brilliant|fantastic|awesome|super|nice|excellent|amazing|good)\W+"
    r"(just )?(yet )?another\b[^.!?]{0,40}\b(wait\w*|delay\w*|excuse\w*|email|update|apolog\w*|sorry|bot|week|day|month|hold)"
    r"|^\W*(?P<praise>lovely|great|perfect|brilliant|wonderful|fantastic|marvellous|super|nice)[.!,]*\s+just (?P=praise)([.!…]+\s*|\W*$)"
    r"|呵呵|双叒叕|真有你们的|不愧是你们|我都习惯了|会谢|谢谢你们全家|佩服佩服|厉害厉害|真(是)?感人"
    # seventeenth pass (tests/dev17): an ironic gain ("I really got to know the car park"), 可惜…让我印象更深刻
    r"|\b(i|we) (really |certainly |truly )got to know (the|your|every inch of the) (car park|parking lot|waiting room|hold music|queue|lobby|"
    r"corridor|cloakroom|departure lounge|platform|phone menu|carpark)\b"
    r"|可惜[^。！？]{0,20}(让我|令我|给我)(的)?印象更(深刻|深)(?![^。！？]{0,6}(好吃|美|棒|好))"
    # (tests/dev18) "Impressive how fast you take the premium and how slow you are to pay out", "Ah yes, the 'fresh' salmon…",
    # 谢谢你们啊，让我在门口站了两个小时
    r"|^\W*(wow,? )?(so )?(impressive|amazing|incredible|remarkable|funny|interesting|great|love) how (fast|quick|quickly|eager|keen) you "
    r"(are |were )?[^.!?]{0,50}\b(and|but|yet) how (slow|slowly|reluctant) you\b"
    r"|(谢谢|感谢|多谢)(你们|您们)?(啊|了|哦|呀)?[，,]\s*(让|害)我[^，。！？]{0,12}(站|等|排|淋|饿)了[^，。！？]{0,4}(小时|一整天|半天|这么久|一个月|几天)"
    r"(?![^。！？]{0,20}(就办好|就拿到|不要紧|快多了|态度很好|贴心))"
    r"|(谢谢|感谢|多谢)(你们|您们)?(啊|了|哦|呀)?[，,]\s*(让|害)我白跑(了)?一趟(?![^。！？]{0,10}(也不要紧|没关系|不要紧))",
    re.IGNORECASE)
# issue 11, fourteenth pass (tests/dev14): the doubled praise word at the end of a complaint ("…ate half the
# chips, brilliant, just brilliant"), "it's not like I have rent due", 就给一瓶水，真大方 — sarcasm only beside a
# problem and with no thanks or good news (the review: "Delivered a day early … Lovely, just lovely!").
_SARCASM_14 = compile_guarded(
    r"[,.;!]\s*(?P<end>lovely|great|perfect|brilliant|wonderful|fantastic|marvellous|super|nice)[.!,]*\s+just (?P=end)\W*$"
    r"|\bit'?s not like (i|we) (have|had|need|needed|'ve got|have got|pay|paid)\b"
    r"|(就|只|才)(给|赔|补|送|退)(了)?[^，。！？]{0,8}[，,]\s*(真|可真|好)(大方|慷慨|有诚意)",
    re.IGNORECASE)
_SARCASM_14_PROBLEM = compile_guarded(r"\b(wait\w*|days?|weeks?|months?|hours?|cold|late|again|delay\w*|lost|broken|wrong|half)\b|延误|取消|晚点|等了",
                                     re.IGNORECASE)
_SARCASM_14_GOOD = compile_guarded(r"谢|感谢|下次还|\b(thanks|thank you|cheers|perfect|amazing|early|sorted|love)\b", re.IGNORECASE)


# issue 11, fifteenth pass (tests/dev15): a closing verdict of praise after a problem told, not named ("Booked a sea
# view, got a view of the bins. Incredible work, really."; "…a film with no sound for the first 20 mins. Really immersive
# experience, cheers."): the praise is the last sentence, and what came before is a booking that brought something
# else or a thing that came without what it is for — and nothing good came of it. Said flat: a closing "!" or thanks
# is read as meant ("Booked a table for two, got the window seat. Amazing, thanks!").
_CLOSING_PRAISE_15 = compile_guarded(
    r"[.!…]\s*(really |truly |just |what an? |such an? )?(incredible|amazing|great|brilliant|fantastic|outstanding|impressive|superb|"
    r"stellar|world[- ]class|immersive|top[- ]notch|first[- ]class|spectacular|phenomenal)( work| job| service| stuff| experience| "
    r"effort| stuff| show)?(,? (really|truly|guys|everyone|cheers|mate|folks))?[.…]*\s*$",
    re.IGNORECASE)
_TOLD_PROBLEM_15 = compile_guarded(
    r"\b(booked|ordered|paid for|asked for|requested|chose|bought|reserved)\b[^.!?]{1,40}[,;]\s*(and |but )?(got|received|ended up with|"
    r"was given|were given|they gave (me|us))\b[^.!?]{0,30}\b(wrong|different|smaller|small|tiny|broken|dirty|cold|damaged|half|only|"
    r"instead|bins?|wall|car ?park|noise|leak\w*|stain\w*|nothing|none|no|mould\w*|moldy|building site|single|worse|cheaper|used|"
    r"second-hand|old|fake|empty|missing|dented|cracked|standard|economy|basic|stale|burnt|burned|soggy|melted)\b|"
    r"\b(with|had|has|came with) no (sound|picture|heating|hot water|wi-?fi|signal|power|"
    r"lights?|air ?con\w*|seats?|screen|subtitles)\b|\bwithout (sound|heating|hot water|wi-?fi|power|a seat)\b|\bloved (paying|waiting|"
    r"being|spending|sitting|standing)\b|\b(doesn'?t|does not|didn'?t|won'?t) work\b|\bcrushed\b",
    re.IGNORECASE)
_GOOD_NEWS_15 = compile_guarded(r"\b(upgrad\w*|free|bonus|extra|early|better|bigger|refund(ed)?|sorted|fixed|for once|but|though|although|"
                                r"however|anyway|in the end|eventually|luckily|thankfully|fortunately|arrived (early|safely|on time|intact|fine)|"
                                r"helpful|kind|lovely|perfect\w*|safely|on time|in one piece|intact|suite|next day|"
                                r"thank you for|thanks for|appreciate\w*|resolved|replaced|apologi[sz]ed)\b", re.IGNORECASE)


# issue 11, sixteenth pass (tests/dev16): a problem between praise words — an opening "Great," / "Fantastic," / 太棒了，
# and a flat closing verdict ("Brilliant, thanks.", "Classic.", "Very smart indeed.", "Wonderful planning.", 谢谢你们哦)
# — or one of those closing verdicts alone after a plain problem ("…crashed while paying and took the money anyway.
# Classic."). "took the money anyway" is no good news.
_PRAISE_OPENER_16 = compile_guarded(
    r"^\W*(oh )?(great|brilliant|fantastic|wonderful|lovely|perfect|amazing|excellent|superb|marvellous|splendid)[,.!…]"
    r"|^\W*(太棒了|太好了|真棒|好极了|真行|厉害了?|可以的|真不错)[，,！!。]"
    r"|^\W*(i )?(love|loving) (that|how) |^\W*(oh )?cool[,.!]")  # seventeenth pass: "Love that the scooter locked itself mid-ride …"
_CLOSING_VERDICT_16 = compile_guarded(
    r"[.!…]\s*(classic|typical|(very |so )?(smart|clever|efficient|helpful|reliable) indeed|"
    r"(wonderful|great|brilliant|excellent|superb|fantastic|amazing|stellar|top|lovely|fine) (planning|communication|organi[sz]ation|"
    r"customer service|timing|logistics|system|design|engineering)|(brilliant|great|fantastic|wonderful|lovely|perfect|amazing),? "
    r"(thanks|thank you|cheers))[.…]*\s*$"
    r"|(谢谢|感谢)(你们|您们)(哦|啊|了|呢|呀)[。~～]*\s*$")
# seventeenth pass (tests/dev17): a flat verdict on a design after a fault of the machine ("Love that the scooter locked itself
# mid-ride… Really great safety feature.", 骑到一半车自己锁死…这安全设计真是绝了), a flat "Good to know." after a status in scare quotes
# ("…is 'still processing' in May. Good to know."). Its review: not after good news ("…autosaved everything. Brilliant design
# feature."), not after a delay explained ("delayed because of the bank holiday. Good to know."), not 又 alone (又买了一台，这个设计真是绝了).
_DESIGN_VERDICT_17 = compile_guarded(
    r"[.!…]\s*(really |truly |just |what an? |such an? )?(great|brilliant|excellent|fantastic|wonderful|amazing|clever|smart) "
    r"(safety |security |design )?(feature|policy|system|design|setup|set-up|patch|update|fix)(,? (guys|team|everyone|folks))?[.!…]*\s*$")
_NOTED_17 = compile_guarded(r"[.!…]\s*(good to know|noted|charming)[.!…]*\s*$")
_ZH_VERDICT_17 = compile_guarded(r"(设计|安排|服务|操作|流程|效率|体验|逻辑|规定|功能)(真是|真|可真是|简直|也是)(绝了|高明|人性化|贴心|周到)[。！!…]*\s*$")
_ZH_FAULT_17 = compile_guarded(r"锁死|没电|罚款|罚单|扣(了)?(我|钱)|坏了|丢了|迟到|漏(水|了)|摔|卡住")
_EXPLAINED = compile_guarded(r"\b(because of|due to|owing to|thanks to)\b")
_MACHINE_FAULT_17 = compile_guarded(r"\b(crash\w*|took (the|my) money|locked (me|us) out|locked (itself|up) (mid-?\w+|while|on a|in the middle)|"
                                    r"(the |this |your )?(update|app|patch|game|it|system|version) (wiped|deleted|erased|corrupted)(?! [a-z ]{0,20}(already|anyway))|"
                                    r"died|dies|cut out|stopped working|broke (my|our|the)|lost (my|our|the))\b")
_SAVED_17 = compile_guarded(r"\b(autosav\w*|saved (everything|it|my|the|all)|kept (everything|my work|it)|exported|backed (it |them |everything )?up|"
                            r"had a (copy|backup))\b")
_PROBLEM_16 = one_of(compile_guarded(
    r"\b(crash\w*|took (the|my) money|charged|locked (me|us) out|fairy tale|turned up (at|late)|second time|third time|"
    r"another \d+ (days?|weeks?|months?)|won'?t be|still (not|no)|never (came|arrived|showed)|no[- ]show|late|delay\w*|broke\w*|"
    r"missing|lost|cancel+ed)\b|\btook\b[^.!?]{0,20}\b(minutes|hours|days|weeks|months|ages|forever)\b|少了|多了|坏了|破了|丢了|没(到|来|送|人)|迟到|晚了|油渍|污渍|又"
), compile_guarded(  # seventeenth pass: a machine that locked or died, a request "still processing" months on
    r"\b(locked (itself|up) (mid-?\w+|while|on a|in the middle)|died|dies|cut out|stopped working|still (processing|pending|under review|"
    r"being processed|in progress))\b"
    r"|['‘\"“](pending|processing|in progress|under review|being processed)['’\"”]"
    r"|锁死|没电|罚款|扣(了)?我"))
_GOOD_NEWS_16 = compile_guarded(r"\b(sorted|fixed|resolved|refunded|replaced|arrived (early|safely|on time)|on time|early|for once|"
                                r"upgrad\w*|free|helpful|kind|apologi[sz]ed|in the end|eventually|luckily|thankfully|fortunately|"
                                # the review: a small problem accepted ("no problem at all", "totally understandable", "found a
                                # spare") or staff praised beside it ("but the crew were brilliant") is sincere thanks
                                r"no problem|no worries|not a problem|all good|understandabl\w*|fair enough|it happens|found (a|one|it)|"
                                r"(were|was) (brilliant|great|lovely|amazing|fantastic|wonderful|excellent|so nice|really nice))\b|"
                                r"解决了|修好了|(?<!迟)(?<!晚)好了|(?<!迟)到了|收到了|补偿|退款了|没关系|理解", re.IGNORECASE)
# A problem plain enough that a flat closing verdict after it is mock praise without an opening one ("…crashed while paying
# and took the money anyway. Classic.").
_PLAIN_PROBLEM_16 = compile_guarded(r"\b(crash\w*|took (the|my) money|locked (me|us) out|never (came|arrived|showed)|no[- ]show|"
                                    r"lost (my|our|the)|broke (my|our|the)|charged (me|us) (twice|again)|died on me)\b|丢了|坏了|又|锁死")
# An opening praise word and a let-down "again" closing the message ("Excellent, my order is late again.").
_PRAISE_THEN_AGAIN_16 = compile_guarded(
    r"^\W*(great|excellent|brilliant|fantastic|wonderful|perfect|lovely|amazing|super|marvellous)[,.!]+\s+(?![^.!?]*\b(see|talk to|hear from|"
    r"visit|order from|shop with|book with) (you|us)\b)[^.!?]{0,60}\b(again|once again|yet again)\W*$"
    r"|^\W*(太棒了|太好了|真棒|好极了|真行)[，,！!]\s*[^。！？]{0,20}又[^。！？]{1,20}[。！!～~]*$", re.IGNORECASE)
# seventeenth pass (tests/dev17): … or a pile of troubles after it ("Brilliant. Scooter dies halfway up the hill, I get charged the
# full hour, plus a … fine on top.", 好极了，车在半坡没电，扣我一整个小时的钱，还送了一笔“禁停区罚款”) — with a fault in between, and no
# order given ("Perfect, I'll have the chocolate one with extra cream on top", 太好了，下单还送了一个小礼品; its review).
_PILE_UP_17 = compile_guarded(
    r"^\W*(great|excellent|brilliant|fantastic|wonderful|perfect|lovely|amazing|super|marvellous)[,.!]+\s+(?P<en>[^.!?]{0,100})"
    r"\b(on top|to top it (all )?off|as a bonus|for good measure)\W*$"
    r"|^\W*(太棒了|太好了|真棒|好极了|真行)[，,！!]\s*(?P<zh>[^。！？]{0,40})(还送了|还附赠|外加|顺便还|还倒贴)", re.IGNORECASE)
_ORDERING = compile_guarded(r"\?|\b(i'?ll (have|take)|could you|can you|please add|add a)\b")


# seventeenth pass (tests/dev17): thanks closing a complaint whose problem is what happened in spite of what the customer did
# ("…a clamp on it even though I have a valid resident permit so thanks for that really appreciate it").
_THANKS_FOR_THAT_17 = compile_guarded(r"\b(so |well )?(thanks|thank you|cheers) for that,? (i )?(really |truly |do )?appreciate (it|that)\W*$"
                                      r"|\b(so |well )?(thanks|thank you|cheers) for that\W*$")
_IN_SPITE_17 = compile_guarded(r"\b(even though|although|despite)\b")
_FAULT_EN_17 = compile_guarded(r"\b(clamp\w*|towed|fined|ticket(ed)?|charged|locked out|cancel+ed|refused|blocked|turned away|wouldn'?t let|"
                               r"broke\w*|lost|late|missed)\b")
_KINDNESS = compile_guarded(r"\b(found|waited for|helped|kept [a-z ]{0,12}for|saved|squeezed|fitted) (us|me|it)\b|\bfound (us|me) a\b")


# A word in scare quotes ("the 'smart' lock", "your 'guaranteed delivery window'").
_QUOTED_WORD = compile_guarded(r"['‘“\"「][^'’”\"」]{2,30}['’”\"」]")


def _praise_around_a_problem(lowered: str, text: str) -> bool:
    """A problem (``_PROBLEM_16``) in the lowered text before a flat ``_CLOSING_VERDICT_16``, after a
    ``_PRAISE_OPENER_16``, a plain ``PROBLEM`` or a word in scare quotes; never beside good news (``_GOOD_NEWS_16``, read in
    ``text`` as written: "no problem at all" is a negated emotion, blanked in ``lowered``)."""
    good = _GOOD_NEWS_16.search((text or "").lower())
    if _PRAISE_THEN_AGAIN_16.search(lowered) and not good:
        return True  # "Excellent, my order is late again." (the review)
    if _mock_praise_17(lowered, good):
        return True
    closing = _CLOSING_VERDICT_16.search(lowered)
    if not closing or good:
        return False
    before = lowered[:closing.start()]
    opened = _PRAISE_OPENER_16.search(before)
    problem = _PROBLEM_16.search(before[opened.end():] if opened else before)
    return bool(problem and (opened or PROBLEM.search(before) or _QUOTED_WORD.search(before) or _PLAIN_PROBLEM_16.search(before)))


# (tests/dev18) a product in scare quotes that came like something else, then one flat word of praise ("Ah yes, the 'fresh' salmon
# that smelled like a harbour bin. Delicious."; "The 'premium rose bouquet' turned up looking like it had been through a car wash.
# Lovely anniversary surprise, cheers.")
_CAME_LIKE_17 = compile_guarded(r"\b(looking|looked|looks|smelling|smelled|smelt|smells|tasting|tasted|tastes|feeling|felt|feels) like (a |an |it |something |they )?"
                                r"(?!real\b|straight from|a dream)[^.!?]{0,30}\b(bin|car wash|rubbish|wreck|dump|sewer|drain|harbour|landfill|roadkill|"
                                r"cardboard|plastic|sat on|been through|trodden|dead|compost|mush|soap|bleach|a warzone|a crime scene)\b")
_AH_YES_17 = compile_guarded(r"^\W*(ah|oh) yes,? (the|your) ['‘\"“][^'’\"”]{2,30}['’\"”]")
_IRONIC_SPAN_17 = compile_guarded(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten) (days|weeks|months|hours)\b|\b(never|still (not|no))\b")
_FLAT_PRAISE_17 = compile_guarded(r"[.!]\s*(delicious|lovely|great|brilliant|wonderful|fantastic|perfect|charming|gorgeous|beautiful|stunning|"
                                  r"yummy|magical)\b([ a-z']{0,30})(,? (cheers|thanks|thank you))?[.!…]")


def _mock_praise_17(lowered: str, good: "re.Match[str] | None") -> bool:
    """The seventeenth pass's mock praise in the lowered text, none beside good news (``good``): sarcastic thanks after a fault
    suffered in spite of the customer (``_THANKS_FOR_THAT_17``), a pile of troubles after a praise word (``_PILE_UP_17``), a flat
    verdict on a design after a fault (``_DESIGN_VERDICT_17``, ``_ZH_VERDICT_17``), "Good to know." after a status in scare
    quotes (``_NOTED_17``)."""
    if good:
        return False
    if (_THANKS_FOR_THAT_17.search(lowered) and _IN_SPITE_17.search(lowered) and _FAULT_EN_17.search(lowered)
            and not _KINDNESS.search(lowered)):
        return True  # "…a clamp on it even though I have a valid permit so thanks for that"
    pile = _PILE_UP_17.search(lowered)
    if pile and not _ORDERING.search(lowered):
        middle = pile.group("en") or pile.group("zh") or ""
        if _PROBLEM_16.search(middle) or _PLAIN_PROBLEM_16.search(middle) or _ZH_FAULT_17.search(middle):
            return True
    verdict = _DESIGN_VERDICT_17.search(lowered) or _ZH_VERDICT_17.search(lowered)
    if verdict and (_ZH_FAULT_17.search(lowered[:verdict.start()]) or _MACHINE_FAULT_17.search(lowered[:verdict.start()])) \
            and not _SAVED_17.search(lowered):
        return True
    if _AH_YES_17.search(lowered) and "?" not in lowered and (PROBLEM.search(lowered) or _IRONIC_SPAN_17.search(lowered)):
        return True  # tests/dev18: "Ah yes, the 'express' delivery. Three weeks." (not "Oh yes, the 'Family Saver' plan — …?")
    quoted = _QUOTED_WORD.search(lowered)
    if quoted and _CAME_LIKE_17.search(lowered, quoted.end()) and _FLAT_PRAISE_17.search(lowered, quoted.end()):
        return True  # tests/dev18: "Ah yes, the 'fresh' salmon that smelled like a harbour bin. Delicious."
    noted = _NOTED_17.search(lowered)
    if noted:
        before = lowered[:noted.start()]
        return bool(_QUOTED_WORD.search(before) and _PROBLEM_16.search(before) and not _EXPLAINED.search(before))
    return False


def _closing_praise_after_a_problem(lowered: str) -> bool:
    """``_CLOSING_PRAISE_15`` ending the lowered text after ``_TOLD_PROBLEM_15`` or a ``PROBLEM``, with no good news."""
    closing = _CLOSING_PRAISE_15.search(lowered)
    if not closing:
        return False
    before = lowered[:closing.start()]
    return bool((_TOLD_PROBLEM_15.search(before) or PROBLEM.search(before)) and not _GOOD_NEWS_15.search(lowered))


def _sarcasm_beside_a_problem(lowered: str) -> bool:
    """``_SARCASM_14`` in the lowered text, beside a problem and with no thanks or good news."""
    return bool(_SARCASM_14.search(lowered) and (PROBLEM.search(lowered) or _SARCASM_14_PROBLEM.search(lowered))
                and not _SARCASM_14_GOOD.search(lowered))
_WORKED_OUT = compile_guarded(r"\b(worked|helped|fixed|sorted|arrived|got it|came)\b|解决了|好了|收到了|到了", re.IGNORECASE)
# Beside scare quotes, what makes the thanks ironic: a problem, or an ironic verdict. A quoted button or
# page name after clicking it ("I clicked 'track my order'") is no scare quote.
_IRONIC = compile_guarded(r"\b(very (generous|informative|helpful|kind|reassuring|comforting)|clearly|means nothing|so much for|"
                     r"wow|truly|really|and counting)\b|\b(\d+|two|three|four|five|six|seven|eight|nine|ten|twenty) (days|weeks|months|hours)\b|"
                     r"真(是|大方|贴心|快|有效率)|可真|🙂|🙃|[0-9一二三四五六七八九十两半]+(天|周|个月|星期|小时)了"
                     r"|(照样|照旧|依旧|依然)[^，。！？]{0,4}(是)?(瘪|坏|没|不|漏|破|错|迟)"
                     r"|\bstill (not|no|broken|flat|waiting|isn'?t|doesn'?t|hasn'?t|won'?t|can'?t|missing|late|dead)\b", re.IGNORECASE)  # seventeenth pass: 谢谢你们的“温馨提示”短信，我的车胎照样是瘪的



# session 30 (tests/dev26: "hi its raining again here in vancouver what a surprise"): the weather's "what a surprise" is
# about the weather, unless the company is named beside it.
_WEATHER_SURPRISE = compile_guarded(
    r"\b(rain\w*|snow\w*|grey|gray|drizzl\w*|cold|freezing|hot|heatwave|weather|windy|foggy|cloudy)\b(?![^.!?]{0,40}\b(you|your|order|"
    r"parcel|delivery|driver|courier|refund|bus|train|flight|engineer)\b)[^.!?]{0,40}\bwhat a (shock|surprise)\b", re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def strong_sarcasm(text: str) -> bool:
    """True for mock praise whose wording alone makes the sarcasm plain (an eye-roll, "thanks for
    nothing", "nailed it", praise opening on "another delay", 呵呵, 真有你们的, 不愧是你们, or thanks
    beside a stock phrase in scare quotes in a message that neither says it worked out nor asks a
    question), with no negated emotion or hypothetical frame.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = without_others_words(text)  # seventeenth pass: a review quoted is not the customer
    lowered = _WEATHER_SURPRISE.sub(" ", unnegated(text))  # session 30: the weather's "what a surprise" is not at us
    if HYPOTHETICAL.search(lowered):
        return False
    if _STRONG_SARCASM.search(lowered) or plain_anger(text):
        return True
    if _sarcasm_beside_a_problem(lowered) or _closing_praise_after_a_problem(lowered) or _praise_around_a_problem(lowered, text):
        return True
    return (bool(_SCARE_QUOTES.search(lowered)) and not _WORKED_OUT.search(lowered) and not re.search(r"[?？]", text)
            and not re.search(r"(\b(click\w*|tap\w*|press\w*|select\w*|chose|choose|went to|go to|open\w*)|点击?|点了|选择?)\s*['‘“\"「]",
                              lowered)
            and bool(_IRONIC.search(lowered) or PROBLEM.search(lowered)))


# issue 11, fifth pass: an irritation the customer softens ("a bit annoying", "getting
# silly", 有点着急) or only sighs at ("ugh, why can't I log in") is mild by the label
# definitions (calm: "no strong negative emotion"; mild disappointment), not anger
# strong enough that a person should take over at once.
MILD_IRRITATION = compile_guarded(
    r"\b(a (little|tiny) bit|a bit|a little|slightly|somewhat|kind of|kinda|getting( a bit| a little)?)"
    r" (annoy\w*|frustrat\w*|irritat\w*|impatient|worried|anxious|concerned|stressed|confus\w*|disappoint\w*|"
    r"silly|tedious|tiresome|long)\b"
    r"|^\W*(ugh+|argh+|sigh|hmm+|meh)\b[,.]?"
    r"|(有点儿?|有一点|稍微有点)(着急|急了|烦|郁闷|担心|焦虑|失望|无奈|纳闷|懵)|^\W*(唉|哎)[，,\s]",
    re.IGNORECASE)


# session 29 (a new user's probe: "never mind", "forget it", "stop" alone put the customer in the queue with the apology
# for their frustration): a withdrawal on its own, typed quietly, is at most mild; in a conversation whose mood rises it
# still counts (runs, mood), and typed loud ("FORGET IT!!", "STOP") it is read as typed.
_WITHDRAWN = compile_guarded(
    r"^\W*((ok(ay)?|oh|ah|hmm+|um+|well|actually|no|nah)[,.]?\s+)?(never ?mind|nvm|forget (it|about it|that)|stop|cancel( that| it)?|"
    r"doesn'?t matter|leave it|don'?t worry( about it)?)( then| now)?[.!]?\s*$"
    r"|^\s*(哦|噢|嗯|好吧|那)?[，,]?(算了|算了吧|不用了|没事了|不要了|不问了|先这样吧)[。.!！]?\s*$",
    re.IGNORECASE)


# session 30 (tests/dev27: "Hello again, sorry to bother you twice today!" queued at 0.97): an apology for writing again,
# alone or after a greeting, is the label definitions' "apologetic repeat contact" — calm; typed loud it is read as typed.
_APOLOGETIC_AGAIN = compile_guarded(
    r"^\W*((hi|hello|hey|good (morning|afternoon|evening))( again| there)?[,!.]*\s*)?(so )?(sorry|apologies) (to|for) "
    r"(bother|trouble|pester|bug|disturb|messag|writ)\w* (you|u)( (all|guys))?( (again|twice|once more|another time|so often|"
    r"so much))?( today| this (morning|afternoon|evening|week))?( 🙏| 😅| 🙈)?[.!]?\s*$"
    r"|^\s*(你好|您好|亲)?[，,]?(不好意思|抱歉|打扰了)[，,]?(又|再次)?(来)?打扰(你们|您|你)?了?[。.!！]?\s*$",
    re.IGNORECASE)


def mild_irritation(text: str) -> bool:
    """True when the message's only irritation is softened or a sigh ("a bit
    annoying", "this is getting silly", 有点着急, a leading "ugh") and the rest of
    the wording carries no anger (``anger_cue`` of the text without that part:
    no "!!", capitals, sarcasm, demand or angry word). escalation.yml's
    ``negative_emotion.mild_one_message: false`` then keeps such a message from
    escalating on its own; a next negative turn still counts (runs, mood).

    Args:
        text: the customer's message.

    Returns:
        True for a softened irritation or a sigh with no other anger.
    """
    text = text or ""
    if (_WITHDRAWN.search(text) or _APOLOGETIC_AGAIN.search(text)) and not re.search(r"[A-Z]{2,}", text):
        return True
    if not MILD_IRRITATION.search(text) or _STRONG.search(text) or _LETDOWN.search(text) or strong_anger(text):
        return False
    # issue 11, sixth pass: 还没 ("not yet") is what the softened irritation is about (退款怎么还没到，有点着急),
    # not anger of its own
    return not anger_cue(MILD_IRRITATION.sub(" ", text).replace("还没", "没"))


# Strong words that no softener makes mild (beside the lexicon's angry words).
_STRONG = compile_guarded(r"\b(disgrace\w*|appalling|outrag\w*|unacceptabl\w*|furious|livid|scandal\w*|shocking)\b|太过分|欺人太甚",
                     re.IGNORECASE)


# Someone else's anger, relayed calmly (session 24, a fresh writer's conversations): "My husband is absolutely fuming because
# his order came without the drinks 😅 I'm just trying to sort it out calmly", "my mum … she's a bit cross that her parcel got
# left with next door", 我爸刚才打电话把我说了一顿😂, 我妈说你们这个会员太贵了，气得不行哈哈. The anger words are the other person's.
_RELAYED_EN = compile_guarded(
    r"\b(my|our) (husband|wife|partner|hubby|mum|mom|mother|dad|father|parents|son|daughter|boss|friend|neighbou?r|gran|granny|nan|"
    r"grandma|grandpa|grandad|grandmother|grandfather|flatmate|roommate|housemate|brother|sister|uncle|aunt|kids?|manager|"
    r"colleague|client|tenant|landlord|other half|fianc[ée]e?|girlfriend|boyfriend)\b"
    r"[^.!?]{0,60}?\b(is|was|'s|are|were|got|has been|have been|gets)( absolutely| really| quite| a (little )?bit| so| very| pretty| "
    r"properly| rather| fairly| understandably| a little| slightly| kind of| proper)? "
    r"(fuming|furious|livid|cross|angry|mad|upset|annoyed|raging|seething|fed up|not (happy|impressed|pleased|amused))\b",
    re.IGNORECASE)
_RELAYED_ZH = compile_guarded(
    r"(我|俺)(妈|爸|老公|老婆|爱人|婆婆|公公|奶奶|爷爷|外婆|外公|姥姥|姥爷|老板|领导|朋友|室友|同事|家里人|家人|孩子|儿子|女儿|对象|"
    r"男朋友|女朋友|老妈|老爸|爸妈)[^。！？]{0,24}?(气得不行|气坏了|气死了|很生气|特别生气|挺生气|有点生气|火大|发火|发脾气|不高兴|"
    r"不开心|把我(说|骂|数落|念叨)了一顿|骂了我一顿|说了我一顿|念叨)")
# ... told calmly: the customer says so, laughs, or apologises / thanks
_CALM_TELLER = compile_guarded(r"\b(calm\w*|lol|haha\w*|i'?m (fine|ok|okay|not (angry|upset|cross|fussed|bothered))|"
                               r"(asked|wants|told) me to (message|write|contact|get in touch|reach out|chat|ask|sort)|on (his|her|their) behalf|on behalf of)\b"
                               r"|😅|😂|🤣|🙈|哈哈|我(倒是|其实|本人)?(没事|不生气|还好|无所谓)|(让|叫)我(来)?(问|联系|说|反馈|处理)|替(他|她|他们)", re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def relayed_emotion(text: str) -> bool:
    """True when the anger in the message is someone else's, relayed calmly: a relative, friend or colleague of the
    customer is said to be angry ("my husband is fuming", 我妈…气得不行), the customer says it calmly (they say so, laugh,
    apologise or thank) and the customer's own words, the relayed part left out, carry no anger (``anger_cue``).

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = text or ""
    found = _RELAYED_EN.search(text) or _RELAYED_ZH.search(text)
    if not found:
        return False
    rest = text[:found.start()] + " " + text[found.end():]
    if _OWN_ANGER_TOO.search(rest) or strong_sarcasm(text) or strong_sarcasm(rest):
        return False  # its review: "…and so am I", "we both are", 我现在也很烦, "I'm not happy either", 真是绝了
    return bool(_CALM_TELLER.search(text) or is_polite(text)) and not anger_cue(rest) and not strong_anger(rest)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text asks once a turn, the tests again
def anger_not_at_us(text: str) -> bool:
    """True when the message's angry words are about the customer's own life or said not to be at the company, and
    the wording carries no anger at the company (session 26, tests/dev25: "Raining cats and dogs here, damn. Is the
    drive-through still open?", "Idiot me left my charger in room 214", "Frustrating day with my landlord, nothing to
    do with you!", 气死我了哈哈, 怪我自己填错了). The emotion model reads the angry words and scores such messages
    0.95-0.99; escalation.yml's ``not_at_us_one_message: false`` keeps them from escalating on their own (a next
    turn with anger at us still does).

    Readings: ``common.life_trouble_only`` (the weather, a landlord, a diagnosis, with no fault of ours and no
    problem beside it) or ``_NOT_AT_US`` (the clause before a disclaimer, self-blame, a laughing 气死我了哈哈; not
    self-blame for choosing or expecting us, ``_SELF_BLAME_FOR_US``, nor a disclaimer followed by "but" or a dash).
    What is left once those words are out must ask something (``_ASKS_SOMETHING``) and name no grievance: no fault
    or chase of ours (``_AT_US_BESIDE``), no wait or count of days or tries (``_WAIT_OR_COUNT``), no ``PROBLEM``
    word but the customer's own "wrong" / 错; and ``anger_cue``, ``strong_anger`` and ``strong_sarcasm`` are all
    False on the whole text.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    lowered = (text or "").lower()
    if small_talk_not_at_us(text):
        return True  # session 31: small talk about the customer's own day
    if life_trouble_only(lowered):
        rest = LIFE_TROUBLE.sub(" ", lowered)
    elif _NOT_AT_US.search(lowered):
        rest = _NOT_AT_US.sub(" ", lowered)
        # its review: "Nothing to do with you, but the courier threw my parcel…", "Silly me for assuming…"
        if _BUT_FIRST.match(rest) or _SELF_BLAME_FOR_US.search(lowered):
            return False
    else:
        return False
    # what is left must ask something and name no grievance (its second review: a list of fault words is never complete,
    # "idiot me. day 9. no parcel.", 怪我自己太天真，以为次日达真的是次日达。第四天了。): a question or a request, no fault or
    # chase of ours, no wait or count of days or tries, no problem word
    if not _ASKS_SOMETHING.search(rest) or _AT_US_BESIDE.search(rest) or _WAIT_OR_COUNT.search(rest):
        return False
    if PROBLEM.search(rest.replace("wrong", " ").replace("错", " ")):  # "Silly me, I typed the wrong postcode" is the own mistake
        return False
    return not (anger_cue(text) or strong_anger(text) or strong_sarcasm(text))


# Beside self-blame or a disclaimer, what says the anger is at us after all: trusting or choosing us, a chase, a fault or
# a loss of ours (``common._OUR_FAULT`` without the mistakes a customer blames themselves for: "wrong", 错).
_AT_US_BESIDE = compile_guarded(
    r"\b(believ|trust|think|thought|expect|choos|chose|pick|book|order|buy|bought|pay|paid|sign|fell for|listen)\w*\b"
    r"[^.!?]{0,40}\b(you|your|this (company|shop|site|app|place))\b"
    r"|\byou('?ve| have)? (lost|sent|broke|left|gave|charged|never|didn'?t|installed|delivered|keep \w+ing|kept \w+ing|promised|cancel+ed|"
    r"ignored|threw|smashed)\b|\bstill\b(?! (open|available|in stock|valid|running|going ahead|happening|on offer))"
    r"|\b(again|never|nobody|no one|broken|stopped|late|delay\w*|missing|soaked|ruined|damaged|smashed|threw|rude|useless|"
    r"joke|disgrace|refund\w*|charge[ds]?|charging|overcharg\w*|harass\w*)\b"
    r"|\byour\b|(信|相信|选|买|订|用|听)了?你们|你们的|这家|鬼话|骗|坏|没人|还没|又|退款|扣|态度"
    # session 32 (session 31's review, Chinese probes): a demand for an explanation or for someone who can fix it
    r"|给(我)?(一)?个?(说法|交代|解释)|能解决问题的人",
    re.IGNORECASE)
_SELF_BLAME_FOR_US = compile_guarded(
    r"\b(idiot|stupid|silly|dumb|dozy|daft|clumsy) me\b,? (for )?(think|assum|expect|believ|trust|hop|imagin|count|rel[yi]|buy|order|"
    r"choos|pick|book|pay|paid|sign|listen|fall|fell)\w*"
    r"|\bwhy (would|did|do|should) (anyone|i|we|people|you)\b"
    r"|(怪我自己|是我自己的错|是我自己的问题)[^。！？!?]{0,12}(以为|相信|信了|指望|天真|不该|非要|买|选|订)",
    re.IGNORECASE)
_ASKS_SOMETHING = compile_guarded(
    r"[?？]|\b(can|could|would|will|do|does|did|is|are|was|may|should) (you|i|we|the|my|it|they|there|someone|he|she|this|that)\b"
    r"|\bplease\b|\b(how|what|when|where|which|who|any chance|i need|i'?d like|i want to (know|check|change|move|book))\b"
    r"|吗|呢|能不能|能否|可以|可不可以|请|麻烦|帮我|帮忙|怎么|如何|什么时候|哪|多少|几点|是否|有没有",
    re.IGNORECASE)
# Session 39: a Chinese count starts at the start of its run of numerals (the lookbehind; the same matches), not at each of
# them (0.07 s for a run of 2,000 digits; a fresh attacker's review).
_WAIT_OR_COUNT = compile_guarded(
    r"\b\d+\s*(min|mins|minutes?|hours?|hrs?|days?|weeks?|months?)\b|\bday (\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"|\b(\d+|two|three|four|five|six|seven|eight|nine|ten)(st|nd|rd|th)? (times?|calls?|attempts?|tries|weeks?|days?)\b"
    r"|\b(twice|second|third|fourth|fifth|sixth|nowhere|no (parcel|order|package|delivery|reply|answer|refund|one|sign)|hung up|"
    r"everywhere|waited|waiting|swore|promised|sack\w*|hid|hidden|shrank|shrunk|no sound|stopped working)\b"
    r"|(?<![一二三四五六七八九十两几\d])[一二三四五六七八九十两几\d]+(天|次|个?小时|周|个月)|第[一二三四五六七八九十几\d]+(天|次)|都没有|没声音|缩水|出问题|还是|放错|三天两头",
    re.IGNORECASE)
_BUT_FIRST = re.compile(r"[\s,.;:!…—–-]*(but|however|though|但是|但|不过|可是)")


# Session 31 (tests/dev26, tests/dev27: small talk the emotion model reads as anger at 0.77-1.0). The customer's own
# day told as small talk: tiredness, a Monday, the weather, a flat phone, a noisy neighbour, an embarrassing moment.
_OWN_DAY = compile_guarded(
    r"\b(i'?m|i am|i feel|feeling|been)?,? ?(so+|really|super|absolutely|completely|totally|pretty|a bit|very)? ?(tired|exhausted|knackered|"
    r"shattered|sleepy|wiped( out)?|drained|hungover|sleep[- ]deprived)\b(?! (of|with|from|after waiting)\b)"
    r"( (today|this (morning|afternoon|week)|lately|right now|rn|already))?"
    r"|\bmy (brain|head) is (mush|fried|dead|not working|somewhere else)( today)?"
    r"|\bcoffee (number|no\.?|#) ?\d+( and counting)?|\b(\d+(st|nd|rd|th)|second|third|fourth|fifth) coffee( of the day)?\b"
    r"|\b(my )?(phone|battery)('?s| is) (at|on) \d+ ?%|\bif i (vanish|disappear|drop off)\b[^.?!]{0,15}"
    r"|\bi (just )?want(ed)? to (hide|disappear|crawl into a hole)\b|\b(so )?(mortified|cringe|facepalm)\b"
    r"|\b(ugh|argh|oh|man|phew),? (what a|another|manic|typical|classic|happy) (monday|tuesday|week|day|morning)\b"
    r"|\bwhat a (monday|week|day|morning)\b|\bmondays?,? (am i right|eh|huh|amirite)\b|\bcase of the mondays\b"
    r"|\b(it'?s|it is)( so| really| super| absolutely)? (freezing|boiling|roasting|baking|grey|gray|pouring|snowing|raining)"
    r"( (again|here|outside|today|out there|in [a-z]+))*\b"
    r"|\bhas been (grey|gray|raining|rainy|cold|wet|foggy)( for)?( like)? (\w+ )?(days|weeks?)( straight| now| in a row)?"
    r"|\b(its|it'?s) raining again( here)?( in [a-z]+)?( what a surprise)?"
    r"|\bis it just me or\b"
    r"|\bmy (neighbou?r'?s?|neighbou?rs|kids?|toddler|baby|dog|cat|parrot|puppy|boss|manager|husband|wife|partner|flatmate|"
    r"housemate|mum|mom|dad|teacher) (has |have |is |are |'s |'ve )?(been )?"
    r"(drilling|hoovering|screaming|crying|barking|yelling|howling|killing me|doing my head in|"
    r"driv(ing|en) me (mad|crazy|nuts|up the wall|round the bend))"
    r"( since \w+| all (day|morning|night)| today| this morning| again)?"
    r"|\bsend help\b|\bstory of my life\b|\bbear with me\b"
    r"|\b(i'?m|i am|i'?ve|i have|i'?ve just|i just) (having|having had|had) (the worst|a terrible|a bad|a rough|an awful|a horrible|a long|"
    r"a crazy|a mad|such a long|such a rough) "
    r"(day|week|morning|monday)( ever)?\b|\bstuck in (traffic|a traffic jam|a meeting|an airport)\b"
    # the customer's own way with technology ("sorry, I'm rubbish with technology", "I'm terrible at this online stuff")
    r"|\b(i'?m|i am)( so| really| totally| absolutely)? (rubbish|terrible|useless|hopeless|awful|bad|clueless|a dinosaur|"
    r"a disaster|no good) (with|at) (technology|tech|computers|this( online)?( stuff| thing)?|apps|phones|online stuff|"
    r"these things|passwords|typing)\b"
    r"|\b(honestly,? |man,? |god,? |ugh,? )?(this|what a|such a) (year|week|month|day) (it )?(has been|'?s been|was|is)( so| really| a bit)? "
    r"(rough|hard|tough|long|crazy|mad|hectic|a lot|a rollercoaster)\b( (lol|haha))?"
    # sympathy for the staff ("are you guys busy today? must be crazy", "you lot must be run off your feet, hang in there")
    r"|\b(are|must) (you|you guys|you all|y'?all) (be )?(so |really |very |mad )?(busy|swamped|slammed|run off (your|their) feet|"
    r"rushed off (your|their) feet)( today| at the moment| right now| this week| with (this|the) \w+)?"
    r"|\b(it )?must be (crazy|mad|hectic|wild|nuts|chaos|manic)( for you| over there| there| today| right now)?"
    r"|\bhang in there\b|\bhope you('re| are) (ok|okay|well|hanging in|surviving|coping)\b"
    r"|\bis (anyone|anybody|someone|a (real )?(person|human)) (actually )?(reading|there|here|behind)[^?.!]{0,20}[?.!]*,? (just |only )?"
    r"(curious|wondering|asking)\b"
    # (session 32's review: not tired from us, 今天等你们好累, 今天催单催得好累, 今天为了你们好累)
    r"|(今天|周一|这周|最近|上班|加班)((?!你们|你家|客服|等|催|找|被|为了|跟|耗|盯)[^，。！？,!?]){0,4}((好|真|太|真的好|真的|超)?(累|困)|(好|真|太|真的好|真的|超)忙|忙(死|疯))(啊|呀|死了)?"
    r"|回南天|服了我自己|(今天|这周|最近|今年)(真是|真的|好|太)?倒霉(透顶|死了)?(的一天)?|"
    r"(咖啡|奶茶)洒了|我家(狗子?|猫咪?|孩子|娃|熊孩子)[^，。！？,!?]{0,10}(咬|拆|闹|哭|吵)",
    re.IGNORECASE)
# ... and small talk with the bot itself: a friendly question about its day, a compliment, a joke ("do you get tired
# talking to people all day", "you're my favourite chatbot, don't tell the others", "why did the bot cross the road?").
_BOT_SMALL_TALK = compile_guarded(
    r"\b(do|does|did|are|can|have|will) you (ever )?(get (tired|bored|lonely|a day off|weekends?|holidays?)(?! of)|sleep|dream|eat|"
    r"have (feelings|a name|friends|a favou?rite \w+|weekends?|a day off|a birthday)|like (your job|talking|chatting|people|it|humans)|"
    r"enjoy (your job|it|this|talking|chatting)|take breaks?)\b"
    r"|\byou'?re (kinda |so |really |pretty |actually )?(my favou?rite|cute|sweet|adorable|funny|hilarious|the best|a legend|a star|"
    r"a gem)\b( (chatbot|bot|robot)| for a (chatbot|bot|robot))?"
    r"|\b(good|clever|cute|sweet|nice|best) (bot|robot|chatbot)\b|\bwhy did the (bot|robot|chatbot|chicken)\b|\bknock knock\b"
    r"|\btell me a joke\b|\b(i'?ve|i have) been talking to a (bot|robot)( this whole time)?,? (respect|lol|haha)\b"
    r"|\blong time no (chat|see|speak|talk)\b|\bno cap\b"
    # session 32 (tests/dev28, odd ids): "how many people have you talked to today 😅", "you're way more polite than my
    # coworkers, just saying"
    r"|\bhow many (people|customers|humans|folks|of us) (have you|do you|did you) (talk|spoke|speak|chat)\w*( to| with)?"
    r"( today| so far| a day| every day| today so far)?"
    # (its review: only someone from the customer's own life is compared, not "the last agent", "half your staff")
    r"|\byou'?re (way |much |so much |a lot |far )?(more polite|nicer|friendlier|kinder|more patient|funnier|sweeter|"
    r"more fun) than (me|most people( i know)?|(my|most of my|all my) (coworkers|co-workers|colleagues|boss|kids|children|"
    r"husband|wife|partner|family|friends|mates|neighbou?rs|teacher|sister|brother|mum|mom|dad|flatmates?|housemates?|ex|"
    r"in-laws|dentist|cat|dog))\b([,.]? just saying)?"
    # curious about the bot's day with other customers ("do people ever get angry at you?", "what's the most annoying
    # question people ask you?")
    r"|\b(do|does|did) (people|customers|folks|users|humans|anyone)( ever)? (get|got) (angry|mad|annoyed|rude|cross|frustrated|upset|"
    r"shouty) (at|with) you\b|\bdo you (ever )?(get|feel) (angry|mad|annoyed|sad|upset|frustrated|lonely|bored|stressed)\b"
    r"|\bdo you (get|have to deal with) (a lot of|many|lots of|loads of|so many) (angry|rude|annoying|difficult|weird|grumpy|"
    r"cross|shouty) (customers|people|messages|questions)\b|\b(i )?bet (people|customers|folks) (shout|yell|swear|moan|get angry) at "
    r"you( all day)?\b|\bwhat'?s the (most annoying|weirdest|strangest|funniest|rudest|worst|silliest) (question|thing|message)"
    r"( (people|customers|anyone))? (ask|say|send)\w*( you)?\b|\byou (guys )?must get (so many|a lot of|loads of|lots of) "
    r"(weird|strange|angry|rude|funny|silly) (messages|questions|customers|people)\b"
    r"|(你们|你)(每天|平时|经常)?(是不是|会不会)?会?(遇到|碰到)(很多|好多|不少)?(生气|发火|难缠|奇怪|暴躁)的(客户|顾客|人)"
    r"|有人(冲|对|跟)你(发火|发脾气|生气|吵)(过)?(吗|么|没)",
    re.IGNORECASE)
# ... but not beside scorn for the bot or a chase ("do you get tired? no? must be nice, I'm exhausted from chasing you lot").
_BOT_SCORN = compile_guarded(
    r"\b(useless|stupid|dumb\w*|idiot\w*|pointless|point of|waste\w*|never|can'?t|cannot|doesn'?t|don'?t (help|understand|listen|"
    r"read|know)|understand|read|same|repeat\w*|human|real person|agent|actually help|even|pretend\w*|programm\w*|script\w*|"
    r"template\w*|hate|worst|garbage|rubbish|annoy\w*|frustrat\w*|chas(e|ed|ing)|must be nice|you lot|you people|"
    r"(bad|terrible|awful|rubbish|crap|hopeless|useless) at|because|unlike|wish|shame|sigh|(the best|a star|a legend|a champion) at|"
    r"said no one|where('?s| is| are)|not my|los(e|ing|t)|thanks to|i would|me too|i don'?t blame|no wonder|deserve\w*|"
    r"rightly|can'?t blame)\b"
    r"|机器人.{0,6}(笨|傻|蠢|没用|废物)",
    re.IGNORECASE)
# What may stand beside the small talk: laughter, a greeting, an "anyway", punctuation and emoji.
_FILLER = compile_guarded(
    r"\b(lol|lmao+|haha+|hehe+|rofl|anyway|anyways|hi|hiya|hello|hey|there|too|so|that'?s why|and counting|just|honestly|respect|"
    r"i|me|oh|ok|okay|well|btw|from him|don'?t tell the others|today|tbh|ngl)\b|[哈呵嘿啊呀吧嘛了哦噢呜～~]",
    re.IGNORECASE)
_NOT_FILLER = re.compile(r"[a-z0-9]|" + HAN.pattern, re.IGNORECASE)
# ... nor beside "??", "?!" or a sour emoji
_FILLER_QUESTION = re.compile(r"[.!?。！？]\s+[?？]")
_SOUR = re.compile(r"[?？]\s*[?？!！]|[!！]\s*[?？]|[😑💩🖕😒🙄😡🤬😤😠👿💢]")


def _shouted(text: str) -> bool:
    """True when most of the message's ASCII letters (at least 8) are capitals ("I'VE HAD A LONG DAY. JUST SAYING.")."""
    letters = [c for c in text if c.isascii() and c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def small_talk_not_at_us(text: str) -> bool:
    """True when the message is small talk about the customer's own day ("so tired today, coffee number 4 and counting",
    "my phone's at 3% so if I vanish that's why", 开会前把咖啡洒了一身，我真是服了我自己) or a friendly word with the bot
    ("you're my favourite chatbot, don't tell the others"), and carries no anger at the company (session 31, tests/dev26 and tests/dev27: the emotion model
    scores such messages 0.77-1.0 angry; by the label definitions the customer is calm with us).

    Reading: ``_OWN_DAY`` names the customer's own day, or ``_BOT_SMALL_TALK`` a friendly word with the bot; once those
    words are out, no scorn for the bot (``_BOT_SCORN``), no wait or count, no ``PROBLEM`` word, no fault or chase of
    ours and no ``anger_cue`` may be left, and nothing but filler (``_FILLER``: laughter, a greeting, "anyway"; its review
    found questions and verdicts beside small talk to be grievances: "So tired today. Would it kill you to answer an
    email?", "SO TIRED. FIX IT."). ``strong_anger`` and ``strong_sarcasm`` are False on the whole text. Session 32's
    review: no "??", "?!" or sour emoji (😑, 🙄, 💩, …) and no message in capitals unless it laughs ("SO TIRED TODAY
    LOL"), and no question of filler alone after it ("…so far? Honestly?"). Read as
    ``anger_not_at_us``, so such a message does not escalate on its own; a next negative turn still counts (runs, mood).

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    lowered = straight_apostrophes(text or "").lower()
    if not (_OWN_DAY.search(lowered) or _BOT_SMALL_TALK.search(lowered)):
        return False
    if (_SOUR.search(text) or _shouted(text)) and not _JOKE.search(text):
        # session 32's review: "HOW MANY PEOPLE HAVE YOU TALKED TO TODAY?!?!", "…today?? ok", "I've had a long day 😑";
        # laughter keeps it light ("SO TIRED TODAY LOL", "Do you ever sleep??? 😂")
        return False
    rest = _BOT_SMALL_TALK.sub(" ", _OWN_DAY.sub(" ", lowered))
    if _BOT_SCORN.search(rest):
        return False
    # its review (a fresh attacker, 95 angry probes softened): anything said beside the small talk, a question above all
    # ("So tired today. Would it kill you to answer an email?", "do people ever get angry at you? they should", "SO TIRED.
    # FIX IT."), may be the grievance: only filler may be left (a plain request beside it was tried and taken out: the
    # README's thirtieth pass)
    if _NOT_FILLER.search(_FILLER.sub(" ", rest)):
        return False
    if _FILLER_QUESTION.search(_FILLER.sub(" ", rest)):
        return False  # session 32's review: a question of filler alone after it ("…so far? Honestly?", "…today? Just me? Well.")
    if _WAIT_OR_COUNT.search(rest) or PROBLEM.search(rest) or _AT_US_BESIDE.search(rest) or anger_cue(rest):
        return False
    return not (strong_anger(text) or strong_sarcasm(text))


# The customer angry too (its review of the first rule).
_OWN_ANGER_TOO = compile_guarded(
    r"\b(so am i|me too|same here|we both are|we'?re both|both of us|(i'?m|i am) (not happy|beyond|also|too|just as|equally|pretty|really|so)\b"
    r"|either|as well|frankly|tbh|honestly|very funny|ruin\w*|\d+(st|nd|rd|th)|again|hour|days?|weeks?)\b"
    r"|我(现在)?也|我更|我们都|都很(烦|生气)|快点|绝了|没人理|一个小时|多久|又|第[二三四五六七八九十几两\d]+",
    re.IGNORECASE)
