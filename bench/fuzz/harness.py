"""The fuzz run: real servers, generated inputs on every connector, checks, results.

Starts the action server and the Rasa server exactly as the integration
tests do (tests/integration/conftest.py `Servers`: the project's model,
channels and SQL tracker store on a fresh SQLite file), the Rasa server under
coverage.py (connectors/ only) with rate limits raised and every secret set,
plus a local fake of WeChat's server API. Then each connector's target
(bench/fuzz/targets.py) sends its inputs concurrently, and afterwards:

- a quiet batch of refused-only inputs, with the row counts of every table
  (the project's and Rasa's `events`) taken before and after;
- no trace of the marked ids used by refused requests anywhere in the run;
- a normal conversation on each customer channel (the server is alive);
- the server log's tracebacks, grouped;
- connector line coverage (the Rasa server stopped, coverage combined).
"""
from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp
from aiohttp import web

from bench.fuzz.gen import Source
from bench.fuzz.targets import AGENT_PASSWORD, AGENTS, TARGETS, Outcome, Target
from tests.conftest import PROJECT_ROOT
from tests.integration.conftest import Servers, free_port

COVERAGE_RC = Path(__file__).resolve().parent / "coveragerc"
RESULTS = PROJECT_ROOT / "bench" / "results" / "fuzz.json"
FINDINGS_LIMIT = 5  # examples kept per (route, status)


def fuzz_env(api_base: str) -> Dict[str, str]:
    """Secrets and raised limits for the servers (and the clients that sign requests)."""
    return {
        # rate limits (issue 10 item 12): raised so the fuzzer is not throttled
        "RATE_LIMIT_ADDRESS_PER_MIN": "100000000",
        "RATE_LIMIT_SENDER_PER_MIN": "100000000",
        "RATE_LIMIT_SESSIONS_PER_MIN": "100000000",
        "PHOTO_UPLOADS_PER_ADDRESS_PER_MIN": "100000000",  # photos per address (issue 14, rev14 #2)
        # tokens (DESIGN §9a/§10); REST requests carry `Authorization: Bearer <REST_API_TOKEN>`
        "REST_API_TOKEN": secrets.token_urlsafe(24),
        "RASA_API_TOKEN": secrets.token_urlsafe(24),
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24),
        # WeChat in compat mode: plain (signed URL) and safe (AES) messages on one server
        "WECHAT_TOKEN": "fuzz" + secrets.token_hex(8),
        "WECHAT_APP_ID": "wxf0220000fuzz0001",
        "WECHAT_APP_SECRET": "fuzz-app-secret",
        "WECHAT_AES_KEY": secrets.token_urlsafe(40)[:43].replace("-", "a").replace("_", "b"),
        "WECHAT_MODE": "compat",
        "WECHAT_API_BASE": api_base,
        "IVR_SECRET": secrets.token_hex(32),
        "WEBCHAT_TOKEN_SECRET": secrets.token_hex(32),
    }


class FuzzServers(Servers):
    """The integration tests' servers, the Rasa one under coverage.py, with our credentials copy."""

    def __init__(self, workdir: Path, database_url: str, coverage: bool = True) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        super().__init__(workdir, database_url)
        self.coverage = coverage
        self.credentials = str(workdir / "credentials.yml")
        text = (PROJECT_ROOT / "credentials.yml").read_text()
        # the web chat's per-session limit, raised for the run (our own copy of credentials.yml)
        text = re.sub(r"rate_limit_messages:\s*\d+", "rate_limit_messages: 100000000", text)
        Path(self.credentials).write_text(text)

    def _start(self, name: str, args: list[str]) -> tuple[subprocess.Popen, Path]:
        if name == "rasa" and self.coverage:
            self.env["COVERAGE_FILE"] = str(self.workdir / ".coverage")
            args = [sys.executable, "-m", "coverage", "run", f"--rcfile={COVERAGE_RC}", *args]
        return super()._start(name, args)

    @property
    def rasa_log(self) -> Path:
        return self.workdir / "rasa.log"


