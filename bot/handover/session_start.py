"""Rasa side of the custom ``action_session_start`` (actions/session.py).

The session start is a remote action because it looks up the customer's
open case. If the action server cannot be reached, Rasa would log the error,
drop the action's events (no ``SessionStarted``, no ``action_listen``) and the
first message of the session would not match any rule ("Sorry, I didn't quite
get that"). Instead we fall back to Rasa's own ``ActionSessionStart``: the
session starts as it did before there was a custom one.

``install()`` is called by ``bot.rasa_patches.install_all()`` in every Rasa server that
serves this project (its tracker store, bot/storage/stores.py, calls that).
"""
from __future__ import annotations

import logging
from typing import Any, List

import rasa.core.actions.action as rasa_actions
from rasa.shared.core.constants import ACTION_SESSION_START_NAME

logger = logging.getLogger(__name__)


class SessionStartWithFallback(rasa_actions.RemoteAction):
    """The remote ``action_session_start`` that falls back to Rasa's own session start if the action server fails."""

    async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
        """Run the remote session start; if it fails (not a rejection), run Rasa's ``ActionSessionStart``.

        Args:
            output_channel: the channel the session start's messages go to.
            nlg: Rasa's response generator.
            tracker: the conversation's ``DialogueStateTracker``.
            domain: the assistant's ``Domain``.

        Returns:
            The events of whichever session start ran.

        Raises:
            ActionExecutionRejection: the action server rejected the action (passed on as Rasa expects).
        """
        try:
            return await super().run(output_channel, nlg, tracker, domain)
        except rasa_actions.ActionExecutionRejection:
            raise
        except Exception as error:  # action server down or broken: start the session the default way
            logger.warning("custom action_session_start of %s failed (%s); Rasa's default session start used",
                           tracker.sender_id, error)
            return await rasa_actions.ActionSessionStart().run(output_channel, nlg, tracker, domain)


def install() -> None:
    """Make Rasa build :class:`SessionStartWithFallback` for a remote ``action_session_start``; idempotent."""
    original = rasa_actions.action_for_name_or_text
    if getattr(original, "_session_start_fallback", False):
        return

    def action_for_name_or_text(action_name_or_text, domain, action_endpoint):
        action = original(action_name_or_text, domain, action_endpoint)
        if action_name_or_text == ACTION_SESSION_START_NAME and type(action) is rasa_actions.RemoteAction:
            return SessionStartWithFallback(action_name_or_text, action_endpoint)
        return action

    action_for_name_or_text._session_start_fallback = True  # type: ignore[attr-defined]
    rasa_actions.action_for_name_or_text = action_for_name_or_text
