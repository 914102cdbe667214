"""Proof before acting on an order (issue 10, items 3 and 4), through the real servers."""
import re
import time
from datetime import datetime, timedelta, timezone

import jwt
from sqlalchemy import update

from bot.storage.db import AgentRow
from bot.text import markdown_to_text

from tests.rows import RowsUnitOfWork
from tests.integration.conftest import WEBCHAT_TOKEN_SECRET

ZHANG = "zhang.wei@example.com"  # QX-100005, processing
ORIGINAL_100005 = "广州市天河区天河路208号 510620"


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def address_of(number):
    with RowsUnitOfWork() as uow:
        return uow.orders.get(number).shipping_address


def codes_sent_to(to):
    with RowsUnitOfWork() as uow:
        return [n.body for n in uow.notifications.latest(to=to)]


def last_code(to):
    return re.search(r"(?:is|为) (\d{6})\b", codes_sent_to(to)[0]).group(1)


def add_processing_order(number, name, email, phone, address):
    """An order placed now, still processing (its address can change), due in three days."""
    with RowsUnitOfWork() as uow:
        now = datetime.now(timezone.utc)
        uow.orders.add(order_number=number, customer_name=name, email=email, phone=phone, status="processing",
                       shipping_address=address, placed_at=now, estimated_delivery=now + timedelta(days=3))
        uow.commit()


def packet_of(servers, sender):
    agent = servers.login("agent4", "pass-word-1")
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": sender}).json()
    return servers.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()["packet"]


def test_a_stranger_cannot_change_the_address_or_see_the_tracking_number(servers):
    sender = "sec-stranger"
    asked = texts(servers.say(sender, "I need to change the delivery address of order QX-100005"))
    assert "e-mail address or mobile number" in asked and "new delivery address" not in asked
    # The old attack: the address typed straight away is not taken as proof, or as anything.
    assert "e-mail address or the mobile number" in texts(servers.say(sender, "221B Baker Street, London NW1 6XE"))
    # A wrong contact gets the answer any contact gets, and no code.
    guessed = texts(servers.say(sender, "attacker@example.com"))
    # markdown: the masked address's stars come escaped (bot/nlg.py), the customer reads them as stars
    assert "If a***@example.com is the e-mail or phone on order QX-100005, a 6-digit code is on its way" in (
        markdown_to_text(guessed))
    # Several guesses in one message are not evaluated at all.
    servers.say(sender, "no")  # stop; the contact question again from the start
    servers.say(sender, "I need to change the delivery address of order QX-100005")
    assert "just one" in texts(servers.say(sender, "zhang.wei@example.com or +8613700002222"))
    assert codes_sent_to(ZHANG) == [] and codes_sent_to("attacker@example.com") == []
    assert "stopped" in texts(servers.say(sender, "no"))
    assert address_of("QX-100005") == ORIGINAL_100005

    status = texts(servers.say(sender, "where is my order QX-100002?"))
    assert "QX-100002" in status and "on its way" in status
    assert "SF1234567890" not in status and "SF Express" not in status
    assert "I can send a code to the e-mail or phone on the order" in status and "sign in" not in status
    status_zh = texts(servers.say("sec-stranger-zh", "我的订单QX-100006到哪了"))
    assert "QX-100006" in status_zh and "已经发货" in status_zh and "1Z999AA10123456784" not in status_zh
    # The refusal for a shipped order gives no tracking number either.
    refused = texts(servers.say(sender, "change the address of QX-100002 please"))
    assert "already shipped" in refused and "SF1234567890" not in refused

    servers.say(sender, "real person please")
    assert packet_of(servers, sender)["customer"]["verification"] == "none"