class FakeWeChatApi:
    """WeChat's server API, as much as the channel uses: access tokens and customer-service messages."""

    def __init__(self) -> None:
        self.port = free_port()
        self.sent: collections.Counter = collections.Counter()  # openid -> messages
        self.runner: Optional[web.AppRunner] = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        async def token(request: web.Request) -> web.Response:
            return web.json_response({"access_token": "fuzz-access-token", "expires_in": 7200})

        async def send(request: web.Request) -> web.Response:
            try:
                self.sent[json.loads(await request.read()).get("touser")] += 1
            except (ValueError, AttributeError):
                return web.json_response({"errcode": 40003, "errmsg": "invalid openid"})
            return web.json_response({"errcode": 0, "errmsg": "ok"})

        app = web.Application()
        app.router.add_get("/cgi-bin/token", token)
        app.router.add_post("/cgi-bin/message/custom/send", send)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()


@dataclass
class Budget:
    """How many inputs, and how many full turns, one connector still needs."""

    inputs: int
    turns: int
    issued: int = 0
    turn_issued: int = 0
    turn_inflight: int = 0
    full: int = 0
    seconds: float = 0.0
    deadline: Optional[float] = None  # time.monotonic() after which nothing more is sent

    @property
    def cap(self) -> int:  # stop even if full turns stay short of the target
        return int(self.inputs * 1.3 + self.turns)

    def next_kind(self, rnd: random.Random) -> Optional[str]:
        if self.issued >= self.cap or (self.deadline is not None and time.monotonic() > self.deadline):
            return None
        need = self.turns - self.full - self.turn_inflight
        if self.issued >= self.inputs:
            if need <= 0:
                return None
            kind = "turn"
        else:
            p = min(1.0, need * 1.05 / (self.inputs - self.issued)) if need > 0 else 0.0
            kind = "turn" if rnd.random() < p else "cheap"
        self.issued += 1
        if kind == "turn":
            self.turn_issued += 1
            self.turn_inflight += 1
        return kind

    def done(self, kind: str, outcome: Outcome, seconds: float) -> None:
        if kind == "turn":
            self.turn_inflight -= 1
        if outcome.full_turn:
            self.full += 1
        self.seconds += seconds


@dataclass
class Stats:
    name: str
    inputs: int = 0
    full_turns: int = 0
    categories: collections.Counter = field(default_factory=collections.Counter)
    statuses: collections.Counter = field(default_factory=collections.Counter)
    routes: collections.Counter = field(default_factory=collections.Counter)
    route_statuses: Dict[str, collections.Counter] = field(default_factory=dict)  # route → status → count
    examples: Dict[str, List[dict]] = field(default_factory=dict)  # "error"/"bypass" → examples
    refused_ids: set = field(default_factory=set)
    extra: collections.Counter = field(default_factory=collections.Counter)
    active_s: float = 0.0  # seconds its workers ran, over all phases

    def add(self, outcome: Outcome) -> None:
        self.inputs += 1
        self.full_turns += outcome.full_turn
        self.categories[outcome.category] += 1
        self.statuses[str(outcome.status)] += 1
        self.routes[outcome.route] += 1
        self.route_statuses.setdefault(outcome.route, collections.Counter())[str(outcome.status)] += 1
        if outcome.refused_id:
            self.refused_ids.add(outcome.refused_id)
        if outcome.category in ("error", "bypass", "harness"):
            key = f"{outcome.category} {outcome.route} → {outcome.status}"
            kept = self.examples.setdefault(key, [])
            self.extra[key] += 1
            if len(kept) < FINDINGS_LIMIT:
                kept.append({"input": outcome.example, "reply": outcome.reply})

    def summary(self) -> dict:
        c = self.categories
        passed = c["handled"] + c["refused_input"] + c["error"] + c["bypass"]
        five_xx = sum(n for s, n in self.statuses.items() if s.isdigit() and int(s) >= 500)
        return {
            "inputs": self.inputs,
            "reached_handler": c["handled"],
            "reached_handler_share": round(c["handled"] / self.inputs, 4) if self.inputs else 0.0,
            "passed_door_share": round(passed / self.inputs, 4) if self.inputs else 0.0,
            "full_turns": self.full_turns,
            "categories": dict(c),
            "status_histogram": dict(sorted(self.statuses.items(), key=lambda kv: -kv[1])),
            "responses_5xx": five_xx,
            "errors": c["error"],
            "bad_credentials_accepted": c["bypass"],
            "findings": {k: {"count": self.extra[k], "examples": v} for k, v in self.examples.items()},
            "routes": dict(sorted(self.routes.items(), key=lambda kv: -kv[1])),
            "route_statuses": {route: dict(n) for route, n in sorted(self.route_statuses.items())},
            "duration_s": round(self.active_s, 1),
            "harness_errors": c["harness"],
            **{k: v for k, v in self.extra.items() if not k.startswith(("error ", "bypass ", "harness "))},
        }


