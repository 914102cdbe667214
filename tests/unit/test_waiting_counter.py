"""Migration 0012 (issue 16): the waiting tickets' counter, kept by the ``tickets`` triggers, gives
the supervisor metrics' waiting count without reading every waiting ticket."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from tests.unit.test_ticket_stats import packet


def _waiting_counter(uow) -> tuple:
    return tuple(int(v or 0) for v in uow.execute(text(
        "SELECT sum(waiting), sum(unclaimed) FROM ticket_stats_waiting WHERE span = 'd'")).one())


def test_an_existing_database_gets_the_counter_and_the_metrics_read_it(tmp_path):
    from alembic import command

    from bot.queue.tickets import new_ticket_id
    from bot.storage.db import make_engine
    from bot.storage.schema import alembic_config, head, upgrade
    from tests.rows import RowsUnitOfWork as SqlAlchemyUnitOfWork

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "0011_ticket_summaries")  # a database from before 0012
    engine = make_engine(url)
    now = datetime.now(timezone.utc)
    try:
        with SqlAlchemyUnitOfWork(engine) as uow:
            assert "ticket_stats_waiting" not in {r[0] for r in uow.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))}
            # the column of a later revision (0014, skipped when present), so today's model can write the old rows
            uow.execute(text("ALTER TABLE tickets ADD COLUMN callback_requested_at DATETIME"))
            for i in range(5):
                uow.conversations.claim(f"wait-old-{i}", "web")
                uow.tickets.add(packet(new_ticket_id(), f"wait-old-{i}", "web", now - timedelta(hours=i * 7),
                                       600, "customer_request"), "queued" if i % 2 else "callback")
            uow.commit()
        assert upgrade(url) == head()
        with SqlAlchemyUnitOfWork(engine) as uow:
            assert _waiting_counter(uow) == (5, 5)  # the rows counted once by the migration
            uow.conversations.claim("wait-new", "web")
            uow.tickets.add(packet(new_ticket_id(), "wait-new", "web", now - timedelta(minutes=3), 600,
                                   "customer_request"), "queued")
            uow.commit()
        with SqlAlchemyUnitOfWork(engine) as uow:
            assert _waiting_counter(uow) == (6, 6)  # and kept by the triggers afterwards
            counted, exact = uow.queue.metrics(now), uow.queue.metrics(now, exact=True)
            assert counted["waiting_count"] == exact["waiting_count"] == 6
            assert counted == exact
            uow.execute(text("UPDATE ticket_stats_waiting SET waiting = waiting + 100 WHERE span = 'd'"))
            assert uow.queue.metrics(now)["waiting_count"] > 100  # read from the counter, not the rows
            assert uow.queue.metrics(now, exact=True)["waiting_count"] == 6
    finally:
        engine.dispose()
