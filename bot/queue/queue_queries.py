"""The desk's read side in SQL: queue pages, search of past tickets, metrics (issue 16).

Every request here is answered by indexed SQL over columns written when a
ticket changes (``bot.queue.tickets``), never by parsing packets nor by reading
Rasa's ``events`` table:

- the queue: open tickets filtered by channel, language, who holds them and
  a search term, sorted by priority, by waiting time or by SLA deadline, paged
  by keyset cursor (or offset) on partial indexes over the open states;
- search: past tickets by order number, e-mail, phone, ticket or
  conversation id (exact, indexed) or by text (SQLite FTS5 trigram index,
  PostgreSQL ``pg_trgm`` GIN index), newest first;
- metrics: aggregates over a period.

The columns and indexes these queries use are made by migrations 0003 and 0008
(``bot/storage/migrations``).
"""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable, Optional

from sqlalchemy import and_, bindparam, case, func, literal_column, or_, select, text, tuple_, union_all
from sqlalchemy.orm import Session

from bot.storage.db import (ConversationChannelRow, ConversationStatsRow, TicketRow, TicketStatsClosedRow,
                            TicketStatsCreatedRow, TicketStatsWaitingRow, states_sql)
from bot.queue.ticket_stats import DAY, HOUR, split_period
from bot.domain import LANGUAGES, OPEN_STATES, REASON_CODES, PacketJSON, WAITING_STATES, Channel, TicketState
from bot.text import as_utc, normalise_phone, order_number_of, to_utc
from bot.storage.repositories import QueueQueries


# The partial indexes' predicate, written out as a constant: SQLite uses a
# partial index only when the query holds the same term (not a bound parameter).
# ``state || ''`` rather than ``state``: with a bare column, SQLite (without
# statistics) prefers the plain index on ``state`` and sorts every open ticket.
# Generated from bot.domain's tuples (tests/unit/test_queue_queries.py checks them against migration 0003's).
OPEN_SQL = f"(state || '') IN ({states_sql(OPEN_STATES)})"
WAITING_SQL = f"(state || '') IN ({states_sql(WAITING_STATES)})"
SEARCH_TEXT_MAX = 4000
ASSIGNED = ("me", "none", "any")
SORTS = {
    # name -> the columns of the order (and of the keyset cursor), all ascending
    "priority": ("priority", "created_at", "id"),
    "waiting": ("created_at", "id"),
    "sla": ("sla_due_at", "id"),
}
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
SEARCH_LIMIT = 20
# A text term with fewer trigram-index matches than this is looked up in the index (SQLite).
FTS_SELECTIVE = 2000
# Text searches the index finds few matches of count them up to this many (X-Total-Count-Capped says
# when there are more); a common term counts the matches up to its page (issue 16: counting read them all).
COUNT_CAP = 1000
# From this many matching tickets, a filtered queue page is read along the sort's index.
WALK_FROM = 2000
MAX_OFFSET = 10_000
DEFAULT_PERIOD = timedelta(hours=24)
# DESIGN.md §5: every bot.domain.REASON_CODES is counted in one pass over the period.
# Current waits of the people still waiting, bucketed (upper bounds, seconds).
WAIT_BUCKETS_S = (60, 300, 900, 1800, 3600, 4 * 3600)

# Human labels of the reason codes (DESIGN.md §5) in the desk's languages, sent with the
# metrics as ``reason_labels`` so every client names a reason the same way (issue 14).
REASON_LABELS: dict[str, dict[str, str]] = {
    "customer_request": {"en": "Asked for a person", "zh": "要求转人工"},
    "negative_emotion": {"en": "Upset customer", "zh": "客户情绪激动"},
    "complex_intent": {"en": "Case the bot must not handle", "zh": "需人工处理的复杂问题"},
    "flow_exhausted": {"en": "Guided steps did not help", "zh": "引导步骤未能解决"},
    "nlu_failure": {"en": "Not understood twice in a row", "zh": "连续两次未能理解"},
    "no_input": {"en": "No usable answer on the phone", "zh": "电话中无有效回应"},
    "system_error": {"en": "Wrote while the assistant was down", "zh": "系统故障期间留言"},
}


def reason_labels(codes: Iterable[str] = ()) -> dict[str, dict[str, str]]:
    """``{code: {"en": label, "zh": label}}`` for every known code plus ``codes``.

    Args:
        codes: further codes to label (e.g. those counted in a period); an
            unknown one gets its own name in both languages.

    Returns:
        A dict from reason code to ``{"en": label, "zh": label}``.
    """
    labels = {code: dict(REASON_LABELS.get(code, {"en": code, "zh": code})) for code in REASON_CODES}
    for code in codes:
        labels.setdefault(code, dict(REASON_LABELS.get(code, {"en": str(code), "zh": str(code)})))
    return labels


