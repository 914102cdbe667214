"""A bad escalation.yml stops the servers as `make run` starts them (review of issue 12, finding 1).

Rasa's own ``load_agent`` swallows the error of loading the model (the hand-over policy reads
escalation.yml then) and serves with no model; scripts/rasa_launch.py checks the file first,
and scripts/run.sh gives up as soon as a server exits during start-up.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time

from tests.conftest import MODEL, PROJECT_ROOT, free_port

GOOD = (PROJECT_ROOT / "escalation.yml").read_text(encoding="utf-8")
MISSPELT = GOOD.replace("    threshold: 0.75", "    treshold: 0.75", 1)
KEY = "triggers.negative_emotion.treshold"


def misspelt_config(tmp_path):
    assert MISSPELT != GOOD
    path = tmp_path / "escalation.yml"
    path.write_text(MISSPELT, encoding="utf-8")
    return path


def launcher_env(tmp_path, config):
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "ESCALATION_CONFIG": str(config),
            "RASA_API_TOKEN": "t" * 32, "REST_API_TOKEN": "r" * 32, "ACTION_SERVER_TOKEN": "a" * 32,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "ACTIONS_PORT": str(free_port())}


def launch_rasa(env, *extra):
    """scripts/rasa_launch.py with scripts/run.sh's arguments (120 s at most: without the check it serves forever)."""
    return subprocess.run(
        [str(PROJECT_ROOT / ".venv/bin/python"), "scripts/rasa_launch.py", "--model", str(MODEL), "--enable-api",
         "--port", str(free_port()), "--credentials", "credentials.yml", "--endpoints", "endpoints.yml", *extra],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_misspelt_key_stops_the_rasa_server_as_make_run_starts_it(tmp_path, trained_model):
    done = launch_rasa(launcher_env(tmp_path, misspelt_config(tmp_path)))
    assert done.returncode == 2, done.stderr[-3000:]
    assert KEY in done.stderr and "does not start" in done.stderr, done.stderr[-3000:]


def test_a_missing_escalation_file_stops_the_rasa_server(tmp_path, trained_model):
    done = launch_rasa(launcher_env(tmp_path, tmp_path / "nowhere.yml"))
    assert done.returncode == 2 and "nowhere.yml" in done.stderr, done.stderr[-3000:]


def test_a_valid_file_passes_the_launchers_check(tmp_path, trained_model):
    """The check lets a good file through to Rasa (``--help``: Rasa prints its usage and exits 0)."""
    done = launch_rasa(launcher_env(tmp_path, PROJECT_ROOT / "escalation.yml"), "--help")
    assert done.returncode == 0 and "usage: rasa run" in done.stdout, (done.stdout + done.stderr)[-3000:]


def test_make_run_fails_at_once_naming_the_key_when_a_server_cannot_start(tmp_path, trained_model):
    """scripts/run.sh: both servers exit 2 on the misspelt key; run.sh stops (non-zero, the server's
    error shown) instead of waiting START_TIMEOUT_S and printing its "servers are up" banner."""
    env = {key: value for key, value in launcher_env(tmp_path, misspelt_config(tmp_path)).items()
           if key not in ("RASA_API_TOKEN", "REST_API_TOKEN", "ACTION_SERVER_TOKEN", "ACTIONS_HOST")}
    env.update({"RASA_PORT": str(free_port()), "LOG_DIR": str(tmp_path / "log"), "RUN_DIR": str(tmp_path / "run"),
                "MODEL": str(MODEL), "START_TIMEOUT_S": "300"})
    started = time.monotonic()
    process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = process.communicate(timeout=240)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    assert process.returncode != 0, out[-3000:]
    assert "stopped during start-up" in out and KEY in out, out[-3000:]
    assert "Stop with Ctrl-C" not in out, out[-3000:]
    assert time.monotonic() - started < 240
