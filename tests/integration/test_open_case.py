"""A known customer's open case, told when they start another conversation (real servers)."""
import asyncio
import time

import pytest

from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.integration.conftest import Servers, run_servers, wait_for
from tests.integration.test_customers import texts, token
from tests.integration.webchat_client import conversation_of, ChatClient

PHONE = "+447700900444"
QUEUE_PHONE = "+447700900555"


def test_unfinished_password_reset_is_offered_in_a_new_conversation_and_yes_continues_at_step_3(servers):
    a, b = "open-case-a", "open-case-b"
    token_a = token("site-open-a", phone=PHONE)
    assert "Step 1" in texts(servers.say(a, "I forgot my password", customer_token=token_a))
    assert "Step 2" in texts(servers.say(a, "done", customer_token=token_a))
    assert "Step 3" in texts(servers.say(a, "done", customer_token=token_a))

    # A new conversation: another site account, the same verified phone.
    token_b = token("site-open-b", phone=PHONE)
    replies = servers.say(b, "hi", customer_token=token_b)
    # the open case is the answer to "hi": no greeting and "How can I help?" after its question (session 45's new
    # user: two questions back to back)
    [offer] = replies
    assert offer["text"] == "Welcome back. You were on step 3 of resetting your password in the chat. Shall we continue?"
    assert [button["payload"] for button in offer["buttons"]] == ["/reset_password", "/deny"]

    resumed = texts(servers.say(b, "yes", customer_token=token_b))
    assert "Step 3 of 4: open the e-mail from QX Shop and click the reset link within 30 minutes." in resumed
    assert "finished step 2" in resumed
    slots = servers.tracker(b)["slots"]
    assert slots["open_case"] is None and slots["reset_next_step"] == 3.0


def test_reset_left_at_step_3_on_the_web_chat_continues_on_rest(servers):
    """The issue's scenario: web chat with a signed token, REST with the same verified phone."""
    phone = "+447700900777"

    async def web_chat():
        async with ChatClient(servers.url) as chat:
            session_id = await chat.start(token=token("site-web-w", phone=phone), language="en")
            for message in ("I forgot my password", "done", "done"):  # steps 1 and 2 done, step 3 asked
                await chat.say(message)
            assert "Step 3 of 4" in texts(chat.of("bot_uttered"))
            return session_id

    web = conversation_of(asyncio.run(web_chat()))
    rest, rest_token = "open-case-after-web", token("site-web-r", phone=phone)
    greeting = texts(servers.say(rest, "hi", customer_token=rest_token))
    assert "You were on step 3 of resetting your password on the website. Shall we continue?" in greeting
    resumed = texts(servers.say(rest, "yes", customer_token=rest_token))
    assert "Step 3 of 4" in resumed

    # A ticket raised afterwards shows both channels and the whole transcript.
    servers.login("agent4", "pass-word-1")
    assert "colleague" in texts(servers.say(rest, "I want to talk to a human", customer_token=rest_token))
    agent = servers.login("agent4", "pass-word-1")
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": rest}).json()
    packet = servers.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()["packet"]
    assert packet["channels_used"] == ["rest", "web"]
    assert {c["conversation_id"] for c in packet["conversations"]} == {web, rest}
    lines = [(m["channel"], m["from"], m["text"]) for m in packet["transcript"]]
    customer_lines = [line for line in lines if line[1] == "customer"]
    assert customer_lines == [
        ("web", "customer", "I forgot my password"), ("web", "customer", "done"), ("web", "customer", "done"),
        ("rest", "customer", "hi"), ("rest", "customer", "yes"), ("rest", "customer", "I want to talk to a human"),
    ]
    assert any(channel == "web" and "Step 3 of 4" in text for channel, who, text in lines if who == "bot")


