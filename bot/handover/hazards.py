"""A hazard reported now, read as *a thing of a kind* beside *what went wrong with it* (issue 11, twelfth pass).

The triage's safety phrases (``bot.handover.triage``: ``_CASES["safety"]``, ``_HAZARD_10``, ``_HAZARD_11``,
``_SAFETY_9``) are whole phrases, and a fresh writer's wording slips past them: of 100 safety cases per
language written by someone who had not seen the project (twelfth pass, ``/tmp/safety10``), the triage read
44 English and 33 Chinese as safety cases, and 55 / 45 were handed over at all ("女儿把磁力积木里的两颗小磁珠吞了",
"the milk is lumpy and smells off", a blender jug that cracked and cut a hand). Here each kind of hazard is
two small vocabularies, the things (a car seat, a tyre, the medicine, a socket) and what goes wrong with them
(came loose, snapped, is not what the label says, sparks), and a message reports the hazard when it names both
in one sentence. Both lists are the kind's own words, so a new pairing needs no new phrase. A swallowing
is a verb close to a harmful thing (``_SWALLOWED``: not "the washing machine ate my sock"), and a fire now
needs no thing named ("the curtains caught fire"). Idioms are taken out of the text first ("sick of it",
"what a shock", 降价掉了), and a hazard only asked about ("what if…", 万一…怎么办) is none unless the
message also says something already happened.

What is *not* a report (a question before anything happened, a product asked about, a bill, a figure of
speech, a problem fixed) is left to the triage's guards, which run before :func:`reported_hazards`.
"""
from __future__ import annotations

import re
from typing import Dict, List, Tuple

from bot.text import compile_guarded

_SENTENCE = r"[^.!?。！？\n]{0,50}"
# Characters read: the longest message a channel takes (``connectors.rest.MAX_MESSAGE_CHARS``), so a hazard told at
# the end of a long message is read (session 42: at 2,000, "…and my son drank it" after 4,000 characters got the
# fallback; helper-205's finding 4). Reading 4,000 characters of the hostile messages (bench/hostile_text.py) takes at
# most about 6 ms; a longer text (an agent's note, a transcript) is cut here, where 20,000 characters took about 0.8 s.
_LIMIT = 4000


def _pair(things: str, wrong: str) -> "re.Pattern[str]":
    """A pattern for a thing and what went wrong with it in one sentence, in either order."""
    return compile_guarded(rf"(?:{things}){_SENTENCE}(?:{wrong})|(?:{wrong}){_SENTENCE}(?:{things})", re.IGNORECASE)