class Run:
    """One fuzz run against running servers: connectors, budgets and statistics."""

    def __init__(self, url: str, env: Dict[str, str], seed: int, inputs: int, turns: int,
                 connectors: List[str], concurrency: float = 1.0,
                 wechat_api: Optional["FakeWeChatApi"] = None) -> None:
        self.url, self.env, self.seed = url, env, seed
        self.wechat_api = wechat_api or FakeWeChatApi()
        self.source = Source(seed)
        self.connectors = connectors
        self.concurrency = concurrency
        self.budgets = {name: Budget(inputs, turns) for name in connectors}
        self.stats = {name: Stats(name) for name in connectors}
        self.http: Optional[aiohttp.ClientSession] = None
        self.targets: Dict[str, Target] = {}

    async def __aenter__(self) -> "Run":
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200, force_close=False),
                                          auto_decompress=False)
        self.targets = {name: TARGETS[name](self) for name in self.connectors}
        for target in self.targets.values():
            await target.setup()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        for target in self.targets.values():
            await target.teardown()
        await self.http.close()

    async def fuzz(self, progress_every_s: float = 30.0, deadline: Optional[float] = None,
                   checkpoint: Optional[Path] = None) -> None:
        """Every connector's workers until its budget is spent (or `deadline`, time.monotonic())."""
        for budget in self.budgets.values():
            budget.deadline = deadline

        async def connector(name: str) -> None:
            target = self.targets[name]
            stats = self.stats[name]
            started = time.monotonic()
            workers = max(1, round(target.workers * self.concurrency))
            await asyncio.gather(*(target.worker(w) for w in range(workers)))
            stats.active_s += time.monotonic() - started
            print(f"  {name} done: {stats.inputs} inputs, {stats.full_turns} full turns in "
                  f"{stats.active_s:.0f} s", flush=True)

        async def progress() -> None:
            while True:
                await asyncio.sleep(progress_every_s)
                print("  " + "  ".join(f"{n}: {s.inputs} in/{s.full_turns} turns/{s.categories['error']} err"
                                       for n, s in self.stats.items()), flush=True)
                if checkpoint is not None:  # partial figures, in case the run is stopped
                    write_results({"partial": True, "connectors": {n: s.summary() for n, s in self.stats.items()}},
                                  checkpoint)

        reporter = asyncio.create_task(progress())
        try:
            await asyncio.gather(*(connector(name) for name in self.connectors))
        finally:
            reporter.cancel()

    async def refused_batch(self, per_connector: int) -> Dict[str, Any]:
        """Refused-only inputs (bad credentials, bad bodies), nothing else running."""
        only = {
            "rest": ["bad_auth", "raw", "too_long"],
            "webchat": ["bad_origin", "invalid_message", "poll_unknown", "no_session", "photo_bad"],
            "wechat": ["bad_sig", "stale", "bad_msg_sig", "bad_encrypt", "doctype", "huge", "verify_bad"],
            "ivr": ["bad_sig", "stale", "raw"],
            "agent": ["bad_token", "unknown_ticket"],
        }
        accepted: collections.Counter = collections.Counter()
        for name in self.connectors:
            target = self.targets[name]
            rnd = random.Random(f"{self.seed}:refused:{name}")
            half = target.workers // 2
            for i in range(per_connector):
                # web chat: HTTP workers have ids >= half, socket workers below
                wid = half + 1 if name == "webchat" and i % 2 else 0
                state = {"wid": wid, "only": only[name]}
                outcome = await target.one("cheap", rnd, state)
                self.stats[name].add(outcome)
                if outcome.category not in ("refused_door", "refused_input"):
                    accepted[f"{name} {outcome.route} → {outcome.status}"] += 1
        return dict(accepted)


