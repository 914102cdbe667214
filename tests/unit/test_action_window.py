"""Issue 16: the action server is sent a bounded window of the session's events
(bot/rasa_speed.py ``install_action_events_window``, ``ACTION_EVENTS_TURNS``)."""
from __future__ import annotations

import json

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot import rasa_patches
from bot import rasa_speed as speed

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, order_status]
slots:
  topic:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
  order_number:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
  language:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
forms:
  order_status_form:
    required_slots: [order_number]
responses:
  utter_greet: [{text: hi}]
""")


def _turn(tracker: DialogueStateTracker, n: int) -> None:
    tracker.update(UserUttered(f"hello {n}", {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered(f"hi {n}"))
    tracker.update(SlotSet("topic", f"t{n}"), DOMAIN)
    tracker.update(ActionExecuted("action_listen"))


def _conversation(turns: int, sender: str = "long") -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(SlotSet("language", "zh"), DOMAIN)
    tracker.update(ActionExecuted("action_listen"))
    for n in range(turns):
        _turn(tracker, n)
    return tracker


def _payload(tracker: DialogueStateTracker) -> dict:
    return RemoteAction("action_check_order_status", None)._action_call_format(tracker, DOMAIN)


def _rasas_payload(tracker: DialogueStateTracker) -> dict:
    return speed.ORIGINAL_ACTION_CALL_FORMAT(RemoteAction("action_check_order_status", None), tracker, DOMAIN)


@pytest.fixture(autouse=True)
def _installed():
    rasa_patches.install_all()


def test_a_conversation_shorter_than_the_window_gets_rasas_request_byte_for_byte(monkeypatch):
    monkeypatch.setenv("ACTION_EVENTS_TURNS", "50")
    for turns in (0, 1, 10, 49, 50):  # 50: the window holds every user message
        tracker = _conversation(turns)
        assert json.dumps(_payload(tracker)) == json.dumps(_rasas_payload(tracker)), turns


def test_the_request_holds_as_many_events_at_turn_300_as_at_turn_10(monkeypatch):
    monkeypatch.setenv("ACTION_EVENTS_TURNS", "10")
    tracker = _conversation(11)
    at_11 = len(_payload(tracker)["tracker"]["events"])
    for n in range(11, 300):
        _turn(tracker, n)
    at_300 = _payload(tracker)["tracker"]["events"]
    assert len(at_300) == at_11 < 60
    assert len(_rasas_payload(tracker)["tracker"]["events"]) == len(tracker.events) > 1_400
    # the window's last 10 user messages, and the language set at the session's start carried in
    assert [e["text"] for e in at_300 if e["event"] == "user"] == [f"hello {n}" for n in range(290, 300)]
    assert at_300[0] == {**SlotSet("language", "zh").as_dict(), "timestamp": at_300[0]["timestamp"]}


def test_every_other_field_is_rasas_computed_from_the_whole_tracker(monkeypatch):
    monkeypatch.setenv("ACTION_EVENTS_TURNS", "10")
    tracker = _conversation(40)
    tracker.update(UserUttered("where is my order", {"name": "order_status", "confidence": 1.0}))
    ours, rasas = _payload(tracker), _rasas_payload(tracker)
    ours_events, rasas_events = ours["tracker"].pop("events"), rasas["tracker"].pop("events")
    assert json.dumps(ours) == json.dumps(rasas)  # same keys, same order, same values
    # the window: Rasa's events from the 10th last user message on, after the carried slots
    assert ours_events[-len(ours_events) + 2:] == rasas_events[-len(ours_events) + 2:]
    assert [e["name"] for e in ours_events[:2]] == ["language", "topic"]


def test_folding_the_windows_slot_and_form_events_gives_the_sessions_values(monkeypatch):
    """What the actions read (actions/orders.py previous_value, form_starting) comes out the same."""
    monkeypatch.setenv("ACTION_EVENTS_TURNS", "10")
    tracker = _conversation(3)
    tracker.update(SlotSet("order_number", "A1"), DOMAIN)
    tracker.update(ActiveLoop("order_status_form"))
    for n in range(3, 30):  # the form stays active for many turns; order_number unchanged
        _turn(tracker, n)
    tracker.update(UserUttered("B2", {"name": "order_status", "confidence": 1.0}))
    tracker.update(SlotSet("order_number", "B2"), DOMAIN)  # this turn's candidate

    def fold(events: list) -> tuple:
        slots, loop = {}, None
        last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
        for event in events[:last_user]:
            if event["event"] == "slot":
                slots[event["name"]] = event["value"]
            elif event["event"] == "active_loop":
                loop = event["name"]
        return slots, loop

    window = _payload(tracker)["tracker"]["events"]
    whole = tracker.current_state(EventVerbosity.ALL)["events"]
    assert len(window) < 60 < len(whole)
    assert fold(window) == fold(whole) == ({"language": "zh", "topic": "t29", "order_number": "A1"},
                                           "order_status_form")


def test_no_window_when_it_is_switched_off(monkeypatch):
    monkeypatch.setenv("ACTION_EVENTS_TURNS", "0")
    tracker = _conversation(120)
    assert _payload(tracker) == _rasas_payload(tracker)


def test_the_fallback_hand_over_reads_the_same_window(monkeypatch):
    """bot/handover/action_fallback.py builds its SDK tracker from ``action_tracker_state``."""
    monkeypatch.setenv("ACTION_EVENTS_TURNS", "12")
    tracker = _conversation(200)
    state = speed.action_tracker_state(tracker)
    assert state["events"] == _payload(tracker)["tracker"]["events"]
    assert sum(e["event"] == "user" for e in state["events"]) == 12
    assert {k: v for k, v in state.items() if k != "events"} == {
        k: v for k, v in tracker.current_state(EventVerbosity.ALL).items() if k != "events"}


@pytest.mark.parametrize("value, turns", [("", 50), ("0", 0), ("10", 10), ("500", 500)])
def test_the_window_is_a_setting(monkeypatch, value, turns):
    from bot.settings import Settings

    assert Settings.from_env({"ACTION_EVENTS_TURNS": value}).action_events_turns == turns


@pytest.mark.parametrize("value", ["1", "9", "-1", "ten"])
def test_a_window_too_small_for_the_escalation_rules_is_refused(value):
    from bot.settings import Settings

    with pytest.raises(ValueError, match="ACTION_EVENTS_TURNS"):
        Settings.from_env({"ACTION_EVENTS_TURNS": value})


def _ranked(text: str, faq: str) -> UserUttered:
    """A user message shaped as this project's NLU gives it: an intent ranking and a response selector."""
    ranking = [{"name": f"intent_{i}", "confidence": 0.01} for i in range(10)]
    selector = {
        "all_retrieval_intents": ["faq"],
        "faq": {"response": {"id": 1, "responses": [{"text": "Our opening hours are … " * 20}],
                             "response_templates": [{"text": "…"}], "confidence": 0.97,
                             "intent_response_key": f"faq/{faq}", "utter_action": f"utter_faq/{faq}",
                             "template_name": f"utter_faq/{faq}"},
                "ranking": [{"id": i, "confidence": 0.01, "intent_response_key": f"faq/x{i}"} for i in range(10)]},
    }
    return UserUttered(text, {"name": "faq", "confidence": 0.99},
                       parse_data={"intent": {"name": "faq", "confidence": 0.99}, "entities": [], "text": text,
                                   "intent_ranking": ranking, "response_selector": selector})


