"""Long waits and abandonment (issue 14) on the real Rasa and action servers: the three choices
after a long estimate (REST, web chat, IVR keypad), what each choice does, a caller hanging up
while queued, and a silent web customer swept to `abandoned` once."""
from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from bot.storage.db import TicketEventRow, TicketRow
from tests.channels.conftest import IVR_SECRET
from tests.channels.test_ivr_calls import Call, kinds, spoken
from tests.integration.conftest import PROJECT_ROOT, Servers, run_servers, wait_for
from tests.integration.webchat_client import ChatClient, conversation_of, texts

SILENCE_S = 15  # WEB_ABANDON_AFTER_S of these servers
SEEDED = 128  # tickets ahead of the customer in a long queue: position 129, about 9 hours


class PatientServers(Servers):
    """The usual servers, given up to 25 minutes to load the model (a shared, busy machine)."""

    def start(self) -> "PatientServers":
        config = (PROJECT_ROOT / "escalation.yml").read_text().replace("always_open: false", "always_open: true")
        (self.workdir / "escalation.yml").write_text(config)
        self.env["ESCALATION_CONFIG"] = str(self.workdir / "escalation.yml")
        actions, actions_log = self.start_actions()
        rasa, rasa_log = self.start_rasa()
        wait_for(f"{self.actions_url}/health", actions, actions_log, timeout=1500)
        wait_for(f"{self.url}/", rasa, rasa_log, timeout=1500)
        return self


@pytest.fixture(scope="module")
def wait_servers(tmp_path_factory, trained_model):
    yield from run_servers(tmp_path_factory, "wait-servers", {
        "IVR_SECRET": IVR_SECRET, "SMTP_URL": "",  # the notifier's local fake records what is sent
        "WEB_ABANDON_AFTER_S": str(SILENCE_S), "ABANDON_SWEEP_INTERVAL_S": "0.5"}, servers_class=PatientServers)


def _uow(servers):
    from bot.storage.uow import engine_for
    from tests.rows import RowsUnitOfWork

    return RowsUnitOfWork(engine_for(servers.database_url))


@pytest.fixture(scope="module")
def agent(wait_servers):
    return wait_servers.login("agent0", "pass-word-1")  # one agent online: 240 s a ticket


@pytest.fixture
def long_queue(wait_servers, agent):
    """128 urgent REST tickets queued ahead of everyone (closed again afterwards)."""
    from bot.queue.tickets import new_ticket_id

    now = datetime.now(timezone.utc)
    ids = []
    with _uow(wait_servers) as uow:
        for i in range(SEEDED):
            ticket_id = new_ticket_id()
            ids.append(ticket_id)
            created = now - timedelta(seconds=SEEDED - i)
            uow.tickets.add({"ticket_id": ticket_id, "conversation_id": f"seed-{ticket_id}", "channel": "rest",
                             "language": "en", "priority": 1, "reason": {"code": "customer_request", "detail": None},
                             "skills": ["en"], "summary": "seeded", "created_at": created.isoformat(),
                             "sla": {"due_at": (created + timedelta(minutes=1)).isoformat()}, "intake": {},
                             "transcript": []}, "queued")
        uow.commit()
    yield ids
    with _uow(wait_servers) as uow:
        uow.execute(update(TicketRow).where(TicketRow.id.in_(ids)).values(state="closed"))
        uow.commit()


def clear_queue(servers):
    """Close whatever earlier tests left waiting, so the next hand-over is first in the queue."""
    with _uow(servers) as uow:
        uow.execute(update(TicketRow).where(TicketRow.state.in_(("queued", "callback"))).values(state="closed"))
        uow.commit()


def ticket_of(servers, conversation_id):
    """The one ticket of a conversation (a web chat session id is turned into its public id)."""
    with _uow(servers) as uow:
        [ticket] = uow.tickets.for_conversation(conversation_of(conversation_id))
        return ticket


def buttons(replies):
    return [b["title"] for r in replies for b in r.get("buttons") or []]


HAND_OVER = {"en": "I want to talk to a real person", "zh": "我要转人工"}
CHOICES = {"en": ["Keep waiting", "Call me back", "Leave a message"], "zh": ["继续等待", "给我回电", "留言"]}