def test_open_case_greeting_in_chinese_and_no_thanks(servers):
    c, d = "open-case-c", "open-case-d"
    token_c = token("site-open-c", phone="+447700900666")
    servers.say(c, "我忘记密码了", customer_token=token_c)
    servers.say(c, "好了", customer_token=token_c)
    greeting = texts(servers.say(d, "你好", customer_token=token("site-open-d", phone="+447700900666"),
                                 language="zh"))
    assert "进行到第 2 步" in greeting
    declined = texts(servers.say(d, "不用了"))
    assert "有什么可以帮您" in declined and "第 2 步" not in declined
    assert servers.tracker(d)["slots"]["open_case"] is None


def test_a_queued_customer_who_writes_on_another_channel_reaches_the_same_ticket(servers):
    """A fresh new user (session 45): queued on the web chat, the customer wrote on another channel and was told
    "You are still in the queue", but the message never reached the ticket and the bot answered it as well. Now
    the ticket follows the customer: the message is filed on it, the agent's reply and the close reach them where
    they write now, and writing on the first chat again brings the ticket back there."""
    b = "open-queue-b"
    agent = servers.login("agent4", "pass-word-1")  # an agent online: the ticket is queued

    async def queued_on_the_web_chat():
        async with ChatClient(servers.url) as chat:
            session_id = await chat.start(token=token("site-q-a", phone=QUEUE_PHONE), language="en")
            await chat.say("I want to talk to a human")
            assert "colleague" in texts(chat.of("bot_uttered"))
            return session_id

    secret = asyncio.run(queued_on_the_web_chat())
    a = conversation_of(secret)
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": a}).json()
    with SqlAlchemyUnitOfWork() as uow:  # other tests of this server may have queued tickets too
        position = uow.tickets.position(uow.tickets.get(ticket["ticket_id"]))

    written = "any news? my order QX-100002 still hasn't come"
    replies = texts(servers.say(b, written, customer_token=token("site-q-b", phone=QUEUE_PHONE)))
    assert "Your request for a colleague on the website continues here" in replies
    assert f"I've added that to your case. You're number {position} in the queue" in replies
    assert "has shipped" not in replies  # the bot does not answer over the person it is queued for
    assert servers.tracker(b)["slots"]["handoff_state"] == "queued"

    detail = servers.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()
    assert detail["state"] == "queued" and detail["packet"]["channels_used"] == ["rest", "web"]
    assert servers.api("GET", "/tickets", agent, params={"conversation_id": b}).json()[0]["ticket_id"] == \
        ticket["ticket_id"]
    customer_lines = [(m["channel"], m["text"]) for m in detail["transcript"] if m["from"] == "customer"]
    assert customer_lines[-2:] == [("web", "I want to talk to a human"), ("rest", written)]
    assert {"kind": "continued", "from_channel": "web", "to_channel": "rest"}.items() <= \
        [h for h in detail["history"] if h["kind"] == "continued"][0].items()
    assert (detail["packet"]["conversation_id"], detail["packet"]["channel"]) == (b, "rest")  # where replies go
    assert ticket["ticket_id"] in servers.api("GET", "/search", agent, params={"q": a}).text  # found by the first chat

    # the agent's words reach the customer where they write now
    assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/claim", agent).status_code == 200
    assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/messages", agent,
                       json={"text": "Hi, it's with the courier: you'll have it tomorrow."}).status_code in (200, 201)
    outbox = texts(servers.outbox(b))
    assert "has joined the chat" in outbox and "you'll have it tomorrow" in outbox

    # back on the first chat: the ticket comes back with the message, and the close is said there
    async def back_on_the_web_chat():
        async with ChatClient(servers.url) as chat:
            await chat.start(session_id=secret, token=token("site-q-a", phone=QUEUE_PHONE), language="en")
            await chat.say("thanks, and can it come before noon?")
            return texts(chat.of("bot_uttered"))

    said = asyncio.run(back_on_the_web_chat())
    # where the agent answers now (a fresh new user, session 46: going back got no answer at all)
    assert "Agent 4 from our support team" in said and "answer you in this chat" in said
    assert "opening hours" not in said.lower()
    after = servers.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()
    assert servers.api("GET", "/tickets", agent, params={"conversation_id": a}).json()[-1]["ticket_id"] == \
        ticket["ticket_id"]
    assert [(m["channel"], m["text"]) for m in after["transcript"] if m["from"] == "customer"][-1] == (
        "web", "thanks, and can it come before noon?")
    assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", agent,
                       json={"disposition": "resolved"}).status_code == 200

    # the chat the ticket left serves again: its next message is answered by the bot, not swallowed
    answered = texts(servers.say(b, "what are your opening hours?", customer_token=token("site-q-b", phone=QUEUE_PHONE)))
    assert answered and servers.tracker(b)["slots"]["handoff_state"] is None


