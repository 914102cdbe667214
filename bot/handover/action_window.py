"""The events a custom action is sent: a bounded window of the session (issue 16).

Rasa sends the action server ``tracker.current_state(EventVerbosity.ALL)``, every event of the
session, for every custom action call. :func:`action_events_window` picks the events from the
``ACTION_EVENTS_TURNS``-th last user message on (bot/settings.py) with the few earlier events that
carry the slot and form state into them; :func:`action_tracker_state` is Rasa's state with those
events. Used by bot/rasa_speed.py ``install_action_events_window`` (the request to the action
server) and bot/handover/action_fallback.py (the Rasa server's own hand-over when the action
server is down), so both read the same events.
"""
from __future__ import annotations

import itertools
from typing import Any, Dict, Optional, Text


def action_events_window(tracker: Any, turns: int) -> Optional[list]:
    """The events a custom action is sent instead of every event of the session, or None for all.

    The window is every event from the ``turns``-th last user message (``UserUttered``) on,
    preceded — in their order in the session — by the events from before it that carry the
    state into it: the latest ``ActiveLoop`` event when a form is active (its activation), and,
    for each slot that holds a value other than its initial one or that an event of the window
    sets, its latest ``SlotSet`` before the window. (A customer token is read from the latest user
    message only, which the window always holds: ``bot.customers.evidence.evidence_of``.) A fold
    over the window's slot and form events (what the actions read: ``actions/orders.py``
    ``previous_value``, ``form_starting``) then sees the same values
    at every point of the window as a fold over the whole session. At most ``turns`` user
    messages and one event per slot more: bounded, whatever the session's length.

    Args:
        tracker: Rasa's ``DialogueStateTracker``.
        turns: how many of the latest user messages the window holds (``ACTION_EVENTS_TURNS``);
            0 or less: no window.

    Returns:
        The events (Rasa ``Event`` objects, oldest first), or None when the window would hold
        every user message of the tracker (``turns`` or fewer of them), or ``turns`` <= 0: then
        Rasa's payload is sent unchanged.
    """
    from rasa.shared.core.events import ActiveLoop, SlotSet, UserUttered

    if turns <= 0:
        return None
    backwards = reversed(tracker.events)
    window, seen = [], 0
    for event in backwards:
        window.append(event)
        if isinstance(event, UserUttered):
            seen += 1
            if seen == turns:
                break
    else:
        return None  # fewer user messages than the window holds
    before = []  # the events before the window, up to the user message before it
    for event in backwards:
        before.append(event)
        if isinstance(event, UserUttered):
            break
    else:
        return None  # the window holds every user message: Rasa's request, unchanged
    window.reverse()
    # a slot's value at the window's start matters if it is set now or changes in the window
    wanted = {e.key for e in window if isinstance(e, SlotSet)}
    wanted.update(name for name, slot in tracker.slots.items() if slot.value != slot.initial_value)
    need_loop = bool(tracker.active_loop_name) and not any(isinstance(e, ActiveLoop) for e in window)
    carried = []
    for event in itertools.chain(before, backwards):  # from just before the window, until all are found
        if not (wanted or need_loop):
            break
        if isinstance(event, SlotSet) and event.key in wanted:
            wanted.discard(event.key)
            carried.append(event)
        elif need_loop and isinstance(event, ActiveLoop):
            need_loop = False
            carried.append(event)
    carried.reverse()
    return carried + window


# Actions sent the whole session, window or not: the hand-over (`action_handoff`, run once per
# ticket, not per turn) builds the packet an agent reads — its transcript, counts and mood history
# are the whole conversation's (rev16-s6 #2)
WHOLE_SESSION_ACTIONS = frozenset({"action_handoff"})


def action_tracker_state(tracker: Any, turns: Optional[int] = None,
                         none_without_window: bool = False) -> Optional[Dict[Text, Any]]:
    """The tracker's state as a custom action is sent it: ``current_state(EventVerbosity.ALL)``
    with ``events`` the :func:`action_events_window` (every other key computed by Rasa from the
    whole tracker).

    Args:
        tracker: Rasa's ``DialogueStateTracker``.
        turns: the window's user messages; None: ``ACTION_EVENTS_TURNS`` (bot/settings.py).
        none_without_window: return None instead of Rasa's whole state when there is no window.

    Returns:
        The state dict (Rasa's keys, in Rasa's order), its older user messages slimmed
        (:func:`slim_older_messages`); every event, unchanged, when there is no window (or None
        with ``none_without_window``).
    """
    from rasa.shared.core.trackers import EventVerbosity

    if turns is None:
        from bot.settings import get_settings

        turns = get_settings().action_events_turns
    window = action_events_window(tracker, turns)
    if window is None:
        return None if none_without_window else tracker.current_state(EventVerbosity.ALL)
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = slim_older_messages([event.as_dict() for event in window])
    return state


# what an older user message's response selector keeps: what the actions read (the hand-over
# packet's topics read ``intent_response_key``) and what names the answer
_SELECTOR_KEEPS = ("intent_response_key", "utter_action", "confidence")


def slim_older_messages(events: list) -> list:
    """``events`` (event dicts, oldest first) with every user message but the latest sent without
    its rankings: ``parse_data.intent_ranking`` is dropped, and each response selector's entry keeps
    only ``response``'s ``intent_response_key``, ``utter_action`` and ``confidence`` (no ranking,
    no response texts, no ``all_retrieval_intents``). They are most of a user message's size
    (~4 KB of the ~6 KB a customer turn adds to the request in this project), no action reads them for an older message, and the latest
    message keeps everything (as does the top-level ``latest_message``). Only used with a window,
    so a conversation shorter than the window still gets Rasa's request unchanged.

    Args:
        events: event dicts as ``Event.as_dict()`` gives them; not changed (slimmed copies are made).

    Returns:
        A new list: the same dicts, the older user messages replaced by slimmed copies.
    """
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    out = []
    for i, event in enumerate(events):
        data = event.get("parse_data") if event.get("event") == "user" and i != last_user else None
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "intent_ranking"}
            selector = data.get("response_selector")
            if isinstance(selector, dict):
                data["response_selector"] = {
                    name: {"response": {k: v for k, v in ((entry or {}).get("response") or {}).items()
                                        if k in _SELECTOR_KEEPS}}
                    for name, entry in selector.items()
                    if name != "all_retrieval_intents" and isinstance(entry, dict)}
            event = {**event, "parse_data": data}
        out.append(event)
    return out
