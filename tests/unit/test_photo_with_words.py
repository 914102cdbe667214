"""A photo sent with words (s20eng2 #4): the words are still read, so a request for a person hands over
(the photo goes with the packet); a photo with nothing asked goes to the case as before."""
from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.handover.handoff_policy import HANDOFF, RELAY, HandoffPolicy

PHOTO = {"attachment_id": "0123456789abcdef0123456789abcdef", "channel": "rest"}


def _tracker(text: str, intent: str, metadata=PHOTO) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("photo-words", [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": intent, "confidence": 0.95}, metadata=metadata)])


@pytest.mark.parametrize("text", ["I want to talk to a human", "我要转人工"])
def test_a_photo_with_a_request_for_a_person_hands_over(text):
    assert HandoffPolicy._predict(object.__new__(HandoffPolicy), _tracker(text, "request_human")) == HANDOFF


def test_a_photo_with_nothing_asked_goes_to_the_case():
    assert HandoffPolicy._predict(object.__new__(HandoffPolicy), _tracker("here it is", "inform")) == RELAY
