"""Issue 16: the per-turn costs removed on the project's server keep Rasa's behaviour."""
from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa.engine.graph import GraphSchema

from bot import rasa_patches
from bot import rasa_speed as speed

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet]
slots:
  topic:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: hi}]
""")


def _turn(tracker: DialogueStateTracker, n: int) -> None:
    tracker.update(UserUttered(f"hello {n}", {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered("hi"))
    tracker.update(SlotSet("topic", f"t{n}"), DOMAIN)
    tracker.update(ActionExecuted("action_listen"))


def _run(coro):
    return asyncio.run(coro)


# ---- the action server reply validator -----------------------------------
@pytest.mark.parametrize("reply", [
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
    {"events": [], "responses": []},
    {},
])
def test_valid_replies_pass_as_with_rasa(reply):
    rasa_patches.install_all()
    jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    assert RemoteAction("a", None)._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", [
    {"events": "not a list"},
    {"events": [{"event": "no-such-event"}]},
    {"responses": [1, 2]},
    ["not", "an", "object"],
])
def test_invalid_replies_raise_rasas_error_with_its_hint(reply):
    rasa_patches.install_all()
    with pytest.raises(jsonschema.ValidationError) as expected:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as raised:
        RemoteAction("a", None)._validate_action_result(reply)
    assert raised.value.message.startswith(expected.value.message)
    assert "Failed to validate Action server response" in raised.value.message
    assert list(raised.value.path) == list(expected.value.path)


def test_the_reply_schema_is_checked_once_not_per_reply(monkeypatch):
    rasa_patches.install_all()
    validator_class = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    checks = []
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, s: checks.append(1)))
    for _ in range(5):
        RemoteAction("a", None)._validate_action_result({"events": [], "responses": []})
    assert checks == []


# ---- the event class lookup ---------------------------------------------
def test_event_classes_are_found_without_walking_all_subclasses(monkeypatch):
    rasa_patches.install_all()
    assert Event.resolve_by_type("slot") is SlotSet  # remembered from here on
    assert Event.resolve_by_type("user") is UserUttered
    import rasa.shared.utils.common as common

    walks = []
    original = common.all_subclasses
    monkeypatch.setattr(common, "all_subclasses", lambda cls: walks.append(1) or original(cls))
    for _ in range(10):
        assert Event.resolve_by_type("slot") is SlotSet
    assert Event.from_parameters({"event": "slot", "name": "x", "value": 1}) == SlotSet("x", 1)
    assert Event.resolve_by_type("user") is UserUttered
    assert walks == []


def test_unknown_event_names_answer_as_rasa_does():
    rasa_patches.install_all()
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("no-such-event")


# ---- warm trackers in the project's SQL tracker store -----------------------
@pytest.fixture
def store(database_url):
    from bot.storage.stores import ProjectSQLTrackerStore

    return ProjectSQLTrackerStore(domain=DOMAIN)


def _conversation(store, sender: str, turns: int) -> DialogueStateTracker:
    """A conversation as Rasa's processor writes it: created, session started, turns saved one by one."""
    tracker = _run(store.get_or_create_tracker(sender))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    _run(store.save(tracker))
    for n in range(turns):
        tracker = _run(store.retrieve(sender))
        _turn(tracker, n)
        _run(store.save(tracker))
    return tracker


def test_a_saved_tracker_is_handed_out_again_without_reading_the_events(store, monkeypatch):
    last = _conversation(store, "warm-1", 3)
    reads = []
    original = Event.from_parameters
    monkeypatch.setattr(Event, "from_parameters", staticmethod(lambda *a, **k: reads.append(1) or original(*a, **k)))
    tracker = _run(store.retrieve("warm-1"))
    assert reads == []
    assert tracker is last
    assert tracker.get_slot("topic") == "t2"


def test_the_store_holds_what_rasas_own_store_writes(store, database_url, tmp_path):
    _conversation(store, "same-1", 4)
    plain = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "plain.db"))
    _conversation(plain, "same-1", 4)

    def rows(s):
        with s.session_scope() as session:
            return [(e.type_name, e.intent_name, e.action_name) for e in
                    session.query(s.SQLEvent).filter(s.SQLEvent.sender_id == "same-1").order_by(s.SQLEvent.id)]

    assert rows(store) == rows(plain)
    fresh = _run(plain.retrieve("same-1"))
    ours = _run(store.retrieve("same-1"))
    assert [e.type_name for e in ours.events] == [e.type_name for e in fresh.events]
    assert ours.current_slot_values() == fresh.current_slot_values()


