"""The desk's queue filters and paging, search of past tickets and period metrics
(issue 14 "Find work", issue 16), through the real Rasa server's agent API, on a
database that starts in the schema before them (upgraded in place, rows kept)."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from tests.integration.conftest import run_servers

NOW = datetime.now(timezone.utc)
OLD_TICKETS_DDL = """
CREATE TABLE tickets (
    id VARCHAR(32) NOT NULL PRIMARY KEY, conversation_id VARCHAR(255) NOT NULL, channel VARCHAR(16) NOT NULL,
    language VARCHAR(8) NOT NULL, state VARCHAR(16) NOT NULL, priority INTEGER NOT NULL,
    reason_code VARCHAR(32) NOT NULL, reason_detail TEXT, skills JSON NOT NULL, summary TEXT NOT NULL,
    packet JSON NOT NULL, customer_id VARCHAR(255), assigned_to VARCHAR(64), disposition VARCHAR(32),
    created_at DATETIME NOT NULL, claimed_at DATETIME, closed_at DATETIME, sla_due_at DATETIME NOT NULL);
CREATE INDEX ix_tickets_conversation_id ON tickets (conversation_id);
CREATE INDEX ix_tickets_state ON tickets (state);
CREATE INDEX ix_tickets_customer_id ON tickets (customer_id);
"""


def packet(ticket_id: str, channel: str, language: str, priority: int, age_min: float, due_in_min: float,
           summary: str, reason: str = "customer_request", order=None, email=None, phone=None) -> dict:
    created = NOW - timedelta(minutes=age_min)
    return {
        "schema": "handoff/v1", "ticket_id": ticket_id, "conversation_id": f"desk-q-{ticket_id}",
        "channel": channel, "language": language, "priority": priority,
        "reason": {"code": reason, "detail": None}, "skills": [language], "summary": summary,
        "created_at": created.isoformat(), "sla": {"target_wait_s": 60, "due_at": (created + timedelta(
            minutes=due_in_min)).isoformat()},
        "intake": {"order_number": order, "email": email, "phone": phone, "topic": None},
        "transcript": [{"from": "customer", "text": summary, "at": created.isoformat(), "channel": channel}],
    }


# name: (state, channel, language, priority, age in minutes, SLA due after creation (min), summary, extra)
TICKETS = {
    "W1": ("queued", "web", "en", 2, 10, 1, "My parcel is late", {"order": "QX-111111", "email": "Ann@Example.com",
                                                                 "phone": "+44 20 7946 0001"}),
    "W2": ("queued", "wechat", "zh", 1, 5, 60, "退款问题 客户很着急", {"order": "QX-222222"}),
    "W3": ("callback", "ivr", "en", 3, 30, 1, "Call me back about an invoice", {}),
    "W4": ("queued", "web", "zh", 1, 20, 1, "账户锁定", {}),
    "W5": ("queued", "rest", "en", 2, 2, 60, "The screen flickers", {}),
    "A1": ("with_agent", "web", "en", 1, 40, 120, "Wrong size delivered", {}),
    "A2": ("with_agent", "wechat", "zh", 2, 15, 120, "换货", {}),
    "C1": ("closed", "web", "en", 2, 3 * 24 * 60, 1, "Broken screen replacement",
           {"reason": "negative_emotion", "order": "QX-333333", "email": "bob@example.com"}),
    "C2": ("closed", "rest", "en", 2, 120, 60, "Voucher did not apply", {}),
    "C3": ("abandoned", "ivr", "en", 3, 60, 1, "Caller hung up", {"reason": "nlu_failure"}),
}
OLD = {  # rows written before the desk's columns existed
    "O1": ("queued", "web", "en", 4, 50, 1, "Old ticket about a lost charger", {"order": "QX-444444"}),
    "O2": ("closed", "web", "en", 4, 5 * 24 * 60, 1, "Old closed ticket", {"order": "QX-555555",
                                                                          "phone": "+1 (555) 010-9999"}),
}


def tid(name: str) -> str:
    return "T" + name.encode().hex().upper().rjust(12, "0")


def build(name: str, spec: tuple) -> dict:
    state, channel, language, priority, age, due, summary, extra = spec
    return packet(tid(name), channel, language, priority, age, due, summary, **extra)


def old_database(path) -> None:
    """A tickets table as the schema had it before the desk's columns, with two rows."""
    with sqlite3.connect(path) as db:
        db.executescript(OLD_TICKETS_DDL)
        for name, spec in OLD.items():
            p = build(name, spec)
            db.execute("INSERT INTO tickets (id, conversation_id, channel, language, state, priority, reason_code, "
                       "skills, summary, packet, created_at, claimed_at, closed_at, sla_due_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (p["ticket_id"], p["conversation_id"], p["channel"], p["language"], spec[0], p["priority"],
                        p["reason"]["code"], "[]", p["summary"], json.dumps(p, ensure_ascii=False),
                        p["created_at"].replace("T", " ")[:26],
                        None if spec[0] == "queued" else p["created_at"].replace("T", " ")[:26],
                        None if spec[0] == "queued" else p["created_at"].replace("T", " ")[:26],
                        p["sla"]["due_at"].replace("T", " ")[:26]))


