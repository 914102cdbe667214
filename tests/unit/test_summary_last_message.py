"""A new user's finding on the agent desk: the ticket summary's "Last message" kept the message of the hand-over
while the customer wrote more as they waited. Each customer message filed on the ticket now becomes the
summary's last message (masked), in the packet and in the columns the queue lists (SQL and the fakes)."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.handover.packet import summary_with_last_message, with_last_message
from bot.queue.queue_queries import QueueQuery
from bot.services import tickets as tickets_service
from bot.storage.fakes import FakeUnitOfWork
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.unit.test_services import always_open, handed_over

EN = 'Customer (en, Web chat) asked for a person after 1 message. Last message: "agent please"'
ZH = "客户（英文，网页聊天）要求转人工，共 1 条消息。 最后一句：“agent please”"


def test_the_closing_last_message_is_replaced_in_english_and_chinese():
    assert summary_with_last_message(EN, "en", "still waiting") == (
        'Customer (en, Web chat) asked for a person after 1 message. Last message: "still waiting"')
    assert summary_with_last_message(ZH, "zh", "还在等") == "客户（英文，网页聊天）要求转人工，共 1 条消息。 最后一句：“还在等”"


def test_a_message_quoting_the_words_does_not_fool_the_next_replacement():
    once = summary_with_last_message(EN, "en", 'he said Last message: "x"')
    assert summary_with_last_message(once, "en", "next") == (
        'Customer (en, Web chat) asked for a person after 1 message. Last message: "next"')


def test_a_summary_without_the_part_gets_it_and_a_long_message_is_cut():
    assert summary_with_last_message("Customer asked.", "en", "hi") == 'Customer asked. Last message: "hi"'
    assert summary_with_last_message("", "zh", "你好") == "最后一句：“你好”"
    assert summary_with_last_message(EN, "en", "x" * 500).endswith('"' + "x" * 200 + '"')


def test_the_packet_keeps_its_desk_language_and_an_older_one_language_packet_stays_english():
    packet = {"summary": ZH, "summaries": {"en": EN, "zh": ZH}, "intake": {"order_number": None}}
    after = with_last_message(packet, "later")
    assert after["summaries"] == {"en": EN.replace("agent please", "later"), "zh": ZH.replace("agent please", "later")}
    assert after["summary"] == after["summaries"]["zh"] and after["intake"] == packet["intake"]
    assert packet["summary"] == ZH  # not changed in place
    older = with_last_message({"summary": EN}, "later")
    assert older["summary"] == older["summaries"]["en"] == older["summaries"]["zh"] == EN.replace("agent please", "later")


def _last_message_is(uow, ticket_id: str, words: str) -> None:
    ticket = uow.tickets.get(ticket_id)
    assert ticket.summary.endswith(f'Last message: "{words}"'), ticket.summary
    assert ticket.summaries["en"].endswith(f'Last message: "{words}"')
    assert ticket.summaries["zh"].endswith(f"最后一句：“{words}”")
    assert ticket.packet["summaries"] == ticket.summaries and ticket.packet["summary"] == ticket.summary


def test_each_message_while_waiting_becomes_the_last_message_on_the_fakes():
    uow = FakeUnitOfWork(agents_online=1)
    ticket = handed_over(uow).ticket
    assert 'Last message: "agent please, my card is [card …1111]"' in ticket.summary
    tickets_service.relay_message(uow, "c1", "still waiting, call me on 13900139000", "webchat", always_open())
    with uow:
        _last_message_is(uow, ticket.ticket_id, "still waiting, call me on [phone …9000]")  # masked as the transcript


def test_the_queue_lists_the_latest_message_from_sql(database_url):
    uow = SqlAlchemyUnitOfWork()
    with uow:
        uow.agents.upsert("alice", "pass-word-1", "Alice")
        uow.agents.issue_token("alice")
        uow.commit()
    ticket = handed_over(uow).ticket
    for text in ("hello?", "the parcel is still not here"):
        tickets_service.relay_message(SqlAlchemyUnitOfWork(), "c1", text, "webchat", always_open())
    with SqlAlchemyUnitOfWork() as uow:
        _last_message_is(uow, ticket.ticket_id, "the parcel is still not here")
    page = tickets_service.queue_page(SqlAlchemyUnitOfWork(), QueueQuery(viewer="alice"), datetime.now(timezone.utc))
    [row] = [item for item in page.items if item["ticket_id"] == ticket.ticket_id]
    assert row["summaries"]["en"].endswith('Last message: "the parcel is still not here"')
    assert row["summaries"]["zh"].endswith("最后一句：“the parcel is still not here”")
    view = tickets_service.ticket_view(SqlAlchemyUnitOfWork(), ticket.ticket_id, datetime.now(timezone.utc))
    assert view["packet"]["summaries"]["en"].endswith('Last message: "the parcel is still not here"')
