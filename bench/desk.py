"""Agent desk at scale (issue 16): queue, search and metrics with a long history.

Seeds ``--size`` tickets (default 1,000,000; about one in ten waiting) with
their conversations' events in Rasa's ``events`` table, owner-channel rows
and CSAT ratings, by bulk inserts (SQLite ``executemany``, PostgreSQL
``COPY``) into tables without the desk's indexes; then runs the project's
schema upgrade (migration 0003, ``bot/storage/migrations/desk_queue_0003.py``, timed: it builds
the indexes an existing database would get), starts the real Rasa and
action servers on that database, logs in and measures p50/p95 of every queue
filter, the search and the metrics through the agent API over HTTP.

PostgreSQL: a private cluster (Debian's postgresql 15 binaries, run as the
``postgres`` user when this runs as root) in a temporary directory on a free
port, removed afterwards; peer auth on its socket, SCRAM with a random password
on 127.0.0.1 (no trust).

    python -m bench.desk --backend sqlite --size 100000
    make bench-desk BENCH_ARGS="--size 1000000"
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "desk.json"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
GOAL_P95_MS = 50.0
CHANNELS = ("web", "wechat", "ivr", "rest")
REASONS = ("customer_request", "negative_emotion", "complex_intent", "nlu_failure", "flow_exhausted", "no_input")
AGENTS = [f"agent{i}" for i in range(10)]
EN_WORDS = ("parcel late refund broken screen charger password reset invoice billing address delivery "
            "courier damaged missing item wrong size colour exchange warranty account locked login "
            "payment card declined voucher discount subscription cancel order tracking").split()
ZH_WORDS = ("包裹 延迟 退款 屏幕 损坏 充电器 密码 重置 发票 账单 地址 快递 丢失 尺码 颜色 换货 保修 "
            "账户 锁定 登录 付款 优惠券 订阅 取消 订单 物流").split()
CHUNK = 50_000


# --- data ---------------------------------------------------------------------------

def ticket_rows(size: int, now: datetime, seed: int = 7) -> Iterator[dict]:
    """The seeded tickets, oldest first: 10 % waiting (last 60 days), 1 % with an agent,
    4 % abandoned, the rest closed, over about 1,000 days."""
    rnd = random.Random(seed)
    history_s = 1000 * 86400
    for i in range(size):
        roll = rnd.random()
        if roll < 0.08:
            state = "queued"
        elif roll < 0.10:
            state = "callback"
        elif roll < 0.11:
            state = "with_agent"
        elif roll < 0.15:
            state = "abandoned"
        else:
            state = "closed"
        if state in ("queued", "callback"):
            age = rnd.uniform(0, 60 * 86400)
        elif state == "with_agent":
            age = rnd.uniform(0, 2 * 86400)
        else:
            age = rnd.uniform(3600, history_s)
        created = now - timedelta(seconds=age)
        priority = rnd.choice((1, 2, 2, 3, 3, 3, 4))
        language = "zh" if rnd.random() < 0.4 else "en"
        words = ZH_WORDS if language == "zh" else EN_WORDS
        topic = " ".join(rnd.sample(words, 5))
        order = f"QX-{i % 900000 + 100000:06d}"
        phone = f"+1555{i:07d}"
        email = f"customer{i}@example.com"
        reason = rnd.choice(REASONS)
        summary = (f"{'客户' if language == 'zh' else 'Customer'} {topic}; order {order}; ref R{i:07d}")
        transcript = [{"from": "customer", "text": topic, "at": created.isoformat(), "channel": "web"}]
        claimed = closed = None
        assigned = None
        if state in ("with_agent", "closed"):
            claimed = created + timedelta(seconds=rnd.randint(0, max(0, min(3600, int(age) - 1))))
            assigned = rnd.choice(AGENTS)
        if state == "closed":
            closed = claimed + timedelta(seconds=rnd.randint(60, 1800))
        if state == "abandoned":
            closed = created + timedelta(seconds=rnd.randint(30, 1800))
        ticket_id = f"T{i:012X}"
        packet = {"schema": "handoff/v1", "ticket_id": ticket_id, "conversation_id": f"bench-{i}",
                  "channel": CHANNELS[i % 4], "language": language, "priority": priority,
                  "reason": {"code": reason, "detail": None}, "summary": summary,
                  "intake": {"order_number": order, "email": email, "phone": phone, "topic": None},
                  "transcript": transcript}
        row = {
            "id": ticket_id, "conversation_id": f"bench-{i}", "channel": CHANNELS[i % 4],
            "language": language, "state": state, "priority": priority, "reason_code": reason,
            "reason_detail": None, "skills": json.dumps([language]), "summary": summary,
            "packet": json.dumps(packet, ensure_ascii=False), "customer_id": f"C{i}",
            "assigned_to": assigned, "disposition": "resolved" if state == "closed" else None,
            "created_at": created, "claimed_at": claimed, "closed_at": closed,
            "sla_due_at": created + timedelta(seconds=60 * priority),
            "order_number": order, "contact_email": email, "contact_phone": phone[1:],
            "search_text": f"{summary} {topic}".lower(),
            "wait_s": int(((claimed or closed) - created).total_seconds()) if (claimed or closed) else None,
            "handle_s": int((closed - claimed).total_seconds()) if claimed and closed else None,
        }
        row["csat"] = row["_rating"] = rnd.randint(1, 5) if state == "closed" and rnd.random() < 0.3 else None
        yield row


TICKET_COLUMNS = ("id", "conversation_id", "channel", "language", "state", "priority", "reason_code",
                  "reason_detail", "skills", "summary", "packet", "customer_id", "assigned_to", "disposition",
                  "created_at", "claimed_at", "closed_at", "sla_due_at", "order_number", "contact_email",
                  "contact_phone", "search_text", "wait_s", "handle_s", "csat")
EVENT_COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")


def event_rows(ticket: dict) -> list[tuple]:
    """Three Rasa events of the ticket's conversation (user turn, action, bot reply)."""
    sender, at = ticket["conversation_id"], ticket["created_at"].timestamp() - 60
    text = ticket["search_text"][:80]
    return [
        (sender, "user", at, "human_handoff", None,
         json.dumps({"event": "user", "timestamp": at, "text": text, "input_channel": "rest",
                     "parse_data": {"intent": {"name": "human_handoff", "confidence": 0.97}}}, ensure_ascii=False)),
        (sender, "action", at + 0.1, None, "action_handoff",
         json.dumps({"event": "action", "timestamp": at + 0.1, "name": "action_handoff"})),
        (sender, "bot", at + 0.2, None, None,
         json.dumps({"event": "bot", "timestamp": at + 0.2, "text": "Connecting you to a person."})),
    ]


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):  # SQLAlchemy's SQLite storage format (naive UTC)
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def seed(engine, size: int, now: datetime, log: Callable[[str], None]) -> dict:
    """Bulk-insert the history into bare tables; returns counts and seconds."""
    from bot.storage.db import Base
    from rasa.core.tracker_store import SQLTrackerStore

    Base.metadata.create_all(engine)
    SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)
    dialect = engine.dialect.name
    started = time.perf_counter()
    counts = {"tickets": 0, "events": 0, "csat_ratings": 0, "conversation_channels": 0}
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        buffers: dict[str, list] = {"tickets": [], "events": [], "csat_ratings": [], "conversation_channels": []}
        columns = {"tickets": TICKET_COLUMNS, "events": EVENT_COLUMNS, "csat_ratings": ("ticket_id", "rating", "at"),
                   "conversation_channels": ("conversation_id", "channel", "created_at")}

        def flush(table: str) -> None:
            rows = buffers[table]
            if not rows:
                return
            cols = columns[table]
            if dialect == "sqlite":
                cursor.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                   [tuple(_sqlite_value(v) for v in row) for row in rows])
            else:
                out = io.StringIO()
                writer = csv.writer(out)
                for row in rows:
                    writer.writerow(["\\N" if v is None else v.isoformat() if isinstance(v, datetime) else v
                                     for v in row])
                out.seek(0)
                cursor.copy_expert(f"COPY {table} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", out)
            counts[table] += len(rows)
            rows.clear()

        for ticket in ticket_rows(size, now):
            buffers["tickets"].append(tuple(ticket[c] for c in TICKET_COLUMNS))
            buffers["events"].extend(event_rows(ticket))
            buffers["conversation_channels"].append((ticket["conversation_id"], ticket["channel"],
                                                     ticket["created_at"] - timedelta(seconds=60)))
            if ticket["_rating"]:
                buffers["csat_ratings"].append((ticket["id"], ticket["_rating"], ticket["closed_at"]))
            if len(buffers["tickets"]) >= CHUNK:
                for table in ("tickets", "csat_ratings", "events", "conversation_channels"):
                    flush(table)
                raw.commit()
                if counts["tickets"] % (CHUNK * 4) == 0:
                    log(f"  {counts['tickets']:,} tickets after {time.perf_counter() - started:.0f} s")
        for table in ("tickets", "csat_ratings", "events", "conversation_channels"):
            flush(table)
        raw.commit()
    finally:
        raw.close()
    return {**counts, "seconds": round(time.perf_counter() - started, 1)}


