import pytest

from bot.nlu.language import detect_language


@pytest.mark.parametrize(
    "text, expected",
    [
        ("where is my order?", "en"),
        ("我的订单到哪了", "zh"),
        ("我的order QX-123456 到哪了", "zh"),  # Chinese sentence with an English word
        ("How do I 退货?", "en"),  # English sentence with a Chinese word
        ("请问 refund policy 是什么", "zh"),
        ("转人工", "zh"),
        ("okay", "en"),
        ("ok thanks", "en"),
        ("ok谢谢", "zh"),
        ("QX-123456 到了吗", "zh"),
        ("QX-123456 arrived?", "en"),
    ],
)
def test_dominant_script_wins(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["QX-123456", "13812345678", "👍", "", "li.na@example.com", "?!",
                                  "ok", "x", "OK!", "hi"])
def test_no_script_keeps_what_the_caller_knew(text):
    assert detect_language(text) is None
    assert detect_language(text, default="zh") == "zh"


def test_markup_pasted_into_a_message_is_no_language():
    # a fresh new user's finding (issue 11, sixteenth pass): the tag's Latin letters outweighed the Chinese
    assert detect_language("<svg onload=alert(document.domain)> 我要人工客服") == "zh"
    assert detect_language("<b>where</b> is my order?") == "en"
    assert detect_language("a < b and c > d, which plan is cheaper?") == "en"
