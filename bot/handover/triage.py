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
from functools import lru_cache

from bot.handover.hazards import only_asked, reported_hazards
from bot.text import HAN, compile_guarded
from bot.nlu.declined import DECLINED_PERSON
from bot.nlu.emotion_lexicon import (
    ANGRY_WORD_EN, ANGRY_WORDS_ZH, DEMAND, HEADS_UP, NEGATED_EMOTION, PROBLEM, REPEAT_HELP, RESOLVED, RHETORICAL, SARCASM,
)

@lru_cache(maxsize=1024)  # pure on the text; most readings start from it
def _unnegated(text: str) -> str:
    """The message lowered, with its negated emotions ("not upset", 没生气; ``NEGATED_EMOTION``) blanked."""
    return NEGATED_EMOTION.sub(" ", (text or "").lower())


def _either(first: "re.Pattern[str]", more: "re.Pattern[str]") -> "re.Pattern[str]":
    """One pattern matching where ``first`` or ``more`` does, with both patterns' flags (until the thirteenth
    pass only ``first``'s, so ``re.IGNORECASE`` of a later list was lost: "Zrg", a declined "No human"):
    a later pass's phrasings join the list they extend instead of standing beside it."""
    return compile_guarded(f"(?:{first.pattern})|(?:{more.pattern})", first.flags | more.flags)


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
PERSON_EN = compile_guarded(
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
    r"|\b(human|person|agent|rep) (instead|not a bot|not the bot|rather)\b"
    # issue 11, fourth pass: "could someone check it manually?", "can a person look at this"
    r"|\b(could|can|would|will|may) (someone|somebody|a person|a human|an agent|a colleague|one of your (team|staff|colleagues))"
    r"( (there|please|from your team|at your end))? (please )?(check|look|help|call|ring|contact|sort|deal|handle|review|verify|"
    r"go through|investigate|take a look|get back)\b"
    # issue 11, sixth pass: "get someone on the phone", "is a human available?", "looked at by a real member
    # of staff", "put a person on", "please escalate", "anybody there who isn't a bot", a team or department
    r"|\bget (someone|somebody|a person|a human|an agent|a rep|anyone|anybody) on the (phone|line)\b"
    r"|\bis (a|an|any|there a|there an) (real |live )?(human|person|agent|rep|representative|operator|someone|member of staff)"
    r" (available|around|free|on|online|there)\b"
    r"|\b(looked at|checked|reviewed|handled|dealt with|seen) by (a|an|one of your|your|some) (real |actual |human |live )?"
    r"(member of staff|staff member|person|human|agent|colleague|someone|manager|supervisor)\b"
    r"|\bput (a|an|some) (real |live )?(person|human|agent|rep|someone) on\b|\bplease escalate\b|\bescalate,? please\b"
    r"|\b(anyone|anybody|someone|somebody)\b[^.?!]{0,20}\b(isn'?t|is not|not) a (bot|robot|machine)\b"
    r"|\b(talk|speak|chat|connect(ed)?|put me through|transfer(red)?|pass me|hand me|reach)\b( me)? (to|with) (your|the|ur) "
    r"([a-z]+ )?(team|department|dept)\b"
    # issue 11, seventh pass: indirect and embedded requests — "is there a manager I could speak to",
    # "who should I talk to about …", "put me in touch with …", "route / refer me to someone who can",
    # "happy to wait for a colleague to check", "need someone to confirm", "reviewed by the billing team"
    r"|\b(is there|are there|do you have|have you got)( (a|an|any|some))? ([a-z]+ )?(supervisor|manager|human|person|department|dept|"
    r"team|specialist|someone|somebody|anyone|anybody|member of staff|staff member|colleague)s?\b[^.?!]{0,40}"
    r"\b(talk|speak|chat|deal|handles?|look|help|contact|put (me )?in touch|reach|escalate)"
    r"|\bwho (do|can|should|could|would) i (speak|talk|chat|write|go) to\b|\b(put|get) (me |us )?in touch with\b"
    r"|\b(route|refer|forward|direct|pass|escalate) (me|this|it|my (case|query|request|question|issue|complaint))( on| over)? "
    r"to (someone|somebody|anyone|(a|an|the|your|one of your|a real|the right) ([a-z]+ ){0,2}?(person|human|team|department|dept|staff|"
    r"colleague|manager|supervisor|specialist|agent|member of staff|staff member|people|advisor|adviser))\b"
    r"|\b(need|want|wait for|waiting for|like|prefer|happy to wait for|ask for) (someone|somebody|a (real )?(person|human|team member|"
    r"member of (the )?(staff|team)|staff member|colleague|specialist|manager|supervisor))( from [a-z ]{1,20}?)? to (confirm|check|look|"
    r"review|explain|call|sort|handle|verify|approve|reissue|correct|advise|investigate|tell|sign off)\b"
    r"|\b(reviewed|checked|looked at|looked into|handled|investigated) by (the |your |a )?(billing|accounts|finance|refunds?|payments?|"
    r"privacy|data protection|complaints|returns|security|fraud)( team| department| dept| people)?\b",
    re.IGNORECASE,
)
# A negation bound to the person itself, in the same clause: "I don't need a
# human", "no need for an agent" — not "don't want the bot, get me a human".
NOT_PERSON_EN = compile_guarded(
    r"\b(don'?t|do not|doesn'?t|no need (for|to)|not|never|without|no)\b( (really|even|actually))? "
    r"((need|want|have|require|wish)( to)?( (talk|speak|chat))?( to| with)? )?"
    r"(a |an |the |any |your )?(real |live )?(human|person|agent|someone|somebody|anyone|anybody|representative|manager|colleague|"
    r"rep|operator|call ?back|call)s?\b",
    re.IGNORECASE,
)
PERSON_ZH = compile_guarded(
    r"转人工|转接人工|转个人工|人工客服|人工服务|人工坐席|人工处理|人工介入|人工跟进|人工帮|人工看|找人工|要人工|接人工|换人工|"
    r"(联系|咨询|接通|呼叫)(一下)?人工|人工咨询|"
    r"转人公|人公客服|人工客fu|rengong|ren gong|"
    r"(请|让|安排|派)(个)?(人工|专人|人|客服)(来)?(联系|处理|跟进|回复|回电|打电话|给我打|帮|看)(?![不着])|人工(联系|回复|回电)|"
    r"真人|活人|客服人员|工作人员|客服专员|专员|"
    r"(找|叫|让|要|转|换|喊|请)(一下)?(你们|个|一个|一位|你们的)?(的)?(经理|主管|领导|负责人|老板|上级|值班经理|人工|客服|真人|管事的|能管事|能做主)|"
    r"(有没有|来个|来一个|给我找个?|换个|换一个)(真)?人|找个人|跟人(说|聊|讲|谈|沟通)|和人(说|聊|讲|谈|沟通)|"
    r"(跟|和|找|联系|接通|转接?)(你们)?(的)?客服(说|聊|谈|沟通|人员)?|"
    r"打(个)?电话给我|给我(回|打)(个)?电话|回(个)?电话给我|回电|致电给?我|"
    r"^\W*人工\W*$|人工[!！。?？\s]*$|^\W*人工[\s,，!！]|^\W*客服呢\W*$|^\W*(rg|RG|Rg)\W*$|"
    r"不要(机器人|机器|自动回复)|(别|不想|不要)(跟|和)?我?(机器人|机器|自动回复)|机器人(没用|有什么用|听不懂)"
    # issue 11, fifth pass: more families of Chinese requests for a person
    r"|(转|转接|交|转交|转给|转到|交给|让|请|找|换)(给|到)?(一下)?(你们|你)?(的)?(负责的?|负责[^，。！？]{1,6}的|其他|别的|相关的?|专门的?)?同事"
    r"|(转|转接|找|联系|叫|让|请)(一下)?(你们|你)?(的)?售后(的人|人员|同事|客服|专员|部门)?(?!(政策|规则|期|服务是|流程|怎么|是什么|多久))"
    r"|(跟|和|找|叫|让|请|要求)(一下)?(你们|你)?(的)?(领导|上级|店长|主管|经理|负责人|老板)"
    r"|(转|转给|转到|交给|给)(能|可以)(处理|管|做主|解决)[^，。！？]{0,4}的人|转(到|给)人工"
    r"|来(个|一个|一位)(客服|人工|真人)|有没有客服[^，。！？]{0,4}在|(麻烦|请|让)?客服(给我)?回(个)?电话|客服(打|回)(个)?电话给我"
    r"|(跟|和|找|联系|接通|转接?|转到)(你们)?(的)?(在线|电话|人工|真人|售后)客服"
    r"|(找|要|安排|换)(个|一个|一位)[^，。！？]{0,8}客服|安排(个|一个|一位)?(专属|专门的?)客服"
    r"|接线员|(找|叫)(一下)?(你们)?(的)?值班"
    r"|人工(审核|复核|核实|核查|确认|检查|查一下|查看)"
    r"|升级处理|(问题|投诉|工单)升级|升级(一下)?(这个|我的)?(问题|投诉|工单)"
    r"|找(个)?人(聊|说|谈|看|处理|帮)|(叫|派)(个|一个|一位)?人(来|上门)|找(个|一个)[^，。！？]{1,6}的人"
    r"|(联系|找|转|叫)(一下)?(你们)?(的)?(商家|卖家|店家)"
    r"|(你们|你)(打|回)(个)?(电话)?给我"
    # issue 11, sixth pass: 转接一下客服, a department, "I want to phone you"
    r"|(转接?|接通|联系|找)一下(你们)?(的)?(人工)?客服|(转|转接|转到|接通)(一下)?[^，。！？\s]{0,4}部门"
    r"|我(要|想)(直接)?(打电话|打过去|打给你们|给你们打电话)"
    # issue 11, seventh pass: indirect Chinese requests — a call-back appointment (电话回访), 能转个人吗,
    # is anyone there or only auto-replies, a colleague in charge of X, hand it up to a supervisor,
    # is the manager in, needs a person to check (得人工查), arrange someone to deal with me directly
    r"|(约|安排|预约|申请|要)(个|一个|一次)?(电话)?回访|电话回访|回个电话|"
    r"转(个|一个)(真)?人(吗|呗|啊|吧|呀|[?？。！!，,\s]|$)|有人在吗|有没有人在|(都是|全是|只有|就只有)(自动回复|机器人)"
    r"|(有没有|有无|是否有)(专门)?负责[^，。！？]{1,10}的(同事|人|专员|部门|客服)|(直接)?(跟|和|与)(他|她|他们|你们的?[^，。！？]{0,6})对接"
    r"|(请|让|安排|派)(个|一个|一位)?(人工|专人|人|客服|同事|工作人员)(来)?(直接)?(和我|跟我|与我)?(联系|处理|跟进|回复|回电|打电话|对接|沟通)"
    r"|升级(到|给)[^，。！？]{0,4}(主管|经理|领导|上级|专员|人工)|(经理|主管|领导|负责人|店长|值班的?人)(在吗|在不在|在么|在没|呢[?？])"
    r"|(得|需要|必须|只能|要)(走)?人工|人工(查|来查|核对|跟进)"
    r"|(转|转给|转到|交给|转交)(给)?(一下)?[^，。！？]{0,8}(负责人|经理|主管|专员)"
)
NOT_PERSON_ZH = compile_guarded(r"人工(费|成本|智能)|(机器人|机器|ai|AI)还是(真)?人|还是真人|(不用|不需要|不必|别|无需|不要|没必要)(转|找|联系)?(人工|真人|找人|客服人员|客服|经理)|"
                           r"(不用|不需要|不必|别|无需|不要|没必要)(电话)?回访|"
                           r"你(是|是不是)(个)?真人|是真人(吗|还是)|真人(吗|嘛)")
# Mixed zh/en: "转 human", "我要 agent", "找个 real person", "人工 please".
PERSON_MIXED = compile_guarded(
    r"(转|找|要|叫|换|接|联系|给我)\s*(一下)?\s*(个|一个|一位)?\s*(real |live )?(human|agent|person|manager|representative|"
    r"operator|supervisor|staff|someone|rep|customer service|cs)\b|\b(human|agent|manager|supervisor)\s*(客服|人工)",
    re.IGNORECASE,
)
# "You connected me to the right department yesterday": a hand-over told about, not asked for (tenth pass).
# Fifteenth pass: not after a modal or "please" ("can you put me through to a manager?" asks).
_PAST_HANDOVER = compile_guarded(r"(?<!\bcan )(?<!\bcould )(?<!\bwould )(?<!\bwill )(?<!\bplease )(?<!\bpls )(?<!\bplz )(?<!\bto )"
                            r"\b(you|they|he|she|someone|somebody|the bot|your (colleague|agent|team)) (connected|transferred|put|passed)"
                            r" (me|us)( through)? (to|with)\b[^.?!,;]*", re.IGNORECASE)
# "Are you a real person?" asks what the bot is, not for a person.
_OR_OTHER = r"( or (a |an )?(real |actual |live )?(human|person|bot|robot|machine|ai))?"
ASKS_WHAT_BOT_IS = compile_guarded(
    rf"\b(are|r) (you|u) (a |an )?(real |actual |live )?(human|person|bot|robot|machine)\b{_OR_OTHER}|"
    r"\b(is this|am i (talking|speaking|chatting) (to|with)) (chat |conversation |service |thing )?(a |an )?(real |actual |live )?"
    rf"(human|person|bot|robot)\b{_OR_OTHER}",
    re.IGNORECASE,
)

# A demand, not a question about a topic: "how long does a refund take?" asks
# for information; "I want a refund" / "refund me" asks for something done.
# A negated complaint ("not a complaint", 不是投诉) is removed first (wants_action).
WANTS_ACTION = compile_guarded(
    r"\b((want|wish|like|need|going|have) to (make a |lodge a |file a |raise a )?complain|complaint (about|against|regarding)|"
    r"(make|lodge|file|raise|register|log|submit|open) (a |an |this as a |it as a )?(formal |official )?complaint|"
    r"this (is|as) a (formal |official )?complaint|complaints? (procedure|process|department|team)|"
    r"grievance|lodge|formal\w*|official\w*|compensat\w*|reimburs\w*|escalate|"
    r"(like|want|need|please|can|could|would) [^.?!]{0,25}\b(looked (at|into)|corrected|investigated|put right|reversed|"
    r"refunded|credited|sorted out|checked)|"
    r"report (him|her|them|this|the)|investigat\w*|disciplin\w*|want (this|it) (recorded|logged)|"
    r"(want|demand|need|expect|give me|get me|insist on) (a |my |the )?(full |proper |cash )?(refund|money back|replacement)|"
    r"refund me|money back)\b"
    r"|(我要|要|想|必须|正式|提交|发起|登记)投诉|投诉(你们|他|她|这|那|快递|客服|商家|骑手|司机|店|贵)|举报|赔偿|补偿|给个说法|严肃处理|"
    r"登记|要求(退款|赔|补|换|处理)|(我要|给我|必须|马上|立刻)(退款|退钱|换货|处理)|退钱|"
    r"(麻烦|请|帮我|帮忙|希望)(你们)?(核实|查一下|查查|核对|更正|退回|退还|处理一下|调查)",
    re.IGNORECASE,
)
POLITE = compile_guarded(
    r"\b(sorry|apolog\w*|thanks|thank you|thx|ty|cheers|appreciate\w*|grateful|no worries)\b"
    r"|不好意思|抱歉|对不起|谢谢|感谢|多谢|辛苦|麻烦(你|您)(们)?了",
    re.IGNORECASE,
)


