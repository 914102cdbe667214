"""The desk's SQL read side (bot/queue/queue_queries.py): fields written with a ticket,
cursors, and the idempotent in-place schema upgrade."""
import shutil
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect

from bench.desk import PG_BIN
from bot.queue.queue_queries import (
    BadQuery, decode_cursor, encode_cursor, order_key, phone_digits, ticket_search_fields,
)

HAS_PG = (PG_BIN / "initdb").exists() and bool(shutil.which("runuser"))


def test_fields_written_with_a_ticket_come_from_its_intake_and_text():
    fields = ticket_search_fields({
        "summary": "Parcel LATE", "reason": {"code": "x", "detail": "anger 0.9"},
        "intake": {"order_number": "qx 123 456", "email": " Ann@Example.COM ", "phone": "+44 (20) 7946-0001",
                   "topic": "orders"},
        "transcript": [{"text": "我的包裹"}, "not a message"],
    })
    assert fields == {"order_number": "QX-123456", "contact_email": "ann@example.com",
                      "contact_phone": "442079460001", "search_text": "parcel late anger 0.9 orders 我的包裹"}
    assert ticket_search_fields({})["search_text"] == ""
    assert order_key("QX-12345") is None and phone_digits("12345") is None and phone_digits(None) is None


def test_a_cursor_round_trips_and_a_forged_or_foreign_one_is_refused():
    moment = datetime(2026, 11, 30, 8, 0, 0, 123456, tzinfo=timezone.utc)
    cursor = encode_cursor("priority", (2, moment, "T00000000000A"))
    assert decode_cursor("priority", cursor) == (2, moment, "T00000000000A")
    for sort, bad in (("sla", cursor), ("priority", "!!"), ("priority", encode_cursor("priority", ("2", moment, "x"))),
                      ("waiting", encode_cursor("waiting", ("yesterday", "x")))):
        with pytest.raises(BadQuery):
            decode_cursor(sort, bad)


def test_the_schema_upgrade_is_idempotent(uow):
    from bot.storage.migrations.desk_queue_0003 import upgrade_desk_queue
    from bot.storage.migrations.ticket_stats_0008 import install_ticket_stats
    from bot.storage.migrations.ticket_stats_0012 import install_waiting_counter
    from bot.storage.uow import engine_for
    from bot.settings import get_settings

    engine = engine_for(get_settings().database_url)
    with engine.begin() as connection:  # migrations 0003, 0008 and 0012 again: the first run did everything
        assert upgrade_desk_queue(connection) == [] and install_ticket_stats(connection) == []
        assert install_waiting_counter(connection) == []
    columns = {c["name"] for c in inspect(engine).get_columns("tickets")}
    assert {"order_number", "contact_email", "contact_phone", "search_text", "wait_s", "handle_s"} <= columns
    assert "ix_tickets_open_priority" in {i["name"] for i in inspect(engine).get_indexes("tickets")}


@pytest.mark.parametrize("typed", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678",
                                   "008613812345678", "+8613812345678"])
def test_a_chinese_mobile_in_national_00_or_plus_form_is_one_phone(typed):
    assert phone_digits(typed) == "8613812345678"


@pytest.mark.parametrize("typed", ["0044 7700 900111", "+44 7700 900111", "+447700900111"])
def test_a_foreign_number_with_00_or_plus_is_one_phone(typed):
    assert phone_digits(typed) == "447700900111"


def _ticket(uow, name: str, phone):
    from tests.integration.test_desk_queue import build

    spec = ("queued", "web", "en", 2, 10, 60, f"phone case {name}", {"phone": phone} if phone else {})
    return uow.tickets.add(build(name, spec), "queued")


