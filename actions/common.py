"""Helpers shared by the actions: language, dates, the unit of work."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from rasa_sdk import Tracker

from bot.uow import SqlAlchemyUnitOfWork

_WEEKDAYS_ZH = "一二三四五六日"


def language_of(tracker: Tracker) -> str:
    return "zh" if tracker.get_slot("language") == "zh" else "en"


def format_date(value: Optional[datetime], language: str) -> str:
    if value is None:
        return "待定" if language == "zh" else "to be confirmed"
    if language == "zh":
        return f"{value.month}月{value.day}日（周{_WEEKDAYS_ZH[value.weekday()]}）"
    return f"{value:%A} {value.day} {value:%B}"


def unit_of_work() -> SqlAlchemyUnitOfWork:
    """A fresh unit of work on the configured database (DATABASE_URL)."""
    return SqlAlchemyUnitOfWork()
