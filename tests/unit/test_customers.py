"""Signed customer tokens, linking rules and the customer repository (SQLite)."""
import logging
import time

import jwt
import pytest
from sqlalchemy.exc import IntegrityError

from bot.customers.evidence import Evidence, evidence_of
from bot.customers.model import owns_order
from bot.services.customers import passed_proofs, resolve
from bot.storage.db import CustomerIdentityRow
from bot.customers.identity import CustomerClaims, verify_customer_token
from bot.handover.troubleshooting import Progress
from tests.rows import RowsUnitOfWork

SECRET = "test-secret-please-change-0123456789"


def token(secret=SECRET, exp_in=600, **claims):
    payload = {"sub": "site-1", "exp": int(time.time()) + exp_in, **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


def user(text, entities=(), metadata=None, channel="rest"):
    return {"event": "user", "text": text, "input_channel": channel, "metadata": metadata or {},
            "parse_data": {"text": text, "intent": {"name": "x"}, "entities": list(entities)}}


def entity(kind, value):
    return {"entity": kind, "value": value}


# --- JWT ------------------------------------------------------------------------------

def test_good_token_gives_its_claims():
    claims = verify_customer_token(token(name="Emma", email="Emma@Example.com", phone="+447700900111"), SECRET)
    assert claims == CustomerClaims(sub="site-1", name="Emma", email="emma@example.com", phone="+447700900111")


def test_bad_signature_is_refused_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.customers.identity"):
        assert verify_customer_token(token(secret="another-secret-another-secret-00"), SECRET) is None
    assert "InvalidSignatureError" in caplog.text
    forged = token()  # and the token itself is never logged
    assert forged not in caplog.text


def test_expired_token_is_refused(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.customers.identity"):
        assert verify_customer_token(token(exp_in=-60), SECRET) is None
    assert "expired" in caplog.text


def test_missing_secret_refuses_every_token(caplog, monkeypatch):
    monkeypatch.delenv("WEBCHAT_TOKEN_SECRET", raising=False)
    with caplog.at_level(logging.WARNING, logger="bot.customers.identity"):
        assert verify_customer_token(token()) is None
    assert "WEBCHAT_TOKEN_SECRET is not set" in caplog.text
    monkeypatch.setenv("WEBCHAT_TOKEN_SECRET", SECRET)
    assert verify_customer_token(token()).sub == "site-1"


@pytest.mark.parametrize("bad", [
    None, 42, "not-a-jwt", jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, key=None, algorithm="none"),
    jwt.encode({"sub": "x"}, SECRET, algorithm="HS256"),  # no exp
    jwt.encode({"exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),  # no sub
    jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, SECRET, algorithm="HS512"),
])
def test_malformed_unsigned_or_incomplete_tokens_are_refused(bad):
    assert verify_customer_token(bad, SECRET) is None


def test_a_phone_claim_that_is_not_e164_is_dropped_not_trusted():
    claims = verify_customer_token(token(phone="07700 900111", email="nope"), SECRET)
    assert claims.sub == "site-1" and claims.phone is None and claims.email is None


# --- evidence: what counts as verified --------------------------------------------------

def test_token_in_metadata_is_evidence_but_typed_phone_is_not(uow):
    with uow:
        typed_only = evidence_of("r1", "rest", [user("my phone is +447700900111", [entity("phone", "+447700900111")])],
                                 (), SECRET)
        signed = evidence_of("r2", "rest", [user("hi", metadata={"customer_token": token(phone="+447700900111")})],
                             (), SECRET)
    assert typed_only.facts == [] and typed_only.verification == "none"
    assert {(f.kind, f.value, f.source) for f in signed.facts} == {
        ("web", "site-1", "token"), ("phone", "+447700900111", "token")}
    assert signed.verification == "token"


def test_invalid_token_gives_no_evidence(uow):
    with uow:
        evidence = evidence_of("r3", "rest", [user("hi", metadata={"customer_token": token(exp_in=-5)})],
                               (), SECRET)
    assert evidence.facts == []


def test_caller_id_counts_only_on_the_ivr_channel_and_openid_only_on_wechat():
    ivr = evidence_of("ivr-c1", "ivr", [user("hello", metadata={"caller": "+8613800138000"}, channel="ivr")])
    rest = evidence_of("r4", "rest", [user("hello", metadata={"caller": "+8613800138000"})])
    wechat = evidence_of("oABC123", "wechat", [user("你好", channel="wechat")])
    assert [(f.kind, f.value) for f in ivr.facts] == [("phone", "+8613800138000")]
    assert rest.facts == []
    assert [(f.kind, f.value) for f in wechat.facts] == [("wechat", "oABC123")]
    assert (ivr.verification, wechat.verification, rest.verification) == ("platform", "platform", "none")


def pass_code(conversation_id, number="QX-100001", contact="emma.wilson@example.com"):
    """Prove ``contact`` of order ``number`` in ``conversation_id`` the only way there is: a one-time code."""
    import re

    from bot.queue.notifier import FakeNotifier
    from bot.services.otp import start_proof, submit_code

    with RowsUnitOfWork() as uow:
        order = uow.orders.get(number)
    assert start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), conversation_id, order, contact).status == "sent"
    with RowsUnitOfWork() as uow:
        body = uow.notifications.latest(limit=1)[0].body
    code = re.search(r"is (\d{6})\b", body).group(1)
    assert submit_code(RowsUnitOfWork, conversation_id, number, code).status == "passed"