def test_search_by_phone_finds_the_e164_intake_whatever_form_is_typed(uow):
    from datetime import timedelta

    from tests.integration.test_desk_queue import NOW, tid

    with uow:
        _ticket(uow, "P1", "+8613812345678")
        _ticket(uow, "P2", "+447700900111")
        _ticket(uow, "P3", None)
        # a call-back number recorded after the hand-over (the IVR's) is searchable too
        assert uow.tickets.fill_intake(tid("P3"), "phone", "+8613900001111")
        uow.commit()
    now = NOW + timedelta(minutes=1)
    with uow:
        for typed, name in (("13812345678", "P1"), ("138 1234 5678", "P1"), ("+86 138 1234 5678", "P1"),
                            ("0044 7700 900111", "P2"), ("+44 7700 900111", "P2"), ("139 0000 1111", "P3")):
            assert [t["ticket_id"] for t in uow.queue.search(typed, now).items] == [tid(name)], typed


def test_partial_index_predicates_are_the_migrations_and_come_from_the_domain():
    import importlib

    from bot.storage import db
    from bot.queue import queue_queries
    from bot.domain import TicketState

    migration = importlib.import_module("bot.storage.migrations.versions.0002_one_open_ticket")
    assert db.OPEN_TICKET_STATES_SQL == migration.WHERE
    from bot.storage.migrations import desk_queue_0003, ticket_stats_0008

    # the predicates existing databases' indexes were created with (migration 0003)
    assert queue_queries.OPEN_SQL == "(state || '') IN ('queued', 'with_agent', 'callback')"
    assert queue_queries.WAITING_SQL == "(state || '') IN ('queued', 'callback')"
    assert (desk_queue_0003.OPEN_SQL, desk_queue_0003.WAITING_SQL) == (queue_queries.OPEN_SQL, queue_queries.WAITING_SQL)
    assert ticket_stats_0008.WAITING_CREATED_DDL.endswith(f"WHERE {queue_queries.WAITING_SQL}")
    assert db.states_sql((TicketState.QUEUED, "callback")) == "'queued', 'callback'"


def test_a_common_text_term_is_counted_to_its_page_and_an_offset_gives_the_cursors_page(uow):
    """Issue 16: a term the text index cannot narrow (here two characters) is not counted through
    every match: the total stops after the page (plus one, capped) while more follow; an offset
    reads the same rows as the cursor."""
    common_term_pages(lambda: uow)


@pytest.mark.skipif(not HAS_PG, reason="PostgreSQL 15 is not installed (make postgres-deps)")
def test_a_common_text_term_pages_alike_on_postgres(postgres):
    """The same on PostgreSQL, where a page of a common term is read along the queue's order."""
    from bot.storage.db import make_engine
    from bot.storage.schema import upgrade
    from bot.storage.uow import SqlAlchemyUnitOfWork

    url = postgres("common_term")
    upgrade(url)
    engine = make_engine(url)
    try:
        common_term_pages(lambda: SqlAlchemyUnitOfWork(engine))
    finally:
        engine.dispose()


def common_term_pages(make_uow) -> None:
    from datetime import timedelta

    from bot.queue.queue_queries import QueueQuery
    from tests.integration.test_desk_queue import NOW, build, tid

    uow = make_uow()
    with uow:
        for n in range(7):
            spec = ("queued", "wechat", "zh", 2, 30 - n, 60, f"退款 第{n}次", {})
            uow.tickets.add(build(f"R{n}", spec), "queued")
        uow.commit()
    now = NOW + timedelta(minutes=1)
    with uow:
        first = uow.queue.queue(QueueQuery(viewer="a", q="退款", limit=2), now)
        assert [t["ticket_id"] for t in first.items] == [tid("R0"), tid("R1")]
        assert (first.total, first.extra["total_capped"]) == (3, True) and first.next_cursor
        second = uow.queue.queue(QueueQuery(viewer="a", q="退款", limit=2, cursor=first.next_cursor), now)
        by_offset = uow.queue.queue(QueueQuery(viewer="a", q="退款", limit=2, offset=2), now)
        assert [t["ticket_id"] for t in by_offset.items] == [t["ticket_id"] for t in second.items] == [tid("R2"),
                                                                                                       tid("R3")]
        assert (by_offset.total, by_offset.extra["total_capped"], by_offset.next_offset) == (5, True, 4)
        last = uow.queue.queue(QueueQuery(viewer="a", q="退款", limit=5, offset=5), now)
        assert [t["ticket_id"] for t in last.items] == [tid("R5"), tid("R6")]
        assert (last.total, last.extra["total_capped"], last.next_offset) == (7, False, None)
        assert uow.queue.queue(QueueQuery(viewer="a", q="退款", limit=5, offset=9), now).items == []
        everything = uow.queue.queue(QueueQuery(viewer="a", q="退款", limit=50), now)
        assert (everything.total, everything.extra["total_capped"]) == (7, False)
        found = uow.queue.search("退款", now, limit=4)
        assert (len(found.items), found.total, found.extra["total_capped"], found.next_offset) == (4, 5, True, 4)
        assert (uow.queue.search("退款", now, limit=4, offset=4).total,
                uow.queue.search("退款", now, limit=20).total) == (7, 7)


