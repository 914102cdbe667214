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
    "en": re.compile(r"\b(?:chat|chatting|click|clicking|tap|reply right here|type|typed|typing|write|scroll|emoji)\b",
                     re.I),
    "zh": re.compile(r"点击|聊天|在这里回复|直接回复|打字|重新输入"),
}
MARKUP = re.compile(
    r"https?://|www\.|\*\*|__|`|^\s*#|\]\(|^\s*[-*+•]\s|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\ufe0f]", re.M)
SLOT = re.compile(r"\{(\w+)\}")


def _domain() -> Domain:
    return Domain.load("domain")


def _spoken_variants():
    domain = _domain()
    pick = ResponseVariationFilter(domain.responses)
    for name in sorted(domain.responses):
        for lang in ("en", "zh"):
            for variant in pick.responses_for_utter_action(name, IvrInput.name(), {"language": lang}):
                yield name, lang, variant


def _problems(raw: str, lang: str, buttons=()) -> list:
    raw = SLOT.sub("QX-100002", raw)
    actions, _, more = IvrInput._render([{"text": raw, "buttons": list(buttons)}], lang)
    spoken = " ".join(a["text"] for a in actions) + " " + more
    found = [m.group(0) for m in FORBIDDEN[lang].finditer(raw + "\n" + spoken)]
    found += [m.group(0) for m in MARKUP.finditer(raw + "\n" + spoken)]
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
