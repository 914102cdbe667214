"""The IVR bridge against the real Rasa and action servers."""
from __future__ import annotations

import itertools
import json
import time
import xml.etree.ElementTree as ET

import pytest
import requests

from connectors.ivr.signature import sign
from tests.channels.conftest import IVR_SECRET, assert_speakable

_ids = itertools.count()
VXML = "{http://www.w3.org/2001/vxml}"


def post(servers, body, *, endpoint="webhook", timestamp=None, secret=IVR_SECRET, raw=None, signature=None):
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"Content-Type": "application/json", "X-IVR-Timestamp": timestamp,
               "X-IVR-Signature": signature or sign(secret, timestamp, data)}
    return requests.post(f"{servers.url}/webhooks/ivr/{endpoint}", data=data, headers=headers, timeout=120)


_callers = itertools.count(1)


def new_caller() -> str:
    """A caller id no other call of this test session uses (+861355 and 7 digits): the servers are
    shared by the session, so a call on a shared number would find the tickets and the open case
    that earlier tests left on it (the customer is found by caller id)."""
    return f"+861355{next(_callers):07d}"


class Call:
    """One IVR call against the servers; ``caller``: its caller id, by default one of its own."""

    def __init__(self, servers, tmp_path, lang="en-US", caller=None):
        self.servers, self.tmp_path, self.lang, self.caller = servers, tmp_path, lang, caller or new_caller()
        self.call_id = f"t{next(_ids)}-{int(time.time() * 1000)}"
        self.seq = 0

    def send(self, event, **fields):
        body = {"call_id": self.call_id, "seq": self.seq, "event": event, "caller": self.caller,
                "lang": self.lang, **fields}
        response = post(self.servers, body)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["call_id"] == self.call_id and answer["seq"] == self.seq
        self.seq += 1
        for i, action in enumerate(answer["actions"]):
            if action["action"] == "say":
                assert_speakable(action["ssml"], action["language"],
                                 self.tmp_path / f"{self.call_id}-{answer['seq']}-{i}.wav")
        return answer["actions"]


def kinds(actions):
    return [a["action"] for a in actions]


def spoken(actions):
    return " ".join(a["text"] for a in actions if a["action"] == "say")


def ssml_of(actions):
    return " ".join(a["ssml"] for a in actions if a["action"] == "say")


# ---- signatures ---------------------------------------------------------

def test_signature_good_bad_stale_unsigned_and_retried(ivr_servers):
    body = {"call_id": f"sig-{time.time()}", "seq": 0, "event": "hangup", "lang": "en-US"}
    data = json.dumps(body).encode()
    assert post(ivr_servers, body).status_code == 200
    assert post(ivr_servers, body, secret="wrong-secret").status_code == 401
    assert post(ivr_servers, body, timestamp=int(time.time()) - 301).status_code == 401
    assert post(ivr_servers, body, timestamp=int(time.time()) + 400).status_code == 401
    unsigned = requests.post(f"{ivr_servers.url}/webhooks/ivr/webhook", data=data, timeout=30)
    assert unsigned.status_code == 401
    timestamp = str(int(time.time()) - 5)
    signature = sign(IVR_SECRET, timestamp, data)
    first = post(ivr_servers, None, raw=data, timestamp=timestamp, signature=signature)
    assert first.status_code == 200
    # The same bytes in the same second (the platform's retry) get the same answer, not "replayed".
    retry = post(ivr_servers, None, raw=data, timestamp=timestamp, signature=signature)
    assert retry.status_code == 200 and retry.json() == first.json()
    # A body changed after signing does not verify.
    assert post(ivr_servers, None, raw=data + b" ", timestamp=timestamp, signature=signature).status_code == 401


