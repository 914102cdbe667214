"""Idempotent turns: a message carrying a client id is processed once (DESIGN.md §8, §9).

A client that may send a message twice (a REST integration retrying after a
timeout, the web widget sending again what it had not seen acknowledged
after a reconnect, WeChat retrying a MsgId, the IVR platform retrying a seq)
puts an id in the message's metadata, ``metadata.message_id``. The Rasa
server records it with the user message in the tracker. ``install()`` (called by
``bot.rasa_patches.install_all()``) wraps
Rasa's ``MessageProcessor.handle_message`` — which Rasa runs under the
conversation's lock (``Agent.handle_message``) — so that a message whose id
is already in the tracker is not processed again: the bot messages that
answered it the first time are sent again instead, and nothing else runs
(no action, no ticket, no second answer). Because the check reads the saved
tracker under the lock, it holds across retries that arrive while the first
turn is still running (they wait for the lock) and across a server that died
after the turn was saved (the tracker is in the database).

Ids are strings of 1–``MAX_MESSAGE_ID_CHARS`` printable characters, unique
per conversation; a client without ids gets at-most-once turns.

A retry is the same message again. An id the client chooses (REST, the web
chat, Rasa's HTTP API) used again for a *different* text is a client bug, not
a retry: the message was silently answered with the first one's answer and
lost. It is now refused with :class:`MessageIdConflict` (REST answers 409, the
web chat its ``chat_error``; the agent API's ``ReplyIdConflict`` for a reply's
id is one too). The text is compared through a digest the first message keeps
in its metadata (:data:`TEXT_DIGEST_KEY`), so a retry still matches after the
stored text was rewritten (a card number split over two messages is masked in
both afterwards). On WeChat and the IVR (:data:`PLATFORM_CHANNELS`) the id is
the signed platform's own (MsgId, call and seq), and what a retry's text turns
into may differ (a numbered option read with newer options): the first answer
is sent again, as before.
"""
from __future__ import annotations

import hashlib
import logging
import unicodedata
from typing import Any, Iterable, List, Optional, Tuple

from bot.domain import Channel, MessageIdConflict  # raised here; bot.domain holds it for the agent API's too

logger = logging.getLogger(__name__)

METADATA_KEY = "message_id"
#: Where a message with an id keeps the digest of its text (:func:`text_digest`), set on the server only.
TEXT_DIGEST_KEY = "message_text_digest"
MAX_MESSAGE_ID_CHARS = 128
#: Channels whose ids a signed platform makes (Rasa ``input_channel`` names): a reused id is its retry.
PLATFORM_CHANNELS = frozenset({Channel.WECHAT.rasa_name, Channel.IVR.rasa_name})
_installed = False
#: Hex digits as letters: the digest is stored in metadata, whose card-number masking must never touch it.
_DIGITS_AS_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def conflict_reason() -> str:
    """What a client whose ``message_id`` names another message is told."""
    return ("message_id was already used in this conversation for a different message; "
            "send a new message with a new id (a retry repeats the same text)")


def text_digest(text: Optional[str]) -> str:
    """A digest of a message's text for :data:`TEXT_DIGEST_KEY`: SHA-256 in hex with the digits written as the
    letters g-p (no digit run the card masking of metadata could read as a card number).

    Args:
        text: the message text as the processor receives it (None counts as empty).

    Returns:
        64 lower-case letters a-p.
    """
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest().translate(_DIGITS_AS_LETTERS)


def same_message(first: Any, text: Optional[str]) -> bool:
    """Whether ``text`` is the text of ``first``, the ``UserUttered`` that carried the id first: compared
    by the digest it kept (:data:`TEXT_DIGEST_KEY`), or by its text when it has none (older events).

    Args:
        first: a Rasa ``UserUttered`` event.
        text: the new message's text.

    Returns:
        True for a retry of the same message.
    """
    kept = (first.metadata or {}).get(TEXT_DIGEST_KEY)
    if isinstance(kept, str):
        return kept == text_digest(text)
    return (first.text or "") == (text or "")


