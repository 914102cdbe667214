"""Rasa's REST channel, plus hand-over of messages produced outside a turn.

Same URL and body as Rasa's own `rest` channel. While a person handles the
conversation, their replies (and the CSAT question after) wait in the outbox;
the customer's next webhook call returns them before the bot's own answer,
and `GET /webhooks/rest/outbox/<sender>` returns them without sending
anything (for clients that poll).

`metadata` (a JSON object) reaches the tracker as the message's metadata; a
signed customer token in `metadata.customer_token` identifies the customer
(verified in the action server, bot.customers; an invalid one is ignored).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import delivery
from bot.uow import SqlAlchemyUnitOfWork
from connectors.guard import rest_limited

logger = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 4000


def take_pending(sender_id: str) -> List[dict]:
    return [{"recipient_id": sender_id, **m} for m in delivery.take_pending(SqlAlchemyUnitOfWork, sender_id)]


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def get_metadata(self, request: Request) -> Dict[str, Any]:
        """The body's metadata, with the reserved key ``channel`` set by us (actions/session.py)."""
        metadata = (request.json or {}).get("metadata")
        return {**(metadata if isinstance(metadata, dict) else {}), "channel": self.name()}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("rest_with_outbox", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/outbox/<sender_id:str>", methods=["GET"])
        async def outbox(request: Request, sender_id: str) -> HTTPResponse:
            return response.json(await asyncio.to_thread(take_pending, sender_id))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:
                return response.json({"error": "body must be JSON"}, status=400)
            if not isinstance(body, dict) or not isinstance(body.get("message"), str) or not body.get("sender"):
                return response.json({"error": "expected {\"sender\": \"…\", \"message\": \"…\"}"}, status=400)
            if len(body["message"]) > MAX_MESSAGE_CHARS:
                return response.json({"error": f"message longer than {MAX_MESSAGE_CHARS} characters"}, status=413)
            if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
                return response.json({"error": "metadata must be a JSON object"}, status=400)
            sender_id = str(body["sender"])
            if limited := rest_limited(request, sender_id):  # 429 + Retry-After (bot/ratelimit.py)
                return limited
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(body["message"], collector, sender_id, input_channel=self.name(),
                                metadata=self.get_metadata(request))
                )
            except Exception:
                logger.exception("REST message from %s could not be handled", sender_id)
                return response.json(
                    {"error": "the assistant could not answer this message; please try again"}, status=500
                )
            pending = await asyncio.to_thread(take_pending, sender_id)
            return response.json(pending + collector.messages)

        return webhook