def test_events_written_by_another_server_are_read(store, database_url):
    from bot.storage.stores import ProjectSQLTrackerStore

    mine = _conversation(store, "two-servers", 2)
    other = ProjectSQLTrackerStore(domain=DOMAIN)
    theirs = _run(other.retrieve("two-servers"))
    _turn(theirs, 99)
    _run(other.save(theirs))
    tracker = _run(store.retrieve("two-servers"))
    assert tracker is not mine
    assert tracker.get_slot("topic") == "t99"
    assert len(tracker.events) == len(theirs.events)
    # and the next save of this server appends after the other server's events
    _turn(tracker, 100)
    _run(store.save(tracker))
    assert _run(other.retrieve("two-servers")).get_slot("topic") == "t100"


def test_a_turn_that_failed_before_saving_leaves_no_trace(store):
    tracker = _conversation(store, "failed-turn", 2)
    _turn(tracker, 50)  # changed, never saved (an exception in the turn)
    again = _run(store.retrieve("failed-turn"))
    assert again is not tracker
    assert again.get_slot("topic") == "t1"


def test_a_session_started_inside_the_tracker_is_read_back_as_rasa_reads_it(store):
    tracker = _conversation(store, "new-session", 2)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    _run(store.save(tracker))
    again = _run(store.retrieve("new-session"))
    assert again is not tracker
    assert isinstance(again.events[0], SessionStarted)
    assert sum(isinstance(e, SessionStarted) for e in again.events) == 1


# ---- incremental dialogue history: same answers as Rasa's, event after event ----
from hypothesis import given, settings, strategies as st  # noqa: E402

from bot.handover.handoff_policy import dialogue_turns  # noqa: E402
from bot.handover.policy import turns_from_events  # noqa: E402
from rasa.shared.core.events import (  # noqa: E402
    ActionExecutionRejected, ActionReverted, ActiveLoop, Restarted, UserUtteranceReverted,
)

FORM_DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, inform, stop]
entities: [city]
slots:
  city:
    type: text
    mappings: [{type: from_entity, entity: city}]
  mood:
    type: categorical
    values: [good, bad]
    mappings: [{type: custom}]
forms:
  city_form:
    required_slots: [city]
  other_form:
    required_slots: [mood]
responses:
  utter_greet: [{text: hi}]
  utter_ask_city: [{text: "which city?"}]
actions: [action_check]
""")

EVENTS = st.sampled_from([
    lambda: UserUttered("hi", {"name": "greet", "confidence": 1.0}),
    lambda: UserUttered("Paris", {"name": "inform", "confidence": 1.0},
                        [{"entity": "city", "value": "Paris", "start": 0, "end": 5}]),
    lambda: UserUttered("stop", {"name": "stop", "confidence": 1.0}),
    lambda: ActionExecuted("action_listen"),
    lambda: ActionExecuted("utter_greet"),
    lambda: ActionExecuted("action_check"),
    lambda: ActionExecuted("city_form"),
    lambda: ActionExecuted("other_form"),
    lambda: ActionExecuted("utter_ask_city", hide_rule_turn=True),
    lambda: ActiveLoop("city_form"),
    lambda: ActiveLoop("other_form"),
    lambda: ActiveLoop(None),
    lambda: ActionExecutionRejected("city_form"),
    lambda: SlotSet("city", "Rome"),
    lambda: SlotSet("mood", "bad"),
    lambda: SlotSet("requested_slot", "city"),
    lambda: ActionReverted(),
    lambda: UserUtteranceReverted(),
    lambda: SessionStarted(),
    lambda: Restarted(),
    lambda: BotUttered("hello"),
    lambda: ActionExecuted("action_handoff"),
    lambda: ActionExecuted("action_offer_handoff"),
    lambda: UserUttered("I want a person now, this is useless",
                        {"name": "human_handoff", "confidence": 0.9}, parse_data={"emotion": {"label": "anger", "score": 0.9}}),
])
RULE_ONLY = {"slots": ["mood"], "loops": ["other_form"]}


@settings(max_examples=60, deadline=None)
@given(st.lists(EVENTS, min_size=1, max_size=40))
def test_history_is_continued_exactly_as_rasa_computes_it_from_the_start(makers):
    rasa_patches.install_all()
    tracker = DialogueStateTracker("property", FORM_DOMAIN.slots)
    for make in makers:
        tracker.update(make(), FORM_DOMAIN)
        assert tracker.applied_events() == speed.ORIGINAL_APPLIED_EVENTS(tracker)
        for omit, ignore, rule_only in ((False, False, None), (True, False, None), (False, True, RULE_ONLY)):
            ours = FORM_DOMAIN.states_for_tracker_history(tracker, omit, ignore, rule_only)
            rasas = speed.ORIGINAL_STATES_FOR_TRACKER_HISTORY(FORM_DOMAIN, tracker, omit, ignore, rule_only)
            assert ours == rasas
        _change_the_last_state_as_callers_do(tracker)
        _same_copy_as_rasas(tracker)
        assert dialogue_turns(tracker) == turns_from_events(
            e.as_dict() for e in speed.ORIGINAL_APPLIED_EVENTS(tracker) if isinstance(e, (UserUttered, ActionExecuted)))


def _same_copy_as_rasas(tracker: DialogueStateTracker) -> None:
    from rasa.shared.core.trackers import EventVerbosity

    ours, rasas = tracker.copy(), speed.ORIGINAL_COPY(tracker)
    assert ours is not tracker and ours.events is not tracker.events
    assert ours.current_state(EventVerbosity.ALL) == rasas.current_state(EventVerbosity.ALL)
    for name in ("_paused", "followup_action", "latest_action", "active_loop", "latest_message",
                 "latest_bot_utterance", "model_id", "assistant_id", "sender_source", "is_rule_tracker"):
        assert getattr(ours, name) == getattr(rasas, name), name
    assert {k: (s.value, s.has_been_set) for k, s in ours.slots.items()} == \
        {k: (s.value, s.has_been_set) for k, s in rasas.slots.items()}
    ours.update(SlotSet("city", "Oslo"))  # the copy is a copy
    assert tracker.get_slot("city") != "Oslo" or any(
        isinstance(e, SlotSet) and e.value == "Oslo" for e in tracker.events)


def _change_the_last_state_as_callers_do(tracker: DialogueStateTracker) -> None:
    """The featurizer drops the last state's text or intent: nothing remembered may change with it."""
    for args in ((False, False, None), (False, True, RULE_ONLY)):
        states = FORM_DOMAIN.states_for_tracker_history(tracker, *args)
        if states and isinstance(states[-1].get("user"), dict):
            states[-1]["user"].clear()
        assert FORM_DOMAIN.states_for_tracker_history(tracker, *args) == \
            speed.ORIGINAL_STATES_FOR_TRACKER_HISTORY(FORM_DOMAIN, tracker, *args)


