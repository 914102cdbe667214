"""Downgrading a revision that drops a ``tickets`` column, then upgrading again, keeps what hangs on the table:
the supervisor counters' triggers (``stats_tickets_*``, migrations 0008/0012) and the desk search's full-text index
(``tickets_fts`` and its triggers, migration 0003). Alembic's batch copy on SQLite dropped them all and upgrading
again did not bring them back, so the counters and the search went silently stale (a reviewer's finding, issue 11
seventeenth pass; bot/storage/migrations/drop_ticket_columns.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, text

from tests.unit.test_ticket_stats import packet


def _triggers(uow) -> set:
    return set(uow.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'tickets'"))
               .scalars())


def _add(uow, conversation: str, created: datetime, word: str) -> str:
    from bot.queue.tickets import new_ticket_id

    found = packet(new_ticket_id(), conversation, "web", created, 600, "customer_request")
    found["summary"] = f"parcel {word} lost"
    uow.conversations.claim(conversation, "web")
    return uow.tickets.add(found, "queued").ticket_id


@pytest.mark.parametrize("target", ["0013_attachment_thumbnails", "0010_webchat_session_secrets",
                                    "0004_desk_notes_canned"])
def test_downgrade_then_upgrade_keeps_the_triggers_the_counters_and_the_search(tmp_path, target):
    from alembic import command

    from bot.services import tickets as service
    from bot.storage import db
    from bot.storage.schema import alembic_config, head, upgrade
    from tests.rows import RowsUnitOfWork

    url = f"sqlite:///{tmp_path / 'down.db'}"
    upgrade(url)
    engine = db.make_engine(url)
    now = datetime.now(timezone.utc)
    try:
        with RowsUnitOfWork(engine) as uow:
            installed = _triggers(uow)
            assert {"stats_tickets_insert", "tickets_fts_insert"} <= installed
            old = [_add(uow, f"down-{i}", now - timedelta(minutes=5 + i), "zebrafinch") for i in range(4)]
            uow.commit()
        with RowsUnitOfWork(engine) as uow:  # a gap in the rowids: a table copy would renumber the rows after it
            gone = old.pop(0)
            uow.execute(text("DELETE FROM ticket_events WHERE ticket_id = :id"), {"id": gone})
            uow.execute(text("DELETE FROM tickets WHERE id = :id"), {"id": gone})
            uow.commit()
        engine.dispose()
        command.downgrade(alembic_config(url), target)
        assert upgrade(url) == head()
        with RowsUnitOfWork(engine) as uow:
            assert _triggers(uow) == installed
            new = _add(uow, "down-new", now - timedelta(minutes=1), "zebrafinch")
            uow.commit()
        found = service.search(RowsUnitOfWork(engine), "zebrafinch", now, 50, 0)
        assert sorted(t["ticket_id"] for t in found.items) == sorted(old + [new])
        with RowsUnitOfWork(engine) as uow:
            counted, exact = uow.queue.metrics(now), uow.queue.metrics(now, exact=True)
            assert counted == exact and counted["waiting_count"] == 4
    finally:
        engine.dispose()


def test_an_sqlite_without_drop_column_refuses_the_downgrade_and_keeps_the_schema(tmp_path, monkeypatch):
    """Before SQLite 3.35 the only way to drop a column is a table copy, which loses the triggers (and fails on a
    ticket's events): the downgrade says why and changes nothing."""
    from alembic import command

    from bot.storage.migrations import drop_ticket_columns
    from bot.storage.db import make_engine
    from bot.storage.schema import alembic_config, head, upgrade

    url = f"sqlite:///{tmp_path / 'old-sqlite.db'}"
    upgrade(url)
    monkeypatch.setattr(drop_ticket_columns, "_sqlite_in_place", lambda conn: False)
    with pytest.raises(RuntimeError, match="needs SQLite 3.35 or later"):
        command.downgrade(alembic_config(url), "0013_attachment_thumbnails")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert "callback_requested_at" in {c["name"] for c in inspect(conn).get_columns("tickets")}
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head()
    finally:
        engine.dispose()
