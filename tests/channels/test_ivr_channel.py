"""IvrInput request handling with a fake bot (no Rasa): refusals, menus, long answers."""
from __future__ import annotations

import asyncio
import json
import time
from types import SimpleNamespace

import pytest

from connectors.ivr import IvrInput, call_key
from connectors.ivr.signature import sign

SECRET = "unit-secret"


def request(body, secret=SECRET, timestamp=None):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"X-IVR-Timestamp": timestamp, "X-IVR-Signature": sign(secret, timestamp, data)}
    return SimpleNamespace(body=data, headers=headers, app=SimpleNamespace(ctx=SimpleNamespace(agent=None)))


class FakeBot:
    """Answers every message with the next scripted reply and records what it got."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.received = []

    async def __call__(self, message):
        self.received.append((message.text, message.input_channel, message.metadata))
        assert message.output_channel.name() == "ivr"  # picks `channel: ivr` response variants
        message.output_channel.messages.extend(self.replies.pop(0) if self.replies else [])


def answer(channel, bot, body, **kwargs):
    error, result = asyncio.run(channel.answer_event(request(body, **kwargs), bot))
    return error, result


def test_unset_secret_refuses_every_request_with_503():
    channel = IvrInput(secret=None)
    error, _ = answer(channel, FakeBot(), {"call_id": "c", "seq": 0, "event": "start"})
    assert error.status == 503 and b"IVR_SECRET" in error.body
    assert IvrInput.from_credentials(None).secret in (None, __import__("os").environ.get("IVR_SECRET"))


def test_refusals_before_the_bot_sees_anything():
    channel, bot = IvrInput(SECRET), FakeBot()
    assert answer(channel, bot, {"call_id": "c", "seq": 0, "event": "start"}, secret="x")[0].status == 401
    assert answer(channel, bot, {"call_id": "c", "seq": 0, "event": "start"},
                  timestamp=int(time.time()) - 1000)[0].status == 401
    assert answer(channel, bot, b"x" * 20_000)[0].status == 413
    assert answer(channel, bot, b"[1, 2")[0].status == 400
    assert answer(channel, bot, b"[" * 5000 + b"]" * 5000)[0].status == 400  # deeper than json's stack
    assert bot.received == []


@pytest.mark.parametrize("timestamp", [
    "²",  # str.isdigit() is true of it: int() raised
    "".join(chr(0x660 + int(digit)) for digit in str(int(time.time()))),  # Arabic-Indic digits for now: the encoding raised
    "１７００００００００",  # full-width digits
])
def test_a_timestamp_of_other_digits_is_refused_with_401_not_a_traceback(timestamp):
    # helper-210 (session 45): both raised out of the signature check, so an unsigned request got a traceback
    channel, bot = IvrInput(SECRET), FakeBot()
    data = json.dumps({"call_id": "c", "seq": 0, "event": "start"}).encode()
    hostile = SimpleNamespace(body=data, headers={"X-IVR-Timestamp": timestamp, "X-IVR-Signature": "a" * 64},
                              app=SimpleNamespace(ctx=SimpleNamespace(agent=None)))
    error, _ = asyncio.run(channel.answer_event(hostile, bot))
    assert error.status == 401
    assert bot.received == []


def test_an_event_older_than_the_calls_last_is_refused_but_a_retry_and_a_late_hangup_are_not():
    """helper-211 (session 45): seq 3 after seq 5 ran a full bot turn in the newer context."""
    channel, bot = IvrInput(SECRET), FakeBot([{"text": "hello"}], [{"text": "five"}], [{"text": "six"}])
    assert answer(channel, bot, {"call_id": "o", "seq": 0, "event": "start"})[0] is None
    five = {"call_id": "o", "seq": 5, "event": "speech", "text": "my order", "confidence": 0.9}
    error, first = answer(channel, bot, five)
    assert error is None
    error, _ = answer(channel, bot, {"call_id": "o", "seq": 3, "event": "speech", "text": "yes", "confidence": 0.9})
    assert error.status == 409 and b"older" in error.body
    assert len(bot.received) == 2 and bot.received[-1][0] == "my order"  # seq 3 reached no bot
    assert answer(channel, bot, five) == (None, first)  # the platform's retry: the cached answer
    assert answer(channel, bot, {"call_id": "o", "seq": 6, "event": "speech", "text": "six", "confidence": 0.9})[0] is None
    assert answer(channel, bot, {"call_id": "o", "seq": 4, "event": "hangup"})[0] is None  # a late hang-up ends it


def test_buttons_become_a_menu_and_digits_send_the_payload():
    greeting = [{"recipient_id": "ivr-m", "text": "Hi! 👋 How can I help?",
                 "buttons": [{"title": "Check an order", "payload": "/check_order_status"},
                             {"title": "Talk to a person", "payload": "/request_human"}]}]
    channel, bot = IvrInput(SECRET), FakeBot(greeting, [{"text": "Sure."}])
    _, start = answer(channel, bot, {"call_id": "m", "seq": 0, "event": "start", "lang": "en-US", "caller": "+861"})
    say, gather = start["actions"]
    assert say["text"] == "Hi! How can I help? Say or press 1 for Check an order, 2 for Talk to a person."
    assert sorted(gather["options"]) == ["1", "2"] and gather["max_digits"] == 1
    _, pressed = answer(channel, bot, {"call_id": "m", "seq": 1, "event": "dtmf", "digits": "2"})
    assert bot.received[0][0] == '/greet{"language": "en"}'
    assert bot.received[1][0] == "/request_human"
    assert bot.received[1][1] == "ivr" and bot.received[1][2]["caller"] == "+861"


def test_long_answer_is_shortened_and_yes_reads_the_rest_without_a_bot_turn():
    long = " ".join(f"Point {i} of our returns policy is explained in this sentence." for i in range(8))
    channel, bot = IvrInput(SECRET), FakeBot([{"text": "Hi."}], [{"text": long}])
    answer(channel, bot, {"call_id": "l", "seq": 0, "event": "start"})
    _, first = answer(channel, bot, {"call_id": "l", "seq": 1, "event": "speech", "text": "returns?",
                                    "confidence": 0.9})
    assert first["actions"][0]["text"].endswith("Want more details?")
    _, more = answer(channel, bot, {"call_id": "l", "seq": 2, "event": "speech", "text": "yes please",
                                   "confidence": 0.9})
    assert "Point 2" in more["actions"][0]["text"] and len(bot.received) == 2


def test_reprompt_limit_is_configurable():
    channel, bot = IvrInput(SECRET, max_reprompts=1), FakeBot([{"text": "Hello."}])
    answer(channel, bot, {"call_id": "r", "seq": 0, "event": "start"})
    _, first = answer(channel, bot, {"call_id": "r", "seq": 1, "event": "no_input"})
    assert "didn't hear" in first["actions"][0]["text"] and first["actions"][1]["text"] == "What can I help you with?"
    answer(channel, bot, {"call_id": "r", "seq": 2, "event": "no_input"})
    assert bot.received[-1][0] == "/request_human" and bot.received[-1][2]["ivr_escalation"] == "no_input"


def test_the_reprompt_limit_is_escalation_ymls(tmp_path, monkeypatch):
    """Review of issue 12: ``triggers.no_input.max_reprompts`` of escalation.yml is the limit the IVR
    applies (credentials.yml no longer has one: a leftover key stops start-up)."""
    import pytest

    from tests.conftest import PROJECT_ROOT

    config = tmp_path / "escalation.yml"
    config.write_text((PROJECT_ROOT / "escalation.yml").read_text(encoding="utf-8").replace(
        "    max_reprompts: 2", "    max_reprompts: 3", 1), encoding="utf-8")
    monkeypatch.setenv("ESCALATION_CONFIG", str(config))
    assert IvrInput.from_credentials({}).max_reprompts == 3  # as Rasa builds the channel
    channel, bot = IvrInput(SECRET), FakeBot([{"text": "Hello."}])
    answer(channel, bot, {"call_id": "y", "seq": 0, "event": "start"})
    for seq in (1, 2, 3):  # three re-prompts, no hand-over yet
        _, reprompt = answer(channel, bot, {"call_id": "y", "seq": seq, "event": "no_input"})
        assert "didn't hear" in reprompt["actions"][0]["text"], reprompt
        assert all(text != "/request_human" for text, _, _ in bot.received)
    answer(channel, bot, {"call_id": "y", "seq": 4, "event": "no_input"})
    assert bot.received[-1][0] == "/request_human" and bot.received[-1][2]["ivr_escalation"] == "no_input"
    with pytest.raises(ValueError, match="triggers.no_input.max_reprompts"):
        IvrInput.from_credentials({"max_reprompts": 5})


class FakeTrackerStore:
    """Slots after each bot turn, as the Rasa agent's tracker store would return them."""

    def __init__(self):
        self.slots = {}
        self.intent = None

    async def retrieve(self, sender_id):
        return SimpleNamespace(current_slot_values=lambda: dict(self.slots),
                               latest_message=SimpleNamespace(intent={"name": self.intent}))