# Review of issue 12, finding 3: one order-number normaliser (bot.text) for the orders and the queue.
ORDER_FORMS = [
    ("QX-123456", "QX-123456"), ("qx123456", "QX-123456"), ("QX 123456", "QX-123456"),
    ("QX-123 456", "QX-123456"), ("QX_123-456", "QX-123456"), ("  QX-123456  ", "QX-123456"),
    ("ＱＸ－１２３４５６", "QX-123456"), ("QX–123456", "QX-123456"), ("QX—123456", "QX-123456"),
    ("ｑｘ１２３４５６", "QX-123456"), ("QX\u3000123456", "QX-123456"), ("QX-1\u200b23456", "QX-123456"),
    ("QX-12345", None), ("QX-1234567", None), ("AQX-123456", None), ("QY-123456", None), ("", None),
]


@pytest.mark.parametrize("typed,canonical", ORDER_FORMS)
def test_the_queue_and_the_orders_read_an_order_number_alike(typed, canonical):
    from bot.orders.model import normalise_order_number

    assert order_key(typed) == canonical
    assert normalise_order_number(typed) == canonical
    if canonical:  # a whole query is one number; in a sentence, the orders still find it
        assert order_key(f"where is {typed}?") is None
        assert normalise_order_number(f"where is {typed}?") == canonical
    assert order_key(None) is None and order_key(123456) is None


def test_search_finds_an_order_number_typed_full_width_or_with_a_dash(uow):
    from datetime import timedelta

    from tests.integration.test_desk_queue import NOW, build, tid

    with uow:
        uow.tickets.add(build("O1", ("queued", "web", "zh", 2, 10, 60, "包裹没到", {"order": "QX-123456"})), "queued")
        uow.tickets.add(build("O2", ("queued", "web", "en", 2, 10, 60, "late", {"order": "QX-654321"})), "queued")
        uow.commit()
    now = NOW + timedelta(minutes=1)
    with uow:
        for typed in ("ＱＸ－１２３４５６", "QX–123456", "qx 123 456"):
            # found on the order-number column (a text search of the summaries finds nothing)
            assert [t["ticket_id"] for t in uow.queue.search(typed, now).items] == [tid("O1")], typed


def test_the_bots_lines_on_a_ticket_do_not_fill_the_desks_search_text(uow):
    # review, twelfth pass: every bot reply on an open case is filed on its ticket (the desk shows what the
    # customer was told); ten safety advices filled the capped search text and hid the customer's words
    from datetime import timedelta

    from tests.integration.test_desk_queue import NOW, build, tid

    with uow:
        uow.tickets.add(build("B1", ("queued", "web", "en", 2, 10, 60, "gas smell", {})), "queued")
        for _ in range(12):
            uow.tickets.add_event(tid("B1"), "message", "bot", "Your safety comes first. " + "Leave now. " * 30,
                                  {"from": "bot"})
        uow.tickets.add_event(tid("B1"), "message", "customer", "the hallway smells of rotten eggs", {"from": "customer"})
        uow.commit()
    with uow:
        assert [t["ticket_id"] for t in uow.queue.search("rotten eggs", NOW + timedelta(minutes=1)).items] == [tid("B1")]
        assert uow.queue.search("Leave now", NOW + timedelta(minutes=1)).items == []
