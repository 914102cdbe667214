"""PII masking: table tests for every known gap, property tests over generated text."""
import re
from datetime import date

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from bot.privacy.scanner import ID_CHECK, ID_WEIGHTS, cn_id_shaped
from bot.privacy.masking import cn_id_ok, luhn_ok, mask_pii
from bot.text import fold_text

# Repeatable in CI: the same examples on every run, nothing written to disk.
PROPERTY = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    "text, hidden, shown",
    [
        ("my card is 4242 4242 4242 4242", "4242 4242 4242 4242", "[card …4242]"),
        ("卡号4111-1111-1111-1111被盗刷了", "4111-1111-1111-1111", "[card …1111]"),
        ("身份证11010519491231002X", "11010519491231002X", "[ID …002X]"),
        ("write to li.na@example.com", "li.na@example.com", "[email]"),
        ("我的手机号是13812345678", "13812345678", "[phone …5678]"),
        ("call +44 7700 900123", "+44 7700 900123", "[phone …0123]"),
        # a CVV or expiry after the card neither hides the card nor stays readable
        ("card 4111 1111 1111 1111 123 thanks", "4111 1111 1111 1111 123", "[card …1111] thanks"),
        ("4111111111111111 12/28", "12/28", "[card …1111]"),
        ("visa 4111-1111-1111-1111 0329", "0329", "[card …1111]"),
        ("4111111111111111123 is my card", "4111111111111111123", "[card …1111] is my card"),
        ("amex 3782822463100051234", "1234", "amex [card …0005]"),
        # separators: dots, double spaces, full-width digits and spaces, zero-width characters
        ("card 4111.1111.1111.1111", "4111.1111.1111.1111", "[card …1111]"),
        ("card 4111  1111  1111  1111 ok", "4111  1111  1111  1111", "[card …1111] ok"),
        ("卡号４１１１　１１１１　１１１１　１１１１", "１１１１", "卡号[card …1111]"),
        ("card 4111\u200b1111\u200b1111\u200b1111", "4111", "card [card …1111]"),
        ("amex 3782 822463 10005", "822463", "[card …0005]"),
        # e-mails with full-width @ and dots, and the Chinese full stop typed for "."
        ("邮箱li＠example．com谢谢", "example", "邮箱[email]谢谢"),
        ("邮箱ｌｉ．ｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｅｘａｍｐｌｅ", "邮箱[email]"),
        ("发到liwei@example。com，谢谢", "liwei", "发到[email]，谢谢"),
        ("13812345678@163.com is my mail", "13812345678", "[email] is my mail"),
        # phones: full-width, international with brackets, IDD 00, letters around, landlines
        ("我的手机：１３８１２３４５６７８，谢谢", "５６７８", "我的手机：[phone …5678]，谢谢"),
        ("call +1 (415) 555-2671 please", "555-2671", "call [phone …2671] please"),
        ("ring 0044 7700 900111", "900111", "ring [phone …0111]"),
        ("tel13812345678", "13812345678", "tel[phone …5678]"),
        ("座机010-6552 9988", "6552", "座机[phone …9988]"),
        ("手机 138.1234.5678", "138.1234.5678", "[phone …5678]"),
        ("＋８６ １３８ １２３４ ５６７８", "１２３４", "[phone …5678]"),
        # ID numbers: full-width, lower-case x, grouped
        ("身份证号１１０１０５１９４９１２３１００２Ｘ", "１１０１０５", "身份证号[ID …002X]"),
        ("id 11010519491231002x", "11010519491231002x", "[ID …002X]"),
        ("身份证 110105 19491231 002X", "19491231", "身份证 [ID …002X]"),
    ],
)
def test_pii_is_masked(text, hidden, shown):
    masked = mask_pii(text)
    assert hidden not in masked
    assert shown in masked