def test_an_order_number_plus_the_email_on_that_order_typed_in_chat_proves_nothing(uow):
    # Before issue 10 this proved the e-mail; now only a one-time code sent to it does.
    events = [user("order QX-100001", [entity("order_number", "QX-100001")]),
              user("emma.wilson@example.com", [entity("email", "emma.wilson@example.com")])]
    with uow:
        typed = evidence_of("r5", "rest", events, passed_proofs(uow, "r5"), SECRET)
    assert typed.facts == [] and typed.verification == "none"
    pass_code("r5")
    with RowsUnitOfWork() as fresh:
        proved = evidence_of("r5", "rest", events, passed_proofs(fresh, "r5"), SECRET)
    assert [(f.kind, f.value, f.source) for f in proved.facts] == [
        ("email", "emma.wilson@example.com", "order_contact")]
    assert proved.display_name == "Emma Wilson" and proved.verification == "order_contact"


def test_six_order_numbers_and_a_phone_in_one_message_link_nobody(database_url):
    # The attack of issue 10: every demo order number plus one customer's phone.
    owner = _resolve("web-owner", "rest", [user("hi", metadata={"customer_token": token(
        sub="s-owner", phone="+8613700002222")})])
    numbers = [f"QX-10000{i}" for i in range(1, 7)]
    text = " ".join(numbers) + " +8613700002222"
    attack = user(text, [entity("order_number", n) for n in numbers] + [entity("phone", "+8613700002222")])
    assert _resolve("rest-attacker", "rest", [attack], {"order_number": "QX-100005", "phone": "+8613700002222"}) is None
    with RowsUnitOfWork() as uow:
        assert uow.customers.find("rest_sender", "rest-attacker") is None
        assert {i.value for i in uow.customers.get(owner.customer_id).identities} == {
            "s-owner", "+8613700002222", "web-owner"}


# --- linking ----------------------------------------------------------------------------

def _resolve(conversation_id, channel, events, slots=None):
    """``slots`` is ignored: what the customer typed (and Rasa put in slots) is no evidence."""
    with RowsUnitOfWork() as uow:
        customer = resolve(uow, conversation_id, channel, evidence_of(
            conversation_id, channel, events, passed_proofs(uow, conversation_id), SECRET))
        uow.commit()
        return customer


