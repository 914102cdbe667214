"""Per-turn costs of Rasa 3.6 removed on the project's server (issue 16).

Each ``install_*`` function is idempotent and is called by
``bot.rasa_patches.install_all()`` (the one list of this project's Rasa patches), when the
project's tracker store (bot/storage/stores.py) is loaded, i.e. in every Rasa server that
serves this project with its endpoints.yml; a plain Rasa server is left as Rasa ships it. Each change
keeps Rasa's behaviour (same results, same errors) and only drops repeated
work, measured with ``make bench-serving``'s profile:

- ``RemoteAction._validate_action_result``: Rasa calls
  ``jsonschema.validate(result, schema)``, which first checks the *schema*
  against the JSON-Schema meta-schema and builds a validator, for every
  action server reply. The schema is a constant: its validator is built
  once here and validates each reply the same way (the same error, the
  best match of all errors, with Rasa's hint appended).
- ``Event.resolve_by_type``: Rasa finds an event's class by walking all
  subclasses of ``Event`` (and ``inspect.isabstract`` on each) for every
  event it deserialises. Found classes are remembered by type name; an
  unknown name still walks them (a class defined later is found) and still
  raises or falls back as before.
- ``DialogueStateTracker.applied_events`` and
  ``Domain.states_for_tracker_history``: the policies need the dialogue
  states of the whole session, and Rasa recomputes them from the first event
  several times per turn, so a turn's cost grew with the conversation. Both
  are folds over the events in order; each tracker now remembers where its
  fold stopped and continues it over the new events. The memo is used only
  while the events it has seen are still there, unchanged and in place
  (same objects at the same positions) and, for ``applied_events``, no new
  form (``active_loop``) name appeared — anything else recomputes from the
  start, exactly as Rasa does.
- ``DialogueStateTracker.copy``: Rasa's processor copies the tracker before
  each action it runs, by replaying every event into a new tracker. The
  tracker's state is by contract what replaying its events gives, so the
  copy now takes that state over directly (the events, the slots' values,
  the latest message/action, the form): the same tracker, without the
  replay.
- ``Policy.format_tracker_states``: formats the whole history into a string
  for a debug log line, on every prediction of the RulePolicy; now only when
  Rasa's debug logging is on.
- ``MemoizationPolicy.predict_action_probabilities``: deep-copies the dialogue
  states of the whole session (Rasa 3.6's policies keep the whole history:
  ``max_history`` is None by default) for a debug log line, on every
  prediction; now only when that debug line is written.
- ``MemoizationPolicy._create_feature_key`` and ``RulePolicy._create_feature_key``:
  JSON-encode the states of the whole session (sorted keys) on every
  prediction. A list's JSON is its items' JSON joined by ``", "`` inside
  brackets, so the JSON of the states before the last is remembered (per
  first state object, for a list starting with the same state objects) and
  the key is joined from it: the same string, without encoding the same
  states again each turn (``dumps_states``).

Fifth pass (scans of the whole session still made per turn, found by counting
calls and time per function with cProfile at turn 3,000 against turns 1-20
of a fresh conversation, same server, same minute; each was a loop in C or
Python over every event or state, ~11 ms a turn at 3,000 turns):

- ``applied_events``: the memo's new events were taken with
  ``islice(events, seen, None)``, which walks the whole deque to reach them;
  they are now indexed from its end. The dialogue states read the memo's
  list without copying it (``applied_events_view``; ``applied_events()``
  still returns a new list, as Rasa's does).
- ``DialogueStateTracker.get_last_event_for`` (``_has_session_expired``, the
  handoff policy, forms...) copied every event (``list(self.events)`` or
  ``applied_events()``) to read the last few backwards, and
  ``MessageProcessor.is_action_limit_reached`` did
  ``list(tracker.events)[::-1]`` twice a turn: both now read the events
  backwards in place and stop where Rasa's loop stops (same answer, same
  ``skip`` and exclusions; another verbosity or an overriding tracker class
  gets Rasa's own).
- the prefix match of the feature keys compared every remembered state by
  identity in Python (``all(map(operator.is_, ...))``, eleven calls a turn):
  now one list comparison in C, which takes an identical state as equal
  without looking into it (``_Prefix.matches``: identical or equal states).
- ``MemoizationPolicy._recall_states`` built, compressed (zlib) and
  base64-encoded the feature string of the whole session twice a turn, to
  look it up in a lookup whose keys are the training stories' (at most a few
  dozen states). The length of that string is now worked out from the
  remembered JSON (``feature_string_length``) and compared with the longest
  key of the lookup (decompressed once per lookup): a longer string cannot
  be a key, and the answer is None, as ``lookup.get`` would give; otherwise
  Rasa's recall runs. Exact: compressing and base64 are one-to-one, and a key
  that does not decode disables the bound.
- ``_remove_user_text_if_intent`` reached the states after the remembered
  ones with ``islice`` (a walk over the remembered ones): now a slice.

- ``FormAction._temporary_tracker`` (twice per form turn: slot validation
  and the next slot to ask) built a new tracker by replaying every event of
  the session (``from_events``; every ``UserUtteranceReverted`` in it
  replays the applied events again). It is now a copy of the tracker with
  the form's events added — when that is the same tracker: no ``Restarted``
  among the events (Rasa replays only those after the last one; each tracker
  remembers whether it holds one, reading only new events), the tracker's
  slots are the domain's (class and definition), a plain
  ``DialogueStateTracker`` without an event limit. Otherwise Rasa's own.

Left growing, in C and small: copying the events deque when the processor
copies the tracker (``deque(events)``, about 4 a turn), ``applied_events()``
lists for Rasa's callers, the list of states handed to the featurizers, the
rule key's joined string, and the prefix comparison above — together about
0.3 ms a turn at 3,000 turns under the profiler.

Sixth pass (the action server's request):

- ``RemoteAction._action_call_format`` sent every custom action call (form
  validation included) ``tracker.current_state(EventVerbosity.ALL)``: every
  event of the session (2.85 MB of JSON at turn 500), encoded by Rasa and
  parsed by rasa-sdk each time. The request is now Rasa's own except
  ``tracker.events``: the events from the ``ACTION_EVENTS_TURNS``-th last user
  message on (bot/settings.py, default 50; 0: every event), preceded by the
  events from before that carry the state into it — the active form's
  activation, and the latest ``SlotSet`` of each slot that holds a value or
  changes in the window — so folds over the window's slot and form events
  give the whole session's values (``action_events_window``). Every other
  field (``slots``, ``latest_message``, ``active_loop``, ``latest_action``,
  ``followup_action``, ``paused``, ``latest_event_time``,
  ``latest_input_channel``) is computed by Rasa from the whole tracker; a
  session with no more user messages than the window gets Rasa's request
  unchanged; in a windowed request the older user messages are sent without
  their rankings (``slim_older_messages``: ~4 KB of a turn's ~6 KB, read
  by no action; the latest message keeps everything).
  bot/handover/action_fallback.py builds its rasa-sdk tracker from
  the same state (``action_tracker_state``). What the actions read under the
  window: README "Serving speed" (``action_handoff`` is sent the whole
  session, ``WHOLE_SESSION_ACTIONS``: its packet is the whole conversation's;
  a customer token sent once is carried into the window). Left growing: finding the carried ``SlotSet`` of a slot never set before the
  window walks back to the session's first event (a loop over the events'
  classes, no encoding).
"""
from __future__ import annotations

