"""Web chat sessions: open or resume one, where the conversation stands, what waits for the browser;
the read mark and the typing check of the widget's live signals (bot/channels/live.py)."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, List, Optional

from bot.channels import live
from bot.domain import Channel, TicketState
from bot.services import UnitOfWorkFactory, run_db
from bot.services import tickets as tickets_service
from bot.queue.tickets import Ticket, TicketClosed, TicketNotFound
from bot.storage.conversation_state import state_key
from bot.storage.uow import AbstractUnitOfWork
from bot.channels.webchat import people_messages

if TYPE_CHECKING:  # pragma: no cover
    from bot.settings import Settings


logger = logging.getLogger(__name__)


class TooManySessions(Exception):
    """The address opened too many sessions; ``wait_s``: seconds until it may open another."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"too many new sessions; wait {wait_s:.0f} s")
        self.wait_s = wait_s


def _max_idle_s() -> Optional[float]:
    """``WEBCHAT_SESSION_TTL_S`` (None when 0: sessions never expire)."""
    from bot.settings import get_settings

    return get_settings().webchat_session_ttl_s or None


def open_session(uow: AbstractUnitOfWork, requested: Any, origin: Optional[str], address: Optional[str] = None,
                 hit: Optional[Callable[[str], float]] = None) -> tuple[str, str, bool]:
    """The session to use: the requested one if ``requested`` is the secret of a session we issued
    that has not been idle longer than ``WEBCHAT_SESSION_TTL_S``, else a new one.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        requested: the session id (secret) the browser holds, or anything else (a new session).
        origin: the request's ``Origin`` header (recorded with a new session), if any.
        address: the client's IP address (audited).
        hit: counts a new session against ``address`` and returns the seconds to wait (0: allowed).

    Returns:
        ``(secret, conversation_id, resumed)``: the secret for the browser only (its session id), the
        public conversation id (Rasa's sender id, what agents see), whether it was resumed.

    Raises:
        TooManySessions: ``address`` is over its limit of new sessions.
    """
    from bot.channels.webchat import public_id

    with uow:
        conversation_id = uow.webchat.resume(requested, _max_idle_s())
        if conversation_id:
            uow.commit()
            return requested, conversation_id, True
        if address is not None and hit is not None:
            wait = hit(address)
            if wait:
                raise TooManySessions(wait)
        secret = uow.webchat.issue(origin)
        uow.commit()
        return secret, public_id(secret), False


def known_session(uow: AbstractUnitOfWork, session_id: Any) -> Optional[str]:
    """The conversation id of the session whose secret is ``session_id`` (touched), or None: not
    one we issued, or idle longer than ``WEBCHAT_SESSION_TTL_S``.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        session_id: the web chat session's secret, as the browser holds it.

    Returns:
        The conversation id, or None.
    """
    with uow:
        known = uow.webchat.resume(session_id, _max_idle_s())
        uow.commit()
        return known


def status_in(uow: AbstractUnitOfWork, session_id: str) -> dict:
    """Where the conversation is (inside an entered unit): ``{"state": "bot"}``, queued with
    ``position``, with an agent with the agent's display ``name``, a call-back with how the answer
    comes (``reply_by``: :func:`reply_by`); plus ``ticket_id``, and
    ``read_up_to`` (Unix seconds) once an agent saw some of the customer's messages.

    Args:
        uow: a unit of work the caller has entered (and commits).
        session_id: the web chat session's secret, as the browser holds it.

    Returns:
            The status dict (``state``, and ``position`` / ``name`` / ``ticket_id`` / ``read_up_to`` as they
            apply).
    """
    ticket = uow.tickets.open_for_conversation(session_id)
    if ticket is None:
        current: dict = {"state": TicketState.BOT.value}
    elif ticket.state == TicketState.QUEUED:
        current = {"state": ticket.state, "position": uow.tickets.position(ticket), "ticket_id": ticket.ticket_id}
    elif ticket.state == TicketState.WITH_AGENT:
        current = {"state": ticket.state, "agent": uow.agents.display_name(ticket.assigned_to) or "",
                   "ticket_id": ticket.ticket_id}
    else:
        current = {"state": ticket.state, "ticket_id": ticket.ticket_id}
        if ticket.state == TicketState.CALLBACK:
            current["reply_by"] = reply_by(uow, ticket)
    read_up_to = uow.webchat.read_up_to(session_id)
    if read_up_to is not None:  # the customer's messages up to then were seen by an agent (bot/channels/live.py)
        current["read_up_to"] = read_up_to
    return current


