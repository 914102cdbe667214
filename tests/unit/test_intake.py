import pytest

from bot.intake import extract_intake, normalise_phone
from bot.nlu.tokenizer import tokenize_mixed
from bot.orders import find_order_numbers, normalise_order_number


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