def seed_tickets(unit_of_work) -> None:
    """``TICKETS`` in their states: A1/A2 held, C1/C2 closed and rated, C3 abandoned.

    ``unit_of_work``: makes a unit of work on the database to seed (called twice).
    """
    with unit_of_work() as uow:
        for name, spec in TICKETS.items():
            uow.tickets.add(build(name, spec), "callback" if spec[0] == "callback" else "queued", customer_id=None)
        uow.commit()
    with unit_of_work() as uow:
        uow.tickets.claim(tid("A1"), "agent1")
        uow.tickets.add_event(tid("A1"), "message", "customer", "my tracking says delivered to the moon",
                              {"from": "customer"})
        uow.tickets.claim(tid("A2"), "agent2")
        for name, rating in (("C1", 4), ("C2", 2)):
            uow.tickets.claim(tid(name), "agent1")
            uow.tickets.close(tid(name), "agent1", "resolved")
            uow.tickets.rate(tid(name), rating)
        uow.tickets.set_state(tid("C3"), "abandoned")
        uow.commit()


@pytest.fixture(scope="module")
def desk(tmp_path_factory, trained_model):
    """Real servers on an old-schema database (upgraded in place by the migrations: revision 0003 adds the
    desk's columns, as `make migrate` does to an existing database) plus ``TICKETS``."""
    agents = (("agent1", "Agent1", "agent"), ("agent2", "Agent2", "agent"), ("alice", "Alice", "supervisor"))
    yield from run_servers(tmp_path_factory, "desk_queue", agents=agents, before_migrate=old_database,
                           after_seed=seed_tickets)


@pytest.fixture(scope="module")
def tokens(desk):
    return {name: desk.login(name, "pass-word-1") for name in ("agent1", "agent2", "alice")}


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [t["ticket_id"] for t in response.json()]


def names(*keys: str) -> list[str]:
    return [tid(k) for k in keys]


def test_queue_without_parameters_is_the_waiting_tickets_most_urgent_then_oldest_first(desk, tokens):
    response = desk.api("GET", "/queue", tokens["agent1"])
    assert ids(response) == names("W4", "W2", "W1", "W5", "W3", "O1")
    assert response.headers["X-Total-Count"] == "6" and "X-Next-Cursor" not in response.headers
    first = response.json()[0]
    assert {"ticket_id", "conversation_id", "channel", "language", "priority", "reason", "summary",
            "waiting_s", "state", "assigned_to"} <= set(first)
    assert first["state"] == "queued" and first["assigned_to"] is None and first["waiting_s"] >= 20 * 60 - 5