# --- database checks (read from the harness; SQLite allows it) ---------------------------------

def table_counts(database_url: str) -> Dict[str, int]:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()  # noqa: S608 - names from the schema
                    for t in inspect(conn).get_table_names()}
    finally:
        engine.dispose()


def traces_of(database_url: str, ids: set) -> Dict[str, int]:
    """Rows anywhere that mention one of `ids` (refused requests' marked ids)."""
    from sqlalchemy import create_engine, text

    if not ids:
        return {}
    engine = create_engine(database_url, future=True)
    found: Dict[str, int] = {}
    checks = {"events": "sender_id", "tickets": "conversation_id", "outbox": "conversation_id"}
    try:
        with engine.connect() as conn:
            for table, column in checks.items():
                try:
                    rows = conn.execute(text(f'SELECT DISTINCT "{column}" FROM "{table}" '  # noqa: S608
                                             f"WHERE \"{column}\" LIKE '%fzx%'")).scalars().all()
                except Exception:
                    continue
                hits = [r for r in rows if r in ids]
                if hits:
                    found[table] = len(hits)
    finally:
        engine.dispose()
    return found


async def wait_quiet(database_url: str, timeout_s: float = 90) -> Dict[str, int]:
    """Row counts once two readings a few seconds apart agree (background pushes done)."""
    deadline = time.monotonic() + timeout_s
    before = table_counts(database_url)
    while time.monotonic() < deadline:
        await asyncio.sleep(3)
        now = table_counts(database_url)
        if now == before:
            return now
        before = now
    return before


# --- after the run --------------------------------------------------------------------------

async def normal_conversation(run: Run) -> Dict[str, Any]:
    """One ordinary message on each customer channel, answered."""
    http, url, env = run.http, run.url, run.env
    answers: Dict[str, Any] = {}
    rest = {"Authorization": f"Bearer {env['REST_API_TOKEN']}", "Content-Type": "application/json"}
    sender = f"fz-alive-{secrets.token_hex(4)}"
    texts = []
    for message in ("hello", "Where is my order QX-100002?"):
        async with http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                             headers=rest) as r:
            data = await r.json(content_type=None) if r.status == 200 else None
            texts.append(r.status == 200 and bool(data))
    answers["rest"] = all(texts)
    async with http.post(f"{url}/chat/api/session", data=b"{}") as r:
        session = (await r.json(content_type=None)).get("session_id") if r.status == 200 else None
    if session:
        async with http.post(f"{url}/chat/api/message",
                             data=json.dumps({"session_id": session, "message": "What are your opening hours?"})) as r:
            answers["webchat"] = r.status == 200 and bool((await r.json(content_type=None)).get("messages"))
    else:
        answers["webchat"] = False
    if "wechat" in run.targets:
        target = run.targets["wechat"]
        fields = target.message(random.Random(0), "fz-alive-wx", "text", "你们的营业时间是？", extras=False)
        outcome = await target.send_message(random.Random(0), fields, False, "alive", turn=True)
        for _ in range(60):  # answered in the reply, or later through the customer-service API
            if outcome.full_turn or run.wechat_api.sent.get("fz-alive-wx"):
                break
            await asyncio.sleep(0.5)
        answers["wechat"] = outcome.status == 200 and (outcome.full_turn or bool(run.wechat_api.sent.get("fz-alive-wx")))
    if "ivr" in run.targets:
        target = run.targets["ivr"]
        call = {"id": f"fz-alive-{secrets.token_hex(4)}", "seq": 0, "events": 0, "lang": "en-US", "caller": None,
                "started": True, "sent": []}
        outcome = await target.event(random.Random(0), call, {"event": "start"}, True)
        answers["ivr"] = outcome.full_turn
    if "agent" in run.targets:
        async with http.post(f"{url}/agent/api/login", json={"username": "alice", "password": AGENT_PASSWORD}) as r:
            answers["agent"] = r.status == 200
    return answers


