"""Rasa's SQL tracker store on the project's DATABASE_URL."""
from __future__ import annotations

from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from bot.db import configure_sqlite, make_engine
from bot.settings import get_settings


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
        url = get_settings().database_url
        make_engine(url).dispose()  # creates the SQLite folder if needed
        kwargs.pop("url", None)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        configure_sqlite(self.engine)
        self.engine.dispose()  # pooled connections reopen with the pragmas