@pytest.mark.parametrize("params, user, expected", [
    ({"channel": "web"}, "agent1", ("W4", "W1", "O1")),
    ({"channel": "wechat"}, "agent1", ("W2",)),
    ({"language": "zh"}, "agent1", ("W4", "W2")),
    ({"language": "en", "channel": "ivr"}, "agent1", ("W3",)),
    ({"assigned": "none"}, "agent1", ("W4", "W2", "W1", "W5", "W3", "O1")),
    ({"assigned": "me"}, "agent1", ("A1",)),
    ({"assigned": "me"}, "agent2", ("A2",)),
    ({"assigned": "any"}, "agent1", ("A1", "W4", "W2", "A2", "W1", "W5", "W3", "O1")),
    ({"assigned": "any", "channel": "wechat"}, "agent1", ("W2", "A2")),
    ({"sort": "waiting"}, "agent1", ("O1", "W3", "W4", "W1", "W2", "W5")),
    ({"sort": "sla"}, "agent1", ("O1", "W3", "W4", "W1", "W2", "W5")),
    ({"q": "QX-111111"}, "agent1", ("W1",)),
    ({"q": "qx 111 111"}, "agent1", ("W1",)),
    ({"q": "ann@example.com"}, "agent1", ("W1",)),
    ({"q": "+44 (20) 7946-0001"}, "agent1", ("W1",)),
    ({"q": "parcel"}, "agent1", ("W1",)),
    ({"q": "PARCEL IS"}, "agent1", ("W1",)),
    ({"q": "退款问题"}, "agent1", ("W2",)),
    ({"q": "锁定"}, "agent1", ("W4",)),
    ({"q": "charger"}, "agent1", ("O1",)),
    ({"q": "QX-333333"}, "agent1", ()),  # closed: not in the queue (search finds it)
    ({"q": "moon", "assigned": "me"}, "agent1", ("A1",)),
    ({"q": "moon"}, "agent1", ()),
])
def test_each_queue_filter(desk, tokens, params, user, expected):
    response = desk.api("GET", "/queue", tokens[user], params=params)
    assert ids(response) == names(*expected)
    assert response.headers["X-Total-Count"] == str(len(expected))


@pytest.mark.parametrize("sort", ["priority", "waiting", "sla"])
def test_queue_pages_by_cursor_and_by_offset_cover_every_ticket_once(desk, tokens, sort):
    token = tokens["agent1"]
    everything = ids(desk.api("GET", "/queue", token, params={"assigned": "any", "sort": sort}))
    seen, params = [], {"assigned": "any", "sort": sort, "limit": "3"}
    for _ in range(10):
        page = desk.api("GET", "/queue", token, params=params)
        seen += ids(page)
        assert page.headers["X-Total-Count"] == str(len(everything))
        if "X-Next-Cursor" not in page.headers:
            break
        assert 'rel="next"' in page.headers["Link"]
        params = {**params, "cursor": page.headers["X-Next-Cursor"]}
    assert seen == everything and len(everything) == 8
    by_offset = []
    for offset in range(0, 9, 3):
        by_offset += ids(desk.api("GET", "/queue", token, params={"assigned": "any", "sort": sort,
                                                                  "limit": "3", "offset": str(offset)}))
    assert by_offset == everything


@pytest.mark.parametrize("params, words", [
    ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"), ({"limit": "ten"}, "limit"), ({"offset": "-1"}, "offset"),
    ({"channel": "fax"}, "channel"), ({"assigned": "someone"}, "assigned"), ({"sort": "name"}, "sort"),
    ({"language": "e n"}, "language"), ({"cursor": "not-a-cursor"}, "cursor"),
    ({"cursor": "abc", "offset": "3"}, "cursor"), ({"q": "x" * 201}, "q"), ({"q": "a\x00b"}, "q"),
])
def test_bad_queue_parameters_are_400_with_a_reason(desk, tokens, params, words):
    response = desk.api("GET", "/queue", tokens["agent1"], params=params)
    assert response.status_code == 400 and words in response.json()["error"]


def test_a_cursor_of_one_sort_is_refused_by_another(desk, tokens):
    page = desk.api("GET", "/queue", tokens["agent1"], params={"limit": "2"})
    cursor = page.headers["X-Next-Cursor"]
    response = desk.api("GET", "/queue", tokens["agent1"], params={"limit": "2", "sort": "sla", "cursor": cursor})
    assert response.status_code == 400 and "cursor" in response.json()["error"]


