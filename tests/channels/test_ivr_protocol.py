"""Pure protocol code of the IVR bridge: signature, event parsing, SSML, VoiceXML."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from connectors.ivr import protocol, ssml
from connectors.ivr.call import parse_line
from connectors.ivr.signature import ReplayGuard, SignatureError, sign, verify
from connectors.ivr.vxml import render_vxml
from tests.channels.conftest import assert_speakable

VXML = "{http://www.w3.org/2001/vxml}"
SRGS = "{http://www.w3.org/2001/06/grammar}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# ---- signature ----------------------------------------------------------

def test_signature_fixed_vector():
    # echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
    expected = "1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940"
    assert sign("s3cret", 1700000000, b'{"a":1}') == expected
    assert sign("s3cret", "1700000000", b'{"a":1}') == expected


@pytest.mark.parametrize("timestamp, signature, now, ok", [
    ("1000", None, 1000, True),
    ("1000", None, 1300, True),
    ("1000", None, 1301, False),
    ("1000", None, 699, False),
    ("1000", "0" * 64, 1000, False),
    ("1000", "", 1000, False),
    (None, None, 1000, False),
    ("10e3", None, 1000, False),
    ("1000", "ZZ", 1000, False),
])
def test_verify_window_and_signature(timestamp, signature, now, ok):
    body = b'{"call_id":"c"}'
    if signature is None and timestamp is not None:
        signature = sign("k", timestamp, body)
    if ok:
        verify("k", timestamp, signature, body, now=now)
    else:
        with pytest.raises(SignatureError):
            verify("k", timestamp, signature, body, now=now)


def test_upper_case_hex_is_refused():
    with pytest.raises(SignatureError):
        verify("k", "1000", sign("k", "1000", b"x").upper(), b"x", now=1000)


def test_replay_guard_remembers_within_ttl():
    guard = ReplayGuard(ttl_s=600)
    assert guard.first_time("abc", now=0)
    assert not guard.first_time("abc", now=599)
    assert guard.first_time("abc", now=601)


# ---- events -------------------------------------------------------------

def test_parse_event_shapes():
    event = protocol.parse_event({"call_id": "c-1", "seq": 3, "event": "speech", "text": " hi ",
                                  "confidence": 0.8, "lang": "zh-CN", "caller": "+8613800138000"})
    assert (event.event, event.text, event.lang, event.caller, event.confidence) == (
        "speech", "hi", "zh", "+8613800138000", 0.8)
    assert protocol.parse_event({"call_id": "c", "seq": 0, "event": "fax"}).event == "unknown"
    assert protocol.parse_event({"call_id": "c", "seq": 0, "event": "speech", "text": ""}).event == "no_match"
    assert protocol.parse_event({"call_id": "c", "seq": 0, "event": "dtmf", "digits": "1#"}).digits == "1#"
    assert protocol.short_lang("en-GB") == "en" and protocol.short_lang("cmn-Hans-CN") == "zh"


@pytest.mark.parametrize("body", [
    [], "x", {"seq": 0, "event": "start"}, {"call_id": "a b", "seq": 0, "event": "start"},
    {"call_id": "c", "seq": -1, "event": "start"}, {"call_id": "c", "seq": True, "event": "start"},
    {"call_id": "c", "seq": 0, "event": 5}, {"call_id": "c", "seq": 0, "event": "speech", "text": 5},
    {"call_id": "c", "seq": 0, "event": "dtmf", "digits": "12a"},
    {"call_id": "c", "seq": 0, "event": "speech", "text": "x" * 1001},
])
def test_parse_event_refuses_bad_bodies(body):
    with pytest.raises(protocol.ProtocolError):
        protocol.parse_event(body)


@pytest.mark.parametrize("confidence", [2, -0.1, "0.9", "high", True, False, float("nan"), [0.9], {"v": 1}])
def test_a_bad_confidence_is_no_confidence(confidence):
    # A 400 would leave the caller in silence: the words are answered as if no confidence was given.
    event = protocol.parse_event({"call_id": "c", "seq": 0, "event": "speech", "text": "x", "confidence": confidence})
    assert event.event == "speech" and event.text == "x" and event.confidence is None


def test_the_read_back_gather_takes_1_2_or_a_keyed_number_in_voicexml():
    gather = protocol.gather("en", options={"1": "yes", "2": "no"}, digits_too=True)
    assert gather["max_digits"] == 20 and gather["options"] == {"1": "yes", "2": "no"}
    root = ET.fromstring(render_vxml([gather], "c1", 1, "/webhooks/ivr/vxml", "pbx.invalid"))
    sources = [g.get("src") for g in root.iter(f"{VXML}grammar")]
    assert "builtin:dtmf/digits?maxlength=20" in sources
    menu = protocol.gather("en", options={"1": "a", "2": "b"})  # a menu alone: one key
    root = ET.fromstring(render_vxml([menu], "c1", 1, "/webhooks/ivr/vxml", "pbx.invalid"))
    assert not any((g.get("src") or "").startswith("builtin:dtmf") for g in root.iter(f"{VXML}grammar"))


@pytest.mark.parametrize("text,lang,said", [
    ("Your parcel — the blue one — is late.", "en", "Your parcel, the blue one, is late."),
    ("step 1 — open the page", "en", "step 1, open the page"),
    ("Monday — Friday, 9–18", "en", "Monday to Friday, 9 to 18"),
    ("周一—周五营业", "zh", "周一到周五营业"),
    ("包裹——蓝色那个——还没到", "zh", "包裹，蓝色那个，还没到"),
    ("We sent it to e***@example.com.", "en", "We sent it to the e-mail starting with e at example dot com."),
    ("We sent it to •••• 2222.", "en", "We sent it to the number ending 2 2 2 2."),
    # a number noted for a call-back (bot.privacy.masking.shown_phone, stars escaped as markdown): its first
    # and last digits one by one, never "139" as a number nor the stars (a fresh new user's finding)
    ("I've noted 139\\*\\*\\*\\*9000 as the number to call you back on", "en",
     "I've noted the number starting 1 3 9 and ending 9 0 0 0 as the number to call you back on"),
    ("已记下 139\\*\\*\\*\\*9000 作为给您回电的号码", "zh", "已记下 以 1 3 9 开头、9 0 0 0 结尾的号码 作为给您回电的号码"),
    ("I've noted +44 ****3456 as the number", "en", "I've noted the number starting plus 4 4 and ending 3 4 5 6 as the number"),
    ("已记下 +44 ****3456", "zh", "已记下 以 加 4 4 开头、3 4 5 6 结尾的号码"),
    ("Sent to ****1234.", "en", "Sent to the number ending 1 2 3 4."),
])
def test_dashes_and_masked_contacts_are_spoken_in_words(text, lang, said):
    assert ssml.speakable(text, lang) == said


def test_transfer_carries_ticket_as_uui():
    action = protocol.transfer("support-en", "T123")
    assert action == {"action": "transfer", "queue": "support-en", "ticket_id": "T123",
                      "uui": "54313233;encoding=hex"}


# ---- SSML ---------------------------------------------------------------

def test_speakable_strips_markdown_urls_and_emoji():
    text = ("Hi, welcome to QX Shop! 👋 I can help:\n- check the **status of an order**\n"
            "- read our [returns page](https://qx.example/returns) or https://qx.example/x\n## Hours\n9:00–18:00 ✅")
    spoken = ssml.speakable(text, "en")
    for bad in ("**", "👋", "✅", "http", "[", "#", "- "):
        assert bad not in spoken
    assert "returns page" in spoken and "our website" in spoken and "9:00 to 18:00" in spoken
    assert "status of an order." in spoken
    assert ssml.speakable("Mon–Fri 9:00–18:00", "en") == "Mon to Fri 9:00 to 18:00"
    assert ssml.speakable("周一至周五 9:00–18:00", "zh") == "周一至周五 9:00到18:00"


def test_shorten_keeps_first_sentences_and_offers_more():
    long = " ".join(f"Sentence number {i} is here to make this answer rather long." for i in range(8))
    head, rest = ssml.shorten(long, "en")
    assert head.endswith("Want more details?") and head.count("Sentence") == 2 and rest.startswith("Sentence number 2")
    assert ssml.shorten("Short answer.", "en") == ("Short answer.", "")
    zh_head, zh_rest = ssml.shorten("第一句话比较长一点。" * 12, "zh")
    assert zh_head.endswith("需要了解更多吗？") and zh_rest


def test_options_prompt_maps_digits_to_payloads():
    text, menu = ssml.options_prompt([{"title": "Check an order", "payload": "/check_order_status"},
                                      {"title": "Talk to a **person** 🙋", "payload": "/request_human"}], "en")
    assert text == "Say or press 1 for Check an order, 2 for Talk to a person."
    assert menu == {"1": "/check_order_status", "2": "/request_human"}
    zh, zh_menu = ssml.options_prompt([{"title": "查询订单", "payload": "/check_order_status"}], "zh")
    assert "查询订单请按1" in zh and zh_menu == {"1": "/check_order_status"}


def test_ssml_marks_order_numbers_times_dates_and_codes(tmp_path):
    document = ssml.to_ssml("Order QX-100002 ships 2026-11-27 at 9:00 with tracking SF1234567890, call +86 400 123 4567.")
    root = ET.fromstring(document)
    marks = [(e.get("interpret-as"), e.text) for e in root.iter() if e.tag.endswith("say-as")]
    assert ("characters", "QX") in marks and ("digits", "1 0 0 0 0 2") in marks
    assert ("date", "2026-11-27") in marks and ("time", "9:00") in marks
    assert ("characters", "SF1234567890") in marks and ("telephone", "+86 400 123 4567") in marks
    assert_speakable(document, "en-US", tmp_path / "en.wav")


@pytest.mark.parametrize("hostile", [
    '</speak><audio src="http://evil/x.wav"/>', "<![CDATA[x]]> & &amp; <break time='99s'/>",
    '"\'<>&', "\x00\x07 control", "<speak xmlns='x'>QX-123456</speak>",
    "\x1d\x08]]> 😀 \U0001F600", "lone \ud800 surrogate \udfff", "\ufffe\uffff &#x1d;",
])
def test_ssml_escapes_hostile_text(hostile, tmp_path):
    document = ssml.to_ssml(ssml.speakable(f"You said {hostile}", "en"), "en")
    root = ET.fromstring(document)
    assert [e.tag.split("}")[-1] for e in root.iter()] in (["speak"], ["speak", "say-as", "say-as"])
    assert_speakable(document, "en-US", tmp_path / "h.wav")


def test_chinese_voice_follows_script(tmp_path):
    assert ssml.language_of("您好，欢迎致电", "en") == "zh" and ssml.language_of("Hello", "zh") == "zh"
    assert ssml.language_of("Hello", "en") == "en"
    document = ssml.to_ssml("订单 QX-100002 正在配送，预计 2026-11-27 送达。", "zh")
    assert 'xml:lang="zh-CN"' in document
    assert_speakable(document, "zh-CN", tmp_path / "zh.wav")


# ---- VoiceXML -----------------------------------------------------------

def _parse(document: str) -> ET.Element:
    root = ET.fromstring(document.encode("utf-8"))
    assert root.tag == f"{VXML}vxml" and root.get("version") == "2.1"
    return root


def test_vxml_prompt_field_with_menu_grammar():
    say = protocol.say(ssml.to_ssml("Say or press 1 for orders & <more>, QX-100002.", "en"), "x", "en")
    document = render_vxml([say, protocol.gather("en", options={"1": "/a", "2": "/b"})], "call-1", 4, "/webhooks/ivr/vxml")
    root = _parse(document)
    prompt = root.find(f".//{VXML}prompt")
    assert prompt.get("bargein") == "true" and "orders & <more>" in "".join(prompt.itertext())
    field = root.find(f".//{VXML}field")
    items = [i.text for i in field.iter("{http://www.w3.org/2001/06/grammar}item")]
    assert items == ["1", "2"]
    assert field.find(f"{VXML}noinput/{VXML}submit") is not None and field.find(f"{VXML}nomatch") is not None
    assert field.find(f"{VXML}filled/{VXML}submit").get("namelist") == "call_id seq event text confidence digits"
    assert root.find(f"{VXML}var[@name='seq']").get("expr") == "4"


def test_vxml_digits_transfer_and_disconnect():
    gather = protocol.gather("zh", num_digits=6)
    root = _parse(render_vxml([gather], "c", 1, "/v"))
    grammars = [g.get("src") for g in root.iter(f"{VXML}grammar")]
    assert "builtin:dtmf/digits?length=6" in grammars
    root = _parse(render_vxml([protocol.transfer("support-zh", "T42")], "c'); evil('", 2, "/v", "pbx.example"))
    transfer = root.find(f".//{VXML}transfer")
    assert transfer.get("aai") == "T42" and transfer.get("dest") == "sip:support-zh@pbx.example"
    assert "'); evil('" not in root.find(f"{VXML}var[@name='call_id']").get("expr")
    root = _parse(render_vxml([protocol.hangup()], "c", 3, "/v"))
    assert root.find(f".//{VXML}disconnect") is not None


# ---- fake platform script -----------------------------------------------

def test_call_script_lines():
    assert parse_line("# comment") is None and parse_line("") is None
    assert parse_line("say: hello") == {"event": "speech", "text": "hello", "confidence": 0.9}
    assert parse_line("say@0.3: hm") == {"event": "speech", "text": "hm", "confidence": 0.3}
    assert parse_line("dtmf: 100002") == {"event": "dtmf", "digits": "100002"}
    assert parse_line("no_input") == {"event": "no_input"}
    with pytest.raises(ValueError):
        parse_line("sing: la")


# ---- XML by construction: property tests over arbitrary text ---------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from connectors.xml_text import xml_text  # noqa: E402

NASTY = st.sampled_from(["]]>", "<", ">", "&", "&amp;", "&#x1d;", '"', "'", "</speak>", "<say-as>", "\x1d", "\x08",
                         "\x00", "\r\n", "\r", "\ud800", "\udfff", "\ufffe", "😀", "\U0010ffff", "𠀋",
                         "QX-100002", "2026-11-27", "9:00", "+86 400 123 4567", "SF1234567890"])
TEXT = st.lists(st.one_of(st.text(), NASTY), max_size=12).map("".join)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def heard(text: str) -> str:
    """What the document should say for ``text``: its XML-safe form, order numbers read as "QX 1 0 0 …"."""
    return ssml._SPECIAL.sub(lambda m: "QX " + " ".join(m.group("order_digits")) if m.group("order") else m.group(0),
                             xml_text(text))


@PROPERTY
@given(text=TEXT, lang=st.sampled_from(["en", "zh", "fr"]))
def test_property_ssml_is_well_formed_and_says_the_text(text, lang):
    root = ET.fromstring(ssml.to_ssml(text, lang).encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2001/10/synthesis}speak"
    assert {e.tag.split("}")[-1] for e in root.iter()} <= {"speak", "say-as"}
    assert all(len(e) == 0 for e in root.iter() if e is not root)
    assert "".join(root.itertext()) == heard(text)


@PROPERTY
@given(text=TEXT, before=TEXT, number=TEXT)
def test_property_callback_offer_document(text, before, number):
    document = ssml.speak_document(ssml.ssml_body(before) + ssml.phone_digits(number, "en") + ssml.ssml_body(text))
    root = ET.fromstring(document.encode("utf-8"))
    digits = [e.text or "" for e in root.iter() if e.get("interpret-as") == "digits"]
    assert " ".join(c for c in xml_text(number) if c.isdecimal()) in digits


@PROPERTY
@given(text=TEXT, call_id=TEXT, url=TEXT, domain=TEXT, queue=TEXT, ticket=TEXT, language=TEXT,
       options=st.dictionaries(TEXT, TEXT, max_size=4))
def test_property_vxml_is_well_formed_and_round_trips(text, call_id, url, domain, queue, ticket, language, options):
    say = protocol.say(ssml.to_ssml(text, "en"), text, "en")
    say["language"] = language
    gather = protocol.gather("en", options=options or None)
    transfer = {"action": "transfer", "queue": queue, "ticket_id": ticket}
    document = render_vxml([say, gather, transfer, protocol.hangup()], call_id, 7, url, domain)
    root = ET.fromstring(document.encode("utf-8"))
    assert root.tag == f"{VXML}vxml" and root.get("version") == "2.1"
    prompt = root.find(f".//{VXML}prompt")
    assert "".join(prompt.itertext()) == heard(text) and prompt.get(XML_LANG) == xml_text(language)
    assert {e.tag for e in prompt.iter()} <= {f"{VXML}prompt", f"{VXML}say-as"}
    assert {s.get("next") for s in root.iter(f"{VXML}submit")} == {xml_text(url)}
    transferred = root.find(f".//{VXML}transfer")
    assert transferred.get("aai") == xml_text(ticket) and transferred.get("dest") == xml_text(f"sip:{queue}@{domain}")
    if options:
        items = [i.text or "" for i in root.iter(f"{SRGS}item")]
        assert items == [xml_text(k) for k in sorted(options)]
    expr = root.find(f"{VXML}var[@name='call_id']").get("expr")
    assert re.fullmatch(r"'(?:[A-Za-z0-9._:-]|\\u[0-9a-f]{4})*'", expr)  # one JavaScript string literal
    # JavaScript reads "\ud800\udfff" as one astral character, as json does: compare UTF-16 code units
    assert json.loads('"' + expr[1:-1] + '"') == call_id.encode("utf-16-le", "surrogatepass").decode(
        "utf-16-le", "surrogatepass")


def test_a_lone_surrogate_in_speech_becomes_a_replacement_character():
    """Fuzz run on main: "\\udfff" in speech reached the tracker and made the hand-over's ticket write fail."""
    event = protocol.parse_event({"call_id": "c", "seq": 1, "event": "speech", "text": "order a\udfffb please"})
    assert event.text == "order a\ufffdb please"
    event.text.encode("utf-8")  # storable
