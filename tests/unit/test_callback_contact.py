"""Issue 14: a phone number or e-mail address the customer gives while their case waits for a call-back
becomes the case's contact (``intake.phone`` / ``intake.email``, unmasked, for the agent), the
transcript keeps it masked, and the customer is told which number was noted (partly hidden)."""
from __future__ import annotations

import pytest

from actions.handoff import contact_noted
from bot.domain import TicketState
from bot.privacy.masking import mask_pii, shown_email, shown_phone
from bot.privacy.scanner import contact_in
from bot.services import tickets as tickets_service
from bot.storage.fakes import FakeUnitOfWork
from bot.text import markdown_to_text
from tests.unit.test_services import always_open, handed_over


@pytest.mark.parametrize("text, phone", [
    ("my new number is 13900139000, please call me on that", "+8613900139000"),
    ("请打这个号码 13800138000", "+8613800138000"),
    ("call me on +44 7700 900123 after 6pm", "+447700900123"),  # found (and masked); not called (callback_refusal)
    ("call me on 139 0013 9000", "+8613900139000"),
    ("my number: 139-0013-9000", "+8613900139000"),
    ("换号码了，新号码１３９００１３９０００，谢谢", "+8613900139000"),  # full-width digits from a Chinese IME
    ("please ring 0044 7700 900123", "+447700900123"),
    ("call +1 (201) 555-0123 tomorrow", "+12015550123"),
    ("座机 010-6552 9988，下午六点以后", "+861065529988"),
    ("new number 13900139000, old one was 13800138000", "+8613900139000"),  # the first one
])
def test_a_phone_number_in_english_or_chinese_is_found_in_e164(text, phone):
    assert contact_in(text) == {"phone": phone, "email": None}


@pytest.mark.parametrize("text, email", [
    ("or mail me at Li.Wei@Example.com", "li.wei@example.com"),
    ("邮箱是 wang_fang@163.com，谢谢", "wang_fang@163.com"),
    ("13812345678@163.com", "13812345678@163.com"),  # an address, not a phone
])
def test_an_email_address_is_found_in_lower_case(text, email):
    assert contact_in(text) == {"phone": None, "email": email}


def test_a_phone_and_an_address_in_one_message_are_both_found():
    assert contact_in("call 13900139000 or write to ann@example.com") == {
        "phone": "+8613900139000", "email": "ann@example.com"}


@pytest.mark.parametrize("text", [
    "my order is QX-123456",
    "订单号 QX123456 还没到",
    "order 20231201123456789012 is late",
    "订单号 12345678901234567890 还没到",
    "my order 13800138000123456789",  # a phone number inside a 20-digit run is no phone
    "order 123456 please",
    "call me after 6pm",
    "请下午六点以后再打给我",
    "call me at 18:30 on 2026-12-01",
    "it cost ¥1380013800",
    "",
])
def test_order_numbers_times_dates_and_prices_are_no_contact(text):
    assert contact_in(text) == {"phone": None, "email": None}


def test_a_stated_time_stays_readable_in_the_masked_transcript():
    assert mask_pii("call me on +44 7700 900123 after 6pm") == "call me on [phone …0123] after 6pm"
    assert mask_pii("请打13800138000，下午六点以后") == "请打[phone …8000]，下午六点以后"


def test_the_noted_contact_is_shown_partly_hidden():
    assert shown_phone("+8613900139000") == "139****9000"
    assert shown_phone("+447700900123") == "+44 ****0123"
    assert shown_phone("+861065529988") == "+86 ****9988"
    assert shown_email("li.wei@example.com") == "l***@example.com"
    # markdown, the mask's stars escaped (no emphasis on the desk: report 1); read as the customer reads it
    en = contact_noted({"phone": "+8613900139000", "email": None}, "en")
    assert "I've noted 139\\*\\*\\*\\*9000 as the number" in en
    en = markdown_to_text(en)
    assert "I've noted 139****9000 as the number to call you back on" in en and "added this to your case" in en
    zh = markdown_to_text(contact_noted({"phone": "+8613800138000", "email": None}, "zh"))
    assert "已记下 138****8000 作为给您回电的号码" in zh and "已补充到您的工单" in zh
    both = contact_noted({"phone": "+8613900139000", "email": "li.wei@example.com"}, "en")
    assert "l***@example.com" in markdown_to_text(both)
    assert "*" not in both.replace("\\*", "")  # two masks in one line: no pair of stars left to make emphasis
    assert contact_noted(None, "en") is None and contact_noted({"phone": None, "email": None}, "zh") is None


def callback_case(uow: FakeUnitOfWork, phone: str = "+8613812345678") -> str:
    """A ticket waiting for a call-back on ``phone`` (nobody online), as the hand-over leaves it."""
    ticket = handed_over(uow).ticket
    assert ticket.state == TicketState.CALLBACK
    assert tickets_service.record_callback(uow, ticket.ticket_id, phone)
    return ticket.ticket_id


def test_a_new_number_on_a_call_back_case_replaces_the_intake_phone_and_stays_masked_in_the_transcript():
    uow = FakeUnitOfWork(agents_online=0)
    ticket_id = callback_case(uow)
    relayed = tickets_service.relay_message(uow, "c1", "my new number is 13900139000, please call me on that",
                                            "webchat", always_open())
    assert relayed.contact == {"phone": "+8613900139000", "email": None}
    assert relayed.ticket.packet["intake"]["phone"] == "+8613900139000"
    assert uow.tickets.get(ticket_id).packet["intake"]["phone"] == "+8613900139000"
    filed = [e for e in uow.tickets.events if e[1] == "message"][-1]
    assert "13900139000" not in filed[3] and "[phone …9000]" in filed[3]
    assert [e[4] for e in uow.tickets.events if e[1] == "callback"][-1] == {"phone": "+8613900139000"}


