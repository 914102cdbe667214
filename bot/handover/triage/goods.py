"""Goods with a problem: damaged, wrong, missing, lost, never came, late, faulty (issue 11) — one reading, two readers.

:func:`goods_problem` is what both read:

- ``needs_person_case`` (``cases``): ``after_steps``, a problem with the goods after the usual steps were tried
  (:data:`STEPS_TRIED`: "I already asked the courier", 问过快递员, "the replacement", 第二次);
- ``reports_problem`` (``actions/handoff.py``): while a case waits for a call-back, a message reporting such a
  problem is for the colleague, not answered with the order's status.

Until the eighteenth pass each kept its own table (``DAMAGED`` / ``NOT_ARRIVED`` / ``NOT_GOODS`` in
``actions/handoff.py``, ``_PROBLEM_GOODS`` in ``cases``) and they drifted apart: "破损", "少发", "faulty" were
read by one, "late", "迟迟不到", "stolen" by the other. The tables here are their union: every phrasing either
read is kept, in one of two tiers:

- :data:`GOODS_PROBLEM`: phrasings that name a problem on their own ("arrived broken", "never came", "is
  delayed", 破损, 少发, 没收到, 迟迟不到, "stopped working", 漏水);
- :data:`GOODS_PROBLEM_BESIDE_STEPS`: phrasings that are a problem only beside steps tried, else a question or
  something else ("has it been marked delivered yet?", 显示签收了吗, "I'm stuck", 卡住, 查不到订单号, 还是有货吗;
  "tracking says delivered, I've asked the neighbours" is one);

and :data:`NOT_GOODS` is taken out first: what is lost, missing or not received but is no goods (an order number,
a code, a receipt: "I lost the order number", 我把单号丢了, "I didn't get the reset code").
"""
from __future__ import annotations

import re

from bot.handover.triage.common import one_of
from bot.text import compile_guarded

# ---- phrasings that name a problem on their own ----------------------------------------------------------------
# Goods reported damaged or wrong (issue 11 sixteenth pass, a fresh new user's finding; actions/handoff.py DAMAGED).
# A leak said to be fixed is none (the fifteenth pass's guard, which the after-steps reading had: "水管漏了一点，已经修好了").
_DAMAGED = compile_guarded(
    r"\b(broken|broke|damaged|cracked|smashed|dented|shattered|wrong (item|size|colou?r|product|one)|"
    r"missing (parts?|pieces?|items?))\b|\bleak(s|ing|ed)?\b(?![^.!?]{0,30}\b(fixed|sorted|resolved)\b)|"
    r"坏了|破了|碎了|漏了(?![^。！？]{0,20}(修好|好了|解决|没问题|换好))|发错|少了|不能用", re.IGNORECASE)
# Goods reported not come, lost or late (issue 11 seventeenth pass, a fresh new user's finding: "about order
# QX-100003, it never came", "QX-100003 still missing"; a reviewer's: "I haven't received it", "is delayed", "hasn't
# shipped yet", 没到, 收不到, 还没发货, 物流一直不动; actions/handoff.py NOT_ARRIVED). "Marked / says delivered", 显示签收
# count here only with a "but" or a "not" clause after them.
_NOT = r"(has|have|had|did|does|do|is|are|was|were)(n'?t| not)"
_NOT_ARRIVED = compile_guarded(
    r"\b(never (came|arrived|turned up|showed up|got here|got delivered|got|gotten|received|shipped)|"
    rf"{_NOT} (yet |even |still )?(been )?(arrived?|come|turned up|showed up|shown up|got here|here|delivered|"
    r"received?|gotten|got (it|them|my|the|anything)|get (it|them|my|the|anything)|shipped|dispatched|"
    r"updated|moved|moving)|"
    r"not (yet )?(arrived|received|delivered|here)|"
    r"missing|(is|are|was|were|been|got|went|gone|seems?) (\w+ )?lost|lost (in|by) (the )?(post|mail|transit|courier)|"
    r"(is|are|was|were|running|arrived|came|been|got|getting) (\w+ )?(late|delayed|overdue)|overdue|"
    r"stuck (in|at) (the )?(customs|transit|depot|warehouse|hub|sorting|post office)|"
    r"(says|say|said|shows|showing|shown|marked|listed|status is)\b.{0,40}\bdelivered\b.{0,60}"
    r"\b(but|though|although|however|yet (i|we|it|nothing)|n'?t|not|never|no one|nobody|nothing)\b|"
    r"nothing (came|arrived)|stolen|empty (box|parcel|package))\b|"
    r"(没|没有|未)(有)?(到|收到|拿到|到货|送到|送来)|收不到|还没(有)?到|一直没(有)?(到|来|送)|(?<!发)(没|没有|未)(有)?发货|"
    r"延误|延迟|迟迟|(一直|好几天|几天)(都)?(不动|没动)|不动了|没(有)?动静|(没|不|未)(有)?更新|"
    r"(快递|包裹|货|件|东西|订单|商品|邮包)(被|给)?(弄|搞)?丢|丢件|被偷|"
    r"(显示|说|写着|提示)(已|已经)?签收.{0,20}(但|可是|却|没|未|不)", re.IGNORECASE)
