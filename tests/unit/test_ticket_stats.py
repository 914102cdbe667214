"""The supervisor metrics from counters (bot/queue/ticket_stats.py; migration 0008,
bot/storage/migrations/ticket_stats_0008.py) equal the
exact computation over the ticket rows, for any period, on SQLite and on PostgreSQL (issue 16).

A random history is made through the real services (hand-over, claim, transfer to an agent and to
a skill queue, close by the holder and by a supervisor, CSAT, reason correction, hang-up
abandonment, call-back) and raw SQL (times spread over a week, a ticket deleted), then every
period is asked both ways."""
from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select, text, update

from bench.desk import PG_BIN

HAS_PG = (PG_BIN / "initdb").exists() and bool(shutil.which("runuser"))
CHANNELS = ("web", "wechat", "ivr", "rest")
REASONS = ("customer_request", "negative_emotion", "complex_intent", "nlu_failure", "no_input")


def packet(ticket_id: str, conversation_id: str, channel: str, created: datetime, due_s: int, reason: str) -> dict:
    return {"schema": "handoff/v1", "ticket_id": ticket_id, "conversation_id": conversation_id, "channel": channel,
            "language": "en", "priority": 2, "reason": {"code": reason, "detail": None}, "skills": ["en"],
            "summary": f"case {ticket_id}", "created_at": created.isoformat(),
            "sla": {"target_wait_s": due_s, "due_at": (created + timedelta(seconds=due_s)).isoformat()},
            "intake": {}, "transcript": []}


def build_history(engine, seed: int, now: datetime) -> None:
    """About 150 tickets over the week before ``now`` (and a few after), in every state."""
    from bot.queue.tickets import new_ticket_id
    from bot.services import desk, tickets as service, waiting
    from bot.storage.db import ConversationChannelRow, CsatRow, TicketEventRow, TicketRow
    from tests.rows import RowsUnitOfWork

    uow = lambda: RowsUnitOfWork(engine)  # noqa: E731
    rnd = random.Random(seed)
    with uow() as u:
        for name, role, skills in (("agent1", "agent", ["en"]), ("agent2", "agent", ["en", "billing"]),
                                   ("agent3", "agent", ["en"]), ("sup", "supervisor", ["en"])):
            u.agents.upsert(name, "pass-word-1", name.title(), role, skills=skills)
        u.commit()
    hour = now.replace(minute=0, second=0, microsecond=0)
    made = []
    with uow() as u:
        for i in range(150):
            conversation, channel = f"stats-{seed}-{i}", rnd.choice(CHANNELS)
            if i % 10 == 0:  # on a bucket's edge: an hour, a midnight
                created = hour - timedelta(hours=rnd.randint(0, 150))
            else:
                created = now - timedelta(seconds=rnd.uniform(-3 * 3600, 7 * 86400))
            u.conversations.claim(conversation, channel)
            u.execute(update(ConversationChannelRow).where(ConversationChannelRow.conversation_id == conversation)
                              .values(created_at=created - timedelta(seconds=rnd.randint(0, 7200))))
            ticket = u.tickets.add(packet(new_ticket_id(), conversation, channel, created,
                                          rnd.choice((60, 600, 3600, 86400)), rnd.choice(REASONS)),
                                   rnd.choice(("queued", "queued", "callback")))
            made.append((ticket.ticket_id, conversation, created))
        u.commit()
    for ticket_id, conversation, created in made:
        fate = rnd.random()
        agent = rnd.choice(("agent1", "agent2", "agent3"))
        if fate < 0.15:
            continue  # still waiting
        if fate < 0.22:
            waiting.abandon_hung_up(uow(), conversation, now=created + timedelta(seconds=rnd.randint(10, 5000)))
            continue
        if fate < 0.27:
            service.close(uow(), ticket_id, "sup", "spam", supervisor=True)  # closed unclaimed
        else:
            service.claim(uow(), ticket_id, agent)
            if fate < 0.35:
                desk.transfer(uow(), ticket_id, agent, False, skill="billing")  # back to the queue
                if fate < 0.31:
                    service.claim(uow(), ticket_id, "agent2")
                continue
            if fate < 0.42:
                other = "agent3" if agent != "agent3" else "agent1"
                desk.transfer(uow(), ticket_id, agent, False, agent=other)
                agent = other
            if fate > 0.9:
                continue  # with an agent
            service.close(uow(), ticket_id, agent, "resolved")
            if rnd.random() < 0.6:
                service.rate(uow(), ticket_id, rnd.randint(1, 5))
        if rnd.random() < 0.2:
            with uow() as u:  # a reason rewritten by SQL (the triggers count whatever writes the row)
                u.execute(update(TicketRow).where(TicketRow.id == ticket_id).values(reason_code="no_input"))
                u.commit()
    # spread the claims and closes over the week (they happened at the time of this run)
    with uow() as u:
        rows = u.execute(select(TicketRow.id, TicketRow.created_at, TicketRow.claimed_at, TicketRow.closed_at,
                                        TicketRow.state)).all()
        for ticket_id, created, claimed, closed, state in rows:
            created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
            values = {}
            if claimed is not None:
                claimed = created + timedelta(seconds=rnd.choice((30, 300, 4000, 90000)))
                values.update(claimed_at=claimed, wait_s=int((claimed - created).total_seconds()))
            if closed is not None and state == "closed":
                closed = (claimed or created) + timedelta(seconds=rnd.randint(60, 30000))
                values.update(closed_at=closed, handle_s=int((closed - claimed).total_seconds()) if claimed else None)
                if not claimed:
                    values["wait_s"] = int((closed - created).total_seconds())
            if values:
                u.execute(update(TicketRow).where(TicketRow.id == ticket_id).values(**values))
        gone = made[-1][0]  # a ticket deleted (its events first)
        for model in (TicketEventRow, CsatRow):
            u.execute(delete(model).where(model.ticket_id == gone))
        u.execute(delete(TicketRow).where(TicketRow.id == gone))
        u.commit()