@pytest.mark.parametrize("lang,wait", [("en", "about 4 minutes"), ("zh", "约4分钟")])
def test_a_short_estimate_gets_no_offer(wait_servers, agent, lang, wait):
    sender = f"wait-short-{lang}"
    clear_queue(wait_servers)
    replies = wait_servers.say(sender, HAND_OVER[lang])
    assert wait in texts(replies) and buttons(replies) == []
    assert ticket_of(wait_servers, sender).state == "queued"
    # "1" with no offer open is only a message for the agent
    wait_servers.say(sender, "1")
    assert ticket_of(wait_servers, sender).state == "queued"


@pytest.mark.parametrize("lang,hours,kept", [("en", "about 9 hours", "you keep your place"),
                                             ("zh", "约9小时", "您保留当前排位")])
def test_a_long_estimate_is_said_in_hours_with_three_choices_and_keep_waiting_keeps_the_place(
        wait_servers, long_queue, lang, hours, kept):
    sender = f"wait-keep-{lang}"
    replies = wait_servers.say(sender, HAND_OVER[lang])
    said = texts(replies)
    assert hours in said and "512" not in said and "516" not in said
    assert buttons(replies) == CHOICES[lang]
    assert [b["payload"] for r in replies for b in r.get("buttons") or []] == ["1", "2", "3"]
    reply = texts(wait_servers.say(sender, "1"))
    assert kept in reply and hours in reply
    assert ticket_of(wait_servers, sender).state == "queued"


@pytest.mark.parametrize("lang,words,number,phone,confirm", [
    ("en", "call me back", "+44 7911 123456", "+447911123456", "call you back on +447911123456"),
    ("zh", "请给我回电", "13800138000", "+8613800138000", "拨打 +8613800138000 给您回电"),
])
def test_call_me_back_asks_the_number_and_leaves_a_callback_ticket(wait_servers, long_queue, lang, words, number,
                                                                   phone, confirm):
    sender = f"wait-callback-{lang}"
    wait_servers.say(sender, HAND_OVER[lang])
    asked = texts(wait_servers.say(sender, words))
    assert ("phone number" in asked) if lang == "en" else ("电话号码" in asked)
    assert ticket_of(wait_servers, sender).state == "queued"
    assert confirm in texts(wait_servers.say(sender, number))
    ticket = ticket_of(wait_servers, sender)
    assert ticket.state == "callback" and ticket.packet["intake"]["phone"] == phone
    # the bot serves again meanwhile, and every message also goes on the case (rev14c #2)
    assert wait_servers.tracker(sender)["slots"]["handoff_state"] == "callback"


@pytest.mark.parametrize("lang,words,refused", [
    ("en", "call me back", {"+1 900 555 0100": "premium-rate", "+44 7700 900123": "not a phone number in use"}),
    ("zh", "请给我回电", {"+1 900 555 0100": "付费", "+44 7700 900123": "不是在用的电话号码"}),
])
def test_a_premium_rate_or_unknown_number_is_refused_in_the_customers_language(wait_servers, long_queue, lang,
                                                                               words, refused):
    """Fresh-user report 2: "+1 900 555 0100" (premium rate: toll fraud from an anonymous chat) and
    "+44 7700 900123" (no such number) were taken as the number to call back."""
    sender = f"wait-refused-{lang}"
    wait_servers.say(sender, HAND_OVER[lang])
    wait_servers.say(sender, words)
    for number, why in refused.items():
        told = texts(wait_servers.say(sender, number))
        assert why in told, told
        ticket = ticket_of(wait_servers, sender)
        assert ticket.state == "queued" and not ticket.packet["intake"].get("phone")
    assert ticket_of(wait_servers, sender).state == "queued"
    wait_servers.say(sender, "13900139000")
    ticket = ticket_of(wait_servers, sender)
    assert ticket.state == "callback" and ticket.packet["intake"]["phone"] == "+8613900139000"