def test_the_agents_reply_waiting_on_rest_is_pushed_to_the_web_chat_the_customer_writes_from(servers):
    """Session 46 left it open: the agent's replies not yet delivered on the chat a ticket left moved with it, but
    an open web chat got them only when it reconnected. Now they are pushed with the turn that moved the ticket."""
    phone, first = "+447700900314", "push-follow-a"
    agent = servers.login("agent4", "pass-word-1")
    servers.say(first, "I want to talk to a human", customer_token=token("site-push-a", phone=phone))
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": first}).json()
    path = f"/tickets/{ticket['ticket_id']}"
    assert servers.api("POST", f"{path}/claim", agent).status_code == 200
    assert servers.api("POST", f"{path}/messages", agent,
                       json={"text": "Refund sent: 3 to 5 working days."}).status_code in (200, 201)

    async def on_the_web_chat():  # the REST client never fetched the reply; the customer opens the website chat
        async with ChatClient(servers.url) as chat:
            await chat.start(token=token("site-push-b", phone=phone), language="en")
            mark = len(chat.events)
            await chat.say("I'm on the website now")
            pushed = await chat.wait_for("bot_uttered", mark, timeout=20,
                                         where=lambda m: "Refund sent" in (m.get("text") or ""))
            return pushed, chat.conversation_id

    opened = time.time()
    pushed, second = asyncio.run(on_the_web_chat())
    assert (pushed["from"], pushed["agent"]) == ("agent", "Agent 4")
    assert pushed["timestamp"] < opened  # shown when the agent wrote it, before the customer's message
    detail = servers.api("GET", path, agent).json()
    assert detail["packet"]["conversation_id"] == second
    assert "Refund sent" not in texts(servers.outbox(first))  # not left on the chat it came from
    with SqlAlchemyUnitOfWork() as uow:  # marked delivered: not sent again when the tab reconnects
        assert [row["delivered"] for row in uow.outbox.all_for(second) if "Refund sent" in row["message"]["text"]] == [
            True]