def run_turns(store, bot, steps):
    channel = IvrInput(SECRET)
    agent = SimpleNamespace(tracker_store=store)
    results = []

    async def go():
        for body, slots, intent in steps:
            req = request(body)
            req.app.ctx.agent = agent

            async def on_new_message(message, slots=slots, intent=intent):
                await bot(message)
                store.slots.update(slots)
                store.intent = intent

            results.append((await channel.answer_event(req, on_new_message))[1])
    asyncio.run(go())
    return results


def test_transfer_for_a_queued_ticket_callback_offer_otherwise_and_goodbye_hangs_up():
    store = FakeTrackerStore()
    queued, callback, bye = run_turns(store, FakeBot([{"text": "Connecting you."}], [{"text": "Bye."}]), [
        ({"call_id": "q1", "seq": 0, "event": "speech", "text": "agent", "confidence": 1},
         {"ticket_id": "T1", "handoff_state": "queued", "language": "en"}, "request_human"),
        ({"call_id": "q2", "seq": 0, "event": "speech", "text": "agent", "confidence": 1},
         {"ticket_id": "T2", "handoff_state": None, "language": "zh"}, "request_human"),
        ({"call_id": "q3", "seq": 0, "event": "speech", "text": "bye", "confidence": 1},
         {"ticket_id": "T2", "handoff_state": None, "language": "en"}, "goodbye"),
    ])
    assert queued["actions"][-1] == {"action": "transfer", "queue": "support-en", "ticket_id": "T1",
                                     "uui": "5431;encoding=hex"}
    # A callback ticket (nobody online) is no transfer: the bridge asks for the number (no caller id here).
    assert "transfer" not in [a["action"] for a in callback["actions"]]
    assert callback["actions"][-2]["text"] == "请输入回拨的电话号码，以井号键结束。"
    assert bye["actions"][-1] == {"action": "hangup"}