# Damaged or missing goods, a device that will not work (cases._PROBLEM_GOODS, the after-steps case's own table from
# the first pass on; the sixth pass's device that still will not start, the seventh's fault still there after a
# repair, the fourteenth's hole or tear).
_PROBLEM_GOODS = compile_guarded(
    r"\b(missing|not (arrived|here|received|delivered)|never (arrived|came|received|turned up)|nothing (arrived|came)|"
    r"didn'?t (arrive|come|get it)|hasn'?t (arrived|come|turned up)|isn'?t here|wasn'?t there|"
    r"(got |been |was |is )lost|damaged|broken|smashed|cracked|faulty|defective|dead on arrival|"
    r"shattered|dented|a dent|scratched|bent|nobody has it|"
    r"(arrived|came|is|was|were|are|got|been) (\w+ )?(torn|ripped|stained|mouldy|moldy|rotten)(?![^.!?]{0,40}\b(style|design|on purpose|meant to be|distressed)\b)|"
    r"(has|with|had) a (hole|tear|rip)|"  # fourteenth pass
    r"(hasn'?t|has not|not) (moved|updated|been updated)|no (tracking )?updates?)\b|"
    r"没收到|没到|未收到|丢(了|件|失)|少(了|发)|漏发|破损|坏了|(?<!最)坏的|碎了|摔坏|压坏|磕碰|凹陷|撕破|破了(个|一个)?洞|发霉|刮花|划花|划伤|刮伤|磕破|弄坏|砸(坏|裂|碎)|"
    r"都说没有|(没|没有|不)更新了?|"
    r"(送到|送达|妥投)(了)?[，,]?\s*(但|可是|可|然而)|被偷|被拿走|"
    # issue 11, sixth pass: a device that still will not work after the steps
    r"\b(still )?(won'?t|doesn'?t|does not|will not) (turn on|switch on|power on|charge|start up|boot)\b|\bstopped working\b|"
    r"开不了机|不开机|无法开机|充不进电|不通电|裂了|开裂|裂开|裂纹|"
    # issue 11, seventh pass: the fault is still there after a repair or a test
    r"问题(还在|依旧|依然存在)|\b(fault|problem|issue|defect)\b[^.?!]{0,20}\b(is )?still (there|present|happening)\b",
    re.IGNORECASE)
# issue 11, fifteenth pass: goods that leak, a locker found empty
_LEAKING_OR_EMPTY = compile_guarded(
    r"\b((arrived|came|is|was|still|keeps?) leaking|still leaks|leaks? (everywhere|from))\b(?![^.!?]{0,30}\b(fixed|sorted|resolved)\b)|"
    r"((到了就|一直|还是|还在|又)漏(水|了|油|气)?|漏水)(?![^。！？]{0,20}(修好|好了|解决|没问题|换好))"
    r"|(柜子|箱子|格子|包裹|盒子|快递柜)(里)?(是|竟然是)?空的|\b(locker|box|parcel) (was|is) empty\b",
    re.IGNORECASE)
# issue 11, eighteenth pass (tests/dev19): goods that came warped, snapped, chipped or crushed ("The printed parts … came warped",
# "arrived with a snapped trunk", "came with a leg snapped"); not asked about ("Are they crushed or whole?"), nor a style ("jeans with a
# split hem"), nor an old one replaced ("My old mug was chipped so I ordered a new one")
_WARPED = compile_guarded(r"\b(arrived|came|is|was|were|got|been|it'?s|they'?re)( \w+){0,2} (warped|snapped|chipped|crushed|buckled|squashed|"
                          r"wilted|shattered)\b(?![^.!?]*\?)(?![^.!?]{0,20}\bso (i|we) (ordered|bought)\b)"
                          r"|\b(with|has|had) (a|the|one) (snapped|broken|cracked|chipped) [a-z]+\b(?![^.!?]*\?)"
                          r"|\bwith (a|the|one) [a-z]+ (snapped|broken|cracked|chipped|warped|bent)\b(?![^.!?]*\?)", re.IGNORECASE)