def test_the_web_chat_a_ticket_left_is_told_at_once_that_it_is_the_bots_again(servers):
    """Session 46 left it open: the web chat a ticket left kept saying "with Agent 4" in its header."""
    phone, second = "+447700900315", "push-follow-rest"
    agent = servers.login("agent4", "pass-word-1")

    async def served_on_the_web_chat_then_written_on_rest():
        async with ChatClient(servers.url) as chat:
            await chat.start(token=token("site-push-web", phone=phone), language="en")
            await chat.say("I want to talk to a human")
            [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": chat.conversation_id}).json()
            assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/claim", agent).status_code == 200
            await chat.wait_for("bot_uttered", where=lambda m: m.get("from") == "system")  # "Agent 4 has joined"
            mark = len(chat.events)  # the tab stays open while the customer writes from their REST app
            await asyncio.to_thread(servers.say, second, "I'm in the app now",
                                    customer_token=token("site-push-rest", phone=phone))
            return ticket, await chat.wait_for("status", mark, timeout=20, where=lambda s: s.get("state") == "bot")

    ticket, status = asyncio.run(served_on_the_web_chat_then_written_on_rest())
    assert status == {"state": "bot"}
    assert servers.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()["packet"]["conversation_id"] == second


def test_a_rest_client_that_looked_before_gets_the_replies_that_came_with_the_ticket_in_its_answer(servers):
    """Session 46 left it open: the REST channel reads the outbox after a turn only when it may have changed
    (issue 16), so a REST client that had looked before got the replies that came with the ticket up to 2 minutes
    later, at its next fetch."""
    phone, second = "+447700900316", "push-follow-rest-2"
    agent = servers.login("agent4", "pass-word-1")
    servers.say(second, "what are your opening hours?", customer_token=token("site-push-rest-2", phone=phone))
    assert servers.outbox(second) == []  # this REST client has looked at its outbox before

    async def queued_on_the_web_chat():
        async with ChatClient(servers.url) as chat:
            await chat.start(token=token("site-push-web-2", phone=phone), language="en")
            await chat.say("I want to talk to a human")
            return chat.conversation_id

    first = asyncio.run(queued_on_the_web_chat())  # then the tab is closed
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": first}).json()
    path = f"/tickets/{ticket['ticket_id']}"
    assert servers.api("POST", f"{path}/claim", agent).status_code == 200
    assert servers.api("POST", f"{path}/messages", agent,
                       json={"text": "Found it: the parcel is at the depot."}).status_code in (200, 201)

    answer = texts(servers.say(second, "I'm in the app now", customer_token=token("site-push-rest-2", phone=phone)))
    assert "has joined the chat" in answer and "Found it: the parcel is at the depot." in answer


def test_the_open_case_is_told_in_the_language_of_the_message_that_starts_the_session(servers):
    """Session 46 left it open: the session start sees the first message's metadata, not its text, so a request
    made in English was announced in English on a chat where the customer now writes Chinese, and the rest of the
    answer came in Chinese."""
    phone = "+447700900317"
    servers.login("agent4", "pass-word-1")  # an agent online: the ticket is queued
    servers.say("lang-follow-a", "I want to talk to a human", customer_token=token("site-lang-a", phone=phone))
    said = texts(servers.say("lang-follow-b", "我的包裹到哪里了？", customer_token=token("site-lang-b", phone=phone)))
    assert "欢迎回来" in said and "Welcome back" not in said and "queue" not in said

    async def on_an_english_web_page():  # the widget's UI in English, the customer writing Chinese (helper-219)
        async with ChatClient(servers.url) as chat:
            await chat.start(token=token("site-lang-c", phone=phone), language="en")
            return texts(await chat.say("还在排队吗？"))

    said = asyncio.run(on_an_english_web_page())
    assert "欢迎回来" in said and "Welcome back" not in said


def test_anonymous_and_unverified_conversations_hear_no_open_case(servers):
    # The phone typed, or claimed as an IVR caller over REST, proves nothing.
    reply = texts(servers.say("open-case-stranger", f"hi, my phone is {PHONE}", caller=PHONE, channel="ivr"))
    assert "Welcome back" not in reply and "queue" not in reply
    assert servers.tracker("open-case-stranger")["slots"]["session_started_metadata"]["channel"] == "rest"


class RasaWithoutActionServer(Servers):
    """Only Rasa: its action endpoint points at a port nobody listens on."""

    def start(self) -> "RasaWithoutActionServer":
        rasa, rasa_log = self.start_rasa()  # ACTIONS_PORT: a free port nobody listens on
        wait_for(f"{self.url}/", rasa, rasa_log)
        return self


@pytest.fixture(scope="module")
def rasa_alone(tmp_path_factory, trained_model):
    yield from run_servers(tmp_path_factory, "rasa-alone", servers_class=RasaWithoutActionServer)


def test_a_dead_action_server_does_not_stop_responses(rasa_alone):
    # action_session_start is a custom action now: when it cannot run, Rasa's
    # default session start is used (bot/handover/session_start.py), so the first message
    # is answered as before; answers that need no custom action still come.
    reply = texts(rasa_alone.say("no-actions", "hi", customer_token=token("site-x", phone=PHONE)))
    assert "Hi, welcome to QX Shop" in reply
    assert "Hi, welcome to QX Shop" in texts(rasa_alone.say("no-actions", "hello"))
    log = (rasa_alone.workdir / "rasa.log").read_text()
    assert "Rasa's default session start used" in log


def test_a_reset_a_colleague_resolved_is_not_offered_again(servers):
    """A fresh new user (session 45): the agent fixed the password reset and closed the ticket "resolved", yet every
    new chat and call still offered "continue your password reset at step 3". Closed ``follow_up``, it stays."""
    phone = "+447700900888"
    a, b, c = "open-case-resolved-a", "open-case-resolved-b", "open-case-resolved-c"
    token_a = token("site-resolved-a", phone=phone)
    for message in ("I forgot my password", "done", "done"):
        servers.say(a, message, customer_token=token_a)
    agent = servers.login("agent4", "pass-word-1")
    assert "colleague" in texts(servers.say(a, "I want to talk to a human", customer_token=token_a))
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": a}).json()

    # closed for a follow-up: the reset is still open, and offered in a new conversation
    assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/claim", agent).status_code == 200
    assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", agent,
                       json={"disposition": "follow_up"}).status_code == 200
    offered = texts(servers.say(b, "hi", customer_token=token("site-resolved-b", phone=phone)))
    assert "You were on step 3 of resetting your password" in offered

    # the same case raised again and resolved by the colleague: nothing to continue on any channel
    assert "colleague" in texts(servers.say(a, "I want to talk to a human", customer_token=token_a))
    [again] = [t for t in servers.api("GET", "/tickets", agent, params={"conversation_id": a}).json()
               if t["state"] != "closed"]
    assert servers.api("POST", f"/tickets/{again['ticket_id']}/claim", agent).status_code == 200
    assert servers.api("POST", f"/tickets/{again['ticket_id']}/messages", agent,
                       json={"text": "I've reset it for you: check your inbox."}).status_code in (200, 201)
    assert servers.api("POST", f"/tickets/{again['ticket_id']}/close", agent,
                       json={"disposition": "resolved"}).status_code == 200
    greeting = texts(servers.say(c, "hi", customer_token=token("site-resolved-c", phone=phone)))
    assert "resetting your password" not in greeting and "step" not in greeting
    started = texts(servers.say(c, "I forgot my password", customer_token=token("site-resolved-c", phone=phone)))
    assert "Step 1 of 4" in started and "Welcome back" not in started