def test_a_report_after_call_me_back_is_filed_on_the_case_not_a_later_yes(wait_servers, long_queue):
    """Review rev14b #2: after *Call me back*, "Also the box was wet" got "I've noted it. Would you like
    me to pass this to a colleague?" and a "yes" then filed "yes"; now the report goes on the case."""
    sender = "wait-callback-report"
    wait_servers.say(sender, HAND_OVER["en"])
    wait_servers.say(sender, "call me back")
    wait_servers.say(sender, "+44 7911 123456")
    assert ticket_of(wait_servers, sender).state == "callback"
    reply = texts(wait_servers.say(sender, "Also the box was wet"))
    assert "added this to your case" in reply and "pass this to a colleague" not in reply
    with _uow(wait_servers) as uow:
        ticket = ticket_of(wait_servers, sender)
        said = [line["text"] for line in uow.tickets.transcript(ticket) if line["from"] == "customer"]
    assert said[-1] == "Also the box was wet"


def test_a_message_left_by_e_mail_is_answered_through_the_notifier(wait_servers, long_queue, agent):
    sender = "wait-message-en"
    wait_servers.say(sender, HAND_OVER["en"])
    assert "e-mail address" in texts(wait_servers.say(sender, "3"))
    saved = texts(wait_servers.say(sender, "My blender arrived broken. Please answer to Sam.Lee@example.com"))
    assert "your message is saved" in saved and "by e-mail to sam.lee@example.com" in saved
    ticket = ticket_of(wait_servers, sender)
    assert ticket.state == "callback"
    assert wait_servers.api("POST", f"/tickets/{ticket.ticket_id}/claim", agent).status_code == 200
    sent = wait_servers.api("POST", f"/tickets/{ticket.ticket_id}/messages", agent,
                            json={"text": "A new blender ships today."})
    assert sent.status_code == 200 and sent.json()["notified"] == "email"
    with _uow(wait_servers) as uow:
        [note] = uow.notifications.latest(to="sam.lee@example.com")
    assert note.channel == "email" and note.transport == "fake" and ticket.ticket_id in note.body
    # A typed address proves nothing: it is told an answer waits, never sent the answer.
    assert "A new blender ships today." not in note.body and "read it in the chat" in note.body


def test_an_e_mail_address_sent_alone_is_kept_and_the_message_asked_for(wait_servers, long_queue, agent):
    """Review rev14 #7: the address first, then the question: the question is on the ticket, answered
    by e-mail to that address; the bot never said the address alone was the message."""
    sender = "wait-message-address-first"
    wait_servers.say(sender, HAND_OVER["en"])
    assert "e-mail address" in texts(wait_servers.say(sender, "3"))
    asked = texts(wait_servers.say(sender, "qa.test@example.com"))
    assert "What is your message?" in asked and "your message is saved" not in asked
    saved = texts(wait_servers.say(sender, "My parcel QX-100001 is broken, what now?"))
    assert "your message is saved" in saved and "by e-mail to qa.test@example.com" in saved
    ticket = ticket_of(wait_servers, sender)
    assert ticket.state == "callback"
    view = wait_servers.api("GET", f"/tickets/{ticket.ticket_id}", agent).json()
    assert "My parcel QX-100001 is broken, what now?" in [line.get("text") for line in view["transcript"]]


def test_a_message_left_for_this_channel_gets_the_reply_here(wait_servers, long_queue, agent):
    sender = "wait-message-zh"
    wait_servers.say(sender, HAND_OVER["zh"])
    assert "邮箱地址" in texts(wait_servers.say(sender, "留言"))
    saved = texts(wait_servers.say(sender, "我的退款什么时候到账？"))
    assert "留言已保存" in saved and "在这里答复您" in saved
    ticket = ticket_of(wait_servers, sender)
    assert ticket.state == "callback"
    assert wait_servers.api("POST", f"/tickets/{ticket.ticket_id}/claim", agent).status_code == 200
    sent = wait_servers.api("POST", f"/tickets/{ticket.ticket_id}/messages", agent, json={"text": "三个工作日内到账。"})
    assert sent.status_code == 200 and "notified" not in sent.json()
    assert "三个工作日内到账。" in texts(wait_servers.say(sender, "好的"))


# ---- the phone ------------------------------------------------------------------------------

