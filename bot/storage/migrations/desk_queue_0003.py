"""Revision 0003's DDL and backfill, frozen: the desk's ticket columns, queue indexes and text index.

FROZEN: this module is part of the migration history. Do not edit it to follow the
application: a later schema change is a new revision. It imports nothing from ``bot``
outside ``bot/storage/migrations`` (tests/unit/test_migration_schema.py checks), so a refactor of
the application cannot change what this revision does. The queries that use these
columns and indexes are in ``bot.queue.queue_queries``.

Every step checks first (idempotent), so a database whose columns were added before the
revision upgrades too. On PostgreSQL the text index needs the ``pg_trgm`` extension;
without the right to create it, text search still works, unindexed (logged).
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from datetime import datetime, timezone
from typing import Any, Optional

import phonenumbers
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

logger = logging.getLogger(__name__)

# The partial indexes' predicates as the revision wrote them (``state || ''``: see bot.queue.queue_queries).
OPEN_SQL = "(state || '') IN ('queued', 'with_agent', 'callback')"
WAITING_SQL = "(state || '') IN ('queued', 'callback')"

# Index name -> (columns, predicate of a partial index or None).
TICKET_INDEXES: dict[str, tuple[tuple[str, ...], Optional[str]]] = {
    "ix_tickets_waiting_priority": (("priority", "created_at", "id", "state"), WAITING_SQL),
    "ix_tickets_waiting_since": (("created_at", "id", "state"), WAITING_SQL),
    "ix_tickets_waiting_sla": (("sla_due_at", "id", "state"), WAITING_SQL),
    "ix_tickets_waiting_filters": (("channel", "language", "state", "created_at", "sla_due_at"), WAITING_SQL),
    "ix_tickets_waiting_channel": (("channel", "priority", "created_at", "id", "state"), WAITING_SQL),
    "ix_tickets_open_priority": (("priority", "created_at", "id", "state"), OPEN_SQL),
    "ix_tickets_open_since": (("created_at", "id", "state"), OPEN_SQL),
    "ix_tickets_open_sla": (("sla_due_at", "id", "state"), OPEN_SQL),
    "ix_tickets_open_filters": (("channel", "language", "state", "assigned_to"), OPEN_SQL),
    "ix_tickets_assigned": (("assigned_to", "state"), None),
    "ix_tickets_created_cover": (("created_at", "reason_code", "state", "claimed_at", "closed_at", "sla_due_at",
                                  "wait_s"), None),
    "ix_tickets_closed_cover": (("closed_at", "state", "assigned_to", "handle_s", "csat"), None),
    "ix_tickets_order_number": (("order_number",), None),
    "ix_tickets_contact_email": (("contact_email",), None),
    "ix_tickets_contact_phone": (("contact_phone",), None),
}
NEW_TICKET_COLUMNS = {
    "order_number": "VARCHAR(16)",
    "contact_email": "VARCHAR(254)",
    "contact_phone": "VARCHAR(32)",
    "search_text": "TEXT",
    "wait_s": "INTEGER",
    "handle_s": "INTEGER",
    "csat": "INTEGER",
}
CHANNELS_CREATED_INDEX = "ix_conversation_channels_created_at"
TRGM_INDEX = "ix_tickets_search_trgm"
#: Indexes and tables this revision makes by raw DDL (partial, covering, full-text), which the
#: models do not declare (bot.storage.schema.include_object).
RAW_DDL_INDEXES = frozenset(TICKET_INDEXES) | {CHANNELS_CREATED_INDEX, TRGM_INDEX}
RAW_DDL_TABLE_PREFIX = "tickets_fts"
SEARCH_TEXT_MAX = 4000


def upgrade_desk_queue(conn: Any) -> list[str]:
    """Add the desk's ticket columns, indexes and text index where missing; fill old rows.

    Args:
        conn: a ``Connection`` in a transaction (the migration's).

    Returns:
        What was done, e.g. ``["column tickets.order_number", "index ix_tickets_open_priority"]``
        (empty: nothing to do).
    """
    done = _add_columns(conn)
    indexes = {i["name"] for i in sa.inspect(conn).get_indexes("tickets")}
    for name, (columns, predicate) in TICKET_INDEXES.items():
        if name not in indexes:
            where = f" WHERE {predicate}" if predicate else ""
            conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON tickets ({', '.join(columns)}){where}"))
            done.append(f"index {name}")
    if CHANNELS_CREATED_INDEX not in {i["name"] for i in sa.inspect(conn).get_indexes("conversation_channels")}:
        conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {CHANNELS_CREATED_INDEX} "
                             "ON conversation_channels (created_at)"))
        done.append(f"index {CHANNELS_CREATED_INDEX}")
    if conn.dialect.name == "sqlite":
        done += _sqlite_text_index(conn)
    if conn.dialect.name == "postgresql":
        done += _postgres_text_index(conn)
        done += _postgres_state_statistics(conn)
    if done:
        logger.info("revision 0003: %s", ", ".join(done))
    return done


def _add_columns(conn: Any) -> list[str]:
    """The new columns of ``tickets`` (then the backfill of older rows, if any was added)."""
    done: list[str] = []
    present = {c["name"] for c in sa.inspect(conn).get_columns("tickets")}
    added = [name for name in NEW_TICKET_COLUMNS if name not in present]
    for name in list(added):
        if conn.dialect.name == "postgresql":  # another server starting at once may have added it
            conn.execute(sa.text(f"ALTER TABLE tickets ADD COLUMN IF NOT EXISTS {name} {NEW_TICKET_COLUMNS[name]}"))
        else:
            try:
                conn.execute(sa.text(f"ALTER TABLE tickets ADD COLUMN {name} {NEW_TICKET_COLUMNS[name]}"))
            except OperationalError:
                if name not in {c["name"] for c in sa.inspect(conn).get_columns("tickets")}:
                    raise
                added.remove(name)  # another process added it first
                continue
        done.append(f"column tickets.{name}")
    if added:
        done += _backfill(conn)
    return done


# --- the backfill's derivations, as the revision computed them --------------------------

_ORDER = re.compile(r"^\s*[Qq][Xx][\s\-_]?(\d{3})[\s\-]?(\d{3})\s*$")
_INTERNATIONAL_PREFIX = re.compile(r"[\s(\[]*(?:\+|00[1-9])")


def _phone_digits(value: Any) -> Optional[str]:
    """The digits of an intake phone's E.164 form (region CN for national numbers), or None (< 6 digits)."""
    if not isinstance(value, str):
        return None
    folded = unicodedata.normalize("NFKC", value)
    try:
        number = phonenumbers.parse(folded, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number) and (
            phonenumbers.is_valid_number(number) or _INTERNATIONAL_PREFIX.match(folded)):
        folded = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"\D", "", folded)
    return digits[:32] if len(digits) >= 6 else None