def test_callback_confirmation_by_voice_and_the_retry_limit(monkeypatch):
    import connectors.ivr as ivr

    recorded = []
    monkeypatch.setattr(ivr, "record_callback", lambda ticket_id, phone: recorded.append((ticket_id, phone)))
    channel = IvrInput(SECRET)

    def turn(state, event, **fields):
        body = {"call_id": "cb", "seq": 0, "event": event, **fields}
        return asyncio.run(channel.handle(None, None, ivr.protocol.parse_event(body), state))

    state = ivr.CallState(lang="en", caller="sip:+8613800138000@pbx")
    offer = channel.start_callback(state, "T9")
    assert offer[0]["text"].startswith("We'll call you back on +8613800138000.")
    assert turn(state, "speech", text="no, not that one", confidence=0.9)[0]["text"].startswith("Please key in")
    spoken = turn(state, "speech", text="it's 139 1234 5678", confidence=0.9)
    assert "+8613912345678" in spoken[0]["text"] and "8 6 1 3 9 1 2 3 4 5 6 7 8" in spoken[0]["ssml"]
    assert turn(state, "speech", text="maybe", confidence=0.9)[0]["text"].startswith("Sorry, I didn't understand")
    bye = turn(state, "speech", text="yes that's right", confidence=0.9)
    assert [a["action"] for a in bye] == ["say", "hangup"] and recorded == [("T9", "+8613912345678")]

    silent = ivr.CallState(lang="zh", caller=None)
    assert silent.caller is None and channel.start_callback(silent, "T10")[0]["text"].startswith("请输入")
    for _ in range(channel.max_reprompts):
        assert turn(silent, "no_input")[-1]["action"] == "gather"
    gone = turn(silent, "no_input")
    assert gone[-1] == {"action": "hangup"} and "已保存" in gone[0]["text"] and len(recorded) == 1


class CallHistory:
    """A tracker store holding what the caller said so far in the call (``UserUttered`` events)."""

    def __init__(self, *said):
        from rasa.shared.core.events import UserUttered

        self.events = [UserUttered(text) for text in said]

    async def retrieve(self, sender_id):
        return SimpleNamespace(events=self.events)


