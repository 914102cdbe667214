"""The configured notifier (one-time codes by e-mail or SMS), recording in the SQL unit of work by default."""
from __future__ import annotations

from typing import Optional

from bot.queue.notifier import FakeNotifier, Notifier, SmtpConfig, SmtpNotifier
from bot.services import UnitOfWorkFactory
from bot.settings import get_settings
from bot.storage.uow import SqlAlchemyUnitOfWork


def get_notifier(uow_factory: UnitOfWorkFactory = SqlAlchemyUnitOfWork, smtp_url: Optional[str] = None) -> Notifier:
    """SMTP when ``smtp_url`` (default: settings' ``SMTP_URL``) is set, else the fake that only records.

    Args:
        uow_factory: makes the unit of work each sent notification is recorded in (default: the SQL one).
        smtp_url: ``smtp://…`` (default: the settings' ``SMTP_URL``).

    Returns:
        An ``SmtpNotifier`` or a ``FakeNotifier``.

    Raises:
        ValueError: ``smtp_url`` does not parse (``SmtpConfig.from_url``).
    """
    if smtp_url is None:
        smtp_url = get_settings().smtp_url
    if smtp_url:
        return SmtpNotifier(SmtpConfig.from_url(smtp_url), uow_factory)
    return FakeNotifier(uow_factory)
