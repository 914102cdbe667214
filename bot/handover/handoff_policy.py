"""A dialogue policy that knows when the bot must stop talking.

- While a person owns the conversation (`handoff_state` queued/with_agent)
  every customer message goes to `action_relay_to_agent`: filed on the
  ticket, never answered by the bot. While the conversation's case waits for
  a call-back (`handoff_state` callback, rev14c #2) every message goes there
  too: filed on the case (a new number, a time to call), the customer told
  so; an FAQ question is answered as well.
- Any escalation trigger (escalation.yml: an explicit request for a person,
  whatever the intent; a complex intent; one very upset message, negative on
  two turns running, or a rising mood) goes to `action_handoff`.
- A calm report under a complaint-like intent (nothing asked for, not upset)
  goes to `action_offer_handoff`: an answer and the offer of a person.
- After a ticket closes, a rating (1–5) goes to `action_record_csat`.
Its priority is above the RulePolicy's, so it wins ties at confidence 1.0.
"""
from __future__ import annotations

import itertools
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.queue.csat import parse_rating
from bot.domain import HUMAN_STATES, TicketState
from bot.handover.policy import OFFER_ACTION, Turn, TurnHistory, decide, fold_turns, load_config, should_offer

HANDOFF = "action_handoff"
RELAY = "action_relay_to_agent"
RECORD_CSAT = "action_record_csat"
OFFER = OFFER_ACTION
OWN_ACTIONS = (HANDOFF, RELAY, RECORD_CSAT, OFFER)


_TURNS_MEMO = "_handoff_turns_memo"


def dialogue_turns(tracker: DialogueStateTracker) -> List[Turn]:
    """``turns_from_events`` of the applied events; each tracker remembers where it
    stopped and reads only the events after (issue 16), unless the events it
    read are no longer there in place (then from the start).

    Args:
        tracker: the conversation's ``DialogueStateTracker``.

    Returns:
        The customer's :class:`Turn` list since the last hand-over, latest last.
    """
    applied = tracker.applied_events()
    seen, last, turns, offered, mood_memo = tracker.__dict__.get(_TURNS_MEMO) or (0, None, [], False, [])
    if not (seen <= len(applied) and (seen == 0 or applied[seen - 1] is last)):
        seen, turns, offered, mood_memo = 0, [], False, []
    new = [e for e in itertools.islice(applied, seen, None) if isinstance(e, (UserUttered, ActionExecuted))]
    turns, offered = fold_turns((e.as_dict() for e in new), turns, offered)
    tracker.__dict__[_TURNS_MEMO] = (len(applied), applied[-1] if applied else None, turns, offered, mood_memo)
    history = TurnHistory(turns)
    history.memo = mood_memo
    return history


def _carries_photo(tracker: DialogueStateTracker) -> bool:
    """Whether the customer's latest message carries a photo (metadata ``attachment_id``, set by the
    web chat and WeChat channels for a photo they stored)."""
    metadata = getattr(tracker.latest_message, "metadata", None)
    return isinstance(metadata, dict) and isinstance(metadata.get("attachment_id"), str)


def _customer_spoke_last(tracker: DialogueStateTracker) -> bool:
    """A user message with no action after it (actions run from outside, like
    the desk's hand-back, are not followed by action_listen)."""
    from rasa.shared.core.trackers import EventVerbosity

    last = tracker.get_last_event_for((UserUttered, ActionExecuted), event_verbosity=EventVerbosity.ALL)
    return isinstance(last, UserUttered)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class HandoffPolicy(Policy):
    """The Rasa dialogue policy that relays, hands over, offers a person or records a rating (module docstring).

    It predicts one of :data:`OWN_ACTIONS` with confidence 1.0 after a customer
    message, ``action_listen`` after its own actions, and nothing otherwise (the
    other policies decide). It is not trained: it reads escalation.yml.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Rasa's default config for the policy: ``priority`` 7, above the RulePolicy's 6."""
        return {"priority": 7}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Learn nothing (the policy follows escalation.yml); returns the policy's resource as Rasa requires.

        Args:
            training_trackers: the training stories (unused).
            domain: the assistant's domain (unused).
            **kwargs: what Rasa's graph passes besides (unused).

        Returns:
            The policy's ``Resource``.
        """
        return self._resource

    def _predict(self, tracker: DialogueStateTracker) -> Optional[str]:
        if tracker.latest_action_name in OWN_ACTIONS:
            return ACTION_LISTEN_NAME
        if not _customer_spoke_last(tracker):
            return None
        if tracker.get_slot("handoff_state") in HUMAN_STATES + (TicketState.CALLBACK.value,):
            return RELAY  # rev14c #2: a call-back's case gets every message, as a queued ticket does
        if _carries_photo(tracker):  # review rev14 #1: a photo goes to the case (a call-back's too), never to NLU
            return RELAY
        if tracker.get_slot("csat_ticket"):
            if parse_rating(tracker.latest_message.text or "") is not None:
                return RECORD_CSAT
        config = load_config()
        turns = dialogue_turns(tracker)
        if decide(turns, config) is not None:
            return HANDOFF
        if should_offer(turns, config):
            return OFFER
        return None

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Score every action of ``domain`` for the tracker's next step.

        Args:
            tracker: the conversation's ``DialogueStateTracker``.
            domain: the assistant's ``Domain`` (its action names index the probabilities).
            rule_only_data: Rasa's rule-only slots and loops (unused).
            **kwargs: what Rasa's graph passes besides (unused).

        Returns:
            A ``PolicyPrediction`` whose probabilities are all 0 except 1.0 for the
            action this policy chooses (relay, hand over, offer, record CSAT or
            ``action_listen``); all zeros when it leaves the turn to the other policies.

        Raises:
            EscalationConfigError: escalation.yml became invalid since start-up.
        """
        probabilities = self._default_predictions(domain)
        action = self._predict(tracker)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any) -> "HandoffPolicy":
        """Load with the model; reads escalation.yml now, so a bad file stops the server at start-up.

        Args:
            config: the policy's settings from config.yml.
            model_storage: Rasa's model storage.
            resource: the policy's resource in it.
            execution_context: Rasa's graph execution context.
            **kwargs: what Rasa's graph passes besides (unused).

        Returns:
            The loaded :class:`HandoffPolicy`.

        Raises:
            EscalationConfigError: escalation.yml does not match its schema (the message names the key).
        """
        load_config()
        return cls(config, model_storage, resource, execution_context)
