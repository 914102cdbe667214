"""`make stop` (scripts/stop.sh) stops what `make run` (scripts/run.sh) started.

A fresh new user: there was no documented way to stop a `make run` started in the background. run.sh writes
its pid to ``$RUN_DIR/run.pid``; `make stop` sends it SIGTERM, which run.sh traps: supervisord stops both
servers, the log followers end, the file is removed and run.sh exits 0.
"""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import requests

import pytest

from tests.integration.conftest import PROJECT_ROOT, free_port, make_run


def make_stop(run_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "RUN_DIR": str(run_dir), **env}
    return subprocess.run(["make", "-s", "stop"], cwd=PROJECT_ROOT, env=environment, capture_output=True,
                          text=True, timeout=300)


def in_session(session: int) -> list[str]:
    """The live processes of a session (run.sh leads its own: start_new_session), as 'pid command'."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, session, …
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(f"{entry.name} {cmdline.strip()}")
    return found


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_make_stop_stops_both_servers_and_every_child_of_make_run(tmp_path, trained_model):
    run_dir = tmp_path / "run"
    with make_run(tmp_path) as run:
        pid_file = run_dir / "run.pid"
        assert pid_file.read_text().strip() == str(run.process.pid)
        assert "make stop" in run.banner
        assert requests.get(f"http://127.0.0.1:{run.rasa_port}/", timeout=10).ok
        assert requests.get(f"http://127.0.0.1:{run.actions_port}/health", timeout=10).ok
        assert (run_dir / "supervisord.conf").is_file()
        children = in_session(run.process.pid)
        assert any("supervisord" in c for c in children) and any("rasa_launch" in c for c in children), children
        assert any("actions.server" in c for c in children) and any("tail" in c for c in children), children

        # a second make run for the same RUN_DIR stops at once and leaves the first one's pid file alone
        second = subprocess.run(["bash", "scripts/run.sh"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                                timeout=60, env={**os.environ, "RUN_DIR": str(run_dir), "LOG_DIR": str(tmp_path / "log2"),
                                                 "RASA_PORT": str(run.rasa_port)})
        assert second.returncode == 1 and "already running" in second.stderr, second.stdout + second.stderr
        assert pid_file.read_text().strip() == str(run.process.pid)

        started = time.monotonic()
        stopped = make_stop(run_dir)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert f"Stopped (pid {run.process.pid})" in stopped.stdout, stopped.stdout
        assert run.process.wait(timeout=30) == 0  # SIGTERM is a clean stop: make run ends without an error
        assert time.monotonic() - started < 120
        assert port_free(run.rasa_port) and port_free(run.actions_port)
        assert in_session(run.process.pid) == []  # supervisord, both servers, the tail | sed log followers
        assert not pid_file.exists()
        assert not (run_dir / "supervisord.conf").exists()  # written for the run (report 26 #11: it stayed)
        assert "Stopping (Rasa and action server)" in run.out.read_text()

    again = make_stop(run_dir)
    assert again.returncode == 0 and "Nothing to stop" in again.stdout, again.stdout + again.stderr


def test_make_stop_with_nothing_running_says_so_and_exits_0(tmp_path):
    for env in ({"RUN_DIR": str(tmp_path / "never")}, {"RASA_PORT": "1"}):
        done = subprocess.run(["make", "-s", "stop"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                              env={k: v for k, v in {**os.environ, **env}.items() if k != "RUN_DIR" or "RUN_DIR" in env})
        assert done.returncode == 0 and "Nothing to stop" in done.stdout, done.stdout + done.stderr


def test_a_stale_pid_file_naming_another_process_is_removed_and_that_process_left_alone(tmp_path):
    """After a crash or a reboot the pid in run.pid may be another program's: it is never killed."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        (run_dir / "run.pid").write_text(f"{bystander.pid}\n")
        done = make_stop(run_dir)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "not a running make run" in done.stdout and "Nothing to stop" in done.stdout, done.stdout
        assert bystander.poll() is None  # still running
        assert not (run_dir / "run.pid").exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_a_supervisord_left_without_its_run_sh_is_stopped_and_its_configuration_removed(tmp_path):
    """run.sh killed with SIGKILL leaves supervisord running: `make stop` stops it through its pid file, and
    removes the supervisord.conf the dead run.sh cannot (fresh-user report 26 #11: it stayed after a stop)."""
    run_dir = tmp_path / "run"
    run_dir.mkdir(mode=0o700)
    conf = run_dir / "supervisord.conf"
    script = (". scripts/supervisord.sh; supervisord_header \"$1\" \"$1\" \"$PWD\";"
              " supervisord_program sleeper \"$1\" \"$PWD\" 5 1MB 0 \"exec sleep 300\"")
    conf.write_text(subprocess.run(["bash", "-c", script, "conf", str(run_dir)], cwd=PROJECT_ROOT, check=True,
                                   capture_output=True, text=True).stdout)
    supervisord = subprocess.Popen([str(PROJECT_ROOT / ".venv/bin/supervisord"), "-c", str(conf)], cwd=PROJECT_ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not (run_dir / "supervisord.pid").exists() or not in_session(supervisord.pid)[1:]:  # the sleeper
            assert supervisord.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        done = make_stop(run_dir)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "runs without its run.sh: stopping it" in done.stdout, done.stdout
        assert supervisord.wait(timeout=30) is not None and in_session(supervisord.pid) == []
        assert not conf.exists()
    finally:
        if supervisord.poll() is None:
            os.killpg(supervisord.pid, 9)
            supervisord.wait()


@pytest.mark.parametrize("busy", ["RASA_PORT", "ACTIONS_PORT"])
def test_run_sh_on_a_port_in_use_stops_at_once_before_touching_the_database(tmp_path, busy):
    """Fresh-user report 26 #5: a second `make run` on ports in use migrated and seeded the live database (and
    could retrain the model) before it noticed. run.sh checks the ports first; it writes nothing."""
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port()}
    with socket.socket() as occupier:
        occupier.bind(("127.0.0.1", ports[busy]))
        occupier.listen()
        env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "LOG_DIR": str(tmp_path / "log"),
               "RUN_DIR": str(tmp_path / "run"), "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
        started = time.monotonic()
        for args in (["--check"], []):  # what `make run` calls first, and run.sh itself
            done = subprocess.run(["bash", "scripts/run.sh", *args], cwd=PROJECT_ROOT, env=env, capture_output=True,
                                  text=True, timeout=60)
            assert done.returncode == 1, done.stdout + done.stderr
            assert f"port {ports[busy]} ({busy}) is already in use" in done.stderr, done.stderr
            assert "migrat" not in done.stdout + done.stderr
    assert time.monotonic() - started < 10
    assert not (tmp_path / "bot.db").exists() and not (tmp_path / "run").exists() and not (tmp_path / "log").exists()


def test_run_sh_check_passes_on_free_ports_and_writes_nothing(tmp_path):
    env = {**os.environ, "RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port()),
           "RUN_DIR": str(tmp_path / "run"), "LOG_DIR": str(tmp_path / "log")}
    done = subprocess.run(["bash", "scripts/run.sh", "--check"], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
    assert not (tmp_path / "run").exists() and not (tmp_path / "log").exists()


def test_make_run_checks_the_ports_before_the_model_the_migrations_and_the_seed():
    """`make -n` lists what `make run` would do, in order (nothing is run): the check comes first."""
    planned = subprocess.run(["make", "-n", "run", "RASA_PORT=5999", "ACTIONS_PORT=5998"], cwd=PROJECT_ROOT,
                             capture_output=True, text=True, timeout=60).stdout.splitlines()
    steps = [line for line in planned if "scripts/run.sh" in line or "bot.cli" in line or "rasa train" in line
             or "pip install" in line]
    assert steps and "scripts/run.sh --check" in steps[0], planned
    assert steps[-1].endswith("bash scripts/run.sh"), steps