def reply_by(uow: AbstractUnitOfWork, ticket: Ticket) -> str:
    """How a colleague will answer a ``callback`` ticket, as the widget's header says it (fresh-user
    report 3: "A colleague will call you back" with no number to call): the case's contact route
    (``bot.services.tickets.contact_route``), a left message answered in this chat shown as ``chat``.

    Args:
        uow: a unit of work the caller has entered.
        ticket: the ``callback`` ticket.

    Returns:
        ``phone``, ``email``, ``sms`` or ``chat``.
    """
    route = tickets_service.contact_route(uow, ticket)
    return tickets_service.CHAT if route == tickets_service.MESSAGE else route


def status(uow: AbstractUnitOfWork, session_id: str) -> dict:
    """:func:`status_in` in its own unit of work.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        session_id: the web chat session's secret, as the browser holds it.

    Returns:
        The status dict, as :func:`status_in`.
    """
    with uow:
        return status_in(uow, session_id)


def pending_and_status(uow: AbstractUnitOfWork, session_id: str) -> tuple[List[dict], dict]:
    """What waits for the customer (now marked delivered) and the status, in one transaction.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        session_id: the web chat session's secret, as the browser holds it.

    Returns:
        ``(pending messages, status)``.
    """
    with uow:
        pending = uow.outbox.take_pending(session_id, with_time=True)  # shown when written, not when fetched
        current = status_in(uow, session_id)
        uow.commit()
        return pending, current


def resume(uow: AbstractUnitOfWork, session_id: str) -> tuple[List[dict], dict]:
    """For a returning browser: what people wrote (waiting messages flagged new, then marked
    delivered: the history carries them) and the status, in one transaction.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        session_id: the web chat session's secret, as the browser holds it.

    Returns:
        ``(messages people wrote, status)``.
    """
    with uow:
        people = people_messages(uow.outbox.all_for(session_id))
        uow.outbox.take_pending(session_id)
        current = status_in(uow, session_id)
        uow.commit()
        return people, current


def record_read(uow: AbstractUnitOfWork, ticket_id: str, conversation_id: str, viewer: str,
                up_to: float) -> bool:
    """Move the conversation's read mark forward to ``up_to`` (Unix seconds of the newest customer
    message ``viewer`` saw on ``ticket_id``); False when it was already there (nothing to tell).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        conversation_id: the conversation's Rasa sender id.
        viewer: the user name of the agent who saw it.
        up_to: Unix seconds of the newest customer message seen.

    Returns:
        True when the mark moved, False when it was already there.
    """
    with uow:
        moved = uow.webchat.record_read(ticket_id, conversation_id, viewer, up_to)
        uow.commit()
        return moved


class NotTyping(PermissionError):
    """Only the agent holding a ticket (``with_agent``) can show the customer that they are typing."""


def typing_ticket(uow: AbstractUnitOfWork, ticket_id: str, username: str) -> Ticket:
    """The ticket ``username`` is typing a reply on, checked: they hold it and it is with them.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        ticket_id: the ticket's id.
        username: the agent's user name.

    Returns:
        The ticket.

    Raises:
            TicketNotFound; TicketClosed (closed or abandoned); NotTyping (not ``with_agent`` held by
            ``username``).
    """
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            raise TicketNotFound(ticket_id)
        if ticket.state not in (TicketState.QUEUED, TicketState.WITH_AGENT, TicketState.CALLBACK):
            raise TicketClosed(ticket_id)
        if ticket.state != TicketState.WITH_AGENT or ticket.assigned_to != username:
            raise NotTyping(f"ticket {ticket_id} is not held by you: claim it first")
        return ticket