def test_a_form_name_seen_late_recomputes_what_it_changes():
    rasa_patches.install_all()
    tracker = DialogueStateTracker("late-form", FORM_DOMAIN.slots)
    for event in (ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet", "confidence": 1.0}),
                  ActionExecuted("other_form"), ActionExecuted("other_form")):
        tracker.update(event, FORM_DOMAIN)
    assert len(tracker.applied_events()) == 4  # no form known yet: both executions count
    tracker.update(ActiveLoop("other_form"), FORM_DOMAIN)
    assert tracker.applied_events() == speed.ORIGINAL_APPLIED_EVENTS(tracker)
    assert len(tracker.applied_events()) == 4  # the second execution is the form's own, undone


def test_the_last_state_handed_out_shares_nothing_remembered():
    rasa_patches.install_all()
    tracker = DialogueStateTracker("alias", FORM_DOMAIN.slots)
    for event in (ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet", "confidence": 1.0}),
                  ActionExecuted("utter_greet"), ActionExecuted("action_check")):
        tracker.update(event, FORM_DOMAIN)
        _change_the_last_state_as_callers_do(tracker)


def test_history_of_a_long_session_is_not_recomputed_each_turn(monkeypatch):
    rasa_patches.install_all()
    tracker = DialogueStateTracker("long", DOMAIN.slots)
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for n in range(300):
        _turn(tracker, n)
    DOMAIN.states_for_tracker_history(tracker)
    calls = []
    original = Domain.get_active_state
    monkeypatch.setattr(Domain, "get_active_state", lambda *a, **k: calls.append(1) or original(*a, **k))
    _turn(tracker, 300)
    states = DOMAIN.states_for_tracker_history(tracker)
    # the new turn's two actions and the state after the last event (Rasa's: 600 and more)
    assert len(calls) == 3
    assert states == speed.ORIGINAL_STATES_FOR_TRACKER_HISTORY(DOMAIN, tracker)


# ---- the memoization and rule policies: feature keys and debug copies --------------
STATE_VALUES = st.recursive(
    st.one_of(st.text(max_size=6), st.integers(-3, 3), st.floats(-2, 2, allow_nan=False),
              st.tuples(st.floats(0, 1, allow_nan=False))),
    lambda inner: st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)
STATES = st.lists(st.dictionaries(st.sampled_from(["user", "prev_action", "slots", "active_loop"]),
                                  st.dictionaries(st.text(max_size=5), STATE_VALUES, max_size=4), max_size=4),
                  max_size=12)


def _policies():
    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.core.policies.rule_policy import RulePolicy

    rasa_patches.install_all()
    memo, rule = object.__new__(MemoizationPolicy), object.__new__(RulePolicy)
    memo.config = {"enable_feature_string_compression": True}
    return memo, rule


