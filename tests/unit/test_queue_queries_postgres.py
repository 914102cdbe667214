"""The desk's queue, search and metrics give the same answers on PostgreSQL as on
SQLite (a private PostgreSQL 15 cluster, as `make bench-desk` starts; skipped
where Debian's postgresql-15 is not installed)."""
from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from bench.desk import PG_BIN
from tests.integration.test_desk_queue import NOW, seed_tickets, tid

pytestmark = pytest.mark.skipif(not (PG_BIN / "initdb").exists() or not shutil.which("runuser"),
                                reason="PostgreSQL 15 is not installed (make postgres-deps)")

QUERIES = [
    {}, {"channel": "web"}, {"language": "zh"}, {"assigned": "me"}, {"assigned": "any"},
    {"assigned": "any", "sort": "sla"}, {"sort": "waiting"}, {"q": "QX-111111"}, {"q": "parcel"},
    {"q": "退款问题"}, {"q": "锁定"}, {"q": "moon", "assigned": "any"}, {"assigned": "any", "limit": 3},
]
SEARCHES = ["QX-333333", "bob@example.com", "screen", "moon", "退款", "+44 20 7946 0001", tid("C2"), "voucher"]


def answers(url: str) -> dict:
    from bot.storage.db import create_schema, make_engine
    from bot.queue.queue_queries import QueueQuery
    from bot.storage.migrations.desk_queue_0003 import upgrade_desk_queue
    from bot.storage.migrations.ticket_stats_0008 import install_ticket_stats
    from bot.storage.migrations.ticket_stats_0012 import install_waiting_counter
    from bot.storage.uow import SqlAlchemyUnitOfWork

    engine = make_engine(url)
    create_schema(engine)
    with engine.begin() as connection:  # migrations 0003's, 0008's and 0012's DDL
        upgrade_desk_queue(connection)
        install_ticket_stats(connection)
        install_waiting_counter(connection)
    seed_tickets(lambda: SqlAlchemyUnitOfWork(engine))
    now = NOW + timedelta(minutes=1)
    found: dict = {}
    with SqlAlchemyUnitOfWork(engine) as uow:
        for query in QUERIES:
            page = uow.queue.queue(QueueQuery(viewer="agent1", **query), now)
            found[repr(query)] = ([t["ticket_id"] for t in page.items], page.total)
            if page.next_cursor:
                following = uow.queue.queue(QueueQuery(viewer="agent1", cursor=page.next_cursor, **query), now)
                found[repr(query) + " next"] = [t["ticket_id"] for t in following.items]
        for q in SEARCHES:
            found[q] = [t["ticket_id"] for t in uow.queue.search(q, now).items]
        for days in (1, 6):
            metrics = uow.queue.metrics(now, now - timedelta(days=days))
            # waits depend on when this run claimed its tickets: compared apart, to the second or so
            found[f"waits {days}"] = [w["wait_s"] for w in metrics["waits"]] + [metrics["average_wait_s"]]
            found[f"metrics {days}"] = {k: v for k, v in metrics.items()
                                        if k not in ("since", "until", "waits", "average_wait_s")}
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def postgres_url(postgres):
    """A fresh database in the session's private cluster (tests/conftest.py)."""
    return postgres("desk_answers")


def test_postgres_answers_as_sqlite_does(postgres_url, tmp_path):
    on_sqlite = answers(f"sqlite:///{tmp_path / 'desk.db'}")
    on_postgres = answers(postgres_url)
    assert on_sqlite["{}"][0] == [tid(n) for n in ("W4", "W2", "W1", "W5", "W3")]
    assert on_sqlite["moon"] == [tid("A1")] and on_sqlite["metrics 1"]["waiting_count"] == 5
    for key in on_sqlite:
        if key.startswith("waits"):
            assert all(abs(a - b) <= 5 for a, b in zip(on_postgres[key], on_sqlite[key])), key
        else:
            assert on_postgres[key] == on_sqlite[key], key
