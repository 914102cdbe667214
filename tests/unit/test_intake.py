import time

import jwt
import pytest

from bot.customers.identity import check_customer_token
from bot.privacy.scanner import extract_intake
from bot.text import find_phones, is_e164, normalise_phone
from bot.nlu.tokenizer import tokenize_mixed
from bot.orders.model import find_order_numbers, normalise_order_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("where is QX-123456?", "QX-123456"),
        ("order qx123456 please", "QX-123456"),
        ("it's QX 123456", "QX-123456"),
        ("QX-123 456", "QX-123456"),
        ("订单号QX-654321到哪了", "QX-654321"),
        ("我的订单ＱＸ－６５４３２１", "QX-654321"),  # full-width input from a Chinese IME
        ("qx_100002", "QX-100002"),
    ],
)
def test_order_numbers_in_any_wording(text, expected):
    assert normalise_order_number(text) == expected


@pytest.mark.parametrize(
    "text",
    ["QX-12345", "QX-1234567", "AQX-123456", "my order 123456", "XQ-123456", "QX-12a456"],
)
def test_not_an_order_number(text):
    assert normalise_order_number(text) is None


def test_offsets_point_into_the_original_text():
    text = "两个订单 QX-100001 和 qx100002"
    found = find_order_numbers(text)
    assert [v for _, _, v in found] == ["QX-100001", "QX-100002"]
    assert [text[s:e] for s, e, _ in found] == ["QX-100001", "qx100002"]


def test_emails_and_phones_in_chinese_text_without_spaces():
    found = extract_intake("我的邮箱是liwei@example.com，手机号15800003927")
    assert [(f.entity, f.value) for f in found] == [
        ("email", "liwei@example.com"),
        ("phone", "+8615800003927"),
    ]


def test_phone_normalised_to_e164():
    assert normalise_phone("+44 7700 900123") == "+447700900123"
    assert normalise_phone("138-1234-5678") == "+8613812345678"


@pytest.mark.parametrize(
    "raw, e164",
    [
        ("0044 7700 900111", "+447700900111"),  # 00: the international prefix dialled from China
        ("+44 (0)7700 900111", "+447700900111"),
        ("＋４４　７７００　９００１１１", "+447700900111"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("１３８１２３４５６７８", "+8613812345678"),
        ("010-6552 9988", "+861065529988"),
        ("+86 138 1234 5678", "+8613812345678"),
    ],
)
def test_one_e164_normaliser_for_every_form(raw, e164):
    assert normalise_phone(raw) == e164
    assert is_e164(e164)
    assert [f.value for f in extract_intake(f"my number: {raw}") if f.entity == "phone"] == [e164]


def test_what_is_not_a_phone_keeps_its_digits():
    assert normalise_phone("12345") == "12345"
    assert normalise_phone("") == ""
    assert not is_e164("12345") and not is_e164("+44 7700 900111") and not is_e164(None)


def test_the_ivr_callback_number_and_token_claims_use_the_same_normaliser():
    from connectors.ivr import phone_number

    assert phone_number("0044 7700 900111") == "+447700900111"
    assert phone_number("13512345678#") == "+8613512345678"
    token = jwt.encode({"sub": "s-1", "exp": int(time.time()) + 60, "phone": "+44 7700 900111"}, "k" * 32, "HS256")
    assert check_customer_token(token, "k" * 32).phone == "+447700900111"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("手机１３８１２３４５６７８", [("phone", "+8613812345678")]),
        ("邮箱ＬＩＷＥＩ＠ｅｘａｍｐｌｅ．ｃｏｍ", [("email", "liwei@example.com")]),
        ("邮箱liwei@example。com，谢谢", [("email", "liwei@example.com")]),
        ("身份证号１１０１０５１９４９１２３１００２ｘ", [("id_number", "11010519491231002X")]),
        ("ＱＸ－６５４３２１ 手机 ＋４４ ７７００ ９００１２３", [("order_number", "QX-654321"), ("phone", "+447700900123")]),
        ("call +1 (415) 555-2671", [("phone", "+14155552671")]),
        ("ring 0044 7700 900111", [("phone", "+447700900111")]),
    ],
)
def test_intake_reads_full_width_and_international_forms(text, expected):
    found = extract_intake(text)
    assert [(f.entity, f.value) for f in found] == expected
    for f in found:  # offsets point into the original text
        assert text[f.start:f.end].strip() == text[f.start:f.end] and text[f.start:f.end]


def test_an_id_number_or_a_card_is_not_taken_for_a_phone():
    assert [f.entity for f in extract_intake("身份证11010519491231002X")] == ["id_number"]
    assert extract_intake("card 4111 1111 1111 1111 123 or 6212 3456 7890 1232") == []
    assert extract_intake("身份证11010519491231002X", entities=("phone",)) == []


def test_order_tracking_price_date_and_time_are_never_phones():
    text = "QX-100001 SF1234567890 1Z999AA10123456784 ¥1,299.00 2026-11-30 30/11/2026 11月30日 14:30"
    assert [f.entity for f in extract_intake(text)] == ["order_number"]
    assert find_phones("ref 1234 5678 9012 3456") == []


def test_order_number_is_not_also_a_phone():
    found = extract_intake("QX-100001 +86 139 0000 1234")
    assert [f.entity for f in found] == ["order_number", "phone"]


def test_tokenizer_keeps_identifiers_whole_and_drops_spaces():
    tokens = tokenize_mixed("How do I track QX-123456?")
    assert [t.text for t in tokens] == ["How", "do", "I", "track", "QX-123456"]
    assert tokens[-1].lemma == "__order_number__"


def test_tokenizer_segments_chinese_and_english_in_one_message():
    text = "我的order QX-123456到哪了"
    tokens = tokenize_mixed(text)
    assert "order" in [t.text for t in tokens]
    assert "QX-123456" in [t.text for t in tokens]
    assert all(t.text.strip() for t in tokens)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert "".join(t.text for t in tokens) == text.replace(" ", "")