def test_shared_verified_phone_links_a_web_customer_and_a_caller(database_url):
    web = _resolve("web-a", "rest", [user("hi", metadata={"customer_token": token(sub="s-1", phone="+447700900111")})])
    call = _resolve("ivr-1", "ivr", [user("hello", metadata={"caller": "+447700900111"}, channel="ivr")])
    assert call.customer_id == web.customer_id
    kinds = {(i.kind, i.value) for i in call.identities}
    assert {("web", "s-1"), ("phone", "+447700900111"), ("rest_sender", "web-a"), ("ivr_call", "ivr-1")} <= kinds


def test_typed_unverified_phone_does_not_link(database_url):
    web = _resolve("web-b", "rest", [user("hi", metadata={"customer_token": token(sub="s-2", phone="+447700900222")})])
    typed = _resolve("wx-open-1", "wechat", [user("my phone is +447700900222", [entity("phone", "+447700900222")],
                                                  channel="wechat")])
    anonymous = _resolve("rest-x", "rest", [user("+447700900222", [entity("phone", "+447700900222")])])
    assert typed.customer_id != web.customer_id
    assert anonymous is None
    with RowsUnitOfWork() as uow:
        assert uow.customers.find("phone", "+447700900222").customer_id == web.customer_id
        assert uow.customers.find("rest_sender", "rest-x") is None


def test_a_code_sent_to_the_order_email_links_wechat_to_the_web_customer(database_url):
    web = _resolve("web-c", "rest", [user("hi", metadata={"customer_token": token(
        sub="s-3", email="emma.wilson@example.com", name="Emma W.")})])
    events = [user("QX-100001", [entity("order_number", "QX-100001")], channel="wechat"),
              user("emma.wilson@example.com", [entity("email", "emma.wilson@example.com")], channel="wechat")]
    typed = _resolve("wx-open-2", "wechat", events)
    assert typed.customer_id != web.customer_id  # typing the order's e-mail is not enough any more
    pass_code("wx-open-2")
    wechat = _resolve("wx-open-2", "wechat", events)
    assert wechat.customer_id == web.customer_id and wechat.display_name == "Emma W."
    assert wechat.verification == "platform"  # the openid is the strongest proof of this conversation
    assert ("wechat", "wx-open-2", True) in {(i.kind, i.value, i.verified) for i in wechat.identities}
    assert ("email", "emma.wilson@example.com", "token") in {(i.kind, i.value, i.source) for i in wechat.identities}


def test_ownership_of_an_order_needs_a_trusted_identity_reached_through_this_conversation(database_url):
    with RowsUnitOfWork() as uow:
        emma, zhang = uow.orders.get("QX-100001"), uow.orders.get("QX-100005")
    by_token = _resolve("web-g", "rest", [user("hi", metadata={"customer_token": token(
        sub="s-7", email="emma.wilson@example.com")})])
    assert owns_order(by_token, emma) == "token" and owns_order(by_token, zhang) is None
    remembered = _resolve("web-g", "rest", [user("again")])  # no token any more: only remembered
    assert remembered.customer_id == by_token.customer_id and remembered.verification == "none"
    assert owns_order(remembered, emma) is None
    caller = _resolve("ivr-z", "ivr", [user("hello", metadata={"caller": "+8613700002222"}, channel="ivr")])
    assert owns_order(caller, zhang) == "platform"
    pass_code("rest-h", "QX-100005", "+8613700002222")
    assert owns_order(_resolve("rest-h", "rest", [user("hi")]), zhang) == "order_contact"


def test_identities_linked_by_the_old_typed_rule_are_no_longer_trusted(database_url):
    with RowsUnitOfWork() as uow:
        victim = uow.customers.create("Zhang Wei")
        uow.customers.link(victim.customer_id, "phone", "+8613700002222", verified=True, source="order:QX-100005")
        uow.commit()
        assert uow.customers.find("phone", "+8613700002222", verified_only=True) is None
    caller = _resolve("ivr-y", "ivr", [user("hello", metadata={"caller": "+8613700002222"}, channel="ivr")])
    with RowsUnitOfWork() as uow:
        identity = uow.customers.find("phone", "+8613700002222", verified_only=True)
    # Proven again by the platform: the identity is trusted from now on, with its new source.
    assert identity.customer_id == caller.customer_id
    assert ("phone", "+8613700002222", "ivr") in {(i.kind, i.value, i.source) for i in identity.identities}