def periods(now: datetime) -> list[tuple[datetime, datetime]]:
    """(now, since) pairs: the default day, a week, part-hours only, bucket edges, a past now."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    midnight = hour.replace(hour=0)
    past = hour - timedelta(days=2)
    return [(now, now - timedelta(hours=24)), (now, now - timedelta(days=7)), (now, now - timedelta(days=30)),
            (now, now - timedelta(minutes=20)), (now, now - timedelta(minutes=100)), (now, midnight - timedelta(days=3)),
            (now, hour - timedelta(hours=5)), (hour, hour - timedelta(hours=24)), (past, past - timedelta(days=2, minutes=7)),
            (past + timedelta(minutes=30), midnight - timedelta(days=4)), (now - timedelta(days=3), now - timedelta(days=1))]


def check(url: str) -> None:
    from bot.storage.migrations.ticket_stats_0008 import COUNTERS, rebuild_ticket_stats
    from bot.storage.db import make_engine
    from bot.storage.schema import head, upgrade
    from tests.rows import RowsUnitOfWork

    assert upgrade(url) == head()
    engine = make_engine(url)
    now = datetime.now(timezone.utc)
    build_history(engine, 16, now)
    try:
        with RowsUnitOfWork(engine) as uow:
            week = uow.queue.metrics(now, now - timedelta(days=7), exact=True)
            # the history is worth comparing: every outcome, several agents and reasons
            assert week["abandoned"] and week["sla_breaches"] and week["csat_count"] and week["handled_total"]
            assert len(week["agents"]) >= 3 and len(week["escalations_by_reason"]) >= 4
            assert week["waiting_count"] and week["with_agent_count"]
            for until, since in periods(now):
                counted = uow.queue.metrics(until, since)
                assert counted == uow.queue.metrics(until, since, exact=True), (until, since)
            # what the triggers kept is what a rebuild from the rows gives
            tables = [counter[0] for counter in COUNTERS]
            kept = {t: sorted(tuple(r) for r in uow.execute(text(f"SELECT * FROM {t}")) if any(v for v in r if not isinstance(v, str)))
                    for t in tables}
            rebuild_ticket_stats(uow.connection())
            rebuilt = {t: sorted(tuple(r) for r in uow.execute(text(f"SELECT * FROM {t}"))) for t in tables}
            assert kept == rebuilt
            uow.rollback()
    finally:
        engine.dispose()


def test_counted_metrics_equal_the_exact_ones_on_sqlite(tmp_path):
    check(f"sqlite:///{tmp_path / 'stats.db'}")


@pytest.mark.skipif(not HAS_PG, reason="PostgreSQL 15 is not installed (make postgres-deps)")
def test_counted_metrics_equal_the_exact_ones_on_postgres(postgres):
    check(postgres("ticket_stats"))


def test_a_period_is_split_into_whole_days_hours_and_part_hours():
    from bot.queue.ticket_stats import split_period

    at = lambda *a: datetime(*a, tzinfo=timezone.utc)  # noqa: E731
    days, hours, edges = split_period(at(2026, 11, 20, 17, 40), at(2026, 11, 30, 18, 31))
    assert days == [("2026-11-21", "2026-11-30")]
    assert hours == [("2026-11-20 18", "2026-11-21 00"), ("2026-11-30 00", "2026-11-30 18")]
    assert edges == [(at(2026, 11, 20, 17, 40), at(2026, 11, 20, 18), False),
                     (at(2026, 11, 30, 18), at(2026, 11, 30, 18, 31), True)]
    assert split_period(at(2026, 11, 30, 17, 40), at(2026, 11, 30, 18, 31)) == (
        [], [], [(at(2026, 11, 30, 17, 40), at(2026, 11, 30, 18, 31), True)])
    days, hours, edges = split_period(at(2026, 11, 29, 18, 31), at(2026, 11, 30, 18, 31))
    assert days == [] and hours == [("2026-11-29 19", "2026-11-30 18")] and len(edges) == 2