def test_retried_seq_gets_the_same_actions_without_a_second_bot_turn(ivr_servers, tmp_path):
    import threading

    call = Call(ivr_servers, tmp_path)
    call.send("start")
    sender = f"ivr-{call.call_id}"
    question = {"call_id": call.call_id, "seq": 1, "event": "speech", "text": "what are your opening hours?",
                "confidence": 0.9, "lang": "en-US", "caller": call.caller}
    data = json.dumps(question).encode()
    timestamp = str(int(time.time()))
    signature = sign(IVR_SECRET, timestamp, data)
    replies = []

    def send():
        replies.append(post(ivr_servers, None, raw=data, timestamp=timestamp, signature=signature))

    # The platform gave up waiting and sent the same bytes again while the first turn was running.
    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    replies.append(post(ivr_servers, None, raw=data, timestamp=timestamp, signature=signature))  # a late retry
    replies.append(post(ivr_servers, question, endpoint="vxml"))  # the same event, newly signed, as VoiceXML
    assert [r.status_code for r in replies] == [200, 200, 200, 200], [r.text for r in replies]
    assert replies[0].json() == replies[1].json() == replies[2].json()
    assert "Monday to Friday" in spoken(replies[0].json()["actions"])
    assert "Monday to Friday" in "".join(ET.fromstring(replies[3].content).itertext())
    asked = [e for e in ivr_servers.tracker(sender)["events"]
             if e["event"] == "user" and e.get("text") == "what are your opening hours?"]
    assert len(asked) == 1
    # The same seq for another event, and another body under the used signature, are refused.
    other = {**question, "text": "cancel my order"}
    conflict = post(ivr_servers, other)
    assert conflict.status_code == 409 and "already answered" in conflict.json()["error"]
    forged = json.dumps({**question, "seq": 2, "text": "transfer me"}).encode()
    assert post(ivr_servers, None, raw=forged, timestamp=timestamp, signature=signature).status_code == 401
    assert [e.get("text") for e in ivr_servers.tracker(sender)["events"] if e["event"] == "user"][-1] == \
        "what are your opening hours?"


# ---- whole calls --------------------------------------------------------

