"""The agent desk: the agent API of DESIGN.md §7 and its web page, at /agent.

A Rasa custom channel only so that it is served by the Rasa server on its
port; it receives no customer messages.

Front door: logins are throttled per (user name, client address) with
capped exponential backoff (429 + ``Retry-After``); each attempt is counted
before its password is checked, so parallel guesses get one try per backoff
window. Requests without a valid token are rate-limited per client address,
authenticated ones per agent; bodies over ``MAX_BODY_BYTES`` get 413 (and
anything over ``REQUEST_MAX_BYTES`` is refused before it is read); logout
revokes the token on the server. Text fields refuse lone surrogates and
control characters, user names match ``bot.queue.agents.USERNAME_PATTERN``.
Supervisor-only: metrics, agent management (saving an agent with a new
password or role, or disabling them, ends their sessions), closing a ticket
another agent holds (403 for agents). Also installs the app-wide security
headers and limits (connectors.guard).

The queue (searched, filtered, paged), the search of past tickets and the
period metrics only parse parameters here; their SQL is in
``bot.queue.queue_queries`` (issue 16: no packet parsed, no Rasa events read).
Internal notes (any agent; never delivered), transfer to an agent or a skill
queue (the holder or a supervisor) and canned replies (read: any agent;
write: supervisors) go through ``bot.services.desk`` (issue 14).
"""
from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from datetime import datetime
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import SlotSet
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import live
from bot.queue.agents import USERNAME_PATTERN, Agent, valid_username
from bot.auth import bearer_token
from bot.services.delivery import photo_and_deliver, reply_and_deliver
from bot.domain import CHANNELS, DISPOSITIONS, LANGUAGES, Channel, IllegalTransition, TicketState
from bot.text import show_bidi_controls_in, to_utc, utcnow as _now
from bot.storage.ratelimit import limits, retry_after_header
from bot.settings import get_settings
from bot.services import ImagesBusy, agents as agents_service, run_db
from bot.services import desk as desk_service
from bot.services import takeover
from bot.services import tickets as tickets_service
from bot.services import webchat as webchat_service
from bot.services.tickets import NotHolder
from bot.queue.queue_queries import ASSIGNED, MAX_LIMIT, MAX_OFFSET, SEARCH_LIMIT, SORTS, BadQuery, Page, QueueQuery
from bot.queue.tickets import ClaimConflict, TicketClosed, TicketNotFound
from bot.storage.uow import SqlAlchemyUnitOfWork
from bot.channels.attachments import ImageRefused
from bot.services import attachments as attachments_service
from connectors import guard
from connectors.photos import ChecksInFlight, TooLarge, TooSlow, agent_hold, photo_response, read_body

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = frozenset(p.name for p in STATIC.iterdir() if p.is_file())
MAX_REPLY_CHARS = 2000
# A reply's client-chosen id (POST /api/tickets/{id}/messages ``message_id``): ASCII, 1 to 64 characters.
MESSAGE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
MAX_BODY_BYTES = 64 * 1024
# The desk loads customers' photos with the agent's token, as blob: URLs (issue 14).
PAGE_CSP = guard.STRICT_CSP.replace("img-src 'self' data:", "img-src 'self' data: blob:")
MAX_NOTE_CHARS = 4000
MAX_CANNED_TITLE_CHARS = 80


def _json(body: Any, status: int = 200, headers: Optional[dict] = None) -> HTTPResponse:
    """Every JSON answer of the agent API: bidirectional control characters in it (a customer's
    "invoice_\u202efdp.exe", an order number typed inside an override) shown as ``[U+202E]`` markers, so the
    desk never displays a customer's text reordered (a fresh new user and attacker's finding); what is stored
    keeps the characters as sent (``bot.text.show_bidi_controls``)."""
    return response.json(show_bidi_controls_in(body), status=status, headers=headers)


def _error(message: str, status: int, retry_after_s: Optional[float] = None) -> HTTPResponse:
    headers = {"Retry-After": retry_after_header(retry_after_s)} if retry_after_s else None
    return _json({"error": message}, status=status, headers=headers)


def _photo_error(message: str, status: int, code: str, retry_after_s: Optional[float] = None) -> HTTPResponse:
    """A refused photo: ``{"error": message, "code": code}`` (the code as the web chat names it:
    ``too_large``, ``too_complex``, ``busy``...; the desk words it in its language)."""
    headers = {"Retry-After": retry_after_header(retry_after_s)} if retry_after_s else None
    return _json({"error": message, "code": code}, status=status, headers=headers)