@pytest.mark.parametrize("messages, restated", [
    (["I forgot my password", "done", "done", "done", "it didn't work"],
     "still not working, it won't let me set a new password"),
    (["我忘记密码了", "好了", "好了", "好了", "不行"], "还是不行，新密码设置不了"),
])
def test_restating_the_problem_on_a_failed_step_counts_as_its_second_failure(servers, messages, restated):
    """A fresh new user (session 45): after "it didn't work" on step 4, "still not working, it won't let me set a new
    password" (read as ``reset_password``) restarted the flow with "Welcome back! … continue with step 4" and counted
    no failure: it took four failures to reach a person. Now it is the step's second failure: a hand-over."""
    sender = f"reset-restated-{len(restated)}"
    servers.login("agent4", "pass-word-1")  # an agent online: the hand-over is queued
    for message in messages:
        replies = texts(servers.say(sender, message))
    assert "Step 4" in replies or "第 4 步" in replies or "再试" in replies or "try" in replies.lower()
    handed = texts(servers.say(sender, restated))
    assert "Welcome back" not in handed and "欢迎回来" not in handed
    agent = servers.login("agent4", "pass-word-1")
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": sender}).json()
    packet = servers.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()["packet"]
    assert packet["reason"]["code"] == "flow_exhausted"
    # what was tried, without reading the transcript (the same new user: only the steps done were listed)
    assert [step.split(".")[0] for step in packet["troubleshooting"]["steps_failed"]] == ["4", "4"]
    assert "Failed: step 4 (2×)." in packet["summaries"]["en"] and "未成功：第 4 步（2 次）。" in packet["summaries"]["zh"]


