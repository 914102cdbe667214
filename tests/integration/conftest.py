"""Start the real action server and Rasa server for a test session."""
from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest
import requests

from tests.conftest import MODEL, PROJECT_ROOT, free_port  # noqa: F401 (free_port: used by other modules)

BIN = Path(sys.executable).parent
# Signs the customer tokens of tests/integration/test_customers.py.
WEBCHAT_TOKEN_SECRET = "integration-webchat-secret-0123456789"


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} died at start-up:\n{log.read_text()[-4000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {timeout}s:\n{log.read_text()[-4000:]}")


class Servers:
    """The real action server and Rasa server, closed as `make run` closes them.

    Each instance has its own ports and secrets: Rasa's HTTP API needs
    ``rasa_api_token`` (``?token=``), the REST channel ``rest_api_token``
    (bearer), the action server ``action_server_token`` (Rasa sends it, from
    endpoints.yml). Talk to them through the helpers below, which send them.
    """

    credentials = "credentials.yml"  # channels to enable (a path, relative to the project)
    start_timeout_s = 180.0  # how long `wait` gives each process to answer
    endpoints = str(PROJECT_ROOT / "endpoints.yml")  # reads the action server address and secret from env

    def __init__(self, workdir: Path, database_url: str) -> None:
        self.workdir = workdir
        self.database_url = database_url
        self.actions_port = free_port()
        self.rasa_port = free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.actions_url = f"http://127.0.0.1:{self.actions_port}"
        self.rasa_api_token = secrets.token_urlsafe(24)
        self.rest_api_token = secrets.token_urlsafe(24)
        self.action_server_token = secrets.token_urlsafe(24)
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "DATABASE_URL": database_url,
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "WEBCHAT_TOKEN_SECRET": WEBCHAT_TOKEN_SECRET,
            "RASA_API_TOKEN": self.rasa_api_token,
            "REST_API_TOKEN": self.rest_api_token,
            "ACTION_SERVER_TOKEN": self.action_server_token,
            "ACTIONS_HOST": "127.0.0.1",
            "ACTIONS_PORT": str(self.actions_port),
            # every test talks from 127.0.0.1: limits as high as a benchmark's
            # (tests/integration/test_rate_limits.py starts servers with low ones)
            "RATE_LIMIT_ADDRESS_PER_MIN": "1000000",
            "RATE_LIMIT_SENDER_PER_MIN": "1000000",
            "RATE_LIMIT_SESSIONS_PER_MIN": "1000000",
            # a photo quota a test reaches within the chat's 10 messages per 20 s (issue 14)
            "PHOTO_QUOTA_COUNT": "6",
            "PHOTO_UPLOADS_PER_ADDRESS_PER_MIN": "1000000",  # per address (rev14 #2): every test is 127.0.0.1
        }

    def _start(self, name: str, args: list[str]) -> tuple[subprocess.Popen, Path]:
        log = self.workdir / f"{name}.log"
        process = subprocess.Popen(
            args, cwd=PROJECT_ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process, log

    def start(self) -> "Servers":
        return self.launch().wait()

    def launch(self) -> "Servers":
        """Start the processes without waiting for them (``wait`` does): several instances
        can start together."""
        # Tests must not depend on the hour CI runs at: a 24/7 support team.
        config = (PROJECT_ROOT / "escalation.yml").read_text().replace("always_open: false", "always_open: true")
        # Nor on how many tickets earlier tests left queued: no long-wait offer (issue 14) unless
        # a test asks for one (tests/integration/test_long_waits.py).
        config = config.replace("long_wait_offer_s: 900", "long_wait_offer_s: 31536000")
        (self.workdir / "escalation.yml").write_text(config)
        self.env["ESCALATION_CONFIG"] = str(self.workdir / "escalation.yml")
        # Nor on the wall clock against seeded tickets' times: no abandonment sweep (issue 14)
        # unless a test sets WEB_ABANDON_AFTER_S (test_long_waits.py does).
        self.env.setdefault("WEB_ABANDON_AFTER_S", "0")
        actions, actions_log = self.start_actions()
        rasa, rasa_log = self.start_rasa()
        self._launched = [(f"{self.actions_url}/health", actions, actions_log), (f"{self.url}/", rasa, rasa_log)]
        return self

    def wait(self) -> "Servers":
        """Wait until every process ``launch`` started answers (RuntimeError with its log if one died)."""
        try:
            for url, process, log in self._launched:
                wait_for(url, process, log, self.start_timeout_s)
        except BaseException:  # not up in time: never leave them running (bench/fuzz starts outside a try)
            self.stop()
            raise
        return self

    def start_actions(self) -> tuple[subprocess.Popen, Path]:
        """The action server as scripts/run.sh starts it (loopback, token required)."""
        return self._start(
            "actions",
            [sys.executable, "-m", "actions.server", "--actions", "actions",
             "--host", self.env["ACTIONS_HOST"], "--port", str(self.actions_port)],
        )

    def start_rasa(self) -> tuple[subprocess.Popen, Path]:
        """Rasa with its HTTP API behind ``--auth-token`` and no ``--cors``, as in scripts/run.sh."""
        return self._start(
            "rasa",
            [str(BIN / "rasa"), "run", "--model", str(MODEL), "--enable-api",
             # one argument: a token may start with "-", which argparse would take for an option
             f"--auth-token={self.rasa_api_token}", "--port", str(self.rasa_port),
             "--credentials", str(self.credentials), "--endpoints", self.endpoints],
        )

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def rest(self, method: str, path: str = "/webhook", authorized: bool = True, **kwargs) -> requests.Response:
        """A raw request to the REST channel (``/webhooks/rest<path>``), with
        its bearer token unless ``authorized`` is False."""
        headers = dict(kwargs.pop("headers", None) or {})
        if authorized:
            headers.setdefault("Authorization", f"Bearer {self.rest_api_token}")
        return requests.request(method, f"{self.url}/webhooks/rest{path}", headers=headers,
                                timeout=kwargs.pop("timeout", 60), **kwargs)

    def say(self, sender: str, text: str, **metadata) -> list[dict]:
        body = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        response = self.rest("POST", json=body)
        response.raise_for_status()
        return response.json()

    def outbox(self, sender: str) -> list[dict]:
        """``GET /webhooks/rest/outbox/<sender>`` (the sender URL-encoded)."""
        from urllib.parse import quote

        response = self.rest("GET", f"/outbox/{quote(sender, safe='')}")
        response.raise_for_status()
        return response.json()

    def rasa_api(self, method: str, path: str, authorized: bool = True, **kwargs) -> requests.Response:
        """A request to Rasa's HTTP API (``path`` like ``/conversations/x/tracker``),
        with ``?token=<RASA_API_TOKEN>`` unless ``authorized`` is False."""
        params = dict(kwargs.pop("params", None) or {})
        if authorized:
            params.setdefault("token", self.rasa_api_token)
        return requests.request(method, f"{self.url}{path}", params=params,
                                timeout=kwargs.pop("timeout", 60), **kwargs)

    def api(self, method: str, path: str, token: str = None, **kwargs) -> requests.Response:
        headers = {**(kwargs.pop("headers", None) or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        return requests.request(method, f"{self.url}/agent/api{path}", headers=headers, timeout=60, **kwargs)

    def login(self, username: str, password: str) -> str:
        response = self.api("POST", "/login", json={"username": username, "password": password})
        response.raise_for_status()
        return response.json()["token"]

    def tracker(self, sender: str) -> dict:
        response = self.rasa_api("GET", f"/conversations/{sender}/tracker", timeout=30)
        response.raise_for_status()
        return response.json()


# Who run_servers seeds (username, display name, role); every password is pass-word-1.
DEMO_AGENTS = tuple((f"agent{i}", f"Agent {i}", "agent") for i in range(5)) + (("alice", "Alice", "supervisor"),)


def run_servers(tmp_path_factory, name: str, env: dict | None = None, servers_class=None, agents=DEMO_AGENTS,
                before_migrate=None, after_seed=None, **kwargs):
    """Seed a fresh database (demo orders and ``agents``, by default alice and agent0..4, password
    pass-word-1), start the real servers with ``env`` added, yield, stop.

    ``before_migrate(path)`` may create the SQLite file first (an old schema the migrations
    upgrade); ``after_seed(unit_of_work_factory)`` adds rows once the agents exist."""
    from bot.storage.uow import SqlAlchemyUnitOfWork

    workdir = tmp_path_factory.mktemp(name)
    if before_migrate is not None:
        before_migrate(workdir / "bot.db")
    url = f"sqlite:///{workdir / 'bot.db'}"
    previous = os.environ.get("DATABASE_URL")
    prepare_database(url, agents)
    if after_seed is not None:
        after_seed(SqlAlchemyUnitOfWork)
    running = (servers_class or Servers)(workdir, url, **kwargs)
    running.env.update(env or {})
    try:
        yield running.start()
    finally:
        running.stop()
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous


def prepare_database(url: str, agents=DEMO_AGENTS) -> None:
    """Migrate the database at ``url`` (as `make run` does before any server starts) and seed
    it: demo orders and ``agents`` (username, display name, role; by default alice and
    agent0..4; password pass-word-1). DATABASE_URL is left pointing at it, for the test's
    own SqlAlchemyUnitOfWork()."""
    from bot.storage.schema import upgrade
    from bot.storage.seed import seed_demo_orders
    from bot.storage.uow import SqlAlchemyUnitOfWork

    os.environ["DATABASE_URL"] = url
    upgrade(url)
    seed_demo_orders(SqlAlchemyUnitOfWork())
    with SqlAlchemyUnitOfWork() as uow:
        for username, display_name, role in agents:
            uow.agents.upsert(username, "pass-word-1", display_name, role)
        uow.commit()


@pytest.fixture(scope="session")
def servers(tmp_path_factory, trained_model):
    yield from run_servers(tmp_path_factory, "servers")


class MakeRun(NamedTuple):
    """scripts/run.sh running: its process (a group leader), the ports, its output file, its banner."""

    process: subprocess.Popen
    rasa_port: int
    actions_port: int
    out: Path
    banner: str

    def generated(self) -> dict:
        """The secrets run.sh generated and printed: name -> value."""
        return dict(re.findall(r"^ (RASA_API_TOKEN|REST_API_TOKEN|ACTION_SERVER_TOKEN) +(\S+) +\(generated",
                               self.banner, re.M))


@contextmanager
def make_run(tmp_path: Path, extra_env: dict | None = None) -> Iterator[MakeRun]:
    """Start scripts/run.sh (``make run``) on free ports, a fresh SQLite database under ``tmp_path`` and
    none of the secrets in its environment (so it generates them), plus ``extra_env``; yield once it
    printed its banner ("Stop with Ctrl-C", within 600 s); on leaving, SIGTERM its process group if
    it still runs (SIGKILL after 30 s)."""
    rasa_port, actions_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in ("RASA_API_TOKEN", "REST_API_TOKEN", "ACTION_SERVER_TOKEN", "ACTIONS_HOST")}
    env.update({"RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port), "LOG_DIR": str(tmp_path / "log"),
                "RUN_DIR": str(tmp_path / "run"), "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
                "PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **(extra_env or {})})
    out = tmp_path / "run.out"
    process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=PROJECT_ROOT, env=env, stdout=out.open("w"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 600
        while "Stop with Ctrl-C" not in out.read_text():
            assert process.poll() is None and time.time() < deadline, out.read_text()[-4000:]
            time.sleep(1)
        yield MakeRun(process, rasa_port, actions_port, out, out.read_text())
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