@pytest.mark.parametrize("lang, report, questions, step", [
    ("en", "I can smell gas in my kitchen", ["should I leave the house?", "it's getting worse"], "leave now"),
    ("zh", "我家里有很浓的煤气味", ["我要不要离开房子"], "立即离开"),
])
def test_a_safety_question_at_the_call_back_menu_is_relayed_the_advice_said_in_full_and_the_menu_asked_again(
        monkeypatch, lang, report, questions, step):
    # a fresh user: "should I leave the house?" at "press 1 or say yes to confirm" was not understood and
    # nothing was filed
    import connectors.ivr as ivr
    from bot.handover.safety import safety_advice

    recorded = []
    monkeypatch.setattr(ivr, "record_callback", lambda ticket_id, phone: recorded.append((ticket_id, phone)))
    advice = safety_advice([report], lang)
    bot = FakeBot(*[[{"text": advice}, {"text": "Added to your case."}] for _ in questions])
    channel = IvrInput(SECRET)
    req = SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(
        tracker_store=CallHistory("/greet", report)))))

    def turn(state, event, **fields):
        body = {"call_id": "cb-safety", "seq": 0, "event": event, **fields}
        return asyncio.run(channel.handle(req, bot, ivr.protocol.parse_event(body), state))

    state = ivr.CallState(lang=lang, caller="+8613800138000")
    offer = channel.start_callback(state, "T9")
    for n, question in enumerate(questions, 1):
        said = turn(state, "speech", text=question, confidence=0.9)
        assert [text for text, _, _ in bot.received] == questions[:n]  # to the bot: the relay files it on the case
        assert step in said[0]["text"] and said[0]["text"].rstrip("。.") in advice  # in full, not cut short
        assert said[-2:] == offer  # then the call-back menu again
        assert recorded == []
    unclear = turn(state, "speech", text="maybe" if lang == "en" else "我想想", confidence=0.9)
    assert len(bot.received) == len(questions) and unclear[-2:] == offer  # anything else: as before
    bye = turn(state, "speech", text="yes" if lang == "en" else "是的", confidence=0.9)
    assert [a["action"] for a in bye] == ["say", "hangup"] and recorded == [("T9", "+8613800138000")]


def test_a_worse_hazard_said_with_a_number_at_the_call_back_menu_is_relayed_and_the_number_read_back():
    # review, twelfth pass: the number branch ran first, so "it's getting worse, call me on …" only had
    # its number read back and the worsening never reached the case
    import connectors.ivr as ivr

    bot = FakeBot([{"text": "Your safety comes first. Leave now."}, {"text": "Added to your case."}])
    channel = IvrInput(SECRET)
    req = SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(
        tracker_store=CallHistory("/greet", "I can smell gas in my kitchen")))))
    state = ivr.CallState(lang="en", caller="+8613800138000")
    channel.start_callback(state, "T9")
    body = {"call_id": "cb-worse", "seq": 0, "event": "speech", "confidence": 0.9,
            "text": "it's getting worse, call me on 13912345678"}
    said = asyncio.run(channel.handle(req, bot, ivr.protocol.parse_event(body), state))
    assert [text for text, _, _ in bot.received] == [body["text"]]  # relayed to the case
    assert state.callback_number == "+8613912345678" and "Leave now" in said[0]["text"]


def test_a_question_at_the_call_back_menu_of_a_call_without_a_hazard_is_not_relayed():
    import connectors.ivr as ivr

    bot = FakeBot()
    channel = IvrInput(SECRET)
    req = SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(
        tracker_store=CallHistory("agent please")))))
    state = ivr.CallState(lang="en", caller="+8613800138000")
    channel.start_callback(state, "T9")
    body = {"call_id": "cb-plain", "seq": 0, "event": "speech", "text": "what should I do?", "confidence": 0.9}
    said = asyncio.run(channel.handle(req, bot, ivr.protocol.parse_event(body), state))
    assert bot.received == [] and said[0]["text"].startswith("Sorry, I didn't understand")


# ---- retries and replays (issue 10, item 11) ----------------------------------

def signed(body: dict, timestamp: int, secret: str = SECRET):
    data = json.dumps(body).encode()
    return request(data, secret=secret, timestamp=timestamp)


class SlowBot(FakeBot):
    """A FakeBot whose turns take a while, so a retry arrives while the first turn runs."""

    async def __call__(self, message):
        await asyncio.sleep(0.2)
        await super().__call__(message)