# --- PostgreSQL ---------------------------------------------------------------------

class PrivateCluster:
    """A throw-away PostgreSQL 15 cluster in ``folder`` on a free port (as ``postgres`` when root).

    No trust: the unix socket (in ``folder``, 0700) takes peer authentication (the cluster owner
    only) and TCP listens on 127.0.0.1 only and requires the superuser's password (SCRAM), a random
    one kept in a 0600 file of the cluster owner's and in the URL :meth:`start` returns (never on
    a command line).
    """

    def __init__(self, folder: Path) -> None:
        from tests.integration.conftest import free_port

        self.folder = folder
        self.port = free_port()
        self.data = folder / "data"
        self.as_root = os.geteuid() == 0
        self.password = secrets.token_urlsafe(32)

    def _run(self, *args: str, env: Optional[dict] = None) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, **(env or {})})
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()[-2000:]}")

    def _private_file(self, name: str, content: str) -> Path:
        path = self.folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(content)
        if self.as_root:
            shutil.chown(path, "postgres", "postgres")
        return path

    def start(self) -> str:
        """Create and start the cluster and its ``desk`` database; return its SQLAlchemy URL.

        Raises:
            RuntimeError: a PostgreSQL command failed (its stderr in the message).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        pwfile = self._private_file("password", self.password)
        passfile = self._private_file("pgpass", f"127.0.0.1:{self.port}:*:postgres:{self.password}\n")
        self._run("initdb", "-D", str(self.data), "--auth-local=peer", "--auth-host=scram-sha-256",
                  f"--pwfile={pwfile}", "--encoding=UTF8", "--locale=C.UTF-8", "-U", "postgres")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB "
                   "-c maintenance_work_mem=256MB")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "pg.log"), "-w", "start")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "desk",
                  env={"PGPASSFILE": str(passfile)})
        return f"postgresql+psycopg2://postgres:{self.password}@127.0.0.1:{self.port}/desk"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        except RuntimeError:
            pass


# --- measuring ----------------------------------------------------------------------

def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": round(pick(0.5) * 1000, 1), "p95_ms": round(pick(0.95) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "mean_ms": round(statistics.fmean(ordered) * 1000, 1)}


def scenarios(size: int, cursor: str) -> list[tuple[str, str, dict]]:
    """(name, path, params) of every request measured."""
    i = size // 3
    since_7d = (datetime.now(timezone.utc) - timedelta(days=7)).isoformat()
    since_30d = (datetime.now(timezone.utc) - timedelta(days=30)).isoformat()
    return [
        # the floor: an authenticated request that reads one indexed row
        ("baseline: tickets of one conversation", "/tickets", {"conversation_id": f"bench-{i}"}),
        ("queue (no parameters)", "/queue", {}),
        ("queue next page (cursor)", "/queue", {"cursor": cursor}),
        ("queue offset=1000", "/queue", {"offset": "1000"}),
        ("queue channel=wechat", "/queue", {"channel": "wechat"}),
        ("queue language=zh", "/queue", {"language": "zh"}),
        ("queue assigned=me", "/queue", {"assigned": "me"}),
        ("queue assigned=any", "/queue", {"assigned": "any"}),
        ("queue sort=sla", "/queue", {"sort": "sla"}),
        ("queue sort=waiting", "/queue", {"sort": "waiting"}),
        ("queue channel+language+sla", "/queue", {"channel": "web", "language": "en", "sort": "sla"}),
        ("queue q=order number", "/queue", {"q": f"QX-{i % 900000 + 100000:06d}"}),
        ("queue q=e-mail", "/queue", {"q": f"customer{i}@example.com"}),
        ("queue q=word (common)", "/queue", {"q": "refund"}),
        ("queue q=reference (rare)", "/queue", {"q": f"r{i:07d}"}),
        ("search order number", "/search", {"q": f"QX-{i % 900000 + 100000:06d}"}),
        ("search e-mail", "/search", {"q": f"customer{i}@example.com"}),
        ("search phone", "/search", {"q": f"+1 555 {i:07d}"}),
        ("search ticket id", "/search", {"q": f"T{i:012X}"}),
        ("search conversation id", "/search", {"q": f"bench-{i}"}),
        ("search word (common)", "/search", {"q": "refund"}),
        ("search reference (rare)", "/search", {"q": f"r{i:07d}"}),
        ("search Chinese 3 chars", "/search", {"q": "充电器"}),
        ("search Chinese 2 chars", "/search", {"q": "退款"}),
        ("metrics (last 24 h)", "/metrics", {}),
        ("metrics since 7 days", "/metrics", {"since": since_7d}),
        ("metrics since 30 days", "/metrics", {"since": since_30d}),
    ]


def in_process(url: str, size: int, cursor: str, requests_each: int) -> dict:
    """The same requests as repository calls in this process (SQL and rendering, no HTTP,
    no authentication): what the database costs, apart from the server and the machine's load."""
    from bot.storage.db import make_engine
    from bot.queue.queue_queries import QueueQuery
    from bot.storage.uow import SqlAlchemyUnitOfWork

    engine = make_engine(url)
    timings = {}
    try:
        for name, path, params in scenarios(size, cursor):
            if path == "/tickets":
                continue
            viewer = "agent3" if "assigned=me" in name else "alice"

            def call() -> None:
                now = datetime.now(timezone.utc)
                with SqlAlchemyUnitOfWork(engine) as uow:
                    if path == "/queue":
                        fields = {k: (int(v) if k in ("limit", "offset") else v) for k, v in params.items()}
                        uow.queue.queue(QueueQuery(viewer=viewer, **fields), now)
                    elif path == "/search":
                        uow.queue.search(params["q"], now)
                    else:
                        since = params.get("since")
                        uow.queue.metrics(now, datetime.fromisoformat(since) if since else None)

            samples = []
            for n in range(requests_each + 3):
                started = time.perf_counter()
                call()
                if n >= 3:
                    samples.append(time.perf_counter() - started)
            timings[name] = percentiles(samples)
    finally:
        engine.dispose()
    return timings