def test_a_long_wait_on_the_phone_offers_the_keypad_and_hanging_up_in_the_queue_abandons(
        wait_servers, long_queue, tmp_path):
    call = Call(wait_servers, tmp_path, "en-US")
    call.send("start")
    offer = call.send("speech", text=HAND_OVER["en"], confidence=0.9)
    assert "transfer" not in kinds(offer) and offer[-1]["action"] == "gather"
    assert set(offer[-1]["options"]) == {"1", "2", "3"}
    assert "about 9 hours" in spoken(offer) and "press 1 for Keep waiting" in spoken(offer)
    assert not any(never in spoken(offer) for never in NEVER_WITH_THE_MENU["en-US"]), spoken(offer)
    kept = call.send("dtmf", digits="1")
    assert kinds(kept)[-1] == "transfer"
    ticket_id = kept[-1]["ticket_id"]
    assert ticket_of(wait_servers, f"ivr-{call.call_id}").state == "queued"
    assert call.send("hangup") == []
    assert ticket_of(wait_servers, f"ivr-{call.call_id}").state == "abandoned"
    with _uow(wait_servers) as uow:
        assert len(uow.rows(TicketEventRow, ticket_id=ticket_id, kind="abandoned")) == 1


# What a caller must not hear before the long-wait menu: being put through, or told to hold for it.
NEVER_WITH_THE_MENU = {"en-US": ("putting you through", "connecting you", "stay on the line"),
                       "zh-CN": ("转接", "不要挂机")}


@pytest.mark.parametrize("lang,opening,hours,menu", [
    ("en-US", r"You're number 1\d\d in the queue, and the expected wait is about 9 hours\.", "about 9 hours",
     ("keep waiting on the line", "Say or press 1 for Keep waiting", "2 for Call me back", "3 for Leave a message")),
    ("zh-CN", r"您目前排在第 1\d\d 位，预计等待约9小时。", "约9小时",
     ("不挂机继续等待", "继续等待请按1", "给我回电请按2", "留言请按3")),
])
def test_a_long_wait_on_the_phone_says_the_wait_then_the_choices_never_putting_you_through(
        wait_servers, long_queue, tmp_path, lang, opening, hours, menu):
    """Issue 14: a caller handed over into a long wait hears place and wait (in hours) and the three
    choices by keypad — not "I'm putting you through" / "我现在为您转接" followed by the menu. Checked
    in the bridge's JSON actions and in the VoiceXML document a VoiceXML gateway gets."""
    import xml.etree.ElementTree as ET

    from tests.channels.test_ivr_calls import VXML, post

    call = Call(wait_servers, tmp_path, lang)
    call.send("start")
    human = HAND_OVER["en" if lang == "en-US" else "zh"]
    body = {"call_id": call.call_id, "seq": call.seq, "event": "speech", "text": human, "confidence": 0.9,
            "caller": call.caller, "lang": lang}
    document = post(wait_servers, body, endpoint="vxml")
    assert document.status_code == 200 and "voicexml" in document.headers["content-type"]
    root = ET.fromstring(document.content)
    said = " ".join("".join(prompt.itertext()) for prompt in root.iter(f"{VXML}prompt"))
    assert root.find(f".//{VXML}transfer") is None and root.find(f".//{VXML}field") is not None
    import re

    place = re.search(opening, said)  # the position: 129 or a little more (tickets earlier tests left queued)
    assert place and hours in said and "512" not in said, said
    assert place.end() <= min(said.index(choice) for choice in menu), said  # the wait, then the choices
    assert all(choice in said for choice in menu), said
    assert not any(never in said for never in NEVER_WITH_THE_MENU[lang]), said
    call.seq += 1

    kept = call.send("dtmf", digits="1")  # keep waiting: now, and only now, the call is put through
    assert kinds(kept)[-1] == "transfer" and hours in spoken(kept)
    call.send("hangup")