@settings(max_examples=80, deadline=None)
@given(STATES, STATES, st.booleans())
def test_feature_keys_are_rasas_as_the_conversation_grows(states, more, compress):
    memo, rule = _policies()
    memo.config["enable_feature_string_compression"] = compress
    original_memo, original_rule = speed.ORIGINAL_FEATURE_KEYS
    for current in (states, states + more):  # the second time partly from the remembered JSON
        assert memo._create_feature_key(current) == original_memo(memo, current)
        assert rule._create_feature_key(current) == original_rule(rule, current)
        speed.ORIGINAL_REMOVE_USER_TEXT([current])  # what the featurizers change in place
        assert memo._create_feature_key(current) == original_memo(memo, current)


def test_rule_keys_start_after_the_last_rule_snippet():
    from rasa.shared.core.constants import PREVIOUS_ACTION, RULE_SNIPPET_ACTION_NAME

    _, rule = _policies()
    snippet = {PREVIOUS_ACTION: {"action_name": RULE_SNIPPET_ACTION_NAME}}
    states = [{"user": {"intent": "a"}}, snippet, {"user": {"intent": "b"}}, {"prev_action": {"action_name": "x"}}]
    assert rule._create_feature_key(states) == speed.ORIGINAL_FEATURE_KEYS[1](rule, states)
    assert rule._create_feature_key(states[:2]) is None is speed.ORIGINAL_FEATURE_KEYS[1](rule, states[:2])


def test_a_states_json_is_not_encoded_again_while_unchanged(monkeypatch):
    states = [{"user": {"intent": f"i{n}"}, "prev_action": {"action_name": "action_listen"}} for n in range(50)]
    first = speed.dumps_states(states)
    encoded = []
    original = json.dumps
    monkeypatch.setattr(speed.json, "dumps", lambda *a, **k: encoded.append(1) or original(*a, **k))
    longer = states + [{"user": {"intent": "new"}}]
    assert speed.dumps_states(longer) == original(longer, sort_keys=True)
    assert first == original(states, sort_keys=True)
    assert len(encoded) == 2  # the state that was last (callers change it) and the new one


def test_a_state_the_featurizers_may_still_change_is_not_remembered():
    states = [{"user": {"intent": f"i{n}"}} for n in range(5)]
    states[2]["user"]["text"] = "hello"  # text beside an intent: the featurizers delete it in place
    longer = states + [{"user": {"intent": "last"}}]
    assert speed.dumps_states(longer) == json.dumps(longer, sort_keys=True)
    del states[2]["user"]["text"]
    assert speed.dumps_states(longer) == json.dumps(longer, sort_keys=True)
    assert speed.dumps_states([dict(s) for s in longer]) == json.dumps(longer, sort_keys=True)  # other objects


USER_STATES = st.lists(st.fixed_dictionaries({
    "user": st.fixed_dictionaries({}, optional={"intent": st.sampled_from(["a", "b", ""]),
                                                "text": st.sampled_from(["hi", ""])}),
    "prev_action": st.fixed_dictionaries({"action_name": st.sampled_from(["action_listen", "utter_x"])})}),
    min_size=1, max_size=10)


@settings(max_examples=80, deadline=None)
@given(USER_STATES, USER_STATES, st.booleans())
def test_user_text_is_removed_as_rasa_does_around_remembered_states(states, more, normalized_first):
    import copy as copy_module

    from rasa.core.featurizers.tracker_featurizers import TrackerFeaturizer

    rasa_patches.install_all()
    if normalized_first:  # as in a prediction: the featurizer, then the feature key
        TrackerFeaturizer._remove_user_text_if_intent([states])
    assert speed.dumps_states(states) == json.dumps(states, sort_keys=True)  # remembers what it may
    longer = states + more
    rasas = copy_module.deepcopy(longer)
    speed.ORIGINAL_REMOVE_USER_TEXT([rasas])
    TrackerFeaturizer._remove_user_text_if_intent([longer])
    assert longer == rasas
    assert speed.dumps_states(longer) == json.dumps(rasas, sort_keys=True)


RULE_STATES = st.lists(st.fixed_dictionaries({
    "prev_action": st.fixed_dictionaries({"action_name": st.sampled_from(["action_listen", "utter_a", "utter_b"])})},
    optional={"user": st.fixed_dictionaries({"intent": st.sampled_from(["greet", "faq", "bye"])})}),
    min_size=1, max_size=4)


@settings(max_examples=80, deadline=None)
@given(st.lists(RULE_STATES, min_size=1, max_size=8), st.lists(RULE_STATES, min_size=1, max_size=10))
def test_rules_found_as_rasa_finds_them(rules, conversation):
    _, rule = _policies()
    lookup = {json.dumps(r, sort_keys=True): "utter_a" for r in rules}
    states = [s for part in conversation for s in part]
    assert rule._get_possible_keys(lookup, states) == speed.ORIGINAL_POSSIBLE_KEYS(rule, lookup, states)


