"""bot.nlu.spoken: identifiers as speech recognisers write them (the tuning table).

Each row: (recogniser transcript, what the dialogue expects or None, the text
for NLU, the identifiers as (kind, value, literal)). The held-out table the
normaliser was not tuned on is tests/unit/test_spoken_heldout.py.
"""
from __future__ import annotations

import pytest

from bot.nlu.spoken import Identifier, normalise, read_back

ORDER = [
    ("q x one zero zero zero zero two", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("Q X 1 0 0 0 0 2", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("where is q x one zero zero zero zero three", None, "where is QX-100003",
     [("order_number", "QX-100003", False)]),
    ("queue x one zero zero zero zero two", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("cue ex one oh oh oh oh two", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("kyu eks 1 0 0 0 0 5", None, "QX-100005", [("order_number", "QX-100005", False)]),
    ("Q. X. 100002", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("QX one double zero zero zero two", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("q x one triple zero two seven", None, "QX-100027", [("order_number", "QX-100027", False)]),
    ("q x one zero zero zero zero to", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("QX 1 0 0 0 0 2 please", None, "QX-100002 please", [("order_number", "QX-100002", False)]),
    ("my order is queue ex one oh oh oh oh four thanks", None, "my order is QX-100004 thanks",
     [("order_number", "QX-100004", False)]),
    ("QX-100002", None, "QX-100002", [("order_number", "QX-100002", True)]),
    ("where is QX 100003", None, "where is QX 100003", [("order_number", "QX-100003", True)]),
    ("one zero zero zero zero two", "order_number", "QX-100002", [("order_number", "QX-100002", False)]),
    ("100002", "order_number", "QX-100002", [("order_number", "QX-100002", True)]),
    ("Q叉幺零零零零二", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("订单号是Q X幺零零零零三", None, "订单号是QX-100003", [("order_number", "QX-100003", False)]),
    ("QX一零零零零二", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("Q艾克斯 1 0 0 0 0 2", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("帮我查一下QX幺零零零零五到哪了", None, "帮我查一下QX-100005到哪了", [("order_number", "QX-100005", False)]),
    ("幺零零零零二", "order_number", "QX-100002", [("order_number", "QX-100002", False)]),
    ("ＱＸ１０００２", None, "ＱＸ１０００２", []),  # five digits: not an order number
    # "order" next to six digits: the order number without its prefix (review of issue 15)
    ("order number one zero zero zero zero two please", None, "order number QX-100002 please",
     [("order_number", "QX-100002", False)]),
    ("my order is 1 0 0 0 0 4", None, "my order is QX-100004", [("order_number", "QX-100004", False)]),
    ("order 100002", None, "order QX-100002", [("order_number", "QX-100002", True)]),
    ("订单号一零零零零二", None, "订单号QX-100002", [("order_number", "QX-100002", False)]),
    ("我的订单号是幺零零零零三", None, "我的订单号是QX-100003", [("order_number", "QX-100003", False)]),
    # a misheard prefix not in the tables, where an order number is expected
    ("我的订单是扣叉幺零零零零二", None, "我的订单是QX-100002", [("order_number", "QX-100002", False)]),
    ("order number cute ex one zero zero zero zero two", None, "order number QX-100002",
     [("order_number", "QX-100002", False)]),
    ("cute ex one zero zero zero zero two", "order_number", "QX-100002", [("order_number", "QX-100002", False)]),
    ("扣叉幺零零零零二", "order_number", "QX-100002", [("order_number", "QX-100002", False)]),
    ("it is one zero zero zero zero two", "order_number", "it is QX-100002", [("order_number", "QX-100002", False)]),
    # no order context: six digits after a stray "ex" stay digits
    ("ex one two three four five six", None, "ex 123456", [("digits", "123456", False)]),
    ("ex wife one two three four five six", None, "ex wife 123456", [("digits", "123456", False)]),
    # second review: a Q-like word then an X right before six digits is the prefix, even at call start
    ("扣叉幺洞洞洞洞二", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("秋叉幺零零零零五", None, "QX-100005", [("order_number", "QX-100005", False)]),
    ("丘叉一零零零零三", None, "QX-100003", [("order_number", "QX-100003", False)]),
    ("球艾克斯幺零零零零二", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("酷叉 1 0 0 0 0 4", None, "QX-100004", [("order_number", "QX-100004", False)]),
    ("cute ex one zero zero zero zero two", None, "QX-100002", [("order_number", "QX-100002", False)]),
    ("where is cute x one oh oh oh oh three", None, "where is QX-100003", [("order_number", "QX-100003", False)]),
    ("幺洞洞洞洞二", "order_number", "QX-100002", [("order_number", "QX-100002", False)]),
    # second review: a prefix and more than six digits is no order number (nothing dropped): words as said
    ("q x one zero zero zero zero two five", None, "q x one zero zero zero zero two five", []),
    ("q x " + " ".join(["one"] * 30), None, "q x " + " ".join(["one"] * 30), []),
    ("订单Q叉幺零零零零二三", None, "订单Q叉幺零零零零二三", []),
    ("扣叉幺洞洞洞洞二三", None, "扣叉幺洞洞洞洞二三", []),
    ("cute ex one zero zero zero zero two five", None, "cute ex one zero zero zero zero two five", []),
    ("q x one zero zero zero zero two, three days ago", None, "QX-100002, three days ago",
     [("order_number", "QX-100002", False)]),  # a pause: the run ended at six
]

PHONE = [
    ("plus four four seven seven zero zero nine zero zero one one one", None, "+447700900111",
     [("phone", "+447700900111", False)]),
    ("plus four four, seven seven zero zero, nine zero zero, one one one", None, "+447700900111",
     [("phone", "+447700900111", False)]),
    ("one three eight, one two three four, five six seven eight", None, "13812345678",
     [("phone", "13812345678", False)]),
    ("my number is oh seven seven double oh nine double oh one one one", None, "my number is 07700900111",
     [("phone", "07700900111", False)]),
    ("1 3 8 1 2 3 4 5 6 7 8", None, "13812345678", [("phone", "13812345678", False)]),
    ("138 1234 5678", None, "138 1234 5678", [("phone", "13812345678", True)]),
    ("幺三八幺二三四五六七八", None, "13812345678", [("phone", "13812345678", False)]),
    ("我的手机是幺三八，幺二三四，五六七八", None, "我的手机是13812345678", [("phone", "13812345678", False)]),
    ("加八六幺三七零零零零二二二二", None, "+8613700002222", [("phone", "+8613700002222", False)]),
    ("一三七 零零零零 二二二二", None, "13700002222", [("phone", "13700002222", False)]),
    ("plus eight six one three seven triple zero two two two two", None, "+861370002222",
     [("phone", "+861370002222", False)]),
    ("seven seven zero zero nine zero zero one one one", "phone", "7700900111", [("phone", "7700900111", False)]),
    ("+44 seven seven zero zero nine zero zero one one one", None, "+447700900111",
     [("phone", "+447700900111", False)]),
    ("call +86 138 1234 5678", None, "call +86 138 1234 5678", [("phone", "+8613812345678", True)]),
    ("my number is +86 one three eight one two three four five six seven eight", None,
     "my number is +8613812345678", [("phone", "+8613812345678", False)]),
]

CODE = [
    ("one two three four five six", None, "123456", [("digits", "123456", False)]),
    ("the code is four two seven seven one nine", None, "the code is 427719", [("digits", "427719", False)]),
    ("4 2 7 7 1 9", None, "427719", [("digits", "427719", False)]),
    ("double four one two three nine", "code", "441239", [("digits", "441239", False)]),
    ("四二七七幺九", "code", "427719", [("digits", "427719", False)]),
    ("验证码是八八六六零三", None, "验证码是886603", [("digits", "886603", False)]),
    ("427719", "code", "427719", [("digits", "427719", True)]),
    ("幺零零零十二", "order_number", "QX-100012", [("order_number", "QX-100012", False)]),
    ("二三四五十六七", "code", "234567", [("digits", "234567", False)]),
]

EMAIL = [
    ("pat dot lee at example dot com", None, "pat.lee@example.com", [("email", "pat.lee@example.com", False)]),
    ("my email is pat dot lee at example dot com", None, "my email is pat.lee@example.com",
     [("email", "pat.lee@example.com", False)]),
    ("p a t at example dot com", None, "pat@example.com", [("email", "pat@example.com", False)]),
    ("li underscore na at example dot co dot uk", None, "li_na@example.co.uk",
     [("email", "li_na@example.co.uk", False)]),
    ("sam dash smith at mail dot example dot org", None, "sam-smith@mail.example.org",
     [("email", "sam-smith@mail.example.org", False)]),
    ("Pat.Lee at example.com", None, "pat.lee@example.com", [("email", "pat.lee@example.com", False)]),
    ("我的邮箱是pat点lee艾特example点com", None, "我的邮箱是pat.lee@example.com",
     [("email", "pat.lee@example.com", False)]),
    ("li下划线na艾特qq点com", None, "li_na@qq.com", [("email", "li_na@qq.com", False)]),
    ("zhang at 163 dot com", None, "zhang@163.com", [("email", "zhang@163.com", False)]),
    ("wang点wei圈a163点com", None, "wang.wei@163.com", [("email", "wang.wei@163.com", False)]),
    ("pat.lee@example.com", None, "pat.lee@example.com", []),  # typed: the text detectors see it
    # spelled letters with a and i in them
    ("m i k e at gmail dot com", None, "mike@gmail.com", [("email", "mike@gmail.com", False)]),
    ("l i s a at gmail dot com", None, "lisa@gmail.com", [("email", "lisa@gmail.com", False)]),
    ("e m m a dot w at example dot com", None, "emma.w@example.com", [("email", "emma.w@example.com", False)]),
    ("my email is a i at example dot com", None, "my email is ai@example.com",
     [("email", "ai@example.com", False)]),
    # Chinese digits as parts of the address
    ("幺二三四五六艾特qq点com", None, "123456@qq.com", [("email", "123456@qq.com", False)]),
    ("patlee at 一六三点com", None, "patlee@163.com", [("email", "patlee@163.com", False)]),
    ("我的邮箱是wang点wei艾特幺二六点com", None, "我的邮箱是wang.wei@126.com", [("email", "wang.wei@126.com", False)]),
    # second review: digits said as words are part of the local part, next to a word too
    ("emma one two three at example dot com", None, "emma123@example.com", [("email", "emma123@example.com", False)]),
    ("pat one oh one at example dot com", None, "pat101@example.com", [("email", "pat101@example.com", False)]),
    ("wang幺二三艾特qq点com", None, "wang123@qq.com", [("email", "wang123@qq.com", False)]),
    ("j o e at gmail dot com", None, "joe@gmail.com", [("email", "joe@gmail.com", False)]),  # o stays a letter
    # second review: longer than RFC 5321 allows (local part 64, domain 253): no e-mail
    ("a" * 64 + " at example dot com", None, "a" * 64 + "@example.com", [("email", "a" * 64 + "@example.com", False)]),
    ("a" * 65 + " at example dot com", None, "a" * 65 + " at example dot com", []),
    ("pat at " + "a" * 249 + " dot com", None, "pat@" + "a" * 249 + ".com", [("email", "pat@" + "a" * 249 + ".com", False)]),
    ("pat at " + "a" * 250 + " dot com", None, "pat at " + "a" * 250 + " dot com", []),
]

# Words that must stay words: no identifier, the text unchanged.
STAY = [
    "two shirts",
    "I want to talk to someone",
    "I ordered two or three things",
    "one moment please",
    "I need it for one two three days",
    "oh no, it's broken",
    "double check my order",
    "look at the website dot com",
    "I'm at home",
    "the parcel arrived at nine",
    "queue for an hour",
    "I waited for two hours at the door",
    "can you tell me the status of my order",
    "ex wife ordered it",
    "我想问一下",
    "一点也不好",
    "我们一起去",
    "十分感谢",
    "十点以后能送到吗",
    "买了两三件衣服",
    "二十个",
    "一二三",
    "快点儿",
    "一天两次",
    "我等了三四个小时",
    "一点一点来",
    # longer than any identifier (E.164 has at most 15 digits): words, not a number
    "one two three four five six seven eight nine one two three four five six seven",
    "幺二三四五六七八九零幺二三四五六七",
    "I'm at a meeting",
]


def _check(text, expect, want_text, want_ids):
    spoken = normalise(text, expect)
    assert spoken.text == want_text, (text, spoken)
    assert [(i.kind, i.value, i.literal) for i in spoken.identifiers] == [tuple(w) for w in want_ids], (text, spoken)


@pytest.mark.parametrize("text,expect,want_text,want_ids", ORDER)
def test_order_numbers(text, expect, want_text, want_ids):
    _check(text, expect, want_text, want_ids)


@pytest.mark.parametrize("text,expect,want_text,want_ids", PHONE)
def test_phones_in_groups(text, expect, want_text, want_ids):
    _check(text, expect, want_text, want_ids)


@pytest.mark.parametrize("text,expect,want_text,want_ids", CODE)
def test_codes_and_digit_runs(text, expect, want_text, want_ids):
    _check(text, expect, want_text, want_ids)


@pytest.mark.parametrize("text,expect,want_text,want_ids", EMAIL)
def test_email_addresses_said_aloud(text, expect, want_text, want_ids):
    _check(text, expect, want_text, want_ids)


@pytest.mark.parametrize("text", STAY)
def test_words_stay_words(text):
    spoken = normalise(text)
    assert spoken.text == text and spoken.identifiers == (), spoken


def test_rewritten_lists_only_what_was_not_written_literally():
    spoken = normalise("QX-100002 or q x one zero zero zero zero three")
    assert spoken.text == "QX-100002 or QX-100003"
    assert [i.value for i in spoken.rewritten] == ["QX-100003"]


@pytest.mark.parametrize("identifier,lang,said", [
    (Identifier("order_number", "QX-100002", "", False), "en", "Q X 1 0 0 0 0 2"),
    (Identifier("phone", "+447700900111", "", False), "en", "plus 4 4 7 7 0 0 9 0 0 1 1 1"),
    (Identifier("phone", "+8613812345678", "", False), "zh", "加 8 6 1 3 8 1 2 3 4 5 6 7 8"),
    (Identifier("email", "pat.lee@example.com", "", False), "en", "pat dot lee at example dot com"),
    (Identifier("email", "li_na@qq.com", "", False), "zh", "li 下划线 na 艾特 qq 点 com"),
])
def test_read_back(identifier, lang, said):
    assert read_back(identifier, lang) == said