# issue 11, eighth pass (a fourth development set by a fresh writer, tests/dev4): indirect requests the
# lists above miss — "speaking with a person", a member of the team to contact me, "needs a human eye",
# someone who deals with X to look at it directly, book a call, a manager available today, rather than
# the chat; 请销售同事联系我, 请你们的人过来看一下, 有负责退换货的老师吗, typos of 人工 after 转.
PERSON_EN = _either(PERSON_EN, compile_guarded(
    r"\b(appreciate|prefer|like|love|want|need|rather|insist on|keen on|consider|mind|arrange|try|without|about) "
    rf"(speaking|talking|chatting) (to|with) {_ARTICLES}({_STAFF_EN}|{_ANYONE_EN})s?\b"
    r"|\b(a |one )?members? of (your|the) ([a-z]+ ){0,3}(team|staff)\b[^.?!]{0,30}\b(contact|call|ring|phone|email|e-mail|"
    r"get in touch|get back|look|check|help|review|reach out)\b"
    r"|\b(this|it|that|my case|this case|this one|the case|the issue|this issue|my issue)( really| definitely| honestly| probably)? "
    r"needs? (a |an |some )?(human|real person|human being|human eyes?|pair of (human )?eyes|human touch|actual person|"
    r"person to (look|check|review))\b"
    r"|\b(does|do) (your|the) ([a-z]+ ){0,3}(have|employ) (someone|somebody|anyone|a person|a specialist|people|a team|staff)"
    r" (who|that|to) (deals?|handles?|looks?|can|could|specialises|specializes|takes care)\b"
    r"|\b(book|schedule|arrange|set up|organi[sz]e|request) (a |an )?call ?-?back\b"
    r"|\b(book|schedule|arrange|set up|organi[sz]e|request) (a |an )?(phone )?call with (you|your [a-z ]{0,25}|the (support|sales|"
    r"service|customer|billing|returns)[a-z ]{0,15}|someone|somebody|an? (agent|advisor|adviser|person|specialist|member of))\b"
    r"|\bis (there )?(a|an|any) (manager|supervisor|team leader|duty manager)( or (a |an )?(manager|supervisor|team leader))? "
    r"(available|around|in|on duty|free|there|about)\b"
    r"|\b(rather than|instead of) (going )?(through|via|using|talking to) (the|this) (chat|bot|chatbot|assistant)\b",
    re.IGNORECASE))
_STAFF_ZH_8 = (r"((你们|您们)?(的)?(销售|售后|客服|财务|技术|物流|负责|专门|相关)(的)?(同事|人员|专员|人|老师|师傅)|(你们|您们)的?(人|同事|工作人员|师傅|专员)|"
               r"工作人员|同事|专员|师傅|负责人)")
PERSON_ZH = _either(PERSON_ZH, compile_guarded(
    rf"(请|让|麻烦|安排|派|叫)(一下)?{_STAFF_ZH_8}(过来|上门|来|提前|直接|尽快|稍后)?[^，。！？]{{0,6}}"
    r"(联系|打电话|回电|回复|处理|跟进|看|对接|沟通|约)(?![过了完])"
    r"|有(没有|无)?(专门)?(负责|管|处理)[^，。！？]{1,10}的(老师|同事|人|专员|部门|客服)(吗|么|嘛|没有|[?？。，！]|$)"
    r"|(想|要|希望)(直接)?(跟|和|与|找)(他|她|他们|ta|你们的人|负责的人|负责人)(直接)?(沟通|联系|说|聊|谈|对接)"
    r"|转(认|仁|任)工|(认|仁)工客服|转人(攻|功|宫)"
))
# ... and questions about people that ask for none: how long they take to answer, their phone number
# for later, what a friend said of them, a bot-or-person question that says either is fine.
_NOT_A_REQUEST_8 = compile_guarded(
    r"(人工|客服)[^。！？!?]{0,8}(多久|多长时间|几天)(能|会)?(回复|回|处理)|"
    r"(人工|客服|售后)[^。！？!?]{0,6}(电话|热线|邮箱|微信)(号码|号)?(是)?(多少|是什么|是啥)|"
    r"(听说|朋友说|别人说|网上说)[^。！？!?]{0,16}(人工|客服)|(人工|客服)[^。！？!?]{0,16}(是真的吗|真的吗)|"
    r"\b(either (one )?is fine|just wondering|just curious|out of curiosity)\b|"
    r"\bwhat('?s| is) (your|the) (customer service|support|helpline|phone|contact) (number|line|email|e-mail)\b",
    re.IGNORECASE)
# A request for later is still a request when it asks to be contacted (让人工客服上班后联系我).
_CONTACT_ME = compile_guarded(r"(联系|回复|回电|打电话给|打给)我|登记|\b(contact|call|ring|email|phone) me\b", re.IGNORECASE)
# A demand that a charge be looked at (wants_action): "please review the charge", 请核查费用.
WANTS_ACTION = _either(WANTS_ACTION, compile_guarded(
    r"\b(please|kindly|can you|could you|would you|i'?d like you to|i need you to)\b[^.?!]{0,12}\b(review|check|correct|fix|reverse|"
    r"refund|investigate|look into|look at|adjust)\b[^.?!]{0,20}\b(charge|amount|payment|bill|invoice|fee|transaction|refund)s?\b"
    r"|(请|麻烦|希望|要求)(你们)?(核查|复核|审核|核对|重新核算|退回|退还)",
    re.IGNORECASE))
