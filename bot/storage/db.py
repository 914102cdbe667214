"""Database engine and schema (SQLAlchemy 1.4 in 2.0 style)."""
from __future__ import annotations

import threading

from pathlib import Path
from typing import Optional

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    JSON,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import declarative_base
from sqlalchemy.pool import QueuePool

from bot.domain import OPEN_STATES, TicketState
from bot.text import as_utc, utcnow  # noqa: F401 (re-exported: rows and repositories use them)

Base = declarative_base()

# How long a writer waits for a SQLite lock held by another process (the Rasa
# server and the action server share one file) before giving up.
SQLITE_BUSY_TIMEOUT_MS = 10_000



class OrderRow(Base):
    """An order of the demo shop (``orders``): number, customer contact, status and shipping address."""

    __tablename__ = "orders"

    order_number = Column(String(16), primary_key=True)
    customer_name = Column(String(120), nullable=False)
    email = Column(String(254))
    phone = Column(String(32))
    status = Column(String(16), nullable=False)  # processing|shipped|delivered|cancelled
    carrier = Column(String(60))
    tracking_number = Column(String(60))
    shipping_address = Column(Text, nullable=False)
    placed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    estimated_delivery = Column(DateTime(timezone=True))
    delivered_at = Column(DateTime(timezone=True))
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class AddressChangeRow(Base):
    """Audit trail of address changes made through the assistant."""

    __tablename__ = "address_changes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    order_number = Column(String(16), ForeignKey("orders.order_number"), nullable=False)
    conversation_id = Column(String(255), nullable=False)
    old_address = Column(Text, nullable=False)
    new_address = Column(Text, nullable=False)
    changed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class TroubleshootingProgressRow(Base):
    """Where a customer is in a guided troubleshooting flow.

    Kept outside the tracker so a later conversation (or a human agent) can
    pick up at ``next_step``.
    """

    __tablename__ = "troubleshooting_progress"
    __table_args__ = (UniqueConstraint("conversation_id", "flow"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    flow = Column(String(60), nullable=False)
    steps_done = Column(JSON, nullable=False, default=list)
    next_step = Column(Integer)  # 1-based; None when the flow has ended
    status = Column(String(16), nullable=False, default="in_progress")  # in_progress|completed|exhausted
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class CustomerRow(Base):
    """One person, whatever channel they write from (see bot/customers/model.py)."""

    __tablename__ = "customers"

    id = Column(String(32), primary_key=True)
    display_name = Column(String(120))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class CustomerIdentityRow(Base):
    """A way to recognise a customer: kind web|wechat|phone|email (facts) or
    rest_sender|ivr_call|web_session (conversation ids, recorded for cheap
    look-ups). ``verified``: the value came signed (token, WeChat, IVR) or
    proven (a one-time code sent to the order's e-mail or phone: source
    ``order_contact``). Rows with a legacy source ``order:QX-…`` (an order
    number plus a typed contact) are no longer trusted (bot.customers.model)."""

    __tablename__ = "customer_identities"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    customer_id = Column(String(32), ForeignKey("customers.id"), nullable=False, index=True)
    kind = Column(String(16), nullable=False)
    value = Column(String(255), nullable=False)
    verified = Column(Boolean, nullable=False, default=False)
    source = Column(String(64))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class EscalationReasonRow(Base):
    """A reason code (DESIGN.md §5) recorded on a conversation."""

    __tablename__ = "escalation_reasons"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    code = Column(String(32), nullable=False)
    detail = Column(Text)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


def _sqlite_pragmas(synchronous: str):
    """The connect listener setting WAL, the busy timeout, foreign keys and ``synchronous``."""
    level = {"normal": "NORMAL", "full": "FULL"}[synchronous]

    def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # issue 16: with WAL, NORMAL fsyncs at checkpoints only, not per commit (a commit that
        # returned survives the process being killed; the last ones may not survive a power cut)
        cursor.execute(f"PRAGMA synchronous={level}")
        cursor.close()

    return _set_sqlite_pragmas


def configure_sqlite(engine: Engine, synchronous: Optional[str] = None) -> Engine:
    """WAL and a busy timeout so several processes can share one file, and SQLite's
    ``synchronous`` level.

    Args:
        engine: any engine (only a SQLite one is changed).
        synchronous: ``"normal"`` or ``"full"``; None: ``SQLITE_SYNCHRONOUS`` (bot/settings.py,
            default ``"normal"``: no fsync per commit, durable when the process is killed,
            not across a power cut or OS crash).

    Returns:
        ``engine``.

    Raises:
        KeyError: another ``synchronous`` value.
    """
    if engine.url.get_backend_name() == "sqlite":
        if synchronous is None:
            from bot.settings import get_settings

            synchronous = get_settings().sqlite_synchronous
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
    return engine


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for ``url``: SQLite with WAL and a busy timeout (its folder
    created), otherwise a pool of ``DB_POOL_SIZE`` + ``DB_MAX_OVERFLOW``
    connections (bot/settings.py) with pre-ping.

    Args:
        url: a SQLAlchemy database URL (``sqlite:///var/bot.db``, ``postgresql+psycopg2://…``).
        echo: log every SQL statement (debugging).

    Returns:
        The new :class:`~sqlalchemy.engine.Engine`.
    """
    parsed = make_url(url)
    kwargs = {}
    if parsed.get_backend_name() == "sqlite":
        database: Optional[str] = parsed.database
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            # SQLAlchemy 1.4 opens (and sets the pragmas on) a new connection per
            # session for a SQLite file; keep a few open instead, one thread at a
            # time each, as SQLAlchemy 2.0 does (issue 16).
            kwargs["poolclass"] = QueuePool
            kwargs["connect_args"]["check_same_thread"] = False
    else:
        kwargs.update(server_pool_options())
    engine = create_engine(url, future=True, echo=echo, **kwargs)
    return configure_sqlite(engine)


def server_pool_options() -> dict:
    """The pool :func:`make_engine` gives a database server (PostgreSQL): ``pool_pre_ping``,
    ``pool_size`` (``DB_POOL_SIZE``) and ``max_overflow`` (``DB_MAX_OVERFLOW``), from bot.settings.

    Raises:
        ValueError: a setting is not a whole number (naming it).
    """
    from bot.settings import get_settings

    settings = get_settings()
    return dict(pool_pre_ping=True, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow)


_SCHEMA_LOCK = threading.Lock()


def create_schema(engine: Engine) -> None:
    """Create the project's tables that do not exist yet (the code path before
    migrations; servers now use bot/storage/schema.py: migrate once, then check).

    One thread at a time in a process: ``create_all`` checks, then creates,
    so two threads reaching a new database together (a request on the
    server's loop and a test's seeding, say) would both try ``CREATE TABLE``
    and one would fail with "table … already exists". Across processes this
    is not enough (several servers starting on one PostgreSQL database).

    Args:
        engine: the database to create the tables in.
    """
    with _SCHEMA_LOCK:
        Base.metadata.create_all(engine)


def states_sql(states) -> str:
    """SQL list of state names for an ``IN (...)`` term: ``(QUEUED, CALLBACK)`` -> ``'queued', 'callback'``.

    Partial-index predicates are written out rather than bound (SQLite uses a
    partial index only when the query holds the same literal term).

    Args:
        states: :class:`TicketState` members or their names.

    Returns:
        The quoted, comma-separated names.
    """
    return ", ".join(f"'{TicketState(s).value}'" for s in states)


# Ticket states that count as open (bot.domain.OPEN_STATES): one per conversation at most.
# Equal, character for character, to migration 0002's predicate (tests/unit/test_queue_queries.py).
OPEN_TICKET_STATES_SQL = f"state IN ({states_sql(OPEN_STATES)})"


class TicketRow(Base):
    """A case handed to people; its packet is the handoff/v1 JSON. At most one
    open ticket per conversation (partial unique index, migration 0002)."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("uq_tickets_open_conversation", "conversation_id", unique=True,
              sqlite_where=text(OPEN_TICKET_STATES_SQL), postgresql_where=text(OPEN_TICKET_STATES_SQL)),
        Index("ix_tickets_state_activity", "state", "last_customer_activity_at"),  # the abandonment sweep
    )

    id = Column(String(32), primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    language = Column(String(8), nullable=False)
    state = Column(String(16), nullable=False, index=True)  # a bot.domain.TicketState value
    priority = Column(Integer, nullable=False)
    reason_code = Column(String(32), nullable=False)
    reason_detail = Column(Text)
    skills = Column(JSON, nullable=False, default=list)
    summary = Column(Text, nullable=False)
    packet = Column(JSON, nullable=False)
    customer_id = Column(String(255), index=True)
    assigned_to = Column(String(64))
    disposition = Column(String(32))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    claimed_at = Column(DateTime(timezone=True))
    closed_at = Column(DateTime(timezone=True))
    sla_due_at = Column(DateTime(timezone=True), nullable=False)
    # When a customer waiting in the queue asked for a call-back (or left a message; migration 0014): the call-back's
    # SLA and the wait the desk shows count from then. NULL for every other ticket.
    callback_requested_at = Column(DateTime(timezone=True))
    # Desk search and metrics (issue 16): filled when the ticket is written, so no
    # request parses the packet; older databases get them (and their indexes) from migration 0003
    # (bot/storage/migrations/desk_queue_0003.py).
    order_number = Column(String(16))  # intake order number, upper case
    contact_email = Column(String(254))  # intake e-mail, lower case
    contact_phone = Column(String(32))  # intake phone, digits only
    search_text = Column(Text)  # lower-case summary, reason and transcript text (capped)
    wait_s = Column(Integer)  # seconds from creation to claim (or to the end, if never claimed)
    handle_s = Column(Integer)  # seconds from claim to close
    csat = Column(Integer)  # the customer's rating 1-5, copied from csat_ratings when given
    # Abandonment (issue 14, migration 0004): the customer's last message on the ticket; a queued
    # web ticket silent past WEB_ABANDON_AFTER_S is swept to `abandoned` (bot/queue/waits.py).
    last_customer_activity_at = Column(DateTime(timezone=True))
    # The summary in each desk language (issue 14, migration 0011): lists (queue, "my tickets", search,
    # notifications) show the viewing agent's language without reading the packet.
    summary_en = Column(Text)
    summary_zh = Column(Text)


class TicketEventRow(Base):
    """Everything that happens to a ticket, including the live transcript."""

    __tablename__ = "ticket_events"
    # An agent reply's client-chosen id is used once per ticket and author: a retry of the same
    # call, on any server, finds the first reply instead of adding a second (migration 0006, per
    # author since 0008: another agent's ids neither collide nor show; NULLs repeat freely, so
    # events without an id are not constrained).
    __table_args__ = (Index("uq_ticket_events_author_client_id", "ticket_id", "author", "client_id", unique=True),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id = Column(String(32), ForeignKey("tickets.id"), nullable=False, index=True)
    kind = Column(String(24), nullable=False)  # created|claimed|message|closed|csat|callback|delivery_failed
    author = Column(String(64))  # customer | bot | agent username | system
    text = Column(Text)
    data = Column(JSON)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    client_id = Column(String(64))  # an agent reply's message_id (agent API), if the client sent one


class AgentRow(Base):
    """An agent of the desk (``agents``): login name, display name, password hash (scrypt), role and skills."""

    __tablename__ = "agents"

    username = Column(String(64), primary_key=True)
    display_name = Column(String(120), nullable=False)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False, default="agent")  # agent|supervisor
    skills = Column(JSON, nullable=False, default=list)
    last_seen_at = Column(DateTime(timezone=True))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AgentTokenRow(Base):
    """An agent's session token (``agent_tokens``): only its SHA-256 hash is stored, with its expiry (UTC)."""

    __tablename__ = "agent_tokens"

    token_hash = Column(String(64), primary_key=True)
    username = Column(String(64), ForeignKey("agents.username"), nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class AgentDisabledRow(Base):
    """A disabled agent (agent desk, review M3): cannot log in, tokens refused. Its own table so
    existing databases get it from ``create_all`` without a migration."""

    __tablename__ = "agents_disabled"

    username = Column(String(64), ForeignKey("agents.username"), primary_key=True)
    disabled_by = Column(String(64))
    disabled_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class CsatRow(Base):
    """A customer's satisfaction rating of a closed ticket (``csat_ratings``): 1 (worst) to 5, one per ticket."""

    __tablename__ = "csat_ratings"

    id = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id = Column(String(32), ForeignKey("tickets.id"), nullable=False, unique=True)
    rating = Column(Integer, nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AuditLogRow(Base):
    """One entry of the audit log (``audit_log``): who (``actor``) did what (``action``) to which ``subject``, when
    (UTC).
    """

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    actor = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    subject = Column(String(64))
    detail = Column(JSON)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class OutboxRow(Base):
    """Messages for a customer produced outside a bot turn (agent replies,
    the CSAT question): pushed where the channel can push, otherwise handed
    over on the customer's next request (REST)."""

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    message = Column(JSON, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    delivered_at = Column(DateTime(timezone=True))


class WebchatSessionRow(Base):
    """A web chat session the server issued (connectors/webchat), by its public conversation id:
    a hash of the secret the browser holds (``bot.channels.webchat.public_id``). Only secrets
    whose hash is here are accepted back from a browser, so a page cannot write into, or read
    the history of, another conversation by naming its (public) id."""

    __tablename__ = "webchat_sessions"

    id = Column(String(64), primary_key=True)  # the public conversation id (migration 0010: a hash of the secret)
    origin = Column(String(255))
    # the key of the customer's picture URLs (bot.channels.webchat.photo_key; migration 0010);
    # NULL: a session issued before secrets, whose id was public: it cannot be resumed
    photo_key = Column(String(64))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


# --- proof of owning an order (bot/customers/otp.py) and the notifier (bot/queue/notifier.py) ---------

class OrderCodeRow(Base):
    """A one-time code sent to the e-mail or phone on an order, to prove that
    whoever writes in ``conversation_id`` owns it. Only a salted hash is kept.
    ``state``: active | passed | exhausted (too many wrong tries) | expired |
    replaced (a newer code was sent). At most one active code per
    conversation and order (partial unique index)."""

    __tablename__ = "order_codes"
    __table_args__ = (
        Index("uq_order_codes_active", "conversation_id", "order_number", unique=True,
              sqlite_where=text("state = 'active'"), postgresql_where=text("state = 'active'")),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    order_number = Column(String(16), ForeignKey("orders.order_number"), nullable=False, index=True)
    channel = Column(String(8), nullable=False)  # email | sms
    destination = Column(String(254), nullable=False)  # the order's e-mail or E.164 phone
    salt = Column(String(32), nullable=False)
    code_hash = Column(String(64), nullable=False)
    tries = Column(Integer, nullable=False, default=0)
    state = Column(String(12), nullable=False, default="active")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    passed_at = Column(DateTime(timezone=True))


class OrderProofFailureRow(Base):
    """A failed attempt to prove owning an order (a contact that is not the
    order's, a wrong code): counted per conversation and per order in a window."""

    __tablename__ = "order_proof_failures"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    order_number = Column(String(16), nullable=False, index=True)
    kind = Column(String(8), nullable=False)  # contact | code
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


class NotificationRow(Base):
    """What the notifier sent (one-time codes, messages). ``transport`` fake
    keeps the body (the demo and tests read codes from it); smtp keeps none."""

    __tablename__ = "notifications"

    id = Column(Integer, primary_key=True, autoincrement=True)
    channel = Column(String(8), nullable=False)  # email | sms
    recipient = Column(String(254), nullable=False, index=True)
    subject = Column(String(255))
    body = Column(Text)
    transport = Column(String(8), nullable=False)  # fake | smtp
    sent_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
class ConversationChannelRow(Base):
    """The channel that started a conversation (web|wechat|ivr|rest): a
    conversation belongs to it, so the REST channel, whose sender ids anyone
    with the REST token may choose, never writes into (or drains the outbox
    of) a WeChat, IVR or web chat conversation (DESIGN.md §8; bot/channels/conversations.py)."""

    __tablename__ = "conversation_channels"

    conversation_id = Column(String(255), primary_key=True)
    channel = Column(String(16), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


# --- the agent desk's notes and canned replies (issue 14; migration 0004) ----------------

class TicketNoteRow(Base):
    """An internal note an agent wrote on a ticket: shown in the desk, never delivered to the customer."""

    __tablename__ = "ticket_notes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id = Column(String(32), ForeignKey("tickets.id"), nullable=False, index=True)
    author = Column(String(64), nullable=False)  # agent user name
    text = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class CannedReplyRow(Base):
    """A reply an agent can insert into the reply box, per language; supervisors edit them."""

    __tablename__ = "canned_replies"
    __table_args__ = (UniqueConstraint("language", "title"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    language = Column(String(8), nullable=False, index=True)  # en | zh
    title = Column(String(80), nullable=False)
    text = Column(Text, nullable=False)
    updated_by = Column(String(64))
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


# --- photos customers and agents send (issue 14; migration 0007) --------------------------

class AttachmentRow(Base):
    """A photo a customer or an agent sent (``attachments``): the re-encoded bytes themselves, so any
    Rasa server can serve it (no local files), with what the content check found."""

    __tablename__ = "attachments"

    id = Column(String(32), primary_key=True)  # 128 random bits, hex: unguessable
    conversation_id = Column(String(128), nullable=False, index=True)  # the customer's Rasa sender id
    channel = Column(String(16), nullable=False)  # Rasa input channel: webchat | wechat | ...
    ticket_id = Column(String(32), index=True)  # the ticket it was filed on or sent from, if any
    uploader = Column(String(16), nullable=False)  # customer | agent
    uploaded_by = Column(String(64))  # the agent's user name (uploader agent)
    content_type = Column(String(32), nullable=False)  # image/png | image/jpeg | image/webp | image/gif
    size = Column(Integer, nullable=False)  # bytes stored (after re-encoding)
    width = Column(Integer, nullable=False)
    height = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)  # of the stored bytes
    data = Column(LargeBinary, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    # the preview (migration 0012): at most PHOTO_THUMBNAIL_PX a side; NULL: the picture is its own
    thumbnail = Column(LargeBinary)
    thumbnail_type = Column(String(32))


# --- the supervisor metrics' counters (issue 16; migration 0008, bot/storage/migrations/ticket_stats_0008.py) --
# Kept by database triggers on ``tickets`` and ``conversation_channels`` in the same transaction as
# every write of a ticket, whatever code writes it. ``span`` is ``d`` (a UTC day, ``bucket``
# ``YYYY-MM-DD``) or ``h`` (a UTC hour, ``YYYY-MM-DD HH``); every change is counted in both.

class TicketStatsCreatedRow(Base):
    """Tickets by the bucket they were created in and their reason: how many, how many are
    abandoned now, how many waited past their SLA (claimed or ended after the deadline), waits."""

    __tablename__ = "ticket_stats_created"

    span = Column(String(1), primary_key=True)
    bucket = Column(String(13), primary_key=True)
    reason_code = Column(String(32), primary_key=True)
    created = Column(Integer, nullable=False, default=0)
    abandoned = Column(Integer, nullable=False, default=0)
    breached = Column(Integer, nullable=False, default=0)  # settled breaches; waiting ones are live
    wait_sum = Column(BigInteger, nullable=False, default=0)  # seconds (tickets.wait_s)
    wait_count = Column(Integer, nullable=False, default=0)


class TicketStatsClosedRow(Base):
    """Tickets closed by an agent, by the bucket of ``closed_at`` and the agent: handled,
    handling time (seconds) and CSAT sums and counts."""

    __tablename__ = "ticket_stats_closed"

    span = Column(String(1), primary_key=True)
    bucket = Column(String(13), primary_key=True)
    agent = Column(String(64), primary_key=True)
    handled = Column(Integer, nullable=False, default=0)
    handle_sum = Column(BigInteger, nullable=False, default=0)
    handle_count = Column(Integer, nullable=False, default=0)
    csat_sum = Column(Integer, nullable=False, default=0)
    csat_count = Column(Integer, nullable=False, default=0)


class TicketStatsWaitingRow(Base):
    """Tickets waiting now (queued or calling back) by the bucket they were created in (issue 16,
    migration 0012): how many, and how many of them were never claimed nor ended."""

    __tablename__ = "ticket_stats_waiting"

    span = Column(String(1), primary_key=True)
    bucket = Column(String(13), primary_key=True)
    waiting = Column(Integer, nullable=False, default=0)
    unclaimed = Column(Integer, nullable=False, default=0)  # claimed_at and closed_at both unset


class ConversationStatsRow(Base):
    """Conversations started (``conversation_channels`` rows) by bucket."""

    __tablename__ = "conversation_stats"

    span = Column(String(1), primary_key=True)
    bucket = Column(String(13), primary_key=True)
    started = Column(Integer, nullable=False, default=0)