def test_full_call_in_english(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    greeting = call.send("start")
    assert kinds(greeting) == ["say", "gather"]
    assert "Welcome to QX Shop" in spoken(greeting) and greeting[0]["language"] == "en-US"
    assert "**" not in spoken(greeting) and "👋" not in spoken(greeting)

    hours = call.send("speech", text="what are your opening hours?", confidence=0.92)
    assert "Monday to Friday" in spoken(hours) and kinds(hours)[-1] == "gather"

    ask = call.send("speech", text="I want to check my order", confidence=0.9)
    assert "order number" in spoken(ask)
    assert ask[-1]["action"] == "gather" and ask[-1]["num_digits"] == 6 and "dtmf" in ask[-1]["input"]
    keyed = call.send("dtmf", digits="100002#")
    assert "QX-100002" in spoken(keyed) and "on its way" in spoken(keyed)

    status = call.send("speech", text="where is QX-100003", confidence=0.9)
    assert '<say-as interpret-as="characters">QX</say-as>' in ssml_of(status)
    assert "1 0 0 0 0 3" in ssml_of(status) and "delivered" in spoken(status)

    bye = call.send("speech", text="that's all, goodbye", confidence=0.9)
    assert kinds(bye)[-1] == "hangup"
    assert call.send("hangup") == []


def test_full_call_in_chinese(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "zh-CN")
    greeting = call.send("start")
    assert "欢迎致电" in spoken(greeting) and greeting[0]["language"] == "zh-CN"
    assert greeting[0]["voice"].startswith("zh-CN")

    hours = call.send("speech", text="你们客服几点上班", confidence=0.9)
    assert "周一到周五" in spoken(hours) and hours[0]["language"] == "zh-CN"

    ask = call.send("speech", text="我想查订单", confidence=0.9)
    assert ask[-1]["num_digits"] == 6
    keyed = call.send("dtmf", digits="100002")
    assert "QX-100002" in spoken(keyed) and keyed[0]["language"] == "zh-CN"

    status = call.send("speech", text="帮我查一下订单QX-100003到哪了", confidence=0.9)
    assert "100003" in spoken(status) and '<say-as interpret-as="characters">QX</say-as>' in ssml_of(status)

    bye = call.send("speech", text="再见", confidence=0.9)
    assert kinds(bye)[-1] == "hangup"


# ---- events -------------------------------------------------------------

def test_low_confidence_asks_to_repeat_without_a_bot_turn(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path)
    call.send("start")
    before = len(ivr_servers.tracker(f"ivr-{call.call_id}")["events"])
    repeat = call.send("speech", text="where is QX-100002", confidence=0.2)
    assert "say it again" in spoken(repeat) and kinds(repeat)[-1] == "gather"
    assert len(ivr_servers.tracker(f"ivr-{call.call_id}")["events"]) == before
    unknown = call.send("telepathy")
    assert kinds(unknown)[-1] == "gather"


def test_no_match_reprompts_and_dtmf_maps_menu_digits(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path)
    call.send("start")
    fallback = call.send("speech", text="blorp zzkx quux", confidence=0.9)
    nomatch = call.send("no_match")
    assert "didn't understand" in spoken(nomatch) and kinds(nomatch)[-1] == "gather"
    assert fallback[-1]["action"] in ("gather", "transfer")


def test_silence_reprompts_twice_then_transfers_with_a_no_input_ticket(ivr_servers, tmp_path):
    token = ivr_servers.login("alice", "pass-word-1")
    call = Call(ivr_servers, tmp_path, caller="+8613912345678")
    call.send("start")
    first = call.send("no_input")
    second = call.send("no_input")
    for reprompt in (first, second):
        assert "didn't hear anything" in spoken(reprompt) and kinds(reprompt)[-1] == "gather"
        assert "Welcome to QX Shop" in spoken(reprompt)  # the last question again
    third = call.send("no_input")
    assert third[-1]["action"] == "transfer"
    ticket_id = third[-1]["ticket_id"]
    assert ticket_id and third[-1]["uui"] == ticket_id.encode().hex() + ";encoding=hex"

    listed = ivr_servers.api("GET", "/tickets", token, params={"conversation_id": f"ivr-{call.call_id}"})
    [ticket] = listed.json()
    assert ticket["ticket_id"] == ticket_id
    detail = ivr_servers.api("GET", f"/tickets/{ticket_id}", token).json()
    assert detail["packet"]["channel"] == "ivr"
    assert detail["packet"]["reason"]["code"] == "no_input"
    # After the transfer the bridge only hangs up.
    assert kinds(call.send("speech", text="hello?", confidence=0.9)) == ["hangup"]


def test_silence_opens_the_ticket_with_no_input_in_one_go(ivr_servers, tmp_path):
    """The reason travels with the hand-over request: action_handoff opens the ticket as
    ``no_input`` (the slot it sets, the reason row written with the ticket, the packet), with
    nothing rewritten afterwards."""
    from bot.storage.db import EscalationReasonRow, TicketRow

    call = Call(ivr_servers, tmp_path)
    call.send("start")
    for _ in range(2):
        call.send("no_input")
    ticket_id = call.send("no_input")[-1]["ticket_id"]
    sender = f"ivr-{call.call_id}"
    slots = ivr_servers.tracker(sender)["slots"]
    assert slots["escalation_reason"] == "no_input" and slots["ticket_id"] == ticket_id
    with _uow(ivr_servers) as uow:
        reasons = [(r.code, r.detail) for r in uow.rows(EscalationReasonRow, conversation_id=sender)]
        ticket = uow.get(TicketRow, ticket_id)
        assert reasons == [("no_input", "caller silent or not understood past the IVR retry limit")]
        assert (ticket.reason_code, ticket.packet["reason"]["code"]) == ("no_input", "no_input")
        assert [t["code"] for t in ticket.packet["reason"]["triggers"]] == ["no_input"]


def test_asking_for_a_person_transfers_with_the_ticket_the_agent_api_shows(ivr_servers, tmp_path):
    token = ivr_servers.login("agent1", "pass-word-1")
    call = Call(ivr_servers, tmp_path)
    call.send("start")
    actions = call.send("speech", text="I want to talk to a real person", confidence=0.9)
    transfer = actions[-1]
    assert transfer["action"] == "transfer" and transfer["queue"] == "support-en"
    ticket = ivr_servers.api("GET", f"/tickets/{transfer['ticket_id']}", token).json()
    assert ticket["packet"]["conversation_id"] == f"ivr-{call.call_id}"
    assert ticket["packet"]["reason"]["code"] == "customer_request"
    queue = ivr_servers.api("GET", "/queue", token, params={"q": transfer["ticket_id"]}).json()  # paged: search it
    assert transfer["ticket_id"] in [t["ticket_id"] for t in queue]
    # a fresh new user (session 45): the intake showed no phone although the caller id was known, and a search by
    # the caller's number found nothing
    assert ticket["packet"]["intake"]["phone"] == call.caller
    found = ivr_servers.api("GET", "/search", token, params={"q": call.caller}).json()
    assert transfer["ticket_id"] in [t["ticket_id"] for t in (found["items"] if isinstance(found, dict) else found)]


def test_duplicate_seq_returns_the_same_actions_without_a_second_turn(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path)
    call.send("start")
    body = {"call_id": call.call_id, "seq": 1, "event": "speech", "text": "what payment methods do you accept",
            "confidence": 0.9, "lang": "en-US"}
    signed_at = int(time.time())
    first = post(ivr_servers, body, timestamp=signed_at)
    events = len(ivr_servers.tracker(f"ivr-{call.call_id}")["events"])
    # A re-signed retry (another timestamp: the very same signature would be refused as a replay).
    again = post(ivr_servers, body, timestamp=signed_at - 1)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(ivr_servers.tracker(f"ivr-{call.call_id}")["events"]) == events


# ---- VoiceXML -----------------------------------------------------------

def test_vxml_endpoint_renders_well_formed_documents(ivr_servers):
    call_id = f"vx-{time.time()}"
    start = post(ivr_servers, {"call_id": call_id, "seq": 0, "event": "start", "lang": "en-US"}, endpoint="vxml")
    assert start.status_code == 200 and "voicexml" in start.headers["content-type"]
    root = ET.fromstring(start.content)
    assert root.tag == f"{VXML}vxml" and root.get("version") == "2.1"
    assert root.find(f".//{VXML}prompt") is not None
    field = root.find(f".//{VXML}field")
    assert field is not None and field.find(f"{VXML}noinput") is not None and field.find(f"{VXML}nomatch") is not None
    assert root.find(f".//{VXML}submit").get("next") == "/webhooks/ivr/vxml"

    human = post(ivr_servers, {"call_id": call_id, "seq": 1, "event": "speech", "text": "agent please",
                               "confidence": 0.9, "lang": "en-US"}, endpoint="vxml")
    transfer = ET.fromstring(human.content).find(f".//{VXML}transfer")
    assert transfer is not None and transfer.get("aai", "").startswith("T")
    assert post(ivr_servers, {"call_id": call_id, "seq": 2, "event": "hangup"}, endpoint="vxml",
                secret="nope").status_code == 401


# ---- hostile input ------------------------------------------------------

def test_hostile_input_is_refused_or_escaped_and_the_server_survives(ivr_servers, tmp_path):
    assert post(ivr_servers, None, raw=b"{not json").status_code == 400
    assert post(ivr_servers, None, raw=b"\xff\xfe\x00").status_code == 400
    assert post(ivr_servers, ["a", "list"]).status_code == 400
    assert post(ivr_servers, {"call_id": "x" * 500, "seq": 0, "event": "start"}).status_code == 400
    assert post(ivr_servers, {"call_id": "ok", "seq": "1", "event": "start"}).status_code == 400
    assert post(ivr_servers, {"call_id": "ok", "seq": 1, "event": "dtmf", "digits": "<x/>"}).status_code == 400
    huge = {"call_id": "huge", "seq": 0, "event": "speech", "text": "a" * 100_000, "confidence": 0.9}
    assert post(ivr_servers, huge).status_code == 413

    call = Call(ivr_servers, tmp_path)
    call.send("start")
    call.send("speech", text="I want to change the address of QX-100001", confidence=0.9)
    injected = call.send("speech", confidence=0.9,
                         text='</speak><audio src="http://evil.example/x.wav"/>&amp; <break time="9999s"/> ]]>')
    for action in injected:
        if action["action"] == "say":
            root = ET.fromstring(action["ssml"])
            assert not [e for e in root.iter() if e.tag.endswith(("audio", "break"))]
    assert requests.get(f"{ivr_servers.url}/webhooks/ivr/", timeout=10).json()["status"] == "ok"
    assert call.send("hangup") == []


# ---- the fake telephony platform (`make call`) --------------------------

@pytest.mark.parametrize("lang, script", [
    ("en-US", "connectors/ivr/demo_call.txt"),
    ("zh-CN", None),
])
def test_fake_platform_plays_a_call_into_wav_files(ivr_servers, tmp_path, espeak, lang, script):
    from connectors.ivr.call import FakePlatform, run
    from tests.conftest import PROJECT_ROOT

    lines = ((PROJECT_ROOT / script).read_text().splitlines() if script else
             ["say: 你们支持哪些付款方式", "say@0.2: 嗯", "dtmf: 9", "say: 再见"])
    platform = run(FakePlatform(ivr_servers.url, IVR_SECRET, lang, new_caller(), tmp_path / "calls"), lines)
    assert len(platform.wavs) >= 4 and all(w.stat().st_size > 1000 for w in platform.wavs)
    assert platform.seq >= len([line for line in lines if not line.startswith("#")])


# ---- call-back when nobody is online ------------------------------------

def _uow(servers):
    from bot.storage.uow import engine_for
    from tests.rows import RowsUnitOfWork

    return RowsUnitOfWork(engine_for(servers.database_url))


@pytest.fixture
def nobody_online(ivr_servers):
    """Everybody went home (as in tests/integration/test_handoff.py); restored afterwards."""
    from datetime import datetime, timezone

    from bot.storage.db import AgentRow

    with _uow(ivr_servers) as uow:
        seen = {}
        for row in uow.rows(AgentRow):
            seen[row.username], row.last_seen_at = row.last_seen_at, datetime(2020, 1, 1, tzinfo=timezone.utc)
        uow.commit()
    yield
    with _uow(ivr_servers) as uow:
        for row in uow.rows(AgentRow):
            row.last_seen_at = seen.get(row.username)
        uow.commit()


def callback_ticket(servers, call):
    """The call's one ticket and the phones of its `callback` events."""
    from sqlalchemy import select

    from bot.storage.db import TicketEventRow

    with _uow(servers) as uow:
        [ticket] = uow.tickets.for_conversation(f"ivr-{call.call_id}")
        events = uow.execute(select(TicketEventRow).where(
            TicketEventRow.ticket_id == ticket.ticket_id, TicketEventRow.kind == "callback")).scalars()
        phones = [e.data["phone"] for e in events if e.data and "phone" in e.data]
    return ticket, phones


def test_nobody_online_offers_a_callback_on_the_caller_number_and_hangs_up(ivr_servers, nobody_online, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US", caller="+8613911112222")
    call.send("start")
    offer = call.send("speech", text="agent please", confidence=0.9)
    assert "transfer" not in kinds(offer) and kinds(offer)[-1] == "gather"
    assert "contact you" in spoken(offer)  # the bot's own callback answer
    assert "We'll call you back on +8613911112222. Press 1 or say yes to confirm" in spoken(offer)
    assert 'plus <say-as interpret-as="digits">8 6 1 3 9 1 1 1 1 2 2 2 2</say-as>' in ssml_of(offer)
    assert offer[-1]["max_digits"] == 1 and set(offer[-1]["options"]) == {"1", "2"}
    ticket, phones = callback_ticket(ivr_servers, call)
    assert ticket.state == "callback" and phones == []

    unclear = call.send("no_input")  # silence: the offer again
    assert "didn't hear" in spoken(unclear) and "+8613911112222" in spoken(unclear)
    bye = call.send("dtmf", digits="1")
    assert kinds(bye) == ["say", "hangup"] and "Goodbye" in spoken(bye)
    ticket, phones = callback_ticket(ivr_servers, call)
    assert ticket.state == "callback" and phones == ["+8613911112222"]
    assert ticket.packet["intake"]["phone"] == "+8613911112222"
    assert kinds(call.send("speech", text="hello?", confidence=0.9)) == ["hangup"]


def test_callback_to_another_keyed_number_in_chinese(ivr_servers, nobody_online, tmp_path):
    call = Call(ivr_servers, tmp_path, "zh-CN", caller="+8613800138000")
    call.send("start")
    offer = call.send("speech", text="转人工", confidence=0.9)
    assert "transfer" not in kinds(offer) and offer[-1]["action"] == "gather"
    assert "我们将回拨您的电话+8613800138000" in spoken(offer) and "确认请按1" in spoken(offer)
    assert '加<say-as interpret-as="digits">8 6 1 3 8 0 0 1 3 8 0 0 0</say-as>' in ssml_of(offer)
    assert offer[-2]["language"] == "zh-CN"

    ask = call.send("dtmf", digits="2")
    assert "请输入回拨的电话号码" in spoken(ask)
    assert ask[-1]["action"] == "gather" and ask[-1]["finish_on_key"] == "#" and ask[-1]["max_digits"] >= 15
    bad = call.send("dtmf", digits="12#")
    assert "号码好像不正确" in spoken(bad) and bad[-1]["action"] == "gather"
    again = call.send("dtmf", digits="13512345678#")
    assert "+8613512345678" in spoken(again)
    assert '<say-as interpret-as="digits">8 6 1 3 5 1 2 3 4 5 6 7 8</say-as>' in ssml_of(again)
    bye = call.send("speech", text="是的", confidence=0.9)
    assert kinds(bye) == ["say", "hangup"] and "再见" in spoken(bye)
    ticket, phones = callback_ticket(ivr_servers, call)
    assert ticket.state == "callback" and phones == ["+8613512345678"]
    assert ticket.packet["intake"]["phone"] == "+8613512345678"


def test_a_keyed_premium_rate_number_is_refused_and_another_asked_for(ivr_servers, nobody_online, tmp_path):
    """Fresh-user report 2: a premium-rate number is never the number a colleague calls back."""
    call = Call(ivr_servers, tmp_path, "en-US", caller="+447911123456")
    call.send("start")
    call.send("speech", text="I want to talk to a person", confidence=0.9)
    assert "Please key in the number" in spoken(call.send("dtmf", digits="2"))
    refused = call.send("dtmf", digits="0019005550100#")
    assert "only call back mobile and landline numbers" in spoken(refused) and "Please key in the number" in spoken(
        refused)
    assert "9005550100" not in spoken(refused).replace(" ", "") and refused[-1]["action"] == "gather"
    again = call.send("dtmf", digits="13512345678#")
    assert "+8613512345678" in spoken(again)
    call.send("dtmf", digits="1")
    ticket, phones = callback_ticket(ivr_servers, call)
    assert ticket.state == "callback" and phones == ["+8613512345678"]


@pytest.mark.parametrize("lang, report, questions, step, bye", [
    ("en-US", "I can smell gas in my kitchen, it is very strong", ["should I leave the house?", "it's getting worse"],
     "call the gas emergency line from outside", "yes"),
    ("zh-CN", "我家里有很浓的煤气味", ["我要不要离开房子"], "到室外再拨打燃气抢修电话", "是的"),
])
def test_a_safety_question_at_the_call_back_menu_hears_the_advice_again_and_reaches_the_case(
        ivr_servers, nobody_online, tmp_path, lang, report, questions, step, bye):
    # a fresh user: "should I leave the house?" at the call-back menu was not understood and nothing was filed
    call = Call(ivr_servers, tmp_path, lang)
    call.send("start")
    offer = call.send("speech", text=report, confidence=0.9)
    assert step in spoken(offer) and offer[-1]["action"] == "gather" and set(offer[-1]["options"]) == {"1", "2"}
    for question in questions:
        again = call.send("speech", text=question, confidence=0.9)
        assert step in spoken(again)  # the advice again, in full (its last step)
        assert kinds(again)[-1] == "gather" and set(again[-1]["options"]) == {"1", "2"}  # then the menu again
        assert again[-2]["text"] == offer[-2]["text"]
    ticket, phones = callback_ticket(ivr_servers, call)
    assert ticket.state == "callback" and ticket.priority == 1 and phones == []
    agent = ivr_servers.login("alice", "pass-word-1")
    transcript = ivr_servers.api("GET", f"/tickets/{ticket.ticket_id}", agent).json()["transcript"]
    lines = [(line["from"], line["text"]) for line in transcript]
    assert [text for who, text in lines if who == "customer"][-len(questions):] == questions  # on the case
    last = lines.index(("customer", questions[-1]))
    assert any(who == "bot" and step in text for who, text in lines[last:])  # and what the caller heard
    done = call.send("speech", text=bye, confidence=0.9)  # a plain yes still confirms
    assert kinds(done) == ["say", "hangup"]
    assert callback_ticket(ivr_servers, call)[1] == [call.caller]


@pytest.mark.parametrize("lang, report, worse, said, never", [
    ("en-US", "I can smell gas in my kitchen, it is very strong", "it's getting worse, call me on 13900139000",
     "the number starting 1 3 9 and ending 9 0 0 0", ("139the", "number ending 9 0 0 0 as")),
    ("zh-CN", "我家里有很浓的煤气味", "越来越严重了，请打13900139000给我回电",
     "以 1 3 9 开头、9 0 0 0 结尾的号码", ("139以", "尾号")),
])
def test_a_number_noted_on_the_phone_is_read_back_masked_as_a_person_says_it(
        ivr_servers, nobody_online, tmp_path, lang, report, worse, said, never):
    """A fresh new user: the bot's "I've noted 139****9000 …" was read "139 the number ending 9 0 0 0" (139 as
    a number, the stars dropped); the VoiceXML the platform plays says the first and last digits one by one."""
    call = Call(ivr_servers, tmp_path, lang)
    call.send("start")
    offer = call.send("speech", text=report, confidence=0.9)
    assert offer[-1]["action"] == "gather"  # the call-back menu, nobody online
    answer = post(ivr_servers, {"call_id": call.call_id, "seq": call.seq, "event": "speech", "text": worse,
                                "confidence": 0.9, "lang": lang, "caller": call.caller}, endpoint="vxml")
    assert answer.status_code == 200 and "voicexml" in answer.headers["content-type"]
    root = ET.fromstring(answer.content)
    heard = " ".join("".join(prompt.itertext()) for prompt in root.iter(f"{VXML}prompt"))
    assert said in heard, heard
    assert "*" not in heard and "•" not in heard and not any(bad in heard for bad in never), heard
    ticket, _ = callback_ticket(ivr_servers, call)
    assert ticket.packet["intake"]["phone"] == "+8613900139000"  # the agent's intake keeps the whole number


# ---- proof of owning an order (issue 10) ---------------------------------

def test_the_caller_id_of_the_order_phone_hears_tracking_and_others_key_a_code(ivr_servers, tmp_path):
    import re

    from tests.rows import RowsUnitOfWork

    owner = Call(ivr_servers, tmp_path, caller="+8613812345678")  # Li Na's phone, on QX-100002
    owner.send("start")
    assert "SF Express" in spoken(owner.send("speech", text="where is QX-100002", confidence=0.9))

    stranger = Call(ivr_servers, tmp_path)  # another number
    stranger.send("start")
    assert "SF Express" not in spoken(stranger.send("speech", text="where is QX-100002", confidence=0.9))
    ask = stranger.send("speech", text="I want to change the address of QX-100005", confidence=0.9)
    assert "mobile number on order" in spoken(ask)
    sent = stranger.send("speech", text="+86 137 0000 2222", confidence=0.9)
    assert "key in the 6-digit code" in spoken(sent)
    assert sent[-1]["action"] == "gather" and sent[-1]["num_digits"] == 6
    with RowsUnitOfWork() as uow:
        body = uow.notifications.latest(to="+8613700002222", limit=1)[0].body
    code = re.search(r"is (\d{6})\b", body).group(1)
    keyed = stranger.send("dtmf", digits=f"{code}#")  # keyed digits are the code here, not an order number
    assert "code is correct" in spoken(keyed) and "new delivery address" in spoken(keyed)


# ---- card numbers (PCI DSS: never stored) --------------------------------------------

def test_a_card_number_said_on_the_phone_is_not_stored(ivr_servers, tmp_path):
    """What the recogniser wrote reaches the tracker with the card number masked, on the JSON webhook
    and on VoiceXML."""
    import re

    from connectors.ivr import sender_of

    pan = re.compile(r"4111[ -]?1111[ -]?1111[ -]?1111|4242[ -]?4242[ -]?4242[ -]?4242")
    for endpoint, heard, masked in (
            ("webhook", "is 4111 1111 1111 1111 a valid card", "is [card …1111] a valid card"),
            ("vxml", "is 4242-4242-4242-4242 a card", "is [card …4242] a card")):
        call = Call(ivr_servers, tmp_path)
        call.send("start")
        answer = post(ivr_servers, {"call_id": call.call_id, "seq": 1, "event": "speech", "caller": call.caller,
                                    "lang": "en-US", "text": heard, "confidence": 0.95}, endpoint=endpoint)
        assert answer.status_code == 200, answer.text
        tracker = ivr_servers.tracker(sender_of(call.call_id))
        [said] = [e for e in tracker["events"] if e["event"] == "user"][1:]
        assert said["text"] == masked, said
        assert not pan.search(json.dumps(tracker, ensure_ascii=False)), said


def test_a_card_number_said_as_words_or_over_two_turns_is_not_stored(ivr_servers, tmp_path):
    """A fresh attacker: the recogniser's "four one one one …" (too long for a phone, so it stays words)
    and 四幺幺幺… were stored as said, and so was a number said over two speech turns."""
    import re

    from connectors.ivr import sender_of

    said_pan = re.compile(r"(?:four|one|[四一幺]|1111)(?:[ ,]*(?:one|[一幺]|1)){7}", re.I)
    for lang, turns, masked in (
            ("en-US", ["my card is four one one one one one one one one one one one one one one one"],
             ["my card is [card …1111]"]),
            ("zh-CN", ["卡号四幺幺幺幺幺幺幺幺幺幺幺幺幺幺幺"], ["卡号[card …1111]"]),
            ("en-US", ["my card is 4111 1111", "1111 1111"], ["my card is [card …1111]", "[card …1111]"])):
        call = Call(ivr_servers, tmp_path, lang=lang)
        call.send("start")
        for text in turns:
            call.send("speech", text=text, confidence=0.95)
        tracker = ivr_servers.tracker(sender_of(call.call_id))
        said = [e["text"] for e in tracker["events"] if e["event"] == "user"][1:]
        assert said == masked, said
        dumped = json.dumps(tracker, ensure_ascii=False)
        assert not said_pan.search(dumped) and "4111 1111" not in dumped, dumped[:2000]


def test_intent_syntax_heard_on_a_call_is_ordinary_text(ivr_servers, tmp_path):
    """"/report_fraud" as a recognised utterance is read as the words it says (the NLU decides, as for "report
    fraud" said aloud; no intent is chosen by its syntax) and puts nothing in a slot (the IVR's own
    ``/greet{"language": …}`` and ``/request_human`` still work)."""
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    call.send("speech", text="/report_fraud", confidence=0.9)
    call.send("speech", text='/inform{"order_number":{"a":1}}', confidence=0.9)
    tracker = ivr_servers.tracker(f"ivr-{call.call_id}")
    assert not isinstance(tracker["slots"].get("order_number"), (dict, list))
    assert "\uff0freport_fraud" in [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert tracker["slots"].get("language") == "en"  # the bridge's /greet{"language": "en"} was read
    call.send("hangup")
