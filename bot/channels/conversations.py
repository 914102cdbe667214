"""Which channel a conversation belongs to (DESIGN.md §8).

A conversation belongs to the channel that started it. REST sender ids are
chosen by the REST client, so without this a REST message naming a WeChat
openid, a web chat session id or an IVR call id would continue that
customer's conversation and drain its agent replies.

One row per conversation in ``conversation_channels``, written
insert-if-absent (the first writer wins, nobody overwrites it):

- by the REST channel before it hands a message to Rasa
  (connectors/rest.py), which refuses the message (403) when the row names
  another channel;
- for every other channel, when Rasa saves the tracker (bot/storage/stores.py), from
  the ``input_channel`` Rasa recorded on the first user message. Only our
  connector code on the Rasa server sets that field; no client can.

Conversations that predate the table are recognised from the web chat
sessions the server issued and from the user events in Rasa's tracker store.

Known gap: while a WeChat or IVR conversation's very first turn runs (before
Rasa saves it), a REST message naming the same id could claim it first. Only
holders of REST_API_TOKEN (trusted integrations) could, and only with the id
in hand at that moment; a connector that calls ``claim`` before handing its
first message to Rasa (as REST does) closes it.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Iterable, Optional

from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain import CHANNELS, Channel
from bot.storage.db import ConversationChannelRow, WebchatSessionRow, utcnow
from bot.storage.repositories import ConversationRepository

logger = logging.getLogger(__name__)
# Databases in which Rasa's ``events`` table was found (issue 16: not asked again per new conversation).
_EVENTS_TABLE_SEEN: set = set()


def owning_channel(input_channel: Any) -> Optional[str]:
    """The channel (web|wechat|ivr|rest) of a Rasa ``input_channel``, or ``None`` if it is not one of ours.

    Args:
        input_channel: Rasa's ``input_channel`` of a user event (any value).

    Returns:
        ``web``, ``wechat``, ``ivr`` or ``rest``, or None.
    """
    channel = Channel.owning(input_channel)
    return channel.value if channel else None


def first_channel(events: Iterable[dict]) -> Optional[str]:
    """The owning channel of the first user event recorded by one of our connectors.

    Args:
        events: the conversation's tracker events (dicts, oldest first).

    Returns:
        The packet channel name, or None when no user event came through our connectors.
    """
    for event in events:
        if event.get("event") == "user":
            channel = owning_channel(event.get("input_channel"))
            if channel is not None:
                return channel
    return None


class SqlAlchemyConversationRepository(ConversationRepository):
    """Owner channel of each conversation (table ``conversation_channels``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def count_all(self) -> int:
        """How many conversations Rasa's tracker store holds (distinct senders of its ``events``
        table); 0 when Rasa has not created its tables (yet) or keeps trackers elsewhere."""
        try:
            return int(self.session.execute(text("SELECT count(DISTINCT sender_id) FROM events")).scalar_one())
        except Exception:  # Rasa's tables not created yet: the failed statement spoilt the transaction
            self.session.rollback()
            return 0

    def owner(self, conversation_id: str) -> Optional[str]:
        """The channel the conversation belongs to, or ``None`` if it has not started.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(ConversationChannelRow, conversation_id)
        if row is not None:
            return row.channel
        return self._inferred(conversation_id)

    def claim(self, conversation_id: str, channel: str) -> str:
        """Record ``channel`` as the owner unless the conversation has one; return the owner.

        Insert-if-absent: of two channels claiming one new conversation at
        once, exactly one wins and both get its name back. Flushes; the
        caller commits.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        known = self.owner(conversation_id)
        self._insert_if_absent(conversation_id, known or channel)
        row = self.session.execute(
            select(ConversationChannelRow).where(ConversationChannelRow.conversation_id == conversation_id)
            .execution_options(populate_existing=True)
        ).scalar_one()
        return row.channel

    def _insert_if_absent(self, conversation_id: str, channel: str) -> None:
        values = {"conversation_id": conversation_id, "channel": channel, "created_at": utcnow()}
        dialect = self.session.get_bind().dialect.name
        if dialect in ("sqlite", "postgresql"):
            if dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert
            else:
                from sqlalchemy.dialects.postgresql import insert
            self.session.execute(
                insert(ConversationChannelRow).values(**values).on_conflict_do_nothing(
                    index_elements=["conversation_id"])
            )
            return
        try:  # other databases: a savepoint around a plain insert
            with self.session.begin_nested():
                self.session.add(ConversationChannelRow(**values))
        except IntegrityError:
            pass

    def _inferred(self, conversation_id: str) -> Optional[str]:
        """The owner of a conversation that predates the table."""
        if self.session.get(WebchatSessionRow, conversation_id) is not None:
            return "web"
        bind = self.session.get_bind()
        key = str(bind.url)
        if key not in _EVENTS_TABLE_SEEN:  # once there, Rasa's table stays: asked once per database
            if not inspect(bind).has_table("events"):
                return None
            _EVENTS_TABLE_SEEN.add(key)
        rows = self.session.execute(
            text("SELECT data FROM events WHERE sender_id = :id AND type_name = 'user' ORDER BY id LIMIT 20"),
            {"id": conversation_id},
        )
        events = []
        for (data,) in rows:
            try:
                events.append(json.loads(data))
            except (TypeError, ValueError):
                continue
        return first_channel(events)