#: Phrasings that name a problem with the goods on their own (en + zh): damaged or wrong, missing or lost, never
#: came or not received, late or not shipped, tracking not moving, "says delivered but …", stolen, faulty, leaking,
#: an empty locker. A compiled pattern (``re.IGNORECASE``); search it on text :data:`NOT_GOODS` was taken out of.
GOODS_PROBLEM = one_of(_DAMAGED, _NOT_ARRIVED, _PROBLEM_GOODS, _LEAKING_OR_EMPTY, _WARPED)

#: Phrasings that are a goods problem only beside steps tried (:data:`STEPS_TRIED`), a question or something else
#: without: "(marked|says|shows) delivered", 显示(已)签收, "also arrived" (the replacement), "only one of", "stuck",
#: 卡住/卡在, 查不到, 都没有, (没|不)动, a bare 碎, 坏的 (最坏的情况: the worst case), 还是 / 依然 … 有 / 不行 / 坏 (still
#: faulty after a repair; 还是有货吗 is a question). From ``cases._PROBLEM_GOODS``, which read them beside steps only.
GOODS_PROBLEM_BESIDE_STEPS = compile_guarded(
    r"\b(also arrived|(marked|says|shows|showing|shown) (as )?delivered|only (one|two|half) of|stuck)\b|"
    r"显示(已)?签收|查不到|(没|没有|不)动了?|卡(住|在)|都没有|碎|坏的|"
    r"(明明|还是|依然|仍然|照样)(还在|存在|有|没好|不行|坏)",
    re.IGNORECASE)

#: What is lost, missing or not received but is not the goods: an order number, a code, a receipt, an e-mail ("I lost
#: the order number, what's the status of QX-100003", 我把单号丢了, "I didn't get the reset code"). Taken out (replaced
#: by a space) before the goods tables look.
NOT_GOODS = compile_guarded(
    r"\b(lost|misplaced|forgot(ten)?|can'?t find) (my |the |our |that )?(order |tracking |reference |confirmation )?"
    r"(number|no\.?|code|receipt|e-?mail|link|password|invoice|details)\b|"
    r"\b(order |tracking |reference |confirmation )?(number|code|receipt|e-?mail|link|password|invoice|details) "
    r"(is |are |was |were |has been |have been |went |got )?(still )?(missing|lost)\b|"
    r"(n'?t|\bnot|\bnever) (yet |even )?(been )?(received?|gotten|got|get|sent)( (me|us))? (the |my |a |any |your |that )?"
    r"(one-time |verification |reset |confirmation |login )?(code|e-?mail|sms|text|link|otp|password)\b|"
    r"(把)?(订单号|单号|快递单号|运单号|验证码|密码|发票|小票|收据)(给|被)?(弄|搞)?(丢|找不到)|"
    r"((没|没有|未)(有)?(收到|拿到)|收不到)(验证码|邮件|短信|链接|密码)", re.IGNORECASE)

#: Steps the customer already tried (en + zh): checked, asked, contacted, returned, followed the guide, the second
#: replacement, no reply, the courier or the neighbours asked, restarted several times, sent in for repair (问过,
#: 联系过, 已经, 第二次, 按说明书, 寄回检测 …). With a goods problem it makes the ``after_steps`` case.
STEPS_TRIED = one_of(
    compile_guarded(
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
        re.IGNORECASE),
    compile_guarded(
        r"\b(per|following|according to) (your|the) (troubleshooting |setup |installation )?(guide|instructions|manual|video)\b|"
        r"\bre-?seal(ed)?\b|按(照)?(说明书|教程|视频|指引|提示)|重新(装|安装|开柜|操作|提交|下单|绑定)过|(都|也)(点|试|弄|操作)过了",
        re.IGNORECASE),
)


def goods_problem(text: str) -> bool:
    """Whether a message reports a problem with the goods: a phrasing of :data:`GOODS_PROBLEM`, or one of
    :data:`GOODS_PROBLEM_BESIDE_STEPS` in a message that also names steps tried (:data:`STEPS_TRIED`), once what is
    no goods (:data:`NOT_GOODS`: an order number, a code) is taken out. "My order QX-100003 arrived broken", "it
    never came", 迟迟不到, 少发了一件: yes; "what's the status of QX-100003", "has it been marked delivered yet?",
    "I lost the order number", 显示签收了吗: no.

    Args:
        text: the customer's message, as written or lowered (None reads as empty).

    Returns:
        True when it names such a problem.
    """
    plain = NOT_GOODS.sub(" ", text or "")
    return bool(GOODS_PROBLEM.search(plain)
                or (GOODS_PROBLEM_BESIDE_STEPS.search(plain) and STEPS_TRIED.search(plain)))