def test_a_short_wait_on_the_phone_is_put_through_at_once(wait_servers, agent, tmp_path):
    """The short wait keeps its wording: hold on, I'm putting you through (no menu)."""
    clear_queue(wait_servers)
    call = Call(wait_servers, tmp_path, "en-US")
    call.send("start")
    said = call.send("speech", text=HAND_OVER["en"], confidence=0.9)
    assert kinds(said)[-1] == "transfer" and "putting you through" in spoken(said)
    assert "press 1" not in spoken(said)
    call.send("hangup")


def test_a_caller_who_hangs_up_after_an_agent_took_the_call_leaves_the_ticket_with_the_agent(
        wait_servers, agent, tmp_path):
    clear_queue(wait_servers)
    call = Call(wait_servers, tmp_path, "zh-CN")
    call.send("start")
    transfer = call.send("speech", text=HAND_OVER["zh"], confidence=0.9)[-1]
    assert transfer["action"] == "transfer"
    assert wait_servers.api("POST", f"/tickets/{transfer['ticket_id']}/claim", agent).status_code == 200
    # the caller is on the line with the agent: a typed reply would never reach them, so it is refused
    assert wait_servers.api("GET", f"/tickets/{transfer['ticket_id']}", agent).json()["live_call"] is True
    typed = wait_servers.api("POST", f"/tickets/{transfer['ticket_id']}/messages", agent, json={"text": "hello?"})
    assert typed.status_code == 422 and "talk to them" in typed.json()["error"]
    call.send("hangup")
    # the call is over: no "live call" any more, and a typed reply still could not reach a phone: call them back
    after = wait_servers.api("GET", f"/tickets/{transfer['ticket_id']}", agent).json()
    assert (after["live_call"], after["typed_reply_blocked"]) == (False, "phone")
    assert after["history"][-1]["kind"] == "call_ended"
    assert ticket_of(wait_servers, f"ivr-{call.call_id}").state == "with_agent"


def test_on_the_phone_call_me_back_confirms_the_caller_id_in_chinese(wait_servers, long_queue, tmp_path):
    call = Call(wait_servers, tmp_path, "zh-CN", caller="+8613911112222")
    call.send("start")
    offer = call.send("speech", text=HAND_OVER["zh"], confidence=0.9)
    assert "约9小时" in spoken(offer) and "给我回电请按2" in spoken(offer)
    assert not any(never in spoken(offer) for never in NEVER_WITH_THE_MENU["zh-CN"]), spoken(offer)
    confirm = call.send("dtmf", digits="2")
    assert "我们将回拨您的电话+8613911112222" in spoken(confirm) and "transfer" not in kinds(confirm)
    assert ticket_of(wait_servers, f"ivr-{call.call_id}").state == "callback"
    bye = call.send("dtmf", digits="1")
    assert kinds(bye) == ["say", "hangup"]
    ticket = ticket_of(wait_servers, f"ivr-{call.call_id}")
    assert ticket.state == "callback" and ticket.packet["intake"]["phone"] == "+8613911112222"
    call.send("hangup")
    assert ticket_of(wait_servers, f"ivr-{call.call_id}").state == "callback"  # not abandoned


def test_on_the_phone_a_left_message_is_answered_by_text_message(wait_servers, long_queue, agent, tmp_path):
    call = Call(wait_servers, tmp_path, "en-US", caller="+8613922223333")
    call.send("start")
    call.send("speech", text=HAND_OVER["en"], confidence=0.9)
    ask = call.send("dtmf", digits="3")
    assert "say your message" in spoken(ask) and ask[-1]["action"] == "gather" and "transfer" not in kinds(ask)
    bye = call.send("speech", text="my parcel never came and I need it before Friday", confidence=0.9)
    assert kinds(bye)[-1] == "hangup" and "text message" in spoken(bye)
    ticket = ticket_of(wait_servers, f"ivr-{call.call_id}")
    assert ticket.state == "callback"
    assert wait_servers.api("POST", f"/tickets/{ticket.ticket_id}/claim", agent).status_code == 200
    # the caller hung up: no live call, so the desk lets the agent type the answer (session 46)
    assert wait_servers.api("GET", f"/tickets/{ticket.ticket_id}", agent).json()["live_call"] is False
    sent = wait_servers.api("POST", f"/tickets/{ticket.ticket_id}/messages", agent,
                            json={"text": "It arrives on Thursday."})
    assert sent.json()["notified"] == "sms"
    with _uow(wait_servers) as uow:
        [note] = uow.notifications.latest(to="+8613922223333")
    assert note.channel == "sms" and "It arrives on Thursday." in note.body


