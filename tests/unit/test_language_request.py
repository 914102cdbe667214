"""Session 29: a customer who asks the bot to use a language is answered in it and stays with the bot.

A new user's probe: "Can you speak English please" went to the human queue (the request reader read "speak" as a request
for a person), 能用中文吗 got the payment FAQ, "Do you speak Chinese?" was answered in English.
"""
import pytest

from bot.handover.policy import Emotion, Turn, decide, load_config
from bot.handover.triage import not_a_request
from bot.nlu.extractors import LanguageDetector
from bot.nlu.language import requested_language

ASKED = [
    ("Can you speak English please", "en"), ("Do you speak Chinese?", "zh"), ("能用中文吗", "zh"), ("可以说中文吗", "zh"),
    ("请说英文", "en"), ("English please", "en"), ("你会说英语吗", "en"), ("请用中文回复", "zh"), ("有中文客服吗", "zh"),
    ("can you reply in mandarin", "zh"), ("换成英文", "en"), ("Could we continue in English?", "en"), ("中文", "zh"),
]
MENTIONED = ["Is the manual in Chinese?", "my English order is late", "do you ship to China",
             "Do you have the English version of the manual?", "我想要英文说明书", "英文版有吗", "English or Chinese?"]


@pytest.mark.parametrize("text, language", ASKED)
def test_a_language_asked_for_is_read(text, language):
    assert requested_language(text) == language


@pytest.mark.parametrize("text", MENTIONED)
def test_a_language_only_mentioned_asks_for_nothing(text):
    assert requested_language(text) is None


@pytest.mark.parametrize("text, language", [("Do you speak Chinese?", "zh"), ("请说英文", "en"), ("Where is my order?", "en"),
                                            ("我的订单到哪了", "zh")])
def test_the_language_slot_follows_the_language_asked_for(text, language):
    entities = LanguageDetector.__new__(LanguageDetector).entities_for(text)
    assert [e["value"] for e in entities] == [language]


@pytest.mark.parametrize("text", ["Can you speak English please", "Do you speak Chinese?", "请说英文"])
def test_asking_for_a_language_is_no_request_for_a_person(text):
    assert not_a_request(text)
    # read as a request by the learned reader (score 0.9), it handed over
    turn = Turn.from_text("request_human", Emotion("neutral", 0.9, 0.02), text)
    assert decide([turn], load_config()) is None


@pytest.mark.parametrize("text", ["can I talk to someone in Chinese", "I want a person who speaks English"])
def test_a_person_who_speaks_a_language_is_still_a_request(text):
    assert not not_a_request(text)
    decision = decide([Turn.from_text("request_human", Emotion("neutral", 0.9, 0.02), text)], load_config())
    assert decision is not None and decision.code == "customer_request"