#: Each kind of hazard: (things, what goes wrong with them). English words are whole words; a Chinese
#: alternative is two characters or more unless the character is unambiguous (twelfth pass review).
READINGS: Dict[str, Tuple[str, str]] = {
    "gas": (
        r"\b(gas|carbon mon\w*xide|boiler|water heater|stove|bbq|propane|regulator|canister)\b|(?-i:(?<![A-Za-z])CO(?![A-Za-z]))|"
        r"煤气|燃气|天然气|液化气|一氧化碳|热水器|燃气表|燃气灶|煤气灶|气罐|卡式炉",
        r"\b(smell|smells|smelling|stinks?|reeks?|leak\w*|hiss\w*|rotten eggs?|sulph?ur|beep\w*|going off|sounding|"
        r"headaches?|dizzy|nause\w*)\b|yellow (flame|and flicker)|味|漏气|泄漏|嘶嘶|响个不停|滴滴|头疼|头晕|恶心|结了白霜"),
    "electric": (
        r"\b(sockets?|plugs?|power strip|extension (lead|cable)|cables?|wires?|wiring|chargers?|meter box|switch(es)?|"
        r"outlets?|taps?|fridge|kettle|washing machine|dishwasher|heater|tv|appliance|lamp|lights|light fitting|"
        r"transformer|microwave|charging (point|cable|dock)|straighteners)\b|插座|插头|插排|墙插|电线|线头|电表箱|开关|"
        r"冰箱|洗衣机|洗碗机|热水器|水龙头|吊灯|外机|充电器|充电桩|微波炉|线皮",
        r"\b(spark\w*|arc(s|ing|ed)?|zap\w*|jolt|went numb|is it live|shock(ed)? (me|him|her|us)|got a shock|"
        r"an electric shock|bit me|tingl\w*|exposed|live wire|blue flash\w*)\b|can see the (copper|wires?|circuit)|"
        r"(inner |bare )?wires (are )?showing|split open|come loose and (is )?dangling|火花|打火|冒火|蓝光|闪了一下(?!就好)|"
        r"漏电|触电|被电|电(了|到)(我|他|她|人|一下)|电一下|麻手|麻了一下|发麻|滋滋|露在外面|露出|皮都破|线皮破|通着电|"
        r"掉下来垂|有电"),
    "fire": (
        r"\b(battery|batteries|power ?bank|chargers?|laptop|phone|heater|grille|plugs?|sockets?|cables?|appliance|"
        r"dishwasher|kettle|toaster|oven|microwave|e-?bike|scooter|lamp|curtains?|dryer|hob)\b|电池|充电宝|充电器|"
        r"笔记本|电暖器|取暖器|网罩|洗碗机|电动车|插头|插座|外壳|电饭煲|吹风机|烤箱|微波炉",
        r"\b(smok(e|ing|ed)|flames?|on fire|caught fire|melt\w*|scorch\w*|glowing|overheat\w*|swollen|swell\w*|"
        r"puffed up|bulg\w*)\b|burning (smell|plastic)|smells? (of|like) burn|(so|too|really|very) hot (to|that|i|you)|"
        r"can'?t hold it|go(ing)? soft|冒烟|有点烟|着火|起火|火苗|烧焦|焦味|糊了|融化|化了|鼓包|鼓起|拿不住|烧红|烧塑料|"
        r"烫得|烫到拿|嘶嘶"),
    "health": (
        r"\b(i|we|he|she|they|me|him|her|us|my \w+|our \w+|his \w+|her \w+|(whole )?family|son|daughter|kid|baby|"
        r"child|husband|wife|mum|mom|dad|eyes?|face|skin|hands?|throat|mouth)\b|我|孩子|儿子|女儿|宝宝|老公|老婆|家人|"
        r"全家|老人|手|脚|脸|眼睛|嗓子|皮肤|浑身",
        r"\b(throwing up|vomit\w*|being sick|been sick|rash(es)?|hives|swell\w*|swollen|puffy|stinging|blisters?|"
        r"bleeding|bled|blood(?! (pressure|sugar|test))|stings|eyes (are )?streaming|cut (my|his|her|their|him|me|open|myself|himself|herself)|"
        r"(deep|nasty|bad|big) cut|fell (off|down|backwards|straight|over)|slipped (on|over|and)|tripped (on|over)|"
        r"hit (his|her|my) head|drowsy|can'?t (breathe|move)|really hurts|in pain|injur\w*|fractur\w*|"
        r"broken? (my|his|her) \w+|(is|was|in|to) hospital|a&e|dizzy|numb|double vision|chest (feels |is )?tight|"
        r"heart is racing|foam(y|ing))\b|过敏(反应|症状|了(?!解))|起疹|疹子|红疹|起(了)?(红点|疙瘩)|痒得|(脸|嘴|眼|手|脚|喉咙)[^，。！？]{0,4}肿|"
        r"(一直|开始|上)吐|吐了(好几|一|两|三)次|在吐|呕吐|拉肚子|出血|血止不住|划(伤|破)|划了(一|个)?(道|口子)|割(伤|破)|摔(下来|伤|断|倒|到)|"
        r"磕到|昏昏(沉沉|欲睡)|站不起来|烫伤|发紧|住院|急诊|头晕|手麻|重影|(皮肤|手(?!机)|脚|脸|嘴|头皮)[^，。！？]{0,6}(起泡|水泡)|"
        r"火辣辣|胸闷|喉咙痛|一直咳|烫红"),
    "vehicle": (
        r"\b(brakes?|steering|tyres?|tires?|(front|rear|back) wheel|wheel nuts|accelerator|throttle|handlebars?|"
        r"handlebar stem|(bike|bicycle|scooter|e-?bike) frame|engine|dashboard|abs|pedals?|seat ?post|quick release)\b|frame(?= (snapped|cracked|broke))|刹车|刹(车)?线|前刹|后刹|方向盘|轮胎|胎|油门|车把|把立|车架|发动机|仪表盘|后轮|前轮|"
        r"龙头(?!有点)|坐垫杆",
        r"\b(fail(ed|ing|s)?|not working|doesn'?t work|won'?t (stop|slow)|barely|snapped|broke|loose|wobbl\w*|stick(s|ing)|"
        r"lock(s|ed)? up|pulling|bulge|folded|cut out|died|lost power|surg\w*|heavy|speeding up|came off|blew out|"
        r"blow-?out|spins?|can'?t steer|full speed|keeps (going|accelerating)|accelerating|sinking)\b|失灵|不灵|断了|松了|"
        r"晃|抱死|打滑|卡住|卡死|转不动|鼓了个包|鼓包|折下来|熄火|没动力|回不来|打不动|跑偏|往(左|右)跑|特别沉|死沉|黑了|刹不住|软软的"),
    "medicine": (
        r"\b(medicines?|medication|meds|prescriptions?|tablets|pills|drops|inhaler|insulin|syrup|\d+ ?mg|"
        r"\d+ ?micrograms?|blister pack|dose)\b|(?<![农虫])药(?![店房师])|处方(?!药可以)|说明书|铝箔板|标签|"
        r"胰岛素|吸入器|口服液|\d+ ?毫升|眼药水|滴耳液|缓释片",
        r"\b(different(?= (\w+ )?(medicine|medication|tablets?|pills?|drugs?|strength|dose|type|brand|name|kind|"
        r"colou?r|shape))|different (to|from) (what|the)|wrong (medicine|medication|tablets?|pills?|strength|dose|drug|"
        r"prescription|inhaler|name|label)|not (mine|his|hers|ours)|someone else'?s|(isn'?t|aren'?t) (mine|his|hers|ours|"
        r"what|the (one|right))|another name|never been prescribed|don'?t recognise|has always taken|allergic|"
        r"double the dose|twice the dose|by mistake|accidentally|wrong (type|kind|one)|instead of (my|her|his|their) (usual|normal|"
        r"regular)|instead of \d+|(box|label|bag|packet) (you gave me )?says|\d+ ?(mg|micrograms?) instead of)\b|\bbut\b[^.!?]{0,20}\bsays\b|"
        r"\bsays\b[^.!?]{0,30}\bbut\b|不一样|(药|剂量|规格|名字|姓名)[^，。！？]{0,4}不对|(配|拿|发|给)错|错(的|了)药|"
        r"别人的(药|处方|名字)|(名字|姓名)(是|写的是)?别人|不是(我|他|她|我们)的|另一个人|多了(一|两|几)|从来没(开|吃)过|"
        r"完全不一样|到底哪个|医生明明|医生开的(是|明明)|你们给的是|却是|印的是|给成了|都不对|"
        r"不认识|过敏"),
    "child": (
        r"\b(car ?seat|buckle|cot|crib|high ?chair|stroller|pram|buggy|baby gate|stair gate|bunk bed|baby walker|"
        r"walker|toys?|teddy|rattle|teeth(er|ing)|magnetic (\w+ )?tiles|bouncer|pushchair|battery cover|magnets)\b|儿童座椅|"
        r"安全座椅|儿童(自行车|车|床|用品)|牙胶|摇椅|背带|腰扣|小珠子|"
        r"卡扣|婴儿床|婴儿车|童车|推车|餐椅|玩具|玩偶|摇铃|磁力片|磁力积木|安全门|上下床|学步车|滑板车|护栏|早教机|电池盖|栏杆",
        r"\b(loose|came off|come off|fell off|falls? off|falling (out|off)|snapped|collapsed|folded|pops? (open|off)|"
        r"popping open|opens? by itself|swinging open|tipped|tips? (to one side|over)|unstable|wobbl\w*|cracking|"
        r"came apart|gap big enough|buckled|folded (up )?on itself|rolls out|stuck|trapped)\b|松(了|开|动)|掉(?!了好多|价)|裂(了|开)|"
        r"(卡扣|扣子|护栏|栏杆|合页|安全门|腿)[^，。！？]{0,4}断|断(开|裂)|塌|弹开|裂开|晃|漏出|拧不紧|自己开|滑下来|扣不住|抠出来|卡(在|住)|夹(住|到)|折叠"),
    "food": (
        r"\b(food|meal|salad|bread|sandwich|soup|rice|cereal|yogh?urt|milk|formula|pizza|burger|jar|sauce|chocolate|"
        r"biscuits?|cake|fruit|cherries|meat|beef|mince|chicken|sausage( roll)?|eggs?|noodles|takeaway|flour|pouch|"
        r"dumplings|wrap|curry)\b|汤|面包|牛奶|酸奶|奶粉|鸡蛋|大米|米袋|肉馅|牛肉|猪肉|鸡肉|馅|巧克力|香肠|外卖|饭菜|米饭|"
        r"盒饭|面条|水饺|米粉|果汁|沙拉",
        r"\b(in|inside|found|there'?s|there (is|was|were)|bits? of|piece of|shard of|chunk of|sliver of)\b[^.!?]{0,30}"
        r"\b(glass|metal|plastic|hairs?|insects?|bugs?|flies|fly|cockroach\w*|worms?|maggots?|screws?|nails?|wire|shard|"
        r"specks|black bits|weevils?|beetles?|larva\w*)\b|\b(glass|metal|plastic|hairs?|insects?|bugs?|flies|fly|"
        r"cockroach\w*|worms?|maggots?|screws?|nails?|staples?|shard|specks|black bits|weevils?|beetles?)\b[^.!?]{0,30}\b(in|inside)\b|\b(green|black|white|furry) mou?ld|mouldy|moldy|\bmou?ld (on|in|all)\b|"
        r"\b(lumpy|gone off|bulging|smells? (off|sour|rotten|fizzy))\b|异物|吃出|苍蝇|虫子|有虫|死虫|发霉|长(绿)?毛|馊|发臭|"
        r"发黑|胀(得|了)|铁丝|钢丝|螺丝|订书钉|黑色颗粒|絮状|米虫|塑料片|(有|一块|一片|一根|一小块|一截|碎)[^，。！？]{0,8}(玻璃|塑料)"),
}