_TRACE_END = re.compile(r"^(\w[\w.]*(?:Error|Exception|Exit|Interrupt|Warning)|[\w.]+Error|AssertionError)\b.*$")


def log_tracebacks(log: Path) -> Dict[str, Any]:
    """Tracebacks in the server log, grouped by (exception line, deepest project frame)."""
    groups: collections.Counter = collections.Counter()
    sample: Dict[str, str] = {}
    if not log.exists():
        return {}
    lines = log.read_text(errors="replace").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("Traceback (most recent call last)"):
            j = i + 1
            frame = ""
            while j < len(lines) and (lines[j].startswith(" ") or lines[j].startswith("Traceback")
                                      or lines[j].startswith("During handling") or not lines[j].strip()):
                if lines[j].strip().startswith("File") and str(PROJECT_ROOT) in lines[j] and ".venv" not in lines[j]:
                    frame = lines[j].strip().replace(str(PROJECT_ROOT) + "/", "")
                j += 1
            last = lines[j] if j < len(lines) else "?"
            key = f"{last[:160]} @ {frame}"
            groups[key] += 1
            sample.setdefault(key, "\n".join(lines[max(i - 2, 0):j + 1])[-3000:])
            i = j
        i += 1
    return {k: {"count": n, "sample": sample[k]} for k, n in groups.most_common(40)}


def coverage_report(workdir: Path) -> Dict[str, Any]:
    import coverage

    data_files = list(workdir.glob(".coverage.*"))
    if not data_files:
        return {"error": "no coverage data (did the Rasa server exit cleanly?)"}
    cov = coverage.Coverage(data_file=str(workdir / ".coverage"), config_file=str(COVERAGE_RC))
    cov.combine([str(p) for p in data_files])
    cov.save()
    out = workdir / "coverage.json"
    cov.json_report(outfile=str(out))
    report = json.loads(out.read_text())
    files = {Path(f).relative_to(PROJECT_ROOT).as_posix() if Path(f).is_absolute() else f: v["summary"]
             for f, v in report["files"].items()}
    groups: Dict[str, List[int]] = {}
    for name, summary in files.items():
        part = name.split("/")[1].removesuffix(".py") if name.count("/") >= 1 else name
        g = groups.setdefault(part, [0, 0])
        g[0] += summary["covered_lines"]
        g[1] += summary["num_statements"]
    return {
        "percent": round(report["totals"]["percent_covered"], 1),
        "by_connector": {k: round(100 * c / n, 1) if n else 100.0 for k, (c, n) in sorted(groups.items())},
        "files": {k: round(v["percent_covered"], 1) for k, v in sorted(files.items())},
    }


def seed_database(database_url: str) -> None:
    from bot.storage.seed import seed_demo_orders
    from bot.storage.uow import SqlAlchemyUnitOfWork

    os.environ["DATABASE_URL"] = database_url
    from bot.storage.schema import upgrade

    upgrade(database_url)  # migrations before any server starts (issue 13)
    seed_demo_orders(SqlAlchemyUnitOfWork())
    with SqlAlchemyUnitOfWork() as uow:
        for username, role in AGENTS:
            uow.agents.upsert(username, AGENT_PASSWORD, username.title(), role)
        uow.commit()


