"""The agent desk: the agent API of DESIGN.md §7 and its web page, at /agent.

A Rasa custom channel only so that it is served by the Rasa server on its
port; it receives no customer messages.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import text as sql

from bot.agents import Agent
from bot.delivery import deliver
from bot.tickets import ClaimConflict, TicketClosed, TicketNotFound
from bot.uow import SqlAlchemyUnitOfWork

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
DISPOSITIONS = ("resolved", "follow_up", "no_response", "transferred")
MAX_REPLY_CHARS = 2000
# Rasa input channel name of each packet channel, for delivery.
DELIVERY_CHANNEL = {"rest": "rest", "web": "webchat", "wechat": "wechat", "ivr": "ivr"}
JOINED = {
    "en": "{name} from our support team has joined the chat.",
    "zh": "客服{name}已接入，将为您继续处理。",
}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _error(message: str, status: int) -> HTTPResponse:
    return response.json({"error": message}, status=status)


async def run_db(fn: Callable, *args: Any) -> Any:
    """SQLAlchemy is synchronous: keep it off the event loop."""
    return await asyncio.to_thread(fn, *args)


def _authenticate(token: str) -> Optional[Agent]:
    with SqlAlchemyUnitOfWork() as uow:
        agent = uow.agents.agent_for_token(token)
        uow.commit()  # last_seen_at: the agent is online
    return agent


def requires_agent(handler: Callable[..., Awaitable[HTTPResponse]]):
    @functools.wraps(handler)
    async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        header = request.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        agent = await run_db(_authenticate, token) if token else None
        if agent is None:
            return _error("missing, invalid or expired bearer token", 401)
        return await handler(request, agent, *args, **kwargs)

    return wrapped


def _ticket_view(ticket_id: str) -> Optional[dict]:
    with SqlAlchemyUnitOfWork() as uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            return None
        return {
            **ticket.queue_view(_now()),
            "packet": ticket.packet,
            "transcript": uow.tickets.transcript(ticket),
        }


def _conversation_count(uow: SqlAlchemyUnitOfWork) -> int:
    try:
        return int(uow._session.execute(sql("SELECT count(DISTINCT sender_id) FROM events")).scalar_one())
    except Exception:  # Rasa's tables not created yet
        uow._session.rollback()
        return 0


class AgentDeskInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "agent"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict]) -> "AgentDeskInput":
        return cls()

    def url_prefix(self) -> str:
        return "/agent"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        desk = Blueprint("agent_desk", __name__)

        @desk.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return await response.file(STATIC / "index.html", mime_type="text/html; charset=utf-8")

        @desk.route("/static/<name:str>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            path = (STATIC / name).resolve()
            if path.parent != STATIC or not path.is_file():
                return _error("not found", 404)
            return await response.file(path)

        @desk.route("/api/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            body = request.json if request.body else None
            if not isinstance(body, dict):
                return _error("expected JSON {username, password}", 400)

            def check() -> Optional[tuple[str, Agent]]:
                with SqlAlchemyUnitOfWork() as uow:
                    agent = uow.agents.authenticate(str(body.get("username", "")), str(body.get("password", "")))
                    if agent is None:
                        uow.tickets.audit(str(body.get("username", ""))[:64], "login_failed", None)
                        uow.commit()
                        return None
                    token = uow.agents.issue_token(agent.username)
                    uow.tickets.audit(agent.username, "login", None)
                    uow.commit()
                    return token, agent

            result = await run_db(check)
            if result is None:
                return _error("wrong user name or password", 401)
            token, agent = result
            return response.json({"token": token, "agent": agent.as_dict()})

        @desk.route("/api/queue", methods=["GET"])
        @requires_agent
        async def queue(request: Request, agent: Agent) -> HTTPResponse:
            def waiting() -> list:
                with SqlAlchemyUnitOfWork() as uow:
                    return [t.queue_view(_now()) for t in uow.tickets.waiting()]

            return response.json(await run_db(waiting))

        @desk.route("/api/tickets", methods=["GET"])
        @requires_agent
        async def tickets(request: Request, agent: Agent) -> HTTPResponse:
            conversation_id = request.args.get("conversation_id")
            if not conversation_id:
                return _error("conversation_id is required", 400)

            def find() -> list:
                with SqlAlchemyUnitOfWork() as uow:
                    return [t.queue_view(_now()) for t in uow.tickets.for_conversation(conversation_id)]

            return response.json(await run_db(find))

        @desk.route("/api/tickets/<ticket_id:str>", methods=["GET"])
        @requires_agent
        async def ticket(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            view = await run_db(_ticket_view, ticket_id)
            return response.json(view) if view else _error("no such ticket", 404)

        @desk.route("/api/tickets/<ticket_id:str>/claim", methods=["POST"])
        @requires_agent
        async def claim(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            def take():
                with SqlAlchemyUnitOfWork() as uow:
                    claimed = uow.tickets.claim(ticket_id, agent.username)
                    uow.commit()
                    return claimed

            try:
                claimed = await run_db(take)
            except TicketNotFound:
                return _error("no such ticket", 404)
            except TicketClosed:
                return _error("ticket is closed", 409)
            except ClaimConflict as conflict:
                return _error(f"ticket {ticket_id} is held by {conflict.holder}", 409)
            note = JOINED.get(claimed.language, JOINED["en"]).format(name=agent.display_name)
            await deliver(
                SqlAlchemyUnitOfWork, claimed.conversation_id, DELIVERY_CHANNEL.get(claimed.channel, "rest"),
                [{"text": note, "custom": {"from": "system", "agent": agent.display_name}}],
            )
            return response.json(await run_db(_ticket_view, ticket_id))

        @desk.route("/api/tickets/<ticket_id:str>/messages", methods=["POST"])
        @requires_agent
        async def message(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            body = request.json if request.body else None
            text = (body or {}).get("text") if isinstance(body, dict) else None
            if not isinstance(text, str) or not text.strip():
                return _error("expected JSON {text}", 400)
            if len(text) > MAX_REPLY_CHARS:
                return _error(f"reply longer than {MAX_REPLY_CHARS} characters", 413)

            def record():
                with SqlAlchemyUnitOfWork() as uow:
                    current = uow.tickets.get(ticket_id)
                    if current is None:
                        raise TicketNotFound(ticket_id)
                    if current.state != "with_agent" or current.assigned_to != agent.username:
                        raise ClaimConflict(ticket_id, current.assigned_to)
                    uow.tickets.add_event(ticket_id, "message", agent.username, text,
                                          {"from": "agent", "channel": current.channel})
                    uow.commit()
                    return current

            try:
                current = await run_db(record)
            except TicketNotFound:
                return _error("no such ticket", 404)
            except ClaimConflict as conflict:
                return _error(f"claim the ticket first (held by {conflict.holder})", 409)
            pushed = await deliver(
                SqlAlchemyUnitOfWork, current.conversation_id, DELIVERY_CHANNEL.get(current.channel, "rest"),
                [{"text": text, "custom": {"from": "agent", "agent": agent.display_name}}],
            )
            return response.json({"status": "sent" if pushed else "queued_for_delivery"})

        @desk.route("/api/tickets/<ticket_id:str>/close", methods=["POST"])
        @requires_agent
        async def close(request: Request, agent: Agent, ticket_id: str) -> HTTPResponse:
            body = request.json if request.body else {}
            disposition = (body or {}).get("disposition", "resolved")
            if disposition not in DISPOSITIONS:
                return _error(f"disposition must be one of {', '.join(DISPOSITIONS)}", 400)

            def shut():
                with SqlAlchemyUnitOfWork() as uow:
                    closed = uow.tickets.close(ticket_id, agent.username, disposition)
                    uow.commit()
                    return closed

            try:
                closed = await run_db(shut)
            except TicketNotFound:
                return _error("no such ticket", 404)
            except TicketClosed:
                return _error("ticket is already closed", 409)
            except ClaimConflict as conflict:
                return _error(f"ticket {ticket_id} is held by {conflict.holder}", 409)
            await self._return_to_bot(request, closed.conversation_id, closed.channel)
            return response.json(await run_db(_ticket_view, ticket_id))

        @desk.route("/api/metrics", methods=["GET"])
        @requires_agent
        async def metrics(request: Request, agent: Agent) -> HTTPResponse:
            def compute() -> dict:
                with SqlAlchemyUnitOfWork() as uow:
                    return uow.tickets.metrics(_now(), _conversation_count(uow))

            return response.json(await run_db(compute))

        return desk

    @staticmethod
    async def _return_to_bot(request: Request, conversation_id: str, channel: str) -> None:
        """The bot takes the conversation back and asks for a rating."""
        rasa_agent = request.app.ctx.agent
        collector = CollectingOutputChannel()
        try:
            async with rasa_agent.lock_store.lock(conversation_id):
                await rasa_agent.execute_action(conversation_id, "action_return_to_bot", collector, None, 1.0)
                # as after any bot turn: the assistant now waits for the customer
                await rasa_agent.execute_action(conversation_id, "action_listen", collector, None, 1.0)
        except Exception:
            logger.exception("could not hand %s back to the bot", conversation_id)
            return
        if collector.messages:
            await deliver(
                SqlAlchemyUnitOfWork, conversation_id, DELIVERY_CHANNEL.get(channel, "rest"),
                [{k: v for k, v in m.items() if k != "recipient_id"} for m in collector.messages],
            )
