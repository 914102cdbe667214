"""Issue 14, summaries in the agent's language in every list: ``tickets.summary_en``/``summary_zh``
(migration 0011), written with each ticket and backfilled for old rows; DESK_LANGUAGE."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select, text

from bot.handover.packet import summaries_of
from bot.queue.queue_queries import QueueQuery
from bot.settings import Settings
from bot.storage.db import TicketRow, make_engine
from bot.storage.schema import head, upgrade
from tests.unit.test_packet import packet

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


def old_packet() -> dict:
    """A packet as written before ``summaries`` existed: one English summary."""
    p = packet()
    p.pop("summaries")
    return p


def test_an_old_packet_keeps_its_english_summary_and_gets_a_chinese_one_from_its_facts():
    p = old_packet()
    found = summaries_of(p)
    assert found["en"] == p["summary"]
    assert found["zh"].startswith("客户（英文，接口）情绪激动")
    assert "订单 QX-100002" in found["zh"] and "情绪：负面 0.93" in found["zh"]
    assert "密码重置：已完成 2 步" in found["zh"]
    assert found["zh"] == packet()["summaries"]["zh"]  # what the hand-over writes today, from the same facts
    assert summaries_of(packet()) == packet()["summaries"]  # a new packet: its own


def test_a_damaged_packet_gets_its_summary_in_every_language():
    assert summaries_of({"summary": "s", "reason": {"code": "nonsense"}}) == {"en": "s", "zh": "s"}
    assert summaries_of({"summary": "s", "reason": "x"}) == {"en": "s", "zh": "s"}
    assert summaries_of({}) == {"en": "", "zh": ""}


def test_migration_0011_backfills_the_summaries_of_rows_written_before_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    assert upgrade(url, "0010_webchat_session_secrets") == "0010_webchat_session_secrets"
    engine = make_engine(url)
    p, new = old_packet(), packet(ticket_id="T2", conversation_id="c-new")
    with engine.begin() as connection:
        for ticket_id, conversation, body in (("TOLD", "c-old", p), ("TNEW", "c-new", new)):
            connection.execute(text(
                "INSERT INTO tickets (id, conversation_id, channel, language, state, priority, reason_code, "
                "skills, summary, packet, created_at, sla_due_at) VALUES (:id, :c, 'rest', 'en', 'queued', 1, "
                "'negative_emotion', '[]', :s, :p, :at, :due)"),
                {"id": ticket_id, "c": conversation, "s": body["summary"], "p": json.dumps(body),
                 "at": NOW.isoformat(), "due": (NOW + timedelta(hours=1)).isoformat()})
    engine.dispose()

    assert upgrade(url) == head()

    engine = make_engine(url)
    with engine.connect() as connection:
        rows = {r.id: r for r in connection.execute(
            select(TicketRow.id, TicketRow.summary_en, TicketRow.summary_zh)).all()}
    engine.dispose()
    assert rows["TOLD"].summary_en == p["summary"]
    assert rows["TOLD"].summary_zh.startswith("客户（英文，接口）情绪激动")
    assert (rows["TNEW"].summary_en, rows["TNEW"].summary_zh) == (new["summaries"]["en"], new["summaries"]["zh"])


def test_queue_and_search_rows_carry_the_summary_in_each_language_from_columns(uow):
    p = packet(ticket_id="TSUM1", conversation_id="c-sum-1")
    with uow:
        uow.tickets.add(p, "queued")
        uow.commit()
        # the packet is not read on the list's path: the columns answer even with the packet's summaries gone
        uow.execute(TicketRow.__table__.update().where(TicketRow.id == "TSUM1").values(packet={}))
        uow.commit()
    with uow:
        queries = uow.queue
        [row] = [r for r in queries.queue(QueueQuery(viewer="x"), NOW).items if r["ticket_id"] == "TSUM1"]
        [found] = [r for r in queries.search("QX-100002", NOW).items if r["ticket_id"] == "TSUM1"]
    assert row["summaries"] == {"en": p["summaries"]["en"], "zh": p["summaries"]["zh"]}
    assert found["summaries"]["zh"].startswith("客户（英文，接口）")


def test_desk_language_setting():
    assert Settings.from_env({}).desk_language == "en"
    assert Settings.from_env({"DESK_LANGUAGE": "ZH"}).desk_language == "zh"
    with pytest.raises(ValueError, match="DESK_LANGUAGE"):
        Settings.from_env({"DESK_LANGUAGE": "fr"})


def test_one_message_is_singular():
    """Review rev14 #4: "after 1 message", not "after 1 messages"."""
    from bot.handover.packet import summary

    facts = {"reason": {"code": "customer_request"}, "language": "en", "channel": "web", "turns": 1,
             "intake": {}, "troubleshooting": None, "emotion": None, "last_message": "hi"}
    assert "asked for a person after 1 message." in summary("en", facts)
    assert "after 2 messages." in summary("en", {**facts, "turns": 2})