class BadInput(Exception):
    """A request the API refuses: ``status`` and a reason for the client."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class NotFound(Exception):
    """What the request names does not exist (404); the message says what (``"no such agent"``)."""


def json_object(request: Request, shape: str) -> dict:
    """The body as a JSON object (an empty body is ``{}``).

    Raises:
        BadInput: not JSON, too deeply nested, or not an object (``shape``
        names what is expected, e.g. ``{text}``).
    """
    if not request.body:
        return {}
    try:
        body = request.json
    except Exception:
        raise BadInput(f"the body must be JSON {shape}") from None
    if not isinstance(body, dict):
        raise BadInput(f"the body must be a JSON object {shape}")
    return body


def text_field(body: dict, name: str, max_chars: int, required: bool = True, kind: str = "line") -> Optional[str]:
    """``body[name]`` as text.

    Args:
        kind: ``"line"`` (no control characters), ``"text"`` (tab, newline and
            carriage return allowed) or ``"secret"`` (a password: any character
            but a lone surrogate; it is hashed, never stored as text).

    Raises:
        BadInput: missing (when ``required``) or blank, not a string, longer than
        ``max_chars`` (413), not valid Unicode (a lone surrogate), or holding a
        NUL or other control character the ``kind`` does not allow.
    """
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BadInput(f"{name} must be a non-empty string")
    if len(value) > max_chars:
        raise BadInput(f"{name} longer than {max_chars} characters", 413)
    if kind == "secret":
        problem = "is not valid Unicode (lone surrogate)" if guard.has_lone_surrogate(value) else None
    else:
        problem = guard.text_problem(value, multiline=kind == "text")
    if problem:
        raise BadInput(f"{name} {problem}")
    return value


def _valid_id(value: str) -> bool:
    return 0 < len(value) <= 128 and not guard.has_lone_surrogate(value)


def _authenticate(token: str) -> Optional[Agent]:
    return agents_service.agent_for_token(SqlAlchemyUnitOfWork(), token)


def requires_agent(handler: Optional[Callable[..., Awaitable[HTTPResponse]]] = None, *,
                   role: Optional[str] = None):
    """Decorator: the handler gets the authenticated ``Agent`` after the request.

    401 without a valid bearer token (counted against the client address:
    429 once over the limit, so tokens cannot be guessed at speed), 429 when the agent is over their own limit,
    403 when ``role="supervisor"`` and the agent is not one, 400/413 for a
    ``BadInput`` the handler raises.
    """
    def decorate(handler: Callable[..., Awaitable[HTTPResponse]]):
        @functools.wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            lim = limits()
            token = bearer_token(request.headers.get("Authorization")) or ""
            valid = 0 < len(token) <= 256 and not guard.has_lone_surrogate(token)
            # a token is one primary-key lookup: a valid one is never refused for its address's sake
            agent = await run_db(_authenticate, token) if valid else None
            if agent is None:
                wait = await lim.address.hit_async(f"agent|{lim.address_of(request)}")
                if wait:
                    return _error("too many requests without a valid token; slow down", 429, wait)
                return _error("missing, invalid or expired bearer token", 401)
            wait = await lim.address.hit_async(f"agent|@{agent.username}")
            if wait:
                return _error("too many requests; slow down", 429, wait)
            if role == "supervisor" and not agent.is_supervisor:
                return _error("for supervisors only", 403)
            if "ticket_id" in kwargs and not _valid_id(kwargs["ticket_id"]):
                return _error("no such ticket", 404)
            return await answers_errors(handler)(request, agent, *args, **kwargs)

        return wrapped

    return decorate(handler) if handler is not None else decorate


def answers_errors(handler: Callable[..., Awaitable[HTTPResponse]]) -> Callable[..., Awaitable[HTTPResponse]]:
    """Decorator: a ``BadInput`` or service error the handler raises becomes its JSON answer
    through the desk's one table (``ERROR_STATUS``, ``problem_response``)."""
    @functools.wraps(handler)
    async def wrapped(*args: Any, **kwargs: Any) -> HTTPResponse:
        try:
            return await handler(*args, **kwargs)
        except DESK_ERRORS as error:
            return problem_response(error)

    return wrapped


# The one exception -> HTTP mapping of the desk: each error carries its message for the client.
ERROR_STATUS = {TicketNotFound: 404, TicketClosed: 409, ClaimConflict: 409, NotHolder: 403, BadQuery: 400,
                desk_service.TransferRefused: 403, desk_service.UnknownTarget: 400, IllegalTransition: 409,
                desk_service.CannedReplyNotFound: 404, desk_service.CannedTitleTaken: 409,
                webchat_service.NotTyping: 403, NotFound: 404, tickets_service.ReplyIdConflict: 409,
                tickets_service.LiveCallReply: 422,
                agents_service.AgentRefused: 400, agents_service.CannotDisableSelf: 409}
