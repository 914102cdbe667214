"""Customer resolution and linking on FakeUnitOfWork: the fake customers repository is seedable and keeps
the SQL repository's rules (bot/customers/repository.py), so these services run with no database."""
from datetime import timedelta

from bot.customers.evidence import Evidence
from bot.handover.policy import Decision
from bot.handover.troubleshooting import Progress
from bot.services import customers as customers_service
from bot.services.handover import hand_over
from bot.storage.fakes import FakeUnitOfWork
from tests.unit.test_services import NOW, always_open, conversation


def wechat_message(text="hi", at=NOW):
    return {"event": "user", "text": text, "timestamp": at.timestamp(), "input_channel": "wechat", "metadata": {},
            "parse_data": {"intent": {"name": "greet"}, "entities": []}}


def test_a_seeded_customer_is_found_by_a_verified_fact_and_the_conversation_linked():
    uow = FakeUnitOfWork()
    known = uow.customers.seed("Li Na", [("wechat", "openid-1"), ("email", "li.na@example.com")])
    customer = customers_service.link_customer(lambda: uow, "openid-1", "wechat", [wechat_message()])
    assert customer.customer_id == known.customer_id and customer.display_name == "Li Na"
    assert customer.verification == "platform"
    assert uow.commits == 1
    # The fake answers like the SQL repository: found by the conversation from now on.
    assert uow.customers.find("wechat", "openid-1", verified_only=True).customer_id == known.customer_id


def test_an_unproven_conversation_stays_anonymous_and_links_nothing():
    uow = FakeUnitOfWork()
    uow.customers.seed("Li Na", [("web", "site-1")])
    with uow:
        assert customers_service.resolve(uow, "rest-1", "rest", Evidence()) is None
    assert uow.customers.find("rest_sender", "rest-1") is None


def test_two_seeded_customers_sharing_a_verified_fact_become_the_older_one():
    uow = FakeUnitOfWork()
    older = uow.customers.seed("Li Na", [("web", "site-1")])
    newer = uow.customers.seed(None, [("phone", "+447700900111")])
    evidence = Evidence()
    evidence.add("web", "site-1", "token")
    evidence.add("phone", "+447700900111", "token")
    with uow:
        customer = customers_service.resolve(uow, "web-conv-9", "web", evidence)
    assert customer.customer_id == older.customer_id and customer.verification == "token"
    assert uow.customers.get(newer.customer_id) is None
    assert {(i.kind, i.value) for i in customer.identities} >= {
        ("web", "site-1"), ("phone", "+447700900111"), ("web_session", "web-conv-9")}


def test_a_legacy_typed_link_is_not_proof_and_is_upgraded_by_a_real_one():
    uow = FakeUnitOfWork()
    uow.customers.seed("Old", [("email", "li.na@example.com", True, "order:QX-100001")])
    evidence = Evidence()
    evidence.add("email", "li.na@example.com", "token")
    with uow:
        customer = customers_service.resolve(uow, "web-conv-1", "web", evidence)
    assert customer.display_name is None  # a new customer: the legacy link proved nothing
    [email] = [i for i in customer.identities if i.kind == "email"]
    assert email.trusted and email.source == "token"


def test_the_hand_over_packet_carries_a_seeded_customer_and_their_other_conversation():
    """Customer linking feeds the hand-over: the packet names the customer, and their WeChat
    conversation of an hour ago (its openid is its conversation id) joins the transcript and the
    channels used; the password reset they left unfinished there is the packet's troubleshooting."""
    uow = FakeUnitOfWork()
    known = uow.customers.seed("Li Na", [("web", "site-1"), ("wechat", "openid-7")])
    uow.customers.add_events("openid-7", [wechat_message("I can't log in", NOW - timedelta(hours=1)),
                                          wechat_message("too old", NOW - timedelta(days=2))])
    uow.progress.save(Progress("openid-7", "password_reset", steps_done=[1], next_step=2))
    evidence = Evidence()
    evidence.add("web", "site-1", "token")
    with uow:
        customer = customers_service.resolve(uow, "c1", "web", evidence)
    assert customer.conversation_ids == ["openid-7", "c1"]
    done = hand_over(uow, conversation("c1"), Decision("customer_request", "asked"), always_open(),
                     customer=customer, now=NOW)
    packet = done.ticket.packet
    assert packet["customer"]["id"] == known.customer_id and packet["customer"]["display_name"] == "Li Na"
    assert packet["customer"]["verification"] == "token"
    assert done.ticket.customer_id == known.customer_id
    assert [c["conversation_id"] for c in packet["conversations"]] == ["c1", "openid-7"]
    assert packet["channels_used"] == ["web", "wechat"]
    texts = [line["text"] for line in packet["transcript"]]
    assert "I can't log in" in texts and "too old" not in texts
    assert packet["troubleshooting"]["steps_done"][0].startswith("1.")
