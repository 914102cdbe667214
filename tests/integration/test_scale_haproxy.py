"""`make scale-up`'s front door and start/stop guards without Rasa (issue 13's review): the
haproxy configuration scripts/scale.sh writes (``scale.sh haproxy-config``), run by the real
haproxy in front of a small local HTTP server — slow clients cut off (``timeout http-request``),
one address limited to ``SCALE_MAX_CONN_PER_SOURCE`` connections at once while another is
served, Rasa's HTTP API answered for 127.0.0.1 only, opaque sticky cookies, an access log with
paths and no query strings, and ``noreuseport`` (a second haproxy on the port fails instead of
sharing it). Also: ``scale.sh up`` refuses a port in use before starting anything, and
``scale.sh down`` leaves alone a process a stale pid file names."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy is missing: make haproxy-deps")

PER_SOURCE = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scale_script(command: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    """``bash scripts/scale.sh <command>`` with ``env`` added to this process's environment."""
    return subprocess.run(["bash", "scripts/scale.sh", command], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **env})


class Echo(BaseHTTPRequestHandler):
    """200 with the request path, for every GET (a stand-in for a Rasa server)."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def request(port: int, path: str, source: str = "127.0.0.1") -> bytes:
    """``GET path`` from local address ``source``; the raw response (b"" if the connection was
    closed without one)."""
    data = b""
    with socket.socket() as s:
        s.settimeout(15)
        s.bind((source, 0))
        try:
            s.connect(("127.0.0.1", port))
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
            while chunk := s.recv(65536):
                data += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass  # refused by haproxy (tcp-request connection reject)
    return data


class QuietServer(ThreadingHTTPServer):
    """ThreadingHTTPServer without tracebacks for connections haproxy's health checks reset."""

    def handle_error(self, request, client_address) -> None:
        pass


@pytest.fixture
def front_door(tmp_path):
    """scale.sh's haproxy.cfg (one Rasa server, a per-source limit of PER_SOURCE) run by haproxy
    in front of an Echo server; yields (port, scale_dir, env, access log path)."""
    rasa_port0 = free_port()
    backend = QuietServer(("127.0.0.1", rasa_port0 + 1), Echo)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    env = {"SCALE_DIR": str(tmp_path / "scale"), "SERVERS": "1", "ACTIONS": "1", "SCALE_PORT": str(free_port()),
           "SCALE_ACTIONS_PORT": str(free_port()), "SCALE_RASA_PORT0": str(rasa_port0),
           "SCALE_ACTIONS_PORT0": str(free_port()), "SCALE_MAX_CONN_PER_SOURCE": str(PER_SOURCE),
           "SCALE_USER": ""}  # haproxy stays the test's user (scale-up's own user: test_scale.py)
    written = scale_script("haproxy-config", env)
    assert written.returncode == 0, written.stderr
    scale_dir = Path(env["SCALE_DIR"])
    log = tmp_path / "haproxy.out"
    with log.open("w") as out:
        proxy = subprocess.Popen(["nice", "-n", "19", "haproxy", "-db", "-f", str(scale_dir / "haproxy.cfg")],
                                 stdout=out, stderr=subprocess.STDOUT)
    port = int(env["SCALE_PORT"])
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        for _ in range(100):  # the backend marked up by its health check
            if request(port, "/ready").endswith(b"/ready"):
                break
            time.sleep(0.2)
        yield port, scale_dir, env, log
    finally:
        proxy.send_signal(signal.SIGTERM)
        proxy.wait(timeout=10)
        backend.shutdown()


