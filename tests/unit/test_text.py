"""The one text fold every detector runs on, and its map back to the original."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import fold, fold_text


@pytest.mark.parametrize(
    "text, folded",
    [
        ("１３８１２３４５６７８", "13812345678"),
        ("li＠example．com", "li@example.com"),
        ("ＱＸ－１２３４５６", "QX-123456"),
        ("a\u3000b\u00a0c\u2009d", "a b c d"),  # ideographic, no-break and thin spaces
        ("4111\u200b1111\u00ad1111\ufeff1111", "4111111111111111"),  # zero-width and soft hyphen
        ("138–1234—5678", "138-1234-5678"),
        ("example。com", "example.com"),
        ("￥１２．００，谢谢！", "¥12.00,谢谢!"),
        ("١٢٣ ४५६", "123 456"),  # Arabic-Indic and Devanagari digits
        ("①②", "①②"),  # not NFKC'd: a circled list marker is no digit of a number
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold(text, folded):
    assert fold_text(text) == folded


def test_spans_map_back_to_the_original_text():
    text = "手机：１３８\u200b１２３４　５６７８。"
    folded = fold(text)
    start = folded.text.index("138")
    end = folded.text.index("5678") + 4
    assert folded.span(start, end) == (3, 16)
    assert text[3:16] == "１３８\u200b１２３４　５６７８"
    with pytest.raises(ValueError):
        folded.span(3, 3)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text())
def test_every_folded_character_points_at_the_character_it_came_from(text):
    folded = fold(text)
    assert len(folded.starts) == len(folded.ends) == len(folded.text)
    for i, ch in enumerate(folded.text):
        source = text[folded.starts[i]:folded.ends[i]]
        assert len(source) == 1 and ch in fold_text(source)
    assert fold_text(folded.text) == folded.text  # folding is idempotent


# --- one definition each: script detection, phones, markdown, UTC time -----------------------

def test_script_detection():
    from bot.text import HAN_RUN, has_han

    assert has_han("我的order") and has_han("㐀") and not has_han("order 123") and not has_han(None)
    assert [m.group(0) for m in HAN_RUN.finditer("ab中文cd退货")] == ["中文", "退货"]


def test_one_phone_normaliser():
    from bot.text import is_e164, normalise_phone

    assert normalise_phone("0044 7700 900111") == "+447700900111"
    assert normalise_phone("＋４４ ７７００ ９００１１１") == "+447700900111"
    assert normalise_phone("138-1234-5678") == "+8613812345678"
    assert is_e164("+447700900111") and not is_e164("00447700900111")


@pytest.mark.parametrize("number,refusal", [
    ("+8613900139000", None), ("+447911123456", None), ("+12015550123", None),  # mobile; US fixed-or-mobile
    ("+861065529988", None),  # a Beijing landline
    ("+19005550100", "not_personal"),  # premium rate
    ("+448001234567", "not_personal"),  # free-phone
    ("+447700900123", "invalid"), ("+15555550123", "invalid"), ("5550123", "invalid"), (None, "invalid"),
])
def test_a_call_back_number_is_a_valid_mobile_or_landline(number, refusal):
    from bot.text import callback_refusal

    assert callback_refusal(number) == refusal


def test_markdown_to_plain_text():
    from bot.text import markdown_to_text

    assert markdown_to_text("## Hi\n- **bold** and *it* `code` [site](https://x.test)") == (
        "Hi\n• bold and it code site https://x.test")
    # voice: a link is read by its label (bot/nlu/spoken replies through connectors/ivr/ssml.speakable)
    assert markdown_to_text("## Hi\n- **bold** [site](https://x.test)", keep_urls=False) == "Hi\n• bold site"


def test_utc_helpers():
    from datetime import datetime, timezone

    from bot.text import as_utc, utcnow

    assert utcnow().tzinfo is timezone.utc
    assert as_utc(datetime(2026, 1, 1)) == datetime(2026, 1, 1, tzinfo=timezone.utc) and as_utc(None) is None


def test_each_helper_is_defined_once_outside_tests():
    """The Han range, the clock and the markdown patterns live in bot/text.py only."""
    from tests.conftest import PROJECT_ROOT

    needles = ("\\u4e00-\\u9fff", "datetime.now(timezone.utc)", "def normalise_phone", "def markdown_to_text",
               "def utcnow", "str.maketrans(\"０")
    # nowhere else either: other Han ranges, a second markdown heading pattern, second UTC helpers,
    # state or reason-code tuples written out (bot.domain has them; migrations are history)
    elsewhere = ("\\u3400-\\u9fff", "#{1,6}", "def _naive_utc", "def as_utc", "'queued', 'with_agent'",
                 "\"queued\", \"with_agent\"", "\"nlu_failure\", \"flow_exhausted\"")
    needles += elsewhere
    found = {needle: [] for needle in needles}
    for folder in ("bot", "connectors", "actions"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            for needle in needles:
                if needle in source:
                    found[needle].append(str(path.relative_to(PROJECT_ROOT)))
    once = {"#{1,6}": ["bot/text.py"], "def as_utc": ["bot/text.py"]}
    assert found == {needle: ["bot/text.py"] if needle not in elsewhere + ("str.maketrans(\"０",) else once.get(needle, [])
                     for needle in needles}


def test_phone_in_is_the_one_phone_finder_for_chat_and_calls():
    """bot.text.phone_in finds and normalises a number; the IVR and the long-wait flow both call it."""
    from bot.services import waiting
    from bot.text import phone_in
    from connectors import ivr

    assert phone_in("call me on 0044 7700 900111 please") == "+447700900111"
    assert phone_in("13512345678#") == "+8613512345678"
    assert phone_in("order 12345") is None and phone_in(None) is None
    assert waiting.phone_in is phone_in
    assert ivr.phone_number("0044 7700 900111") == "+447700900111"
    assert not hasattr(ivr, "_PHONE") and not hasattr(waiting, "_PHONE")


@pytest.mark.parametrize(
    "text, number",
    [
        ("+1 (201) 555-0123", "+12015550123"),  # the regex finder read 5550123
        ("(010) 6552 9988", "+861065529988"),  # … and 65529988
        ("order 123456 ok", None),  # … and 123456
        ("call me on 0044 7700 900111 please", "+447700900111"),
        ("手机：１３８ １２３４ ５６７８", "+8613812345678"),
        ("sip:+8613800138000@pbx", "+8613800138000"),
        ("13512345678#", "+8613512345678"),
        ("5550123", None),
        ("", None),
    ],
)
def test_phone_in_and_find_phones_agree(text, number):
    """One finder: phone_in is the first hit of find_phones on the folded text, in chat, caller ids and speech."""
    from bot.privacy.scanner import extract_intake
    from bot.text import find_phones, phone_in

    assert phone_in(text) == number
    assert (find_phones(fold_text(text))[:1] or [(0, 0, None)])[0][2] == number
    assert [f.value for f in extract_intake(text) if f.entity == "phone"][:1] == ([number] if number else [])


@pytest.mark.parametrize(
    "digits, number",
    [
        ("13512345678#", "+8613512345678"),
        ("00447700900111", "+447700900111"),
        ("5550123#", "5550123"),  # a local number keyed on purpose: kept as digits
        ("12#", None),
        ("1234567890123456", None),
        ("", None),
    ],
)
def test_keyed_phone_keeps_bare_keypad_digits(digits, number):
    from bot.text import keyed_phone, phone_in

    assert keyed_phone(digits) == number
    assert phone_in("order 5550123") is None  # the bare-digits fallback is for the keypad only


def test_one_e164_check():
    """bot.customers.identity has no E164 pattern of its own; bot.text.is_e164 refuses what it refused."""
    import bot.customers.identity as identity
    from bot.text import is_e164

    assert not hasattr(identity, "E164")
    assert is_e164("+447700900111") and not is_e164("+123") and not is_e164("+0447700900111")


def test_normalise_phone_is_imported_from_bot_text_only():
    import bot.privacy.scanner as intake

    assert not hasattr(intake, "normalise_phone") and not hasattr(intake, "is_e164")
    assert not hasattr(intake, "find_phones") or intake.find_phones.__module__ == "bot.text"


# ---- bidirectional controls (a fresh new user and attacker: a file name shown backwards on the desk) ----

def test_bidi_controls_are_shown_as_visible_markers():
    from bot.text import show_bidi_controls

    assert show_bidi_controls("invoice_\u202efdp.exe") == "invoice_[U+202E]fdp.exe"
    assert show_bidi_controls("\u2066QX-100001\u2069 \u200e\u200f\u202a\u202b\u202c\u202d\u2067\u2068\u061c") == (
        "[U+2066]QX-100001[U+2069] [U+200E][U+200F][U+202A][U+202B][U+202C][U+202D][U+2067][U+2068][U+061C]")
    plain = "我的订单 QX-100002 还没到 — where is it?"
    assert show_bidi_controls(plain) is plain  # nothing else changes (zero-width joiners in emoji included)
    assert show_bidi_controls("👩\u200d💻") == "👩\u200d💻"


def test_bidi_controls_are_shown_in_every_string_of_an_answer_but_identifiers():
    from bot.text import show_bidi_controls_in

    answer = {"ticket_id": "T\u202e1", "conversation_id": "rest-\u202eabc", "transcript": [
        {"from": "customer", "text": "file \u202egpj.exe"}, ("x\u2066", 3, None)], "n": 1.5, "\u202ekey": True}
    shown = show_bidi_controls_in(answer)
    assert shown == {"ticket_id": "T\u202e1", "conversation_id": "rest-\u202eabc", "transcript": [
        {"from": "customer", "text": "file [U+202E]gpj.exe"}, ["x[U+2066]", 3, None]], "n": 1.5, "[U+202E]key": True}
    assert answer["transcript"][0]["text"] == "file \u202egpj.exe"  # the value given is not changed


def test_the_phone_region_comes_from_the_environment():
    from bot.text import phone_region

    assert phone_region({}) == "CN"
    assert phone_region({"PHONE_REGION": " gb "}) == "GB"
    with pytest.raises(ValueError, match="PHONE_REGION='XX'"):
        phone_region({"PHONE_REGION": "xx"})


def test_a_uk_deployment_reads_national_uk_numbers():
    import phonenumbers

    from bot.text import find_phones, normalise_phone, phone_region

    region = phone_region({"PHONE_REGION": "GB"})
    assert normalise_phone("07911 123456", region) == "+447911123456"
    assert [p for _, _, p in find_phones("ring me on 07911 123456 please", region)] == ["+447911123456"]
    assert [p for _, _, p in find_phones("ring me on +86 138 0013 8000", region)] == ["+8613800138000"]
    assert normalise_phone("07911 123456") != "+447911123456"  # the default region reads it as Chinese
    assert phonenumbers.is_valid_number(phonenumbers.parse("+447911123456"))
