import pytest

from bot.masking import cn_id_ok, luhn_ok, mask_pii


@pytest.mark.parametrize(
    "text, hidden, shown",
    [
        ("my card is 4242 4242 4242 4242", "4242 4242 4242 4242", "[card …4242]"),
        ("卡号4111-1111-1111-1111被盗刷了", "4111-1111-1111-1111", "[card …1111]"),
        ("身份证11010519491231002X", "11010519491231002X", "[ID …002X]"),
        ("write to li.na@example.com", "li.na@example.com", "[email]"),
        ("我的手机号是13812345678", "13812345678", "[phone …5678]"),
        ("call +44 7700 900123", "+44 7700 900123", "[phone …0123]"),
    ],
)
def test_pii_is_masked(text, hidden, shown):
    masked = mask_pii(text)
    assert hidden not in masked
    assert shown in masked


def test_order_numbers_and_ordinary_numbers_stay():
    text = "order QX-100001 cost 129.90, ref 1234 5678 9012 3456 (not a valid card)"
    assert mask_pii(text) == text


def test_check_digit_rules():
    assert luhn_ok("4242424242424242") and not luhn_ok("4242424242424241")
    assert cn_id_ok("11010519491231002X") and not cn_id_ok("110105194912310021")
