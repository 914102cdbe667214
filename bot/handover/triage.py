"""What a message asks for, apart from how the customer feels (issue 11).

Three cues the escalation policy reads beside the NLU intent and the emotion:

- ``asks_for_person``: an explicit request for a person ("talk to a human",
  转人工). It hands over whatever else the message carries — an order
  number, a phone number, a complaint — so the intent classifier reading
  such a message as ``inform`` cannot keep the customer with the bot.
- ``wants_action``: a complaint that asks for something to be done (a formal
  complaint, a refund, compensation). A complaint-like intent without it,
  from a calm customer, is a report: answered, and offered a person.
- ``is_polite``: an apology or thanks, which lowers the conversation's mood.
- ``is_report``: the message says the problem is already sorted ("but it
  arrived in the end") or needs nothing done ("just a heads-up, no need to do
  anything"): even under a complex intent, a calm customer saying so gets an
  answer and the offer of a person, not a ticket.
"""
from __future__ import annotations

import re

from bot.text import HAN
from bot.nlu.emotion_lexicon import (
    ANGRY_WORDS_EN, ANGRY_WORDS_ZH, DEMAND, HEADS_UP, NEGATED_EMOTION, REPEAT_HELP, RESOLVED, RHETORICAL, SARCASM,
)

# Words of a request for a person, for the typo-tolerant reading below: a
# customer token within one edit (two for long words) of one of these reads
# as it ("humna", "agnet", "reprsentative", "supervsior", "somone").
_KEYWORDS = (
    "human", "humans", "person", "people", "agent", "agents", "representative", "representatives",
    "operator", "supervisor", "manager", "someone", "somebody", "anyone", "anybody", "speak", "talk",
    "transfer", "connect", "customer", "service", "support", "real", "actual", "please", "being",
    "employee", "staff", "callback",
)
# Nouns that name a person of the company whatever verb comes before them ...
_STAFF_EN = (
    r"(human( being)?|humans|agent|representative|rep|csr|manager|supervisor|operator|boss|"
    r"customer (service|support|care)( team| rep| agent| person)?|support (team|staff|person|agent)|live (chat|support)|"
    r"call (centre|center)|real (one|person|people)|actual (one|person))"
)
# ... and words that are a request only after talk/speak/connect ... or before "to help/look/call ...".
_ANYONE_EN = (
    r"(person|people|someone|somebody|anyone|anybody|staff|colleague|advisor|adviser|employee|team member|"
    r"member of (your|the) [a-z ]{0,20}team)"
)
_ARTICLES = r"(a |an |to |with |me |your |some |the |one |of |real |actual |live |proper |human )*"
PERSON_EN = re.compile(
    r"\b(talk|speak|chat|connect(ed)?|put me (through|on)|put through|transfer(red)?|escalate|pass|hand|get|need|want|give|deal|"
    r"have|let me|like|prefer|find|reach|contact|bring|send|switch)\b[^.?!]{0,30}?"
    rf"\b{_ARTICLES}{_STAFF_EN}s?\b"
    rf"|\b(talk|speak|chat|connect(ed)?|put me (through|on)|put through|transfer(red)?|pass me|hand me|reach|contact|deal)\b[^.?!]{{0,20}}?"
    rf"\b{_ARTICLES}{_ANYONE_EN}s?\b"
    r"|\b(need|want|get|give|have|like|prefer|find|send|bring)( me)? (a|an|one|some) (real |actual |live |proper )?"
    r"(person|human|someone|somebody)\b"
    rf"|\b(need|want|get|give me|like|prefer|find|send|bring)( me)? {_ANYONE_EN} (to )?"
    r"(help|look|check|call|ring|contact|sort|deal|handle|explain|fix|review|talk|speak|who)\b"
    r"|\b(real|actual|live|proper) (human|person|agent|people|rep|representative|operator|one)\b"
    r"|\b(human( being)?|person|agent|operator|representative|rep|manager|supervisor)s?[,!.\s]*(please|pls|plz|now|asap|needed)\b"
    r"|^\W*(human|humans|agent|operator|representative|rep|manager|supervisor|person|real person|live agent|"
    r"customer service|transfer|escalate)\W*$"
    r"|\b(someone|somebody|a person|an agent|a human|a rep|your team|a manager|a supervisor)( (from|in|at|on) [a-z ]{1,25}?)? "
    r"(to |please |pls |could |can |would )?(call|ring|phone|contact|email) me\b"
    r"|\b(transfer|connect|put) me (please|pls|plz|now|through|over|across)\b|^\W*(transfer|connect) me\W*$"
    r"|\b(call|ring|phone) me( back)?,? (please|pls|asap|today|now)\b|\bcall ?back\b|\bgive me a (call|ring)\b"
    r"|\b(someone|somebody) (from|on|in|at) (your|the) (team|staff|office|support|company|customer service)\b"
    r"|\b(is there|are there|there is|isn't there) (any|a|an|some)(one|body| human| person| real person| agent)\b"
    r"[^.?!]{0,25}\b(talk|speak|help|deal|look|handle|chat)"
    r"|\bescalate (this|it|my case|me|the case|the issue)\b"
    r"|\b(no|not|stop|enough|done with|sick of|tired of|hate|don'?t want|do not want) (more )?(talking to )?"
    r"(a |an |the |this |your |you )?(stupid |useless |dumb )?(bot|robot|machine|chatbot|ai|automated)s?\b"
    r"|\b(human|person|agent|rep) (instead|not a bot|not the bot|rather)\b",
    re.IGNORECASE,
)
# A negation bound to the person itself, in the same clause: "I don't need a
# human", "no need for an agent" — not "don't want the bot, get me a human".
NOT_PERSON_EN = re.compile(
    r"\b(don'?t|do not|doesn'?t|no need (for|to)|not|never|without|no)\b( (really|even|actually))? "
    r"((need|want|have|require|wish)( to)?( (talk|speak|chat))?( to| with)? )?"
    r"(a |an |the |any |your )?(real |live )?(human|person|agent|someone|somebody|anyone|anybody|representative|manager|colleague|"
    r"rep|operator|call ?back|call)s?\b",
    re.IGNORECASE,
)
PERSON_ZH = re.compile(
    r"转人工|转接人工|转个人工|人工客服|人工服务|人工坐席|人工处理|人工介入|人工跟进|人工帮|人工看|找人工|要人工|接人工|换人工|"
    r"(联系|咨询|接通|呼叫)(一下)?人工|人工咨询|"
    r"转人公|人公客服|人工客fu|rengong|ren gong|"
    r"(请|让|安排|派)(个)?(人工|专人|人|客服)(来)?(联系|处理|跟进|回复|回电|打电话|给我打|帮|看)|人工(联系|回复|回电)|"
    r"真人|活人|客服人员|工作人员|客服专员|专员|"
    r"(找|叫|让|要|转|换|喊|请)(一下)?(你们|个|一个|一位|你们的)?(的)?(经理|主管|领导|负责人|老板|上级|值班经理|人工|客服|真人|管事的|能管事|能做主)|"
    r"(有没有|来个|来一个|给我找个?|换个|换一个)(真)?人|找个人|跟人(说|聊|讲|谈|沟通)|和人(说|聊|讲|谈|沟通)|"
    r"(跟|和|找|联系|接通|转接?)(你们)?(的)?客服(说|聊|谈|沟通|人员)?|"
    r"打(个)?电话给我|给我(回|打)(个)?电话|回(个)?电话给我|回电|致电给?我|"
    r"^\W*人工\W*$|人工[!！。?？\s]*$|^\W*人工[\s,，!！]|"
    r"不要(机器人|机器|自动回复)|(别|不想|不要)(跟|和)?我?(机器人|机器|自动回复)|机器人(没用|有什么用|听不懂)"
)
NOT_PERSON_ZH = re.compile(r"人工(费|成本|智能)|(机器人|机器|ai|AI)还是(真)?人|还是真人|(不用|不需要|不必|别|无需|不要|没必要)(转|找|联系)?(人工|真人|找人|客服人员|客服|经理)|"
                           r"你(是|是不是)(个)?真人|是真人(吗|还是)|真人(吗|嘛)")