def test_same_bytes_in_the_same_second_is_a_retry_answered_from_the_cache():
    channel, bot = IvrInput(SECRET), SlowBot([{"text": "Hi."}], [{"text": "Your order ships today."}])
    now = int(time.time())
    start = {"call_id": "rt", "seq": 0, "event": "start"}
    question = {"call_id": "rt", "seq": 1, "event": "speech", "text": "where is my order", "confidence": 0.9}

    async def go():
        first = await channel.answer_event(signed(start, now), bot)
        # The platform timed out and sent the same bytes again, in the same second, while the turn ran.
        both = await asyncio.gather(channel.answer_event(signed(question, now), bot),
                                    channel.answer_event(signed(question, now), bot))
        late = await channel.answer_event(signed(question, now), bot)
        return first, both, late

    (error, _), both, late = asyncio.run(go())
    assert error is None
    assert [e for e, _ in both] == [None, None] and late[0] is None
    assert both[0][1] == both[1][1] == late[1]
    assert both[0][1]["actions"][0]["text"] == "Your order ships today."
    assert [text for text, _, _ in bot.received] == ['/greet{"language": "en"}', "where is my order"]


def test_same_seq_for_another_event_is_refused_and_a_replay_without_an_answer_too():
    channel, bot = IvrInput(SECRET), FakeBot([{"text": "Hi."}], [{"text": "Sure."}])
    now = int(time.time())
    first = {"call_id": "rs", "seq": 0, "event": "start"}
    assert answer(channel, bot, first, timestamp=now)[0] is None
    # A later retry of the same event (new timestamp, so a new signature) also gets the cached answer.
    assert answer(channel, bot, first, timestamp=now + 1)[1]["seq"] == 0
    other = {"call_id": "rs", "seq": 0, "event": "speech", "text": "cancel my order", "confidence": 0.9}
    conflict, _ = answer(channel, bot, other, timestamp=now + 2)
    assert conflict.status == 409 and b"already answered" in conflict.body
    # Another body under a used signature and timestamp does not verify.
    tampered = signed(first, now)
    tampered.body = json.dumps(other).encode()
    assert asyncio.run(channel.answer_event(tampered, bot))[0].status == 401
    # A used signature whose answer is gone (the call was forgotten) is a replay: no new turn.
    channel.state.delete_now(call_key("rs"))
    replay, _ = answer(channel, bot, first, timestamp=now)
    assert replay.status == 401 and b"replayed" in replay.body
    assert channel.state.get_now(call_key("rs")) is None
    assert [text for text, _, _ in bot.received] == ['/greet{"language": "en"}']


def test_a_failed_turn_can_be_retried_with_the_same_bytes():
    class FailingOnce(FakeBot):
        async def __call__(self, message):
            if not self.received:
                self.received.append(("failed", None, None))
                raise RuntimeError("action server down")
            await super().__call__(message)

    channel, bot = IvrInput(SECRET), FailingOnce([{"text": "Hi."}])
    now = int(time.time())
    body = {"call_id": "rf", "seq": 0, "event": "start"}
    assert answer(channel, bot, body, timestamp=now)[0].status == 500
    error, retried = answer(channel, bot, body, timestamp=now)
    assert error is None and retried["actions"][0]["text"] == "Hi."


def test_state_keys_of_each_kind_and_call_never_collide_and_turn_ids_keep_their_format():
    """Call state, answers and seen signatures each have their own prefix, the call id encoded: a
    call id ``call`` (or one with ':') cannot reach another call's state. The turn id
    (``metadata.message_id``, counted by bot/storage/idempotency.py) keeps ``ivr:<call_id>:<seq>``."""
    from connectors.ivr import answer_key, signature_key, stored_answer_key
    from connectors.ivr.protocol import parse_event

    call_ids = ["5", "call", "answer", "sig", "a", "a:1", "a:1:2", "x:answer:y", "call:5"]
    events = [parse_event({"call_id": c, "seq": s, "event": "start", "caller": "+1", "lang": "en-US"})
              for c in call_ids for s in (0, 1, 2, 5)]
    keys = ([call_key(c) for c in call_ids] + [stored_answer_key(e) for e in events]
            + [signature_key(s) for s in ("5", "call:5", "a:1")])
    assert len(keys) == len(set(keys))
    assert call_key("5") != stored_answer_key(parse_event({"call_id": "call", "seq": 5, "event": "start"}))
    turn = parse_event({"call_id": "a:1", "seq": 2, "event": "start"})
    assert answer_key(turn) == "ivr:a:1:2"