@pytest.mark.parametrize("text", ["the courier kept calling me from 13812345678, nobody was at the door",
                                  "快递员一直用13912345678给我打电话，但没人送货"])
def test_a_number_only_mentioned_on_a_call_back_case_does_not_replace_the_number_to_call(text):
    """Fresh-user report 5: a number mentioned later replaced the call-back number and the customer was told
    it was noted as the number to call back."""
    uow = FakeUnitOfWork(agents_online=0)
    ticket_id = callback_case(uow, "+8613900139000")
    relayed = tickets_service.relay_message(uow, "c1", text, "webchat", always_open())
    assert relayed.contact is None
    assert uow.tickets.get(ticket_id).packet["intake"]["phone"] == "+8613900139000"
    assert [e[4] for e in uow.tickets.events if e[1] == "callback"] == [{"phone": "+8613900139000"}]
    assert "[phone …" in [e[3] for e in uow.tickets.events if e[1] == "message"][-1]  # on the case, masked


@pytest.mark.parametrize("text, refusal, lang, said", [
    ("call me on +1 900 555 0100 instead", "not_personal", "en", "+19005550100 is a premium-rate"),
    ("请打这个号码 +44 7700 900123", "invalid", "zh", "+447700900123 不是在用的电话号码"),
])
def test_a_number_we_do_not_call_is_not_kept_and_the_customer_is_told(text, refusal, lang, said):
    uow = FakeUnitOfWork(agents_online=0)
    ticket_id = callback_case(uow, "+8613900139000")
    relayed = tickets_service.relay_message(uow, "c1", text, "webchat", always_open())
    assert relayed.contact["phone"] is None and relayed.contact["refused"]["refusal"] == refusal
    assert uow.tickets.get(ticket_id).packet["intake"]["phone"] == "+8613900139000"
    told = contact_noted(relayed.contact, lang, "ADDED")
    assert said in told and told.endswith("ADDED") and "1 to keep waiting" not in told


def test_an_address_on_a_call_back_case_becomes_the_intake_email():
    uow = FakeUnitOfWork(agents_online=0)
    ticket_id = callback_case(uow)
    filed = tickets_service.file_on_callback_case(uow, "c1", "or e-mail me: Ann@Example.com", "webchat")
    assert filed is not None and filed.contact == {"phone": None, "email": "ann@example.com"}
    intake = uow.tickets.get(ticket_id).packet["intake"]
    assert intake["email"] == "ann@example.com" and intake["phone"] == "+8613812345678"


def test_a_message_without_a_contact_or_with_an_order_number_changes_no_intake():
    uow = FakeUnitOfWork(agents_online=0)
    ticket_id = callback_case(uow)
    for text in ("please call me after 6pm", "status of QX-100001?", "order 20231201123456789012"):
        assert tickets_service.relay_message(uow, "c1", text, "webchat", always_open()).contact is None
    assert uow.tickets.get(ticket_id).packet["intake"]["phone"] == "+8613812345678"
    assert [e[3] for e in uow.tickets.events if e[1] == "message"][-3] == "please call me after 6pm"


def test_a_number_sent_to_a_queued_ticket_is_no_call_back_contact():
    uow = FakeUnitOfWork(agents_online=1)
    ticket_id = handed_over(uow).ticket.ticket_id
    relayed = tickets_service.relay_message(uow, "c1", "my number is 13900139000", "webchat", always_open())
    assert relayed.position == 1 and relayed.contact is None
    assert not uow.tickets.get(ticket_id).packet["intake"].get("phone")


def test_an_order_number_given_after_the_hand_over_fills_an_empty_intake_and_replaces_none():
    # a fresh new user's finding (issue 11, sixteenth pass): the ticket kept intake.order_number null
    uow = FakeUnitOfWork(agents_online=0)
    ticket_id = callback_case(uow)
    uow.tickets.get(ticket_id).packet["intake"]["order_number"] = None
    tickets_service.file_on_callback_case(uow, "c1", "my order QX-100003 arrived broken, please call me after 6pm", "rest")
    assert uow.tickets.get(ticket_id).packet["intake"]["order_number"] == "QX-100003"
    tickets_service.relay_message(uow, "c1", "also QX-100004 is late", "rest", always_open())
    assert uow.tickets.get(ticket_id).packet["intake"]["order_number"] == "QX-100003"


def test_a_filed_message_is_scanned_for_pii_once_for_its_masking_and_its_order_number(monkeypatch):
    """Issue 11 follow-up: ``file_customer_message`` scanned each message twice (``mask_pii``, then
    ``extract_intake`` for the order number); one scan serves both, with the same transcript line and intake."""
    from bot.privacy import masking, scanner

    text = "QX-100003 never came, ring 13900139000 or mail Li.Wei@Example.com, card 4111 1111 1111 1111"
    masked = mask_pii(text)
    uow = FakeUnitOfWork(agents_online=0)
    ticket_id = callback_case(uow)
    uow.tickets.get(ticket_id).packet["intake"]["order_number"] = None
    scanned, real = [], scanner.scan

    def counted(value, *args, **kwargs):
        scanned.append(value)
        return real(value, *args, **kwargs)

    for module in (scanner, masking, tickets_service):
        monkeypatch.setattr(module, "scan", counted, raising=False)
    with uow:
        tickets_service.file_customer_message(uow, ticket_id, text, "web")
    assert scanned == [text]
    filed = [e for e in uow.tickets.events if e[1] == "message"][-1]
    assert filed[3] == masked and "[phone …9000]" in masked and "[card …1111]" in masked and "[email]" in masked
    assert uow.tickets.get(ticket_id).packet["intake"]["order_number"] == "QX-100003"