def test_haproxy_config_has_the_limits_and_haproxy_accepts_it(tmp_path):
    env = {"SCALE_DIR": str(tmp_path / "scale"), "SERVERS": "2", "ACTIONS": "1", "SCALE_USER": "",
           "SCALE_ADMIN_SOURCES": "127.0.0.1,10.0.0.0/8"}
    written = scale_script("haproxy-config", env)
    assert written.returncode == 0, written.stderr
    conf = tmp_path / "scale" / "haproxy.cfg"
    text = conf.read_text()
    assert oct(conf.stat().st_mode & 0o777) == "0o600"
    for line in ("noreuseport", "timeout http-request 10s", "maxconn 4000", "tcp-request connection track-sc0 src",
                 "tcp-request connection reject if { sc0_conn_cur gt 200 }", "acl admin_source src 127.0.0.1 10.0.0.0/8",
                 "http-request deny deny_status 403 if rasa_api !admin_source", "%HPO"):
        assert line in text, line
    cookies = re.findall(r"server rasa-\d+ \S+ check cookie (\S+)", text)
    assert len(cookies) == 2 and len(set(cookies)) == 2 and all(re.fullmatch(r"[0-9a-f]{16}", c) for c in cookies)
    checked = subprocess.run(["haproxy", "-c", "-f", str(conf)], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.timeout(120)
def test_front_door_cuts_slow_and_greedy_clients_and_keeps_rasa_api_local(front_door):
    port, scale_dir, env, log = front_door
    # Rasa's HTTP API: 403 from another address however the path is written, served for 127.0.0.1
    for path in ("/version", "/status", "/conversations/a/tracker", "/%63onversations/a/tracker", "//model", "/jobs/x",
                 "/domain"):
        assert request(port, path, source="127.0.0.2").startswith(b"HTTP/1.1 403"), path
    assert request(port, "/version").endswith(b"/version")
    assert request(port, "/webhooks/rest/webhook", source="127.0.0.2").endswith(b"/webhooks/rest/webhook")
    # opaque sticky cookie
    answer = request(port, "/chat/?token=SECRET-IN-QUERY", source="127.0.0.2").decode()
    cookie = re.search(r"set-cookie: QXSERVER=([^;\s]+)", answer, re.I)
    assert cookie and re.fullmatch(r"[0-9a-f]{16}", cookie.group(1)), answer

    # PER_SOURCE connections from 127.0.0.1 that never finish their headers (slowloris)...
    held = []
    for _ in range(PER_SOURCE):
        s = socket.create_connection(("127.0.0.1", port), timeout=20)
        s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        held.append(s)
    started = time.monotonic()
    time.sleep(0.5)
    # ...the next one from that address is refused, another address is served
    assert request(port, "/more") == b""
    assert request(port, "/other", source="127.0.0.2").endswith(b"/other")
    # and the slow ones are cut off after timeout http-request (10 s) with 408
    for s in held:
        with s:
            data = s.recv(65536)
            assert data.startswith(b"HTTP/1.1 408") or data == b"", data
    assert time.monotonic() - started < 15
    assert request(port, "/again").endswith(b"/again")  # the address is served again

    # the access log: every request with its path, never the query string
    time.sleep(0.5)
    access = log.read_text()
    assert "GET /chat/ HTTP/1.1" in access and "SECRET-IN-QUERY" not in access, access
    assert "GET /version HTTP/1.1" in access, access

    # noreuseport: a second haproxy on the same port fails instead of sharing it
    second = {**env, "SCALE_DIR": str(scale_dir.parent / "second"), "SCALE_ACTIONS_PORT": str(free_port())}
    assert scale_script("haproxy-config", second).returncode == 0
    other = subprocess.run(["timeout", "10", "haproxy", "-db", "-f", f"{second['SCALE_DIR']}/haproxy.cfg"],
                           capture_output=True, text=True, timeout=30)
    assert other.returncode not in (0, 124), other.stdout + other.stderr  # 124: it ran (shared the port)
    assert "cannot bind" in (other.stdout + other.stderr).lower() or "address already in use" in (
        other.stdout + other.stderr).lower(), other.stdout + other.stderr


def test_scale_up_refuses_a_port_in_use_and_starts_nothing(tmp_path):
    if not Path("/usr/lib/postgresql/15/bin/initdb").exists():
        pytest.skip("PostgreSQL 15 is missing: make postgres-deps")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"SCALE_DIR": str(tmp_path / "scale"), "SERVERS": "1", "ACTIONS": "1", "SCALE_PORT": str(port),
               "SCALE_ACTIONS_PORT": str(free_port()), "SCALE_RASA_PORT0": str(free_port()),
               "SCALE_ACTIONS_PORT0": str(free_port()), "SCALE_PG_PORT": str(free_port())}
        started = scale_script("up", env)
    assert started.returncode != 0
    assert f"port {port} (SCALE_PORT) is already in use" in started.stderr, started.stderr
    assert "SCALE_PORT=" in started.stderr and "Nothing was started" in started.stderr, started.stderr
    scale_dir = tmp_path / "scale"
    assert not (scale_dir / "pg").exists() and not (scale_dir / "redis").exists()
    assert list(scale_dir.glob("*.pid")) == [] and not (scale_dir / "haproxy.cfg").exists()


def test_scale_down_leaves_a_process_a_stale_pid_file_names_alone(tmp_path):
    scale_dir = tmp_path / "scale"
    scale_dir.mkdir()
    other = subprocess.Popen(["sleep", "300"], start_new_session=True)  # not ours: some process that got the pid
    # Not ours either, though its command line names what ours run: another checkout's Rasa server
    # on the same port, the system's redis-server, another set's haproxy and supervisord.
    look_alike = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(300)", "scripts/rasa_launch.py", "--model", "m",
         "--port", "5106", "redis-server", "unixsocket:/tmp/other.sock", "haproxy", "-f", "/elsewhere/haproxy.cfg",
         "supervisord", "-c", "/elsewhere/supervisord.conf", "actions.server", "--port", "5156"],
        cwd=tmp_path, start_new_session=True)
    try:
        for process in (other, look_alike):
            for name in ("rasa-1.pid", "actions-1.pid", "redis.pid", "haproxy.pid", "supervisord.pid"):
                (scale_dir / name).write_text(f"{process.pid}\n")
            stopped = scale_script("down", {"SCALE_DIR": str(scale_dir)})
            assert stopped.returncode == 0, stopped.stderr
            assert process.poll() is None, "scale.sh down killed a process that is not the scale set's"
            assert "not stopped" in stopped.stderr, stopped.stderr
    finally:
        for process in (other, look_alike):
            process.kill()
            process.wait()


def test_rasa_launcher_needs_the_token_in_the_environment():
    env = {key: value for key, value in os.environ.items() if key != "RASA_API_TOKEN"}
    launched = subprocess.run([str(PROJECT_ROOT / ".venv/bin/python"), "scripts/rasa_launch.py", "--help"],
                              cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert launched.returncode == 2 and "RASA_API_TOKEN" in launched.stderr, launched.stderr


def test_start_up_fails_fast_when_supervisord_is_gone(tmp_path):
    """scale.sh's wait for a server (wait_url) gives up at once when supervisord has exited —
    even before it wrote its pid file — instead of waiting 900 s."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    started = time.monotonic()
    waited = subprocess.run(
        ["bash", "-c", f'set -- haproxy-config; source scripts/scale.sh; SUPERVISORD_PID={gone.pid}; '
                       f'wait_url http://127.0.0.1:{free_port()}/ rasa-1 1', "scripts/scale.sh"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "SCALE_DIR": str(tmp_path / "scale"), "SCALE_USER": ""})
    assert waited.returncode != 0 and "supervisord stopped during start-up" in waited.stderr, waited.stderr
    assert time.monotonic() - started < 20