def test_asking_for_the_reset_again_on_a_step_asks_the_step_again_without_welcome_back(servers):
    sender = "reset-asked-again"
    for message in ("I forgot my password", "done"):
        servers.say(sender, message)
    again = texts(servers.say(sender, "I forgot my password"))
    assert "Welcome back" not in again and "Step 2 of 4" in again


def test_anger_during_a_reset_is_not_sent_to_the_security_team(servers):
    """A fresh new user (session 45): 还是不行！！你们这个破网站搞了半个小时了，气死我了, said on a failed reset step, was read as
    ``report_fraud`` (0.60): the customer was told a security colleague would handle it and to call their bank, and
    the ticket was filed under ``security``. It is handed over as an upset customer about the password."""
    sender = "reset-angry-zh"
    agent = servers.login("agent4", "pass-word-1")
    for message in ("我忘记密码了", "好了", "不行，没有收到邮件"):
        servers.say(sender, message)
    handed = texts(servers.say(sender, "还是不行！！你们这个破网站搞了半个小时了，气死我了"))
    assert "安全团队" not in handed and "银行" not in handed
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": sender}).json()
    detail = servers.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()
    assert "security" not in detail["skills"]
    assert detail["skills"] == ["zh", "account"]


def queued_then_written_elsewhere(servers, agent, phone, first, second, asked, written):
    """A verified customer (two site accounts, one phone) asks for a person on ``first`` (REST), then writes
    ``written`` on ``second``: the ticket follows them there. Returns the ticket as the agent API lists it."""
    servers.say(first, asked, customer_token=token(f"site-{first}", phone=phone))
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": first}).json()
    servers.say(second, written, customer_token=token(f"site-{second}", phone=phone))
    return ticket


def test_the_rating_is_taken_on_the_chat_the_ticket_followed_the_customer_to(servers):
    """A fresh new user (session 46): closed on the chat it had followed the customer to, the ticket's rating
    question came, but the answer "5" was read as a new request and never stored (that chat had not handed it
    over). And a ticket closed there without a reply says so instead of asking for a rating."""
    phone = "+447700900313"
    first, second = "rating-follow-a", "rating-follow-b"
    agent = servers.login("agent4", "pass-word-1")
    ticket = queued_then_written_elsewhere(servers, agent, phone, first, second, "I want to talk to a human",
                                           "I'm on my phone now")
    path = f"/tickets/{ticket['ticket_id']}"
    assert servers.api("POST", f"{path}/claim", agent).status_code == 200
    assert servers.api("POST", f"{path}/messages", agent, json={"text": "Done: refunded."}).status_code in (200, 201)
    assert servers.api("POST", f"{path}/close", agent, json={"disposition": "resolved"}).status_code == 200
    assert "rate the help you got" in texts(servers.outbox(second))
    thanked = texts(servers.say(second, "5", customer_token=token(f"site-{second}", phone=phone)))
    assert "Thank you for your rating" in thanked
    assert servers.api("GET", path, agent).json()["history"][-1]["kind"] == "csat"

    # closed unanswered on the chat it followed the customer to: told plainly, no rating asked
    servers.say(first, "I want to talk to a human", customer_token=token(f"site-{first}", phone=phone))
    [again] = [t for t in servers.api("GET", "/tickets", agent, params={"conversation_id": first}).json()
               if t["state"] != "closed"]
    third = "rating-follow-c"
    servers.say(third, "still there?", customer_token=token("site-rate-c", phone=phone))
    supervisor = servers.login("alice", "pass-word-1")
    assert servers.api("POST", f"/tickets/{again['ticket_id']}/close", supervisor,
                       json={"disposition": "no_response"}).status_code == 200
    told = texts(servers.outbox(third))
    assert "closed your request without a colleague replying" in told and "rate the help" not in told