def merge_tracebacks(*groups: Dict[str, Any]) -> Dict[str, Any]:
    merged: Dict[str, Any] = {}
    for group in groups:
        for key, value in group.items():
            if key in merged:
                merged[key]["count"] += value["count"]
            else:
                merged[key] = dict(value)
    return dict(sorted(merged.items(), key=lambda kv: -kv[1]["count"]))


async def fuzz_servers(workdir: Path, seed: int, inputs: int, turns: int, connectors: List[str],
                       refused_batch: int = 200, concurrency: float = 1.0, coverage: bool = True,
                       log: Any = print, max_minutes: Optional[float] = None,
                       checkpoint: Optional[Path] = None, coverage_share: float = 0.1) -> Dict[str, Any]:
    """Start the servers, fuzz, check, stop; the results as a dict (also what fuzz.json holds).

    coverage.py's tracer costs the Rasa server about 70 % more CPU per message (NLU parse measured at
    29 → 48 ms), so line coverage is measured over the first `coverage_share` of every connector's
    inputs and full turns (the same generators and mix; with `max_minutes`, at most that share of the
    time), then the servers restart without coverage on the same database for the rest. `coverage_share=1` measures the whole run; `coverage=False` none.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{workdir / 'bot.db'}"
    seed_database(database_url)
    fake = FakeWeChatApi()
    await fake.start()
    env = fuzz_env(fake.base_url)
    if coverage and 0 < coverage_share < 1:
        phases = [("coverage", coverage_share), ("main", 1.0)]
    else:
        phases = [("coverage" if coverage else "main", 1.0)]
    started = time.monotonic()
    deadline = started + max_minutes * 60 if max_minutes else None
    results: Dict[str, Any] = {"seed": seed, "inputs_per_connector": inputs, "full_turns_target": turns,
                               "cpu_cores": os.cpu_count(), "wechat_mode": env["WECHAT_MODE"],
                               "phases": {}}
    run = Run("", env, seed, inputs, turns, connectors, concurrency, fake)
    logs: List[Path] = []
    try:
        for index, (label, share) in enumerate(phases):
            last = index == len(phases) - 1
            servers = FuzzServers(workdir / label, database_url, coverage=label == "coverage")
            servers.env.update(env)
            up = time.monotonic()
            log(f"[{label}] starting the action server and the Rasa server"
                f"{' under coverage' if label == 'coverage' else ''} ...")
            await asyncio.to_thread(servers.start)
            logs += [servers.rasa_log, workdir / label / "actions.log"]
            run.url = servers.url
            try:
                if index == 0:
                    await run.__aenter__()
                for target in run.targets.values():
                    target.new_phase()
                for budget in run.budgets.values():
                    budget.inputs, budget.turns = round(inputs * share), round(turns * share)
                log(f"[{label}] servers up in {time.monotonic() - up:.0f} s at {servers.url}; "
                    f"fuzzing {', '.join(connectors)} up to {round(inputs * share)} inputs and "
                    f"{round(turns * share)} full turns each, seed {seed}")
                phase_started = time.monotonic()
                phase_deadline = deadline
                if deadline is not None and not last:  # its share of the time too
                    phase_deadline = min(deadline, phase_started + share * (deadline - phase_started))
                await run.fuzz(deadline=phase_deadline, checkpoint=checkpoint)
                results["phases"][label] = {
                    "fuzz_duration_s": round(time.monotonic() - phase_started, 1),
                    "inputs": {n: s.inputs for n, s in run.stats.items()},
                    "full_turns": {n: s.full_turns for n, s in run.stats.items()},
                }
                if last:
                    await final_checks(run, database_url, refused_batch, results, log)
            finally:
                log(f"[{label}] stopping the servers ...")
                await asyncio.to_thread(servers.stop)
    finally:
        if run.http is not None:
            await run.__aexit__(None, None, None)
        await fake.stop()
    results["targets_reached"] = all(b.issued >= inputs and b.full >= turns for b in run.budgets.values())
    results["time_limit_min"] = max_minutes
    results["fuzz_duration_s"] = round(sum(p["fuzz_duration_s"] for p in results["phases"].values()), 1)
    results["connectors"] = {name: s.summary() for name, s in run.stats.items()}
    results["server_tracebacks"] = merge_tracebacks(*(log_tracebacks(p) for p in logs if p.name == "rasa.log"))
    results["action_server_tracebacks"] = merge_tracebacks(*(log_tracebacks(p) for p in logs
                                                             if p.name == "actions.log"))
    if coverage:
        results["coverage"] = coverage_report(workdir / "coverage")
        results["coverage"]["measured_over"] = results["phases"]["coverage"]["inputs"]
    results["total_duration_s"] = round(time.monotonic() - started, 1)
    return results


async def final_checks(run: Run, database_url: str, refused_batch: int, results: Dict[str, Any], log: Any) -> None:
    """Refused requests wrote nothing; the server answers a normal conversation."""
    log("fuzzing done; waiting for the server to go quiet ...")
    for target in run.targets.values():
        await target.before_refused_batch()
    before = await wait_quiet(database_url)
    accepted = await run.refused_batch(refused_batch)
    await asyncio.sleep(3)
    after = table_counts(database_url)
    written = {t: after.get(t, 0) - before.get(t, 0) for t in after if after.get(t, 0) != before.get(t, 0)}
    refused_ids = set().union(*(s.refused_ids for s in run.stats.values()))
    results["refused_writes"] = {
        "batch_inputs": refused_batch * len(run.connectors),
        "batch_not_refused": accepted,
        "rows_written_by_batch": written,
        "refused_ids_in_run": len(refused_ids),
        "refused_ids_with_rows": traces_of(database_url, refused_ids),
    }
    results["alive_after"] = await normal_conversation(run)
    results["wechat_pushes"] = sum(run.wechat_api.sent.values())


def table(results: Dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    head = f"{'connector':<9} {'inputs':>8} {'handled':>8} {'passed door':>11} {'full turns':>10} " \
           f"{'5xx':>5} {'errors':>6} {'bypass':>6} {'coverage':>8} {'seconds':>8}"
    rows = [head, "-" * len(head)]
    cov = results.get("coverage", {}).get("by_connector", {})
    cov_key = {"rest": "rest", "webchat": "webchat", "wechat": "wechat", "ivr": "ivr", "agent": "agent_desk"}
    for name, s in results.get("connectors", {}).items():
        pct = cov.get(cov_key[name])
        rows.append(f"{name:<9} {s['inputs']:>8} {s['reached_handler_share']:>8.1%} {s['passed_door_share']:>11.1%} "
                    f"{s['full_turns']:>10} {s['responses_5xx']:>5} {s['errors']:>6} "
                    f"{s['bad_credentials_accepted']:>6} {(f'{pct:.1f}%' if pct is not None else '-'):>8} "
                    f"{s['duration_s']:>8.0f}")
    if "coverage" in results:
        rows.append(f"connectors line coverage: {results['coverage'].get('percent', '?')}%")
    rw = results.get("refused_writes", {})
    rows.append(f"refused-only batch: {rw.get('batch_inputs')} inputs, rows written {rw.get('rows_written_by_batch')}, "
                f"not refused {rw.get('batch_not_refused')}; refused ids with rows {rw.get('refused_ids_with_rows')}")
    rows.append(f"alive afterwards: {results.get('alive_after')}")
    rows.append(f"server tracebacks: {sum(v['count'] for v in results.get('server_tracebacks', {}).values())} "
                f"in {len(results.get('server_tracebacks', {}))} groups; "
                f"total {results.get('total_duration_s')} s (fuzzing {results.get('fuzz_duration_s')} s)")
    return "\n".join(rows)


def write_results(results: Dict[str, Any], path: Path = RESULTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")


def clean(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