# ---- a web customer who leaves ----------------------------------------------------------------

def test_a_silent_web_customer_is_abandoned_once_and_one_who_writes_keeps_the_ticket(wait_servers, agent):
    from bot.services import waiting

    clear_queue(wait_servers)
    stop = threading.Event()
    extra_sweeps = []

    def sweep_alongside():  # a second "server" sweeping the same database as fast as it can
        while not stop.is_set():
            extra_sweeps.extend(waiting.sweep_abandoned(_uow(wait_servers), SILENCE_S))
            time.sleep(0.05)

    async def conversation():
        async with ChatClient(wait_servers.url) as silent, ChatClient(wait_servers.url) as active:
            silent_id = await silent.start(language="en")
            active_id = await active.start(language="zh")
            assert "queue" in texts(await silent.say(HAND_OVER["en"]))
            assert "排在第" in texts(await active.say(HAND_OVER["zh"]))
            started = time.monotonic()
            # The active customer writes every few seconds until the silent one is swept (and
            # at least 1.5 silences long); then both tickets are read at once.
            while time.monotonic() - started < 120:
                await active.say("我还在等")
                gone = (await asyncio.to_thread(ticket_of, wait_servers, silent_id)).state == "abandoned"
                if gone and time.monotonic() - started > SILENCE_S * 1.5:
                    break
                await asyncio.sleep(SILENCE_S / 5)
            return (await asyncio.to_thread(ticket_of, wait_servers, silent_id),
                    await asyncio.to_thread(ticket_of, wait_servers, active_id))

    sweeper = threading.Thread(target=sweep_alongside)
    sweeper.start()
    try:
        silent_ticket, active_ticket = asyncio.run(conversation())
    finally:
        stop.set()
        sweeper.join()
    assert silent_ticket.state == "abandoned" and active_ticket.state == "queued"
    with _uow(wait_servers) as uow:
        events = uow.execute(select(TicketEventRow).where(TicketEventRow.ticket_id == silent_ticket.ticket_id,
                                                         TicketEventRow.kind == "abandoned")).scalars().all()
    assert len(events) == 1  # the servers' sweep and this one raced: marked once
    metrics = wait_servers.api("GET", "/metrics", wait_servers.login("alice", "pass-word-1")).json()
    assert metrics["abandoned"] >= 1 and metrics["abandonment_rate"] > 0


@pytest.mark.parametrize("lang,place", [("en", "queue"), ("zh", "排在第")])
def test_a_customer_who_writes_after_being_abandoned_is_queued_again_with_the_earlier_reason(
        wait_servers, agent, lang, place):
    """Issue 14: an abandoned customer's next message is answered (not dropped): they are still
    waiting for a person, so a new ticket is queued with the earlier reason and this message."""
    clear_queue(wait_servers)

    async def conversation():
        async with ChatClient(wait_servers.url) as customer:
            session = await customer.start(language=lang)
            assert place in texts(await customer.say(HAND_OVER[lang]))
            deadline = time.monotonic() + 120
            while (await asyncio.to_thread(ticket_of, wait_servers, session)).state != "abandoned":
                assert time.monotonic() < deadline, "the silent customer was never abandoned"
                await asyncio.sleep(1)
            back = "hello? are you still there" if lang == "en" else "你好，还有人吗"
            return session, texts(await customer.say(back))

    session, answer = asyncio.run(conversation())
    assert place in answer  # told their place again, not silence
    with _uow(wait_servers) as uow:
        first, second = uow.tickets.for_conversation(conversation_of(session))
    assert first.state == "abandoned" and second.state == "queued"
    assert second.reason["code"] == first.reason["code"]
    assert "abandoned" in second.reason["detail"]
    said = [turn.get("text") for turn in second.packet.get("transcript", [])]
    assert any(("still there" in (t or "")) or ("还有人吗" in (t or "")) for t in said), said