def test_a_request_filed_on_a_chat_only_remembered_as_hers_stays_there(servers):
    """helper-220 (session 48): a stranger wrote without a token on a chat remembered as a customer's (she had
    signed in there) and asked for a person; the ticket, filed for her with ``verification: none``, followed her to
    her next signed-in chat, the stranger's words first on it. Her own signed-in request still follows her."""
    phone = "+447700900848"
    shared, hers = "remembered-shared", "remembered-hers"
    agent = servers.login("agent4", "pass-word-1")  # an agent online: the ticket is queued
    servers.say(shared, "hi", customer_token=token("site-remembered", phone=phone))
    assert "colleague" in texts(servers.say(shared, "I want to talk to a person, my name is Bob"))
    [filed] = servers.api("GET", "/tickets", agent, params={"conversation_id": shared}).json()
    packet = servers.api("GET", f"/tickets/{filed['ticket_id']}", agent).json()["packet"]
    assert packet["customer"]["verification"] == "none"

    greeting = texts(servers.say(hers, "hi", customer_token=token("site-remembered", phone=phone)))
    assert "continues here" not in greeting
    assert servers.api("GET", "/tickets", agent, params={"conversation_id": hers}).json() == []
    [still] = servers.api("GET", "/tickets", agent, params={"conversation_id": shared}).json()
    assert still["ticket_id"] == filed["ticket_id"] and still["state"] == "queued"


def test_a_request_filed_after_a_code_does_not_take_the_customers_own_place(servers, monkeypatch):
    """helper-221 (session 48): a visitor on a signed-out chat passed a one-time code for her order and asked for a
    person; when the customer wrote signed in on another chat, the visitor's newer ticket followed her there (a code
    proves an order's contact, not who writes) and hers stayed behind. Now her own request follows her."""
    from datetime import datetime, timedelta, timezone

    from tests.integration.test_order_security import last_code
    from tests.rows import RowsUnitOfWork

    monkeypatch.setenv("DATABASE_URL", servers.database_url)  # not this module's rasa_alone's, if it is running
    email = "owner-48@example.com"
    with RowsUnitOfWork() as uow:
        now = datetime.now(timezone.utc)
        uow.orders.add(order_number="QX-100049", customer_name="Owner Fortyeight", email=email, phone="+447700900849",
                       status="shipped", carrier="DHL", tracking_number="JD014600049", shipping_address="1 High St",
                       placed_at=now - timedelta(days=2), estimated_delivery=now + timedelta(days=1))
        uow.commit()
    agent = servers.login("agent4", "pass-word-1")  # an agent online: the tickets are queued
    own, visitor, later = "own-request-48", "code-visitor-48", "own-later-48"
    assert "colleague" in texts(servers.say(own, "I want to talk to a person", customer_token=token("site-own-48",
                                                                                                    email=email)))
    [mine] = servers.api("GET", "/tickets", agent, params={"conversation_id": own}).json()
    assert "I can send a code" in texts(servers.say(visitor, "where is my order QX-100049?"))
    assert "e-mail address or mobile number on order QX-100049" in texts(servers.say(visitor, "yes"))
    sent = texts(servers.say(visitor, email))
    assert "code" in sent, sent
    assert "JD014600049" in texts(servers.say(visitor, last_code(email)))
    assert "colleague" in texts(servers.say(visitor, "I want to talk to a person"))
    [theirs] = servers.api("GET", "/tickets", agent, params={"conversation_id": visitor}).json()
    packet = servers.api("GET", f"/tickets/{theirs['ticket_id']}", agent).json()["packet"]
    assert packet["customer"]["verification"] == "order_contact"

    greeting = texts(servers.say(later, "hi", customer_token=token("site-own-48", email=email)))
    assert "continues here" in greeting
    assert [t["ticket_id"] for t in servers.api("GET", "/tickets", agent, params={"conversation_id": later}).json()] \
        == [mine["ticket_id"]]
    assert [t["ticket_id"] for t in servers.api("GET", "/tickets", agent, params={"conversation_id": visitor}).json()] \
        == [theirs["ticket_id"]]
