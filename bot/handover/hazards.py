"""A hazard reported now, read as *a thing of a kind* beside *what went wrong with it* (issue 11, twelfth pass).

The triage's safety phrases (``bot.handover.triage``: ``_CASES["safety"]``, ``_HAZARD_10``, ``_HAZARD_11``,
``_SAFETY_9``) are whole phrases, and a fresh writer's wording slips past them: of 100 safety cases per
language written by someone who had not seen the project (twelfth pass, ``/tmp/safety10``), the triage read
44 English and 33 Chinese as safety cases, and 55 / 45 were handed over at all ("女儿把磁力积木里的两颗小磁珠吞了",
"the milk is lumpy and smells off", a blender jug that cracked and cut a hand). Here each kind of hazard is
two small vocabularies, the things (a car seat, a tyre, the medicine, a socket) and what goes wrong with them
(came loose, snapped, is not what the label says, sparks), and a message reports the hazard when it names both
in one sentence. Both lists are the kind's own words, so a new pairing needs no new phrase.

What is *not* a report (a question before anything happened, a product asked about, a bill, a figure of
speech, a problem fixed) is left to the triage's guards, which run before :func:`reported_hazards`.
"""
from __future__ import annotations

import re
from typing import Dict, List, Tuple

_SENTENCE = r"[^.!?。！？\n]{0,50}"


def _pair(things: str, wrong: str) -> "re.Pattern[str]":
    """A pattern for a thing and what went wrong with it in one sentence, in either order."""
    return re.compile(rf"(?:{things}){_SENTENCE}(?:{wrong})|(?:{wrong}){_SENTENCE}(?:{things})", re.IGNORECASE)