@pytest.mark.parametrize("q, expected", [
    ("QX-333333", ("C1",)),
    ("bob@example.com", ("C1",)),
    ("BOB@EXAMPLE.COM", ("C1",)),
    ("screen", ("W5", "C1")),  # newest first
    ("broken screen", ("C1",)),
    ("voucher", ("C2",)),
    ("moon", ("A1",)),  # a message written after the hand-over
    ("退款", ("W2",)),  # two characters: below the trigram index, still found
    ("desk-q-" + tid("C3"), ("C3",)),
    (tid("C2"), ("C2",)),
    ("QX-555555", ("O2",)),  # a row older than the columns, filled by the upgrade
    ("+1 555 010 9999", ("O2",)),
    ("old closed", ("O2",)),
    ("no such words anywhere", ()),
])
def test_search_finds_past_tickets_by_order_contact_id_or_text(desk, tokens, q, expected):
    response = desk.api("GET", "/search", tokens["agent2"], params={"q": q})
    assert ids(response) == names(*expected)
    assert response.headers["X-Total-Count"] == str(len(expected))


def test_search_needs_a_query_and_pages(desk, tokens):
    assert desk.api("GET", "/search", tokens["agent1"]).status_code == 400
    assert desk.api("GET", "/search", None, params={"q": "screen"}).status_code == 401
    first = desk.api("GET", "/search", tokens["agent1"], params={"q": "screen", "limit": "1"})
    assert ids(first) == names("W5") and first.headers["X-Next-Offset"] == "1"
    second = desk.api("GET", "/search", tokens["agent1"], params={"q": "screen", "limit": "1", "offset": "1"})
    assert ids(second) == names("C1") and "X-Next-Offset" not in second.headers


def test_metrics_right_now_and_over_a_period(desk, tokens):
    day = desk.api("GET", "/metrics", tokens["alice"])
    assert day.status_code == 200, day.text
    m = day.json()
    assert m["waiting_count"] == 6 and m["waiting_over_sla"] == 4  # W1, W3, W4 and O1 past their SLA
    # O1, created 50 minutes before NOW (this module's import: collection time, minutes before a busy
    # suite reaches this test), so it has waited 50 minutes plus the time since
    since_now = (datetime.now(timezone.utc) - NOW).total_seconds()
    assert 50 * 60 - 5 <= m["longest_wait_s"] <= 50 * 60 + since_now + 5
    assert sum(b["count"] for b in m["waiting_histogram"]) == 6
    # 30 and 50 minutes at NOW; a slow suite ages the others too (W4, 20 minutes old at NOW, is 30 after 10 more)
    waits = [age * 60 + since_now for age in (10, 5, 30, 20, 2, 50)]  # W1, W2, W3, W4, W5, O1
    band = [b["count"] for b in m["waiting_histogram"] if b["from_s"] == 1800]
    assert band == [sum(1800 <= w < 3600 for w in waits)] or band == [sum(1800 <= w - 5 < 3600 for w in waits)]
    # created in the last 24 hours: W1-W5, A1, A2, C2, C3, O1
    assert m["escalations_total"] == 10
    assert m["escalations_by_reason"] == {"customer_request": 9, "nlu_failure": 1}
    assert m["abandoned"] == 1 and m["abandonment_rate"] == 0.1
    # past the SLA: W1, W3, W4, O1 still waiting; C2 claimed 2 h after creation; C3 abandoned
    assert m["sla_breaches"] == 6 and m["sla_breach_rate"] == 0.6
    agents = {a["username"]: a for a in m["agents"]}
    assert agents["agent1"]["handled"] == 2 and agents["agent1"]["csat_average"] == 3.0
    assert agents["agent1"]["csat_count"] == 2 and agents["agent1"]["average_handle_s"] is not None
    assert "agent2" not in agents  # holds A2, closed nothing
    assert m["csat_average"] == 3.0 and m["csat_count"] == 2
    week = desk.api("GET", "/metrics", tokens["alice"],
                    params={"since": (NOW - timedelta(days=6)).isoformat().replace("+00:00", "Z")}).json()
    assert week["escalations_total"] == 12  # C1 (3 days) and O2 (5 days) too
    assert week["escalations_by_reason"]["negative_emotion"] == 1
    assert week["waiting_count"] == 6
    recent = desk.api("GET", "/metrics", tokens["alice"],
                      params={"since": (NOW - timedelta(minutes=12)).isoformat()}).json()
    assert recent["escalations_total"] == 3  # W1 (10 min), W2 (5 min), W5 (2 min)
    assert recent["escalations_by_reason"] == {"customer_request": 3}


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "3000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00"])
def test_metrics_refuse_a_bad_or_future_since(desk, tokens, since):
    response = desk.api("GET", "/metrics", tokens["alice"], params={"since": since})
    assert response.status_code == 400 and "since" in response.json()["error"]


