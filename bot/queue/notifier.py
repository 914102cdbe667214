"""One notifier for everything sent to a customer outside the chat (DESIGN §9a):
one-time codes proving an order's e-mail or phone, "leave a message" replies.

- ``SMTP_URL`` set (``smtp://user:pass@host:587``, ``smtps://…:465``; query
  ``from=`` for the sender, ``starttls=0`` to skip STARTTLS on ``smtp://``):
  e-mail goes out through the standard library's ``smtplib``.
- Unset: a local fake records every message, body included, in the
  ``notifications`` table, so tests and the demo can read the code
  (``python -m bot.cli last-notification``).
SMS has no gateway here: text messages always go to the fake (a warning is
logged when SMTP is configured, so nobody mistakes it for a real SMS).
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Callable, Optional, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.db import NotificationRow
from bot.storage.repositories import NotificationRepository

logger = logging.getLogger(__name__)

CHANNELS = ("email", "sms")
SMTP_TIMEOUT_S = 15


@dataclass(frozen=True)
class Notification:
    """One message: ``channel`` email|sms, ``to`` an e-mail address or E.164 phone."""

    channel: str
    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class SentNotification:
    """A recorded message as the fake kept it (``body`` None for SMTP)."""

    channel: str
    to: str
    subject: Optional[str]
    body: Optional[str]
    transport: str


class NotifierError(Exception):
    """The message could not be handed to the transport (SMTP down, refused)."""


class Notifier(Protocol):
    """Something that delivers a :class:`Notification` (e-mail or SMS): :class:`SmtpNotifier` or :class:`FakeNotifier`.
    """

    def send(self, notification: Notification) -> None:
        """Deliver ``notification``; raises :class:`NotifierError` if it could not be handed over.

        Args:
            notification: what to send: channel (``email`` or ``sms``), recipient, subject and body.
        """


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send e-mail, parsed from ``SMTP_URL`` by :meth:`from_url`.

    Attributes:
        host, port: the SMTP server (port 465 for ``smtps://``, 25 for ``smtp://`` when not given).
        username, password: the login, if any (URL-decoded).
        implicit_tls: TLS from the first byte (``smtps://``).
        starttls: upgrade with STARTTLS when the server offers it (``smtp://``; ``?starttls=0`` turns it off).
        sender: the ``From`` address (``?from=``; ``no-reply@<host>`` by default).
    """

    host: str
    port: int
    username: Optional[str]
    password: Optional[str]
    implicit_tls: bool
    starttls: bool
    sender: str

    @classmethod
    def from_url(cls, url: str) -> "SmtpConfig":
        """Parse ``smtp://user:pass@host:port?from=…`` or ``smtps://…``; raises ValueError naming what is wrong.

        Args:
            url: the ``SMTP_URL`` setting (user, password, host, port and ``?from=`` sender in one URL).

        Returns:
            The parsed :class:`SmtpConfig` (``smtps`` means implicit TLS).

        Raises:
            ValueError: not ``smtp://``/``smtps://``, no host, or a bad port (the message says which).
        """
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"SMTP_URL must start with smtp:// or smtps://, not {parts.scheme!r}")
        if not parts.hostname:
            raise ValueError("SMTP_URL has no host")
        query = parse_qs(parts.query)
        implicit = parts.scheme == "smtps"
        try:
            port = parts.port or (465 if implicit else 25)
        except ValueError as error:
            raise ValueError(f"SMTP_URL has a bad port: {error}") from None
        sender = (query.get("from") or [None])[0] or f"no-reply@{parts.hostname}"
        starttls = not implicit and (query.get("starttls") or ["1"])[0] not in ("0", "false", "no")
        return cls(
            host=parts.hostname, port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            implicit_tls=implicit, starttls=starttls, sender=sender,
        )


