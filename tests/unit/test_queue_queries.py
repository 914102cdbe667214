"""The desk's SQL read side (bot/queue_queries.py): fields written with a ticket,
cursors, and the idempotent in-place schema upgrade."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect

from bot.queue_queries import (
    BadQuery, decode_cursor, encode_cursor, order_key, phone_digits, ticket_search_fields, upgrade_ticket_schema,
)


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
    from bot.uow import engine_for
    from bot.settings import get_settings

    engine = engine_for(get_settings().database_url)
    assert upgrade_ticket_schema(engine) == []  # the first open already did everything
    columns = {c["name"] for c in inspect(engine).get_columns("tickets")}
    assert {"order_number", "contact_email", "contact_phone", "search_text", "wait_s", "handle_s"} <= columns
    assert "ix_tickets_open_priority" in {i["name"] for i in inspect(engine).get_indexes("tickets")}