def test_older_messages_are_sent_without_their_rankings_and_the_latest_keeps_everything(monkeypatch):
    """The window's older user messages lose only what no action reads (rankings, response texts);
    the hand-over packet's topics, read from ``intent_response_key``, are the same."""
    from bot.handover.packet import _full_intents

    monkeypatch.setenv("ACTION_EVENTS_TURNS", "10")
    tracker = _conversation(2)
    for n in range(30):
        tracker.update(_ranked(f"question {n}", f"topic{n}"))
        tracker.update(ActionExecuted("action_listen"))
    ours = [e for e in _payload(tracker)["tracker"]["events"] if e["event"] == "user"]
    rasas = [e for e in _rasas_payload(tracker)["tracker"]["events"] if e["event"] == "user"][-10:]
    assert [e["text"] for e in ours] == [e["text"] for e in rasas]
    assert ours[-1] == rasas[-1]  # the latest message: everything
    for slim, full in zip(ours[:-1], rasas[:-1]):
        assert "intent_ranking" not in slim["parse_data"] and "intent_ranking" in full["parse_data"]
        assert slim["parse_data"]["intent"] == full["parse_data"]["intent"]
        assert slim["parse_data"]["response_selector"] == {"faq": {"response": {
            "confidence": 0.97, "intent_response_key": full["parse_data"]["response_selector"]["faq"]["response"][
                "intent_response_key"], "utter_action": full["parse_data"]["response_selector"]["faq"]["response"][
                "utter_action"]}}}
        assert len(json.dumps(slim)) * 5 < len(json.dumps(full))
    intents = ["faq"] * 10
    assert _full_intents(ours, intents) == _full_intents(rasas, intents) == [f"faq/topic{n}" for n in range(20, 30)]


def test_a_customer_token_is_never_carried_into_the_window(monkeypatch):
    """Session 48: only the latest message's token proves who writes (bot/customers/evidence.py), and the window
    always holds that message; an older token is not carried in (rev16-s6 #1 carried it, for a REST client that
    sent it once: that token then vouched for whoever wrote next on a shared computer)."""
    monkeypatch.setenv("ACTION_EVENTS_TURNS", "10")
    tracker = _conversation(0)
    tracker.update(UserUttered("where is QX-100002?", {"name": "order_status", "confidence": 1.0},
                               metadata={"customer_token": "signed-token"}))
    tracker.update(ActionExecuted("action_listen"))
    for n in range(30):
        _turn(tracker, n)
    events = _payload(tracker)["tracker"]["events"]
    assert not [e for e in events if e["event"] == "user" and (e.get("metadata") or {}).get("customer_token")]
    assert len([e for e in events if e["event"] == "user"]) == 10
    tracker.update(UserUttered("hi again", {"name": "greet", "confidence": 1.0}, metadata={"customer_token": "newer"}))
    events = _payload(tracker)["tracker"]["events"]
    assert [e["metadata"]["customer_token"] for e in events if e["event"] == "user"
            and (e.get("metadata") or {}).get("customer_token")] == ["newer"]


def test_the_hand_over_is_sent_the_whole_session(monkeypatch):
    """rev16-s6 #2: the hand-over (once per ticket) builds the agent's packet from every message."""
    monkeypatch.setenv("ACTION_EVENTS_TURNS", "10")
    tracker = _conversation(40)
    hand_over = RemoteAction("action_handoff", None)._action_call_format(tracker, DOMAIN)
    rasas = speed.ORIGINAL_ACTION_CALL_FORMAT(RemoteAction("action_handoff", None), tracker, DOMAIN)
    assert json.dumps(hand_over) == json.dumps(rasas)
    assert len([e for e in hand_over["tracker"]["events"] if e["event"] == "user"]) == 40
