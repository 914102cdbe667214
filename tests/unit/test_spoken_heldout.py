"""bot.nlu.spoken on a held-out table: written AFTER the normaliser was finished.

These rows were written once, after bot/nlu/spoken.py and its tuning table
(tests/unit/test_spoken.py) were done, and the normaliser was NOT changed to
make any of them pass: this is its measure on transcripts it has not seen.
Rows it gets wrong are listed in KNOWN_MISSES (so the suite stays green
without hiding them) and the score is reported in README (Voice).
The test fails if the score drops below the floor fixed before the first
run (0.80), or if a known miss starts passing (move it out of the list).
"""
from __future__ import annotations

from bot.nlu.spoken import normalise

FLOOR = 0.80

# (transcript, expect, the text NLU should get, identifier values)
HELD_OUT = [
    # order numbers
    ("yeah it's q x one zero zero zero zero one", None, "yeah it's QX-100001", ["QX-100001"]),
    ("Q X 100004", None, "QX-100004", ["QX-100004"]),
    ("the order number is cue x 1 0 0 0 0 6", None, "the order number is QX-100006", ["QX-100006"]),
    ("queue eks one zero zero zero zero seven", None, "QX-100007", ["QX-100007"]),
    ("q x one hundred thousand and two", None, "q x one hundred thousand and two", []),
    ("q. x. one, zero, zero, zero, zero, two.", None, "QX-100002.", ["QX-100002"]),
    ("Q X one zero zero, zero zero two", None, "QX-100002", ["QX-100002"]),
    ("订单QX幺零零零零四", None, "订单QX-100004", ["QX-100004"]),
    ("Q X一〇〇〇〇二", None, "QX-100002", ["QX-100002"]),
    ("我的订单是 q x 1 0 0 0 0 3", None, "我的订单是 QX-100003", ["QX-100003"]),
    ("零零零零二", "order_number", "零零零零二", []),
    ("oh oh two three four five", "order_number", "QX-002345", ["QX-002345"]),
    # phones
    ("it's plus four four seven seven double oh nine double oh one one one", None,
     "it's +447700900111", ["+447700900111"]),
    ("zero zero four four seven seven zero zero nine zero zero one two three", None,
     "00447700900123", ["00447700900123"]),
    ("幺三九 幺幺幺幺 两两两两", None, "13911112222", ["13911112222"]),
    ("我手机号码是一五八零零零零一二三四", None, "我手机号码是15800001234", ["15800001234"]),
    ("plus eight six, one five eight, double zero, double zero, one two three four", None,
     "+8615800001234", ["+8615800001234"]),
    # codes
    ("five five five one two one", "code", "555121", ["555121"]),
    ("triple five one two one", "code", "555121", ["555121"]),
    ("验证码 三三八八幺六", "code", "验证码 338816", ["338816"]),
    ("it's nine eight seven six five four", None, "it's 987654", ["987654"]),
    # e-mails
    ("john dot smith at gmail dot com", None, "john.smith@gmail.com", ["john.smith@gmail.com"]),
    ("my e-mail is j smith at outlook dot com", None, "my e-mail is jsmith@outlook.com", ["jsmith@outlook.com"]),
    ("mary underscore jones at example dot org", None, "mary_jones@example.org", ["mary_jones@example.org"]),
    ("chen点jie艾特163点com", None, "chen.jie@163.com", ["chen.jie@163.com"]),
    ("邮箱 zhangsan 艾特 qq 点 com", None, "邮箱 zhangsan@qq.com", ["zhangsan@qq.com"]),
    ("write to support at example dot net", None, "write to support@example.net", ["support@example.net"]),
    # words that stay words
    ("I bought two pairs of shoes", None, "I bought two pairs of shoes", []),
    ("for two weeks now", None, "for two weeks now", []),
    ("oh okay thanks", None, "oh okay thanks", []),
    ("it came at eight o'clock", None, "it came at eight o'clock", []),
    ("I'd like to talk to an agent", None, "I'd like to talk to an agent", []),
    ("number one priority", None, "number one priority", []),
    ("等一下", None, "等一下", []),
    ("快一点", None, "快一点", []),
    ("我们一起看看", None, "我们一起看看", []),
    ("十分钟以后", None, "十分钟以后", []),
    ("三点半到", None, "三点半到", []),
    ("两件衣服", None, "两件衣服", []),
    ("一二三四五", None, "一二三四五", []),
]

# Rows the finished normaliser gets wrong (found on the first and only run; not tuned away).
KNOWN_MISSES: set[int] = {
    10,  # 零零零零二 while an order number is asked for: four+ digits then become digits ("00002")
    22,  # "j smith at outlook": a spelled initial before a word is not joined to it
}


def _ok(row) -> bool:
    text, expect, want_text, want_values = row
    spoken = normalise(text, expect)
    return spoken.text == want_text and [i.value for i in spoken.identifiers] == want_values


def test_held_out_score():
    results = [_ok(row) for row in HELD_OUT]
    score = sum(results) / len(results)
    print(f"held-out: {sum(results)}/{len(results)} = {score:.3f}")
    misses = {i for i, ok in enumerate(results) if not ok}
    assert misses == KNOWN_MISSES, [(i, HELD_OUT[i][0], normalise(HELD_OUT[i][0], HELD_OUT[i][1]).text)
                                    for i in sorted(misses ^ KNOWN_MISSES)]
    assert score >= FLOOR
