"""A person named only to be declined: "no need for a person, just tell me my bill date",
不用转人工，告诉我账单日期就行. Such a message is not a request for a person whatever the intent
classifier reads (it reads the person words and says ``request_human``): the classifier drops that
intent (:func:`without_declined_request`) so the rest of the message is answered, and the
hand-over rules (bot.handover.triage) do not count it as a request.
"""
from __future__ import annotations

import re
from typing import Dict, List, Sequence

from bot.text import compile_guarded

#: The declining phrase: "no need for / don't need (a) person, human, agent", 不用/不需要/无需 (转)人工/真人/客服.
DECLINED_PERSON = compile_guarded(
    r"\b(no need for|don'?t need|do not need|no need to (talk|speak) to)( a| an| the| any)? (person|human|agent|someone|anyone)\b"
    r"|(不用|不需要|不必|无需|没必要)(转|找|联系)?(人工|真人|客服)"
    # eleventh pass (a fresh reviewer): "dont transfer me to anyone", "I don't want to talk to a person", "no human thx",
    # "don't get a human", 我不想跟人说话, 唔使转人工, 唔该唔使搵真人, 不用给我转客服
    r"|\b(don'?t|dont|do not|no need to|never) (transfer|connect|pass|put|send|hand|forward) (me |this )?(on |over |through )?"
    r"(to )?(anyone|anybody|someone|somebody|a (person|human|agent|colleague)|an agent|staff|humans?)\b"
    r"|\b(don'?t|dont|do not) (get|give|find) (me )?(a |an )?(human|person|agent|someone)\b"
    r"|\bi (don'?t|dont|do not) want (to (talk|speak|chat) (to|with) )?(a |an |any )?(real )?(person|human|agent|anyone|someone|people)\b"
    r"|\bno (human|agent|person)s?\b(?=\s*(please|pls|thx|thanks|needed|necessary)\b|\s*[,.!;]|\s*$)"
    r"|(不用|不需要|不必|无需|没必要|别|不要|唔使|唔洗|唔需要|唔好)(给我|帮我|同我|替我)?(转|找|搵|联系|接|转接)(给)?(人工|真人|客服)"
    r"|\bi (don'?t|dont|do not) need (a |an |any )?(staff|rep|representative|real person|human being)\b"
    r"|\bnot looking for (a |an )?(real )?(person|human|agent)\b"
    # thirteenth pass (a fresh writer, tests/dev13): "I don't need to talk to anyone, just point me to the docs"
    r"|\b(don'?t|dont|do not) need to (talk|speak|chat) (to|with) (a |an |any |the )?(real )?(person|human|agent|anyone|anybody|"
    r"someone|somebody|people|member of staff|staff member|manager|rep|representative)\b"
    # twentieth pass (a fresh new user): a transfer declined with no one named ("no need to transfer me, thanks", "you don't have
    # to escalate this", 不用帮我转了); "no need to transfer me to billing, put me through to a person" names a target and is not
    r"|\b(no need to|(you )?(don'?t|dont|do not) (need|have) to|there'?s no need to|no need for you to) (transfer|connect|escalate|"
    r"pass|forward|put) (me|this|it|us)?( through| over| on)?(?=\s*([,.!;)]|$|\b(thanks?|thank you|thx|cheers|just|i'?m|i am|"
    r"i'?ll|i will|all good|it'?s fine|please|pls)\b))"
    r"|(不用|不需要|不必|无需|没必要)(给我|帮我|替我)?(转|转接)(了|啦)"
    r"|(不用|不需要|唔使|唔洗|唔需要|不要)(人工|真人)|(不想|唔想)(跟|和|同)(人|真人|客服)(说话|讲话|倾|聊)", re.IGNORECASE)

