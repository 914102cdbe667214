"""The configured notifier (one-time codes by e-mail or SMS), recording in the SQL unit of work by default."""
from __future__ import annotations

from typing import Any, Callable, Optional

from bot.queue.notifier import FakeNotifier, Notifier, SmtpConfig, SmtpNotifier
from bot.settings import get_settings
from bot.storage.uow import SqlAlchemyUnitOfWork


def get_notifier(smtp_url: Optional[str] = None,
                 unit_of_work_factory: Optional[Callable[[], Any]] = None) -> Notifier:
    """SMTP when ``smtp_url`` (default: settings' ``SMTP_URL``) is set, else the fake that only records.

    Raises:
        ValueError: ``smtp_url`` does not parse (``SmtpConfig.from_url``).
    """
    if smtp_url is None:
        smtp_url = get_settings().smtp_url
    factory = unit_of_work_factory or SqlAlchemyUnitOfWork
    if smtp_url:
        return SmtpNotifier(SmtpConfig.from_url(smtp_url), factory)
    return FakeNotifier(factory)
