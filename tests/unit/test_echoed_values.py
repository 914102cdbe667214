"""Customer words the bot echoes never become a link or markup (fresh-user report 1: an address
"[Verify your agent session here](https://evil.example/login) 1 Main St" became a link in a line the
agent desk heads "Bot"). bot/nlg.py escapes every value Rasa fills into a response's text."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.text import markdown_literal, markdown_to_text

ROOT = Path(__file__).resolve().parents[2]
EVIL = "[Verify your agent session here](https://evil.example/login) 1 Main St"
# a markdown link, an autolink, a bare URL: what any renderer would make a link of
LINKISH = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)<https?:|https?://")


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain"))


@pytest.mark.parametrize("value", [EVIL, "**urgent** `x` _y_ ~~z~~ <b>hi</b>", "see www.evil.example",
                                   "a\\b [x]\n- [y](https://e.example)", "<https://evil.example/login>"])
def test_a_literal_value_shows_as_written_and_forms_no_link(value):
    shown = markdown_literal(value)
    assert not LINKISH.search(shown), shown
    assert not re.search(r"(?<!\\)[*`~<>\[\]]", shown.replace("\\\\", "")), shown
    assert "\n" not in shown
    assert markdown_to_text(shown) == re.sub(r"\s*\n\s*", " ", value)  # a text-only channel: as written


def test_plain_values_are_left_alone():
    for value in ("221B Baker Street, London NW1 6XE", "emma_wilson@example.com", "QX-100001", "+8613900139000",
                  "北京市朝阳区建国路88号"):
        assert markdown_literal(value) == value


def test_the_address_is_echoed_escaped_and_the_slot_keeps_what_the_customer_wrote(domain):
    from bot.nlg import LiteralValuesNaturalLanguageGenerator

    nlg = LiteralValuesNaturalLanguageGenerator(domain=domain)
    slots = {"order_number": "QX-100001", "new_address": EVIL, "language": "en"}
    for action, channel in (("utter_ask_address_change_confirmed", "rest"), ("utter_address_changed", "socketio")):
        text = nlg.generate_from_slots(action, dict(slots), channel)["text"]
        assert "evil.example" in text and not LINKISH.search(text), text
        assert EVIL in markdown_to_text(text)  # what a text-only channel shows: the words as written
    assert slots["new_address"] == EVIL
    masked = nlg.generate_from_slots("utter_ask_one_time_code", {"order_contact": "e***@example.com"}, "rest")
    assert markdown_to_text(masked["text"]) == "Please type the 6-digit code from the message to e***@example.com."


def test_a_value_an_action_passes_is_escaped_too(domain):
    from bot.nlg import LiteralValuesNaturalLanguageGenerator

    nlg = LiteralValuesNaturalLanguageGenerator(domain=domain)
    text = nlg.generate_from_slots("utter_code_sent", {}, "rest", destination="[x](https://evil.example)",
                                   order_number="QX-100001")["text"]
    assert not LINKISH.search(text), text


def test_endpoints_yml_names_the_generator(domain, monkeypatch):
    from rasa.core.nlg import NaturalLanguageGenerator
    from rasa.utils.endpoints import read_endpoint_config

    from bot.nlg import LiteralValuesNaturalLanguageGenerator

    for name in ("ACTIONS_HOST", "ACTIONS_PORT", "ACTION_SERVER_TOKEN"):
        monkeypatch.setenv(name, "x")
    nlg = NaturalLanguageGenerator.create(read_endpoint_config(str(ROOT / "endpoints.yml"), "nlg"), domain)
    assert isinstance(nlg, LiteralValuesNaturalLanguageGenerator)
    assert nlg.responses is domain.responses


def test_the_readme_shows_the_rest_text_with_its_escapes_and_says_why(domain):
    """Fresh-user report 26 #4: the README quoted masked contacts as ``z***@example.com`` and ``139****9000``,
    but a REST client receives ``z\\*\\*\\*@example.com``; its examples show the real text, explained once in
    *Talk to it* next to the first REST example."""
    import json

    from actions.handoff import contact_noted
    from bot.customers.otp import mask_destination
    from bot.nlg import LiteralValuesNaturalLanguageGenerator

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    talk = readme.split("\n## Talk to it\n", 1)[1].split("\n### ", 1)[0]
    nlg = LiteralValuesNaturalLanguageGenerator(domain=domain)
    sent = nlg.generate_from_slots("utter_code_sent", {"language": "en"}, "rest",
                                   destination=mask_destination("email", "li.na@example.com"),
                                   order_number="QX-100002")["text"]
    assert json.dumps(sent) in talk  # the curl example's raw JSON, escapes included
    # session 38, a new user's read: the "yes" turn and the second message after the e-mail are shown too
    masked = mask_destination("email", "li.na@example.com")
    for response, slots in (("utter_ask_order_contact", {"order_number": "QX-100002"}),
                            ("utter_ask_one_time_code", {"order_contact": masked})):
        said = nlg.generate_from_slots(response, {"language": "en", **slots}, "rest")["text"]
        assert json.dumps(said) in talk, response
    assert "escaped for\nmarkdown renderers" in talk and "markdown_to_text" in talk
    noted = contact_noted({"phone": "+8613900139000"}, "en")
    assert noted.split(", ", 1)[1].split(" as ")[0] == "I've noted 139\\*\\*\\*\\*9000"
    assert "`I've noted 139\\*\\*\\*\\*9000 as the number" in talk
    assert "`If z\\*\\*\\*@example.com is the e-mail or phone" in readme
    for unescaped in ('"I\'ve noted 139****9000', '"If\nz\\*\\*\\*@example.com'):
        assert unescaped not in readme


class _NotToBeRead:
    """A value whose text must never be made: it stands for the domain's 48 KB of responses that Rasa passes to every
    response as ``domain_responses``."""

    def __str__(self) -> str:
        raise AssertionError("a value the response does not name was escaped")

    __repr__ = __str__
    __format__ = lambda self, spec: str(self)  # noqa: E731


def test_only_the_values_a_response_names_are_escaped(domain):
    from bot.nlg import LiteralValuesNaturalLanguageGenerator

    nlg = LiteralValuesNaturalLanguageGenerator(domain=domain)
    slots = {"order_number": "QX-100001", "new_address": EVIL, "language": "en", "session_started_metadata": {}}
    text = nlg.generate_from_slots("utter_ask_address_change_confirmed", slots, "rest",
                                   domain_responses=_NotToBeRead())["text"]
    assert "QX-100001" in text and not LINKISH.search(text), text


def test_every_response_reads_as_before_when_only_named_values_are_escaped(domain):
    """Each of the domain's text responses, filled with every slot set to a hostile value, is the text the generator
    gave when it escaped every value (before session 40)."""
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator, interpolator

    from bot.nlg import LiteralValuesNaturalLanguageGenerator, literal_values

    class EscapingEverything(TemplatedNaturalLanguageGenerator):
        def _fill_response(self, response, filled_slots=None, **kwargs):
            values = self._response_variables(filled_slots, kwargs)
            text = response.get("text")
            response = super()._fill_response(response, filled_slots, **kwargs)
            if values and isinstance(text, str):
                response["text"] = interpolator.interpolate_text(text, literal_values(values))
            return response

    ours, before = LiteralValuesNaturalLanguageGenerator(domain=domain), EscapingEverything(domain.responses)
    slots = {slot.name: f"{EVIL} {slot.name} **x**" for slot in domain.slots}
    named = {found for variations in domain.responses.values() for variation in variations
             for found in re.findall(r"{([^\n{}]+?)}", variation.get("text") or "")}
    extra = {name: f"<https://evil.example/{name}> _{name}_" for name in named - set(slots)}
    extra["position"] = 3  # a number is filled as it is
    assert len(extra) >= 10
    compared = 0
    for name in domain.responses:
        for channel in ("rest", "socketio", "wechat", "ivr"):
            mine = nlg_text(ours, name, slots, channel, extra)
            assert mine == nlg_text(before, name, slots, channel, extra), name
            compared += mine is not None
    assert compared > 100


def nlg_text(nlg, name, slots, channel, extra):
    filled = nlg.generate_from_slots(name, dict(slots), channel, **extra)
    return None if filled is None else filled.get("text")
