"""Live signals to a customer's open chat that are not messages: "agent is typing" and read receipts.

A message goes through the outbox (bot/queue/delivery.py) so it is never lost; a
signal is not stored: it reaches the clients open right now or nobody. The
web chat registers a signaller at start-up (connectors/webchat); it emits
the signal only to the project's widget (``qx-webchat/1``), never to a
standard Rasa client, whose protocol has no such events (DESIGN.md §8).

Read receipts, defined simply: a customer message counts as *read* once an
agent loaded the ticket (``GET /agent/api/tickets/{id}``, or the claim, which
answers with the same view) and the message was in what that view showed
(the hand-over transcript or a message filed on the ticket since). The mark
is the time of the newest customer message the agent saw; it is kept as a
``viewed`` ticket event (so every server and a restarted one know it) and
only ever moves forward (``bot.services.webchat.agent_viewed``).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Awaitable, Callable, Dict, Iterable, Optional

from bot.domain import Channel

logger = logging.getLogger(__name__)

# (conversation id, event name, data) -> True when at least one open client was sent it
Signaller = Callable[[str, str, dict], Awaitable[bool]]
_SIGNALLERS: Dict[str, Signaller] = {}
AGENT_TYPING = "agent_typing"  # {"agent": display name}: shown for a few seconds
READ = "read"  # {"up_to": Unix seconds}: the customer's messages up to then were seen by an agent


def register_signaller(channel: str, signaller: Signaller) -> None:
    """A channel (its delivery name, e.g. ``webchat``) that can show live signals calls this at start-up.

    Args:
        channel: the channel's delivery name.
        signaller: a coroutine function ``(conversation_id, event, data) -> bool`` sending to its open
            clients (True when some client got it).
    """
    _SIGNALLERS[channel] = signaller


async def signal(channel: str, conversation_id: str, event: str, data: dict) -> bool:
    """Send ``event`` with ``data`` to the conversation's open clients on ``channel``.

    Args:
        channel: the channel's delivery name.
        conversation_id: the Rasa sender id.
        event: the signal's name (``agent_typing``, ``read``).
        data: its JSON payload.

    Returns:
        True when some client was sent it; False when the channel shows no signals,
        no client is open, or sending failed (logged: a signal is never worth an error).
    """
    signaller = _SIGNALLERS.get(channel)
    if signaller is None:
        return False
    try:
        return bool(await signaller(conversation_id, event, data))
    except Exception:
        logger.exception("live signal %s to %s failed", event, conversation_id)
        return False


def _seconds(iso: object) -> Optional[float]:
    if not isinstance(iso, str):
        return None
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return None


def newest_customer_message(conversation_id: str, transcript: Iterable[dict]) -> Optional[float]:
    """The time (Unix seconds) of the newest customer line of ``conversation_id`` in a ticket view's
    ``transcript`` (packet lines name their conversation; lines filed on the ticket do not and are
    the ticket's own), or None when the agent saw no customer message of it.

    Args:
        conversation_id: the conversation whose lines count.
        transcript: the ticket view's transcript lines.

    Returns:
        Unix seconds, or None.
    """
    times = [
        _seconds(line.get("at")) for line in transcript
        if isinstance(line, dict) and line.get("from") == "customer"
        and line.get("conversation_id", conversation_id) == conversation_id
    ]
    times = [t for t in times if t is not None]
    return max(times) if times else None


def shows_receipts(channel: object) -> bool:
    """Whether a ticket's channel (packet name) has a client that shows read receipts: the web chat.

    Args:
        channel: the ticket's channel (packet name; any value).

    Returns:
        True for the web chat, False otherwise.
    """
    return isinstance(channel, str) and Channel.from_input(channel) == Channel.WEB

