"""Everything the IVR can say is phone wording (issue 15).

Covers every response in domain/ as Rasa picks it for the ``ivr`` output
channel in each language (the ``channel: ivr`` variant, else the conditional
or default web text it falls back to), the buttons actions add
(``actions.password_reset.STEP_BUTTONS``), rendered the way the bridge speaks
them, and the bridge's own prompts (reprompts, call-back, read-back, keypad).
No "chatting", "click", "reply right here", typing or writing, markdown, URLs
or emoji.
"""
from __future__ import annotations

import re

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.domain import Domain

from actions.password_reset import STEP_BUTTONS
from connectors.ivr import PROMPTS, IvrInput

FORBIDDEN = {
    "en": re.compile(r"\b(?:chat|chatting|click|clicking|tap|reply right here|type|typed|typing|write|scroll|emoji|"
                     r"added this message)\b", re.I),
    "zh": re.compile(r"点击|聊天|在这里回复|直接回复|请回复|打字|重新输入"),
}
MARKUP = re.compile(
    r"https?://|www\.|\*\*|__|`|^\s*#|\]\(|^\s*[-*+•]\s|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\ufe0f]", re.M)
SLOT = re.compile(r"\{(\w+)\}")
# Heard, not read: masks (stars, bullets), "(s)" plurals, an "@", a bare 4+ digit number read as a
# quantity ("two thousand two hundred…"; order numbers, dates and times are marked up for digits).
SPOKEN_ONLY = re.compile(r"[*•@]|\(s\)|(?<![\d\-:])\d{4,}(?![\d\-:])")
# Realistic slot values: what actions and forms put there (bot.customers.otp.mask_destination masks contacts).
SLOT_VALUES = [
    {"destination": "e***@example.com", "order_contact": "e***@example.com"},
    {"destination": "•••• 2222", "order_contact": "•••• 2222"},
]
DEFAULT_VALUES = {"order_number": "QX-100002", "tries_left": "2", "position": "3", "steps_done": "1",
                  "next_step": "2", "step": "2", "status": "shipped", "place": "phone", "number": "+8613800138000"}


def _domain() -> Domain:
    return Domain.load("domain")


def _spoken_variants():
    domain = _domain()
    pick = ResponseVariationFilter(domain.responses)
    for name in sorted(domain.responses):
        for lang in ("en", "zh"):
            for variant in pick.responses_for_utter_action(name, IvrInput.name(), {"language": lang}):
                yield name, lang, variant


def _problems(template: str, lang: str, buttons=()) -> list:
    found = []
    for values in SLOT_VALUES:
        raw = SLOT.sub(lambda m: values.get(m.group(1)) or DEFAULT_VALUES.get(m.group(1), "QX-100002"), template)
        actions, _, more = IvrInput._render([{"text": raw, "buttons": list(buttons)}], lang)
        spoken = " ".join(a["text"] for a in actions) + " " + more
        found += [m.group(0) for m in FORBIDDEN[lang].finditer(template + "\n" + spoken)]
        found += [m.group(0) for m in MARKUP.finditer(template + "\n" + spoken)]
        plain = re.sub(r"\bQX-\d{6}\b|\+\d[\d -]*\d", "", spoken)  # marked up to be read digit by digit
        found += [m.group(0) for m in SPOKEN_ONLY.finditer(plain)]
    return found


def test_every_response_the_ivr_can_say_is_phone_wording():
    checked, bad = 0, []
    for name, lang, variant in _spoken_variants():
        checked += 1
        found = _problems(variant.get("text") or "", lang, variant.get("buttons") or ())
        if found:
            bad.append((name, lang, variant.get("channel"), sorted(set(found))))
    assert checked > 150  # every response, both languages
    assert bad == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_buttons_added_by_actions_are_phone_wording(lang):
    assert _problems("", lang, STEP_BUTTONS[lang]) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_bridge_prompts_are_phone_wording(lang):
    for key, texts in PROMPTS.items():
        assert _problems(texts[lang].format(number="+8613800138000", said="Q X 1 0 0 0 0 2"), lang) == [], key


def test_the_check_catches_web_wording():
    assert _problems("Thanks for chatting! Click **here**: https://qx.example 😀", "en")
    assert _problems("点击下方按钮，人工同事会在这里直接回复您", "zh")
    assert _problems("You can try {tries_left} more time(s).", "en")
    assert _problems("Call 4000 1234 5678 now.", "en")


@pytest.mark.parametrize("raw,lang,said", [
    ("If {destination} is the e-mail on order {order_number}, a code is on its way.", "en",
     "If the e-mail starting with e at example dot com is the e-mail on order QX-100002, a code is on its way."),
    ("Please key in the 6-digit code from the message to {order_contact}.", "en",
     "Please key in the 6-digit code from the message to the number ending 2 2 2 2."),
    ("请输入发送到 {order_contact} 的消息中的 6 位验证码。", "zh", "请输入发送到 尾号 2 2 2 2 的号码 的消息中的 6 位验证码。"),
])
def test_masked_contacts_are_said_in_words(raw, lang, said):
    values = SLOT_VALUES[0] if "destination" in raw else SLOT_VALUES[1]
    actions, _, _ = IvrInput._render([{"text": SLOT.sub(lambda m: values.get(m.group(1), "QX-100002"), raw)}], lang)
    assert actions[0]["text"] == said


@pytest.mark.parametrize("lang, hazard_text", [("en", "I can smell gas in my kitchen"), ("zh", "我家里有很浓的煤气味")])
def test_the_safety_advice_is_spoken_in_full_not_cut_to_two_sentences(lang, hazard_text):
    # a fresh new user on the phone heard only "call the emergency services" and "Want more details?"
    from bot.handover.safety import safety_advice

    advice = safety_advice([hazard_text], lang)
    actions, _, more = IvrInput._render([{"text": advice}], lang)
    spoken = " ".join(a.get("text", "") for a in actions)
    assert more == "" and ("leave now" in spoken or "立即离开" in spoken)
    assert "Want more details?" not in spoken and "需要了解更多吗" not in spoken
    # an ordinary long answer is still cut
    long = "First sentence here. " * 20
    _, _, rest = IvrInput._render([{"text": long}], "en")
    assert rest
