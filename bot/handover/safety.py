"""What the customer hears at once when a hand-over is for a safety case (a gas smell, sparking
wiring, smoke, an allergic reaction, failing brakes: ``bot.handover.triage.needs_person_case``
``safety``): what to do now, before any colleague calls, and the emergency numbers
(``escalation.yml emergency_numbers``).

A person still takes the case (priority ``priority.case_overrides``), but out of support hours
that person calls at the next shift: the advice cannot wait for them. The steps follow the usual
public guidance for each hazard (gas and carbon monoxide: leave, no switches or flames, call from
outside; electrical: keep away, switch off at the mains only if safe; medical: get help now and
keep the product; swallowed: hospital now, no vomiting; the wrong medicine: take no more, keep the box,
call a doctor or pharmacist; a children's product coming apart: stop using it; something in food: eat no
more, keep it). The kind of hazard comes from this module's words and from the triage's hazard reader
(``bot.handover.hazards``), so a case the triage reads gets its step. Wording is kept here, not in the
domain, so it needs no retraining.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence

from bot.handover.hazards import reported_hazards
from bot.handover.triage import needs_person_case

#: Hazards in the order their advice is given, each a pattern over the lower-cased message.
HAZARDS: Dict[str, "re.Pattern[str]"] = {
    "gas": re.compile(r"\bgas\b|carbon mon\w*xide|carbon monxide|\bco (alarm|detector)|fumes|rotten egg|"
                      r"煤气|燃气|天然气|一氧化碳|瓦斯|漏气"),
    "electric": re.compile(r"spark|wiring|\bwires?\b|electric|shock|socket|short.?circuit|shorted|crackl|"
                           r"火花|火星|电线|漏电|触电|被电|电(了|到)(我|他|她|孩子|人)|插座|插排|插头|短路|电路|噼啪|噼里啪啦"),
    "fire": re.compile(r"smok|smould|smold|\bfire\b|flame|burn|melt|scorch|overheat|explod|discolou?r|"
                       r"(plug|socket|charger|cable|lead|adapter|battery)\b[^.!?]{0,30}\b(really |very |too |so )?hot\b|"
                       r"(battery|power ?bank|phone)\b[^.]{0,20}swell|swollen battery|"
                       r"冒烟|冒緊煙|冒晒烟|着火|起火|烧|焦|融化|熔|化了|过热|发烫|烫得|鼓包|鼓起来|爆炸|要爆|火苗"),
    "swallowed": re.compile(r"swallow|\b(ate|eaten|drank|drunk|licked|chewed)\b[^.!?]{0,30}\b(battery|batteries|magnets?|detergent|"
                            r"pods?|bleach|cleaner|tablets?|liquid|capsules?)|(put|had) (it|one|them|a \w+) in (his|her|their) mouth|"
                            r"误食|吞|喝了[^。！？]{0,8}(洗|消毒|清洁|漂白)|洗衣凝珠|洗衣液|消毒液|放(进)?嘴里"),
    "health": re.compile(r"allerg|anaphyla|\bsick\b|vomit|poison|hospital|ambulance|collapsed|fainted|passed out|\bill\b|"
                         r"\brash|hives|(face|lips?|throat|tongue|eyes?|mouth)\b[^.]{0,12}swell|swell\w*[^.]{0,12}\b(face|lips?|throat|tongue|eyes?|mouth)|"
                         r"swelled up|swollen (face|lips|throat|tongue)|throat|breath|dizzy|faint|chok|injur|bleed|cut (my|his|her)|"
                         r"burn(ed|t) (me|my|him|her)|puffy|blister|broke (my|his|her) \w+|fractur|head (hurts|aches)|headache|"
                         r"过敏|呕吐|吐|拉肚子|腹泻|中毒|医院|救护车|晕倒|噎|呛|受伤|流血|划破|划伤|割伤|摔(断|伤|倒)|骨折|水泡|"
                         r"吃错药|疹|风团|肿|喉咙|呼吸|喘|头晕|头疼|头痛|烫伤|烫到|烫起|剧痛|发烧"),
    # issue 11, twelfth pass: the wrong medicine supplied (taken or not), a dangerous child's product before
    # anyone is hurt, a foreign body in food: triage reads these as safety cases, and the lead alone
    # ("your safety comes first") told the customer nothing to do
    "medicine": re.compile(r"medicine|medication|prescription|pharmac|chemist|(?<!dishwasher )(?<!washing )(?<!laundry )(?<!cleaner )(?<!purification )(tablets?|pills?|capsules?)\b|dose|"
                           r"ibuprofen|paracetamol|amlodipine|(?<![农虫])药|处方|剂量"),
    "vehicle": re.compile(r"brakes?(?![a-z])|steering|\btyres?\b|\btires?\b|刹车|刹不住|方向盘|轮胎|爆胎"),
    "child": re.compile(r"car ?seat|child seat|booster seat|buckle|\bcot\b|crib|high ?chair|stroller|pram|buggy|baby gate|"
                        r"(toy|rattle|teether)s?\b[^.!?]{0,60}\b(magnets?|small parts?|loose|came off|fell off|sharp|button(?! batter)|beads?|"
                        r"battery cover)|(magnets?|small parts?|beads?|buttons?)\b[^.!?]{0,40}\b(loose|came off|fell out|fell off)|"
                        r"儿童座椅|安全座椅|卡扣|婴儿床|童车|推车|餐椅|玩具[^。！？]{0,20}(磁|小零件|零件|钢珠|纽扣(?!电池)|脱落|掉了|锋利|尖)|"
                        r"(纽扣|钢珠|小零件|磁铁|磁珠)[^。！？]{0,10}(掉|脱落|滚出)"),
    "food": re.compile(r"\b(glass|metal|plastic|hair|insect|bug|cockroach|worm|maggot|mould|mold|screw|nail|staple|stone|shard|"
                       r"splinter)s?\b[^.!?]{0,60}\b(in|inside)\b[^.!?]{0,20}\b(food|meal|salad|bread|sandwich|soup|rice|"
                       r"order|cereal|yogh?urt|milk|formula|nuts|pizza|burger|dish|jar|sauce|tin|can|bottle|"
                       r"drink|juice|chocolate|biscuits?|cake|sweets|candy|fruit|meat|chicken|noodles|takeaway)|foreign (body|object)|mouldy|moldy|"
                       r"异物|吃出(了)?[^。！？]{0,6}(玻璃|金属|钉|头发|虫|蟑螂|塑料|石|毛|碴)|(里|中)(有|发现)[^。！？]{0,8}(玻璃|金属|钉|头发|虫|蟑螂|塑料|石子|霉)|发霉|长毛了"),
}

ADVICE: Dict[str, Dict[str, str]] = {
    "lead": {
        "en": "Your safety comes first. If anyone is in danger now, call the emergency services ({numbers}).",
        "zh": "您的安全最重要。如果现在有人身危险，请立即拨打紧急电话（{numbers}）。",
    },
    "gas": {
        "en": "For a gas smell or a carbon monoxide alarm: leave now and keep others out; don't switch lights or "
              "appliances on or off, and no flames or smoking; open doors and windows on your way out if it's "
              "safe; call the gas emergency line from outside.",
        "zh": "闻到煤气味或一氧化碳报警时：请立即离开并让其他人也离开；不要开关电灯或电器，不要使用明火或吸烟；"
              "如安全可在离开时打开门窗；到室外再拨打燃气抢修电话。",
    },
    "electric": {
        "en": "For sparks or exposed wiring: keep away and don't touch it; switch the power off at the main switch "
              "only if you can do so safely, and stop using the product.",
        "zh": "出现火花或电线外露时：请远离、不要触碰；只有在确保安全时才去总闸断电，并停止使用该产品。",
    },
    "fire": {
        "en": "For smoke, burning or melting: switch it off or unplug it only if it's safe, keep away, and call the "
              "fire service if there is a fire.",
        "zh": "出现冒烟、烧焦或融化时：只有在安全时才关闭或拔掉电源，请远离；如已起火请立即报火警。",
    },
    "swallowed": {
        "en": "If a battery, magnet, detergent pod or medicine was swallowed: go to hospital now; don't make them "
              "vomit, and give nothing to eat or drink unless a doctor says so.",
        "zh": "如误吞电池、磁铁、洗衣凝珠或药物：请立即就医；不要催吐，在医生指示前不要进食或饮水。",
    },
    "health": {
        "en": "For an allergic reaction, choking, an injury or feeling unwell after using or eating our product: "
              "get medical help now, and keep the product and its packaging.",
        "zh": "如出现过敏、噎呛、受伤或食用/使用后身体不适：请立即就医，并保留产品和包装。",
    },
    "medicine": {
        "en": "If the medicine isn't what the prescription or label says: don't take any of it, and keep the box, the "
              "tablets and the label; if any was taken, call a doctor or pharmacist now.",
        "zh": "如果药品与处方或标签不符：请不要服用，并保留药盒、药片和标签；如已服用，请立即联系医生或药师。",
    },
    "vehicle": {
        "en": "For failing brakes, steering or tyres: stop using the vehicle until it has been checked.",
        "zh": "刹车、方向或轮胎出现故障时：请停止使用该车辆，检查之前不要再骑行或驾驶。",
    },
    "child": {
        "en": "For a children's product that is coming apart or doesn't hold: stop using it and keep it and any loose "
              "small parts away from children until it has been checked.",
        "zh": "儿童用品松脱、零件掉落或固定不住时：请立即停止使用，把它和掉落的小零件放到孩子够不到的地方，等检查后再用。",
    },
    "food": {
        "en": "For something found in food: don't eat any more of it, and keep the food and its packaging; if anyone "
              "swallowed part of it or feels unwell, get medical help.",
        "zh": "在食品中发现异物时：请不要再食用，并保留食物和包装；如有人吞下或感到不适，请及时就医。",
    },
}

#: The emergency numbers named when ``escalation.yml`` gives none (mainland China, where the
#: demo company's support hours are kept).
DEFAULT_NUMBERS = {
    "en": "in mainland China: 119 fire and gas, 120 ambulance, 110 police",
    "zh": "火警及燃气泄漏119，急救120，报警110",
}


#: A question about what to do now ("should I leave the house?", "what do I do?", 要不要开窗, 怎么办).
ASKS_WHAT_TO_DO = re.compile(r"\b(what (do|should|can) (i|we)|should (i|we)|is it safe|what now|do i need to|help|"
                             r"dizzy|faint|light-?headed|can'?t breathe|getting (stronger|worse)|stronger|worse)\b|"
                             r"怎么办|怎么做|该怎么|要不要|安全吗|救命|头晕|越来越|喘不上气|难受|更(浓|大|严重)", re.IGNORECASE)


def safety_follow_up(texts: Sequence[str]) -> bool:
    """True when, while a case waits, the latest message names a safety case itself, or asks what to do
    or says it is getting worse ("should I leave the house?", "I feel dizzy now", 救命) in a conversation
    whose messages name one: the advice is said again, not only "added to your case". Any other
    question ("where is my order?") is not.

    Args:
        texts: the customer's messages, oldest first, the latest last (the window the action sees).

    Returns:
        True or False.
    """
    if not texts:
        return False
    if needs_person_case(texts[-1]) == "safety":
        return True  # a hazard reported while a case waits (a gas smell after "I want a human about my invoice")
    return bool(ASKS_WHAT_TO_DO.search(texts[-1] or "")) and any(needs_person_case(text) == "safety" for text in texts)


def is_safety_advice(text: str) -> bool:
    """True when ``text`` is the advice :func:`safety_advice` wrote (it opens with the lead of one of
    :data:`ADVICE`'s languages): a channel that shortens long replies (the IVR keeps two sentences and
    offers "more details") speaks it in full.

    Args:
        text: a bot message's text.

    Returns:
        True or False.
    """
    return any((text or "").startswith(lead.split("{", 1)[0][:12]) for lead in ADVICE["lead"].values())


def hazards_named(text: str) -> List[str]:
    """The hazards a safety message names, in :data:`HAZARDS` order.

    Args:
        text: the customer's message (any case, English or Chinese).

    Returns:
        Keys of :data:`HAZARDS` (``gas``, ``electric``, ``fire``, ``swallowed``, ``health``, ``medicine``,
        ``vehicle``, ``child``, ``food``); empty when
        none is named (the advice is then the lead alone).
    """
    lowered = (text or "").lower()
    reported = reported_hazards(lowered)  # the triage's reading of the kind (bot.handover.hazards)
    return [name for name, pattern in HAZARDS.items() if name in reported or pattern.search(lowered)]


def safety_advice(texts: Sequence[str], language: str, numbers: Optional[Dict[str, str]] = None) -> str:
    """What to do now about a safety case, in the customer's language.

    Args:
        texts: the customer's messages of the case (the latest last); the hazards any of them names
            each add their step.
        language: ``en`` or ``zh`` (anything else: English).
        numbers: the emergency numbers by language (``escalation.yml emergency_numbers``); None or a
            missing language: :data:`DEFAULT_NUMBERS`.

    Returns:
        One message: the lead (danger → emergency services, with the numbers), then one sentence per
        hazard named.
    """
    lang = language if language in ("en", "zh") else "en"
    named: List[str] = []
    # the steps of the messages that report the case ("my gas bill is too high" before a swallowed battery
    # names no gas step), or of every message when none reads as one on its own (twelfth pass review)
    for text in [t for t in texts if needs_person_case(t) == "safety"] or texts:
        named += [hazard for hazard in hazards_named(text) if hazard not in named]
    number_text = (numbers or {}).get(lang) or DEFAULT_NUMBERS[lang]
    parts = [ADVICE["lead"][lang].format(numbers=number_text)]
    parts += [ADVICE[hazard][lang] for hazard in HAZARDS if hazard in named]
    return ("" if lang == "zh" else " ").join(parts)