import copy as _copy
import itertools
import json
import logging
import operator
from typing import Any, Callable, Dict, Optional, Text, Tuple, Type

from bot.handover.action_window import (  # noqa: F401 (re-exported)
    WHOLE_SESSION_ACTIONS, action_events_window, action_tracker_state,
)

logger = logging.getLogger(__name__)


def _once(install: Callable[[], None]) -> Callable[[], None]:
    """``install`` made idempotent: its first call patches Rasa, later calls do nothing."""
    done = False

    def install_once() -> None:
        nonlocal done
        if not done:
            install()
            done = True

    install_once.__name__ = install.__name__
    install_once.__qualname__ = install.__qualname__
    install_once.__doc__ = install.__doc__
    return install_once

_NOT_FOUND = type("_NotFound", (), {})  # a "default" no real event class is


def _compiled_action_validator() -> Any:
    """A validator of Rasa's action server reply schema, built (and the schema checked) once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@_once
def install_action_validator() -> None:
    """Replace ``RemoteAction._validate_action_result`` by one that reuses a compiled validator.

    Same contract as Rasa's: returns True for a valid reply; raises
    ``jsonschema.ValidationError`` (the best match, as ``jsonschema.validate``
    picks it) with Rasa's hint appended to its message otherwise.
    """
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    validator = _compiled_action_validator()

    def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    _validate_action_result.__doc__ = "Validates an action server reply with a validator compiled once (bot/rasa_speed.py)."
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]


@_once
def install_event_class_cache() -> None:
    """Remember ``Event.resolve_by_type``'s answers per type name (same answers, no subclass walk)."""
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    found: Dict[Text, Type[Event]] = {}

    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        cls = original(type_name, _NOT_FOUND)  # type: ignore[arg-type]
        if cls is not None and cls is not _NOT_FOUND:
            found[type_name] = cls
            return cls
        return original(type_name, default)  # "topic" → None; else default or ValueError, as Rasa does

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]


# Rasa's own versions, kept for the tests that compare (tests/unit/test_speed.py).
ORIGINAL_APPLIED_EVENTS: Any = None
ORIGINAL_STATES_FOR_TRACKER_HISTORY: Any = None
ORIGINAL_COPY: Any = None
_APPLIED_MEMO = "_speed_applied_memo"
_STATES_MEMO = "_speed_states_memo"


@_once
def install_incremental_history() -> None:
    """Continue ``applied_events`` and ``states_for_tracker_history`` from where they stopped (module docstring)."""
    _install_incremental_applied_events()
    _install_incremental_states()