def test_two_customers_proven_the_same_are_merged_with_their_tickets(database_url):
    phone_customer = _resolve("ivr-2", "ivr", [user("hi", metadata={"caller": "+15555550999"}, channel="ivr")])
    web_customer = _resolve("web-d", "rest", [user("hi", metadata={"customer_token": token(sub="s-4")})])
    assert phone_customer.customer_id != web_customer.customer_id
    with RowsUnitOfWork() as uow:  # a ticket filed for the web customer
        from bot.storage.db import TicketRow
        from datetime import datetime, timezone
        now = datetime.now(timezone.utc)
        uow.add(TicketRow(id="TMERGE", conversation_id="web-d", channel="rest", language="en",
                                   state="closed", priority=3, reason_code="customer_request", skills=[],
                                   summary="s", packet={}, customer_id=web_customer.customer_id,
                                   sla_due_at=now))
        uow.commit()
    both = _resolve("web-e", "rest", [user("hi", metadata={"customer_token": token(sub="s-4", phone="+15555550999")})])
    assert both.customer_id == phone_customer.customer_id  # the older customer stays
    with RowsUnitOfWork() as uow:
        assert uow.customers.get(web_customer.customer_id) is None
        assert uow.customers.find("rest_sender", "web-d").customer_id == both.customer_id
        assert len(uow.tickets.recent_for_customer(both.customer_id, now.replace(year=now.year - 1))) == 1


def test_conversation_id_remembers_the_customer_but_never_links(database_url):
    first = _resolve("web-f", "rest", [user("hi", metadata={"customer_token": token(sub="s-5")})])
    later_turn = _resolve("web-f", "rest", [user("hi", metadata={"customer_token": token(sub="s-5")}), user("again")])
    assert later_turn.customer_id == first.customer_id
    no_token = _resolve("web-f", "rest", [user("again")])
    assert no_token.customer_id == first.customer_id
    # Another person logs in on the same conversation: the conversation moves, nobody is merged.
    other = _resolve("web-f", "rest", [user("hi", metadata={"customer_token": token(sub="s-6")})])
    assert other.customer_id != first.customer_id
    with RowsUnitOfWork() as uow:
        assert uow.customers.get(first.customer_id) is not None
        assert uow.customers.find("rest_sender", "web-f").customer_id == other.customer_id


# --- repository -------------------------------------------------------------------------

def test_repository_identity_is_unique_per_kind_and_value(uow):
    with uow:
        a = uow.customers.create("A")
        b = uow.customers.create("B")
        uow.customers.link(a.customer_id, "email", "a@example.com", verified=True, source="token")
        uow.customers.link(a.customer_id, "email", "a@example.com", verified=False)  # never downgraded
        uow.commit()
        assert uow.customers.find("email", "a@example.com", verified_only=True).customer_id == a.customer_id
        uow.add(CustomerIdentityRow(customer_id=b.customer_id, kind="email", value="a@example.com"))
        with pytest.raises(IntegrityError):
            uow.flush()


def test_repository_latest_progress_conversation_and_recent_events(uow):
    with uow:
        for conversation, steps in (("c-old", [1]), ("c-new", [1, 2])):
            progress = Progress(conversation_id=conversation, flow="password_reset")
            for step in steps:
                progress.complete(step)
            uow.progress.save(progress)
            uow.commit()
        assert uow.customers.latest_progress_conversation(["c-old", "c-new"], "password_reset") == "c-new"
        assert uow.customers.latest_progress_conversation(["nobody"], "password_reset") is None
        from datetime import datetime, timezone
        assert uow.customers.recent_events(["c-old"], datetime.now(timezone.utc)) == {}  # no tracker table here


def test_evidence_dedupes_facts():
    evidence = Evidence()
    evidence.add("phone", "+447700900111", "token")
    evidence.add("phone", "+447700900111", "ivr")
    evidence.add("email", None, "token")
    assert len(evidence.facts) == 1