READABLE = [
    "order QX-100001 cost 129.90, ref 1234 5678 9012 3456 (not a valid card)",
    "订单QX-123456，顺丰SF1234567890，UPS 1Z999AA10123456784，京东JD014600003，EMS EA123456789CN",
    "paid ¥1,299.00 and $45.50, refund 45.50元 or RMB 320 or €12.99",
    "delivered 2026-11-30, 30/11/2026, 11/30/2026, 2026年11月30日, 11月30日, 12月1号 at 14:30 or 9:05 pm",
    "ＱＸ－６５４３２１ 预计１１月３０日１４：３０送达，运费￥１２．００",
    "order qx123456 and QX 654321 and QX-123 456",
    # Luhn-valid digits after a carrier prefix are a tracking number, not a card
    "圆通YT4321567890104已发出，京东JD0146000000001",
]


@pytest.mark.parametrize("text", READABLE)
def test_order_tracking_prices_dates_and_times_stay_readable(text):
    assert mask_pii(text) == text


def test_readable_facts_next_to_pii_survive_and_the_pii_does_not():
    text = ("Order QX-123456 via SF1234567890 (¥1,299.00, $45.50) on 2026-11-30 14:30: "
            "card 4111 1111 1111 1111 123, phone +1 (415) 555-2671, 邮箱li＠example．com")
    masked = mask_pii(text)
    for kept in ("QX-123456", "SF1234567890", "¥1,299.00", "$45.50", "2026-11-30", "14:30"):
        assert kept in masked
    for gone in ("4111", "555-2671", "example"):
        assert gone not in masked
    assert masked.count("[") == 3


@pytest.mark.parametrize(
    "text, masked",
    [
        ("4000 0000 0000 0002 0.00元 thanks", "[card …0002] 0.00元 thanks"),
        ("card 4111 1111 1111 1111 元", "card [card …1111] 元"),
        ("+1 201-555-0000 RMB 0 QX-000000", "[phone …0000] RMB 0 QX-000000"),
        ("call +1 201 555 0000 RMB please", "call [phone …0000] RMB please"),
        ("13812345678 45元 2026-11-30", "[phone …5678] 45元 2026-11-30"),
        ("4000 0000 0000  0002 RMB 0", "[card …0002] RMB 0"),
        ("RMB 4111 1111 1111 1111", "RMB [card …1111]"),
        ("RMB 45 13123450000", "RMB 45 [phone …0000]"),
        ("¥45.50 13812345678", "¥45.50 [phone …5678]"),
    ],
)
def test_a_price_next_to_pii_is_split_where_a_person_would_split_it(text, masked):
    assert mask_pii(text) == masked


def test_masking_is_idempotent_and_keeps_empty_text():
    once = mask_pii("card 4111 1111 1111 1111, 身份证11010519491231002X, +44 7700 900123, a@b.co")
    assert mask_pii(once) == once
    assert mask_pii("") == "" and mask_pii(None) is None


def test_check_digit_rules():
    assert luhn_ok("4242424242424242") and not luhn_ok("4242424242424241")
    assert cn_id_ok("11010519491231002X") and not cn_id_ok("110105194912310021")
    assert not cn_id_ok("11010519491331002X")  # month 13: not a birth date


@pytest.mark.parametrize("text, masked", [
    ("My card 4111 1111 1111 1111 was charged twice, my ID 110101199003074578, email me at bob.smith@example.org, "
     "I want a human",
     "My card [card …1111] was charged twice, my ID [ID …4578], email me at [email], I want a human"),
    ("身份证110105194912310021", "身份证[ID …0021]"),
    ("身份证 110105 19491231 002x", "身份证 [ID …002X]"),
    ("my ID is 110101199003074573", "my ID is [ID …4573]"),  # a valid one, as before
])
def test_an_id_number_with_a_wrong_check_digit_is_masked_too(text, masked):
    """Fresh-user report 26 #6: a mistyped ID (wrong check digit) reached every agent in full."""
    assert mask_pii(text) == masked
    assert mask_pii(masked) == masked


@pytest.mark.parametrize("value", [
    "110101199002304578",  # 30 February: no birth date
    "110101209912314578",  # born in 2099
    "110101185003074578",  # an 18xx year is not the ID's shape
    "010101199003074578",  # no region code starts with 0
])
def test_eighteen_digits_that_cannot_be_an_id_number_are_not_taken_for_one(value):
    assert not cn_id_shaped(value) and not cn_id_ok(value)
    assert "[ID" not in mask_pii(f"ref {value}")