def _fields_of(packet: dict) -> dict[str, Any]:
    """The searchable columns of a handoff/v1 packet: order number, e-mail, phone digits, text."""
    intake = packet.get("intake") or {}
    order = _ORDER.match(intake.get("order_number")) if isinstance(intake.get("order_number"), str) else None
    email = intake.get("email")
    parts = [packet.get("summary") or "", (packet.get("reason") or {}).get("detail") or "",
             str(intake.get("topic") or "")]
    parts += [str(m.get("text") or "") for m in packet.get("transcript") or [] if isinstance(m, dict)]
    return {"order_number": f"QX-{order.group(1)}{order.group(2)}" if order else None,
            "contact_email": email.strip().lower()[:254] if isinstance(email, str) and email.strip() else None,
            "contact_phone": _phone_digits(intake.get("phone")),
            "search_text": " ".join(p for p in parts if p).lower()[:SEARCH_TEXT_MAX]}


def _as_datetime(value: Any) -> Optional[datetime]:
    if value is not None and not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


def _backfill(conn: Any) -> list[str]:
    """Fill the new columns of rows written before them (once)."""
    rows = conn.execute(sa.text("SELECT id, packet, created_at, claimed_at, closed_at FROM tickets")).all()
    tickets = sa.table("tickets", sa.column("id"), *(sa.column(name) for name in NEW_TICKET_COLUMNS))
    for ticket_id, packet, created, claimed, closed in rows:
        try:
            packet = json.loads(packet) if isinstance(packet, str) else (packet or {})
        except ValueError:
            packet = {}
        values = _fields_of(packet if isinstance(packet, dict) else {})
        created, claimed, closed = (_as_datetime(v) for v in (created, claimed, closed))
        if created and (claimed or closed):
            values["wait_s"] = max(0, int(((claimed or closed) - created).total_seconds()))
        if claimed and closed:
            values["handle_s"] = max(0, int((closed - claimed).total_seconds()))
        conn.execute(tickets.update().where(tickets.c.id == ticket_id).values(**values))
    conn.execute(sa.text("UPDATE tickets SET csat = (SELECT rating FROM csat_ratings WHERE ticket_id = tickets.id) "
                         "WHERE csat IS NULL AND id IN (SELECT ticket_id FROM csat_ratings)"))
    return [f"backfilled {len(rows)} tickets"] if rows else []