#: Each kind of hazard: (things, what goes wrong with them), English and Chinese alternatives in one pattern.
READINGS: Dict[str, Tuple[str, str]] = {
    "gas": (
        r"\bgas\b|carbon mon\w*xide|\bco\b (alarm|detector)|\bco\b(?= on the (screen|display))|canister|boiler|"
        r"water heater|cooker|hob|stove|bbq|propane|regulator|煤气|燃气|天然气|液化气|一氧化碳|\bCO\b|报警器|热水器|燃气表|灶|"
        r"气罐|卡式炉",
        r"\bsmell|smells|stinks?|reeks?|leak|hiss|rotten egg|sulphur|sulfur|beep|going off|sounding|headache|dizzy|nause|"
        r"yellow (flame|and flicker)|味|漏|嘶嘶|响个不停|滴滴|头疼|头晕|恶心|结了白霜"),
    "electric": (
        r"socket|plug|power strip|extension|cable|wire|wiring|charger|meter box|switch|outlet|tap|fridge|kettle|"
        r"washing machine|dishwasher|heater|\btv\b|appliance|lamp|lights|light fitting|transformer|microwave|"
        r"charging (point|cable|dock)|straighteners|插座|插头|插排|墙插|电线|线头|"
        r"电表箱|开关|冰箱|洗衣机|洗碗机|热水器|电热水器|水龙头|吊灯|外机|充电器|充电桩|微波炉|线皮",
        r"spark|arc(s|ing|ed)?\b|zap|jolt|went numb|is it live|(inner |bare )?wires (are )?showing|split open|shock(ed)? (me|him|her|us)|got a shock|an electric shock|bit me|tingl|"
        r"exposed|can see the (copper|wires?|circuit)|come loose and (is )?dangling|live wire|blue flash|"
        r"火花|打火|冒火|蓝光|闪了一下|漏电|触电|被电|电(了|到)(我|他|她|人|一下)|电一下|麻(手|的|了)|滋滋|"
        r"露在外面|露出|皮都破|线皮破|通着电|掉下来垂|有电"),
    "fire": (
        r"battery|power ?bank|charger|laptop|phone|heater|grille|plug|socket|cable|appliance|dishwasher|"
        r"kettle|toaster|oven|microwave|e-?bike|scooter|电池|充电宝|充电器|charger|笔记本|电暖器|网罩|洗碗机|"
        r"电动车|插头|外壳|东西",
        r"smok|flame|on fire|caught fire|melt|scorch|burning (smell|plastic)|smells? (of|like) burn|glowing|"
        r"overheat|(so|too|really|very) hot (to|that|i|you)|can'?t hold it|swollen|swell|puffed up|bulg|"
        r"go(ing)? soft|冒烟|有点烟|着火|起火|火苗|烧焦|焦味|糊了|融化|化了|变形|鼓包|鼓起|拿不住|烧红|烧塑料|嘶嘶"),
    "swallowed": (
        r"swallow|\b(drank|drunk|ate|eaten|chewed|licked|took|had|bit into|got into|sipped)\b|\bswig\b|in (her|his|their) mouth|"
        r"误食|吞|喝了|吃了|当(成)?(水|饮料|糖)|啃了|偷吃|舔了|咽",
        r"batter(y|ies)|magnet|detergent|pod|tablet|capsule|bleach|cleaner|descaler|rinse aid|medicine|"
        r"pills|vitamins|gummies|dishwasher|washing|weedkiller|pesticide|slug pellets|antifreeze|screen ?wash|repellent|"
        r"bug spray|hand warmer|desiccant|fuel|paint|glue|电池|磁|洗衣|洗碗|洗洁精|除垢剂|清洁|消毒|漂白|药|软糖|补铁|维生素|"
        r"防冻液|玻璃水|驱蚊|杀虫|农药|除草|暖宝宝|干燥剂|救心丸"),
    "health": (
        r"\b(i|we|he|she|they|my \w+|our \w+|his \w+|her \w+|(whole )?family|son|daughter|kid|baby|child|husband|wife|"
        r"mum|mom|dad|eyes?|face|skin|hands?|throat|mouth)\b|我|孩子|儿子|女儿|宝宝|老公|老婆|家人|全家|手|脚|脸|眼睛|"
        r"嗓子|皮肤|浑身",
        r"\b(throwing up|vomit\w*|being sick|been sick|rash(es)?|hives|swell\w*|swollen|puffy|itch(y|ing)|sting(s|ing)?|"
        r"blisters?|bleed\w*|blood(?! (pressure|sugar|test))|cut(?! off)|fell (off|down|backwards|straight)|hit (his|her|my) head|drowsy|"
        r"can'?t (breathe|move)|really hurts|in pain|injur\w*|fractur\w*|broken? (my|his|her)|slipped|tripped|(is|was|in|to) hospital|a&e)\b|"
        r"过敏(反应|症状|了(?!解))|起疹|痒|肿|吐了|呕吐|拉肚子|出血|血止不住|划(了|伤|破)|割(伤|破|了)|摔(下来|伤|断|倒)|掉下来|磕到|昏昏|想睡|"
        r"站不起来|烫伤|发紧|住院|急诊|头晕|手麻|重影|起泡|火辣辣|胸闷|喉咙痛|一直咳|烫红|"
        r"\b(dizzy|numb|double vision|chest (feels |is )?tight|heart is racing|foam(y|ing))\b"),
    "vehicle": (
        r"brake|steering|tyre|tire|wheel|accelerator|throttle|handlebar|stem|frame|engine|dashboard|\babs\b|pedal|"
        r"seat ?post|quick release|刹车|刹|方向盘|轮胎|胎|油门|车把|把立|车架|发动机|仪表盘|后轮|前轮|龙头|坐垫杆",
        r"fail|not working|doesn'?t work|won'?t (stop|slow)|barely|snapped|broke|loose|wobbl|stick|lock(s|ed)? up|"
        r"pulling|bulge|folded|cut out|died|lost power|surg|heavy|speeding up|came off|blew out|blow-?out|spins?\b|"
        r"can'?t steer|full speed|keeps (going|accelerating)|accelerating|sinking|失灵|不灵|断了|松|晃|抱死|打滑|"
        r"卡住|卡死|转不动|鼓了个包|鼓包|折下来|熄火|没动力|回不来|打不动|沉|跑|黑了|软"),
    "medicine": (
        r"medicine|medication|\bmeds\b|prescription|pharmacy|tablets|pills|drops|inhaler|insulin|syrup|\d+ ?mg|"
        r"\d+ ?ml|\d+ ?micrograms?|blister pack|药|处方|胰岛素|吸入器|口服液|药板|药片|\d+ ?毫升|眼药水|滴耳液|缓释片",
        r"\b(different(?= (\w+ )?(medicine|medication|tablets?|pills?|drugs?|strength|dose|type|brand|name|one|kind|colou?r|shape))|"
        r"different (to|from) (what|the)|wrong|not (mine|his|hers|ours|what)|someone else|(isn'?t|aren'?t) (mine|his|hers|ours|what|the (one|right))|"
        r"instead|another name|never been prescribed|allergic|(the )?box (you gave me )?says|don'?t recognise|has always taken|but the (outer )?label)\b|"
        r"\bsays\b.{0,30}\bbut\b|\bbut\b.{0,20}\bsays\b|不一样|不对|(配|拿|发|给)错|错(的|了)药|别人|不是(我|他|她|我们|处方|医生|这个)|另一个人|"
        r"多了(一|两|几)|从来没|完全不一样|到底哪个|明明|医生开的是|你们给的是"),
    "child": (
        r"car ?seat|buckle|\bcot\b|crib|high ?chair|stroller|pram|buggy|baby gate|stair gate|bunk bed|walker|"
        r"toy|teddy|rattle|teeth(er|ing)|magnetic|magnets|beads|button batter|kids'?|baby|bouncer|pushchair|"
        r"battery cover|儿童|宝宝|婴儿|玩具|玩偶|摇铃|磁力|安全门|上下床|学步车|滑板车|安全座椅|卡扣|护栏|小熊|早教机|电池盖",
        r"loose|came off|come off|fell off|falls? off|falling (out|off)|snapped|broke|collapsed|folded|"
        r"pops? open|popping open|opens? by itself|swinging open|tipped|unstable|wobbl|cracking|came apart|"
        r"gap big enough|buckled|pops? off|tips?( to one side| over)|folded (up )?on itself|cracked|rolls out|"
        r"松|掉|断(?!货|码|供)|塌|弹开|裂|晃|漏|拧不紧|自己开|滑下来|扣不住|抠出来"),
    "food": (
        r"food|meal|salad|bread|sandwich|soup|rice|cereal|yogh?urt|milk|formula|nuts|pizza|burger|jar|sauce|"
        r"chocolate|biscuit|cake|fruit|cherries|meat|beef|mince|chicken|sausage|eggs?|noodles|takeaway|flour|pouch|"
        r"dumplings|汤|面包|牛奶|酸奶|奶粉|鸡蛋|大米|米袋|肉|馅|巧克力|香肠|外卖|菜|饭|面|水饺|米粉|果汁|沙拉",
        r"glass|metal|plastic|hair|insect|\bbug|\bfly\b|flies|cockroach|worm|maggot|mould|mold|screw|nail|"
        r"wire|shard|specks|black bits|floating|weevils?|beetles?|larva\w*|bulging|lumpy|smells? (off|sour|rotten|fizzy)|gone off|"
        r"异物|吃出|苍蝇|虫|发霉|长(绿)?毛|馊|发臭|发黑|胀|铁丝|钢丝|螺丝|订书钉|黑色颗粒|絮状|塑料|玻璃"),
}

_PATTERNS: Dict[str, "re.Pattern[str]"] = {kind: _pair(*words) for kind, words in READINGS.items()}

#: Words that look like a hazard's and are not ("sick of this", "what a shock", 火星时间).
_IDIOMS = re.compile(r"\bsick (of|and tired|to death)\b|what a shock|shocking|\bshocked\b(?! me)|火星时间|"
                     r"in the best way|best way|😂|yyds|burns evenly", re.IGNORECASE)


def reported_hazards(text: str) -> List[str]:
    """The kinds of hazard a message reports: a thing of the kind and what went wrong with it, in one sentence.

    Args:
        text: the customer's message, any case, English or Chinese; the triage passes it with products
            asked about and figures of speech already taken out.

    Returns:
        Keys of :data:`READINGS` in its order (``gas``, ``electric``, ``fire``, ``swallowed``, ``health``,
        ``vehicle``, ``medicine``, ``child``, ``food``); empty for none, or for an idiom ("sick of it").
    """
    if not text or _IDIOMS.search(text):
        return []
    return [kind for kind, pattern in _PATTERNS.items() if pattern.search(text)]
