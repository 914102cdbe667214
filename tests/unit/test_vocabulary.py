"""Each word of the domain defined once (issue 12): flows, languages, ticket event kinds,
the web chat's channel name, and one rule for a text's language."""
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SOURCES = [p for folder in ("bot", "actions", "connectors") for p in (PROJECT / folder).rglob("*.py")
           if "migrations" not in p.parts]


def defining(pattern: str) -> list[str]:
    """The project files (bot, actions, connectors) whose source matches ``pattern``."""
    return sorted(str(p.relative_to(PROJECT)) for p in SOURCES if re.search(pattern, p.read_text(encoding="utf-8")))


def test_the_password_reset_flow_is_named_once():
    from bot.domain import Flow

    assert Flow.PASSWORD_RESET == "password_reset"
    assert defining(r'"password_reset"') == ["bot/domain.py"]


def test_the_languages_and_the_language_slot_are_defined_once():
    import bot.nlu.language as nlu_language
    import connectors.webchat as webchat
    from bot import domain

    assert domain.LANGUAGES == ("en", "zh") and webchat.LANGUAGES is domain.LANGUAGES
    assert not hasattr(nlu_language, "SUPPORTED")
    assert defining(r'\(\s*"en",\s*"zh"\s*\)\s*$|= \("en", "zh"\)') == ["bot/domain.py"]
    assert defining(r'get_slot\("language"\) == "zh"') == ["bot/domain.py"]


class Slots:
    def __init__(self, language):
        self.language = language

    def get_slot(self, name):
        return self.language if name == "language" else None


@pytest.mark.parametrize("slot, language", [("zh", "zh"), ("en", "en"), (None, "en"), ("fr", "en")])
def test_language_of_reads_the_slot(slot, language):
    from bot.domain import language_of

    assert language_of(Slots(slot)) == language


@pytest.mark.parametrize("text, language", [
    ("How do I 退货 please, it is broken", "en"),  # emotion and the voice said zh: any Chinese character
    ("我的order到哪了", "zh"),
    ("您好，欢迎致电", "zh"),
    ("where is my order?", "en"),
])
def test_one_script_rule_for_the_nlu_the_emotion_model_and_the_voice(text, language):
    from bot.nlu import emotion
    from bot.nlu.language import detect_language
    from connectors.ivr import ssml

    assert detect_language(text) == emotion.language_of(text) == ssml.language_of(text, "en") == language


def test_ticket_event_kinds_are_written_through_the_vocabulary():
    from bot.domain import HISTORY_EVENTS, TicketEvent

    assert set(HISTORY_EVENTS) < {e.value for e in TicketEvent}
    kinds = "|".join(e.value for e in TicketEvent)
    assert defining(r'add_event\([^,()]+,\s*"(' + kinds + r')"') == []
    assert defining(r'kind\s*(==|=)\s*"(' + kinds + r')"') == []
    assert defining(r'(?m)^(\w+_EVENT|VIEWED) = "|HISTORY_KINDS = \(') == []


def test_the_wait_outcome_and_the_web_chat_name_are_constants():
    import connectors.webchat as webchat
    from bot.domain import Channel

    assert defining(r'outcome == "callback"') == []
    assert '"webchat"' not in (PROJECT / "connectors/webchat/__init__.py").read_text(encoding="utf-8")
    assert webchat.WEBCHAT == Channel.WEB.rasa_name == "webchat" and webchat.WebchatInput.name() == "webchat"