def check_message_id(value: Any) -> Optional[str]:
    """A client's message id, or None when absent.

    Args:
        value: the ``message_id`` the client sent (any JSON value), or None.

    Returns:
        The id string, or None.

    Raises:
        ValueError: with a reason for the client (not a string, empty, longer
            than ``MAX_MESSAGE_ID_CHARS``, control characters or lone surrogates).
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("message_id must be a string")
    if not value.strip():
        raise ValueError("message_id must not be empty")
    if len(value) > MAX_MESSAGE_ID_CHARS:
        raise ValueError(f"message_id longer than {MAX_MESSAGE_ID_CHARS} characters")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in value):
        raise ValueError("message_id must not contain control characters or lone surrogates")
    return value


def message_id_of(metadata: Optional[dict]) -> Optional[str]:
    """The id in a message's metadata, if it is a valid one (else None: processed as without id).

    Args:
        metadata: the message's metadata dict, or None.

    Returns:
        The id string, or None.
    """
    try:
        return check_message_id((metadata or {}).get(METADATA_KEY))
    except ValueError:
        return None


def answer_to(events: Iterable[Any], message_id: str) -> Optional[List[dict]]:
    """The bot messages that answered the user message with ``message_id``.

    Args:
        events: a tracker's events (Rasa ``Event`` objects), oldest first.
        message_id: the client's id.

    Returns:
        None when no user message carries that id (a new message); else the
        messages (``BotUttered.message()`` dicts, in order) between it and the
        next user message — possibly empty.
    """
    from rasa.shared.core.events import BotUttered, UserUttered

    answer: Optional[List[dict]] = None
    for event in events:
        if isinstance(event, UserUttered):
            if answer is not None:
                break
            if message_id_of(event.metadata) == message_id:
                answer = []
        elif answer is not None and isinstance(event, BotUttered):
            answer.append(event.message())
    return answer


class _Answers:
    """The answers ``answer_to`` finds, for every id of a tracker's events, continued over
    the events a tracker gained since (each message id is looked up once, not every turn)."""

    __slots__ = ("seen", "last", "answers", "firsts", "current")

    def __init__(self) -> None:
        self.seen = 0  # events folded
        self.last: Any = None  # the last of them (still there, in place: the memo holds)
        self.answers: dict = {}  # message id -> the BotUttered events answering its first message
        self.firsts: dict = {}  # message id -> the UserUttered that carried it first
        self.current: Optional[list] = None  # the answer still collecting (the latest user message's)

    def fold(self, events: Iterable[Any]) -> None:
        """``answer_to``'s loop over ``events``, for every id at once."""
        from rasa.shared.core.events import BotUttered, UserUttered

        for event in events:
            if isinstance(event, UserUttered):
                message_id = message_id_of(event.metadata)
                if message_id is not None and message_id not in self.answers:
                    self.current = self.answers[message_id] = []
                    self.firsts[message_id] = event
                else:
                    self.current = None
            elif self.current is not None and isinstance(event, BotUttered):
                self.current.append(event)


_ANSWERS_MEMO = "_idempotency_answers"


def remembered_answer_to(tracker: Any, message_id: str) -> Optional[List[dict]]:
    """``answer_to(tracker.events, message_id)``, reading only the events the tracker gained
    since the last call (issue 16: the scan of the whole session each turn grew with it).

    The tracker remembers what it read while the events it read are still there, in place
    (same number at least, the same object where the last one was); else it reads them all
    again, as ``answer_to`` does.

    Args:
        tracker: the conversation's Rasa ``DialogueStateTracker`` (events in order).
        message_id: the client's id.

    Returns:
        What ``answer_to`` returns: None for a new id, else the answer's messages (possibly none).
    """
    turn = remembered_turn(tracker, message_id)
    return None if turn is None else turn[1]


def remembered_turn(tracker: Any, message_id: str) -> Optional[Tuple[Any, List[dict]]]:
    """The turn of ``message_id`` in ``tracker`` as :func:`remembered_answer_to` finds it, with its message.

    Args:
        tracker: the conversation's Rasa ``DialogueStateTracker`` (events in order).
        message_id: the client's id.

    Returns:
        None for a new id, else ``(the UserUttered that carried it first, the answer's messages)``.
    """
    events = tracker.events
    total = len(events)
    memo = tracker.__dict__.get(_ANSWERS_MEMO)
    if memo is not None and memo.seen <= total and (memo.seen == 0 or events[memo.seen - 1] is memo.last):
        memo.fold([events[i] for i in range(memo.seen - total, 0)])  # from the end: no walk past the seen
    else:
        memo = _Answers()
        memo.fold(events)
    memo.seen, memo.last = total, (events[-1] if total else None)
    tracker.__dict__[_ANSWERS_MEMO] = memo
    answer = memo.answers.get(message_id)
    return None if answer is None else (memo.firsts[message_id], [event.message() for event in answer])


def install() -> None:
    """Wrap ``MessageProcessor.handle_message`` (once per process) with the id check.

    A message whose id is new keeps the digest of its text (:data:`TEXT_DIGEST_KEY`) and is
    processed; one whose id is in the tracker gets that turn's answer again if it is the same
    message, else ``MessageIdConflict`` is raised and nothing runs (on WeChat and the IVR the first
    answer is sent again whatever the text). Raising reaches the channel through Rasa's
    ``Agent.handle_message``.
    """
    global _installed
    if _installed:
        return
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor.handle_message

    async def handle_message(self, message):  # type: ignore[no-untyped-def]
        message_id = message_id_of(message.metadata)
        if message_id is not None:
            message.metadata = {**message.metadata, TEXT_DIGEST_KEY: text_digest(message.text)}
            tracker = await self.tracker_store.retrieve(message.sender_id)
            turn = remembered_turn(tracker, message_id) if tracker is not None else None
            if turn is not None:
                first, answer = turn
                if message.input_channel not in PLATFORM_CHANNELS and not same_message(first, message.text):
                    logger.info("message %s of %s refused: the id was used for a different message",
                                message_id, message.sender_id)  # the channel logs its refusal
                    raise MessageIdConflict(conflict_reason())
                logger.info("message %s of %s was already processed: its answer is sent again",
                            message_id, message.sender_id)
                for reply in answer:  # as Rasa sent them (MessageProcessor._send_bot_messages)
                    await message.output_channel.send_response(message.sender_id, reply)
                collected = getattr(message.output_channel, "messages", None)
                return collected if isinstance(collected, list) else None
        return await original(self, message)

    handle_message.__doc__ = original.__doc__
    MessageProcessor.handle_message = handle_message
    _installed = True