#: Words that ask for a person again, read in what is left once the declining phrase is taken out
#: ("I don't need an agent to call me, just put me through to a person").
PERSON_AGAIN = compile_guarded(
    r"\b(person|human|agent|representative|rep|operator|manager|supervisor|transfer me|put me through|connect me|"
    r"speak to|talk to)\b|人工|真人|经理|主管", re.IGNORECASE)

#: The intents that mean "give me a person": dropped from the ranking of a message that declines one.
REQUEST_INTENTS = ("request_human",)


def without_declined_request(text: str, ranking: Sequence[Dict]) -> List[Dict]:
    """The intent ranking of ``text`` without the request for a person it declines.

    When the text declines a person (:data:`DECLINED_PERSON`) and the top intent is one of
    :data:`REQUEST_INTENTS`, those intents leave the ranking and the others' confidences are
    renormalised to sum as before (their ratios kept), so the rest of the message decides: "I don't
    need a human, where is my order?" becomes ``check_order_status``; a rest the classifier is unsure
    of stays below the ``FallbackClassifier`` threshold and is asked again. Otherwise, and when the
    rest names a person again (:data:`PERSON_AGAIN`: "I don't need an agent to call me, just put me
    through to a person"), the ranking is returned unchanged.

    Args:
        text: the message.
        ranking: ``[{"name": str, "confidence": float}, …]``, best first, confidences in [0, 1].

    Returns:
        A new list of the same shape, best first.
    """
    text = text or ""
    if not ranking or ranking[0].get("name") not in REQUEST_INTENTS or not DECLINED_PERSON.search(text):
        return list(ranking)
    if PERSON_AGAIN.search(DECLINED_PERSON.sub(" ", text)):
        return list(ranking)  # a person declined in one clause and asked for in another
    total = sum(item["confidence"] for item in ranking)
    kept = [item for item in ranking if item.get("name") not in REQUEST_INTENTS]
    rest = sum(item["confidence"] for item in kept)
    if not kept or rest <= 0:
        return list(ranking)
    scale = total / rest
    return sorted(({**item, "confidence": item["confidence"] * scale} for item in kept),
                  key=lambda item: -item["confidence"])


#: Calling the request off while it waits: "cancel that", "forget it", "never mind", 取消吧, 不用了, 算了
#: (not "cancel my order", 取消订单: a message naming an order is for the colleague).
CALLED_OFF = compile_guarded(
    r"\b(cancel (that|this|it|the request|my request|the transfer|the call)|forget (it|that|about it)|never ?mind|"
    r"no (longer )?need (it |that |one )?any ?more|(don'?t|dont|do not) need (it|that|one) any ?more|"
    r"not needed any ?more)\b"
    r"|^\W*((yes|yeah|yep|ok|okay|please)\W+)?cancel( please| it)?\W*$"  # session 24: the answer the sorted-itself offer asks for
    r"|取消(?!订单|我的订单|这个订单|这笔)|不(用|需要|必)了|算了", re.IGNORECASE)

#: A message that names an order: never read as calling the request for a person off.
_ORDER_WORDS = compile_guarded(r"\border\b|订单", re.IGNORECASE)


def withdraws_request(text: str) -> bool:
    """Whether a queued customer's message calls off their request for a person (issue: a queued
    customer could not leave the queue): it declines a person (:data:`DECLINED_PERSON`: "I don't need a
    person, forget it", 不用转人工了) without asking for one again (:data:`PERSON_AGAIN`), or calls the
    request off (:data:`CALLED_OFF`: "cancel that", "never mind", 不需要了，取消吧) without naming an order
    ("cancel my order" is a case for the colleague, not a withdrawal).

    Args:
        text: the customer's message.

    Returns:
        True when the request for a person is withdrawn.
    """
    text = text or ""
    if DECLINED_PERSON.search(text):
        return not PERSON_AGAIN.search(DECLINED_PERSON.sub(" ", text))
    return bool(CALLED_OFF.search(text)) and not _ORDER_WORDS.search(text) and not PERSON_AGAIN.search(text)