DESK_ERRORS = (BadInput, *ERROR_STATUS)


def problem_response(error: Exception) -> HTTPResponse:
    """The JSON ``{"error"}`` answer for a refused request or a service error (see ``ERROR_STATUS``)."""
    status = error.status if isinstance(error, BadInput) else ERROR_STATUS[type(error)]
    return _error(str(error), status)


def _ticket_view(ticket_id: str) -> Optional[dict]:
    return desk_service.ticket_view(SqlAlchemyUnitOfWork(), ticket_id, _now())


MAX_QUERY_CHARS = 200


def _query_text(request: Request, required: bool = False) -> Optional[str]:
    """``q``: up to ``MAX_QUERY_CHARS`` characters, no control characters. Raises BadInput."""
    q = request.args.get("q")
    if q is None or not q.strip():
        if required:
            raise BadInput("q is required: an order number, e-mail, phone, ticket or conversation id, or text")
        return None
    if len(q) > MAX_QUERY_CHARS:
        raise BadInput(f"q longer than {MAX_QUERY_CHARS} characters")
    problem = guard.text_problem(q, multiline=False)
    if problem:
        raise BadInput(f"q {problem}")
    return q.strip()


def _int_arg(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise BadInput(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def _choice_arg(request: Request, name: str, choices: tuple, default: Optional[str]) -> Optional[str]:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise BadInput(f"{name} must be one of {', '.join(choices)}")
    return raw


def queue_query(request: Request, viewer: str) -> QueueQuery:
    """The queue's parameters (``q, channel, language, assigned, sort, limit, offset, cursor``).

    Raises:
        BadInput: an unknown channel, language, ``assigned`` or ``sort``; a
        limit outside 1..200; ``cursor`` together with ``offset``.
    """
    language = request.args.get("language") or None
    if language is not None and not (len(language) <= 8 and language.isascii() and language.isalpha()):
        raise BadInput("language must be a language code such as en or zh")
    cursor = request.args.get("cursor") or None
    offset = _int_arg(request, "offset", 0, 0, MAX_OFFSET)
    if cursor is not None and (offset or len(cursor) > 512 or not cursor.isascii()):
        raise BadInput("cursor must be a value from X-Next-Cursor, without offset")
    return QueueQuery(
        viewer=viewer, q=_query_text(request), channel=_choice_arg(request, "channel", CHANNELS, None),
        language=language.lower() if language else None,
        assigned=_choice_arg(request, "assigned", ASSIGNED, "none"),
        sort=_choice_arg(request, "sort", tuple(SORTS), "priority"),
        limit=_int_arg(request, "limit", 50, 1, MAX_LIMIT), offset=offset, cursor=cursor,
    )


def _since_arg(request: Request, now: datetime) -> Optional[datetime]:
    raw = request.args.get("since")
    if raw is None or raw == "":
        return None
    try:
        since = datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadInput("since must be an ISO-8601 date or time, e.g. 2026-11-30T08:00:00Z") from None
    try:
        since = to_utc(since)
    except (OverflowError, ValueError):  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise BadInput("since is out of range") from None
    if since > now:
        raise BadInput("since is in the future")
    return since


def viewer_language(request: Request) -> str:
    """The desk language (en | zh) the viewing agent reads: the first of ``Accept-Language``'s
    languages (by ``q``, then order) that is one of the desk's (the desk sends its language
    switch's choice), otherwise ``DESK_LANGUAGE``."""
    ranked = []
    for position, part in enumerate((request.headers.get("accept-language") or "")[:256].split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and q > 0:
            ranked.append((-q, position, primary))
    return min(ranked)[2] if ranked else get_settings().desk_language


def in_viewer_language(request: Request, items: list) -> list:
    """List rows (queue views with ``summaries``) with ``summary`` in the viewer's language
    (:func:`viewer_language`); rows keep ``summaries``, so a client can switch without asking again."""
    lang = viewer_language(request)
    return [{**item, "summary": (item.get("summaries") or {}).get(lang) or item.get("summary")}
            if isinstance(item, dict) else item for item in items]


def _page_response(request: Request, page: Page) -> HTTPResponse:
    """A page as the JSON list of its items, with ``X-Total-Count`` and the way to the next page."""
    headers = {"X-Total-Count": str(page.total)}
    if page.extra.get("total_capped"):
        headers["X-Total-Count-Capped"] = "true"
    params = {k: v for k, v in request.args.items() if k not in ("cursor", "offset")}
    if page.next_cursor:
        headers["X-Next-Cursor"] = page.next_cursor
        params["cursor"] = [page.next_cursor]
    elif page.next_offset is not None:
        headers["X-Next-Offset"] = str(page.next_offset)
        params["offset"] = [str(page.next_offset)]
    if page.next_cursor or page.next_offset is not None:
        from urllib.parse import urlencode

        headers["Link"] = f'<{request.path}?{urlencode(params, doseq=True)}>; rel="next"'
    return _json(in_viewer_language(request, page.items), headers=headers)


class RasaServer:
    """The running Rasa server as ``bot.services.takeover.Assistant``: the tracker's hand-over
    state and bot turns, each under the conversation's lock like any turn."""

    def __init__(self, request: Request) -> None:
        self.agent = request.app.ctx.agent

    async def set_handoff_state(self, conversation_id: str, state: TicketState) -> None:
        """Write ``state`` into the tracker's ``handoff_state``, so the customer's messages go to the
        ticket, not the bot (a claim of a call-back writes ``with_agent``, a transfer to a skill
        queue ``queued``: DESIGN.md §4). No tracker store: nothing to do. Never raises (logged)."""
        if self.agent is None or self.agent.tracker_store is None:
            return
        try:
            async with self.agent.lock_store.lock(conversation_id):
                tracker = await self.agent.tracker_store.retrieve(conversation_id)
                if tracker is None or tracker.get_slot("handoff_state") == state:
                    return
                tracker.update(SlotSet("handoff_state", state.value))
                await self.agent.tracker_store.save(tracker)
        except Exception:
            logger.exception("could not set %s's hand-over state to %s in the tracker", conversation_id, state)

    async def run_action(self, conversation_id: str, action: str) -> list:
        """Run ``action`` then ``action_listen`` (as after any bot turn: the assistant now waits for
        the customer); what the bot said, without ``recipient_id``. Raises what Rasa raises."""
        collector = CollectingOutputChannel()
        async with self.agent.lock_store.lock(conversation_id):
            await self.agent.execute_action(conversation_id, action, collector, None, 1.0)
            await self.agent.execute_action(conversation_id, "action_listen", collector, None, 1.0)
        return [{k: v for k, v in m.items() if k != "recipient_id"} for m in collector.messages]


class AgentDeskInput(InputChannel):
    """The agent desk as a Rasa input channel: the desk page and its agent API under ``/agent`` (DESIGN §7).

    It receives no customer messages; it is a channel so the desk runs inside the
    Rasa server, next to the tracker store it reads and the conversations it hands back.
    """

    @classmethod
    def name(cls) -> str:
        """Rasa's channel name: ``agent``."""
        return "agent"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict]) -> "AgentDeskInput":
        """Build the channel from its credentials.yml entry; it takes no settings (the desk reads the environment)."""
        return cls()

    def url_prefix(self) -> str:
        """Where Rasa mounts the blueprint: ``/agent``."""
        return "/agent"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """The Sanic blueprint of the desk page, its static files and the agent API (login, queue, tickets, metrics).

        Args:
            on_new_message: Rasa's handler for user messages; not used (the desk receives no customer messages).

        Returns:
            The blueprint; its routes answer 4xx JSON ``{"error": reason}`` for bad requests and refusals.
        """
        desk = guard.AppBlueprint("agent_desk", __name__)  # adds HEAD / for the whole server (report 7)
        # The desk is served to its own origin only: no Access-Control-Allow-Origin (nor
        # credentials) for anyone, whatever Rasa's --cors says for its own routes.
        guard.cors_policy(self.url_prefix(), lambda request: None)

        @desk.listener("before_server_start")
        async def security_headers(app: Any, _loop: Any) -> None:
            guard.install(app)

        @desk.middleware("request")
        async def body_limit(request: Request) -> Optional[HTTPResponse]:
            if request.path.endswith("/attachments") and request.method == "POST":
                return None  # a photo: its own limit (ATTACHMENT_MAX_BYTES, bot.services.attachments)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return _error(f"body larger than {MAX_BODY_BYTES} bytes", 413)
            return None

        @desk.route("/", methods=["GET", "HEAD"])  # HEAD: uptime checks (a fresh new user's finding)
        async def page(request: Request) -> HTTPResponse:
            return await response.file(STATIC / "index.html", mime_type="text/html; charset=utf-8",
                                       headers={"Content-Security-Policy": PAGE_CSP, "X-Frame-Options": "DENY",
                                                "Referrer-Policy": "no-referrer"})

        @desk.route("/supervisor", methods=["GET", "HEAD"])
        async def supervisor_page(request: Request) -> HTTPResponse:
            # The page holds no data: its script asks GET /api/metrics with the supervisor's
            # token, and the API refuses agents (403); the page then says "for supervisors only".
            return await response.file(STATIC / "supervisor.html", mime_type="text/html; charset=utf-8",
                                       headers={"Content-Security-Policy": PAGE_CSP, "X-Frame-Options": "DENY",
                                                "Referrer-Policy": "no-referrer"})

        @desk.route("/static/<name:str>", methods=["GET", "HEAD"])  # public, as /chat/*: HEAD too (report 7)
        async def static(request: Request, name: str) -> HTTPResponse:
            # Only the files the desk ships: a name is looked up, never opened as a path
            # (a 300-character name made the file system raise "File name too long": a 500).
            if name not in STATIC_FILES:
                return _error("not found", 404)
            return await response.file(STATIC / name)

        self._session_routes(desk)
        self._agent_admin_routes(desk)
        self._agent_activation_routes(desk)
        self._ticket_action_routes(desk)
        self._desk_tool_routes(desk)
        self._photo_routes(desk)

        self._queue_routes(desk)
        self._typing_route(desk)
        return desk

    def _queue_routes(self, desk: Blueprint) -> None:
        """The queue, search, a conversation's tickets, one ticket, and the supervisor's metrics
        (DESIGN.md §7; SQL in bot/queue/queue_queries.py)."""
        @desk.route("/api/queue", methods=["GET"])
        @requires_agent
        async def queue(request: Request, agent: Agent) -> HTTPResponse:
            """Open tickets, searched, filtered and paged (DESIGN.md §7): a JSON list as before;
            the total in ``X-Total-Count``, the next page in ``X-Next-Cursor`` and ``Link``."""
            query = queue_query(request, agent.username)
            return _page_response(request, await run_db(tickets_service.queue_page, SqlAlchemyUnitOfWork(),
                                                        query, _now()))

        @desk.route("/api/search", methods=["GET"])
        @requires_agent
        async def search(request: Request, agent: Agent) -> HTTPResponse:
            """Tickets in any state (past ones too) by order number, e-mail, phone, ticket or
            conversation id, or text; newest first, ``limit``/``offset`` paged."""
            q = _query_text(request, required=True)
            limit = _int_arg(request, "limit", SEARCH_LIMIT, 1, 100)
            offset = _int_arg(request, "offset", 0, 0, MAX_OFFSET)

            page = await run_db(tickets_service.search, SqlAlchemyUnitOfWork(), q, _now(), limit, offset)
            return _page_response(request, page)

        @desk.route("/api/tickets", methods=["GET"])
        @requires_agent
        async def tickets(request: Request, agent: Agent) -> HTTPResponse:
            conversation_id = request.args.get("conversation_id")
            if not conversation_id or not _valid_id(conversation_id):
                raise BadInput("conversation_id is required (at most 128 characters)")

            return _json(in_viewer_language(request, await run_db(
                tickets_service.conversation_tickets, SqlAlchemyUnitOfWork(), conversation_id, _now())))

        @desk.route("/api/tickets/<ticket_id:str>", methods=["GET"])
        @requires_agent
        async def ticket(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            view = await run_db(_ticket_view, ticket_id)
            if not view:
                raise TicketNotFound(ticket_id)
            # the customer's widget shows their messages in it as read (bot/channels/live.py)
            await webchat_service.agent_viewed(SqlAlchemyUnitOfWork, view, agent.username)
            # a web chat customer typing now (their widget reports it; bot.services.webchat)
            view["customer_typing"] = await webchat_service.customer_is_typing(view)
            return _json(view)

        @desk.route("/api/metrics", methods=["GET"])
        @requires_agent(role="supervisor")
        async def metrics(request: Request, agent: Agent) -> HTTPResponse:
            """Figures for ``since`` (ISO-8601; default the last 24 hours) until now, as SQL aggregates."""
            now = _now()
            since = _since_arg(request, now)

            return _json(await run_db(tickets_service.metrics, SqlAlchemyUnitOfWork(), now, since))

    def _session_routes(self, desk: Blueprint) -> None:
        """Log in (throttled) and out."""
        @desk.route("/api/login", methods=["POST"])
        @answers_errors
        async def login(request: Request) -> HTTPResponse:
            lim = limits()
            address = lim.address_of(request)
            wait = await lim.address.hit_async(f"agent|{address}")
            if wait:
                return _error("too many requests from this address; slow down", 429, wait)
            body = json_object(request, "{username, password}")
            username = text_field(body, "username", 64)
            password = text_field(body, "password", 1024, kind="secret")
            # Counted before the (slow) password check, atomically: of parallel
            # guesses only those the backoff allows get checked.
            wait, blocked = await lim.login.attempt_async(username, address)
            if wait:
                return _error(f"too many failed logins; try again in {retry_after_header(wait)} s", 429, wait)

            result = await run_db(agents_service.log_in, SqlAlchemyUnitOfWork(), username, password, address)
            if result is None:
                if blocked:
                    return _error(f"wrong user name or password; try again in {retry_after_header(blocked)} s",
                                  401, blocked)
                return _error("wrong user name or password", 401)
            await lim.login.succeeded_async(username, address)
            token, agent = result
            return _json({"token": token, "agent": agent.as_dict()})

        @desk.route("/api/logout", methods=["POST"])
        @requires_agent
        async def logout(request: Request, agent: Agent) -> HTTPResponse:
            token = bearer_token(request.headers.get("Authorization")) or ""

            await run_db(agents_service.log_out, SqlAlchemyUnitOfWork(), token, agent.username)
            return _json({"status": "logged_out"})

    def _agent_admin_routes(self, desk: Blueprint) -> None:
        """List agents; create or update one (supervisors)."""
        @desk.route("/api/agents", methods=["GET"])
        @requires_agent(role="supervisor")
        async def agents(request: Request, agent: Agent) -> HTTPResponse:
            return _json(await run_db(agents_service.everyone, SqlAlchemyUnitOfWork(), _now()))

        @desk.route("/api/agents", methods=["POST"])
        @requires_agent(role="supervisor")
        async def save_agent(request: Request, agent: Agent) -> HTTPResponse:
            """Create an agent (201) or update an existing one (200, ``updated``: true).

            A new password or role ends the agent's sessions; ``active`` false
            disables them, true enables them (omitted: unchanged).
            """
            body = json_object(request, "{username, password, display_name, role, skills?, active?}")
            username = body.get("username")
            if not valid_username(username):
                raise BadInput(f"username must match {USERNAME_PATTERN.pattern} "
                               "(letters, digits, '.', '_', '@', '-'; at most 64)")
            password = text_field(body, "password", 1024)
            display_name = text_field(body, "display_name", 120)
            role = body.get("role", "agent")
            skills = body.get("skills")
            if skills is not None and (not isinstance(skills, list) or len(skills) > 20 or not all(
                    isinstance(k, str) and 0 < len(k) <= 32 and not guard.text_problem(k) for k in skills)):
                raise BadInput("skills must be a list of short strings without control characters")
            active = body.get("active")
            if active is not None and not isinstance(active, bool):
                raise BadInput("active must be true or false")

            view, created = await run_db(agents_service.save_agent, SqlAlchemyUnitOfWork(), username, password,
                                         display_name, role, skills, active, agent.username)
            return _json(view, status=201 if created else 200)

    def _agent_activation_routes(self, desk: Blueprint) -> None:
        """Disable and enable agents (supervisors)."""
        async def set_active(request: Request, agent: Agent, username: str, active: bool) -> HTTPResponse:
            done = (await run_db(agents_service.set_active, SqlAlchemyUnitOfWork(), username, active, agent.username)
                    if valid_username(username) else None)
            if not done:
                raise NotFound("no such agent")
            return _json(done)

        @desk.route("/api/agents/<username:str>/disable", methods=["POST"])
        @requires_agent(role="supervisor")
        async def disable_agent(request: Request, agent: Agent, username: str) -> HTTPResponse:
            """Disable an agent: they cannot log in, and every token of theirs stops working at once."""
            return await set_active(request, agent, username, False)

        @desk.route("/api/agents/<username:str>/enable", methods=["POST"])
        @requires_agent(role="supervisor")
        async def enable_agent(request: Request, agent: Agent, username: str) -> HTTPResponse:
            """Enable a disabled agent again (they log in anew)."""
            return await set_active(request, agent, username, True)

    def _ticket_action_routes(self, desk: Blueprint) -> None:
        """Claim, reply to and close a ticket (DESIGN.md §7) through bot.services.tickets."""
        @desk.route("/api/tickets/<ticket_id:str>/claim", methods=["POST"])
        @requires_agent
        async def claim(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            await takeover.claim_and_announce(SqlAlchemyUnitOfWork, RasaServer(request), ticket_id, agent.username,
                                              agent.display_name)
            view = await run_db(_ticket_view, ticket_id)
            await webchat_service.agent_viewed(SqlAlchemyUnitOfWork, view, agent.username)  # the claim shows it too
            return _json(view)

        @desk.route("/api/tickets/<ticket_id:str>/messages", methods=["POST"])
        @requires_agent
        async def message(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            """``{text, message_id?}``: deliver a reply to the customer. ``message_id`` (the client's id
            for this reply, ``MESSAGE_ID``) makes a retry safe: the same id again (same agent,
            text and ticket, on any server) delivers nothing more and answers as the first call,
            plus ``"duplicate": true``; the id used for another reply on the ticket is a 409. A live phone
            call (``bot.services.tickets.call_is_live``) is a 422: the caller never hears a typed reply."""
            body = json_object(request, "{text, message_id?}")
            text = text_field(body, "text", MAX_REPLY_CHARS, kind="text")
            message_id = body.get("message_id")
            if message_id is not None and not (isinstance(message_id, str) and MESSAGE_ID.fullmatch(message_id)):
                raise BadInput("message_id must be 1 to 64 characters: letters, digits, '.', '_', ':' or '-'")

            return _json(await reply_and_deliver(SqlAlchemyUnitOfWork, ticket_id, agent.username,
                                                         agent.display_name, text, message_id=message_id))

        @desk.route("/api/tickets/<ticket_id:str>/close", methods=["POST"])
        @requires_agent
        async def close(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            disposition = json_object(request, "{disposition}").get("disposition", "resolved")
            if not isinstance(disposition, str) or disposition not in DISPOSITIONS:
                raise BadInput(f"disposition must be one of {', '.join(DISPOSITIONS)}")

            # an agent closes what they hold; a supervisor closes any ticket
            await takeover.close_and_hand_back(SqlAlchemyUnitOfWork, RasaServer(request), ticket_id, agent.username,
                                               disposition, agent.is_supervisor)
            return _json(await run_db(_ticket_view, ticket_id))

    def _photo_routes(self, desk: Blueprint) -> None:
        """A photo for the desk, and an agent's photo to the customer (issue 14)."""
        @desk.route("/api/attachments/<attachment_id:str>", methods=["GET"])
        @requires_agent
        async def photo(request: Request, agent: Agent, attachment_id: str) -> HTTPResponse:
            """Any ticket's photo (agents see every ticket); 404 for an unknown id."""
            found = await run_db(attachments_service.for_agent, SqlAlchemyUnitOfWork(), attachment_id)
            if found is None:
                raise NotFound("no such photo")
            return photo_response(found, request.args.get("size"))

        @desk.route("/api/tickets/<ticket_id:str>/attachments", methods=["POST"], stream=True)
        @requires_agent
        async def send_photo(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            """The body is the picture's bytes (checked by content like a customer's; ``?text=`` an
            optional caption). Recorded on the ticket and delivered on the customer's channel as an
            image. 201 ``{status, attachment}``; 400/413/415 for a refused picture, 409 when the
            agent does not hold the ticket, 422 on a channel that cannot show a photo (REST, phone),
            429 ``checks_in_flight`` past PHOTO_CHECKS_PER_AGENT photos in flight (rev14d #2)."""
            caption = request.args.get("text")
            if caption is not None:
                caption = text_field({"text": caption}, "text", MAX_REPLY_CHARS, kind="text")
            # a channel that cannot show a photo: refused before the body is read (review rev14 #6)
            refusal = await run_db(attachments_service.photo_refusal, SqlAlchemyUnitOfWork(), ticket_id)
            if refusal:
                raise BadInput(refusal, 422)
            try:
                # rev14d #2: at most PHOTO_CHECKS_PER_AGENT in flight, refused at once
                with agent_hold(agent.username) as hold:
                    data = await read_body(request, attachments_service.limits()[0])
                    # holder, picture pool, store, deliver: one use case (bot.services.delivery); once
                    # the body is here it runs to its end (and holds) even if the desk goes away
                    sent = await hold.run(photo_and_deliver(SqlAlchemyUnitOfWork, ticket_id, agent.username,
                                                            agent.display_name, data, caption))
            except ChecksInFlight as busy:
                return _photo_error(str(busy), 429, "checks_in_flight", busy.retry_after_s)
            except TooLarge as refused:  # {"error", "code"}: the desk translates by code (rev14c #3)
                return _photo_error(str(refused), 413, "too_large")
            except TooSlow as slow:  # rev14e #1: a stalled body frees the agent's slot
                return _photo_error(str(slow), 408, "too_slow")
            except ImageRefused as refused:
                return _photo_error(str(refused), refused.status, refused.code)
            except ImagesBusy as busy:
                return _photo_error(str(busy), 503, "busy", busy.retry_after_s)
            return _json(sent, status=201)

    def _desk_tool_routes(self, desk: Blueprint) -> None:
        """Internal notes, transfer and canned replies (issue 14; bot.services.desk)."""
        @desk.route("/api/tickets/<ticket_id:str>/notes", methods=["POST"])
        @requires_agent
        async def add_note(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            """``{text}``: an internal note any agent may add (201 ``{id, author, text, created_at}``);
            shown as ``notes`` in the ticket, never delivered to the customer."""
            text = text_field(json_object(request, "{text}"), "text", MAX_NOTE_CHARS, kind="text")

            note = await run_db(desk_service.add_note, SqlAlchemyUnitOfWork(), ticket_id, agent.username, text.strip())
            return _json(note, status=201)

        @desk.route("/api/tickets/<ticket_id:str>/transfer", methods=["POST"])
        @requires_agent
        async def transfer(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            """``{agent}`` (stays with_agent, held by them) or ``{skill}`` (back to the queue, unassigned);
            the holder or a supervisor only. Answers the ticket as ``GET /tickets/{id}`` does."""
            body = json_object(request, "{agent} or {skill}")
            if ("agent" in body) == ("skill" in body):
                raise BadInput("give either agent (a user name) or skill, not both")
            target = skill = None
            if "agent" in body:
                target = body["agent"]
                if not valid_username(target):
                    raise BadInput(f"agent must be a user name matching {USERNAME_PATTERN.pattern}")
            else:
                skill = text_field(body, "skill", 32)

            await takeover.transfer_and_announce(SqlAlchemyUnitOfWork, RasaServer(request), ticket_id,
                                                 agent.username, agent.is_supervisor, target, skill)
            return _json(await run_db(_ticket_view, ticket_id))

        @desk.route("/api/transfer-targets", methods=["GET"])
        @requires_agent
        async def transfer_targets(request: Request, agent: Agent) -> HTTPResponse:
            """``{agents: [{username, display_name, skills, online}], skills}``: whom any agent may
            transfer to (the supervisors' ``GET /agents`` shows more)."""
            return _json(await run_db(desk_service.transfer_targets, SqlAlchemyUnitOfWork(), _now()))

        @desk.route("/api/canned", methods=["GET"])
        @requires_agent
        async def canned(request: Request, agent: Agent) -> HTTPResponse:
            """Canned replies of ``language`` (en | zh; all without it), by title."""
            language = _choice_arg(request, "language", LANGUAGES, None)

            return _json(await run_db(desk_service.canned_replies, SqlAlchemyUnitOfWork(), language))

        @desk.route("/api/canned", methods=["POST"])
        @requires_agent(role="supervisor")
        async def save_canned(request: Request, agent: Agent) -> HTTPResponse:
            """Supervisors: ``{language, title, text}`` creates (201), ``{id, language, title, text}``
            replaces (200), ``{id, delete: true}`` deletes (200 ``{deleted: id}``)."""
            body = json_object(request, "{language, title, text}, {id, language, title, text} or {id, delete: true}")
            reply_id = body.get("id")
            if reply_id is not None and (not isinstance(reply_id, int) or isinstance(reply_id, bool)
                                         or not 0 < reply_id < 2**31):
                raise BadInput("id must be a positive whole number (a canned reply's id)")
            if body.get("delete") is not None:
                if body["delete"] is not True or reply_id is None:
                    raise BadInput("to delete, send {id, delete: true}")
                await run_db(desk_service.delete_canned, SqlAlchemyUnitOfWork(), reply_id, agent.username)
                return _json({"deleted": reply_id})
            language = body.get("language")
            if language not in LANGUAGES:
                raise BadInput(f"language must be one of {', '.join(LANGUAGES)}")
            title = text_field(body, "title", MAX_CANNED_TITLE_CHARS).strip()
            text = text_field(body, "text", MAX_REPLY_CHARS, kind="text").strip()

            saved, created = await run_db(desk_service.save_canned, SqlAlchemyUnitOfWork(), reply_id, language,
                                          title, text, agent.username)
            return _json(saved, status=201 if created else 200)

    @staticmethod
    def _typing_route(desk: Blueprint) -> None:
        """``POST /api/tickets/{id}/typing``: the holder is typing a reply; the customer's web chat
        shows it for a few seconds (the desk sends it at most every few seconds while typing).
        ``{"status": "sent"}``, or ``"no_client"`` when no widget of the customer is open."""
        @desk.route("/api/tickets/<ticket_id:str>/typing", methods=["POST"])
        @requires_agent
        async def typing(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            ticket = await run_db(webchat_service.typing_ticket, SqlAlchemyUnitOfWork(), ticket_id, agent.username)
            sent = await live.signal(Channel.from_input(ticket.channel).delivery, ticket.conversation_id,
                                     live.AGENT_TYPING, {"agent": agent.display_name})
            return _json({"status": "sent" if sent else "no_client"})