_EMAIL = re.compile(r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$")
_PHONE = re.compile(r"^\s*\+?[\d\s().\-]{6,24}\s*$")
_TICKET_ID = re.compile(r"^T[0-9A-F]{12}$")

# The queue's partial and covering indexes (``ix_tickets_waiting_*``, ``ix_tickets_open_*``, ...) and the
# text index are made by migrations 0003 and 0008 (bot/storage/migrations/desk_queue_0003.py,
# ticket_stats_0008.py): the queries below are written to be answered by them.


class BadQuery(ValueError):
    """A queue, search or metrics parameter the API refuses (the message says which and why)."""


# --- fields written with the ticket ---------------------------------------------------

def phone_digits(value: Any) -> Optional[str]:
    """The digits of a phone number's E.164 form (``bot.text.normalise_phone``), or None if under 6 digits.

    Stored tickets and search terms meet in this one form: ``"138 1234 5678"``,
    ``"+86 138-1234-5678"`` and ``"008613812345678"`` all give ``"8613812345678"``;
    ``"0044 7700 900111"`` gives ``"447700900111"``.

    Args:
        value: a phone number as typed or stored (any type; a non-string gives None).

    Returns:
        The digits only (at most 32), or None when there are fewer than 6.
    """
    digits = re.sub(r"\D", "", normalise_phone(value)) if isinstance(value, str) else ""
    return digits[:32] if len(digits) >= 6 else None


def order_key(value: Any) -> Optional[str]:
    """The canonical ``QX-123456`` of an order number as typed (``bot.text.order_number_of``: the
    forms the orders read, full-width and dashes too), or None.

    Args:
        value: an order number as typed (any type; a non-string gives None).

    Returns:
        ``QX-123456``, or None when the value is not an order number.
    """
    return order_number_of(value)


def search_text_of(packet: PacketJSON) -> str:
    """The lower-case text a ticket is found by: summary, reason, topic, transcript (capped).

    Args:
        packet: a handoff/v1 packet (DESIGN §6).

    Returns:
        Lower-case text, at most ``SEARCH_TEXT_MAX`` (4000) characters.
    """
    parts = [packet.get("summary") or "", (packet.get("reason") or {}).get("detail") or "",
             str((packet.get("intake") or {}).get("topic") or "")]
    parts += [str(m.get("text") or "") for m in packet.get("transcript") or [] if isinstance(m, dict)]
    return " ".join(p for p in parts if p).lower()[:SEARCH_TEXT_MAX]


def packet_summaries(packet: PacketJSON) -> dict[str, str]:
    """The packet's summary in each desk language (``{"en": …, "zh": …}``): its ``summaries`` where
    the packet carries them, ``summary`` (the one language packets before issue 14 had) otherwise.

    Args:
        packet: a handoff/v1 packet.

    Returns:
        ``{"en": summary, "zh": summary}`` (the same text in both when the packet has one summary).
    """
    found = packet.get("summaries") if isinstance(packet.get("summaries"), dict) else {}
    default = str(packet.get("summary") or "")
    return {lang: str(found.get(lang) or default) for lang in LANGUAGES}


def summary_columns(packet: PacketJSON) -> dict[str, Any]:
    """``summary_en`` and ``summary_zh`` of ``tickets`` for a packet (kwargs for ``TicketRow``).

    Args:
        packet: a handoff/v1 packet.

    Returns:
        ``{"summary_en": str, "summary_zh": str}``.
    """
    return {f"summary_{lang}": text for lang, text in packet_summaries(packet).items()}


def ticket_search_fields(packet: PacketJSON) -> dict[str, Any]:
    """Columns of ``tickets`` derived from a handoff/v1 packet (kwargs for ``TicketRow``).

    Args:
        packet: a handoff/v1 packet.

    Returns:
        ``{"order_number", "contact_email", "contact_phone", "search_text"}``: the normalised order number,
        e-mail (lower case), phone digits (each None when absent) and search text.
    """
    intake = packet.get("intake") or {}
    email = intake.get("email")
    return {
        "order_number": order_key(intake.get("order_number")),
        "contact_email": email.strip().lower()[:254] if isinstance(email, str) and email.strip() else None,
        "contact_phone": phone_digits(intake.get("phone")),
        "search_text": search_text_of(packet),
    }


def appended_search_text(current: Optional[str], more: Optional[str]) -> Optional[str]:
    """``current`` with a later message's text added (lower case), while under the cap.

    Args:
        current: the ticket's stored ``search_text`` (None when empty).
        more: the new message's text (None or empty adds nothing).

    Returns:
        The new ``search_text``, at most ``SEARCH_TEXT_MAX`` characters (``current`` unchanged once full).
    """
    if not more or len(current or "") >= SEARCH_TEXT_MAX:
        return current
    return ((current or "") + " " + more.lower())[:SEARCH_TEXT_MAX]


# --- queries ----------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueQuery:
    """A queue request: ``assigned`` none (waiting, the default), me (held by ``viewer``) or any
    (every open ticket); ``sort`` a key of ``SORTS``; ``cursor`` from a previous page's
    ``next_cursor`` (then ``offset`` must be 0)."""

    viewer: str
    q: Optional[str] = None
    channel: Optional[str] = None
    language: Optional[str] = None
    assigned: str = "none"
    sort: str = "priority"
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    cursor: Optional[str] = None


@dataclass
class Page:
    """One page: ``items`` (queue views), ``total`` (all matches), ``next_cursor`` (None on the last page)."""

    items: list[dict]
    total: int
    next_cursor: Optional[str] = None
    next_offset: Optional[int] = None
    extra: dict = field(default_factory=dict)


def encode_cursor(sort: str, values: tuple) -> str:
    """An opaque cursor for the row after which the next page starts.

    Args:
        sort: the sort the page used (a key of ``SORTS``), stored in the cursor.
        values: the sort key values of the page's last row (datetimes as ISO-8601).

    Returns:
        URL-safe base64 of the JSON list, without padding.
    """
    raw = json.dumps([sort] + [v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> tuple:
    """The key values in ``cursor``. Raises BadQuery if it is not one this sort issued.

    Args:
        sort: the sort of the request; a cursor issued for another sort is refused.
        cursor: the ``cursor`` query parameter as received.

    Returns:
        The key values, typed as the sort's columns (datetimes aware UTC).
    """
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        if not isinstance(raw, list) or raw[0] != sort or len(raw) != len(SORTS[sort]) + 1:
            raise ValueError
        values = []
        for column, value in zip(SORTS[sort], raw[1:]):
            if column == "priority":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise ValueError
            elif column == "id":
                if not isinstance(value, str) or len(value) > 32:
                    raise ValueError
            else:
                value = to_utc(datetime.fromisoformat(value))
            values.append(value)
        return tuple(values)
    except (ValueError, TypeError, IndexError, UnicodeDecodeError, AttributeError):
        raise BadQuery("cursor is not one this queue issued (sort changed?)") from None


QUEUE_COLUMNS = (TicketRow.id, TicketRow.conversation_id, TicketRow.channel, TicketRow.language,
                 TicketRow.state, TicketRow.priority, TicketRow.reason_code, TicketRow.reason_detail,
                 TicketRow.summary, TicketRow.assigned_to, TicketRow.created_at, TicketRow.claimed_at,
                 TicketRow.closed_at, TicketRow.sla_due_at, TicketRow.skills, TicketRow.summary_en,
                 TicketRow.summary_zh, TicketRow.callback_requested_at)


def row_view(row: Any, now: datetime) -> dict[str, Any]:
    """The queue view of DESIGN.md §7 from a ``QUEUE_COLUMNS`` row (no packet read).

    Args:
        row: a row of ``QUEUE_COLUMNS``.
        now: the current time (aware UTC): the wait of an unclaimed ticket runs to it.

    Returns:
        The queue item dict: ``ticket_id``, ``conversation_id``, ``channel``, ``language``, ``priority``,
        ``reason`` ``{code, detail}``, ``summary``, ``summaries``, ``skills``, ``state``, ``assigned_to``,
        ``created_at``/``sla_due_at`` (ISO-8601), ``waiting_s`` (seconds from the hand-over), ``sla_breached``,
        ``live_call``; for a call-back the customer asked for while waiting, ``callback_requested_at`` (ISO-8601)
        and ``callback_waiting_s`` (seconds since), None otherwise (also once the ticket is back in the queue).
    """
    created, claimed, closed, due, asked = (as_utc(v) for v in (row.created_at, row.claimed_at, row.closed_at,
                                                                row.sla_due_at, row.callback_requested_at))
    end = claimed or closed or now
    asked = asked if row.state == TicketState.CALLBACK else None
    return {
        "ticket_id": row.id,
        "conversation_id": row.conversation_id,
        "channel": row.channel,
        "language": row.language,
        "priority": row.priority,
        "reason": {"code": row.reason_code, "detail": row.reason_detail},
        "summary": row.summary,
        # the summary in each desk language, from their columns (issue 14): the desk shows the agent's
        "summaries": {"en": row.summary_en or row.summary, "zh": row.summary_zh or row.summary},
        "skills": list(row.skills or []),  # the desk notifies agents of new tickets in their skills
        "waiting_s": max(0, int((end - created).total_seconds())),
        "sla_due_at": due.isoformat(),
        "sla_breached": row.state in WAITING_STATES and now > due,
        "state": row.state,
        "assigned_to": row.assigned_to,
        "live_call": row.channel == Channel.IVR and row.state in (TicketState.QUEUED, TicketState.WITH_AGENT),
        "created_at": created.isoformat(),
        "callback_requested_at": asked.isoformat() if asked else None,
        "callback_waiting_s": max(0, int((now - asked).total_seconds())) if asked else None,
    }


class SqlAlchemyQueueQueries(QueueQueries):
    """Read-only queries of the agent desk over ``tickets`` (the session comes from a unit of work)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def _term(self, q: str) -> tuple[Any, bool, bool]:
        """The WHERE term for a search string, whether it is an exact look-up, and whether its
        matches are cheap to count (exact, or a rare term found by SQLite's text index).

        Exact, on an indexed column: an order number, e-mail, phone or ticket
        id. Otherwise text, lower-cased, as a substring of ``search_text`` (or
        the conversation id as typed): on SQLite, a rare term (under
        ``FTS_SELECTIVE`` trigram-index matches) is looked up in the FTS5 index,
        a common one is checked row by row along the order the page is read in
        (it finds a page's worth quickly); PostgreSQL's planner chooses between
        its trigram index and that walk. Under 3 characters, no index helps.
        """
        q = q.strip()
        order = order_key(q)
        if order:
            return TicketRow.order_number == order, True, True
        if _EMAIL.match(q):
            return TicketRow.contact_email == q.lower(), True, True
        if _TICKET_ID.match(q):
            return TicketRow.id == q, True, True
        if _PHONE.match(q) and phone_digits(q):
            return or_(TicketRow.contact_phone == phone_digits(q), TicketRow.conversation_id == q), True, True
        needle = q.lower()
        if len(needle) >= 3 and self._dialect == "sqlite":
            phrase = '"' + needle.replace('"', '""') + '"'
            matches = (select(literal_column("rowid")).select_from(text("tickets_fts"))
                       .where(text("tickets_fts MATCH :phrase").bindparams(phrase=phrase)))
            found = self.session.execute(select(func.count()).select_from(
                matches.limit(FTS_SELECTIVE).subquery())).scalar_one()
            if found < FTS_SELECTIVE:
                return or_(literal_column("tickets.rowid").in_(matches), TicketRow.conversation_id == q), False, True
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return (or_(TicketRow.search_text.like(f"%{escaped}%", escape="\\"), TicketRow.conversation_id == q),
                False, False)

    def _count(self, where: list, exact: bool) -> tuple[int, bool]:
        """Rows matching ``where``; a text search counts up to ``COUNT_CAP`` (then says capped)."""
        if exact:
            return int(self.session.execute(select(func.count()).select_from(TicketRow).where(*where)).scalar_one()), False
        capped = select(literal_column("1")).select_from(TicketRow).where(*where).limit(COUNT_CAP + 1).subquery()
        total = int(self.session.execute(select(func.count()).select_from(capped)).scalar_one())
        return min(total, COUNT_CAP), total > COUNT_CAP

    def queue(self, query: QueueQuery, now: datetime) -> Page:
        """One page of the queue (see ``QueueQuery``). Raises BadQuery for a bad cursor.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        where = [text(WAITING_SQL if query.assigned == "none" else OPEN_SQL)]
        if query.assigned == "me":
            # plain ``state IN`` too: the index on (assigned_to, state) then skips the agent's closed history
            where += [TicketRow.assigned_to == query.viewer, TicketRow.state.in_(OPEN_STATES)]
        exact = counted = True
        text_term = None
        if query.q:
            text_term, exact, counted = self._term(query.q)
        filters = [text_term] if text_term is not None else []
        if query.language:
            filters.append(TicketRow.language == query.language)
        if query.channel:
            filters.append(TicketRow.channel == query.channel)
        # a common text term is not counted (that reads every match): the page says whether more follow
        total, capped = self._count(where + filters, exact) if counted else (WALK_FROM, False)
        keys = [getattr(TicketRow, c) for c in SORTS[query.sort]]
        page_where = where + filters
        if (query.channel and total >= WALK_FROM and self._dialect == "sqlite"
                and not (query.sort == "priority" and query.assigned == "none")):  # that one has its index
            # many matches: walk the index in page order and check the channel on the way
            # (looked up by the channel index, they would all be read and sorted first;
            # PostgreSQL's planner weighs that itself, from its statistics)
            page_where = where + filters[:-1] + [TicketRow.channel.concat("") == query.channel]
        if query.cursor:
            page_where.append(tuple_(*keys) > tuple_(*decode_cursor(query.sort, query.cursor)))
        skip = query.offset
        if skip:
            # an offset becomes a seek, as a cursor is: the sort keys of the row before the page, read
            # along the sort's index (keys only), then the page after them (with a large OFFSET on the
            # page itself, PostgreSQL's planner sorted every waiting ticket)
            before = self.session.execute(select(*keys).where(*page_where).order_by(*keys)
                                          .offset(skip - 1).limit(1)).first()
            page_where.append(tuple_(*keys) > tuple_(*before) if before is not None else literal_column("1") == 0)
            skip = 0
        stmt = (select(*QUEUE_COLUMNS).where(*page_where).order_by(*keys)
                .offset(skip).limit(query.limit + 1))
        rows = self.session.execute(stmt).all()
        more = len(rows) > query.limit
        rows = rows[:query.limit]
        if not counted:  # matches up to this page, one more when more follow (X-Total-Count-Capped)
            total, capped = query.offset + len(rows) + (1 if more else 0), more
        cursor = None
        if more and rows:
            last = rows[-1]
            cursor = encode_cursor(query.sort, tuple(
                as_utc(getattr(last, c)) if isinstance(getattr(last, c), datetime) else getattr(last, c)
                for c in SORTS[query.sort]))
        return Page([row_view(r, now) for r in rows], total, cursor,
                    query.offset + query.limit if more and not query.cursor else None, {"total_capped": capped})

    def search(self, q: str, now: datetime, limit: int = SEARCH_LIMIT, offset: int = 0) -> Page:
        """Tickets in any state matching ``q`` (see ``_term``), newest first; a text search's
        ``total`` counts up to ``COUNT_CAP`` when the text index finds few matches, otherwise the
        matches up to this page plus one when more follow (``extra["total_capped"]`` then true).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        term, exact, counted = self._term(q)
        stmt = (select(*QUEUE_COLUMNS).where(term)
                .order_by(TicketRow.created_at.desc(), TicketRow.id.desc()).offset(offset).limit(limit + 1))
        rows = self.session.execute(stmt).all()
        more = len(rows) > limit
        total, capped = (self._count([term], exact) if counted
                         else (offset + min(len(rows), limit) + (1 if more else 0), more))
        return Page([row_view(r, now) for r in rows[:limit]], total,
                    next_offset=offset + limit if more else None, extra={"total_capped": capped})

    def metrics(self, now: datetime, since: Optional[datetime] = None,
                conversations_total: Optional[int] = None, exact: bool = False) -> dict[str, Any]:
        """The supervisor's figures: ``since`` (default 24 h before ``now``) to ``now``.

        Right now: ``waiting_count``, ``longest_wait_s``, ``waiting_over_sla``,
        ``waiting_histogram`` (people still waiting by current wait). Over the
        period, of the tickets created in it: ``escalations_total``,
        ``escalations_by_reason``, ``sla_breach_rate`` (waited past the SLA
        target, or still waiting past it), ``abandoned``/``abandonment_rate``,
        ``average_wait_s`` (claimed or ended), ``containment_rate`` (1 − escalated
        conversations / conversations started in the period, from
        ``conversation_channels``, unless ``conversations_total`` is given). Of
        the tickets closed in it, ``agents``: per agent ``handled``,
        ``average_handle_s``, ``csat_average`` and ``csat_count`` (their ratings);
        ``csat_*``, ``handled_total`` and ``average_handle_s`` overall.
        Also ``waiting_over_sla_rate`` (share of the people waiting now who are
        past their SLA, None when nobody waits), ``with_agent_count`` (tickets
        held by an agent now), ``period_s`` (the period's length, seconds) and
        ``reason_labels`` (``{code: {"en", "zh"}}`` for every code, ``REASON_LABELS``).

        The period's figures are sums of the counters ``bot.queue.ticket_stats`` keeps (whole
        UTC days, then whole hours) plus the rows of the part-hours at either end, and the
        waiting tickets now past their deadline: constant time in the period's length.
        ``exact`` computes them from the ticket rows instead (the counters' test oracle;
        cost in proportion to the tickets of the period): the same figures.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        since = since or now - DEFAULT_PERIOD
        now_n, since_n = to_utc(now), to_utc(since)
        figures = {"since": as_utc(since).isoformat(), "until": as_utc(now).isoformat(),
                   **self._right_now(now, now_n, exact)}
        figures.update((self._period_exact if exact else self._period)(now, now_n, since_n, conversations_total))
        figures["reason_labels"] = reason_labels(figures["escalations_by_reason"])
        return figures

    def _right_now(self, now: datetime, now_n: datetime, exact: bool = False) -> dict[str, Any]:
        """Waiting count, longest wait (s), how many past their SLA, and the histogram of current waits.

        The waiting count is the sum of the waiting counter (``ticket_stats_waiting``, kept by
        triggers: a few hundred day rows, not every waiting ticket); ``exact`` counts the rows.
        The rest reads short ranges of the waiting tickets' indexes: those not yet due, those
        created in the histogram's last hours.
        """
        t = TicketRow
        s = self.session
        # right now: on the partial indexes over the open states
        waiting = text(WAITING_SQL)
        count = lambda *more: int(s.execute(select(func.count()).select_from(t).where(waiting, *more)).scalar_one())  # noqa: E731
        edges = [now_n - timedelta(seconds=b) for b in WAIT_BUCKETS_S]
        if exact:
            waiting_count = count()
        else:
            w = TicketStatsWaitingRow
            waiting_count = int(s.execute(select(func.coalesce(func.sum(w.waiting), 0))
                                          .where(w.span == DAY)).scalar_one())
        # past their SLA: all but the few not yet due (a range of the SLA index, not every waiting one)
        over_sla = waiting_count - count(t.sla_due_at >= now_n)
        if self._dialect == "sqlite":  # SQLite counts an index range without reading rows: one count each
            cumulative = [count(t.created_at >= edge) for edge in edges]
        else:  # one pass over the histogram's hours of the waiting tickets' index
            row = s.execute(select(*[func.count().filter(t.created_at >= edge) for edge in edges])
                            .where(waiting, t.created_at >= min(edges))).one()
            cumulative = [int(v) for v in row]
        oldest = as_utc(s.execute(select(t.created_at).where(waiting).order_by(t.created_at).limit(1)).scalar())
        histogram, previous, lower = [], 0, 0
        for upper, count in zip(WAIT_BUCKETS_S, cumulative):
            histogram.append({"from_s": lower, "to_s": upper, "count": count - previous})
            previous, lower = count, upper
        histogram.append({"from_s": lower, "to_s": None, "count": waiting_count - previous})

        with_agent = int(s.execute(select(func.count()).select_from(t)
                                   .where(t.state == TicketState.WITH_AGENT.value)).scalar_one())

        return {
            "waiting_count": waiting_count,
            "longest_wait_s": max(0, int((now - oldest).total_seconds())) if oldest else 0,
            "waiting_over_sla": over_sla,
            # of the people waiting now, the share already past their SLA deadline (None: nobody waits)
            "waiting_over_sla_rate": round(over_sla / waiting_count, 4) if waiting_count else None,
            "waiting_histogram": histogram,
            "with_agent_count": with_agent,
        }

    def _period(self, now: datetime, now_n: datetime, since_n: datetime,
                conversations_total: Optional[int]) -> dict[str, Any]:
        """``_period_exact``'s figures from the counters (``bot.queue.ticket_stats``): whole days and
        hours summed from them, the part-hours at either end from the rows (indexed ranges), the
        waiting tickets past their deadline counted on their own index."""
        t, s = TicketRow, self.session
        sums = _CounterSums(s, since_n, now_n)
        reasons = sums.created()
        total = sum(r[1] for r in reasons)
        abandoned = sum(r[2] for r in reasons)
        # a ticket waiting now past its deadline has breached too (it depends on now: not counted ahead)
        # = the period's never-claimed waiting tickets (counter) less those not yet due: read along
        # the SLA index's short range only (the other terms checked here, so no planner walks
        # another index: SQLite took the closed_at one, every open ticket, 190 ms at a million)
        not_due = sum(1 for created, claimed, closed in s.execute(
            select(t.created_at, t.claimed_at, t.closed_at).where(text(WAITING_SQL), t.sla_due_at >= now_n))
            if claimed is None and closed is None and since_n <= to_utc(created) <= now_n)
        live = sums.waiting_unclaimed() - not_due
        breaches = sum(r[3] for r in reasons) + live
        wait_sum, waited = sum(r[4] for r in reasons), sum(r[5] for r in reasons)
        known = {code: n for code, n, *_ in reasons if n}
        by_reason = ({code: known[code] for code in REASON_CODES if code in known}
                     if set(known) <= set(REASON_CODES) else known)
        if conversations_total is None:
            conversations_total = sums.conversations()
        rows = sums.closed()
        agents = [
            {"username": name, "handled": n,
             "average_handle_s": round(handle / timed, 1) if timed else None,
             "csat_average": round(csat / rated, 2) if rated else None, "csat_count": rated}
            for name, n, handle, timed, csat, rated in rows
        ]
        handle_sum = sum(float(r[2]) for r in rows)
        timed = sum(r[3] for r in rows)
        recent = s.execute(select(t.id, t.created_at, t.claimed_at, t.closed_at)
                           .where(t.created_at >= since_n, t.created_at <= now_n)
                           .order_by(t.created_at.desc()).limit(20)).all()
        return _period_figures(conversations_total, total, by_reason, breaches, abandoned,
                               round(wait_sum / waited, 1) if waited else None, agents, handle_sum, timed,
                               now, now_n, since_n, recent)

    def _period_exact(self, now: datetime, now_n: datetime, since_n: datetime,
                      conversations_total: Optional[int]) -> dict[str, Any]:
        """Escalations, SLA breaches, abandonment, waits and containment of the tickets created in
        the period; per-agent handling and CSAT of those closed in it."""
        t = TicketRow
        s = self.session
        in_period = and_(t.created_at >= since_n, t.created_at <= now_n)
        breached = or_(and_(t.claimed_at.isnot(None), t.claimed_at > t.sla_due_at),
                       and_(t.claimed_at.is_(None), t.closed_at.isnot(None), t.closed_at > t.sla_due_at),
                       and_(t.claimed_at.is_(None), t.closed_at.is_(None), t.state.in_(WAITING_STATES),
                            t.sla_due_at < now_n))
        period = s.execute(select(
            func.count(),
            func.coalesce(func.sum(case((breached, 1), else_=0)), 0),
            func.coalesce(func.sum(case((t.state == TicketState.ABANDONED.value, 1), else_=0)), 0),
            func.avg(t.wait_s), func.count(t.wait_s),
            *[func.coalesce(func.sum(case((t.reason_code == code, 1), else_=0)), 0) for code in REASON_CODES],
        ).where(in_period)).one()
        total, breaches, abandoned = (int(v) for v in period[:3])
        average_wait, waited = period[3], int(period[4])
        by_reason = {code: int(n) for code, n in zip(REASON_CODES, period[5:]) if n}
        if sum(by_reason.values()) < total:  # codes this version does not know: group them (rare)
            by_reason = dict(s.execute(select(t.reason_code, func.count()).where(in_period)
                                       .group_by(t.reason_code)).all())
        if conversations_total is None:
            conversations_total = int(s.execute(
                select(func.count()).select_from(ConversationChannelRow)
                .where(ConversationChannelRow.created_at >= since_n,
                       ConversationChannelRow.created_at <= now_n)).scalar_one())
        # ``state || ''``: filtered after the closed_at range, not looked up by the index on state
        closed = and_(t.closed_at >= since_n, t.closed_at <= now_n, t.state.concat("") == TicketState.CLOSED.value,
                      t.assigned_to.isnot(None))
        rows = s.execute(select(t.assigned_to, func.count(), func.avg(t.handle_s), func.avg(t.csat),
                                func.count(t.csat), func.sum(t.handle_s), func.count(t.handle_s))
                         .where(closed).group_by(t.assigned_to).order_by(t.assigned_to)).all()
        agents = [
            {"username": name, "handled": int(n),
             "average_handle_s": round(float(handle), 1) if handle is not None else None,
             "csat_average": round(float(csat), 2) if rated else None, "csat_count": int(rated)}
            for name, n, handle, csat, rated, _sum, _timed in rows
        ]
        handle_sum = sum(float(r[5] or 0) for r in rows)
        timed = sum(int(r[6]) for r in rows)
        recent = s.execute(select(t.id, t.created_at, t.claimed_at, t.closed_at).where(in_period)
                           .order_by(t.created_at.desc()).limit(20)).all()
        # a conversation handed over twice in the period counts twice (no DISTINCT over the period)
        return _period_figures(conversations_total, total, by_reason, breaches, abandoned,
                               round(float(average_wait), 1) if waited else None, agents, handle_sum, timed,
                               now, now_n, since_n, recent)


def _period_figures(conversations_total: Optional[int], total: int, by_reason: dict, breaches: int,
                    abandoned: int, average_wait_s: Optional[float], agents: list, handle_sum: float,
                    timed: int, now: datetime, now_n: datetime, since_n: datetime, recent: list) -> dict[str, Any]:
    """The metrics of a period as the API returns them, from the sums either path computed (the
    counters or the exact oracle): rates rounded to 4 places, seconds to 0.1, CSAT to 0.01;
    ``recent`` the period's last 20 tickets ``(id, created_at, claimed_at, closed_at)``, newest first."""
    csat_count = sum(a["csat_count"] for a in agents)
    csat_sum = sum(a["csat_average"] * a["csat_count"] for a in agents if a["csat_count"])
    return {
        "conversations_total": conversations_total,
        "containment_rate": (round(max(0.0, 1 - total / conversations_total), 4)
                             if conversations_total else None),
        "escalations_total": total,
        "escalations_by_reason": by_reason,
        "sla_breaches": breaches,
        "sla_breach_rate": round(breaches / total, 4) if total else None,
        "abandoned": abandoned,
        "abandonment_rate": round(abandoned / total, 4) if total else None,
        "average_wait_s": average_wait_s,
        "csat_average": round(csat_sum / csat_count, 2) if csat_count else None,
        "csat_count": csat_count,
        "handled_total": sum(a["handled"] for a in agents),
        "average_handle_s": round(handle_sum / timed, 1) if timed else None,
        "period_s": max(0, int((now_n - since_n).total_seconds())),
        "agents": agents,
        "waits": [
            {"ticket_id": r.id,
             "wait_s": max(0, int(((as_utc(r.claimed_at) or as_utc(r.closed_at) or now)
                                   - as_utc(r.created_at)).total_seconds()))}
            for r in reversed(recent)
        ],
    }


def _within(column: Any, start: str, end: str, included: bool) -> Any:
    return and_(column >= bindparam(start, type_=column.type),
                column <= bindparam(end, type_=column.type) if included else column < bindparam(end, type_=column.type))


def _bucket_parts(model: Any, *columns: Any) -> list:
    """The counters' rows of the period: whole days (``d0``..``d1``), whole hours at either end."""
    span = lambda value, a, b: and_(model.span == value, model.bucket >= bindparam(a), model.bucket < bindparam(b))  # noqa: E731
    return [select(*columns).where(span(DAY, "d0", "d1")), select(*columns).where(span(HOUR, "ha0", "ha1")),
            select(*columns).where(span(HOUR, "hb0", "hb1"))]


def _summed(parts: list, key: Optional[str], names: tuple, having: Optional[str] = None) -> Any:
    u = union_all(*parts).subquery()
    stmt = select(u.c[key] if key else literal_column("1"), *[func.coalesce(func.sum(u.c[n]), 0) for n in names])
    if key:
        stmt = stmt.group_by(u.c[key]).order_by(u.c[key])
        if having:
            stmt = stmt.having(func.sum(u.c[having]) > 0)
    return stmt


def _counter_statements() -> dict[str, Any]:
    """The three period sums as statements of one fixed shape (built once, so SQLAlchemy compiles
    each once): counters of whole days and hours, plus the rows of the part-hours at either end
    (``ea0``..``ea1`` end excluded, ``eb0``..``eb1`` end included)."""
    t, c, k, v, cc = TicketRow, TicketStatsCreatedRow, TicketStatsClosedRow, ConversationStatsRow, ConversationChannelRow
    edges = (("ea0", "ea1", False), ("eb0", "eb1", True))
    settled = or_(and_(t.claimed_at.isnot(None), t.claimed_at > t.sla_due_at),
                  and_(t.claimed_at.is_(None), t.closed_at.isnot(None), t.closed_at > t.sla_due_at))
    created = _bucket_parts(c, c.reason_code, c.created, c.abandoned, c.breached, c.wait_sum, c.wait_count) + [
        select(t.reason_code.label("reason_code"), func.count().label("created"),
               func.sum(case((t.state == TicketState.ABANDONED.value, 1), else_=0)).label("abandoned"),
               func.sum(case((settled, 1), else_=0)).label("breached"),
               func.coalesce(func.sum(t.wait_s), 0).label("wait_sum"), func.count(t.wait_s).label("wait_count"))
        .where(_within(t.created_at, *edge)).group_by(t.reason_code) for edge in edges]
    closed = _bucket_parts(k, k.agent, k.handled, k.handle_sum, k.handle_count, k.csat_sum, k.csat_count) + [
        select(t.assigned_to.label("agent"), func.count().label("handled"),
               func.coalesce(func.sum(t.handle_s), 0).label("handle_sum"), func.count(t.handle_s).label("handle_count"),
               func.coalesce(func.sum(t.csat), 0).label("csat_sum"), func.count(t.csat).label("csat_count"))
        .where(_within(t.closed_at, *edge), t.state.concat("") == TicketState.CLOSED.value, t.assigned_to.isnot(None))
        .group_by(t.assigned_to) for edge in edges]
    started = _bucket_parts(v, v.started) + [
        select(func.count().label("started")).select_from(cc).where(_within(cc.created_at, *edge)) for edge in edges]
    w = TicketStatsWaitingRow
    # ``coalesce``: read along the waiting tickets' created_at index, never looked up by closed_at
    unclaimed = _bucket_parts(w, w.unclaimed) + [
        select(func.count().label("unclaimed")).select_from(t)
        .where(_within(t.created_at, *edge), text(WAITING_SQL), func.coalesce(t.claimed_at, t.closed_at).is_(None))
        for edge in edges]
    return {
        "created": _summed(created, "reason_code", ("created", "abandoned", "breached", "wait_sum", "wait_count")),
        "closed": _summed(closed, "agent", ("handled", "handle_sum", "handle_count", "csat_sum", "csat_count"),
                          having="handled"),
        "started": _summed(started, None, ("started",)),
        "waiting": _summed(unclaimed, None, ("unclaimed",)),
    }


_COUNTER_STATEMENTS: dict[str, Any] = {}


class _CounterSums:
    """The period's sums: the counters' whole days and hours plus the rows of the part-hours at
    either end (``bot.queue.ticket_stats.split_period``), one UNION ALL statement each."""

    def __init__(self, session: Session, since: datetime, until: datetime) -> None:
        self.session = session
        days, hours, edges = split_period(since, until)
        days, hours = days + [("", "")] * (1 - len(days)), hours + [("", "")] * (2 - len(hours))
        if len(edges) == 1:  # no whole hour: the whole period, end included
            edges = [(edges[0][0], edges[0][0], False)] + edges
        self.params = {"d0": days[0][0], "d1": days[0][1], "ha0": hours[0][0], "ha1": hours[0][1],
                       "hb0": hours[1][0], "hb1": hours[1][1], "ea0": to_utc(edges[0][0]), "ea1": to_utc(edges[0][1]),
                       "eb0": to_utc(edges[1][0]), "eb1": to_utc(edges[1][1])}
        if not _COUNTER_STATEMENTS:
            _COUNTER_STATEMENTS.update(_counter_statements())

    def _rows(self, name: str) -> list[tuple]:
        rows = self.session.execute(_COUNTER_STATEMENTS[name], self.params).all()
        return [(first, *(int(v) for v in rest)) for first, *rest in rows]

    def created(self) -> list[tuple]:
        """``[(reason_code, created, abandoned, breached, wait_sum, wait_count)]`` of the tickets created
        in the period (breaches settled by a claim or an end only)."""
        return self._rows("created")

    def closed(self) -> list[tuple]:
        """``[(agent, handled, handle_sum, handle_count, csat_sum, csat_count)]`` of the tickets closed
        by an agent in the period, by agent name."""
        return self._rows("closed")

    def conversations(self) -> int:
        """Conversations started in the period (``conversation_channels`` rows)."""
        return self._rows("started")[0][1]

    def waiting_unclaimed(self) -> int:
        """Tickets created in the period, waiting now and never claimed nor ended (the waiting counter)."""
        return self._rows("waiting")[0][1]