#: Swallowed: a verb of swallowing close before or after a harmful thing (not "the washing machine ate my sock").
_SWALLOWED = _pair(
    r"\b(swallow\w*|drank|drunk|(?<!machine )(?<!machine just )ate|eaten|chewed|licked|bit (into|a)|got into|sipped|"
    r"a swig|took (some|a|one|two|three|\d+|half)[^.!?]{0,25}(by mistake|accidentally|thinking|thought)|"
    r"in (his|her|their|my \w+'s|the \w+'s) mouth)\b|误食|吞|喝了|喝(了)?(一|两|几)口|吃了(?!饭)|吃了一嘴|咽|啃了|舔了|偷吃|"
    r"当(成)?(水|饮料|糖|糖豆)|塞(进)?嘴",
    r"\b(batter(y|ies)|magnets?|detergent|pods?|tablets?|capsules?|bleach|cleaner|descaler|rinse aid|medicine|pills|"
    r"vitamins|gummies|dishwasher|washing (pods?|liquid|powder|up liquid|tablets?)|weedkiller|pesticide|slug pellets|"
    r"antifreeze|screen ?wash|repellent|bug spray|hand warmer|desiccant|fuel|paint|glue|coins?|small parts?|tab)\b|"
    r"电池|磁铁|磁珠|洗衣(液|粉|凝珠|珠|球)|洗碗(块|粉|液)|洗洁精|除垢剂|清洁剂|消毒(液|水)|漂白|(?<![农虫])药(?![店房师])|农药|"
    r"杀虫|软糖|补铁|维生素|防冻液|玻璃水|驱蚊|除草|暖宝宝|干燥剂|救心丸|硬币|零件|纽扣")

