"""Helpers shared by the actions: language, dates, the unit of work, the off-loop base class."""
from __future__ import annotations

import abc
import asyncio
import functools
from datetime import datetime
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.storage.uow import AbstractUnitOfWork, SqlAlchemyUnitOfWork

_WEEKDAYS_ZH = "一二三四五六日"


def format_date(value: Optional[datetime], language: str) -> str:
    """A delivery date as the customer reads it: ``Monday 3 March`` or ``3月3日（周一）``; a placeholder when None."""
    if value is None:
        return "待定" if language == "zh" else "to be confirmed"
    if language == "zh":
        return f"{value.month}月{value.day}日（周{_WEEKDAYS_ZH[value.weekday()]}）"
    return f"{value:%A} {value.day} {value:%B}"


UnitOfWorkFactory = Callable[[], AbstractUnitOfWork]
_factory: UnitOfWorkFactory = SqlAlchemyUnitOfWork


def unit_of_work() -> AbstractUnitOfWork:
    """A fresh unit of work for an action: on the configured database (DATABASE_URL) unless
    :func:`use_unit_of_work` injected another factory."""
    return _factory()


def use_unit_of_work(factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Make every action's units of work with ``factory`` (a test's ``FakeUnitOfWork``); returns the
    factory it replaces, to put back afterwards."""
    global _factory
    previous, _factory = _factory, factory
    return previous


class OffLoopAction(Action, abc.ABC):
    """An action whose work (database included) runs in a worker thread.

    rasa-sdk runs a synchronous ``run()`` inline on the action server's only
    event loop, so one slow query would stall every conversation. Here
    ``run()`` is async and awaits :meth:`act` in ``asyncio.to_thread``;
    subclasses implement :meth:`act` (same arguments and return as ``run``).
    """

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        """Run :meth:`act` off the event loop; returns its events."""
        return await asyncio.to_thread(self.act, dispatcher, tracker, domain)

    @abc.abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> List[Dict[Text, Any]]:
        """The action's work (blocking calls allowed): the events to apply."""


def off_loop(method: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """A blocking form validator (``validate_<slot>``) made async, run in a worker thread
    (rasa-sdk awaits validators that return a coroutine)."""
    @functools.wraps(method)
    async def in_thread(*args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(method, *args, **kwargs)

    return in_thread
