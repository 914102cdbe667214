"""Per-turn costs of Rasa 3.6 removed on the project's server (issue 16).

``install()`` runs when the project's tracker store (bot/storage/stores.py) is
loaded, i.e. in every Rasa server that serves this project with its
endpoints.yml; a plain Rasa server is left as Rasa ships it. Each change
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
"""
from __future__ import annotations

import copy as _copy
import itertools
import json
import logging
from typing import Any, Dict, Optional, Text, Type

logger = logging.getLogger(__name__)

_INSTALLED = False
_NOT_FOUND = type("_NotFound", (), {})  # a "default" no real event class is


def _compiled_action_validator() -> Any:
    """A validator of Rasa's action server reply schema, built (and the schema checked) once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


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

    def applied_events(self: Any) -> list:
        events = self.events
        total = len(events)
        memo = self.__dict__.get(_APPLIED_MEMO)
        if memo is not None:
            seen, last, applied, loop_names = memo
            if seen <= total and (seen == 0 or events[seen - 1] is last):
                new = list(itertools.islice(events, seen, None))
                if not any(isinstance(e, ActiveLoop) and e.name and e.name not in loop_names for e in new):
                    _fold(self, applied, loop_names, new)
                    if total:
                        self.__dict__[_APPLIED_MEMO] = (total, events[-1], applied, loop_names)
                    return list(applied)
        loop_names = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
        applied = []
        _fold(self, applied, loop_names, events)
        self.__dict__[_APPLIED_MEMO] = (total, events[-1] if total else None, applied, loop_names)
        return list(applied)

    global ORIGINAL_APPLIED_EVENTS
    ORIGINAL_APPLIED_EVENTS = DialogueStateTracker.applied_events
    applied_events.__doc__ = DialogueStateTracker.applied_events.__doc__
    DialogueStateTracker.applied_events = applied_events  # type: ignore[assignment]


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
        applied = tracker.applied_events()
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
        for event in applied[memo["seen"]:]:
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


def install_quiet_state_formatting() -> None:
    """``Policy.format_tracker_states`` only when its debug log line is written."""
    from rasa.core.policies.policy import Policy

    original = Policy.format_tracker_states
    rasa_logger = logging.getLogger("rasa")

    def format_tracker_states(states: list) -> Text:
        return original(states) if rasa_logger.isEnabledFor(logging.DEBUG) else ""

    format_tracker_states.__doc__ = original.__doc__
    Policy.format_tracker_states = staticmethod(format_tracker_states)  # type: ignore[assignment]


def install() -> None:
    """Install every change above once per process (later calls do nothing)."""
    global _INSTALLED
    if _INSTALLED:
        return
    install_action_validator()
    install_event_class_cache()
    install_incremental_history()
    install_fast_copy()
    install_quiet_state_formatting()
    _INSTALLED = True