#: Self-sufficient: a fire now needs no thing named ("the curtains caught fire", "there's a fire").
_FIRE_NOW = compile_guarded(r"\b(burst into flames|caught fire|there'?s a fire|there is a fire|is on fire)\b|着火了|起火了", re.IGNORECASE)

_PATTERNS: Dict[str, "re.Pattern[str]"] = {kind: _pair(*words) for kind, words in READINGS.items()}
#: Any word of what goes wrong, of any kind: one pass that lets most messages (no failure named) skip the pairs.
_ANY_WRONG = compile_guarded("|".join(f"(?:{wrong})" for _, wrong in READINGS.values()) + r"|\bswallow|误食|吞|喝|吃|咽|舔|啃|"
                        r"\b(drank|drunk|ate|eaten|chewed|licked|bit|got into|sipped|swig|took|mouth)\b|塞|当|"
                        r"fire|flames|着火|起火", re.IGNORECASE)
#: The kinds in the order they are reported (and their safety steps said, ``bot.handover.safety``).
KINDS = ("gas", "electric", "fire", "swallowed", "health", "vehicle", "medicine", "child", "food")

#: Words that look like a hazard's and are not ("sick of this", "what a shock", 火星时间, 降价掉了): taken out
#: of the text before it is read, so the rest of the message still counts.
_IDIOMS = compile_guarded(r"\bsick (of|and tired|to death)\b|what a shock|\bshocking\b|\bshocked\b(?! me)|火星时间|"
                     r"in the best way|\byyds\b|burns evenly|\bsmells? (lovely|great|good|nice|amazing|delicious)\b|"
                     r"\b(bug|glitch)e?s? in (your|the)( \w+)? (app|website|site|system|page)\b|降价|涨价|差价|\bprice (cut|drop)\b|"
                     r"等[^，。！？]{0,6}麻了|会吐了|想吐了"
                     # issue 11, sixteenth pass: a stay in hospital given as the reason something was missed ("In hospital
                     # all week with my mum, so I missed the renewal email", 住院了一周，所以错过了续费)
                     r"|\b(in|at|from|out of) (the )?hospital\b[^.!?]{0,40}\b(so|that'?s why|which is why) (i|we) (missed|couldn'?t|"
                     r"could not|forgot|didn'?t|did not|wasn'?t able|was not able|haven'?t|have not)\b"
                     r"|住院[^，。！？]{0,10}[，,]?(所以|才|就)?(没能|错过|忘了|没来得及|没有及时)", re.IGNORECASE)

