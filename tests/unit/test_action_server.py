"""The action server's entry point (actions/server.py) and its settings."""
import os
import subprocess
import sys

import pytest

from bot.settings import Settings
from tests.conftest import PROJECT_ROOT


def test_action_server_settings_default_to_loopback():
    settings = Settings.from_env({})
    assert (settings.actions_host, settings.actions_port) == ("127.0.0.1", 5055)
    assert settings.action_server_token is None and settings.rest_api_token is None
    custom = Settings.from_env({"ACTIONS_HOST": "10.0.0.5", "ACTIONS_PORT": "6055", "ACTION_SERVER_TOKEN": "s",
                                "REST_API_TOKEN": "r"})
    assert (custom.actions_host, custom.actions_port, custom.action_server_token, custom.rest_api_token) == (
        "10.0.0.5", 6055, "s", "r")


@pytest.mark.parametrize("port", ["http", "0", "70000", "-1"])
def test_a_bad_actions_port_is_named_at_start_up(port):
    with pytest.raises(ValueError, match="ACTIONS_PORT"):
        Settings.from_env({"ACTIONS_PORT": port})


def test_the_action_server_does_not_start_without_its_token():
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "ACTION_SERVER_TOKEN": ""}
    result = subprocess.run([sys.executable, "-m", "actions.server", "--port", "1"], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "ACTION_SERVER_TOKEN is not set" in result.stderr


def test_request_max_bytes_is_a_setting_with_a_one_mebibyte_default():
    assert Settings.from_env({}).request_max_bytes == 1024 * 1024
    assert Settings.from_env({"REQUEST_MAX_BYTES": "2000000"}).request_max_bytes == 2_000_000
    with pytest.raises(ValueError, match="REQUEST_MAX_BYTES"):
        Settings.from_env({"REQUEST_MAX_BYTES": "1MB"})