# Mixed zh/en: "转 human", "我要 agent", "找个 real person", "人工 please".
PERSON_MIXED = re.compile(
    r"(转|找|要|叫|换|接|联系|给我)\s*(个|一个|一位)?\s*(real |live )?(human|agent|person|manager|representative|"
    r"operator|supervisor|staff|someone|rep|customer service|cs)\b|\b(human|agent|manager|supervisor)\s*(客服|人工)",
    re.IGNORECASE,
)
# "Are you a real person?" asks what the bot is, not for a person.
ASKS_WHAT_BOT_IS = re.compile(
    r"\b(are|r) (you|u) (a |an )?(real |actual |live )?(human|person|bot|robot|machine)\b|"
    r"\b(is this|am i (talking|speaking|chatting) (to|with)) (a |an )?(real |actual |live )?(human|person|bot|robot)\b",
    re.IGNORECASE,
)

# A demand, not a question about a topic: "how long does a refund take?" asks
# for information; "I want a refund" / "refund me" asks for something done.
# A negated complaint ("not a complaint", 不是投诉) is removed first (wants_action).
WANTS_ACTION = re.compile(
    r"\b((want|wish|like|need|going|have) to (make a |lodge a |file a |raise a )?complain|complaint (about|against|regarding)|"
    r"(make|lodge|file|raise|register|log|submit|open) (a |an |this as a |it as a )?(formal |official )?complaint|"
    r"this (is|as) a (formal |official )?complaint|complaints? (procedure|process|department|team)|"
    r"grievance|lodge|formal\w*|official\w*|compensat\w*|reimburs\w*|escalate|"
    r"(like|want|need|please|can|could|would) [^.?!]{0,25}\b(looked (at|into)|corrected|investigated|put right|reversed|"
    r"refunded|credited|sorted out|checked)|"
    r"report (him|her|them|this|the)|investigat\w*|disciplin\w*|want (this|it) (recorded|logged)|"
    r"(want|demand|need|expect|give me|get me|insist on) (a |my |the |full )?(refund|money back|replacement)|"
    r"refund me|money back)\b"
    r"|(我要|要|想|必须|正式|提交|发起|登记)投诉|投诉(你们|他|她|这|那|快递|客服|商家|骑手|司机|店|贵)|举报|赔偿|补偿|给个说法|严肃处理|"
    r"登记|要求(退款|赔|补|换|处理)|(我要|给我|必须|马上|立刻)(退款|退钱|换货|处理)|退钱|"
    r"(麻烦|请|帮我|帮忙|希望)(你们)?(核实|查一下|查查|核对|更正|退回|退还|处理一下|调查)",
    re.IGNORECASE,
)
POLITE = re.compile(
    r"\b(sorry|apolog\w*|thanks|thank you|thx|ty|cheers|appreciate\w*|grateful|no worries)\b"
    r"|不好意思|抱歉|对不起|谢谢|感谢|多谢|辛苦|麻烦(你|您)(们)?了",
    re.IGNORECASE,
)


