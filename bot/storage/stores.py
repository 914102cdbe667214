"""Rasa's SQL tracker store on the project's DATABASE_URL, with warm trackers.

Rasa's ``SQLTrackerStore`` re-reads and re-deserialises every event of the
session on every turn, and counts them again to save: a turn's cost grows
with the conversation (issue 16). This store keeps the tracker it saved last
("warm") per conversation and hands it out again while the database proves
nothing changed: the conversation's highest event id is what it was after
our save (one index lookup; any event written since, by any server, raises
it), and the tracker object has not changed since (same number of events,
same last event). Anything
else — another server wrote events, a turn failed after changing the
tracker, the session restarted inside this tracker — reads from the
database as Rasa does. Several servers behind a Redis lock store stay
correct: each checks the store before reusing its own copy.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401  (sa.orm.session)
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot import rasa_patches
from bot.domain import OPEN_STATES, TICKET_MOVED_KEY, Channel
from bot.settings import get_settings

logger = logging.getLogger(__name__)
# Conversations whose owner channel this process has already recorded.
_RECORDED_MAX = 10_000
# Warm trackers kept per process (least recently used dropped first).
WARM_MAX = 1_000
# ``handoff_state`` values of a conversation whose case is open (bot.domain.OPEN_STATES).
OPEN_CASE_STATES = frozenset(state.value for state in OPEN_STATES)

# The one place the Rasa server's patches are installed (bot/rasa_patches.py lists them): every
# Rasa server serving this project loads this tracker store (endpoints.yml).
rasa_patches.install_all()


@dataclass
class _Warm:
    """A tracker as this process saved it, and the store's state right after."""

    tracker: DialogueStateTracker
    length: int  # len(tracker.events) when saved
    last_event: Event
    last_id: int  # highest event id of the conversation in the store

    def unchanged(self) -> bool:
        """The tracker object still holds exactly what was saved."""
        events = self.tracker.events
        return len(events) == self.length and (not events or events[-1] is self.last_event)


class ProjectSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that reads `DATABASE_URL`, so trackers and the
    project's own tables live in one database (one SQLite file by default),
    and keeps warm trackers (module docstring)."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        from sqlalchemy.orm import sessionmaker

        from bot.storage.uow import engine_for

        url = get_settings().database_url
        # The schema (Rasa's `events` included) comes from the migrations applied
        # before servers start (bot/storage/schema.py): checked here, so Rasa's own
        # create_all below finds every table and never races another process.
        engine = engine_for(url)
        kwargs.pop("url", None)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        # One engine and pool per process (DB_POOL_SIZE, DB_MAX_OVERFLOW), not Rasa's own beside it.
        self.engine.dispose()
        self.engine = engine
        self.sessionmaker = sessionmaker(bind=engine)
        self._recorded: "OrderedDict[str, None]" = OrderedDict()
        self._warm: "OrderedDict[str, _Warm]" = OrderedDict()
        self._background: "set[asyncio.Future]" = set()  # pushes of moved replies still running
        # built once (a statement built per turn costs more than its index lookup)
        self._max_id = sa.select(sa.func.max(self.SQLEvent.id)).where(
            self.SQLEvent.sender_id == sa.bindparam("sender_id"))
        self._insert_events = self.SQLEvent.__table__.insert()

    # ---- warm trackers ---------------------------------------------------
    def _stored_state(self, conn: Any, sender_id: str) -> int:
        """The highest event id of a conversation in the store (0 if none): one
        index lookup. Any event written since (by any server) raises it.

        Args:
            conn: a SQLAlchemy ``Connection`` or ``Session`` on the store's engine.
        """
        return int(conn.execute(self._max_id, {"sender_id": sender_id}).scalar() or 0)

    def _last_id(self, sender_id: str) -> int:
        with self.engine.connect() as conn:
            return self._stored_state(conn, sender_id)

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The latest session's tracker: the warm one if the store proves it current,
        else read as Rasa does. The database is read in a worker thread, so the event
        loop serves other conversations meanwhile.

        Args:
            sender_id: the conversation's id.

        Returns:
            The tracker, or None for a conversation never stored.
        """
        warm = self._warm.get(sender_id)
        if warm is not None:
            if warm.unchanged() and await asyncio.to_thread(self._last_id, sender_id) == warm.last_id:
                if self._warm.get(sender_id) is warm:
                    self._warm.move_to_end(sender_id)
                return warm.tracker
            if self._warm.get(sender_id) is warm:
                del self._warm[sender_id]
        return await asyncio.to_thread(self._read_latest_session, sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        """The tracker with the events of every session (a returning web chat customer's history):
        read in a worker thread, so a long history does not hold the event loop from the other
        conversations (Rasa's ``SQLTrackerStore`` reads it on the loop).

        Args:
            conversation_id: the sender id.

        Returns:
            The tracker, or None when the store has no events for it (or no domain).
        """
        return await asyncio.to_thread(self._read_latest_session, conversation_id, True)

    def _read_latest_session(self, sender_id: str, all_sessions: bool = False) -> Optional[DialogueStateTracker]:
        """``SQLTrackerStore._retrieve(sender_id, fetch_events_from_all_sessions=all_sessions)``, synchronously."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=all_sessions).all()
            events = [json.loads(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    @staticmethod
    def _cacheable(tracker: DialogueStateTracker) -> bool:
        """Whether the tracker holds exactly what reading the latest session would give:
        it starts with that session's ``SessionStarted`` and holds no other one (a tracker
        that started a session in this process also holds the events before it)."""
        events = tracker.events
        if not events or not isinstance(events[0], SessionStarted):
            return False
        return not any(isinstance(e, SessionStarted) for e in itertools.islice(events, 1, None))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events, keep it warm, then record the conversation's channel.

        When the tracker is the warm one grown by this turn (and the store
        unchanged), the new events are those after the saved ones; otherwise
        Rasa's count of stored events decides, as in ``SQLTrackerStore.save``.
        The database work runs in a worker thread (a SQLite commit waits for
        the disk): the event loop serves other conversations meanwhile.

        Args:
            tracker: the tracker after the turn.
        """
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        events = tracker.events
        warm = self._warm.pop(sender_id, None)
        new_events: Optional[List[Event]] = None
        expected_id: Optional[int] = None
        if (warm is not None and warm.tracker is tracker and len(events) >= warm.length
                and (warm.length == 0 or events[warm.length - 1] is warm.last_event)):
            # indexed from the deque's end: an islice would walk the saved events first
            new_events, expected_id = [events[i] for i in range(warm.length - len(events), 0)], warm.last_id
        last_id, appended, written = await asyncio.to_thread(self._write, tracker, new_events, expected_id)
        if appended:
            cacheable = not any(isinstance(e, SessionStarted) for e in new_events or [])
        else:
            cacheable = self._cacheable(tracker)
        if cacheable and events:
            self._warm[sender_id] = _Warm(tracker, len(events), events[-1], last_id)
            while len(self._warm) > WARM_MAX:
                self._warm.popitem(last=False)
        logger.debug(f"Tracker with sender_id '{sender_id}' stored to database")
        await self.record_channel_async(tracker)
        await self.file_bot_replies(tracker, written)
        await self.deliver_moved_replies(tracker, written)

    def _write(self, tracker: DialogueStateTracker, new_events: Optional[List[Event]],
               expected_id: Optional[int]) -> Tuple[int, bool, List[Event]]:
        """Insert the events the store does not have yet, in one transaction.

        Args:
            tracker: the tracker to save.
            new_events: its events after the warm ones, if it is the warm tracker grown.
            expected_id: the store's highest event id for the conversation when the
                warm tracker was saved; ``new_events`` are used only if it is unchanged.

        Returns:
            The conversation's highest event id afterwards, whether
            ``new_events`` were the ones written (else Rasa's count decided),
            and the events written.
        """
        sender_id = tracker.sender_id
        # SQLAlchemy Core on one connection (no ORM session per turn); Rasa's counting query,
        # when it decides, in a session joined to this transaction.
        with self.engine.begin() as conn:
            last_id = self._stored_state(conn, sender_id)
            appended = new_events is not None and last_id == expected_id
            if not appended:
                # Rasa's count of the stored events decides; with none stored (a new
                # conversation) every event is new, without Rasa's counting query.
                if last_id == 0:
                    new_events = list(tracker.events)
                else:
                    session = self.sessionmaker(bind=conn)
                    try:
                        new_events = list(self._additional_events(session, tracker))
                    finally:
                        session.close()
            rows = [self._row(sender_id, event) for event in new_events or []]
            if rows:
                last_id = self._insert(conn, sender_id, rows)
        return last_id, appended, list(new_events or [])

    def _insert(self, conn: Any, sender_id: str, rows: List[dict]) -> int:
        """Insert ``rows`` (events of ``sender_id``) with one executemany of a statement built
        once; return the conversation's highest id afterwards (under this transaction's write).

        A multi-row ``INSERT ... VALUES`` with its ids back saves that lookup but costs more CPU
        to build and bind than the lookup does (about 0.86 against 0.57 ms for a 5-event turn on
        SQLite), so it is not used.
        """
        conn.execute(self._insert_events, rows)
        return self._stored_state(conn, sender_id)

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict:
        """The values of an ``events`` row as Rasa's ``SQLTrackerStore.save`` writes it."""
        data = event.as_dict()
        return dict(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    async def rewrite_user_event(self, sender_id: str, event: Event) -> bool:
        """Store a user message again after it was changed in memory (a card number split over it
        and the next message masked: bot/rasa_patches.py, ``card_masking``).

        The row rewritten is the conversation's latest ``user`` event with the event's timestamp;
        its ``data`` becomes the event's JSON (ids, order and the warm tracker stay as they are).

        Args:
            sender_id: the conversation.
            event: the ``UserUttered`` as it is now.

        Returns:
            True if a stored row was rewritten, False if none matched (nothing stored yet).
        """
        return await asyncio.to_thread(self._rewrite, sender_id, event)

    def _rewrite(self, sender_id: str, event: Event) -> bool:
        """:meth:`rewrite_user_event`, synchronously, in one transaction."""
        table = self.SQLEvent.__table__
        with self.engine.begin() as conn:
            row_id = conn.execute(
                sa.select(table.c.id).where(table.c.sender_id == sender_id, table.c.type_name == event.type_name,
                                            table.c.timestamp == event.timestamp)
                .order_by(table.c.id.desc()).limit(1)).scalar()
            if row_id is None:
                return False
            conn.execute(table.update().where(table.c.id == row_id).values(data=json.dumps(event.as_dict())))
        return True

    # ---- the bot's replies on an open case ------------------------------------
    async def file_bot_replies(self, tracker: DialogueStateTracker, written: List[Event]) -> None:
        """File the bot's messages among the events just written on the conversation's open ticket
        (``bot.services.tickets.file_bot_replies``) while a case is open (``handoff_state`` queued,
        callback or with_agent): the desk shows the agent what the customer was told (the safety
        advice, "added to your case"), not only the customer's side. Every turn passes here, so
        every channel and every action's replies are covered. Off the event loop; never fails
        the turn (a database error is logged).

        Args:
            tracker: the tracker just saved.
            written: the events this save wrote, oldest first.
        """
        if tracker.get_slot("handoff_state") not in OPEN_CASE_STATES:
            return
        replies = [(e.text, e.timestamp) for e in written if isinstance(e, BotUttered) and e.text]
        if replies:
            await asyncio.to_thread(self._file_bot_replies, tracker.sender_id, replies,
                                    tracker.get_latest_input_channel() or "rest")

    @staticmethod
    def _file_bot_replies(sender_id: str, replies: List[Tuple[str, float]], channel: str) -> None:
        """:meth:`file_bot_replies` in a worker thread, in its own unit of work; an error is logged, never raised."""
        from bot.services.tickets import file_bot_replies
        from bot.storage.uow import SqlAlchemyUnitOfWork

        try:
            file_bot_replies(SqlAlchemyUnitOfWork(), sender_id, replies, channel)
        except Exception:
            logger.exception("the bot's replies to %s could not be filed on its case", sender_id)

    # ---- a ticket that followed its customer here ------------------------------
    async def deliver_moved_replies(self, tracker: DialogueStateTracker, written: List[Event]) -> None:
        """After a turn in which the customer's ticket followed them to this chat (a ``ticket_id`` slot event with
        ``bot.domain.TICKET_MOVED_KEY`` metadata: ``bot.services.tickets.Followed``), the replies that came with
        it reach the customer now (``bot.services.delivery.after_move``, in two parts): the outbox is marked
        changed before the channel's own read after the turn (REST), and the push (web chat, WeChat) and the left
        chat's new status (``push_moved``) run in the background, so the turn's answer does not wait for a
        browser's acknowledgement or WeChat's API. The action server moved the rows; only this server holds the
        channels' pushers.

        Args:
            tracker: the tracker just saved.
            written: the events this save wrote, oldest first.
        """
        from bot.services import delivery  # the services import the tickets and queue modules: late, as above
        from bot.storage.uow import SqlAlchemyUnitOfWork

        for event in written:
            if not isinstance(event, SlotSet) or event.key != "ticket_id":
                continue
            moved = (event.metadata or {}).get(TICKET_MOVED_KEY)
            if not isinstance(moved, dict):
                continue
            replies = [r for r in moved.get("replies") or [] if isinstance(r, int)]
            here = Channel.from_input(tracker.get_latest_input_channel()).delivery
            await delivery.outbox_changed(tracker.sender_id)
            task = asyncio.ensure_future(delivery.push_moved(
                SqlAlchemyUnitOfWork, tracker.sender_id, here, replies, moved.get("left"), moved.get("came_from")))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    # ---- owner channel -----------------------------------------------------
    async def record_channel_async(self, tracker: Any) -> None:
        """``record_channel`` with its database write off the event loop (once per
        conversation and process).

        Args:
            tracker: the conversation's tracker (a Rasa ``DialogueStateTracker``).
        """
        if tracker.sender_id in self._recorded:
            return
        channel = self._first_channel(tracker)
        if channel is not None:
            from bot.services import conversations

            if conversations.remembered(tracker.sender_id) == channel:  # claimed by its channel (REST)
                self._remember_recorded(tracker.sender_id)
                return
            await asyncio.to_thread(self._claim, tracker.sender_id, channel)

    @staticmethod
    def _first_channel(tracker: Any) -> Optional[str]:
        from rasa.shared.core.events import UserUttered

        from bot.channels.conversations import owning_channel

        return next((owning_channel(e.input_channel) for e in tracker.events
                     if isinstance(e, UserUttered) and owning_channel(e.input_channel)), None)

    def record_channel(self, tracker: Any) -> None:
        """Claim the conversation for the channel of its first user message
        (``input_channel`` as Rasa recorded it; bot/channels/conversations.py). Never
        fails the turn: a database error is logged.

        Args:
            tracker: the conversation's tracker (a Rasa ``DialogueStateTracker``).
        """
        if tracker.sender_id in self._recorded:
            return
        channel = self._first_channel(tracker)
        if channel is not None:
            self._claim(tracker.sender_id, channel)

    def _claim(self, sender_id: str, channel: str) -> None:
        from bot.services.conversations import claim
        from bot.storage.uow import SqlAlchemyUnitOfWork

        try:
            owner = claim(SqlAlchemyUnitOfWork, sender_id, channel)
        except Exception:
            logger.exception("owner channel of %s could not be recorded", sender_id)
            return
        if owner != channel:
            logger.warning("conversation %s belongs to %s but got a %s message", sender_id, owner, channel)
        self._remember_recorded(sender_id)

    def _remember_recorded(self, sender_id: str) -> None:
        self._recorded[sender_id] = None
        while len(self._recorded) > _RECORDED_MAX:
            self._recorded.popitem(last=False)