def test_id_shape_rules():
    assert cn_id_shaped("110101199003074578") and not cn_id_ok("110101199003074578")
    assert cn_id_shaped("11010519491231002x") and cn_id_ok("11010519491231002x")


# --- property tests ------------------------------------------------------------------------

DIGITS, LOWER, UPPER = "0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def chars(alphabet: str, least: int, most: int = None) -> st.SearchStrategy[str]:
    """A string of ``least``..``most`` characters of ``alphabet``."""
    most = least if most is None else most
    return st.lists(st.sampled_from(alphabet), min_size=least, max_size=most).map("".join)


def digits(n) -> st.SearchStrategy[str]:
    """``n`` ASCII digits (``n`` an int or a strategy of ints)."""
    if isinstance(n, int):
        return st.integers(0, 10**n - 1).map(lambda i: f"{i:0{n}d}")
    return n.flatmap(digits)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


@st.composite
def typed(draw, text: str) -> str:
    """``text`` as typed: as is, in full-width forms (a Chinese IME), or a mix."""
    how = draw(st.sampled_from(["ascii", "ascii", "full", "mixed"]))
    if how == "ascii":
        return text
    if how == "full":
        return fullwidth(text)
    flags = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(fullwidth(c) if f else c for c, f in zip(text, flags))


CARD_PREFIXES = [("4", 16), ("4", 13), ("4", 19), ("51", 16), ("55", 16), ("2221", 16), ("2720", 16),
                 ("34", 15), ("37", 15), ("6011", 16), ("65", 16), ("62", 16), ("62", 19), ("35", 16), ("36", 14)]


def luhn_complete(body: str) -> str:
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable")


@st.composite
def cards(draw):
    prefix, length = draw(st.sampled_from(CARD_PREFIXES))
    body = prefix + draw(digits(length - len(prefix) - 1))
    number = luhn_complete(body)
    sizes = draw(st.sampled_from(["4444", "465", "none", "random"]))
    if sizes == "none":
        groups = [number]
    elif sizes == "random":  # people start with the first four digits, then group as they like
        groups, rest = [number[:4]], number[4:]
        while rest:
            n = draw(st.integers(1, 6))
            groups.append(rest[:n])
            rest = rest[n:]
    else:
        groups, rest = [], number
        for n in ([4, 6, 5] if sizes == "465" else [4] * 5):
            if rest:
                groups.append(rest[:n])
                rest = rest[n:]
        if rest:
            groups[-1] += rest
    seps = draw(st.lists(st.sampled_from([" ", "-", ".", "  ", " - "]), min_size=len(groups), max_size=len(groups)))
    written = groups[0] + "".join(s + g for s, g in zip(seps, groups[1:]))
    tail = draw(st.sampled_from(["", " 123", " 0427", " 12/28", " 03/2029"]))
    return draw(typed(written + tail)), number


ID_REGIONS = ["110105", "310104", "440305", "510107", "330106", "420102", "610113"]


@st.composite
def cn_ids(draw):
    birth = draw(st.dates(min_value=date(1930, 1, 1),
                          max_value=date(2012, 12, 31)))
    body = draw(st.sampled_from(ID_REGIONS)) + birth.strftime("%Y%m%d") + draw(digits(3))
    number = body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]
    assert cn_id_ok(number)
    written = draw(st.sampled_from([number, number.lower(), f"{number[:6]} {number[6:14]} {number[14:]}"]))
    return draw(typed(written)), number


@st.composite
def mistyped_cn_ids(draw):
    """An ID number with a wrong check character (a typo), written as :func:`cn_ids` writes them."""
    _, number = draw(cn_ids())
    wrong = draw(st.sampled_from([c for c in "0123456789X" if c != number[17]]))
    number = number[:17] + wrong
    assert cn_id_shaped(number) and not cn_id_ok(number)
    written = draw(st.sampled_from([number, number.lower(), f"{number[:6]} {number[6:14]} {number[14:]}"]))
    return draw(typed(written)), number


PHONE_REGIONS = ["CN", "US", "GB", "DE", "JP", "HK", "FR", "AU", "IN", "SG"]