# Cases the lists above miss: a charge for what was not chosen, a wrong amount, a refund short of the
# price; an order or payment that "isn't mine", a bank that flagged payments, 不知情, a child's purchase;
# consumer-protection law, 正式提出; caught between the courier and the shop (each says the other).
_CASES_MORE = {
    "fraud": compile_guarded(
        r"\b(order|orders|payment|payments|charge|charges|purchase|purchases|transaction|transactions)\b[^?!]{0,60}"
        r"\b(isn'?t|isnt|is not|aren'?t|arent|are not|wasn'?t|not) mine\b|\b(haven'?t|have not|didn'?t|did not|never) "
        r"(bought|ordered|purchased|buy|order|purchase) anything\b|\bbank (flagged|blocked|stopped|froze|reported)\b"
        r"[^.?!]{0,40}\b(payment|payments|charge|charges|transaction|transactions)\b|"
        r"(我|本人)(完全|根本|并)?不知情|未经(我|本人)(的)?(同意|允许|授权)|\bbehind my back\b|"
        r"\b(son|daughter|kid|child|grandson|granddaughter)\b[^.?!]{0,40}\bused my (card|account|phone|password|login)\b|"
        r"(孩子|小孩|儿子|女儿)[^。！？]{0,10}(偷偷|瞒着我|背着我|用我的(手机|账号|账户|卡|支付宝|微信))[^。！？]{0,15}(买|充值|消费|下单|付)",
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
# Reports that ended well or need nothing, beside the lexicon's: the replacement came, 小提醒, 仅供参考,
# 已经取出来了, 我自己问到了.
_REPORT_8 = compile_guarded(
    r"\b(replacement|new one|refund|second one)\b(?![^.?!]{0,80}\b(also|too|again|broken|damaged|cracked|faulty|wrong|missing|"
    r"dented|same|but|still)\b)[^.?!]{0,20}\b(came|arrived|went through|turned up|showed up)\b|"
    r"\b(it'?s|it is) here now\b|"
    r"小提醒|温馨提示|仅供参考|顺便(说|提)一(下|句)|已经(取|拿|找|收|弄|修|解决|处理)(到|好|出来|回来)了?|自己(问到|找到|弄好|解决|搞定)了|"
    # fourteenth pass (tests/dev14): 今天的汤有点洒出来了，小问题，不用补偿 — a small matter, nothing wanted for it
    r"(小问题|小事儿?)[，,。\s]*(不用|不需要|无需)(补偿|赔偿|赔|退款|退钱|处理)(?![^。！？]{0,12}(但|可是|不过|只要|必须|要求))",
    re.IGNORECASE)
# A conditional "if this isn't resolved" is not "resolved".
_NOT_YET_8 = compile_guarded(r"\b(isn'?t|is not|wasn'?t|hasn'?t been|has not been|not been|aren'?t|unless (it'?s|this is|it is))"
                        r" (yet )?(sorted|fixed|resolved)\b|\b(if|unless) (this|it) (is not |isn'?t |doesn'?t get |does not get |is |gets )?"
                        r"(yet )?(sorted|fixed|resolved)\b"
                        # fourteenth pass (tests/dev14): asked for, not done — "I need it sorted", "please get this fixed"
                        r"|\b(need|needs|want|wants|like|please|must|can you|could you|would you|will you)( to)?( (get|have))?"
                        r"( (it|this|that|them|things|everything|my [a-z]+|the [a-z]+))? (to (be|get) )?(sorted|fixed|resolved)\b",
                        re.IGNORECASE)
# A sigh that comes with a repeated let-down ("sigh. still nothing. you said monday", 唉，又延迟了，第三个
#预计送达时间) is exasperation, not a softened irritation.
_LETDOWN = compile_guarded(r"\bstill (nothing|no|not)\b|\byou (said|promised|told me)\b|\bagain and again\b|\b(third|fourth|fifth) time\b|"
                      r"又(延迟|推迟|改期|改|拖|没到|没送)|第[二三四五六七八九十几0-9]+(个|次|回)|说好的|已经是第", re.IGNORECASE)
# A broken promise is anger in the wording: 说好的周一到，今天周四了; "you said monday. it's thursday."
_BROKEN_PROMISE = compile_guarded(r"说好(的)?[^。！？]{0,20}(还是没|还没|都没|又没|怎么还|到现在还|结果又|结果还|"
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
    r"livid|furious|irritated)\b",
    re.IGNORECASE)


# The words that label a detail: "Order QX-223408", "my number is 138…", 订单号 QX-…
_DETAIL_LABELS = compile_guarded(r"\b(my|the|it'?s|it is|is|order|order number|order no|number|phone|mobile|tel|email|e-mail|"
                            r"address|ref|reference)\b|订单号?|单号|手机号?|电话|号码|邮箱|是|我的", re.IGNORECASE)


# Any word of a person, a contact or a hand-over, in either language (names_staff).
_STAFF_WORDS = compile_guarded(
    r"\b(human|humans|person|people|agent|agents|representative|rep|manager|supervisor|operator|staff|someone|somebody|anyone|"
    r"anybody|team|colleague|boss|advisor|adviser|employee|real|live|call|phone|ring|talk|speak|chat|transfer|escalate|contact|"
    r"bot|robot|machine|ai|help|helpline|service|support|csr|cs|automated|automatic|auto-?reply|scripted|canned|template)\b|"
    r"人|客服|经理|主管|领导|专员|同事|负责|老板|转|电话|联系|机器|自动|模板|复制|"
    r"售后|老师|师傅|店家|商家|卖家|(?<![a-z])z?rg(kf)?(?![a-z])|(?<![a-z])kf(?![a-z])",  # rg (人工), zrg, kf as words, not in "forgot" (thirteenth pass)
    re.IGNORECASE)


_THIS_CHAT = compile_guarded(r"\b(through|in|on|via|using|over|by) (this|the) (chat|chatbot|chat window)\b", re.IGNORECASE)


def names_staff(text: str) -> bool:
    """True when the message names a person, a contact or a hand-over at all (human, agent, someone,
    call, 人, 客服, 转, 电话 …, typos read as meant). A ``request_human`` intent on a text that names none
    ("oh, I had to tick the box", 哦，原来要手动勾选) is the classifier's misread (issue 11, eighth pass).

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = text or ""
    if text.lstrip().startswith("/"):
        return True  # a button's intent payload ("/request_human") is the customer's choice, not a reading
    # typos are respelt only when the text as written names no one (the respelling is the costly part)
    text = _THIS_CHAT.sub(" ", text)  # "can I submit a meter reading through this chat?" names the channel (thirteenth pass)
    return bool(_STAFF_WORDS.search(text) or _STAFF_WORDS.search(normalise_typos(text)))

def bare_details(text: str) -> bool:
    """True for a message that is only details — an order number, a phone number, an e-mail
    address, digits and punctuation ("QX-223408", "13812345678") — with no word of either script:
    it answers the bot's question and carries no mood of its own (issue 11, eighth pass: a bare
    order number read at 0.83 negative made a "run" of two upset turns).

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    from bot.nlu.language import LATIN_WORD, has_identifier, strip_identifiers

    text = text or ""
    if len(text) > 120:
        return False
    stripped = _DETAIL_LABELS.sub(" ", strip_identifiers(text))
    if HAN.search(stripped) or LATIN_WORD.search(stripped) or not re.fullmatch(r"[\s\d.,:;#\-/()+。，：；（）]*", stripped):
        return False  # a word, an emoji or "!!" carries mood
    return has_identifier(text) or bool(re.search(r"\d{4,}", text))


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
_GLUED_MIXED = compile_guarded(f"(?<={HAN.pattern})(?=[A-Za-z])|(?<=[A-Za-z])(?={HAN.pattern})")


# Chat shorthand of request words.
_SHORTHAND = {"ur": "your", "thru": "through", "sum1": "someone", "some1": "someone", "ppl": "people", "hooman": "human",
              "ppl.": "people", "sb": "somebody", "custserv": "customer service", "cs": "customer service"}
_SHORTHAND_RE = compile_guarded(r"\b(" + "|".join(re.escape(k) for k in _SHORTHAND) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def normalise_typos(text: str) -> str:
    """The text with misspelt request words read as meant ("humna" → "human",
    "reprsentative" → "representative") and chat shorthand spelt out ("thru",
    "sum1"); other words unchanged. Also spaces out glued mixed text ("转human" → "转 human").

    Args:
        text: the customer's message.

    Returns:
        The respelt text.
    """
    text = _GLUED_MIXED.sub(" ", text)
    text = _SHORTHAND_RE.sub(lambda m: _SHORTHAND[m.group(0).lower()], text)
    return re.sub(r"[A-Za-z]+", _respell, text)


# A person named, then what they did (tests/dev13): "… but the manager sorted it", "the agent was lovely".
_STAFF_DID = compile_guarded(
    r"\s+(has |had |have |then |eventually |finally |already )?(sorted|fixed|helped|said|told|was|were|gave|came|apologi[sz]ed|"
    r"called|rang|replied|handled|dealt|resolved|refunded|upgraded|offered|found|showed|explained|sent|let|moved|changed)\b",
    re.IGNORECASE)

# ... when the request's words run across a clause to reach the person (review: "get me a manager was that so
# hard" is a request typed without a full stop).
_CLAUSE_BREAK = compile_guarded(r"[,;]|\b(but|and|so|then|though|although)\b", re.IGNORECASE)

# Every match of PERSON_ZH without a Han character holds one of these (rgkf, zrg, rengong, ren gong);
# every match of PERSON_EN holds a Latin letter (both checked on the 24,000 texts of data/ and tests/dev*).
_PINYIN_PERSON = compile_guarded(r"rg|kf|ren ?gong", re.IGNORECASE)
_LATIN = compile_guarded(r"[a-z]", re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def asks_for_person(text: str) -> bool:
    """True when the message explicitly asks for a person, in English, Chinese
    or both mixed, typos included, and the request is not negated ("I don't
    need a human") nor a question about what the bot is ("are you a bot?").
    Whatever else the message carries (an order or phone number, a complaint)
    does not matter.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = normalise_typos(text or "")
    joke = _JOKING.search(text)
    if joke:  # issue 11, ninth pass: "…找客服有没有折扣😄 开玩笑的，…" takes back what came before it
        text = text[joke.end():]
    if about_people_hours(text) or thanks_for_solved(text):
        return False
    # a negated request (不用转人工) or a question about what the bot is (你是机器人还是真人, "are you a bot?")
    # covers only its own words: the rest of the message may still ask for a person
    # PERSON_ZH is the costliest reading (about 1 ms a text): only a text with Han characters or its
    # pinyin (rengong, zrg, rg, kf) can match it; PERSON_EN only a text with a Latin letter
    if (HAN.search(text) or _PINYIN_PERSON.search(text)) and PERSON_ZH.search(NOT_PERSON_ZH.sub(" ", text)):
        return True
    if PERSON_MIXED.search(text):
        return True
    if not _LATIN.search(text):
        return False
    text = _PAST_HANDOVER.sub(" ", ASKS_WHAT_BOT_IS.sub(" ", text))
    # thirteenth pass: a person named as the one who did something ("couldn't find my booking, but the manager
    # sorted it") is told about, not asked for
    matches = [m for m in PERSON_EN.finditer(text)
               if not (_CLAUSE_BREAK.search(m.group(0)) and _STAFF_DID.match(text, m.end()))]
    if not matches:
        return False
    negated = NOT_PERSON_EN.search(text)
    if not negated:
        return True
    # "I don't want the bot, get me a human": a request after the negated part still counts — read on its
    # own too ("I don't need a person, I need a manager": one match would run across both; tenth pass)
    return any(m.start() >= negated.end() for m in matches) or bool(PERSON_EN.search(text[negated.end():]))



def wants_action(text: str) -> bool:
    """True when a complaint asks for something to be done (formal complaint, refund, compensation,
    a charge looked at or corrected); a negated complaint ("not a complaint", 不是投诉) does not count.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    lowered = _NO_AMENDS.sub(" ", _NOT_COMPLAINING.sub(" ", _unnegated(text)))
    return bool(WANTS_ACTION.search(lowered))


# issue 11, fourteenth pass (tests/dev14): amends declined ("小问题，不用补偿", "no refund needed") ask for none.
_NO_AMENDS = compile_guarded(
    r"(不用|不需要|无需|不要|不必|没必要)(什么)?(补偿|赔偿|赔|退款|退钱)|"
    r"\b(no|don'?t need (a|any)|do not need (a|any)|not (after|asking for|looking for) (a|any))( need for)? "
    r"(compensation|refund|voucher|credit)s?\b( (needed|necessary|required))?",
    re.IGNORECASE)


# Cases a bot must not handle alone whatever the intent read (issue 11, the
# needs-a-person definition): the *what*, apart from how the customer feels.
_CASES = {
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
        r"盗刷|被盗|盗号|被人(登录|用|买|改)|不是我(本人)?(买|下|操作|消费|付|登录)|我(没|从没|从来没)(有)?(买|下单|下过|订|授权|开通)|"
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
# issue 11, eighth pass: the phrasings above (_CASES_MORE) join the kinds they extend.
_CASES.update({name: _either(_CASES[name], more) if name in _CASES else more for name, more in _CASES_MORE.items()})
# A safety case hands over even in a calm or reassuring frame ("nobody was
# hurt but ...", 人没事): a report of it is still a case.
URGENT_CASES = ("safety",)

# issue 11, ninth pass (a sixth development set by a fresh writer, tests/dev6; then a fresh reviewer's
# look-alikes): requests for a person the lists above missed — "is there someone I could speak to", a
# staff member who contacts me or looks at this, "needs someone to chase"; 联系你们的主管, 转技术支持,
# 对接客户经理, 电话沟通, 帮我 call / escalate 一下, the typo 人共 and the pinyin initials rg / kf beside a verb.
PERSON_EN = _either(PERSON_EN, compile_guarded(
    r"\b(is there|are there|isn'?t there)\b[^.?!]{0,40}\b(i|we) (could|can|might|may) (speak|talk|chat) (to|with)"
    r"(?=\s*$|\s+(on|by|over|about|today|now|please|regarding|re|in person)\b|\s*[?.,!])"
    r"|\b(a |any |one )?(staff members?|members? of staff|team members?)\b[^.?!]{0,30}\b((contact|call|ring|phone|email|e-mail|"
    r"text|get back to|get in touch with) (me|us)|(look|check|review|chase|deal)( into| at| with)? (this|it|my|our|the (order|case|"
    r"issue|claim|refund|parcel|account|photos?|pictures?|evidence|damage)))\b"
    r"|\bneeds? (someone|somebody|a person|a human|a member of staff) to (chase|look|check|sort|handle|deal|call|contact|review)\b",
    re.IGNORECASE))
PERSON_ZH = _either(PERSON_ZH, compile_guarded(
    r"(?<!已经)(?<!已)(联系|约|对接)(?!过)(一下)?(你们|你)?(的)?(领导|上级|店长|主管|经理|负责人|老板|值班经理)(?![^，。！？]{0,3}了)"
    r"|(对接|联系|找|要|转|安排)(一下)?(你们|你)?(的)?(专属|大)?客户经理"
    r"|转(接)?(一下)?(到|给)?(你们)?(的)?(技术支持|技术部门?|技术人员|技术客服|工程师)"
    r"|(?<![不无没别])(想|希望|需要|能不能|可不可以|能|可以)(跟你们|和你们|跟您|和您|跟客服|和客服)?(直接)?(电话|打电话)"
    r"(沟通|联系我|联系你们|聊|谈)"
    r"|(帮我|请|麻烦|给我|能不能|能|可以)[^，。！？]{0,10}(call|escalate) ?(一下|下)?(?![^，。！？]{0,3}(快递员?|司机|骑手|门店))|转人共|人共客服"
    r"|(请|麻烦|希望|能否|可以|尽快)?(用)?电话联系(我|本人)|^\W*((kf|rg)\W*)+(在吗|在不在|呢)?\W*$|(?<![a-z])(rg|kf)(?![a-z])\W*在吗"
    r"|(?<![a-z])(rg|kf)(?![a-z])[^，。！？]{0,2}(处理|介入|跟进|帮|看|回复|联系|回电)|(转|找|要|接)\s*(个|一个)?\s*(?<![a-z])(rg|kf)(?![a-z])",
    re.IGNORECASE))
# A request taken back as a joke after it (…找客服有没有折扣😄 开玩笑的): only what follows the joke counts.
# Not a joke: 不是开玩笑, 你们在开玩笑吗, "are you kidding".
_JOKING = compile_guarded(r"(?<!不是)(?<!没)(?<!别)(?<!在)开(个)?玩笑(的|啦|哈|呢)?(?![^，。！？!?]{0,2}[吗嘛？?])|"
                     r"\b(just kidding|just joking|only joking|jk)\b", re.IGNORECASE)
# "I don't want to make a complaint or anything, but …": no complaint, no action asked.
_NOT_COMPLAINING = compile_guarded(
    r"\b(i )?(don'?t|do not) (want|mean|intend|need) to (make|file|raise|lodge|log|put in) (a |an )?(formal |big )?"
    r"(complaint|fuss)\b|\b(i )?(don'?t|do not) (want|mean|intend|need) to complain\b|"
    r"\bnot (trying|wanting|looking|here) to (complain|make a (complaint|fuss))\b|不想投诉|不打算投诉|不是来投诉",
    re.IGNORECASE)
# ... unless the message still asks for something ("but I need one refunded", 我只想要退款, 钱必须退, "yet").
_STILL_ASKS = compile_guarded(r"\byet\b|\b(need|want|must|expect)\b|必须|只想要|就想要|(要|给我)(退款|退钱|赔)", re.IGNORECASE)
WANTS_ACTION = _either(WANTS_ACTION, compile_guarded(r"(只|就)想要(退款|退钱|赔偿|补偿)|必须(退|赔|给我)", re.IGNORECASE))
# A promise quoted ("说好上周到账", "客服说7个工作日内退款到账") names no resolution: removed before RESOLVED
# is read — unless it came (说好上周到账，现在已经到了).
_PROMISED = compile_guarded(r"(说好|承诺|答应|保证|客服说|你们说)[^。！？，,已]{0,14}(到账|送到|处理好|解决|退回)(?![^。！？]{0,12}(已经|已)(到|收到|解决|好))")
# An ultimatum ("if it isn't settled by the 30th I'll go to court", 要是三天内不解决我就去投诉) is no report
# that needs nothing: a negative condition and a consequence, or "fix it or I'm leaving".
_ULTIMATUM = compile_guarded(
    r"\b(if|unless)\b[^.?!]{0,20}\b(isn'?t|is not|not|don'?t|do not|doesn'?t|haven'?t|hasn'?t|no|never)\b[^.?!]{0,40}"
    r"\b(i'?ll|i will|i'?m (going|gonna)|i am going|we'?ll|we will|i shall)\b[^.?!]{0,30}\b(court|sue|lawyer|solicitor|ombudsman|cancel\w*|leav\w*|complain\w*|report\w*|bank|chargeback|trading standards|"
    r"review|regulator|legal)\b"
    r"|\b(court|sue|lawyer|solicitor|ombudsman|chargeback|trading standards|regulator)\b[^.?!]{0,60}\b(if|unless)\b[^.?!]{0,20}"
    r"\b(isn'?t|is not|not|don'?t|do not|doesn'?t|haven'?t|hasn'?t|no|never)\b"
    r"|\bor (else|i'?m (leaving|going|cancel\w*|done)|i'?ll|i will)\b"
    r"|(如果|要是|若)[^。！？]{0,20}?(没有|没|不|还不)[^。！？]{0,20}?(我)?(就|将|会)[^。！？]{0,10}?"
    r"(投诉|起诉|曝光|报警|12315|消协|取消|退订|法律|律师|差评|举报|反映|维权|监管|银保监|仲裁|法院)"
    r"|再不[^。！？]{0,12}?(我)?就[^。！？]{0,10}?(投诉|起诉|曝光|报警|12315|消协|取消|退订|法律|律师|差评|举报|维权|监管|仲裁|法院)|(否则|不然)我",
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
        r"(销户|退订|取消|注销|解约|退掉)[^。！？]{0,30}((还在|仍在|仍然|依然|照样|继续|还|又)[^。！？]{0,4}(扣|收)|照扣)"
        r"(?![^。！？]{0,8}(吗|么|嘛|[?？]))"
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
_CASES.update({name: _either(_CASES[name], more) if name in _CASES else more for name, more in _CASES_9.items()})
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
        r"the value)\b)",
        re.IGNORECASE),
    "legal": compile_guarded(
        r"(向|到|去|给)[^，。！？]{0,8}(监管部门|监管局|监管机构|主管部门|能源局|消协|消费者协会|市场监管|12315|信访)[^，。！？]{0,4}"
        rf"(反映|投诉|举报|申诉){_NOT_ASKED_15}"
        r"|\b(report|reporting|escalate|escalating|take|taking) (you|this|it|the matter) to (the )?([a-z]+ )?(regulator|ombudsman|"
        r"trading standards)\b(?![^.!]*\?)",
        re.IGNORECASE),
}
_CASES.update({name: _either(_CASES[name], more) for name, more in _CASES_15.items()})
# A refund still inside the window it was promised in ("it's day 3 of 5-7, that's fine", 还没到时间) is not missing.
_NOT_DUE = compile_guarded(r"还没到(时间|期限|日子)|还在(时效|期限|时间)内|\b(not (due|overdue) yet|that'?s fine|no rush|just confirming|"
                      r"still within)\b"
                      # issue 11, tenth pass: the window stated ("I know it takes 5 days"; "no rush" alone is politeness
                      # and is read after the negated-emotion strip, which removes it)
                      r"|\bi know (it|they|refunds?) (can )?takes? (up to )?\d+|知道(要|需要)[0-9一二两三四五六七八九十]+(个)?(工作日|天)",
                      re.IGNORECASE)
# A reaction after using or eating something, or the wrong medicine: a safety case (urgent), unless asked
# about before anything happened ("might I react?", "is it safe for…", 会起红点吗, 对牛奶过敏 as a trait).
_SAFETY_9 = compile_guarded(
    r"\b(hives|anaphyla\w*|allergic reaction|epipen|swell(ed|ing) up|broke out in|(difficulty|trouble|struggling|hard to) "
    r"(breathing|breathe)|(can'?t|cannot|could ?n'?t|not) breath(e|ing)|throat (is )?(closing|swelling|swollen)|lips? (are |is )?(swelling|swollen))\b"
    r"|\b(wrong|different|another|someone else'?s) (medication|medicine|tablets|pills|drugs)\b"
    r"|\b(medication|medicine|tablets|pills|strips|capsules)\b[^.?!]{0,20}\b(inside|in it|in the box)\b[^.?!]{0,15}"
    r"\b(something else|different|wrong|not the same|are)\b"
    r"|起了?(一身|满身|很多|好多|一片)?(疹子?|红疹|红点|风团|包(?!邮|装|裹))|过敏了(?!解)|过敏反应|出现过敏|呼吸困难|喘不(上|过)气|嘴唇肿|红肿刺痛"
    r"|(药|药品)(发|拿|给|配|寄)错|错(的)?药|药[^。！？]{0,8}(跟|和)处方不一样|(不安全|安全隐患)(?![^。！？]{0,6}(吗|么|嘛|\?|？))",
    re.IGNORECASE)
_SAFETY_QUESTION = compile_guarded(
    r"\b(might|in case|is (it|this|the [a-z]+) safe|does (it|this|the [a-z ]+) contain|can i bring|"
    r"glasses|lenses|frames)\b|会[^。！？]{0,10}(吗|么)|对[^，。！？]{1,6}过敏(?!了)|过敏(体质|原)|放门口",
    re.IGNORECASE)
# A safety word asked about (有安全隐患吗, 会不会不安全, "is it a fire hazard?") before anything happened.
_SAFETY_ASKED = compile_guarded(r"(安全隐患|安全|危险)[^。！？]{0,4}(吗|么|嘛|[?？])|会不会[^。！？]{0,8}(安全隐患|不安全|危险)|"
                           r"\b(is|are|could) (it|this|they|the|that)( [a-z]+)? (a )?(fire hazard|safety (risk|hazard)|dangerous)\b", re.IGNORECASE)
# ... unless a reaction already happened ("I'm worried, she ate it and now has hives", 起了好多红点, 吃了以后).
_REACTED = compile_guarded(r"\b(now (has|have|he|she|they|i)|came up in|broke out|had an?|ate|used|after (eating|using|taking)|"
                      r"(is|are|was|were) (swelling|swollen)|caught fire|melted|smok(ed|ing)|sparked|exploded|burn(t|ed)|"
                      r"(is|are|keeps?) (melting|sparking|burning|smouldering|overheating))\b|"
                      r"起火|着火|冒烟|烧(坏|焦|了)|爆炸|漏电|触电|受伤|起了|肿了|(吃|用|喝)了(以后|之后)?(?!会)|已经", re.IGNORECASE)
# A phishing check: a message, e-mail, text or call that claims to be the company, asked about ("is this
# really from you or a scam?", 是你们发的还是诈骗) or reported ("how do I report a suspicious text that
# says it's from you?"), with nothing clicked, paid, given or taken — a question the bot answers (and
# offers a person), not a fraud case.
_PHISHING_CHECK = compile_guarded(
    r"\b(is|was) (this|it|that)( really| actually| genuinely)? (from|sent by|you)\b|\bor (is it |was it |is this )?(a |an )?"
    r"(scam|phishing|fake|fraud)\b|\b(is|was) (this|it|that)( really| actually| just)? (a |an )?(scam|phishing|fake|fraud)\b"
    r"|\bhow (do|can|should) i report (a |an |this |the )?(suspicious|scam|phishing|fake|fraudulent)\b"
    r"|是(不是)?你们(发|打)的|还是诈骗|是(不是)?诈骗|举报[^。！？]{0,12}(诈骗|钓鱼)(短信|电话|邮件|链接|网站)?",
    re.IGNORECASE)
_SUSPICIOUS_MESSAGE = compile_guarded(r"\b(e-?mails?|texts?|sms|messages?|calls?|links?|letters?|websites?)\b|短信|邮件|电话|链接|消息|网站",
                                 re.IGNORECASE)
# ... and the victim: what the customer did, or what was taken.
_PHISHING_VICTIM = compile_guarded(
    r"\b(i|i'?ve|i have|we)( already| then)? (clicked|entered|gave|given|paid|typed|sent|shared|transferred|downloaded|installed|"
    r"put in|filled|read out|told)\b|\bbefore realis|\bi did (click|pay|enter|give)\b|\b(taken|gone|stolen|drained|took)\b|"
    r"\bnever authori[sz]ed\b|\bhacked\b|\b(quoting|quoted|knew|knows|had|gave) (me )?(my|all my) (exact |full )?(order|address|name|"
    r"details|account|date of birth)|(报出|说出|知道|说对)(了)?我的(订单|地址|姓名|名字|手机号|电话|身份证|购买)"
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
    return bool(_PHISHING_CHECK.search(text) and _SUSPICIOUS_MESSAGE.search(text)) or bool(_FRAUD_COVER.search(text))

# Damaged or missing goods after the usual steps were tried: a problem and a step.
_PROBLEM_GOODS = compile_guarded(
    r"\b(missing|not (arrived|here|received|delivered)|never (arrived|came|received|turned up)|nothing (arrived|came)|"
    r"didn'?t (arrive|come|get it)|hasn'?t (arrived|come|turned up)|isn'?t here|wasn'?t there|"
    r"(got |been |was |is )lost|damaged|broken|smashed|cracked|faulty|defective|dead on arrival|also arrived|"
    r"shattered|dented|a dent|scratched|bent|(marked|says|shows|showing|shown) (as )?delivered|nobody has it|"
    r"(arrived|came|is|was|were|are|got|been) (\w+ )?(torn|ripped|stained|mouldy|moldy|rotten)(?![^.!?]{0,40}\b(style|design|on purpose|meant to be|distressed)\b)|"
    r"(has|with|had) a (hole|tear|rip)|"  # fourteenth pass
    r"only (one|two|half) of|stuck|(hasn'?t|has not|not) (moved|updated|been updated)|no (tracking )?updates?)\b|"
    r"没收到|没到|未收到|丢(了|件|失)|少(了|发)|漏发|破损|坏(了|的)|碎(了)?|摔坏|压坏|磕碰|凹陷|撕破|破了(个|一个)?洞|发霉|刮花|划花|划伤|刮伤|磕破|弄坏|砸(坏|裂|碎)|"
    r"显示(已)?签收|都说没有|查不到|(没|没有|不)(更新|动)了?|卡(住|在)|"
    r"(送到|送达|妥投)(了)?[，,]?\s*(但|可是|可|然而)|都没有|被偷|被拿走|"
    # issue 11, sixth pass: a device that still will not work after the steps
    r"\b(still )?(won'?t|doesn'?t|does not|will not) (turn on|switch on|power on|charge|start up|boot)\b|\bstopped working\b|"
    r"开不了机|不开机|无法开机|充不进电|不通电|裂了|开裂|裂开|裂纹|"
    # issue 11, seventh pass: the fault is still there after a repair or a test
    r"(明明|还是|依然|仍然|照样)(还在|存在|有|没好|不行|坏)|问题(还在|依旧|依然存在)|\b(fault|problem|issue|defect)\b[^.?!]{0,20}\b(is )?still (there|present|happening)\b",
    re.IGNORECASE)
_STEPS_TRIED = compile_guarded(
    r"\b(already|i'?ve (checked|asked|contacted|returned|reported|followed|tried|sent|opened|called|emailed|"
    r"looked)|i (checked|asked|contacted|returned|reported|followed|tried|sent|opened|called|emailed) |"
    r"as (you|the (help|faq|website|page|app)[a-z ]{0,10}) (suggested|said|told|asked|advised|instructed)|"
    r"you (suggested|told me|advised)|followed the|second (time|replacement|one)|the replacement|again|"
    r"no (response|reply|answer)|got no|closed without|looked everywhere|"
    r"(courier|driver|neighbou?rs?|concierge|post office|depot) (confirmed|said|says|told)|asked (both |my |the )?(neighbou?rs?|courier|driver|concierge))\b|"
    r"已经|问过|找过|查过|问了|联系过|联系了|找了|打过|监控|打了[^。！？]{0,8}电话|让我找|按(照)?(你们|客服|页面|流程)|照(你们|客服)|退回去|又(是|坏|破)|第二次|换(的|来的)(新)?(货|也)|"
    r"没(人)?(回复|回应|处理)|没有(回复|回应|处理)|(到现在|至今|一直|迟迟)[^。！？]{0,6}没(有)?人(联系|回电|上门|来)|"
    # issue 11, sixth pass: restarted / reset several times
    r"\b(reset|restarted|rebooted|re-?installed|charged) it (twice|again|\w+ times)\b|(重启|重置|重装|充电)了?(好几|几|两|三)(次|遍)|"
    # issue 11, seventh pass: sent in for repair or testing as asked
    r"按要求|寄回(去)?(检测|维修|返修)|(检测|维修|返修)(过|了|报告|结果)|\b(sent|returned) (it )?(back )?for (repair|testing|inspection)\b",
    re.IGNORECASE)

# issue 11, fifteenth pass: goods that leak, a locker found empty; steps from the guide or the manual
_PROBLEM_GOODS = _either(_PROBLEM_GOODS, compile_guarded(
    r"\b((arrived|came|is|was|still|keeps?) leaking|still leaks|leaks? (everywhere|from))\b(?![^.!?]{0,30}\b(fixed|sorted|resolved)\b)|"
    r"((到了就|一直|还是|还在|又)漏(水|了|油|气)?|漏水)(?![^。！？]{0,20}(修好|好了|解决|没问题|换好))"
    r"|(柜子|箱子|格子|包裹|盒子|快递柜)(里)?(是|竟然是)?空的|\b(locker|box|parcel) (was|is) empty\b",
    re.IGNORECASE))
_STEPS_TRIED = _either(_STEPS_TRIED, compile_guarded(
    r"\b(per|following|according to) (your|the) (troubleshooting |setup |installation )?(guide|instructions|manual|video)\b|"
    r"\bre-?seal(ed)?\b|按(照)?(说明书|教程|视频|指引|提示)|重新(装|安装|开柜|操作|提交|下单|绑定)过|(都|也)(点|试|弄|操作)过了",
    re.IGNORECASE))


# A question for later, not a case now: "投诉的流程是什么样的？以后备用", "just in case".
HYPOTHETICAL = compile_guarded(
    r"(投诉|退款)(的)?(流程|方式|途径|规则)是(什么|怎样)|以后备用|(先)?存着|备用|(我)?(就|只是|先)?了解一下|不是现在|以防万一|以后(用|参考)|明天再来问也行|"
    r"\b(just in case|for future reference|for later|for the future|not right now|hypothetically)\b",
    re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def needs_person_case(text: str) -> str | None:
    """The kind of case a bot must not handle alone that the message names, or None:
    ``fraud`` (unauthorised charge, an order never placed), ``double_charge``
    (charged twice, overcharged, a dispute), ``legal`` (solicitor, court,
    trading standards, 律师, 12315), ``formal_complaint``, ``safety`` (melted,
    smoke, injury), ``after_steps`` (damaged or missing goods after the usual
    steps were tried). A negated phrase ("not a complaint") does not count.

    Args:
        text: the customer's message.

    Returns:
        One of the kinds named above, or None.
    """
    lowered = _NOT_COMPLAINING.sub(" ", _unnegated(text))
    asked_about_fraud = fraud_question(text)
    hazard = _CONDITION.sub(" ", _SAFETY_PRODUCTS.sub(" ", lowered))  # "do you sell smoke alarms?" (eleventh pass), "what if…"
    if _HAZARD_FIGURATIVE.search(hazard) or (_SETTLED.search(hazard) and not (_STILL_HAZARD.search(hazard) or _NOW.search(hazard))):
        hazard = ""  # "on fire today, super fast", a spark plug, 已经换好了 (eleventh pass); "fine ever since" (twelfth)
    for name, pattern in _CASES.items():
        if name == "formal_complaint" and HYPOTHETICAL.search(lowered):
            continue  # how to complain, asked for later
        if name == "safety" and (_SAFETY_ASKED.search(lowered) or _SAFETY_QUESTION.search(lowered)) and not _REACTED.search(lowered):
            continue  # 有安全隐患吗 / 会不会有安全隐患 / 我吃花生会过敏，这款有花生吗: asked before anything happened
        if (name == "fraud" and asked_about_fraud) or (name == "refund_missing" and _NOT_DUE.search(lowered)):
            continue  # "is this text really from you?" with nothing clicked; a refund not due yet (ninth pass)
        if pattern.search(hazard if name == "safety" else lowered):
            return name
    if (_HAZARD_10.search(hazard) or _HAZARD_11.search(hazard)) and (not _HAZARD_NOT.search(hazard) or _STILL_HAZARD.search(hazard)):
        return "safety"  # issue 11, tenth pass: a gas smell, exposed wiring, failing brakes (not once fixed, unless still there)
    if _SAFETY_9.search(hazard) and (_REACTED.search(lowered) or not (_SAFETY_QUESTION.search(lowered) or _SAFETY_ASKED.search(lowered))):
        return "safety"  # issue 11, ninth pass: an allergic reaction, the wrong medicine
    if (reported_hazards(hazard) and not only_asked(lowered)
            and (_REACTED.search(lowered) or not (_SAFETY_QUESTION.search(lowered) or _SAFETY_ASKED.search(lowered)))
            and (not _FIXED.search(hazard) or _STILL_HAZARD.search(hazard) or _NOW.search(hazard)) and not _BUYING.search(hazard)):
        return "safety"  # issue 11, twelfth pass: a thing of a hazard's kind and what went wrong with it (bot.handover.hazards)
    if (_PROBLEM_GOODS.search(lowered) and _STEPS_TRIED.search(lowered)) or _RUNAROUND.search(lowered):
        return "after_steps"
    return None


# "Did anyone look at my request?" asks after a request, "are you a bot or a
# person?" asks what the bot is: neither asks for a person (an intent classifier
# reading ``request_human`` there does not hand over).
_NOT_A_REQUEST = compile_guarded(
    r"\b(did|has|have|had|will|would) (anyone|someone|somebody|any of you|your team)\b[^.?!]{0,40}"
    r"\b(look|looked|check|checked|see|seen|review|reviewed|chance|get back|got back|reply|replied|read)\b|"
    r"有人(看|处理|回复|跟进)(了|过)?(吗|没|嘛)|(是|是不是)(个)?(机器人|机器|ai|AI)还是(真)?人|还是真人|好奇问问|"
    # issue 11, fourth pass: when people are there, not a request for one now
    r"(人工|客服|有人)[^。！？!?]{0,8}(几点|什么时间|什么时候上班|上班|下班|在线时间|工作时间|营业时间)|"
    r"(晚上|周末|节假日|夜里|明天)[^。！？!?]{0,4}(有|有没有)(人工|客服|人)|"
    r"\b(if|when|in case) i (ever )?(need|want) to (speak|talk|chat) to\b|"
    r"\b(are|is) (your|the) (chat |live |support )?(agents|staff|advisors|operators|team|people)( all)? (real|human|actual)\b|"
    r"\b(what time|when|which hours|what hours)\b[^.?!]{0,30}\b(agents?|staff|team|people|phone line|line)\b[^.?!]{0,15}"
    r"\b(open|available|online|work|start|finish)\b|\bis the phone line open\b|"
    # issue 11, seventh pass: whether people are there at other hours, or how long one waits for them
    r"\b(agents?|staff|humans?|people|advisors?|team|live chat|someone|person|phone line|support)\b[^.?!]{0,40}"
    r"\b(in the evenings?|at night|overnight|at weekends|on weekends|on (sundays?|saturdays?|bank holidays)|24/7|24 hours|"
    r"round the clock|out of hours|after hours)\b|"
    r"\b(how long|usual wait|wait time|waiting time|typical wait)\b[^.?!]{0,40}\b(agents?|a person|a human|someone|staff|advisor|"
    r"the phone line|through)\b[^.?!]{0,40}(\?|\bnot now\b|\bplanning\b)|"
    r"(人工|客服|售后|工作人员|真人)[^。！？!?]{0,10}(24小时|二十四小时|全天|周末|周日|周六|星期天|节假日|晚上|夜间|夜里)|"
    r"(周末|周日|周六|星期天|节假日|晚上|夜间|夜里|几点)[^。！？!?]{0,8}(能|可以)?(联系到|找得到|找到|有)(人工|客服|售后|工作人员)",
    re.IGNORECASE)


# "Do you have a person in the evening?" names a person and asks about hours:
# a request only when it also says now / transfer / I want.
_NOW_REQUEST = compile_guarded(r"转|我要|给我|现在|马上|立刻|帮我(找|接)|\b(now|right now|transfer|connect me|put me through)\b",
                          re.IGNORECASE)


_BOT_QUESTION_ZH = compile_guarded(r"(是|是不是)?(个)?(机器人|机器|ai|AI)还是(真)?人|还是真人|(你)?(是|是不是)(个)?真人(吗|嘛)?")


def about_people_hours(text: str) -> bool:
    """True for a question about when people are there ("人工客服几点上班", "is the
    phone line open on Sundays if I need to speak to someone later?") that does
    not ask to be put through now.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    # a question about what the bot is covers only its own words (你是机器人还是真人？我想找真人客服)
    text = _BOT_QUESTION_ZH.sub(" ", ASKS_WHAT_BOT_IS.sub(" ", text or ""))
    now_free = re.sub(r"\bnot (right )?now\b", " ", text, flags=re.IGNORECASE)  # "not now, just planning ahead"
    now_free = _NOTHING_NEEDED.sub(" ", now_free)  # fifteenth pass: "… at weekends? Nothing needed right now."
    if _NOT_A_REQUEST_8.search(text):
        # eighth pass: a question about people ("how long do agents take to reply?", "just wondering")
        # asks for none unless the rest of the message does
        rest = _NOT_A_REQUEST_8.sub(" ", text)
        if not asks_for_person(rest) and not _CONTACT_ME.search(text):
            return True
    asked = bool(_NOT_A_REQUEST.search(text))
    return asked and not _NOW_REQUEST.search(now_free) and not _CONTACT_ME.search(text) and not re.search(
        r"有人(看|处理|回复|跟进)|\b(did|has|have|had) (anyone|someone|somebody)", text, re.IGNORECASE)


# issue 11, seventh pass: "no need to do anything", 不用处理 — a heads-up, not a request.
_NO_ACTION = compile_guarded(r"不用(处理|管|回复|跟进|理会)|无需(处理|回复)|不需要(处理|回复|跟进)|"
                        r"\bno (action|reply|response) (needed|required)\b|\bno need to (do anything|reply|respond|action)\b|"
                        r"\bnothing (for you )?to (do|action)\b", re.IGNORECASE)


# issue 11, tenth pass (an eighth development set by fresh writers, tests/dev8, weighted to requests for a
# person): requests the lists above miss — a specialist, technician, depot or department to speak to, a
# colleague to check, "who can sort this", someone from billing on the phone; 帮我接一下理赔部门, 转投诉专线,
# 有没有专人跟进, 最好有人带我办, 当面说, 找总部的人问, 平台介入, 请人来查, 派个师傅上门, 对接理赔的同事,
# 安排人跟我确认, 搵个识讲粤语嘅客服, zrg.
_ROLE_EN = (r"(specialist|technician|engineer|expert|advisor|adviser|consultant|underwriter|handler|officer|depot|branch|"
            r"office|department|dept|desk|team|driver|courier|colleague|manager|supervisor|fitter|electrician|plumber)")
_ROLE_TARGET = r"(a|an|the|your|one of your|someone (from|in|at) (the|your)) ([a-z]+ ){0,2}"
# After the first review (a fresh reviewer's look-alikes): only in a request frame — not reported speech ("told me to talk
# to the branch"), travel ("get to the branch"), the past ("you connected me to …"), the customer's own colleague or a
# third party who sends someone ("I'll ask a colleague to check", "my landlord will send an engineer"), a relative clause
# ("the guy who can fix it").
PERSON_EN = _either(PERSON_EN, compile_guarded(
    r"(?:^|[.,;!?]\s*|\b(so|but|and|then|ok|okay)\s+)who (can|could|will|would|is going to) (sort|fix|help( me)? with|deal with|"
    r"look (at|into)|handle|resolve|sort out) (this|it|that|my [a-z]+)\b"
    r"|\b((can|could|may|might) (i|we)( please)?|let me|i'?d (like|prefer|rather)( to)?|i (want|need|wish|would like)( to)?|"
    r"is it possible to|please( can i)?) (talk|speak|chat|have a word)( directly)? (to|with) "
    rf"{_ROLE_TARGET}{_ROLE_EN}s?\b"
    rf"|\b(please )?(connect|transfer|pass|put) me( through| over| across)? (to|with) {_ROLE_TARGET}{_ROLE_EN}s?\b"
    r"|\b((can|could|would|will) you( please)?|please|i'?d like you to|i need you to) (get|have|ask|send|arrange for) (a|an|one of your|"
    r"your|some|the) ([a-z]+ )?(colleague|specialist|technician|engineer|expert|manager|supervisor|person|human|staff member|"
    r"member of staff|advisor|adviser|fitter|electrician|plumber|someone)s?( (out|round|over))?( to (check|look|call|ring|contact|"
    r"review|sort|handle|investigate|help|fix|come|visit|inspect|me))?\b"
    r"|\b(could|can|would|will) (a|an|one of your|your) ([a-z]+ )?(technician|engineer|specialist|fitter|electrician|plumber|"
    r"someone|somebody|person) (come|pop|call) (out|round|over|by)\b"
    r"|\b(is there|do you have) (a|an|any) ([a-z]+ )?(specialist|technician|engineer|manager|supervisor|person|someone)\b[^.?!]{0,20}"
    r"\b(i|we) (could|can|might) (have a word|talk|speak)"
    r"|\bhave a word with (someone|somebody|a person|a manager|a supervisor|your|the)\b"
    r"|\bi (want|need|would like|'d like) to (talk|speak) (to|with) (them|him|her)\b"
    r"|\bget (someone|somebody|a person|a human|an agent|a rep|anyone|anybody)( from [a-z ]{1,20}?)? on the (phone|line)\b",
    re.IGNORECASE))
# Chinese: only a request (帮我/麻烦/请/想/要 …), not the past (了/过/已经), an attributive (派的师傅, 对接人员, 安排的人),
# a question of policy (平台介入一般要多久, 当面办理还是网上), a money transfer (把钱转过去), an app page (个人中心).
_REQ_ZH = r"(帮我|麻烦|请|能不能|能否|可以|可不可以|给我|想|要|希望|需要|我要|想要)"
_NOT_ASKED_ZH = r"(?![^。！？]{0,12}(吗|么|嘛|多久|什么|怎么|还是|[?？]))"
PERSON_ZH = _either(PERSON_ZH, compile_guarded(
    r"(帮我|麻烦|请|能不能|能否|可以|可不可以|给我)[^，。！？]{0,3}(接|转|转接)(?![受过账钱款])(一下|到|给)?(你们|贵司)?(的)?[^，。！？\s个]{0,6}"
    r"(部门|专线|热线|售后|专员)(?!号码|电话号|的号|的电话)"
    r"|(帮我|麻烦|请|给我)(?![^，。！？]{0,6}(钱|款|账|卡))[^，。！？]{0,4}转过去"
    rf"|有没有专人|(安排|派|要|需要|希望|想)[^，。！？]{{0,4}}专人(跟进|负责|处理|对接|联系)"
    rf"|最好有人(?!在家){_NOT_ASKED_ZH}|(希望|需要|想)有(个)?人(能|可以)?[^，。！？]{{0,4}}(带|帮|陪|教|指导|跟进|处理){_NOT_ASKED_ZH}"
    rf"|{_REQ_ZH}[^，。！？]{{0,10}}当面(说|谈|沟通|办理|聊)(?![过了]){_NOT_ASKED_ZH}"
    r"|(?<!已经)(?<!上次)(?<!之前)找(?![了过])(你们|贵司)?(的)?[^，。！？了过]{1,6}的人(来)?(问|说|聊|谈|处理|沟通|介入|看|退|解决)(?![了过])"
    rf"|(?<!买家)(?<!卖家)(?<!对方)(申请|要求|我要|想|希望|需要|请)(?!了)[^，。！？]{{0,6}}(平台|人工|客服|你们)(来)?介入(?!过){_NOT_ASKED_ZH}"
    r"|(?<!已经)(?<!已)(请|叫|派|找)(个|一个|一位)?人(来|上门|过来)(?![^，。！？]{0,6}(了|过(?!来)))"
    r"|派(?![了来的])(个|一个|一位)?[^，。！？了的]{0,4}(师傅|技术员|工程师|维修工|维修人员)(?!的)(?![^，。！？]{0,4}(了|过(?!来)))"
    r"|(找|请|叫)(个|一个|一位)[^，。！？了的]{0,4}(师傅|技术员|工程师|维修工|维修人员)(?!的)(?![^，。！？]{0,4}(了|过(?!来)))"
    r"|叫(你们)?(的)?(技术|师傅|工程师|维修)[^，。！？]{0,3}(过来|上门|来)"
    r"|(麻烦|请|帮我|能不能|希望|想|需要)[^，。！？]{0,4}(对接|联系)(一下)?[^，。！？]{0,6}(同事|专员|部门|经理)"
    r"|(想|要|希望)(跟|和|找)负责[^，。！？]{0,6}的人(聊|说|谈|沟通)"
    r"|安排(?![的了过])[^，。！？的]{0,6}(人|经理|主管|专员|客服|同事)[^，。！？]{0,4}(联系|回电|打电话|确认|核实|沟通|对接|跟进|处理)(?![^，。！？]{0,3}(了|过(?!来)))"
    r"|(搵|揾)(?!咗|到)[^，。！？]{0,8}(客服|人|职员)|(会|识)讲[^，。！？]{0,4}(粤语|广东话|方言|英语|英文)[^，。！？]{0,3}(的|嘅)?(客服|人)"
    r"|同[^，。！？]{0,8}(职员|客服|人)倾|有冇人"
    r"|^\W*(zrg|zhuanrengong)\W*$",
    re.IGNORECASE))
NOT_PERSON_ZH = _either(NOT_PERSON_ZH, compile_guarded(r"(不用|不需要|不必|无需|没必要)[^，。！？]{0,4}(介入|安排|专人)"))
# issue 11, thirteenth pass (tests/dev13): "discuss this with a member of staff rather than a bot", 想找销售经理对接一下.
PERSON_EN = _either(PERSON_EN, compile_guarded(
    r"\b(talk|speak|chat|discuss( this| it| that)?|deal|go through( this| it)?|sort( this| it)? out) (with|to) (a |an |one |some |the )?"
    r"(member of staff|staff member|member of (your|the) team)\b"
    r"|\b(person|human|member of staff|staff member|someone|somebody)\b[^.?!]{0,20}\b(rather than|instead of) (a |the |this |your )?"
    r"(bot|chatbot|chat bot|robot|machine|automated)",
    re.IGNORECASE))
PERSON_ZH = _either(PERSON_ZH, compile_guarded(
    r"(?<!不用)(?<!不想)(?<!不要)(?<!别)(?<!不需要)(?<!之前)(?<!昨天)(?<!上次)(?<!听说)(?<!已经)(?<!没)"
    r"(找|联系|对接|约|和|跟|让)(一下)?(你们)?(的)?(销售|客户|售后|门店|酒店|前台|大堂|值班|业务|项目|团购|宴会|活动)(部)?(的)?"
    rf"(?:{HAN.pattern})?(经理|主管|负责人|专员|顾问|店长)(?![^，。！？]{{0,4}}(过|了))(?![^。！]*[？?吗])"))
# issue 11, fourteenth pass (a fresh writer's tests/dev14, read after it was scored untuned): a wish to go
# through something with a person ("I'd feel better talking this through with someone from the special
# assistance team", "could I go over it with one of your advisers"), a team by its short name or a role
# (帮我转给管家或者工程部), a person assigned to check with me (请安排专人跟我核对).
_WITH_SOMEONE_EN = (r"((someone|somebody) (from|in|at|on) (your|the) [a-z ]{0,25}?(team|department|desk|office|staff)|a (real )?(person|human)|"
                    r"one of your [a-z]+|an? (adviser|advisor|agent|colleague|member of staff|staff member|real person)|"
                    r"your (team|staff|advisers|advisors|agents|specialists))")
PERSON_EN = _either(PERSON_EN, compile_guarded(
    r"(?<!n't )(?<!not )\b(prefer|rather|like|love|want|need|feel (better|happier|more comfortable)|be (better|happier|more comfortable)|"
    r"possible|could i|can i|may i|i'?d)\b(?:(?!\b(?:not|never)\b)[^.?!]){0,12}?\b(to )?(talk(ing)?|speak(ing)?|discuss(ing)?|go(ing)? (through|over)|run(ning)? (through|over)|"
    r"chat(ting)?)\b( (this|it|that|things|everything|my [a-z]+|the [a-z]+))?( (through|over))? (with|to) " + _WITH_SOMEONE_EN + r"\b",
    re.IGNORECASE))
PERSON_ZH = _either(PERSON_ZH, compile_guarded(
    r"(?<!上次)(?<!之前)(?<!已经)(帮我|帮忙|麻烦|请|能不能|能否|可以|可不可以|给我)[^，。！？]{0,3}(转|转接|转交)(?![受过账钱款换运寄发放存移让卖])"
    r"(一下|到|给)?(你们|贵司)?(的)?[^，。！？\s个]{0,4}"
    r"((财务|工程|法务|客服|售后|技术|市场|销售|人事|行政|理赔|投诉|风控|运营|业务|维修|安保|保卫|会员|结算|质检|客户服务)部|管家(?![里中])|物业(?!代收|费))"
    r"(?!号码|电话号|的号|的电话)(?![^，。！？]{0,8}(了|过))"
    r"|(安排|派|要|需要|希望|想)[^，。！？]{0,4}专人(跟我|和我|与我|给我)?(核对|核实|确认|沟通|解释|说明|回电|打电话|看)(?![了过])"
    r"(?![^，。！？]{0,4}(吗|么|嘛|[?？]))"
))
# issue 11, fifteenth pass (a fresh writer's tests/dev15, read after it was scored untuned): a role or an employee
# wanted instead of the bot ("my claim reviewed by a claims handler rather than the chatbot", "I'll need an employee
# for this"), a person to e-mail or call ("is there a person I can email directly?"), whoever handles something
# ("put me through to whoever handles warranty claims"), whether a person is there now (有人工吗, 人工在吗, 在线人工有吗);
# a person of the company told about in the past (上次人工客服说…, 之前人工客服帮我登记过了) is no request.
_PEOPLE_15 = (r"(person|human( being)?|someone|somebody|employee|staff member|member of staff|team member|agent|adviser|advisor|"
              r"specialist|handler|claims handler|case handler|underwriter|manager|supervisor|colleague)")
PERSON_EN = _either(PERSON_EN, compile_guarded(
    rf"\b(a|an|one of your|your|real|actual)( [a-z]+)? {_PEOPLE_15}s?\b[^.?!]{{0,20}}\b(rather than|instead of|not) "
    r"(a |the |this |your |an )?(bot|chatbot|chat bot|robot|machine|automated|ai|auto-?reply)\b"
    r"|(?<!n't )(?<!not )\b(need|want|require|would like|'d like)( to have)? (an|a real|an actual|one of your) "
    r"(employee|staff member|member of staff|team member|human being)s? (for this|for that|on this|with this|to (help|look|deal|"
    r"handle|sort|check|review|call|speak|talk|explain))\b"
    r"|\b(is there|do you have|have you got) ((a|an|any) (real |actual )?(person|human|employee|member of staff|staff member)|"
    r"someone|somebody|anyone|anybody) (i|we) (can|could|might) (e-?mail|write to|contact|call|ring|phone|message|reach)\b"
    r"(?![^.?!]*\bor (is it|do i|should i|only|just)\b)"
    r"|\b((can|could|would) you( please)?|please|i'?d like (you )?to|i (want|need) (you )?to)? ?(put|connect|transfer|pass) me"
    r"( through| over| across)? (to|with) (whoever|whomever|the (person|people|one|team) (who|that)|someone who|somebody who) "
    r"(handles?|deals? with|looks? after|is in charge of|are in charge of|is responsible for|are responsible for|manages?|covers?)\b"
    r"|\b(talk|speak|chat) (to|with) (whoever|whomever) (handles|deals with|looks after|is in charge of|is responsible for)\b"
    r"|\b(be|get|being) (transferred|put through|connected|passed) to (whoever|whomever|the (person|people|team) (who|that)|someone who|"
    r"somebody who)\b"
    r"|\bwho (handles|deals with|looks after|is in charge of|is responsible for)\b[^?]{0,60}\?\s*(can|could|may) i (speak|talk|chat) "
    r"(to|with) (them|him|her)\b"
    r"|(?<!\bto )(?<!\bhe )(?<!\bshe )(?<!\bthey )(?<!\bwho )\b(transfer|connect|put|pass|switch) me( through| over| across)? (to|with) (the |your )?"
    r"(billing|claims|accounts|complaints|sales|(technical|tech) support|returns|refunds|warranty|customer (care|service|services)|"
    r"collections|fraud|retentions?|cancellations?|bookings|reservations|lettings|repairs)( (team|department|dept|desk|line|people))?\b",
    re.IGNORECASE))
PERSON_ZH = _either(PERSON_ZH, compile_guarded(
    r"(?<![晚周节夜早])(?<!周末)(?<!晚上)(?<!明天)(?<!夜里)(?<!假日)有(没有)?(在线|真人)?(的)?人工(客服)?(吗|嘛|么|不|没|没有)"
    r"|(?<![晚周节夜早])(在线|真人)?人工(客服)?(在吗|在不在|在嘛|有吗|有没有|有嘛|呢[？?])"
    r"|(?<![晚周节夜早])有没有(在线|真人)?(的)?人工(客服)?(?![费成智])|有(在线)?人工(客服)?的话[^。！？]{0,8}(转|接)"))
_PAST_STAFF_ZH = compile_guarded(
    r"(上次|之前|以前|昨天|前天|刚才|刚刚|那天|当时|上周|上个月|早上|上午|下午)[^，。！？]{0,6}?(的)?(人工客服|人工|客服|客服人员|工作人员)"
    r"(小姐姐|小哥|人员|同事|妹子)?(已经)?(说|讲|告诉|答应|承诺|帮我|帮忙|给我|让我|跟我说|回复|处理|登记|说过)")
# ... unless the message goes on to ask (上次的工作人员帮我解决了，这次能不能再安排他联系我？)
NOT_PERSON_ZH = _either(NOT_PERSON_ZH, compile_guarded(
    _PAST_STAFF_ZH.pattern + r"(?![\s\S]*(能不能|可不可以|能否|麻烦|请|再(安排|找|帮|转)|安排|联系我|回电|转人工|找人工|转接|我要|投诉))"))
_DONE_ZH = compile_guarded(r"(?<![没未说])(?<!没有)(?<!还没)(到账|收到|好|登记|处理好|改好|解决|办好|搞定)(过)?了(?![吗么嘛没])"
                           r"|谢谢(?![^，。！？]{0,4}个鬼)|感谢|点赞")
_NOT_DONE_ZH = compile_guarded(r"(没|未|还没|没有)(收到|到账|到|退|处理|解决)|是否|有没有|生效(了)?(吗|么|没)")
# "nothing needed right now" after a question about people is no "right now" request
_NOTHING_NEEDED = compile_guarded(r"\bnothing (is )?(needed|required|urgent|to do)( (right )?now| for now| at the moment| today)?\b"
                                  r"|\b(just|only) curious\b|\bout of curiosity\b", re.IGNORECASE)
_NO_ACTION = _either(_NO_ACTION, compile_guarded(r"\bnothing (is )?(needed|required)( (right )?now| for now| at the moment)?\b",
                                                 re.IGNORECASE))
# eleventh pass: every way of declining a person bot.nlu.declined knows ("dont transfer me to anyone", 唔使转人工)
NOT_PERSON_EN = _either(NOT_PERSON_EN, DECLINED_PERSON)
NOT_PERSON_ZH = _either(NOT_PERSON_ZH, DECLINED_PERSON)
# "No need for a person, just tell me …", 不用转人工你直接告诉我: the person is named only to be declined
# (bot.nlu.declined: the intent classifier drops its request_human read of such a message too).
_DECLINED_PERSON = DECLINED_PERSON
# Thanks for a problem already solved, asking nothing more (刚才人工客服已经帮我解决了，谢谢你们).
_THANKS_SOLVED = compile_guarded(r"(?<![没未])(?<!没有)(解决了|处理好了|办好了|搞定了|弄好了|修好了)|(?<!not )(?<!isn't )(?<!hasn't been )(?<!not been )"
                            r"\b(sorted|fixed|solved|resolved|all good now|working now)\b", re.IGNORECASE)
_ASKS_MORE = compile_guarded(r"能不能|可不可以|能否|麻烦|请|希望|我想|我要|还想|再(帮|安排|找|转)|[?？]|帮我(?![^。！？，]{0,4}(解决|处理|弄|搞|修|办)(好)?了)|另外|转|现在|还是|结果|但是|不过|可是|"
                        r"说[^。！？]{0,6}(处理好|解决|好了)|"
                        r"\b(can|could|would|please|need|want|but|though|now|let me|put me|connect|transfer|get me|i'?d like|"
                        r"wasn'?t|isn'?t|never|told me|said)\b", re.IGNORECASE)


def thanks_for_solved(text: str) -> bool:
    """True for thanks for a problem already solved that asks nothing more (刚才人工客服已经帮我解决了，
    谢谢你们; "your colleague sorted it yesterday, thanks"): a person named there is thanked, not asked for
    (issue 11, tenth pass).

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = text or ""
    return bool(_THANKS_SOLVED.search(text)) and is_polite(text) and not _ASKS_MORE.search(text)


# A person contacted before, told about and asked for nothing now (上周五我打电话问过你们人工，说…; "I spoke to
# someone on the phone last Tuesday about a replacement card").
_PAST_CONTACT = compile_guarded(
    r"(问过|找过|联系过|打过|咨询过|打电话问过|跟[^，。！？]{0,6}说过)[^，。！？]{0,4}(人工|客服|经理|你们|工作人员|他们)|"
    r"\bi (spoke|talked|chatted) (to|with) (someone|somebody|a person|an agent|your colleague|one of your [a-z]+|a lady|a man|"
    r"a gentleman|her|him|them|a (nice|helpful|lovely) [a-z]+)\b", re.IGNORECASE)
# ... unless what they said did not happen ("they said a supervisor would call, still nothing", 结果一直没人联系).
_UNRESOLVED = compile_guarded(r"\b(still|never|nothing|no one|nobody|yet|again|but|didn'?t|hasn'?t|haven'?t|wasn'?t)\b|还没|没有?(人)?(回|联系|处理|解决|到|打)|"
                         r"一直|仍|依然|结果|但是|可是|不过", re.IGNORECASE)
# A success on a later try is no repeated failure ("third time it worked", "went through on the second try").
_LATER_TRY_WORKED = compile_guarded(
    r"\b(second|third|fourth|fifth|2nd|3rd|4th) (time|try|attempt)( it| that)? (worked|went through|was fine|lucky|did it)\b|"
    r"\b(worked|went through) (on|at) (the )?(second|third|fourth|2nd|3rd|4th) (time|try|attempt|go)\b|\bthird time lucky\b")
# The customer says they understand now (懂了懂了, 原来如此, "ah, that makes sense"): a calm frame.
UNDERSTOOD = compile_guarded(r"懂了|明白了|原来(是这样|如此)|了解了|\b(makes sense|that explains it|i see now|ah,? i see|understood|"
                        r"got it now)\b", re.IGNORECASE)


# How far ahead to book a visit (工作人员上门…一般要提前多久预约?) asks about people, not for one now.
_NOT_A_REQUEST = _either(_NOT_A_REQUEST, compile_guarded(
    r"提前(多久|几天|多长时间)|\bhow (far )?(in advance|ahead)\b", re.IGNORECASE))

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
_HAZARD_NOT = _either(_FIXED, compile_guarded(r"\b(included|insurance|covered (by|under)|cover (for|against|it|this|that))\b|多少钱|保险|"
                                          r"(检查|检测)(服务|项目)", re.IGNORECASE))
# twelfth pass: a past episode that settled ("got really hot last summer but it's been fine since") is no safety
# case for any of the readings, unless the hazard is still there
_SETTLED = compile_guarded(r"\b(it'?s|has|have) been fine (ever )?since\b(?![^.!?]{0,20}\b(until|till|but)\b)|\bfine ever since\b|"
                      r"(之后|后来)(就)?(一直)?(正常|没事|好好的)", re.IGNORECASE)
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
# A charge the customer never made, said as a question (为什么有一笔我没消费的扣款; eleventh pass, a fresh reviewer).
_CASES["fraud"] = _either(_CASES["fraud"], compile_guarded(
    r"(没|没有|从没|从来没)(消费|买|操作|授权|刷)(过)?的(扣款|扣费|扣钱|消费|账单|钱)|"
    r"一笔[^。！？，]{0,4}(没|没有|从没|从来没)(消费|买|操作|授权|刷)(过)?的(?!话)|"
    r"\b(charge|payment|debit)s?\b[^.!?]{0,20}\bi (never|didn'?t|did not) (make|made|authori[sz]e|buy|bought)\b", re.IGNORECASE))
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
_CASES["double_charge"] = _either(_CASES["double_charge"], compile_guarded(
    r"\b(two|2|duplicate|double) (direct debits|debits|payments|charges|transactions)\b[^.?!]{0,40}"
    r"\b(same|leaving|taken|came out|went out|come out|on my (statement|account|bank)|every month)\b"
    r"(?![^?]*\?)(?![^.!]{0,40}\b(one for each|each|set up)\b)", re.IGNORECASE))
_CASES["refund_missing"] = _either(_CASES["refund_missing"], compile_guarded(
    r"\brefund\b[^.?!]{0,40}\b(approved|processed|issued|confirmed|authori[sz]ed)\b[^?!]{0,80}\b(nothing (has )?(come|arrived|"
    r"shown|appeared)|not (come|arrived|shown|appeared|received)|still (not|no|nothing|hasn'?t))", re.IGNORECASE))
_CASES["bereavement"] = _either(_CASES["bereavement"], compile_guarded(
    r"(去世|过世|离世|病故)(?!多年)(?![^\n]{0,40}给自己)(?=[^\n]{0,40}(寿险|保险|理赔|受益人|遗产|继承))", re.IGNORECASE))
# ... and an account taken over (the password or bound phone changed by someone else), another customer's
# details shown (a privacy breach), and harm from a product (both sick after eating it, scorched, a choking
# hazard, 太危险).
_CASES["fraud"] = _either(_CASES["fraud"], compile_guarded(
    r"(密码|绑定(的)?手机(号)?|手机号|邮箱)[^。！？]{0,6}被(人)?(改|换|修改|更换)|(绑定|登录)(的)?(手机|邮箱)(号)?[^。！？]{0,4}(换成|改成)了?[^。！？]{0,4}(不是我|别人|陌生)"
    r"|\b(password|e-?mail|phone number|email address)s?\b[^.?!]{0,30}\b(was|were|has been|have been|got) changed\b[^?!]{0,60}"
    r"\b(didn'?t|did not|wasn'?t me|not me|locked out)\b"
    r"|\bnew (shipping |delivery )?address\b[^.?!]{0,40}\b(on|in|added to) my account\b[^?!]{0,60}\b(orders?|i live|not mine|didn'?t)\b",
    re.IGNORECASE))
_CASES["privacy"] = _either(_CASES["privacy"], compile_guarded(
    r"\b(another|other|someone else'?s|a different) (customer'?s?|person'?s|people'?s|user'?s?)\b[^.?!]{0,20}\b(name|address|phone|"
    r"details|order|data|information|email)"
    r"|(看到|显示|收到)(了)?(别人|其他人|陌生人|其他用户)的?(收货)?(地址|电话|手机号|姓名|名字|订单|信息|身份证)", re.IGNORECASE))
_SAFETY_9 = _either(_SAFETY_9, compile_guarded(
    r"\b(we|i|he|she|they|my [a-z]+)( were| was| got| have been| has been)?( both| all)? (sick|ill|poorly|vomiting)\b[^?]{0,60}"
    r"\b(ate|eating|after|batch|bag)\b|\b(ate|eating|had|drank)\b[^?]{0,60}\b(were|was|got|fell|became)( both| all)? (sick|ill|poorly)\b|\bfood poisoning\b"
    r"|\bchoking hazard\b|\b(scorched|singed|burn(ed|t) (my|his|her|their|a hole))\b"
    r"|烫(焦|伤|坏)|鼓(起来|包)了?|差点[^。！？]{0,8}(吞|放(进)?嘴|噎|烫|割|夹)|太危险|很危险|食物中毒|吃了[^。！？]{0,12}(拉肚子|上吐下泻|吐了|进医院)",
    re.IGNORECASE))
_SAFETY_ASKED = _either(_SAFETY_ASKED, compile_guarded(
    r"\b(is|are|could|would) (it|this|they|the|that|these|those)( [a-z]+){0,2} (a )?(choking|fire|safety|health) (hazard|risk)\b",
    re.IGNORECASE))

# issue 11, thirteenth pass (a fresh writer's tests/dev13, read after it was scored untuned): a charge the
# customer did not agree to or did not get is a billing dispute ("billed for 40 seats … nobody authorised the
# increase", "billed for a filling I didn't have", "charged for the annual plan after cancelling in the
# trial", 被改成了更贵的套餐，我没同意过); a question about such a charge is not.
_CASES["double_charge"] = _either(_CASES["double_charge"], compile_guarded(
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
    re.IGNORECASE))
# ... and asking for a charge to be reviewed or a plan put back is asking for something done.
WANTS_ACTION = _either(WANTS_ACTION, compile_guarded(
    r"\b(like|want|need)\b(?! to (know|ask|check if|see|understand))[^.?!]{0,30}\b(reviewed|re-?checked|adjusted|amended|"
    r"waived)\b|\bplease (review|re-?check|adjust|amend|waive)\b"
    r"|(?:(?<!没有)(?<!没)(?<!不)(?<!你们)要求(恢复|取消|撤销|更正|退还)|(申请|(?<!没有)(?<!没)(?<!不)(?<!你们)要求)(重新)?"
    r"(核对|核查|复核|核实))(?![^。！]*[？?吗吧])",
    re.IGNORECASE))

# Anger the wording makes plain whatever the model reads (a swear word, "a disgrace", "very upset with
# you", an imperative with "!!", 扯淡, 老子, 冤大头, 你们看着办, a one-star review written, 携号转网, mock praise
# before 又): strong, the wording decides (escalation.yml strong_anger_threshold).
_ANGER_10 = compile_guarded(
    r"\b(bullshit|shit|shite|fuck\w*|f\*+(c)?k\w*|f\*+ing|ffs|wtf|pissed( off)?|piss-poor|taking the piss|bollocks|"
    r"disgrace\w*|(very|really|extremely|so) (upset|angry|annoyed) (with|at) (you|your)\b)"
    r"|(?:^|[.,;!?]\s*)screw (you|this|that|it)\b"
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
    r"|(?<!被)(?<!在)抢钱(啊|吗|呢|么|呀|吧)?(?![包的]|活动|红包)|(靠|是)(猜|蒙|瞎猜|拍脑袋)(定|算|收|抄|估)?的(吗|么|嘛|[?？])(?![^。！]{0,8}(了解|请问|想问))"
    r"|就是这么对待(客户|乘客|顾客|用户|消费者|业主|租客|学员)的?|(这|这样)?不是(在)?(欺负|坑|骗|耍|糊弄|折腾|为难)(?!小朋友)[^，。！？]{0,6}(吗|么|嘛)",
    re.IGNORECASE)
# issue 11, fifteenth pass (tests/dev15): rhetorical doubt of the customer's worth or of the bot's understanding ("Do
# you think my time is worthless?", "Can you actually understand English or not?"), being told to answer instead of
# being sent policies, and accusations (玩文字游戏是吧, 你们是不是想吞钱, 就这服务还敢涨价, 等什么？).
_ANGER_15 = compile_guarded(
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
    re.IGNORECASE)
# ... said in jest ("Do you think I'm made of money? Haha, joking, what's the cheapest plan?"): no anger (the review)
_JOKE_15 = compile_guarded(r"\b(haha\w*|lol|joking|jk|kidding)\b|😂|🤣|😆|哈哈|开玩笑", re.IGNORECASE)


def _anger_15(lowered: str) -> bool:
    """``_ANGER_15`` in the lowered text, not said in jest."""
    return bool(_ANGER_15.search(lowered)) and not _JOKE_15.search(lowered)


# ... but not a swear word of delight ("holy shit, a day early, amazing", "the dog's bollocks", "shit happens, no
# worries"), "how is that even possible?" in wonder, nor "!!" beside thanks or good news ("Cancel that, found it!!"),
# nor a negated one ("not pissed off, just curious", "not a disgrace at all").
_DELIGHT = compile_guarded(r"\b(amazing|brilliant|awesome|best|love[ds]?|great|perfect|fantastic|excellent|no worries|happens|dog'?s|"
                      r"cheers|thanks?|thank you|early|legend|wow|impressive|made my day|found it|loved|please|pls)\b", re.IGNORECASE)
_NOT_STRONG = compile_guarded(r"\b(not|never|wasn'?t|isn'?t|aren'?t|weren'?t|no)( (a|at all|even|really|remotely))? "
                         r"(pissed( off)?|a disgrace|disgraceful|(very |really |so )?(upset|angry|annoyed))\b", re.IGNORECASE)
_ENGLISH_STRONG_WORD = compile_guarded(r"\b(bullshit|shit|shite|fuck\w*|f\*+(c)?k\w*|f\*+ing|bollocks|pissed( off)?)\b|"
                                  r"\bhow (is|was|can|could) (that|this|it)|^\W*(answer|listen|read|stop|fix|give|refund|cancel|sort)\b",
                                  re.IGNORECASE)


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
    lowered = _NOT_STRONG.sub(" ", _unnegated(text))
    if _anger_15(lowered):
        return True  # fifteenth pass: "do you think my time is worthless?", 玩文字游戏是吧, 你们是不是想吞钱
    found = _ANGER_10.search(lowered)
    if not found:
        return False
    if _ENGLISH_STRONG_WORD.search(found.group(0)) and _DELIGHT.search(lowered):
        # a swear word, a wondering "how is that even possible" or an imperative beside delight or thanks
        return bool(_ANGER_10.search(lowered[found.end():])) and not _DELIGHT.search(lowered[found.end():])
    return True


# A report_fraud read is a misread when the text thanks or apologises for something found, arrived or
# solved and has no word of fraud, theft or a charge not made (哦哦找到了，放快递柜里了，不好意思哈;
# 到了到了，谢谢你啊): the intent alone is then no complex case. (Any other report_fraud read stays a
# complex case: the intent catches fraud said in ways no word list holds.)
_FRAUD_WORDS = compile_guarded(
    r"\b(fraud\w*|scam\w*|unauthori[sz]ed|stolen|stole|theft|hack\w*|phish\w*|suspicious|identity|impersonat\w*|breach\w*|"
    r"(didn'?t|did not|never) (make|authori[sz]e|buy|order|place|recogni[sz]e|sign up|set up|use|used|open|ask|request)|"
    r"not me|don'?t recogni[sz]e|someone (used|has|took|else|logged|i don'?t know)|compromised|skimm\w*|cloned|"
    r"without (asking|permission|my (knowledge|permission|consent|say)|me knowing)|my (data|details|personal information)|"
    r"another customer'?s|logged in|2fa|one-time|verification code|redeemed|counterfeit|fake)\b"
    r"|盗|骗|诈|未授权|陌生|可疑|不是我|(没|未)(买|消费|授权|操作|下单|点|用|开通)过?|什么(都|也)没(买|操作)|根本没|不认识|被(刷|扣|转走|冒用|人|用)|"
    r"冒用|偷偷|异常|泄露|隐私|莫名|(不是|并非)(她|他|我)(买|操作|消费)的|别人|验证码|登录|补办|补卡|身份证|假货|来源|数据|不知道的|不清楚|境外"
    r"|\b(never heard of|in my name|no idea what)\b",
    re.IGNORECASE)
# issue 11, fourteenth pass (tests/dev14): a question that names no money, charge, card or account is no
# report of fraud either (抱歉又来问了，上次说的试听课，预约成功后会有短信通知吗？ read as report_fraud).
_QUESTION_END = compile_guarded(r"([?？]|(吗|么|嘛)[~～。.!！]*)\s*$")
_MONEY_OR_ACCOUNT = compile_guarded(
    r"\b(charges?|charged|payments?|paid|pay|transactions?|debit\w*|bills?|billed|cards?|money|accounts?|passwords?|"
    r"sign(ed)? in|refund\w*|bank\w*|transfer\w*|purchases?|bought|orders?|subscriptions?|renew\w*|emails?|texts?|calls?|links?|"
    r"log(ged)? ?in(to)?|profile|device|messages?|prize|won|register\w*|sign(ed)? up|number|address|details|changed|name|"
    r"who|someone|somebody|stranger|not mine|isn'?t mine)\b|"
    r"[£$€￥¥]|扣|钱|款|账|费|刷|消费|支付|付|卡|密码|登|余额|积分|转|红包|元|订单|下单|购买|买|订阅|续费|链接|电话|邮件|短信(?!通知)|"
    r"资料|手机号|号码|注册|头像|昵称|地址|信息|设备|中奖|改了|被改|谁|有人|别人|陌生",
    re.IGNORECASE)
_BUT_ALSO = compile_guarded(r"\b(but|however|though|also|another)\b|不过|但是|可是|另外|还有", re.IGNORECASE)
_FOUND = compile_guarded(r"\bfound the (charge|transaction|payment|debit)\b|\bit'?s my [a-z]+'?s\b|\bit was my [a-z]+'?s\b|"
                    r"是我(老公|老婆|家人|孩子|儿子|女儿|爸|妈)[^。！？]{0,4}(买|付|消费|下单)的|找到了|(?<!没)(?<!没有)(?<!还没)到了|看到了|收到了|\b(found it|got it|it'?s (here|arrived)|(has|have) arrived|there it is)\b",
                    re.IGNORECASE)


def fraud_misread(text: str) -> bool:
    """True when a ``report_fraud`` read of the message is plainly the classifier's misread (escalation.yml
    ``complex_intent.needs_wording``; issue 11, tenth pass): thanks or an apology for something found,
    arrived or solved (哦哦找到了…不好意思哈, 到了到了，谢谢你啊, "found it, sorry!") with no word of fraud,
    theft, a charge or login not made, or someone's data (fraud, "I never bought", 盗刷, 没操作过,
    什么都没买, 验证码, 泄露) and naming no fraud case.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = text or ""
    if text.lstrip().startswith("/") or _FRAUD_WORDS.search(text) or needs_person_case(text) == "fraud":
        return False  # a button's payload is the customer's choice; a word of fraud is no misread
    if _QUESTION_END.search(text) and not _MONEY_OR_ACCOUNT.search(text) and not anger_cue(text):
        return True  # fourteenth pass: 抱歉又来问了，试听课预约成功后会有短信通知吗？ — a question of no charge or account
    if _BUT_ALSO.search(text):
        return False  # "found it, thanks! but there's also a payment I've never heard of": more than thanks
    return is_polite(text) and bool(_FOUND.search(text) or _THANKS_SOLVED.search(text) or RESOLVED.search(text.lower()))


def not_a_request(text: str) -> bool:
    """True when the message asks after a request or about what the bot is, or
    when people work, and asks for no person ("sorry to bother you again, did
    anyone look at my exchange?", 你是机器人还是真人?, 人工客服几点上班?): the
    ``request_human`` intent alone does not hand over. Nor does a person named only to be declined
    ("no need for a person, just tell me …", 不用转人工), thanked for a problem already solved, or contacted before
    and only told about (上周五我打电话问过你们人工，说…).

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = text or ""
    if about_people_hours(text):
        return True
    if _NO_ACTION.search(text) and not asks_for_person(text):
        return True  # issue 11, seventh pass: a heads-up that says nothing needs doing
    if _DECLINED_PERSON.search(text) and not asks_for_person(text):
        return True  # issue 11, tenth pass: "no need for a person, just tell me …", 不用转人工
    if thanks_for_solved(text):
        return True  # … and thanks for a problem already solved (刚才人工客服已经帮我解决了，谢谢)
    if _PAST_CONTACT.search(text) and not asks_for_person(text) and not _UNRESOLVED.search(text):
        return True  # … and a person contacted before, told about (上周五我打电话问过你们人工，说…), nothing left undone
    if (_PAST_STAFF_ZH.search(text) and _DONE_ZH.search(text) and not _NOT_DONE_ZH.search(text) and not asks_for_person(text)
            and not _UNRESOLVED.search(text) and not _BROKEN_PROMISE.search(text) and not anger_cue(text)):
        return True  # fifteenth pass: 上次人工客服说三个工作日内退款，今天到账了 — what a person did, told about
    return bool(_NOT_A_REQUEST.search(text) or ASKS_WHAT_BOT_IS.search(text)) and not asks_for_person(text)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def is_polite(text: str) -> bool:
    """True for an apology or thanks.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    return bool(POLITE.search(text or ""))


# "还没到账", "not sorted yet": the resolved word negated (removed before RESOLVED is read).
_NOT_YET = compile_guarded(r"只(有)?(到账|退|收到|到)(了)?|(还|一直|都)?(没|未|没有)(有)?(到账|解决|处理好|送到|收到)|\bnot (yet )?(sorted|fixed|resolved)( yet)?\b")


# issue 11, sixth pass: "later / in the end it came and all is well" in Chinese (后来又送回来了，很满意)
_RESOLVED_LATER_ZH = compile_guarded(r"(后来|最后|最终|结果|还好|幸好|好在)[^。！？!?]{0,20}(送到|送回|送来|收到|到了|解决|好了|满意|没问题|找到|找回)"
                                # issue 11, seventh pass: a scare that ended well
                                r"|虚惊一场|(东西|货|包裹|快递)(都|也)?(没问题|没事|完好)|找回来了")


# issue 11, seventh pass: an apologetic repeat or correction of one's own earlier message
# ("sorry, I meant the other order", 不好意思刚才发错了, 打扰一下再确认一下) needs no person by itself;
# it is a report only when the message names no case (is_report).
APOLOGETIC_REPEAT = compile_guarded(
    r"(抱歉|不好意思|打扰(一下|了)?|对不起)[^。！？!?]{0,16}(没说清楚|说错|发错|打错|写错|填错|问过|再确认|再问|补充|更正)|"
    r"(再|重新)确认一下|补充一下|更正一下|"
    r"\b(sorry|apologies|my bad|oops)\b[^.?!]{0,30}\b(i meant|typo|wrong (photo|picture|order|number|screenshot|file|one)|"
    r"to ask again|to double[- ]check|just to confirm|i sent the wrong|i mixed up|meant to say|to correct)\b",
    re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
def is_report(text: str) -> bool:
    """True when the message reports a problem as sorted or needing no action (a success on a later try and
    an explanation understood included).

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    if _ULTIMATUM.search((text or "").lower()) or (_NOT_COMPLAINING.search((text or "").lower()) and needs_person_case(text)):
        return False  # issue 11, ninth pass: "just letting you know … small claims court if it isn't settled by the 30th"
    lowered = _NOT_YET.sub(" ", _NOT_YET_8.sub(" ", _PROMISED.sub(" ", (text or "").lower())))
    # "no need for a person, there's a charge I never made": the person is declined, not the action (eleventh pass)
    lowered = DECLINED_PERSON.sub(" ", lowered)
    not_complaining = (_NOT_COMPLAINING.search(lowered) and not _STILL_ASKS.search(_NOT_COMPLAINING.sub(" ", lowered))
                       and needs_person_case(text) is None)
    return bool(not_complaining or HEADS_UP.search(lowered) or RESOLVED.search(lowered) or NEGATED_EMOTION.search(lowered) or _REPORT_8.search(lowered)
                or HYPOTHETICAL.search(lowered) or _RESOLVED_LATER_ZH.search(lowered)
                or (fraud_question(text) and needs_person_case(text) is None)
                or (APOLOGETIC_REPEAT.search(lowered) and needs_person_case(text) is None)
                # tenth pass: "third time it worked", 懂了懂了，那下个月再转 — it ended well or was explained
                or ((_LATER_TRY_WORKED.search(lowered) or UNDERSTOOD.search(lowered)) and needs_person_case(text) is None))


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


# issue 11, seventh pass: short anger whose wording alone makes it plain, which the model scores low
# (Chinese rhetorical doubt, verdicts and internet slang, "stop answering something I didn't ask",
# thanks beside a repeat or a delay); strong_sarcasm lets it decide like plain mock praise.
# A second or later time or day (第三次, 第2天); 第一次 ("the first time") counts no repeat (tests/dev14:
# 谢谢…宝宝第一次坐飞机 is thanks).
_REPEAT_COUNT = r"(第(?![一1](?![0-9一二三四五六七八九十]))[0-9一二三四五六七八九十几]+(次|天|遍|回)|第[一1]次(见|遇到|碰到))"
_PLAIN_ANGER = compile_guarded(
    r"吗[？?]\s*(能|会|行|有用|是)吗[？?]|也好意思|(承诺|说好|答应|保证)的[^，。！？?]{1,10}呢[？?]|"
    r"((钱|款)(都)?(收|付|扣)了|(付|交|收|扣)了(钱|款))[^。！？]{0,4}(货|东西|人|服务)呢|(你们)?有(没有)?人(看|回|理)(一下)?(消息|留言|我)?(吗|没有)[？?]|"
    r"太坑|真坑|坑死|被坑|破防|吐了|\byue\b|yue了|什么玩意|啥玩意|辣鸡|智商税|割韭菜|"
    r"你看清楚|看清楚(我|问题)|答非所问|我(没|没有)问(你)?(这个|常见问题|这些)|"
    r"(谢谢|感谢|真棒|太棒|真好|真行|厉害|佩服|有心|贴心)[^。！？]{0,24}(又(等|是|发|给|来)|" + _REPEAT_COUNT + r"|"
    r"同一(条|句|个回复|段)|才到|过完)|(又(等|是|发|给)|" + _REPEAT_COUNT + r"|同一(条|句|段)|才到)[^。！？]{0,24}"
    r"(谢谢你们|感谢你们|真棒|真有心|真贴心|真用心|有心了|真行|厉害)|"
    r"^\W*(brilliant|great|perfect|fantastic|lovely|wonderful|superb|marvellous)[.!]+\s+[^!?]{0,80}"
    r"\b(on hold|to be told|again|still (no|not|waiting))\b",
    re.IGNORECASE)
_PLAIN_ANGER = _either(_PLAIN_ANGER, _PLAIN_ANGER_MORE)  # issue 11, eighth pass
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
    lowered = _unnegated(text)
    if HYPOTHETICAL.search(lowered):
        return False
    if not _PLAIN_ANGER.search(lowered):
        return False
    return not _MEANT_PRAISE.search(lowered)


# A bare "now" or "today" after one of these tells a state ("it's here now"), not a demand.
_STATE_WORDS = {"here", "there", "arrived", "working", "works", "fine", "ok", "okay", "sorted", "fixed"}


def _demands(lowered: str) -> bool:
    """The lexicon's DEMAND in the wording, except a bare "now" after a state ("it's here now", "works
    now": issue 11, eighth pass). A bare "today" in a question ("could you ship it today?") still counts:
    on the development sets it carried more real anger and unflagged cases than calm questions."""
    for match in DEMAND.finditer(lowered):
        before = lowered[: match.start()].split()[-1:]
        if match.group(0) == "now" and before and before[0] in _STATE_WORDS:
            continue
        return True
    return False


# Thanks the lexicon reads as sarcasm beside a problem ("3 weeks late, really appreciated"); without a
# problem word they are thanks.
_THANKS_NOT_SARCASM = compile_guarded(r"\b(really appreciated|thanks a bunch|cheers for (that|the update)|no problem at all)\b")
# ... which are thanks beside something done well ("thanks for sorting the refund so quickly").
_GENUINE_THANKS = compile_guarded(r"\b(thanks|thank you|cheers)( so much| very much| a lot| again)? (for|to you for) (sorting|fixing|helping|"
                             r"resolving|getting|sending|processing|replacing|refunding|the quick|the fast|your help|being)\b|"
                             r"\bso (quickly|fast|promptly)\b")
# "right now" that belongs to "am I talking to a real person right now?"
_BOT_QUESTION_NOW = compile_guarded(f"(?:{ASKS_WHAT_BOT_IS.pattern})\\s*(right )?now\\b", re.IGNORECASE)


@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and the other readings ask again
@lru_cache(maxsize=1024)  # pure on the text; Turn.from_text and fraud_misread both ask
def anger_cue(text: str) -> bool:
    """True when the wording itself carries anger: sarcasm, rhetorical doubt,
    a demand, "same help again", an angry word, "!!" or a shouted word.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = text or ""
    lowered = _unnegated(text)  # "not upset", 没生气: no angry word
    if HYPOTHETICAL.search(lowered):  # 投诉的流程…以后备用: the word asked about, not felt
        lowered = lowered.replace("投诉", " ")
    # issue 11, seventh pass: "not now" (later, planning ahead) and 还没穿过 (not worn yet) carry no anger
    lowered = re.sub(r"\bnot (right )?now\b|还没(穿|用|拆|开封|洗|戴|使用|安装)过?", " ", lowered)
    lowered = _NOTHING_NEEDED.sub(" ", lowered)  # fifteenth pass: "nothing needed right now" is no urgency
    # issue 11, ninth pass: "a scam?" asked of a message (fraud_question), "right now" in "am I talking to a
    # real person right now?", and thanks with no problem beside it ("really appreciated") carry no anger
    if fraud_question(text):
        lowered = _PHISHING_CHECK.sub(" ", lowered)
    lowered = _BOT_QUESTION_NOW.sub(" ", _NOT_COMPLAINING.sub(" ", lowered))
    lowered = _LATER_TRY_WORKED.sub(" ", lowered)  # tenth pass: "third time it worked" is no "third time"
    # ... nor a farewell's "today" / "now" ("that's all for today", "bye for now")
    lowered = re.sub(r"\b(that'?s|that is|that'?ll be|this is) (all|it|everything) for (today|now)\b|\b(bye|cheers|thanks) for now\b",
                     " ", lowered)
    if _GENUINE_THANKS.search(lowered) and not PROBLEM.search(lowered):
        lowered = _THANKS_NOT_SARCASM.sub(" ", lowered)
    if (plain_anger(text) or _ANGER_SEVENTH.search(lowered) or _BROKEN_PROMISE.search(lowered) or _ANGER_8.search(lowered)
            or _ANGER_9.search(lowered) or _ULTIMATUM.search(lowered) or _ANGER_10.search(lowered)
            or _ANGER_14.search(lowered) or _anger_15(lowered)):
        return True
    if _FELT_ANGER.search(lowered) and not (re.search(r"\b(at|with|in) myself\b|自己", lowered) or RESOLVED.search(lowered)
                                            or _RESOLVED_LATER_ZH.search(lowered) or _REPORT_8.search(lowered)):
        return True
    return bool(
        SARCASM.search(lowered) or _SCARE_QUOTES.search(lowered) or RHETORICAL.search(lowered) or _demands(lowered) or REPEAT_HELP.search(lowered)
        or ANGRY_WORD_EN.search(lowered) or any(w in lowered for w in ANGRY_WORDS_ZH)
        or re.search(r"[!！]{2,}|\b[A-Z]{4,}\b", text) or _ANGER_EXTRA.search(lowered) or _STRONG_SARCASM.search(lowered)
        or _sarcasm_beside_a_problem(lowered) or _closing_praise_after_a_problem(lowered)
    )


# issue 11, sixth pass: a calm how-to question about a problem ("the reset e-mail isn't coming, what
# should I do?", 支付失败怎么办, "my card was declined, what are my options?") asks to be helped, and
# is by the label definitions a plain question about an order, account or payment.
CALM_QUESTION = compile_guarded(
    r"\b(what should i do|what do i do( now)?|what can i do|what are my options|how (do|can|should) i|"
    r"is there (another|a|any|an other) (way|option)|should i (wait|try|just)|do i need to|is (that|this|it) normal|"
    r"could it (have|be)|can i still|can (it|they|you) (be )?(send|sent|resend|re-?sent)|any (idea|ideas) why|"
    r"(do|does|can|could) (you|u|your (shop|store|site|app|website|company)) (take|accept|support|offer|ship|deliver|sell|stock|"
    r"have (it|this|them|these|that|any|a|an|the|other)\b(?! idea)))\b"
    r"|怎么办|该怎么|要怎么|如何|怎么(弄|操作|改|查|重置|登录|处理|解决)|正常吗|还能[^，。！？]{0,8}吗|"
    r"可以[^，。！？]{0,12}吗|是不是[^，。！？]{0,10}(问题|原因)|请问|"
    # issue 11, seventh pass: "how come?" about a problem (支付失败…怎么回事) with no anger in the wording
    r"怎么回事|是什么原因|什么原因|"
    # issue 11, ninth pass: "how long does standard delivery take?" (typed "hw long …" too)
    r"\bh(o)?w long (does|do|will|would|should|is|are)\b[^.?!]{0,40}\b(take|last|be)\b",
    re.IGNORECASE)


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
    r"^\W*(oh |wow,? |ah )?(great|perfect|lovely|wonderful|brilliant|fantastic|awesome|super|nice|excellent|amazing|good)\W+"
    r"(just )?(yet )?another\b[^.!?]{0,40}\b(wait\w*|delay\w*|excuse\w*|email|update|apolog\w*|sorry|bot|week|day|month|hold)"
    r"|^\W*(?P<praise>lovely|great|perfect|brilliant|wonderful|fantastic|marvellous|super|nice)[.!,]*\s+just (?P=praise)([.!…]+\s*|\W*$)"
    r"|呵呵|双叒叕|真有你们的|不愧是你们|我都习惯了|会谢|谢谢你们全家|佩服佩服|厉害厉害|真(是)?感人",
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
                     r"真(是|大方|贴心|快|有效率)|可真|🙂|🙃|[0-9一二三四五六七八九十两半]+(天|周|个月|星期|小时)了", re.IGNORECASE)



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
    text = text or ""
    lowered = _unnegated(text)
    if HYPOTHETICAL.search(lowered):
        return False
    if _STRONG_SARCASM.search(lowered) or plain_anger(text):
        return True
    if _sarcasm_beside_a_problem(lowered) or _closing_praise_after_a_problem(lowered):
        return True
    return (bool(_SCARE_QUOTES.search(lowered)) and not _WORKED_OUT.search(lowered) and not re.search(r"[?？]", text)
            and not re.search(r"(\b(click\w*|tap\w*|press\w*|select\w*|chose|choose|went to|go to|open\w*)|点击?|点了|选择?)\s*['‘“\"「]",
                              lowered)
            and bool(_IRONIC.search(lowered) or PROBLEM.search(lowered)))


# issue 11, sixth pass: a compliment ("you're pretty helpful for a bot", "that was quick, nice one") is
# calm unless the wording carries anger (an eye-roll, capitals, "!!", sarcasm: anger_cue).
COMPLIMENT = compile_guarded(
    r"\b(you'?re|you are|ur|u r|that'?s|that was|this is|this was) (pretty |quite |really |very |so |super |actually |"
    r"surprisingly |rather )?(helpful|smart|clever|quick|fast|useful|nice|funny|good|great|brilliant|lovely|kind|polite)\b",
    re.IGNORECASE)


def calm_question(text: str) -> bool:
    """True for a how-to question about a problem with no anger in the wording ("my card was
    declined, what should I do?", 支付失败怎么办?): it asks to be helped.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    text = text or ""
    return bool(CALM_QUESTION.search(text)) and not anger_cue(text)


# issue 11, seventh pass: a problem the customer is not sure of yet (我的包裹好像被放错了地方, "I think
# the parcel went to my old address") is told calmly unless the wording carries anger.
HEDGED = compile_guarded(r"好像|似乎|貌似|\b(i think|i believe|it seems|seems to|might have|may have)\b", re.IGNORECASE)


def calm_framing(text: str) -> bool:
    """True for a calm frame with no anger in the wording: a report that is
    sorted or needs nothing, a negated emotion ("not upset, just unsure"),
    an apology or thanks ("sorry to ask again"), a calm how-to question
    about a problem (:func:`calm_question`), a compliment ("you're pretty helpful for a bot"), or a hedged report of a
    problem not yet sure (好像, "I think it went to my old address"), or understanding said (懂了懂了, "ah,
    that makes sense"; tenth pass), or a person declined ("I don't need anyone to call me, just tell me …";
    eleventh pass). escalation.yml's
    ``calm_framing_threshold`` then applies to the one-message trigger.

    Args:
        text: the customer's message.

    Returns:
        True or False.
    """
    return (is_report(text) or is_polite(text) or bool(CALM_QUESTION.search(text or "")) or bool(COMPLIMENT.search(text or ""))
            or bool(HEDGED.search(text or "")) or bool(UNDERSTOOD.search(text or ""))
            or bool(DECLINED_PERSON.search(text or ""))) and not anger_cue(text)


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
    if not MILD_IRRITATION.search(text) or _STRONG.search(text) or _LETDOWN.search(text) or strong_anger(text):
        return False
    # issue 11, sixth pass: 还没 ("not yet") is what the softened irritation is about (退款怎么还没到，有点着急),
    # not anger of its own
    return not anger_cue(MILD_IRRITATION.sub(" ", text).replace("还没", "没"))


# Strong words that no softener makes mild (beside the lexicon's angry words).
_STRONG = compile_guarded(r"\b(disgrace\w*|appalling|outrag\w*|unacceptabl\w*|furious|livid|scandal\w*|shocking)\b|太过分|欺人太甚",
                     re.IGNORECASE)
