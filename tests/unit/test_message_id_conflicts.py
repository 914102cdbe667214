"""A message id used again (review chan29 #4, bot/storage/idempotency.py): the same text is a retry,
answered again; another text is refused with MessageIdConflict (REST 409, web chat ``chat_error``),
except for the ids a signed platform makes (WeChat, IVR), whose retries are answered as before."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from bot.privacy.masking import mask_cards
from bot.services.tickets import ReplyIdConflict
from bot.storage import idempotency
from bot.storage.idempotency import TEXT_DIGEST_KEY, MessageIdConflict, text_digest


class _Processor:
    """A processor whose tracker already holds the turn of message ``m-1`` (the wrapper answers it
    without calling Rasa's own ``handle_message``: that would fail here, and must not run)."""

    def __init__(self, first: UserUttered) -> None:
        tracker = DialogueStateTracker.from_events("conv-1", [first, BotUttered("The first answer.")])
        self.tracker_store = SimpleNamespace(retrieve=self._retrieve)
        self._tracker = tracker

    async def _retrieve(self, sender_id):
        return self._tracker


def first_message(text: str, digest: bool = True) -> UserUttered:
    metadata = {"message_id": "m-1", **({TEXT_DIGEST_KEY: text_digest(text)} if digest else {})}
    return UserUttered(text, {"name": "greet", "confidence": 1.0}, metadata=metadata)


def handle(processor, text: str, channel: str = "rest"):
    rasa_patches.install_all()
    message = UserMessage(text, CollectingOutputChannel(), "conv-1", input_channel=channel,
                          metadata={"message_id": "m-1"})
    return asyncio.run(MessageProcessor.handle_message(processor, message))


@pytest.mark.parametrize("channel", ["rest", "webchat", None])
@pytest.mark.parametrize("digest", [True, False], ids=["digest", "older-event-without-digest"])
def test_the_same_text_is_a_retry_and_another_text_a_conflict(channel, digest):
    processor = _Processor(first_message("where is my order?", digest))
    assert [m["text"] for m in handle(processor, "where is my order?", channel)] == ["The first answer."]
    assert [m["text"] for m in handle(processor, "  where is my order?  ", channel)] == ["The first answer."]
    with pytest.raises(MessageIdConflict, match="message_id was already used"):
        handle(processor, "talk to a human", channel)


@pytest.mark.parametrize("channel", ["wechat", "ivr"])
def test_a_platforms_retry_is_answered_again_whatever_its_text_turns_into(channel):
    # WeChat maps a retried "1" with the options shown since: another text, the same MsgId
    processor = _Processor(first_message("/request_human"))
    assert [m["text"] for m in handle(processor, "1", channel)] == ["The first answer."]


def test_the_digest_survives_the_metadata_masking_and_tells_texts_apart():
    for text in ("4111 1111 1111 1111", "1111 1111", "", "你好", "a" * 4000):
        digest = text_digest(text)
        assert len(digest) == 64 and set(digest) <= set("abcdefghijklmnop") and mask_cards(digest) == digest
    assert text_digest("a") != text_digest("b") and text_digest(None) == text_digest("")


def test_the_agent_apis_reply_id_conflict_is_a_message_id_conflict():
    assert issubclass(ReplyIdConflict, idempotency.MessageIdConflict)