@st.composite
def phones(draw):
    region = draw(st.sampled_from(PHONE_REGIONS))
    kind = draw(st.sampled_from([PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE]))
    example = phonenumbers.example_number_for_type(region, kind)
    national = str(example.national_number)
    national = national[:-4] + draw(digits(4))
    number = phonenumbers.parse(f"+{example.country_code}{national}")
    assume(phonenumbers.is_valid_number(number))
    formats = ["e164", "international", "idd"] + (["national"] if region == "CN" else [])
    how = draw(st.sampled_from(formats))
    if how == "e164":
        written = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    elif how == "idd":
        written = "00" + phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)[1:]
    elif how == "national":
        written = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    else:
        written = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    sep = draw(st.sampled_from([None, "-", ".", " "]))
    if sep is not None:
        written = re.sub(r"(?<=\d)[ -](?=\d)", sep, written)
    return draw(typed(written)), national


@st.composite
def emails(draw):
    local = draw(chars(LOWER, 1)) + draw(chars(LOWER + DIGITS, 0, 8))
    if draw(st.booleans()):
        local += draw(st.sampled_from("._+-")) + draw(chars(LOWER + DIGITS, 1, 6))
    domain = draw(chars(LOWER, 1)) + draw(chars(LOWER + DIGITS, 1, 9))
    tld = draw(st.sampled_from(["com", "cn", "net", "org", "co.uk", "com.cn"]))
    address = f"{local}@{domain}.{tld}"
    written = draw(typed(address))
    if draw(st.booleans()):
        written = written.replace(".", "。")  # Chinese punctuation mode
    return written, address


EN_WORDS = ["hello", "my", "order", "card", "is", "please", "refund", "phone", "email", "the", "parcel",
            "late", "thanks", "ID", "number", "call", "me", "on", "at", "paid", "and", "tracking"]
ZH_WORDS = ["你好", "我的", "订单", "卡号", "退款", "手机", "邮箱", "身份证", "快递", "谢谢", "请", "在", "付了", "送达"]


def _one_of_formats(values, formats):
    """Draw ``values`` once, then one of the ``formats`` (functions of them)."""
    return values.flatmap(lambda v: st.sampled_from(formats).map(lambda f: f(*v)))


ORDER_NUMBERS = _one_of_formats(st.tuples(digits(6)), [
    lambda n: f"QX-{n}", lambda n: f"qx{n}", lambda n: f"QX {n}", lambda n: f"QX-{n[:3]} {n[3:]}",
    lambda n: fullwidth(f"QX-{n}"),
])
TRACKING_NUMBERS = st.one_of(
    digits(12).map(lambda n: "SF" + n),
    chars(UPPER + DIGITS, 16).map(lambda n: "1Z" + n),
    digits(st.integers(11, 15)).map(lambda n: "JD" + n),
    digits(13).map(lambda n: "YT" + n),
    st.tuples(chars(UPPER, 1), digits(9)).map(lambda t: f"E{t[0]}{t[1]}CN"),
    st.sampled_from(["SF1234567890", "1Z999AA10123456784", "JD014600003"]),
)
PRICES = _one_of_formats(st.tuples(st.integers(0, 999_999), st.integers(0, 99)), [
    lambda a, c: f"¥{a:,}.{c:02d}", lambda a, c: f"${a}.{c:02d}", lambda a, c: f"{a}.{c:02d}元",
    lambda a, c: f"RMB {a}", lambda a, c: f"€{a:,}", lambda a, c: f"￥{a}", lambda a, c: f"{a}块",
    lambda a, c: "¥1,299.00", lambda a, c: "$45.50",
])
DATES = _one_of_formats(st.tuples(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))), [
    lambda d: d.isoformat(), lambda d: d.strftime("%d/%m/%Y"), lambda d: d.strftime("%m/%d/%Y"),
    lambda d: f"{d.month}月{d.day}日", lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: "2026-11-30", lambda d: "30/11/2026", lambda d: "11月30日",
])
TIMES = _one_of_formats(st.tuples(st.integers(0, 23), st.integers(0, 59)), [
    lambda h, m: f"{h:02d}:{m:02d}", lambda h, m: f"{h}:{m:02d}", lambda h, m: "14:30",
])
READABLE_FACTS = st.one_of(ORDER_NUMBERS, TRACKING_NUMBERS, PRICES, DATES, TIMES)


