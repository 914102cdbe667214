"""Full card numbers are masked in what the customer writes before the Rasa server stores or
parses it (bot.privacy.masking.mask_cards, installed on MessageProcessor.log_message by
bot/rasa_patches.py); phones, e-mails and order numbers stay as written."""
import asyncio

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from bot import rasa_patches
from bot.privacy.masking import mask_cards, mask_cards_in

TESTER = ("My card 4111 1111 1111 1111 was charged twice for QX-100003, email me at bob@example.com, "
          "phone 13800138000, I want a human")


@pytest.mark.parametrize("text, masked", [
    (TESTER, "My card [card …1111] was charged twice for QX-100003, email me at bob@example.com, "
             "phone 13800138000, I want a human"),
    ("卡号4111-1111-1111-1111被盗刷了", "卡号[card …1111]被盗刷了"),
    ("card 4111 1111 1111 1111 123 thanks", "card [card …1111] thanks"),  # the CVV after it too
    ("卡号４１１１　１１１１　１１１１　１１１１", "卡号[card …1111]"),
    ("4242424242424242", "[card …4242]"),
])
def test_card_numbers_are_replaced_by_the_transcripts_tag(text, masked):
    assert mask_cards(text) == masked
    assert mask_cards(masked) == masked  # idempotent


@pytest.mark.parametrize("text", [
    "ref 1234 5678 9012 3456 (not a valid card)",  # 16 digits, Luhn fails
    "4111 1111 1111 1112",
    "call me on 13800138000 or +44 7700 900123, mail li.na@example.com",
    "order QX-100003 and 20-digit order 12345678901234567890",
    "身份证11010519491231002X",
    "paid ¥1,299.00 on 2026-11-30 14:30",
    "",
])
def test_everything_else_passes_through(text):
    assert mask_cards(text) == text


def test_nested_values_are_masked_and_keys_kept():
    spoken = {"heard": "four one one one", "text": "card 4111111111111111",
              "identifiers": [{"kind": "digits", "value": "4111111111111111"}], "confidence": 0.9}
    assert mask_cards_in(spoken) == {"heard": "four one one one", "text": "card [card …1111]",
                                     "identifiers": [{"kind": "digits", "value": "[card …1111]"}],
                                     "confidence": 0.9}


class _Processor:
    """What MessageProcessor.log_message uses of its processor: it records the message it logs."""

    def __init__(self) -> None:
        self.logged = []

    async def fetch_tracker_and_update_session(self, sender_id, output_channel, metadata):
        return "tracker"

    async def _handle_message_with_tracker(self, message, tracker):
        self.logged.append((message.text, message.parse_data, message.metadata))

    async def save_tracker(self, tracker):
        pass


def test_rasa_logs_and_parses_the_masked_text():
    rasa_patches.install_all()
    processor = _Processor()
    metadata = {"message_id": "4111111111111111", "spoken": {"heard": "4111 1111 1111 1111"}}
    message = UserMessage(TESTER, sender_id="pii1", input_channel="rest", metadata=metadata,
                          parse_data={"text": "4111 1111 1111 1111", "intent": {"name": "x"}})
    asyncio.run(MessageProcessor.log_message(processor, message))
    [(text, parse_data, logged_metadata)] = processor.logged
    assert "4111" not in text and "[card …1111]" in text
    assert "QX-100003" in text and "13800138000" in text and "bob@example.com" in text
    assert parse_data == {"text": "[card …1111]", "intent": {"name": "x"}}
    # the IVR's record of what was heard is masked; a client's message id is left alone
    assert logged_metadata == {"message_id": "4111111111111111", "spoken": {"heard": "[card …1111]"}}


@pytest.mark.parametrize("text, masked", [
    ("card 4111 1111 1111 1111 exp 12/28 cvv 123", "card [card …1111] exp 12/28 cvv [cvv]"),
    ("CVC: 4567 thanks", "CVC: [cvv] thanks"),
    ("the security code is 321", "the security code is [cvv]"),
    ("安全码是 123", "安全码是 [cvv]"),
    ("验证码 123456", "验证码 123456"),  # the code the bot sent to prove an order: kept
    ("cvv", "cvv"),
])
def test_a_security_code_named_as_such_is_masked_too(text, masked):
    # a fresh new user's "exp 12/28 cvv 123" kept the CVV in the tracker
    assert mask_cards(text) == masked
