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
from bot.domain import HUMAN_STATES, Flow, TicketState
from bot.handover.policy import HANDOFF_ACTION, OFFER_ACTION, Turn, TurnHistory, decide, fold_turns, load_config, should_offer

HANDOFF = "action_handoff"
RELAY = "action_relay_to_agent"
RECORD_CSAT = "action_record_csat"
OFFER = OFFER_ACTION
OWN_ACTIONS = (HANDOFF, RELAY, RECORD_CSAT, OFFER)


_TURNS_MEMO = "_handoff_turns_memo"


class _TurnsMemo:
    """What ``dialogue_turns`` folded last: the applied events, and after each of them the
    number of turns, whether a person was offered and how many hand-overs had cleared the
    turns — so a fold can go back to any of those events and continue from there."""

    __slots__ = ("events", "marks", "turns", "offered", "clears", "mood_memo")

    def __init__(self) -> None:
        self.events: list = []  # the applied events folded, in order
        self.marks: list = []  # per event: (len(turns), offered, clears) after it
        self.turns: List[Turn] = []
        self.offered = False
        self.clears = 0
        self.mood_memo: list = []

    def kept(self, applied: list) -> int:
        """How many of the folded events are still the first of ``applied``, in place.

        The applied events are the tracker's events in order with some left out (Rasa drops
        a form's repeated executions and what an undo reverts, always after the events it
        keeps), each event a distinct object: a folded event found at its own position
        still has every folded event before it there too. Walks back from the end, over
        the events that changed only.
        """
        j = min(len(self.events), len(applied))
        while j and applied[j - 1] is not self.events[j - 1]:
            j -= 1
        return j

    def back_to(self, kept: int) -> bool:
        """Go back to the state after the first ``kept`` folded events; False when a
        hand-over after them cleared turns that are needed again (then fold from the start)."""
        if kept == len(self.events):
            return True
        if kept == 0:
            self.turns, self.offered, self.clears = [], False, 0
        else:
            n, offered, clears = self.marks[kept - 1]
            if clears != self.clears:
                return False
            del self.turns[n:]
            self.offered = offered
        del self.events[kept:], self.marks[kept:]
        return True

    def fold(self, events: list) -> None:
        """``fold_turns`` over ``events`` (applied events), marking each."""
        for event in events:
            if isinstance(event, (UserUttered, ActionExecuted)):
                self.turns, self.offered = fold_turns((event.as_dict(),), self.turns, self.offered)
                if isinstance(event, ActionExecuted) and event.action_name == HANDOFF_ACTION:
                    self.clears += 1
            self.events.append(event)
            self.marks.append((len(self.turns), self.offered, self.clears))


def dialogue_turns(tracker: DialogueStateTracker) -> List[Turn]:
    """``turns_from_events`` of the applied events; each tracker remembers what it folded
    and reads only the applied events after those still in place (issue 16): the new ones
    of a turn, or — when a form's execution drops the events after its last one, as Rasa's
    applied events do on every form turn — those after the last event still there. From the
    start only when nothing folded is still in place or a hand-over cleared turns needed again.

    Args:
        tracker: the conversation's ``DialogueStateTracker``.

    Returns:
        The customer's :class:`Turn` list since the last hand-over, latest last.
    """
    applied = tracker.applied_events()
    memo = tracker.__dict__.get(_TURNS_MEMO)
    if memo is None or not memo.back_to(memo.kept(applied)):
        memo = _TurnsMemo()
    memo.fold(applied[len(memo.events):])
    tracker.__dict__[_TURNS_MEMO] = memo
    history = TurnHistory(memo.turns)
    history.memo = memo.mood_memo
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


def _relay_undone_for_the_bot(tracker: DialogueStateTracker) -> bool:
    """The relay found no open case for the message (closed meanwhile, or it followed the customer to another
    chat and closed there), undid itself and cleared ``handoff_state``: the message is the bot's again, read as
    if just heard (a request for a person hands over), never relayed again. A call-back's self-service question
    the relay also undoes keeps ``handoff_state``: the other policies answer it, this one stays out."""
    from rasa.shared.core.trackers import EventVerbosity

    if tracker.get_slot("handoff_state") is not None:
        return False
    every = tracker.get_last_event_for((UserUttered, ActionExecuted), event_verbosity=EventVerbosity.ALL)
    applied = tracker.get_last_event_for((UserUttered, ActionExecuted))
    return isinstance(every, ActionExecuted) and every.action_name == RELAY and isinstance(applied, UserUttered)


#: The ``open_case`` slot's value while the session's opening asks "Shall we continue?" about a password reset.
_RESET_OFFERED = Flow.PASSWORD_RESET.value


def _greeting_answered_by_the_offer(tracker: DialogueStateTracker) -> bool:
    """The session's first message is a greeting ("hi", 你好, a call's start) and the session start has just asked
    a known customer whether to continue their password reset: that question is the answer, so the bot does not
    add its own greeting and a second question ("How can I help?") after it (session 45's new user: two
    questions back to back). Any other first message is answered as well, after the question."""
    from rasa.shared.core.events import SessionStarted

    if tracker.get_slot("open_case") != _RESET_OFFERED:
        return False
    if (tracker.latest_message.intent or {}).get("name") != "greet":
        return False
    users = 0
    for event in reversed(tracker.applied_events()):
        if isinstance(event, SessionStarted):
            break
        users += isinstance(event, UserUttered)
    return users == 1


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
        undone = _relay_undone_for_the_bot(tracker)
        if not _customer_spoke_last(tracker) and not undone:
            return None
        if not undone and tracker.get_slot("handoff_state") in HUMAN_STATES + (TicketState.CALLBACK.value,):
            return RELAY  # rev14c #2: a call-back's case gets every message, as a queued ticket does
        photo = _carries_photo(tracker)
        if tracker.get_slot("csat_ticket") and not photo:
            if parse_rating(tracker.latest_message.text or "") is not None:
                return RECORD_CSAT
        config = load_config()
        turns = dialogue_turns(tracker)
        if decide(turns, config) is not None:
            # a photo sent with words that ask for a person ("I want to talk to a human" + a picture) hands
            # over: the text is read, the photo goes with the packet (s20eng2 #4)
            return HANDOFF
        if photo:  # review rev14 #1: a photo goes to the case (a call-back's too), never to NLU
            return RELAY
        if should_offer(turns, config):
            return OFFER
        if _greeting_answered_by_the_offer(tracker):
            return ACTION_LISTEN_NAME
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
        # rev14e #2: a form's happy path is a "no user" prediction, which Rasa's ensemble lets overrule
        # every other; the relay of a call-back's message while a form asks must run first (it files
        # the answer on the case, then steps aside for the form: actions/handoff.py bot_answers_too)
        relay_in_form = action == RELAY and tracker.active_loop_name is not None
        return self._prediction(probabilities, is_no_user_prediction=relay_in_form)

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