def is_zh(token: str) -> bool:
    return token in ZH_WORDS


@st.composite
def sentences(draw, pii_strategies):
    """A message mixing en/zh words, readable facts and PII; returns (text, pii, keep)."""
    keep = draw(st.lists(READABLE_FACTS, min_size=1, max_size=5))
    pii = [draw(s) for s in pii_strategies]
    words = draw(st.lists(st.sampled_from(EN_WORDS + ZH_WORDS), min_size=0, max_size=8))
    tokens = draw(st.permutations(keep + [written for written, _ in pii] + words))
    text = tokens[0] if tokens else ""
    for left, right in zip(tokens, tokens[1:]):
        glue = draw(st.sampled_from(["", " ", "，", ", "] if is_zh(left) or is_zh(right) else [" ", ", ", "; ", "\n", "，"]))
        text += glue + right
    return text, pii, keep


def digits_of(text: str) -> str:
    """The digits of each number written in ``text`` (separators dropped), one number per line."""
    runs = re.findall(r"[0-9](?:[ .\-/()]*[0-9])*", fold_text(text))
    return "\n".join(re.sub(r"\D", "", run) for run in runs)


def assert_masked_and_readable(text, masked, keep):
    for fact in keep:
        assert masked.count(fact) >= text.count(fact), (fact, masked)


@PROPERTY
@given(sentences([cards()]))
def test_generated_cards_are_masked_and_facts_survive(case):
    text, [(written, number)], keep = case
    masked = mask_pii(text)
    assert written not in masked
    assert number not in digits_of(masked), masked
    assert "[card …" in masked
    assert_masked_and_readable(text, masked, keep)


@PROPERTY
@given(sentences([cn_ids()]))
def test_generated_id_numbers_are_masked_and_facts_survive(case):
    text, [(written, number)], keep = case
    masked = mask_pii(text)
    assert written not in masked
    assert number[:17] not in digits_of(masked), masked
    assert "[ID …" in masked
    assert_masked_and_readable(text, masked, keep)


@PROPERTY
@given(sentences([mistyped_cn_ids()]))
def test_generated_id_numbers_with_a_wrong_check_digit_are_masked_and_facts_survive(case):
    text, [(written, number)], keep = case
    masked = mask_pii(text)
    assert written not in masked
    assert number[:17] not in digits_of(masked), masked
    assert "[ID …" in masked or "[card …" in masked  # a typo can pass the Luhn check of a card: masked either way
    assert_masked_and_readable(text, masked, keep)


@PROPERTY
@given(sentences([phones()]))
def test_generated_phones_are_masked_and_facts_survive(case):
    text, [(written, national)], keep = case
    masked = mask_pii(text)
    assert written not in masked
    assert national not in digits_of(masked), masked
    assert "[phone …" in masked or "[card …" in masked  # +49 1512 …: 13 digits may also pass Luhn
    assert_masked_and_readable(text, masked, keep)


@PROPERTY
@given(sentences([emails()]))
def test_generated_emails_are_masked_and_facts_survive(case):
    text, [(written, address)], keep = case
    masked = mask_pii(text)
    assert written not in masked
    assert address.split("@")[1] not in fold_text(masked).replace("。", ".").lower(), masked
    assert "[email]" in masked
    assert_masked_and_readable(text, masked, keep)


@PROPERTY
@given(sentences([cards(), cn_ids(), phones(), emails()]))
def test_all_kinds_together_are_masked_facts_survive_and_masking_is_idempotent(case):
    text, pii, keep = case
    masked = mask_pii(text)
    for written, _ in pii:
        assert written not in masked
    assert_masked_and_readable(text, masked, keep)
    assert mask_pii(masked) == masked


@PROPERTY
@given(sentences([]))
def test_text_without_pii_is_left_exactly_as_written(case):
    text, _, _ = case
    assert mask_pii(text) == text
