"""When the action server cannot run an action, the Rasa server answers itself.

Rasa calls custom actions over HTTP (``RemoteAction.run``). When that call
fails (the action server is down or restarting, times out, or answers with an
error), Rasa logs the error, drops the action's events and carries on: the
customer gets no answer and nothing records what they said. ``install()``
wraps ``RemoteAction.run`` in the Rasa server process (``bot.rasa_patches.install_all()`` calls it)
so that instead, once per turn:

- the customer hears a short apology in their language;
- the message is filed on a ticket with reason ``system_error`` (a new
  ticket, queued, or a call-back when nobody is online or out of hours; or,
  when the conversation already has an open ticket, an event on it), through
  the same ``hand_over`` the action server uses, run here against the shared
  database;
- the tracker gets the hand-over's slots, so the next message (once the
  action server is back, ``make run`` restarts it) goes on from there.

A failed ``action_session_start`` is left to bot/handover/session_start.py (Rasa's
default session start: the customer's message has not been read yet; it is
handled by the actions that follow). A 400 from the action server (an action rejecting itself) is
Rasa's normal ``ActionExecutionRejection`` and is left alone.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, List, Optional

from bot.domain import ReasonCode, language_of

logger = logging.getLogger(__name__)

REASON = ReasonCode.SYSTEM_ERROR.value
# Marks the apology in the BotUttered metadata: one apology (and one ticket) per turn.
MARKER = "system_error"
APOLOGY = {
    "en": "Sorry, something went wrong on our side. I have passed your message to our team.",
    "zh": "抱歉，我们这边出了点问题。您的消息已转交给我们的客服团队。",
}
_installed = False


def _apologised_this_turn(tracker: Any) -> bool:
    """True when a ``system_error`` apology follows the latest user message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and (event.metadata or {}).get(MARKER):
            return True
    return False


def _has_user_message(tracker: Any) -> bool:
    """Whether the current session has a user message to file (not only a session start)."""
    from rasa.shared.core.events import SessionStarted, UserUttered
    from rasa.shared.core.trackers import EventVerbosity

    last = tracker.get_last_event_for((SessionStarted, UserUttered), event_verbosity=EventVerbosity.ALL)
    return isinstance(last, UserUttered)


def _file_message(tracker: Any, action_name: str) -> tuple[list[dict], list[dict]]:
    """Run ``hand_over`` with reason ``system_error`` on the shared database.

    Args:
        tracker: Rasa's ``DialogueStateTracker`` of the turn.
        action_name: the custom action that could not run (kept in the reason detail).

    Returns:
        (responses, events): the dispatcher's messages without the hand-over's
        opening line (the apology replaces it) and the events as dicts.
    """
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from bot.handover.handover_dialogue import hand_over
    from bot.handover.policy import Trigger, load_config
    from bot.storage.uow import SqlAlchemyUnitOfWork

    from bot.handover.action_window import action_tracker_state

    # issue 16: the events an action server is sent (the window of ACTION_EVENTS_TURNS), not every one
    sdk_tracker = Tracker.from_dict(action_tracker_state(tracker))
    decision = load_config().combine([Trigger(REASON, f"action {action_name} unavailable")])
    dispatcher = CollectingDispatcher()
    events = hand_over(sdk_tracker, dispatcher, decision, SqlAlchemyUnitOfWork)
    responses = [m for m in dispatcher.messages
                 if not str(m.get("response") or "").startswith("utter_escalation")]
    return responses, events


async def run_unavailable(action: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any,
                          error: BaseException) -> List[Any]:
    """What the Rasa server does when ``action`` (a ``RemoteAction``) failed with ``error``.

    Args:
        action: the ``RemoteAction`` that failed.
        output_channel: the channel to send the apology and hand-over messages on.
        nlg: Rasa's response generator (renders the ``utter_*`` responses).
        tracker: the conversation's ``DialogueStateTracker``.
        domain: the assistant's ``Domain``.
        error: what the action server call raised.

    Returns:
        Rasa events: the apology (``BotUttered`` marked ``system_error``), the
        hand-over's messages and slots; ``[]`` when this turn already apologised.
        Never raises: a database failure still leaves the apology.
    """
    from rasa.shared.core.events import BotUttered, deserialise_events

    name = action.name()
    logger.error("custom action %s could not run (%s: %s): answering without the action server",
                 name, type(error).__name__, error)
    if not _has_user_message(tracker) or _apologised_this_turn(tracker):
        return []
    language = language_of(tracker)
    result: List[Any] = [BotUttered(APOLOGY[language], metadata={MARKER: True})]
    try:
        responses, events = await asyncio.to_thread(_file_message, tracker, name)
    except Exception:
        logger.exception("the message of %s could not be filed on a ticket", tracker.sender_id)
        return result
    result += await action._utter_responses(responses, output_channel, nlg, tracker)
    result += deserialise_events(events)
    return result


def install() -> None:
    """Wrap ``RemoteAction.run`` (once per process) with :func:`run_unavailable`."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.core.constants import ACTION_SESSION_START_NAME

    original = RemoteAction.run

    async def run(self, output_channel, nlg, tracker, domain):  # type: ignore[no-untyped-def]
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception as error:  # connection refused, timeout, non-200 answer
            if self.name() == ACTION_SESSION_START_NAME:
                raise  # bot/handover/session_start.py falls back to Rasa's default session start
            return await run_unavailable(self, output_channel, nlg, tracker, domain, error)

    run.__doc__ = original.__doc__
    RemoteAction.run = run
    _installed = True