def _install_incremental_applied_events() -> None:
    from rasa.shared.core.events import (
        ActionExecuted, ActionReverted, ActiveLoop, Restarted, SessionStarted, UserUtteranceReverted,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    def _fold(tracker: Any, applied: list, loop_names: set, events: Any) -> None:
        """Rasa's ``applied_events`` loop (rasa 3.6.21, trackers.py) over ``events``, into ``applied``."""
        for event in events:
            if isinstance(event, (Restarted, SessionStarted)):
                applied.clear()
            elif isinstance(event, ActionReverted):
                tracker._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                tracker._undo_till_previous(UserUttered, applied)
                tracker._undo_till_previous(ActionExecuted, applied)
            elif (
                isinstance(event, ActionExecuted)
                and event.action_name in loop_names
                and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
            ):
                tracker._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)

    from rasa.shared.core.events import UserUttered

    def remembered_applied_events(self: Any) -> list:
        events = self.events
        total = len(events)
        memo = self.__dict__.get(_APPLIED_MEMO)
        if memo is not None:
            seen, last, applied, loop_names = memo
            if seen <= total and (seen == 0 or events[seen - 1] is last):
                # the new events, indexed from the deque's end (an islice walks the seen ones first)
                new = [events[i] for i in range(seen - total, 0)]
                if not any(isinstance(e, ActiveLoop) and e.name and e.name not in loop_names for e in new):
                    _fold(self, applied, loop_names, new)
                    if total:
                        self.__dict__[_APPLIED_MEMO] = (total, events[-1], applied, loop_names)
                    return applied
        loop_names = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
        applied = []
        _fold(self, applied, loop_names, events)
        self.__dict__[_APPLIED_MEMO] = (total, events[-1] if total else None, applied, loop_names)
        return applied

    def applied_events(self: Any) -> list:
        return list(remembered_applied_events(self))

    global ORIGINAL_APPLIED_EVENTS, _remembered_applied_events
    ORIGINAL_APPLIED_EVENTS = DialogueStateTracker.applied_events
    _remembered_applied_events = remembered_applied_events
    applied_events.__doc__ = DialogueStateTracker.applied_events.__doc__
    DialogueStateTracker.applied_events = applied_events  # type: ignore[assignment]


def _remembered_applied_events(tracker: Any) -> list:  # replaced by install_incremental_history
    """The list ``applied_events`` copies (the memo itself: read it, never change it)."""
    return tracker.applied_events()


def applied_events_view(tracker: Any) -> list:
    """``tracker.applied_events()`` without the copy, for a caller that only reads it.

    Args:
        tracker: a ``DialogueStateTracker``.

    Returns:
        The tracker's applied events (Rasa's ``applied_events()``), the remembered list itself
        when the incremental history is installed and the tracker does not override it: do not
        change it (it changes with the tracker's next events).
    """
    from rasa.shared.core.trackers import DialogueStateTracker

    if type(tracker).applied_events is not DialogueStateTracker.applied_events or \
            DialogueStateTracker.applied_events is ORIGINAL_APPLIED_EVENTS:
        return tracker.applied_events()
    return _remembered_applied_events(tracker)