def _close(a: str, b: str, limit: int) -> bool:
    """Optimal-string-alignment distance of a and b is at most limit (typos: a
    letter added, dropped, changed or two swapped)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


def _respell(match: "re.Match[str]") -> str:
    word = match.group(0)
    lowered = word.lower()
    if len(lowered) < 4 or lowered in _KEYWORDS:
        return word
    if len(lowered) == 4:  # short words: only two letters swapped ("tlak")
        return next((k for k in _KEYWORDS if len(k) == 4 and sorted(k) == sorted(lowered)
                     and _close(lowered, k, 1)), word)
    for keyword in _KEYWORDS:
        if lowered[0] == keyword[0] and _close(lowered, keyword, 2 if len(keyword) >= 9 else 1):
            return keyword
    return word


# Where Han meets Latin letters, either way round ("转human").
_GLUED_MIXED = re.compile(f"(?<={HAN.pattern})(?=[A-Za-z])|(?<=[A-Za-z])(?={HAN.pattern})")


# Chat shorthand of request words.
_SHORTHAND = {"thru": "through", "sum1": "someone", "some1": "someone", "ppl": "people", "hooman": "human",
              "ppl.": "people", "sb": "somebody", "custserv": "customer service", "cs": "customer service"}
_SHORTHAND_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in _SHORTHAND) + r")\b", re.IGNORECASE)


def normalise_typos(text: str) -> str:
    """The text with misspelt request words read as meant ("humna" → "human",
    "reprsentative" → "representative") and chat shorthand spelt out ("thru",
    "sum1"); other words unchanged. Also spaces out glued mixed text ("转human" → "转 human")."""
    text = _GLUED_MIXED.sub(" ", text)
    text = _SHORTHAND_RE.sub(lambda m: _SHORTHAND[m.group(0).lower()], text)
    return re.sub(r"[A-Za-z]+", _respell, text)


def asks_for_person(text: str) -> bool:
    """True when the message explicitly asks for a person, in English, Chinese
    or both mixed, typos included, and the request is not negated ("I don't
    need a human") nor a question about what the bot is ("are you a bot?").
    Whatever else the message carries (an order or phone number, a complaint)
    does not matter."""
    text = normalise_typos(text or "")
    if (PERSON_ZH.search(text) and not NOT_PERSON_ZH.search(text)) or PERSON_MIXED.search(text):
        return True
    if ASKS_WHAT_BOT_IS.search(text) and not re.search(r"\b(want|need|let me|get me|transfer|connect|give me)\b", text, re.I):
        return False
    match = PERSON_EN.search(text)
    if not match:
        return False
    negated = NOT_PERSON_EN.search(text)
    if not negated:
        return True
    # "I don't want the bot, get me a human": a request after the negated part still counts.
    return any(m.start() >= negated.end() for m in PERSON_EN.finditer(text))



def wants_action(text: str) -> bool:
    """True when a complaint asks for something to be done (formal complaint, refund, compensation,
    a charge looked at or corrected); a negated complaint ("not a complaint", 不是投诉) does not count."""
    return bool(WANTS_ACTION.search(NEGATED_EMOTION.sub(" ", (text or "").lower())))


# Cases a bot must not handle alone whatever the intent read (issue 11, the
# needs-a-person definition): the *what*, apart from how the customer feels.
_CASES = {
    "fraud": re.compile(
        r"\bunauthori[sz]ed\b|\bwithout my (permission|consent|knowledge)\b|\b(never|didn'?t|did not) "
        r"(place|placed|make|made|order|ordered|authori[sz]e|authori[sz]ed|buy|bought|sign up|signed up|select|selected|"
        r"agree|agreed)\b|\b(don'?t|do not|didn'?t) recogni[sz]e\b|\bunrecogni[sz]ed\b|\b(wasn'?t|was not|not) me\b|"
        r"\bhack(ed|er)\b|\b(someone|somebody) (has )?(got into|accessed|used|logged into|changed)\b|\bstolen\b|"
        r"\bphishing\b|\bidentity theft\b|"
        r"盗刷|被盗|盗号|被人(登录|用|买|改)|不是我(本人)?(买|下|操作|消费|付|登录)|我(没|从没|从来没)(有)?(买|下单|下过|订|授权|开通)|"
        r"陌生(的)?(订单|扣款|消费)|不认识的(订单|扣款|消费)|异常(扣款|消费|登录)|冒充|钓鱼",
        re.IGNORECASE),
    "double_charge": re.compile(
        r"\b(charged|billed|debited|taken|paid|deducted|went through|gone through|came out)\b[^.?!]{0,30}\b(twice|two times|double)\b|"
        r"\bdouble[- ]?(charged|billed|charge|payment)\b|\bduplicate (charge|payment|transaction)s?\b|"
        r"\b(two|2) (identical )?(charges|payments|transactions)\b|\bovercharg\w*|\bcharged (me )?(extra|more)\b|"
        r"\bdisput\w*|\bchargeback\b|"
        r"(扣|收|付|刷|扣款|付款|支付)(了)?(我)?(两|2|二)(次|遍|笔)|重复扣|重复收费|重复支付|付了两次|两笔(扣款|钱|一样)|多扣|多收|乱扣|扣错|收费不对|金额不对|争议",
        re.IGNORECASE),
    "legal": re.compile(
        r"\b(solicitor|lawyer|attorney|legal action|legal advice|take (you|this|it) to court|court|sue|suing|"
        r"trading standards|ombudsman|consumer rights|citizens advice|small claims|regulator|legally)\b|"
        r"律师|起诉|法院|告你们|消协|消费者协会|12315|工商|市场监管|维权|法律",
        re.IGNORECASE),
    "formal_complaint": re.compile(
        r"\b(formal|official) complaint\b|\bcomplaints? (procedure|process|department)\b|"
        r"\b(make|lodge|file|raise|register|log|submit) (a |an )?complaint\b|正式投诉|投诉(流程|渠道|部门)|我要投诉",
        re.IGNORECASE),
    "safety": re.compile(
        r"\b(melt\w*|caught fire|on fire|smok(e|ed|ing)|sparks?|sparked|burn(t|ed|ing)? (my|the|a|out)|"
        r"electric shock|shocked me|explod\w*|injur\w*|hurt (my|me|him|her|them|someone)|nobody was hurt|"
        r"safety (issue|hazard|risk)|fire hazard|overheat\w*|extremely hot)\b|"
        r"起火|着火|冒烟|烧(坏|焦|了)|触电|漏电|爆炸|受伤|烫伤|过热|安全隐患",
        re.IGNORECASE),
}
# Damaged or missing goods after the usual steps were tried: a problem and a step.
_PROBLEM_GOODS = re.compile(
    r"\b(missing|not (arrived|here|received|delivered)|never (arrived|came|received|turned up)|nothing (arrived|came)|"
    r"didn'?t (arrive|come|get it)|hasn'?t (arrived|come|turned up)|isn'?t here|wasn'?t there|"
    r"(got |been |was |is )lost|damaged|broken|smashed|cracked|faulty|defective|dead on arrival|also arrived)\b|"
    r"没收到|没到|未收到|丢(了|件|失)|少(了|发)|漏发|破损|坏(了|的)|碎(了)?|摔坏|压坏",
    re.IGNORECASE)
_STEPS_TRIED = re.compile(
    r"\b(already|i'?ve (checked|asked|contacted|returned|reported|followed|tried|sent|opened|called|emailed|"
    r"looked)|i (checked|asked|contacted|returned|reported|followed|tried|sent|opened|called|emailed) |"
    r"as (you|the (help|faq|website|page|app)[a-z ]{0,10}) (suggested|said|told|asked|advised|instructed)|"
    r"you (suggested|told me|advised)|followed the|second (time|replacement|one)|the replacement|again|"
    r"no (response|reply|answer)|got no|closed without)\b|"
    r"已经|问过|找过|查过|按(照)?(你们|客服|页面|流程)|照(你们|客服)|退回去|又(是|坏|破)|第二次|换(的|来的)(新)?(货|也)|"
    r"没(人)?(回复|回应|处理)|没有(回复|回应|处理)",
    re.IGNORECASE)


def needs_person_case(text: str) -> str | None:
    """The kind of case a bot must not handle alone that the message names, or None:
    ``fraud`` (unauthorised charge, an order never placed), ``double_charge``
    (charged twice, overcharged, a dispute), ``legal`` (solicitor, court,
    trading standards, 律师, 12315), ``formal_complaint``, ``safety`` (melted,
    smoke, injury), ``after_steps`` (damaged or missing goods after the usual
    steps were tried). A negated phrase ("not a complaint") does not count."""
    lowered = NEGATED_EMOTION.sub(" ", (text or "").lower())
    for name, pattern in _CASES.items():
        if pattern.search(lowered):
            return name
    if _PROBLEM_GOODS.search(lowered) and _STEPS_TRIED.search(lowered):
        return "after_steps"
    return None


# "Did anyone look at my request?" asks after a request, "are you a bot or a
# person?" asks what the bot is: neither asks for a person (an intent classifier
# reading ``request_human`` there does not hand over).
_NOT_A_REQUEST = re.compile(
    r"\b(did|has|have|had|will|would) (anyone|someone|somebody|any of you|your team)\b[^.?!]{0,40}"
    r"\b(look|looked|check|checked|see|seen|review|reviewed|chance|get back|got back|reply|replied|read)\b|"
    r"有人(看|处理|回复|跟进)(了|过)?(吗|没|嘛)|(是|是不是)(个)?(机器人|机器|ai|AI)还是(真)?人|还是真人|好奇问问",
    re.IGNORECASE)


def not_a_request(text: str) -> bool:
    """True when the message asks after a request or about what the bot is, and
    asks for no person ("sorry to bother you again, did anyone look at my
    exchange?", 你是机器人还是真人?): the ``request_human`` intent alone does not hand over."""
    text = text or ""
    return bool(_NOT_A_REQUEST.search(text) or ASKS_WHAT_BOT_IS.search(text)) and not asks_for_person(text)


def is_polite(text: str) -> bool:
    """True for an apology or thanks."""
    return bool(POLITE.search(text or ""))


def is_report(text: str) -> bool:
    """True when the message reports a problem as sorted or needing no action."""
    lowered = (text or "").lower()
    return bool(HEADS_UP.search(lowered) or RESOLVED.search(lowered) or NEGATED_EMOTION.search(lowered))


def anger_cue(text: str) -> bool:
    """True when the wording itself carries anger: sarcasm, rhetorical doubt,
    a demand, "same help again", an angry word, "!!" or a shouted word."""
    text = text or ""
    lowered = NEGATED_EMOTION.sub(" ", text.lower())  # "not upset", 没生气: no angry word
    return bool(
        SARCASM.search(lowered) or RHETORICAL.search(lowered) or DEMAND.search(lowered) or REPEAT_HELP.search(lowered)
        or any(w in lowered for w in ANGRY_WORDS_EN + ANGRY_WORDS_ZH)
        or re.search(r"[!！]{2,}|\b[A-Z]{4,}\b", text)
    )


def calm_framing(text: str) -> bool:
    """True for a calm frame with no anger in the wording: a report that is
    sorted or needs nothing, a negated emotion ("not upset, just unsure"), or
    an apology or thanks ("sorry to ask again"). escalation.yml's
    ``calm_framing_threshold`` then applies to the one-message trigger."""
    return (is_report(text) or is_polite(text)) and not anger_cue(text)