class SqlAlchemyNotificationRepository(NotificationRepository):
    """The ``notifications`` table: what the notifier handed over."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, notification: Notification, transport: str, keep_body: bool) -> None:
        """Record a handed-over notification; the body only when ``keep_body`` (never for real e-mail with a code).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.session.add(NotificationRow(
            channel=notification.channel, recipient=notification.to, subject=notification.subject,
            body=notification.body if keep_body else None, transport=transport))
        self.session.flush()

    def latest(self, to: Optional[str] = None, limit: int = 20) -> list[SentNotification]:
        """The newest recorded notifications first (optionally to one recipient).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = select(NotificationRow).order_by(NotificationRow.id.desc()).limit(limit)
        if to is not None:
            stmt = stmt.where(NotificationRow.recipient == to)
        return [SentNotification(r.channel, r.recipient, r.subject, r.body, r.transport)
                for r in self.session.execute(stmt).scalars()]


def _record(unit_of_work_factory: Callable[[], Any], notification: Notification, transport: str,
            keep_body: bool) -> None:
    with unit_of_work_factory() as uow:
        uow.notifications.add(notification, transport, keep_body)
        uow.commit()


class FakeNotifier:
    """Records messages in the database instead of sending them (demo, tests, SMS)."""

    #: Sends to no remote server (``bot.services.otp`` sends a code while the customer waits).
    remote = False

    def __init__(self, unit_of_work_factory: Callable[[], Any]) -> None:
        """``unit_of_work_factory``: makes the unit of work the notifications are recorded in."""
        self._uow = unit_of_work_factory

    def send(self, notification: Notification) -> None:
        """Record the notification (with its body) instead of sending it.

        Args:
            notification: what would be sent (recorded with its body).

        Raises:
            ValueError: the channel is neither ``email`` nor ``sms``.
        """
        if notification.channel not in CHANNELS:
            raise ValueError(f"unknown notification channel {notification.channel!r}")
        _record(self._uow, notification, "fake", keep_body=True)
        logger.info("notification recorded (fake %s to %s)", notification.channel, notification.to)


class SmtpNotifier:
    """E-mail through an SMTP server; SMS to the fake (there is no SMS gateway)."""

    #: Sends to a remote server: ``bot.services.otp`` sends a one-time code in the background, so the time an SMTP
    #: session takes does not tell whether the contact was the order's (helper-211, session 45).
    remote = True

    def __init__(self, config: SmtpConfig, unit_of_work_factory: Callable[[], Any],
                 smtp_factory: Optional[Callable[..., smtplib.SMTP]] = None) -> None:
        """``unit_of_work_factory``: makes the unit of work sent notifications are recorded in;
        ``smtp_factory``: replaces ``smtplib.SMTP`` (tests)."""
        self.config = config
        self._uow = unit_of_work_factory
        self._smtp_factory = smtp_factory
        self._fake = FakeNotifier(self._uow)

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        if self._smtp_factory is not None:
            return self._smtp_factory(c.host, c.port, timeout=SMTP_TIMEOUT_S)
        if c.implicit_tls:
            return smtplib.SMTP_SSL(c.host, c.port, timeout=SMTP_TIMEOUT_S, context=ssl.create_default_context())
        return smtplib.SMTP(c.host, c.port, timeout=SMTP_TIMEOUT_S)

    def send(self, notification: Notification) -> None:
        """Send an e-mail through the SMTP server (an SMS is only recorded), then record it without its body.

        Args:
            notification: what to send (an ``sms`` is only recorded: there is no SMS gateway).

        Raises:
            NotifierError: the server could not be reached or refused the message.
            ValueError: the channel is neither ``email`` nor ``sms``.
        """
        if notification.channel == "sms":
            logger.warning("no SMS gateway configured: the text message to %s is only recorded", notification.to)
            self._fake.send(notification)
            return
        if notification.channel != "email":
            raise ValueError(f"unknown notification channel {notification.channel!r}")
        message = EmailMessage()
        message["From"] = self.config.sender
        message["To"] = notification.to
        message["Subject"] = notification.subject
        message.set_content(notification.body)
        try:
            with self._connect() as smtp:
                if self.config.starttls and not self.config.implicit_tls:
                    smtp.ehlo()
                    if smtp.has_extn("starttls"):
                        smtp.starttls(context=ssl.create_default_context())
                        smtp.ehlo()
                if self.config.username:
                    smtp.login(self.config.username, self.config.password or "")
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise NotifierError(f"SMTP {self.config.host}:{self.config.port}: {error.__class__.__name__}") from error
        _record(self._uow, notification, "smtp", keep_body=False)  # never the code itself
