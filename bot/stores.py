"""Rasa's SQL tracker store on the project's DATABASE_URL."""
from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from bot.settings import get_settings

logger = logging.getLogger(__name__)
# Conversations whose owner channel this process has already recorded.
_RECORDED_MAX = 10_000


class ProjectSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that reads `DATABASE_URL`, so trackers and the
    project's own tables live in one database (one SQLite file by default)."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        from sqlalchemy.orm import sessionmaker

        from bot.uow import engine_for

        url = get_settings().database_url
        # The schema (Rasa's `events` included) comes from the migrations applied
        # before servers start (bot/schema.py): checked here, so Rasa's own
        # create_all below finds every table and never races another process.
        engine = engine_for(url)
        kwargs.pop("url", None)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        # One engine and pool per process (DB_POOL_SIZE, DB_MAX_OVERFLOW), not Rasa's own beside it.
        self.engine.dispose()
        self.engine = engine
        self.sessionmaker = sessionmaker(bind=engine)
        self._recorded: "OrderedDict[str, None]" = OrderedDict()
        # Loaded only by the Rasa server (issue 13): its answer when the action server is
        # down, and a message whose client id was already processed is answered again, not rerun.
        from bot import action_fallback, idempotency

        action_fallback.install()
        idempotency.install()

    async def save(self, tracker: Any) -> None:
        """Save as Rasa does, then record which channel the conversation belongs to."""
        await super().save(tracker)
        self.record_channel(tracker)

    def record_channel(self, tracker: Any) -> None:
        """Claim the conversation for the channel of its first user message
        (``input_channel`` as Rasa recorded it; bot/conversations.py). Never
        fails the turn: a database error is logged."""
        from rasa.shared.core.events import UserUttered

        from bot.conversations import claim, owning_channel
        from bot.uow import SqlAlchemyUnitOfWork

        sender_id = tracker.sender_id
        if sender_id in self._recorded:
            return
        channel = next((owning_channel(e.input_channel) for e in tracker.events
                        if isinstance(e, UserUttered) and owning_channel(e.input_channel)), None)
        if channel is None:
            return
        try:
            owner = claim(SqlAlchemyUnitOfWork, sender_id, channel)
        except Exception:
            logger.exception("owner channel of %s could not be recorded", sender_id)
            return
        if owner != channel:
            logger.warning("conversation %s belongs to %s but got a %s message", sender_id, owner, channel)
        self._recorded[sender_id] = None
        while len(self._recorded) > _RECORDED_MAX:
            self._recorded.popitem(last=False)