# --- text index ---------------------------------------------------------------------------

def _sqlite_text_index(conn: Any) -> list[str]:
    """An FTS5 trigram index over ``tickets.search_text`` (external content), kept by triggers."""
    if conn.execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = 'tickets_fts'")).first():
        return []
    for statement in (
        "CREATE VIRTUAL TABLE IF NOT EXISTS tickets_fts USING fts5("
        "search_text, content='tickets', content_rowid='rowid', tokenize='trigram')",
        "CREATE TRIGGER IF NOT EXISTS tickets_fts_insert AFTER INSERT ON tickets BEGIN "
        "INSERT INTO tickets_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
        "CREATE TRIGGER IF NOT EXISTS tickets_fts_delete AFTER DELETE ON tickets BEGIN "
        "INSERT INTO tickets_fts(tickets_fts, rowid, search_text) "
        "VALUES ('delete', old.rowid, old.search_text); END",
        "CREATE TRIGGER IF NOT EXISTS tickets_fts_update AFTER UPDATE OF search_text ON tickets "
        "BEGIN INSERT INTO tickets_fts(tickets_fts, rowid, search_text) "
        "VALUES ('delete', old.rowid, old.search_text); "
        "INSERT INTO tickets_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
        "INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')",
    ):
        conn.execute(sa.text(statement))
    return ["fts5 index tickets_fts"]


def _postgres_state_statistics(conn: Any) -> list[str]:
    """Statistics on ``state || ''`` (the queue's and the partial indexes' term; issue 16).

    Without them PostgreSQL guesses that term matches a few hundred rows, so for a page of the
    queue it reads every waiting ticket and sorts them rather than walking the sort's index;
    ``ANALYZE`` (run here once, then by autovacuum) fills them.
    """
    if conn.execute(sa.text("SELECT 1 FROM pg_statistic_ext WHERE stxname = 'st_tickets_state_text'")).first():
        return []
    conn.execute(sa.text("CREATE STATISTICS IF NOT EXISTS st_tickets_state_text ON ((state || '')) FROM tickets"))
    conn.execute(sa.text("ANALYZE tickets"))
    return ["statistics st_tickets_state_text"]


def _postgres_text_index(conn: Any) -> list[str]:
    if conn.execute(sa.text(f"SELECT 1 FROM pg_indexes WHERE indexname = '{TRGM_INDEX}'")).first():
        return []
    try:
        with conn.begin_nested():  # a savepoint: a refused extension leaves the migration going
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} "
                                 "ON tickets USING gin (search_text gin_trgm_ops)"))
    except Exception as error:  # no right to create the extension: search still works, unindexed
        logger.warning("no trigram index on tickets.search_text: %s", error)
        return []
    return [f"trigram index {TRGM_INDEX}"]