def test_the_owner_with_the_code_changes_the_address_after_confirming(servers):
    sender = "sec-owner"
    assert "e-mail address or mobile number" in texts(
        servers.say(sender, "I need to change the delivery address of order QX-100005"))
    sent = texts(servers.say(sender, ZHANG))
    assert "If z***@example.com is the e-mail or phone on order QX-100005, a 6-digit code is on its way" in (
        markdown_to_text(sent))
    assert "type the 6-digit code" in sent
    code = last_code(ZHANG)
    assert code not in sent
    asked = texts(servers.say(sender, code))
    assert "code is correct" in asked and "new delivery address for order QX-100005" in asked
    # A question instead of the address is answered, and the address asked for again.
    answered = texts(servers.say(sender, "which payment methods can I use?"))
    assert "PayPal" in answered and "new delivery address for order QX-100005" in answered
    # Another order's number is not an address.
    servers.say(sender, "QX-100001")
    assert servers.tracker(sender)["slots"]["new_address"] is None
    assert address_of("QX-100005") == ORIGINAL_100005

    servers.say(sender, "I want to change the delivery address of order QX-100005")  # proven: no new code
    assert len(codes_sent_to(ZHANG)) == 1
    confirm = texts(servers.say(sender, "88 Harbour Road, Guangzhou 510300"))
    assert "Change the delivery address of QX-100005 to 88 Harbour Road, Guangzhou 510300? yes / no" in confirm
    assert "stopped" in texts(servers.say(sender, "no"))
    assert address_of("QX-100005") == ORIGINAL_100005  # "no" changed nothing

    servers.say(sender, "I want to change the delivery address of order QX-100005")
    servers.say(sender, "88 Harbour Road, Guangzhou 510300")
    done = texts(servers.say(sender, "yes"))
    assert "Done" in done and "88 Harbour Road" in done
    assert address_of("QX-100005") == "88 Harbour Road, Guangzhou 510300"

    status = texts(servers.say(sender, "where is my order QX-100005?"))
    assert "Estimated delivery" in status  # the owner sees the details
    servers.say(sender, "real person please")
    packet = packet_of(servers, sender)
    assert packet["customer"]["verification"] == "order_contact"
    assert ("email", ZHANG) in {(i["channel"], i["id"]) for i in packet["customer"]["identities"]}


def test_six_senders_each_guessing_once_on_one_order_are_stopped(servers):
    add_processing_order("QX-200001", "Guess Target", "target@example.com", "+447700900999", "1 Target Road, Leeds LS1 1AA")
    answers = []
    for i in range(6):
        sender = f"sec-guess-{i}"
        assert "e-mail address or mobile number" in texts(
            servers.say(sender, "I need to change the delivery address of order QX-200001"))
        answers.append(texts(servers.say(sender, f"guess{i}@example.com")))
        # Each learns nothing (the answer any contact gets) and no code exists for them to type.
        assert "code is on its way" in answers[-1]
        assert "isn't right" in texts(servers.say(sender, "123456"))
    assert len(set(answers)) == 1
    assert codes_sent_to("target@example.com") == [] and codes_sent_to("guess0@example.com") == []
    # One stranger keeps guessing in their conversation: told to stop after a few tries.
    stubborn = "sec-guess-0"
    servers.say(stubborn, "654321")
    assert "can't be used any more" in texts(servers.say(stubborn, "654322"))  # 3 wrong tries: a new contact
    assert "code is on its way" in texts(servers.say(stubborn, "guess-again@example.com"))
    replies = [texts(servers.say(stubborn, "I need to change the delivery address of order QX-200001"))]
    assert "too many attempts" in replies[-1]
    assert address_of("QX-200001") == "1 Target Road, Leeds LS1 1AA"


def test_the_owner_is_not_locked_out_by_strangers_guessing(servers):
    add_processing_order("QX-200002", "Lock Target", "owner2@example.com", "+447700900998", "2 Owner Road, Leeds LS1 1AB")
    for i in range(6):  # the review's attack: a wrong contact each, in new conversations
        servers.say(f"sec-lock-{i}", "change the delivery address of QX-200002")
        servers.say(f"sec-lock-{i}", f"guess{i + 1}@example.com")
        servers.say(f"sec-lock-{i}", "000000")
    owner = "sec-lock-owner"
    assert "e-mail address or mobile number" in texts(
        servers.say(owner, "I need to change the delivery address of order QX-200002"))
    contact = texts(servers.say(owner, "owner2@example.com"))
    assert "too many" not in contact and "code is on its way" in contact
    asked = texts(servers.say(owner, last_code("owner2@example.com")))
    assert "code is correct" in asked and "new delivery address for order QX-200002" in asked


def test_a_stranger_gets_the_status_details_with_the_offered_code(servers):
    sender = "sec-details"
    status = texts(servers.say(sender, "where is my order QX-100002?"))
    assert "I can send a code" in status and "SF1234567890" not in status
    assert "e-mail address or mobile number on order QX-100002" in texts(servers.say(sender, "yes"))
    servers.say(sender, "li.na@example.com")
    details = texts(servers.say(sender, last_code("li.na@example.com")))
    assert "code is correct" in details and "SF Express" in details and "SF1234567890" in details
    assert "I can send a code" not in texts(servers.say(sender, "where is my order QX-100002?"))