SNIPPET_STATES = st.lists(st.fixed_dictionaries({"prev_action": st.fixed_dictionaries({"action_name": st.sampled_from(
    ["action_listen", "utter_a", "...", "action_unlikely_intent"])})}), min_size=1, max_size=12)


@settings(max_examples=80, deadline=None)
@given(SNIPPET_STATES, SNIPPET_STATES)
def test_snippets_and_unlikely_intents_are_found_as_rasa_finds_them_after_remembered_states(states, more):
    from rasa.core.featurizers.tracker_featurizers import TrackerFeaturizer

    _, rule = _policies()
    speed.dumps_states(states)  # remembered, as a feature key remembers them
    longer = states + more
    assert rule._create_feature_key(longer) == speed.ORIGINAL_FEATURE_KEYS[1](rule, longer)
    assert TrackerFeaturizer._remove_action_unlikely_intent_from_states(longer) == [
        s for s in longer if s["prev_action"]["action_name"] != "action_unlikely_intent"]


def test_a_long_history_is_not_walked_past_the_longest_rule(monkeypatch):
    from rasa.core.policies.rule_policy import RulePolicy

    _, rule = _policies()
    state = {"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}}
    lookup = {json.dumps([state], sort_keys=True): "utter_a"}
    parsed = []
    original = RulePolicy._rule_key_to_state
    monkeypatch.setattr(RulePolicy, "_rule_key_to_state", staticmethod(lambda key: parsed.append(1) or original(key)))
    assert rule._get_possible_keys(lookup, [state] * 500) == set(lookup)
    assert len(parsed) <= 2  # its length once, one state checked (Rasa's: one parse per state, 500)
    assert speed.ORIGINAL_POSSIBLE_KEYS(rule, lookup, [state] * 500) == set(lookup) and len(parsed) > 500


def test_memoization_predicts_as_rasa_without_copying_the_states_for_its_debug_line(monkeypatch):
    import copy as copy_module

    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.core.generator import TrackerWithCachedStates

    rasa_patches.install_all()
    storage = LocalModelStorage(Path(tempfile.mkdtemp()))
    policy = MemoizationPolicy(MemoizationPolicy.get_default_config(), storage, Resource("memo"),
                               ExecutionContext(GraphSchema({}), "m"))
    story = TrackerWithCachedStates.from_events("story", [
        ActionExecuted("action_listen"), UserUttered("hello", {"name": "greet"}), ActionExecuted("utter_greet"),
        ActionExecuted("action_listen")], domain=DOMAIN)
    policy.train([story], DOMAIN)
    tracker = DialogueStateTracker("memo", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("hello", {"name": "greet", "confidence": 1.0}))
    copies = []
    original_deepcopy = copy_module.deepcopy
    monkeypatch.setattr(copy_module, "deepcopy", lambda x, *a: copies.append(1) or original_deepcopy(x, *a))
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    assert prediction.probabilities[DOMAIN.index_for_action("utter_greet")] == 1.0
    assert copies == []
    rasas = speed.ORIGINAL_MEMOIZATION_PREDICT(policy, tracker, DOMAIN)
    assert rasas.probabilities == prediction.probabilities and copies  # Rasa's own does copy


def test_the_mood_is_continued_from_the_last_turn_folded(monkeypatch):
    from bot.handover import policy
    from bot.handover.policy import Emotion, Turn, TurnHistory, load_config, mood

    config = load_config()
    turns = [Turn("chitchat", Emotion("anger", 0.3 + (n % 7) / 10, (n % 9) / 10),
                  polite=n % 5 == 0) for n in range(300)]
    memo: list = []
    for n in (1, 2, 150, 299, 300):
        history = TurnHistory(turns[:n])
        history.memo = memo
        assert mood(history, config) == mood(turns[:n], config)
    scored = []
    original = policy.negativity
    monkeypatch.setattr(policy, "negativity", lambda *a: scored.append(1) or original(*a))
    longer = TurnHistory(turns + [turns[0]])
    longer.memo = memo
    assert mood(longer, config) == mood(turns + [turns[0]], config)[:] and len(scored) == 1 + 301
    changed = TurnHistory(turns[:10] + [turns[0]] + turns[11:])  # a turn that was folded is not in place
    changed.memo = memo
    assert mood(changed, config) == mood(list(changed), config)


# ---- the REST channel's ownership check ----------------------------------------
def test_rest_claims_a_conversation_in_the_database_once_per_process(database_url, monkeypatch):
    from bot.services import conversations
    from connectors import rest

    calls = []
    original = conversations.claim
    monkeypatch.setattr(conversations, "claim", lambda *a: calls.append(a[1:]) or original(*a))
    assert _run(rest.claim_rest("speed-rest-1")) == "rest"
    assert _run(rest.claim_rest("speed-rest-1")) == "rest"
    assert calls == [("speed-rest-1", "rest")]


def test_a_conversation_of_another_channel_is_refused_every_time(uow):
    from connectors import rest

    with uow:
        uow.conversations.claim("speed-wechat-1", "wechat")
        uow.commit()
    assert _run(rest.claim_rest("speed-wechat-1")) == "wechat"
    assert _run(rest.claim_rest("speed-wechat-1")) == "wechat"


# ---- nothing a turn reads grows with the session (issue 16, the remaining scans) ----------
from collections import deque  # noqa: E402

from rasa.shared.core.trackers import EventVerbosity  # noqa: E402

from bot.storage import idempotency  # noqa: E402


class _CountingEvents(deque):
    """A tracker's events that count every event read through Python: iteration (forwards,
    backwards, as ``list()``/``islice`` do) and indexing."""

    read = 0

    def __iter__(self):
        for event in super().__iter__():
            _CountingEvents.read += 1
            yield event

    def __reversed__(self):
        for event in super().__reversed__():
            _CountingEvents.read += 1
            yield event

    def __getitem__(self, index):
        _CountingEvents.read += 1
        return super().__getitem__(index)


def _processor(limit: int = 10):
    from rasa.core.processor import MessageProcessor

    processor = object.__new__(MessageProcessor)
    processor.max_number_of_predictions = limit
    return processor


def _long_tracker(turns: int) -> DialogueStateTracker:
    tracker = DialogueStateTracker(f"long-{turns}", DOMAIN.slots)
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for n in range(turns):
        _turn(tracker, n)
        tracker.events[-5].metadata = {"message_id": f"m{n}"}  # the user message of the turn
    return tracker


def _events_read_by_a_turn(tracker: DialogueStateTracker) -> int:
    """Events read by what a turn asks of the tracker besides the policies' states (whose
    calls tests above count): the new turn's events, then the scans Rasa and the project run."""
    processor = _processor()
    tracker.applied_events(), idempotency.remembered_answer_to(tracker, "m0")  # remembered so far
    tracker.events = _CountingEvents(tracker.events)
    _turn(tracker, 10_000)
    _CountingEvents.read = 0
    tracker.applied_events()
    tracker.get_last_event_for(UserUttered)
    tracker.get_last_event_for((UserUttered, ActionExecuted), event_verbosity=EventVerbosity.ALL)
    tracker.get_last_event_for(ActionExecuted, action_names_to_exclude=["action_listen"], skip=1)
    processor.is_action_limit_reached(tracker, True)
    answers = idempotency.remembered_answer_to(tracker, "m0"), idempotency.remembered_answer_to(tracker, "new")
    read = _CountingEvents.read
    assert answers == (idempotency.answer_to(tracker.events, "m0"), None)
    assert [message["text"] for message in answers[0]] == ["hi"]
    return read


def test_a_turn_reads_as_many_events_at_turn_300_as_at_turn_10():
    rasa_patches.install_all()
    read = [_events_read_by_a_turn(_long_tracker(turns)) for turns in (10, 300)]
    assert read[0] == read[1] and read[0] < 60  # Rasa's own: about 5 x 1,500 at turn 300


def test_rasas_scans_read_every_event_of_the_session():
    """What the test above guards against: Rasa's versions copy the whole session each time."""
    rasa_patches.install_all()
    tracker = _long_tracker(300)
    tracker.events = _CountingEvents(tracker.events)
    _CountingEvents.read = 0
    speed.ORIGINAL_GET_LAST_EVENT_FOR(tracker, UserUttered, None, 0, EventVerbosity.ALL)
    assert _CountingEvents.read == len(tracker.events)
    _CountingEvents.read = 0
    speed.ORIGINAL_IS_ACTION_LIMIT_REACHED(_processor(), tracker, True)
    assert _CountingEvents.read == len(tracker.events)
    _CountingEvents.read = 0
    idempotency.answer_to(tracker.events, "m299")
    assert _CountingEvents.read > len(tracker.events) - 10


VERBOSITIES = [EventVerbosity.ALL, EventVerbosity.APPLIED, EventVerbosity.AFTER_RESTART, EventVerbosity.NONE]
KINDS = [UserUttered, ActionExecuted, (UserUttered, ActionExecuted), SlotSet, ActiveLoop, BotUttered]


@settings(max_examples=60, deadline=None)
@given(st.lists(EVENTS, min_size=0, max_size=30), st.integers(-1, 3), st.integers(1, 4))
def test_the_last_event_and_the_action_limit_are_rasas(makers, skip, limit):
    rasa_patches.install_all()
    tracker = DialogueStateTracker("last", FORM_DOMAIN.slots)
    processor = _processor(limit)
    for make in makers:
        tracker.update(make(), FORM_DOMAIN)
        for kind in KINDS:
            for verbosity in VERBOSITIES:
                for exclude in (None, ["action_listen"], ["action_check", "city_form"]):
                    assert tracker.get_last_event_for(kind, exclude, skip, verbosity) is \
                        speed.ORIGINAL_GET_LAST_EVENT_FOR(tracker, kind, exclude, skip, verbosity)
        for more in (True, False):
            assert processor.is_action_limit_reached(tracker, more) == \
                speed.ORIGINAL_IS_ACTION_LIMIT_REACHED(processor, tracker, more)


ID_EVENTS = st.sampled_from([
    lambda: UserUttered("hi", {"name": "greet", "confidence": 1.0}, metadata={"message_id": "a"}),
    lambda: UserUttered("hi", {"name": "greet", "confidence": 1.0}, metadata={"message_id": "b"}),
    lambda: UserUttered("hi", {"name": "greet", "confidence": 1.0}, metadata={"message_id": ""}),  # invalid
    lambda: UserUttered("hi", {"name": "greet", "confidence": 1.0}),
    lambda: BotUttered("hello"),
    lambda: BotUttered("how can I help?"),
    lambda: ActionExecuted("utter_greet"),
    lambda: SlotSet("topic", "x"),
])


@settings(max_examples=80, deadline=None)
@given(st.lists(ID_EVENTS, max_size=30), st.integers(0, 30))
def test_a_message_ids_answer_is_answer_to_s_as_the_session_grows(makers, replaced_at):
    tracker = DialogueStateTracker("ids", DOMAIN.slots)
    for n, make in enumerate(makers):
        tracker.update(make(), DOMAIN)
        if n == replaced_at:  # the store read it again (another server wrote): a new tracker
            tracker = DialogueStateTracker.from_events("ids", list(tracker.events), DOMAIN.slots)
        for message_id in ("a", "b", "c"):
            assert idempotency.remembered_answer_to(tracker, message_id) == \
                idempotency.answer_to(tracker.events, message_id)


def test_memoization_recalls_as_rasa_and_builds_no_key_longer_than_its_longest(monkeypatch):
    from rasa.core.policies.memoization import MemoizationPolicy

    memo, _ = _policies()
    original_key = speed.ORIGINAL_FEATURE_KEYS[0]
    listen = {"prev_action": {"action_name": "action_listen"}}
    greet = {"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}
    learned = [[listen, greet], [listen, greet, {"prev_action": {"action_name": "utter_greet"}}]]
    for compress in (True, False):
        memo.config["enable_feature_string_compression"] = compress
        memo.lookup = {original_key(memo, states): f"act{n}" for n, states in enumerate(learned)}
        for states in learned:
            assert memo._recall_states(list(states)) == speed.ORIGINAL_RECALL_STATES(memo, states)
        long_states = [dict(greet) for _ in range(300)]
        assert memo._recall_states(long_states) is None is speed.ORIGINAL_RECALL_STATES(memo, long_states)
        keys = []
        monkeypatch.setattr(MemoizationPolicy, "_create_feature_key",
                            lambda self, states: keys.append(len(states)) or original_key(self, states))
        assert memo._recall_states(long_states + [listen]) is None
        assert memo._recall_states(learned[0]) == "act0"
        assert keys == [2]  # the long session's key was never built (Rasa's: 301 states encoded)
        monkeypatch.undo()
        memo.lookup = {"not base64 at all": "x"} if compress else memo.lookup
        assert memo._recall_states(long_states) is None  # a key it cannot read rules nothing out


@settings(max_examples=60, deadline=None)
@given(STATES, STATES)
def test_feature_string_lengths_are_those_of_rasas_keys(states, more):
    memo, _ = _policies()
    memo.config["enable_feature_string_compression"] = False
    for current in (states, states + more):
        if current:
            assert speed.feature_string_length(current) == len(speed.ORIGINAL_FEATURE_KEYS[0](memo, current))


def test_a_form_turn_folds_only_the_turns_after_the_form_s_last_execution(monkeypatch):
    """Rasa's applied events drop what follows a form's previous execution on each of its
    turns; the handoff policy's turns go back to the last event still in place, not to the start."""
    from bot.handover import policy

    rasa_patches.install_all()
    tracker = DialogueStateTracker("form-turns", FORM_DOMAIN.slots)
    for event in (SessionStarted(), ActionExecuted("action_listen")):
        tracker.update(event, FORM_DOMAIN)
    for n in range(200):
        for event in (UserUttered(f"hi {n}", {"name": "greet", "confidence": 1.0}), ActionExecuted("utter_greet"),
                      ActionExecuted("action_listen")):
            tracker.update(event, FORM_DOMAIN)
    dialogue_turns(tracker)
    built = []
    original = policy.Turn.from_text
    monkeypatch.setattr(policy.Turn, "from_text", staticmethod(lambda *a: built.append(1) or original(*a)))
    tracker.update(UserUttered("weather", {"name": "inform", "confidence": 1.0}), FORM_DOMAIN)
    form_turn = [ActionExecuted("city_form"), ActiveLoop("city_form"), ActionExecuted("action_listen"),
                 UserUttered("Paris", {"name": "inform", "confidence": 1.0},
                             [{"entity": "city", "value": "Paris", "start": 0, "end": 5}])]
    for step in range(4):
        for event in form_turn[:2] if step else form_turn:
            tracker.update(event, FORM_DOMAIN)
        if step:
            for event in form_turn[2:]:
                tracker.update(_copy_event(event), FORM_DOMAIN)
        before = len(built)
        turns = dialogue_turns(tracker)
        assert len(built) - before <= 2  # the turns after the form's last execution (from the start: 200 and more)
        assert turns == turns_from_events(
            e.as_dict() for e in speed.ORIGINAL_APPLIED_EVENTS(tracker) if isinstance(e, (UserUttered, ActionExecuted)))


def _copy_event(event: Event) -> Event:
    return Event.from_parameters(event.as_dict())


def _form_action(name: str = "city_form"):
    from rasa.core.actions.forms import FormAction

    return FormAction(name, None)


def _without_times(state: dict) -> dict:
    """A tracker state without the times the events got when made (the form makes two)."""
    state = {k: v for k, v in state.items() if k != "latest_event_time"}
    state["events"] = [{k: v for k, v in e.items() if k != "timestamp"} for e in state["events"]]
    return state


def _same_tracker(ours: DialogueStateTracker, rasas: DialogueStateTracker, session: int) -> None:
    assert _without_times(ours.current_state(EventVerbosity.ALL)) == \
        _without_times(rasas.current_state(EventVerbosity.ALL))
    assert all(a is b for a, b in zip(list(ours.events)[:session], list(rasas.events)[:session]))
    extra = list(ours.events)[session + 2:]
    assert all(a is b for a, b in zip(extra, list(rasas.events)[session + 2:]))
    assert list(ours.events) == list(rasas.events)
    for name in ("_paused", "followup_action", "latest_action", "active_loop", "latest_message",
                 "latest_bot_utterance", "model_id", "assistant_id", "sender_source", "is_rule_tracker",
                 "_max_event_history"):
        assert getattr(ours, name) == getattr(rasas, name), name
    assert {k: (type(s), s.value, s.has_been_set) for k, s in ours.slots.items()} == \
        {k: (type(s), s.value, s.has_been_set) for k, s in rasas.slots.items()}


@settings(max_examples=60, deadline=None)
@given(st.lists(EVENTS, min_size=0, max_size=30), st.lists(EVENTS, max_size=3))
def test_a_forms_temporary_tracker_is_rasas(makers, extra):
    rasa_patches.install_all()
    form = _form_action()
    tracker = DialogueStateTracker("form-temp", FORM_DOMAIN.slots)
    tracker.model_id = "model-1"  # a served tracker has one; the temporary one starts without
    for make in makers:
        tracker.update(make(), FORM_DOMAIN)
        additional = [make() for make in extra]
        ours = form._temporary_tracker(tracker, additional, FORM_DOMAIN)
        rasas = speed.ORIGINAL_TEMPORARY_TRACKER(form, tracker, additional, FORM_DOMAIN)
        after_restart = len(tracker.events_after_latest_restart())
        _same_tracker(ours, rasas, after_restart)
        ours.update(SlotSet("city", "Oslo"))  # the temporary tracker is not the tracker
        assert tracker.get_slot("city") != "Oslo" or any(
            isinstance(e, SlotSet) and e.value == "Oslo" for e in tracker.events)


def test_a_forms_temporary_tracker_replays_no_event_of_a_long_session(monkeypatch):
    rasa_patches.install_all()
    form = _form_action()
    tracker = DialogueStateTracker("form-long", FORM_DOMAIN.slots)
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for n in range(300):
        for event in (UserUttered(f"hi {n}", {"name": "greet", "confidence": 1.0}), ActionExecuted("utter_greet"),
                      ActionExecuted("action_listen")):
            tracker.update(event, FORM_DOMAIN)
    form._temporary_tracker(tracker, [], FORM_DOMAIN)
    applied = []
    for kind in (UserUttered, ActionExecuted, SlotSet, SessionStarted):
        monkeypatch.setattr(kind, "apply_to", lambda self, tr, own=kind.apply_to: applied.append(1) or own(self, tr))
    temporary = form._temporary_tracker(tracker, [SlotSet("city", "Rome")], FORM_DOMAIN)
    assert len(applied) == 3 and temporary.get_slot("city") == "Rome"  # Rasa's: 900 events and these 3
    tracker.update(Restarted())
    assert len(form._temporary_tracker(tracker, [], FORM_DOMAIN).events) == 2  # after a restart: Rasa's own