def time_requests(servers: Any, supervisor: str, agent: str, size: int, cursor: str, requests_each: int,
                  log: Callable[[str], None]) -> dict:
    """p50/p95 (ms) of every scenario through the agent API, after 3 warm-up requests each.

    Raises:
        RuntimeError: a request answered other than 200.
    """
    results = {}
    session = requests.Session()
    log(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, path, params in scenarios(size, cursor):
        token = agent if "assigned=me" in name else supervisor
        headers = {"Authorization": f"Bearer {token}"}
        url_ = f"{servers.url}/agent/api{path}"
        samples, status, total, count = [], None, None, None
        for n in range(requests_each + 3):
            started = time.perf_counter()
            reply = session.get(url_, params=params, headers=headers, timeout=60)
            elapsed = time.perf_counter() - started
            status = reply.status_code
            if status != 200:
                raise RuntimeError(f"{name}: {status} {reply.text[:300]}")
            if n >= 3:
                samples.append(elapsed)
            body = reply.json()
            total = reply.headers.get("X-Total-Count")
            count = len(body) if isinstance(body, list) else None
        results[name] = {**percentiles(samples), "params": params, "items": count, "total": total}
        log(f"  {name:38s} p50 {results[name]['p50_ms']:7.1f} ms  p95 {results[name]['p95_ms']:7.1f} ms"
            f"  items {count} total {total}")
    return results


def measure(backend: str, size: int, requests_each: int, log: Callable[[str], None]) -> dict:
    from bot.storage.db import make_engine
    from bot.storage.migrations.desk_queue_0003 import upgrade_desk_queue
    from tests.integration.conftest import Servers

    workdir = Path(tempfile.mkdtemp(prefix=f"bench-desk-{backend}-"))
    workdir.chmod(0o755)  # the postgres user reaches its cluster folder inside
    cluster = None
    try:
        if backend == "postgresql":
            cluster = PrivateCluster(workdir / "pg")
            url = cluster.start()
        else:
            url = f"sqlite:///{workdir / 'desk.db'}"
        os.environ["DATABASE_URL"] = url
        engine = make_engine(url)
        now = datetime.now(timezone.utc)
        log(f"{backend}: seeding {size:,} tickets")
        seeded = seed(engine, size, now, log)
        log(f"{backend}: seeded in {seeded['seconds']} s; upgrading the schema (indexes)")
        started = time.perf_counter()
        with engine.begin() as connection:  # timed on its own: migration 0003's DDL
            steps = upgrade_desk_queue(connection)
        from bot.storage.schema import upgrade

        upgrade(url)  # the rest of the migrations (the schema revision the servers check)
        upgrade_s = round(time.perf_counter() - started, 1)
        if backend == "postgresql":  # what autovacuum does after a bulk load
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                from sqlalchemy import text

                conn.execute(text("VACUUM ANALYZE"))
        log(f"{backend}: upgrade {upgrade_s} s ({len(steps)} steps)")
        from bot.storage.uow import SqlAlchemyUnitOfWork

        with SqlAlchemyUnitOfWork(engine) as uow:
            uow.agents.upsert("alice", "pass-word-1", "Alice", "supervisor")
            uow.agents.upsert("agent3", "pass-word-1", "Agent 3", "agent")
            uow.commit()
        engine.dispose()
        servers = Servers(workdir, url)
        log(f"{backend}: starting Rasa and the action server")
        servers.start()
        try:
            supervisor = servers.login("alice", "pass-word-1")
            agent = servers.login("agent3", "pass-word-1")
            first = servers.api("GET", "/queue", supervisor)
            first.raise_for_status()
            cursor = first.headers.get("X-Next-Cursor", "")
            results = time_requests(servers, supervisor, agent, size, cursor, requests_each, log)
        finally:
            servers.stop()
        sql_only = in_process(url, size, cursor, requests_each)
        for name, timing in sql_only.items():
            results[name]["in_process"] = timing
        worst = max(r["p95_ms"] for n, r in results.items() if not n.startswith("baseline"))
        return {"backend": backend, "size": size, "seeded": seeded, "schema_upgrade_s": upgrade_s,
                "load_average_1min_after": round(os.getloadavg()[0], 2),
                "worst_in_process_p95_ms": max(t["p95_ms"] for t in sql_only.values()),
                "requests_each": requests_each, "worst_p95_ms": worst, "goal_p95_ms": GOAL_P95_MS,
                "goal_met": worst <= GOAL_P95_MS, "scenarios": results}
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def markdown(report: dict) -> str:
    """The README table of a results file: one row per request, HTTP and in-process per backend."""
    runs = report["runs"]
    head = "| request | " + " | ".join(f"{r['backend']} HTTP p50 / p95 | {r['backend']} SQL p95" for r in runs) + " |"
    lines = [head, "|---|" + "---:|---:|" * len(runs)]
    for name in runs[0]["scenarios"]:
        cells = []
        for run in runs:
            got = run["scenarios"].get(name, {})
            sql = got.get("in_process", {}).get("p95_ms")
            cells += [f"{got.get('p50_ms', '–')} / {got.get('p95_ms', '–')}", "–" if sql is None else str(sql)]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) in (3, 4) and sys.argv[1] == "--table":  # --table FILE [KEY]: a run kept under KEY
        report = json.loads(Path(sys.argv[2]).read_text())
        print(markdown(report[sys.argv[3]] if len(sys.argv) == 4 else report))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000, help="tickets in the history")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--requests", type=int, default=40, help="measured requests per scenario")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--key", help="keep the earlier results in --out and store this run under KEY")
    args = parser.parse_args()
    began = time.perf_counter()
    log = lambda line: print(f"[{time.perf_counter() - began:6.0f} s] {line}", flush=True)  # noqa: E731
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    report = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "command": f"python -m bench.desk --size {args.size} --backend {args.backend} "
                         f"--requests {args.requests}",
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                       text=True).stdout.strip(),
              "machine": f"{os.cpu_count()} cores", "runs": [measure(b, args.size, args.requests, log)
                                                          for b in backends]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.key:
        kept = json.loads(args.out.read_text()) if args.out.exists() else {}
        report = {**kept, args.key: report}
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