#: A hazard asked about before anything happened: "what if…", 万一, 如果…怎么办, "can it … if …".
_HYPOTHETICAL = compile_guarded(r"\b(what if|what happens if|what (should|do) (i|we) do if|in case|just in case|"
                           r"for future reference|(can|could|will|would|does|do|is|are)\b[^.!?]{0,50}\bif)\b|\bif\b[^.!?]{0,80}\?|万一|如果|假如|"
                           r"要是|以防万一|会不会", re.IGNORECASE)
#: ... unless it also says something already happened.
_HAPPENED = compile_guarded(r"\b(has|have|had|just|already|yesterday|today|this morning|last night|now)\b|已经|刚才|刚刚|今天|昨天|现在",
                       re.IGNORECASE)


def only_asked(text: str) -> bool:
    """True when the message asks about a hazard that might happen and says nothing already happened
    ("can the battery swell if I leave it charging?", 万一卡扣断了怎么办, "what if…").

    Args:
        text: the customer's message, any case.

    Returns:
        True or False.
    """
    return bool(_HYPOTHETICAL.search(text or "")) and not _HAPPENED.search(text or "")


def reported_hazards(text: str) -> List[str]:
    """The kinds of hazard a message reports: a thing of the kind and what went wrong with it, in one sentence.

    Args:
        text: the customer's message, any case, English or Chinese (the triage passes it with products
            asked about and figures of speech taken out; ``safety.hazards_named`` as it is). Only the first
            4,000 characters are read (the longest message a channel takes).

    Returns:
        Kinds in :data:`KINDS` order (``gas``, ``electric``, ``fire``, ``swallowed``, ``health``,
        ``vehicle``, ``medicine``, ``child``, ``food``); empty for none, and for a hazard only asked about
        ("what if my son swallows a magnet?", 万一卡扣断了怎么办) when nothing says it already happened.
    """
    text = _IDIOMS.sub(" ", (text or "")[:_LIMIT])
    if not text.strip() or only_asked(text):
        return []
    if not _ANY_WRONG.search(text):
        return []
    found = [kind for kind, pattern in _PATTERNS.items() if pattern.search(text)]
    if _SWALLOWED.search(text):
        found.append("swallowed")
    if _FIRE_NOW.search(text):
        found.append("fire")
    return [kind for kind in KINDS if kind in found]