def test_metrics_are_for_supervisors_only_whatever_the_period(desk, tokens):
    since = (NOW - timedelta(days=2)).replace(microsecond=0)
    for params in ({}, {"since": since.isoformat()}):
        refused = desk.api("GET", "/metrics", tokens["agent1"], params=params)
        assert refused.status_code == 403
        assert "waiting_count" not in refused.text
        assert desk.api("GET", "/metrics", None, params=params).status_code == 401
    allowed = desk.api("GET", "/metrics", tokens["alice"], params={"since": since.isoformat()})
    assert allowed.status_code == 200 and allowed.json()["since"] == since.isoformat()


def test_the_old_database_was_upgraded_in_place_and_kept_its_rows(desk, tokens):
    path = desk.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = dict(db.execute("SELECT id, order_number FROM tickets WHERE id IN (?, ?)", (tid("O1"), tid("O2"))))
        indexes = {r[1] for r in db.execute("PRAGMA index_list('tickets')")}
        phone = db.execute("SELECT contact_phone FROM tickets WHERE id = ?", (tid("O2"),)).fetchone()[0]
    assert rows == {tid("O1"): "QX-444444", tid("O2"): "QX-555555"}
    assert phone == "15550109999"
    assert {"ix_tickets_open_priority", "ix_tickets_open_filters", "ix_tickets_order_number"} <= indexes
    old = desk.api("GET", f"/tickets/{tid('O1')}", tokens["agent1"]).json()
    assert old["state"] == "queued" and old["packet"]["summary"] == "Old ticket about a lost charger"


def test_lists_answer_with_the_summary_in_the_agents_language(desk, tokens):
    """Issue 14: queue, "my tickets", search and a conversation's tickets give ``summary`` in the
    language of ``Accept-Language`` (the desk sends its switch's choice; DESK_LANGUAGE otherwise, en
    here) and carry ``summaries`` in both; a row older than migration 0011 got a Chinese one from its
    packet's facts."""
    def summaries(path, language=None, **params):
        headers = {"Accept-Language": language} if language else {}
        response = desk.api("GET", path, tokens["agent1"], params=params, headers=headers)
        assert response.status_code == 200, response.text
        return {t["ticket_id"]: t for t in response.json()}

    old = tid("O1")
    for path, params in (("/queue", {}), ("/search", {"q": "QX-444444"}),
                         ("/tickets", {"conversation_id": f"desk-q-{old}"})):
        english, chinese = summaries(path, **params)[old], summaries(path, "zh-CN,zh;q=0.9,en;q=0.5", **params)[old]
        assert english["summary"] == "Old ticket about a lost charger"
        assert chinese["summary"].startswith("客户（英文，网页聊天）要求转人工，共 1 条消息。"), chinese["summary"]
        assert english["summaries"] == chinese["summaries"] == {"en": english["summary"], "zh": chinese["summary"]}
    # q=0 refuses a language; an unknown one falls back to DESK_LANGUAGE
    assert summaries("/queue", "zh;q=0, fr")[old]["summary"] == "Old ticket about a lost charger"
    mine = summaries("/queue", "zh", assigned="me")[tid("A1")]
    assert mine["summary"] == mine["summaries"]["zh"]