async def agent_viewed(uow_factory: UnitOfWorkFactory, view: dict, viewer: str) -> bool:
    """An agent (``viewer``, a user name) was shown ``view`` (the desk's ticket view): move the
    conversation's read mark to the newest customer message in it and tell the customer's open
    web chat (``read {up_to}``, bot/channels/live.py). Web chat tickets only; never raises (logged).

    Args:
        uow_factory: makes a fresh unit of work (used in a worker thread).
        view: the desk's ticket view (:func:`bot.services.desk.ticket_view`).
        viewer: the user name of the agent who saw it.

    Returns:
        True when the mark moved forward.
    """
    if not live.shows_receipts(view.get("channel")):
        return False
    conversation_id = view.get("conversation_id")
    up_to = live.newest_customer_message(conversation_id, view.get("transcript") or [])
    if up_to is None:
        return False
    try:
        moved = await run_db(record_read, uow_factory(), view["ticket_id"], conversation_id, viewer, up_to)
    except Exception:  # the receipt waits for the next view
        logger.exception("read mark of %s could not be stored", conversation_id)
        return False
    if moved:
        await live.signal(Channel.WEB.delivery, conversation_id, live.READ, {"up_to": up_to})
    return moved


def session_rate_limiter(limit: int, window_s: float, settings: "Optional[Settings]" = None) -> Any:
    """The web chat's per-session limiter (``await allow_async(key)``, ``retry_after(key)``):
    ``bot.storage.conversation_state.AsyncRedisRateLimiter`` when ``REDIS_URL`` is set, else
    ``bot.channels.webchat.RateLimiter`` (this process).

    Args:
        limit: requests allowed per session in ``window_s``.
        window_s: the window of the limit, in seconds.
        settings: the settings (default: ``get_settings()``).

    Returns:
        The limiter.
    """
    from bot.settings import get_settings

    settings = settings or get_settings()
    if settings.redis_url:
        from bot.storage.conversation_state import AsyncRedisRateLimiter

        return AsyncRedisRateLimiter(settings.redis_url, limit, window_s)
    from bot.channels.webchat import RateLimiter

    return RateLimiter(limit, window_s)


# --- the customer typing, for the agent's desk (issue 14) ------------------------------------
# The widget reports it over its socket while a person has the conversation (at most every 2 s,
# and "stopped" after a pause or a send); it is kept in the conversation-state store
# (bot/storage/conversation_state.py: this process, or Redis when REDIS_URL is set) so the desk's
# ticket view answers it from whichever Rasa server the agent's poll reaches. A short TTL: a
# widget that vanished without saying "stopped" shows nothing after CUSTOMER_TYPING_TTL_S.
CUSTOMER_TYPING_TTL_S = 6.0
_typing_store: Any = None


def _customer_typing_store() -> Any:
    """The process's conversation-state store for the typing flag (made on first use)."""
    global _typing_store
    if _typing_store is None:
        from bot.storage.conversation_state import state_store

        _typing_store = state_store(max_entries=20_000)
    return _typing_store


async def customer_typing(conversation_id: str, on: bool, ttl_s: float = CUSTOMER_TYPING_TTL_S) -> None:
    """The web chat customer of ``conversation_id`` is typing (``on``, kept ``ttl_s`` seconds) or
    stopped (forgotten now). Never raises: a lost hint is logged, not an error.

    Args:
        conversation_id: the conversation's Rasa sender id.
        on: True: typing now; False: stopped.
        ttl_s: how long (seconds) the typing hint is kept.

    Returns:
        None.
    """
    try:
        store = _customer_typing_store()
        if on:
            await store.put(state_key("customer_typing", conversation_id), 1, ttl_s)
        else:
            await store.delete(state_key("customer_typing", conversation_id))
    except Exception:
        logger.exception("customer typing of %s could not be stored", conversation_id)


async def customer_is_typing(view: dict) -> bool:
    """Whether the desk should show "Customer is typing…" on ``view`` (the desk's ticket view):
    a web chat ticket a person owns (``queued`` or ``with_agent``) whose customer typed in the
    last few seconds. Other channels have no typing signal: always False. Never raises.

    Args:
        view: the desk's ticket view (:func:`bot.services.desk.ticket_view`).

    Returns:
        Whether to show the hint.
    """
    if not live.shows_receipts(view.get("channel")):
        return False
    if view.get("state") not in (TicketState.QUEUED.value, TicketState.WITH_AGENT.value):
        return False
    conversation_id = view.get("conversation_id")
    if not isinstance(conversation_id, str) or not conversation_id:
        return False
    try:
        return bool(await _customer_typing_store().get(state_key("customer_typing", conversation_id)))
    except Exception:
        logger.exception("customer typing of %s could not be read", conversation_id)
        return False