def _install_incremental_states() -> None:
    from rasa.shared.core.constants import PREVIOUS_ACTION, USER
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker

    global ORIGINAL_STATES_FOR_TRACKER_HISTORY
    original_states = ORIGINAL_STATES_FOR_TRACKER_HISTORY = Domain.states_for_tracker_history

    def states_for_tracker_history(
        self: Any, tracker: Any, omit_unset_slots: bool = False, ignore_rule_only_turns: bool = False,
        rule_only_data: Optional[Dict[Text, Any]] = None,
    ) -> list:
        if type(tracker) is not DialogueStateTracker:  # e.g. training's TrackerWithCachedStates
            return original_states(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        key = (id(self), omit_unset_slots, ignore_rule_only_turns,
               json.dumps(rule_only_data, sort_keys=True, default=str))
        applied = _remembered_applied_events(tracker)  # read only: no copy
        memos = tracker.__dict__.setdefault(_STATES_MEMO, {})
        memo = memos.get(key)
        if memo is None or not (memo["seen"] <= len(applied)
                                and (memo["seen"] == 0 or applied[memo["seen"] - 1] is memo["last"])):
            memo = {"seen": 0, "last": None, "replay": tracker.init_copy(), "states": [],
                    "last_ml": None, "hidden": False}
            memos[key] = memo

        def add_state(tr: Any, hide_rule_turn: bool, m: dict, states: list) -> None:
            # the body of Rasa's loop (rasa 3.6.21, domain.py states_for_tracker_history)
            if ignore_rule_only_turns:
                if not m["hidden"]:
                    m["last_ml"] = self._get_prev_action_sub_state(tr)
                if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
                    m["hidden"] = hide_rule_turn
                if m["hidden"]:
                    return
            state = self.get_active_state(tr, omit_unset_slots=omit_unset_slots)
            if ignore_rule_only_turns:
                self._remove_rule_only_features(state, rule_only_data)
                if states:
                    self._substitute_rule_only_user_input(state, states[-1])
                if m["last_ml"]:
                    state[PREVIOUS_ACTION] = m["last_ml"]
            states.append(self._clean_state(state))

        replay = memo["replay"]
        for event in applied[memo["seen"]:len(applied)]:
            if isinstance(event, ActionExecuted):
                add_state(replay, event.hide_rule_turn, memo, memo["states"])
            replay.update(event)
        memo["seen"], memo["last"] = len(applied), (applied[-1] if applied else None)
        # The state after the last event is computed afresh and never remembered
        # (callers change the last state: the featurizer drops its text or intent).
        states = list(memo["states"])
        add_state(replay, False, dict(memo), states)
        if len(states) > len(memo["states"]) and isinstance(states[-1].get(USER), dict):
            states[-1][USER] = dict(states[-1][USER])  # may be the previous state's, which is remembered
        return states

    states_for_tracker_history.__doc__ = original_states.__doc__
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[assignment]


@_once
def install_fast_copy() -> None:
    """``DialogueStateTracker.copy`` without replaying the events (module docstring)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    original_copy = DialogueStateTracker.copy

    def copy_tracker(self: Any) -> Any:
        if type(self) is not DialogueStateTracker or type(self.slots) is not dict:
            return original_copy(self)
        new = self.init_copy()  # what Rasa's copy starts from (no model or assistant id, ...)
        new.events = new._create_events(self.events)
        new.slots = {name: _copy.copy(slot) for name, slot in self.slots.items()}
        new._paused = self._paused
        new.followup_action = self.followup_action
        new.latest_action = dict(self.latest_action) if self.latest_action is not None else None
        new.latest_message = self.latest_message
        new.latest_bot_utterance = self.latest_bot_utterance
        new.active_loop = _copy.copy(self.active_loop)
        return new

    copy_tracker.__doc__ = original_copy.__doc__
    DialogueStateTracker.copy = copy_tracker  # type: ignore[assignment]
    global ORIGINAL_COPY
    ORIGINAL_COPY = original_copy


@_once
def install_quiet_state_formatting() -> None:
    """``Policy.format_tracker_states`` only when its debug log line is written."""
    from rasa.core.policies.policy import Policy

    original = Policy.format_tracker_states
    rasa_logger = logging.getLogger("rasa")

    def format_tracker_states(states: list) -> Text:
        return original(states) if rasa_logger.isEnabledFor(logging.DEBUG) else ""

    format_tracker_states.__doc__ = original.__doc__
    Policy.format_tracker_states = staticmethod(format_tracker_states)  # type: ignore[assignment]


@_once
def install_quiet_memoization_debug() -> None:
    """``MemoizationPolicy.predict_action_probabilities`` without its debug line's deep copy
    of every state unless that line is written (Rasa 3.6.21's method otherwise)."""
    from rasa.core.policies import memoization
    from rasa.core.policies.memoization import MemoizationPolicy

    original = MemoizationPolicy.predict_action_probabilities
    policy_logger = logging.getLogger(memoization.__name__)  # structlog filters by this logger's level

    def predict_action_probabilities(
        self: Any, tracker: Any, domain: Any, rule_only_data: Optional[Dict[Text, Any]] = None, **kwargs: Any,
    ) -> Any:
        result = self._default_predictions(domain)
        states = self._prediction_states(tracker, domain, rule_only_data=rule_only_data)
        memoization.structlogger.debug(
            "memoization.predict.actions",
            # a synchronous log line renders the states when written: a copy matters only then
            tracker_states=_copy.deepcopy(states) if policy_logger.isEnabledFor(logging.DEBUG) else states,
        )
        predicted_action_name = self.recall(states, tracker, domain, rule_only_data=rule_only_data)
        if predicted_action_name is not None:
            memoization.logger.debug(f"There is a memorised next action '{predicted_action_name}'")
            result = self._prediction_result(predicted_action_name, tracker, domain)
        else:
            memoization.logger.debug("There is no memorised next action")
        return self._prediction(result)

    predict_action_probabilities.__doc__ = original.__doc__
    global ORIGINAL_MEMOIZATION_PREDICT
    ORIGINAL_MEMOIZATION_PREDICT = original
    MemoizationPolicy.predict_action_probabilities = predict_action_probabilities  # type: ignore[assignment]


class _Prefix:
    """The JSON of a run of states seen before (all but the last of a list, while none holds a
    user text beside an intent), and the states themselves."""

    __slots__ = ("first", "states", "joined", "sizes", "last_snippet", "unlikely")

    def __init__(self, first: Any) -> None:
        self.first = first  # held, so its id is not reused while remembered
        self.states: list = []  # the state objects, in order
        self.joined = ""  # ", ".join(json.dumps(state, sort_keys=True) for state in states)
        # per state i: (len, number of '"') of the JSON of states[:i + 1] joined by ", "
        self.sizes: list = []
        self.last_snippet = -1  # index of the last rule snippet state among them (RulePolicy), or -1
        self.unlikely = False  # whether one follows action_unlikely_intent

    def matches(self, states: list) -> bool:
        """Whether ``states`` starts with the very state object remembered first, followed by
        the remembered states: the same objects (what Rasa hands over: slices and copies of
        one list of states) or equal ones. Equal states have the same JSON for the values
        Rasa's states hold (strings, floats and tuples of them; an int equal to a float would
        not, but no list starting with the very same first state holds such a copy).

        The list comparison runs in C and takes an identical item as equal without looking
        into it (``PyObject_RichCompareBool``): a few nanoseconds a state, where comparing
        identities item by item in Python (``all(map(operator.is_, ...))``) took ~25 µs a
        call at 1,000 states, eleven calls a turn.
        """
        k = len(self.states)
        return bool(states) and states[0] is self.first and len(states) >= k and states[:k] == self.states

    def extend(self, states: list, parts: list) -> None:
        """Remember more of ``states`` (which starts with the remembered ones), given their JSON
        ``parts``: up to the first that still holds a user text beside an intent (the featurizers
        delete it in place; the others they leave as they are)."""
        new_states, new_parts = [], []
        for state, part in zip(itertools.islice(states, len(self.states), None), parts):
            user = state.get(USER_KEY, {})
            if not isinstance(user, dict) or (user.get(INTENT_KEY) and user.get(TEXT_KEY)):
                break
            new_states.append(state)
            new_parts.append(part)
        if new_parts:
            self.joined = ", ".join([self.joined, *new_parts]) if self.states else ", ".join(new_parts)
            chars, quotes = self.sizes[-1] if self.sizes else (-2, 0)
            for part in new_parts:
                chars, quotes = chars + 2 + len(part), quotes + part.count('"')
                self.sizes.append((chars, quotes))
            for i, state in enumerate(new_states, start=len(self.states)):
                action = state.get(PREVIOUS_ACTION_KEY, {}).get(ACTION_NAME_KEY)
                if action == RULE_SNIPPET:
                    self.last_snippet = i
                elif action == UNLIKELY_INTENT:
                    self.unlikely = True
            self.states.extend(new_states)


USER_KEY, INTENT_KEY, TEXT_KEY = "user", "intent", "text"  # rasa.shared.core.constants.USER, nlu INTENT, TEXT
PREVIOUS_ACTION_KEY, ACTION_NAME_KEY = "prev_action", "action_name"  # rasa.shared.core.constants, nlu.constants
RULE_SNIPPET, UNLIKELY_INTENT = "...", "action_unlikely_intent"  # RULE_SNIPPET_ACTION_NAME, ACTION_UNLIKELY_INTENT_NAME
# id(first state) -> _Prefix; forgotten all at once past the limit
_PREFIXES: Dict[int, _Prefix] = {}
_PREFIXES_MAX = 2_000  # about three per conversation (the policies, the featurizers)


def _prefix_of(states: list) -> Optional[_Prefix]:
    """The remembered prefix ``states`` starts with, if any."""
    if not states:
        return None
    prefix = _PREFIXES.get(id(states[0]))
    return prefix if prefix is not None and prefix.matches(states) else None


def dumps_states(states: list) -> str:
    """``json.dumps(states, sort_keys=True)`` for a list of states, encoding only the states not seen before.

    The states before the last are remembered with their JSON (callers change
    the last one in place), as long as none holds a user text beside an intent:
    the only in-place change Rasa makes to a state after the last (the
    featurizers' ``_remove_user_text_if_intent``) leaves those as they are, as
    the incremental dialogue states above already rely on. The remembered JSON
    is used for a list that starts with the very same state objects.

    Args:
        states: Rasa's dialogue states (dicts), as the featurizers build them.

    Returns:
        The same JSON text ``json.dumps(states, sort_keys=True)`` gives.
    """
    if not states:
        return "[]"
    prefix, k, rest, joined = _encoded(states)
    return "[" + ", ".join([joined, *rest] if k else rest) + "]"


def _encoded(states: list) -> Tuple[_Prefix, int, list, str]:
    """The remembered prefix of non-empty ``states`` (made, if none), the number ``k`` of the
    states it gave, the JSON of each state after those, and the JSON of the first ``k`` joined;
    the prefix then remembers what it can of the new ones (``dumps_states``)."""
    prefix = _prefix_of(states)
    if prefix is None:
        prefix = _Prefix(states[0])
        if len(_PREFIXES) >= _PREFIXES_MAX:
            _PREFIXES.clear()
        _PREFIXES[id(states[0])] = prefix
    k = len(prefix.states)
    joined = prefix.joined
    rest = [json.dumps(state, sort_keys=True) for state in states[k:]]
    prefix.extend(states[:-1], rest[:-1])
    return prefix, k, rest, joined


def feature_string_length(states: list) -> int:
    """``len(json.dumps(states, sort_keys=True).replace('"', ""))`` — the length of the
    memoization policy's feature string before compression — from the remembered sizes of
    the states seen before and the JSON of the new ones, without building the string.

    Args:
        states: Rasa's dialogue states (dicts), non-empty.

    Returns:
        The number of characters of the feature string.
    """
    prefix, k, rest, _ = _encoded(states)
    chars, quotes = prefix.sizes[k - 1] if k else (0, 0)  # the first k states' JSON joined by ", "
    for part in rest:
        chars += len(part)
        quotes += part.count('"')
    separators = len(states) - k if k else len(states) - 1  # ", " not inside the remembered text
    return 2 + chars + 2 * separators - quotes


@_once
def install_feature_key_cache() -> None:
    """The memoization and rule policies' feature keys joined from each state's remembered JSON."""
    import base64
    import zlib

    import rasa.shared.utils.io
    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.core.policies.rule_policy import RulePolicy

    original_memo, original_rule = MemoizationPolicy._create_feature_key, RulePolicy._create_feature_key
    rasas_snippet = RulePolicy._is_rule_snippet_state

    def memo_feature_key(self: Any, states: list) -> Optional[Text]:
        # rasa 3.6.21 memoization.py, with json.dumps(states, sort_keys=True) joined from remembered parts
        if not states:
            return None
        feature_str = dumps_states(states).replace('"', "")
        if self.config["enable_feature_string_compression"]:
            compressed = zlib.compress(bytes(feature_str, rasa.shared.utils.io.DEFAULT_ENCODING))
            return base64.b64encode(compressed).decode(rasa.shared.utils.io.DEFAULT_ENCODING)
        return feature_str

    def rule_feature_key(self: Any, states: list) -> Optional[Text]:
        # rasa 3.6.21 rule_policy.py: the states after the last rule snippet state
        start, prefix = len(states), _prefix_of(states)
        known = len(prefix.states) if prefix is not None and type(self)._is_rule_snippet_state is rasas_snippet else 0
        while start > known and not self._is_rule_snippet_state(states[start - 1]):
            start -= 1
        if start == known and known:  # none after the remembered states: the last among them, if any
            start = prefix.last_snippet + 1
        new_states = states[start:]
        if not new_states:
            return None
        return dumps_states(new_states)

    memo_feature_key.__doc__, rule_feature_key.__doc__ = original_memo.__doc__, original_rule.__doc__
    MemoizationPolicy._create_feature_key = memo_feature_key  # type: ignore[assignment]
    RulePolicy._create_feature_key = rule_feature_key  # type: ignore[assignment]
    global ORIGINAL_FEATURE_KEYS
    ORIGINAL_FEATURE_KEYS = (original_memo, original_rule)


ORIGINAL_FEATURE_KEYS: Any = None
ORIGINAL_REMOVE_USER_TEXT: Any = None


@_once
def install_known_states_skipped() -> None:
    """``TrackerFeaturizer._remove_user_text_if_intent`` skipping the remembered states that hold no
    text beside an intent (it would change nothing there); Rasa's loop over the rest."""
    from rasa.core.featurizers.tracker_featurizers import TrackerFeaturizer
    from rasa.shared.core.constants import USER
    from rasa.shared.nlu.constants import INTENT, TEXT

    assert (USER, INTENT, TEXT) == (USER_KEY, INTENT_KEY, TEXT_KEY)
    original = TrackerFeaturizer._remove_user_text_if_intent

    def _remove_user_text_if_intent(trackers_as_states: list) -> None:
        for states in trackers_as_states:
            prefix = _prefix_of(states)
            # the states after the remembered ones (an islice would walk those first)
            for state in states[len(prefix.states) if prefix is not None else 0:]:
                # remove text features to only use intent
                if state.get(USER, {}).get(INTENT) and state.get(USER, {}).get(TEXT):
                    del state[USER][TEXT]

    rasas_filter = TrackerFeaturizer._remove_action_unlikely_intent_from_states

    def _remove_action_unlikely_intent_from_states(states: list) -> list:
        prefix = _prefix_of(states)
        if prefix is None or prefix.unlikely:
            return rasas_filter(states)
        k = len(prefix.states)
        return states[:k] + rasas_filter(states[k:])

    _remove_action_unlikely_intent_from_states.__doc__ = rasas_filter.__doc__
    TrackerFeaturizer._remove_action_unlikely_intent_from_states = staticmethod(  # type: ignore
        _remove_action_unlikely_intent_from_states)
    _remove_user_text_if_intent.__doc__ = original.__doc__
    TrackerFeaturizer._remove_user_text_if_intent = staticmethod(_remove_user_text_if_intent)  # type: ignore
    global ORIGINAL_REMOVE_USER_TEXT
    ORIGINAL_REMOVE_USER_TEXT = original
ORIGINAL_POSSIBLE_KEYS: Any = None
_RULE_LENGTHS = "_speed_rule_lengths"


@_once
def install_bounded_rule_matching() -> None:
    """``RulePolicy._get_possible_keys`` that stops past the longest rule still possible (module docstring)."""
    from rasa.core.policies.rule_policy import RulePolicy

    original = RulePolicy._get_possible_keys
    rasas_applicable = RulePolicy._is_rule_applicable

    def _get_possible_keys(self: Any, lookup: Dict[Text, Text], states: list) -> set:
        if type(self)._is_rule_applicable is not rasas_applicable:
            return original(self, lookup, states)
        lengths = self.__dict__.setdefault(_RULE_LENGTHS, {})

        def length(key: Text) -> int:
            n = lengths.get(key)
            if n is None:
                n = lengths[key] = len(self._rule_key_to_state(key))
            return n

        possible_keys = set(lookup.keys())
        for i, state in enumerate(reversed(states)):
            # Rasa's _is_rule_applicable answers True for every rule shorter than i + 1
            if not possible_keys or i >= max(length(key) for key in possible_keys):
                break
            possible_keys = set(filter(lambda _key: self._is_rule_applicable(_key, i, state), possible_keys))
        return possible_keys

    _get_possible_keys.__doc__ = original.__doc__
    RulePolicy._get_possible_keys = _get_possible_keys  # type: ignore[assignment]
    global ORIGINAL_POSSIBLE_KEYS
    ORIGINAL_POSSIBLE_KEYS = original
ORIGINAL_MEMOIZATION_PREDICT: Any = None



@_once
def install_frozen_model_heap() -> None:
    """``Agent.load_model`` followed by ``gc.collect(); gc.freeze()``: the loaded model's objects
    (about 770,000: TensorFlow, the policies' lookups, the NLU pipeline) leave the garbage
    collector's generations. Before, every full collection CPython starts by itself walked all
    of them — 0.36–0.53 s measured on a loaded 2-core machine, on whichever turn happened to
    trigger it (the sequential p95 tail) — to find nothing: the model lives as long as the
    process. Objects created later (trackers, events) are collected as before. Loading another
    model unfreezes first, so the replaced model can be collected.
    """
    import gc

    from rasa.core.agent import Agent

    original = Agent.load_model

    def load_model(self: Any, *args: Any, **kwargs: Any) -> None:
        gc.unfreeze()
        try:
            return original(self, *args, **kwargs)
        finally:
            gc.collect()
            gc.freeze()

    load_model.__doc__ = original.__doc__
    load_model.__wrapped__ = original  # type: ignore[attr-defined]
    Agent.load_model = load_model  # type: ignore[assignment]


ORIGINAL_GET_LAST_EVENT_FOR: Any = None
ORIGINAL_IS_ACTION_LIMIT_REACHED: Any = None


@_once
def install_scans_from_the_end() -> None:
    """``DialogueStateTracker.get_last_event_for`` and ``MessageProcessor.is_action_limit_reached``
    reading the events backwards in place, without first copying every event of the session
    into a list (module docstring)."""
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    original_last = DialogueStateTracker.get_last_event_for
    rasas_verbosity = DialogueStateTracker._events_for_verbosity
    original_limit = MessageProcessor.is_action_limit_reached

    def get_last_event_for(
        self: Any, event_type: Any, action_names_to_exclude: Optional[list] = None, skip: int = 0,
        event_verbosity: Any = EventVerbosity.APPLIED,
    ) -> Any:
        if type(self)._events_for_verbosity is not rasas_verbosity or event_verbosity not in (
                EventVerbosity.ALL, EventVerbosity.APPLIED):
            return original_last(self, event_type, action_names_to_exclude, skip, event_verbosity)
        # rasa 3.6.21 trackers.py, over the same events from the last, not over a copy of them
        events = self.events if event_verbosity == EventVerbosity.ALL else applied_events_view(self)
        to_exclude = action_names_to_exclude or []
        for event in reversed(events):
            if isinstance(event, event_type) and not (
                    isinstance(event, ActionExecuted) and event.action_name in to_exclude):
                if skip <= 0:
                    return event
                skip -= 1
        return None

    def is_action_limit_reached(self: Any, tracker: Any, should_predict_another_action: bool) -> bool:
        # rasa 3.6.21 processor.py: the same count, over the events from the last in place
        num_predicted_actions = 0
        for e in reversed(tracker.events):
            if isinstance(e, ActionExecuted):
                if e.action_name in (ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME):
                    break
                num_predicted_actions += 1
        return num_predicted_actions >= self.max_number_of_predictions and should_predict_another_action

    get_last_event_for.__doc__ = original_last.__doc__
    is_action_limit_reached.__doc__ = original_limit.__doc__
    DialogueStateTracker.get_last_event_for = get_last_event_for  # type: ignore[assignment]
    MessageProcessor.is_action_limit_reached = is_action_limit_reached  # type: ignore[assignment]
    global ORIGINAL_GET_LAST_EVENT_FOR, ORIGINAL_IS_ACTION_LIMIT_REACHED
    ORIGINAL_GET_LAST_EVENT_FOR, ORIGINAL_IS_ACTION_LIMIT_REACHED = original_last, original_limit


ORIGINAL_RECALL_STATES: Any = None
_KEY_BOUND = "_speed_key_bound"


def _longest_key(policy: Any) -> float:
    """The length of the longest feature string among the policy's lookup keys (decompressed
    when the policy compresses them), worked out once per lookup; infinity when a key does not
    decode as this policy's keys do (then nothing is ruled out)."""
    import base64
    import binascii
    import zlib

    lookup = policy.lookup
    remembered = policy.__dict__.get(_KEY_BOUND)
    if remembered is not None and remembered[0] is lookup and remembered[1] == len(lookup):
        return remembered[2]
    longest: float = 0
    try:
        for key in lookup:
            if policy.config["enable_feature_string_compression"]:
                key = zlib.decompress(base64.b64decode(key, validate=True)).decode("utf-8")
            longest = max(longest, len(key))
    except (TypeError, ValueError, binascii.Error, zlib.error):
        longest = float("inf")
    policy.__dict__[_KEY_BOUND] = (lookup, len(lookup), longest)
    return longest


@_once
def install_memoization_length_bound() -> None:
    """``MemoizationPolicy._recall_states`` that answers None, as the lookup would, for states
    whose feature string is longer than every key of the lookup — without building,
    compressing and hashing the feature string of the whole session (module docstring)."""
    from rasa.core.policies.memoization import MemoizationPolicy

    original = MemoizationPolicy._recall_states

    def _recall_states(self: Any, states: list) -> Optional[Text]:
        if (states and type(self)._create_feature_key is MemoizationPolicy._create_feature_key
                and isinstance(self.lookup, dict)
                and feature_string_length(states) > _longest_key(self)):
            return None  # no key of the lookup is that long: self.lookup.get(key) is None
        return original(self, states)

    _recall_states.__doc__ = "Rasa's recall of the states' action; None without the key when no key is that long."
    MemoizationPolicy._recall_states = _recall_states  # type: ignore[assignment]
    global ORIGINAL_RECALL_STATES
    ORIGINAL_RECALL_STATES = original


ORIGINAL_TEMPORARY_TRACKER: Any = None
_RESTART_MEMO = "_speed_restart_memo"


def _holds_a_restart(tracker: Any) -> bool:
    """Whether any of the tracker's events is a ``Restarted``, reading only the events added
    since the last call (each tracker remembers how many it read and the last of them)."""
    from rasa.shared.core.events import Restarted

    events = tracker.events
    total = len(events)
    memo = tracker.__dict__.get(_RESTART_MEMO)
    if memo is not None and memo[0] <= total and (memo[0] == 0 or events[memo[0] - 1] is memo[1]):
        found = memo[2] or any(isinstance(events[i], Restarted) for i in range(memo[0] - total, 0))
    else:
        found = any(isinstance(e, Restarted) for e in events)
    tracker.__dict__[_RESTART_MEMO] = (total, events[-1] if total else None, found)
    return found


def _same_slots(tracker: Any, domain: Any) -> bool:
    """Whether the tracker's slots are the domain's (names, classes and definitions)."""
    slots = tracker.slots
    if type(slots) is not dict or len(slots) != len(domain.slots):
        return False
    for slot in domain.slots:
        own = slots.get(slot.name)
        if own is None or type(own) is not type(slot) or own.persistence_info() != slot.persistence_info():
            return False
    return True


@_once
def install_form_tracker_copy() -> None:
    """``FormAction._temporary_tracker`` from a copy of the tracker instead of replaying every
    event of the session into a new one, when that gives the same tracker (module docstring)."""
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core.constants import REQUESTED_SLOT
    from rasa.shared.core.events import ActionExecuted, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    original = FormAction._temporary_tracker

    def _temporary_tracker(self: Any, current_tracker: Any, additional_events: list, domain: Any) -> Any:
        if (type(current_tracker) is not DialogueStateTracker or current_tracker.is_rule_tracker
                or current_tracker._max_event_history is not None or current_tracker.sender_source is not None
                or _holds_a_restart(current_tracker) or not _same_slots(current_tracker, domain)):
            return original(self, current_tracker, additional_events, domain)
        # Rasa 3.6.21 forms.py replays events_after_latest_restart() (here: every event) and these
        # into DialogueStateTracker(sender_id, domain.slots): the copy holds that state already.
        tracker = current_tracker.copy()
        tracker.model_id = tracker.assistant_id = None  # as a new tracker has them
        for event in [SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
                      ActionExecuted(self.name()), *additional_events]:
            tracker.update(event)
        return tracker

    _temporary_tracker.__doc__ = "Rasa's temporary form tracker, from a copy of the tracker (bot/rasa_speed.py)."
    FormAction._temporary_tracker = _temporary_tracker  # type: ignore[assignment]
    global ORIGINAL_TEMPORARY_TRACKER
    ORIGINAL_TEMPORARY_TRACKER = original


# ---------------------------------------------------------------------------------------------
# Sixth pass: the action server's request (issue 16)

#: Rasa's own ``RemoteAction._action_call_format`` (set by :func:`install_action_events_window`).
ORIGINAL_ACTION_CALL_FORMAT: Optional[Callable[..., Any]] = None


@_once
def install_action_events_window() -> None:
    """``RemoteAction._action_call_format`` sends the tracker's events from the
    ``ACTION_EVENTS_TURNS``-th last user message on (:func:`action_events_window`) instead of
    every event of the session; every other field of the request is Rasa's (computed from the
    whole tracker). A session shorter than the window gets Rasa's request unchanged."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity

    original = RemoteAction._action_call_format

    def _action_call_format(self: Any, tracker: Any, domain: Any) -> Dict[Text, Any]:
        from bot.settings import get_settings

        state = (None if self.name() in WHOLE_SESSION_ACTIONS
                 else action_tracker_state(tracker, get_settings().action_events_turns, none_without_window=True))
        if state is None:
            return original(self, tracker, domain)  # no window: Rasa's own request
        # Rasa 3.6.21's request builder, handed the windowed state for current_state(ALL)
        real_current_state = tracker.current_state

        def current_state(event_verbosity: Any = EventVerbosity.NONE) -> Dict[Text, Any]:
            return state if event_verbosity == EventVerbosity.ALL else real_current_state(event_verbosity)

        tracker.current_state = current_state  # type: ignore[method-assign]
        try:
            return original(self, tracker, domain)
        finally:
            del tracker.current_state

    _action_call_format.__doc__ = ("Rasa's request to the action server with a bounded window of the "
                                   "session's events (bot/rasa_speed.py).")
    RemoteAction._action_call_format = _action_call_format  # type: ignore[assignment]
    global ORIGINAL_ACTION_CALL_FORMAT
    ORIGINAL_ACTION_CALL_FORMAT = original
