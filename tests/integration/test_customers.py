"""One customer across conversations, recognised by signed tokens (real servers)."""
import time

import jwt

from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.integration.conftest import WEBCHAT_TOKEN_SECRET

PHONE = "+447700900111"


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def token(sub, secret=WEBCHAT_TOKEN_SECRET, exp_in=600, **claims):
    return jwt.encode({"sub": sub, "exp": int(time.time()) + exp_in, **claims}, secret, algorithm="HS256")


def packet_of(servers, sender):
    agent = servers.login("agent3", "pass-word-1")
    response = servers.api("GET", "/tickets", agent, params={"conversation_id": sender})
    assert response.status_code == 200
    [ticket] = response.json()
    return servers.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()["packet"]


def test_password_reset_resumes_in_another_conversation_with_the_same_verified_phone(servers):
    a, b = "cust-web-a", "cust-web-b"
    token_a = token("site-cust-a", phone=PHONE, name="Emma")
    assert "Step 1" in texts(servers.say(a, "I forgot my password", customer_token=token_a))
    assert "Step 2" in texts(servers.say(a, "done", customer_token=token_a))

    # Another conversation, another site account, the same verified phone.
    token_b = token("site-cust-b", phone=PHONE)
    resumed = texts(servers.say(b, "I forgot my password", customer_token=token_b))
    assert "Welcome back" in resumed and "finished step 1" in resumed and "continue with step 2" in resumed
    assert "Step 2 of 4" in resumed
    with SqlAlchemyUnitOfWork() as uow:
        progress = uow.progress.get(b, "password_reset")
        customer = uow.customers.find("phone", PHONE, verified_only=True)
    assert progress.steps_done == [1] and progress.next_step == 2 and progress.status == "in_progress"
    assert {"site-cust-a", "site-cust-b", a, b} <= {i.value for i in customer.identities}

    assert "colleague" in texts(servers.say(b, "real person please", customer_token=token_b))
    packet = packet_of(servers, b)
    assert packet["customer"]["id"] == customer.customer_id
    identities = {(i["channel"], i["id"]) for i in packet["customer"]["identities"]}
    assert {("rest", a), ("rest", b), ("web", "site-cust-a"), ("web", "site-cust-b"), ("phone", PHONE)} <= identities
    assert {c["conversation_id"] for c in packet["conversations"]} == {a, b}
    assert packet["channels_used"] == ["rest"]
    lines = [(m["conversation_id"], m["from"], m["text"]) for m in packet["transcript"]]
    assert (a, "customer", "I forgot my password") in lines and (a, "customer", "done") in lines
    assert (b, "customer", "real person please") in lines
    assert lines.index((a, "customer", "done")) < lines.index((b, "customer", "I forgot my password"))
    assert packet["troubleshooting"]["steps_done"][0].startswith("1.")
    assert all(PHONE not in m["text"] for m in packet["transcript"])


def test_invalid_token_leaves_the_conversation_anonymous(servers):
    sender = "cust-forged"
    forged = token("site-cust-a", secret="not-the-secret-not-the-secret-00", phone=PHONE)
    reply = texts(servers.say(sender, "I forgot my password", customer_token=forged))
    assert "Step 1" in reply and "Welcome back" not in reply
    expired = token("site-cust-a", exp_in=-30, phone=PHONE)
    servers.say(sender, "real person please", customer_token=expired)
    packet = packet_of(servers, sender)
    assert packet["customer"]["id"] == sender
    assert [c["conversation_id"] for c in packet["conversations"]] == [sender]
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.customers.find("rest_sender", sender) is None
    log = (servers.workdir / "actions.log").read_text()
    assert "customer token ignored: the customer token is not valid (InvalidSignatureError)" in log
    assert "customer token ignored: the customer token has expired" in log
    assert forged not in log and expired not in log


def test_metadata_must_be_an_object(servers):
    bad = servers.rest("POST", json={"sender": "cust-meta", "message": "hi", "metadata": "token"}, timeout=30)
    assert bad.status_code == 400 and "metadata" in bad.json()["error"]