def test_glitches_after_a_cancel_a_block_and_a_second_request(servers):
    sender = "sec-glitch"
    servers.say(sender, "我想改QX-100001的地址")
    servers.say(sender, "emma.wilson@example.com")
    servers.say(sender, "取消")
    again = servers.say(sender, "我想改QX-100001的地址")
    assert len(again) == 1 and "邮箱或手机号" in again[0]["text"]  # one question, not two

    blocked = "sec-glitch-blocked"
    servers.say(blocked, "change the delivery address of QX-100001")
    for i in range(5):
        servers.say(blocked, f"g{i}@example.com")
        servers.say(blocked, "no")
        servers.say(blocked, "change the delivery address of QX-100001")
    typed = texts(servers.say(blocked, "emma.wilson@example.com"))
    assert "too many attempts" in typed and "being prepared" not in typed  # not a status answer

    with RowsUnitOfWork() as uow:  # nobody online: a request for a person becomes a call-back
        uow.execute(update(AgentRow).values(last_seen_at=datetime.now(timezone.utc) - timedelta(days=1)))
        uow.commit()
    caller = "sec-glitch-callback"
    first = texts(servers.say(caller, "real person please"))
    # no number or address to reach them: the answer comes in this chat (fresh-user report 3)
    assert "A colleague will see our conversation" in first and "answer right here in this chat" in first
    assert "connecting you" not in first  # then "no colleague is free" would contradict it (sixteenth pass)
    second = texts(servers.say(caller, "I want to talk to a real person, I am free after 5pm"))
    # rev14c #2: while the case waits for the call-back every message goes on it, and the customer is told
    assert "connecting you" not in second and "added this to your case" in second
    agent = servers.login("agent4", "pass-word-1")
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": caller}).json()
    transcript = servers.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()["transcript"]
    assert "free after 5pm" in [line["text"] for line in transcript if line["from"] == "customer"][-1]
    assert ticket["state"] == "callback"


def test_a_signed_token_for_the_orders_email_is_proof(servers):
    sender = "sec-token"
    token = jwt.encode({"sub": "site-lina", "exp": int(time.time()) + 600, "email": "li.na@example.com"},
                       WEBCHAT_TOKEN_SECRET, algorithm="HS256")
    status = texts(servers.say(sender, "where is my order QX-100002?", customer_token=token))
    assert "SF Express" in status and "SF1234567890" in status
    servers.say(sender, "real person please", customer_token=token)
    assert packet_of(servers, sender)["customer"]["verification"] == "token"


def test_a_message_without_the_token_on_a_signed_in_chat_proves_nobody(servers):
    """Session 48, a shared computer: a customer signed in, asked about her order and signed out; the next person
    writes in the same chat (the widget kept it) with no token. Before, her earlier token still counted until it
    expired: they got her carrier and tracking number, and the agent was told they were signed in."""
    sender = "sec-shared-computer"
    with RowsUnitOfWork() as uow:
        now = datetime.now(timezone.utc)
        uow.orders.add(order_number="QX-100048", customer_name="Wang Fang", email="wang.fang.48@example.com",
                       phone="+8613800000048", status="shipped", carrier="SF Express", tracking_number="SF4800000048",
                       shipping_address="北京市朝阳区建国路1号 100020", placed_at=now - timedelta(days=2),
                       estimated_delivery=now + timedelta(days=1))
        uow.commit()
    token = jwt.encode({"sub": "site-wang-shared", "exp": int(time.time()) + 600, "email": "wang.fang.48@example.com"},
                       WEBCHAT_TOKEN_SECRET, algorithm="HS256")
    assert "SF4800000048" in texts(servers.say(sender, "where is my order QX-100048?", customer_token=token))
    later = texts(servers.say(sender, "where is my order QX-100048?"))
    assert "SF4800000048" not in later and "SF Express" not in later
    assert "code" in later  # the stranger's answer: the details need a code sent to the order's contact
    servers.say(sender, "real person please")
    assert packet_of(servers, sender)["customer"]["verification"] == "none"
